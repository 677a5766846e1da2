. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on one 'import' command of several files keeping all of
# them or none: when a later file fails (empty, not a known format, already
# imported) the command exits 1, says nothing was imported, and the records
# of the earlier, good files are not kept either.
R=$EXAMPLE/records
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
state() {
    sql r.db "SELECT (SELECT count(*) FROM import_file) || ' ' || (SELECT count(*) FROM record) || ' ' || (SELECT count(*) FROM audit_log WHERE action <> 'seal')"
}
before=$(state)
: >empty.ris
printf 'Dear colleague,\nplease find the references attached.\n' >letter.txt

run import --db r.db "$R/medline-ovid.ris" "$R/scopus.ris" empty.ris
expect_exit 1
expect_err "^winnow: 'empty.ris' is empty$"
expect_err '^winnow: nothing was imported \(no file of this command is kept when one fails\)$'
expect_err_lines 2
expect_same "after empty" "$(state)" "$before"

run import --db r.db "$R/medline-ovid.ris" "$R/pubmed.nbib" letter.txt
expect_exit 1
expect_err "^winnow: cannot tell the format of 'letter.txt'; name it with --format"
expect_err '^winnow: nothing was imported'
expect_same "after unknown format" "$(state)" "$before"

# the same file twice in one command: the second is refused, and the first
# goes with it
run import --db r.db "$R/pubmed.nbib" "$R/pubmed.nbib"
expect_exit 1
expect_err "^winnow: '$R/pubmed.nbib' was already imported"
expect_err '^winnow: nothing was imported'
expect_same "after same file twice" "$(state)" "$before"

# a missing last file
run import --db r.db "$R/scopus.ris" nosuch.ris
expect_exit 1
expect_err "^winnow: cannot read 'nosuch.ris': No such file or directory$"
expect_same "after missing file" "$(state)" "$before"

# and the good files still import afterwards, numbered from 1
run import --db r.db "$R/medline-ovid.ris" "$R/scopus.ris"
expect_exit 0
expect_out 'as import 1: 9 records from medline'
expect_out 'as import 2: 9 records from scopus'
expect_same "after good files" "$(state)" "2 18 4"
