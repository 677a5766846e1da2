. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'export --format json' being the stable machine
# interface: a JSON array, one object per record in record order, with the
# documented fields and their shapes (authors "Last, First", DOI in lower
# case, year a number, keywords an array, origin naming file and line).
R=$EXAMPLE/records
review_with_examples r.db
before=$(checksum r.db)
run export --db r.db --format json
expect_exit 0
expect_no_err
stdout >all.json
expect_same "export does not write" "$(checksum r.db)" "$before"
python3 - all.json "$R" <<'PY' || fail "the JSON export is not as documented"
import json, re, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
R = sys.argv[2]
assert isinstance(d, list) and len(d) == 27, len(d)
fields = ["id", "source", "source_id", "title", "abstract", "authors", "year",
          "journal", "volume", "issue", "pages", "doi", "pmid", "pmcid", "issn",
          "language", "type", "keywords", "cluster", "origin", "extra"]
for r in d:
    for f in fields:
        assert f in r, (r["id"], f)
    assert isinstance(r["id"], int)
    assert isinstance(r["authors"], list) and all(isinstance(a, str) for a in r["authors"])
    assert isinstance(r["keywords"], list)
    assert r["year"] is None or isinstance(r["year"], int)
    assert isinstance(r["extra"], dict)
    assert r["doi"] is None or r["doi"] == r["doi"].lower(), r["doi"]
    assert r["doi"] is None or r["doi"].startswith("10.5555/"), r["doi"]
    assert r["pmid"] is None or re.fullmatch(r"900000\d\d", r["pmid"]), r["pmid"]
    assert r["issn"] is None or re.fullmatch(r"\d{4}-\d{3}[\dX]", r["issn"]), r["issn"]
    for a in r["authors"]:
        assert re.fullmatch(r"[^,]+, [^,]+", a), (r["id"], a)
    o = r["origin"]
    assert set(o) >= {"kind", "id", "name", "position", "line"}, o
    assert o["kind"] == "file"
assert [r["id"] for r in d] == list(range(1, 28))
assert [r["source"] for r in d] == ["medline"] * 9 + ["scopus"] * 9 + ["pubmed"] * 9
assert [r["origin"]["id"] for r in d] == [1] * 9 + [2] * 9 + [3] * 9
assert [r["origin"]["name"] for r in d][::9] == [R + "/medline-ovid.ris", R + "/scopus.ris", R + "/pubmed.nbib"]
assert [r["origin"]["position"] for r in d] == list(range(1, 10)) * 3
# nothing merged yet: each record is its own cluster
assert [r["cluster"] for r in d] == [r["id"] for r in d]

# O2 (Ovid): W01 in full
o2 = d[1]
assert o2["title"] == "Service users\u2019 experiences of link worker social prescribing for loneliness: a qualitative interview study.", o2["title"]
assert o2["authors"] == ["Hartley, Rebecca J", "Okonkwo, Adaeze", "Brennan, Ciaran", "Dufresne, Marie-Claude"], o2["authors"]
assert (o2["year"], o2["volume"], o2["issue"], o2["pages"]) == (2020, "28", "5", "1634-1645")
assert o2["doi"] == "10.5555/hsc.13012" and o2["pmid"] == "90000001" and o2["issn"] == "0966-0410"
assert o2["journal"] == "Health & social care in the community"
assert o2["type"] == "journal-article"

# S1 (Scopus): abbreviated authors, PMID from C2, EID as source id
s1 = d[9]
assert s1["authors"] == ["Hartley, R.J.", "Okonkwo, A.", "Brennan, C.", "Dufresne, M.-C."], s1["authors"]
assert s1["pmid"] == "90000001" and s1["doi"] == "10.5555/hsc.13012"
assert s1["source_id"].startswith("2-s2.0-"), s1["source_id"]
assert s1["issn"] == "0966-0410", s1["issn"]
assert "link worker" in s1["keywords"]

# S5 (Scopus): the conference abstract, no PMID
s5 = d[13]
assert s5["pmid"] is None and s5["year"] == 2019

# P2 (nbib): full author names, an accent, truncated pages expanded
p2 = d[19]
assert p2["authors"] == ["Hartley, Rebecca J", "Okonkwo, Adaeze", "Brennan, Ciar\u00e1n", "Dufresne, Marie-Claude"], p2["authors"]
assert p2["pages"] == "1634-1645", p2["pages"]
assert p2["pmid"] == "90000001" and p2["source_id"] == "90000001"
# P9: a DOI written with a capital letter comes out in lower case
p9 = d[26]
assert p9["doi"] == "10.5555/bjgp21x714989", p9["doi"]
assert p9["type"] == "editorial" and p9["abstract"] is None
# P7: the erratum, no authors
p7 = d[24]
assert p7["type"] == "erratum" and p7["authors"] == [], (p7["type"], p7["authors"])
PY

# ids and sources agree with the store
expect_same "record ids" "$(sql r.db 'SELECT count(*) FROM record')" 27
