. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'winnow init' without --db or $WINNOW_DB creating
# ./winnow.db, and on later commands finding it there.
run init
expect_exit 0
expect_out "Created review 'winnow.db'"
[ -f winnow.db ] || fail "no ./winnow.db"
expect_same "application_id" "$(sql winnow.db 'PRAGMA application_id')" 1464749911

run status
expect_exit 0
expect_out '^Review: +winnow.db '

run protocol load "$EXAMPLE/protocol.ini"
expect_exit 0
expect_same "protocol versions" "$(sql winnow.db 'SELECT count(*) FROM protocol')" 1

# Another folder has no review: the default is relative to where winnow runs.
mkdir elsewhere
cd elsewhere || fail "cd"
run status
expect_exit 1
expect_err "^winnow: no review at 'winnow.db'"
[ ! -e winnow.db ] || fail "status created winnow.db"
