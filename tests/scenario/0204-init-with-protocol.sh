. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'init --protocol' storing the protocol as version 1, with
# its stages, and recording both steps in the audit trail.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
expect_no_err
expect_out "^Created review 'r.db'"
expect_out "^Loaded protocol version 1 "
expect_same "protocol rows" "$(sql r.db 'SELECT count(*) FROM protocol')" 1
expect_same "protocol sha256" "$(sql r.db 'SELECT sha256 FROM protocol')" \
    "$(checksum "$EXAMPLE/protocol.ini")"
expect_same "stages" "$(sql r.db 'SELECT name || ":" || reviewers_required FROM stage ORDER BY position' | tr '\n' ' ')" \
    "title-abstract:2 full-text:2 "
expect_same "audit actions" "$(sql r.db 'SELECT action FROM audit_log WHERE action <> "seal" ORDER BY id' | tr '\n' ' ')" \
    "init protocol.load "
# -p is the short form.
run init --db short.db -p "$EXAMPLE/protocol.ini"
expect_exit 0
expect_same "protocol rows (-p)" "$(sql short.db 'SELECT count(*) FROM protocol')" 1

run status --db r.db
expect_exit 0
expect_out '^Protocol: +version 1 \(sha256 [0-9a-f]{12}\): Perceived benefits'
