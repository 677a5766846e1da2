. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'export --format csv' giving a spreadsheet: a header row
# and one row per record, fields with commas, quotes and line breaks quoted
# so that a CSV reader gets the record back.
# BibTeX export, likewise, must import back as the same number of records.
review_with_examples r.db
run export --db r.db --format csv -o out.csv
expect_exit 0
expect_err '^Exported 27 records to out.csv \(csv\)\.$'
run export --db r.db --format json
expect_exit 0
stdout >all.json
python3 - out.csv all.json <<'PY' || fail "the CSV export does not read back as the records"
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
d = json.load(open(sys.argv[2], encoding="utf-8"))
header = [h.strip().lower() for h in rows[0]]
body = rows[1:]
assert len(body) == 27, len(body)
assert all(len(r) == len(header) for r in body), "ragged rows"
for col in ("title", "year", "doi"):
    assert col in header, (col, header)
t, y, doi = header.index("title"), header.index("year"), header.index("doi")
for row, rec in zip(body, d):
    assert row[t] == rec["title"], (row[t], rec["title"])
    assert row[y] == str(rec["year"]), (row[y], rec["year"])
    assert row[doi] == (rec["doi"] or ""), (row[doi], rec["doi"])
if "abstract" in header:
    a = header.index("abstract")
    assert body[5][a] == d[5]["abstract"], "multi-line abstract not kept"
PY

run export --db r.db --format bibtex -o out.bib
expect_exit 0
expect_err '^Exported 27 records to out.bib \(bibtex\)\.$'
run init --db b.db
expect_exit 0
run import --db b.db --source scopus out.bib
expect_exit 0
expect_out '^Imported out.bib as import 1: 27 records from scopus \(bibtex'
expect_same "titles through BibTeX" "$(sql b.db 'SELECT title FROM record ORDER BY id' | md5sum)" \
    "$(sql r.db 'SELECT title FROM record ORDER BY id' | md5sum)"
