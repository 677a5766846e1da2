. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'import' of a file that does not exist, or of a
# directory, failing (exit 1) in one line naming it, with nothing stored;
# and on 'import' into a review that does not exist failing without
# creating one.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
before=$(checksum r.db)

run import --db r.db nosuch.ris
expect_exit 1
[ ! -s "$CASE_TMP/.out" ] || fail "stdout is not empty"
expect_err "^winnow: cannot read 'nosuch.ris': No such file or directory$"
expect_err_lines 1

mkdir exports
run import --db r.db exports
expect_exit 1
[ ! -s "$CASE_TMP/.out" ] || fail "stdout is not empty"
expect_err "^winnow: 'exports' is a directory$"
expect_err_lines 1

run import --db r.db exports --format ris --source medline
expect_exit 1
expect_err "^winnow: 'exports' is a directory$"
expect_same "review untouched" "$(checksum r.db)" "$before"

run import --db missing.db "$EXAMPLE/records/scopus.ris"
expect_exit 1
expect_err "^winnow: no review at 'missing.db' \(create one with 'winnow init'\)$"
expect_err_lines 1
[ ! -e missing.db ] || fail "missing.db was created"
