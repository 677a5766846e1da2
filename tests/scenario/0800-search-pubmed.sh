# A PubMed search against the loopback mock: every record stored once, the
# query as PubMed ran it, EFetch by POST with tool/email, winnow's
# User-Agent, no request faster than NCBI's 3 a second and no 429.
. "$WINNOW_ROOT/tests/scenario/lib.sh"
. "$WINNOW_ROOT/tests/scenario/mock.sh"
mock_start
mock_config '{"pubmed":{"queries":{"social prescribing":{"count":1200,"from":"2005/01/01","to":"2024/12/31"}}}}'
run init --db r.db
WINNOW_EMAIL=lead@example.org run search pubmed --db r.db 'social prescribing'
expect_exit 0
expect_out '^Search 1: 1200 records retrieved of 1200 reported \(complete\)$'
expect_out 'query as run: "social prescribing"\[All Fields\]'
expect_same "records" "$(sql r.db 'SELECT count(*), count(DISTINCT pmid), min(position), max(position) FROM record WHERE search_run_id = 1')" "1200|1200|1|1200"
expect_same "raw kept" "$(sql r.db "SELECT count(*) FROM record WHERE CAST(raw AS TEXT) LIKE '<PubmedArticle>%' AND raw_format = 'pubmed-xml'")" 1200
expect_same "fields" "$(sql r.db "SELECT count(*) FROM record WHERE title IS NOT NULL AND doi LIKE '10.5555/mock.%' AND year > 2000")" 1200
expect_same "429s" "$(mock_count eutils '' 429)" 0
expect_same "efetch batches" "$(mock_count eutils efetch.fcgi)" 3
mock_log >log.json
python3 - log.json <<'PY' || fail "requests are not what NCBI asks for"
import json, sys
log = json.load(open(sys.argv[1]))
fetch = [r for r in log if r["endpoint"] == "efetch.fcgi"]
assert all(r["method"] == "POST" for r in fetch), "EFetch is not POST"
for r in log:
    assert r["form"].get("tool") == ["winnow"], r["form"]
    assert r["form"].get("email") == ["lead@example.org"], r["form"]
    assert r["headers"]["User-Agent"].startswith("winnow/"), r["headers"]
assert [r["form"]["retmax"] for r in fetch] == [["500"], ["500"], ["200"]], [r["form"] for r in fetch]
gaps = [b["t"] - a["t"] for a, b in zip(log, log[1:])]
assert min(gaps) >= 0.33, min(gaps)
PY
run search list --db r.db --format json
expect_exit 0
stdout >list.json
python3 - list.json <<'PY' || fail "search list is wrong"
import json, sys
(r,) = json.load(open(sys.argv[1]))
assert r["source"] == "pubmed" and r["query"] == "social prescribing", r
assert r["query_translation"] == '"social prescribing"[All Fields]', r
assert r["count_reported"] == 1200 and r["count_retrieved"] == 1200, r
assert r["records_new"] == 1200 and r["previous_run"] is None, r
assert r["status"] == "complete" and r["finished_at"].endswith("Z"), r
assert r["base_url"].endswith("/entrez/eutils/"), r
PY
expect_same "audit" "$(sql r.db "SELECT group_concat(DISTINCT action) FROM audit_log WHERE entity = 'search_run'")" "search,search-batch,search-finish"
