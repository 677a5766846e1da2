. "$WINNOW_ROOT/tests/scenario/lib.sh"
# GRADE-CERQual: a review finding (a theme's summary statement) judged one
# component at a time, each with its explanation; the contributing studies
# come from the coding; a later judgement replaces an earlier one, which
# stays on record; what is missing or does not fit is pointed out; the
# evidence profile and the summary of qualitative findings table come out
# in every format; wrong components and levels are refused.
review_screened r.db
q() { sql r.db "$1"; }
run study add --db r.db --each-included
run theme add --db r.db "Feeling valued" --description "Being listened to mattered"
run theme add --db r.db "Drawbacks"
run finding add --db r.db --study "Hartley 2020" --theme "Feeling valued" --kind quote --text "She listened"
run finding add --db r.db --study "Ashby 1998" --theme "Feeling valued" --kind quote --text "Somebody again"
run finding add --db r.db --study "Thornbury 2019" --theme "Drawbacks" --kind quote --text "Bus fare"
expect_exit 0

run cerqual assess --db r.db "Feeling valued" --statement "Participants valued being listened to by link workers"
expect_exit 0
for c in "methodological-limitations minor Two studies had unclear recruitment" \
         "coherence none Consistent across settings" \
         "adequacy moderate Only two studies, thin data" \
         "relevance minor Both in England"; do
    set -- $c
    comp=$1 level=$2
    shift 2
    run cerqual assess --db r.db "Feeling valued" --component "$comp" --concern "$level" --why "$*"
    expect_exit 0
done
run cerqual assess --db r.db "Feeling valued" --overall high --why "First thought"
run cerqual assess --db r.db "Feeling valued" --overall moderate --why "Moderate concerns about adequacy"
expect_exit 0
expect_same "both kept" "$(q "SELECT group_concat(level, ' ') FROM cerqual_judgement WHERE component = 'overall'")" "high moderate"

run cerqual profile --db r.db
expect_exit 0
expect_out '^Feeling valued$'
expect_out '^  Summary: Participants valued being listened to by link workers$'
expect_out '^  Studies \(2\): Ashby 1998; Hartley 2020$'
expect_out '^  Methodological limitations  Minor concerns: Two studies had unclear recruitment$'
expect_out '^  Coherence +No or very minor concerns: Consistent across settings$'
expect_out '^  Adequacy +Moderate concerns: Only two studies, thin data$'
expect_out '^  Overall +Moderate confidence: Moderate concerns about adequacy$'
expect_not_out 'Check:'
expect_not_out '^Drawbacks'

# a finding half assessed, and one that does not fit
run cerqual assess --db r.db Drawbacks --component coherence --concern serious --why "Contradictory accounts"
run cerqual assess --db r.db Drawbacks --overall high --why "Strong"
run cerqual profile --db r.db --format json
expect_exit 0
expect_same "profile" "$(stdout | jq -c '[.[] | [.theme, .overall, .study_count, .components.adequacy.concern]]')" \
    '[["Feeling valued","moderate",2,"moderate"],["Drawbacks","high",1,null]]'
expect_same "problems" "$(stdout | jq -r '.[1].problems')" \
    "no summary statement; methodological-limitations not assessed; adequacy not assessed; relevance not assessed; high confidence despite a serious concern"
run cerqual profile --db r.db --format markdown
expect_exit 0
expect_out '^### GRADE-CERQual evidence profile$'
expect_out '^\| Feeling valued: Participants valued being listened to by link workers \| 2 \(Ashby 1998; Hartley 2020\) \| Minor concerns: Two studies had unclear recruitment \|'
expect_out '^### Summary of qualitative findings$'
expect_out '^\| Participants valued being listened to by link workers \| Moderate confidence \| Moderate concerns about adequacy \| Ashby 1998; Hartley 2020 \|$'
expect_err "warning: Drawbacks: no summary statement"
run cerqual profile --db r.db --format csv
expect_out '^Summary of review finding,Studies contributing,Methodological limitations,Coherence,Adequacy,Relevance,Overall CERQual assessment,Explanation of the assessment$'
run cerqual profile --db r.db --format html
expect_out '^<table>$'

before=$(checksum r.db)
run cerqual assess --db r.db Drawbacks --component rigour --concern minor --why x
expect_exit 1
expect_err "^winnow: unknown component 'rigour'"
run cerqual assess --db r.db Drawbacks --component coherence --concern huge --why x
expect_exit 1
expect_err "^winnow: a concern is none, minor, moderate or serious, not 'huge'$"
run cerqual assess --db r.db Drawbacks --overall certain --why x
expect_exit 1
expect_err "^winnow: the overall confidence is high, moderate, low or very-low, not 'certain'$"
run cerqual assess --db r.db Nope --overall low --why x
expect_exit 1
expect_err "^winnow: no theme 'Nope'"
run cerqual assess --db r.db Drawbacks --statement "New words" --component coherense --concern minor --why x
expect_exit 1
expect_err "unknown component 'coherense'"
run cerqual assess --db r.db Drawbacks --overall low
expect_exit 2
run cerqual assess --db r.db Drawbacks --component coherence --why x
expect_exit 2
expect_same "refusals change nothing" "$(checksum r.db)" "$before"
# a very-low written either way; judgements are append-only
run cerqual assess --db r.db Drawbacks --overall very-low --why "Serious coherence concerns"
expect_exit 0
expect_same "level" "$(q "SELECT level FROM cerqual_judgement ORDER BY id DESC LIMIT 1")" "very low"
case $(sqlite3 r.db "UPDATE cerqual_judgement SET level = 'high' WHERE id = 1" 2>&1) in
*append-only*) ;;
*) fail "a judgement could be changed in place" ;;
esac
# a theme with its own assessment is not merged away
run theme merge --db r.db Drawbacks "Feeling valued"
expect_exit 1
expect_err "has a GRADE-CERQual assessment of its own"
