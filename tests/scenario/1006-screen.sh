. "$WINNOW_ROOT/tests/scenario/lib.sh"
# The screening screen on a real terminal (tmux): a report at a time with
# the rules' highlight terms in colour; include, exclude (with a reason
# picked from the protocol's list), maybe, skip, a note, going back to
# change a decision, the criteria, quitting; every decision saved as it is
# made. Starting again goes on where the reviewer stopped; a second
# reviewer sees nothing of the first's decisions (blind); a report settled
# by others in another process meanwhile is passed over; at full text an
# exclusion needs a reason; resizes, UTF-8 and wide characters draw.
command -v tmux >/dev/null || fail "tmux is needed (make test installs it)"
review_with_examples r.db
cat >utf8.ris <<'EOF'
TY  - JOUR
TI  - Café, solitude et prescription sociale : une étude qualitative auprès de Zoë Müller et 社会处方 participants
AU  - Müller, Zoë
PY  - 2021
JO  - Santé Publique
AB  - Nous avons interrogé 20 participants. 社会处方 a réduit la solitude.
ER  - 
EOF
run import --db r.db --source grey-literature utf8.ris
expect_exit 0
run dedupe --db r.db --quiet
expect_exit 0
run rules apply --db r.db "$EXAMPLE/rules.txt"
expect_exit 0
TA="--stage title-abstract"
reports=$(sql r.db "SELECT COUNT(DISTINCT report_id) FROM report_record")
ruled=$(sql r.db "SELECT COUNT(DISTINCT record_id) FROM decision WHERE kind = 'rule'")
total=$((reports - ruled))
first=$(sql r.db "SELECT MIN(report_id) FROM report_record WHERE report_id NOT IN (SELECT record_id FROM decision)")
mine() { # REVIEWER REPORT: their decisions on it, oldest first
    sql r.db "SELECT coalesce(group_concat(decision || coalesce('/' || reason, '') || coalesce('/' || note, ''), ' '), '') FROM (SELECT * FROM decision WHERE reviewer = '$1' AND record_id = $2 ORDER BY id)"
}

# ---- alice: include, exclude with a reason, a note with a maybe ----------
WINNOW_REVIEWER=alice screen_start 100 30 --db r.db screen
screen_wait "^Title and abstract screening  -  alice +0 of $total screened"
screen_wait "^Record $first  -  2 records from medline; pubmed"
screen_wait '^Title +Does social prescribing reduce loneliness\?'
screen_wait '^Keywords +Aged;'
screen_wait '^ BACKGROUND: Social prescribing is increasingly'
# include terms in green, bold
screen_attrs | grep -q "$(printf '\033\\[1m\033\\[32m')Social prescribing" ||
    fail "the include highlight is not drawn in green"
screen_keys i
screen_wait "^Record $first: include\\.  u goes back to it"
screen_wait "1 of $total screened"
expect_same "include saved at once" "$(mine alice $first)" "include"
r2=$(sql r.db "SELECT MIN(report_id) FROM report_record WHERE report_id > $first AND report_id NOT IN (SELECT record_id FROM decision)")
screen_wait "^Record $r2 "
screen_keys x
screen_wait '^Exclude: why\?'
screen_wait '^  3  Not qualitative'
screen_keys 3
screen_wait "^Record $r2: exclude: Not qualitative\\."
expect_same "exclusion with its reason" "$(mine alice $r2)" "exclude/Not qualitative"
r3=$(sql r.db "SELECT MIN(report_id) FROM report_record WHERE report_id > $r2 AND report_id NOT IN (SELECT record_id FROM decision)")
screen_wait "^Record $r3 "
screen_keys n
screen_wait '^Note \(Enter keeps it, Esc cancels\):'
screen_keys "ask Zoë" Enter
screen_wait '^Note +ask Zoë'
screen_keys m
screen_wait "^Record $r3: maybe\\."
expect_same "maybe with its note" "$(mine alice $r3)" "maybe/ask Zoë"
# back to it: the decision and its note return; e replaces the maybe
screen_keys u
screen_wait "^Record $r3  -  .*your decision: maybe"
screen_wait '^Note +ask Zoë'
screen_keys e
screen_wait "^Record $r3: changed to exclude\\."
expect_same "both kept" "$(mine alice $r3)" "maybe/ask Zoë exclude/ask Zoë"
expect_same "the change supersedes" "$(sql r.db "SELECT d.supersedes = p.id FROM decision d JOIN decision p ON p.record_id = d.record_id AND p.decision = 'maybe' WHERE d.reviewer = 'alice' AND d.record_id = $r3 AND d.decision = 'exclude'")" "1"
# the criteria, on demand
screen_keys c
screen_wait '^Eligibility criteria'
screen_wait '^  study_design: Qualitative studies'
screen_wait '^    5  Language not English or French'
screen_keys z
r4=$(sql r.db "SELECT MIN(report_id) FROM report_record WHERE report_id > $r3 AND report_id NOT IN (SELECT record_id FROM decision)")
screen_wait "^Record $r4 "
# back through the session's decisions, newest first, none lost on the way:
# keeping one (s) returns to the queue where it was
screen_keys u
screen_wait "^Record $r3  -  .*your decision: exclude"
screen_keys u
screen_wait "^Record $r2  -  .*your decision: exclude"
screen_keys u
screen_wait "^Record $first  -  .*your decision: include"
screen_keys u
screen_wait '^Nothing further back: that was the first decision of this session\.'
screen_keys s
screen_wait "^Record $first: kept as include\."
screen_wait "^Record $r4 "
expect_same "going back decided nothing" "$(mine alice $first) $(mine alice $r2)" "include exclude/Not qualitative"
# a note goes with a decision: skipping drops it, and says so
screen_keys n
screen_keys "not sure" Enter
screen_keys s
screen_wait "^Record $r4: skipped; the note was not kept"
r5=$(sql r.db "SELECT MIN(report_id) FROM report_record WHERE report_id > $r4 AND report_id NOT IN (SELECT record_id FROM decision)")
screen_wait "^Record $r5 "
# the abstract scrolls with the arrows (a short one stays put)
screen_keys Down
# a resize redraws at the new width
tmux -S "$SCREEN_SOCK" resize-window -x 70 -y 22
# (under valgrind the window-change signal waits for the next read to end:
# a key that changes nothing lets it through)
[ -n "${WINNOW_VG:-}" ] && sleep 2 && screen_keys Up
screen_wait '^i incl e excl x \+why m maybe s skip u back n note c \? q quit'
screen_wait "^Title and abstract screening  -  alice +3 of $total screened"
screen_keys q
screen_wait '^\[exit 0\]'
screen_text | tr -d '\n' | grep -q "alice at title-abstract: 4 decisions in this session (1 include, 2 exclude, 1 maybe), 1 of them changing an earlier one; 3 of $total screened" ||
    fail "the closing summary is wrong: $(screen_text | tr -d '\n')"
expect_same "audit entries" "$(sql r.db "SELECT COUNT(*) FROM audit_log WHERE actor = 'alice' AND action = 'decide'")" "4"

# ---- starting again goes on where she stopped: the skipped one ----------
tmux -S "$SCREEN_SOCK" kill-server
WINNOW_REVIEWER=alice screen_start 100 30 --db r.db screen
screen_wait "3 of $total screened"
screen_wait "^Record $r4 "
screen_keys q
screen_wait '^\[exit 0\]'

# ---- bob, blind: alice's decisions are nowhere on his screen ------------
tmux -S "$SCREEN_SOCK" kill-server
WINNOW_REVIEWER=bob screen_start 100 30 --db r.db screen $TA
screen_wait "^Title and abstract screening  -  bob +0 of $total screened"
screen_wait "^Record $first  -  "
screen_text | grep -qi 'alice\|your decision\|conflict' && fail "bob's screen shows something of alice's"
# meanwhile carol decides r2 in another process: with alice's, it has the
# two reviewers it needs, so bob's screen passes over it
run decide --db r.db "$r2" include $TA --reviewer carol
expect_exit 0
screen_keys i
screen_wait "^Record $r3 "
screen_wait "1 of $((total - 1)) screened"
screen_keys q
screen_wait '^\[exit 0\]'
expect_same "bob's include" "$(mine bob $first)" "include"

# ---- UTF-8 and wide characters ------------------------------------------
utf=$(sql r.db "SELECT id FROM record WHERE title LIKE 'Café%'")
sql r.db "SELECT 1" >/dev/null
tmux -S "$SCREEN_SOCK" kill-server
for id in $(sql r.db "SELECT report_id FROM report_record WHERE report_id < $utf AND report_id NOT IN (SELECT record_id FROM decision WHERE reviewer = 'dan' OR kind = 'rule') GROUP BY report_id"); do
    run decide --db r.db "$id" include $TA --reviewer dan
    expect_exit 0
done
WINNOW_REVIEWER=dan screen_start 60 20 --db r.db screen
screen_wait "^Record $utf  -  1 record from grey-literature"
screen_wait '^Title +Café, solitude et prescription sociale'
screen_wait '社会处方'
screen_wait '^Authors +Müller, Zoë'
screen_keys q
screen_wait '^\[exit 0\]'

# ---- full text: an exclusion needs one of the stage's reasons -----------
tmux -S "$SCREEN_SOCK" kill-server
WINNOW_REVIEWER=alice screen_start 100 30 --db r.db screen --stage full-text
screen_wait "^Full-text eligibility  -  alice +0 of 1 screened"
screen_wait "^Record $first "
screen_wait 'e exclude \(reason\)'
screen_keys e
screen_wait '^  2  No participants. accounts \(staff only\)'
screen_keys Escape
screen_wait "^Record $first "
expect_same "cancelled: nothing stored" "$(sql r.db "SELECT COUNT(*) FROM decision WHERE stage = 'full-text'")" "0"
screen_keys e
screen_wait '^Exclude: why\?'
screen_keys Down Enter
screen_wait "^Record $first: exclude: No participants. accounts \\(staff only\\)"
screen_wait "^ +Nothing is left for you to screen at full-text\\."
screen_keys q
screen_wait '^\[exit 0\]'
expect_same "full-text exclusion" "$(mine alice $first | sed 's/^include //')" "exclude/No participants' accounts (staff only)"

# ---- nothing waiting, not a terminal, wrong arguments -------------------
run screen --db r.db --stage full-text --reviewer alice
expect_exit 0
expect_out '^Nothing is waiting for alice at full-text: 1 record screened\.$'
run screen --db r.db --reviewer erin
expect_exit 1
expect_err "^winnow: screen: [0-9]+ records waiting for erin at title-abstract, but this is not a terminal"
WINNOW_REVIEWER= run screen --db r.db
expect_exit 2
expect_err 'say who screens'
run screen --db r.db --reviewer erin --stage appraisal
expect_exit 1
expect_err "no stage 'appraisal'"
run screen --db r.db --reviewer erin extra
expect_exit 2

# ---- a small terminal is told so, decides nothing, and q still quits ----
tmux -S "$SCREEN_SOCK" kill-server
WINNOW_REVIEWER=erin screen_start 50 12 --db r.db screen
screen_wait 'terminal is too small: 50x12'
screen_keys i e m
screen_keys q
screen_wait '^\[exit 0\]'
expect_same "nothing decided unseen" "$(sql r.db "SELECT COUNT(*) FROM decision WHERE reviewer = 'erin'")" "0"
# at the smallest size the abstract still has its lines
tmux -S "$SCREEN_SOCK" kill-server
WINNOW_REVIEWER=erin screen_start 60 16 --db r.db screen
screen_wait '^── Abstract'
screen_wait '^ Arts projects in primary care'
screen_wait '^i incl e excl x \+why m maybe s skip u back n note c \? q quit$'
screen_keys q
screen_wait '^\[exit 0\]'
