. "$WINNOW_ROOT/tests/scenario/lib.sh"
# 'winnow why ID': where a record came from, its duplicates and every
# decision on them (who, when, score, rule, reason; the last in force), the
# reports linked to it, and its report's screening; text and JSON.
review_with_examples r.db
run dedupe --db r.db --quiet
expect_exit 0
# a record of W01 (PMID 90000001), which dedupe merged with two others
set -- $(sql r.db "SELECT r.id FROM record r JOIN cluster_member m ON m.record_id = r.id WHERE r.pmid = '90000001' ORDER BY r.id")
[ $# = 3 ] || fail "W01 should be in three records"
first=$1 second=$2 third=$3
primary=$(sql r.db "SELECT c.primary_record_id FROM dedupe_cluster c JOIN cluster_member m ON m.cluster_id = c.id WHERE m.record_id = $first")
run why --db r.db "$second"
expect_exit 0
expect_out "^Record $second: "
expect_out "^  from (medline|scopus|pubmed), file .*(ris|nbib) line [0-9]+, record [0-9]+ there$"
expect_out "^  cluster [0-9]+: record $first \([a-z]+\), record $second \([a-z]+\), record $third \([a-z]+\)$"
expect_out "^  record $primary stands for the report"
expect_out "^  pair [0-9]+ with record $first, score 1\.00, rule: same PMID$"
expect_out "auto: same report \(merged\) \(same PMID\)  <- in force$"
expect_out '^Screening \(report '"$primary"'\)$'
expect_out '^  title-abstract: pending$'
# a person takes the third record out: why says who, why, and what is in force
WINNOW_REVIEWER=alice run dedupe --db r.db split "$third" --reason "a different cohort"
run why --db r.db "$third"
expect_exit 0
expect_out '^  none: record '"$third"' is a report of its own$'
expect_out "alice: different reports \(a different cohort\)  <- in force$"
expect_out "auto: same report \(merged\) \(same PMID\)$"
run why --db r.db "$third" --format json
expect_exit 0
python3 - "$CASE_TMP/.out" "$third" "$first" <<'PY' || fail "why JSON is wrong"
import json, sys
why = json.load(open(sys.argv[1]))
third, first = int(sys.argv[2]), int(sys.argv[3])
assert why["record"]["id"] == third and why["cluster"] is None and why["report"] == third
pair = next(p for p in why["pairs"] if p["other"] == first)
assert pair["rule"] == "same PMID" and pair["score"] == 1.0 and pair["evidence"]["pmid"] == "same"
assert [d["decision"] for d in pair["decisions"]] == ["duplicate", "not_duplicate"], pair
last = pair["decisions"][-1]
assert last["actor"] == "alice" and last["reason"] == "a different cohort" and last["at"].endswith("Z")
assert [s["stage"] for s in why["screening"]] == ["title-abstract", "full-text"], why["screening"]
PY
# an erratum: linked to its article, never merged
erratum=$(sql r.db "SELECT record_id FROM record_relation WHERE kind = 'erratum_for' LIMIT 1")
article=$(sql r.db "SELECT related_id FROM record_relation WHERE kind = 'erratum_for' LIMIT 1")
run why --db r.db "$erratum"
expect_out "^  this record is an erratum for record $article \(linked by auto\)$"
run why --db r.db "$article"
expect_out "^  record $erratum is an erratum for this one \(linked by auto\)$"
# wrong arguments; no such record
run why --db r.db 999
expect_exit 1
expect_err '^winnow: no record 999 in the review'
run why --db r.db abc
expect_exit 2
run why --db r.db
expect_exit 2
run why --db r.db 1 --format csv
expect_exit 2
