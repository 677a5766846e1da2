. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a --db that is a directory being refused (exit 1) in one
# line naming it, with the directory left alone.
mkdir r.db
for args in "status" "protocol load $EXAMPLE/protocol.ini"; do
    # shellcheck disable=SC2086
    run --db r.db $args
    expect_exit 1
    [ ! -s .out ] || fail "stdout is not empty for '$args'"
    expect_err "^winnow: 'r.db' is a directory"
    expect_err_lines 1
    [ -z "$(ls -A r.db)" ] || fail "'$args' wrote into the directory: $(ls -A r.db)"
    expect_same "files" "$(ls)" "r.db"
done
