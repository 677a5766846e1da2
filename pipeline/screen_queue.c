/*
 * A reviewer's queue at a stage, for the screening screen
 * (include/winnow/screening.h). The queue is worked out once, set-wise:
 * one pass over the reports and one grouped query per stage over its
 * decisions, so that it costs seconds, not minutes, in a review of a
 * million records. Before a report is shown it is checked again on its
 * own with indexed queries (another reviewer, in another process, may have
 * settled it since), which keeps every step of the screen in milliseconds.
 */
#include <stdlib.h>
#include <string.h>

#include "record_store.h"
#include "screening_int.h"
#include "store_int.h"
#include "util.h"
#include "winnow/screening.h"

enum outcome { PENDING, INCLUDE, EXCLUDE, CONFLICT };

/* A report with decisions at a stage: its outcome there, and whether the
 * reviewer has a decision in force on it. */
struct stage_row {
	long long report;
	unsigned char outcome, mine;
};

struct stage_rows {
	struct stage_row *rows;
	size_t n, cap;
};

static enum outcome outcome_of(const char *word)
{
	return !strcmp(word, "include") ? INCLUDE : !strcmp(word, "exclude") ? EXCLUDE
	       : !strcmp(word, "pending") ? PENDING : CONFLICT;
}

/* Every report with a decision in force at the stage, in report order, as
 * the report_stage_outcome view would judge it. */
static int stage_rows(struct wn_store *store, const struct wn_stage_info *s, const char *reviewer,
		      struct stage_rows *out)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"WITH dec AS (SELECT rr.report_id AS report, d.id, d.reviewer, d.kind, d.decision "
		"  FROM decision d JOIN report_record rr ON rr.record_id = d.record_id "
		"  WHERE d.stage = ?1 AND NOT EXISTS (SELECT 1 FROM decision x WHERE x.supersedes = d.id)),\n"
		"human AS (SELECT report, reviewer, decision, ROW_NUMBER() OVER "
		"  (PARTITION BY report, reviewer ORDER BY id DESC) AS rn FROM dec WHERE kind = 'human'),\n"
		"hsum AS (SELECT report, COUNT(*) AS n, MIN(decision) AS lo, MAX(decision) AS hi, "
		"  MAX(reviewer = ?2) AS mine FROM human WHERE rn = 1 GROUP BY report),\n"
		"res AS (SELECT report, decision, ROW_NUMBER() OVER "
		"  (PARTITION BY report ORDER BY id DESC) AS rn FROM dec WHERE kind = 'resolution'),\n"
		"rul AS (SELECT DISTINCT report FROM dec WHERE kind = 'rule' AND decision = 'exclude'),\n"
		"reps AS (SELECT DISTINCT report FROM dec)\n"
		"SELECT reps.report, res.decision, rul.report IS NOT NULL, COALESCE(hsum.n, 0), "
		"  hsum.lo, hsum.hi, COALESCE(hsum.mine, 0) FROM reps "
		"LEFT JOIN res ON res.report = reps.report AND res.rn = 1 "
		"LEFT JOIN rul ON rul.report = reps.report "
		"LEFT JOIN hsum ON hsum.report = reps.report ORDER BY reps.report");
	int step;

	out->n = 0;
	if (!st)
		return WN_ERROR;
	wn_bind_text(st, 1, s->name);
	wn_bind_text(st, 2, reviewer ? reviewer : "");
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct stage_row *r;
		const char *res = (const char *)sqlite3_column_text(st, 1);
		const char *lo = (const char *)sqlite3_column_text(st, 4);
		const char *hi = (const char *)sqlite3_column_text(st, 5);
		int n = sqlite3_column_int(st, 3);

		if (out->n == out->cap) {
			out->cap = out->cap ? out->cap * 2 : 1024;
			out->rows = xrealloc(out->rows, out->cap * sizeof(*out->rows));
		}
		r = &out->rows[out->n++];
		r->report = sqlite3_column_int64(st, 0);
		r->mine = (unsigned char)sqlite3_column_int(st, 6);
		r->outcome = (unsigned char)outcome_of(wn_outcome_judge(res, sqlite3_column_int(st, 2),
									 n, wn_stage_required(s, r->report),
									 lo, hi));
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? WN_OK : wn_store_fail(store, "cannot read the decisions");
}

static void push(long long **ids, size_t *n, size_t *cap, long long id)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 1024;
		*ids = xrealloc(*ids, *cap * sizeof(**ids));
	}
	(*ids)[(*n)++] = id;
}

int wn_stage_reports(struct wn_store *store, const struct wn_stage_info *s, long long **ids,
		     size_t *n)
{
	size_t cap = 0;
	sqlite3_stmt *st;
	int step, rc = WN_OK;

	*ids = NULL;
	*n = 0;
	if (s->first) {
		/* sorted here, not by the query: in id order SQLite walks the
		 * records' table, abstracts and all; in any order it reads the
		 * ids off an index a small part of its size (the stopping test
		 * asks at every key of the screen) */
		st = wn_store_prepare(store,
			"SELECT r.id FROM record r WHERE NOT EXISTS (SELECT 1 FROM cluster_member m "
			"JOIN dedupe_cluster c ON c.id = m.cluster_id WHERE m.record_id = r.id "
			"AND c.primary_record_id <> r.id)");
		if (!st)
			return WN_ERROR;
		while ((step = sqlite3_step(st)) == SQLITE_ROW)
			push(ids, n, &cap, sqlite3_column_int64(st, 0));
		sqlite3_reset(st);
		for (size_t i = 1; i < *n; i++)
			if ((*ids)[i - 1] > (*ids)[i]) { /* the index is by file: mostly in order */
				qsort(*ids, *n, sizeof(**ids), wn_cmp_id);
				break;
			}
		return step == SQLITE_DONE ? WN_OK : wn_store_fail(store, "cannot read the reports");
	}
	{
		struct wn_stage_info *before;
		size_t nbefore;

		rc = wn_stages_before(store, s, &before, &nbefore);
		/* included at the first stage before, then kept only while
		 * included at each of the others */
		for (size_t i = 0; i < nbefore && rc == WN_OK; i++) {
			struct stage_rows rows = { 0 };
			size_t kept = 0, j = 0;

			if ((rc = stage_rows(store, &before[i], NULL, &rows)) == WN_OK) {
				if (i == 0) {
					for (size_t k = 0; k < rows.n; k++)
						if (rows.rows[k].outcome == INCLUDE)
							push(ids, n, &cap, rows.rows[k].report);
				} else {
					for (size_t k = 0; k < *n; k++) {
						while (j < rows.n && rows.rows[j].report < (*ids)[k])
							j++;
						if (j < rows.n && rows.rows[j].report == (*ids)[k] &&
						    rows.rows[j].outcome == INCLUDE)
							(*ids)[kept++] = (*ids)[k];
					}
					*n = kept;
				}
			}
			free(rows.rows);
		}
		wn_stages_release(before, nbefore);
	}
	return rc;
}

int wn_screen_queue(struct wn_store *store, const char *stage, const char *reviewer,
		    struct wn_screen_queue *out)
{
	struct wn_stage_info s = { 0 };
	struct stage_rows rows = { 0 };
	long long *reached = NULL;
	size_t nreached = 0, cap = 0, j = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!reviewer || !*reviewer)
		return wn_error_set(WN_EINVALID, "say who screens (--reviewer, or $WINNOW_REVIEWER)");
	if ((rc = wn_stage_find(store, stage, &s)) != WN_OK)
		return rc;
	if ((rc = wn_stage_reports(store, &s, &reached, &nreached)) == WN_OK &&
	    (rc = stage_rows(store, &s, reviewer, &rows)) == WN_OK) {
		for (size_t i = 0; i < nreached; i++) {
			const struct stage_row *r = NULL;

			while (j < rows.n && rows.rows[j].report < reached[i])
				j++;
			if (j < rows.n && rows.rows[j].report == reached[i])
				r = &rows.rows[j];
			if (r && r->mine)
				out->done++;
			else if (!r || r->outcome == PENDING)
				push(&out->reports, &out->n, &cap, reached[i]);
		}
	}
	free(rows.rows);
	free(reached);
	free(s.name);
	if (rc != WN_OK)
		wn_screen_queue_release(out);
	return rc;
}

void wn_screen_queue_release(struct wn_screen_queue *q)
{
	free(q->reports);
	memset(q, 0, sizeof(*q));
}

int wn_screen_standing(struct wn_store *store, const char *stage, const char *reviewer,
		       long long report, struct wn_screen_standing *out)
{
	struct wn_stage_info s = { 0 };
	struct wn_standing sd;
	long long primary;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = wn_stage_find(store, stage, &s)) != WN_OK)
		return rc;
	if ((rc = wn_report_of(store, report, &primary)) == WN_OK && primary == report) {
		rc = wn_stage_reached(store, report, &s);
		if (rc == WN_EINVALID) {
			rc = WN_OK; /* no longer at this stage: not waiting */
		} else if (rc == WN_OK &&
			   (rc = wn_stage_outcome(store, report, &s, reviewer, out->outcome,
						  sizeof(out->outcome), &sd)) == WN_OK) {
			out->reached = 1;
			out->waiting = !sd.mine && !strcmp(out->outcome, "pending");
			if (sd.mine) {
				sqlite3_stmt *st = wn_store_prepare(store,
					"SELECT decision, reason, note FROM decision WHERE id = ?");

				if (!st) {
					rc = WN_ERROR;
				} else {
					sqlite3_bind_int64(st, 1, sd.mine);
					if (sqlite3_step(st) == SQLITE_ROW) {
						snprintf(out->mine, sizeof(out->mine), "%s",
							 wn_column_text(st, 0));
						out->mine_reason = sqlite3_column_type(st, 1) == SQLITE_NULL
							? NULL : xstrdup(wn_column_text(st, 1));
						out->mine_note = sqlite3_column_type(st, 2) == SQLITE_NULL
							? NULL : xstrdup(wn_column_text(st, 2));
					}
					sqlite3_reset(st);
				}
			}
		}
	}
	free(s.name);
	return rc;
}

void wn_screen_standing_release(struct wn_screen_standing *s)
{
	free(s->mine_reason);
	free(s->mine_note);
	memset(s, 0, sizeof(*s));
}

int wn_report_load(struct wn_store *store, long long report, struct wn_report_view *out)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT " WN_RECORD_COLUMNS " FROM record r WHERE r.id = ?");
	sqlite3_stmt *src;
	struct wn_filled filled;
	struct wn_buf sources = WN_BUF_INIT;
	int step, rc;

	memset(out, 0, sizeof(*out));
	wn_record_init(&out->rec);
	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, report);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		wn_record_from_row(st, &out->rec);
	sqlite3_reset(st);
	if (step != SQLITE_ROW)
		return step == SQLITE_DONE
			? wn_error_set(WN_ENOTFOUND, "no record %lld in the review", report)
			: wn_store_fail(store, "cannot read the record");
	out->report_id = report;
	if ((rc = wn_report_fill(store, &out->rec, report, &filled)) != WN_OK)
		return rc;
	/* the databases its records came from, each once, in record order */
	src = wn_store_prepare(store,
		"SELECT " WN_RECORD_SOURCE ", COUNT(*) FROM record r " WN_RECORD_ORIGIN_JOIN
		"WHERE r.id IN " MEMBERS " GROUP BY 1 ORDER BY MIN(r.id)");
	if (!src)
		return WN_ERROR;
	sqlite3_bind_int64(src, 1, report);
	while ((step = sqlite3_step(src)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(src, 0);

		wn_buf_addf(&sources, "%s%s", sources.len ? "; " : "", name ? name : "(unnamed)");
		out->nrecords += (size_t)sqlite3_column_int64(src, 1);
	}
	sqlite3_reset(src);
	out->sources = xstrdup(wn_buf_str(&sources));
	wn_buf_release(&sources);
	return step == SQLITE_DONE ? WN_OK : wn_store_fail(store, "cannot read the record's sources");
}

void wn_report_view_release(struct wn_report_view *v)
{
	wn_record_clear(&v->rec);
	free(v->sources);
	memset(v, 0, sizeof(*v));
}

int wn_screen_others(struct wn_store *store, const char *stage, const char *reviewer,
		     long long report, char **out)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT d.reviewer, d.decision, d.reason FROM decision d "
		"WHERE d.stage = ?2 AND d.kind = 'human' AND d.reviewer <> ?3 AND d.record_id IN "
		MEMBERS " AND NOT EXISTS (SELECT 1 FROM decision x WHERE x.supersedes = d.id) "
		"ORDER BY d.reviewer, d.id DESC");
	struct wn_buf b = WN_BUF_INIT;
	char last[256] = "";
	int step;

	*out = NULL;
	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, report);
	wn_bind_text(st, 2, stage);
	wn_bind_text(st, 3, reviewer);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *who = wn_column_text(st, 0);

		if (!strncmp(who, last, sizeof(last) - 1))
			continue; /* each reviewer's latest only */
		snprintf(last, sizeof(last), "%s", who);
		wn_buf_addf(&b, "%s%s: %s", b.len ? "; " : "", who, wn_column_text(st, 1));
		if (sqlite3_column_type(st, 2) != SQLITE_NULL)
			wn_buf_addf(&b, " (%s)", wn_column_text(st, 2));
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		wn_buf_release(&b);
		return wn_store_fail(store, "cannot read the decisions");
	}
	*out = b.len ? wn_buf_detach(&b) : NULL;
	wn_buf_release(&b);
	return WN_OK;
}
