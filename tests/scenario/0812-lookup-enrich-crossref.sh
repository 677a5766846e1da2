# Crossref look-ups: enrich fills only the fields a record lacks, keeps
# Crossref's XML and what it filled beside the record with an audit entry,
# never asks twice; an unknown DOI is said and kept as such; lookup doi
# prints Crossref's record; the pace follows Crossref's rate-limit headers.
. "$WINNOW_ROOT/tests/scenario/lib.sh"
. "$WINNOW_ROOT/tests/scenario/mock.sh"
mock_start
mock_config '{"crossref":{"dois":{"10.5555/sp.1":{"title":"Social prescribing and loneliness","abstract":"Link workers helped.","journal":"Journal of Community Health","year":2019}},"rate_limit":5,"rate_interval":1}}'
cat >few.ris <<'RIS'
TY  - JOUR
TI  - Link workers and loneliness
DO  - https://doi.org/10.5555/SP.1
ER  - 

TY  - JOUR
TI  - Nobody knows this one
DO  - 10.9999/nobody.knows
ER  - 

TY  - JOUR
TI  - Complete already
AB  - Our own abstract.
JO  - Our Journal
PY  - 2001
DO  - 10.5555/sp.1
ER  - 
RIS
run init --db r.db
run import --db r.db --source scopus few.ris
expect_exit 0
WINNOW_EMAIL=lead@example.org run enrich --db r.db --crossref
expect_exit 0
expect_out '^Looked up 2 DOIs in Crossref: 1 found, 1 unknown; 1 stored record filled in'
expect_err 'Crossref does not know 10.9999/nobody.knows'
expect_same "filled" "$(sql r.db "SELECT title, abstract, journal, year FROM record WHERE id = 1")" "Link workers and loneliness|Link workers helped.|Journal of Community Health|2019"
expect_same "complete record untouched" "$(sql r.db "SELECT abstract, journal, year FROM record WHERE id = 3")" "Our own abstract.|Our Journal|2001"
expect_same "raw kept as imported" "$(sql r.db "SELECT CAST(raw AS TEXT) LIKE 'TY  - JOUR%' FROM record WHERE id = 1")" 1
expect_same "enrichment kept" "$(sql r.db "SELECT record_id, found, json_extract(fields, '\$.abstract'), CAST(raw AS TEXT) LIKE '%10.5555/sp.1%' FROM record_enrichment ORDER BY record_id")" "1|1|Link workers helped.|1
2|0||"
expect_same "audited" "$(sql r.db "SELECT count(*) FROM audit_log WHERE action = 'enrich'")" 2
expect_same "mailto" "$(mock_log | python3 -c 'import json,sys; print(all(r.get("mailto") for r in json.load(sys.stdin) if r["service"] == "crossref"))')" True
expect_same "content negotiation" "$(mock_log | python3 -c 'import json,sys; print(all(r["headers"].get("Accept") == "application/vnd.crossref.unixsd+xml" for r in json.load(sys.stdin) if r["service"] == "crossref"))')" True
# nothing left to ask: no request
before=$(mock_count crossref)
run enrich --db r.db --crossref
expect_exit 0
expect_out '^Looked up 0 DOIs'
expect_same "no second ask" "$(mock_count crossref)" "$before"
# lookup doi prints Crossref's record; the same DOI written twice is one request
mock_reset
run lookup doi --db r.db 10.5555/sp.1 https://doi.org/10.5555/SP.1
expect_exit 0
stdout | python3 -c '
import json, sys
(r,) = json.load(sys.stdin)
assert r["doi"] == "10.5555/sp.1" and r["title"] == "Social prescribing and loneliness", r
' || fail "lookup did not print the record"
expect_same "one request" "$(mock_count crossref)" 1
# at 5 a second by the headers, 12 look-ups provoke no 429
mock_reset
run lookup doi --db r.db $(seq -f '10.5555/mock.%g' 1 12)
expect_same "429s" "$(mock_count crossref '' 429)" 0
# ... and no slower than the headers ask: 5 a second is 0.2 s apart
gap=$(mock_min_gap crossref)
python3 -c "import sys; g = float(sys.argv[1]); sys.exit(not (0.19 <= g < 0.5))" "$gap" ||
    fail "Crossref's headers say 5 a second; requests were at least $gap s apart"
run lookup doi --db r.db not-a-doi
expect_exit 1
expect_err "'not-a-doi' is not a DOI"
run enrich --db r.db
expect_exit 2
expect_err 'say where from: --crossref'
# a failing Crossref is retried; a persistent one is an error naming it
mock_reset
mock_fault '{"service":"crossref","kind":"503","count":1}'
WINNOW_RETRY_BASE=0.05 run lookup doi --db r.db 10.5555/sp.1
expect_exit 0
expect_err 'Crossref: 10.5555/sp.1: HTTP 503.*trying again'
mock_fault '{"service":"crossref","kind":"500","count":-1}'
WINNOW_RETRY_BASE=0.05 WINNOW_RETRIES=2 run lookup doi --db r.db 10.5555/sp.1
expect_exit 1
expect_err '^winnow: Crossref: 10.5555/sp.1: HTTP 500'
# everything above left an audit trail that verifies
run audit verify --db r.db
expect_exit 0
# what a look-up filled is sealed as filled: the fields Crossref gave and
# the ones the import gave are both found changed behind winnow's back
tamper() { # NAME SQL
    cp r.db "$1.db"
    sqlite3 "$1.db" "$2" || fail "cannot tamper with $1.db"
    run audit verify --db "$1.db"
    expect_exit 1
}
tamper filled "UPDATE record SET abstract = 'Link workers did not help.' WHERE id = 1"
expect_err "row 1 of record_fields was changed$"
tamper emptied "UPDATE record SET journal = NULL WHERE id = 1"
expect_err "row 1 of record_fields was changed$"
tamper rekeyed "UPDATE record SET title_key = 'something else' WHERE id = 1"
expect_err "row 1 of record_fields was changed$"
tamper imported "UPDATE record SET year = 2002 WHERE id = 3"
expect_err "row 3 of record_fields was changed$"
tamper unfilled "UPDATE record_enrichment SET fields = '{}' WHERE record_id = 1"
expect_err "of record_enrichment was changed$"
