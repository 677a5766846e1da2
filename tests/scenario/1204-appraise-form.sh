. "$WINNOW_ROOT/tests/scenario/lib.sh"
# The appraisal form on a real terminal (tmux): each item with its
# question, hint and answers; a key letter answers and moves on, saved at
# once; a comment on an answer; an answer in words; going back to change
# one; quitting and coming back where the answers are; MMAT asks the
# study's category first and then only its criteria; a terminal too small
# takes no answers.
command -v tmux >/dev/null || fail "tmux is needed (make test installs it)"
review_screened r.db
run study add --db r.db --each-included
expect_exit 0
q() { sql r.db "$1"; }
answers() { # REVIEWER STUDY: item=answer(/comment) in force, in item order
    q "SELECT group_concat(item_code || '=' || answer || coalesce('/' || comment, ''), ' ') FROM (
         SELECT a.item_code, a.answer, a.comment FROM appraisal_answer a JOIN appraisal p ON p.id = a.appraisal_id
         JOIN study s ON s.id = p.study_id WHERE p.reviewer = '$1' AND s.label = '$2'
         AND NOT EXISTS (SELECT 1 FROM appraisal_answer x WHERE x.supersedes = a.id)
         ORDER BY CAST(a.item_code AS INTEGER))"
}

screen_start 100 30 --db r.db appraise "Hartley 2020" --reviewer alice
screen_wait '^Appraise Hartley 2020 with CASP Qualitative Studies Checklist \(2018\)'
screen_wait '^Reviewer: alice +Answered: 0 of 10'
screen_wait '^Q1 \(1 of 10\): Does the paper say clearly what the research set out to do\?'
screen_wait '\[y\] Yes +\[c\] Can.t tell +\[n\] No'
screen_keys y
screen_wait '^Q2 \(2 of 10\)'
screen_wait 'Answered: 1 of 10'
expect_same "saved at once" "$(answers alice 'Hartley 2020')" "1=Yes"
screen_keys y c
screen_wait '^Q4 \(4 of 10\)'
screen_keys Up
screen_wait '^Q3 \(3 of 10\)'
screen_keys '#'
screen_wait '^Comment \(Enter keeps it, Esc cancels\):'
screen_keys -l 'No design stated'
screen_keys Enter
screen_wait '^  Comment: No design stated'
screen_keys n
screen_wait '^Q4 \(4 of 10\)'
expect_same "changed, keeping its comment" "$(answers alice 'Hartley 2020')" "1=Yes 2=Yes 3=No/No design stated"
expect_same "the first answer to 3 kept" "$(q "SELECT group_concat(answer, ' ') FROM appraisal_answer WHERE item_code = '3'")" "Can't tell Can't tell No"
# a letter that is not an answer does nothing
screen_keys z
screen_keys y y n y y y
screen_wait '^Q10 \(10 of 10\): How valuable is the research\?'
screen_wait 'Answered in words: Enter to write it'
screen_keys Enter
screen_wait '^Answer \(Enter keeps it, Esc cancels\):'
screen_keys -l 'Central to the question, café owners too'
screen_keys Enter
screen_wait 'Answered: 10 of 10'
screen_keys q
screen_wait '^Hartley 2020, alice: 10 of 10 items answered, 12 answers stored in this session$'
screen_wait '^\[exit 0\]'
expect_same "all answers" "$(answers alice 'Hartley 2020')" \
    "1=Yes 2=Yes 3=No/No design stated 4=Yes 5=Yes 6=No 7=Yes 8=Yes 9=Yes 10=Central to the question, café owners too"
expect_same "each answer its own change" "$(q "SELECT COUNT(*) FROM audit_log WHERE action = 'appraise'")" 12
tmux -S "$SCREEN_SOCK" kill-server

# coming back shows the answers; q quits at once
screen_start 100 30 --db r.db appraise "Hartley 2020" --reviewer alice
screen_wait 'Answered: 10 of 10'
screen_wait 'Q1:Y  Q2:Y  Q3:N  Q4:Y'
screen_keys q
screen_wait '0 answers stored in this session'
tmux -S "$SCREEN_SOCK" kill-server

# MMAT: the category first, then the screening questions and its criteria
screen_start 100 30 --db r.db appraise "Ashby 1998" --reviewer bob --instrument mmat
screen_wait '^Which kind of study is it\?'
screen_wait '\[5\] Mixed methods'
screen_keys 1
screen_wait '^S1 \(1 of 7\): Are the research questions clear\?'
screen_wait 'Category: qualitative'
screen_keys y y c
screen_wait '^1\.2 \(4 of 7\)' 
screen_keys q
screen_wait '^\[exit 0\]'
expect_same "mmat answers" "$(q "SELECT group_concat(a.item_code || '=' || a.answer, ' ') FROM appraisal_answer a JOIN appraisal p ON p.id = a.appraisal_id JOIN instrument i ON i.id = p.instrument_id WHERE i.name = 'mmat'")" \
    "S1=Yes S2=Yes 1.1=Can't tell"
expect_same "category stored" "$(q "SELECT category FROM appraisal p JOIN instrument i ON i.id = p.instrument_id WHERE i.name = 'mmat'")" qualitative
tmux -S "$SCREEN_SOCK" kill-server

# too small a terminal takes no answers
before=$(checksum r.db)
screen_start 50 12 --db r.db appraise "Calloway 2021" --reviewer carol
screen_wait 'The terminal is too small: 50x12'
screen_keys y
screen_keys q
screen_wait '^\[exit 0\]'
expect_same "nothing from a small terminal" "$(checksum r.db)" "$before"
# everything above left an audit trail that verifies
run audit verify --db r.db
expect_exit 0
