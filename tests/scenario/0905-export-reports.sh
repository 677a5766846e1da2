. "$WINNOW_ROOT/tests/scenario/lib.sh"
# export --reports: one entry per report after dedupe, the cluster's primary
# record with what it lacks filled in from the cluster's other records, and
# JSON saying which record each filled field came from.
review_with_examples r.db
run import --db r.db --source grey-literature "$EXAMPLE/records/grey-literature.bib"
run dedupe --db r.db --quiet
expect_exit 0
run export --db r.db --format json
expect_exit 0
stdout >records.json
run export --db r.db --reports --format json
expect_exit 0
stdout >reports.json
records=$(sql r.db "SELECT count(*) FROM record")
removed=$(sql r.db "SELECT count(*) - count(DISTINCT cluster_id) FROM cluster_member")
primaries=$(sql r.db "SELECT group_concat(primary_record_id, ' ') FROM (SELECT primary_record_id FROM dedupe_cluster ORDER BY 1)")
python3 - "$records" "$removed" "$primaries" <<'PY' || fail "reports are wrong"
import json, sys
records = {r["id"]: r for r in json.load(open("records.json"))}
reports = json.load(open("reports.json"))
n, removed, primaries = int(sys.argv[1]), int(sys.argv[2]), {int(x) for x in sys.argv[3].split()}
assert removed > 0 and len(reports) == n - removed, (len(reports), n, removed)
ids = {r["id"] for r in reports}
# every cluster is there once, as its primary; a record in no cluster is its own report
assert primaries <= ids, primaries - ids
assert all(r["cluster"] == r["id"] for r in reports)
filled = 0
for rep in reports:
    own = records[rep["id"]]
    for field, source in rep.get("filled_from", {}).items():
        filled += 1
        assert not own[field], (rep["id"], field, own[field])
        assert records[source]["cluster"] == rep["id"], (field, source)
        assert rep[field] == records[source][field], (rep["id"], field)
    # nothing the primary has is replaced
    for field in ("title", "doi", "abstract", "journal", "pages", "volume"):
        if own[field]:
            assert rep[field] == own[field], (rep["id"], field)
assert filled > 0, "no report took a field from another record"
PY
# RIS of reports re-imports as that many records
run export --db r.db --reports --format ris -o reports.ris
expect_exit 0
run init --db again.db
run import --db again.db --source x reports.ris
expect_exit 0
expect_same "re-imported" "$(sql again.db "SELECT count(*) FROM record")" "$((records - removed))"
