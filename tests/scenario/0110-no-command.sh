. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'winnow' alone being a usage error (exit 2) that says a
# command is missing and how to get help, with nothing on stdout.
run
expect_exit 2
[ ! -s .out ] || fail "stdout is not empty"
expect_err '^winnow: .*no command'
expect_err '^usage: winnow '
expect_err "winnow help"
# Global options alone are still no command.
run --db r.db
expect_exit 2
expect_err '^winnow: .*no command'
[ ! -e r.db ] || fail "created r.db without a command"
