. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'import' into a review without a protocol taking the
# database from the file when the file says it (Scopus, PubMed), asking for
# --source when it cannot tell (exit 1, nothing stored), and storing the
# name given with --source as it is.
R=$EXAMPLE/records
run init --db r.db
expect_exit 0
cat >plain.ris <<'RIS'
TY  - JOUR
TI  - A plain record with no vendor marks
AU  - Smith, John
PY  - 2020
ER  - 

TY  - JOUR
TI  - Another one
ER  - 
RIS
audit=$(sql r.db 'SELECT count(*) FROM audit_log')
run import --db r.db plain.ris
expect_exit 1
expect_err "^winnow: cannot tell which database 'plain.ris' came from; name it with --source NAME$"
expect_err_lines 1
expect_same "imports" "$(sql r.db 'SELECT count(*) FROM import_file')" 0
expect_same "records" "$(sql r.db 'SELECT count(*) FROM record')" 0
expect_same "audit rows" "$(sql r.db 'SELECT count(*) FROM audit_log')" "$audit"

run import --db r.db plain.ris --source 'My Library'
expect_exit 0
expect_no_err
expect_out "^Imported plain.ris as import 1: 2 records from My Library \(ris; utf-8, lf line endings\)$"
expect_same "row" "$(sql r.db "SELECT database_name || '|' || coalesce(dialect, 'NULL') || '|' || via || '|' || coalesce(platform, 'NULL') || '|' || coalesce(searched_on, 'NULL') || '|' || coalesce(query, 'NULL') || '|' || records_count FROM import_file")" \
    "My Library|NULL|database|NULL|NULL|NULL|2"

# The file says where it came from
run import --db r.db "$R/scopus.ris" "$R/pubmed.nbib"
expect_exit 0
expect_out " as import 2: 9 records from scopus \(ris, scopus; "
expect_out " as import 3: 9 records from pubmed \(nbib, pubmed; "
expect_same "databases" "$(sql r.db 'SELECT database_name FROM import_file ORDER BY id' | tr '\n' '|')" \
    "My Library|scopus|pubmed|"
expect_same "records" "$(sql r.db 'SELECT count(*) FROM record')" 20
