. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on --strict turning any warning into a failure: a damaged
# RIS file imports nothing (exit 1, the problem named as FILE:LINE), and
# neither do the good files named with it; a clean file still imports.
run init --db r.db
expect_exit 0
printf 'TY  - JOUR\nTI  - Fine\nER  - \n' >good.ris
printf 'TY  - JOUR\nTI  - One\nER  - \n\nTY  - JOUR\nTI  - Two, truncated\n' >bad.ris
before=$(checksum r.db)
run import --db r.db good.ris bad.ris --source lib --strict
expect_exit 1
expect_err '^winnow: bad.ris:5: last record has no ER line \(--strict: nothing imported\)$'
expect_err '^winnow: nothing was imported'
expect_same "unchanged" "$(checksum r.db)" "$before"
expect_same "imports" "$(sql r.db 'SELECT count(*) FROM import_file')" 0
expect_same "records" "$(sql r.db 'SELECT count(*) FROM record')" 0

run import --db r.db bad.ris --source lib --strict
expect_exit 1
expect_err '^winnow: bad.ris:5: last record has no ER line \(--strict: nothing imported\)$'
expect_same "unchanged (alone)" "$(checksum r.db)" "$before"

run import --db r.db good.ris --source lib --strict
expect_exit 0
expect_no_err
expect_out 'as import 1: 1 record from lib'
