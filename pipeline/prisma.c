/*
 * The PRISMA 2020 flow (include/winnow/prisma.h), worked out with a few
 * set-wise queries over the report_stage_outcome view, the sources of the
 * records, the rule applications and the full-text entries. Each box is
 * counted on its own, so that the arithmetic between boxes is a real check
 * of the record and not true by construction.
 */
#include "winnow/prisma.h"
#include "winnow/screening.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "store_int.h"
#include "util.h"
#include "winnow/protocol.h"

#define ISSUE_REPORTS_KEPT 20

/* The flow is counted from three temporary tables made once per count
 * (build_flow): every query below reads them, where reading the
 * report_stage_outcome view each time would work every report's outcome
 * out again, and aggregating over it makes SQLite lose the index its
 * "eligible" subquery needs (quadratic: minutes at 20,000 records). */
#define FLOW_CTE "WITH o AS (SELECT * FROM temp.prisma_flow)\n"
#define FULLTEXT_CTE "ft AS (SELECT * FROM temp.prisma_fulltext)\n"

/* prisma_flow: each report's outcome at every stage, which arm it is in,
 * and whether a rule excluded it at the first stage before anyone
 * screened (PRISMA: "marked ineligible by automation tools");
 * prisma_fulltext: each report's latest full-text entry. */
static int build_flow(struct wn_store *store, const char *first_stage)
{
	char *sql = sqlite3_mprintf(
		"DROP TABLE IF EXISTS temp.prisma_rso;\n"
		"DROP TABLE IF EXISTS temp.prisma_flow;\n"
		"DROP TABLE IF EXISTS temp.prisma_fulltext;\n"
		"CREATE TEMP TABLE prisma_rso AS SELECT * FROM report_stage_outcome;\n"
		"CREATE INDEX temp.prisma_rso_report ON prisma_rso(report_id);\n"
		"CREATE TEMP TABLE prisma_flow AS\n"
		"WITH arm AS (SELECT rr.report_id, "
		"    MIN(COALESCE(f.via, s.via, 'database') NOT IN ('database', 'register')) AS other "
		"  FROM report_record rr JOIN record r ON r.id = rr.record_id "
		"  LEFT JOIN import_file f ON f.id = r.import_file_id "
		"  LEFT JOIN search_run s ON s.id = r.search_run_id GROUP BY rr.report_id),\n"
		"early AS (SELECT DISTINCT rr.report_id FROM decision d "
		"  JOIN report_record rr ON rr.record_id = d.record_id "
		"  JOIN rule_application a ON a.id = d.rule_application_id "
		"  WHERE d.kind = 'rule' AND d.decision = 'exclude' AND a.before_human = 1 "
		"  AND d.stage = %Q AND NOT EXISTS (SELECT 1 FROM decision x WHERE x.supersedes = d.id))\n"
		"SELECT o.stage, o.position, o.report_id, o.outcome, o.by_rule, o.eligible, arm.other, "
		"  o.stage = %Q AND o.by_rule AND o.report_id IN (SELECT report_id FROM early) AS auto "
		"  FROM prisma_rso o JOIN arm ON arm.report_id = o.report_id;\n"
		"CREATE INDEX temp.prisma_flow_report ON prisma_flow(report_id);\n"
		/* a later entry supersedes an earlier one, on any record of the report */
		"CREATE TEMP TABLE prisma_fulltext AS SELECT x.report_id, f.status FROM "
		"  (SELECT rr.report_id, MAX(f.id) AS id FROM fulltext f "
		"   JOIN report_record rr ON rr.record_id = f.record_id GROUP BY rr.report_id) x "
		"  JOIN fulltext f ON f.id = x.id;\n"
		"CREATE INDEX temp.prisma_fulltext_report ON prisma_fulltext(report_id);\n",
		first_stage, first_stage);
	int rc;

	if (!sql)
		return wn_error_set(WN_ERROR, "out of memory");
	/* a review opened for reading is query-only; the temporary tables
	 * are the connection's own, never the review file */
	if (!store->writable && (rc = wn_store_exec(store, "PRAGMA query_only = OFF")) < 0) {
		sqlite3_free(sql);
		return rc;
	}
	rc = wn_store_exec(store, sql);
	sqlite3_free(sql);
	if (!store->writable && wn_store_exec(store, "PRAGMA query_only = ON") < 0 && rc == WN_OK)
		rc = WN_ERROR;
	return rc;
}

static void counts_add(struct wn_prisma_counts *c, const char *name, long n)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->items[i].name, name)) {
			c->items[i].n += n;
			return;
		}
	c->items = xrealloc(c->items, (c->n + 1) * sizeof(*c->items));
	c->items[c->n].name = xstrdup(name);
	c->items[c->n++].n = n;
}

static void counts_release(struct wn_prisma_counts *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->items[i].name);
	free(c->items);
	memset(c, 0, sizeof(*c));
}

static struct wn_prisma_issue *issue_add(struct wn_prisma *p, int violation, const char *boxes,
					 const char *fmt, ...) WN_PRINTF(4, 5);

static struct wn_prisma_issue *issue_add(struct wn_prisma *p, int violation, const char *boxes,
					 const char *fmt, ...)
{
	struct wn_prisma_issue *is;
	va_list ap;

	p->issues = xrealloc(p->issues, (p->nissues + 1) * sizeof(*p->issues));
	is = &p->issues[p->nissues++];
	memset(is, 0, sizeof(*is));
	is->violation = violation;
	is->boxes = xstrdup(boxes);
	{
		char buf[1024];

		va_start(ap, fmt);
		vsnprintf(buf, sizeof(buf), fmt, ap);
		va_end(ap);
		is->message = xstrdup(buf);
	}
	return is;
}

/* A query over the flow's tables: ?1 is the first stage, ?2 the last,
 * ?3 (where the query has it) the arm, 1 for other methods. */
static sqlite3_stmt *flow_prepare(struct wn_store *store, const struct wn_prisma *p,
				  const char *sql, int arm)
{
	sqlite3_stmt *st = wn_store_prepare(store, sql);

	if (st) {
		wn_bind_text(st, 1, p->first_stage);
		wn_bind_text(st, 2, p->last_stage);
		if (sqlite3_bind_parameter_count(st) >= 3)
			sqlite3_bind_int(st, 3, arm);
	}
	return st;
}

/* Fill an issue's reports from a query of report ids (see flow_prepare);
 * returns how many there were. */
static long issue_reports(struct wn_store *store, struct wn_prisma_issue *is, const char *sql,
			  const struct wn_prisma *p, int arm)
{
	sqlite3_stmt *st = flow_prepare(store, p, sql, arm);
	long n = 0;

	if (!st)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (is->nreports < ISSUE_REPORTS_KEPT) {
			is->reports = xrealloc(is->reports, (is->nreports + 1) * sizeof(*is->reports));
			is->reports[is->nreports++] = sqlite3_column_int64(st, 0);
		}
		n++;
	}
	sqlite3_reset(st);
	is->count = n;
	return n;
}

/* An issue that stands only when the query finds reports that cause it. */
static int issue_if_reports(struct wn_store *store, struct wn_prisma *p, const char *boxes,
			    const char *message, const char *sql)
{
	struct wn_prisma_issue *is = issue_add(p, 1, boxes, "%s", message);
	long n = issue_reports(store, is, sql, p, 0);

	if (n <= 0) {
		free(is->boxes);
		free(is->message);
		free(is->reports);
		p->nissues--;
	}
	return n < 0 ? WN_ERROR : WN_OK;
}

static int read_stages(struct wn_store *store, struct wn_prisma *p)
{
	sqlite3_stmt *st = wn_store_prepare(store, "SELECT name FROM stage ORDER BY position");
	int step;

	if (!st)
		return WN_ERROR;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (!p->first_stage)
			p->first_stage = xstrdup(wn_column_text(st, 0));
		free(p->last_stage);
		p->last_stage = xstrdup(wn_column_text(st, 0));
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		return wn_store_fail(store, "cannot read the stages");
	if (!p->first_stage)
		return wn_error_set(WN_ENOTFOUND, "the review has no screening stages yet "
				    "(load a protocol)");
	return WN_OK;
}

/* The database as the paper names it: the protocol's name (and platform)
 * for [database NAME], else NAME. */
static char *source_label(const struct wn_protocol *proto, const char *key)
{
	const char *name = proto ? wn_protocol_get(proto, "database", key, "name") : NULL;
	const char *platform = proto ? wn_protocol_get(proto, "database", key, "platform") : NULL;

	if (!name)
		return xstrdup(key);
	return platform ? xasprintf("%s (%s)", name, platform) : xstrdup(name);
}

static int read_sources(struct wn_store *store, struct wn_prisma *p, long *dbr_records)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT COALESCE(f.database_name, s.database_name, 'unknown'), "
		"  COALESCE(f.via, s.via, 'database'), COUNT(*) FROM record r "
		"LEFT JOIN import_file f ON f.id = r.import_file_id "
		"LEFT JOIN search_run s ON s.id = r.search_run_id GROUP BY 1, 2 ORDER BY 2, 1");
	const struct wn_protocol *proto = wn_protocol_in_force(store);
	int step;

	if (!st)
		return WN_ERROR;
	*dbr_records = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *via = wn_column_text(st, 1);
		char *label = source_label(proto, wn_column_text(st, 0));
		long n = (long)sqlite3_column_int64(st, 2);

		if (!strcmp(via, "database")) {
			p->database_results += n;
			counts_add(&p->databases, label, n);
		} else if (!strcmp(via, "register")) {
			p->register_results += n;
			counts_add(&p->registers, label, n);
		} else {
			*(!strcmp(via, "website") ? &p->website_results
			  : !strcmp(via, "organisation") ? &p->organisation_results
			  : !strcmp(via, "citation") ? &p->citations_results : &p->other_results) += n;
			counts_add(&p->other_sources, label, n);
		}
		if (!strcmp(via, "database") || !strcmp(via, "register"))
			*dbr_records += n;
		free(label);
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? WN_OK : wn_store_fail(store, "cannot count records per source");
}

/* Every box that counts reports, for both arms at once. */
static int read_flow(struct wn_store *store, struct wn_prisma *p, long *dbr_reports)
{
	sqlite3_stmt *st = flow_prepare(store, p, FLOW_CTE ", " FULLTEXT_CTE
		"SELECT o.other,"
		" SUM(o.stage = ?1),"
		" SUM(o.auto),"
		" SUM(o.stage <> ?2 AND o.eligible AND o.outcome = 'exclude' AND NOT o.auto),"
		" SUM(o.stage <> ?2 AND o.eligible AND o.outcome = 'exclude' AND NOT o.auto AND o.by_rule),"
		" SUM(o.stage <> ?2 AND o.eligible AND o.outcome IN ('pending', 'conflict')),"
		" SUM(o.stage = ?2 AND o.eligible AND NOT o.auto),"
		" SUM(o.stage = ?2 AND o.eligible AND NOT o.auto AND ft.status = 'not_retrieved'),"
		" SUM(o.stage = ?2 AND o.eligible AND NOT o.auto AND o.outcome = 'exclude'),"
		" SUM(o.stage = ?2 AND o.eligible AND o.outcome = 'include'),"
		" SUM(o.stage = ?2 AND o.eligible AND NOT o.auto AND o.outcome IN ('pending', 'conflict')"
		"     AND COALESCE(ft.status, '') <> 'not_retrieved')"
		" FROM o LEFT JOIN ft ON ft.report_id = o.report_id GROUP BY o.other", 0);
	int step;

	if (!st)
		return WN_ERROR;
	*dbr_reports = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int other = sqlite3_column_int(st, 0);
		struct wn_prisma_reports *arm = other ? &p->other : &p->dbr;
		long c[11];

		for (int i = 1; i < 11; i++)
			c[i] = (long)sqlite3_column_int64(st, i);
		if (!other) {
			*dbr_reports = c[1];
			p->excluded_automatic = c[2];
			p->records_excluded = c[3];
			p->records_excluded_automatic = c[4];
			p->records_excluded_human = c[3] - c[4];
			p->records_pending = c[5];
		} else {
			/* by people or by rules before full text */
			p->other_excluded_screening = c[3] + c[2];
		}
		arm->sought = c[6];
		arm->not_retrieved = c[7];
		arm->excluded = c[8];
		arm->included = c[9];
		arm->pending = c[10];
		/* assessed: sought and not marked as not retrieved */
		arm->assessed = arm->sought - arm->not_retrieved;
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? WN_OK : wn_store_fail(store, "cannot work the flow out");
}

/* The exclusions in force on each excluded report (?1 first stage, ?2
 * last), a resolution's first, then the latest: the first row of a report
 * gives its one reason. Columns: arm, report, reason. */
#define EXCLUSIONS(where) FLOW_CTE \
	"SELECT o.other, o.report_id, d.reason FROM o " \
	"JOIN report_record rr ON rr.report_id = o.report_id " \
	"JOIN decision d ON d.record_id = rr.record_id AND d.stage = o.stage " \
	"  AND d.decision = 'exclude' " \
	"  AND NOT EXISTS (SELECT 1 FROM decision x WHERE x.supersedes = d.id) " \
	"WHERE " where " AND o.eligible AND o.outcome = 'exclude' AND NOT o.auto " \
	"ORDER BY o.report_id, o.position, d.kind = 'resolution' DESC, d.id DESC"

/* Count each report's one reason into the arm's counts (other_arm NULL:
 * reports from other methods are left out), `none` where it has none. */
static int count_reasons(struct wn_store *store, const struct wn_prisma *p, const char *sql,
			 struct wn_prisma_counts *dbr_arm, struct wn_prisma_counts *other_arm,
			 const char *none)
{
	sqlite3_stmt *st = flow_prepare(store, p, sql, 0);
	long long last = 0;
	int step;

	if (!st)
		return WN_ERROR;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct wn_prisma_counts *to = sqlite3_column_int(st, 0) ? other_arm : dbr_arm;
		long long report = sqlite3_column_int64(st, 1);
		const char *reason = (const char *)sqlite3_column_text(st, 2);

		if (report == last || !to)
			continue;
		last = report;
		counts_add(to, reason && *reason ? reason : none, 1);
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? WN_OK : wn_store_fail(store, "cannot read the reasons");
}

/* Each report excluded at the last stage under one reason (a rule's label
 * for a rule); and each record from databases and registers excluded
 * before it (not by automation before screening), at the first stage that
 * excluded it. */
static int read_reasons(struct wn_store *store, struct wn_prisma *p)
{
	int rc = count_reasons(store, p, EXCLUSIONS("o.stage = ?2"), &p->dbr.excluded_by_reason,
			       &p->other.excluded_by_reason, "No reason recorded");

	return rc != WN_OK ? rc
	       : count_reasons(store, p, EXCLUSIONS("o.stage <> ?2"),
			       &p->records_excluded_by_reason, NULL, "No reason given");
}

static int read_studies(struct wn_store *store, struct wn_prisma *p)
{
	sqlite3_stmt *st = flow_prepare(store, p, FLOW_CTE
		/* one row per included report: its study, if any record of it is
		 * linked to one (a report linked to two is a check of its own) */
		"SELECT COUNT(DISTINCT COALESCE('s' || study, 'r' || report)), "
		"  (SELECT COUNT(*) FROM study_report) FROM "
		"  (SELECT o.report_id AS report, MIN(sr.study_id) AS study FROM o "
		"   LEFT JOIN report_record rr ON rr.report_id = o.report_id "
		"   LEFT JOIN study_report sr ON sr.record_id = rr.record_id "
		"   WHERE o.stage = ?2 AND o.eligible AND o.outcome = 'include' GROUP BY o.report_id)",
		0);
	int step;

	if (!st)
		return WN_ERROR;
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		p->new_studies = (long)sqlite3_column_int64(st, 0);
		p->studies_linked = sqlite3_column_int64(st, 1) > 0;
	}
	sqlite3_reset(st);
	return step == SQLITE_ROW ? WN_OK : wn_store_fail(store, "cannot count the studies");
}

static int read_excluded_other(struct wn_store *store, struct wn_prisma *p)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT value, note FROM prisma_setting WHERE key = 'excluded_other' "
		"ORDER BY id DESC LIMIT 1");
	int step;

	if (!st)
		return WN_ERROR;
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		p->excluded_other = (long)sqlite3_column_int64(st, 0);
		p->excluded_other_note = xstrdup(wn_column_text(st, 1));
	}
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? WN_OK
							 : wn_store_fail(store, "cannot read the settings");
}

/* The arithmetic between the boxes, each rule checked against counts
 * made independently. */
static int check(struct wn_store *store, struct wn_prisma *p, long dbr_reports)
{
	struct wn_prisma_issue *is;
	char *msg;
	int rc;
	const struct wn_prisma_reports *arms[2] = { &p->dbr, &p->other };
	static const char *const arm_names[2] = { "dbr", "other" };
	long sum[2];

	/* 1: screened = identified - removed; removed cannot exceed identified */
	if (p->duplicates + p->excluded_automatic + p->excluded_other >
	    p->database_results + p->register_results)
		issue_add(p, 1, "database_results, register_results, duplicates, excluded_automatic, excluded_other",
			  "more records removed before screening (%ld) than identified (%ld)",
			  p->duplicates + p->excluded_automatic + p->excluded_other,
			  p->database_results + p->register_results);
	if (p->records_screened < 0)
		issue_add(p, 1, "records_screened, excluded_other",
			  "records removed for other reasons (%ld) are more than the %ld left to "
			  "screen after duplicates and automation", p->excluded_other,
			  dbr_reports - p->excluded_automatic);
	/* 2: sought ~ screened - excluded: what differs is still undecided */
	if (p->records_pending) {
		is = issue_add(p, 0, "records_screened, records_excluded, dbr_sought_reports",
			       "%ld report(s) from databases and registers are still undecided (pending "
			       "or in conflict) before %s: the flow is not final", p->records_pending,
			       p->last_stage);
		if (issue_reports(store, is, FLOW_CTE "SELECT DISTINCT report_id FROM o "
				  "WHERE stage <> ?2 AND eligible AND outcome IN ('pending', 'conflict') "
				  "AND NOT other ORDER BY report_id", p, 0) < 0)
			return WN_ERROR;
	}
	/* 2, as a number: what screening leaves should be what is sought */
	if (p->first_stage && strcmp(p->first_stage, p->last_stage) &&
	    p->records_screened - p->records_excluded - p->records_pending != p->dbr.sought)
		issue_add(p, 0, "records_screened, records_excluded, dbr_sought_reports",
			  "records screened less those excluded and those undecided is %ld, but %ld "
			  "report(s) were sought%s", p->records_screened - p->records_excluded -
			  p->records_pending, p->dbr.sought, p->excluded_other
			  ? " (records removed for other reasons are still in the review, and were "
			    "screened too)" : "");
	/* a report decided at the last stage must have reached it */
	msg = xasprintf("decided at %s, but not included at every stage before it (a decision "
			"there was changed since)", p->last_stage);
	rc = issue_if_reports(store, p, "dbr_sought_reports or other_sought_reports, assessed, excluded",
			      msg, FLOW_CTE "SELECT report_id FROM o WHERE stage = ?2 AND "
			      "NOT eligible AND outcome IN ('include', 'exclude') AND NOT by_rule "
			      "ORDER BY report_id");
	free(msg);
	if (rc != WN_OK)
		return rc;
	/* 3: not retrieved yet decided */
	msg = xasprintf("marked as not retrieved, yet decided at %s", p->last_stage);
	rc = issue_if_reports(store, p, "dbr_notretrieved_reports, dbr_assessed", msg,
			      FLOW_CTE ", " FULLTEXT_CTE "SELECT o.report_id FROM o "
			      "JOIN ft ON ft.report_id = o.report_id WHERE o.stage = ?2 AND o.eligible "
			      "AND ft.status = 'not_retrieved' AND o.outcome IN ('include', 'exclude') "
			      "AND NOT o.by_rule ORDER BY o.report_id");
	free(msg);
	if (rc != WN_OK)
		return rc;
	/* 4 and 5: excluded + included = assessed, per arm */
	for (int a = 0; a < 2; a++) {
		const struct wn_prisma_reports *r = arms[a];
		long reasons = 0;

		for (size_t i = 0; i < r->excluded_by_reason.n; i++)
			reasons += r->excluded_by_reason.items[i].n;
		sum[a] = reasons;
		if (reasons != r->excluded) {
			char *boxes = xasprintf("%s_excluded", arm_names[a]);

			issue_add(p, 1, boxes, "the reasons add up to %ld, but %ld report(s) were "
				  "excluded", reasons, r->excluded);
			free(boxes);
		}
		if (r->excluded + r->included != r->assessed) {
			char *boxes = xasprintf("%s_assessed, %s_excluded, new_reports", arm_names[a],
						arm_names[a]);

			is = issue_add(p, r->pending != r->assessed - r->excluded - r->included, boxes,
				       "%ld report(s) assessed, %ld excluded and %ld included: %ld still "
				       "undecided at %s", r->assessed, r->excluded, r->included,
				       r->assessed - r->excluded - r->included, p->last_stage);
			free(boxes);
			if (issue_reports(store, is, FLOW_CTE ", " FULLTEXT_CTE "SELECT o.report_id "
				  "FROM o LEFT JOIN ft ON ft.report_id = o.report_id WHERE o.stage = ?2 "
				  "AND o.eligible AND NOT o.auto AND o.other = ?3 "
				  "AND o.outcome IN ('pending', 'conflict') "
				  "AND COALESCE(ft.status, '') <> 'not_retrieved' ORDER BY o.report_id",
				  p, a) < 0)
				return WN_ERROR;
		}
	}
	if (p->new_reports != (p->dbr.assessed - sum[0]) + (p->other.assessed - sum[1]) &&
	    !p->dbr.pending && !p->other.pending)
		issue_add(p, 1, "new_reports, dbr_assessed, dbr_excluded, other_assessed, other_excluded",
			  "%ld report(s) included, but assessed minus excluded is %ld", p->new_reports,
			  (p->dbr.assessed - sum[0]) + (p->other.assessed - sum[1]));
	/* a report belongs to one study */
	if ((rc = issue_if_reports(store, p, "new_studies", "included report(s) whose records are "
				   "linked to different studies", FLOW_CTE "SELECT o.report_id FROM o "
				   "JOIN report_record rr ON rr.report_id = o.report_id "
				   "JOIN study_report sr ON sr.record_id = rr.record_id "
				   "WHERE o.stage = ?2 AND o.eligible AND o.outcome = 'include' "
				   "GROUP BY o.report_id HAVING COUNT(DISTINCT sr.study_id) > 1 "
				   "ORDER BY o.report_id")) != WN_OK)
		return rc;
	/* 6 */
	if (p->new_studies > p->new_reports)
		issue_add(p, 1, "new_studies, new_reports", "more studies (%ld) than reports (%ld)",
			  p->new_studies, p->new_reports);
	if (p->other_excluded_screening)
		issue_add(p, 0, "other_sought_reports",
			  "%ld record(s) from other methods were excluded before %s; PRISMA's "
			  "other-methods arm has no box for them", p->other_excluded_screening,
			  p->last_stage);
	return WN_OK;
}

static void method_add(struct wn_prisma *p, char *text)
{
	p->methods = xrealloc(p->methods, (p->nmethods + 1) * sizeof(*p->methods));
	p->methods[p->nmethods++] = text;
}

/* Prioritised screening and stopping samples, in words, for the methods. */
static int read_methods(struct wn_store *store, struct wn_prisma *p)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		/* an order counts for a reviewer who screened after it was
		 * shown: a look at `winnow next` alone says nothing of how the
		 * stage was screened. "After" in the trail's own order: the
		 * times are to the second */
		"SELECT json_extract(a.details, '$.stage'), json_extract(a.details, '$.order'), "
		"  coalesce(json_extract(a.details, '$.settings'), ''), "
		"  replace(group_concat(DISTINCT json_extract(a.details, '$.reviewer')), ',', ', '), "
		"  MIN(a.at) "
		"FROM audit_log a WHERE a.action = 'screen.order' AND EXISTS (SELECT 1 FROM audit_log x "
		"  JOIN decision d ON d.id = x.entity_id WHERE x.id > a.id AND x.action = 'decide' "
		"  AND x.entity = 'decision' AND d.kind = 'human' "
		"  AND d.stage = json_extract(a.details, '$.stage') "
		"  AND d.reviewer = json_extract(a.details, '$.reviewer')) "
		"GROUP BY 1, 2, 3 ORDER BY MIN(a.id)");
	int step;

	if (!st)
		return WN_ERROR;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *stage = wn_column_text(st, 0), *order = wn_column_text(st, 1);

		if (!strcmp(order, "relevance"))
			method_add(p, xasprintf("Screening at %s was prioritised: reports were shown "
						"best first by a relevance model learned from the "
						"decisions as they were made (%s), to %s, from %.10s. "
						"The order changes no decision; reports not screened "
						"are counted as such.", stage, wn_column_text(st, 2),
						wn_column_text(st, 3), wn_column_text(st, 4)));
		else
			method_add(p, xasprintf("At %s, %s screened the stopping rule's random sample "
						"in its order, from %.10s.", stage,
						wn_column_text(st, 3), wn_column_text(st, 4)));
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		return wn_store_fail(store, "cannot read the audit trail");
	if (!(st = wn_store_prepare(store, "SELECT DISTINCT stage FROM screen_sample ORDER BY id")))
		return WN_ERROR;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct wn_stop_status c;
		char *stage = xstrdup(wn_column_text(st, 0)), newcomers[160] = "";
		int rc = wn_stop_check(store, stage, 0, 0, &c);

		free(stage);
		if (rc == WN_ENOTFOUND) {
			/* a stage the protocol no longer has: its sample says nothing now */
			wn_error_clear();
			continue;
		}
		if (rc != WN_OK) {
			sqlite3_reset(st);
			return rc;
		}
		if (c.newcomers)
			snprintf(newcomers, sizeof(newcomers), ", %ld of them reached the stage after "
				 "the sample was drawn, and the test does not cover them", c.newcomers);
		method_add(p, xasprintf("Stopping rule at %s (Callaghan and Mueller-Hansen 2020): a "
					"random sample of the %ld reports not screened was drawn on "
					"%.10s (seed %llu) after %ld relevant had been found; %ld of it "
					"were screened in its order, %ld relevant. Recall is at least "
					"%.1f%% at %g%% confidence; the target of %g%% is %s. %ld "
					"report(s) at %s were not screened%s.", c.stage, c.test.remaining,
					c.sample_started, c.seed, c.test.seen_before, c.test.drawn,
					c.test.found, 100 * c.test.recall_low, 100 * c.test.confidence,
					100 * c.test.target, c.test.met ? "met" : "not met yet",
					c.unscreened, c.stage, newcomers));
		wn_stop_status_release(&c);
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? WN_OK : wn_store_fail(store, "cannot read the stopping samples");
}

int wn_prisma_compute(struct wn_store *store, long previous_studies, long previous_reports,
		      struct wn_prisma *out)
{
	const struct wn_protocol *proto;
	long dbr_records = 0, dbr_reports = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	out->previous_studies = previous_studies;
	out->previous_reports = previous_reports;
	if ((proto = wn_protocol_in_force(store)) && proto->title)
		out->title = xstrdup(proto->title);
	if ((rc = read_stages(store, out)) != WN_OK || (rc = build_flow(store, out->first_stage)) != WN_OK ||
	    (rc = read_sources(store, out, &dbr_records)) != WN_OK ||
	    (rc = read_flow(store, out, &dbr_reports)) != WN_OK || (rc = read_reasons(store, out)) != WN_OK ||
	    (rc = read_studies(store, out)) != WN_OK || (rc = read_excluded_other(store, out)) != WN_OK ||
	    (rc = read_methods(store, out)) != WN_OK)
		goto fail;
	out->duplicates = dbr_records - dbr_reports;
	out->records_screened = dbr_reports - out->excluded_automatic - out->excluded_other;
	out->new_reports = out->dbr.included + out->other.included;
	out->total_studies = out->new_studies + (previous_studies > 0 ? previous_studies : 0);
	out->total_reports = out->new_reports + (previous_reports > 0 ? previous_reports : 0);
	if ((rc = check(store, out, dbr_reports)) != WN_OK)
		goto fail;
	return WN_OK;
fail:
	wn_prisma_release(out);
	return rc;
}

void wn_prisma_release(struct wn_prisma *p)
{
	free(p->title);
	free(p->first_stage);
	free(p->last_stage);
	free(p->excluded_other_note);
	counts_release(&p->databases);
	counts_release(&p->records_excluded_by_reason);
	counts_release(&p->registers);
	counts_release(&p->other_sources);
	counts_release(&p->dbr.excluded_by_reason);
	counts_release(&p->other.excluded_by_reason);
	for (size_t i = 0; i < p->nissues; i++) {
		free(p->issues[i].boxes);
		free(p->issues[i].message);
		free(p->issues[i].reports);
	}
	free(p->issues);
	for (size_t i = 0; i < p->nmethods; i++)
		free(p->methods[i]);
	free(p->methods);
	memset(p, 0, sizeof(*p));
}

int wn_prisma_violations(const struct wn_prisma *p)
{
	for (size_t i = 0; i < p->nissues; i++)
		if (p->issues[i].violation)
			return 1;
	return 0;
}

int wn_prisma_set(struct wn_store *store, const char *key, long value, const char *note)
{
	sqlite3_stmt *st;
	char now[21], *details;
	int64_t id;
	int rc;

	if (strcmp(key, "excluded_other"))
		return wn_error_set(WN_EINVALID, "'%s' is not a number people set; the one there is "
				    "excluded_other (records removed for other reasons)", key);
	if (value < 0)
		return wn_error_set(WN_EINVALID, "%s cannot be negative", key);
	if (!note || !*note)
		return wn_error_set(WN_EINVALID, "say why with a note (--note): a reader of the "
				    "paper will ask");
	if ((rc = wn_store_begin(store)) != WN_OK)
		return rc;
	if (!(st = wn_store_prepare(store, "INSERT INTO prisma_setting(key, value, note, actor, set_at) "
					   "VALUES (?, ?, ?, ?, ?)"))) {
		wn_store_rollback(store);
		return WN_ERROR;
	}
	wn_utc_now(now);
	wn_bind_text(st, 1, key);
	sqlite3_bind_int64(st, 2, value);
	wn_bind_text(st, 3, note);
	wn_bind_text(st, 4, store->actor ? store->actor : "unknown");
	wn_bind_text(st, 5, now);
	if ((rc = wn_store_insert(store, st, "cannot record the setting", &id)) != WN_OK) {
		wn_store_rollback(store);
		return rc;
	}
	details = xasprintf("{\"key\":\"%s\",\"value\":%ld}", key, value);
	rc = wn_audit_append(store, "prisma.set", "prisma_setting", id, details);
	free(details);
	if (rc < 0) {
		wn_store_rollback(store);
		return rc;
	}
	return wn_store_commit(store);
}

/* The identifiers ("doi:...", "pmid:...") of a review's included reports,
 * sorted: every record of each report counts. ?1 first stage, ?2 last. */
static int included_keys(struct wn_store *store, const struct wn_prisma *p, char ***keys,
			 size_t *n)
{
	sqlite3_stmt *st = flow_prepare(store, p, FLOW_CTE
		"SELECT DISTINCT 'doi:' || r.doi FROM o JOIN report_record rr ON rr.report_id = o.report_id "
		"JOIN record r ON r.id = rr.record_id WHERE o.stage = ?2 AND o.eligible "
		"AND o.outcome = 'include' AND r.doi IS NOT NULL "
		"UNION SELECT DISTINCT 'pmid:' || r.pmid FROM o JOIN report_record rr "
		"ON rr.report_id = o.report_id JOIN record r ON r.id = rr.record_id "
		"WHERE o.stage = ?2 AND o.eligible AND o.outcome = 'include' AND r.pmid IS NOT NULL "
		"ORDER BY 1", 0);
	size_t cap = 0;
	int step;

	*keys = NULL;
	*n = 0;
	if (!st)
		return WN_ERROR;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*keys = xrealloc(*keys, cap * sizeof(**keys));
		}
		(*keys)[(*n)++] = xstrdup(wn_column_text(st, 0));
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? WN_OK : wn_store_fail(store, "cannot read the included reports");
}

int wn_prisma_use_previous(struct wn_store *store, struct wn_store *previous, struct wn_prisma *p)
{
	struct wn_prisma old;
	char **mine = NULL, **theirs = NULL;
	size_t nmine = 0, ntheirs = 0, shared = 0, i = 0, j = 0;
	int rc;

	if ((rc = wn_prisma_compute(previous, -1, -1, &old)) != WN_OK)
		return rc;
	p->previous_studies = old.total_studies;
	p->previous_reports = old.total_reports;
	p->total_studies = p->new_studies + p->previous_studies;
	p->total_reports = p->new_reports + p->previous_reports;
	if ((rc = included_keys(store, p, &mine, &nmine)) == WN_OK &&
	    (rc = included_keys(previous, &old, &theirs, &ntheirs)) == WN_OK) {
		/* both sorted: count the identifiers included in both versions */
		while (i < nmine && j < ntheirs) {
			int c = strcmp(mine[i], theirs[j]);

			shared += c == 0;
			i += c <= 0;
			j += c >= 0;
		}
		if (shared)
			issue_add(p, 0, "previous_reports, new_reports, total_reports",
				  "%zu identifier(s) of reports included now were included in the "
				  "previous version too: the totals count those reports twice", shared);
	}
	for (size_t k = 0; k < nmine; k++)
		free(mine[k]);
	for (size_t k = 0; k < ntheirs; k++)
		free(theirs[k]);
	free(mine);
	free(theirs);
	wn_prisma_release(&old);
	return rc;
}
