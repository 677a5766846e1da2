# tests/bench/dedup.sh, the accuracy part of make bench. While winnow has no
# dedupe command it says so and passes. Given a winnow whose 'dedupe' is a
# stand-in writing clusters into the review (the labelled groups, primary
# the group's last record, one pair queued for review), it imports every
# labelled set of ../shared/data, exports, and every set meets its target;
# a stand-in that misses five groups and merges two unrelated records on
# 'stroke' makes it fail, saying what is below target.
. "$WINNOW_ROOT/tests/scenario/lib.sh"
DATA=${WINNOW_SHARED_DATA:-$SHARED_DATA}
export WINNOW_SHARED_DATA="$DATA" DEDUP_BENCH_DIR="$CASE_TMP/out"
bench() { # winnow-binary: dedup.sh's output in out.txt, its status in $bench_status
    sh "$WINNOW_ROOT/tests/bench/dedup.sh" "$1" >out.txt 2>&1
    bench_status=$?
    cat out.txt
}

if ! "$WINNOW" help | grep -Eq '^ +dedupe( |$)'; then
    bench "$WINNOW"
    expect_same "dedup.sh status without dedupe" "$bench_status" 0
    expect_same "dedup.sh without dedupe" "$(cat out.txt)" "dedupe: not built yet; skipping accuracy"
fi
[ -d "$DATA/dedup-benchmark-labelled" ] || exit 0

cat >fake_dedupe.py <<'PY'
import os, sqlite3, sys
sys.path.insert(0, os.path.join(os.environ["WINNOW_ROOT"], "tests", "bench"))
import dedup_eval
db = sqlite3.connect(sys.argv[1])
path, = db.execute("SELECT path FROM import_file").fetchone()
name = os.path.basename(os.path.dirname(path))
truth = dedup_eval.Truth(os.path.dirname(path))
rid = {truth.label[s]: i for i, s in db.execute("SELECT id, source_id FROM record")}
groups = [sorted(rid[i] for i in g) for g in truth.groups]
alone = sorted(rid[i] for i in rid if i not in truth.group_of)
if os.environ.get("FAKE_DEDUPE") == "flawed" and name == "stroke":
    groups = groups[5:] + [alone[:2]]  # five groups missed, two unrelated records merged
T = "2024-01-01T00:00:00Z"
for n, g in enumerate(groups, 1):
    db.execute("INSERT INTO dedupe_cluster(id, primary_record_id, created_at) VALUES (?, ?, ?)",
               (n, g[-1], T))
    db.executemany("INSERT INTO cluster_member(record_id, cluster_id, added_at) VALUES (?, ?, ?)",
                   [(r, n, T) for r in g])
db.execute("INSERT INTO dedupe_run(id, started_at, method) VALUES (1, ?, 'stand-in')", (T,))
db.execute("INSERT INTO dedupe_pair(id, record_a, record_b, run_id, score) VALUES (1, ?, ?, 1, 0.5)",
           (alone[-2], alone[-1]))
db.execute("INSERT INTO pair_decision(pair_id, decision, actor, decided_at) "
           "VALUES (1, 'queued', 'auto', ?)", (T,))
db.commit()
print(f"stand-in dedupe: {len(groups)} clusters")
PY
cat >winnow <<SH
#!/bin/sh
# winnow, with a stand-in for 'dedupe'
if [ "\$*" = help ]; then "$WINNOW" help; echo "  dedupe     stand-in"; exit 0; fi
if [ "\$1" = --db ] && [ "\$3" = dedupe ]; then exec python3 "$CASE_TMP/fake_dedupe.py" "\$2"; fi
exec "$WINNOW" "\$@"
SH
chmod +x winnow

bench "$CASE_TMP/winnow"
expect_same "dedup.sh status, perfect stand-in" "$bench_status" 0
for set in respiratory haematology stroke cytology_screening digital_work diabetes_asysd; do
    grep -Eq "^$set: [0-9]+ records, [0-9]+ unique; TP [0-9]+ FP 0 FN 0 TN [0-9]+; sensitivity 1.0000 .*; false merges 0; review 1 pairs, 2 records \([0-9.]+%\); ok$" out.txt ||
        fail "dedup.sh: no 'ok' line for $set"
done
grep -q '^special_cases: .*; no target for this set$' out.txt || fail "dedup.sh: special_cases"
expect_same "last line" "$(tail -1 out.txt)" "dedup: every target met"
expect_same "diabetes records stored" \
    "$(sql out/diabetes_asysd.db 'SELECT count(*), count(DISTINCT source_id) FROM record')" "1845|1845"

FAKE_DEDUPE=flawed DEDUP_SETS="stroke haematology" bench "$CASE_TMP/winnow"
expect_same "dedup.sh status, flawed stand-in" "$bench_status" 1
grep -Eq '^stroke: 1292 records, 978 unique; TP 3[0-9][0-9] FP 1 FN [0-9]+ .*; false merges 1; review 1 pairs, 2 records \(0\.15%\); BELOW TARGET: precision 0\.997 < 1\.000 \(FP 1\), 1 false merge, sensitivity 0\.9[0-8][0-9] < 0\.994$' out.txt ||
    fail "dedup.sh: the flawed stroke line"
expect_same "lines" "$(grep -c '^[a-z_]*: [0-9]* records' out.txt)" 2
grep -q '^haematology: .*; ok$' out.txt || fail "dedup.sh: haematology with a perfect stand-in"
expect_same "last line" "$(tail -1 out.txt)" "dedup: 1 set(s) below target or failed"
exit 0
