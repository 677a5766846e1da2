. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on help for something that does not exist being a usage
# error (exit 2) naming it, not an empty success.
run help nosuchcommand
expect_exit 2
[ ! -s .out ] || fail "stdout is not empty"
expect_err "^winnow: help: unknown command 'nosuchcommand'"
expect_err '^usage: winnow help '

run help protocol nosuch
expect_exit 2
[ ! -s .out ] || fail "stdout is not empty"
expect_err "^winnow: help: .*'protocol'.*'nosuch'"
expect_err '^usage: winnow help '
