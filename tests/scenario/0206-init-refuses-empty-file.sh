. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on init refusing any existing file, even an empty one or one
# that is not a review: it is left exactly as it was.
: >empty.db
run init --db empty.db
expect_exit 1
[ ! -s .out ] || fail "stdout is not empty"
expect_err "^winnow: 'empty.db' already exists"
expect_err_lines 1
[ ! -s empty.db ] || fail "empty.db is no longer empty"

echo "my notes" >notes.txt
before=$(checksum notes.txt)
run init --db notes.txt --protocol "$EXAMPLE/protocol.ini"
expect_exit 1
expect_err "'notes.txt' already exists"
expect_same "notes.txt checksum" "$(checksum notes.txt)" "$before"
ls -A | grep -Eq -- '-(wal|shm|journal)$' && fail "left SQLite side files: $(ls -A)"
exit 0
