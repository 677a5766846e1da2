. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on init into a folder that does not exist failing clearly
# (exit 1, naming the path), without creating the folder.
run init --db nosuch/dir/r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 1
[ ! -s .out ] || fail "stdout is not empty"
expect_err "^winnow: .*'nosuch/dir/r.db'"
expect_err 'No such file or directory'
expect_err_lines 1
[ ! -e nosuch ] || fail "init created the folder"
