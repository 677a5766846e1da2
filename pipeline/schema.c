/*
 * The review schema, as forward migrations.
 *
 * wn_migrations[i] takes a review from user_version i to i + 1. A migration
 * is never edited once released: later changes are new entries. docs/schema.md
 * explains the tables; the comments here say why they are shaped as they are.
 *
 * Principles the schema keeps:
 *   - records keep the raw bytes they came from and exactly where (which
 *     search run or imported file, position, line), so nothing is lost;
 *   - decisions of every kind are append-only: a correction is a new row that
 *     names the row it supersedes; triggers refuse UPDATE and DELETE;
 *   - every count a report shows (PRISMA, status, agreement) is a query over
 *     these tables; the only typed-in numbers are in prisma_setting, with a note;
 *   - every change is described in audit_log, hash-chained, in the same
 *     transaction as the change itself;
 *   - plain SQL (TEXT, INTEGER, REAL, BLOB; JSON kept in TEXT) so that the
 *     same shape can move to PostgreSQL when a team outgrows one file.
 */
#include "schema.h"

#define APPEND_ONLY(t)                                                        \
	"CREATE TRIGGER " t "_no_update BEFORE UPDATE ON " t " BEGIN "        \
	"SELECT RAISE(ABORT, '" t " is append-only'); END;\n"                 \
	"CREATE TRIGGER " t "_no_delete BEFORE DELETE ON " t " BEGIN "        \
	"SELECT RAISE(ABORT, '" t " is append-only'); END;\n"

static const char schema_v1[] =
	/* Facts about the file itself: created_at, created_by (winnow version). */
	"CREATE TABLE meta (\n"
	"  key   TEXT PRIMARY KEY,\n"
	"  value TEXT NOT NULL\n"
	");\n"

	/* The review protocol: every version loaded is kept, verbatim, with its
	 * hash; the one in force is the latest. stage is derived from the
	 * protocol in force (rewritten when a protocol is loaded) so that SQL
	 * can count per stage without parsing the protocol text. */
	"CREATE TABLE protocol (\n"
	"  id        INTEGER PRIMARY KEY,\n"
	"  loaded_at TEXT NOT NULL,\n"
	"  actor     TEXT NOT NULL,\n"
	"  path      TEXT NOT NULL,\n"
	"  sha256    TEXT NOT NULL,\n"
	"  title     TEXT NOT NULL,\n"
	"  text      TEXT NOT NULL\n"
	");\n"
	APPEND_ONLY("protocol")
	"CREATE TABLE stage (\n"
	"  name               TEXT PRIMARY KEY,\n"
	"  position           INTEGER NOT NULL UNIQUE,\n"
	"  reviewers_required INTEGER NOT NULL CHECK (reviewers_required >= 1),\n"
	"  protocol_id        INTEGER NOT NULL REFERENCES protocol(id)\n"
	");\n"

	/* Where records come from. A search run is one execution of a query
	 * against an API (PRISMA-S items 1, 8, 9, 12, 13, 15); re-running the
	 * same search links to the previous run. An import is one file a
	 * reviewer exported from a database searched by hand. `via` places
	 * either in the PRISMA flow: database or register (left arm) or website,
	 * organisation, citation, other (identification via other methods). */
	"CREATE TABLE search_run (\n"
	"  id                INTEGER PRIMARY KEY,\n"
	"  source            TEXT NOT NULL,\n" /* pubmed, europepmc, arxiv, crossref */
	"  database_name     TEXT NOT NULL,\n" /* e.g. MEDLINE */
	"  platform          TEXT,\n"          /* e.g. PubMed E-utilities */
	"  base_url          TEXT,\n"
	"  service_version   TEXT,\n"
	"  query             TEXT NOT NULL,\n" /* exactly as sent */
	"  query_translation TEXT,\n"          /* as the service ran it */
	"  limits            TEXT,\n"          /* JSON: dates, datetype, filters */
	"  via               TEXT NOT NULL DEFAULT 'database' CHECK (via IN\n"
	"    ('database','register','website','organisation','citation','other')),\n"
	"  started_at        TEXT NOT NULL,\n"
	"  finished_at       TEXT,\n"
	"  count_reported    INTEGER,\n"
	"  count_retrieved   INTEGER NOT NULL DEFAULT 0,\n"
	"  records_new       INTEGER NOT NULL DEFAULT 0,\n"
	"  status            TEXT NOT NULL DEFAULT 'running' CHECK (status IN\n"
	"    ('running','complete','partial','failed')),\n"
	"  message           TEXT,\n"
	"  previous_run_id   INTEGER REFERENCES search_run(id)\n"
	");\n"
	"CREATE TABLE import_file (\n"
	"  id             INTEGER PRIMARY KEY,\n"
	"  path           TEXT NOT NULL,\n"
	"  sha256         TEXT NOT NULL,\n"
	"  size_bytes     INTEGER NOT NULL,\n"
	"  format         TEXT NOT NULL,\n" /* ris, nbib, bibtex, ... */
	"  dialect        TEXT,\n"          /* scopus, ovid, endnote, ... */
	"  encoding       TEXT,\n"          /* as detected, before conversion */
	"  database_name  TEXT NOT NULL,\n"
	"  platform       TEXT,\n"
	"  via            TEXT NOT NULL DEFAULT 'database' CHECK (via IN\n"
	"    ('database','register','website','organisation','citation','other')),\n"
	"  query          TEXT,\n"
	"  searched_on    TEXT,\n"
	"  imported_at    TEXT NOT NULL,\n"
	"  records_count  INTEGER NOT NULL DEFAULT 0,\n"
	"  note           TEXT\n"
	");\n"
	"CREATE INDEX import_file_sha256 ON import_file(sha256);\n"

	/* A record is one database entry. Normalised fields serve screening
	 * and display; the *_key columns serve deduplication; raw keeps the
	 * exact bytes (XML element, RIS block) and extra every field the parser
	 * did not map (JSON object), so nothing is ever dropped. Multi-valued
	 * fields (authors, keywords, mesh, pubtypes) are JSON arrays. */
	"CREATE TABLE record (\n"
	"  id             INTEGER PRIMARY KEY,\n"
	"  search_run_id  INTEGER REFERENCES search_run(id),\n"
	"  import_file_id INTEGER REFERENCES import_file(id),\n"
	"  position       INTEGER NOT NULL,\n" /* 1-based, within its source */
	"  line           INTEGER,\n"          /* first line, for files */
	"  source_id      TEXT,\n"             /* accession as the source gives it */
	"  type           TEXT,\n"
	"  title          TEXT,\n"
	"  abstract       TEXT,\n"
	"  authors        TEXT NOT NULL DEFAULT '[]',\n"
	"  year           INTEGER,\n"
	"  date           TEXT,\n"
	"  journal        TEXT,\n"
	"  journal_abbrev TEXT,\n"
	"  volume         TEXT,\n"
	"  issue          TEXT,\n"
	"  pages          TEXT,\n"
	"  doi            TEXT,\n"
	"  pmid           TEXT,\n"
	"  pmcid          TEXT,\n"
	"  issn           TEXT,\n"
	"  isbn           TEXT,\n"
	"  language       TEXT,\n"
	"  keywords       TEXT NOT NULL DEFAULT '[]',\n"
	"  mesh           TEXT NOT NULL DEFAULT '[]',\n"
	"  pubtypes       TEXT NOT NULL DEFAULT '[]',\n"
	"  url            TEXT,\n"
	"  publisher      TEXT,\n"
	"  title_key      TEXT,\n"
	"  author_key     TEXT,\n"
	"  journal_key    TEXT,\n"
	"  pages_start    TEXT,\n"
	"  extra          TEXT NOT NULL DEFAULT '{}',\n"
	"  raw            BLOB,\n"
	"  raw_format     TEXT,\n"
	"  created_at     TEXT NOT NULL,\n"
	"  CHECK ((search_run_id IS NULL) <> (import_file_id IS NULL))\n"
	");\n"
	"CREATE INDEX record_search_run ON record(search_run_id);\n"
	"CREATE INDEX record_import_file ON record(import_file_id);\n"
	"CREATE INDEX record_doi ON record(doi);\n"
	"CREATE INDEX record_pmid ON record(pmid);\n"
	"CREATE INDEX record_title_key ON record(title_key);\n"

	/* Deduplication. A cluster groups records of one report; its primary
	 * record is what screening shows. Records outside any cluster are their
	 * own report. Candidate pairs carry the field-by-field evidence; what
	 * was decided about a pair (automatically or by a person) is
	 * append-only. Related reports (preprint and article, erratum and
	 * article, ...) are linked, never merged. */
	"CREATE TABLE dedupe_run (\n"
	"  id            INTEGER PRIMARY KEY,\n"
	"  started_at    TEXT NOT NULL,\n"
	"  method        TEXT NOT NULL,\n"
	"  settings      TEXT NOT NULL DEFAULT '{}',\n"
	"  pairs_scored  INTEGER NOT NULL DEFAULT 0,\n"
	"  merged        INTEGER NOT NULL DEFAULT 0,\n"
	"  queued        INTEGER NOT NULL DEFAULT 0\n"
	");\n"
	"CREATE TABLE dedupe_cluster (\n"
	"  id                INTEGER PRIMARY KEY,\n"
	"  primary_record_id INTEGER NOT NULL REFERENCES record(id),\n"
	"  created_at        TEXT NOT NULL\n"
	");\n"
	"CREATE TABLE cluster_member (\n"
	"  record_id  INTEGER PRIMARY KEY REFERENCES record(id),\n"
	"  cluster_id INTEGER NOT NULL REFERENCES dedupe_cluster(id),\n"
	"  added_at   TEXT NOT NULL\n"
	");\n"
	"CREATE INDEX cluster_member_cluster ON cluster_member(cluster_id);\n"
	"CREATE TABLE dedupe_pair (\n"
	"  id        INTEGER PRIMARY KEY,\n"
	"  record_a  INTEGER NOT NULL REFERENCES record(id),\n"
	"  record_b  INTEGER NOT NULL REFERENCES record(id),\n"
	"  run_id    INTEGER NOT NULL REFERENCES dedupe_run(id),\n"
	"  score     REAL NOT NULL,\n"
	"  evidence  TEXT NOT NULL DEFAULT '{}',\n"
	"  CHECK (record_a < record_b),\n"
	"  UNIQUE (record_a, record_b)\n"
	");\n"
	"CREATE TABLE pair_decision (\n"
	"  id         INTEGER PRIMARY KEY,\n"
	"  pair_id    INTEGER NOT NULL REFERENCES dedupe_pair(id),\n"
	"  decision   TEXT NOT NULL CHECK (decision IN\n"
	"    ('duplicate','not_duplicate','related','queued')),\n"
	"  actor      TEXT NOT NULL,\n" /* reviewer, or 'auto' */
	"  reason     TEXT,\n"
	"  decided_at TEXT NOT NULL,\n"
	"  supersedes INTEGER REFERENCES pair_decision(id)\n"
	");\n"
	"CREATE INDEX pair_decision_pair ON pair_decision(pair_id);\n"
	APPEND_ONLY("pair_decision")
	"CREATE TABLE record_relation (\n"
	"  id         INTEGER PRIMARY KEY,\n"
	"  record_id  INTEGER NOT NULL REFERENCES record(id),\n"
	"  related_id INTEGER NOT NULL REFERENCES record(id),\n"
	"  kind       TEXT NOT NULL CHECK (kind IN ('preprint_of','erratum_for',\n"
	"    'retraction_of','comment_on','update_of','abstract_of','related')),\n"
	"  actor      TEXT NOT NULL,\n"
	"  evidence   TEXT,\n"
	"  created_at TEXT NOT NULL,\n"
	"  UNIQUE (record_id, related_id, kind)\n"
	");\n"

	/* Eligibility rules: the file as loaded (verbatim, hashed) and each
	 * rule with its line, so that a rule's decision can cite "rule:<line>". */
	"CREATE TABLE rule_set (\n"
	"  id        INTEGER PRIMARY KEY,\n"
	"  path      TEXT NOT NULL,\n"
	"  sha256    TEXT NOT NULL,\n"
	"  text      TEXT NOT NULL,\n"
	"  loaded_at TEXT NOT NULL\n"
	");\n"
	"CREATE TABLE rule (\n"
	"  id          INTEGER PRIMARY KEY,\n"
	"  rule_set_id INTEGER NOT NULL REFERENCES rule_set(id),\n"
	"  line        INTEGER NOT NULL,\n"
	"  action      TEXT NOT NULL CHECK (action IN\n"
	"    ('exclude','highlight_include','highlight_exclude')),\n"
	"  label       TEXT,\n"
	"  expression  TEXT NOT NULL,\n"
	"  UNIQUE (rule_set_id, line)\n"
	");\n"
	"CREATE TABLE rule_application (\n"
	"  id                 INTEGER PRIMARY KEY,\n"
	"  rule_set_id        INTEGER NOT NULL REFERENCES rule_set(id),\n"
	"  stage              TEXT NOT NULL,\n"
	"  before_human       INTEGER NOT NULL CHECK (before_human IN (0, 1)),\n"
	"  applied_at         TEXT NOT NULL,\n"
	"  records_excluded   INTEGER NOT NULL DEFAULT 0\n"
	");\n"

	/* Screening. One row per judgement; never updated. A decision is about
	 * the report that its record stands for (the record's cluster, see the
	 * report_record view). kind says who judged: a human reviewer, a rule
	 * (reviewer 'rule:<line>'), or a resolution of a conflict. A later row
	 * with `supersedes` replaces an earlier one; both stay. */
	"CREATE TABLE decision (\n"
	"  id              INTEGER PRIMARY KEY,\n"
	"  record_id       INTEGER NOT NULL REFERENCES record(id),\n"
	"  stage           TEXT NOT NULL,\n"
	"  reviewer        TEXT NOT NULL,\n"
	"  kind            TEXT NOT NULL CHECK (kind IN ('human','rule','resolution')),\n"
	"  decision        TEXT NOT NULL CHECK (decision IN ('include','exclude','maybe')),\n"
	"  reason          TEXT,\n"
	"  note            TEXT,\n"
	"  rule_id         INTEGER REFERENCES rule(id),\n"
	"  rule_application_id INTEGER REFERENCES rule_application(id),\n"
	"  made_at         TEXT NOT NULL,\n"
	"  supersedes      INTEGER REFERENCES decision(id),\n"
	"  CHECK ((kind = 'rule') = (rule_id IS NOT NULL)),\n"
	"  CHECK (kind <> 'resolution' OR decision <> 'maybe')\n"
	");\n"
	"CREATE INDEX decision_record ON decision(record_id, stage);\n"
	/* a decision is superseded at most once */
	"CREATE UNIQUE INDEX decision_supersedes ON decision(supersedes)\n"
	"  WHERE supersedes IS NOT NULL;\n"
	APPEND_ONLY("decision")
	/* A decision is made at a stage of the protocol in force, and a
	 * correction replaces a decision on the same record at the same stage. */
	"CREATE TRIGGER decision_stage_exists BEFORE INSERT ON decision\n"
	"  WHEN NOT EXISTS (SELECT 1 FROM stage WHERE name = NEW.stage) BEGIN\n"
	"  SELECT RAISE(ABORT, 'decision at a stage the protocol does not define'); END;\n"
	"CREATE TRIGGER decision_supersedes_same BEFORE INSERT ON decision\n"
	"  WHEN NEW.supersedes IS NOT NULL AND NOT EXISTS (SELECT 1 FROM decision d\n"
	"    WHERE d.id = NEW.supersedes AND d.record_id = NEW.record_id\n"
	"    AND d.stage = NEW.stage) BEGIN\n"
	"  SELECT RAISE(ABORT, 'a decision can only supersede one on the same record and stage'); END;\n"

	/* Full-text retrieval of reports sought at the full-text stage. */
	"CREATE TABLE fulltext (\n"
	"  id         INTEGER PRIMARY KEY,\n"
	"  record_id  INTEGER NOT NULL REFERENCES record(id),\n"
	"  status     TEXT NOT NULL CHECK (status IN ('sought','retrieved','not_retrieved')),\n"
	"  path       TEXT,\n"
	"  sha256     TEXT,\n"
	"  note       TEXT,\n"
	"  actor      TEXT NOT NULL,\n"
	"  at         TEXT NOT NULL,\n"
	"  supersedes INTEGER REFERENCES fulltext(id)\n"
	");\n"
	"CREATE INDEX fulltext_record ON fulltext(record_id);\n"
	APPEND_ONLY("fulltext")

	/* The PRISMA boxes only people can know (records removed for other
	 * reasons, previous-version counts), each with a note; latest wins. */
	"CREATE TABLE prisma_setting (\n"
	"  id     INTEGER PRIMARY KEY,\n"
	"  key    TEXT NOT NULL,\n"
	"  value  INTEGER NOT NULL CHECK (value >= 0),\n"
	"  note   TEXT NOT NULL,\n"
	"  actor  TEXT NOT NULL,\n"
	"  set_at TEXT NOT NULL\n"
	");\n"
	APPEND_ONLY("prisma_setting")

	/* Synthesis: studies group reports (PRISMA: a study can have several
	 * reports; a report belongs to one study). */
	"CREATE TABLE study (\n"
	"  id           INTEGER PRIMARY KEY,\n"
	"  label        TEXT NOT NULL UNIQUE,\n" /* e.g. 'Wildman 2019' */
	"  title        TEXT,\n"
	"  design       TEXT,\n"
	"  setting      TEXT,\n"
	"  country      TEXT,\n"
	"  registration TEXT,\n"
	"  note         TEXT,\n"
	"  created_at   TEXT NOT NULL\n"
	");\n"
	"CREATE TABLE study_report (\n"
	"  record_id INTEGER PRIMARY KEY REFERENCES record(id),\n"
	"  study_id  INTEGER NOT NULL REFERENCES study(id),\n"
	"  role      TEXT NOT NULL DEFAULT 'main' CHECK (role IN\n"
	"    ('main','protocol','follow_up','secondary','other')),\n"
	"  linked_at TEXT NOT NULL,\n"
	"  actor     TEXT NOT NULL\n"
	");\n"
	"CREATE INDEX study_report_study ON study_report(study_id);\n"

	/* Appraisal instruments are data (files in corpus/instruments/), stored with
	 * their hash so that answers always refer to the exact checklist. */
	"CREATE TABLE instrument (\n"
	"  id         INTEGER PRIMARY KEY,\n"
	"  name       TEXT NOT NULL,\n"
	"  version    TEXT NOT NULL,\n"
	"  title      TEXT NOT NULL,\n"
	"  sha256     TEXT NOT NULL,\n"
	"  definition TEXT NOT NULL,\n" /* the instrument file, verbatim */
	"  loaded_at  TEXT NOT NULL,\n"
	"  UNIQUE (name, version)\n"
	");\n"
	"CREATE TABLE instrument_item (\n"
	"  instrument_id INTEGER NOT NULL REFERENCES instrument(id),\n"
	"  code          TEXT NOT NULL,\n"
	"  position      INTEGER NOT NULL,\n"
	"  category      TEXT,\n" /* MMAT study category, screening, ... */
	"  text          TEXT NOT NULL,\n"
	"  answers       TEXT NOT NULL,\n" /* JSON array of allowed answers */
	"  PRIMARY KEY (instrument_id, code)\n"
	");\n"
	"CREATE TABLE appraisal (\n"
	"  id            INTEGER PRIMARY KEY,\n"
	"  study_id      INTEGER NOT NULL REFERENCES study(id),\n"
	"  instrument_id INTEGER NOT NULL REFERENCES instrument(id),\n"
	"  reviewer      TEXT NOT NULL,\n"
	"  kind          TEXT NOT NULL DEFAULT 'independent' CHECK (kind IN\n"
	"    ('independent','consensus')),\n"
	"  started_at    TEXT NOT NULL,\n"
	"  UNIQUE (study_id, instrument_id, reviewer, kind)\n"
	");\n"
	"CREATE TABLE appraisal_answer (\n"
	"  id           INTEGER PRIMARY KEY,\n"
	"  appraisal_id INTEGER NOT NULL REFERENCES appraisal(id),\n"
	"  item_code    TEXT NOT NULL,\n"
	"  answer       TEXT NOT NULL,\n"
	"  comment      TEXT,\n"
	"  answered_at  TEXT NOT NULL,\n"
	"  supersedes   INTEGER REFERENCES appraisal_answer(id)\n"
	");\n"
	"CREATE INDEX appraisal_answer_appraisal ON appraisal_answer(appraisal_id);\n"
	APPEND_ONLY("appraisal_answer")

	/* Thematic coding: a tree of themes; findings are quotes (participants'
	 * words) or interpretations (authors' words) from a report, coded to
	 * one or more themes. */
	"CREATE TABLE theme (\n"
	"  id          INTEGER PRIMARY KEY,\n"
	"  parent_id   INTEGER REFERENCES theme(id),\n"
	"  name        TEXT NOT NULL,\n"
	"  description TEXT,\n"
	"  position    INTEGER NOT NULL DEFAULT 0,\n"
	"  merged_into INTEGER REFERENCES theme(id),\n"
	"  created_at  TEXT NOT NULL\n"
	");\n"
	"CREATE UNIQUE INDEX theme_name ON theme(COALESCE(parent_id, 0), name)\n"
	"  WHERE merged_into IS NULL;\n"
	"CREATE TABLE finding (\n"
	"  id          INTEGER PRIMARY KEY,\n"
	"  record_id   INTEGER NOT NULL REFERENCES record(id),\n"
	"  kind        TEXT NOT NULL CHECK (kind IN ('quote','interpretation')),\n"
	"  text        TEXT NOT NULL,\n"
	"  location    TEXT,\n" /* page, paragraph */
	"  participant TEXT,\n"
	"  actor       TEXT NOT NULL,\n"
	"  created_at  TEXT NOT NULL\n"
	");\n"
	"CREATE INDEX finding_record ON finding(record_id);\n"
	"CREATE TABLE finding_theme (\n"
	"  finding_id INTEGER NOT NULL REFERENCES finding(id),\n"
	"  theme_id   INTEGER NOT NULL REFERENCES theme(id),\n"
	"  actor      TEXT NOT NULL,\n"
	"  linked_at  TEXT NOT NULL,\n"
	"  PRIMARY KEY (finding_id, theme_id)\n"
	");\n"

	/* GRADE-CERQual: one assessment per review finding (a theme's summary
	 * statement), four components with concerns and explanations, and the
	 * overall confidence. A reassessment supersedes. */
	"CREATE TABLE cerqual (\n"
	"  id             INTEGER PRIMARY KEY,\n"
	"  theme_id       INTEGER NOT NULL REFERENCES theme(id),\n"
	"  statement      TEXT NOT NULL,\n"
	"  limitations    TEXT NOT NULL,\n"
	"  limitations_why TEXT,\n"
	"  coherence      TEXT NOT NULL,\n"
	"  coherence_why  TEXT,\n"
	"  adequacy       TEXT NOT NULL,\n"
	"  adequacy_why   TEXT,\n"
	"  relevance      TEXT NOT NULL,\n"
	"  relevance_why  TEXT,\n"
	"  overall        TEXT NOT NULL CHECK (overall IN ('high','moderate','low','very low')),\n"
	"  overall_why    TEXT,\n"
	"  assessor       TEXT NOT NULL,\n"
	"  assessed_at    TEXT NOT NULL,\n"
	"  supersedes     INTEGER REFERENCES cerqual(id),\n"
	"  CHECK (limitations IN ('none','minor','moderate','serious')\n"
	"     AND coherence IN ('none','minor','moderate','serious')\n"
	"     AND adequacy IN ('none','minor','moderate','serious')\n"
	"     AND relevance IN ('none','minor','moderate','serious'))\n"
	");\n"
	APPEND_ONLY("cerqual")

	/* The audit trail. Each entry's hash covers the previous entry's hash
	 * and this entry's content (see pipeline/audit.c), so any change to the
	 * history breaks the chain from that point. */
	"CREATE TABLE audit_log (\n"
	"  id        INTEGER PRIMARY KEY,\n"
	"  at        TEXT NOT NULL,\n"
	"  actor     TEXT NOT NULL,\n"
	"  command   TEXT NOT NULL,\n"
	"  action    TEXT NOT NULL,\n"
	"  entity    TEXT,\n" /* table name */
	"  entity_id INTEGER,\n"
	"  details   TEXT NOT NULL DEFAULT '{}',\n"
	"  prev_hash TEXT NOT NULL,\n"
	"  hash      TEXT NOT NULL UNIQUE\n"
	");\n"
	APPEND_ONLY("audit_log")

	/* Reports, as PRISMA counts them: each record stands for the report of
	 * its cluster's primary record, or for itself when it has no cluster. */
	"CREATE VIEW report_record AS\n"
	"  SELECT r.id AS record_id, COALESCE(c.primary_record_id, r.id) AS report_id\n"
	"  FROM record r\n"
	"  LEFT JOIN cluster_member m ON m.record_id = r.id\n"
	"  LEFT JOIN dedupe_cluster c ON c.id = m.cluster_id;\n"

	/* Decisions still in force: not superseded by a later row. */
	"CREATE VIEW current_decision AS\n"
	"  SELECT d.* FROM decision d\n"
	"  WHERE NOT EXISTS (SELECT 1 FROM decision s WHERE s.supersedes = d.id);\n"

	/* Where each report stands at each stage of the protocol in force:
	 * a resolution decides; otherwise a rule's exclusion; otherwise the
	 * reviewers' latest decisions, once as many reviewers as the stage
	 * requires have decided: agreement decides, disagreement (or 'maybe')
	 * is a conflict. Anything less is pending. `eligible` says whether the
	 * report reached the stage: included at every stage before it. */
	"CREATE VIEW report_stage_outcome AS\n"
	"  WITH rep AS (SELECT DISTINCT report_id FROM report_record),\n"
	"  dec AS (SELECT rr.report_id, d.stage, d.reviewer, d.kind, d.decision, d.id\n"
	"          FROM current_decision d JOIN report_record rr ON rr.record_id = d.record_id),\n"
	"  human AS (SELECT report_id, stage, decision, ROW_NUMBER() OVER\n"
	"            (PARTITION BY report_id, stage, reviewer ORDER BY id DESC) AS rn\n"
	"            FROM dec WHERE kind = 'human'),\n"
	"  hsum AS (SELECT report_id, stage, COUNT(*) AS n, MIN(decision) AS lo,\n"
	"           MAX(decision) AS hi FROM human WHERE rn = 1 GROUP BY report_id, stage),\n"
	"  res AS (SELECT report_id, stage, decision, ROW_NUMBER() OVER\n"
	"          (PARTITION BY report_id, stage ORDER BY id DESC) AS rn\n"
	"          FROM dec WHERE kind = 'resolution'),\n"
	"  rul AS (SELECT DISTINCT report_id, stage FROM dec\n"
	"          WHERE kind = 'rule' AND decision = 'exclude'),\n"
	"  outcome AS (\n"
	"    SELECT s.name AS stage, s.position, rep.report_id,\n"
	"      CASE WHEN res.decision IS NOT NULL THEN res.decision\n"
	"           WHEN rul.report_id IS NOT NULL THEN 'exclude'\n"
	"           WHEN hsum.n >= s.reviewers_required AND hsum.lo = hsum.hi\n"
	"                AND hsum.lo <> 'maybe' THEN hsum.lo\n"
	"           WHEN hsum.n >= s.reviewers_required THEN 'conflict'\n"
	"           ELSE 'pending' END AS outcome,\n"
	"      rul.report_id IS NOT NULL AND res.decision IS NULL AS by_rule\n"
	"    FROM stage s CROSS JOIN rep\n"
	"    LEFT JOIN res ON res.report_id = rep.report_id AND res.stage = s.name AND res.rn = 1\n"
	"    LEFT JOIN rul ON rul.report_id = rep.report_id AND rul.stage = s.name\n"
	"    LEFT JOIN hsum ON hsum.report_id = rep.report_id AND hsum.stage = s.name)\n"
	"  SELECT o.stage, o.position, o.report_id, o.outcome, o.by_rule,\n"
	"    NOT EXISTS (SELECT 1 FROM outcome p WHERE p.report_id = o.report_id\n"
	"       AND p.position < o.position AND p.outcome <> 'include') AS eligible\n"
	"  FROM outcome o;\n";

/* Version 2: the parts a search is fetched in (PubMed date slices, Europe
 * PMC cursor pages, arXiv offsets), each with where it has got to, so that
 * an interrupted search resumes from its last stored batch. */
static const char schema_v2[] =
	"CREATE TABLE search_part (\n"
	"  id              INTEGER PRIMARY KEY,\n"
	"  search_run_id   INTEGER NOT NULL REFERENCES search_run(id),\n"
	"  seq             INTEGER NOT NULL,\n"
	"  label           TEXT NOT NULL,\n"        /* "2001/01/01-2005/12/31", "all" */
	"  params          TEXT NOT NULL DEFAULT '{}',\n" /* JSON: mindate, maxdate, ... */
	"  count_reported  INTEGER,\n"
	"  count_retrieved INTEGER NOT NULL DEFAULT 0,\n"
	"  cursor          TEXT,\n"                  /* where to go on */
	"  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN\n"
	"    ('pending','complete')),\n"
	"  UNIQUE (search_run_id, seq)\n"
	");\n"
	/* what is new since the last run: each record looked up in that run */
	"CREATE INDEX record_run_source ON record(search_run_id, source_id);\n"
	/* Fields filled in from a look-up (Crossref): the record keeps its own
	 * raw bytes; what the service said, and which fields it filled, are
	 * kept here. found = 0 records that the service does not know the DOI,
	 * so that enrich does not ask again. */
	"CREATE TABLE record_enrichment (\n"
	"  id         INTEGER PRIMARY KEY,\n"
	"  record_id  INTEGER NOT NULL REFERENCES record(id),\n"
	"  source     TEXT NOT NULL,\n"             /* crossref */
	"  doi        TEXT NOT NULL,\n"
	"  fetched_at TEXT NOT NULL,\n"
	"  found      INTEGER NOT NULL,\n"
	"  fields     TEXT NOT NULL DEFAULT '{}',\n" /* JSON: field -> value filled */
	"  raw        BLOB,\n"                       /* the service's record, as sent */
	"  raw_format TEXT\n"
	");\n"
	"CREATE INDEX record_enrichment_record ON record_enrichment(record_id);\n";

/* Version 3: deduplication runs are incremental. dedupe_seen says which
 * run first compared each record, so that the next run compares only new
 * records (with everything); the run keeps what it compared and found. */
static const char schema_v3[] =
	"CREATE TABLE dedupe_seen (\n"
	"  record_id INTEGER PRIMARY KEY REFERENCES record(id),\n"
	"  run_id    INTEGER NOT NULL REFERENCES dedupe_run(id)\n"
	");\n"
	"ALTER TABLE dedupe_run ADD COLUMN finished_at TEXT;\n"
	"ALTER TABLE dedupe_run ADD COLUMN records_compared INTEGER NOT NULL DEFAULT 0;\n"
	"ALTER TABLE dedupe_run ADD COLUMN records_new INTEGER NOT NULL DEFAULT 0;\n"
	"ALTER TABLE dedupe_run ADD COLUMN candidates INTEGER NOT NULL DEFAULT 0;\n"
	"ALTER TABLE dedupe_run ADD COLUMN related INTEGER NOT NULL DEFAULT 0;\n"
	"CREATE INDEX dedupe_pair_b ON dedupe_pair(record_b);\n"
	"CREATE INDEX record_relation_related ON record_relation(related_id);\n";

/* Version 4: a stage of one reviewer may put a second on a random share
 * of its reports (protocol: dual_sample, sample_seed). The sample is drawn
 * by hashing each report's id with the seed, so that it is the same every
 * time and anyone can draw it again; sample_key is the seed's hash and
 * sample_below the share times 2^32 (docs/screening.md). The outcome view
 * now asks two reviewers of a report in the sample. The hash, in SQL: x
 * XOR y is (x | y) - (x & y), and every product fits in 64 bits. */
#define MIX32_ROUND(x) \
	"((((" x " >> 16) | " x ") - ((" x " >> 16) & " x ")) * 73244475) & 4294967295"
static const char schema_v4[] =
	"ALTER TABLE stage ADD COLUMN dual_fraction REAL NOT NULL DEFAULT 0;\n"
	"ALTER TABLE stage ADD COLUMN sample_seed INTEGER;\n"
	"ALTER TABLE stage ADD COLUMN sample_key INTEGER NOT NULL DEFAULT 0;\n"
	"ALTER TABLE stage ADD COLUMN sample_below INTEGER NOT NULL DEFAULT 0;\n"
	"DROP VIEW report_stage_outcome;\n"
	"CREATE VIEW report_stage_outcome AS\n"
	"  WITH rep AS (SELECT DISTINCT report_id FROM report_record),\n"
	"  h0 AS (SELECT s.name AS stage, rep.report_id, s.sample_below,\n"
	"         (rep.report_id + s.sample_key) & 4294967295 AS x\n"
	"         FROM stage s CROSS JOIN rep WHERE s.sample_below > 0),\n"
	"  h1 AS (SELECT stage, report_id, sample_below, " MIX32_ROUND("x") " AS x FROM h0),\n"
	"  h2 AS (SELECT stage, report_id, sample_below, " MIX32_ROUND("x") " AS x FROM h1),\n"
	"  dual AS (SELECT stage, report_id FROM h2\n"
	"           WHERE ((x >> 16) | x) - ((x >> 16) & x) < sample_below),\n"
	"  dec AS (SELECT rr.report_id, d.stage, d.reviewer, d.kind, d.decision, d.id\n"
	"          FROM current_decision d JOIN report_record rr ON rr.record_id = d.record_id),\n"
	"  human AS (SELECT report_id, stage, decision, ROW_NUMBER() OVER\n"
	"            (PARTITION BY report_id, stage, reviewer ORDER BY id DESC) AS rn\n"
	"            FROM dec WHERE kind = 'human'),\n"
	"  hsum AS (SELECT report_id, stage, COUNT(*) AS n, MIN(decision) AS lo,\n"
	"           MAX(decision) AS hi FROM human WHERE rn = 1 GROUP BY report_id, stage),\n"
	"  res AS (SELECT report_id, stage, decision, ROW_NUMBER() OVER\n"
	"          (PARTITION BY report_id, stage ORDER BY id DESC) AS rn\n"
	"          FROM dec WHERE kind = 'resolution'),\n"
	"  rul AS (SELECT DISTINCT report_id, stage FROM dec\n"
	"          WHERE kind = 'rule' AND decision = 'exclude'),\n"
	"  outcome AS (\n"
	"    SELECT s.name AS stage, s.position, rep.report_id,\n"
	"      CASE WHEN dual.report_id IS NOT NULL THEN 2 ELSE s.reviewers_required END AS required,\n"
	"      res.decision AS res_decision, rul.report_id IS NOT NULL AS ruled,\n"
	"      hsum.n, hsum.lo, hsum.hi\n"
	"    FROM stage s CROSS JOIN rep\n"
	"    LEFT JOIN dual ON dual.stage = s.name AND dual.report_id = rep.report_id\n"
	"    LEFT JOIN res ON res.report_id = rep.report_id AND res.stage = s.name AND res.rn = 1\n"
	"    LEFT JOIN rul ON rul.report_id = rep.report_id AND rul.stage = s.name\n"
	"    LEFT JOIN hsum ON hsum.report_id = rep.report_id AND hsum.stage = s.name),\n"
	"  judged AS (\n"
	"    SELECT stage, position, report_id, required,\n"
	"      CASE WHEN res_decision IS NOT NULL THEN res_decision\n"
	"           WHEN ruled THEN 'exclude'\n"
	"           WHEN n >= required AND lo = hi AND lo <> 'maybe' THEN lo\n"
	"           WHEN n >= required THEN 'conflict'\n"
	"           ELSE 'pending' END AS outcome,\n"
	"      ruled AND res_decision IS NULL AS by_rule\n"
	"    FROM outcome)\n"
	"  SELECT o.stage, o.position, o.report_id, o.outcome, o.by_rule,\n"
	"    NOT EXISTS (SELECT 1 FROM judged p WHERE p.report_id = o.report_id\n"
	"       AND p.position < o.position AND p.outcome <> 'include') AS eligible,\n"
	"    o.required\n"
	"  FROM judged o;\n";

/* Version 5: the synthesis store as its commands use it (docs/synthesis.md).
 * No command wrote to the version 1 drafts of finding and cerqual, so they
 * are reshaped here rather than kept beside new tables:
 *   - a finding is coded from a study (PRISMA: the unit of synthesis), and
 *     from one of its reports when the coder says which; rows already there
 *     take the study their report is linked to;
 *   - GRADE-CERQual is judged one component at a time, each judgement with
 *     its explanation, latest in force; a review finding is a theme's
 *     summary statement, so both are keyed by theme;
 *   - an appraisal with an instrument of several study categories (MMAT)
 *     says which category the study was appraised as;
 *   - linking a report to a study, and themes' moves, renames and merges,
 *     change rows in place: the audit trail keeps each change. */
static const char schema_v5[] =
	"ALTER TABLE appraisal ADD COLUMN category TEXT;\n"
	"CREATE INDEX appraisal_study ON appraisal(study_id, instrument_id);\n"
	"CREATE TABLE finding_v5 (\n"
	"  id          INTEGER PRIMARY KEY,\n"
	"  study_id    INTEGER NOT NULL REFERENCES study(id),\n"
	"  record_id   INTEGER REFERENCES record(id),\n" /* the report, when given */
	"  kind        TEXT NOT NULL CHECK (kind IN ('quote','interpretation')),\n"
	"  text        TEXT NOT NULL,\n"
	"  location    TEXT,\n"
	"  participant TEXT,\n"
	"  actor       TEXT NOT NULL,\n"
	"  created_at  TEXT NOT NULL\n"
	");\n"
	"INSERT INTO finding_v5 (id, study_id, record_id, kind, text, location, participant,\n"
	"  actor, created_at)\n"
	"  SELECT f.id, sr.study_id, f.record_id, f.kind, f.text, f.location, f.participant,\n"
	"    f.actor, f.created_at\n"
	"  FROM finding f LEFT JOIN study_report sr ON sr.record_id = f.record_id;\n"
	"DROP TABLE finding;\n"
	"ALTER TABLE finding_v5 RENAME TO finding;\n"
	"CREATE INDEX finding_study ON finding(study_id);\n"
	"CREATE INDEX finding_record ON finding(record_id);\n"
	"CREATE INDEX finding_theme_theme ON finding_theme(theme_id);\n"
	"CREATE INDEX theme_parent ON theme(parent_id);\n"
	"DROP TABLE cerqual;\n"
	"CREATE TABLE cerqual_judgement (\n"
	"  id          INTEGER PRIMARY KEY,\n"
	"  theme_id    INTEGER NOT NULL REFERENCES theme(id),\n"
	"  component   TEXT NOT NULL CHECK (component IN ('statement',\n"
	"    'methodological-limitations','coherence','adequacy','relevance','overall')),\n"
	"  level       TEXT,\n"       /* the concern, or the overall confidence */
	"  why         TEXT NOT NULL,\n" /* the explanation; the statement itself */
	"  assessor    TEXT NOT NULL,\n"
	"  assessed_at TEXT NOT NULL,\n"
	"  CHECK (CASE component\n"
	"    WHEN 'statement' THEN level IS NULL\n"
	"    WHEN 'overall' THEN level IN ('high','moderate','low','very low')\n"
	"    ELSE level IN ('none','minor','moderate','serious') END)\n"
	");\n"
	"CREATE INDEX cerqual_judgement_theme ON cerqual_judgement(theme_id, component);\n"
	APPEND_ONLY("cerqual_judgement");

/* Version 6: the random samples of the stopping rule (issue 10). A
 * sample is drawn once per stage when a team wants to know whether to
 * stop: every report not screened then, in a seeded random order, with
 * how many relevant reports had been found before it. */
static const char schema_v6[] =
	"CREATE TABLE screen_sample (\n"
	"  id          INTEGER PRIMARY KEY,\n"
	"  stage       TEXT NOT NULL,\n"
	"  seed        INTEGER NOT NULL,\n"
	"  remaining   INTEGER NOT NULL,\n" /* reports not screened when it began */
	"  seen_before INTEGER NOT NULL,\n" /* relevant reports found before it */
	/* what it was drawn to test, fixed before any of it is screened */
	"  target      REAL NOT NULL CHECK (target >= 0.5 AND target < 1),\n"
	"  confidence  REAL NOT NULL CHECK (confidence > 0 AND confidence < 1),\n"
	"  started_at  TEXT NOT NULL,\n"
	"  actor       TEXT NOT NULL\n"
	");\n"
	APPEND_ONLY("screen_sample")
	"CREATE TABLE screen_sample_report (\n"
	"  sample_id INTEGER NOT NULL REFERENCES screen_sample(id),\n"
	"  position  INTEGER NOT NULL,\n" /* 1-based: the order to screen them in */
	"  report_id INTEGER NOT NULL REFERENCES record(id),\n"
	"  PRIMARY KEY (sample_id, position)\n"
	");\n"
	"CREATE INDEX screen_sample_report_report ON screen_sample_report(report_id);\n"
	APPEND_ONLY("screen_sample_report");

const char *const wn_migrations[] = {
	schema_v1,
	schema_v2,
	schema_v3,
	schema_v4,
	schema_v5,
	schema_v6,
};

const int wn_migration_count = (int)(sizeof(wn_migrations) / sizeof(wn_migrations[0]));
