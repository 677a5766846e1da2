# arXiv: pages of the Atom feed at least 3 seconds apart (no 429 from the
# mock, which enforces it), every entry stored once as a preprint; a feed
# whose one entry is an error is an error, never zero results.
. "$WINNOW_ROOT/tests/scenario/lib.sh"
. "$WINNOW_ROOT/tests/scenario/mock.sh"
mock_start
mock_config '{"arxiv":{"queries":{"all:loneliness":{"count":1500}},"interval":3.0}}'
run init --db r.db
run search arxiv --db r.db --quiet all:loneliness
expect_exit 0
expect_out '^Search 1: 1500 records retrieved of 1500 reported \(complete\)$'
expect_same "records" "$(sql r.db "SELECT count(*), count(DISTINCT source_id), sum(type = 'preprint'), sum(raw_format = 'arxiv-atom') FROM record")" "1500|1500|1500|1500"
expect_same "pages" "$(mock_count arxiv)" 2
expect_same "429s" "$(mock_count arxiv '' 429)" 0
gap=$(mock_min_gap arxiv)
python3 -c "import sys; sys.exit(float(sys.argv[1]) < 3.0)" "$gap" || fail "arXiv requests only $gap s apart"
mock_log | python3 -c '
import json, sys
log = [r for r in json.load(sys.stdin) if r["service"] == "arxiv"]
assert [r["query"]["start"] for r in log] == [["0"], ["1000"]], [r["query"] for r in log]
assert all(r["query"]["search_query"] == ["all:loneliness"] for r in log)
' || fail "arXiv paging is wrong"
mock_fault '{"service":"arxiv","kind":"error","count":-1}'
WINNOW_RETRIES=1 run search arxiv --db r.db --quiet all:loneliness
expect_exit 1
expect_err '^winnow: arXiv API: .*arXiv API error: '
expect_same "error run" "$(sql r.db 'SELECT status, count_retrieved FROM search_run WHERE id = 2')" "failed|0"
# a failure on the second page: the first is kept, resume asks from 1000
mock_reset
mock_fault '{"service":"arxiv","kind":"502","skip":1,"count":-1}'
WINNOW_RETRIES=1 run search arxiv --db r.db --quiet --max 1400 all:loneliness
expect_exit 1
expect_same "kept" "$(sql r.db 'SELECT status, count_retrieved FROM search_run WHERE id = 3')" "failed|1000"
mock_clear_faults
run search resume --db r.db --quiet 3
expect_exit 0
expect_out '^Search 3: 1400 records retrieved of 1500 reported'
expect_same "resumed from the offset" "$(mock_log | python3 -c '
import json, sys
print([r["query"]["start"][0] for r in json.load(sys.stdin) if r["service"] == "arxiv" and r["status"] == 200])')" "['0', '1000']"
expect_same "records" "$(sql r.db 'SELECT count(*), count(DISTINCT source_id) FROM record WHERE search_run_id = 3')" "1400|1400"
