. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'export' from a review that does not exist failing
# (exit 1) in one line, creating neither the review nor the -o FILE.
run export --db nosuch.db
expect_exit 1
[ ! -s "$CASE_TMP/.out" ] || fail "stdout is not empty"
expect_err "^winnow: no review at 'nosuch.db' \(create one with 'winnow init'\)$"
expect_err_lines 1

run export --db nosuch.db --format json -o out.json
expect_exit 1
expect_err "^winnow: no review at 'nosuch.db'"
expect_same "files" "$(ls | tr '\n' ' ')" ""

WINNOW_DB=env.db
export WINNOW_DB
run export
expect_exit 1
expect_err "^winnow: no review at 'env.db'"
[ ! -e env.db ] || fail "env.db was created"
