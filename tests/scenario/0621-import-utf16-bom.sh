. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a RIS file in UTF-16 with a byte order mark (EndNote,
# Excel on Windows) importing as text, accents intact, recorded as
# utf-16le or utf-16be, with every record read.
run init --db r.db
expect_exit 0
printf 'TY  - JOUR\r\nTI  - Caf\303\251 \342\200\223 UTF-16\r\nAU  - M\303\274ller, J\r\nER  - \r\n\r\nTY  - BOOK\r\nTI  - Second\r\nER  - \r\n\r\nTY  - JOUR\r\nTI  - Third\r\nER  - \r\n' >utf8.txt
printf '\377\376' >le.ris
iconv -f UTF-8 -t UTF-16LE utf8.txt >>le.ris || fail "iconv failed"
printf '\376\377' >be.ris
iconv -f UTF-8 -t UTF-16BE utf8.txt >>be.ris || fail "iconv failed"

run import --db r.db le.ris --source lib
expect_exit 0
expect_no_err
expect_out '^Imported le.ris as import 1: 3 records from lib \(ris; utf-16le, crlf line endings\)$'
expect_out '^  converted from utf-16le to UTF-8$'
run import --db r.db be.ris --source lib
expect_exit 0
expect_no_err
expect_out '^Imported be.ris as import 2: 3 records from lib \(ris; utf-16be, crlf line endings\)$'
expect_same "encodings" "$(sql r.db 'SELECT encoding || ":" || records_count FROM import_file ORDER BY id' | tr '\n' ' ')" \
    "utf-16le:3 utf-16be:3 "
expect_same "titles" "$(sql r.db 'SELECT title FROM record ORDER BY id' | tr '\n' '|')" \
    "Café – UTF-16|Second|Third|Café – UTF-16|Second|Third|"
expect_same "authors" "$(sql r.db 'SELECT authors FROM record WHERE position = 1 ORDER BY id' | tr '\n' ' ')" \
    '["Müller, J"] ["Müller, J"] '
expect_same "types" "$(sql r.db 'SELECT type FROM record WHERE import_file_id = 1 ORDER BY id' | tr '\n' ' ')" \
    "journal-article book journal-article "
expect_same "lines" "$(sql r.db 'SELECT line FROM record WHERE import_file_id = 1 ORDER BY id' | tr '\n' ' ')" "1 6 10 "
