. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on help refusing words it does not understand (exit 2)
# instead of quietly showing something else: 'init' has no subcommands.
run help init extra
expect_exit 2
[ ! -s .out ] || fail "stdout is not empty"
expect_err "^winnow: help: .*'extra'"
expect_err '^usage: winnow help '

run help protocol load extra
expect_exit 2
[ ! -s .out ] || fail "stdout is not empty"
expect_err "^winnow: help: .*'extra'"
