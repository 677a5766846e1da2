. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'import' reading the three example database exports (an
# Ovid RIS with CRLF line ends, a Scopus RIS with a UTF-8 BOM, a PubMed
# .nbib) into one record per entry, each file recorded with the database the
# protocol names for it and the search details the protocol gives for that
# database (for PRISMA-S), one audit row per file, and a summary per file.
R=$EXAMPLE/records
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
run import --db r.db "$R/medline-ovid.ris" "$R/scopus.ris" "$R/pubmed.nbib"
expect_exit 0
expect_no_err
sha_o=$(checksum "$R/medline-ovid.ris")
sha_s=$(checksum "$R/scopus.ris")
sha_p=$(checksum "$R/pubmed.nbib")
expect_out "^Imported $R/medline-ovid.ris as import 1: 9 records from medline \(ris, ovid; utf-8, crlf line endings\)$"
expect_out "^Imported $R/scopus.ris as import 2: 9 records from scopus \(ris, scopus; utf-8-bom, lf line endings\)$"
expect_out "^Imported $R/pubmed.nbib as import 3: 9 records from pubmed \(nbib, pubmed; utf-8, lf line endings\)$"
expect_out "^  read 9, stored 9, warnings 0; via database; sha256 $(echo "$sha_o" | cut -c1-12)$"
expect_out "^  read 9, stored 9, warnings 0; via database; sha256 $(echo "$sha_s" | cut -c1-12)$"
expect_out "^  read 9, stored 9, warnings 0; via database; sha256 $(echo "$sha_p" | cut -c1-12)$"
expect_out '^Imported 3 files: 27 records\.$'
expect_not_out 'converted from'
expect_not_out 'again'

expect_same "import rows" "$(sql r.db "SELECT id || '|' || path || '|' || format || '|' || dialect || '|' ||
    encoding || '|' || database_name || '|' || via || '|' || records_count FROM import_file ORDER BY id")" \
"1|$R/medline-ovid.ris|ris|ovid|utf-8|medline|database|9
2|$R/scopus.ris|ris|scopus|utf-8-bom|scopus|database|9
3|$R/pubmed.nbib|nbib|pubmed|utf-8|pubmed|database|9"
expect_same "sha256" "$(sql r.db 'SELECT sha256 FROM import_file ORDER BY id' | tr '\n' ' ')" \
    "$sha_o $sha_s $sha_p "
expect_same "sizes" "$(sql r.db 'SELECT size_bytes FROM import_file ORDER BY id' | tr '\n' ' ')" \
    "$(wc -c <"$R/medline-ovid.ris") $(wc -c <"$R/scopus.ris") $(wc -c <"$R/pubmed.nbib") "
# platform, date searched and search string come from [database NAME]
expect_same "platforms" "$(sql r.db 'SELECT platform FROM import_file ORDER BY id' | tr '\n' '|')" \
    "Ovid MEDLINE(R) ALL|Elsevier Scopus|NCBI PubMed|"
expect_same "searched_on" "$(sql r.db 'SELECT searched_on FROM import_file ORDER BY id' | tr '\n' ' ')" \
    "2021-04-12 2021-04-12 2021-04-12 "
expect_same "scopus query" "$(sql r.db 'SELECT query FROM import_file WHERE id = 2')" \
'TITLE-ABS-KEY(("social prescri*" OR "link worker*" OR "community referral*")
AND (lonel* OR isolat*))'
expect_same "medline query, first line" "$(sql r.db 'SELECT query FROM import_file WHERE id = 1' | head -1)" \
    "1. exp Social Prescribing/ or (social prescri* or link worker* or"
expect_same "medline query lines" "$(sql r.db 'SELECT query FROM import_file WHERE id = 1' | wc -l)" 4

# one record per entry, in file order, with the line it starts on
expect_same "records per file" "$(sql r.db 'SELECT import_file_id || ":" || count(*) FROM record GROUP BY import_file_id ORDER BY import_file_id' | tr '\n' ' ')" \
    "1:9 2:9 3:9 "
expect_same "positions" "$(sql r.db 'SELECT group_concat(position) FROM (SELECT position FROM record WHERE import_file_id = 3 ORDER BY id)')" \
    "1,2,3,4,5,6,7,8,9"
expect_same "ovid lines" "$(sql r.db 'SELECT group_concat(line) FROM (SELECT line FROM record WHERE import_file_id = 1 ORDER BY id)')" \
    "$(grep -n '^TY  -' "$R/medline-ovid.ris" | cut -d: -f1 | paste -sd,)"
expect_same "nbib lines" "$(sql r.db 'SELECT group_concat(line) FROM (SELECT line FROM record WHERE import_file_id = 3 ORDER BY id)')" \
    "$(grep -n '^PMID-' "$R/pubmed.nbib" | cut -d: -f1 | paste -sd,)"
expect_same "records without raw text" "$(sql r.db 'SELECT count(*) FROM record WHERE raw IS NULL OR length(raw) = 0')" 0
expect_same "first scopus title" "$(sql r.db 'SELECT title FROM record WHERE import_file_id = 2 AND position = 1')" \
    "Service users' experiences of link worker social prescribing for loneliness: A qualitative interview study"

# one audit row per file, naming it
expect_same "audit" "$(sql r.db "SELECT action || ':' || entity || ':' || entity_id FROM audit_log WHERE action = 'import' ORDER BY id" | tr '\n' ' ')" \
    "import:import_file:1 import:import_file:2 import:import_file:3 "
expect_same "audit details" "$(sql r.db "SELECT json_extract(details, '\$.database') || ':' || json_extract(details, '\$.records') || ':' || json_extract(details, '\$.sha256') FROM audit_log WHERE action = 'import' ORDER BY id" | tr '\n' ' ')" \
    "medline:9:$sha_o scopus:9:$sha_s pubmed:9:$sha_p "

run status --db r.db
expect_exit 0
expect_out '^Records: +27 from 3 sources$'
expect_out '^  title-abstract \(2 reviewers\): 27 reached, 0 screened'
