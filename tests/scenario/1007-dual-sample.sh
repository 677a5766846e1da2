. "$WINNOW_ROOT/tests/scenario/lib.sh"
# One reviewer screens every title and abstract, and a second a random 30%
# of them, seeded and recorded in the protocol, not blind (the screen shows
# the other's decision). The sample is the one the
# documented hash draws (worked out here again, independently, in Python):
# a report in it needs both reviewers, one outside it is decided by the
# first alone; status, the screen's queue and agreement follow. A bad
# dual_sample or sample_seed is refused with its line.
cp "$EXAMPLE/rules.txt" .
# title-abstract: one reviewer, a second on a 30% sample drawn with seed 42
# and it is not blind: each sees the other's decisions
awk '/^reviewers = 2$/ && !done { print "reviewers = 1"; print "dual_sample = 0.3"; print "sample_seed = 42"; done = 1; next }
     /^blind = yes$/ && !b { print "blind = no"; b = 1; next } { print }' \
    "$EXAMPLE/protocol.ini" >protocol.ini
run init --db r.db --protocol protocol.ini
expect_exit 0
run import --db r.db "$EXAMPLE/records/medline-ovid.ris" "$EXAMPLE/records/scopus.ris" \
    "$EXAMPLE/records/pubmed.nbib"
expect_exit 0
run dedupe --db r.db --quiet
expect_exit 0
TA="--stage title-abstract"
reports=$(sql r.db "SELECT group_concat(report_id, ' ') FROM (SELECT DISTINCT report_id FROM report_record ORDER BY report_id)")

# the sample, drawn again from docs/screening.md's description
expected=$(python3 - "$reports" <<'EOF'
import math, sys
M = 0xFFFFFFFF
def mix32(x):
    x = (((x >> 16) ^ x) * 0x45d9f3b) & M
    x = (((x >> 16) ^ x) * 0x45d9f3b) & M
    return (x >> 16) ^ x
key, below = mix32(42), math.floor(0.3 * 2**32)
print(" ".join(r for r in sys.argv[1].split() if mix32((int(r) + key) & M) < below))
EOF
)
sampled=$(sql r.db "SELECT coalesce(group_concat(report_id, ' '), '') FROM (SELECT report_id FROM report_stage_outcome WHERE stage = 'title-abstract' AND required = 2 ORDER BY report_id)")
expect_same "the sample" "$sampled" "$expected"
nsample=$(echo "$sampled" | wc -w)
all=$(echo "$reports" | wc -w)
[ "$nsample" -gt 0 ] && [ "$nsample" -lt "$all" ] || fail "a 30% sample of $all reports has $nsample"
expect_same "recorded with the stage" "$(sql r.db "SELECT reviewers_required || ' ' || dual_fraction || ' ' || sample_seed FROM stage WHERE name = 'title-abstract'")" "1 0.3 42"
run status --db r.db
expect_out "^  title-abstract \\(1 reviewer; 2 on a 30% sample, seed 42: $nsample reports\\): $all reached"
run status --db r.db --format json
stdout | python3 -c "
import json, sys
s = json.load(sys.stdin)['stages'][0]
assert s['dual_sample'] == {'fraction': 0.3, 'seed': 42, 'reports': $nsample}, s
" || fail "status JSON has no dual_sample"

# alice includes everything: outside the sample that decides; inside, it waits for a second
for r in $reports; do
    run decide --db r.db "$r" include $TA --reviewer alice
    expect_exit 0
    case " $expected " in
        *" $r "*) expect_out '^The report is now pending at title-abstract$' ;;
        *) expect_out '^The report is now include at title-abstract$' ;;
    esac
done
expect_same "the view agrees" "$(sql r.db "SELECT coalesce(group_concat(report_id, ' '), '') FROM (SELECT report_id FROM report_stage_outcome WHERE stage = 'title-abstract' AND outcome = 'pending' ORDER BY report_id)")" "$expected"
# bob's queue is the sample, and nothing else
run screen --db r.db --reviewer bob
expect_exit 1
expect_err "^winnow: screen: $nsample records? waiting for bob at title-abstract"
# on bob's screen, the first of the sample with alice's decision (not blind)
command -v tmux >/dev/null || fail "tmux is needed (make test installs it)"
WINNOW_REVIEWER=bob screen_start 100 30 --db r.db screen
screen_wait "^Record $(echo "$expected" | cut -d' ' -f1)  -  "
screen_wait '^Others +alice: include$'
screen_wait "0 of $nsample screened"
screen_keys q
screen_wait '^\[exit 0\]'
# bob screens the sample: agreement is on those reports
first=1
for r in $expected; do
    d=include
    [ $first = 1 ] && d=exclude && first=0
    run decide --db r.db "$r" $d $TA --reviewer bob --reason "Not qualitative"
    expect_exit 0
done
run agreement --db r.db $TA --format json
expect_exit 0
stdout | python3 -c "
import json, sys
p = json.load(sys.stdin)['pairs'][0]
assert p['reports'] == $nsample and p['agreed'] == $nsample - 1, p
" || fail "agreement is not over the sample"
run conflicts --db r.db $TA
expect_exit 0
expect_out "^Report $(echo "$expected" | cut -d' ' -f1)"
run screen --db r.db --reviewer bob
expect_exit 0
expect_out "^Nothing is waiting for bob at title-abstract: $nsample records? screened\\.$"

# another seed draws another sample
sed 's/^sample_seed = 42$/sample_seed = 43/' protocol.ini >protocol43.ini
run protocol load --db r.db protocol43.ini
expect_exit 0
other=$(sql r.db "SELECT coalesce(group_concat(report_id, ' '), '') FROM (SELECT report_id FROM report_stage_outcome WHERE stage = 'title-abstract' AND required = 2 ORDER BY report_id)")
[ "$other" != "$sampled" ] || fail "seeds 42 and 43 drew the same sample"

# refused, each at its line
bad() { # EXPECTED-MESSAGE AWK-PROGRAM
    awk "$2" "$EXAMPLE/protocol.ini" >bad.ini
    run protocol check bad.ini
    expect_exit 1
    expect_err "$1"
}
bad 'bad.ini:[0-9]+: dual_sample is for a stage of one reviewer \(reviewers = 1\): stage title-abstract has 2' \
    '/^reviewers = 2$/ && !d { print; print "dual_sample = 0.3"; print "sample_seed = 1"; d = 1; next } { print }'
bad 'bad.ini:[0-9]+: dual_sample needs sample_seed = N' \
    '/^reviewers = 2$/ && !d { print "reviewers = 1"; print "dual_sample = 0.3"; d = 1; next } { print }'
bad 'bad.ini:[0-9]+: sample_seed is only for dual_sample' \
    '/^reviewers = 2$/ && !d { print "reviewers = 1"; print "sample_seed = 4"; d = 1; next } { print }'
bad 'bad.ini:[0-9]+: .*must be a share between 0 and 1' \
    '/^reviewers = 2$/ && !d { print "reviewers = 1"; print "dual_sample = 1.5"; print "sample_seed = 4"; d = 1; next } { print }'
bad 'bad.ini:[0-9]+: .*must be a whole number from 0 to 4294967295' \
    '/^reviewers = 2$/ && !d { print "reviewers = 1"; print "dual_sample = 0.2"; print "sample_seed = -4"; d = 1; next } { print }'
