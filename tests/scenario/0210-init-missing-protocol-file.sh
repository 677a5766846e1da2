. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'init --protocol' with a protocol file that is not there
# failing (exit 1, naming the file) and creating no review.
run init --db r.db --protocol nosuch.ini
expect_exit 1
[ ! -s .out ] || fail "stdout is not empty"
expect_err "^winnow: .*'nosuch.ini'"
expect_err_lines 1
[ ! -e r.db ] || fail "r.db was created"
ls -A | grep -q '^r\.db' && fail "left files behind: $(ls -A)"
exit 0
