. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on an SQLite database of another program being refused
# (exit 1) as not a winnow review, and never modified (no tables added).
sqlite3 other.db 'CREATE TABLE t(a); INSERT INTO t VALUES (42);' || fail "sqlite3"
before=$(checksum other.db)
for args in "status" "protocol load $EXAMPLE/protocol.ini" "protocol show"; do
    # shellcheck disable=SC2086
    run --db other.db $args
    expect_exit 1
    [ ! -s .out ] || fail "stdout is not empty for '$args'"
    expect_err "^winnow: 'other.db' is not a winnow review \(.*another program\)"
    expect_err_lines 1
    expect_same "checksum after $args" "$(checksum other.db)" "$before"
    expect_same "files after $args" "$(ls)" "other.db"
done
expect_same "tables" "$(sql other.db "SELECT group_concat(name) FROM sqlite_master")" "t"
