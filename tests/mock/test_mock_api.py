#!/usr/bin/env python3
"""Self-test of the loopback API mock (tests/mock/mock_api.py).

Starts the mock as a separate process on a free port, as the scenario tests
do, and checks every endpoint, the control API and each fault kind.

  python3 tests/mock/test_mock_api.py [-v]
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
MOCK = os.path.join(HERE, "mock_api.py")
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "data"))
if not os.path.isdir(SHARED):
    SHARED = os.environ.get("WINNOW_SHARED_DATA", SHARED)
HAVE_SHARED = os.path.isfile(os.path.join(SHARED, "pubmed-psoas-abscess-292", "pubmed_result.xml"))

ATOM = "{http://www.w3.org/2005/Atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
ARXIV = "{http://arxiv.org/schemas/atom}"
QRS = "{http://www.crossref.org/qrschema/3.0}"
XS = "{http://www.crossref.org/xschema/1.1}"
UNIXSD = "application/vnd.crossref.unixsd+xml"

CONFIG = {
    "pubmed": {"queries": {"social prescribing": {"count": 120, "from": "2005/01/01", "to": "2024/12/31"},
                           "big topic": {"count": 12000, "from": "2000/01/01", "to": "2019/12/31"},
                           "crowded day": {"count": 11000, "same_day": "2020/03/01"},
                           "psoas abscess": {"file": "pubmed-psoas-abscess-292/pubmed_result.xml"}},
               "rate": 100, "rate_with_key": 200},
    "europepmc": {"queries": {"social prescribing": {"count": 60},
                              "green space": {"count": 7, "from": "2015/01/01", "to": "2016/12/31"}},
                  "rate": 100},
    "arxiv": {"queries": {"social prescribing": {"count": 25}}, "interval": 0.25},
    "crossref": {"dois": {"10.5555/Mock.1": {"title": "A configured <title> & more", "abstract": "An abstract.",
                                             "journal": "Journal of Tests", "year": 2019,
                                             "authors": ["Ada Lovelace", "Alan Turing"]},
                          "10.5555/noabstract": {"title": "No abstract here", "year": 2001}},
                 "rate_limit": 5, "rate_interval": 1},
}


class Reply:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def xml(self):
        return ET.fromstring(self.body)

    def json(self):
        return json.loads(self.body)

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None


class MockTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="mock-test.")
        cls.config_file = os.path.join(cls.tmp, "config.json")
        with open(cls.config_file, "w") as f:
            json.dump(CONFIG, f)
        cls.proc, cls.port = start_mock(cls.tmp, ["--config", cls.config_file])

    @classmethod
    def tearDownClass(cls):
        cls.proc.send_signal(signal.SIGTERM)
        cls.proc.wait(timeout=10)
        cls.proc.stdout.close()
        for name in os.listdir(cls.tmp):
            os.unlink(os.path.join(cls.tmp, name))
        os.rmdir(cls.tmp)

    def setUp(self):
        self.ctl("POST", "/_mock/config", CONFIG)
        self.ctl("POST", "/_mock/reset")

    # -- helpers ----------------------------------------------------------

    def request(self, method, path, body=None, headers=None, timeout=10, conn=None):
        own = conn is None
        if own:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        hdrs = dict(headers or {})
        if isinstance(body, dict):
            body = urllib.parse.urlencode(body)
            hdrs.setdefault("Content-Type", "application/x-www-form-urlencoded")
        conn.request(method, path, body=body, headers=hdrs)
        r = conn.getresponse()
        data = r.read()
        reply = Reply(r.status, r.getheaders(), data)
        if own:
            conn.close()
        return reply

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def ctl(self, method, path, obj=None):
        body = json.dumps(obj) if obj is not None else None
        r = self.request(method, path, body=body, headers={"Content-Type": "application/json"})
        self.assertEqual(r.status, 200, r.body)
        return r.json()

    def fault(self, **spec):
        return self.ctl("POST", "/_mock/fault", spec)

    def log(self):
        return self.ctl("GET", "/_mock/log")

    def esearch(self, **params):
        params.setdefault("db", "pubmed")
        return self.get("/entrez/eutils/esearch.fcgi?" + urllib.parse.urlencode(params))

    def efetch(self, **params):
        params.setdefault("db", "pubmed")
        return self.request("POST", "/entrez/eutils/efetch.fcgi", body=params)

    def strict_rates(self):
        """The real services' limits (the shared config is generous so that
        tests about something else are not throttled)."""
        cfg = json.loads(json.dumps(CONFIG))
        cfg["pubmed"].update(rate=3, rate_with_key=10)
        cfg["europepmc"]["rate"] = 5
        self.ctl("POST", "/_mock/config", cfg)

    # -- E-utilities ------------------------------------------------------

    def test_esearch_shape_and_order(self):
        r = self.esearch(term="social prescribing", usehistory="y", retmax=30)
        self.assertEqual(r.status, 200)
        self.assertIn(b'<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN"', r.body)
        x = r.xml()
        self.assertEqual(x.tag, "eSearchResult")
        self.assertEqual(x.findtext("Count"), "120")
        self.assertEqual(x.findtext("RetMax"), "30")
        self.assertEqual(x.findtext("RetStart"), "0")
        self.assertEqual(x.findtext("QueryKey"), "1")
        self.assertTrue(x.findtext("WebEnv").startswith("MCID_"))
        ids = [int(e.text) for e in x.findall("IdList/Id")]
        self.assertEqual(len(ids), 30)
        self.assertEqual(ids, sorted(ids, reverse=True))      # newest entry date first
        self.assertTrue(all(10000000 <= i <= 99999999 for i in ids))
        self.assertEqual(x.findtext("QueryTranslation"), '"social prescribing"[All Fields]')
        r2 = self.esearch(term="social prescribing", retstart=30, retmax=200)
        x2 = r2.xml()
        self.assertIsNone(x2.find("WebEnv"))
        ids2 = [int(e.text) for e in x2.findall("IdList/Id")]
        self.assertEqual(len(ids2), 90)
        self.assertEqual(x2.findtext("RetMax"), "90")
        self.assertLess(ids2[0], ids[-1])

    def test_esearch_post_form_and_log(self):
        r = self.request("POST", "/entrez/eutils/esearch.fcgi",
                         body={"db": "pubmed", "term": "social prescribing", "tool": "winnow",
                               "email": "a@example.org"},
                         headers={"User-Agent": "winnow/0.4"})
        self.assertEqual(r.xml().findtext("Count"), "120")
        e = self.log()[-1]
        self.assertEqual(e["service"], "eutils")
        self.assertEqual(e["endpoint"], "esearch.fcgi")
        self.assertEqual(e["method"], "POST")
        self.assertEqual(e["path"], "/entrez/eutils/esearch.fcgi")
        self.assertEqual(e["form"]["tool"], ["winnow"])
        self.assertEqual(e["form"]["email"], ["a@example.org"])
        self.assertEqual(e["headers"]["User-Agent"], "winnow/0.4")
        self.assertEqual(e["status"], 200)
        self.assertIsNone(e["fault"])
        self.assertIsInstance(e["t"], float)

    def test_esearch_date_slices_split_evenly(self):
        total = 0
        for lo, hi in (("2005/01/01", "2009/12/31"), ("2010", "2014"), ("2015/01", "2019/12"),
                       ("2020/01/01", "2024/12/31")):
            x = self.esearch(term="social prescribing", datetype="edat", mindate=lo, maxdate=hi).xml()
            n = int(x.findtext("Count"))
            self.assertTrue(25 <= n <= 35, (lo, hi, n))
            self.assertIn("[Date - Entry]", x.findtext("QueryTranslation"))
            total += n
        self.assertEqual(total, 120)
        # publication dates are 30 days before entry dates
        x = self.esearch(term="social prescribing", datetype="pdat", mindate="2004/12/01",
                         maxdate="2004/12/31").xml()
        self.assertEqual(x.findtext("Count"), "1")
        # a date range in the term works the same way
        x = self.esearch(term="social prescribing AND 2005/01/01:2009/12/31[edat]").xml()
        self.assertTrue(25 <= int(x.findtext("Count")) <= 35)

    def test_esearch_zero_hits_and_errors(self):
        x = self.esearch(term="nothing matches this").xml()
        self.assertEqual(x.findtext("Count"), "0")
        self.assertEqual(x.findall("IdList/Id"), [])
        self.assertEqual(x.findtext("ErrorList/PhraseNotFound"), "nothing matches this")
        self.assertEqual(x.findtext("WarningList/OutputMessage"), "No items found.")
        x = self.esearch(term="big topic", retstart=9999).xml()
        self.assertIn("'retstart' cannot be larger than 9998", x.findtext("ERROR"))
        self.assertIsNone(x.find("Count"))
        x = self.esearch(term="big topic", retstart=9990, retmax=100).xml()
        self.assertEqual(x.findtext("Count"), "12000")
        self.assertEqual(len(x.findall("IdList/Id")), 9)
        x = self.esearch(db="pubmedx", term="a").xml()
        self.assertIn("Invalid db name", x.findtext("ERROR"))

    def test_efetch_history_pages(self):
        x = self.esearch(term="social prescribing", usehistory="y", retmax=200).xml()
        ids = [e.text for e in x.findall("IdList/Id")]
        web = x.findtext("WebEnv")
        got = []
        for start in (0, 50, 100):
            r = self.efetch(WebEnv=web, query_key="1", retstart=start, retmax=50, retmode="xml")
            self.assertEqual(r.status, 200)
            self.assertIn(b'<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle', r.body)
            root = r.xml()
            self.assertEqual(root.tag, "PubmedArticleSet")
            got += [a.findtext("MedlineCitation/PMID") for a in root.findall("PubmedArticle")]
        self.assertEqual(got, ids)
        art = root.findall("PubmedArticle")[0]
        mc = art.find("MedlineCitation")
        self.assertEqual(len(mc.findall("Article/AuthorList/Author")), 3)
        self.assertEqual(len(mc.findall("Article/Abstract/AbstractText[@Label]")), 4)
        self.assertTrue(mc.findtext("Article/Journal/ISOAbbreviation"))
        self.assertTrue(mc.findtext("Article/Journal/ISSN"))
        pmid = mc.findtext("PMID")
        self.assertEqual(art.findtext("PubmedData/ArticleIdList/ArticleId[@IdType='doi']"),
                         "10.5555/mock." + pmid)
        hist = {d.get("PubStatus"): d for d in art.findall("PubmedData/History/PubMedPubDate")}
        for status in ("entrez", "pubmed", "medline"):
            self.assertIn(status, hist)
        self.assertTrue(mc.findall("MeshHeadingList/MeshHeading"))
        self.assertTrue(mc.findall("KeywordList/Keyword"))

    def test_efetch_500_records_fast(self):
        x = self.esearch(term="big topic", usehistory="y").xml()
        t = time.time()
        r = self.efetch(WebEnv=x.findtext("WebEnv"), query_key="1", retstart=0, retmax=500)
        elapsed = time.time() - t
        self.assertEqual(len(r.xml().findall("PubmedArticle")), 500)
        self.assertLess(elapsed, 0.5, "EFetch of 500 records took %.3f s" % elapsed)

    def test_efetch_10000_cap(self):
        x = self.esearch(term="big topic", usehistory="y").xml()
        web = x.findtext("WebEnv")
        r = self.efetch(WebEnv=web, query_key="1", retstart=9900, retmax=500)
        self.assertEqual(len(r.xml().findall("PubmedArticle")), 100)
        r = self.efetch(WebEnv=web, query_key="1", retstart=10000, retmax=500)
        self.assertEqual(r.status, 200)
        root = r.xml()
        self.assertEqual(root.tag, "eFetchResult")
        self.assertIn("cannot be larger than 9999", root.findtext("ERROR"))

    def test_same_day_cannot_be_split(self):
        x = self.esearch(term="crowded day", datetype="edat", mindate="2020/03/01", maxdate="2020/03/01").xml()
        self.assertEqual(x.findtext("Count"), "11000")

    def test_webenv_snapshot_add_and_expire(self):
        x = self.esearch(term="social prescribing", usehistory="y", retmax=5).xml()
        web, first = x.findtext("WebEnv"), x.findtext("IdList/Id")
        added = self.ctl("POST", "/_mock/add", {"service": "pubmed", "query": "social prescribing", "count": 3})
        self.assertEqual(len(added["ids"]), 3)
        r = self.efetch(WebEnv=web, query_key="1", retmax=500)
        self.assertEqual(len(r.xml().findall("PubmedArticle")), 120)     # the snapshot
        x = self.esearch(term="social prescribing", usehistory="y", retmax=5).xml()
        self.assertEqual(x.findtext("Count"), "123")
        ids = [int(e.text) for e in x.findall("IdList/Id")]
        self.assertEqual(sorted(ids[:3]), sorted(added["ids"]))          # newest first
        self.assertEqual(ids[3], int(first))
        # the new ones are dated after every existing record
        x = self.esearch(term="social prescribing", datetype="edat", mindate="2025/01/01",
                         maxdate="3000/01/01").xml()
        self.assertEqual(x.findtext("Count"), "3")
        self.ctl("POST", "/_mock/expire")
        r = self.efetch(WebEnv=web, query_key="1")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.xml().tag, "eFetchResult")
        self.assertEqual(r.xml().findtext("ERROR"), "Unable to obtain query #1")

    def test_efetch_by_id(self):
        x = self.esearch(term="social prescribing", retmax=3).xml()
        ids = [e.text for e in x.findall("IdList/Id")]
        r = self.efetch(id=",".join(ids + ["1"]))
        got = [a.findtext("MedlineCitation/PMID") for a in r.xml().findall("PubmedArticle")]
        self.assertEqual(got, ids)

    @unittest.skipUnless(HAVE_SHARED, "../shared/data absent")
    def test_file_query_serves_real_records(self):
        x = self.esearch(term="psoas abscess", usehistory="y", retmax=0).xml()
        self.assertEqual(x.findtext("Count"), "292")
        r = self.efetch(WebEnv=x.findtext("WebEnv"), query_key="1", retmax=500)
        arts = r.xml().findall("PubmedArticle")
        self.assertEqual(len(arts), 292)
        self.assertIn("30514039", [a.findtext("MedlineCitation/PMID") for a in arts])

    def test_eutils_rate_limits(self):
        self.strict_rates()
        codes = [self.esearch(term="social prescribing").status for _ in range(4)]
        self.assertEqual(codes, [200, 200, 200, 429])
        r = self.esearch(term="social prescribing")
        self.assertEqual(r.status, 429)
        self.assertEqual(r.header("Retry-After"), "1")
        self.assertEqual(r.json()["error"], "API rate limit exceeded")
        codes = [self.esearch(term="x", api_key="k1").status for _ in range(11)]
        self.assertEqual(codes, [200] * 10 + [429])
        r = self.esearch(term="x", api_key="bad")
        self.assertEqual(r.status, 400)
        self.assertEqual(r.json()["error"], "API key invalid")
        time.sleep(1.05)     # the window slides
        self.assertEqual(self.esearch(term="x", api_key="k1").status, 200)
        statuses = [e["status"] for e in self.log()]
        self.assertEqual(statuses.count(429), 3)

    # -- Europe PMC -------------------------------------------------------

    def epmc(self, **params):
        params.setdefault("format", "xml")
        return self.get("/europepmc/webservices/rest/search?" + urllib.parse.urlencode(params))

    def test_europepmc_cursor_paging(self):
        cursor, seen, sizes = "*", [], []
        for _ in range(5):
            r = self.epmc(query="social prescribing", resultType="core", pageSize=25, cursorMark=cursor)
            self.assertEqual(r.status, 200)
            x = r.xml()
            self.assertEqual(x.tag, "responseWrapper")
            self.assertEqual(x.findtext("hitCount"), "60")
            self.assertEqual(x.findtext("request/cursorMark"), urllib.parse.quote(cursor, safe=""))
            res = x.findall("resultList/result")
            sizes.append(len(res))
            seen += [e.findtext("pmid") for e in res]
            nxt = x.findtext("nextCursorMark")
            if not res:
                self.assertEqual(nxt, cursor)
                self.assertIsNone(x.find("nextPageUrl"))
                break
            self.assertNotEqual(nxt, cursor)
            cursor = nxt
        self.assertEqual(sizes, [25, 25, 10, 0])
        self.assertEqual(len(set(seen)), 60)
        core = x if False else self.epmc(query="social prescribing", resultType="core", pageSize=1).xml()
        res = core.find("resultList/result")
        for path in ("id", "source", "pmid", "doi", "title", "authorString", "authorList/author/fullName",
                     "authorList/author/authorId", "journalInfo/volume", "journalInfo/journal/title",
                     "journalInfo/journal/isoabbreviation", "journalInfo/journal/issn", "pubYear",
                     "pageInfo", "abstractText", "language", "pubTypeList/pubType", "keywordList/keyword",
                     "meshHeadingList/meshHeading/descriptorName", "fullTextUrlList/fullTextUrl/url",
                     "firstPublicationDate"):
            self.assertTrue(res.findtext(path), path)
        self.assertEqual(res.find("authorList/author/authorId").get("type"), "ORCID")
        self.assertEqual(res.findtext("source"), "MED")

    def test_europepmc_mirrors_pubmed_records(self):
        x = self.epmc(query="social prescribing", resultType="idlist", pageSize=1000).xml()
        epmc_ids = {e.findtext("pmid") for e in x.findall("resultList/result")}
        p = self.esearch(term="social prescribing", retmax=500).xml()
        pm_ids = {e.text for e in p.findall("IdList/Id")}
        self.assertEqual(len(epmc_ids), 60)
        self.assertTrue(epmc_ids <= pm_ids)

    def test_europepmc_zero_post_lite_json_dates(self):
        x = self.epmc(query="no such thing").xml()
        self.assertEqual(x.findtext("hitCount"), "0")
        self.assertEqual(x.findall("resultList/result"), [])
        r = self.request("POST", "/europepmc/webservices/rest/searchPOST",
                         body={"query": "green space", "format": "xml", "resultType": "lite", "pageSize": "5"})
        x = r.xml()
        self.assertEqual(x.findtext("hitCount"), "7")
        self.assertEqual(len(x.findall("resultList/result")), 5)
        self.assertTrue(x.findtext("resultList/result/title"))
        j = self.epmc(query="green space", format="json", resultType="core").json()
        self.assertEqual(j["hitCount"], 7)
        self.assertEqual(len(j["resultList"]["result"]), 7)
        x = self.epmc(query="green space AND FIRST_IDATE:[2015-01-01 TO 2015-12-31]").xml()
        self.assertTrue(0 < int(x.findtext("hitCount")) < 7)
        r = self.epmc(query="green space", cursorMark="not-a-cursor")
        self.assertEqual(r.status, 400)

    def test_europepmc_rate_limit(self):
        self.strict_rates()
        codes = [self.epmc(query="green space").status for _ in range(6)]
        self.assertEqual(codes, [200] * 5 + [429])

    # -- arXiv ------------------------------------------------------------

    def arxiv(self, **params):
        return self.get("/api/query?" + urllib.parse.urlencode(params))

    def test_arxiv_feed_paging_zero_and_interval(self):
        r = self.arxiv(search_query='all:"social prescribing"', start=0, max_results=10)
        self.assertEqual(r.status, 200)
        feed = r.xml()
        self.assertEqual(feed.tag, ATOM + "feed")
        self.assertEqual(feed.findtext(OPENSEARCH + "totalResults"), "25")
        self.assertEqual(feed.findtext(OPENSEARCH + "itemsPerPage"), "10")
        entries = feed.findall(ATOM + "entry")
        self.assertEqual(len(entries), 10)
        e = entries[0]
        self.assertTrue(e.findtext(ATOM + "id").startswith("http://arxiv.org/abs/"))
        for tag in ("published", "updated", "title", "summary"):
            self.assertTrue(e.findtext(ATOM + tag), tag)
        self.assertEqual(len(e.findall(ATOM + "author")), 3)
        self.assertTrue(e.findtext(ATOM + "author/" + ARXIV + "affiliation"))
        self.assertIsNotNone(e.find(ARXIV + "primary_category"))
        self.assertTrue(e.findall(ATOM + "category"))
        self.assertTrue(any(x.find(ARXIV + "doi") is not None for x in entries))
        self.assertTrue(any(x.find(ARXIV + "journal_ref") is not None for x in entries))
        ids = set()
        for start in (10, 20, 30):
            time.sleep(0.3)
            r = self.arxiv(search_query="social prescribing", start=start, max_results=10)
            self.assertEqual(r.status, 200)
            ids |= {x.findtext(ATOM + "id") for x in r.xml().findall(ATOM + "entry")}
        self.assertEqual(len(ids), 15)
        time.sleep(0.3)
        feed = self.arxiv(search_query="all:nothing").xml()
        self.assertEqual(feed.findtext(OPENSEARCH + "totalResults"), "0")
        self.assertEqual(feed.findall(ATOM + "entry"), [])

    def test_arxiv_default_interval_is_3s(self):
        cfg = json.loads(json.dumps(CONFIG))
        cfg["arxiv"].pop("interval")
        self.ctl("POST", "/_mock/config", cfg)
        self.assertEqual(self.arxiv(search_query="x").status, 200)
        time.sleep(0.3)
        r = self.arxiv(search_query="x")
        self.assertEqual(r.status, 429)
        self.assertEqual(r.header("Retry-After"), "3")

    # -- Crossref ---------------------------------------------------------

    def test_crossref_lookups(self):
        r = self.get("/works/10.5555%2Fmock.1/transform/" + UNIXSD + "?mailto=a%40example.org")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("Content-Type"), UNIXSD)
        self.assertEqual(r.header("X-Rate-Limit-Limit"), "5")
        self.assertEqual(r.header("X-Rate-Limit-Interval"), "1s")
        x = r.xml()
        self.assertEqual(x.tag, QRS + "crossref_result")
        q = x.find("%squery_result/%sbody/%squery" % (QRS, QRS, QRS))
        self.assertEqual(q.get("status"), "resolved")
        art = q.find("%sdoi_record/%scrossref/%sjournal/%sjournal_article" % (QRS, XS, XS, XS))
        self.assertEqual(art.findtext("%stitles/%stitle" % (XS, XS)), "A configured <title> & more")
        self.assertEqual(len(art.findall("%scontributors/%sperson_name" % (XS, XS))), 2)
        self.assertEqual(art.findtext("{http://www.ncbi.nlm.nih.gov/JATS1}abstract/"
                                      "{http://www.ncbi.nlm.nih.gov/JATS1}p"), "An abstract.")
        r = self.get("/works/10.5555/MOCK.1/transform", headers={"Accept": UNIXSD,
                                                                "User-Agent": "winnow (mailto:a@example.org)"})
        self.assertEqual(r.status, 200)
        r = self.get("/works/10.5555/noabstract/transform/" + UNIXSD)
        self.assertNotIn(b"jats:abstract", r.body)
        r = self.get("/works/10.5555/unknown/transform/" + UNIXSD)
        self.assertEqual((r.status, r.body), (404, b"Resource not found."))
        self.assertEqual(r.header("Content-Type"), "text/plain")
        self.assertEqual(r.header("X-Rate-Limit-Limit"), "5")
        log = self.log()
        self.assertEqual([e["mailto"] for e in log[:3]], [True, True, False])
        time.sleep(1.05)
        # the DOIs of synthetic PubMed records resolve too
        pmid = self.esearch(term="social prescribing", retmax=1).xml().findtext("IdList/Id")
        r = self.get("/works/10.5555/mock.%s/transform/%s" % (pmid, UNIXSD))
        self.assertEqual(r.status, 200)
        self.assertIn(b"<jats:p>", r.body)

    @unittest.skipUnless(HAVE_SHARED, "../shared/data absent")
    def test_crossref_real_file(self):
        r = self.get("/works/10.7554/elife.01567/transform/" + UNIXSD)
        self.assertEqual(r.status, 200)
        self.assertIn(b"Automated quantitative histology", r.body)

    def test_crossref_rate_limit(self):
        codes = [self.get("/works/10.5555/unknown/transform/" + UNIXSD).status for _ in range(6)]
        self.assertEqual(codes, [404] * 5 + [429])
        self.assertEqual(self.get("/works/10.5555/x/transform").status, 429)

    # -- faults -----------------------------------------------------------

    def test_fault_status_kinds_skip_and_count(self):
        self.fault(service="eutils", endpoint="efetch", kind="500", skip=1, count=2)
        self.fault(service="crossref", kind="429", retry_after=7)
        self.fault(service="arxiv", kind="503")
        self.fault(service="europepmc", kind="502")
        codes = [self.efetch(id="1").status for _ in range(3)]
        self.assertEqual(codes, [200, 500, 500])
        self.assertEqual(self.esearch(term="x").status, 200)     # another endpoint
        self.assertEqual(self.efetch(id="1").status, 200)        # count used up
        r = self.get("/works/10.5555/mock.1/transform/" + UNIXSD)
        self.assertEqual((r.status, r.header("Retry-After")), (429, "7"))
        self.assertEqual(r.header("X-Rate-Limit-Limit"), "5")
        self.assertEqual(self.arxiv(search_query="x").status, 503)
        self.assertEqual(self.epmc(query="x").status, 502)
        self.assertEqual(self.epmc(query="x").status, 200)
        log = self.log()
        self.assertEqual([e["fault"] for e in log if e["fault"]], ["500", "500", "429", "503", "502"])
        faults = self.ctl("GET", "/_mock/faults")
        self.assertEqual(len(faults), 4)
        self.ctl("DELETE", "/_mock/faults")
        self.assertEqual(self.ctl("GET", "/_mock/faults"), [])

    def test_fault_counts_toward_rate_limit(self):
        self.strict_rates()
        self.fault(service="eutils", kind="503", count=3)
        codes = [self.esearch(term="x").status for _ in range(4)]
        self.assertEqual(codes, [503, 503, 503, 429])

    def test_fault_truncate(self):
        self.fault(service="eutils", kind="truncate")
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        conn.request("GET", "/entrez/eutils/esearch.fcgi?db=pubmed&term=social+prescribing&retmax=100")
        r = conn.getresponse()
        self.assertEqual(r.status, 200)
        self.assertTrue(int(r.getheader("Content-Length")) > 0)
        with self.assertRaises(http.client.IncompleteRead):
            r.read()
        conn.close()

    def test_fault_truncate_clean(self):
        self.fault(service="europepmc", kind="truncate-clean")
        r = self.epmc(query="social prescribing", resultType="core")
        self.assertEqual(r.status, 200)
        self.assertIsNone(r.header("Content-Length"))
        self.assertEqual(r.header("Connection"), "close")
        self.assertTrue(r.body.startswith(b"<?xml"))
        with self.assertRaises(ET.ParseError):
            r.xml()

    def test_fault_slow_and_stall(self):
        self.fault(service="crossref", kind="slow", delay=0.4)
        t = time.time()
        r = self.get("/works/10.5555/mock.1/transform/" + UNIXSD)
        self.assertEqual(r.status, 200)
        self.assertGreaterEqual(time.time() - t, 0.4)
        self.fault(service="crossref", kind="slow", delay=2)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=0.3)
        conn.request("GET", "/works/10.5555/mock.1/transform/" + UNIXSD)
        with self.assertRaises(socket.timeout):
            conn.getresponse()
        conn.close()
        self.fault(service="arxiv", kind="stall", delay=0.4)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        t = time.time()
        conn.request("GET", "/api/query?search_query=social+prescribing&max_results=5")
        r = conn.getresponse()
        t_headers = time.time() - t
        body = r.read()
        t_body = time.time() - t
        conn.close()
        self.assertLess(t_headers, 0.3)
        self.assertGreaterEqual(t_body, 0.4)
        self.assertEqual(len(ET.fromstring(body).findall(ATOM + "entry")), 5)

    def test_fault_html(self):
        self.fault(service="eutils", endpoint="esearch.fcgi", kind="html")
        r = self.esearch(term="x")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("Content-Type").startswith("text/html"))
        self.assertIn(b"Service temporarily unavailable", r.body)

    def test_fault_error_in_band(self):
        for svc, endpoint in (("eutils", "esearch.fcgi"), ("eutils", "efetch.fcgi"), ("europepmc", None),
                              ("arxiv", None), ("crossref", None)):
            self.fault(service=svc, endpoint=endpoint, kind="error")
        x = self.esearch(term="x").xml()
        self.assertEqual(x.tag, "eSearchResult")
        self.assertTrue(x.findtext("ERROR"))
        x = self.efetch(id="1").xml()
        self.assertEqual(x.tag, "eFetchResult")
        self.assertTrue(x.findtext("ERROR"))
        r = self.epmc(query="social prescribing")
        self.assertEqual(r.status, 200)
        x = r.xml()
        self.assertEqual(x.tag, "responseWrapper")
        self.assertIsNone(x.find("resultList"))
        self.assertTrue(x.findtext("errMsg"))
        x = self.arxiv(search_query="social prescribing").xml()
        self.assertEqual(x.findtext(OPENSEARCH + "totalResults"), "1")
        entry = x.find(ATOM + "entry")
        self.assertTrue(entry.findtext(ATOM + "id").startswith("http://arxiv.org/api/errors#"))
        self.assertEqual(entry.findtext(ATOM + "title"), "Error")
        r = self.get("/works/10.5555/mock.1/transform/" + UNIXSD)
        self.assertEqual(r.status, 200)
        q = r.xml().find("%squery_result/%sbody/%squery" % (QRS, QRS, QRS))
        self.assertEqual(q.get("status"), "unresolved")

    def test_fault_reset(self):
        self.fault(service="eutils", kind="reset")
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        conn.request("GET", "/entrez/eutils/esearch.fcgi?db=pubmed&term=x")
        with self.assertRaises((ConnectionResetError, http.client.RemoteDisconnected, BrokenPipeError)):
            conn.getresponse().read()
        conn.close()
        e = self.log()[-1]
        self.assertEqual((e["fault"], e["status"]), ("reset", None))

    # -- keep-alive and control -------------------------------------------

    def test_keep_alive(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        for k in range(3):
            r = self.request("GET", "/works/10.5555/mock.1/transform/" + UNIXSD, conn=conn)
            self.assertEqual(r.status, 200)
        r = self.request("GET", "/works/10.5555/nope/transform/" + UNIXSD, conn=conn)
        self.assertEqual(r.status, 404)
        r = self.request("GET", "/nowhere", conn=conn)
        self.assertEqual(r.status, 404)
        conn.close()

    def test_control_errors_reset_and_config(self):
        r = self.request("POST", "/_mock/fault", body='{"service":"eutils","kind":"nope"}')
        self.assertEqual(r.status, 400)
        r = self.request("POST", "/_mock/config", body="{not json")
        self.assertEqual(r.status, 400)
        self.fault(service="eutils", kind="500", count=-1)
        self.ctl("POST", "/_mock/add", {"service": "pubmed", "query": "social prescribing", "count": 2})
        self.assertEqual(self.esearch(term="x").status, 500)
        self.ctl("POST", "/_mock/reset")
        self.assertEqual(self.log(), [])
        self.assertEqual(self.ctl("GET", "/_mock/faults"), [])
        self.assertEqual(self.esearch(term="social prescribing").xml().findtext("Count"), "120")
        self.ctl("POST", "/_mock/config", {"pubmed": {"queries": {"other": {"count": 4}}}})
        self.assertEqual(self.esearch(term="social prescribing").xml().findtext("Count"), "0")
        self.assertEqual(self.esearch(term="other").xml().findtext("Count"), "4")
        self.assertEqual(self.ctl("GET", "/_mock/config")["pubmed"]["queries"], {"other": {"count": 4}})
        # a query added to from nothing
        self.ctl("POST", "/_mock/add", {"service": "pubmed", "query": "brand new", "count": 5})
        self.assertEqual(self.esearch(term="brand new").xml().findtext("Count"), "5")
        self.ctl("POST", "/_mock/add", {"service": "arxiv", "query": "brand new", "count": 2})
        feed = self.arxiv(search_query="brand new").xml()
        self.assertEqual(feed.findtext(OPENSEARCH + "totalResults"), "2")


class StartStopTest(unittest.TestCase):
    def test_default_config_and_sigterm(self):
        tmp = tempfile.mkdtemp(prefix="mock-test.")
        proc, port = start_mock(tmp, [])
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/entrez/eutils/esearch.fcgi?db=pubmed&term=social%20prescribing")
            x = ET.fromstring(conn.getresponse().read())
            self.assertEqual(x.findtext("Count"), "120")
            conn.close()
        finally:
            proc.send_signal(signal.SIGTERM)
            self.assertEqual(proc.wait(timeout=5), 0)
            proc.stdout.close()
            for name in os.listdir(tmp):
                os.unlink(os.path.join(tmp, name))
            os.rmdir(tmp)


def start_mock(tmp, extra):
    port_file = os.path.join(tmp, "port")
    args = [sys.executable, MOCK, "--port", "0", "--port-file", port_file] + extra
    if HAVE_SHARED:
        args += ["--shared-data", SHARED]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.time() + 10
    while not os.path.exists(port_file):
        if proc.poll() is not None:
            raise RuntimeError("mock exited: %s" % proc.stdout.read().decode())
        if time.time() > deadline:
            proc.kill()
            raise RuntimeError("mock wrote no port file in 10 s")
        time.sleep(0.05)
    with open(port_file) as f:
        return proc, int(f.read())


if __name__ == "__main__":
    unittest.main()
