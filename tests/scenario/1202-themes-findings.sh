. "$WINNOW_ROOT/tests/scenario/lib.sh"
# Thematic coding: a tree of themes (add, move, rename, merge, and the
# cycle refused), findings coded from studies and their reports (one at a
# time and from a CSV file, all or nothing), the theme-by-study matrix
# against counts worked out by hand, each study's appraisal beside it, the
# sensitivity analysis, and the report of one theme.
review_screened r.db
q() { sql r.db "$1"; }
run study add --db r.db "Hartley 2020" --report 2 --report 19
expect_exit 0
run study add --db r.db --each-included
expect_exit 0

run theme add --db r.db "Increased sense of wellbeing" --description "Participants felt better in themselves"
expect_exit 0
expect_out "^Added theme 1 'Increased sense of wellbeing'$"
run theme add --db r.db "Feeling valued" --parent "Increased sense of wellbeing"
run theme add --db r.db "Having purpose" --parent "Increased sense of wellbeing"
run theme add --db r.db "Desire to connect"
run theme add --db r.db "Drawbacks" --description "What did not help"
run theme add --db r.db "Cost of travel" --parent "Drawbacks"
run theme add --db r.db "Other"
run theme add --db r.db "Other" --parent "Drawbacks"
expect_exit 0
run theme list --db r.db
expect_exit 0
expect_out '^1 +Increased sense of wellbeing +0 +0 +Participants felt better in themselves$'
expect_out '^2 +  Feeling valued '
expect_out '^6 +  Cost of travel '

before=$(checksum r.db)
run theme move --db r.db "Increased sense of wellbeing" --parent "Feeling valued"
expect_exit 1
expect_err "^winnow: theme 'Increased sense of wellbeing' cannot go under 'Feeling valued': that is one of its own subthemes, and themes form a tree, not a cycle$"
run theme move --db r.db "Drawbacks" --parent "Drawbacks"
expect_exit 1
expect_err "that is itself"
run theme add --db r.db "Feeling valued" --parent "Increased sense of wellbeing"
expect_exit 1
expect_err "^winnow: there is already a theme 'Feeling valued' under Increased sense of wellbeing$"
run theme rename --db r.db Other Else
expect_exit 1
expect_err "^winnow: 2 themes are named 'Other': give its path"
run theme add --db r.db "A/B"
expect_exit 1
expect_err "cannot hold '/'"
run theme merge --db r.db "Increased sense of wellbeing" "Having purpose"
expect_exit 1
expect_err "cannot merge into one of its own subthemes"
run theme move --db r.db "Nope" --top
expect_exit 1
expect_err "^winnow: no theme 'Nope' \(winnow theme list shows them\)$"
expect_same "refusals change nothing" "$(checksum r.db)" "$before"

# paths tell the two Others apart
run theme rename --db r.db "Drawbacks/Other" "Stigma"
expect_exit 0
run theme move --db r.db "Cost of travel" --top
expect_exit 0
run theme move --db r.db "Cost of travel" --parent Drawbacks
expect_exit 0

# findings: the report must be the study's; the study, themes and kind must exist
run finding add --db r.db --study "Hartley 2020" --report 19 --theme "Feeling valued" --kind quote \
    --text "She listened to me, properly listened" --where "p. 7" --participant "P12, aged 67"
expect_exit 0
expect_out "^Finding 1 \(quote from 'Hartley 2020'\) coded to 1 theme$"
run finding add --db r.db --study "Hartley 2020" --theme "Having purpose" --theme "Desire to connect" \
    --kind interpretation --text "Purpose came from the groups"
expect_exit 0
before=$(checksum r.db)
run finding add --db r.db --study "Ashby 1998" --report 19 --theme Stigma --kind quote --text x
expect_exit 1
expect_err "^winnow: report 19 is not a report of this study \(winnow study link first\)$"
run finding add --db r.db --study "Ashby 1998" --report 3 --theme Stigma --kind quote --text x
expect_exit 1
expect_err "^winnow: report 3 is not included"
run finding add --db r.db --study "Ashby 1998" --theme Stigma --kind opinion --text x
expect_exit 1
expect_err "a quote .* or an interpretation .*, not 'opinion'"
run finding add --db r.db --study "Nobody" --theme Stigma --kind quote --text x
expect_exit 1
run finding add --db r.db --study "Ashby 1998" --theme Nope --kind quote --text x
expect_exit 1
run finding add --db r.db --study "Ashby 1998" --kind quote --text x
expect_exit 2
expect_same "nothing from refusals" "$(checksum r.db)" "$before"

# a coding export: one bad row and nothing is stored
cat >coding.csv <<'CSV'
Case,Node,Quote,Page,Participant,Type
Ashby 1998,Feeling valued,"I was somebody again, not a patient",p. 4,Woman in her 70s,quote
Ashby 1998,Having purpose;Desire to connect,The art group gave a reason to go out,p. 5,,
Thornbury 2019,Cost of travel,The bus fare was too much,p. 9,P3,quote
Pemberton 2020,Feeling valued,Valued,p. 2,,quote
Pemberton 2020,Stigma,"Felt labelled as lonely",,,quote
Macallister 2019,No such theme,x,,,quote
CSV
run finding import --db r.db coding.csv
expect_exit 1
expect_err "^winnow: coding.csv:7: no theme 'No such theme'"
expect_same "nothing from a bad file" "$(checksum r.db)" "$before"
sed -i '$d' coding.csv
run finding import --db r.db coding.csv
expect_exit 0
expect_out '^Imported 5 findings from coding.csv$'
expect_same "several themes from one row" "$(q "SELECT COUNT(*) FROM finding_theme ft JOIN finding f ON f.id = ft.finding_id WHERE f.text LIKE 'The art group%'")" 2

# the matrix, against counts worked out by hand
run synth matrix --db r.db --format json
expect_exit 0
cell() { stdout | jq -r --arg t "$1" --arg s "$2" '.themes[] | select(.theme == $t) | .findings[$s] // 0'; }
support() { stdout | jq -r --arg t "$1" '.themes[] | select(.theme == $t) | .studies'; }
expect_same "wellbeing from Hartley" "$(cell "Increased sense of wellbeing" "Hartley 2020")" 2
expect_same "wellbeing from Ashby" "$(cell "Increased sense of wellbeing" "Ashby 1998")" 2
expect_same "wellbeing from Pemberton" "$(cell "Increased sense of wellbeing" "Pemberton 2020")" 1
expect_same "wellbeing studies" "$(support "Increased sense of wellbeing")" 3
expect_same "feeling valued studies" "$(support "Increased sense of wellbeing/Feeling valued")" 3
expect_same "drawbacks studies" "$(support "Drawbacks")" 2
expect_same "desire studies" "$(support "Desire to connect")" 2
run synth matrix --db r.db
expect_exit 0
expect_out '^Increased sense of wellbeing +2 +2 +1 +3$'
expect_out '^  S1 = Ashby 1998$'

# appraisals beside the studies, and the sensitivity analysis
run appraise --db r.db "Ashby 1998" --reviewer alice --answers "y,y,y,y,y,y,y,n,y" --answer "10=Some"
run appraise --db r.db "Pemberton 2020" --reviewer alice --answers "y,y,y,y,y,y,y,n,n"
run appraise --db r.db "Hartley 2020" --reviewer alice --answers "y,y,y,y,y,y,y,y,y"
run synth matrix --db r.db --exclude-appraisal "casp:Q8=No" --format json
expect_exit 0
expect_same "appraisal" "$(stdout | jq -r '.studies[] | select(.label == "Ashby 1998") | .appraisal')" "8/9 Yes"
expect_same "left out" "$(stdout | jq -r '[.studies[] | select(.left_out) | .label] | join(",")')" "Ashby 1998,Pemberton 2020"
expect_same "stigma loses all" "$(stdout | jq -r '.themes[] | select(.theme == "Drawbacks/Stigma") | .studies_after_leaving_out')" 0
expect_same "wellbeing keeps one" "$(stdout | jq -r '.themes[] | select(.theme == "Increased sense of wellbeing") | .studies_after_leaving_out')" 1
run synth matrix --db r.db --exclude-appraisal "casp:Q8=No"
expect_out '^  Stigma +1 +1 +0 \(loses all support\)$'
expect_out '^  2 of 11 studies left out by the appraisal\.$'
run synth matrix --db r.db --format csv
expect_out '^Theme,Ashby 1998,Calloway 2021,'
expect_out '^Increased sense of wellbeing/Feeling valued,1,'
run synth matrix --db r.db --exclude-appraisal "jbi:1=No"
expect_exit 1
expect_err "^winnow: no study has been appraised with an instrument named 'jbi'$"
run synth matrix --db r.db --exclude-appraisal "casp:Q4=Cant tell"
expect_exit 1
expect_err "^winnow: casp-qualitative item 4 has no answer 'Cant tell'$"
run synth matrix --db r.db --exclude-appraisal "casp8=No"
expect_exit 1
expect_err "INSTRUMENT:ITEM=ANSWER"

# one theme, whole
run synth theme --db r.db "Increased sense of wellbeing"
expect_exit 0
expect_out '^Theme: Increased sense of wellbeing$'
expect_out '^  subtheme: Increased sense of wellbeing/Feeling valued$'
expect_out '^Contributing studies \(3\):$'
expect_out '^  Hartley 2020 +9/9 Yes +2 findings$'
expect_out '^  \[quote\] "She listened to me, properly listened"$'
expect_out '^      P12, aged 67; Hartley 2020 \(Hartley 2021, p\. 7\)  \[Increased sense of wellbeing/Feeling valued\]$'

# two themes with a subtheme of one name are not merged blindly
run theme add --db r.db "Stigma" --parent "Desire to connect"
before=$(checksum r.db)
run theme merge --db r.db "Drawbacks" "Desire to connect"
expect_exit 1
expect_err "^winnow: both themes have a subtheme 'Stigma': merge or rename those first$"
expect_same "nothing merged" "$(checksum r.db)" "$before"
run theme merge --db r.db "Desire to connect/Stigma" "Desire to connect"
expect_exit 0
# themes nest at most eight deep
run theme add --db r.db L1
for i in 2 3 4 5 6 7 8; do run theme add --db r.db "L$i" --parent "L$((i - 1))"; expect_exit 0; done
run theme add --db r.db L9 --parent L8
expect_exit 1
expect_err "themes nest at most 8 levels deep"
run theme move --db r.db Drawbacks --parent L8
expect_exit 1
expect_err "themes nest at most 8 levels deep"

# merging recodes the findings and keeps the merged theme on record
run theme merge --db r.db "Having purpose" "Desire to connect"
expect_exit 0
expect_out "^Theme 'Having purpose' merged into 'Desire to connect' \(2 findings recoded\)$"
expect_same "merged kept" "$(q "SELECT merged_into FROM theme WHERE name = 'Having purpose'")" 4
run finding list --db r.db --theme "Desire to connect" --format json
expect_same "coded once each" "$(stdout | jq length)" 2
run finding remove --db r.db 1
expect_exit 0
run finding remove --db r.db 1
expect_exit 1
expect_err "^winnow: no finding 1$"
expect_same "audit" "$(q "SELECT group_concat(action, ' ') FROM (SELECT DISTINCT action FROM audit_log WHERE action LIKE 'theme-%' OR action LIKE 'finding-%' ORDER BY action)")" \
    "finding-add finding-remove theme-add theme-merge theme-move theme-rename"
# everything above left an audit trail that verifies
run audit verify --db r.db
expect_exit 0
