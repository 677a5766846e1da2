. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'protocol show' printing the protocol in force exactly as
# it was loaded, and --version N printing an earlier one exactly.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
run protocol show --db r.db
expect_exit 0
expect_no_err
stdout | cmp - "$EXAMPLE/protocol.ini" || fail "protocol show differs from the file loaded"

# Tabs, trailing spaces, CRLF line ends and comments are kept as written.
printf '# v2\r\n[review]\r\ntitle = Second\t \r\nquestion = Why?\r\n\r\n; end\r\n' >v2.ini
run protocol load --db r.db v2.ini
expect_exit 0
run protocol show --db r.db
expect_exit 0
stdout | cmp - v2.ini || fail "protocol show differs from v2.ini"
run protocol show --db r.db --version 1
expect_exit 0
stdout | cmp - "$EXAMPLE/protocol.ini" || fail "protocol show --version 1 differs from version 1"
run protocol show --db r.db --version 2
expect_exit 0
stdout | cmp - v2.ini || fail "protocol show --version 2 differs from v2.ini"
