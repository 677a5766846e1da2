. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on an Ovid MEDLINE record whose abstract is wrapped over
# untagged lines (one of them starting "ERs (emergency rooms)") being read
# as one Ovid record like its neighbours: the abstract kept on its lines,
# the record not cut at "ERs", and its accession number (ID) taken as the
# PMID and M1 as the publication type, as for every other Ovid record.
R=$EXAMPLE/records
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
run import --db r.db "$R/medline-ovid.ris"
expect_exit 0
expect_no_err
expect_out ' 9 records from medline \(ris, ovid; '
# O6 is W09: PMID 90000009 (records/README.md)
line=$(grep -n '^ID  - 90000009' "$R/medline-ovid.ris" | cut -d: -f1)
expect_same "O6 starts" "$(sql r.db 'SELECT line FROM record WHERE position = 6')" "$((line - 2))"
expect_same "O6 source_id" "$(sql r.db 'SELECT source_id FROM record WHERE position = 6')" 90000009
expect_same "O6 abstract lines" "$(sql r.db 'SELECT abstract FROM record WHERE position = 6' | wc -l)" 12
expect_same "O6 ERs line" "$(sql r.db 'SELECT abstract FROM record WHERE position = 6' | sed -n 8p)" \
    "ERs (emergency rooms) or urgent care. Participants valued CHWs who shared their"
expect_same "O6 keywords" "$(sql r.db 'SELECT json_array_length(keywords) FROM record WHERE position = 6')" 11
# like every Ovid MEDLINE record in the file
expect_same "PMIDs" "$(sql r.db 'SELECT count(*) FROM record WHERE pmid = source_id')" 9
expect_same "O6 pmid" "$(sql r.db 'SELECT coalesce(pmid, "NULL") FROM record WHERE position = 6')" 90000009
expect_same "O6 pubtypes" "$(sql r.db 'SELECT pubtypes FROM record WHERE position = 6')" '["Journal Article"]'
