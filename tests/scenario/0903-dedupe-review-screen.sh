. "$WINNOW_ROOT/tests/scenario/lib.sh"
# The review queue on a real terminal (tmux): both records side by side with
# differing words in reverse video; same, different, related, skip and undo
# by key, each saved as it is made; quitting and starting again goes on
# with the pairs still waiting.
command -v tmux >/dev/null || fail "tmux is needed (make test installs it)"
run init --db r.db
run import --db r.db --source scopus "$WINNOW_ROOT/tests/scenario/data/dedupe-queue.ris"
expect_exit 0
run dedupe --db r.db --quiet
expect_exit 0
expect_same "queued" "$(sql r.db "SELECT group_concat(id || ':' || record_a || '-' || record_b, ' ') FROM (SELECT id, record_a, record_b FROM dedupe_pair ORDER BY id)")" "1:1-2 2:5-6 3:3-4"
pending() { sql r.db "SELECT coalesce(group_concat(id, ' '), '') FROM (SELECT p.id FROM dedupe_pair p JOIN pair_decision d ON d.id = (SELECT max(id) FROM pair_decision WHERE pair_id = p.id) WHERE d.decision = 'queued' ORDER BY p.id)"; }
cluster_of() { sql r.db "SELECT coalesce(cluster_id, 0) FROM record r LEFT JOIN cluster_member m ON m.record_id = r.id WHERE r.id = $1"; }

WINNOW_REVIEWER=alice screen_start 100 30 --db r.db dedupe review
screen_wait '^Pair 1 +\(1 of 3 waiting\)'
screen_wait 'Queued because: different DOIs, otherwise alike'
screen_wait '^Title +Link workers and loneliness'
screen_wait '^Authors +Hughes, Sarah; Okafor, Daniel +│ Hughes, S\.; Okafor, D\.'
# the words that differ, and only they, in reverse video
screen_attrs >attrs.txt
# (field names are bold: each line starts with an escape)
rev=$(printf '\033\\[7m')
grep -E 'mDOI' attrs.txt | grep -q "$rev""11200" || fail "the differing DOI part is not highlighted"
grep -E 'mDOI' attrs.txt | grep -q "$rev""10" && fail "the DOI prefix both share is highlighted"
grep -E 'mJournal' attrs.txt | grep -q "$rev" && fail "an identical journal is highlighted"
# skip the first pair: the next one comes
screen_keys k
screen_wait '^Pair 2 +\(2 of 3 waiting\)'
# accents are drawn as characters, not bytes
screen_wait 'Moreau, Clémence; Tanaka, Hiro'
screen_keys d
screen_wait '^Pair 3 '
screen_wait 'Pair 2: different \(records 5 and 6\)'
expect_same "different, saved at once" "$(pending)" "1 3"
screen_keys s
# only the skipped pair is left: it comes round again
screen_wait 'Every pair left was skipped'
screen_wait '^Pair 1 '
expect_same "merged" "$(cluster_of 3)" "$(cluster_of 4)"
[ "$(cluster_of 3)" != 0 ] || fail "records 3 and 4 should be in one cluster"
# undo the merge: pair 3 is back, waiting, and its records apart again
screen_keys u
screen_wait 'Pair 3: decision taken back'
screen_wait '^Pair 3 '
expect_same "undone" "$(pending)" "1 3"
expect_same "apart again" "$(cluster_of 3) $(cluster_of 4)" "0 0"
screen_keys r
screen_wait '^Pair 1 '
screen_keys q
screen_wait '^\[exit 0\]'
screen_wait '^Decided 2 pairs: 0 same, 1 different, 1 related \(1 taken back\); 1 still waiting'
expect_same "related" "$(sql r.db "SELECT kind || ':' || actor FROM record_relation WHERE record_id = 3 AND related_id = 4")" "related:alice"
expect_same "audit trail" "$(sql r.db "SELECT group_concat(action, ' ') FROM (SELECT action FROM audit_log WHERE actor = 'alice' AND action <> 'seal' ORDER BY id)")" \
    "dedupe.different dedupe.same dedupe.undo dedupe.related"
expect_same "pair 3's decisions, all kept" "$(sql r.db "SELECT group_concat(decision || '/' || actor, ' ') FROM (SELECT decision, actor FROM pair_decision WHERE pair_id = 3 ORDER BY id)")" \
    "queued/auto duplicate/alice queued/alice related/alice"

# starting again goes on with what is still waiting; the last decision ends it
tmux -S "$SCREEN_SOCK" kill-server
WINNOW_REVIEWER=bob screen_start 100 30 --db r.db dedupe review
screen_wait '^Pair 1 +\(1 of 1 waiting\)'
screen_keys s
screen_wait '^\[exit 0\]'
screen_wait '^Decided 1 pair: 1 same, 0 different, 0 related; 0 still waiting'
expect_same "merged by bob" "$(cluster_of 1)" "$(cluster_of 2)"
expect_same "queue empty" "$(pending)" ""

# nothing waiting: said plainly, no screen needed
run dedupe --db r.db review
expect_exit 0
expect_out '^No pairs are waiting for review\.$'

# a small terminal is told so, and q still quits
sql r.db "INSERT INTO pair_decision (pair_id, decision, actor, decided_at) VALUES (2, 'queued', 'test', '2026-01-01T00:00:00Z')"
tmux -S "$SCREEN_SOCK" kill-server
screen_start 50 12 --db r.db dedupe review
screen_wait 'terminal is too small: 50x12'
screen_keys q
screen_wait '^\[exit 0\]'
