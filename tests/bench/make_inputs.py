#!/usr/bin/env python3
"""Build large benchmark inputs by replicating real records with fresh ids.

    make_inputs.py KIND SOURCE OUT COUNT

KIND is pubmed-xml, ris or bibtex. Records are copied from SOURCE in turn;
each copy gets a fresh PMID / DOI / key so that no two are the same record.
Written as a stream: memory stays small whatever COUNT is.
"""
import re
import sys


def pubmed(src, out, count):
    text = open(src, encoding="utf-8").read()
    arts = re.findall(r"<PubmedArticle>.*?</PubmedArticle>", text, re.S)
    with open(out, "w", encoding="utf-8") as f:
        # a DTD that Debian's Biopython carries, so that its parser (a
        # peer in the benchmark) needs no network
        f.write('<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC '
                '"-//NLM//DTD PubMedArticle, 1st January 2019//EN" '
                '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_190101.dtd">\n'
                "<PubmedArticleSet>\n")
        for i in range(count):
            a = arts[i % len(arts)]
            pmid = str(50000000 + i)
            a = re.sub(r'(<PMID Version="\d+">)\d+(</PMID>)', r"\g<1>" + pmid + r"\2", a, count=1)
            a = re.sub(r'(<ArticleId IdType="pubmed">)\d+', r"\g<1>" + pmid, a)
            a = re.sub(r'(<ArticleId IdType="doi">)([^<]+)', r"\g<1>\2.b" + str(i), a)
            f.write(a)
            f.write("\n")
        f.write("</PubmedArticleSet>\n")


def ris(src, out, count):
    text = open(src, encoding="utf-8-sig").read()
    recs = [r + "ER  - \n" for r in re.split(r"^ER  -[^\n]*\n", text, flags=re.M) if "TY  -" in r]
    with open(out, "w", encoding="utf-8") as f:
        for i in range(count):
            r = recs[i % len(recs)]
            r = re.sub(r"^DO  - (.*)$", lambda m: "DO  - %s.b%d" % (m.group(1), i), r, flags=re.M)
            f.write(r.lstrip("\n"))
            f.write("\n")


def bibtex(src, out, count):
    text = open(src, encoding="utf-8").read()
    entries = re.split(r"\n(?=@)", text)
    entries = [e for e in entries if re.match(r"@\w+\s*\{", e)]
    with open(out, "w", encoding="utf-8") as f:
        for i in range(count):
            e = entries[i % len(entries)]
            e = re.sub(r"^(@\w+\s*\{)([^,]*),", lambda m: "%sb%d%s," % (m.group(1), i, m.group(2)), e, count=1)
            f.write(e.rstrip() + "\n\n")


if __name__ == "__main__":
    kind, src, out, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    {"pubmed-xml": pubmed, "ris": ris, "bibtex": bibtex}[kind](src, out, count)
