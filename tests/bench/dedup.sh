#!/bin/sh
# Deduplication accuracy (issue 5) on the labelled sets of
# ../shared/data/dedup-benchmark-labelled, counted as bib-dedupe counts it.
#
#   tests/bench/dedup.sh WINNOW-BINARY
#
# For each set: a fresh review under build/bench/dedup/ (or $DEDUP_BENCH_DIR),
# `winnow import --format csv` of its records (records_pre_merged.csv, or
# the ASySD file for diabetes_asysd), `winnow dedupe` (its automatic pass:
# pairs it leaves for review stay unmerged), `winnow export --format json`,
# then tests/bench/dedup_eval.py prints TP, FP, FN, TN, sensitivity,
# specificity, precision, F1, false merges and the pairs and records left
# for review, with "ok" or "BELOW TARGET". Exits 1 when a set misses its
# target or a step fails. Without the data it says so and exits 0.
# DEDUP_SETS="stroke haematology" runs only those sets.
set -u
bin=${1:?winnow binary}
root=$(cd "$(dirname "$0")/../.." && pwd)
case $bin in /*) ;; *) bin=$root/$bin ;; esac
data=${WINNOW_SHARED_DATA:-$root/../shared/data}/dedup-benchmark-labelled
out=${DEDUP_BENCH_DIR:-$root/build/bench/dedup}
fails=0

if [ ! -d "$data" ]; then
    echo "dedup: $data is absent; skipping accuracy"
    exit 0
fi
mkdir -p "$out" || exit 1

failed() { # what log
    echo "$1: failed:"
    sed 's/^/  /' "$2"
    fails=$((fails + 1))
}

echo "== deduplication accuracy (bib-dedupe's definitions; targets of issue 5)"
for dir in "$data"/*/; do
    dir=${dir%/}
    name=$(basename "$dir")
    [ -f "$dir/merged_record_ids.csv" ] || continue
    case " ${DEDUP_SETS:-$name} " in *" $name "*) ;; *) continue ;; esac
    file=$dir/records_pre_merged.csv
    [ -f "$file" ] || file=$dir/labelled_test_set_cp1252.csv
    db=$out/$name.db
    rm -f "$db" "$db-wal" "$db-shm"
    "$bin" --db "$db" init >"$out/$name.log" 2>&1 &&
        "$bin" --db "$db" import --source "$name" --format csv "$file" >>"$out/$name.log" 2>&1 ||
        { failed "$name: import" "$out/$name.log"; continue; }
    "$bin" --db "$db" dedupe >>"$out/$name.log" 2>&1 ||
        { failed "$name: winnow dedupe" "$out/$name.log"; continue; }
    "$bin" --db "$db" export --format json -o "$out/$name.json" >>"$out/$name.log" 2>&1 ||
        { failed "$name: export" "$out/$name.log"; continue; }
    pairs=$("$bin" --db "$db" status --format json |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["pairs_to_review"])') ||
        { echo "$name: status failed"; fails=$((fails + 1)); continue; }
    # the records in those pairs: a pair whose latest decision is 'queued',
    # as pipeline/status.c counts pairs_to_review
    records=$(sqlite3 -batch -noheader "$db" "
        WITH q AS (SELECT p.record_a, p.record_b FROM dedupe_pair p WHERE (SELECT decision
                   FROM pair_decision d WHERE d.pair_id = p.id ORDER BY d.id DESC LIMIT 1) = 'queued')
        SELECT COUNT(*) FROM (SELECT record_a FROM q UNION SELECT record_b FROM q)") ||
        { echo "$name: cannot count the records left for review"; fails=$((fails + 1)); continue; }
    python3 "$root/tests/bench/dedup_eval.py" "$dir" "$out/$name.json" \
        --review-pairs "$pairs" --review-records "$records" || fails=$((fails + 1))
done

[ "$fails" = 0 ] && echo "dedup: every target met" || echo "dedup: $fails set(s) below target or failed"
[ "$fails" = 0 ]
