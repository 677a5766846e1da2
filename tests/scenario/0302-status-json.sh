. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'status --format json' being valid JSON with every count a
# script needs, of the right types.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
run status --db r.db --format json
expect_exit 0
expect_no_err
sha=$(checksum "$EXAMPLE/protocol.ini")
stdout | SHA=$sha python3 -c '
import json, os, sys
d = json.load(sys.stdin)
for k in ("review", "schema", "protocol", "records", "sources", "duplicates",
          "reports", "stages", "studies"):
    assert k in d, "missing key " + k
assert d["review"] == "r.db", d["review"]
assert d["schema"] == 6
p = d["protocol"]
assert p["version"] == 1, p
assert p["sha256"] == os.environ["SHA"], p["sha256"]
assert p["title"].startswith("Perceived benefits of social prescribing"), p["title"]
for k in ("records", "duplicates", "reports", "studies", "studies_appraised", "themes",
          "findings", "findings_assessed"):
    assert d[k] == 0 and type(d[k]) is int, (k, d[k])
assert d["sources"] == []
assert [s["name"] for s in d["stages"]] == ["title-abstract", "full-text"], d["stages"]
for s in d["stages"]:
    assert s["reviewers_required"] == 2, s
    for k in ("eligible", "screened", "included", "excluded", "conflicts", "pending"):
        assert s[k] == 0 and type(s[k]) is int, (s["name"], k, s.get(k))
' || fail "status JSON is wrong"
# -f is the short form.
stdout >long.json
run status --db r.db -f json
expect_exit 0
stdout | cmp -s - long.json || fail "-f json differs from --format json"
