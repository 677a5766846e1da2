#!/bin/sh
# Audit verification speed (issue 9): `winnow audit verify` on a review
# whose trail holds over 100,000 entries: 100,000 records imported and a
# reviewer's decision on each (one entry per decision), every seal's rows
# hashed again. Target: under 1 s.
#
#   tests/bench/audit.sh WINNOW-BINARY
#   AUDIT_BENCH_RECORDS (default 100000)
set -u
bin=${1:?winnow binary}
root=$(cd "$(dirname "$0")/../.." && pwd)
case $bin in /*) ;; *) bin=$root/$bin ;; esac
data=${WINNOW_SHARED_DATA:-$root/../shared/data}/dedup-benchmark-labelled
out=$root/build/bench/scale
n=${AUDIT_BENCH_RECORDS:-100000}
max_sec=1

if [ ! -d "$data" ]; then
    echo "audit: $data is absent; skipping"
    exit 0
fi
mkdir -p "$out" || exit 1
echo "== audit verify (issue 9): a trail of $n decisions over $n records"
. "$root/tests/bench/scale_lib.sh"
ris=$(scale_ris "$n") || { echo "audit: generating $n records failed"; exit 1; }
db=$out/audit-$n.db
scale_review "$db" "$ris" || { echo "audit: importing failed"; exit 1; }
sqlite3 -csv "$db" "SELECT 'record','stage','reviewer','decision' UNION ALL
    SELECT * FROM (SELECT id, 'title-abstract', 'alice', CASE id % 3 WHEN 0 THEN 'exclude' ELSE 'include' END
    FROM record ORDER BY id)" >"$out/audit-decisions.csv"
"$bin" --db "$db" decisions import "$out/audit-decisions.csv" >/dev/null ||
    { echo "audit: importing the decisions failed"; exit 1; }
entries=$(sqlite3 "$db" "SELECT COUNT(*) FROM audit_log")
/usr/bin/time -f '%e %M' -o "$out/.time" "$bin" --db "$db" audit verify >"$out/audit.out" 2>&1 ||
    { echo "audit: verify failed:"; cat "$out/audit.out"; exit 1; }
read -r sec kib <"$out/.time"
head -1 "$out/audit.out" | sed 's/^/  /'
echo "  $entries entries verified in $sec s, $((kib / 1024)) MB (target under $max_sec s)"
awk -v s="$sec" -v m="$max_sec" 'BEGIN { exit !(s < m) }' || { echo "audit: over $max_sec s"; exit 1; }
