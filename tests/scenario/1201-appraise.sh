. "$WINNOW_ROOT/tests/scenario/lib.sh"
# Quality appraisal with checklists that are data: two reviewers appraise
# with CASP on their own (answers in order, by item, with words and
# comments), disagreements are listed and settled by consensus, the
# summary table comes out in every format, answers come in from CSV all
# or nothing, MMAT asks each category its own criteria, a team's own
# instrument file is checked and used, and every wrong answer, item,
# study or instrument is refused with nothing changed.
review_screened r.db
q() { sql r.db "$1"; }
run study add --db r.db --each-included
expect_exit 0

# alice answers in item order, bob by item; words for question 10
run appraise --db r.db "Hartley 2020" --reviewer alice --answers "y, y, y, c, y, n, y, y, y" \
    --answer "10=Useful to link workers, and to commissioners" --comment "6=No reflexivity section"
expect_exit 0
expect_out "^Study 'Hartley 2020', alice: 10 answers stored; every item answered$"
expect_same "instrument stored once, verbatim" "$(q "SELECT name || ' ' || version || ' ' || sha256 FROM instrument")" \
    "casp-qualitative 2018 $(sha256sum "$WINNOW_ROOT/corpus/instruments/casp-qualitative.ini" | cut -d' ' -f1)"
expect_same "items stored" "$(q "SELECT COUNT(*) || ' ' || group_concat(answers, '') FROM (SELECT answers FROM instrument_item WHERE code IN ('1', '10') ORDER BY position)")" \
    "2 [\"Yes\",\"Can't tell\",\"No\"]\"text\""
run appraise --db r.db "Hartley 2020" --reviewer bob --answers "1=Yes;2=yes;3=Y;4=Y;5=y;6=No;7=y;8=c;9=y"
expect_exit 0
expect_out "^Study 'Hartley 2020', bob: 9 answers stored; 1 item still to answer$"
# the same answer again is not stored again; a changed one supersedes
run appraise --db r.db "Hartley 2020" --reviewer bob --answers "9=y"
expect_out "0 answers stored, 1 as before"
run appraise --db r.db "Hartley 2020" --reviewer bob --answers "9=n" --answer "10=Limited"
expect_exit 0
expect_same "superseded, not changed" "$(q "SELECT COUNT(*) FROM appraisal_answer a JOIN appraisal p ON p.id = a.appraisal_id WHERE p.reviewer = 'bob' AND a.item_code = '9'")" 2

run appraise conflicts --db r.db
expect_exit 0
expect_out '^Hartley 2020, item 4 \(Was the way participants were recruited suited to the aims\?\)$'
expect_out '^  alice: Can.t tell$'
expect_out '^Hartley 2020, item 8 '
expect_out '^Hartley 2020, item 9 '
expect_not_out 'item 10'
run appraise conflicts --db r.db --format json
expect_same "conflicts" "$(stdout | jq -c '[.[] | .item + ":" + .answers.alice + "/" + .answers.bob]')" \
    "[\"4:Can't tell/Yes\",\"8:Yes/Can't tell\",\"9:Yes/No\"]"
run appraise resolve --db r.db "Hartley 2020" 4 c --reviewer carol --note "recruitment not described"
expect_exit 0
expect_out "^Study 'Hartley 2020', item 4 settled as c by carol$"
run appraise resolve --db r.db "Hartley 2020" 8 Yes --reviewer carol
expect_exit 0
run appraise summary --db r.db
expect_exit 0
expect_out '^Hartley 2020 +Y +Y +Y +CT\* +Y +N +Y +Y\* +\?\? +Useful to link workers,… +6/9 +alice, bob +conflict on 9$'
expect_out "^Y = Yes; CT = Can't tell; N = No; \* = settled by consensus; \?\? = reviewers disagree$"
run appraise resolve --db r.db "Hartley 2020" 9 y --reviewer carol
run appraise summary --db r.db --format csv
expect_exit 0
expect_out '^Study,Q1,Q2,Q3,Q4,Q5,Q6,Q7,Q8,Q9,Q10,Yes,Reviewers,Status$'
expect_out "^Hartley 2020,Yes,Yes,Yes,Can't tell,Yes,No,Yes,Yes,Yes,\"Useful to link workers, and to commissioners / Limited\",7/9,\"alice, bob\",complete$"
run appraise summary --db r.db --format json
expect_same "json" "$(stdout | jq -c '.studies[0] | [.study, .answers."4".answer, .answers."4".state, .answers."6".comments, .tally.count, .complete]')" \
    "[\"Hartley 2020\",\"Can't tell\",\"consensus\",\"alice: No reflexivity section\",7,true]"
run appraise summary --db r.db --format markdown
expect_out '^\| Study \| Q1 \| Q2 \|'
expect_out '^\| --- \| --- \|'
run appraise summary --db r.db --format html
expect_out '^<table>$'
expect_out '<td>CT\*</td>'

# refusals, each leaving the review as it was
before=$(checksum r.db)
run appraise --db r.db "Hartley 2020" --reviewer bob --answers "4=maybe"
expect_exit 1
expect_err "^winnow: item 4 is answered Yes, Can't tell or No \(y, c, n\), not 'maybe'$"
run appraise --db r.db "Hartley 2020" --reviewer bob --answers "11=y"
expect_exit 1
expect_err "^winnow: casp-qualitative has no item '11' \(items: 1 to 10\)$"
run appraise --db r.db "Hartley 2020" --reviewer bob --answers "y,y,y,y,y,y,y,y,y,y,y"
expect_exit 1
expect_err "^winnow: 11 answers given in order, and casp-qualitative asks fewer questions of this study$"
run appraise --db r.db "Hartley 2020" --reviewer bob --answers "1=y" --answer "1=n"
expect_exit 2
expect_err "item 1 is answered twice"
run appraise --db r.db "Hartley 2020" --reviewer bob --answers "n" --answer "1=y"
expect_exit 1
expect_err "^winnow: item 1 is answered twice$"
run appraise --db r.db "Nobody 1999" --reviewer bob --answers "1=y"
expect_exit 1
expect_err "^winnow: no study 'Nobody 1999' in the review"
run appraise --db r.db "Hartley 2020" --reviewer bob --instrument nosuch --answers "1=y"
expect_exit 1
expect_err "^winnow: no instrument 'nosuch' in the review or in "
run appraise --db r.db "Hartley 2020" --reviewer bob --answers "1=y" --category rct
expect_exit 1
expect_err "^winnow: instrument casp-qualitative has no study categories$"
run appraise --db r.db "Hartley 2020" --reviewer bob --answers "10="
expect_exit 1
expect_err "item 10 is answered in words, and the answer is empty"
run appraise --db r.db "Hartley 2020" --reviewer bob --instrument mmat --answers "S1=y"
expect_exit 1
expect_err "^winnow: mmat appraises a study as one of its categories: say which \(--category qualitative, rct, nonrandomized, descriptive, mixed\)$"
run appraise --db r.db "Hartley 2020" --reviewer bob --instrument mmat --category qualitative --answers "2.1=y"
expect_exit 1
expect_err "^winnow: item 2.1 is asked of Quantitative randomized controlled trials studies, and this one is appraised as qualitative$"
run appraise --db r.db "Hartley 2020" --reviewer dave --comment "3=why"
expect_exit 1
expect_err "^winnow: a comment on item 3, which dave has not answered$"
run appraise --db r.db "Hartley 2020" --reviewer bob </dev/null
expect_exit 2
expect_err "the form needs a terminal"
expect_same "nothing changed" "$(checksum r.db)" "$before"

# answers from a file: all or nothing, the bad row named
cat >answers.csv <<'CSV'
study,item,answer,comment
Ashby 1998,1,Yes,
Ashby 1998,2,y,
Thornbury 2019,1,No,"aims unclear, ""vague"""
Thornbury 2019,4,perhaps,
CSV
run appraise --db r.db --from answers.csv --reviewer alice
expect_exit 1
expect_err "^winnow: answers.csv:5: item 4 is answered Yes, Can't tell or No \(y, c, n\), not 'perhaps'$"
expect_same "nothing from a bad file" "$(checksum r.db)" "$before"
sed -i 's/perhaps/c/' answers.csv
run appraise --db r.db --from answers.csv --reviewer alice
expect_exit 0
expect_out '^Stored 4 answers on 2 studies from answers.csv$'
expect_same "comment kept" "$(q "SELECT comment FROM appraisal_answer WHERE comment LIKE 'aims%'")" 'aims unclear, "vague"'
printf 'study,item,answer\nAshby 1998,1,y\n' >noreviewer.csv
run appraise --db r.db --from noreviewer.csv
expect_exit 1
expect_err "^winnow: noreviewer.csv:1: no column 'reviewer'$"

# MMAT: a table per category, its own criteria in each
run appraise --db r.db "Ashby 1998" --reviewer bob --instrument mmat --category qualitative --answers "y,y,y,y,c,y,n"
expect_exit 0
expect_out "every item answered"
run appraise --db r.db "Haddad 2021" --reviewer bob --instrument mmat --category "Mixed methods" --answers "S1=y,S2=y,5.1=n"
expect_exit 0
expect_out "4 items still to answer"
run appraise summary --db r.db --instrument mmat
expect_exit 0
expect_out '^Mixed Methods Appraisal Tool \(MMAT\), version 2018: Qualitative$'
expect_out '^Study +S1 +S2 +1\.1 +1\.2 +1\.3 +1\.4 +1\.5 +Reviewers +Status$'
expect_out '^Ashby 1998 +Y +Y +Y +Y +CT +Y +N +bob +1 of 2 reviewers finished$'
expect_out '^Mixed Methods Appraisal Tool \(MMAT\), version 2018: Mixed methods$'
expect_out 'advise against adding the answers up'
expect_not_out '^2\.1:'
run appraise summary --db r.db --instrument mmat --format csv
expect_out '^Study,Category,S1,S2,1.1,'
expect_out '^Haddad 2021,mixed,Yes,Yes,n/a,n/a,n/a,n/a,n/a,n/a,'

# a team's own instrument: checked, used by its path, then by its name
cat >ours.ini <<'INI'
[instrument]
name = ours
version = 1
title = Our three questions
answers = y: Yes | n: No | u: Unsure
tally = Yes
[item A]
text = Is it relevant?
[item B]
text = Is it clear?
[item overall]
text = Keep it?
answers = k: Keep | d: Drop
overall = yes
INI
run appraise check ours.ini
expect_exit 0
expect_out '^ours.ini: instrument ours version 1, 3 items$'
run appraise --db r.db "Ashby 1998" --reviewer alice --instrument ./ours.ini --answers "A=y,B=u,overall=k"
expect_exit 0
run appraise --db r.db "Calloway 2021" --reviewer alice --instrument ours --answers "n,n,d"
expect_exit 0
run appraise summary --db r.db --instrument ours --format csv
expect_out '^Study,A,B,Overall,Yes,Reviewers,Status$'
expect_out '^Ashby 1998,Yes,Unsure,Keep,1/2,alice,1 of 2 reviewers finished$'
expect_out '^Calloway 2021,No,No,Drop,0/2,alice,1 of 2 reviewers finished$'
# the same name and version with another text is refused
sed -i 's/Is it clear?/Is it very clear?/' ours.ini
run appraise --db r.db "Ashby 1998" --reviewer bob --instrument ./ours.ini --answers "A=y"
expect_exit 1
expect_err "another text of instrument 'ours' version 1"
printf '[instrument]\nname = Bad Name\nversion = 1\ntitle = T\nanswers = y: Yes\n[item 1]\n' >bad.ini
run appraise check bad.ini
expect_exit 1
expect_err '^winnow: bad.ini:2: the name is lower-case'
expect_err '^winnow: bad.ini:5: a question needs at least two answers'

run appraise instruments --db r.db
expect_exit 0
expect_out '^casp-qualitative +2018 +CASP Qualitative Studies Checklist$'
expect_out 'in the review'
expect_out '^jbi-qualitative '
expect_out '^mmat '
# every appraisal is in the audit trail, with who
# every appraisal that changed something is in the audit trail, with
# who: all but the one that gave an answer again
expect_same "audited" "$(q "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'appraise%'")" 14
expect_same "consensus by carol" "$(q "SELECT group_concat(actor, ' ') FROM audit_log WHERE action = 'appraise-consensus'")" "carol carol carol"

# a reviewer counts when they have answered every item asked; names that
# end alike are two reviewers
run appraise --db r.db "Lefèvre 2020" --reviewer "Jo Smith" --answers "y,y,y,y,y,y,y,y,y" --answer "10=Useful"
run appraise --db r.db "Lefèvre 2020" --reviewer Smith --answers "1=y"
expect_exit 0
run appraise summary --db r.db --format json
expect_same "half an appraisal is not a second reviewer" \
    "$(stdout | jq -c '.studies[] | select(.study == "Lefèvre 2020") | [.reviewers, .complete, .status]')" \
    '["Jo Smith, Smith",false,"1 of 2 reviewers finished"]'
run appraise --db r.db "Lefèvre 2020" --reviewer Smith --answers ""
expect_exit 1
expect_err "^winnow: no answers given$"
run appraise --db r.db "Lefèvre 2020" --reviewer Smith --answers "2=y,3=y,4=y,5=y,6=y,7=y,8=y,9=y,10=Fine"
run appraise summary --db r.db --format json
expect_same "now finished" "$(stdout | jq -c '.studies[] | select(.study == "Lefèvre 2020") | [.complete, .status]')" \
    '[true,"complete"]'

# reviewers who disagree on an MMAT category: a conflict until settled
run appraise --db r.db "Delgado-Ruiz 2020" --reviewer alice --instrument mmat --category qualitative --answers "y,y,y,y,y,y,y"
run appraise --db r.db "Delgado-Ruiz 2020" --reviewer bob --instrument mmat --category rct --answers "y,y,y,y,y,y,y"
run appraise conflicts --db r.db --instrument mmat
expect_out '^Delgado-Ruiz 2020, item category \(The study.s category\)$'
expect_out '^  alice: qualitative$'
expect_out '^  bob: rct$'
run appraise summary --db r.db --instrument mmat --format json
expect_same "disputed" "$(stdout | jq -r '.studies[] | select(.study == "Delgado-Ruiz 2020") | .status')" \
    "category disputed (alice: qualitative; bob: rct)"
run appraise resolve --db r.db "Delgado-Ruiz 2020" --instrument mmat --category qualitative --reviewer carol
expect_exit 0
run appraise conflicts --db r.db --instrument mmat
expect_not_out 'Delgado-Ruiz 2020, item category'
run appraise summary --db r.db --instrument mmat --format json
expect_same "settled" "$(stdout | jq -c '.studies[] | select(.study == "Delgado-Ruiz 2020") | [.category, .status]')" \
    '["qualitative","1 of 2 reviewers finished"]'

# a new version of an instrument: its answers are not mixed with the old
sed -e 's/^version = 1$/version = 2/' -e 's/Is it very clear?/Is it clear and short?/' ours.ini >ours2.ini
run appraise --db r.db "Ashby 1998" --reviewer alice --instrument ./ours2.ini --answers "A=n"
expect_exit 0
run appraise conflicts --db r.db --instrument ours
expect_out '^No disagreements between appraisers$'
run appraise summary --db r.db --instrument ours --format csv
expect_out '^Ashby 1998,No,,,0/2,alice,'

# a category named by its label, and codes that differ only in case
printf '[instrument]\nname = cats\nversion = 1\ntitle = T\nanswers = y: Yes | n: No\ncategories = q: Qualitative\n[item A]\ncategory = Qualitative\ntext = Q\n' >cats.ini
run appraise --db r.db "Ashby 1998" --reviewer alice --instrument ./cats.ini --category q --answers "y"
expect_exit 0
expect_out "every item answered"
expect_same "asked" "$(q "SELECT a.item_code || '=' || a.answer FROM appraisal_answer a JOIN appraisal p ON p.id = a.appraisal_id JOIN instrument i ON i.id = p.instrument_id WHERE i.name = 'cats'")" "A=Yes"
printf '[instrument]\nname = twice\nversion = 1\ntitle = T\nanswers = y: Yes | n: No\n[item B]\ntext = Q\n[item b]\ntext = R\n' >twice.ini
run appraise check twice.ini
expect_exit 1
expect_err "^winnow: twice.ini:8: item 'b' is defined twice$"
