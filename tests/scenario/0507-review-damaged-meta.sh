. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on damage to the review's own identity table (meta: when and
# by what it was created) being reported (exit 1), not shown as a blank date,
# and on protocol load never writing into such a file.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
page=$(sql r.db "PRAGMA page_size")
root=$(sql r.db "SELECT rootpage FROM sqlite_master WHERE name = 'meta'")
[ "$root" -gt 1 ] || fail "no meta table"
head -c "$page" /dev/zero | dd of=r.db bs="$page" seek=$((root - 1)) conv=notrunc 2>/dev/null
before=$(checksum r.db)

run status --db r.db
expect_exit 1
[ ! -s .out ] || fail "status printed a report for a damaged review"
expect_err "^winnow: 'r.db' .*damaged"
expect_err_lines 1

printf '[review]\ntitle = New\nquestion = Q?\n' >new.ini
run protocol load --db r.db new.ini
expect_exit 1
expect_not_out 'Loaded'
expect_err "^winnow: 'r.db' .*damaged"
expect_same "checksum" "$(checksum r.db)" "$before"
[ ! -e r.db-wal ] && [ ! -e r.db-shm ] || fail "left -wal/-shm beside r.db"
