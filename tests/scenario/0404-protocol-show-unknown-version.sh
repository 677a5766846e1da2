. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'protocol show --version N' for a version that was never
# loaded failing (exit 1) and saying which version, not showing another one.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
run protocol show --db r.db --version 2
expect_exit 1
[ ! -s .out ] || fail "stdout is not empty"
expect_err '^winnow: .*protocol version 2'
expect_err_lines 1
run protocol show --db r.db --version 999
expect_exit 1
expect_err 'version 999'
