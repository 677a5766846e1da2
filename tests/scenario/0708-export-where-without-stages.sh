. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'export --where' in a review with no protocol (so no
# screening stages) saying so (exit 1) rather than exporting nothing, while
# a plain export (--where all, the default) still exports every record.
run init --db r.db
expect_exit 0
run import --db r.db "$EXAMPLE/records/pubmed.nbib"
expect_exit 0
for where in included excluded pending; do
    run export --db r.db --where $where --format json
    expect_exit 1
    [ ! -s "$CASE_TMP/.out" ] || fail "stdout is not empty for --where $where"
    expect_err '^winnow: the review has no screening stages yet \(load a protocol\)$'
    expect_err_lines 1
done
run export --db r.db --where all --format json
expect_exit 0
expect_no_err
stdout >all.json
python3 -c 'import json,sys; d=json.load(open("all.json")); sys.exit(len(d) != 9)' || fail "not 9 records"
run export --db r.db
expect_exit 0
expect_same "RIS records" "$(stdout | grep -c '^TY  - ')" 9
