. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a read-only review (chmod a-w: archived or submitted)
# refusing changes with a message saying so, while status still works.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
chmod a-w r.db
before=$(checksum r.db)
printf '[review]\ntitle = New\nquestion = Q?\n' >new.ini
run protocol load --db r.db new.ini
expect_exit 1
[ ! -s .out ] || fail "stdout is not empty"
expect_err "^winnow: 'r.db' is read-only"
expect_err_lines 1
expect_same "checksum" "$(checksum r.db)" "$before"
expect_same "files" "$(ls)" "new.ini
r.db"

run status --db r.db
expect_exit 0
expect_out '^Protocol: +version 1 '
expect_same "checksum after status" "$(checksum r.db)" "$before"
expect_same "protocol versions" "$(sql r.db 'SELECT count(*) FROM protocol')" 1
# Loading the protocol already in force is no change, but it is still refused
# clearly or reported unchanged: never an SQLite error.
run protocol load --db r.db "$EXAMPLE/protocol.ini"
case $LAST_STATUS in
0) expect_out 'unchanged' ;;
1) expect_err "^winnow: 'r.db' is read-only" ;;
*) fail "unexpected exit $LAST_STATUS" ;;
esac
expect_same "checksum at the end" "$(checksum r.db)" "$before"
