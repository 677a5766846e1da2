# A review written by a winnow of schema 1 (before search parts and
# incremental dedupe) is brought to the current schema by the first command
# that writes, with an audit entry per migration, and keeps everything it held.
. "$WINNOW_ROOT/tests/scenario/lib.sh"
run init --db r.db
run import --db r.db "$EXAMPLE/records/scopus.ris"
expect_exit 0
before=$(sql r.db 'SELECT count(*) FROM record')
# what schema 1 was: no search_part, record_enrichment or record_run_source
sql r.db 'DROP INDEX record_run_source; DROP TABLE search_part; DROP TABLE record_enrichment;
  DROP TABLE dedupe_seen; DROP INDEX dedupe_pair_b; DROP INDEX record_relation_related;
  ALTER TABLE dedupe_run DROP COLUMN finished_at; ALTER TABLE dedupe_run DROP COLUMN records_compared;
  ALTER TABLE dedupe_run DROP COLUMN records_new; ALTER TABLE dedupe_run DROP COLUMN candidates;
  ALTER TABLE dedupe_run DROP COLUMN related;
  DROP VIEW report_stage_outcome; ALTER TABLE stage DROP COLUMN dual_fraction;
  ALTER TABLE stage DROP COLUMN sample_seed; ALTER TABLE stage DROP COLUMN sample_key;
  ALTER TABLE stage DROP COLUMN sample_below;
  CREATE VIEW report_stage_outcome AS SELECT name AS stage FROM stage;
  DROP INDEX appraisal_study; ALTER TABLE appraisal DROP COLUMN category;
  DROP TABLE cerqual_judgement; DROP INDEX finding_theme_theme; DROP INDEX theme_parent;
  CREATE TABLE cerqual (id INTEGER PRIMARY KEY, theme_id INTEGER NOT NULL);
  DROP TABLE screen_sample_report; DROP TABLE screen_sample;
  DROP TABLE finding;
  CREATE TABLE finding (id INTEGER PRIMARY KEY, record_id INTEGER NOT NULL REFERENCES record(id),
    kind TEXT NOT NULL, text TEXT NOT NULL, location TEXT, participant TEXT, actor TEXT NOT NULL,
    created_at TEXT NOT NULL);
  INSERT INTO study (id, label, created_at) VALUES (7, '\''Hartley 2020'\'', '\''2021-01-01T00:00:00Z'\'');
  INSERT INTO study_report (record_id, study_id, linked_at, actor) VALUES (2, 7, '\''2021-01-01T00:00:00Z'\'', '\''ann'\'');
  INSERT INTO finding VALUES (1, 2, '\''quote'\'', '\''It got me out of the house'\'', '\''p. 4'\'', NULL, '\''ann'\'', '\''2021-01-01T00:00:00Z'\'');
  PRAGMA user_version = 1'
run import --db r.db "$EXAMPLE/records/pubmed.nbib"
expect_exit 0
expect_same "version" "$(sql r.db 'PRAGMA user_version')" 6
expect_same "tables" "$(sql r.db "SELECT count(*) FROM sqlite_schema WHERE name IN ('search_part', 'record_run_source', 'record_enrichment')")" 3
expect_same "tables of schema 6" "$(sql r.db "SELECT count(*) FROM sqlite_schema WHERE name IN ('screen_sample', 'screen_sample_report')")" 2
expect_same "tables of schema 3" "$(sql r.db "SELECT count(*) FROM sqlite_schema WHERE name IN ('dedupe_seen', 'dedupe_pair_b')")" 2
expect_same "migrations audited" "$(sql r.db "SELECT group_concat(details, ' ') FROM audit_log WHERE action = 'migrate'")" '{"from":1,"to":2} {"from":2,"to":3} {"from":3,"to":4} {"from":4,"to":5} {"from":5,"to":6}'
expect_same "stage columns of schema 4" "$(sql r.db "SELECT group_concat(name, ' ') FROM pragma_table_info('stage') WHERE name IN ('dual_fraction', 'sample_seed', 'sample_key', 'sample_below')")" "dual_fraction sample_seed sample_key sample_below"
expect_same "the outcome view of schema 4" "$(sql r.db "SELECT COUNT(*) FROM pragma_table_info('report_stage_outcome') WHERE name IN ('outcome', 'eligible', 'required')")" 3
added=$(sed -n 's/.*read [0-9]*, stored \([0-9]*\),.*/\1/p' "$CASE_TMP/.out")
expect_same "records kept" "$(sql r.db 'SELECT count(*) FROM record')" "$((before + added))"
# schema 5: a finding belongs to a study; the one there took its report's
expect_same "finding kept, with its study" "$(sql r.db "SELECT study_id || ' ' || record_id || ' ' || text FROM finding")" "7 2 It got me out of the house"
expect_same "tables of schema 5" "$(sql r.db "SELECT count(*) FROM sqlite_schema WHERE name IN ('cerqual_judgement', 'appraisal_study', 'finding_study') OR name = 'cerqual'")" 3
expect_same "appraisal category" "$(sql r.db "SELECT COUNT(*) FROM pragma_table_info('appraisal') WHERE name = 'category'")" 1
