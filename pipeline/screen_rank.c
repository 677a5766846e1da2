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
#include <stdlib.h>
#include <string.h>

#include "screening_int.h"
#include "store_int.h"
#include "util.h"
#include "winnow/rank.h"
#include "winnow/screening.h"

struct label {
	long long report;
	signed char mine, resolved, others; /* -1 none, 0 exclude, 1 include or maybe */
};

static int by_report(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static int in_queue(const struct wn_screen_queue *q, long long report)
{
	return bsearch(&report, q->reports, q->n, sizeof(*q->reports), by_report) != NULL;
}

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

static const double *queue_scores;

static int best_first(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	if (queue_scores[x] != queue_scores[y])
		return queue_scores[x] > queue_scores[y] ? -1 : 1;
	return x < y ? -1 : x > y;
}

int wn_screen_queue_ranked(struct wn_store *store, const char *stage, const char *reviewer,
			   const struct wn_rank_settings *s, struct wn_ranked_queue *out)
{
	struct label *labels = NULL;
	size_t nlabels = 0, ndocs, *idx = NULL;
	long long *reports = NULL, *ranked;
	double *scores = NULL, *doc_scores;
	struct wn_rank *r = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = wn_screen_queue(store, stage, reviewer, &out->queue)) != WN_OK ||
	    (rc = stage_labels(store, stage, reviewer, &labels, &nlabels)) != WN_OK)
		goto done;
	/* the documents: the queue's reports (sorted), then the labelled
	 * ones not in it */
	ndocs = out->queue.n;
	reports = xmalloc((out->queue.n + nlabels + 1) * sizeof(*reports));
	memcpy(reports, out->queue.reports, out->queue.n * sizeof(*reports));
	qsort(reports, ndocs, sizeof(*reports), by_report);
	for (size_t i = 0; i < nlabels; i++)
		if (!bsearch(&labels[i].report, reports, out->queue.n, sizeof(*reports), by_report))
			reports[ndocs++] = labels[i].report;
	r = wn_rank_new(ndocs, s);
	for (size_t d = 0; d < ndocs && rc == WN_OK; d++)
		rc = add_text(store, r, d, reports[d], s);
	if (rc != WN_OK)
		goto done;
	wn_rank_finish(r);
	/* the labelled reports outside the queue follow it in report order,
	 * as the labels do: one pointer walks them */
	for (size_t i = 0, next = out->queue.n; i < nlabels; i++) {
		const struct label *l = &labels[i];
		struct wn_screen_queue sorted = { reports, out->queue.n, 0 };
		int waiting = in_queue(&sorted, l->report);
		int label = l->resolved >= 0 ? l->resolved : l->mine >= 0 ? l->mine
			    : waiting ? -1 : l->others;
		size_t d;

		if (label < 0)
			continue;
		if (waiting) {
			d = (size_t)((long long *)bsearch(&l->report, reports, out->queue.n,
							 sizeof(*reports), by_report) - reports);
		} else {
			while (next < ndocs && reports[next] < l->report)
				next++;
			if (next == ndocs || reports[next] != l->report)
				continue;
			d = next;
		}
		wn_rank_label(r, d, label);
	}
	out->relevant = wn_rank_labelled(r, 1);
	out->irrelevant = wn_rank_labelled(r, 0);
	out->model = wn_rank_ready(r);
	out->settings = wn_rank_describe(s);
	/* score the queue's reports; best first, report order on ties (the
	 * seeded order before there is a model) */
	doc_scores = xmalloc((ndocs + 1) * sizeof(*doc_scores));
	wn_rank_scores(r, doc_scores);
	scores = xmalloc((out->queue.n + 1) * sizeof(*scores));
	idx = xmalloc((out->queue.n + 1) * sizeof(*idx));
	for (size_t i = 0; i < out->queue.n; i++) {
		scores[i] = doc_scores[i];
		idx[i] = i;
	}
	free(doc_scores);
	queue_scores = scores;
	qsort(idx, out->queue.n, sizeof(*idx), best_first);
	ranked = xmalloc((out->queue.n + 1) * sizeof(*ranked));
	out->scores = xmalloc((out->queue.n + 1) * sizeof(*out->scores));
	for (size_t i = 0; i < out->queue.n; i++) {
		ranked[i] = reports[idx[i]];
		out->scores[i] = scores[idx[i]];
	}
	free(out->queue.reports);
	out->queue.reports = ranked;
done:
	wn_rank_free(r);
	free(labels);
	free(reports);
	free(scores);
	free(idx);
	if (rc != WN_OK)
		wn_ranked_queue_release(out);
	return rc;
}

void wn_ranked_queue_release(struct wn_ranked_queue *q)
{
	wn_screen_queue_release(&q->queue);
	free(q->scores);
	free(q->settings);
	memset(q, 0, sizeof(*q));
}
