. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on init never overwriting an existing review, even by mistake
# and even with a protocol: exit 1, the file byte for byte unchanged.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
before=$(checksum r.db)

run init --db r.db
expect_exit 1
[ ! -s .out ] || fail "stdout is not empty"
expect_err "^winnow: 'r.db' already exists"
expect_err_lines 1
expect_same "checksum" "$(checksum r.db)" "$before"

printf '[review]\ntitle = Other\nquestion = Q?\n' >other.ini
run init --db r.db --protocol other.ini
expect_exit 1
expect_err "'r.db' already exists"
expect_same "checksum" "$(checksum r.db)" "$before"
expect_same "protocol rows" "$(sql r.db 'SELECT count(*) FROM protocol')" 1
[ ! -e r.db-wal ] && [ ! -e r.db-shm ] || fail "left -wal/-shm beside r.db"
