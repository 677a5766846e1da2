. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'import' with no file or an unknown --format being a
# usage error (exit 2: the error, then the usage), before the review is
# touched.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
before=$(checksum r.db)

run import --db r.db
expect_exit 2
[ ! -s "$CASE_TMP/.out" ] || fail "stdout is not empty"
expect_err '^winnow: import: name at least one file to import$'
expect_err '^usage: winnow import FILE\.\.\. '
expect_err_lines 3

run import --db r.db --format endnote "$EXAMPLE/records/scopus.ris"
expect_exit 2
[ ! -s "$CASE_TMP/.out" ] || fail "stdout is not empty"
expect_err "^winnow: import: unknown format 'endnote'"
expect_err '^usage: winnow import FILE\.\.\. '
expect_err_lines 3

run import --db r.db --format "$EXAMPLE/records/scopus.ris"
expect_exit 2
expect_err '^winnow: import: '

run import --db r.db "$EXAMPLE/records/scopus.ris" --source
expect_exit 2
expect_err "^winnow: import: option '--source' needs a value$"

expect_same "review untouched" "$(checksum r.db)" "$before"

# a usage error does not create a review either
run import --db new.db --format nosuch x.ris
expect_exit 2
[ ! -e new.db ] || fail "new.db was created"
