. "$WINNOW_ROOT/tests/scenario/lib.sh"
# Reports that reach a stage after the stopping rule's sample was drawn are
# not in it: once the sample is screened, the screen in sample order says
# so and where they are, stop-check asks for them to be screened, and
# PRISMA says the test does not cover them. A reviewer who only looked at
# the sample's order is not named in the methods. On a narrow terminal the
# screen's header keeps where the sample stands.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
run import --db r.db "$EXAMPLE/records/medline-ovid.ris"
expect_exit 0
TA="--stage title-abstract"
WINNOW_REVIEWER=lead run stop-check --db r.db $TA --start-sample --seed 3
expect_exit 0
expect_out 'all 9 report\(s\) not screened'
run import --db r.db "$EXAMPLE/records/scopus.ris"
expect_exit 0

# on a narrow terminal the header keeps where the sample stands, giving up
# the stage's label and the reviewer first
if command -v tmux >/dev/null; then
    WINNOW_REVIEWER=alice screen_start 72 24 --db r.db screen --order sample
    screen_wait '^sample: 0 drawn, 0 relevant; recall >= [0-9.]+% so far +0 of 9 screened$'
    screen_keys q
    screen_wait '\[exit 0\]'
    tmux -S "$SCREEN_SOCK" kill-server
fi

# alice screens the whole sample in its order; carol only looks at it
run next --db r.db $TA --reviewer alice --order sample --count 100 --format json
expect_exit 0
ids=$(stdout | jq -r '.next[].report')
expect_same "the sample's reports" "$(echo "$ids" | wc -l)" 9
first=1
for id in $ids; do
    if [ $first = 1 ]; then d=include; first=0; else d=exclude; fi
    run decide --db r.db "$id" $d $TA --reviewer alice
    expect_exit 0
done
run next --db r.db $TA --reviewer carol --order sample
expect_exit 0
# dave decided before he looked (within the same second, as a script
# would): his look came after his screening, so it is not in the methods
# (both begun at the start of a second, so that the trail's times, to
# the second, are the same: only the trail's order tells them apart)
while [ "$(date +%N | cut -c1)" -gt 2 ]; do sleep 0.05; done
run decide --db r.db "$(echo "$ids" | head -1)" exclude $TA --reviewer dave
expect_exit 0
run next --db r.db $TA --reviewer dave --order sample
expect_exit 0
expect_same "the look and the decision in one second" \
    "$(sql r.db "SELECT count(DISTINCT at) FROM audit_log WHERE id >= (SELECT max(id) FROM audit_log WHERE action = 'decide')")" 1

run screen --db r.db $TA --reviewer alice --order sample
expect_exit 0
expect_out '^Nothing in the random sample is waiting for alice at title-abstract: 9 records screened\.$'
expect_out '^9 report\(s\) not screened reached the stage after the sample was drawn, so are not in it: winnow screen --stage title-abstract$'

run stop-check --db r.db $TA
expect_exit 0
expect_out '^  Screened in its order: 9, 1 relevant$'
expect_out '9 report\(s\) reached the stage after the sample was drawn: it does not cover them; screen them\.$'

run prisma --db r.db
expect_exit 0
expect_out 'At title-abstract, alice screened the stopping rule.s random sample in its order'
expect_out '9 report\(s\) at title-abstract were not screened, 9 of them reached the stage after the sample was drawn, and the test does not cover them\.'
expect_not_out 'carol'
expect_not_out 'dave'
