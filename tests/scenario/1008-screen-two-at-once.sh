. "$WINNOW_ROOT/tests/scenario/lib.sh"
# Two reviewers screen the same review file at the same time, each on their
# own terminal (two winnow processes in two tmux panes), keys interleaved as
# fast as tmux sends them: every decision of both is stored, each on its own
# report, the audit chain stays whole, and the file is sound.
command -v tmux >/dev/null || fail "tmux is needed (make test installs it)"
review_with_examples r.db
run dedupe --db r.db --quiet
expect_exit 0
keys=8

WINNOW_REVIEWER=alice screen_start 100 30 --db r.db screen
screen_wait '^Title and abstract screening  -  alice'
printf "'%s' " ${WINNOW_VG:-} "$WINNOW" --db r.db screen --reviewer bob >"$CASE_TMP/.bob-cmd"
tmux -S "$SCREEN_SOCK" new-session -d -s bob -x 100 -y 30 \
    "cd '$CASE_TMP' && TERM=screen LC_ALL=C.UTF-8 sh '$CASE_TMP/.bob-cmd'; echo \"[exit \$?]\"; sleep 600" ||
    fail "cannot start bob's terminal"
pane() { tmux -S "$SCREEN_SOCK" capture-pane -p -t "$1"; }
wait_pane() { # SESSION REGEX
    t=0
    while ! pane "$1" | grep -Eq -- "$2"; do
        t=$((t + 1))
        [ $t -gt 100 ] && [ -z "${WINNOW_VG:-}" ] && fail "$1's screen never showed /$2/: $(pane "$1")"
        [ $t -gt 600 ] && fail "$1's screen never showed /$2/: $(pane "$1")"
        sleep 0.1
    done
}
wait_pane '=bob:' '^Title and abstract screening  -  bob'
i=0
while [ $i -lt $keys ]; do
    tmux -S "$SCREEN_SOCK" send-keys -t '=0:' i
    tmux -S "$SCREEN_SOCK" send-keys -t '=bob:' e
    i=$((i + 1))
done
wait_pane '=0:' "alice +$keys of [0-9]+ screened"
wait_pane '=bob:' "bob +$keys of [0-9]+ screened"
tmux -S "$SCREEN_SOCK" send-keys -t '=0:' q
tmux -S "$SCREEN_SOCK" send-keys -t '=bob:' q
wait_pane '=0:' '^\[exit 0\]'
wait_pane '=bob:' '^\[exit 0\]'

expect_same "alice's, all kept" "$(sql r.db "SELECT COUNT(*) || ' ' || COUNT(DISTINCT record_id) FROM decision WHERE reviewer = 'alice' AND decision = 'include'")" "$keys $keys"
expect_same "bob's, all kept" "$(sql r.db "SELECT COUNT(*) || ' ' || COUNT(DISTINCT record_id) FROM decision WHERE reviewer = 'bob' AND decision = 'exclude'")" "$keys $keys"
# each screened the same first reports, in order, blind to the other
expect_same "the same reports" "$(sql r.db "SELECT group_concat(record_id) FROM (SELECT record_id FROM decision WHERE reviewer = 'alice' ORDER BY record_id)")" \
    "$(sql r.db "SELECT group_concat(record_id) FROM (SELECT record_id FROM decision WHERE reviewer = 'bob' ORDER BY record_id)")"
expect_same "in conflict, each one" "$(sql r.db "SELECT COUNT(*) FROM report_stage_outcome WHERE stage = 'title-abstract' AND outcome = 'conflict'")" "$keys"
expect_same "audit entries" "$(sql r.db "SELECT COUNT(*) FROM audit_log WHERE action = 'decide'")" "$((2 * keys))"
# the hash chain: each entry names the one before it
expect_same "chain unbroken" "$(sql r.db "SELECT COUNT(*) FROM audit_log a JOIN audit_log p ON p.id = (SELECT MAX(id) FROM audit_log WHERE id < a.id) WHERE a.prev_hash <> p.hash")" "0"
expect_same "file sound" "$(sql r.db 'PRAGMA integrity_check')" "ok"
# everything above left an audit trail that verifies
run audit verify --db r.db
expect_exit 0
