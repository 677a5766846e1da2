. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'import' reading a saved arXiv API answer (an Atom
# feed): detected without --format, every entry one preprint under its
# arXiv id without the version, the fields where the JSON export shows
# them and arXiv's own (categories, comment, journal reference) in extra;
# and on a feed that is the API's error message, or one cut short, being
# refused (exit 1) with nothing stored.
run init --db r.db
expect_exit 0
cat >feed.xml <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">ArXiv Query: search_query=all:loneliness&amp;start=0&amp;max_results=2</title>
  <id>http://arxiv.org/api/Zq0d7d0ShQh6cjlEHKxwGQbEhXY</id>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">57</opensearch:totalResults>
  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0</opensearch:startIndex>
  <opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">2</opensearch:itemsPerPage>
  <entry>
    <id>http://arxiv.org/abs/2403.01234v2</id>
    <updated>2024-04-02T09:00:00Z</updated>
    <published>2024-03-02T12:30:00Z</published>
    <title>Loneliness in Online
  Communities</title>
    <summary>  We study loneliness
in online communities.
</summary>
    <author><name>Ana Ruiz</name></author>
    <author><name>Bo Chen</name></author>
    <arxiv:doi xmlns:arxiv="http://arxiv.org/schemas/atom">10.1145/3613904.3642000</arxiv:doi>
    <arxiv:journal_ref xmlns:arxiv="http://arxiv.org/schemas/atom">CHI '24, pp. 1-14</arxiv:journal_ref>
    <link href="http://arxiv.org/abs/2403.01234v2" rel="alternate" type="text/html"/>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="cs.HC" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.HC" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.SI" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
  <entry>
    <id>http://arxiv.org/abs/2401.00007v1</id>
    <published>2023-12-30T08:00:00Z</published>
    <title>A second e-print</title>
    <summary>Short.</summary>
    <author><name>Chen Bo</name></author>
    <link href="http://arxiv.org/abs/2401.00007v1" rel="alternate" type="text/html"/>
  </entry>
</feed>
XML
run import --db r.db feed.xml --source arxiv
expect_exit 0
expect_no_err
expect_out "^Imported feed.xml as import 1: 2 records from arxiv \(arxiv-atom; utf-8, lf line endings\)$"
run export --db r.db --format json
expect_exit 0
stdout >all.json
python3 - all.json <<'PY' || fail "the arXiv records are not as the feed says"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert len(d) == 2, len(d)
a, b = d
assert a["source_id"] == "2403.01234", a["source_id"]
assert a["type"] == "preprint", a["type"]
assert a["title"] == "Loneliness in Online Communities", a["title"]
assert a["abstract"] == "We study loneliness in online communities.", a["abstract"]
assert a["authors"] == ["Ruiz, Ana", "Chen, Bo"], a["authors"]
assert a["year"] == 2024 and a["date"] == "2024-03-02", (a["year"], a["date"])
assert a["doi"] == "10.1145/3613904.3642000", a["doi"]
assert a["url"] == "http://arxiv.org/abs/2403.01234v2", a["url"]
assert a["journal"] is None
x = a["extra"]
assert x["arxiv_id"] == "2403.01234v2", x
assert x["journal_ref"] == "CHI '24, pp. 1-14", x
assert x["primary_category"] == "cs.HC", x
assert x["category"] == ["cs.HC", "cs.SI"], x
assert x["updated"] == "2024-04-02T09:00:00Z", x
assert a["origin"]["line"] == 8, a["origin"]
assert b["source_id"] == "2401.00007" and b["year"] == 2023, b
PY

# The API's answer to a bad request: one entry that is its error message
cat >error.xml <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">1</opensearch:totalResults>
  <entry>
    <id>http://arxiv.org/api/errors#max_results_must_be_non-negative</id>
    <title>Error</title>
    <summary>max_results must be non-negative</summary>
    <author><name>arXiv api core</name></author>
  </entry>
</feed>
XML
before=$(checksum r.db)
run import --db r.db error.xml --source arxiv
expect_exit 1
expect_err "^winnow: error.xml:4: arXiv API error: max_results must be non-negative$"
expect_same "unchanged after the error feed" "$(checksum r.db)" "$before"

# Cut short after the first entry: refused whole, not one record of two
head -n 30 feed.xml >cut.xml
run import --db r.db cut.xml --source arxiv
expect_exit 1
expect_err "^winnow: cut.xml:[0-9]+: XML error"
expect_not_out 'Imported'
expect_same "unchanged after the cut feed" "$(checksum r.db)" "$before"
expect_same "records" "$(sql r.db 'SELECT count(*) FROM record')" 2
