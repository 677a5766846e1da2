. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on an empty (0-byte) file not being taken for a review: not
# by status, and not turned into one by protocol load.
: >empty.db
for args in "status" "protocol load $EXAMPLE/protocol.ini" "protocol list"; do
    # shellcheck disable=SC2086
    run --db empty.db $args
    expect_exit 1
    [ ! -s .out ] || fail "stdout is not empty for '$args'"
    expect_err "^winnow: 'empty.db' is not a winnow review"
    expect_err_lines 1
    [ ! -s empty.db ] || fail "'$args' wrote into empty.db"
    expect_same "files after $args" "$(ls)" "empty.db"
done
