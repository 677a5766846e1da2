. "$WINNOW_ROOT/tests/scenario/lib.sh"
# audit verify: a review built by winnow verifies and prints its head
# hash; tampering of each kind with the sqlite3 shell (a row of data
# changed, deleted or inserted; an entry changed, deleted, reordered; the
# trail cut short) is found and named by entry, table and row, exit 1; a
# published head hash is checked.
review_screened r.db
q() { sql r.db "$1"; }
run study add --db r.db --each-included
run appraise --db r.db "Ashby 1998" --reviewer alice --answers "y,y,y,y,y,y,y,n,y" --answer "10=Some"
run theme add --db r.db "Feeling valued"
run finding add --db r.db --study "Ashby 1998" --theme "Feeling valued" --kind quote --text "Somebody again"
run cerqual assess --db r.db "Feeling valued" --overall low --why "One study"
expect_exit 0

run audit verify --db r.db
expect_exit 0
expect_out '^The audit trail verifies: [0-9]+ entries, [0-9]+ rows checked against their seals$'
head=$(sed -n 's/^Head: //p' "$CASE_TMP/.out")
expect_same "head is the last entry's hash" "$head" "$(q "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")"
run audit verify --db r.db --head "$head"
expect_exit 0
run audit verify --db r.db --format json
expect_same "json" "$(stdout | jq -c '[.ok, (.problems | length), .head == "'"$head"'"]')" '[true,0,true]'
expect_same "records all sealed" "$(stdout | jq '.rows_checked >= 31')" true
run audit verify --db r.db --head 0000000000000000000000000000000000000000000000000000000000000001
expect_exit 1
expect_err "the published head 0+1 is not in this review's trail"

# every change the review holds is covered: no row outside a seal
decision=$(q "SELECT MAX(id) FROM decision WHERE kind = 'human'")
sealed_in=$(q "SELECT MIN(id) FROM audit_log WHERE action = 'seal' AND json_extract(details, '\$.covers.decision.upto') >= $decision")

tamper() { # NAME SQL: a copy of the review, changed behind winnow's back
    cp r.db "$1.db"
    sqlite3 "$1.db" "$2" || fail "cannot tamper with $1.db"
}

tamper changed "DROP TRIGGER decision_no_update; UPDATE decision SET reviewer = 'mallory' WHERE id = $decision"
run audit verify --db changed.db
expect_exit 1
expect_err "^winnow: entry $sealed_in: row $decision of decision was changed$"
expect_err '^winnow: the audit trail does not verify: 1 problem$'

tamper deleted "DROP TRIGGER decision_no_delete; DELETE FROM decision WHERE id = $decision"
run audit verify --db deleted.db
expect_exit 1
expect_err "^winnow: entry $sealed_in: row $decision of decision was deleted$"

tamper inserted "INSERT INTO decision (record_id, stage, reviewer, kind, decision, made_at) VALUES (3, 'title-abstract', 'mallory', 'human', 'include', '2021-01-01T00:00:00Z')"
inserted=$(sql inserted.db "SELECT MAX(id) FROM decision")
run audit verify --db inserted.db
expect_exit 1
expect_err "^winnow: row $inserted of decision is covered by no entry: added behind winnow's back, or the trail was cut short$"

record=$(q "SELECT MAX(id) FROM record")
tamper raw "UPDATE record SET raw = CAST('TY  - JOUR' AS BLOB) WHERE id = $record"
run audit verify --db raw.db
expect_exit 1
expect_err "row $record of record was changed"

tamper entry "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'mallory' WHERE id = 5"
run audit verify --db entry.db
expect_exit 1
expect_err '^winnow: entry 5: it was changed after it was written'

tamper gone "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 7"
run audit verify --db gone.db
expect_exit 1
expect_err '^winnow: entry 8: entries 7 to 7 are missing from the trail$'
expect_err '^winnow: entry 8: it does not follow the entry before it'

tamper reordered "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET id = -1 WHERE id = 9;
    UPDATE audit_log SET id = 9 WHERE id = 10; UPDATE audit_log SET id = 10 WHERE id = -1"
run audit verify --db reordered.db
expect_exit 1
expect_err '^winnow: entry 9: it was changed after it was written'
expect_err '^winnow: entry 10: it was changed after it was written'

# the synthesis tables, changed in place by commands, must stand as the
# last seal left them
finding=$(q "SELECT MAX(id) FROM finding")
tamper quote "UPDATE finding SET text = 'Never helped' WHERE id = $finding"
run audit verify --db quote.db
expect_exit 1
expect_err "row $finding of finding was changed$"
tamper unlinked "DELETE FROM study_report WHERE record_id = 5"
run audit verify --db unlinked.db
expect_exit 1
expect_err "row 5 of study_report was deleted$"
tamper renamed "UPDATE theme SET name = 'Felt nothing'"
run audit verify --db renamed.db
expect_exit 1
expect_err "row 1 of theme was changed$"
# ... and stays found after winnow goes on writing elsewhere: a later seal
# vouches only for the tables its own change touched
tamper relabelled "UPDATE study SET label = 'Mallory 2020' WHERE label = 'Ashby 1998'"
run theme add --db relabelled.db "Felt heard"
expect_exit 0
run audit verify --db relabelled.db
expect_exit 1
expect_err "of study was changed$"

# and so must deduplication's clusters, and the stages
member=$(q "SELECT MAX(record_id) FROM cluster_member")
tamper unmerged "DELETE FROM cluster_member WHERE record_id = $member"
run audit verify --db unmerged.db
expect_exit 1
expect_err "row $member of cluster_member was deleted$"
tamper onereviewer "UPDATE stage SET reviewers_required = 1 WHERE name = 'full-text'"
run audit verify --db onereviewer.db
expect_exit 1
expect_err "of stage was changed$"

last=$(q "SELECT MAX(id) FROM audit_log")
first_cut=$(q "SELECT MIN(id) FROM audit_log WHERE action = 'decide'")
tamper cut "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id >= $first_cut"
run audit verify --db cut.db
expect_exit 1
expect_err "of decision is covered by no entry: added behind winnow's back, or the trail was cut short"
run audit verify --db cut.db --head "$head"
expect_exit 1
expect_err "the published head $head is not in this review's trail"

# the log: filters by actor, time and record
run audit log --db r.db --actor alice --format json
expect_exit 0
expect_same "alice's" "$(stdout | jq -r '[.[].actor] | unique | join(",")')" alice
run audit log --db r.db --record 5 --format json
expect_exit 0
expect_same "about report 5: its decisions and its study link" "$(stdout | jq length)" \
    "$(q "SELECT COUNT(*) + 1 FROM decision WHERE record_id = 5 AND kind <> 'rule'")"
expect_same "of those kinds" "$(stdout | jq -r '[.[].action] | unique | join(",")')" "decide,study-link"
run audit log --db r.db --since 2000-01-01 --seals --format json
expect_same "everything since 2000" "$(stdout | jq length)" "$(q "SELECT COUNT(*) FROM audit_log")"
run audit log --db r.db --since 2999-01-01 --format json
expect_same "nothing after 2999" "$(stdout | jq length)" 0
run audit log --db r.db --since yesterday
expect_exit 1
expect_err "since takes a date"

# the bundle for peer review: every file with its command and SHA-256,
# and the head hash
run audit export --db r.db bundle
expect_exit 0
expect_out '^Exported to bundle; head [0-9a-f]{64}$'
for f in prisma.svg prisma.json prisma.csv search-report.md decisions.csv appraisal-summary.csv \
    cerqual-profile.md agreement-title-abstract.json agreement-full-text.json audit-log.json manifest.json; do
    [ -s "bundle/$f" ] || fail "the bundle lacks $f"
done
expect_same "manifest head" "$(jq -r .head bundle/manifest.json)" "$(q "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")"
jq -r '.files[] | .sha256 + "  bundle/" + .file' bundle/manifest.json >sums
sha256sum -c --quiet sums || fail "a file's SHA-256 is not what the manifest says"
expect_same "decisions all there" "$(($(wc -l <bundle/decisions.csv) - 1))" "$(q "SELECT COUNT(*) FROM decision")"
expect_same "the appraisal" "$(sed -n 2p bundle/appraisal-summary.csv | cut -d, -f1)" "Ashby 1998"
run audit export --db r.db bundle
expect_exit 1
expect_err "bundle is not empty"
run audit export --db changed.db bundle2
expect_exit 1
expect_err "the audit trail does not verify"
[ -e bundle2/manifest.json ] && fail "a bundle was made from a tampered review"
true
