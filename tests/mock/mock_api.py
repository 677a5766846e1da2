#!/usr/bin/env python3
"""Loopback mock of the bibliographic APIs winnow talks to (winnow issue 4).

One HTTP/1.1 server on 127.0.0.1 serves, below one port, the paths the real
services use below their base URL:

  E-utilities  /entrez/eutils/{esearch,efetch}.fcgi  (eutils.ncbi.nlm.nih.gov)
  Europe PMC   /europepmc/webservices/rest/{search,searchPOST}  (www.ebi.ac.uk)
  arXiv        /api/query                             (export.arxiv.org)
  Crossref     /works/{doi}/transform[/application/vnd.crossref.unixsd+xml]
                                                      (api.crossref.org)

with their rate limits and zero-hit and error answers, plus fault injection and
a request log under /_mock/ (JSON in and out, never rate limited, not logged).
Records are synthetic and deterministic (built from the templates in
corpus/api/), or real ones from ../shared/data when a query names a file.

  python3 tests/mock/mock_api.py --port 0 --port-file PATH
          [--shared-data DIR] [--config FILE] [--templates DIR] [--verbose]
  python3 tests/mock/mock_api.py ctl URL METHOD PATH [JSON]   (control client)
  python3 tests/mock/mock_api.py ctl URL count [--service S] [--endpoint E] [--status N]
  python3 tests/mock/mock_api.py ctl URL gap --service S [--endpoint E]

Python 3 standard library only.  The control API and the configuration are
described in tests/mock/README.md.
"""

import argparse
import base64
import bisect
import copy
import datetime
import hashlib
import json
import os
import re
import signal
import socket
import struct
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape as xml_escape

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_TEMPLATES = os.path.normpath(os.path.join(HERE, "..", "..", "corpus", "api"))

DEFAULT_CONFIG = {
    "pubmed": {
        "queries": {
            "social prescribing": {"count": 120, "from": "2005/01/01", "to": "2024/12/31"},
            "psoas abscess": {"file": "pubmed-psoas-abscess-292/pubmed_result.xml"},
        },
        "rate": 3,
        "rate_with_key": 10,
    },
    "europepmc": {"queries": {"social prescribing": {"count": 60}}, "rate": 10},
    "arxiv": {"queries": {"social prescribing": {"count": 25}}, "interval": 3.0},
    "crossref": {
        "dois": {
            "10.5555/mock.1": {
                "title": "Social prescribing and loneliness in older adults: a mixed-methods evaluation",
                "abstract": "Social prescribing links patients in primary care with non-clinical "
                            "support in the community. We evaluated a link-worker scheme in three "
                            "practices and found lower loneliness scores at six months.",
                "journal": "Journal of Community Health Research",
                "year": 2019,
            }
        },
        "rate_limit": 50,
        "rate_interval": 1,
    },
}

SERVICES = ("eutils", "europepmc", "arxiv", "crossref")
SERVICE_ALIASES = {"pubmed": "eutils", "eutils": "eutils", "europepmc": "europepmc",
                   "epmc": "europepmc", "arxiv": "arxiv", "crossref": "crossref"}
# the config section of each service
CONFIG_KEY = {"eutils": "pubmed", "europepmc": "europepmc", "arxiv": "arxiv", "crossref": "crossref"}

PUBMED_HISTORY_CAP = 10000   # EFetch from a history set serves its first 10,000 records
ESEARCH_RETSTART_MAX = 9998  # ESearch pages through the first 9,999 ids

# --------------------------------------------------------------------------
# Templates
# --------------------------------------------------------------------------


class Template:
    """A str.format template; <!--opt:NAME-->...<!--/opt:NAME--> spans become
    optional parts rendered only when NAME is switched on; other comments go."""

    OPT = re.compile(r"<!--opt:(\w+)-->(.*?)<!--/opt:\1-->", re.S)

    def __init__(self, text, compact=False):
        self.opts = {}

        def take(m):
            self.opts[m.group(1)] = m.group(2)
            return "{opt_%s}" % m.group(1)

        text = self.OPT.sub(take, text)
        text = re.sub(r"<!--.*?-->\n?", "", text, flags=re.S)
        if compact:   # one line, as the real service writes it
            squeeze = re.compile(r"(?<=[>}])\s*\n\s*(?=[<{])")
            text = squeeze.sub("", text)
            self.opts = {k: squeeze.sub("", v).strip() for k, v in self.opts.items()}
        self.text = text

    def render(self, values, on=()):
        for name, sub in self.opts.items():
            values["opt_" + name] = sub.format_map(values) if name in on else ""
        return self.text.format_map(values)


class Templates:
    FILES = {
        "article": ("pubmed-article.xml", False),
        "article_set": ("pubmed-article-set.xml", False),
        "esearch": ("esearch-result.xml", False),
        "epmc_result": ("europepmc-result-core.xml", True),
        "epmc_response": ("europepmc-response.xml", True),
        "arxiv_entry": ("arxiv-entry.xml", False),
        "arxiv_feed": ("arxiv-feed.xml", False),
        "crossref": ("crossref-unixsd.xml", False),
        "crossref_contributor": ("crossref-contributor.xml", False),
    }

    def __init__(self, directory):
        for attr, (name, compact) in self.FILES.items():
            with open(os.path.join(directory, name), encoding="utf-8") as f:
                setattr(self, attr, Template(f.read(), compact))
        # the XML declaration of the Europe PMC answer stays on a line of its own
        # in the template; the real service writes everything on one line
        self.epmc_response.text = self.epmc_response.text.replace("?>\n", "?>", 1).rstrip("\n")


# --------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
MONTH_NUM = {m.lower(): i + 1 for i, m in enumerate(MONTHS)}


def parse_date(text, end=False):
    """YYYY, YYYY/MM or YYYY/MM/DD (also with '-' or '.') -> ordinal day, or None.
    end=True gives the last day of a year or month."""
    m = re.fullmatch(r"\s*(\d{4})(?:[/.-](\d{1,2})(?:[/.-](\d{1,2}))?)?\s*", text or "")
    if not m:
        return None
    y = int(m.group(1))
    try:
        if m.group(3):
            return datetime.date(y, int(m.group(2)), int(m.group(3))).toordinal()
        if m.group(2):
            mo = int(m.group(2))
            if not end:
                return datetime.date(y, mo, 1).toordinal()
            nxt = datetime.date(y + (mo == 12), mo % 12 + 1, 1)
            return nxt.toordinal() - 1
        return datetime.date(y, 12, 31).toordinal() if end else datetime.date(y, 1, 1).toordinal()
    except ValueError:
        return None


_DATE_CACHE = {}


def ymd(ordinal):
    d = _DATE_CACHE.get(ordinal)
    if d is None:
        d = datetime.date.fromordinal(ordinal)
        _DATE_CACHE[ordinal] = d
    return d


def today_ordinal():
    return datetime.date.today().toordinal()


# --------------------------------------------------------------------------
# Deterministic synthetic articles
# --------------------------------------------------------------------------

OUTCOMES = ["loneliness", "wellbeing", "depressive symptoms", "anxiety", "physical activity",
            "quality of life", "social isolation", "self-rated health", "health service use",
            "general practice attendance", "emergency admissions", "self-efficacy",
            "community participation", "mental wellbeing", "blood pressure",
            "medication adherence", "frailty", "falls", "sleep quality", "financial strain",
            "food insecurity", "cognitive function", "patient activation", "carer burden",
            "health literacy"]
POPULATIONS = ["older adults", "adults with long-term conditions", "young people",
               "people with dementia", "unpaid carers", "refugees", "people with chronic pain",
               "university students", "rural residents", "people with type 2 diabetes",
               "frequent attenders", "people living alone", "men over fifty", "pregnant women",
               "people with serious mental illness", "unemployed adults",
               "ethnic minority groups", "people with obesity", "veterans",
               "low-income households"]
# (phrase, PublicationType, its MeSH UI)
DESIGNS = [("a randomised controlled trial", "Randomized Controlled Trial", "D016449"),
           ("a cluster randomised trial", "Randomized Controlled Trial", "D016449"),
           ("a prospective cohort study", "Observational Study", "D064888"),
           ("a retrospective cohort study", "Observational Study", "D064888"),
           ("a systematic review", "Systematic Review", "D000078182"),
           ("a meta-analysis", "Meta-Analysis", "D017418"),
           ("a realist evaluation", "Evaluation Study", "D023362"),
           ("a controlled before-and-after study", "Comparative Study", "D003160"),
           ("a multicentre pilot trial", "Multicenter Study", "D016448"),
           ("a narrative review", "Review", "D016454"),
           ("a feasibility trial", "Clinical Trial", "D016430"),
           ("a mixed-methods evaluation", "Evaluation Study", "D023362")]
CONNECTORS = ["and", "for", "to reduce", "to improve", "and its effect on"]
SETTINGS = ["in primary care", "in the community", "in urban areas", "in England",
            "in Scotland", "in Australia", "in the Netherlands", "in Canada"]
SURNAMES = ["Smith", "Okafor", "Nguyen", "García", "Müller", "Kowalski", "Haddad", "Larsen",
            "O'Brien", "Tanaka", "Rossi", "Dubois", "Singh", "Andersson", "Kim", "Papadopoulos",
            "Novak", "Fernandes", "Cohen", "Ivanova", "Moreau", "Jansen", "Bianchi", "Walker",
            "Chen", "Mensah", "Hughes", "Lindqvist", "Petrov", "Romero", "Sato", "Eriksen",
            "Murphy", "Kaur", "Schmidt", "Costa", "Ahmed", "Virtanen", "Baker", "Wójcik"]
FORENAMES = ["Anna", "James", "Mei", "Carlos", "Sofia", "Tomasz", "Leila", "Henrik", "Siobhan",
             "Yuki", "Marco", "Claire", "Arjun", "Ingrid", "Ji-Woo", "Eleni", "Petra", "João",
             "David", "Olga", "Camille", "Pieter", "Giulia", "Thomas", "Wei", "Kwame", "Rhys",
             "Astrid", "Nikolai", "Lucía"]
AFFILIATIONS = ["Department of Primary Care and Public Health, University of Exampleton, Exampleton, UK.",
                "School of Health Sciences, Northfield University, Northfield, UK.",
                "Institute of Social Medicine, Riverside University, Riverside, Australia.",
                "Department of General Practice, Lowland Medical Centre, Utrecht, The Netherlands.",
                "Centre for Ageing Research, Lakeside University, Toronto, Canada.",
                "Faculty of Medicine, Hillcrest University, Glasgow, UK.",
                "Department of Psychology, Eastbrook University, Melbourne, Australia.",
                "Public Health Unit, Harbour City Council, Bristol, UK.",
                "Nursing Research Group, Westmoor University, Leeds, UK.",
                "Department of Epidemiology, Southgate Institute, Copenhagen, Denmark."]
# (title, ISO abbreviation, ISSN seed, NLM id, country)
JOURNALS = [("Journal of Community Health Research", "J Community Health Res", 1357, "9612345", "England"),
            ("Primary Care Evidence", "Prim Care Evid", 2046, "101234567", "England"),
            ("International Journal of Social Prescribing", "Int J Soc Prescr", 2752, "101765432", "England"),
            ("Ageing and Society Reports", "Ageing Soc Rep", 1471, "9876543", "England"),
            ("Public Health in Practice Quarterly", "Public Health Pract Q", 2666, "101777888", "Netherlands"),
            ("Scandinavian Journal of Welfare Medicine", "Scand J Welf Med", 1403, "9700123", "Sweden"),
            ("Australasian Journal of Health Services", "Australas J Health Serv", 1832, "101555444", "Australia"),
            ("Canadian Review of Family Medicine", "Can Rev Fam Med", 1715, "101333222", "Canada")]
MESH = [("Loneliness", "D057565"), ("Primary Health Care", "D011320"), ("Social Support", "D012944"),
        ("Mental Health", "D008603"), ("Quality of Life", "D011788"),
        ("Community Health Services", "D003153"), ("Referral and Consultation", "D012017"),
        ("Depression", "D003863"), ("Anxiety", "D001007"), ("Exercise", "D015444"),
        ("Health Promotion", "D006293"), ("Social Isolation", "D012932"),
        ("Patient Satisfaction", "D017060"), ("Aged", "D000368"), ("Adult", "D000328"),
        ("Female", "D005260"), ("Male", "D008297"), ("General Practice", "D058006")]
QUALIFIERS = [("methods", "Q000379", "MT"), ("psychology", "Q000523", "PX"),
              ("organization &amp; administration", "Q000458", "OG"),
              ("statistics &amp; numerical data", "Q000706", "SN"), ("therapy", "Q000628", "TH")]
KEYWORDS = ["link worker", "community referral", "non-medical intervention", "green space",
            "arts on prescription", "health inequalities", "wellbeing", "peer support",
            "volunteering", "complex intervention", "implementation", "cost-effectiveness"]
LANGUAGES = ["eng"] * 15 + ["ger", "spa"]
ARXIV_METHODS = ["a network analysis", "an agent-based model", "a machine learning approach",
                 "a Bayesian hierarchical model", "causal inference from observational data",
                 "a natural language processing pipeline", "a survey experiment",
                 "a simulation study"]
ARXIV_CATEGORIES = [("cs.CY", "cs.SI"), ("physics.soc-ph", "cs.SI"), ("q-bio.PE", "stat.AP"),
                    ("stat.AP", "stat.ME"), ("cs.CL", "cs.IR"), ("cs.LG", "stat.ML")]


def issn_from(seed, n):
    digits = "%04d%03d" % (seed, n % 1000)
    s = sum(int(c) * w for c, w in zip(digits, range(8, 1, -1)))
    check = (11 - s % 11) % 11
    return "%s-%s%s" % (digits[:4], digits[4:], "X" if check == 10 else str(check))


def orcid_from(n):
    base = "00000002%08d" % (n % 100000000)
    total = 0
    for c in base[:15]:
        total = (total + int(c)) * 2
    r = (12 - total % 11) % 11
    digits = base[:15] + ("X" if r == 10 else str(r))
    return "-".join(digits[i:i + 4] for i in range(0, 16, 4))


JOURNAL_INFO = [(t, iso, issn_from(seed, 1), issn_from(seed + 1, 7), nlm, country)
                for t, iso, seed, nlm, country in JOURNALS]


def medline_pages(first, last):
    a, b = str(first), str(last)
    if len(a) == len(b):
        k = 0
        while k < len(a) - 1 and a[k] == b[k]:
            k += 1
        b = b[k:]
    return "%s-%s" % (a, b)


def topic_of(query):
    """A readable topic phrase from a search query: no field tags, quotes,
    brackets or Boolean operators."""
    q = re.sub(r"\[[^\]]*\]", " ", query)
    q = re.sub(r"\b(?:all|ti|abs|au|cat):", " ", q)
    q = re.sub(r"[\"()*:]", " ", q)
    words = [w for w in q.split() if w not in ("AND", "OR", "NOT")]
    text = " ".join(words) or "Intervention"
    return xml_escape(text[:1].upper() + text[1:])


def wrap_lines(text, width, indent_first=""):
    out, line = [], indent_first
    for w in text.split():
        if len(line) + len(w) + 1 > width and line.strip():
            out.append(line.rstrip())
            line = ""
        line += w + " "
    out.append(line.rstrip())
    return "\n".join(out)


def article_values(topic, i, pmid, edat, hour_seed):
    """The field values of synthetic article i (dict for the templates)."""
    j = (i * 7919 + hour_seed) % 240000
    outcome = OUTCOMES[j % 25]
    j //= 25
    population = POPULATIONS[j % 20]
    j //= 20
    design, ptype, ptype_ui = DESIGNS[j % 12]
    j //= 12
    connector = CONNECTORS[j % 5]
    setting = SETTINGS[(j // 5) % 8]
    topic_lc = topic[:1].lower() + topic[1:]
    title = "%s %s %s among %s %s: %s." % (topic, connector, outcome, population, setting, design)
    pdat = edat - 30
    mdat = edat + 60
    comp = edat + 21
    e, p, m, c = ymd(edat), ymd(pdat), ymd(mdat), ymd(comp)
    recv, acc = ymd(edat - 150), ymd(edat - 45)
    jt, jiso, issn, essn, nlm, country = JOURNAL_INFO[(i + hour_seed) % len(JOURNAL_INFO)]
    first_page = 1 + (i * 37 + hour_seed) % 980
    last_page = first_page + 5 + i % 11
    a = [((i * 3 + k * 7 + hour_seed) % len(SURNAMES), (i * 5 + k * 11 + hour_seed) % len(FORENAMES))
         for k in range(3)]
    n_part = 40 + (i * 13) % 900
    pct = 3 + (i * 7) % 25
    mesh1, mesh2, mesh3 = (MESH[(i + k * 5) % len(MESH)] for k in range(3))
    qual = QUALIFIERS[i % len(QUALIFIERS)]
    v = {
        "pmid": pmid, "doi": "10.5555/mock.%d" % pmid, "pmcid": "PMC%d" % (9000000 + pmid % 1000000),
        "title": title, "topic": topic,
        "abs_background": "%s is promoted as a way to address %s among %s, but evidence %s remains limited."
                          % (topic, outcome, population, setting),
        "abs_methods": "We conducted %s %s between %d and %d, recruiting %d participants through general practices and community organisations."
                       % (design, setting, p.year - 3, p.year - 1, n_part),
        "abs_results": "Compared with usual care, %s was associated with a %d%% improvement in %s (95%% CI %d to %d); %d participants withdrew."
                       % (topic_lc, pct, outcome, max(1, pct - 4), pct + 5, n_part // 12),
        "abs_conclusions": "%s may benefit %s; trials with longer follow-up are needed." % (topic, population),
        "journal": jt, "journal_iso": jiso, "issn": issn, "essn": essn, "nlm_id": nlm,
        "journal_country": country,
        "volume": str(p.year - 1990), "issue": str(1 + i % 12),
        "page_first": first_page, "page_last": last_page,
        "medline_pgn": medline_pages(first_page, last_page),
        "language": LANGUAGES[i % len(LANGUAGES)],
        "ptype": ptype, "ptype_ui": ptype_ui,
        "mesh1": mesh1[0], "mesh1_ui": mesh1[1], "mesh2": mesh2[0], "mesh2_ui": mesh2[1],
        "mesh3": mesh3[0], "mesh3_ui": mesh3[1],
        "qual": qual[0], "qual_ui": qual[1], "qual_abbr": qual[2],
        "kw1": KEYWORDS[i % len(KEYWORDS)], "kw2": KEYWORDS[(i + 5) % len(KEYWORDS)],
        "edat_y": e.year, "edat_m": e.month, "edat_d": e.day,
        "edat_hour": (i + hour_seed) % 24, "edat_minute": (i * 7) % 60, "edat_iso": e.isoformat(),
        "pdat_y": p.year, "pdat_m": p.month, "pdat_mm": "%02d" % p.month, "pdat_dd": "%02d" % p.day,
        "pdat_mon": MONTHS[p.month - 1], "pdat_iso": p.isoformat(),
        "mdat_y": m.year, "mdat_mm": "%02d" % m.month, "mdat_dd": "%02d" % m.day, "mdat_iso": m.isoformat(),
        "comp_y": c.year, "comp_m": c.month, "comp_d": c.day, "comp_mm": "%02d" % c.month,
        "comp_dd": "%02d" % c.day, "comp_iso": c.isoformat(),
        "recv_y": recv.year, "recv_m": recv.month, "recv_d": recv.day,
        "acc_y": acc.year, "acc_m": acc.month, "acc_d": acc.day,
        "journal_issue_id": 3000000 + (i + hour_seed) % 900000,
        "open_access": "Y" if i % 3 == 0 else "N", "cited_by": (i * 17) % 140,
    }
    for k, (si, fi) in enumerate(a, 1):
        last, fore = SURNAMES[si], FORENAMES[fi]
        init = "".join(part[0] for part in fore.split("-"))
        v["a%d_last" % k] = xml_escape(last)
        v["a%d_fore" % k] = fore
        v["a%d_init" % k] = init
        v["a%d_full" % k] = xml_escape("%s %s" % (last, init))
        v["a%d_aff" % k] = AFFILIATIONS[(si + k) % len(AFFILIATIONS)]
    v["a1_orcid"] = orcid_from(pmid * 7 + 13)
    v["author_string"] = "%s, %s, %s." % (v["a1_full"], v["a2_full"], v["a3_full"])
    return v


# --------------------------------------------------------------------------
# Datasets
# --------------------------------------------------------------------------


def norm_query(q):
    """Configured queries and requests are compared without case, field tags,
    quotes, brackets and repeated blanks."""
    q = re.sub(r"\[(?:all fields|all|tiab|title/abstract|ti|tw)\]", " ", q.lower())
    q = re.sub(r"\b(?:all|ti|abs):", " ", q)
    q = re.sub(r"[\"()]", " ", q)
    return " ".join(q.split())


def base_number(query, slot_size, slots, lo):
    h = int(hashlib.sha1(query.encode("utf-8")).hexdigest(), 16)
    return lo + (h % slots) * slot_size


class Dataset:
    """The records of one query of one service, oldest first: parallel lists of
    entry dates (ordinals) and ids, plus a renderer."""

    def __init__(self, service, query, spec, shared_data, taken):
        self.service = service
        self.query = query
        self.topic = topic_of(query)
        self.spec = spec
        self.hour_seed = int(hashlib.sha1(query.encode("utf-8")).hexdigest()[:6], 16) % 1000
        self.dates = []
        self.ids = []
        self.raw = None      # pmid -> real PubmedArticle text, for file datasets
        self.linked = None   # (pubmed dataset, index map) when Europe PMC mirrors PubMed
        self.base = None
        self.pos = None      # pmid -> index, built when first needed
        if "file" in spec:
            self._load_file(spec["file"], shared_data)
        else:
            self._synthetic(spec, taken)

    def _synthetic(self, spec, taken):
        n = int(spec.get("count", 0))
        if self.service == "arxiv":
            self.base = base_number(self.query, 1, 40000, 10000)
        else:
            # 8-digit PMIDs, 30,000 apart, never overlapping another query's
            slot = 30000
            self.base = base_number(self.query, slot, 2900, 10000000)
            while any(abs(self.base - b) < slot for b in taken):
                self.base += slot
                if self.base > 99999999 - slot:
                    self.base = 10000000
        lo = parse_date(spec.get("from", "2005/01/01")) or parse_date("2005/01/01")
        hi = parse_date(spec.get("to", "2024/12/31"), end=True) or parse_date("2024/12/31")
        same_day = parse_date(spec["same_day"]) if spec.get("same_day") else None
        n_same = int(spec.get("same_day_count", n)) if same_day else 0
        n_same = min(n_same, n)
        spread = n - n_same
        dates = []
        for k in range(spread):
            dates.append(lo + ((hi - lo) * k) // (spread - 1) if spread > 1 else lo)
        dates.extend([same_day] * n_same)
        dates.sort()
        self.dates = dates
        self.ids = [self.base + k for k in range(n)]

    def _load_file(self, rel, shared_data):
        self.raw = {}
        if not shared_data:
            return
        path = os.path.join(shared_data, rel)
        if not os.path.isfile(path):
            return
        with open(path, encoding="utf-8") as f:
            text = f.read()
        recs = []
        for m in re.finditer(r"<PubmedArticle>.*?</PubmedArticle>", text, re.S):
            chunk = m.group(0)
            pm = re.search(r"<PMID[^>]*>(\d+)</PMID>", chunk)
            if not pm:
                continue
            pmid = int(pm.group(1))
            ed = re.search(r'<PubMedPubDate PubStatus="entrez">\s*<Year>(\d+)</Year>\s*'
                           r"<Month>(\d+)</Month>\s*<Day>(\d+)</Day>", chunk)
            edat = (datetime.date(int(ed.group(1)), int(ed.group(2)), int(ed.group(3))).toordinal()
                    if ed else parse_date("2000/01/01"))
            recs.append((edat, pmid, chunk))
        recs.sort(key=lambda r: (r[0], r[1]))
        self.dates = [r[0] for r in recs]
        self.ids = [r[1] for r in recs]
        self.raw = {r[1]: r[2] for r in recs}
        self.base = None

    def __len__(self):
        return len(self.ids)

    def add(self, count, date=None):
        """Append count records dated after every existing one."""
        last = self.dates[-1] if self.dates else 0
        day = parse_date(date) if date else None
        if day is None:
            day = max(today_ordinal(), last + 1)
        day = max(day, last)
        if self.base is None:
            # a file dataset or a Europe PMC one mirroring PubMed: new PMIDs
            # above every existing one, so that base + index holds for them
            self.base = max(self.ids or [base_number(self.query, 30000, 2900, 10000000)]) + 1 - len(self.ids) + 30000
        new = []
        for _ in range(count):
            k = len(self.ids)
            pid = self.base + k
            self.ids.append(pid)
            self.dates.append(day)
            new.append(pid)
        return new

    def index_range(self, lo, hi):
        """Indices [a, b) of the records whose entry date lies in [lo, hi]."""
        a = bisect.bisect_left(self.dates, lo) if lo is not None else 0
        b = bisect.bisect_right(self.dates, hi) if hi is not None else len(self.dates)
        return a, max(a, b)

    def index_of(self, pmid):
        if self.base is not None:
            k = pmid - self.base
            if 0 <= k < len(self.ids) and self.ids[k] == pmid:
                return k
        if self.pos is None or len(self.pos) != len(self.ids):
            self.pos = {p: k for k, p in enumerate(self.ids)}
        return self.pos.get(pmid)

    def values(self, k):
        if self.linked is not None and k < len(self.linked[1]):
            pm, idx = self.linked
            return pm.values(idx[k])
        return article_values(self.topic, k, self.ids[k], self.dates[k], self.hour_seed)


# --------------------------------------------------------------------------
# State
# --------------------------------------------------------------------------


class Fault:
    def __init__(self, spec, fid):
        self.id = fid
        svc = spec.get("service", "*")
        self.service = SERVICE_ALIASES.get(svc, svc)
        if self.service not in SERVICES and self.service not in ("*", "any"):
            raise ValueError("unknown service %r" % svc)
        self.endpoint = spec.get("endpoint")
        self.kind = str(spec.get("kind", ""))
        if self.kind not in FAULT_KINDS:
            raise ValueError("unknown fault kind %r (one of %s)" % (self.kind, ", ".join(FAULT_KINDS)))
        self.skip = int(spec.get("skip", 0))
        self.count = int(spec.get("count", 1))
        self.params = spec
        self.matched = 0
        self.fired = 0

    def matches(self, service, endpoint, last_segment):
        if self.service not in ("*", "any") and self.service != service:
            return False
        return self.endpoint in (None, "", endpoint, last_segment) or endpoint == "%s.fcgi" % self.endpoint

    def as_json(self):
        d = dict(self.params)
        d.update(id=self.id, matched=self.matched, fired=self.fired)
        return d


FAULT_KINDS = ("429", "500", "502", "503", "truncate", "truncate-clean", "slow", "stall",
               "html", "error", "reset")


class State:
    def __init__(self, config, shared_data):
        self.lock = threading.RLock()
        self.shared_data = shared_data
        self.log = []
        self.faults = []
        self.fault_seq = 0
        self.set_config(config)

    def set_config(self, config):
        with self.lock:
            self.config = copy.deepcopy(config)
            for key in ("pubmed", "europepmc", "arxiv", "crossref"):
                self.config.setdefault(key, {})
            self.datasets = {}
            self.webenvs = {}
            self.webenv_seq = 0
            self.windows = {}
            self.arxiv_last = None
            self._build()

    def _build(self):
        taken = []
        for svc in ("eutils", "europepmc", "arxiv"):
            queries = self.config[CONFIG_KEY[svc]].get("queries", {}) or {}
            for q, spec in queries.items():
                ds = self._make_dataset(svc, q, spec or {}, taken)
                self.datasets[(svc, norm_query(q))] = ds

    def _make_dataset(self, svc, q, spec, taken):
        if svc == "europepmc" and "file" not in spec:
            pm = self.datasets.get(("eutils", norm_query(q)))
            if pm is not None and pm.raw is None and len(pm) > 0:
                # the same articles as PubMed's answer to the query: same PMIDs,
                # dates and metadata, so that a review finds them as duplicates
                ds = Dataset(svc, q, {"count": 0}, self.shared_data, taken)
                n = int(spec.get("count", 0))
                idx = [min(len(pm) - 1, (k * len(pm)) // n) for k in range(n)] if n else []
                ds.linked = (pm, idx)
                ds.ids = [pm.ids[k] for k in idx]
                ds.dates = [pm.dates[k] for k in idx]
                ds.base = None
                ds.topic = pm.topic
                ds.hour_seed = pm.hour_seed
                return ds
        ds = Dataset(svc, q, spec, self.shared_data, taken)
        if ds.base is not None and svc != "arxiv":
            taken.append(ds.base)
        return ds

    def dataset(self, svc, query):
        return self.datasets.get((svc, norm_query(query)))

    def reset(self):
        with self.lock:
            self.log = []
            self.faults = []
            self.set_config(self.config)

    # -- faults and rate limits ------------------------------------------

    def pick_fault(self, service, endpoint, last_segment):
        chosen = None
        for f in self.faults:
            if not f.matches(service, endpoint, last_segment):
                continue
            n = f.matched
            f.matched += 1
            if chosen is None and n >= f.skip and (f.count < 0 or n < f.skip + f.count):
                f.fired += 1
                chosen = f
        return chosen

    def over_window(self, key, limit, interval, now):
        """Count a request in a sliding window; True when it is one too many."""
        if not limit or limit <= 0:
            return False, 0
        w = self.windows.setdefault(key, deque())
        while w and w[0] <= now - interval:
            w.popleft()
        over = len(w) >= limit
        w.append(now)
        return over, len(w)


# --------------------------------------------------------------------------
# Responses
# --------------------------------------------------------------------------


class Response:
    def __init__(self, status, body, ctype="text/xml; charset=UTF-8", headers=None):
        self.status = status
        self.body = body.encode("utf-8") if isinstance(body, str) else body
        self.ctype = ctype
        self.headers = list(headers or [])


EFETCH_ERROR_DOCTYPE = ('<?xml version="1.0" encoding="UTF-8" ?>\n'
                        '<!DOCTYPE eEfetchResult PUBLIC "-//NLM//DTD efetch 20131226//EN" '
                        '"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20131226/efetch.dtd">\n')
ESEARCH_DOCTYPE = ('<?xml version="1.0" encoding="UTF-8" ?>\n'
                   '<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN" '
                   '"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n')
RETSTART_ERROR = ("Search Backend failed: Exception:\n'retstart' cannot be larger than 9998. "
                  "For PubMed, ESearch can only retrieve the first 9,999 records matching the query. "
                  "To obtain more than 9,999 PubMed records, consider using EDirect that contains "
                  "additional logic to batch PubMed search results automatically so that an "
                  "arbitrary number can be retrieved. For details see "
                  "https://www.ncbi.nlm.nih.gov/books/NBK25499/")
EFETCH_CAP_ERROR = ("Search Backend failed: Exception:\n'retstart' cannot be larger than 9999. "
                    "For PubMed, EFetch can only retrieve the first 10,000 records of a history "
                    "set. To obtain more, split the search by date (mindate, maxdate).")


def esearch_error(msg):
    return Response(200, "%s<eSearchResult>\n\t<ERROR>%s</ERROR>\n</eSearchResult>\n"
                    % (ESEARCH_DOCTYPE, xml_escape(msg)))


def efetch_error(msg, status=200):
    return Response(status, "%s<eFetchResult>\n\t<ERROR>%s</ERROR>\n</eFetchResult>\n"
                    % (EFETCH_ERROR_DOCTYPE, xml_escape(msg)), )


def html_page(title, text):
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<title>%s</title>\n</head>\n<body>\n<h1>%s</h1>\n<p>%s</p>\n</body>\n</html>\n"
            % (title, title, text))


DATE_TERM = re.compile(
    r"\s+AND\s+\(?\s*\"?(\d{4}(?:/\d{1,2}){0,2})\"?\s*:\s*\"?(\d{4}(?:/\d{1,2}){0,2})\"?\s*"
    r"\[(edat|pdat|mdat|dp|crdt|mhda|date - entry|date - publication|date - modification)\]\s*\)?\s*$",
    re.I)
DATETYPE_OF_TAG = {"edat": "edat", "crdt": "edat", "date - entry": "edat", "pdat": "pdat",
                   "dp": "pdat", "date - publication": "pdat", "mdat": "mdat", "mhda": "mdat",
                   "date - modification": "mdat"}
DATETYPE_LABEL = {"edat": "Date - Entry", "pdat": "Date - Publication", "mdat": "Date - Modification"}
# PDAT and MDAT of a synthetic record are EDAT - 30 and EDAT + 60 days
DATETYPE_SHIFT = {"edat": 0, "pdat": 30, "mdat": -60}


class Service:
    """The behaviour of the four services over a State."""

    def __init__(self, state, templates):
        self.state = state
        self.t = templates

    # -- E-utilities ------------------------------------------------------

    def pubmed_articles(self, refs):
        """refs: (dataset, index) pairs -> PubmedArticleSet document."""
        out = []
        art = self.t.article
        for ds, k in refs:
            if ds.raw is not None and ds.ids[k] in ds.raw:
                out.append(ds.raw[ds.ids[k]] + "\n")
                continue
            v = ds.values(k)
            out.append(art.render(v, ("pmc",) if k % 3 == 0 else ()))
        return self.t.article_set.render({"articles": "".join(out)})

    def esearch(self, p):
        st = self.state
        db = p.get("db", "pubmed")
        if db != "pubmed":
            return esearch_error("Invalid db name specified: %s" % db)
        term = p.get("term", "")
        if not term.strip() and not p.get("query_key"):
            return esearch_error("Empty term and query_key - nothing todo")
        try:
            retstart = int(p.get("retstart", 0) or 0)
            retmax = int(p.get("retmax", 20) or 20) if p.get("retmax", "") != "0" else 0
        except ValueError:
            return esearch_error("Invalid retstart or retmax")
        if retstart > ESEARCH_RETSTART_MAX:
            return esearch_error(RETSTART_ERROR)
        datetype = (p.get("datetype") or "pdat").lower()
        lo = hi = None
        dm = DATE_TERM.search(term)
        base_term = term
        if dm:
            base_term = term[:dm.start()]
            datetype = DATETYPE_OF_TAG[dm.group(3).lower()]
            lo, hi = parse_date(dm.group(1)), parse_date(dm.group(2), end=True)
        mind, maxd = p.get("mindate"), p.get("maxdate")
        if mind and maxd:
            lo, hi = parse_date(mind), parse_date(maxd, end=True)
            if lo is None or hi is None:
                return esearch_error("Invalid date format: %s, %s" % (mind, maxd))
        if datetype not in DATETYPE_SHIFT:
            datetype = "edat"
        shift = DATETYPE_SHIFT[datetype]
        with st.lock:
            ds = st.dataset("eutils", base_term)
            if ds is None or len(ds) == 0:
                a = b = 0
                ids_chrono = []
            else:
                if ds.raw is not None:
                    shift = 0   # real records: every date type filters on the entry date
                a, b = ds.index_range(None if lo is None else lo + shift, None if hi is None else hi + shift)
                ids_chrono = ds.ids[a:b]
            served = ids_chrono[::-1]          # newest entry date first
            count = len(served)
            history = p.get("usehistory", "").lower() == "y"
            v = {"count": count, "retstart": retstart}
            if history:
                st.webenv_seq += 1
                web = p.get("WebEnv") or p.get("webenv")
                if web and web in st.webenvs:
                    key = max(st.webenvs[web]) + 1
                else:
                    web = "MCID_%024x" % (int(hashlib.sha1(("%s/%d/%f" % (term, st.webenv_seq, time.time())).encode()).hexdigest(), 16) % (1 << 96))
                    key = 1
                    st.webenvs[web] = {}
                st.webenvs[web][key] = (ds, list(served))
                v.update(query_key=key, webenv=web)
        window = served[retstart:min(retstart + min(retmax, 10000), ESEARCH_RETSTART_MAX + 1)]
        v["retmax"] = len(window)
        v["ids"] = "".join("<Id>%d</Id>\n" % x for x in window)
        v["translations"] = ""
        words = base_term.strip()
        if "[" in words or '"' in words:
            qt = xml_escape(words)
        else:
            qt = "\"%s\"[All Fields]" % xml_escape(" ".join(words.split()).lower())
        if lo is not None and hi is not None:
            qt = "(%s) AND %s:%s[%s]" % (qt, ymd(lo).strftime("%Y/%m/%d"), ymd(hi).strftime("%Y/%m/%d"),
                                         DATETYPE_LABEL[datetype])
        v["query_translation"] = qt
        on = ["history"] if history else []
        if count == 0:
            if ds is None or len(ds) == 0:
                on.append("notfound")
                v["phrase"] = xml_escape(words)
                v["query_translation"] = "(%s[All Fields])" % xml_escape(words)
            on.append("noitems")
        return Response(200, self.t.esearch.render(v, on))

    def efetch(self, p):
        st = self.state
        db = p.get("db", "pubmed")
        if db != "pubmed":
            return efetch_error("Invalid db name specified: %s" % db)
        ids = p.get("id", "")
        if ids:
            refs = []
            with st.lock:
                sets = [d for (svc, _), d in st.datasets.items() if svc == "eutils"]
                for tok in re.split(r"[,\s]+", ids.strip()):
                    if not tok.isdigit():
                        continue
                    pmid = int(tok)
                    for ds in sets:
                        k = ds.index_of(pmid)
                        if k is not None:
                            refs.append((ds, k))
                            break
            return Response(200, self.pubmed_articles(refs))
        web = p.get("WebEnv") or p.get("webenv")
        key = p.get("query_key", "1")
        if not web:
            return efetch_error("Empty id list - nothing todo")
        try:
            key_n = int(key)
            retstart = int(p.get("retstart", 0) or 0)
            retmax = int(p.get("retmax", 20) or 20)
        except ValueError:
            return efetch_error("Invalid query_key, retstart or retmax")
        with st.lock:
            hist = st.webenvs.get(web, {}).get(key_n)
        if hist is None:
            return efetch_error("Unable to obtain query #%s" % key)
        ds, served = hist
        if retstart >= PUBMED_HISTORY_CAP:
            return efetch_error(EFETCH_CAP_ERROR)
        if retstart >= len(served) and served:
            return efetch_error("Cannot retrieve history data: OUT OF RANGE. Parameter retstart=%d + %d "
                                "is greater than number of records available in history. History "
                                "includes %d IDs." % (retstart, retmax, len(served)), status=400)
        end = min(retstart + min(retmax, 10000), len(served), PUBMED_HISTORY_CAP)
        refs = []
        for pmid in served[retstart:end]:
            k = ds.index_of(pmid)
            if k is not None:
                refs.append((ds, k))
        return Response(200, self.pubmed_articles(refs))

    # -- Europe PMC -------------------------------------------------------

    EPMC_DATE = re.compile(r"\s+AND\s+\(?\s*(FIRST_PDATE|FIRST_IDATE|P_PDATE|E_PDATE|PUB_YEAR|CREATION_DATE)"
                           r"\s*:\s*\[\s*([\d-]+)\s+TO\s+([\d-]+)\s*\]\s*\)?\s*$", re.I)

    @staticmethod
    def cursor_token(query, offset):
        h = hashlib.sha1(query.encode("utf-8")).digest()[:6]
        return base64.b64encode(b"\x02\x82" + struct.pack(">I", offset) + h).decode()

    @staticmethod
    def cursor_offset(query, token):
        if token in ("*", "", None):
            return 0
        try:
            raw = base64.b64decode(token, validate=True)
        except (ValueError, TypeError):
            return None
        if len(raw) != 12 or raw[:2] != b"\x02\x82" or raw[6:] != hashlib.sha1(query.encode("utf-8")).digest()[:6]:
            return None
        return struct.unpack(">I", raw[2:6])[0]

    def epmc_search(self, p, host):
        st = self.state
        query = p.get("query", "")
        fmt = (p.get("format") or "xml").lower()
        rtype = (p.get("resultType") or "lite").lower()
        try:
            size = max(1, min(1000, int(p.get("pageSize", 25) or 25)))
        except ValueError:
            size = 25
        cursor = p.get("cursorMark") or "*"
        synonym = "true" if (p.get("synonym") or "").upper() == "TRUE" else "false"
        offset = self.cursor_offset(query, cursor)
        if offset is None:
            return self.epmc_error(400, "Invalid cursorMark: %s" % cursor, fmt)
        base_q, lo, hi, field = query, None, None, None
        dm = self.EPMC_DATE.search(query)
        if dm:
            base_q = query[:dm.start()]
            field = dm.group(1).upper()
            if field == "PUB_YEAR":
                lo, hi = parse_date(dm.group(2)), parse_date(dm.group(3), end=True)
            else:
                lo, hi = parse_date(dm.group(2)), parse_date(dm.group(3), end=True)
        with st.lock:
            ds = st.dataset("europepmc", base_q)
            if ds is None or len(ds) == 0:
                refs = []
            else:
                shift = 0 if field in (None, "FIRST_IDATE", "CREATION_DATE") else 30
                a, b = ds.index_range(None if lo is None else lo + shift, None if hi is None else hi + shift)
                refs = list(range(a, b))[::-1]
        hits = len(refs)
        page = refs[offset:offset + size]
        results = []
        for k in page:
            results.append(ds.values(k))
        if fmt == "json":
            return self.epmc_json(query, rtype, cursor, size, synonym, hits, offset, results, host)
        rendered = []
        for v in results:
            if rtype == "idlist":
                rendered.append("<result><id>%(pmid)d</id><source>MED</source><pmid>%(pmid)d</pmid>"
                                "<doi>%(doi)s</doi></result>" % v)
            elif rtype == "lite":
                rendered.append(
                    "<result><id>%(pmid)d</id><source>MED</source><pmid>%(pmid)d</pmid><doi>%(doi)s</doi>"
                    "<title>%(title)s</title><authorString>%(author_string)s</authorString>"
                    "<journalTitle>%(journal_iso)s</journalTitle><issue>%(issue)s</issue>"
                    "<journalVolume>%(volume)s</journalVolume><pubYear>%(pdat_y)d</pubYear>"
                    "<journalIssn>%(issn)s; %(essn)s; </journalIssn><pageInfo>%(medline_pgn)s</pageInfo>"
                    "<pubType>journal article</pubType><isOpenAccess>%(open_access)s</isOpenAccess>"
                    "<citedByCount>%(cited_by)d</citedByCount><firstIndexDate>%(edat_iso)s</firstIndexDate>"
                    "<firstPublicationDate>%(pdat_iso)s</firstPublicationDate></result>" % v)
            else:
                rendered.append(self.t.epmc_result.render(v, ("pmc",) if v["pmid"] % 3 == 0 else ()))
        return Response(200, self.epmc_wrapper(query, rtype, cursor, size, synonym, hits, offset,
                                               len(page), "".join(rendered), host, "xml"),
                        "application/xml;charset=UTF-8")

    def epmc_next(self, query, cursor, offset, n_page):
        if n_page == 0:
            return cursor      # the page after the last: the cursor sent comes back
        return self.cursor_token(query, offset + n_page)

    def epmc_wrapper(self, query, rtype, cursor, size, synonym, hits, offset, n_page, results, host, fmt):
        nxt = self.epmc_next(query, cursor, offset, n_page)
        v = {"hit_count": hits, "next_cursor": xml_escape(nxt),
             "next_page_url": xml_escape("http://%s/europepmc/webservices/rest/search?query=%s&cursorMark=%s"
                                         "&resultType=%s&format=%s" % (host, urllib.parse.quote(query),
                                                                       urllib.parse.quote(nxt, safe=""), rtype, fmt)),
             "query": xml_escape(query), "result_type": rtype,
             "cursor_sent": xml_escape(urllib.parse.quote(cursor, safe="")),
             "page_size": size, "sort": "", "synonym": synonym, "results": results}
        on = []
        if hits:
            on.append("next")
            if n_page:
                on.append("nexturl")
        return self.t.epmc_response.render(v, on)

    def epmc_json(self, query, rtype, cursor, size, synonym, hits, offset, results, host):
        nxt = self.epmc_next(query, cursor, offset, len(results))
        out = {"version": "6.9", "hitCount": hits}
        if hits:
            out["nextCursorMark"] = nxt
            if results:
                out["nextPageUrl"] = ("http://%s/europepmc/webservices/rest/search?query=%s&cursorMark=%s"
                                      "&resultType=%s&format=json" % (host, urllib.parse.quote(query),
                                                                      urllib.parse.quote(nxt, safe=""), rtype))
        out["request"] = {"queryString": query, "resultType": rtype,
                          "cursorMark": urllib.parse.quote(cursor, safe=""), "pageSize": size,
                          "sort": "", "synonym": synonym == "true"}
        res = []
        for v in results:
            r = {"id": str(v["pmid"]), "source": "MED", "pmid": str(v["pmid"]), "doi": v["doi"],
                 "title": v["title"], "authorString": v["author_string"], "pubYear": str(v["pdat_y"]),
                 "pageInfo": v["medline_pgn"], "firstPublicationDate": v["pdat_iso"],
                 "firstIndexDate": v["edat_iso"]}
            if rtype == "core":
                r["journalInfo"] = {"issue": v["issue"], "volume": v["volume"],
                                    "yearOfPublication": v["pdat_y"],
                                    "journal": {"title": v["journal"], "isoabbreviation": v["journal_iso"],
                                                "issn": v["issn"], "essn": v["essn"]}}
                r["abstractText"] = " ".join(v[k] for k in ("abs_background", "abs_methods",
                                                             "abs_results", "abs_conclusions"))
                r["language"] = v["language"]
            res.append(r)
        out["resultList"] = {"result": res}
        return Response(200, json.dumps(out), "application/json;charset=UTF-8")

    def epmc_error(self, status, msg, fmt="xml"):
        if fmt == "json":
            return Response(status, json.dumps({"version": "6.9", "errCode": status, "errMsg": msg}),
                            "application/json;charset=UTF-8")
        return Response(status, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><responseWrapper '
                        'xmlns:slx="http://www.scholix.org" xmlns:epmc="https://www.europepmc.org/data">'
                        "<version>6.9</version><errCode>%d</errCode><errMsg>%s</errMsg></responseWrapper>"
                        % (status, xml_escape(msg)), "application/xml;charset=UTF-8")

    # -- arXiv ------------------------------------------------------------

    def arxiv_values(self, ds, k):
        i = k
        seed = ds.hour_seed
        j = (i * 7919 + seed) % 32000
        outcome = OUTCOMES[j % 25]
        j //= 25
        method = ARXIV_METHODS[j % 8]
        j //= 8
        population = POPULATIONS[j % 20]
        setting = SETTINGS[(j // 20) % 8]
        pub = ymd(ds.dates[k])
        upd = ymd(ds.dates[k] + (i % 3) * 9)
        seq = ds.ids[k] % 100000
        arxiv_id = "%02d%02d.%05d" % (pub.year % 100, pub.month, seq)
        names = []
        for n in range(3):
            names.append("%s %s" % (FORENAMES[(i * 5 + n * 11 + seed) % len(FORENAMES)],
                                    SURNAMES[(i * 3 + n * 7 + seed) % len(SURNAMES)]))
        summary = ("%s is studied as a response to %s among %s %s. We apply %s to data from %d "
                   "participants and estimate effects on %s, with sensitivity analyses for "
                   "missing data and confounding. The estimated effect was %d.%d%% (interval %d.%d "
                   "to %d.%d). Code and data are available from the authors."
                   % (ds.topic, outcome, population, setting, method, 200 + (i * 31) % 5000, outcome,
                      i % 9, i % 10, max(0, i % 9 - 2), i % 10, i % 9 + 3, (i * 3) % 10))
        title = "%s and %s %s: %s for %s" % (ds.topic, outcome, setting, method, population)
        primary, secondary = ARXIV_CATEGORIES[(i + seed) % len(ARXIV_CATEGORIES)]
        jt = JOURNAL_INFO[(i + seed) % len(JOURNAL_INFO)]
        return {
            "arxiv_id": arxiv_id, "version": 1 + i % 2,
            "published": "%sT%02d:%02d:%02dZ" % (pub.isoformat(), (i * 5) % 24, (i * 7) % 60, (i * 11) % 60),
            "updated": "%sT%02d:%02d:%02dZ" % (upd.isoformat(), (i * 5 + 3) % 24, (i * 7) % 60, (i * 13) % 60),
            "title": wrap_lines(title, 76).replace("\n", "\n  "),
            "summary": "  " + wrap_lines(summary, 78) + "\n",
            "a1_name": xml_escape(names[0]), "a2_name": xml_escape(names[1]), "a3_name": xml_escape(names[2]),
            "a1_aff": AFFILIATIONS[i % len(AFFILIATIONS)], "a3_aff": AFFILIATIONS[(i + 4) % len(AFFILIATIONS)],
            "doi": "10.5555/mock.arxiv.%s" % arxiv_id,
            "comment": "%d pages, %d figures" % (8 + i % 20, 1 + i % 6),
            "journal_ref": "%s %d (%d) %d-%d" % (jt[1], pub.year - 1990, pub.year, 100 + i % 700, 110 + i % 700),
            "primary": primary, "secondary": secondary,
        }

    def arxiv_query(self, p, host, raw_query):
        st = self.state
        sq = p.get("search_query", "")
        try:
            start = max(0, int(p.get("start", 0) or 0))
            per = max(0, int(p.get("max_results", 10) or 10))
        except ValueError:
            return self.arxiv_error("start and max_results must be integers", "invalid_argument")
        per = min(per, 30000)
        with st.lock:
            ds = st.dataset("arxiv", sq)
            n = len(ds) if ds is not None else 0
        order = list(range(n))
        if (p.get("sortOrder") or "descending").lower() != "ascending":
            order.reverse()
        page = order[start:start + per]
        entries = "".join(self.t.arxiv_entry.render(self.arxiv_values(ds, k),
                                                    ("doi", "jref") if k % 3 == 0 else ())
                          for k in page)
        now = datetime.datetime.now(datetime.timezone.utc)
        echo = "search_query=%s&id_list=%s&start=%d&max_results=%d" % (sq, p.get("id_list", ""), start, per)
        v = {"self_href": xml_escape("http://arxiv.org/api/query?" + urllib.parse.quote(echo, safe="")),
             "title_query": xml_escape(echo),
             "feed_id": base64.b64encode(hashlib.sha1(echo.encode()).digest()).decode().rstrip("="),
             "updated": now.strftime("%Y-%m-%dT00:00:00-05:00"),
             "total": n, "start": start, "per_page": per, "entries": entries}
        return Response(200, self.t.arxiv_feed.render(v), "application/atom+xml; charset=utf-8")

    def arxiv_error(self, msg, slug="error"):
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT00:00:00-05:00")
        eid = "http://arxiv.org/api/errors#%s" % slug
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
                '  <link href="http://arxiv.org/api/query" rel="self" type="application/atom+xml"/>\n'
                '  <title type="html">ArXiv Query: error</title>\n'
                '  <id>http://arxiv.org/api/error</id>\n  <updated>%s</updated>\n'
                '  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">1</opensearch:totalResults>\n'
                '  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0</opensearch:startIndex>\n'
                '  <opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">1</opensearch:itemsPerPage>\n'
                '  <entry>\n    <id>%s</id>\n    <title>Error</title>\n    <summary>%s</summary>\n'
                '    <updated>%s</updated>\n    <link href="%s" rel="alternate" type="text/html"/>\n'
                '    <author>\n      <name>arXiv api core</name>\n    </author>\n  </entry>\n</feed>\n'
                % (now, eid, xml_escape(msg), now, eid))
        return Response(200, body, "application/atom+xml; charset=utf-8")

    # -- Crossref ---------------------------------------------------------

    def crossref_lookup(self, doi):
        """-> document text, or None for an unknown DOI."""
        st = self.state
        want = doi.lower()
        cfg = st.config.get("crossref", {})
        for key, spec in (cfg.get("dois") or {}).items():
            if key.lower() == want:
                return self.crossref_render(key, spec or {})
        if st.shared_data and want == "10.7554/elife.01567":
            path = os.path.join(st.shared_data, "crossref-responses", "crossref.xml")
            if os.path.isfile(path):
                with open(path, encoding="utf-8") as f:
                    return f.read()
        m = re.fullmatch(r"10\.5555/mock\.(\d+)", want)
        if m and cfg.get("synthetic", True):
            pmid = int(m.group(1))
            with st.lock:
                sets = [d for (svc, _), d in st.datasets.items() if svc in ("eutils", "europepmc")]
            for ds in sets:
                k = ds.index_of(pmid)
                if k is not None and ds.raw is None:
                    return self.crossref_from_values(ds.values(k))
        return None

    def crossref_from_values(self, v):
        authors = [(v["a%d_fore" % n], v["a%d_last" % n], v["a%d_aff" % n], v["a1_orcid"] if n == 1 else None)
                   for n in (1, 2, 3)]
        abstract = " ".join(v[k] for k in ("abs_background", "abs_methods", "abs_results", "abs_conclusions"))
        return self._crossref_doc(v["doi"], v["title"], abstract, v["journal"], v["journal_iso"], v["issn"],
                                  v["essn"], v["pdat_y"], v["pdat_m"], int(v["pdat_dd"]), v["volume"],
                                  v["issue"], v["page_first"], v["page_last"], authors, v["cited_by"])

    def crossref_render(self, doi, spec):
        h = int(hashlib.sha1(doi.lower().encode()).hexdigest(), 16)
        jt = JOURNAL_INFO[h % len(JOURNAL_INFO)]
        year = int(spec.get("year", 2000 + h % 24))
        names = spec.get("authors") or ["%s %s" % (FORENAMES[(h >> 8) % 30], SURNAMES[(h >> 16) % 40]),
                                        "%s %s" % (FORENAMES[(h >> 24) % 30], SURNAMES[(h >> 32) % 40])]
        authors = []
        for n, name in enumerate(names):
            parts = name.rsplit(" ", 1)
            given, surname = (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])
            authors.append((xml_escape(given), xml_escape(surname), AFFILIATIONS[(h + n) % len(AFFILIATIONS)],
                            orcid_from(h % 100000 + n) if n == 0 else None))
        pages = str(spec.get("pages", "%d-%d" % (1 + h % 400, 9 + h % 400)))
        first, _, last = pages.partition("-")
        return self._crossref_doc(
            xml_escape(doi), xml_escape(spec.get("title", "Untitled")),
            xml_escape(spec["abstract"]) if spec.get("abstract") else None,
            xml_escape(spec.get("journal", jt[0])), xml_escape(spec.get("journal_abbrev", spec.get("journal", jt[1]))), jt[2], jt[3],
            year, int(spec.get("month", 1 + h % 12)), int(spec.get("day", 1 + h % 28)),
            xml_escape(str(spec.get("volume", year - 1990))), xml_escape(str(spec.get("issue", 1 + h % 12))),
            xml_escape(first), xml_escape(last or first), authors, h % 90)

    def _crossref_doc(self, doi, title, abstract, journal, jiso, issn, essn, year, month, day, volume,
                      issue, first, last, authors, cited):
        contrib = []
        for n, (given, surname, aff, orcid) in enumerate(authors):
            contrib.append(self.t.crossref_contributor.render(
                {"sequence": "first" if n == 0 else "additional", "given": given, "surname": surname,
                 "affiliation": aff, "orcid": orcid or ""}, ("orcid",) if orcid else ()))
        created = "%04d-%02d-%02dT10:%02d:00Z" % (year, month, day, cited % 60)
        v = {"doi": doi, "title": title, "abstract": abstract or "", "journal": journal, "journal_iso": jiso,
             "issn": issn, "essn": essn, "pub_y": year, "pub_mm": "%02d" % month, "pub_dd": "%02d" % day,
             "volume": volume, "issue": issue, "page_first": first, "page_last": last,
             "contributors": "".join(contrib), "publisher": "Mock Academic Press", "member_id": 99999,
             "citation_id": 80000000 + cited * 1234, "journal_id": 190000 + cited,
             "deposit_ts": "%04d%02d%02d101500" % (year, month, day), "prefix": doi.split("/")[0],
             "last_update": created, "created": created, "cited_by": cited}
        return self.t.crossref.render(v, ("abstract",) if abstract else ())

    def crossref_unresolved(self, doi, msg="DOI not found"):
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<crossref_result xmlns="http://www.crossref.org/qrschema/3.0" '
                'version="3.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation='
                '"http://www.crossref.org/qrschema/3.0 http://www.crossref.org/schemas/crossref_query_output3.0.xsd">\n'
                '  <query_result>\n    <head>\n      <doi_batch_id>none</doi_batch_id>\n    </head>\n'
                '    <body>\n      <query status="unresolved">\n        <doi>%s</doi>\n        <msg>%s</msg>\n'
                '      </query>\n    </body>\n  </query_result>\n</crossref_result>\n' % (xml_escape(doi), xml_escape(msg)))


# --------------------------------------------------------------------------
# HTTP
# --------------------------------------------------------------------------

UNIXSD = "application/vnd.crossref.unixsd+xml"


def route(path):
    """-> (service, endpoint, rest) for a raw (still percent-encoded) path."""
    if path.startswith("/entrez/eutils/"):
        ep = path[len("/entrez/eutils/"):]
        return "eutils", ep, ep
    if path.startswith("/europepmc/webservices/rest/"):
        ep = path[len("/europepmc/webservices/rest/"):]
        return "europepmc", ep, ep
    if path.startswith("/api/"):
        ep = path[len("/api/"):]
        return "arxiv", ep, ep
    if path.startswith("/works/"):
        return "crossref", "transform", path[len("/works/"):]
    return None, path.rsplit("/", 1)[-1], path


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "winnow-mock/1.0"
    timeout = 120   # idle keep-alive connections are dropped after this

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("mock: %s - %s\n" % (self.address_string(), fmt % args))

    def do_GET(self):
        self.handle_request("GET")

    def do_POST(self):
        self.handle_request("POST")

    def do_DELETE(self):
        self.handle_request("DELETE")

    def do_PUT(self):
        self.handle_request("PUT")

    def do_HEAD(self):
        self.handle_request("HEAD")

    # -- plumbing ---------------------------------------------------------

    def write_response(self, resp, extra=()):
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.ctype)
        self.send_header("Content-Length", str(len(resp.body)))
        for k, val in list(resp.headers) + list(extra):
            self.send_header(k, val)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(resp.body)

    def json_reply(self, status, obj):
        self.write_response(Response(status, json.dumps(obj, indent=None), "application/json"))

    def handle_request(self, method):
        t = time.time()
        parts = urllib.parse.urlsplit(self.path)
        path = parts.path
        query = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        if path.startswith("/_mock/") or path == "/_mock":
            return self.control(method, path, body)
        form = {}
        ctype = self.headers.get("Content-Type", "")
        if body and method == "POST" and ("form-urlencoded" in ctype or not ctype):
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
        params = {k: v[-1] for k, v in query.items()}
        params.update({k: v[-1] for k, v in form.items()})
        service, endpoint, rest = route(path)
        last = path.rstrip("/").rsplit("/", 1)[-1]
        entry = {"t": t, "service": service, "endpoint": endpoint, "method": method, "path": path,
                 "query": query, "form": form, "headers": dict(self.headers.items()),
                 "status": None, "fault": None}
        st = self.server.state
        if service == "crossref":
            ua = self.headers.get("User-Agent", "")
            entry["mailto"] = bool(params.get("mailto")) or "mailto:" in ua
        with st.lock:
            st.log.append(entry)
            fault = st.pick_fault(service, endpoint, last) if service else None
            limited = self.rate_check(service, params, t) if service else None
        if fault is not None:
            entry["fault"] = fault.kind
        try:
            if fault is not None:
                self.apply_fault(fault, entry, service, endpoint, params, rest, parts)
            elif limited is not None:
                entry["status"] = limited.status
                self.write_response(limited, self.service_headers(service))
            else:
                resp = self.answer(service, endpoint, params, rest, parts)
                entry["status"] = resp.status
                self.write_response(resp, self.service_headers(service))
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def service_headers(self, service):
        if service == "crossref":
            cfg = self.server.state.config.get("crossref", {})
            return [("X-Rate-Limit-Limit", str(cfg.get("rate_limit", 50))),
                    ("X-Rate-Limit-Interval", "%ss" % cfg.get("rate_interval", 1))]
        return []

    def rate_check(self, service, params, now):
        """-> a 429 Response when this request is over the service's limit."""
        st = self.server.state
        cfg = st.config.get(CONFIG_KEY[service], {})
        if service == "eutils":
            key = params.get("api_key")
            if key == "bad":
                return Response(400, json.dumps({"error": "API key invalid", "api-key": key,
                                                 "type": "invalid", "status": "unknown"}),
                                "application/json")
            limit = cfg.get("rate_with_key", 10) if key else cfg.get("rate", 3)
            over, n = st.over_window(("eutils", key or ""), limit, 1.0, now)
            if over:
                return Response(429, json.dumps({"error": "API rate limit exceeded",
                                                 "api-key": key or self.client_address[0],
                                                 "count": str(n), "limit": str(limit)}),
                                "application/json", [("Retry-After", "1")])
        elif service == "europepmc":
            over, n = st.over_window(("europepmc",), cfg.get("rate", 10), 1.0, now)
            if over:
                return Response(429, "Too Many Requests", "text/plain", [("Retry-After", "1")])
        elif service == "arxiv":
            interval = float(cfg.get("interval", 3.0))
            last, st.arxiv_last = st.arxiv_last, now
            if last is not None and interval > 0 and now - last < interval:
                return Response(429, "Rate exceeded.", "text/plain",
                                [("Retry-After", str(max(1, int(round(interval)))))])
        elif service == "crossref":
            interval = float(cfg.get("rate_interval", 1))
            over, n = st.over_window(("crossref",), cfg.get("rate_limit", 50), interval, now)
            if over:
                return Response(429, "Too many requests: rate limit of %s requests per %ss exceeded."
                                % (cfg.get("rate_limit", 50), cfg.get("rate_interval", 1)), "text/plain",
                                [("Retry-After", str(max(1, int(round(interval)))))])
        return None

    def answer(self, service, endpoint, params, rest, parts):
        svc = self.server.service
        host = self.headers.get("Host", "127.0.0.1")
        if service == "eutils":
            if endpoint == "esearch.fcgi":
                return svc.esearch(params)
            if endpoint == "efetch.fcgi":
                return svc.efetch(params)
        elif service == "europepmc":
            if endpoint in ("search", "searchPOST"):
                if endpoint == "searchPOST" and self.command != "POST":
                    return Response(405, "Method Not Allowed", "text/plain")
                return svc.epmc_search(params, host)
        elif service == "arxiv":
            if endpoint == "query":
                return svc.arxiv_query(params, host, parts.query or urllib.parse.urlencode(params))
        elif service == "crossref":
            return self.crossref(rest)
        return Response(404, html_page("404 Not Found", "The requested URL was not found on this server."),
                        "text/html; charset=utf-8")

    def crossref_doi(self, rest):
        suffix = "/transform/" + UNIXSD
        if rest.endswith(suffix):
            return urllib.parse.unquote(rest[:-len(suffix)]), True
        if rest.endswith("/transform"):
            return urllib.parse.unquote(rest[:-len("/transform")]), False
        return None, False

    def crossref(self, rest):
        doi, explicit = self.crossref_doi(rest)
        if doi is None:
            return Response(404, "Resource not found.", "text/plain")
        if not explicit and UNIXSD not in self.headers.get("Accept", ""):
            return Response(406, "Not acceptable: use Accept: %s" % UNIXSD, "text/plain")
        doc = self.server.service.crossref_lookup(doi)
        if doc is None:
            return Response(404, "Resource not found.", "text/plain")
        return Response(200, doc, UNIXSD)

    # -- faults -----------------------------------------------------------

    def in_band_error(self, service, endpoint, params, rest, msg):
        svc = self.server.service
        if service == "eutils":
            if endpoint == "efetch.fcgi":
                return efetch_error(msg or "Unable to obtain query #1")
            return esearch_error(msg or "Search Backend failed: Database is not supported: pubmed")
        if service == "europepmc":
            return svc.epmc_error(200, msg or "The search service is temporarily unavailable.")
        if service == "arxiv":
            return svc.arxiv_error(msg or "internal server error, please try again later", "internal_error")
        if service == "crossref":
            doi = self.crossref_doi(rest)[0] or ""
            return Response(200, svc.crossref_unresolved(doi, msg or "DOI not found"), UNIXSD)
        return Response(200, msg or "error", "text/plain")

    def apply_fault(self, fault, entry, service, endpoint, params, rest, parts):
        kind = fault.kind
        p = fault.params
        extra = self.service_headers(service)
        if kind == "reset":
            entry["status"] = None
            self.close_connection = True
            try:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()
            except OSError:
                pass
            return
        if kind in ("429", "500", "502", "503"):
            status = int(kind)
            hdrs = list(extra)
            if kind == "429":
                hdrs.append(("Retry-After", str(p.get("retry_after", 1))))
                if service == "eutils":
                    resp = Response(429, json.dumps({"error": "API rate limit exceeded",
                                                     "api-key": self.client_address[0], "count": "4",
                                                     "limit": "3"}), "application/json")
                else:
                    resp = Response(429, "Too Many Requests", "text/plain")
            else:
                if kind == "503" and "retry_after" in p:
                    hdrs.append(("Retry-After", str(p["retry_after"])))
                names = {"500": "Internal Server Error", "502": "Bad Gateway", "503": "Service Unavailable"}
                resp = Response(status, html_page("%s %s" % (kind, names[kind]),
                                                  "The server encountered a temporary error and could "
                                                  "not complete your request. Please try again later."),
                                "text/html; charset=utf-8")
            entry["status"] = status
            self.write_response(resp, hdrs)
            return
        if kind == "html":
            entry["status"] = 200
            self.write_response(Response(200, html_page(
                "Service temporarily unavailable",
                "Service temporarily unavailable: the service is down for scheduled maintenance. "
                "Please try again later."), "text/html; charset=utf-8"), extra)
            return
        if kind == "error":
            resp = self.in_band_error(service, endpoint, params, rest, p.get("message"))
            entry["status"] = resp.status
            self.write_response(resp, extra)
            return
        if kind == "slow":
            time.sleep(float(p.get("delay", 30)))
        resp = self.answer(service, endpoint, params, rest, parts)
        entry["status"] = resp.status
        if kind == "slow":
            self.write_response(resp, extra)
            return
        half = len(resp.body) // 2
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.ctype)
        for k, val in list(resp.headers) + list(extra):
            self.send_header(k, val)
        if kind == "truncate-clean":
            self.send_header("Connection", "close")
        else:
            self.send_header("Content-Length", str(len(resp.body)))
        self.end_headers()
        self.wfile.write(resp.body[:half])
        self.wfile.flush()
        if kind == "stall":
            time.sleep(float(p.get("delay", 30)))
            self.wfile.write(resp.body[half:])
            return
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    # -- control ----------------------------------------------------------

    def control(self, method, path, body):
        st = self.server.state
        try:
            data = json.loads(body.decode("utf-8")) if body.strip() else {}
        except ValueError as e:
            return self.json_reply(400, {"error": "body is not JSON: %s" % e})
        name = path[len("/_mock/"):].strip("/")
        try:
            if name == "log" and method == "GET":
                with st.lock:
                    return self.json_reply(200, list(st.log))
            if name == "config" and method == "GET":
                return self.json_reply(200, st.config)
            if name == "config" and method == "POST":
                if not isinstance(data, dict):
                    raise ValueError("config must be a JSON object")
                st.set_config(data)
                return self.json_reply(200, {"ok": True})
            if name == "add" and method == "POST":
                return self.control_add(data)
            if name == "fault" and method == "POST":
                with st.lock:
                    st.fault_seq += 1
                    f = Fault(data, st.fault_seq)
                    st.faults.append(f)
                return self.json_reply(200, {"ok": True, "id": f.id})
            if name == "faults" and method == "GET":
                with st.lock:
                    return self.json_reply(200, [f.as_json() for f in st.faults])
            if name == "faults" and method == "DELETE":
                with st.lock:
                    st.faults = []
                return self.json_reply(200, {"ok": True})
            if name == "reset" and method == "POST":
                st.reset()
                return self.json_reply(200, {"ok": True})
            if name == "expire" and method == "POST":
                with st.lock:
                    n = len(st.webenvs)
                    st.webenvs = {}
                return self.json_reply(200, {"ok": True, "expired": n})
        except (ValueError, TypeError, KeyError) as e:
            return self.json_reply(400, {"error": str(e)})
        return self.json_reply(404, {"error": "no control endpoint %s %s" % (method, path)})

    def control_add(self, data):
        st = self.server.state
        svc = SERVICE_ALIASES.get(data.get("service", "pubmed"))
        if svc not in ("eutils", "europepmc", "arxiv"):
            raise ValueError("add: service must be pubmed, europepmc or arxiv")
        q = data.get("query")
        if not q:
            raise ValueError("add: query missing")
        count = int(data.get("count", 1))
        with st.lock:
            ds = st.dataset(svc, q)
            if ds is None:
                taken = [d.base for (s, _), d in st.datasets.items() if d.base is not None and s != "arxiv"]
                ds = st._make_dataset(svc, q, {"count": 0}, taken)
                st.datasets[(svc, norm_query(q))] = ds
            new = ds.add(count, data.get("date"))
        return self.json_reply(200, {"ok": True, "ids": new,
                                     "date": ymd(ds.dates[-1]).strftime("%Y/%m/%d") if ds.dates else None})


class MockServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr, state, service, verbose=False):
        super().__init__(addr, Handler)
        self.state = state
        self.service = service
        self.verbose = verbose


def write_port_file(path, port):
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, path)


def serve(args):
    config = DEFAULT_CONFIG
    if args.config:
        with open(args.config, encoding="utf-8") as f:
            config = json.load(f)
    shared = args.shared_data if args.shared_data and os.path.isdir(args.shared_data) else None
    state = State(config, shared)
    service = Service(state, Templates(args.templates))
    server = MockServer(("127.0.0.1", args.port), state, service, args.verbose)
    port = server.server_address[1]

    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if args.port_file:
        write_port_file(args.port_file, port)
    else:
        print(port, flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    finally:
        server.server_close()
    return 0


# --------------------------------------------------------------------------
# Control client (used by tests/scenario/mock.sh)
# --------------------------------------------------------------------------


def ctl_request(url, method, path, body=None):
    data = None
    if body is not None:
        data = body.encode("utf-8") if isinstance(body, str) else body
    req = urllib.request.Request(url.rstrip("/") + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.read().decode("utf-8")


def ctl(argv):
    ap = argparse.ArgumentParser(prog="mock_api.py ctl")
    ap.add_argument("url")
    ap.add_argument("what", help="GET|POST|DELETE (then PATH [JSON]), count or gap")
    ap.add_argument("rest", nargs="*")
    ap.add_argument("--service")
    ap.add_argument("--endpoint")
    ap.add_argument("--status", type=int)
    a = ap.parse_args(argv)
    try:
        if a.what in ("count", "gap"):
            log = json.loads(ctl_request(a.url, "GET", "/_mock/log"))
            svc = SERVICE_ALIASES.get(a.service, a.service) if a.service else None
            sel = [e for e in log
                   if (svc is None or e["service"] == svc)
                   and (a.endpoint is None or e["endpoint"] == a.endpoint or e["path"].endswith("/" + a.endpoint))
                   and (a.status is None or e["status"] == a.status)]
            if a.what == "count":
                print(len(sel))
            else:
                ts = sorted(e["t"] for e in sel)
                gaps = [b - x for x, b in zip(ts, ts[1:])]
                print("%.3f" % min(gaps) if gaps else "inf")
            return 0
        method = a.what.upper()
        if not a.rest:
            ap.error("PATH missing")
        path = a.rest[0]
        if not path.startswith("/"):
            path = "/_mock/" + path
        body = a.rest[1] if len(a.rest) > 1 else None
        if body is not None and not body.lstrip().startswith(("{", "[")) and os.path.isfile(body):
            with open(body, encoding="utf-8") as f:
                body = f.read()
        if method == "POST" and body is None:
            body = "{}"
        out = ctl_request(a.url, method, path, body)
        sys.stdout.write(out if out.endswith("\n") else out + "\n")
        return 0
    except urllib.error.HTTPError as e:
        sys.stderr.write("mock ctl: %s %s: HTTP %d %s\n" % (a.what, " ".join(a.rest), e.code,
                                                          e.read().decode("utf-8", "replace")))
        return 1
    except (urllib.error.URLError, OSError) as e:
        sys.stderr.write("mock ctl: cannot reach %s: %s\n" % (a.url, e))
        return 1


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "ctl":
        return ctl(argv[1:])
    ap = argparse.ArgumentParser(description="Loopback mock of E-utilities, Europe PMC, arXiv and Crossref.")
    ap.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0: any free port)")
    ap.add_argument("--port-file", help="write the port number here (atomically) once listening")
    ap.add_argument("--shared-data", help="the ../shared/data directory (real records for file queries)")
    ap.add_argument("--config", help="JSON configuration (default: the built-in one)")
    ap.add_argument("--templates", default=DEFAULT_TEMPLATES, help="template directory (corpus/api)")
    ap.add_argument("--verbose", action="store_true", help="log requests on stderr")
    return serve(ap.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
