. "$WINNOW_ROOT/tests/scenario/lib.sh"
# The PRISMA 2020 flow of the example review, end to end: every box counted
# from the review (sources and routes, clusters, rules applied before
# screening, decisions, retrieval), in text, JSON (the PRISMA2020
# template's names) and CSV (the template itself); the one number people
# supply, with its note; an updated review; and each rule of arithmetic
# between the boxes broken on purpose, reported with the reports that
# break it, and an error under --strict.
review_with_examples r.db
run import --db r.db --source grey-literature --via website "$EXAMPLE/records/grey-literature.bib"
expect_exit 0
run dedupe --db r.db --quiet
expect_exit 0
run rules apply --db r.db "$EXAMPLE/rules.txt"
expect_exit 0
TA="--stage title-abstract"
FT="--stage full-text"
q() { sql r.db "$1"; }
pending_at() { q "SELECT group_concat(report_id, ' ') FROM (SELECT report_id FROM report_stage_outcome WHERE stage = '$1' AND eligible AND outcome = 'pending' ORDER BY report_id)"; }

# title and abstract: both reviewers exclude every third report, include the rest
for r in $(pending_at title-abstract); do
    d=include
    [ $((r % 3)) = 0 ] && d=exclude
    for who in alice bob; do
        run decide --db r.db "$r" $d $TA --reviewer $who
        expect_exit 0
    done
done
# full text: the first not retrieved, the next two excluded, the rest included
set -- $(pending_at full-text)
notret=$1 ex1=$2 ex2=$3
shift 3
run fulltext --db r.db "$notret" --not-retrieved --reason "no reply from the authors"
expect_exit 0
for who in alice bob; do
    run decide --db r.db "$ex1" exclude $FT --reviewer $who --reason "Not a primary study"
    expect_exit 0
    run decide --db r.db "$ex2" exclude $FT --reviewer $who --reason "Conference abstract only"
    expect_exit 0
    for r in "$@"; do
        run decide --db r.db "$r" include $FT --reviewer $who
        expect_exit 0
    done
done

# what each box should be, counted here another way
db_records=$(q "SELECT COUNT(*) FROM record r JOIN import_file f ON f.id = r.import_file_id WHERE f.via = 'database'")
web_records=$(q "SELECT COUNT(*) FROM record r JOIN import_file f ON f.id = r.import_file_id WHERE f.via = 'website'")
arm="(SELECT rr.report_id FROM report_record rr JOIN record r ON r.id = rr.record_id JOIN import_file f ON f.id = r.import_file_id GROUP BY rr.report_id HAVING MAX(f.via = 'database'))"
db_reports=$(q "SELECT COUNT(*) FROM $arm")
auto=$(q "SELECT COUNT(DISTINCT record_id) FROM decision WHERE kind = 'rule' AND record_id IN $arm")
ta_excluded=$(q "SELECT COUNT(*) FROM report_stage_outcome WHERE stage = 'title-abstract' AND outcome = 'exclude' AND NOT by_rule AND report_id IN $arm")
sought=$(q "SELECT COUNT(*) FROM report_stage_outcome WHERE stage = 'full-text' AND eligible AND report_id IN $arm")
included=$(q "SELECT COUNT(*) FROM report_stage_outcome WHERE stage = 'full-text' AND eligible AND outcome = 'include'")
other_sought=$(q "SELECT COUNT(*) FROM report_stage_outcome WHERE stage = 'full-text' AND eligible AND report_id NOT IN $arm")
[ "$auto" -gt 0 ] && [ "$ta_excluded" -gt 0 ] && [ "$other_sought" -gt 0 ] || fail "the example review lacks a box: auto $auto, excluded $ta_excluded, other $other_sought"
case " $* " in *" $notret "*|*" $ex1 "*) fail "a full-text report counted twice" ;; esac

run prisma --db r.db
expect_exit 0
expect_out '^PRISMA 2020 flow: Perceived benefits of social prescribing'
expect_out "^  Records identified from databases: $db_records$"
expect_out '^    MEDLINE \(Ovid MEDLINE\(R\) ALL\): 9$'
expect_out '^    Scopus \(Elsevier Scopus\): 9$'
expect_out "^    Duplicate records: $((db_records - db_reports))$"
expect_out "^    Records marked as ineligible by automation tools: $auto$"
expect_out '^    Records removed for other reasons: 0$'
expect_out "^  Records screened: $((db_reports - auto))$"
expect_out "^  Records excluded: $ta_excluded$"
expect_out "^  Reports sought for retrieval: $sought$"
expect_out '^  Reports not retrieved: 1$'
expect_out "^  Reports assessed for eligibility: $((sought - 1))$"
expect_out '^  Reports excluded: 2$'
expect_out '^    Not a primary study: 1$'
expect_out '^    Conference abstract only: 1$'
expect_out "^  Records identified from websites: $web_records$"
expect_out "^  Reports sought for retrieval: $other_sought$"
expect_out "^  Studies included in review: $included \\(no studies are recorded yet: each included report counts as its own study\\)$"
expect_out "^  Reports of the included studies: $included$"
expect_out '^Checks: warnings only$'
expect_out "^  warning \\[other_sought_reports\\]: [0-9]+ record\\(s\\) from other methods were excluded before full-text"
# the arithmetic, as the reference states it
[ $((db_records - (db_records - db_reports) - auto - 0)) = $((db_reports - auto)) ] || fail "rule 1"
[ $((sought - 1 - 2 + other_sought)) = "$included" ] || fail "rule 5: $sought - 1 - 2 + $other_sought != $included"

# why records were excluded at title and abstract, when asked for
run prisma --db r.db --screening-reasons
expect_exit 0
expect_out "^  Records excluded: $ta_excluded$"
expect_out "^    No reason given: $ta_excluded$"

# JSON: the template's names, per-source and per-reason objects
run prisma --db r.db --format json
expect_exit 0
stdout | python3 -c "
import json, sys
d = json.load(sys.stdin)
for k in ('database_results', 'duplicates', 'excluded_automatic', 'excluded_other', 'records_screened',
          'records_excluded', 'dbr_sought_reports', 'dbr_notretrieved_reports', 'dbr_assessed',
          'dbr_excluded', 'website_results', 'organisation_results', 'citations_results',
          'other_sought_reports', 'other_notretrieved_reports', 'other_assessed', 'other_excluded',
          'new_studies', 'new_reports', 'previous_studies', 'previous_reports', 'total_studies',
          'total_reports'):
    assert k in d, k
assert d['database_results'] == $db_records and sum(d['database_specific_results'].values()) == $db_records, d
assert d['records_screened'] == $((db_reports - auto)) and d['excluded_automatic'] == $auto, d
assert d['dbr_excluded'] == {'Not a primary study': 1, 'Conference abstract only': 1}, d['dbr_excluded']
assert d['new_reports'] == $included and d['studies_from'] == 'reports', d
assert d['previous_studies'] is None and d['total_reports'] == $included, d
assert [c['kind'] for c in d['checks']] == ['warning'], d['checks']
assert sum(d['records_excluded_reasons'].values()) == d['records_excluded'], d['records_excluded_reasons']
" || fail "prisma JSON is wrong"

# CSV: the PRISMA2020 template, row for row, with n filled in
run prisma --db r.db --format csv -o flow.csv
expect_exit 0
python3 - flow.csv <<EOF || fail "the CSV is not the template"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
assert list(rows[0].keys()) == ['data', 'node', 'box', 'description', 'boxtext', 'tooltips', 'url', 'n'], rows[0].keys()
order = ['NA', 'previous_studies', 'previous_reports', 'NA', 'database_results', 'database_specific_results',
         'register_results', 'register_specific_results', 'NA', 'website_results', 'organisation_results',
         'citations_results', 'duplicates', 'excluded_automatic', 'excluded_other', 'records_screened',
         'records_excluded', 'dbr_sought_reports', 'dbr_notretrieved_reports', 'other_sought_reports',
         'other_notretrieved_reports', 'dbr_assessed', 'dbr_excluded', 'other_assessed', 'other_excluded',
         'new_studies', 'new_reports', 'total_studies', 'total_reports', 'identification', 'screening', 'included']
assert [r['data'] for r in rows] == order, [r['data'] for r in rows]
n = {r['data']: r['n'] for r in rows}
assert n['database_results'] == '$db_records' and n['records_screened'] == '$((db_reports - auto))', n
assert n['dbr_notretrieved_reports'] == '1' and n['dbr_assessed'] == '$((sought - 1))', n
assert n['dbr_excluded'] == 'Not a primary study, 1; Conference abstract only, 1', n['dbr_excluded']
assert n['database_specific_results'].count('; ') == 2 and n['database_specific_results'].endswith(', 9'), n
assert rows[4]['node'] == 'node7' and rows[4]['box'] == 'box2', rows[4]
EOF
expect_no_err
# ... and read as the PRISMA2020 package reads it (PRISMA_data): each value
# found by a pattern on the data column (one row each), numbers taken from
# the digits, reason lists split at ';' and ','. An empty list would read
# as NA, so a box without reasons or sources gives its total.
python3 - flow.csv <<EOF || fail "the CSV does not read as the PRISMA2020 package reads it"
import csv, re, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))[1:]
def rows_for(pattern):
    return [r for r in rows if re.search(pattern, r[0])]
def number(pattern):
    found = rows_for(pattern)
    assert len(found) == 1, (pattern, found)
    digits = re.sub('[^0-9.]', '', found[0][7].replace(',', ''))
    assert digits != '', (pattern, found[0][7])
    return float(digits)
for key in ['previous_studies', 'previous_reports', 'register_results', 'database_results',
            'website_results', 'organisation_results', 'citations_results', 'duplicates',
            'excluded_automatic', 'excluded_other', 'records_screened', 'records_excluded',
            'dbr_sought_reports', 'dbr_notretrieved_reports', 'other_sought_reports',
            'other_notretrieved_reports', 'dbr_assessed', 'other_assessed', 'new_studies',
            'new_reports', 'total_studies\$', 'total_reports\$']:
    number(key)
assert number('records_screened') == $((db_reports - auto))
def reasons(pattern):
    (row,) = rows_for(pattern)
    value = row[7]
    if not re.search('[^0-9,]', value):
        assert value != '', (pattern, 'empty: the package would read NA')
        return [('', float(value.replace(',', '')))]
    out = []
    for part in re.split('; ?', value):
        name, _, n = part.rpartition(', ')
        assert name and re.fullmatch('[0-9]+', n), (pattern, part)
        out.append((name, float(n)))
    return out
assert reasons('dbr_excluded') == [('Not a primary study', 1), ('Conference abstract only', 1)], reasons('dbr_excluded')
assert sum(n for _, n in reasons('database_specific_results')) == $db_records
assert reasons('register_specific_results') == [('', 0)], reasons('register_specific_results')
reasons('other_excluded')
for box in ['prevstud', 'newstud', 'othstud']:
    assert len([r for r in rows if re.search(box, r[2])]) == 1, box
EOF

# the one number people supply, with its note; it moves records_screened
before=$(checksum r.db)
run prisma --db r.db set excluded_other 2
expect_exit 2
expect_err 'say why with --note'
run prisma --db r.db set duplicates 3 --note "by hand"
expect_exit 2
expect_err "'duplicates' is not a box people set"
run prisma --db r.db set excluded_other -1 --note "x"
expect_exit 2
expect_same "refusals change nothing" "$(checksum r.db)" "$before"
run prisma --db r.db set excluded_other 2 --note "two records outside the search dates"
expect_exit 0
run prisma --db r.db
expect_out '^    Records removed for other reasons: 2 \(two records outside the search dates\)$'
expect_out "^  Records screened: $((db_reports - auto - 2))$"
expect_same "audited" "$(q "SELECT action FROM audit_log WHERE action <> 'seal' ORDER BY id DESC LIMIT 1")" "prisma.set"

# an updated review
run prisma --db r.db --previous-studies 5 --previous-reports 7
expect_exit 0
expect_out '^  Studies included in previous version of review: 5$'
expect_out "^  Total studies included in review: $((included + 5))$"
expect_out "^  Reports of total included studies: $((included + 7))$"
run prisma --db r.db --previous-studies 5
expect_exit 2
expect_err 'both --previous-studies and --previous-reports'
# ... or its review file: what it included is the previous version, and a
# report included in both versions is pointed out
both=$1
review_with_examples prev.db
run dedupe --db prev.db --quiet
expect_exit 0
for stage in title-abstract full-text; do
    for who in alice bob; do
        run decide --db prev.db "$both" include --stage $stage --reviewer $who
        expect_exit 0
    done
done
run prisma --db r.db --previous prev.db
expect_exit 0
expect_out '^  Studies included in previous version of review: 1$'
expect_out '^  Reports of studies included in previous version of review: 1$'
expect_out "^  Total studies included in review: $((included + 1))$"
expect_out "warning \\[previous_reports, new_reports, total_reports\\]: [0-9]+ identifier\\(s\\) of reports included now were included in the previous version too"
run prisma --db r.db --previous prev.db --previous-studies 1 --previous-reports 1
expect_exit 2
run prisma --db r.db --previous missing.db
expect_exit 1
expect_err 'missing.db'


# ---- each rule broken on purpose ----------------------------------------
# more removed for other reasons than there is left to screen
run prisma --db r.db set excluded_other 999 --note "too many"
expect_exit 0
run prisma --db r.db --strict
expect_exit 1
expect_out 'CONTRADICTION \[records_screened, excluded_other\]: records removed for other reasons \(999\)'
expect_err 'the boxes contradict each other'
run prisma --db r.db set excluded_other 0 --note "none after all"
expect_exit 0
# a report not retrieved, yet excluded at full text
run fulltext --db r.db "$ex1" --not-retrieved --reason "lost"
expect_exit 0
run prisma --db r.db --strict --format json
expect_exit 1
expect_err "^winnow: prisma: \\[dbr_notretrieved_reports, dbr_assessed\\] marked as not retrieved, yet decided at full-text$"
stdout | python3 -c "
import json, sys
c = [c for c in json.load(sys.stdin)['checks'] if c['kind'] == 'contradiction']
assert c and c[0]['reports'] == [$ex1], c
" || fail "the contradiction does not name report $ex1"
run fulltext --db r.db "$ex1" --retrieved
expect_exit 0
# a full-text decision on a report since excluded at title and abstract
run decide --db r.db "$ex2" exclude $TA --reviewer alice --reason "Not qualitative"
expect_exit 0
run prisma --db r.db
expect_exit 0
expect_out "CONTRADICTION \\[dbr_sought_reports or other_sought_reports, assessed, excluded\\]: decided at full-text, but not included at every stage before it .*; report $ex2$"
expect_out "warning \\[records_screened, records_excluded, dbr_sought_reports\\]: 1 report\\(s\\) from databases and registers are still undecided"
run decide --db r.db "$ex2" include $TA --reviewer alice
expect_exit 0
# a report assessed and not yet decided: a warning, the flow is not final
last=$(echo "$@" | awk '{ print $NF }')
run decide --db r.db "$last" exclude $FT --reviewer bob --reason "Not a primary study"
expect_exit 0
run prisma --db r.db --strict
expect_exit 0
expect_out "warning \\[[a-z]+_assessed, [a-z]+_excluded, new_reports\\]: [0-9]+ report\\(s\\) assessed, [0-9]+ excluded and [0-9]+ included: 1 still undecided at full-text; report $last$"

# studies from the synthesis store: a report counts once, as its study;
# two records of one included report linked to two studies contradict
# "a report belongs to one study"
pair=$(q "SELECT group_concat(record_id) FROM (SELECT rr.record_id FROM report_record rr JOIN report_stage_outcome o ON o.report_id = rr.report_id WHERE o.stage = 'full-text' AND o.eligible AND o.outcome = 'include' AND rr.report_id IN (SELECT report_id FROM report_record GROUP BY report_id HAVING COUNT(*) > 1) ORDER BY rr.report_id, rr.record_id LIMIT 2)")
a=${pair%,*} b=${pair#*,}
[ -n "$a" ] && [ "$a" != "$b" ] || fail "no included report with two records: '$pair'"
report_ab=$(q "SELECT report_id FROM report_record WHERE record_id = $a")
inc_now=$(q "SELECT COUNT(*) FROM report_stage_outcome WHERE stage = 'full-text' AND eligible AND outcome = 'include'")
q "INSERT INTO study(id, label, created_at) VALUES (1, 'Study A', 'now'), (2, 'Study B', 'now');
   INSERT INTO study_report(record_id, study_id, linked_at, actor) VALUES ($a, 1, 'now', 'test')" >/dev/null
run prisma --db r.db --strict
expect_exit 0
expect_out "^  Studies included in review: $inc_now\$"
q "INSERT INTO study_report(record_id, study_id, linked_at, actor) VALUES ($b, 2, 'now', 'test')" >/dev/null
run prisma --db r.db --strict
expect_exit 1
expect_out "^  Studies included in review: $inc_now\$"
expect_out "CONTRADICTION \\[new_studies\\]: included report\\(s\\) whose records are linked to different studies; report $report_ab\$"

# no stages, no flow
run init --db empty.db
run prisma --db empty.db
expect_exit 1
expect_err 'no screening stages'
run prisma --db r.db --format svgz
expect_exit 2
