#!/bin/sh
# make bench: import throughput and memory against peers on the same input.
#
#   tests/bench/run.sh WINNOW-BINARY
#
# Inputs are built from the real exports in ../shared/data by replicating
# records with fresh identifiers (tests/bench/make_inputs.py). Peers run when
# installed (scripts/deps.sh bench installs them): EDirect's xtract and
# Biopython's Entrez.read on PubMed XML; citation-js on RIS and BibTeX.
# Results are ratios (peer time / winnow time), so they hold on any machine.
# Against xtract and Biopython the import into the store is what the target
# is about; against citation-js, which parses into memory and stores
# nothing, reading (import --dry-run) is. Both ratios are printed.
#
#   BENCH_XML_RECORDS (default 20000, about 190 MB)  size of the PubMed XML input
#   BENCH_BIG=1        also import a ~1 GB PubMed XML file (memory target)
#   BENCH_CITE_RECORDS (default 20000)  RIS/BibTeX records for citation-js
set -u
bin=${1:?winnow binary}
root=$(cd "$(dirname "$0")/../.." && pwd)
case $bin in /*) ;; *) bin=$root/$bin ;; esac
data=${WINNOW_SHARED_DATA:-$root/../shared/data}
out=$root/build/bench
mkdir -p "$out"
py=python3
xml_n=${BENCH_XML_RECORDS:-20000}
cite_n=${BENCH_CITE_RECORDS:-20000}
fails=0

if [ ! -d "$data" ]; then
    echo "bench: $data is absent; nothing to measure"
    exit 0
fi

# seconds and max RSS (KiB) of a command: "SECONDS KIB"
measure() {
    /usr/bin/time -f '%e %M' -o "$out/.time" "$@" >/dev/null 2>"$out/.err" || {
        echo "bench: failed: $*" >&2; cat "$out/.err" >&2; return 1; }
    cat "$out/.time"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) b = 0.01; printf "%.1f", a / b }'; }

check() { # label ratio target
    if awk -v r="$2" -v t="$3" 'BEGIN { exit !(r >= t) }'; then
        echo "  $1: ${2}x (target >= ${3}x) ok"
    else
        echo "  $1: ${2}x (target >= ${3}x) BELOW TARGET"
        fails=$((fails + 1))
    fi
}

import_into() { # format file [--dry-run] -> "SECONDS KIB"
    rm -f "$out/bench.db" "$out/bench.db-wal" "$out/bench.db-shm"
    "$bin" --db "$out/bench.db" init >/dev/null || return 1
    measure "$bin" --db "$out/bench.db" import --source bench --format "$1" ${3:-} "$2"
}

# reading alone (import --dry-run: parse and normalise, store nothing);
# sets r_sec
parse_only() { # format file
    r_sec=0
    r=$(import_into "$1" "$2" --dry-run) || return 0
    set -- $r
    r_sec=$1
    echo "  winnow reading alone (--dry-run): ${1}s, max RSS $(($2 / 1024)) MiB"
}

# both ratios against a peer's time; the one the target is about is checked
compare() { # peer-label peer-seconds checked(import|read) target
    i=$(ratio "$2" "$w_sec") rd=$(ratio "$2" "$r_sec")
    if [ "$3" = import ]; then
        check "winnow import vs $1" "$i" "$4"
        echo "  winnow reading vs $1: ${rd}x (for information)"
    else
        check "winnow reading vs $1" "$rd" "$4"
        echo "  winnow import vs $1: ${i}x (for information)"
    fi
}

echo "== PubMed XML: $xml_n records"
xml=$out/pubmed-$xml_n.xml
[ -s "$xml" ] || $py "$root/tests/bench/make_inputs.py" pubmed-xml \
    "$data/pubmed-psoas-abscess-292/pubmed_result.xml" "$xml" "$xml_n"
echo "  input: $(du -h "$xml" | cut -f1)"
r=$(import_into pubmed-xml "$xml") || exit 1
set -- $r
w_sec=$1 w_kib=$2
echo "  winnow import: ${w_sec}s, max RSS $((w_kib / 1024)) MiB, $(sqlite3 "$out/bench.db" 'SELECT count(*) FROM record') records stored"
parse_only pubmed-xml "$xml"
if command -v xtract >/dev/null 2>&1; then
    # the fields winnow maps into columns (the rest it keeps as extra and
    # the whole element as raw, which xtract does not have to do)
    if r=$(measure xtract -input "$xml" -pattern PubmedArticle -element MedlineCitation/PMID \
        ArticleTitle VernacularTitle AbstractText LastName ForeName Initials CollectiveName \
        Year MedlineDate Title ISOAbbreviation Volume Issue MedlinePgn ELocationID ArticleId \
        ISSN Language PublicationType Keyword DescriptorName QualifierName); then
        set -- $r
        echo "  xtract (extract to text): ${1}s, max RSS $(($2 / 1024)) MiB"
        compare xtract "$1" import 1
    fi
else
    echo "  xtract: not installed (apt-get install ncbi-entrez-direct)"
fi
if /usr/bin/python3 -c 'import Bio' 2>/dev/null; then
    if r=$(measure /usr/bin/python3 -c 'import sys
from Bio import Entrez
with open(sys.argv[1], "rb") as f:
    Entrez.read(f, validate=False)' "$xml"); then
        set -- $r
        echo "  Biopython Entrez.read: ${1}s, max RSS $(($2 / 1024)) MiB"
        compare Biopython "$1" import 1
    fi
else
    echo "  Biopython: not installed (apt-get install python3-biopython)"
fi

if [ "${BENCH_BIG:-}" = 1 ]; then
    big=$out/pubmed-big.xml
    [ -s "$big" ] || $py "$root/tests/bench/make_inputs.py" pubmed-xml \
        "$data/pubmed-psoas-abscess-292/pubmed_result.xml" "$big" 110000
    echo "== PubMed XML, big: $(du -h "$big" | cut -f1)"
    r=$(import_into pubmed-xml "$big") || exit 1
    set -- $r
    echo "  winnow import: ${1}s, max RSS $(($2 / 1024)) MiB (target < 64 MiB)"
    [ "$2" -lt 65536 ] || { echo "  memory ABOVE TARGET"; fails=$((fails + 1)); }
fi

# citation-js, installed from npm into build/bench/node when npm is there
cite=
if command -v npm >/dev/null 2>&1; then
    if [ ! -d "$out/node/node_modules/@citation-js/plugin-bibtex" ]; then
        mkdir -p "$out/node"
        (cd "$out/node" && npm install --silent --no-audit --no-fund @citation-js/core \
            @citation-js/plugin-ris @citation-js/plugin-bibtex >/dev/null 2>&1) || true
    fi
    [ -d "$out/node/node_modules/@citation-js/plugin-bibtex" ] && cite=1
fi
cat >"$out/node/cite.js" 2>/dev/null <<'JS'
const fs = require('fs');
const { Cite } = require('@citation-js/core');
require('@citation-js/plugin-ris');
require('@citation-js/plugin-bibtex');
const data = new Cite(fs.readFileSync(process.argv[2], 'utf8'));
process.stdout.write(String(data.data.length) + '\n');
JS

for kind in ris bibtex; do
    case $kind in
        ris) src=$data/citation-exports-revtools/restoration_scopus.ris ;;
        bibtex) src=$data/citation-exports-asysd/zotero_export.bib ;;
    esac
    f=$out/bench-$cite_n.$kind
    [ -s "$f" ] || $py "$root/tests/bench/make_inputs.py" "$kind" "$src" "$f" "$cite_n"
    echo "== $kind: $cite_n records ($(du -h "$f" | cut -f1))"
    r=$(import_into "$kind" "$f") || { fails=$((fails + 1)); continue; }
    set -- $r
    w_sec=$1
    echo "  winnow import: ${1}s, max RSS $(($2 / 1024)) MiB, $(sqlite3 "$out/bench.db" 'SELECT count(*) FROM record') records stored"
    parse_only "$kind" "$f"
    if [ -n "$cite" ] && r=$(measure node "$out/node/cite.js" "$f"); then
        set -- $r
        echo "  citation-js: ${1}s, max RSS $(($2 / 1024)) MiB"
        # citation-js parses into memory and stores nothing: reading is
        # the like-for-like comparison
        compare "citation-js ($kind)" "$1" read 50
    elif [ -z "$cite" ]; then
        echo "  citation-js: not installed (npm install @citation-js/core ...)"
    fi
done

# A 25,000-record PubMed search against the loopback mock enforcing NCBI's
# 3 requests a second: the least time the rate limit allows for the
# requests the search needs is (requests - 1) / 3 s; the target is to be
# within 10% of it, provoking no 429.
echo "== PubMed search: 25000 records against the mock (3 requests/s)"
mock_dir=$out/mock
rm -rf "$mock_dir" && mkdir -p "$mock_dir"
cat >"$mock_dir/config.json" <<'JSON'
{"pubmed": {"queries": {"bench": {"count": 25000, "from": "1990/01/01", "to": "2024/12/31"}}, "rate": 3}}
JSON
python3 "$root/tests/mock/mock_api.py" --port 0 --port-file "$mock_dir/port" \
    --config "$mock_dir/config.json" >"$mock_dir/log" 2>&1 &
mock_pid=$!
i=0
while [ ! -s "$mock_dir/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if [ -s "$mock_dir/port" ]; then
    mock_url=http://127.0.0.1:$(cat "$mock_dir/port")
    rm -f "$mock_dir/s.db" "$mock_dir/s.db-wal" "$mock_dir/s.db-shm"
    "$bin" --db "$mock_dir/s.db" init >/dev/null
    start=$(date +%s.%N)
    WINNOW_EUTILS_URL=$mock_url/entrez/eutils/ "$bin" --db "$mock_dir/s.db" search pubmed \
        --quiet bench >"$mock_dir/out" 2>&1 || { cat "$mock_dir/out"; fails=$((fails + 1)); }
    end=$(date +%s.%N)
    python3 "$root/tests/mock/mock_api.py" ctl "$mock_url" GET /_mock/log >"$mock_dir/requests.json"
    if python3 - "$mock_dir/requests.json" "$start" "$end" \
        "$(sqlite3 "$mock_dir/s.db" 'SELECT count(*) FROM record')" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
wall = float(sys.argv[3]) - float(sys.argv[2])
stored = int(sys.argv[4])
n = len(log)
fetch = [r for r in log if r["endpoint"] == "efetch.fcgi"]
batch = max(int(r["form"].get("retmax", ["0"])[0]) for r in fetch) if fetch else 0
least = (n - 1) / 3
too_many = sum(1 for r in log if r["status"] == 429)
ratio = wall / least if least else 0
print(f"  {stored} records stored; {n} requests ({len(fetch)} EFetch of up to {batch}), "
      f"{too_many} answered 429")
print(f"  search took {wall:.1f} s; the rate limit allows no less than {least:.1f} s: "
      f"{ratio:.2f}x (target <= 1.10x)")
sys.exit(0 if stored == 25000 and too_many == 0 and ratio <= 1.10 else 1)
PY
    then echo "  search: ok"; else echo "  search: BELOW TARGET"; fails=$((fails + 1)); fi
else
    echo "  the mock did not start"; cat "$mock_dir/log"; fails=$((fails + 1))
fi
kill $mock_pid 2>/dev/null; wait $mock_pid 2>/dev/null

# Deduplication accuracy on the labelled sets, against bib-dedupe's
# published results (tests/bench/dedup.sh prints one line per set).
echo
sh "$root/tests/bench/dedup.sh" "$bin" || fails=$((fails + 1))

# Deduplication speed and scale: 10k, 100k and 1M generated records
# (tests/bench/dedup_scale.sh; DEDUP_SCALE_SIZES="10000 100000" for a quick run).
echo
sh "$root/tests/bench/dedup_scale.sh" "$bin" || fails=$((fails + 1))

# Twenty eligibility rules over a million records, under 10 s, beside grep
# -P over the same text (tests/bench/rules.sh).
sh "$root/tests/bench/rules.sh" "$bin" || fails=$((fails + 1))

# The screening screen in a review of a million records: each next record
# on screen in under 50 ms (tests/bench/screen.sh, driven through tmux).
sh "$root/tests/bench/screen.sh" "$bin" || fails=$((fails + 1))
# ... and by relevance, the model learning from each key (issue 10): under
# 100 ms at 10,000 records, under 1 s at 100,000
SCREEN_BENCH_ORDER=relevance SCREEN_BENCH_RECORDS=10000 SCREEN_BENCH_MAX_MS=100 \
    sh "$root/tests/bench/screen.sh" "$bin" || fails=$((fails + 1))
SCREEN_BENCH_ORDER=relevance SCREEN_BENCH_RECORDS=100000 SCREEN_BENCH_MAX_MS=1000 \
    sh "$root/tests/bench/screen.sh" "$bin" || fails=$((fails + 1))
# ... and through the stopping rule's sample, the test worked out again at
# every key: under 1 s at 100,000
SCREEN_BENCH_ORDER=sample SCREEN_BENCH_RECORDS=100000 SCREEN_BENCH_MAX_MS=1000 \
    sh "$root/tests/bench/screen.sh" "$bin" || fails=$((fails + 1))

# Verifying an audit trail of 100,000 entries, under a second
# (tests/bench/audit.sh).
sh "$root/tests/bench/audit.sh" "$bin" || fails=$((fails + 1))

# Prioritised screening against ASReview's default model on the four labelled
# datasets: WSS@95, the stopping rule, speed (tests/bench/screen_rank.sh).
sh "$root/tests/bench/screen_rank.sh" "$bin" || fails=$((fails + 1))

echo
[ "$fails" = 0 ] && echo "bench: every target met" || echo "bench: $fails target(s) missed"
[ "$fails" = 0 ]
