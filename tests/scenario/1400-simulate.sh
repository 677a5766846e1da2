. "$WINNOW_ROOT/tests/scenario/lib.sh"
# simulate replays a labelled file as prioritised screening: the records
# like the relevant ones come first, the figures agree with the curve, one
# seed gives one run, and a bad file or command line is named.
python3 - <<'PY'
import csv, random
random.seed(4)
rel = ["social prescribing", "link worker", "loneliness", "community referral", "wellbeing"]
irr = ["knee arthroplasty", "cardiac surgery", "renal dialysis", "statin therapy", "fracture healing"]
with open("labelled.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["record_id", "title", "abstract", "year", "included"])
    for i in range(200):
        relevant = i % 10 == 3
        words = rel if relevant else irr
        title = " and ".join(random.sample(words, 2)).capitalize()
        abstract = " ".join(random.choice(words + ["patients", "outcomes", "study"]) for _ in range(25))
        w.writerow([i + 1, title, abstract, 2000 + i % 20, 1 if relevant else 0])
PY
run simulate labelled.csv --label-column included
expect_exit 0
expect_out '^Simulated prioritised screening of labelled.csv: 200 records, 20 relevant$'
expect_out '^Given first: record [0-9]+ \(relevant\) and record [0-9]+ \(irrelevant\); the figures count the 198 after them$'
# the 19 relevant left are the first 19 screened (95% of 19 rounds up to 19)
expect_out '^Screened to reach 95% recall: 19 \(9.6%\); 100%: 19 \(9.6%\)$'
expect_out '^WSS@95: 85.4%   WSS@100: 90.4%   RRF@10: 100.0%$'
expect_out '^Stopping rule: 95% recall at 95% confidence, a random sample after 50 irrelevant in a row$'
expect_out '^  sampling began after 69 records; stopped after [0-9]+ \([0-9]+ sampled, p = 0\.0[0-4][0-9]*\), recall 100.0% \(20 of all 20 relevant, the one given first too\)$'

run simulate labelled.csv --label-column included --format json --seed 3
expect_exit 0
stdout | jq 'del(.seconds)' >run1.json
stdout | jq -e '.records == 200 and .relevant == 20 and (.found | length) == 198
    and .found[-1] == 19 and .screened_to_100 == 19 and .stopping.recall >= 0.95
    and .seed == 3' >/dev/null || fail "the JSON does not add up: $(stdout | head -c 400)"
# the figures are the curve's
stdout | python3 -c '
import json, math, sys
r = json.load(sys.stdin)
f = r["found"]; n = len(f); rel = f[-1]
at = next(i + 1 for i, x in enumerate(f) if x >= math.ceil(0.95 * rel))
assert abs(r["wss95"] - ((n - at) / n - 0.05)) < 1e-5, r["wss95"]
assert abs(r["rrf10"] - 100 * f[math.ceil(0.1 * n) - 1] / rel) < 1e-3, r["rrf10"]
' || fail "WSS@95 or RRF@10 is not the curve's"
run simulate labelled.csv --label-column included --format json --seed 3
expect_same "one seed, one run" "$(stdout | jq 'del(.seconds)')" "$(cat run1.json)"
run simulate labelled.csv --label-column included --format json --seed 4
[ "$(stdout | jq -c .prior)" != "$(jq -c .prior run1.json)" ] || fail "seeds 3 and 4 gave the same records first"

run simulate labelled.csv --label-column included --format csv --seed 3
expect_exit 0
expect_out '^screened,record,relevant,found,recall$'
expect_out '^198,[0-9]+,0,19,1.0000$'
expect_same "csv rows" "$(stdout | wc -l)" 199

# a stricter rule samples more
run simulate labelled.csv --label-column included --format json --target-recall 0.99 --confidence 0.99
expect_exit 0
[ "$(stdout | jq .stopping.sampled)" -ge "$(jq .stopping.sampled run1.json)" ] ||
    fail "99% at 99% stopped sooner than 95% at 95%"

# what is wrong is named
run simulate labelled.csv
expect_exit 2
expect_err 'say which column holds the labels \(--label-column\)'
run simulate labelled.csv --label-column label_included
expect_exit 1
expect_err "labelled.csv:1: .*label_included"
run simulate missing.csv --label-column included
expect_exit 1
expect_err 'missing.csv'
run simulate labelled.csv --label-column included --target-recall 95
expect_exit 2
expect_err '--target-recall takes a recall from 0.5 to below 1'
run simulate labelled.csv --label-column included --target-recall 0.3
expect_exit 2
expect_err '--target-recall takes a recall from 0.5 to below 1'
run simulate labelled.csv --label-column included --seed 99999999999999999999
expect_exit 2
expect_err '--seed must be a positive number no larger than 9223372036854775807'
# labels as a spreadsheet writes numbers are read
sed -E 's/,1(\r?)$/,1.0\1/; s/,0(\r?)$/,0.0\1/' labelled.csv >decimal.csv
run simulate decimal.csv --label-column included --format json --seed 3
expect_exit 0
expect_same "1.0 and 0.0 read as 1 and 0" "$(stdout | jq -c '[.relevant, .wss95]')" "$(jq -c '[.relevant, .wss95]' run1.json)"
# a text column cannot hold the labels
run simulate labelled.csv --label-column title
expect_exit 1
expect_err "'title' is read as the records' text: the labels must be in a column of their own"
# settings are said as given, not rounded
run simulate labelled.csv --label-column included --target-recall 0.925 --confidence 0.999
expect_exit 0
expect_out '^Stopping rule: 92.5% recall at 99.9% confidence, '
run simulate labelled.csv --label-column included --target-recall 0.99999
expect_exit 0
expect_out '^Stopping rule: 99.999% recall at 95% confidence, '

sed -E '5s/,[01](\r?)$/,maybe\1/' labelled.csv >bad.csv
run simulate bad.csv --label-column included
expect_exit 1
expect_err "^winnow: bad.csv:5: the label is 'maybe', not 1 or 0"
sed -E '6s/,[01](\r?)$/\1/' labelled.csv >short.csv
run simulate short.csv --label-column included
expect_exit 1
expect_err "^winnow: short.csv:6: the row stops before its label$"
head -1 labelled.csv >empty.csv
run simulate empty.csv --label-column included
expect_exit 1
expect_err 'at least 2 relevant and 1 irrelevant'
