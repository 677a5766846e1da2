# Europe PMC: core results as XML, paged by cursorMark until the cursor
# stops moving; faults retried; a run that gives up resumes from the next
# page it had not stored, fetching no page twice.
. "$WINNOW_ROOT/tests/scenario/lib.sh"
. "$WINNOW_ROOT/tests/scenario/mock.sh"
mock_start
mock_config '{"europepmc":{"queries":{"social prescribing":{"count":2500}}}}'
export WINNOW_RETRY_BASE=0.05
run init --db r.db
run search europepmc --db r.db --synonym 'social prescribing'
expect_exit 0
expect_out '^Search 1: 2500 records retrieved of 2500 reported \(complete\)$'
expect_same "records" "$(sql r.db 'SELECT count(*), count(DISTINCT source_id), sum(raw_format = '"'europepmc-xml'"'), sum(title IS NOT NULL AND abstract IS NOT NULL) FROM record')" "2500|2500|2500|2500"
mock_log >log.json
python3 - log.json <<'PY' || fail "requests are not what Europe PMC expects"
import json, sys
log = [r for r in json.load(open(sys.argv[1])) if r["service"] == "europepmc"]
# 3 pages of 1000 hold the records; the 4th comes back empty with the same cursor
assert len(log) == 4, len(log)
assert log[0]["query"]["cursorMark"] == ["*"], log[0]["query"]
for r in log:
    q = r["query"]
    assert q["format"] == ["xml"] and q["resultType"] == ["core"] and q["pageSize"] == ["1000"], q
    assert q["synonym"] == ["TRUE"], q
assert len({r["query"]["cursorMark"][0] for r in log}) == 4
PY
expect_same "limits" "$(sql r.db 'SELECT limits FROM search_run')" '{"synonym":true}'
# a service that fails after the first page: the run keeps it, resume goes on
# (without --synonym this is another search, with no previous run)
mock_reset
mock_fault '{"service":"europepmc","kind":"503","skip":1,"count":-1}'
WINNOW_RETRIES=2 run search europepmc --db r.db --quiet 'social prescribing'
expect_exit 1
expect_err '^winnow: Europe PMC: search: HTTP 503'
expect_same "kept" "$(sql r.db 'SELECT status, count_retrieved FROM search_run WHERE id = 2')" "failed|1000"
mock_clear_faults
run search resume --db r.db --quiet 2
expect_exit 0
expect_out '^Search 2: 2500 records retrieved of 2500 reported \(complete\)$'
expect_same "after resume" "$(sql r.db 'SELECT count(*), count(DISTINCT source_id) FROM record WHERE search_run_id = 2')" "2500|2500"
expect_same "pages asked for twice" "$(mock_log | python3 -c '
import json, sys
ok = [r["query"]["cursorMark"][0] for r in json.load(sys.stdin) if r["service"] == "europepmc" and r["status"] == 200]
print(len(ok) - len(set(ok)))')" 0
# an error that says 200 is an error, never "no results"
mock_reset
mock_fault '{"service":"europepmc","kind":"error","count":-1}'
WINNOW_RETRIES=2 run search europepmc --db r.db --quiet 'social prescribing'
expect_exit 1
expect_err 'Europe PMC error'
expect_same "no records from an error" "$(sql r.db 'SELECT count_retrieved, status FROM search_run WHERE id = 3')" "0|failed"
