. "$WINNOW_ROOT/tests/scenario/lib.sh"
# By hand: split a record out of its cluster (a later run does not merge it
# back), merge two records, decide a pair; each recorded with who and why,
# and listed by 'dedupe pairs' in TSV and JSON.
R=$EXAMPLE/records
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
run import --db r.db "$R/medline-ovid.ris" "$R/scopus.ris" "$R/pubmed.nbib"
run dedupe --db r.db --quiet
expect_exit 0
# the three records of W01 (PMID 90000001)
w01=$(sql r.db "SELECT group_concat(id, ' ') FROM (SELECT r.id FROM record r JOIN cluster_member m ON m.record_id = r.id WHERE r.pmid = '90000001' ORDER BY r.id)")
set -- $w01
[ $# = 3 ] || fail "W01 should be a cluster of 3, got '$w01'"
first=$1 last=$3
WINNOW_REVIEWER=alice run dedupe --db r.db split "$last" --reason "checking"
expect_exit 0
expect_out "^Record $last is out of its cluster"
expect_same "out" "$(sql r.db "SELECT count(*) FROM cluster_member WHERE record_id = $last")" 0
expect_same "decided by alice" "$(sql r.db "SELECT count(*) FROM pair_decision WHERE actor = 'alice' AND decision = 'not_duplicate' AND reason = 'checking'")" 2
expect_same "audited" "$(sql r.db "SELECT actor FROM audit_log WHERE action = 'dedupe.split'")" alice
# a new run keeps to the person's decision
run import --db r.db --source grey-literature "$R/grey-literature.bib"
run dedupe --db r.db --quiet
expect_same "still out" "$(sql r.db "SELECT count(*) FROM cluster_member WHERE record_id = $last")" 0
# merge it back by hand
WINNOW_REVIEWER=bob run dedupe --db r.db merge "$first" "$last"
expect_exit 0
expect_same "back in" "$(sql r.db "SELECT count(DISTINCT cluster_id) FROM cluster_member WHERE record_id IN ($first, $last)")" 1
expect_same "merge audited" "$(sql r.db "SELECT actor FROM audit_log WHERE action = 'dedupe.merge'")" bob
run dedupe --db r.db merge "$first" "$last"
expect_exit 1
expect_err 'already in one cluster'
# pairs: TSV header and rows, JSON with evidence
run dedupe --db r.db pairs --status merged
expect_exit 0
expect_out '^pair	record_a	record_b	score	status	rule	actor	title_a	title_b$'
expect_out '	merged	same PMID	auto	'
run dedupe --db r.db pairs --format json --status related
expect_exit 0
python3 - "$CASE_TMP/.out" <<'PY' || fail "pairs JSON is wrong"
import json, sys
pairs = json.load(open(sys.argv[1]))
assert pairs and all(p["status"] == "related" for p in pairs), pairs
assert all(p["evidence"]["rule"] == "different kinds of document" for p in pairs)
PY
# decide a related pair as different, by pair id
pair=$(sql r.db "SELECT id FROM dedupe_pair ORDER BY id DESC LIMIT 1")
WINNOW_REVIEWER=carol run dedupe --db r.db decide "$pair" different --reason "not the same"
expect_exit 0
expect_same "superseding decision" "$(sql r.db "SELECT decision || '|' || actor || '|' || (supersedes IS NOT NULL) FROM pair_decision WHERE pair_id = $pair ORDER BY id DESC LIMIT 1")" "not_duplicate|carol|1"
# the rules, for people
run dedupe --db r.db --explain
expect_exit 0
expect_out '^Never merged'
expect_out '^preference \(medline, pubmed, scopus, grey-literature\), then to the earliest record\.$'
# everything above left an audit trail that verifies
run audit verify --db r.db
expect_exit 0
