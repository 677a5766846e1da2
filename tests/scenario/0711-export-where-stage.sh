. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'export --where pending --stage title-abstract' right
# after import giving every record (all wait for title and abstract
# screening), and on --stage picking the stage for included and excluded.
review_with_examples r.db

run export --db r.db --where pending --stage title-abstract --format json
expect_exit 0
expect_no_err
expect_same "pending at title-abstract" "$(export_ids)" "$(seq 1 27 | tr '\n' ' ' | sed 's/ $//')"
run export --db r.db --where pending --stage full-text --format json
expect_exit 0
expect_same "pending at full-text" "$(export_ids)" ""

# two reviewers include record 1 and exclude record 2 at title-abstract
add_decision r.db 1 title-abstract ann include
add_decision r.db 1 title-abstract bob include
add_decision r.db 2 title-abstract ann exclude
add_decision r.db 2 title-abstract bob exclude
run export --db r.db --where included --stage title-abstract --format json
expect_exit 0
expect_same "included at title-abstract" "$(export_ids)" "1"
run export --db r.db --where excluded --stage title-abstract --format json
expect_exit 0
expect_same "excluded at title-abstract" "$(export_ids)" "2"
run export --db r.db --where pending --stage title-abstract --format json
expect_exit 0
expect_same "pending at title-abstract" "$(export_ids)" "$(seq 3 27 | tr '\n' ' ' | sed 's/ $//')"
run export --db r.db --where pending --stage full-text --format json
expect_exit 0
expect_same "pending at full-text" "$(export_ids)" "1"
# excluded at full-text or before: the title-abstract exclusion counts
run export --db r.db --where excluded --stage full-text --format json
expect_exit 0
expect_same "excluded by full-text" "$(export_ids)" "2"
