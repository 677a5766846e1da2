. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on status counting the records in the review, in total and
# per source.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
add_import r.db 1 MEDLINE 3
add_import r.db 2 Scopus 2
add_import r.db 3 MEDLINE 1

run status --db r.db
expect_exit 0
expect_out '^Records: +6 from 2 sources$'
expect_out '^  MEDLINE +4  \(database; 0 searches, 2 imports\)$'
expect_out '^  Scopus +2  \(database; 0 searches, 1 import\)$'
expect_out '^Duplicates: +0 records'
expect_out '^Reports: +6$'
expect_out '^  title-abstract \(2 reviewers\): 6 reached, 0 screened \(0 included, 0 excluded\), 6 pending$'
expect_out '^  full-text \(2 reviewers\): 0 reached'

run status --db r.db --format json
expect_exit 0
stdout | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["records"] == 6, d["records"]
src = {s["name"]: s for s in d["sources"]}
assert set(src) == {"MEDLINE", "Scopus"}, src
assert src["MEDLINE"]["records"] == 4 and src["MEDLINE"]["imports"] == 2, src
assert src["Scopus"]["records"] == 2 and src["Scopus"]["imports"] == 1, src
assert d["reports"] == 6 and d["duplicates"] == 0
assert d["stages"][0]["eligible"] == 6 and d["stages"][0]["pending"] == 6, d["stages"][0]
' || fail "status JSON counts are wrong"
