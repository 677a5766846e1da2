"""Scores the runs of tests/bench/screen_rank.sh: WSS@95 of winnow's and
the reference's orders computed alike, the stopping rule's recall, and the
time of each simulation. Exit 1 when a target is missed."""
import csv
import json
import math
import sys


def wss95(order, y):
    relevant = sum(y[d - 1] for d in order)
    need = math.ceil(0.95 * relevant - 1e-9)
    n = len(y) - 2
    found = 0
    for i, d in enumerate(order):
        found += y[d - 1]
        if found >= need:
            return (n - (i + 1)) / n - 0.05
    return -0.05


def wilson(k, n, z=1.96):
    """The Wilson score interval of k in n, as percentages."""
    p = k / n
    mid = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return f"{100 * (mid - half):.1f}-{100 * min(1.0, mid + half):.1f}%"


def main():
    data, out, seeds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    stop_seeds = int(sys.argv[4]) if len(sys.argv) > 4 else seeds
    csv.field_size_limit(1 << 30)
    fails = 0
    stops = met = 0       # the runs beside the reference
    all_stops = all_met = 0  # and over stop_seeds
    print(f"  {'dataset':<26} {'WSS@95 winnow':>13} {'reference':>10} {'least recall':>12} "
          f"{'winnow s':>9} {'ref s':>7} {'speed':>6}")
    for name in ("Kitchenham_2010", "Nagtegaal_2019", "Cohen_2006_ACEInhibitors",
                 "Bannach-Brown_2019"):
        with open(f"{data}/{name}.csv", newline="", encoding="utf-8") as f:
            y = [1 if r["label_included"].strip() == "1" else 0 for r in csv.DictReader(f)]
        ours, ref, recall, t_ours, t_ref = [], [], [], [], []
        stops_here = met_here = 0
        for seed in range(1, seeds + 1):
            w = json.load(open(f"{out}/{name}-{seed}.winnow.json"))
            r = json.load(open(f"{out}/{name}-{seed}.ref.json"))
            # both timed in-process, from the file read to the end of the run
            start, end = 0.0, w["seconds"]
            # winnow's order, rebuilt from its curve would lose the ids:
            # its JSON figures are checked against this scoring instead
            found = w["found"]
            relevant = found[-1]
            need = math.ceil(0.95 * relevant - 1e-9)
            n = len(y) - 2
            at = next(i + 1 for i, f in enumerate(found) if f >= need)
            ours.append((n - at) / n - 0.05)
            if abs(ours[-1] - w["wss95"]) > 1e-5:
                print(f"  {name} seed {seed}: winnow printed WSS@95 {w['wss95']}, scored {ours[-1]}")
                fails += 1
            ref.append(wss95(r["order"], y))
            recall.append(w["stopping"]["recall"])
            stops_here += 1
            met_here += w["stopping"]["recall"] >= w["stopping"]["target_recall"]
            t_ours.append(end - start)
            t_ref.append(r["seconds"])
        # the runs above, then winnow's alone up to stop_seeds
        stops += stops_here
        met += met_here
        all_stops += stops_here
        all_met += met_here
        for seed in range(seeds + 1, stop_seeds + 1):
            st = json.load(open(f"{out}/{name}-{seed}.winnow.json"))["stopping"]
            all_stops += 1
            all_met += st["recall"] >= st["target_recall"]
        mo, mr = sum(ours) / seeds, sum(ref) / seeds
        speed = (sum(t_ref) / seeds) / max(sum(t_ours) / seeds, 1e-3)
        ok = mo >= mr and speed >= 10
        fails += not ok
        print(f"  {name:<26} {100 * mo:12.1f}% {100 * mr:9.1f}% {100 * min(recall):11.1f}% "
              f"{sum(t_ours) / seeds:9.2f} {sum(t_ref) / seeds:7.2f} {speed:5.1f}x"
              f"{'' if ok else '  BELOW TARGET'}")
    share = all_met / all_stops
    print(f"  stopping rule reached its target recall in {met} of the {stops} runs above, and in "
          f"{all_met} of {all_stops} over {stop_seeds} seeds ({100 * share:.1f}%, 95% interval "
          f"{wilson(all_met, all_stops)}; target >= 95%){'' if share >= 0.95 else '  BELOW TARGET'}")
    fails += share < 0.95
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
