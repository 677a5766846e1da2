. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'export -o FILE' writing FILE only when the export
# succeeds: a failing export (exit 1) leaves an existing FILE as it was and
# leaves no half-written file behind; a successful one replaces it, says
# how many records went where on stderr and writes nothing on stdout.
R=$EXAMPLE/records
run init --db r.db
expect_exit 0
run import --db r.db "$R/scopus.ris"
expect_exit 0
echo "my precious earlier export" >out.ris
before=$(checksum out.ris)

# no protocol, so no stages: --where has nothing to refer to
run export --db r.db --where included -o out.ris
expect_exit 1
[ ! -s "$CASE_TMP/.out" ] || fail "stdout is not empty"
expect_err '^winnow: the review has no screening stages yet \(load a protocol\)$'
expect_err_lines 1
expect_same "out.ris untouched" "$(checksum out.ris)" "$before"
expect_same "files" "$(ls | tr '\n' ' ')" "out.ris r.db "

# a directory that does not exist
run export --db r.db -o nosuch/out.ris
expect_exit 1
expect_err "^winnow: cannot write 'nosuch/out.ris': No such file or directory$"
[ ! -e nosuch ] || fail "nosuch was created"

# success replaces the file
run export --db r.db -o out.ris
expect_exit 0
[ ! -s "$CASE_TMP/.out" ] || fail "stdout is not empty"
expect_err '^Exported 9 records to out.ris \(ris\)\.$'
expect_err_lines 1
expect_same "TY lines" "$(grep -c '^TY  - ' out.ris)" 9
expect_same "files" "$(ls | tr '\n' ' ')" "out.ris r.db "

run export --db r.db --format json --output out.json
expect_exit 0
expect_err '^Exported 9 records to out.json \(json\)\.$'
python3 -c 'import json,sys; d=json.load(open("out.json")); sys.exit(len(d) != 9)' || fail "out.json is not 9 records"

# the same bytes as to standard output
run export --db r.db --format json
expect_exit 0
stdout >stdout.json
cmp -s stdout.json out.json || fail "-o and standard output differ"
