. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'export --where' right after import, nothing screened:
# nothing is included or excluded, and nothing is pending at the last stage
# (full-text), which no record has reached; JSON is then an empty array
# and RIS empty, exit 0.
review_with_examples r.db
for where in included excluded pending; do
    run export --db r.db --where $where --format json
    expect_exit 0
    expect_no_err
    expect_same "json, --where $where" "$(stdout | tr -d ' \n')" "[]"
    run export --db r.db --where $where
    expect_exit 0
    [ ! -s "$CASE_TMP/.out" ] || fail "RIS for --where $where is not empty"
    run export --db r.db --where $where -o out.ris
    expect_exit 0
    expect_err "^Exported 0 records to out.ris \(ris\)\.$"
    if [ ! -f out.ris ] || [ -s out.ris ]; then fail "out.ris is not an empty file"; fi
done
run export --db r.db --where all --format json
expect_exit 0
expect_same "all" "$(export_ids)" "$(seq 1 27 | tr '\n' ' ' | sed 's/ $//')"
