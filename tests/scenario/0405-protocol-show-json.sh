. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'protocol show --format json' giving the parsed protocol:
# its sections with their values (repeated keys as lists) and its stages.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
run protocol show --db r.db --format json
expect_exit 0
expect_no_err
sha=$(checksum "$EXAMPLE/protocol.ini")
stdout | SHA=$sha python3 -c '
import json, os, sys
d = json.load(sys.stdin)
assert d["version"] == 1, d["version"]
assert d["sha256"] == os.environ["SHA"], d["sha256"]
secs = d["sections"]
review = [s for s in secs if s["section"] == "review"][0]["values"]
assert review["title"].startswith("Perceived benefits"), review
assert review["question"].startswith("Do people who take part"), review
assert "\n" in review["question"], "continuation lines lost"
elig = [s for s in secs if s["section"] == "eligibility"][0]["values"]
assert isinstance(elig["include"], list) and len(elig["include"]) == 2, elig["include"]
assert len(elig["exclude"]) == 3, elig["exclude"]
dbs = [s.get("name") for s in secs if s["section"] == "database"]
assert dbs == ["medline", "pubmed", "scopus", "grey-literature"], dbs
st = d["stages"]
assert [s["name"] for s in st] == ["title-abstract", "full-text"], st
assert all(s["reviewers"] == 2 and len(s["reasons"]) == 5 for s in st), st
assert st[0]["reasons"][0] == "Not social prescribing", st[0]["reasons"]
' || fail "protocol show JSON is wrong"
