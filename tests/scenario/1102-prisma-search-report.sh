# The PRISMA-S summary: a PubMed search run by winnow (against the loopback
# mock) with its query as sent and as PubMed ran it, its limits, the count
# PubMed reported and the records retrieved; an imported export with its
# file, hash, and the strategy and date the protocol records; and how
# duplicates were removed. Markdown for the paper's appendix, JSON for
# scripts.
. "$WINNOW_ROOT/tests/scenario/lib.sh"
. "$WINNOW_ROOT/tests/scenario/mock.sh"
mock_start
mock_config '{"pubmed":{"queries":{"social prescribing":{"count":120,"from":"2005/01/01","to":"2024/12/31"}}}}'
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
WINNOW_EMAIL=lead@example.org run search pubmed --db r.db 'social prescribing' --from 2005
expect_exit 0
run import --db r.db "$EXAMPLE/records/scopus.ris"
expect_exit 0
run dedupe --db r.db --quiet
expect_exit 0

run prisma --db r.db --search-report
expect_exit 0
expect_out '^# Search summary \(PRISMA-S\): Perceived benefits of social prescribing'
expect_out '^## PubMed via NCBI E-utilities$'
expect_out '^- How: searched by winnow through the pubmed API at http://127\.0\.0\.1:[0-9]+/.* \(search run 1\)$'
expect_out '^  social prescribing$'
expect_out '^- Query as the service ran it:$'
expect_out '^  \("social prescribing"\[All Fields\]\) AND 2005/01/01'
expect_out '^- Limits \(as sent\): \{.*"2005'
expect_out '^- Records: 120 reported, 120 retrieved, 120 stored \(complete\)$'
expect_out '^## Scopus via Elsevier Scopus$'
expect_out '^- How: searched by hand and exported; file .*scopus\.ris \(ris, scopus, SHA-256 [0-9a-f]{64}\)$'
expect_out '^- Date searched: 2021-04-12$'
expect_out '^  TITLE-ABS-KEY\(\("social prescri\*"'
expect_out '^- Records: 9 in the file$'
expect_out '^## Deduplication$'
expect_out '^- Software: winnow [0-9.]+, automatic rules'
expect_out '^- Run 1 \([0-9T:Z-]+, method rules-3\): 129 records compared'
sha=$(sha256sum "$EXAMPLE/records/scopus.ris" | cut -d' ' -f1)
expect_out "SHA-256 $sha"

run prisma --db r.db --search-report --format json -o report.json
expect_exit 0
python3 - report.json <<'PY' || fail "the JSON search report is wrong"
import json, sys
r = json.load(open(sys.argv[1]))
s, f = r['sources']
assert s['kind'] == 'search' and s['database'] == 'PubMed' and s['platform'] == 'NCBI E-utilities', s
assert s['query'] == 'social prescribing' and '[All Fields]' in s['query_translation'], s
assert s['records_reported'] == 120 and s['records_retrieved'] == 120 and s['status'] == 'complete', s
assert f['kind'] == 'file' and f['database'] == 'Scopus' and f['searched'] == '2021-04-12', f
assert f['records_stored'] == 9 and 'TITLE-ABS-KEY' in f['query'], f
d = r['deduplication']
assert d['runs'][0]['records_compared'] == 129 and d['runs'][0]['method'] == 'rules-3', d
assert d['duplicates_removed'] == sum(x['duplicates_removed'] for x in r['sources']), d
PY
run prisma --db r.db --search-report --format csv
expect_exit 2
run prisma --db r.db --format markdown
expect_exit 2
run init --db empty.db
run prisma --db empty.db --search-report
expect_exit 0
expect_out '^No searches were run or files imported\.$'
expect_out '^- Not run yet$'
