# Screening decisions by people on the example review: decide by record id,
# pmid: or doi:, on the report a duplicate belongs to; a change of mind
# appends a decision that supersedes the last; two reviewers who disagree
# make a conflict that `conflicts` lists and `resolve` settles; a report
# reaches full text only once included; excluding there needs one of the
# protocol's reasons; refusals leave the review as it was; two reviewers
# deciding at once in two processes lose nothing.
. "$WINNOW_ROOT/tests/scenario/lib.sh"

review_with_examples r.db
run dedupe --db r.db --quiet
expect_exit 0
TA="--stage title-abstract"

run decide --db r.db 1 include $TA --reviewer alice
expect_exit 0
expect_out '^Record 1 at title-abstract: alice decides: include, decision 1$'
expect_out '^The report is now pending at title-abstract$'
# a duplicate's id, a PMID and a DOI name their report
dup=$(sql r.db "SELECT m.record_id FROM cluster_member m JOIN dedupe_cluster c ON c.id = m.cluster_id WHERE m.record_id <> c.primary_record_id ORDER BY m.record_id LIMIT 1")
report=$(sql r.db "SELECT c.primary_record_id FROM cluster_member m JOIN dedupe_cluster c ON c.id = m.cluster_id WHERE m.record_id = $dup")
run decide --db r.db "$dup" exclude $TA --reviewer alice --reason "Not qualitative"
expect_exit 0
expect_out "^Record $dup \\(report $report\\) at title-abstract: alice decides: exclude \\(Not qualitative\\)"
expect_same "decided on the report" "$(sql r.db "SELECT record_id FROM decision WHERE id = 2")" "$report"
pmid=$(sql r.db "SELECT pmid FROM record WHERE id = 1")
WINNOW_REVIEWER=bob run decide --db r.db "pmid:$pmid" exclude $TA --reason "Not qualitative"
expect_exit 0
expect_out '^Record 1 at title-abstract: bob decides: exclude \(Not qualitative\), decision 3$'
expect_out '^The report is now conflict at title-abstract$'

run conflicts --db r.db $TA
expect_exit 0
expect_out '^Report 1: '
expect_out '^  alice: include$'
expect_out '^  bob: exclude \(Not qualitative\)$'
# bob changes his mind: a new decision supersedes his last; both stay
doi=$(sql r.db "SELECT doi FROM record WHERE id = 1")
run decide --db r.db "doi:https://doi.org/$doi" include $TA --reviewer bob
expect_exit 0
expect_out ', replacing decision 3$'
expect_out '^The report is now include at title-abstract$'
expect_same "bob's history" "$(sql r.db "SELECT group_concat(decision || '/' || coalesce(supersedes, '-'), ' ') FROM decision WHERE reviewer = 'bob'")" "exclude/- include/3"
run conflicts --db r.db $TA --format json
expect_exit 0
expect_same "no conflicts left" "$(stdout)" "[]"

# a conflict resolved by a third reviewer
run decide --db r.db 2 include $TA --reviewer alice
run decide --db r.db 2 maybe $TA --reviewer bob
expect_out 'now conflict'
before=$(checksum r.db)
run resolve --db r.db 2 include $TA --reviewer carol
expect_exit 1
expect_err 'a resolution needs its reason'
run resolve --db r.db 5 include $TA --reviewer carol --reason "x"
expect_exit 1
expect_err '^winnow: report 5 is not in conflict at title-abstract: it is pending$'
expect_same "review after refusals" "$(checksum r.db)" "$before"
run resolve --db r.db 2 include $TA --reviewer carol --reason "consensus meeting"
expect_exit 0
expect_out '^Record 2 at title-abstract: carol resolves: include \(consensus meeting\)'
expect_out 'now include at title-abstract'

# people have the last word: a resolution replaces an earlier one, and
# overrules a rule's exclusion; every decision has its audit entry
run resolve --db r.db 2 exclude $TA --reviewer carol --reason "Not qualitative"
expect_exit 0
expect_out ', replacing decision [0-9]+$'
expect_out 'now exclude at title-abstract'
run resolve --db r.db 2 include $TA --reviewer carol --reason "consensus meeting"
expect_exit 0
doi9=$(sql r.db "SELECT doi FROM record WHERE id = 9")
[ -n "$doi9" ] || fail "record 9 has no DOI"
printf 'exclude "This one" if doi = "%s"\n' "$doi9" >one.rules
run rules apply --db r.db one.rules
expect_exit 0
expect_out '^Recorded 1 exclusion'
run decide --db r.db 9 include $TA --reviewer alice
expect_out 'now exclude at title-abstract'
run resolve --db r.db 9 include $TA --reviewer carol --reason "the rule was wrong here"
expect_exit 0
expect_out 'now include at title-abstract'
expect_same "audited" "$(sql r.db "SELECT count(*) FROM audit_log WHERE action IN ('decide', 'resolve')")" \
    "$(sql r.db "SELECT count(*) FROM decision WHERE kind <> 'rule'")"

# full text: reached only once included; exclusions name a protocol reason
before=$(checksum r.db)
run decide --db r.db 5 include --stage full-text --reviewer alice
expect_exit 1
expect_err '^winnow: report 5 has not reached stage full-text: at title-abstract it is pending$'
run decide --db r.db 1 exclude --stage full-text --reviewer alice
expect_exit 1
expect_err "needs one of the protocol's reasons: 'Not social prescribing', "
run decide --db r.db 1 exclude --stage full-text --reviewer alice --reason "made up"
expect_exit 1
expect_err "that reason is not one of them"
run decide --db r.db 1 include --stage full-text --reviewer bob
run decide --db r.db 1 maybe --stage full-text --reviewer eve
run resolve --db r.db 1 exclude --stage full-text --reviewer carol --reason "we talked"
expect_exit 1
expect_err "that reason is not one of them"
run decide --db r.db 1 exclude --stage full-text --reviewer alice --reason "conference abstract only"
expect_exit 0
expect_same "the protocol's spelling" "$(sql r.db "SELECT reason FROM decision ORDER BY id DESC LIMIT 1")" "Conference abstract only"
run status --db r.db
expect_out 'full-text \(2 reviewers\): 3 reached, 0 screened'

# wrong command lines
run decide --db r.db 1 perhaps $TA --reviewer alice
expect_exit 2
expect_err "the decision is include, exclude or maybe, not 'perhaps'"
run decide --db r.db 1 include --reviewer alice
expect_exit 2
expect_err 'say at which stage'
run decide --db r.db 9999 include $TA --reviewer alice
expect_exit 1
expect_err 'no record 9999 in the review'
run decide --db r.db 1 include --stage screening --reviewer alice
expect_exit 1
expect_err "no stage 'screening'"
run decide --db r.db 1 include $TA --reviewer rule:3
expect_exit 1
expect_err "a rule's name"

# two reviewers at once, in two processes: every decision kept
n0=$(sql r.db "SELECT count(*) FROM decision")
ids=$(sql r.db "SELECT report_id FROM report_record WHERE record_id = report_id AND report_id > 2 ORDER BY report_id LIMIT 12")
for who in dana eve; do
    (for id in $ids; do
        "$WINNOW" --db r.db decide "$id" include $TA --reviewer "$who" >/dev/null || echo "fail $who $id"
    done) >"$who.log" 2>&1 &
done
wait
expect_same "dana's errors" "$(cat dana.log)" ""
expect_same "eve's errors" "$(cat eve.log)" ""
expect_same "decisions kept" "$(sql r.db "SELECT count(*) FROM decision")" "$((n0 + 24))"
