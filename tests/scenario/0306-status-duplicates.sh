. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on status counting merged duplicates: records in a cluster
# count once as a report, and only reports are screened.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
T=2021-04-12T10:00:00Z
sql r.db "
INSERT INTO import_file(id, path, sha256, size_bytes, format, database_name, imported_at)
  VALUES (1, 'medline.ris', 'aa', 100, 'ris', 'MEDLINE', '$T'),
         (2, 'scopus.ris', 'bb', 100, 'ris', 'Scopus', '$T');
INSERT INTO record(id, import_file_id, position, title, created_at) VALUES
  (1, 1, 1, 'Alpha', '$T'), (2, 1, 2, 'Beta', '$T'), (3, 1, 3, 'Gamma', '$T'),
  (4, 2, 1, 'Alpha.', '$T'), (5, 2, 2, 'Beta', '$T'), (6, 2, 3, 'Delta', '$T'),
  (7, 2, 4, 'ALPHA', '$T');
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
