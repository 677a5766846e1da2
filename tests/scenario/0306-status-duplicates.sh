. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on status counting merged duplicates: records in a cluster
# count once as a report, and only reports are screened.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
T=2021-04-12T10:00:00Z
add_import r.db 1 MEDLINE 3
add_import r.db 2 Scopus 4
sql r.db "
INSERT INTO dedupe_cluster(id, primary_record_id, created_at) VALUES (1, 1, '$T'), (2, 2, '$T');
INSERT INTO cluster_member(record_id, cluster_id, added_at) VALUES
  (1, 1, '$T'), (4, 1, '$T'), (7, 1, '$T'), (2, 2, '$T'), (5, 2, '$T');" ||
    fail "cannot set up records"

run status --db r.db
expect_exit 0
expect_out '^Records: +7 from 2 sources$'
expect_out '^Duplicates: +3 records merged into 2 clusters'
expect_out '^Reports: +4$'
expect_out '^  title-abstract \(2 reviewers\): 4 reached,'

run status --db r.db --format json
expect_exit 0
stdout | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["records"] == 7, d["records"]
assert d["duplicates"] == 3, d["duplicates"]
assert d["reports"] == 4, d["reports"]
assert d["stages"][0]["eligible"] == 4, d["stages"][0]
' || fail "status JSON duplicate counts are wrong"
