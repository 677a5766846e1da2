. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on the JSON export keeping what the file said that has no
# field of its own (Scopus N1 notes, nbib OWN/STAT, Ovid DB) under "extra"
# with its tag, and on origin.line being the line the record starts on in
# its file, to find it in the file as exported.
R=$EXAMPLE/records
review_with_examples r.db
run export --db r.db --format json
expect_exit 0
stdout >all.json
grep -n '^TY  -' "$R/medline-ovid.ris" | cut -d: -f1 >ovid.lines
grep -n 'TY  -' "$R/scopus.ris" | cut -d: -f1 >scopus.lines
grep -n '^PMID-' "$R/pubmed.nbib" | cut -d: -f1 >nbib.lines
python3 - all.json <<'PY' || fail "extra or origin.line is wrong"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
lines = [int(x) for f in ("ovid.lines", "scopus.lines", "nbib.lines") for x in open(f)]
assert len(lines) == 27
got = [r["origin"]["line"] for r in d]
assert got == lines, (got, lines)
# the first Ovid record comes after the search-strategy header
assert d[0]["origin"]["line"] == 14, d[0]["origin"]["line"]
# the first Scopus record is on line 1 (after the BOM); the nbib file
# begins with a blank line
assert d[9]["origin"]["line"] == 1 and d[18]["origin"]["line"] == 2

for r in d[:9]:
    assert r["extra"].get("DB") == "Ovid MEDLINE(R) ALL", (r["id"], r["extra"])
for r in d[9:18]:
    n1 = r["extra"].get("N1")
    assert isinstance(n1, str) and "Export Date: 12 April 2021" in n1, (r["id"], n1)
    assert r["extra"].get("DB") == "Scopus"
assert d[9]["extra"]["N1"].startswith("Cited By: 7;"), d[9]["extra"]["N1"]
for r in d[18:]:
    assert r["extra"].get("OWN") == "NLM", (r["id"], r["extra"].get("OWN"))
    assert r["extra"].get("STAT") in ("MEDLINE", "PubMed-not-MEDLINE"), r["extra"].get("STAT")
# a tag that repeats becomes an array, in file order
assert d[18]["extra"]["AU"] == ["Hartley RJ", "Patel N", "Okonkwo A", "Brennan C"], d[18]["extra"].get("AU")
# the linking ISSN is kept beside the ISSN chosen
assert d[18]["extra"]["IS"] == "0966-0410 (Linking)", d[18]["extra"].get("IS")
PY
