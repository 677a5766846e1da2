. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'winnow protocol' with no or an unknown subcommand being a
# usage error (exit 2) that shows the subcommands there are.
run protocol
expect_exit 2
[ ! -s .out ] || fail "stdout is not empty"
expect_err '^winnow: protocol: '
expect_err '^usage: winnow protocol load\|show\|list\|check'

for s in lod LOAD delete; do
    run protocol "$s"
    expect_exit 2
    [ ! -s .out ] || fail "stdout is not empty"
    expect_err "^winnow: protocol: unknown subcommand '$s'"
    expect_err '^usage: winnow protocol '
done
[ ! -e winnow.db ] || fail "created winnow.db"
