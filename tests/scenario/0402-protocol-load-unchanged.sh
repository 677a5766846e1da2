. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on loading the protocol already in force changing nothing:
# it says "unchanged", adds no version, and leaves the file byte for byte.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
before=$(checksum r.db)
run protocol load --db r.db "$EXAMPLE/protocol.ini"
expect_exit 0
expect_no_err
expect_out 'unchanged'
expect_out 'version 1'
expect_same "protocol rows" "$(sql r.db 'SELECT count(*) FROM protocol')" 1
expect_same "checksum" "$(checksum r.db)" "$before"

# Same content under another name is still unchanged (it is the text that counts).
mkdir copy
cp "$EXAMPLE/protocol.ini" "$EXAMPLE/rules.txt" copy/
run protocol load --db r.db copy/protocol.ini
expect_exit 0
expect_out 'unchanged'
expect_same "protocol rows" "$(sql r.db 'SELECT count(*) FROM protocol')" 1
expect_same "audit rows" "$(sql r.db 'SELECT count(*) FROM audit_log WHERE action <> "seal"')" 2
