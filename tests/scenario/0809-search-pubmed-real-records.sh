# The mock serving real PubMed records (../shared/data: a systematic
# review's 292-record search exported from PubMed): all of them stored, with
# their real identifiers. Without the data the mock has nothing to serve and
# the case checks only that a zero-hit search is said as such.
. "$WINNOW_ROOT/tests/scenario/lib.sh"
. "$WINNOW_ROOT/tests/scenario/mock.sh"
mock_start
mock_config '{"pubmed":{"queries":{"psoas abscess":{"file":"pubmed-psoas-abscess-292/pubmed_result.xml"}}}}'
run init --db r.db
run search pubmed --db r.db --quiet 'psoas abscess'
expect_exit 0
if [ ! -f "$SHARED_DATA/pubmed-psoas-abscess-292/pubmed_result.xml" ]; then
    expect_out '^Search 1: 0 records retrieved of 0 reported \(complete\)$'
    exit 0
fi
expect_out '^Search 1: 292 records retrieved of 292 reported \(complete\)$'
expected=$(grep -c '<PubmedArticle>' "$SHARED_DATA/pubmed-psoas-abscess-292/pubmed_result.xml")
expect_same "records" "$(sql r.db 'SELECT count(*), count(DISTINCT pmid) FROM record')" "$expected|$expected"
expect_same "titles and years" "$(sql r.db 'SELECT count(*) FROM record WHERE title IS NOT NULL AND year BETWEEN 1900 AND 2030')" 292
