. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a mistyped command being refused (exit 2), naming it.
for c in frobnicate stauts Status; do
    run "$c"
    expect_exit 2
    [ ! -s .out ] || fail "stdout is not empty for '$c'"
    expect_err "^winnow: unknown command '$c'"
    expect_err '^usage: winnow '
done
# Even with a --db, nothing is created.
run --db r.db ini
expect_exit 2
expect_err "'ini'"
[ ! -e r.db ] || fail "an unknown command created r.db"
