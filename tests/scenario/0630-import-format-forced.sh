. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on --format overriding detection: the right format named
# reads the file as detection would; a file that holds nothing in the
# named format is refused (exit 1) saying so; and a PubMed .nbib file read
# as RIS does not slip in unnoticed: it warns and, with a protocol to check
# against, is refused with nothing stored.
R=$EXAMPLE/records
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
state() {
    sql r.db "SELECT (SELECT count(*) FROM import_file) || ' ' || (SELECT count(*) FROM record) || ' ' || (SELECT count(*) FROM audit_log)"
}
before=$(state)

# .nbib read as RIS: its two-letter tags look like RIS, but it has no TY
# and no ER
run import --db r.db "$R/pubmed.nbib" --format ris
expect_exit 1
expect_err "^winnow: warning: $R/pubmed.nbib:[0-9]+: record starts with [A-Z]+, not TY"
expect_err "^winnow: cannot tell which of the protocol's databases '$R/pubmed.nbib' came from"
expect_not_out 'Imported'
expect_same "nbib as ris" "$(state)" "$before"

# text with no RIS tag line at all
printf 'Dear colleague,\nplease find the references attached.\n' >letter.txt
run import --db r.db letter.txt --format ris --source medline
expect_exit 1
expect_err "^winnow: 'letter.txt' holds no records read as ris$"
expect_err_lines 1
expect_same "letter as ris" "$(state)" "$before"

# an empty file named as RIS
: >empty.ris
run import --db r.db empty.ris --format ris --source medline
expect_exit 1
expect_err "^winnow: 'empty.ris' holds no records read as ris$"
expect_same "empty as ris" "$(state)" "$before"

# without --format the message says the format was detected (tag lines,
# but no record among them)
printf 'ER  - \nER  - \nER  - \n' >hollow.ris
run import --db r.db hollow.ris --source medline
expect_exit 1
expect_err '^winnow: warning: hollow.ris:3: ER with no record open; ignored$'
expect_err "^winnow: 'hollow.ris' holds no records read as ris \(detected; use --format if that is wrong\)$"
expect_same "hollow" "$(state)" "$before"

# the right format, named
run import --db r.db "$R/pubmed.nbib" --format nbib
expect_exit 0
expect_no_err
expect_out "^Imported $R/pubmed.nbib as import 1: 9 records from pubmed \(nbib, pubmed; "
run import --db r.db -f ris "$R/scopus.ris"
expect_exit 0
expect_out "as import 2: 9 records from scopus \(ris, scopus; "
