. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'import --dry-run' to check a file (format, dialect,
# encoding, record count, warnings) before importing it: it reports what
# would be imported and leaves the review exactly as it was.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
before=$(sql r.db 'SELECT count(*) FROM import_file; SELECT count(*) FROM record; SELECT count(*) FROM audit_log' | tr '\n' ' ')
run import --db r.db --dry-run "$EXAMPLE/records/scopus.ris" "$EXAMPLE/records/pubmed.nbib"
expect_exit 0
expect_out "^Would import .*scopus.ris as import [0-9]+: 9 records from scopus \(ris, scopus; utf-8-bom, lf line endings\)$"
expect_out "^Would import .*pubmed.nbib as import [0-9]+: 9 records from pubmed \(nbib, pubmed; "
expect_out '^  read 9, warnings 0; via database; sha256 '
expect_out '^Nothing was stored \(--dry-run\)\.$'
expect_not_out '^Imported '
expect_same "store untouched" "$(sql r.db 'SELECT count(*) FROM import_file; SELECT count(*) FROM record; SELECT count(*) FROM audit_log' | tr '\n' ' ')" "$before"

# the real import afterwards is not refused as a repeat
run import --db r.db "$EXAMPLE/records/scopus.ris"
expect_exit 0
expect_out '^Imported .*scopus.ris as import 1: 9 records'

# a dry run still reports problems as the import would
printf 'TY  - JOUR\nTI  - no end\n' > cut.ris
run import --db r.db --dry-run --source scopus cut.ris
expect_exit 0
expect_err '^winnow: warning: cut.ris:1: last record has no ER line$'
run import --db r.db --dry-run --strict --source scopus cut.ris
expect_exit 1
expect_err 'cut.ris:1: last record has no ER line \(--strict: nothing imported\)'
expect_same "records" "$(sql r.db 'SELECT count(*) FROM record')" 9
