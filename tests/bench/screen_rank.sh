#!/bin/sh
# Prioritised screening (issue 10): `winnow simulate` on the four labelled
# ASReview datasets, 10 seeds each, beside a reference implementation of
# ASReview's default model (tests/bench/screen_rank_ref.py, scikit-learn)
# given the same two records first. Both orders are scored by the same
# code (screen_rank_eval.py). Targets: WSS@95 at least the reference's on
# every dataset (mean over the seeds); the stopping rule reaching its
# target recall in at least 95% of the runs; each simulation at least 10x
# faster than the reference's. Both run until every relevant record is
# found, and both are timed in-process from the file read (winnow's
# "seconds", the reference's) to the end: the model built, every query.
#
#   tests/bench/screen_rank.sh WINNOW-BINARY
#   RANK_BENCH_SEEDS (default 10)
#   RANK_STOP_SEEDS (default 50): the stopping rule is a test at 95%
#   confidence, so it may miss in about one run in twenty by design; 40
#   runs cannot tell 95% from 90%, and winnow alone runs in a fraction of
#   a second, so its share of runs reaching the target is judged on this
#   many seeds per dataset (the first RANK_BENCH_SEEDS are the runs above).
set -u
bin=${1:?winnow binary}
root=$(cd "$(dirname "$0")/../.." && pwd)
case $bin in /*) ;; *) bin=$root/$bin ;; esac
data=${WINNOW_SHARED_DATA:-$root/../shared/data}/screening-asreview-labelled
out=$root/build/bench/rank
seeds=${RANK_BENCH_SEEDS:-10}
stop_seeds=${RANK_STOP_SEEDS:-50}
[ "$stop_seeds" -lt "$seeds" ] && stop_seeds=$seeds
py=/usr/bin/python3

if [ ! -d "$data" ]; then
    echo "rank: $data is absent; skipping"
    exit 0
fi
if ! $py -c 'import sklearn' 2>/dev/null; then
    echo "rank: scikit-learn is absent (apt-get install python3-sklearn); skipping"
    exit 0
fi
mkdir -p "$out" || exit 1
echo "== prioritised screening (issue 10): WSS@95 over $seeds seeds, beside ASReview's default model"
for set in Kitchenham_2010 Nagtegaal_2019 Cohen_2006_ACEInhibitors Bannach-Brown_2019; do
    file=$data/$set.csv
    seed=1
    while [ "$seed" -le "$seeds" ]; do
        start=$(date +%s.%N)
        "$bin" simulate "$file" --label-column label_included --seed "$seed" --format json \
            >"$out/$set-$seed.winnow.json" || { echo "rank: winnow simulate failed on $set"; exit 1; }
        end=$(date +%s.%N)
        echo "$start $end" >"$out/$set-$seed.winnow.time"
        rel=$(jq .prior.relevant "$out/$set-$seed.winnow.json")
        irr=$(jq .prior.irrelevant "$out/$set-$seed.winnow.json")
        $py "$root/tests/bench/screen_rank_ref.py" "$file" label_included "$rel" "$irr" "$seed" \
            >"$out/$set-$seed.ref.json" || { echo "rank: the reference failed on $set"; exit 1; }
        seed=$((seed + 1))
    done
    while [ "$seed" -le "$stop_seeds" ]; do
        "$bin" simulate "$file" --label-column label_included --seed "$seed" --format json \
            >"$out/$set-$seed.winnow.json" || { echo "rank: winnow simulate failed on $set"; exit 1; }
        seed=$((seed + 1))
    done
done
$py "$root/tests/bench/screen_rank_eval.py" "$data" "$out" "$seeds" "$stop_seeds"
