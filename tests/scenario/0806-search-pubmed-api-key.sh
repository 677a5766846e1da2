# NCBI_API_KEY goes to NCBI (and raises the pace to 10 a second) but never
# into the review, the audit trail, the output or an error message.
. "$WINNOW_ROOT/tests/scenario/lib.sh"
. "$WINNOW_ROOT/tests/scenario/mock.sh"
mock_start
mock_config '{"pubmed":{"queries":{"sp":{"count":2500,"from":"2005/01/01","to":"2024/12/31"}}}}'
run init --db r.db
NCBI_API_KEY=sekrit-key-4321 run search pubmed --db r.db sp
expect_exit 0
expect_same "key sent" "$(mock_log | python3 -c 'import json,sys; print(all(r["form"].get("api_key") == ["sekrit-key-4321"] for r in json.load(sys.stdin)))')" True
gap=$(mock_min_gap eutils)
python3 -c "import sys; g = float(sys.argv[1]); sys.exit(not (0.09 <= g < 0.3))" "$gap" || fail "with a key requests should be ~0.1 s apart, smallest gap $gap"
expect_same "429s" "$(mock_count eutils '' 429)" 0
! grep -q sekrit r.db r.db-wal .out .err 2>/dev/null || fail "the key leaked into the review or the output"
# a failing request's message does not show it either
mock_fault '{"service":"eutils","kind":"500","count":-1}'
NCBI_API_KEY=sekrit-key-4321 WINNOW_RETRIES=1 run search pubmed --db r.db sp
expect_exit 1
! grep -q sekrit .err r.db r.db-wal 2>/dev/null || fail "the key leaked into an error"
