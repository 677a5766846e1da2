. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a --db that is some text file being refused (exit 1) as
# not a winnow review, and left exactly as it was.
printf 'Title: my notes\nThese are not a review.\n' >notes.db
before=$(checksum notes.db)
for args in "status" "status --format json" "protocol load $EXAMPLE/protocol.ini" "protocol show"; do
    # shellcheck disable=SC2086
    run --db notes.db $args
    expect_exit 1
    [ ! -s .out ] || fail "stdout is not empty for '$args'"
    expect_err "^winnow: 'notes.db' is not a winnow review"
    expect_err_lines 1
    expect_same "checksum after $args" "$(checksum notes.db)" "$before"
    expect_same "files after $args" "$(ls)" "notes.db"
done
