. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on an unknown global option, or --db without a value, being a
# usage error (exit 2) naming the option.
run --bogus status
expect_exit 2
[ ! -s .out ] || fail "stdout is not empty"
expect_err "^winnow: unknown option '--bogus'"
expect_err '^usage: winnow '

run -x init
expect_exit 2
expect_err "'-x'"
[ ! -e winnow.db ] || fail "an unknown option still ran init"

run --db
expect_exit 2
[ ! -s .out ] || fail "stdout is not empty"
expect_err "^winnow: .*'--db' needs a value"
expect_err '^usage: winnow '
