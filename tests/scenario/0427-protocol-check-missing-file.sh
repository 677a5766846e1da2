. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'protocol check' and 'protocol load' of a file that is not
# there failing (exit 1) and naming it; the review is untouched.
run protocol check nosuch.ini
expect_exit 1
[ ! -s .out ] || fail "stdout is not empty"
expect_err "^winnow: .*'nosuch.ini'"
expect_err_lines 1

mkdir folder
run protocol check folder
expect_exit 1
[ ! -s .out ] || fail "stdout is not empty"
expect_err "^winnow: .*folder"
expect_err_lines 1

expect_load_refused nosuch.ini "^winnow: .*'nosuch.ini'"
