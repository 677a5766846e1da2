. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'protocol show --version' taking only a version number
# (1, 2, ...): anything else is a usage error (exit 2) naming the value.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
for v in abc 0 -1 1.5 2x ''; do
    run protocol show --db r.db --version "$v"
    expect_exit 2
    [ ! -s .out ] || fail "stdout is not empty for --version '$v'"
    expect_err "^winnow: protocol show: --version .*'$v'"
    expect_err '^usage: winnow protocol show '
done
