. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'import' refusing (exit 1) a file whose bytes were
# imported before, under any name, saying when and pointing to --again,
# with nothing added.
R=$EXAMPLE/records
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
run import --db r.db "$R/scopus.ris"
expect_exit 0
state() {
    sql r.db "SELECT (SELECT count(*) FROM import_file) || ' ' || (SELECT count(*) FROM record) || ' ' || (SELECT count(*) FROM audit_log)"
}
before=$(state)
expect_same "after one import" "$before" "1 9 3"
when=$(sql r.db 'SELECT imported_at FROM import_file WHERE id = 1')

run import --db r.db "$R/scopus.ris"
expect_exit 1
[ ! -s "$CASE_TMP/.out" ] || fail "stdout is not empty"
expect_err "^winnow: '$R/scopus.ris' was already imported \(import 1, $when; same SHA-256\); use --again to import it again$"
expect_err_lines 1
expect_same "nothing added" "$(state)" "$before"

# the same bytes under another name are the same file
cp "$R/scopus.ris" copy.ris
run import --db r.db copy.ris --source scopus
expect_exit 1
expect_err "^winnow: 'copy.ris' was already imported \(import 1, .*--again"
expect_same "nothing added (copy)" "$(state)" "$before"

# one changed byte is another file
sed 's/Cited By: 7/Cited By: 8/' "$R/scopus.ris" >changed.ris
run import --db r.db changed.ris
expect_exit 0
expect_out 'as import 2: 9 records from scopus'
