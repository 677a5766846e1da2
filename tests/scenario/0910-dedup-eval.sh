# The deduplication accuracy evaluator of make bench (tests/bench/dedup_eval.py):
# its unittest suite, a hand-built set with numbers worked out by hand and,
# on the labelled sets of ../shared/data (skipped when absent), the perfect
# clustering, every record alone and one cluster against bib-dedupe's
# definitions and its published asysd rows.
. "$WINNOW_ROOT/tests/scenario/lib.sh"

WINNOW_SHARED_DATA=${WINNOW_SHARED_DATA:-$SHARED_DATA} \
    python3 "$WINNOW_ROOT/tests/bench/test_dedup_eval.py" -v >"$CASE_TMP/.unittest" 2>&1 ||
    { cat "$CASE_TMP/.unittest"; fail "tests/bench/test_dedup_eval.py failed"; }
cat "$CASE_TMP/.unittest"
exit 0
