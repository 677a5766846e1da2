#include "winnow/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dedupe/dedupe_int.h"
#include "store_int.h"
#include "util.h"

static int scalar(struct wn_store *store, const char *sql, long *out)
{
	sqlite3_stmt *st = wn_store_prepare(store, sql);

	if (!st)
		return wn_error_code();
	if (sqlite3_step(st) != SQLITE_ROW)
		return wn_store_fail(store, "cannot count");
	*out = (long)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return WN_OK;
}

static int collect_sources(struct wn_store *store, struct wn_review_status *s)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT name, via, SUM(searches), SUM(imports), SUM(records) FROM ("
		"  SELECT database_name AS name, via, 1 AS searches, 0 AS imports,"
		"    (SELECT COUNT(*) FROM record r WHERE r.search_run_id = sr.id) AS records"
		"  FROM search_run sr"
		"  UNION ALL"
		"  SELECT database_name, via, 0, 1,"
		"    (SELECT COUNT(*) FROM record r WHERE r.import_file_id = f.id)"
		"  FROM import_file f)"
		" GROUP BY name, via ORDER BY via, name");
	int rc;

	if (!st)
		return wn_error_code();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct wn_status_source *src;

		s->sources = xrealloc(s->sources, (s->nsources + 1) * sizeof(*s->sources));
		src = &s->sources[s->nsources++];
		src->name = xstrdup(wn_column_text(st, 0));
		src->via = xstrdup(wn_column_text(st, 1));
		src->searches = (long)sqlite3_column_int64(st, 2);
		src->imports = (long)sqlite3_column_int64(st, 3);
		src->records = (long)sqlite3_column_int64(st, 4);
	}
	if (rc != SQLITE_DONE)
		return wn_store_fail(store, "cannot count records per source");
	return WN_OK;
}

static int collect_stages(struct wn_store *store, struct wn_review_status *s)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT s.name, s.reviewers_required,"
		"  COALESCE(SUM(o.eligible), 0),"
		"  COALESCE(SUM(o.eligible AND o.outcome IN ('include', 'exclude')), 0),"
		"  COALESCE(SUM(o.eligible AND o.outcome = 'include'), 0),"
		"  COALESCE(SUM(o.eligible AND o.outcome = 'exclude'), 0),"
		"  COALESCE(SUM(o.eligible AND o.outcome = 'exclude' AND o.by_rule), 0),"
		"  COALESCE(SUM(o.eligible AND o.outcome = 'conflict'), 0),"
		"  s.dual_fraction, COALESCE(s.sample_seed, 0),"
		"  COALESCE(SUM(o.eligible AND o.required > s.reviewers_required), 0)"
		" FROM stage s LEFT JOIN report_stage_outcome o ON o.stage = s.name"
		" GROUP BY s.name ORDER BY s.position");
	int rc;

	if (!st)
		return wn_error_code();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct wn_status_stage *g;

		s->stages = xrealloc(s->stages, (s->nstages + 1) * sizeof(*s->stages));
		g = &s->stages[s->nstages++];
		g->name = xstrdup(wn_column_text(st, 0));
		g->reviewers_required = sqlite3_column_int(st, 1);
		g->eligible = (long)sqlite3_column_int64(st, 2);
		g->screened = (long)sqlite3_column_int64(st, 3);
		g->included = (long)sqlite3_column_int64(st, 4);
		g->excluded = (long)sqlite3_column_int64(st, 5);
		g->excluded_by_rule = (long)sqlite3_column_int64(st, 6);
		g->conflicts = (long)sqlite3_column_int64(st, 7);
		g->dual_fraction = sqlite3_column_double(st, 8);
		g->sample_seed = sqlite3_column_int64(st, 9);
		g->dual_sampled = (long)sqlite3_column_int64(st, 10);
		g->pending = g->eligible - g->screened;
	}
	if (rc != SQLITE_DONE)
		return wn_store_fail(store, "cannot count screening progress");
	return WN_OK;
}

int wn_status_collect(struct wn_store *store, struct wn_review_status *s)
{
	sqlite3_stmt *st;
	int rc;

	memset(s, 0, sizeof(*s));
	s->schema_version = wn_store_schema_version(store);
	snprintf(s->created_at, sizeof(s->created_at), "%s", wn_store_created_at(store));

	st = wn_store_prepare(store, "SELECT id, sha256, title FROM protocol ORDER BY id DESC LIMIT 1");
	if (!st)
		return wn_error_code();
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		s->protocol_version = sqlite3_column_int(st, 0);
		snprintf(s->protocol_sha256, sizeof(s->protocol_sha256), "%s", wn_column_text(st, 1));
		s->protocol_title = xstrdup(wn_column_text(st, 2));
	} else if (rc != SQLITE_DONE) {
		return wn_store_fail(store, "cannot read the protocol");
	}
	sqlite3_reset(st);

	if ((rc = scalar(store, "SELECT COUNT(*) FROM record", &s->records)) < 0 ||
	    (rc = scalar(store, "SELECT COUNT(*) FROM report_record WHERE record_id = report_id",
			 &s->reports)) < 0 ||
	    (rc = scalar(store, "SELECT COUNT(*) FROM dedupe_cluster", &s->clusters)) < 0 ||
	    (rc = scalar(store,
			 "SELECT COUNT(*) FROM dedupe_pair p " WN_PAIR_DECISION_IN_FORCE
			 "WHERE d.decision = 'queued'",
			 &s->pairs_to_review)) < 0 ||
	    (rc = scalar(store, "SELECT COUNT(*) FROM study", &s->studies)) < 0 ||
	    (rc = scalar(store, "SELECT COUNT(*) FROM study_report", &s->study_reports)) < 0 ||
	    (rc = scalar(store, "SELECT COUNT(DISTINCT study_id) FROM appraisal a WHERE EXISTS "
			 "(SELECT 1 FROM appraisal_answer x WHERE x.appraisal_id = a.id)",
			 &s->studies_appraised)) < 0 ||
	    (rc = scalar(store, "SELECT COUNT(*) FROM theme WHERE merged_into IS NULL", &s->themes)) < 0 ||
	    (rc = scalar(store, "SELECT COUNT(*) FROM finding", &s->findings)) < 0 ||
	    (rc = scalar(store, "SELECT COUNT(DISTINCT j.theme_id) FROM cerqual_judgement j "
			 "JOIN theme t ON t.id = j.theme_id AND t.merged_into IS NULL "
			 "WHERE j.component = 'overall'", &s->findings_assessed)) < 0 ||
	    (rc = scalar(store, "SELECT COUNT(*) FROM audit_log", &s->audit_entries)) < 0 ||
	    (rc = collect_sources(store, s)) < 0 || (rc = collect_stages(store, s)) < 0) {
		wn_status_release(s);
		return rc;
	}
	s->duplicates = s->records - s->reports;
	return WN_OK;
}

void wn_status_release(struct wn_review_status *s)
{
	for (size_t i = 0; i < s->nsources; i++) {
		free(s->sources[i].name);
		free(s->sources[i].via);
	}
	for (size_t i = 0; i < s->nstages; i++)
		free(s->stages[i].name);
	free(s->sources);
	free(s->stages);
	free(s->protocol_title);
	memset(s, 0, sizeof(*s));
}
