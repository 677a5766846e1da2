. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a file whose "issue" column holds the exporting
# program's record numbers (EndNote writes them into `number`: one a
# record, all different) not keeping two records of one article apart;
# in a file whose issues are real (they repeat), a different issue still
# counts against a pair. --explain says so, and the run records how many
# files it read that way.
make_csv() { # file issue-of-record-N-expression
    {
        echo "id,title,author,year,journal,volume,number,pages"
        i=1
        while [ $i -le 60 ]; do
            echo "$i,Study number $i of community referral schemes in region $i,Author$i A,2019,Journal of Things,$((i % 7 + 1)),$(eval "echo $2"),$((i * 10))-$((i * 10 + 9))"
            i=$((i + 1))
        done
        # one article twice: the second without its pages
        echo "61,Link workers and loneliness in older adults: a qualitative study,Hartley R,2020,Health Soc Care Community,28,$(i=61; eval "echo $2"),47"
        echo "62,Link workers and loneliness in older adults: a qualitative study,Hartley R,2020,Health Soc Care Community,28,$(i=62; eval "echo $2"),"
    } >"$1"
}
pair_state() {
    sql "$1" "SELECT (SELECT decision FROM pair_decision d WHERE d.pair_id = p.id ORDER BY d.id DESC LIMIT 1)
              FROM dedupe_pair p JOIN record a ON a.id = p.record_a JOIN record b ON b.id = p.record_b
              WHERE a.source_id = '61' AND b.source_id = '62'"
}

# dedupe one file; say what became of the pair and how many files the
# run read as holding record numbers
dedupe_file() { # db source csv
    run init --db "$1"
    run import --db "$1" --source "$2" "$3"
    expect_exit 0
    run dedupe --db "$1"
    expect_exit 0
    echo "$(pair_state "$1") $(sql "$1" "SELECT json_extract(settings, '$.files_with_record_numbers_as_issues') FROM dedupe_run")"
}

make_csv numbered.csv '$((1000 + i))'
expect_same "record numbers are not issues; the run says it read one file so" \
    "$(dedupe_file n.db endnote numbered.csv)" "duplicate 1"

make_csv issues.csv '$((i % 12 + 1))'
expect_same "real issues that differ still count; no file read as record numbers" \
    "$(dedupe_file i.db scopus issues.csv)" "queued 0"

run dedupe --db i.db --explain
expect_exit 0
expect_out "record numbers there"
