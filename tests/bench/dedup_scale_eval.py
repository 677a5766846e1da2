#!/usr/bin/env python3
"""Accuracy of `winnow dedupe` on a generated set (make_dedupe_scale.py).

    dedup_scale_eval.py TRUTH.tsv REVIEW.db

TRUTH.tsv is "record_position<TAB>work_id"; the review is read with SQL
(record.position, cluster_member.cluster_id: docs/schema.md). A record in
no cluster stands alone. Prints one line:

  false merges: clusters holding records of more than one work, and the
  records that are not of their cluster's main work;
  duplicates found: of the true duplicate records (each work's copies beyond
  its first), the share removed correctly (a work's copies in one cluster
  of that work), and as pairs (true duplicate pairs placed in one cluster);
  pairs left for review.

Exit status 0 when there is no false merge, 1 otherwise.
"""
import sqlite3
import sys
from collections import Counter, defaultdict


def main():
    truth_path, db_path = sys.argv[1], sys.argv[2]
    work_of = {}
    with open(truth_path, encoding="utf-8") as f:
        for line in f:
            pos, wid = line.split("\t")
            work_of[int(pos)] = int(wid)
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    group_of = {}  # position -> cluster (or -position for a record alone)
    for pos, cluster in db.execute(
            "SELECT r.position, m.cluster_id FROM record r "
            "LEFT JOIN cluster_member m ON m.record_id = r.id"):
        group_of[pos] = cluster if cluster is not None else -pos
    queued = db.execute(
        "SELECT COUNT(*) FROM dedupe_pair p WHERE (SELECT decision FROM pair_decision d "
        "WHERE d.pair_id = p.id ORDER BY d.id DESC LIMIT 1) = 'queued'").fetchone()[0]
    if len(group_of) != len(work_of):
        print(f"  accuracy: {len(group_of)} records in the review, {len(work_of)} in the truth file")
        return 1

    members = defaultdict(list)          # group -> works of its records
    for pos, g in group_of.items():
        members[g].append(work_of[pos])
    copies = Counter(work_of.values())   # work -> records

    bad_clusters = wrong_records = false_pairs = 0
    pairs_found = 0
    groups_of_work = defaultdict(set)
    for g, works in members.items():
        c = Counter(works)
        if len(c) > 1:
            bad_clusters += 1
            wrong_records += len(works) - c.most_common(1)[0][1]
            n = len(works)
            false_pairs += n * (n - 1) // 2 - sum(k * (k - 1) // 2 for k in c.values())
        for w, k in c.items():
            pairs_found += k * (k - 1) // 2
            groups_of_work[w].add(g)
    true_dups = sum(k - 1 for k in copies.values())
    true_pairs = sum(k * (k - 1) // 2 for k in copies.values())
    # a work's duplicates removed: its copies minus the groups they fall in
    removed = sum(copies[w] - len(gs) for w, gs in groups_of_work.items())
    share = removed / true_dups if true_dups else 1.0
    pshare = pairs_found / true_pairs if true_pairs else 1.0
    print(f"  accuracy: {len(work_of)} records of {len(copies)} works, {true_dups} true duplicates; "
          f"found {removed} ({share:.1%}; pairs {pairs_found}/{true_pairs}, {pshare:.1%}); "
          f"false merges: {bad_clusters} cluster(s), {wrong_records} record(s), {false_pairs} pair(s); "
          f"{queued} pair(s) left for review")
    return 0 if bad_clusters == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
