. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'export --format csv' giving a spreadsheet: a header row
# and one row per record, fields with commas, quotes and line breaks quoted
# so that a CSV reader gets the record back.
#
# The CSV writer is being written: until it is, the export says so and this
# case checks only that it fails cleanly (exit 1, nothing on stdout, no -o
# file). BibTeX export is in the same state and is not tested here.
R=$EXAMPLE/records
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
run import --db r.db "$R/medline-ovid.ris" "$R/scopus.ris" "$R/pubmed.nbib"
expect_exit 0
run export --db r.db --format csv -o out.csv
if grep -q 'not written yet' "$CASE_TMP/.err"; then
    expect_exit 1
    expect_err_lines 1
    [ ! -e out.csv ] || fail "out.csv was written by a failing export"
    expect_same "files" "$(ls | tr '\n' ' ')" "r.db "
    exit 0
fi
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
