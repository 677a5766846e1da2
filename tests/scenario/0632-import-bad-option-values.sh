. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a --via that is not a PRISMA route, or a --date-searched
# that is not a real date written YYYY-MM-DD, being a usage error (exit 2)
# naming the value, with nothing imported.
R=$EXAMPLE/records
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
before=$(checksum r.db)

run import --db r.db "$R/scopus.ris" --via handsearch
expect_exit 2
[ ! -s "$CASE_TMP/.out" ] || fail "stdout is not empty"
expect_err "^winnow: import: --via must be database, register, website, organisation or citation, not 'handsearch'$"
expect_err '^usage: winnow import '
expect_err_lines 3

for d in 2021-02-30 21-04-12 2021-4-12 2021-04-12T10:00 2019-02-29 yesterday; do
    run import --db r.db "$R/scopus.ris" --date-searched "$d"
    expect_exit 2
    [ ! -s "$CASE_TMP/.out" ] || fail "stdout is not empty for '$d'"
    expect_err "^winnow: import: --date-searched must be a date written YYYY-MM-DD, not '$d'$"
    expect_err_lines 3
done

expect_same "review untouched" "$(checksum r.db)" "$before"

# a leap day is a date
run import --db r.db "$R/scopus.ris" --date-searched 2020-02-29
expect_exit 0
expect_same "searched_on" "$(sql r.db 'SELECT searched_on FROM import_file')" 2020-02-29
