# Helpers for scenario tests: each tests/scenario/NNNN-topic.sh is one case,
# run by tests/run.sh against the real binary, in a fresh temporary
# directory that is removed afterwards. A case fails at the first check that
# does not hold, printing what the command wrote.
#
#   . "$WINNOW_ROOT/tests/scenario/lib.sh"
#   run init --db r.db              # runs winnow; keeps stdout, stderr, status
#   expect_exit 0
#   expect_out 'Created review'     # extended regex on stdout
#   expect_err '^winnow: .*r.db'    # extended regex on stderr
#   expect_no_err                   # stderr is empty
#   sql r.db 'SELECT count(*) FROM protocol'   # prints the result
set -u
: "${WINNOW:?set by tests/run.sh}"
: "${WINNOW_ROOT:?set by tests/run.sh}"
CORPUS=$WINNOW_ROOT/corpus
EXAMPLE=$CORPUS/social-prescribing
SHARED_DATA=$WINNOW_ROOT/../shared/data
CASE_TMP=$(mktemp -d "${TMPDIR:-/tmp}/winnow-case.XXXXXX")
trap 'chmod -R u+w "$CASE_TMP" 2>/dev/null; rm -rf "$CASE_TMP"' EXIT
cd "$CASE_TMP" || exit 1
unset WINNOW_DB NCBI_API_KEY WINNOW_REVIEWER
export LC_ALL=C.UTF-8 TZ=UTC

fail() {
    echo "FAIL: $*"
    echo "--- command: winnow ${LAST_ARGS:-}"
    echo "--- exit: ${LAST_STATUS:-}"
    echo "--- stdout:"; cat "$CASE_TMP/.out" 2>/dev/null | head -40
    echo "--- stderr:"; cat "$CASE_TMP/.err" 2>/dev/null | head -40
    exit 1
}

run() {
    LAST_ARGS="$*"
    # shellcheck disable=SC2086
    ${WINNOW_VG:-} "$WINNOW" "$@" >"$CASE_TMP/.out" 2>"$CASE_TMP/.err"
    LAST_STATUS=$?
    if [ "$LAST_STATUS" = 99 ] && [ -n "${WINNOW_VG:-}" ]; then
        fail "valgrind reported errors"
    fi
}

# Run with stdin from a file.
run_stdin() {
    input=$1; shift
    LAST_ARGS="$* < $input"
    # shellcheck disable=SC2086
    ${WINNOW_VG:-} "$WINNOW" "$@" <"$input" >"$CASE_TMP/.out" 2>"$CASE_TMP/.err"
    LAST_STATUS=$?
}

expect_exit() {
    [ "$LAST_STATUS" = "$1" ] || fail "expected exit status $1, got $LAST_STATUS"
}
expect_out() {
    grep -Eq -- "$1" "$CASE_TMP/.out" || fail "stdout lacks /$1/"
}
expect_err() {
    grep -Eq -- "$1" "$CASE_TMP/.err" || fail "stderr lacks /$1/"
}
expect_not_out() {
    ! grep -Eq -- "$1" "$CASE_TMP/.out" || fail "stdout has /$1/ but should not"
}
expect_no_err() {
    [ ! -s "$CASE_TMP/.err" ] || fail "stderr is not empty"
}
# Errors are one line ("winnow: ...") plus, for usage errors, the usage hint.
expect_err_lines() {
    n=$(wc -l <"$CASE_TMP/.err")
    [ "$n" -eq "$1" ] || fail "expected $1 line(s) on stderr, got $n"
}
stdout() { cat "$CASE_TMP/.out"; }
stderr() { cat "$CASE_TMP/.err"; }

sql() {
    sqlite3 -batch -noheader "$1" "$2"
}

# The bytes of a file, for "left untouched" checks.
checksum() {
    sha256sum "$1" | cut -d' ' -f1
}

expect_same() { # what actual expected
    [ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"
}

# 'protocol load FILE' into a fresh review fails with one line on stderr
# matching REGEX (extended), exit 1, and leaves the review untouched.
expect_load_refused() { # file regex
    run init --db refused.db --protocol "$EXAMPLE/protocol.ini"
    expect_exit 0
    before=$(checksum refused.db)
    run protocol load --db refused.db "$1"
    expect_exit 1
    expect_not_out 'Loaded'
    expect_err "$2"
    expect_err_lines 1
    expect_same "checksum" "$(checksum refused.db)" "$before"
    expect_same "protocol versions" "$(sql refused.db 'SELECT count(*) FROM protocol')" 1
    rm -f refused.db
}

# A protocol file with one problem: 'protocol check' and 'protocol load' both
# report exactly that one line, exit 1, print nothing on stdout, and the
# review it was loaded into is left untouched.
expect_protocol_refused() { # file regex
    run protocol check "$1"
    expect_exit 1
    [ ! -s "$CASE_TMP/.out" ] || fail "stdout is not empty"
    expect_err "$2"
    expect_err_lines 1
    expect_load_refused "$1" "$2"
}

# Until 'winnow import' and 'winnow decide' exist, cases that need records
# or decisions write the rows the way those commands will.
#   add_import DB FILE_ID DATABASE N   one imported file with N records
#   add_decision DB RECORD STAGE REVIEWER include|exclude|maybe
add_import() {
    sql "$1" "INSERT INTO import_file(id, path, sha256, size_bytes, format, database_name, imported_at)
                VALUES ($2, 'file$2.ris', 'sha$2', 100, 'ris', '$3', '2021-04-12T10:00:00Z');
              WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $4)
              INSERT INTO record(import_file_id, position, title, created_at)
                SELECT $2, i, 'Record ' || i || ' of file $2', '2021-04-12T10:00:00Z' FROM n;" ||
        fail "cannot add records to $1"
}
add_decision() {
    sql "$1" "INSERT INTO decision(record_id, stage, reviewer, kind, decision, made_at)
                VALUES ($2, '$3', '$4', 'human', '$5', '2021-04-12T10:00:00Z');" ||
        fail "cannot add a decision to $1"
}

# A review DB with the protocol and the three example database exports
# (Ovid MEDLINE, Scopus, PubMed: 27 records) imported.
review_with_examples() { # DB
    run init --db "$1" --protocol "$EXAMPLE/protocol.ini"
    expect_exit 0
    run import --db "$1" "$EXAMPLE/records/medline-ovid.ris" "$EXAMPLE/records/scopus.ris" \
        "$EXAMPLE/records/pubmed.nbib"
    expect_exit 0
}

# The record ids of the last command's JSON export, space-separated
# (sqlite3's JSON functions: fast, and they refuse text that is not JSON).
export_ids() {
    stdout >"$CASE_TMP/.ids.json"
    sqlite3 :memory: "SELECT CASE WHEN json_type(readfile('$CASE_TMP/.ids.json')) = 'array' THEN
        (SELECT coalesce(group_concat(json_extract(value, '\$.id'), ' '), '') FROM json_each(readfile('$CASE_TMP/.ids.json')))
        ELSE 'not a JSON array' END"
}

# A real terminal for the screens: winnow runs in a tmux pane of W x H on a
# private server, driven by keys and read back as text (and, with -e, with
# its attributes). The pane stays open after winnow exits, showing what it
# printed and "[exit N]".
#   screen_start 100 30 --db r.db dedupe review
#   screen_wait 'Pair 1'     # until the pane shows the regex (else fail)
#   screen_keys s
screen_start() { # W H ARGS...
    SCREEN_SOCK=$CASE_TMP/tmux.sock
    w=$1 h=$2; shift 2
    trap 'tmux -S "$SCREEN_SOCK" kill-server 2>/dev/null; chmod -R u+w "$CASE_TMP" 2>/dev/null; rm -rf "$CASE_TMP"' EXIT
    printf "'%s' " ${WINNOW_VG:-} "$WINNOW" "$@" >"$CASE_TMP/.screen-cmd"
    tmux -S "$SCREEN_SOCK" -f /dev/null kill-server 2>/dev/null
    tmux -S "$SCREEN_SOCK" -f /dev/null new-session -d -x "$w" -y "$h" \
        "cd '$CASE_TMP' && TERM=screen LC_ALL=C.UTF-8 WINNOW_REVIEWER=${WINNOW_REVIEWER:-} sh '$CASE_TMP/.screen-cmd'; echo \"[exit \$?]\"; sleep 600" ||
        fail "cannot start tmux"
    LAST_ARGS="$* (in tmux)"
}
screen_text() { tmux -S "$SCREEN_SOCK" capture-pane -p; }
screen_attrs() { tmux -S "$SCREEN_SOCK" capture-pane -p -e; }
screen_keys() { tmux -S "$SCREEN_SOCK" send-keys "$@"; }
screen_wait() { # REGEX [SECONDS]
    n=$(( ${2:-10} * 10 ))
    [ -n "${WINNOW_VG:-}" ] && n=$((n * 6))
    while [ "$n" -gt 0 ]; do
        screen_text | grep -Eq -- "$1" && return 0
        sleep 0.1
        n=$((n - 1))
    done
    screen_text >"$CASE_TMP/.out"
    fail "the screen never showed /$1/"
}

# The example review screened to the end, as the demo has it: the four
# exports imported, deduplicated, the rules applied and the team's
# decisions imported, so that twelve reports are included.
review_screened() { # DB
    review_with_examples "$1"
    run import --db "$1" --source grey-literature "$EXAMPLE/records/grey-literature.bib"
    expect_exit 0
    run dedupe --db "$1" --quiet
    expect_exit 0
    run rules apply --db "$1" "$EXAMPLE/rules.txt"
    expect_exit 0
    run decisions import --db "$1" "$EXAMPLE/decisions.csv"
    expect_exit 0
}
