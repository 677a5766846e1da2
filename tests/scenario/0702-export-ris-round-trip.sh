. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'export' RIS re-importing as the same records: moving
# records to another review (or tool) through RIS keeps title, authors,
# year, journal, volume, issue, pages, DOI, PMID, ISSN, keywords and the
# abstract, a multi-line abstract on its lines.
review_with_examples a.db
run export --db a.db -o out.ris
expect_exit 0
expect_err '^Exported 27 records to out.ris \(ris\)\.$'
[ ! -s "$CASE_TMP/.out" ] || fail "stdout is not empty with -o"
expect_same "TY lines" "$(grep -c '^TY  - ' out.ris)" 27
expect_same "ER lines" "$(grep -c '^ER  - ' out.ris)" 27

run init --db b.db
expect_exit 0
run import --db b.db out.ris --source exported
expect_exit 0
expect_no_err
expect_out '^Imported out.ris as import 1: 27 records from exported \(ris'
expect_out '^  read 27, stored 27, warnings 0; '

run export --db a.db --format json
expect_exit 0
stdout >a.json
run export --db b.db --format json
expect_exit 0
stdout >b.json
python3 - a.json b.json <<'PY' || fail "records changed on the way through RIS"
import json, sys
a = json.load(open(sys.argv[1], encoding="utf-8"))
b = json.load(open(sys.argv[2], encoding="utf-8"))
assert len(a) == len(b) == 27, (len(a), len(b))
fields = ["title", "authors", "year", "journal", "volume", "issue", "pages",
          "doi", "pmid", "issn", "keywords", "abstract"]
bad = [(x["id"], f, x[f], y[f]) for x, y in zip(a, b) for f in fields if x[f] != y[f]]
assert not bad, bad[:5]
# O6 (W09): an abstract wrapped over untagged lines, one of them starting
# "ERs": still one record, and the lines kept
o6 = [y for y in b if y["title"] and y["title"].startswith("Community health worker")]
assert len(o6) == 1
ab = o6[0]["abstract"]
assert ab.count("\n") == 11, ab
assert "\nERs (emergency rooms) or urgent care." in ab, ab
assert ab.endswith("older adults in US primary care."), ab
# accents and typographic characters survive
assert any(a == "Brennan, Ciar\u00e1n" for y in b for a in y["authors"])
assert any(y["title"] and "worker\u2013led" in y["title"] for y in b)
PY

# A multi-line abstract written by hand, continuation lines that look like
# tags included, goes through unchanged.
cat >notes.ris <<'RIS'
TY  - JOUR
TI  - Wrapped abstract
AU  - Smith, John
AB  - First line of the abstract.
Second line.
ER  is not the end of the record.
Fourth line.
PY  - 2019
ER  - 
RIS
run init --db c.db
expect_exit 0
run import --db c.db notes.ris --source lib
expect_exit 0
run export --db c.db -o notes-out.ris
expect_exit 0
run init --db d.db
expect_exit 0
run import --db d.db notes-out.ris --source lib
expect_exit 0
expect_no_err
want="First line of the abstract.
Second line.
ER  is not the end of the record.
Fourth line."
expect_same "abstract in" "$(sql c.db 'SELECT abstract FROM record')" "$want"
expect_same "abstract out" "$(sql d.db 'SELECT abstract FROM record')" "$want"
expect_same "year out" "$(sql d.db 'SELECT year FROM record')" 2019
