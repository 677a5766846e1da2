. "$WINNOW_ROOT/tests/scenario/lib.sh"
# Prioritised screening on the terminal and the stopping rule on a review:
# the screen orders by relevance and learns from each key; stop-check
# without a sample says how large one must be; the sample is drawn once,
# screened in its order, and the test's verdict agrees with the
# hypergeometric worked out apart; PRISMA and the audit trail say what was
# done; the sample is sealed.
command -v tmux >/dev/null || fail "tmux is needed (make test installs it)"
review_with_examples r.db
run dedupe --db r.db --quiet
expect_exit 0
TA="--stage title-abstract"

run stop-check --db r.db $TA --format json
expect_exit 0
stdout >before.json
jq -e '.sample == null and .screened == 0 and .not_screened == .reports and .test.met == false
    and .test.more_to_screen > 0' before.json >/dev/null || fail "stop-check before: $(cat before.json)"

run next --db r.db $TA --reviewer alice --order sample
expect_exit 1
expect_err 'no random sample has been drawn at title-abstract yet: winnow stop-check --stage title-abstract --start-sample'

# ---- alice screens by relevance ---------------------------------------------
run next --db r.db $TA --reviewer alice --format json
first=$(stdout | jq .next[0].report)
WINNOW_REVIEWER=alice screen_start 130 30 --db r.db screen --order relevance
screen_wait "alice  -  random order until one relevant and one not"
screen_wait "^Record $first  -"
screen_keys i
screen_wait "^Record $first: include\\."
second=$(screen_text | sed -n 's/^Record \([0-9]*\)  -.*/\1/p' | head -1)
[ -n "$second" ] || fail "no second record on screen"
screen_keys e
screen_wait "^Record $second: exclude\\."
screen_wait "alice  -  by relevance \\(learned from 1 relevant, 1 not\\)"
third=$(screen_text | sed -n 's/^Record \([0-9]*\)  -.*/\1/p' | head -1)
# the screen's order is the model's: what next says after the same two
run next --db r.db $TA --reviewer alice --format json
expect_same "the screen shows the best" "$third" "$(stdout | jq .next[0].report)"
screen_keys q
screen_wait '\[exit 0\]'
tmux -S "$SCREEN_SOCK" kill-server
run audit log --db r.db --format json
stdout | jq -e '[.[] | select(.action == "screen.order")] | length == 1 and
    ([.[] | select(.action == "screen.order")][0].details | .order == "relevance" and .reviewer == "alice" and (.settings | test("naive-bayes")))' \
    >/dev/null || fail "the order used is not in the audit trail"
run prisma --db r.db
expect_out '^  - Screening at title-abstract was prioritised: reports were shown best first by a relevance model .*naive-bayes tfidf.*, to alice, from 20[0-9-]+\.'
# a look at the order, without screening after it, says nothing of how
# the stage was screened
run next --db r.db $TA --reviewer zed --seed 5
expect_exit 0
run prisma --db r.db
expect_out 'by a relevance model .*, to alice, from'
expect_not_out 'zed'

# ---- the sample ---------------------------------------------------------------
WINNOW_REVIEWER=lead run stop-check --db r.db $TA --start-sample --seed 7 --format json
expect_exit 0
stdout >sample.json
remaining=$(jq .sample.remaining sample.json)
seen=$(jq .sample.relevant_before sample.json)
expect_same "the sample is every report not screened" "$remaining" "$(jq .not_screened sample.json)"
expect_same "relevant before" "$seen" 1
expect_same "kept" "$(sql r.db "SELECT count(*) FROM screen_sample_report")" "$remaining"
WINNOW_REVIEWER=lead run stop-check --db r.db $TA --start-sample
expect_exit 1
expect_err "a sample was drawn at title-abstract on .* by lead, and it stands"

# bob screens the sample in its order on the terminal
run next --db r.db $TA --reviewer bob --order sample --format json
s1=$(stdout | jq .next[0].report)
WINNOW_REVIEWER=bob screen_start 130 30 --db r.db screen --order sample
screen_wait "bob  -  sample: 0 drawn, 0 relevant; recall >= [0-9.]+% so far"
screen_wait "^Record $s1  -"
screen_keys e
screen_wait "bob  -  sample: 1 drawn, 0 relevant"
screen_keys q
screen_wait '\[exit 0\]'
tmux -S "$SCREEN_SOCK" kill-server

# the rest by script, each in the sample's order; the verdict comes where
# the hypergeometric, worked out here apart, says it must
expect_at=$(python3 -c "
from math import comb, floor
N, r = $remaining, $seen
K = floor(r / 0.95 - r) + 1
n = next(n for n in range(N + 1) if comb(N - K, n) / comb(N, n) < 0.05)
print(n)")
drawn=1
while :; do
    run stop-check --db r.db $TA --format json
    met=$(stdout | jq .test.met)
    expect_same "drawn" "$(stdout | jq .sample.screened_in_order)" "$drawn"
    if [ "$met" = true ]; then
        break
    fi
    [ "$drawn" -lt "$remaining" ] || fail "the sample is screened and the test never met"
    run next --db r.db $TA --reviewer bob --order sample --format json
    r=$(stdout | jq .next[0].report)
    run decide --db r.db $TA --reviewer bob "$r" exclude
    expect_exit 0
    drawn=$((drawn + 1))
done
expect_same "met where the hypergeometric says" "$drawn" "$expect_at"
run stop-check --db r.db $TA
expect_out "^  Met: recall is at least 95% at 95% confidence \\(at least [0-9.]+%\\)\\. The $((remaining - drawn)) report\\(s\\) of the sample not screened may stay so"
# what the sample tests was fixed when it was drawn
run stop-check --db r.db $TA --target-recall 0.9
expect_exit 1
expect_err "the sample at title-abstract was drawn to test 95% recall at 95% confidence; a test at other settings, chosen after seeing it, would not hold"
run prisma --db r.db --format json
stdout | jq -e '.methods | map(test("Stopping rule at title-abstract")) | any' >/dev/null ||
    fail "PRISMA does not report the stopping rule: $(stdout | jq -c .methods)"
run audit verify --db r.db
expect_exit 0
cp r.db tampered.db
sqlite3 tampered.db "DROP TRIGGER screen_sample_report_no_update; UPDATE screen_sample_report SET position = position + 1000 WHERE position = 1"
run audit verify --db tampered.db
expect_exit 1
expect_err "of screen_sample_report was changed$"

run stop-check --db r.db
expect_exit 2
expect_err 'say at which stage'
run stop-check --db r.db $TA --target-recall 1.5
expect_exit 2
expect_err 'target-recall takes a recall from 0.5 to below 1'
run stop-check --db r.db $TA --target-recall 0.3
expect_exit 2
expect_err 'target-recall takes a recall from 0.5 to below 1'
run stop-check --db r.db $TA --seed 5
expect_exit 2
expect_err '^winnow: stop-check: --seed orders a sample being drawn: it goes with --start-sample$'
run stop-check --db r.db $TA --start-sample --seed 99999999999999999999
expect_exit 2
expect_err '--seed must be a positive number no larger than 9223372036854775807'

run screen --db r.db $TA --reviewer bob --order newest
expect_exit 2
expect_err "order is report, relevance or sample, not 'newest'"
