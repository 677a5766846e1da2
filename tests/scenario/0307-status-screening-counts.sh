. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on status counting screening progress per stage: a report is
# screened when its required reviewers agree, in conflict when they differ,
# pending otherwise; only reports included at one stage reach the next.
run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
add_import r.db 1 MEDLINE 6
for d in "1 ann include" "1 bob include" "2 ann include" "2 bob include" \
         "3 ann exclude" "3 bob exclude" "4 ann include" "4 bob exclude" "5 ann include"; do
    set -- $d
    add_decision r.db "$1" title-abstract "$2" "$3"
done
add_decision r.db 1 full-text ann include
add_decision r.db 1 full-text bob include
add_decision r.db 2 full-text ann exclude

# title-abstract: 6 reached; 1,2 included, 3 excluded, 4 conflict, 5 and 6 pending
# full-text: 1 and 2 reach it; 1 included, 2 pending (one reviewer so far)
run status --db r.db
expect_exit 0
expect_out '^  title-abstract \(2 reviewers\): 6 reached, 3 screened \(2 included, 1 excluded\), 3 pending \(1 in conflict\)$'
expect_out '^  full-text \(2 reviewers\): 2 reached, 1 screened \(1 included, 0 excluded\), 1 pending$'

run status --db r.db --format json
expect_exit 0
stdout | python3 -c '
import json, sys
d = json.load(sys.stdin)
ta, ft = d["stages"]
want_ta = dict(name="title-abstract", eligible=6, screened=3, included=2, excluded=1, conflicts=1, pending=3)
want_ft = dict(name="full-text", eligible=2, screened=1, included=1, excluded=0, conflicts=0, pending=1)
for got, want in ((ta, want_ta), (ft, want_ft)):
    for k, v in want.items():
        assert got[k] == v, (got["name"], k, got[k], v)
' || fail "status JSON screening counts are wrong"
