. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on screening decisions being append-only in the review file:
# even a direct UPDATE or DELETE is refused, so the record of who decided what
# cannot be rewritten quietly.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
add_import r.db 1 MEDLINE 1
add_decision r.db 1 title-abstract ann exclude

if sqlite3 r.db "UPDATE decision SET decision = 'include'" 2>err.txt; then
    fail "UPDATE of a decision succeeded"
fi
grep -q 'append-only' err.txt || fail "UPDATE refused without saying why: $(cat err.txt)"
if sqlite3 r.db "DELETE FROM decision" 2>err.txt; then
    fail "DELETE of a decision succeeded"
fi
grep -q 'append-only' err.txt || fail "DELETE refused without saying why: $(cat err.txt)"
expect_same "decision" "$(sql r.db 'SELECT reviewer || ":" || decision FROM decision')" "ann:exclude"
# The protocol history and the audit trail are append-only too.
sqlite3 r.db "DELETE FROM protocol" 2>/dev/null && fail "DELETE of a protocol version succeeded"
sqlite3 r.db "UPDATE audit_log SET actor = 'x'" 2>/dev/null && fail "UPDATE of the audit trail succeeded"
expect_same "protocol rows" "$(sql r.db 'SELECT count(*) FROM protocol')" 1
run status --db r.db
expect_exit 0
expect_out '^  title-abstract \(2 reviewers\): 1 reached, 0 screened \(0 included, 0 excluded\), 1 pending$'
