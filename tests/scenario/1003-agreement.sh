# Agreement at a stage from the reviewers' decisions in force: alice and
# bob on six reports (2 both include, 2 both exclude, 1 each way): 4 of 6
# agreed, kappa 1/3 with the 95% interval of Fleiss, Cohen and Everitt
# (variance 0.148148: 0.33 +- 0.75); a changed mind counts as its last
# decision; a third reviewer brings Fleiss' kappa.
. "$WINNOW_ROOT/tests/scenario/lib.sh"

review_with_examples r.db
TA="--stage title-abstract"
run agreement --db r.db $TA
expect_exit 0
expect_out 'no report has decisions by two reviewers yet'
decide() { # record alice bob
    run decide --db r.db "$1" "$2" $TA --reviewer alice --reason "Not qualitative"
    expect_exit 0
    run decide --db r.db "$1" "$3" $TA --reviewer bob --reason "Not qualitative"
    expect_exit 0
}
decide 1 include include
decide 2 include include
decide 3 exclude exclude
decide 4 exclude exclude
decide 5 include exclude
decide 6 include include
# bob changes his mind on 6: his last decision counts
run decide --db r.db 6 exclude $TA --reviewer bob --reason "Not qualitative"
run decide --db r.db 6 include $TA --reviewer bob
run decide --db r.db 6 exclude $TA --reviewer alice --reason "Not qualitative"
run agreement --db r.db $TA
expect_exit 0
expect_out '^  alice and bob: 6 report\(s\) both screened, 4 agreed \(66\.7%\), Cohen.s kappa 0\.33 \(95% CI -0\.42 to 1\.09\)$'
expect_not_out 'Fleiss'
run agreement --db r.db $TA --format json
expect_exit 0
stdout | python3 -c '
import json, sys
o = json.load(sys.stdin)
p = o["pairs"][0]
assert p["reviewers"] == ["alice", "bob"] and p["reports"] == 6 and p["agreed"] == 4, p
assert abs(p["cohen_kappa"] - 1/3) < 1e-3, p
assert p["table"] == [[2, 1, 0], [1, 2, 0], [0, 0, 0]], p
assert o["maybe"] == "its own category" and "fleiss" not in o, o
' || fail "the JSON"
# carol screens 1 to 3 with alice: pairs in name order, and Fleiss' kappa
# over the reports with two decisions (the most common count)
run decide --db r.db 7 include $TA --reviewer carol
run decide --db r.db 7 maybe $TA --reviewer alice
run agreement --db r.db $TA
expect_out '^  alice and carol: 1 report\(s\) both screened, 0 agreed \(0\.0%\)'
expect_out "^  Fleiss' kappa .* over 7 report\\(s\\) with 2 decisions each, 3 reviewers in all$"
run agreement --db r.db
expect_exit 2
run agreement --db r.db --stage nowhere
expect_exit 1
expect_err "no stage 'nowhere'"
