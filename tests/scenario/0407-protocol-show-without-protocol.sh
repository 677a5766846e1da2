. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'protocol show' on a review without a protocol failing
# (exit 1) and saying how to load one; 'protocol list' lists nothing.
run init --db r.db
expect_exit 0
before=$(checksum r.db)
run protocol show --db r.db
expect_exit 1
[ ! -s .out ] || fail "stdout is not empty"
expect_err "^winnow: .*no protocol.*'winnow protocol load"
expect_err_lines 1
run protocol show --db r.db --format json
expect_exit 1
[ ! -s .out ] || fail "stdout is not empty"
expect_err "winnow protocol load"

run protocol list --db r.db
expect_exit 0
expect_same "rows" "$(stdout | grep -Ec '^ +[0-9]+  ')" 0
run protocol list --db r.db --format json
expect_exit 0
stdout | python3 -c 'import json,sys; assert json.load(sys.stdin) == []' || fail "list JSON is not []"
expect_same "checksum" "$(checksum r.db)" "$before"
