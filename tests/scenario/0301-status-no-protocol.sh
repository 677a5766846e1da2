. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on status working before a protocol is loaded, saying so,
# and on the JSON giving protocol: null and no stages.
run init --db r.db
expect_exit 0
run status --db r.db
expect_exit 0
expect_no_err
expect_out '^Protocol: +none loaded$'
expect_out '^Records: +0 from 0 sources$'
run status --db r.db --format json
expect_exit 0
stdout | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["protocol"] is None, d["protocol"]
assert d["stages"] == [], d["stages"]
assert d["records"] == 0 and d["sources"] == []
' || fail "status JSON without a protocol is wrong"
