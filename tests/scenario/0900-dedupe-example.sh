. "$WINNOW_ROOT/tests/scenario/lib.sh"
# The example review's ground truth (corpus/.../records/README.md): the 27
# database records hold 6 duplicate groups that remove 7 records; the erratum
# W02 is linked to the article it corrects, never merged; the conference
# abstract W08, the follow-up W22 and the grey report W12 stay apart. Each
# cluster's primary carries a DOI and a PMID. A second run compares nothing
# (incremental), and the run is audited.
R=$EXAMPLE/records
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
run import --db r.db "$R/medline-ovid.ris" "$R/scopus.ris" "$R/pubmed.nbib"
run import --db r.db --source grey-literature "$R/grey-literature.bib"
expect_exit 0
run dedupe --db r.db
expect_exit 0
expect_out '^Dedupe run 1: compared 31 new records with all 31$'
expect_out 'review now: 7 duplicate records in 6 clusters'
expect_same "clusters" "$(sql r.db "SELECT group_concat(n, ',') FROM (SELECT count(*) AS n FROM cluster_member GROUP BY cluster_id ORDER BY n)")" "2,2,2,2,2,3"
# every group is one work: its records share a PMID (PMIDs are 900000NN, NN the work)
expect_same "one work per cluster" "$(sql r.db "SELECT count(*) FROM (SELECT cluster_id FROM cluster_member m JOIN record r ON r.id = m.record_id GROUP BY cluster_id HAVING count(DISTINCT COALESCE(r.pmid, '?')) > 1)")" 0
expect_same "primary has DOI and PMID" "$(sql r.db "SELECT count(*) FROM dedupe_cluster c JOIN record r ON r.id = c.primary_record_id WHERE r.doi IS NOT NULL AND r.pmid IS NOT NULL")" 6
# the erratum (PMID 90000002) is linked, not merged
expect_same "erratum linked" "$(sql r.db "SELECT DISTINCT rel.kind FROM record_relation rel JOIN record e ON e.id = rel.record_id WHERE e.pmid = '90000002'")" "erratum_for"
expect_same "erratum alone" "$(sql r.db "SELECT count(*) FROM cluster_member m JOIN record r ON r.id = m.record_id WHERE r.pmid = '90000002'")" 0
# the conference abstract (Scopus, 2019) and the follow-up (W22) are in no cluster
expect_same "abstract alone" "$(sql r.db "SELECT count(*) FROM cluster_member m JOIN record r ON r.id = m.record_id WHERE r.type = 'conference-paper'")" 0
expect_same "follow-up alone" "$(sql r.db "SELECT count(*) FROM cluster_member m JOIN record r ON r.id = m.record_id WHERE r.pmid = '90000022'")" 0
expect_same "run audited" "$(sql r.db "SELECT json_extract(details, '$.duplicates') FROM audit_log WHERE action = 'dedupe'")" 7
expect_same "status counts" "$(sql r.db "SELECT count(*) - (SELECT count(*) FROM dedupe_cluster) FROM cluster_member")" 7
run status --db r.db
expect_out '^Duplicates:  7 records merged into 6 clusters; 0 pairs to review$'

# incremental: nothing new, nothing compared, nothing changed
before=$(sql r.db "SELECT count(*) FROM dedupe_pair")
run dedupe --db r.db
expect_exit 0
expect_out '^Dedupe run 2: compared 0 new records with all 31$'
expect_out 'review now: 7 duplicate records in 6 clusters'
expect_same "no new pairs" "$(sql r.db "SELECT count(*) FROM dedupe_pair")" "$before"
# the erratum corrects W01 only: not linked to W01's follow-up (W22)
expect_same "erratum not linked to the follow-up" "$(sql r.db "SELECT count(*) FROM record_relation rel JOIN record a ON a.id = rel.related_id WHERE a.pmid = '90000022'")" 0
