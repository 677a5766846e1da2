# Every fault the services show is survived: the batch is retried and the
# records are stored exactly once. Errors that say 200 (an HTML page, an
# <ERROR> element, a body cut short) are errors, never "no records".
. "$WINNOW_ROOT/tests/scenario/lib.sh"
. "$WINNOW_ROOT/tests/scenario/mock.sh"
mock_start
mock_config '{"pubmed":{"queries":{"sp":{"count":1200,"from":"2005/01/01","to":"2024/12/31"}}}}'
export WINNOW_RETRY_BASE=0.05 WINNOW_HTTP_TIMEOUT=1
for kind in 500 503 429 truncate truncate-clean html error reset slow stall; do
    mock_reset
    mock_fault "{\"service\":\"eutils\",\"endpoint\":\"efetch.fcgi\",\"kind\":\"$kind\",\"skip\":1,\"count\":2,\"delay\":4}"
    rm -f r.db r.db-wal r.db-shm
    run init --db r.db
    run search pubmed --db r.db sp
    expect_exit 0
    expect_out '1200 records retrieved of 1200 reported \(complete\)'
    expect_err 'trying again'
    expect_same "$kind: records" "$(sql r.db 'SELECT count(*), count(DISTINCT pmid) FROM record')" "1200|1200"
    expect_same "$kind: faults fired" "$(mock_log | python3 -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin) if r["fault"]))')" 2
done
# an ESearch error page is retried too
mock_reset
mock_fault '{"service":"eutils","endpoint":"esearch.fcgi","kind":"html","count":1}'
rm -f r.db r.db-wal r.db-shm
run init --db r.db
run search pubmed --db r.db sp
expect_exit 0
expect_err 'ESearch.*HTML page'
expect_same "records after an ESearch page" "$(sql r.db 'SELECT count(*) FROM record')" 1200
