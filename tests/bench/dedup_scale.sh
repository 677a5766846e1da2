#!/bin/sh
# Deduplication speed and scale (issue 5): records/s and peak memory of
# `winnow dedupe` at 10k, 100k and 1M generated records.
#
#   tests/bench/dedup_scale.sh WINNOW-BINARY
#
# For each N: a RIS file of N records made from the labelled sets in
# ../shared/data/dedup-benchmark-labelled by tests/bench/make_dedupe_scale.py
# (cached in build/bench/scale/ by N and seed, with its truth file), a fresh
# review, `winnow import` (timed apart), then `winnow dedupe --quiet` timed
# with /usr/bin/time on a copy of the imported review: the best of 3 runs
# up to 100k records (a run of a few seconds varies by 30% on a shared
# machine, enough to swing the growth exponent), the best of 2 above (a
# minute's run at 1M varies by 15%: 59 to 73 s for one binary in one hour).
#
# Per N: records, import and dedupe seconds (wall, and dedupe's CPU),
# records/s, peak RSS, the candidate pairs dedupe compared; per step up, the
# growth exponent log(t2/t1)/log(n2/n1) and t2/t1 against the n log n
# prediction (n2 log n2)/(n1 log n1). Targets: 1M records in under 120 s and
# 2048 MB, and an exponent under 1.25 (close to n log n, far from n^2). Up to
# 100k the clusters are checked against the truth
# (tests/bench/dedup_scale_eval.py): any false merge misses the target.
# Prints "ok" or "BELOW TARGET" and exits 1 when a target is missed or a
# step fails; without the data it says so and exits 0.
#
#   DEDUP_SCALE_SIZES  (default "10000 100000 1000000")
#   DEDUP_SCALE_SEED   (default 1)
#   DEDUP_SCALE_DIR    (default build/bench/scale)
#   DEDUP_SCALE_EVAL_MAX (default 100000)  largest N checked for accuracy
#   DEDUP_SCALE_REPEAT (default 3)  dedupe runs per N up to 100k (the fastest counts)
#   DEDUP_SCALE_REPEAT_BIG (default 2)  dedupe runs per N above 100k
set -u
bin=${1:?winnow binary}
root=$(cd "$(dirname "$0")/../.." && pwd)
case $bin in /*) ;; *) bin=$root/$bin ;; esac
data=${WINNOW_SHARED_DATA:-$root/../shared/data}/dedup-benchmark-labelled
out=${DEDUP_SCALE_DIR:-$root/build/bench/scale}
sizes=${DEDUP_SCALE_SIZES:-10000 100000 1000000}
seed=${DEDUP_SCALE_SEED:-1}
eval_max=${DEDUP_SCALE_EVAL_MAX:-100000}
repeat=${DEDUP_SCALE_REPEAT:-3}
repeat_big=${DEDUP_SCALE_REPEAT_BIG:-2}
max_sec=120 max_mb=2048 max_exp=1.25
fails=0

if [ ! -d "$data" ]; then
    echo "dedup scale: $data is absent; skipping"
    exit 0
fi
mkdir -p "$out" || exit 1

# seconds, max RSS (KiB) and CPU seconds of a command: "SECONDS KIB CPU"
measure() {
    /usr/bin/time -f '%e %M %U %S' -o "$out/.time" "$@" >/dev/null 2>"$out/.err" || {
        echo "dedup scale: failed: $*" >&2; sed 's/^/  /' "$out/.err" >&2; return 1; }
    awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$out/.time"
}

below() { echo "  $1 BELOW TARGET"; fails=$((fails + 1)); }

echo "== deduplication speed and scale (issue 5): generated sets, seed $seed"
printf '  %9s %9s %9s %8s %11s %8s %11s   %s\n' records import_s dedupe_s cpu_s records/s RSS_MB pairs growth
prev_n= prev_t=
for n in $sizes; do
    ris=$out/scale-$n-s$seed.ris truth=$out/scale-$n-s$seed.tsv
    if [ ! -s "$ris" ] || [ ! -s "$truth" ]; then
        python3 "$root/tests/bench/make_dedupe_scale.py" "$n" "$ris.tmp" --seed "$seed" \
            --truth "$truth.tmp" --data "$data" 2>"$out/gen.log" &&
            mv "$truth.tmp" "$truth" && mv "$ris.tmp" "$ris" ||
            { echo "  $n: generating failed:"; sed 's/^/    /' "$out/gen.log"; fails=$((fails + 1)); continue; }
    fi
    db=$out/scale-$n.db
    rm -f "$db" "$db-wal" "$db-shm"
    "$bin" --db "$db" init >/dev/null 2>"$out/.err" ||
        { echo "  $n: init failed"; fails=$((fails + 1)); continue; }
    r=$(measure "$bin" --db "$db" import --source bench --format ris "$ris") ||
        { fails=$((fails + 1)); continue; }
    imp=${r%% *}
    stored=$(sqlite3 "$db" 'SELECT count(*) FROM record')
    [ "$stored" = "$n" ] || { echo "  $n: $stored records stored, not $n"; fails=$((fails + 1)); continue; }
    # the imported review, kept so that each dedupe run starts from it
    sqlite3 "$db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null && cp "$db" "$db.imported" ||
        { echo "  $n: cannot copy the review"; fails=$((fails + 1)); continue; }
    runs=$repeat_big
    [ "$n" -le 100000 ] && runs=$repeat
    t= kib=0 k=0 cpu=
    while [ "$k" -lt "$runs" ]; do
        k=$((k + 1))
        rm -f "$db-wal" "$db-shm"
        [ "$k" = 1 ] || cp "$db.imported" "$db" || break
        r=$(measure "$bin" --db "$db" dedupe --quiet) || { t=; break; }
        set -- $r
        if [ -z "$t" ] || awk -v a="$1" -v b="$t" 'BEGIN { exit !(a < b) }'; then t=$1 cpu=$3; fi
        [ "$2" -gt "$kib" ] && kib=$2
    done
    rm -f "$db.imported"
    [ -n "$t" ] || { fails=$((fails + 1)); continue; }
    growth=
    if [ -n "$prev_n" ]; then
        growth=$(awk -v n1="$prev_n" -v n2="$n" -v t1="$prev_t" -v t2="$t" 'BEGIN {
            if (t1 < 0.01) t1 = 0.01; if (t2 < 0.01) t2 = 0.01
            e = log(t2 / t1) / log(n2 / n1); p = (n2 * log(n2)) / (n1 * log(n1))
            printf "x%.1f for x%.0f records: exponent %.2f, %.2f of the n log n prediction (x%.1f)",
                t2 / t1, n2 / n1, e, (t2 / t1) / p, p }')
        exp=$(echo "$growth" | sed 's/.*exponent \([0-9.-]*\).*/\1/')
    fi
    pairs=$(sqlite3 "$db" 'SELECT candidates FROM dedupe_run ORDER BY id DESC LIMIT 1')
    awk -v n="$n" -v i="$imp" -v t="$t" -v c="$cpu" -v k="$kib" -v p="$pairs" -v g="$growth" 'BEGIN {
        printf "  %9d %9.2f %9.2f %8.2f %11.0f %8.0f %11d   %s\n", n, i, t, c,
            n / (t < 0.01 ? 0.01 : t), k / 1024, p, g }'
    if [ "$n" -ge 1000000 ]; then
        awk -v t="$t" -v m="$max_sec" 'BEGIN { exit !(t < m) }' ||
            below "$n records: ${t}s (target < ${max_sec}s)"
        [ "$((kib / 1024))" -lt "$max_mb" ] ||
            below "$n records: $((kib / 1024)) MB (target < $max_mb MB)"
    fi
    if [ -n "$growth" ] && ! awk -v e="$exp" -v m="$max_exp" 'BEGIN { exit !(e < m) }'; then
        below "$prev_n -> $n: exponent $exp (target < $max_exp)"
    fi
    if [ "$n" -le "$eval_max" ]; then
        python3 "$root/tests/bench/dedup_scale_eval.py" "$truth" "$db" ||
            below "$n records: false merges (target 0)"
    fi
    prev_n=$n prev_t=$t
done

[ "$fails" = 0 ] && echo "dedup scale: ok" || echo "dedup scale: $fails target(s) BELOW TARGET or failed"
[ "$fails" = 0 ]
