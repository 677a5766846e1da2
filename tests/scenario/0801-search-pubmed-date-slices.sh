# More than PubMed's 10,000: the search is split into date slices, each
# under the cap, that add up to the whole; every record arrives once.
. "$WINNOW_ROOT/tests/scenario/lib.sh"
. "$WINNOW_ROOT/tests/scenario/mock.sh"
mock_start
mock_config '{"pubmed":{"queries":{"loneliness":{"count":12000,"from":"2000/01/01","to":"2020/12/31"}}}}'
run init --db r.db
run search pubmed --db r.db loneliness
expect_exit 0
expect_out '^Search 1: 12000 records retrieved of 12000 reported \(complete\)$'
expect_err 'more than the 9999 it lets a client fetch from one search: splitting by edat date'
expect_same "records" "$(sql r.db 'SELECT count(*), count(DISTINCT pmid) FROM record')" "12000|12000"
expect_same "slices" "$(sql r.db "SELECT count(*) > 1, max(count_reported) <= 9999, sum(count_reported), sum(count_retrieved), min(status) FROM search_part")" "1|1|12000|12000|complete"
expect_same "429s" "$(mock_count eutils '' 429)" 0
# the mock refuses EFetch past the 10,000th record: none was asked for
expect_same "efetch errors" "$(mock_log | python3 -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin) if r["endpoint"] == "efetch.fcgi" and int(r["form"].get("retstart", ["0"])[0]) >= 9999))')" 0
# a search's counts are what PRISMA-S reports: sealed as the search goes,
# so that a count or a slice changed behind winnow's back is found
run audit verify --db r.db
expect_exit 0
cp r.db recount.db
sqlite3 recount.db "UPDATE search_run SET count_reported = 15000 WHERE id = 1"
run audit verify --db recount.db
expect_exit 1
expect_err "row 1 of search_run was changed$"
cp r.db reslice.db
sqlite3 reslice.db "UPDATE search_part SET count_retrieved = count_retrieved - 1 WHERE seq = 2"
run audit verify --db reslice.db
expect_exit 1
expect_err "of search_part was changed$"
