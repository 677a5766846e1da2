. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on commands on a review that does not exist failing (exit 1)
# with one line that names it and suggests 'winnow init', creating nothing.
for args in "status" "status --format json" "protocol load $EXAMPLE/protocol.ini" \
    "protocol show" "protocol list"; do
    # shellcheck disable=SC2086
    run --db missing.db $args
    expect_exit 1
    [ ! -s .out ] || fail "stdout is not empty for '$args'"
    expect_err "^winnow: no review at 'missing.db' \(create one with 'winnow init'\)$"
    expect_err_lines 1
    [ -z "$(ls)" ] || fail "'$args' created files: $(ls)"
done
# The default location too.
run status
expect_exit 1
expect_err "^winnow: no review at 'winnow.db'.*winnow init"
[ ! -e winnow.db ] || fail "status created winnow.db"
