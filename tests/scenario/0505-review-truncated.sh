. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a review cut short (say, a failed copy keeping only its
# first 100 bytes) being refused (exit 1) as damaged or not a review, untouched.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
truncate -s 100 r.db
before=$(checksum r.db)
for args in "status" "protocol load $EXAMPLE/protocol.ini" "protocol show"; do
    # shellcheck disable=SC2086
    run --db r.db $args
    expect_exit 1
    [ ! -s .out ] || fail "stdout is not empty for '$args'"
    expect_err "^winnow: 'r.db' .*(damaged|not a winnow review)"
    expect_err_lines 1
    expect_same "checksum after $args" "$(checksum r.db)" "$before"
    expect_same "files after $args" "$(ls)" "r.db"
done
