. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on $WINNOW_DB naming the review when --db is not given, and on
# an empty $WINNOW_DB meaning the default ./winnow.db.
WINNOW_DB=env.db
export WINNOW_DB
run init --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
expect_out "'env.db'"
[ -f env.db ] || fail "env.db was not created"
[ ! -e winnow.db ] || fail "winnow.db was created instead of env.db"

run status
expect_exit 0
expect_out '^Review: +env.db '
run protocol list
expect_exit 0
expect_out '^ +1  '

WINNOW_DB=
run status
expect_exit 1
expect_err "^winnow: no review at 'winnow.db' \(create one with 'winnow init'\)"
unset WINNOW_DB
run init
expect_exit 0
[ -f winnow.db ] || fail "winnow.db not created with WINNOW_DB unset"
