# bib-dedupe's 25 hand-written hard pairs (pairwise_test_cases.json in
# ../shared/data/dedup-benchmark-labelled; skipped when absent): each pair,
# alone in a review imported from CSV, is merged by `winnow dedupe` exactly
# when the case expects a duplicate. A user relies on never seeing two
# papers merged (the 15 false cases: same DOI on different papers, one
# author's same title at two meetings, annual minitrack introductions,
# an UNKNOWN title, a title that is only the journal's name) and on the
# real duplicates merging (a record with no venue against the full one,
# the PNAS journal that is not a conference, an online-first record paged
# from 1). One expected duplicate is refused on purpose, as issue 5 asks:
# two versions of a Cochrane review (pub2 and pub3, an update).
. "$WINNOW_ROOT/tests/scenario/lib.sh"

cases=$SHARED_DATA/dedup-benchmark-labelled/pairwise_test_cases.json
if [ ! -f "$cases" ]; then
    echo "skip: $cases is absent"
    exit 0
fi
python3 - "$cases" <<'PY' || fail "could not write the cases"
import csv, json, sys
cases = json.load(open(sys.argv[1]))["cases"]
keys = sorted({k for c in cases for r in (c["record_a"], c["record_b"]) for k in r})
with open("cases.tsv", "w") as out:
    for c in cases:
        with open(c["id"] + ".csv", "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=keys)
            w.writeheader()
            for rid, r in (("a", c["record_a"]), ("b", c["record_b"])):
                w.writerow(dict(r, ID=rid))
        out.write("%s\t%d\n" % (c["id"], c["expected_duplicate"]))
PY
[ "$(wc -l <cases.tsv)" -eq 25 ] || fail "expected 25 cases, found $(wc -l <cases.tsv)"

merged_true=0
while IFS="$(printf '\t')" read -r id expected; do
    rm -f r.db r.db-wal r.db-shm
    run init --db r.db
    expect_exit 0
    run import --db r.db --source cases --format csv "$id.csv"
    expect_exit 0
    run dedupe --db r.db --quiet
    expect_exit 0
    merged=$(sql r.db "SELECT count(*) FROM cluster_member")
    rule=$(sql r.db "SELECT coalesce(group_concat(decision || ': ' || coalesce(reason, ''), '; '), 'not a candidate') FROM pair_decision")
    case $id in
        tan_2004_2005_pub2_vs_pub3)
            # a Cochrane review and its update are never merged
            expect_same "$id ($rule)" "$merged" 0 ;;
        *)
            if [ "$expected" = 1 ]; then
                expect_same "$id ($rule)" "$merged" 2
                merged_true=$((merged_true + 1))
            else
                expect_same "$id ($rule)" "$merged" 0
            fi ;;
    esac
done <cases.tsv
expect_same "expected duplicates merged" "$merged_true" 9
