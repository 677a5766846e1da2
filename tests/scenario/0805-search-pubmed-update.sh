# A review update: the same search run again later is a new run that says
# how many records are new since the last one.
. "$WINNOW_ROOT/tests/scenario/lib.sh"
. "$WINNOW_ROOT/tests/scenario/mock.sh"
mock_start
mock_config '{"pubmed":{"queries":{"sp":{"count":40,"from":"2005/01/01","to":"2020/12/31"}}}}'
run init --db r.db
run search pubmed --db r.db --quiet sp
expect_exit 0
mock_add '{"service":"pubmed","query":"sp","count":7}' >/dev/null
run search pubmed --db r.db --quiet sp
expect_exit 0
expect_out '^Search 2: 47 records retrieved of 47 reported; 7 new since search 1 \(complete\)$'
run search list --db r.db --format json
stdout | python3 -c '
import json, sys
a, b = json.load(sys.stdin)
assert (a["records_new"], a["previous_run"]) == (40, None), a
assert (b["records_new"], b["previous_run"], b["count_retrieved"]) == (7, 1, 47), b
' || fail "search list does not show the update"
# a different limit is a different search
run search pubmed --db r.db --quiet --from 2010 --to 2012 sp
expect_exit 0
expect_not_out 'new since'
expect_same "limits kept" "$(sql r.db 'SELECT limits FROM search_run WHERE id = 3')" '{"from":"2010","to":"2012"}'
