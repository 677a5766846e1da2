/*
 * A reviewer's queue ordered by relevance (include/winnow/screening.h):
 * the relevance model (rank.c) trained on the stage's human decisions so
 * far, scoring the reports still waiting for the reviewer.
 *
 * What it learns from: a report's resolution where there is one; else the
 * reviewer's own decision; else, for a report no longer waiting for the
 * reviewer, the other reviewers' (relevant if any included it). Another
 * reviewer's decision on a report still waiting for this one is not used:
 * ranking it would tell this reviewer what the other decided.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "screening_int.h"
#include "store_int.h"
#include "util.h"
#include "winnow/rank.h"
#include "winnow/screening.h"

struct label {
	long long report;
	signed char mine, resolved, others; /* -1 none, 0 exclude, 1 include or maybe */
};

/* Every report with a human decision or resolution in force at the stage. */
static int stage_labels(struct wn_store *store, const char *stage, const char *reviewer,
			struct label **out, size_t *n)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT rr.report_id, d.kind, d.reviewer = ?2, d.decision FROM decision d "
		"JOIN report_record rr ON rr.record_id = d.record_id "
		"WHERE d.stage = ?1 AND d.kind IN ('human', 'resolution') "
		"AND NOT EXISTS (SELECT 1 FROM decision x WHERE x.supersedes = d.id) "
		"ORDER BY rr.report_id, d.id");
	size_t cap = 0;
	int step;

	*out = NULL;
	*n = 0;
	if (!st)
		return WN_ERROR;
	wn_bind_text(st, 1, stage);
	wn_bind_text(st, 2, reviewer);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		long long report = sqlite3_column_int64(st, 0);
		int relevant = strcmp(wn_column_text(st, 3), "exclude") != 0;
		struct label *l;

		if (!*n || (*out)[*n - 1].report != report) {
			if (*n == cap) {
				cap = cap ? 2 * cap : 256;
				*out = xrealloc(*out, cap * sizeof(**out));
			}
			l = &(*out)[(*n)++];
			l->report = report;
			l->mine = l->resolved = l->others = -1;
		}
		l = &(*out)[*n - 1];
		if (!strcmp(wn_column_text(st, 1), "resolution"))
			l->resolved = (signed char)relevant;
		else if (sqlite3_column_int(st, 2))
			l->mine = (signed char)relevant;
		else if (l->others < 1)
			l->others = (signed char)relevant;
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? WN_OK : wn_store_fail(store, "cannot read the decisions");
}

static int add_text(struct wn_store *store, struct wn_rank *r, size_t doc, long long report,
		    const struct wn_rank_settings *s)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT title, abstract, keywords FROM record WHERE id = ?");
	int step;

	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, report);
	if ((step = sqlite3_step(st)) == SQLITE_ROW) {
		wn_rank_add_text(r, doc, (const char *)sqlite3_column_text(st, 0), s->title_weight);
		wn_rank_add_text(r, doc, (const char *)sqlite3_column_text(st, 1), 1);
		wn_rank_add_text(r, doc, (const char *)sqlite3_column_text(st, 2), 1);
	}
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? WN_OK
		: wn_store_fail(store, "cannot read the records");
}

struct wn_screen_ranker {
	struct wn_rank *model;
	long long *reports;   /* the documents: the queue's reports sorted, then
			       * the labelled reports outside it */
	size_t nqueue, ndocs;
	double *scores;       /* per document, as last worked out */
	struct wn_rank_settings settings;
};

static long long doc_of(const struct wn_screen_ranker *k, long long report)
{
	long long *at = bsearch(&report, k->reports, k->nqueue, sizeof(*k->reports), wn_cmp_id);

	return at ? at - k->reports : -1;
}

int wn_screen_ranker_open(struct wn_store *store, const char *stage, const char *reviewer,
			  const struct wn_rank_settings *s, struct wn_screen_queue *queue,
			  struct wn_screen_ranker **out)
{
	struct wn_screen_ranker *k = xcalloc(1, sizeof(*k));
	struct label *labels = NULL;
	size_t nlabels = 0;
	int rc;

	*out = NULL;
	memset(queue, 0, sizeof(*queue));
	k->settings = *s;
	if ((rc = wn_screen_queue(store, stage, reviewer, queue)) != WN_OK ||
	    (rc = stage_labels(store, stage, reviewer, &labels, &nlabels)) != WN_OK)
		goto done;
	k->nqueue = k->ndocs = queue->n;
	k->reports = xmalloc((queue->n + nlabels + 1) * sizeof(*k->reports));
	/* the queue comes in report order: sorted */
	memcpy(k->reports, queue->reports, queue->n * sizeof(*k->reports));
	for (size_t i = 0; i < nlabels; i++)
		if (doc_of(k, labels[i].report) < 0)
			k->reports[k->ndocs++] = labels[i].report;
	k->model = wn_rank_new(k->ndocs, s);
	for (size_t d = 0; d < k->ndocs && rc == WN_OK; d++)
		rc = add_text(store, k->model, d, k->reports[d], s);
	if (rc != WN_OK)
		goto done;
	wn_rank_finish(k->model);
	/* the labelled reports outside the queue follow it in report order,
	 * as the labels do: one pointer walks them */
	for (size_t i = 0, next = k->nqueue; i < nlabels; i++) {
		const struct label *l = &labels[i];
		long long d = doc_of(k, l->report);
		int label = l->resolved >= 0 ? l->resolved : l->mine >= 0 ? l->mine
			    : d >= 0 ? -1 : l->others;

		if (label < 0)
			continue;
		if (d < 0) {
			while (next < k->ndocs && k->reports[next] < l->report)
				next++;
			if (next == k->ndocs || k->reports[next] != l->report)
				continue;
			d = (long long)next;
		}
		wn_rank_label(k->model, (size_t)d, label);
	}
	k->scores = xmalloc((k->ndocs + 1) * sizeof(*k->scores));
done:
	free(labels);
	if (rc != WN_OK) {
		wn_screen_ranker_close(k);
		wn_screen_queue_release(queue);
		return rc;
	}
	*out = k;
	return WN_OK;
}

void wn_screen_ranker_learn(struct wn_screen_ranker *k, long long report, const char *decision)
{
	long long d = doc_of(k, report);

	if (d >= 0)
		wn_rank_label(k->model, (size_t)d, strcmp(decision, "exclude") != 0);
}

struct scored {
	double score;
	long long report;
};

static int best_first(const void *a, const void *b)
{
	const struct scored *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->report < y->report ? -1 : x->report > y->report;
}

void wn_screen_ranker_order(struct wn_screen_ranker *k, long long *reports, size_t n,
			    double *scores)
{
	struct scored *v = xmalloc((n + 1) * sizeof(*v));

	wn_rank_scores(k->model, k->scores);
	for (size_t i = 0; i < n; i++) {
		long long d = doc_of(k, reports[i]);

		v[i].report = reports[i];
		v[i].score = d >= 0 ? k->scores[d] : -HUGE_VAL;
	}
	qsort(v, n, sizeof(*v), best_first);
	for (size_t i = 0; i < n; i++) {
		reports[i] = v[i].report;
		if (scores)
			scores[i] = v[i].score;
	}
	free(v);
}

int wn_screen_ranker_ready(const struct wn_screen_ranker *k, size_t *relevant, size_t *irrelevant)
{
	if (relevant)
		*relevant = wn_rank_labelled(k->model, 1);
	if (irrelevant)
		*irrelevant = wn_rank_labelled(k->model, 0);
	return wn_rank_ready(k->model);
}

void wn_screen_ranker_close(struct wn_screen_ranker *k)
{
	if (!k)
		return;
	wn_rank_free(k->model);
	free(k->reports);
	free(k->scores);
	free(k);
}

int wn_screen_queue_ranked(struct wn_store *store, const char *stage, const char *reviewer,
			   const struct wn_rank_settings *s, struct wn_ranked_queue *out)
{
	struct wn_screen_ranker *k;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = wn_screen_ranker_open(store, stage, reviewer, s, &out->queue, &k)) != WN_OK)
		return rc;
	out->scores = xmalloc((out->queue.n + 1) * sizeof(*out->scores));
	wn_screen_ranker_order(k, out->queue.reports, out->queue.n, out->scores);
	out->model = wn_screen_ranker_ready(k, &out->relevant, &out->irrelevant);
	out->settings = wn_rank_describe(s);
	wn_screen_ranker_close(k);
	return WN_OK;
}

void wn_ranked_queue_release(struct wn_ranked_queue *q)
{
	wn_screen_queue_release(&q->queue);
	free(q->scores);
	free(q->settings);
	memset(q, 0, sizeof(*q));
}

int wn_screen_record_order(struct wn_store *store, const char *stage, const char *reviewer,
			   const char *order, const char *settings)
{
	json_t *d = json_pack("{s:s,s:s,s:s,s:s?}", "stage", stage, "reviewer", reviewer ? reviewer : "",
			      "order", order, "settings", settings);
	char *details = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT 1 FROM audit_log WHERE action = 'screen.order' AND details = ? LIMIT 1");
	int rc = WN_OK, step;

	json_decref(d);
	if (!details || !st) {
		free(details);
		return st ? wn_error_set(WN_ERROR, "out of memory") : WN_ERROR;
	}
	/* once is enough: the same order, settings and reviewer at a stage */
	wn_bind_text(st, 1, details);
	step = sqlite3_step(st);
	sqlite3_reset(st);
	if (step == SQLITE_DONE) {
		if ((rc = wn_store_begin(store)) == WN_OK) {
			rc = wn_audit_append(store, "screen.order", NULL, 0, details);
			if (rc == WN_OK)
				rc = wn_store_commit(store);
			else
				wn_store_rollback(store);
		}
	} else if (step != SQLITE_ROW) {
		rc = wn_store_fail(store, "cannot read the audit trail");
	}
	free(details);
	return rc;
}
