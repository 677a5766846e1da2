. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on status counting screening progress per stage: a report is
# screened when its required reviewers agree, in conflict when they differ,
# pending otherwise; only reports included at one stage reach the next.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
T=2021-04-12T10:00:00Z
sql r.db "
INSERT INTO import_file(id, path, sha256, size_bytes, format, database_name, imported_at)
  VALUES (1, 'medline.ris', 'aa', 100, 'ris', 'MEDLINE', '$T');
INSERT INTO record(id, import_file_id, position, title, created_at) VALUES
  (1, 1, 1, 'a', '$T'), (2, 1, 2, 'b', '$T'), (3, 1, 3, 'c', '$T'),
  (4, 1, 4, 'd', '$T'), (5, 1, 5, 'e', '$T'), (6, 1, 6, 'f', '$T');
INSERT INTO decision(record_id, stage, reviewer, kind, decision, made_at) VALUES
  (1, 'title-abstract', 'ann', 'human', 'include', '$T'),
  (1, 'title-abstract', 'bob', 'human', 'include', '$T'),
  (2, 'title-abstract', 'ann', 'human', 'include', '$T'),
  (2, 'title-abstract', 'bob', 'human', 'include', '$T'),
  (3, 'title-abstract', 'ann', 'human', 'exclude', '$T'),
  (3, 'title-abstract', 'bob', 'human', 'exclude', '$T'),
  (4, 'title-abstract', 'ann', 'human', 'include', '$T'),
  (4, 'title-abstract', 'bob', 'human', 'exclude', '$T'),
  (5, 'title-abstract', 'ann', 'human', 'include', '$T'),
  (1, 'full-text', 'ann', 'human', 'include', '$T'),
  (1, 'full-text', 'bob', 'human', 'include', '$T'),
  (2, 'full-text', 'ann', 'human', 'exclude', '$T');" || fail "cannot set up decisions"

# title-abstract: 6 reached; 1,2 included, 3 excluded, 4 conflict, 5 and 6 pending
# full-text: 1 and 2 reach it; 1 included, 2 pending (one reviewer so far)
run status --db r.db
expect_exit 0
expect_out '^  title-abstract \(2 reviewers\): 6 reached, 3 screened \(2 included, 1 excluded\), 3 pending \(1 in conflict\)$'
expect_out '^  full-text \(2 reviewers\): 2 reached, 1 screened \(1 included, 0 excluded\), 1 pending$'

run status --db r.db --format json
expect_exit 0
stdout | python3 -c '
import json, sys
d = json.load(sys.stdin)
ta, ft = d["stages"]
want_ta = dict(name="title-abstract", eligible=6, screened=3, included=2, excluded=1, conflicts=1, pending=3)
want_ft = dict(name="full-text", eligible=2, screened=1, included=1, excluded=0, conflicts=0, pending=1)
for got, want in ((ta, want_ta), (ft, want_ft)):
    for k, v in want.items():
        assert got[k] == v, (got["name"], k, got[k], v)
' || fail "status JSON screening counts are wrong"
