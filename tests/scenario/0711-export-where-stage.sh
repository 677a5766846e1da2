. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'export --where pending --stage title-abstract' right
# after import giving every record (all wait for title and abstract
# screening), and on --stage picking the stage for included and excluded.
R=$EXAMPLE/records
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
run import --db r.db "$R/medline-ovid.ris" "$R/scopus.ris" "$R/pubmed.nbib"
expect_exit 0
# the record ids of a JSON export (sqlite3's JSON functions: fast, and
# they refuse text that is not JSON)
ids() {
    stdout >ids.json
    sqlite3 :memory: "SELECT CASE WHEN json_type(readfile('ids.json')) = 'array' THEN
        (SELECT coalesce(group_concat(json_extract(value, '\$.id'), ' '), '') FROM json_each(readfile('ids.json')))
        ELSE 'not a JSON array' END"
}

run export --db r.db --where pending --stage title-abstract --format json
expect_exit 0
expect_no_err
expect_same "pending at title-abstract" "$(ids)" "$(seq 1 27 | tr '\n' ' ' | sed 's/ $//')"
run export --db r.db --where pending --stage full-text --format json
expect_exit 0
expect_same "pending at full-text" "$(ids)" ""

# two reviewers include record 1 and exclude record 2 at title-abstract
add_decision r.db 1 title-abstract ann include
add_decision r.db 1 title-abstract bob include
add_decision r.db 2 title-abstract ann exclude
add_decision r.db 2 title-abstract bob exclude
run export --db r.db --where included --stage title-abstract --format json
expect_exit 0
expect_same "included at title-abstract" "$(ids)" "1"
run export --db r.db --where excluded --stage title-abstract --format json
expect_exit 0
expect_same "excluded at title-abstract" "$(ids)" "2"
run export --db r.db --where pending --stage title-abstract --format json
expect_exit 0
expect_same "pending at title-abstract" "$(ids)" "$(seq 3 27 | tr '\n' ' ' | sed 's/ $//')"
run export --db r.db --where pending --stage full-text --format json
expect_exit 0
expect_same "pending at full-text" "$(ids)" "1"
# excluded at full-text or before: the title-abstract exclusion counts
run export --db r.db --where excluded --stage full-text --format json
expect_exit 0
expect_same "excluded by full-text" "$(ids)" "2"
