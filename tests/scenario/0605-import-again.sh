. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on --again importing a file whose bytes were imported
# before (a deliberate re-import), as a new import with its own records,
# the summary saying which earlier import had the same bytes.
R=$EXAMPLE/records
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
run import --db r.db "$R/pubmed.nbib"
expect_exit 0
run import --db r.db "$R/pubmed.nbib" --again
expect_exit 0
expect_no_err
expect_out "^Imported $R/pubmed.nbib as import 2: 9 records from pubmed "
expect_out '^  \(the same bytes as import 1: imported again with --again\)$'
expect_same "imports" "$(sql r.db 'SELECT id || ":" || records_count FROM import_file ORDER BY id' | tr '\n' ' ')" "1:9 2:9 "
expect_same "same sha256" "$(sql r.db 'SELECT count(DISTINCT sha256) FROM import_file')" 1
expect_same "records" "$(sql r.db 'SELECT count(*) FROM record WHERE import_file_id = 2')" 9
expect_same "audit" "$(sql r.db "SELECT count(*) FROM audit_log WHERE action = 'import'")" 2

# --again on a file never imported is simply an import
run import --db r.db --again "$R/scopus.ris"
expect_exit 0
expect_out 'as import 3: 9 records from scopus'
expect_not_out 'the same bytes'
