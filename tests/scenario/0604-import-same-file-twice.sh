. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'import' refusing (exit 1) a file whose bytes were
# imported before, under any name, saying when and pointing to --again,
# with nothing added.
R=$EXAMPLE/records
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
run import --db r.db "$R/scopus.ris"
expect_exit 0
state() {
    sql r.db "SELECT (SELECT count(*) FROM import_file) || ' ' || (SELECT count(*) FROM record) || ' ' || (SELECT count(*) FROM audit_log WHERE action <> 'seal')"
}
before=$(state)
expect_same "after one import" "$before" "1 9 3"
when=$(sql r.db 'SELECT imported_at FROM import_file WHERE id = 1')

run import --db r.db "$R/scopus.ris"
expect_exit 1
[ ! -s "$CASE_TMP/.out" ] || fail "stdout is not empty"
expect_err "^winnow: '$R/scopus.ris' was already imported \(import 1, $when; same SHA-256\); use --again to import it again$"
expect_err_lines 1
expect_same "nothing added" "$(state)" "$before"

# the same bytes under another name are the same file
cp "$R/scopus.ris" copy.ris
run import --db r.db copy.ris --source scopus
expect_exit 1
expect_err "^winnow: 'copy.ris' was already imported \(import 1, .*--again"
expect_same "nothing added (copy)" "$(state)" "$before"

# one changed byte is another file
sed 's/Cited By: 7/Cited By: 8/' "$R/scopus.ris" >changed.ris
run import --db r.db changed.ris
expect_exit 0
expect_out 'as import 2: 9 records from scopus'

# A file of over 1 MiB is hashed on a second thread, beside the reading
# when no earlier import had its size. Its recorded SHA-256 is the file's
# either way, and a second import of it is refused all the same.
i=0
: >big.bib
while [ $i -lt 250 ]; do cat "$R/grey-literature.bib" >>big.bib; i=$((i + 1)); done
[ "$(wc -c <big.bib)" -gt 1048576 ] || fail "big.bib is not over 1 MiB"
hash_of() { sha256sum "$1" | cut -d' ' -f1; }
recorded() { sql r.db "SELECT sha256 FROM import_file WHERE path = '$1'"; }
run import --db r.db --dry-run big.bib --source grey-literature
expect_exit 0
run import --db r.db big.bib --source grey-literature
expect_exit 0
expect_same "big file's hash" "$(recorded big.bib)" "$(hash_of big.bib)"
before=$(state)
cp big.bib big-copy.bib
run import --db r.db big-copy.bib --source grey-literature
expect_exit 1
expect_err "^winnow: 'big-copy.bib' was already imported \(import 3, .*--again"
expect_same "nothing added (big copy)" "$(state)" "$before"
# the same size, one byte changed: hashed before reading, and new
sed '0,/2019/s//2018/' big.bib >big-changed.bib
[ "$(wc -c <big-changed.bib)" = "$(wc -c <big.bib)" ] || fail "big-changed.bib changed size"
run import --db r.db big-changed.bib --source grey-literature
expect_exit 0
expect_same "changed big file's hash" "$(recorded big-changed.bib)" "$(hash_of big-changed.bib)"
