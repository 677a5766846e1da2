. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a RIS file written in Windows-1252 (older Windows tools)
# being recognised and converted: accents, dashes and curly quotes come out
# right in the records and exports, the file is recorded as windows-1252,
# and the summary says it was converted.
run init --db r.db
expect_exit 0
# Windows-1252 bytes, in octal (sh's printf has no \x): é = \351 (0xe9),
# è = \350, en dash = \226, curly double quotes = \223 \224
printf 'TY  - JOUR\r\nTI  - Caf\351 culture and loneliness \226 a study\r\nAU  - Lef\350vre, Aur\351lie\r\nPY  - 2020\r\nER  - \r\n\r\nTY  - JOUR\r\nTI  - The \223quoted\224 title\r\nER  - \r\n' >cp1252.ris
run import --db r.db cp1252.ris --source lib
expect_exit 0
expect_no_err
expect_out '^Imported cp1252.ris as import 1: 2 records from lib \(ris; windows-1252, crlf line endings\)$'
expect_out '^  converted from windows-1252 to UTF-8$'
expect_same "encoding" "$(sql r.db 'SELECT encoding || "|" || records_count || "|" || size_bytes FROM import_file')" \
    "windows-1252|2|$(wc -c <cp1252.ris)"
expect_same "sha256 of the bytes as given" "$(sql r.db 'SELECT sha256 FROM import_file')" "$(checksum cp1252.ris)"
expect_same "stored title" "$(sql r.db 'SELECT title FROM record WHERE position = 1')" \
    "Café culture and loneliness – a study"

run export --db r.db --format json
expect_exit 0
stdout >out.json
python3 - out.json <<'PY' || fail "JSON export of the converted records is wrong"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert len(d) == 2, len(d)
assert d[0]["title"] == "Caf\u00e9 culture and loneliness \u2013 a study", d[0]["title"]
assert d[0]["authors"] == ["Lef\u00e8vre, Aur\u00e9lie"], d[0]["authors"]
assert d[1]["title"] == "The \u201cquoted\u201d title", d[1]["title"]
PY
