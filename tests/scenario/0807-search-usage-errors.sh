# Wrong arguments to search are usage errors (exit 2) that touch nothing;
# a search that cannot exist is an error (exit 1).
. "$WINNOW_ROOT/tests/scenario/lib.sh"
run init --db r.db
before=$(sql r.db 'SELECT count(*) FROM audit_log')
run search pubmed --db r.db
expect_exit 2
expect_err 'give the query as one argument'
run search pubmed --db r.db q --datetype xdat
expect_exit 2
expect_err "edat, pdat or mdat, not 'xdat'"
run search pubmed --db r.db q --max 0
expect_exit 2
expect_err "positive number"
run search pubmed --db r.db q --from 2020-13
expect_exit 2
expect_err "YYYY, YYYY-MM or YYYY-MM-DD, not '2020-13'"
run search resume --db r.db x
expect_exit 2
run search resume --db r.db 9
expect_exit 1
expect_err 'there is no search 9'
run search list --db r.db
expect_exit 0
expect_out 'No searches yet'
run search list --db r.db --format xml
expect_exit 2
run search bogus --db r.db
expect_exit 2
expect_same "nothing written" "$(sql r.db 'SELECT count(*) FROM audit_log')" "$before"
# a service that is not there: a clear network error, the run kept as failed
WINNOW_EUTILS_URL=http://127.0.0.1:9/entrez/eutils/ WINNOW_RETRIES=2 WINNOW_RETRY_BASE=0.05 run search pubmed --db r.db q
expect_exit 1
expect_err '^winnow: PubMed E-utilities: could not connect'
expect_same "failed run" "$(sql r.db 'SELECT status FROM search_run')" failed
