. "$WINNOW_ROOT/tests/scenario/lib.sh"
# `make demo` stays true: the example review, end to end, from the protocol
# to the PRISMA flow, with every step succeeding and its numbers as the
# corpus's decisions make them.
DEMO_DIR="$CASE_TMP/demo" sh "$EXAMPLE/demo.sh" "$WINNOW" >demo.out 2>demo.err ||
    fail "the demo failed: $(tail -5 demo.err) $(tail -5 demo.out)"
grep -q '^Imported 76 decision(s) from ' demo.out || fail "the demo's decisions did not import"
grep -q "alice and bob: 22 report(s) both screened, 21 agreed" demo.out || fail "agreement changed"
grep -q '^  Records screened: 18$' demo.out || fail "PRISMA: records screened"
grep -q '^  Reports of the included studies: 12$' demo.out || fail "PRISMA: reports included"
grep -q '^Checks: warnings only$' demo.out || fail "PRISMA: the demo's flow has a contradiction"
grep -q '^demo: done' demo.out || fail "the demo did not finish"
