#!/bin/sh
# Run every test and print "N passed, N failed" last.
#
#   tests/run.sh BUILD-DIR WINNOW-BINARY
#
# - unit tests: BUILD-DIR/tests/test_* (cmocka, TAP output: one count per test)
# - fuzz replays: BUILD-DIR/tests/replay_* over tests/fuzz/corpus/NAME/
#   (one count per target: every seed and past crash must pass)
# - scenarios: tests/scenario/*.sh, each one case run against the real binary
#   in a fresh temporary directory (see tests/scenario/lib.sh)
#
# WINNOW_VALGRIND=1 runs everything under valgrind memcheck.
# TESTS=pattern runs only the scenario and unit files whose name matches.
set -u
build=${1:?build dir}
bin=${2:?winnow binary}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
case $bin in /*) ;; *) bin=$root/$bin ;; esac
case $build in /*) ;; *) build=$root/$build ;; esac
log=$build/test-log
mkdir -p "$log"
pass=0
fail=0
skips=0
failed_names=

vg=
if [ "${WINNOW_VALGRIND:-}" = 1 ]; then
    vg="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
    # valgrind cannot follow PCRE2's JIT-compiled code (it reports the
    # code's reads as uninitialised); the interpreter matches the same
    export WINNOW_NO_JIT=1
fi

record() { # name status
    if [ "$2" = 0 ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        failed_names="$failed_names
  $1"
    fi
}

matches() {
    [ -z "${TESTS:-}" ] && return 0
    case $1 in *$TESTS*) return 0 ;; esac
    return 1
}

# Unit tests
for t in "$build"/tests/test_*; do
    [ -x "$t" ] || continue
    name=$(basename "$t")
    matches "$name" || continue
    out=$log/$name.tap
    CMOCKA_MESSAGE_OUTPUT=TAP WINNOW_SHARED_DATA="$root/../shared/data" \
        $vg "$t" >"$out" 2>&1
    rc=$?
    ok=$(grep -c '^ok ' "$out")
    # cmocka reports a skipped test (data absent) as "not ok N # SKIP"
    skipped=$(grep -c '^not ok .*# SKIP' "$out")
    bad=$(($(grep -c '^not ok ' "$out") - skipped))
    skips=$((skips + skipped))
    pass=$((pass + ok))
    if [ "$bad" -gt 0 ] || { [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; }; then
        [ "$bad" -eq 0 ] && bad=1
        fail=$((fail + bad))
        failed_names="$failed_names
  $name (see $out)"
        grep -B2 -A8 '^not ok' "$out" | head -40
        [ "$rc" -ne 0 ] && tail -20 "$out"
    fi
    note=
    [ "$skipped" -gt 0 ] && note=", $skipped skipped"
    echo "unit   $name: $ok passed, $bad failed$note"
done

# Fuzz target replays
for t in "$build"/tests/replay_*; do
    [ -x "$t" ] || continue
    name=$(basename "$t" | sed 's/^replay_//')
    matches "$name" || continue
    corpus=$root/tests/fuzz/corpus/$name
    $vg "$t" "$corpus" >"$log/replay_$name.log" 2>&1
    rc=$?
    record "fuzz replay $name (see $log/replay_$name.log)" $rc
    echo "fuzz   $name: $(cat "$log/replay_$name.log" | tail -1)"
done

# Scenarios
for s in "$root"/tests/scenario/[0-9]*.sh; do
    [ -f "$s" ] || continue
    name=$(basename "$s" .sh)
    matches "$name" || continue
    out=$log/$name.log
    WINNOW=$bin WINNOW_ROOT=$root WINNOW_VG=$vg sh "$s" >"$out" 2>&1
    rc=$?
    record "$name (see $out)" $rc
    if [ "$rc" -ne 0 ]; then
        echo "FAIL   $name"
        sed 's/^/       /' "$out" | tail -25
    fi
done
echo "scenario: $(ls "$root"/tests/scenario/ | grep -c "^[0-9].*\.sh$") cases"

if [ "$fail" -gt 0 ]; then
    echo "failed:$failed_names"
fi
[ "$skips" -gt 0 ] && echo "skipped: $skips (their data, ../shared/data, is absent)"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
