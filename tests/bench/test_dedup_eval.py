#!/usr/bin/env python3
"""Self-tests of dedup_eval.py (run by tests/scenario/0910-dedup-eval.sh).

A hand-built set whose numbers were worked out by hand; then, on every set
of ../shared/data/dedup-benchmark-labelled (or $WINNOW_SHARED_DATA; skipped
when absent), the perfect clustering, every record alone and everything in
one cluster, checked against the definitions and the published asysd rows.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import dedup_eval  # noqa: E402

SCRIPT = os.path.join(HERE, "dedup_eval.py")
SHARED = os.environ.get("WINNOW_SHARED_DATA") or os.path.join(HERE, "..", "..", "..", "shared",
                                                             "data")
LABELLED = os.path.join(SHARED, "dedup-benchmark-labelled")


def write(path, text, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as f:
        f.write(text)


def export(path, source_ids, clusters):
    """An export as winnow writes it: record i (from 1) has source_ids[i-1];
    clusters are lists of positions in source_ids, primary first."""
    cluster_of = {}
    for members in clusters:
        for m in members:
            cluster_of[m] = members[0] + 1
    write(path, json.dumps([{"id": i + 1, "source_id": s, "cluster": cluster_of.get(i, i + 1)}
                            for i, s in enumerate(source_ids)]))
    return path


def run(*args):
    p = subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


class HandBuilt(unittest.TestCase):
    """Eight records: group A = 1 2 3, group B = 4 5, alone 6 7 8
    (expected unique 5; 3 duplicates to remove)."""

    IDS = [f"id_{i:07d}" for i in range(1, 9)]

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = os.path.join(self.tmp.name, "hand")
        os.mkdir(self.dir)
        write(os.path.join(self.dir, "records_pre_merged.csv"),
              "ID,title\n" + "".join(f"{i},Title {n}\n" for n, i in enumerate(self.IDS, 1)))
        write(os.path.join(self.dir, "merged_record_ids.csv"),
              'merged_ids\n"id_0000001;id_0000002;id_0000003"\n"id_0000004;id_0000005"\n')

    def tearDown(self):
        self.tmp.cleanup()

    def evaluate(self, clusters, **kw):
        path = export(os.path.join(self.tmp.name, "e.json"), self.IDS, clusters)
        truth = dedup_eval.Truth(self.dir)
        found, kept = dedup_eval.load_export(path, truth)
        return (dedup_eval.count(truth, kept), dedup_eval.false_merges(truth, found),
                dedup_eval.evaluate(self.dir, path, **kw))

    def test_split_group_and_false_merge(self):
        # A split into {1 2} and {3}; B right; 6 and 7 merged (keeps 6).
        # Kept 1 3 4 6 8. Alone: 6 kept TN, 7 removed FP, 8 kept TN.
        # A: 2 kept -> TN 1, FN 1, TP 3 - 2 = 1. B: 1 kept -> TN 1, TP 1.
        c, merges, (line, short) = self.evaluate([[0, 1], [3, 4], [5, 6]])
        self.assertEqual(c, {"TP": 2, "FP": 1, "FN": 1, "TN": 4})
        self.assertEqual(merges, 1)
        r = dedup_eval.rates(c)
        self.assertAlmostEqual(r["sensitivity"], 2 / 3)
        self.assertAlmostEqual(r["specificity"], 4 / 5)
        self.assertAlmostEqual(r["precision"], 2 / 3)
        self.assertAlmostEqual(r["f1"], 2 / 3)
        self.assertAlmostEqual(r["false_positive_rate"], 1 / 5)
        self.assertIsNone(short)  # "hand" has no target
        self.assertEqual(line, "hand: 8 records, 5 unique; TP 2 FP 1 FN 1 TN 4; sensitivity 0.6667 "
                         "specificity 0.8000 precision 0.6667 F1 0.6667 FPR 0.2000; false merges 1; "
                         "review not given; no target for this set")

    def test_kept_record_is_the_primary(self):
        # A split into {1 2} and {3 8}: 8 (alone) merged with 3. Kept as 3:
        # 8 is lost (FP 1), A keeps 1 and 3 (TN 1, FN 1, TP 1).
        c, merges, _ = self.evaluate([[0, 1], [2, 7], [3, 4]])
        self.assertEqual(c, {"TP": 2, "FP": 1, "FN": 1, "TN": 4})
        self.assertEqual(merges, 1)
        # Kept as 8: nothing is lost and 3 counts as a removed duplicate
        # (TP 2 for A); bib-dedupe's FP misses the false merge, ours does not.
        c, merges, (line, short) = self.evaluate([[0, 1], [7, 2], [3, 4]], name="stroke")
        self.assertEqual(c, {"TP": 3, "FP": 0, "FN": 0, "TN": 5})
        self.assertEqual(merges, 1)
        self.assertEqual(short, ["1 false merge"])
        self.assertTrue(line.endswith("; BELOW TARGET: 1 false merge"), line)

    def test_targets(self):
        perfect = export(os.path.join(self.tmp.name, "p.json"), self.IDS, [[0, 1, 2], [3, 4]])
        rc, out, err = run(self.dir, perfect, "--name", "stroke")
        self.assertEqual((rc, err), (0, ""))
        self.assertRegex(out, r"^stroke: 8 records, 5 unique; TP 3 FP 0 FN 0 TN 5; sensitivity "
                         r"1\.0000 .*review not given; ok\n$")
        # 1 record of 8 sent to review is 12.5%
        rc, out, _ = run(self.dir, perfect, "--name", "stroke", "--review-pairs", "1",
                         "--review-records", "1")
        self.assertEqual(rc, 1)
        self.assertIn("review 1 pairs, 1 records (12.50%); BELOW TARGET: review 12.50% >= 2% "
                      "of records\n", out)
        # group A split: sensitivity 2/3; a false merge of 6 and 7: FP
        rc, out, _ = run(self.dir, export(os.path.join(self.tmp.name, "s.json"), self.IDS,
                                          [[0, 1], [3, 4], [5, 6]]), "--name", "stroke")
        self.assertEqual(rc, 1)
        self.assertIn("BELOW TARGET: precision 0.667 < 1.000 (FP 1), 1 false merge, sensitivity "
                      "0.667 < 0.994\n", out)
        # sensitivity is compared at the target's three decimals
        self.assertEqual(dedup_eval.shortfalls("respiratory", {"FP": 0}, {"sensitivity": 408 / 436},
                                               0, None), [])
        self.assertEqual(dedup_eval.shortfalls("respiratory", {"FP": 0}, {"sensitivity": 407 / 436},
                                               0, None), ["sensitivity 0.933 < 0.936"])

    def test_bad_exports_named(self):
        def refused(records, message):
            path = os.path.join(self.tmp.name, "bad.json")
            write(path, json.dumps(records))
            rc, out, err = run(self.dir, path)
            self.assertEqual((rc, out), (2, ""))
            self.assertIn(f"dedup_eval: {path}: {message}", err)

        good = [{"id": i + 1, "source_id": s, "cluster": i + 1} for i, s in enumerate(self.IDS)]
        refused(good[:-1], "7 records, but ")
        refused(good + [dict(good[0], id=9)], "source_id 'id_0000001' twice")
        refused(good[:-1] + [dict(good[-1], source_id="8")], "record 8 has source_id '8', not an ID")
        refused(good[:-1] + [dict(good[-1], cluster=42)], "cluster 42 has no record whose id is 42")
        refused([{"id": 1, "source_id": "id_0000001"}], "record 1 lacks id, source_id or cluster")
        refused({"records": good}, "not a JSON array")

    def test_asysd_file_maps_record_id(self):
        # ASySD's file: Windows-1252, record_id N is id_%07d of the group file
        d = os.path.join(self.tmp.name, "asysd")
        os.mkdir(d)
        write(os.path.join(d, "labelled_test_set_cp1252.csv"),
              "title,record_id\nCaf\u00e9 A,1\nCaf\u00e9 B,12\nOther,3\n", encoding="cp1252")
        write(os.path.join(d, "merged_record_ids.csv"), 'merged_ids\n"id_0000001;id_0000012"\n')
        path = export(os.path.join(self.tmp.name, "a.json"), ["1", "12", "3"], [[0, 1]])
        line, _ = dedup_eval.evaluate(d, path)
        self.assertIn("asysd: 3 records, 2 unique; TP 1 FP 0 FN 0 TN 2;", line)


def reference_rows():
    """{section: {package: row}} from reference_results_bib_dedupe.md."""
    sections, name = {}, None
    with open(os.path.join(LABELLED, "reference_results_bib_dedupe.md"), encoding="utf-8") as f:
        for ln in f:
            m = re.match(r"## (\S+) \(n=\d+\)", ln)
            if m:
                name, header = m.group(1), None
                sections[name] = {}
                continue
            if not name or not ln.startswith("|") or ln.startswith("|:"):
                continue
            cells = [c.strip() for c in ln.strip().strip("|").split("|")]
            if header is None:
                header = cells
                continue
            row = dict(zip(header, cells))
            for k in ("FP", "TP", "FN", "TN"):
                row[k] = int(row[k])
            for k in ("false_positive_rate", "specificity", "sensitivity", "precision", "f1"):
                row[k] = float(row[k])
            sections[name][row["package"]] = row
    return sections


@unittest.skipUnless(os.path.isdir(LABELLED), f"{LABELLED} is absent")
class SharedSets(unittest.TestCase):
    """The three bounding clusterings on every labelled set."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.sets = sorted(d for d in os.listdir(LABELLED)
                          if os.path.exists(os.path.join(LABELLED, d, "merged_record_ids.csv")))
        cls.reference = reference_rows()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def evaluate(self, name, kind):
        """(truth, counts, line) of clustering KIND on set NAME."""
        d = os.path.join(LABELLED, name)
        truth = dedup_eval.Truth(d)
        sids = list(truth.label)
        pos = {truth.label[s]: i for i, s in enumerate(sids)}
        clusters = {"perfect": [[pos[i] for i in g] for g in truth.groups],
                    "alone": [],
                    "one cluster": [list(range(len(sids)))]}[kind]
        path = export(os.path.join(self.tmp.name, f"{name}-{kind}.json"), sids, clusters)
        _, kept = dedup_eval.load_export(path, truth)
        line, _ = dedup_eval.evaluate(d, path)
        print(f"\n  {kind}: {line}", end="")
        return truth, dedup_eval.count(truth, kept), line

    def test_sets_found(self):
        self.assertIn("stroke", self.sets)
        self.assertIn("diabetes_asysd", self.sets)

    def test_perfect(self):
        for name in self.sets:
            truth, c, line = self.evaluate(name, "perfect")
            dups = len(truth.label) - truth.expected_unique
            self.assertEqual(c, {"TP": dups, "FP": 0, "FN": 0, "TN": truth.expected_unique}, name)
            self.assertIn("sensitivity 1.0000 specificity 1.0000 precision 1.0000 F1 1.0000 "
                          "FPR 0.0000; false merges 0;", line)

    def test_alone(self):
        for name in self.sets:
            truth, c, line = self.evaluate(name, "alone")
            dups = len(truth.label) - truth.expected_unique
            self.assertEqual(c, {"TP": 0, "FP": 0, "FN": dups, "TN": truth.expected_unique}, name)
            self.assertIn("sensitivity 0.0000 specificity 1.0000 precision n/a F1 n/a", line)

    def test_one_cluster_and_asysd(self):
        compared = []
        for name in self.sets:
            truth, c, _ = self.evaluate(name, "one cluster")
            unique, dups = truth.expected_unique, len(truth.label) - truth.expected_unique
            self.assertEqual(c, {"TP": dups, "FP": unique - 1, "FN": 0, "TN": 1}, name)
            ref = self.reference.get(dedup_eval.REFERENCE_NAME.get(name, name), {})
            asysd = ref.get("asysd")
            if not asysd:
                continue
            # every published tool's TP + FN is the duplicates to remove
            for package, row in ref.items():
                self.assertEqual(row["TP"] + row["FN"], dups, f"{name} {package}")
            if sum(asysd[k] for k in ("TP", "FP", "FN", "TN")) != len(truth.label):
                print(f"\n  {name}: the published rows cover "
                      f"{sum(asysd[k] for k in ('TP', 'FP', 'FN', 'TN'))} records, the set has "
                      f"{len(truth.label)}: asysd not compared", end="")
                continue
            # one cluster keeps one record: asysd's row but for that record
            self.assertEqual((c["TP"], c["FN"], c["FP"] + 1, c["TN"] - 1),
                             (asysd["TP"], asysd["FN"], asysd["FP"], asysd["TN"]), name)
            # asysd's row itself is nothing kept, to the published 4 decimals
            none = dedup_eval.count(truth, set())
            self.assertEqual(none, {k: asysd[k] for k in none}, name)
            for k, v in dedup_eval.rates(none).items():
                self.assertEqual(round(v, 4), asysd[k], f"{name} {k}")
            compared.append(name)
        print(f"\n  asysd compared on: {' '.join(compared)}", end="")
        self.assertGreaterEqual(len(compared), 5)

    def test_targets_are_the_best_published(self):
        for name, target in dedup_eval.TARGET_SENSITIVITY.items():
            ref = self.reference[dedup_eval.REFERENCE_NAME.get(name, name)]
            best = max(row["sensitivity"] for row in ref.values() if row["FP"] == 0)
            self.assertEqual(round(best, 3), target, name)


if __name__ == "__main__":
    unittest.main()
