# A service that keeps failing: a bounded number of attempts, then a clear
# error naming the service and what was kept, the run marked failed in
# the review, and resume finishing it once the service is back.
. "$WINNOW_ROOT/tests/scenario/lib.sh"
. "$WINNOW_ROOT/tests/scenario/mock.sh"
mock_start
mock_config '{"pubmed":{"queries":{"sp":{"count":1200,"from":"2005/01/01","to":"2024/12/31"}}}}'
export WINNOW_RETRY_BASE=0.05 WINNOW_RETRIES=3
mock_fault '{"service":"eutils","endpoint":"efetch.fcgi","kind":"500","skip":1,"count":-1}'
run init --db r.db
run search pubmed --db r.db --quiet sp
expect_exit 1
expect_err '^winnow: PubMed E-utilities: EFetch: HTTP 500: 500 Internal Server Error$'
expect_err 'search 1 kept the 500 records stored before this; go on with: winnow search resume 1'
expect_same "attempts" "$(mock_count eutils efetch.fcgi 500)" 3
expect_same "kept" "$(sql r.db "SELECT status, count_retrieved, count(r.id) FROM search_run s JOIN record r ON r.search_run_id = s.id")" "failed|500|500"
run search list --db r.db
expect_out 'failed'
expect_out 'note: PubMed E-utilities: EFetch: HTTP 500'
mock_clear_faults
run search resume --db r.db --quiet 1
expect_exit 0
expect_out '^Search 1: 1200 records retrieved of 1200 reported \(complete\)$'
expect_same "after resume" "$(sql r.db 'SELECT count(*), count(DISTINCT pmid), max(position) FROM record')" "1200|1200|1200"
# the resumed run fetched only what was missing, by id
expect_same "fetched by id" "$(mock_log | python3 -c '
import json, sys
log = json.load(sys.stdin)
ids = [i for r in log if r["endpoint"] == "efetch.fcgi" and r["status"] == 200 and "id" in r["form"] for i in r["form"]["id"][0].split(",")]
print(len(ids), len(set(ids)))')" "700 700"
run search resume --db r.db 1
expect_exit 1
expect_err 'search 1 is complete: nothing to resume'
