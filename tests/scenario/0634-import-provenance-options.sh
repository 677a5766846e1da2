. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on --date-searched, --query, --platform and --via recording
# how this file's search was run, in place of what the protocol says about
# the database (a re-run search, a different interface), for PRISMA-S.
R=$EXAMPLE/records
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
run import --db r.db "$R/scopus.ris" --date-searched 2022-01-31 \
    --query 'TITLE-ABS-KEY("social prescri*")' --platform 'Scopus (re-run)' --via register
expect_exit 0
expect_no_err
expect_out '; via register; '
expect_same "row" "$(sql r.db "SELECT database_name || '|' || searched_on || '|' || query || '|' || platform || '|' || via FROM import_file")" \
    'scopus|2022-01-31|TITLE-ABS-KEY("social prescri*")|Scopus (re-run)|register'

# one option given, the others still come from the protocol
run import --db r.db "$R/pubmed.nbib" --date-searched 2021-05-01
expect_exit 0
expect_same "row 2" "$(sql r.db "SELECT database_name || '|' || searched_on || '|' || platform || '|' || via FROM import_file WHERE id = 2")" \
    'pubmed|2021-05-01|NCBI PubMed|database'
expect_same "query 2" "$(sql r.db 'SELECT query FROM import_file WHERE id = 2' | head -1)" \
    '("social prescribing"[tiab] OR "link worker*"[tiab] OR "community referral"[tiab])'
