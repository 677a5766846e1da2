. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a review written by a newer winnow being refused (exit 1)
# with a message to upgrade winnow, and never modified or downgraded.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
sql r.db 'PRAGMA user_version = 99'
before=$(checksum r.db)
printf '[review]\ntitle = New\nquestion = Q?\n' >new.ini
for args in "status" "status --format json" "protocol load new.ini" "protocol show" "protocol list"; do
    # shellcheck disable=SC2086
    run --db r.db $args
    expect_exit 1
    [ ! -s .out ] || fail "stdout is not empty for '$args'"
    expect_err "^winnow: 'r.db' .*newer winnow.*schema 99"
    expect_err 'upgrade winnow'
    expect_err_lines 1
    expect_same "checksum after $args" "$(checksum r.db)" "$before"
    expect_same "files after $args" "$(ls)" "new.ini
r.db"
done
expect_same "user_version" "$(sql r.db 'PRAGMA user_version')" 99
