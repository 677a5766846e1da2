#!/bin/sh
# The example review, run end to end with what winnow can do so far.
# `make demo` runs this against a fresh review in build/demo/. It grows as
# winnow does: each capability that lands adds its step here.
#
#   corpus/social-prescribing/demo.sh [path/to/winnow]
set -eu
here=$(dirname "$0")
winnow=${1:-winnow}
case $winnow in */*) winnow=$(cd "$(dirname "$winnow")" && pwd)/$(basename "$winnow") ;; esac
out=${DEMO_DIR:-build/demo}
mkdir -p "$out"
export WINNOW_DB="$out/social-prescribing.db"
rm -f "$WINNOW_DB" "$WINNOW_DB-wal" "$WINNOW_DB-shm"

step() { printf '\n$ winnow %s\n' "$(echo "$*" | cut -d' ' -f2-)"; "$@"; }

echo "winnow demo: a qualitative evidence synthesis of social prescribing for loneliness"
echo "review file: $WINNOW_DB"

step "$winnow" protocol check "$here/protocol.ini"
step "$winnow" init --protocol "$here/protocol.ini"
step "$winnow" protocol list
step "$winnow" status

step "$winnow" import "$here"/records/medline-ovid.ris "$here"/records/scopus.ris \
    "$here"/records/pubmed.nbib
step "$winnow" import --source grey-literature "$here"/records/grey-literature.bib
step "$winnow" dedupe
step "$winnow" dedupe pairs --status related
step "$winnow" rules test "$here/rules.txt"
step "$winnow" rules apply "$here/rules.txt"
# two reviewers' screening decisions (and a third's resolutions), as a
# team that screened elsewhere would bring them in; on a terminal,
# 'winnow screen --reviewer alice' is where they would be made
step "$winnow" decisions import "$here/decisions.csv"
step "$winnow" agreement --stage title-abstract
step "$winnow" conflicts --stage full-text
step "$winnow" fulltext doi:10.5555/nshire.thesis.2020.0417 --not-retrieved \
    --reason "thesis under embargo until 2023"
step "$winnow" why 2

# The synthesis, in the same review file: reports grouped into studies,
# appraised with CASP by two reviewers, coded into themes, and judged with
# GRADE-CERQual.
step "$winnow" study suggest
step "$winnow" study add "Hartley 2020" --report 2 --report 19 \
    --setting "Northshire link worker service"
step "$winnow" study link "Hartley 2020" 19 --role follow-up
step "$winnow" study add "Macallister 2021" --report 7 --report 28 \
    --setting "Northshire Arts on Prescription"
step "$winnow" study add --each-included
step "$winnow" study list
step "$winnow" appraise --from "$here/synthesis/appraisal-alice.csv" --reviewer alice
step "$winnow" appraise --from "$here/synthesis/appraisal-bob.csv" --reviewer bob
step "$winnow" appraise conflicts
step "$winnow" appraise resolve "Ashby 1998" 4 "Can't tell" --reviewer carol \
    --note "recruitment is described only as 'suitable patients'"
step "$winnow" appraise resolve "Hartley 2020" 6 "Can't tell" --reviewer carol \
    --note "the authors' roles are given, their influence not discussed"
step "$winnow" appraise resolve "Pemberton 2020" 8 "No" --reviewer carol \
    --note "themes are asserted, with no account of how they were derived"
step "$winnow" appraise summary
echo
echo '$ winnow theme add ...   (three themes; the first with six subthemes)'
"$winnow" theme add "Increased sense of wellbeing" --description \
    "Participants described feeling better in themselves after taking part" >/dev/null
for sub in "Feeling valued and listened to" "Less lonely" "Growing confidence" \
    "Purpose and routine" "New friendships" "Belonging"; do
    "$winnow" theme add "$sub" --parent "Increased sense of wellbeing" >/dev/null
done
"$winnow" theme add "Desire to keep connecting" --description \
    "What made participants want to go on meeting others after the referral" >/dev/null
"$winnow" theme add "Drawbacks of social prescribing" --description \
    "What did not help, or made things worse" >/dev/null
step "$winnow" finding import "$here/synthesis/coding.csv"
step "$winnow" theme list
step "$winnow" synth theme "Drawbacks of social prescribing"
echo
echo '$ winnow cerqual assess ...   (each theme: statement, four components, overall)'
cq() { "$winnow" cerqual assess "$@" >/dev/null; }
cq "Increased sense of wellbeing" --statement \
    "People who took part in social prescribing felt valued, less lonely and more confident"
cq "Increased sense of wellbeing" --component methodological-limitations --concern minor \
    --why "Three of ten studies had unclear recruitment or analysis"
cq "Increased sense of wellbeing" --component coherence --concern none \
    --why "Consistent across settings, ages and programmes"
cq "Increased sense of wellbeing" --component adequacy --concern none \
    --why "Rich data from all ten studies"
cq "Increased sense of wellbeing" --component relevance --concern minor \
    --why "Most studies from England"
cq "Increased sense of wellbeing" --overall high \
    --why "Minor concerns only, about limitations and relevance"
cq "Desire to keep connecting" --statement \
    "Participants wanted to keep meeting once a group felt like their own"
cq "Desire to keep connecting" --component methodological-limitations --concern minor \
    --why "One contributing study had weak reporting of analysis"
cq "Desire to keep connecting" --component coherence --concern none --why "Consistent"
cq "Desire to keep connecting" --component adequacy --concern moderate \
    --why "Four studies, mostly interpretations rather than quotes"
cq "Desire to keep connecting" --component relevance --concern minor --why "UK only"
cq "Desire to keep connecting" --overall moderate --why "Moderate concerns about adequacy"
cq "Drawbacks of social prescribing" --statement \
    "Some participants found activities unsuitable, hard to reach, or ending abruptly"
cq "Drawbacks of social prescribing" --component methodological-limitations --concern moderate \
    --why "Pemberton 2020 contributes and has serious limitations in analysis"
cq "Drawbacks of social prescribing" --component coherence --concern minor \
    --why "Drawbacks differ in kind between studies"
cq "Drawbacks of social prescribing" --component adequacy --concern moderate \
    --why "Few findings per study"
cq "Drawbacks of social prescribing" --component relevance --concern none \
    --why "Settings match the review question"
cq "Drawbacks of social prescribing" --overall low \
    --why "Moderate concerns about limitations and adequacy"
step "$winnow" cerqual profile
step "$winnow" synth matrix --exclude-appraisal "casp:Q8=No"
step "$winnow" status
step "$winnow" audit verify
step "$winnow" prisma
echo
echo "The first record, as JSON (winnow export --format json):"
"$winnow" export --format json | sed -n '/^{/,/^}/p' | head -40
step "$winnow" synth matrix
echo
echo "demo: done; inspect the review with: WINNOW_DB=$WINNOW_DB ./winnow status"
