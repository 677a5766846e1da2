. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on the audit trail recording who made a change
# ($WINNOW_REVIEWER, else the login name) and the command line exactly,
# quoted so it can be read back, however odd the arguments.
q="it's a 'quoted' \"file\".ini"
printf '[review]\ntitle = T\nquestion = Q\n' >"$q"
# a long run of quotes once overflowed the buffer that quotes the line
many=$(printf "'%.0s" $(seq 200))
run status --db "$many"
expect_exit 1
expect_err "^winnow: (no review at|cannot open)"
WINNOW_REVIEWER="Ann Reviewer" run init --db r.db --protocol "$q"
expect_exit 0
expect_same "actor" "$(sql r.db "SELECT group_concat(DISTINCT actor) FROM audit_log")" "Ann Reviewer"
cmdline=$(sql r.db "SELECT command FROM audit_log WHERE action = 'protocol.load'")
expect_same "command" "$cmdline" "winnow init --db r.db --protocol 'it'\\''s a '\\''quoted'\\'' \"file\".ini'"
run protocol load --db r.db "$q"
expect_exit 0
expect_out "unchanged"
run init --db r2.db
expect_exit 0
expect_same "default actor" "$(sql r2.db "SELECT DISTINCT actor FROM audit_log")" "$(id -un)"
