. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on status (and protocol show/list) never changing the review
# file, nor leaving -wal/-shm files beside it.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
before=$(checksum r.db)
listing=$(ls -A)
for args in "status" "status --format json" "protocol show" "protocol show --format json" \
    "protocol list" "protocol list --format json"; do
    # shellcheck disable=SC2086
    run --db r.db $args
    expect_exit 0
    expect_same "checksum after $args" "$(checksum r.db)" "$before"
    expect_same "files after $args" "$(ls -A)" "$listing"
done
expect_same "audit rows" "$(sql r.db 'SELECT count(*) FROM audit_log WHERE action <> "seal"')" 2
