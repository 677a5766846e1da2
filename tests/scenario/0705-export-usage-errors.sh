. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a bad --where or --format, or an extra argument, being a
# usage error (exit 2: the error, then the usage) that writes no file.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
run import --db r.db "$EXAMPLE/records/scopus.ris"
expect_exit 0
before=$(checksum r.db)

run export --db r.db --where screened -o out.ris
expect_exit 2
[ ! -s "$CASE_TMP/.out" ] || fail "stdout is not empty"
expect_err "^winnow: export: --where must be all, included, excluded or pending, not 'screened'$"
expect_err '^usage: winnow export '
expect_err_lines 3

run export --db r.db --format endnote -o out.ris
expect_exit 2
[ ! -s "$CASE_TMP/.out" ] || fail "stdout is not empty"
expect_err "^winnow: export: --format must be ris, bibtex, csv or json, not 'endnote'$"
expect_err_lines 3

run export --db r.db --format JSON
expect_exit 2
expect_err "not 'JSON'$"

run export --db r.db out.ris
expect_exit 2
expect_err "^winnow: export: unexpected argument 'out.ris'$"

run export --db r.db -o
expect_exit 2
expect_err "^winnow: export: option '-o' needs a value$"

[ ! -e out.ris ] || fail "out.ris was written"
expect_same "review untouched" "$(checksum r.db)" "$before"
