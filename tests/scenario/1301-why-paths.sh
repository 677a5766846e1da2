. "$WINNOW_ROOT/tests/scenario/lib.sh"
# winnow why for records that took every path through the review: excluded
# by a rule, excluded by reviewers at title and abstract, a conflict
# resolved to include, a merged duplicate, a report not retrieved, and one
# included and coded; by record id, pmid: and doi:, in text and JSON.
review_screened r.db
q() { sql r.db "$1"; }
status_of() { run why --db r.db "$1" --format json; expect_exit 0; stdout | jq -r .status; }

# excluded by a rule
ruled=$(q "SELECT MIN(d.record_id) FROM decision d WHERE d.kind = 'rule'")
label=$(q "SELECT r.label || '|' || r.line FROM decision d JOIN rule r ON r.id = d.rule_id WHERE d.record_id = $ruled LIMIT 1")
expect_same "rule" "$(status_of "$ruled")" "excluded at title-abstract by rule (line ${label#*|}: ${label%|*})"
run why --db r.db "$ruled"
expect_out "^    [0-9T:Z-]+  rule:${label#*|}: exclude by rule line ${label#*|} \"${label%|*}\"$"
expect_out "^Status: excluded at title-abstract by rule"

# excluded by the reviewers at title and abstract, with their reasons
ta=$(q "SELECT MIN(report_id) FROM report_stage_outcome WHERE stage = 'title-abstract' AND outcome = 'exclude' AND NOT by_rule")
run why --db r.db "$ta"
expect_out '^  title-abstract: exclude$'
expect_out '^    [0-9T:Z-]+  alice: exclude'
expect_out '^    [0-9T:Z-]+  bob: exclude'
expect_out '^Status: excluded at title-abstract'

# a conflict settled by a resolution, the reviewers' decisions kept
resolved=$(q "SELECT MIN(rr.report_id) FROM decision d JOIN report_record rr ON rr.record_id = d.record_id WHERE d.kind = 'resolution' AND d.decision = 'include'")
run why --db r.db "$resolved" --format json
expect_same "resolution kept with the decisions it settled" \
    "$(stdout | jq -r '[.decisions[] | select(.stage == (.stage)) | .kind] | unique | join(",")')" "human,resolution"
run why --db r.db "$resolved"
expect_out ' \(resolving the conflict\): include'

# a merged duplicate: its report's story, and which record stands for it
dup=$(q "SELECT MIN(record_id) FROM report_record WHERE record_id <> report_id")
primary=$(q "SELECT report_id FROM report_record WHERE record_id = $dup")
run why --db r.db "$dup"
expect_out "^  record $primary stands for the report; this one is a duplicate of it$"
expect_out "^Screening \(report $primary\)$"

# a report not retrieved, by its DOI; then retrieved: both entries kept
run fulltext --db r.db doi:10.5555/nshire.thesis.2020.0417 --not-retrieved --reason "under embargo"
expect_exit 0
run why --db r.db doi:10.5555/nshire.thesis.2020.0417
expect_exit 0
expect_out '^Full text$'
expect_out ': not retrieved \(under embargo\)$'
echo "thesis text" >thesis.pdf
run fulltext --db r.db doi:10.5555/nshire.thesis.2020.0417 --retrieved thesis.pdf
run why --db r.db doi:10.5555/nshire.thesis.2020.0417
expect_out ': not retrieved \(under embargo\)  <- superseded$'
expect_out ': retrieved \(thesis.pdf, sha256 [0-9a-f]{12}\)$'

# included, in a study, and coded; found by its PMID
run study add --db r.db "Hartley 2020" --report 2 --report 19
run theme add --db r.db "Feeling valued"
run finding add --db r.db --study "Hartley 2020" --report 19 --theme "Feeling valued" --kind quote --text "She listened" --where "p. 7"
expect_exit 0
pmid=$(q "SELECT pmid FROM record r JOIN report_record rr ON rr.record_id = r.id WHERE rr.report_id = 19 AND pmid IS NOT NULL LIMIT 1")
run why --db r.db "pmid:$pmid"
expect_exit 0
expect_out "^  in study 1 'Hartley 2020' as its secondary report$"
expect_out '^  finding 1 \(quote, p. 7\): "She listened" -> Feeling valued$'
expect_out "^Status: included, in study 'Hartley 2020'$"

# a decision changed by its reviewer: the first marked superseded
run decide --db r.db 19 include --stage full-text --reviewer alice --note "on reflection"
run why --db r.db 19
expect_out '<- superseded by decision [0-9]+$'
expect_out '\[note: on reflection\]$'

run why --db r.db pmid:0
expect_exit 1
run why --db r.db
expect_exit 2
