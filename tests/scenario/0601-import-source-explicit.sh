. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on --source naming the database a file came from, by the
# protocol's section name or by its 'name =' label, taking that database's
# search details (route, date) from the protocol; and on a --source the
# protocol does not know being refused (exit 1) with the list of the
# databases it does know, nothing stored.
R=$EXAMPLE/records
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0

# Explicit, in another case than the protocol's
run import --db r.db --source SCOPUS "$R/scopus.ris"
expect_exit 0
expect_no_err
expect_out "^Imported $R/scopus.ris as import 1: 9 records from scopus \(ris, scopus; "
expect_same "database" "$(sql r.db 'SELECT database_name || "|" || platform || "|" || searched_on FROM import_file WHERE id = 1')" \
    "scopus|Elsevier Scopus|2021-04-12"

# A RIS file the reader cannot place, told by the label of its section:
# the route (via = website) and date come from that section.
cat >grey.ris <<'RIS'
TY  - RPRT
TI  - Evaluation of a community connector service
AU  - Northshire Social Prescribing Network
PY  - 2020
ER  - 
RIS
run import --db r.db --source 'Grey literature (websites and organisations)' grey.ris
expect_exit 0
expect_no_err
expect_out "^Imported grey.ris as import 2: 1 record from grey-literature \(ris; utf-8, lf line endings\)$"
expect_out '; via website; '
expect_same "grey row" "$(sql r.db "SELECT database_name || '|' || via || '|' || searched_on || '|' || coalesce(platform, 'NULL') || '|' || coalesce(query, 'NULL') FROM import_file WHERE id = 2")" \
    "grey-literature|website|2021-04-20|NULL|NULL"

# Not a database of the protocol
before=$(checksum r.db)
run import --db r.db --source embase "$R/pubmed.nbib"
expect_exit 1
[ ! -s "$CASE_TMP/.out" ] || fail "stdout is not empty"
expect_err "^winnow: 'embase' is not a database of the protocol \(its databases: medline, pubmed, scopus, grey-literature\)$"
expect_err_lines 1
expect_same "unchanged" "$(checksum r.db)" "$before"
expect_same "imports" "$(sql r.db 'SELECT count(*) FROM import_file')" 2
expect_same "records" "$(sql r.db 'SELECT count(*) FROM record')" 10
expect_same "audit rows" "$(sql r.db "SELECT count(*) FROM audit_log WHERE action = 'import'")" 2
