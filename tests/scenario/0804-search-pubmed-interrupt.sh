# Ctrl-C stops at a batch boundary: what is stored is whole batches, the run
# is marked partial, and resume completes it without duplicates. A killed
# process (no chance to clean up) resumes the same way.
. "$WINNOW_ROOT/tests/scenario/lib.sh"
. "$WINNOW_ROOT/tests/scenario/mock.sh"
mock_start
mock_config '{"pubmed":{"queries":{"sp":{"count":3000,"from":"2005/01/01","to":"2024/12/31"}}}}'
run init --db r.db
wait_for_records() { # db run minimum
    i=0
    while [ "$(sql "$1" "SELECT count(*) FROM record WHERE search_run_id = $2" 2>/dev/null || echo 0)" -lt "$3" ]; do
        i=$((i + 1)); [ $i -lt 200 ] || fail "no records arrived"
        sleep 0.05
    done
}
for sig in INT KILL; do
    "$WINNOW" --db r.db search pubmed --quiet sp >out.txt 2>err.txt &
    pid=$!
    run_id=$([ $sig = INT ] && echo 1 || echo 2)
    wait_for_records r.db "$run_id" 500
    kill -$sig $pid
    wait $pid
    status=$?
    stored=$(sql r.db "SELECT count(*) FROM record WHERE search_run_id = $run_id")
    [ $((stored % 500)) = 0 ] || fail "$sig: $stored records is not whole batches"
    [ "$stored" -lt 3000 ] || fail "$sig: the search finished before the signal"
    if [ $sig = INT ]; then
        [ $status = 1 ] || fail "INT: exit status $status"
        grep -q '^winnow: interrupted$' err.txt || fail "INT: no 'interrupted' message: $(cat err.txt)"
        grep -q "go on with: winnow search resume 1" err.txt || fail "INT: no resume hint"
        expect_same "INT: status" "$(sql r.db 'SELECT status FROM search_run WHERE id = 1')" partial
    else
        expect_same "KILL: status" "$(sql r.db 'SELECT status FROM search_run WHERE id = 2')" running
    fi
    # what was committed before the signal is sealed: the trail verifies
    run audit verify --db r.db
    expect_exit 0
    run search resume --db r.db --quiet "$run_id"
    expect_exit 0
    expect_out "^Search $run_id: 3000 records retrieved of 3000 reported.* \\(complete\\)\$"
    expect_same "$sig: records" "$(sql r.db "SELECT count(*), count(DISTINCT pmid) FROM record WHERE search_run_id = $run_id")" "3000|3000"
done
expect_same "second run: nothing new" "$(sql r.db 'SELECT records_new, previous_run_id FROM search_run WHERE id = 2')" "0|1"
run audit verify --db r.db
expect_exit 0
