. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'protocol list' showing one row per version loaded, with
# its date, author, full SHA-256 and file, as text or JSON.
WINNOW_REVIEWER=alice run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
printf '[review]\ntitle = Second\nquestion = Why?\n' >v2.ini
WINNOW_REVIEWER=bob run protocol load --db r.db v2.ini
expect_exit 0

run protocol list --db r.db
expect_exit 0
expect_no_err
expect_out '^ +ver +loaded'
expect_out "^ +1  [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z  alice +$(checksum "$EXAMPLE/protocol.ini")  .*protocol\.ini$"
expect_out "^ +2  [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z  bob +$(checksum v2.ini)  v2\.ini$"
rows=$(stdout | grep -Ec '^ +[0-9]+  ')
expect_same "rows" "$rows" 2

run protocol list --db r.db --format json
expect_exit 0
stdout | V1=$(checksum "$EXAMPLE/protocol.ini") V2=$(checksum v2.ini) python3 -c '
import json, os, sys
d = json.load(sys.stdin)
assert [v["version"] for v in d] == [1, 2], d
assert d[0]["sha256"] == os.environ["V1"] and d[1]["sha256"] == os.environ["V2"], d
assert all(v["actor"] and v["loaded_at"].endswith("Z") and v["path"] for v in d), d
' || fail "protocol list JSON is wrong"

# An unchanged reload adds no row.
run protocol load --db r.db v2.ini
expect_exit 0
run protocol list --db r.db
expect_same "rows after reload" "$(stdout | grep -Ec '^ +[0-9]+  ')" 2
