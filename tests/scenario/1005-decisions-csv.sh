# Decisions in and out as CSV: an import is checked row by row as `decide`
# checks it, all or none (a bad row is named by its line and nothing is
# stored); the export holds every decision with its history, and its
# rows import into another review as the same decisions.
. "$WINNOW_ROOT/tests/scenario/lib.sh"

review_with_examples r.db
cat >good.csv <<'CSV'
reviewer,record,stage,decision,reason,note
alice,1,title-abstract,include,,
bob,1,title-abstract,exclude,Not qualitative,"a note, with a comma"
alice,2,title-abstract,maybe,,
alice,2,title-abstract,include,,changed her mind
CSV
run decisions import --db r.db good.csv
expect_exit 0
expect_out '^Imported 4 decision\(s\) from good.csv$'
expect_same "the note" "$(sql r.db "SELECT note FROM decision WHERE id = 2")" "a note, with a comma"
expect_same "a change of mind" "$(sql r.db "SELECT supersedes FROM decision WHERE id = 4")" 3

# one bad row: named by its line, nothing stored
before=$(checksum r.db)
printf 'record,stage,reviewer,decision\n3,title-abstract,alice,include\n4,title-abstract,alice,perhaps\n' >bad.csv
run decisions import --db r.db bad.csv
expect_exit 1
expect_err "^winnow: bad.csv:3: the decision is include, exclude or maybe, not 'perhaps'$"
printf 'record,stage,reviewer,decision\n9999,title-abstract,alice,include\n' >missing.csv
run decisions import --db r.db missing.csv
expect_exit 1
expect_err '^winnow: missing.csv:2: no record 9999 in the review$'
printf 'record,stage,who,decision\n1,title-abstract,alice,include\n' >header.csv
run decisions import --db r.db header.csv
expect_exit 1
expect_err "^winnow: header.csv:1: unknown column 'who'"
printf 'record,stage,decision\n1,title-abstract,include\n' >noreviewer.csv
run decisions import --db r.db noreviewer.csv
expect_exit 1
expect_err "^winnow: noreviewer.csv:1: no column 'reviewer'$"
# lines named as they are in the file: blank lines and quoted line breaks count
printf 'record,stage,reviewer,decision,note\n3,title-abstract,alice,include,"two\nlines"\n\n\n4,title-abstract,alice,perhaps,\n' >lines.csv
run decisions import --db r.db lines.csv
expect_exit 1
expect_err "^winnow: lines.csv:6: the decision is include, exclude or maybe, not 'perhaps'$"
printf 'record,stage,reviewer,decision\n3,title-abstract,alice,include,extra\n' >extra.csv
run decisions import --db r.db extra.csv
expect_exit 1
expect_err '^winnow: extra.csv:2: more fields than the header names$'
printf 'record,stage,reviewer,decision\n"3,title-abstract,alice,include\n' >quote.csv
run decisions import --db r.db quote.csv
expect_exit 1
expect_err '^winnow: quote.csv:2: '
expect_same "review after refusals" "$(checksum r.db)" "$before"
# Excel's "CSV UTF-8" starts with a byte order mark
printf '\357\273\277record,stage,reviewer,decision\r\n3,title-abstract,alice,include\r\n' >excel.csv
run decisions import --db r.db excel.csv
expect_exit 0
expect_out '^Imported 1 decision'

run decisions export --db r.db -o out.csv
expect_exit 0
expect_same "the export" "$(cut -d, -f1-7 out.csv)" "id,record,report,stage,reviewer,kind,decision
1,1,1,title-abstract,alice,human,include
2,1,1,title-abstract,bob,human,exclude
3,2,2,title-abstract,alice,human,maybe
4,2,2,title-abstract,alice,human,include
5,3,3,title-abstract,alice,human,include"
expect_same "quoted" "$(sed -n 3p out.csv | cut -d, -f8-)" 'Not qualitative,"a note, with a comma",'"$(sql r.db "SELECT made_at FROM decision WHERE id = 2")"','
# the export's rows go into another review as the same decisions
review_with_examples other.db
python3 - out.csv >again.csv <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
w = csv.writer(sys.stdout)
w.writerow(["record", "stage", "reviewer", "decision", "reason", "note"])
for r in rows:
    w.writerow([r["record"], r["stage"], r["reviewer"], r["decision"], r["reason"], r["note"]])
PY
run decisions import --db other.db again.csv
expect_exit 0
expect_same "same decisions" \
    "$(sql other.db "SELECT group_concat(record_id || reviewer || decision || coalesce(supersedes, ''), ' ') FROM decision")" \
    "$(sql r.db "SELECT group_concat(record_id || reviewer || decision || coalesce(supersedes, ''), ' ') FROM decision")"

# an export imports as it is: people's decisions and resolutions copied,
# rule exclusions passed over (applying the rules makes them), the rest of
# its columns ignored
review_with_examples full.db
run rules apply --db full.db "$EXAMPLE/rules.txt"
expect_exit 0
run decide --db full.db 1 include --stage title-abstract --reviewer alice
expect_exit 0
run decide --db full.db 1 exclude --stage title-abstract --reviewer bob --reason "Not qualitative"
expect_exit 0
run resolve --db full.db 1 include --stage title-abstract --reviewer carol --reason "consensus"
expect_exit 0
# a person overrules a rule
overruled=$(sql full.db "SELECT MIN(record_id) FROM decision WHERE kind = 'rule'")
run resolve --db full.db "$overruled" include --stage title-abstract --reviewer carol --reason "the rule misfired"
expect_exit 0
run decisions export --db full.db -o full.csv
expect_exit 0
ruled=$(sql full.db "SELECT COUNT(*) FROM decision WHERE kind = 'rule'")
[ "$ruled" -gt 0 ] || fail "the example rules exclude nothing"
review_with_examples copy.db
# without the same rules applied, the file would not mean the same here
before=$(checksum copy.db)
run decisions import --db copy.db full.csv
expect_exit 1
expect_err "^winnow: full.csv:[0-9]+: a rule excluded record [0-9]+ at title-abstract there, and none has here: apply the same rules first"
expect_same "nothing stored" "$(checksum copy.db)" "$before"
run rules apply --db copy.db "$EXAMPLE/rules.txt"
expect_exit 0
run decisions import --db copy.db full.csv
expect_exit 0
expect_out '^Imported 4 decision\(s\) from full.csv$'
expect_out "^Passed over $ruled exclusion\\(s\\) by rules: 'winnow rules apply' makes them in this review$"
expect_same "people's and resolutions, copied" \
    "$(sql copy.db "SELECT group_concat(record_id || reviewer || kind || decision || coalesce(reason, ''), ' ') FROM decision WHERE kind <> 'rule'")" \
    "$(sql full.db "SELECT group_concat(record_id || reviewer || kind || decision || coalesce(reason, ''), ' ') FROM decision WHERE kind <> 'rule'")"
expect_same "resolved there too" "$(sql copy.db "SELECT group_concat(outcome) FROM report_stage_outcome WHERE report_id IN (1, $overruled) AND stage = 'title-abstract'")" "include,include"
printf 'record,stage,reviewer,decision,kind\n3,title-abstract,alice,include,robot\n' >kind.csv
before=$(checksum copy.db)
run decisions import --db copy.db kind.csv
expect_exit 1
expect_err "^winnow: kind.csv:2: the kind is human, resolution or rule, not 'robot'$"
expect_same "nothing stored" "$(checksum copy.db)" "$before"
