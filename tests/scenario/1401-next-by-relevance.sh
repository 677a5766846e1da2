. "$WINNOW_ROOT/tests/scenario/lib.sh"
# next: the reports waiting for a reviewer, in a seeded random order until
# there is a relevant and an irrelevant decision to learn from, then best
# first; another reviewer's decisions on reports still waiting never move
# them; the order changes no decision.
review_with_examples r.db
run dedupe --db r.db --quiet
expect_exit 0
waiting=$(sql r.db "SELECT count(*) FROM record r WHERE NOT EXISTS (SELECT 1 FROM cluster_member m
    JOIN dedupe_cluster c ON c.id = m.cluster_id WHERE m.record_id = r.id AND c.primary_record_id <> r.id)")

run next --db r.db --stage title-abstract --reviewer carol --count 5
expect_exit 0
expect_out "^Next for carol at title-abstract, in random order until there is one relevant and one irrelevant decision to learn from \\($waiting waiting; seed 1\\)\$"
first=$(stdout)
run next --db r.db --stage title-abstract --reviewer carol --count 5
expect_same "one seed, one order" "$(stdout)" "$first"
run next --db r.db --stage title-abstract --reviewer carol --count 5 --seed 2
[ "$(stdout | tail -n +2)" != "$(echo "$first" | tail -n +2)" ] || fail "seeds 1 and 2 gave one order"
run next --db r.db --stage title-abstract --reviewer carol --order report --count 2 --format json
expect_same "report order" "$(stdout | jq -c '[.next[].report]')" "[1,2]"

# carol includes a qualitative study of social prescribing and excludes a
# trial of oxytocin: the other oxytocin record goes to the bottom
run decide --db r.db --stage title-abstract --reviewer carol 1 include
expect_exit 0
run decide --db r.db --stage title-abstract --reviewer carol 3 exclude
expect_exit 0
run next --db r.db --stage title-abstract --reviewer carol --count 100 --format json
expect_exit 0
stdout >ranked.json
jq -e '.model and .learned_from == {"relevant": 1, "irrelevant": 1}
    and .waiting == '"$((waiting - 2))"' and (.next | length) == .waiting
    and ([.next[].score] == ([.next[].score] | sort | reverse))' ranked.json >/dev/null ||
    fail "not ranked best first: $(head -c 600 ranked.json)"
[ "$(jq '[.next[].report] | index(16)' ranked.json)" -ge $((waiting - 2 - 3)) ] ||
    fail "the oxytocin receptor study is not among the last three: $(jq -c '[.next[].report]' ranked.json)"
jq -e '.next[0].title | test("[Ss]ocial prescribing|[Ll]ink worker")' ranked.json >/dev/null ||
    fail "the first is not about social prescribing: $(jq -c '.next[0]' ranked.json)"
run next --db r.db --stage title-abstract --reviewer carol
expect_out '^Next for carol at title-abstract, by relevance \([0-9]+ waiting; learned from 1 relevant and 1 irrelevant; naive-bayes tfidf alpha=[0-9.]+ .* seed=1\)$'
expect_out '^  [0-9]+  .*\(score -?[0-9.]+\)$'

# dave's decisions on reports still waiting for carol do not reach her order
before=$(jq -c '[.next[].report]' ranked.json)
last=$(jq '.next[-1].report' ranked.json)
run decide --db r.db --stage title-abstract --reviewer dave "$last" include
expect_exit 0
run next --db r.db --stage title-abstract --reviewer carol --count 100 --format json
expect_same "blind" "$(stdout | jq -c '[.learned_from.relevant, .learned_from.irrelevant]')" "[1,1]"
expect_same "blind order" "$(stdout | jq -c '[.next[].report]')" "$before"
# ... nor carol's to dave's
run next --db r.db --stage title-abstract --reviewer dave --format json
expect_same "dave learns from his own" "$(stdout | jq -c '[.model, .learned_from.relevant]')" "[false,1]"

# the order is only an order: nothing was decided by it
expect_same "decisions" "$(sql r.db "SELECT count(*) FROM decision")" 3
run audit verify --db r.db
expect_exit 0

run next --db r.db --reviewer carol
expect_exit 2
expect_err 'say at which stage \(--stage\)'
run next --db r.db --stage title-abstract --reviewer carol --order newest
expect_exit 2
expect_err "order is relevance, sample or report, not 'newest'"
run next --db r.db --stage nowhere --reviewer carol
expect_exit 1
expect_err 'nowhere'
WINNOW_REVIEWER= run next --db r.db --stage title-abstract
expect_exit 2
expect_err 'next: say who screens \(--reviewer NAME, or \$WINNOW_REVIEWER\)'
