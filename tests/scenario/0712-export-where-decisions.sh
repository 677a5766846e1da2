. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'export --where' following the screening decisions:
# included = included at the last stage, excluded = excluded at any stage,
# pending = reached the last stage and not decided there (a disagreement
# still waits); the RIS export carries the same records.
review_with_examples r.db
# record 1: included at both stages; 2: excluded at title-abstract;
# 3: included at title-abstract, waiting at full-text; 4: reviewers
# disagree at title-abstract; 5: included, then excluded at full-text
for d in "1 title-abstract ann include" "1 title-abstract bob include" \
         "1 full-text ann include" "1 full-text bob include" \
         "2 title-abstract ann exclude" "2 title-abstract bob exclude" \
         "3 title-abstract ann include" "3 title-abstract bob include" \
         "4 title-abstract ann include" "4 title-abstract bob exclude" \
         "5 title-abstract ann include" "5 title-abstract bob include" \
         "5 full-text ann exclude" "5 full-text bob exclude"; do
    # shellcheck disable=SC2086
    add_decision r.db $d
done

run export --db r.db --where included --format json
expect_exit 0
expect_no_err
expect_same "included" "$(export_ids)" "1"
run export --db r.db --where excluded --format json
expect_exit 0
expect_same "excluded" "$(export_ids)" "2 5"
run export --db r.db --where pending --format json
expect_exit 0
expect_same "pending" "$(export_ids)" "3"

run export --db r.db --where included
expect_exit 0
expect_same "included, RIS" "$(stdout | grep -c '^TY  - ')" 1
expect_out '^TI  - Does social prescribing reduce loneliness\? A qualitative study of link worker clients in rural England\.'
run export --db r.db --where excluded -o excluded.ris
expect_exit 0
expect_err '^Exported 2 records to excluded.ris \(ris\)\.$'
