/*
 * Agreement between reviewers (include/winnow/agreement.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "util.h"
#include "winnow/agreement.h"

long wn_cohen_kappa(const long *table, int k, double *kappa, double *ci_low, double *ci_high)
{
	double row[WN_CATEGORIES] = { 0 }, col[WN_CATEGORIES] = { 0 };
	double po = 0, pe = 0, a = 0, b = 0, c, var;
	long n = 0;

	*kappa = *ci_low = *ci_high = NAN;
	if (k > WN_CATEGORIES)
		return 0;
	for (int i = 0; i < k; i++)
		for (int j = 0; j < k; j++)
			n += table[i * k + j];
	if (n == 0)
		return 0;
	for (int i = 0; i < k; i++)
		for (int j = 0; j < k; j++) {
			double p = (double)table[i * k + j] / (double)n;

			row[i] += p;
			col[j] += p;
			if (i == j)
				po += p;
		}
	for (int i = 0; i < k; i++)
		pe += row[i] * col[i];
	if (pe >= 1)
		return n; /* both always said the same one thing: kappa is undefined */
	*kappa = (po - pe) / (1 - pe);
	/* Fleiss, Cohen and Everitt (1969): the large-sample variance */
	for (int i = 0; i < k; i++)
		for (int j = 0; j < k; j++) {
			double p = (double)table[i * k + j] / (double)n;

			if (i == j) {
				double t = 1 - (row[i] + col[i]) * (1 - *kappa);

				a += p * t * t;
			} else {
				double t = col[i] + row[j];

				b += p * t * t;
			}
		}
	b *= (1 - *kappa) * (1 - *kappa);
	c = *kappa - pe * (1 - *kappa);
	var = (a + b - c * c) / ((double)n * (1 - pe) * (1 - pe));
	if (var < 0)
		var = 0;
	*ci_low = *kappa - 1.959964 * sqrt(var);
	*ci_high = *kappa + 1.959964 * sqrt(var);
	return n;
}

double wn_fleiss_kappa(const long *counts, long n, int k, int m)
{
	double pbar = 0, pe = 0;

	if (n <= 0 || m < 2)
		return NAN;
	for (int j = 0; j < k; j++) {
		double pj = 0;

		for (long i = 0; i < n; i++)
			pj += (double)counts[i * k + j];
		pj /= (double)n * m;
		pe += pj * pj;
	}
	for (long i = 0; i < n; i++) {
		double s = 0;

		for (int j = 0; j < k; j++)
			s += (double)counts[i * k + j] * (double)counts[i * k + j];
		pbar += (s - m) / ((double)m * (m - 1));
	}
	pbar /= (double)n;
	return pe >= 1 ? NAN : (pbar - pe) / (1 - pe);
}

static int category(const char *d)
{
	return !strcmp(d, "include") ? 0 : !strcmp(d, "exclude") ? 1 : 2;
}

/* One reviewer's decision in force on one report. */
struct vote {
	long long report;
	int reviewer;
	int cat;
};

#define MAX_REVIEWERS 64

int wn_agreement(struct wn_store *store, const char *stage, struct wn_agreement *out)
{
	sqlite3_stmt *st;
	char *names[MAX_REVIEWERS];
	struct vote *votes = NULL;
	size_t nvotes = 0, cap = 0, nnames = 0;
	int step, rc = WN_OK;

	memset(out, 0, sizeof(*out));
	out->fleiss_kappa = NAN;
	if (!(st = wn_store_prepare(store, "SELECT name FROM stage WHERE name = ?")))
		return WN_ERROR;
	wn_bind_text(st, 1, stage);
	step = sqlite3_step(st);
	sqlite3_reset(st);
	if (step != SQLITE_ROW)
		return step == SQLITE_DONE
			? wn_error_set(WN_ENOTFOUND, "no stage '%s' in the review's protocol", stage)
			: wn_store_fail(store, "cannot read the stages");
	out->stage = xstrdup(stage);
	/* each reviewer's latest decision in force on each report */
	if (sqlite3_prepare_v2(store->db,
		"SELECT rr.report_id, d.reviewer, d.decision FROM current_decision d "
		"JOIN report_record rr ON rr.record_id = d.record_id "
		"WHERE d.stage = ? AND d.kind = 'human' ORDER BY rr.report_id, d.reviewer, d.id DESC",
		-1, &st, NULL) != SQLITE_OK)
		return wn_store_fail(store, "cannot read the decisions");
	wn_bind_text(st, 1, stage);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		long long report = sqlite3_column_int64(st, 0);
		const char *who = wn_column_text(st, 1);
		size_t r;

		for (r = 0; r < nnames && strcmp(names[r], who); r++)
			;
		if (r == nnames) {
			if (nnames == MAX_REVIEWERS) {
				rc = wn_error_set(WN_EINVALID, "more than %d reviewers at %s",
						  MAX_REVIEWERS, stage);
				break;
			}
			names[nnames++] = xstrdup(who);
		}
		if (nvotes && votes[nvotes - 1].report == report &&
		    votes[nvotes - 1].reviewer == (int)r)
			continue; /* an older decision of the same reviewer's */
		if (nvotes == cap) {
			cap = cap ? cap * 2 : 256;
			votes = xrealloc(votes, cap * sizeof(*votes));
		}
		votes[nvotes].report = report;
		votes[nvotes].reviewer = (int)r;
		votes[nvotes++].cat = category(wn_column_text(st, 2));
	}
	sqlite3_finalize(st);
	if (rc == WN_OK && step != SQLITE_DONE)
		rc = wn_store_fail(store, "cannot read the decisions");
	out->reviewers = nnames;
	if (rc == WN_OK) {
		/* pairs, in the order of the reviewers' names */
		long *tables = xcalloc(nnames * nnames * WN_CATEGORIES * WN_CATEGORIES, sizeof(long));
		long per_count[MAX_REVIEWERS + 1] = { 0 };
		size_t i = 0;

		while (i < nvotes) {
			size_t j = i;

			while (j < nvotes && votes[j].report == votes[i].report)
				j++;
			per_count[j - i]++;
			for (size_t x = i; x < j; x++)
				for (size_t y = i; y < j; y++) {
					int ra = votes[x].reviewer, rb = votes[y].reviewer;

					if (strcmp(names[ra], names[rb]) < 0)
						tables[((size_t)ra * nnames + (size_t)rb) * 9 +
						       (size_t)(votes[x].cat * 3 + votes[y].cat)]++;
				}
			i = j;
		}
		for (size_t ra = 0; ra < nnames; ra++)
			for (size_t rb = 0; rb < nnames; rb++) {
				const long *t = tables + (ra * nnames + rb) * 9;
				struct wn_pair_agreement *p;
				long n = 0;

				for (int c = 0; c < 9; c++)
					n += t[c];
				if (!n)
					continue;
				out->pairs = xrealloc(out->pairs, (out->npairs + 1) * sizeof(*out->pairs));
				p = &out->pairs[out->npairs++];
				memset(p, 0, sizeof(*p));
				p->a = xstrdup(names[ra]);
				p->b = xstrdup(names[rb]);
				memcpy(p->table, t, sizeof(p->table));
				p->n = wn_cohen_kappa(t, 3, &p->kappa, &p->ci_low, &p->ci_high);
				p->agreed = t[0] + t[4] + t[8];
				p->percent = 100.0 * (double)p->agreed / (double)n;
			}
		/* sort the pairs by names */
		for (size_t x = 1; x < out->npairs; x++)
			for (size_t y = x; y > 0; y--) {
				struct wn_pair_agreement *p = &out->pairs[y - 1], *q = &out->pairs[y], t;
				int cmp = strcmp(p->a, q->a);

				if (cmp < 0 || (cmp == 0 && strcmp(p->b, q->b) <= 0))
					break;
				t = *p, *p = *q, *q = t;
			}
		if (nnames > 2) {
			/* the most common number of decisions per report, two or more */
			int m = 0;

			for (int c = 2; c <= MAX_REVIEWERS; c++)
				if (per_count[c] && (!m || per_count[c] > per_count[m]))
					m = c;
			if (m) {
				long *counts = xcalloc((size_t)per_count[m] * 3, sizeof(long));
				long s = 0;

				for (i = 0; i < nvotes;) {
					size_t j = i;

					while (j < nvotes && votes[j].report == votes[i].report)
						j++;
					if ((int)(j - i) == m) {
						for (size_t x = i; x < j; x++)
							counts[s * 3 + votes[x].cat]++;
						s++;
					}
					i = j;
				}
				out->fleiss_n = s;
				out->fleiss_m = m;
				out->fleiss_kappa = wn_fleiss_kappa(counts, s, 3, m);
				free(counts);
			}
		}
		free(tables);
	}
	for (size_t r = 0; r < nnames; r++)
		free(names[r]);
	free(votes);
	return rc;
}

void wn_agreement_release(struct wn_agreement *a)
{
	for (size_t i = 0; i < a->npairs; i++) {
		free(a->pairs[i].a);
		free(a->pairs[i].b);
	}
	free(a->pairs);
	free(a->stage);
	memset(a, 0, sizeof(*a));
}
