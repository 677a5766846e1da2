. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a review with bytes overwritten in the middle of the file
# being reported as damaged (exit 1) by status, which checks every page,
# before anything is shown. (Other commands only meet damage in the pages
# they touch: checking the whole file on every command would make each
# decision cost a full read of a large review.)
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
size=$(wc -c <r.db)
# from the start of the middle page: its header, which every page in use
# has (bytes past a page's cells may be free space, and SQLite keeps no
# checksum that would show damage there)
page=$(sql r.db "PRAGMA page_size")
head -c 4096 /dev/zero | tr '\0' 'x' |
    dd of=r.db bs=1 seek=$((size / page / 2 * page)) conv=notrunc 2>/dev/null
[ "$(wc -c <r.db)" -eq "$size" ] || fail "dd changed the size"
before=$(checksum r.db)
printf '[review]\ntitle = New\nquestion = Q?\n' >new.ini
for args in "status" "status --format json"; do
    # shellcheck disable=SC2086
    run --db r.db $args
    expect_exit 1
    expect_not_out '^Review:'
    expect_not_out 'Loaded'
    expect_err "^winnow: 'r.db' .*(damaged|not a winnow review)"
    expect_err_lines 1
    expect_same "checksum after $args" "$(checksum r.db)" "$before"
    expect_same "files after $args" "$(ls)" "new.ini
r.db"
done
