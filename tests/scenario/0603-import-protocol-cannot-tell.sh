. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'import' refusing (exit 1, nothing stored) a file it
# cannot match to one of the protocol's databases, saying to use --source
# and listing the databases the protocol has.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
printf 'TY  - JOUR\nTI  - A record from somewhere\nER  - \n' >x.ris
before=$(checksum r.db)
run import --db r.db x.ris
expect_exit 1
[ ! -s "$CASE_TMP/.out" ] || fail "stdout is not empty"
expect_err "^winnow: cannot tell which of the protocol's databases 'x.ris' came from; say it with --source \(one of: medline, pubmed, scopus, grey-literature\)$"
expect_err_lines 1
expect_same "unchanged" "$(checksum r.db)" "$before"

run import --db r.db x.ris --source medline
expect_exit 0
expect_out 'as import 1: 1 record from medline '
expect_same "row" "$(sql r.db "SELECT database_name || '|' || platform FROM import_file")" "medline|Ovid MEDLINE(R) ALL"
