. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a RIS file with old Mac line ends (CR only) importing
# record by record, lines counted as lines, a wrapped abstract kept on its
# lines, and the line ends recorded in the summary.
run init --db r.db
expect_exit 0
printf 'TY  - JOUR\rTI  - CR only, one\rAU  - Smith, J\rER  - \r\rTY  - JOUR\rTI  - CR only, two\rAB  - line one\rline two\rER  - \r\rTY  - JOUR\rTI  - CR only, three\rER  - \r' >cr.ris
run import --db r.db cr.ris --source lib
expect_exit 0
expect_no_err
expect_out '^Imported cr.ris as import 1: 3 records from lib \(ris(, [a-z]+)?; utf-8, cr line endings\)$'
expect_out '^  read 3, stored 3, warnings 0; '
expect_same "records" "$(sql r.db 'SELECT position || ":" || line || ":" || title FROM record ORDER BY id' | tr '\n' '|')" \
    "1:1:CR only, one|2:6:CR only, two|3:12:CR only, three|"
expect_same "abstract" "$(sql r.db 'SELECT abstract FROM record WHERE position = 2')" "line one
line two"
expect_same "encoding" "$(sql r.db 'SELECT encoding || ":" || records_count FROM import_file')" "utf-8:3"
