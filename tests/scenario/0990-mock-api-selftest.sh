# The loopback mock of E-utilities, Europe PMC, arXiv and Crossref that the
# network scenarios run against: its own unittest suite, then the shell
# helpers of mock.sh (start, control, log, stop with the case).
. "$WINNOW_ROOT/tests/scenario/lib.sh"
. "$WINNOW_ROOT/tests/scenario/mock.sh"

python3 "$WINNOW_ROOT/tests/mock/test_mock_api.py" >"$CASE_TMP/.unittest" 2>&1 ||
    { cat "$CASE_TMP/.unittest"; fail "tests/mock/test_mock_api.py failed"; }

# GET URL [HEADER]: print the status and the body of one request
fetch() {
    python3 - "$@" <<'PY'
import sys, urllib.request, urllib.error
req = urllib.request.Request(sys.argv[1], headers=dict([sys.argv[2].split(": ", 1)]) if len(sys.argv) > 2 else {})
try:
    with urllib.request.urlopen(req, timeout=10) as r:
        status, body = r.status, r.read()
except urllib.error.HTTPError as e:
    status, body = e.code, e.read()
print(status)
sys.stdout.write(body.decode("utf-8", "replace"))
PY
}

printf '%s\n' '{"pubmed": {"queries": {"social prescribing": {"count": 7}}},
 "arxiv": {"queries": {}, "interval": 3}}' >cfg.json
mock_start cfg.json
case $WINNOW_EUTILS_URL in http://127.0.0.1:*/entrez/eutils/) ;; *) fail "WINNOW_EUTILS_URL=$WINNOW_EUTILS_URL" ;; esac
expect_same "Europe PMC URL" "$WINNOW_EUROPEPMC_URL" "$MOCK_URL/europepmc/webservices/rest/"
expect_same "arXiv URL" "$WINNOW_ARXIV_URL" "$MOCK_URL/api/"
expect_same "Crossref URL" "$WINNOW_CROSSREF_URL" "$MOCK_URL/"

fetch "${WINNOW_EUTILS_URL}esearch.fcgi?db=pubmed&term=social+prescribing" >out.txt
grep -q '^200$' out.txt && grep -q '<Count>7</Count>' out.txt || { cat out.txt; fail "esearch with the config file"; }

mock_config '{"pubmed": {"queries": {"social prescribing": {"count": 9}}}, "arxiv": {"interval": 3}}'
mock_add '{"service":"pubmed","query":"social prescribing","count":2}' >added.json
grep -q '"ids": \[' added.json || { cat added.json; fail "mock_add printed no ids"; }
fetch "${WINNOW_EUTILS_URL}esearch.fcgi?db=pubmed&term=social+prescribing" >out.txt
grep -q '<Count>11</Count>' out.txt || { cat out.txt; fail "config and add"; }

mock_fault '{"service":"arxiv","kind":"503","count":1}'
fetch "${WINNOW_ARXIV_URL}query?search_query=all:x" >out.txt
grep -q '^503$' out.txt || { cat out.txt; fail "arXiv fault"; }
fetch "${WINNOW_ARXIV_URL}query?search_query=all:x" >out.txt
grep -q '^429$' out.txt || { cat out.txt; fail "arXiv: a second request within 3 s is not refused"; }

mock_fault '{"service":"crossref","kind":"500","count":-1}'
mock_clear_faults
fetch "${WINNOW_CROSSREF_URL}works/10.5555/nothing/transform/application/vnd.crossref.unixsd+xml" >out.txt
grep -q '^404$' out.txt || { cat out.txt; fail "faults not cleared"; }

expect_same "requests logged" "$(mock_count)" 5
expect_same "arXiv 429s" "$(mock_count arxiv '' 429)" 1
expect_same "eutils requests" "$(mock_count eutils esearch.fcgi)" 2
gap=$(mock_min_gap eutils)
case $gap in [0-9]*.[0-9][0-9][0-9]) ;; *) fail "mock_min_gap printed '$gap'" ;; esac
mock_log >log.json
python3 -c 'import json,sys; l=json.load(open("log.json")); sys.exit(not (len(l) == 5 and l[2]["fault"] == "503"))' ||
    fail "mock_log"

mock_expire
mock_reset
expect_same "log after reset" "$(mock_count)" 0

# the mock goes away with the case (the EXIT trap of lib.sh still runs too)
pid=$MOCK_PID
kill -0 "$pid" || fail "the mock is not running"
mock_stop
kill -0 "$pid" 2>/dev/null && fail "mock_stop left the mock running"
exit 0
