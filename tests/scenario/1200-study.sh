. "$WINNOW_ROOT/tests/scenario/lib.sh"
# Studies: included reports grouped into studies (a follow-up with its
# main paper), suggestions that find the example's two multi-report
# studies, one study per remaining report, PRISMA's studies and reports
# from the links, and every refusal: a report not included, a report in
# another study, an unknown study or role, a label taken.
review_screened r.db
q() { sql r.db "$1"; }
included=$(q "SELECT group_concat(report_id, ' ') FROM (SELECT report_id FROM report_stage_outcome WHERE stage = 'full-text' AND eligible AND outcome = 'include' ORDER BY report_id)")
expect_same "included reports" "$included" "1 2 5 6 7 8 11 15 19 24 26 28"

# before any study: each included report is its own study
run study list --db r.db
expect_exit 0
expect_out '^12 included reports are in no study \(each counts as its own study in PRISMA\): 1 2 5 6 7 8 11 15 19 24 26 28$'

# the two pairs the example was built with, and nothing else
run study suggest --db r.db --format json
expect_exit 0
expect_same "suggested pairs" "$(stdout | jq -c '[.[] | [.reports[].report]]')" '[[2,19],[7,28]]'
run study suggest --db r.db
expect_out '^Reports 2 and 19 may be one study: 3 shared authors \(Brennan, Ciaran; Hartley, Rebecca J; Okonkwo, Adaeze\); titles 83% alike$'
expect_out '^  to confirm: winnow study add "Hartley 2020" --report 2 --report 19$'

run study add --db r.db "Hartley 2020" --report 2 --report 19 --setting Northshire --design "Qualitative interviews"
expect_exit 0
expect_out "^Added study 1 'Hartley 2020' with 2 reports$"
run study link --db r.db "Hartley 2020" 19 --role follow-up
expect_exit 0
expect_out "^Report 19 linked to study 'Hartley 2020' as follow-up$"
expect_same "roles" "$(q "SELECT group_concat(record_id || ':' || role, ' ') FROM study_report")" "2:main 19:follow_up"
run study link --db r.db "Hartley 2020" 19
expect_exit 0
expect_out "already in study 'Hartley 2020'"
expect_same "role kept" "$(q "SELECT role FROM study_report WHERE record_id = 19")" "follow_up"
# the suggestion for 7 and 28 says how to make them one
run study add --db r.db "Macallister 2019" --report 28
expect_exit 0
run study suggest --db r.db
expect_out '^  to confirm: winnow study link "Macallister 2019" 7 --role secondary$'
expect_not_out 'Reports 2 and 19'
run study link --db r.db "Macallister 2019" 7
expect_exit 0
expect_out "^Report 7 linked to study 'Macallister 2019' as secondary$"
run study suggest --db r.db
expect_out '^No included reports look like parts of one study$'

# refusals, each leaving the review as it was
before=$(checksum r.db)
run study add --db r.db "Excluded one" --report 3
expect_exit 1
expect_err '^winnow: report 3 is not included \(report 3 has not reached stage full-text: at title-abstract it is excluded\)$'
run study add --db r.db "Second Hartley" --report 5 --report 19
expect_exit 1
expect_err "^winnow: report 19 is already in study 'Hartley 2020' \(a report is in one study: winnow study unlink 19 first\)$"
run study add --db r.db "Twice" --report 5 --report 5
expect_exit 1
expect_err "^winnow: report 5 is given twice$"
run study add --db r.db "Hartley 2020"
expect_exit 1
expect_err "^winnow: there is already a study 'Hartley 2020'$"
run study link --db r.db "Nope" 5
expect_exit 1
expect_err "^winnow: no study 'Nope' in the review"
run study link --db r.db "Hartley 2020" 5 --role bogus
expect_exit 1
expect_err "^winnow: unknown role 'bogus' \(known: main, protocol, follow-up, secondary, other\)$"
run study link --db r.db "Hartley 2020" 99999
expect_exit 1
expect_err "^winnow: no record 99999"
run study unlink --db r.db 5
expect_exit 1
expect_err "^winnow: report 5 is in no study$"
run study add --db r.db
expect_exit 2
run study add --db r.db --each-included --title x
expect_exit 2
run study link --db r.db "Hartley 2020"
expect_exit 2
expect_same "nothing changed" "$(checksum r.db)" "$before"

# the rest, one study each, labelled by first author and year
run study add --db r.db --each-included
expect_exit 0
expect_out '^Added 8 studies, one for each included report that was in none$'
run study list --db r.db --format json
expect_exit 0
expect_same "studies" "$(stdout | jq -r '[.studies[].label] | join("|")')" \
    "Ashby 1998|Calloway 2021|Delgado-Ruiz 2020|Greenhalgh-Reid 2021|Haddad 2021|Hartley 2020|Lefèvre 2020|Macallister 2019|Pemberton 2020|Thornbury 2019"
expect_same "none left out" "$(stdout | jq -c '.included_reports_in_no_study')" "[]"
expect_same "Hartley's reports" "$(stdout | jq -c '.studies[] | select(.label == "Hartley 2020") | [.reports[] | [.report, .role]]')" '[[2,"main"],[19,"follow-up"]]'
run study list --db r.db --format csv
expect_out '^id,study,reports,findings,appraisals,title$'
expect_out '^1,Hartley 2020,2,0,0,'

# PRISMA counts studies from the links
run prisma --db r.db --format json
expect_exit 0
expect_same "studies and reports" "$(stdout | jq -c '[.new_studies, .new_reports]')" "[10,12]"
run prisma --db r.db
expect_out '^  Studies included in review: 10$'

# unlinking puts a report back on its own
run study unlink --db r.db 19
expect_exit 0
expect_out '^Report 19 taken out of study 1$'
run prisma --db r.db --format json
expect_same "after unlink" "$(stdout | jq -c '[.new_studies, .new_reports]')" "[11,12]"
run study show --db r.db "Hartley 2020"
expect_exit 0
expect_out '^Study 1: Hartley 2020$'
expect_out '^  Setting: +Northshire$'
expect_out '^    2 +main +Hartley 2020: Service users'
# every change is in the audit trail
expect_same "audit" "$(q "SELECT group_concat(action, ' ') FROM (SELECT action FROM audit_log WHERE action LIKE 'study-%' ORDER BY id)")" \
    "study-add study-link study-link study-role study-add study-link study-link $(for i in 1 2 3 4 5 6 7 8; do printf 'study-add study-link '; done)study-unlink"
