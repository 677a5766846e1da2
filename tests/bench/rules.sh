#!/bin/sh
# Eligibility rules speed (issue 6): `winnow rules test` with twenty rules
# (tests/bench/twenty.rules) over a review of 1,000,000 records, next to a
# plain `grep -P` of their patterns (tests/bench/twenty.patterns), one pass
# each, over the same titles and abstracts as the floor. Target: under 10 s.
#
#   tests/bench/rules.sh WINNOW-BINARY
#
# The records are the dedupe scale benchmark's generated set
# (tests/bench/make_dedupe_scale.py, cached in build/bench/scale/), imported
# into a fresh review with the example protocol.
#   RULES_BENCH_RECORDS (default 1000000)
set -u
bin=${1:?winnow binary}
root=$(cd "$(dirname "$0")/../.." && pwd)
case $bin in /*) ;; *) bin=$root/$bin ;; esac
data=${WINNOW_SHARED_DATA:-$root/../shared/data}/dedup-benchmark-labelled
out=$root/build/bench/scale
n=${RULES_BENCH_RECORDS:-1000000}
max_sec=10

if [ ! -d "$data" ]; then
    echo "rules: $data is absent; skipping"
    exit 0
fi
mkdir -p "$out" || exit 1
echo "== eligibility rules (issue 6): 20 rules over $n records"
. "$root/tests/bench/scale_lib.sh"
ris=$(scale_ris "$n") || { echo "rules: generating $n records failed"; exit 1; }
db=$out/rules-$n.db
scale_review "$db" "$ris" || { echo "rules: importing failed"; exit 1; }

/usr/bin/time -f '%e %M' -o "$out/.time" "$bin" --db "$db" rules test \
    "$root/tests/bench/twenty.rules" >"$out/rules.out" 2>&1 ||
    { echo "rules: rules test failed:"; cat "$out/rules.out"; exit 1; }
read -r w_sec w_kib <"$out/.time"
tail -2 "$out/rules.out" | head -1 | sed 's/^/  /'

# the floor: the same titles and abstracts, one line each, grep -P per pattern
sqlite3 "$db" "SELECT replace(coalesce(title, '') || ' ' || coalesce(abstract, ''), char(10), ' ') FROM record" >"$out/tiab.txt"
start=$(date +%s.%N)
while IFS= read -r pattern; do
    # (not to /dev/null: GNU grep then stops at the first match)
    grep -P -i -c -- "$pattern" "$out/tiab.txt" >"$out/.grep"
done <"$root/tests/bench/twenty.patterns"
end=$(date +%s.%N)
g_sec=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
rm -f "$out/tiab.txt" "$out/.grep" "$db" "$db-wal" "$db-shm"
echo "  winnow rules test: ${w_sec}s, max RSS $((w_kib / 1024)) MiB; grep -P, the 20 patterns one pass each over the same text: ${g_sec}s"
if awk -v t="$w_sec" -v m="$max_sec" 'BEGIN { exit !(t < m) }'; then
    echo "  ${w_sec}s for $n records (target < ${max_sec}s) ok"
else
    echo "  ${w_sec}s for $n records (target < ${max_sec}s) BELOW TARGET"
    exit 1
fi
