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
# the synthesis: studies, appraisals by two reviewers and a third's
# consensus, coding, CERQual, and the matrix at the end
grep -q '^  Studies included in review: 10$' demo.out || fail "PRISMA: studies from the synthesis store"
grep -q '^Stored 100 answers on 10 studies from ' demo.out || fail "the appraisals did not import"
[ "$(grep -c '^Study .* settled as .* by carol$' demo.out)" = 3 ] || fail "three appraisal conflicts settled"
[ "$(grep -c '  alice, bob  complete$' demo.out)" = 10 ] || fail "every appraisal complete"
grep -q '^Imported 29 findings from ' demo.out || fail "the coding did not import"
grep -q '^  Overall  *Low confidence: Moderate concerns about limitations and adequacy$' demo.out ||
    fail "CERQual profile"
grep -q '^Drawbacks of social prescribing .* 5 *4 (loses 1)$' demo.out || fail "sensitivity analysis"
tail -30 demo.out | grep -q '^Increased sense of wellbeing  *2  *2  *1  *2  *2  *4  *2  *2  *1  *3  *10$' ||
    fail "the matrix is not printed at the end"
grep -q '^Synthesis:   10 studies appraised; 9 themes, 29 findings coded; 3 review findings with a CERQual confidence$' demo.out ||
    fail "status: the synthesis"
grep -q '^The audit trail verifies: ' demo.out || fail "the demo's audit trail does not verify"
