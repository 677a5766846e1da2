# Eligibility rules on the example review (27 records, 20 reports after
# dedupe): `rules test` counts and stores nothing; `rules apply` records
# each exclusion as a decision by the rule, with the file's text and hash,
# once; status and why show them; PRISMA's "marked ineligible by
# automation tools" holds only while no person has screened the stage.
. "$WINNOW_ROOT/tests/scenario/lib.sh"

review_with_examples r.db
run dedupe --db r.db --quiet
expect_exit 0
rules=$EXAMPLE/rules.txt

run rules test --db r.db "$rules"
expect_exit 0
expect_out '^Rules .*rules.txt at stage title-abstract: 20 report\(s\) there$'
# "English" and "eng" are both English: the language rule excludes none
expect_out '^  line 3: exclude "Not English or French": 0 report\(s\), 0 by this rule alone$'
expect_out '^  line 4: exclude "Editorial, comment or erratum": 2 report\(s\), 2 by this rule alone; e\.g\. 25, 27$'
expect_out '^  line 8: highlight exclude .*: 2 report\(s\)'
expect_out '^Excluded by at least one rule: 2 of 20 report\(s\)$'
expect_out '^Nothing recorded'
expect_same "decisions after test" "$(sql r.db 'SELECT count(*) FROM decision')" 0

run rules apply --db r.db "$rules"
expect_exit 0
expect_out '^Recorded 2 exclusion\(s\) as decisions \(application 1\); before any person screened'
expect_same "the decisions" \
    "$(sql r.db "SELECT group_concat(record_id || ' ' || stage || ' ' || reviewer || ' ' || kind || ' ' || decision || ' ' || reason, '|') FROM decision")" \
    "25 title-abstract rule:4 rule exclude Editorial, comment or erratum|27 title-abstract rule:4 rule exclude Editorial, comment or erratum"
expect_same "the rule set, as read" \
    "$(sql r.db "SELECT sha256 FROM rule_set")" "$(checksum "$rules")"
expect_same "its rules" "$(sql r.db "SELECT group_concat(line || ':' || action, ' ') FROM rule")" \
    "3:exclude 4:exclude 5:exclude 6:highlight_include 7:highlight_include 8:highlight_exclude"
expect_same "the application" \
    "$(sql r.db "SELECT stage || ' ' || before_human || ' ' || records_excluded FROM rule_application")" \
    "title-abstract 1 2"
expect_same "the audit entry" "$(sql r.db "SELECT count(*) FROM audit_log WHERE action = 'rules-apply'")" 1
run status --db r.db
expect_out 'title-abstract \(2 reviewers\): 20 reached, 2 screened \(0 included, 2 excluded, 2 of them by rules\), 18 pending'
run why --db r.db 27
expect_out '^  title-abstract: exclude'

# again: nothing excluded twice, the same rule set
run rules apply --db r.db "$rules" --format json
expect_exit 0
stdout | python3 -c '
import json, sys
o = json.load(sys.stdin)
assert (o["excluded"], o["already_excluded"], o["recorded"]) == (2, 2, 0), o
assert o["stage"] == "title-abstract" and o["application"] == 2, o
assert [r["line"] for r in o["rules"]] == [3, 4, 5, 6, 7, 8], o
assert o["rules"][1]["examples"] == [25, 27] and o["rules"][1]["only"] == 2, o
' || fail "the JSON summary"
expect_same "decisions" "$(sql r.db 'SELECT count(*) FROM decision')" 2
expect_same "rule sets" "$(sql r.db 'SELECT count(*) FROM rule_set')" 1

# once a person has screened, rules are no longer "before human screening"
add_decision r.db 1 title-abstract alice include
printf 'exclude "Randomised trial" if tiab ~ /\\brandomi[sz]ed\\b/i\n' >more.rules
run rules apply --db r.db more.rules
expect_exit 0
expect_out '^Recorded 2 exclusion\(s\) .*; people had screened at this stage already$'
expect_same "second application" \
    "$(sql r.db "SELECT before_human || ' ' || records_excluded FROM rule_application ORDER BY id DESC LIMIT 1")" \
    "0 2"

# rules never overrule people: a report a person screened is left to them
printf 'exclude "Any year" if year > 1900\n' >all.rules
run rules apply --db r.db all.rules
expect_exit 0
expect_out '; 1 already screened by people, left to them$'
expect_same "no rule decision on report 1" \
    "$(sql r.db "SELECT count(*) FROM decision WHERE record_id = 1 AND kind = 'rule'")" 0

# a file with problems: each named with its line and column; nothing read
before=$(checksum r.db)
printf 'exclude "Old" if yeer < 2000\nhighlight include /(unclosed/\n' >bad.rules
run rules apply --db r.db bad.rules
expect_exit 1
expect_err "^winnow: bad.rules:1: column 18: unknown field 'yeer'"
expect_err '^winnow: bad.rules:2: column 29: bad pattern: missing closing parenthesis$'
expect_err_lines 2
expect_same "review after a bad file" "$(checksum r.db)" "$before"
run rules test --db r.db missing.rules
expect_exit 1
expect_err "missing.rules"
run rules apply --db r.db "$rules" --stage screening
expect_exit 1
expect_err "no stage 'screening'"
expect_same "review after refusals" "$(checksum r.db)" "$before"
run rules apply --db r.db
expect_exit 2
expect_err 'give one rules file'
