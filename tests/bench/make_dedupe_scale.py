#!/usr/bin/env python3
"""A large, realistic RIS file for the dedupe speed-and-scale benchmark.

    make_dedupe_scale.py N OUT.ris [--seed S] [--truth OUT.tsv] [--data DIR]

Writes N records. The base pool is the real records of the labelled sets in
../shared/data/dedup-benchmark-labelled (records_pre_merged.csv of each set,
and diabetes_asysd/labelled_test_set_cp1252.csv, which is Windows-1252).
The pool has about 15,000 records, far fewer than the works a 1M-record set
needs (about 700,000), so distinct synthetic works are made from it:

- the title joins word runs cut from three different pool titles, so titles
  look like the field's titles yet the number of distinct ones grows with N;
- 1-8 authors whose surnames (and given names) come from the pool's authors;
- year, volume, issue, pages and journal drawn from the pool independently;
- a fresh DOI under a pool DOI prefix for 80% of works (the rest have none);
- for half of the works an abstract of 2-4 sentences from different pool
  abstracts.

Each work is then written 1-4 times (about 30% of records are duplicates,
as in real reviews), each copy perturbed as databases differ: case (all caps
now and then), punctuation changed or removed, the author format ("Smith,
John A." / "Smith JA" / "J. A. Smith" / "Smith, J. A."), the journal full or
abbreviated, a missing DOI, pages, volume, issue or abstract, a one-letter
typo in the title, a page range cut short ("1234-8" for "1234-1238").
Copies are shuffled through a bounded buffer so that the copies of a work
are not adjacent, and memory stays flat whatever N.

--truth writes "record_position<TAB>work_id", position counted from 1 in
file order (as winnow's record.position for a one-file import).
Deterministic by --seed.
"""
import argparse
import csv
import glob
import os
import random
import re
import sys

csv.field_size_limit(1 << 30)

SHUFFLE_WINDOW = 4096
# copies per work: P(1..4); mean 1.43, so about 30% of records are duplicates
COPIES = (1, 2, 3, 4)
COPY_WEIGHTS = (0.72, 0.17, 0.07, 0.04)

ABBREV = {
    "journal": "J", "american": "Am", "international": "Int", "medicine": "Med",
    "medical": "Med", "clinical": "Clin", "research": "Res", "review": "Rev",
    "reviews": "Rev", "science": "Sci", "sciences": "Sci", "surgery": "Surg",
    "disease": "Dis", "diseases": "Dis", "nutrition": "Nutr", "psychology": "Psychol",
    "british": "Br", "european": "Eur", "annals": "Ann", "archives": "Arch",
    "proceedings": "Proc", "society": "Soc", "association": "Assoc",
    "national": "Natl", "academy": "Acad", "biology": "Biol", "chemistry": "Chem",
    "physiology": "Physiol", "pharmacology": "Pharmacol", "therapy": "Ther",
    "management": "Manag", "information": "Inf", "systems": "Syst",
    "technology": "Technol", "economics": "Econ", "quarterly": "Q",
    "cardiology": "Cardiol", "neurology": "Neurol", "oncology": "Oncol",
    "pediatrics": "Pediatr", "obstetrics": "Obstet", "gynecology": "Gynecol",
    "diabetes": "Diabetes", "cancer": "Cancer", "stroke": "Stroke",
}
STOP = {"of", "the", "and", "&", "for", "in", "on", "de", "la"}


def read_rows(path, encoding):
    with open(path, newline="", encoding=encoding, errors="replace") as f:
        yield from csv.DictReader(f)


def split_authors(s):
    """Pool author strings as (surname, given) pairs, given possibly ''."""
    out = []
    if not s:
        return out
    if " and " in s or "," in s:
        for a in s.split(" and "):
            a = a.strip()
            if not a:
                continue
            if "," in a:
                sur, giv = a.split(",", 1)
            else:
                parts = a.split()
                sur, giv = parts[-1], " ".join(parts[:-1])
            out.append((sur.strip(), giv.strip()))
    else:  # ASySD: "Adeli K.Lewis G. F."
        for m in re.finditer(r"([^\W\d_][\w'\- ]*?) ((?:[A-Z]\.\s?)+)", s):
            out.append((m.group(1).strip(), m.group(2).strip()))
    return [(a, g) for a, g in out if re.match(r"^[^\W\d_][\w'\- ]{1,30}$", a)]


class Pool:
    def __init__(self, data):
        self.titles, self.surnames, self.given = [], [], []
        self.journals, self.years, self.volumes, self.issues = [], [], [], []
        self.pages, self.sentences, self.doi_prefixes = [], [], []
        files = [(p, "utf-8") for p in sorted(glob.glob(os.path.join(data, "*", "records_pre_merged.csv")))]
        asysd = os.path.join(data, "diabetes_asysd", "labelled_test_set_cp1252.csv")
        if os.path.exists(asysd):
            files.append((asysd, "cp1252"))
        if not files:
            sys.exit(f"make_dedupe_scale: no records_pre_merged.csv under {data}")
        seen_t = set()
        for path, enc in files:
            for row in read_rows(path, enc):
                t = (row.get("title") or "").strip()
                words = t.split()
                if len(words) >= 4 and t.lower() not in seen_t:
                    seen_t.add(t.lower())
                    self.titles.append(words)
                for sur, giv in split_authors(row.get("author") or ""):
                    self.surnames.append(sur)
                    g = giv.split()[0] if giv else ""
                    if len(g) > 2 and g[0].isupper() and "." not in g and g.isalpha():
                        self.given.append(g)
                j = (row.get("journal") or "").strip()
                if j and j != "UNKNOWN" and len(j) < 120:
                    self.journals.append(j)
                y = (row.get("year") or "").strip()
                if re.fullmatch(r"(19[5-9]\d|20[0-2]\d)", y):
                    self.years.append(int(y))
                v = (row.get("volume") or "").strip()
                if re.fullmatch(r"\d{1,4}", v):
                    self.volumes.append(v)
                n = (row.get("number") or row.get("issue") or "").strip()
                if re.fullmatch(r"\d{1,2}", n):
                    self.issues.append(n)
                m = re.fullmatch(r"\s*(\d{1,5})\s*-+\s*(\d{1,5})\s*", row.get("pages") or "")
                if m and int(m.group(2)) >= int(m.group(1)) and int(m.group(2)) - int(m.group(1)) < 60:
                    self.pages.append((int(m.group(1)), int(m.group(2))))
                ab = (row.get("abstract") or "").strip()
                if len(ab) > 200:
                    for sent in re.split(r"(?<=[.!?])\s+(?=[A-Z])", ab):
                        if 40 <= len(sent) <= 400:
                            self.sentences.append(sent)
                d = (row.get("doi") or "").strip()
                m = re.match(r"(?:https?://(?:dx\.)?doi\.org/)?(10\.\d{4,5})/", d)
                if m:
                    self.doi_prefixes.append(m.group(1))
        # distinct surnames keep their frequency (common names stay common)
        self.given = self.given or ["John"]
        self.doi_prefixes = self.doi_prefixes or ["10.1000"]


def journal_abbrev(name):
    words = [w for w in re.split(r"[\s.:,]+", name) if w and w.lower() not in STOP]
    out = []
    for w in words:
        lw = w.lower()
        if lw in ABBREV:
            out.append(ABBREV[lw])
        elif len(w) > 6 and w.isalpha():
            out.append(w[:5].rstrip("aeiou") or w[:5])
        else:
            out.append(w)
    return " ".join(out)


class Work:
    __slots__ = ("id", "title", "authors", "year", "journal", "volume", "issue",
                 "pages", "doi", "abstract")


def make_work(rng, pool, wid):
    w = Work()
    w.id = wid
    parts = []
    for k in range(3):
        t = rng.choice(pool.titles)
        n = rng.randint(2, 6)
        start = rng.randint(0, max(0, len(t) - n))
        parts.extend(t[start:start + n])
    w.title = " ".join(parts)
    if w.title[:1].islower():
        w.title = w.title[0].upper() + w.title[1:]
    w.title = w.title.rstrip(".,;:")
    na = min(8, max(1, int(rng.expovariate(1 / 3.5)) + 1))
    w.authors = []
    for _ in range(na):
        sur = rng.choice(pool.surnames)
        giv = rng.choice(pool.given)
        mid = chr(rng.randint(65, 90)) if rng.random() < 0.4 else ""
        w.authors.append((sur, giv, mid))
    w.year = rng.choice(pool.years)
    w.journal = rng.choice(pool.journals)
    w.volume = rng.choice(pool.volumes) if pool.volumes and rng.random() < 0.93 else None
    w.issue = rng.choice(pool.issues) if pool.issues and rng.random() < 0.7 else None
    if pool.pages and rng.random() < 0.92:
        a, b = rng.choice(pool.pages)
        # move the range so that first pages spread as in real journals
        shift = rng.randint(0, 2000) if rng.random() < 0.5 else 0
        w.pages = (a + shift, b + shift)
    else:
        w.pages = None
    if rng.random() < 0.8:
        w.doi = f"{rng.choice(pool.doi_prefixes)}/s{wid:07d}-{rng.randint(0, 99999):05d}"
    else:
        w.doi = None
    if pool.sentences and rng.random() < 0.5:
        w.abstract = " ".join(rng.choice(pool.sentences) for _ in range(rng.randint(2, 4)))
    else:
        w.abstract = None
    return w


def typo(rng, s):
    if len(s) < 10:
        return s
    i = rng.randint(1, len(s) - 3)
    if rng.random() < 0.5:
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]  # swap
    return s[:i] + s[i + 1:]                        # drop


def perturb_title(rng, t):
    r = rng.random()
    if r < 0.05:
        t = t.upper()
    elif r < 0.15:
        t = " ".join(w[:1].upper() + w[1:] for w in t.split())
    elif r < 0.25:
        t = t.lower()
    r = rng.random()
    if r < 0.10:
        t = re.sub(r"[^\w\s]", "", t)
    elif r < 0.20:
        t = t.replace(":", " -").replace(",", "")
    if rng.random() < 0.3:
        t += "."
    if rng.random() < 0.10:
        t = typo(rng, t)
    return t


def author_format(fmt, sur, giv, mid):
    ini = giv[:1] + (mid or "")
    if fmt == 0:    # Smith, John A.
        return f"{sur}, {giv}" + (f" {mid}." if mid else "")
    if fmt == 1:    # Smith JA
        return f"{sur} {ini}"
    if fmt == 2:    # J. A. Smith
        return " ".join(c + "." for c in ini) + " " + sur
    return f"{sur}, " + " ".join(c + "." for c in ini)  # Smith, J. A.


def page_text(rng, a, b):
    """SP/EP lines for a page range, sometimes cut short ("1234-8")."""
    if a == b:
        return [("SP", str(a))]
    if rng.random() < 0.25:
        sa, sb = str(a), str(b)
        k = 0
        while k < len(sa) - 1 and len(sa) == len(sb) and sa[k] == sb[k]:
            k += 1
        short = sb[k:]
        if rng.random() < 0.5:
            return [("SP", f"{a}-{short}")]
        return [("SP", str(a)), ("EP", short)]
    return [("SP", str(a)), ("EP", str(b))]


def copy_lines(rng, w):
    lines = [("TY", "JOUR"), ("TI", perturb_title(rng, w.title))]
    fmt = rng.randrange(4)
    for sur, giv, mid in w.authors:
        a = author_format(fmt, sur, giv, mid)
        lines.append(("AU", a.upper() if fmt == 1 and rng.random() < 0.02 else a))
    if rng.random() < 0.03:
        pass  # no year
    else:
        lines.append(("PY", str(w.year)))
    j = journal_abbrev(w.journal) if rng.random() < 0.4 else w.journal
    if rng.random() < 0.1:
        j = j.upper()
    lines.append(("JO" if rng.random() < 0.5 else "T2", j))
    if w.volume and rng.random() > 0.08:
        lines.append(("VL", w.volume))
    if w.issue and rng.random() > 0.2:
        lines.append(("IS", w.issue))
    if w.pages and rng.random() > 0.1:
        lines.extend(page_text(rng, *w.pages))
    if w.doi and rng.random() > 0.25:
        d = w.doi
        r = rng.random()
        if r < 0.1:
            d = "https://doi.org/" + d
        elif r < 0.2:
            d = d.upper()
        lines.append(("DO", d))
    if w.abstract and rng.random() > 0.35:
        lines.append(("AB", w.abstract))
    lines.append(("ER", ""))
    return lines


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--truth")
    ap.add_argument("--data", default=os.path.join(
        os.environ.get("WINNOW_SHARED_DATA", os.path.join(root, "..", "shared", "data")),
        "dedup-benchmark-labelled"))
    args = ap.parse_args()

    rng = random.Random(args.seed)
    pool = Pool(args.data)
    out = open(args.out, "w", encoding="utf-8", newline="\n")
    truth = open(args.truth, "w", encoding="utf-8") if args.truth else None
    buf = []   # (work id, RIS lines) waiting to be written
    written = 0
    works = 0

    def emit(item):
        nonlocal written
        wid, lines = item
        written += 1
        out.write("".join(f"{t}  - {v}\n" if v else f"{t}  -\n" for t, v in lines))
        out.write("\n")
        if truth:
            truth.write(f"{written}\t{wid}\n")

    made = 0
    while made < args.n:
        works += 1
        w = make_work(rng, pool, works)
        k = min(rng.choices(COPIES, COPY_WEIGHTS)[0], args.n - made)
        for _ in range(k):
            buf.append((w.id, copy_lines(rng, w)))
            made += 1
            if len(buf) >= SHUFFLE_WINDOW:
                emit(buf.pop(rng.randrange(len(buf))))
    rng.shuffle(buf)
    for item in buf:
        emit(item)
    out.close()
    if truth:
        truth.close()
    print(f"{written} records of {works} works ({written - works} duplicates) -> {args.out}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
