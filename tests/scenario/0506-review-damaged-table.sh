. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a review whose pages were overwritten (disk or copy damage)
# being reported as damaged (exit 1) rather than read as if it were fine.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
# Overwrite the whole page holding the stage table, which status and
# protocol load both read.
page=$(sql r.db "PRAGMA page_size")
root=$(sql r.db "SELECT rootpage FROM sqlite_master WHERE name = 'stage'")
[ "$root" -gt 1 ] || fail "no stage table"
head -c "$page" /dev/zero | tr '\0' 'x' |
    dd of=r.db bs="$page" seek=$((root - 1)) conv=notrunc 2>/dev/null
before=$(checksum r.db)
printf '[review]\ntitle = New\nquestion = Q?\n' >new.ini
for args in "status" "status --format json" "protocol load new.ini"; do
    # shellcheck disable=SC2086
    run --db r.db $args
    expect_exit 1
    [ ! -s .out ] || fail "stdout is not empty for '$args'"
    expect_err "^winnow: 'r.db' .*damaged"
    expect_err_lines 1
    expect_same "checksum after $args" "$(checksum r.db)" "$before"
    expect_same "files after $args" "$(ls)" "new.ini
r.db"
done
