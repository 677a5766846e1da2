/*
 * Replaying a labelled dataset as prioritised screening
 * (include/winnow/rank.h): the recall curve, work saved over sampling, and
 * where the stopping rule would have stopped.
 */
#include <math.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv_rows.h"
#include "util.h"
#include "winnow/rank.h"

enum { COL_TITLE, COL_ABSTRACT, COL_KEYWORDS, COL_LABEL };

struct rows {
	char **title, **abstract, **keywords;
	unsigned char *label;
	size_t n, cap;
};

static int parse_label(const char *v, unsigned char *out)
{
	static const char *const yes[] = { "1", "include", "included", "yes", "true", "relevant" };
	static const char *const no[] = { "0", "exclude", "excluded", "no", "false", "irrelevant" };

	char *end;
	double number;

	for (size_t i = 0; v && i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcasecmp(v, yes[i]))
			return *out = 1, 1;
		if (!strcasecmp(v, no[i]))
			return *out = 0, 1;
	}
	/* "1.0", as a spreadsheet or pandas writes a number */
	if (v && *v && (number = strtod(v, &end), !*end) && (number == 1 || number == 0))
		return *out = number == 1, 1;
	return 0;
}

static int on_row(void *ctx, char *const *f, long line)
{
	struct rows *r = ctx;
	char *label = f[COL_LABEL] ? wn_trim(f[COL_LABEL]) : NULL;

	(void)line;
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 1024;
		r->title = xrealloc(r->title, r->cap * sizeof(*r->title));
		r->abstract = xrealloc(r->abstract, r->cap * sizeof(*r->abstract));
		r->keywords = xrealloc(r->keywords, r->cap * sizeof(*r->keywords));
		r->label = xrealloc(r->label, r->cap);
	}
	if (!f[COL_LABEL])
		return wn_error_set(WN_EINVALID, "the row stops before its label");
	if (!parse_label(label, &r->label[r->n]))
		return wn_error_set(WN_EINVALID, "the label is '%s', not 1 or 0 (or include or "
				    "exclude, yes or no, true or false)", label ? label : "");
	r->title[r->n] = f[COL_TITLE] ? xstrdup(f[COL_TITLE]) : NULL;
	r->abstract[r->n] = f[COL_ABSTRACT] ? xstrdup(f[COL_ABSTRACT]) : NULL;
	r->keywords[r->n] = f[COL_KEYWORDS] ? xstrdup(f[COL_KEYWORDS]) : NULL;
	r->n++;
	return 0;
}

static void rows_release(struct rows *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->title[i]);
		free(r->abstract[i]);
		free(r->keywords[i]);
	}
	free(r->title);
	free(r->abstract);
	free(r->keywords);
	free(r->label);
}

/* The i-th (0-based) record with the label, counted in file order. */
static size_t nth_with(const unsigned char *label, size_t n, int want, size_t i)
{
	for (size_t d = 0; d < n; d++)
		if (label[d] == want && i-- == 0)
			return d;
	return 0;
}

/* Records screened (after the priors) until `want` relevant were found. */
static long screened_until(const struct wn_simulation *sim, size_t want)
{
	size_t found = 0;

	if (!want)
		return 0;
	for (size_t i = 0; i < sim->norder; i++)
		if (sim->label[sim->order[i]] && ++found >= want)
			return (long)i + 1;
	return (long)sim->norder;
}

static void figures(struct wn_simulation *sim)
{
	double n = (double)sim->norder, rel = (double)(sim->relevant - 1);
	size_t tenth = (size_t)ceil(0.10 * n), found = 0;

	sim->to95 = screened_until(sim, (size_t)ceil(0.95 * rel - 1e-9));
	sim->to100 = screened_until(sim, sim->relevant - 1);
	sim->wss95 = (n - (double)sim->to95) / n - 0.05;
	sim->wss100 = (n - (double)sim->to100) / n;
	for (size_t i = 0; i < tenth && i < sim->norder; i++)
		found += sim->label[sim->order[i]];
	sim->rrf10 = 100.0 * (double)found / rel;
}

/* The rule: prioritised until sample_after irrelevant in a row, then a
 * seeded random sample of what is left until the test is met. */
static void stopping(struct wn_simulation *sim, const struct wn_simulate_options *o, uint64_t seed)
{
	size_t run = 0, seen = 1, start, left, *sample; /* the prior relevant is seen */
	struct wn_stop_test *t = &sim->stop;

	for (start = 0; start < sim->norder && run < (size_t)o->sample_after; start++) {
		run = sim->label[sim->order[start]] ? 0 : run + 1;
		seen += sim->label[sim->order[start]];
	}
	memset(t, 0, sizeof(*t));
	t->target = o->target;
	t->confidence = o->confidence;
	t->seen_before = (long)seen;
	left = sim->norder - start;
	t->remaining = (long)left;
	sim->sample_start = start < sim->norder || run >= (size_t)o->sample_after ? (long)start : -1;
	sample = xmalloc((left ? left : 1) * sizeof(*sample));
	memcpy(sample, sim->order + start, left * sizeof(*sample));
	wn_shuffle(sample, left, sizeof(*sample), seed);
	wn_stop_test_run(t);
	while (!t->met && t->drawn < t->remaining) {
		t->found += sim->label[sample[t->drawn]];
		t->drawn++;
		wn_stop_test_run(t);
	}
	free(sample);
	wn_stop_test_bounds(t);
	sim->stopped_at = (long)start + t->drawn;
	sim->stop_recall = (double)(t->seen_before + t->found) / (double)sim->relevant;
}

int wn_simulate(const char *path, const struct wn_simulate_options *o,
		const struct wn_rank_settings *s, struct wn_simulation *out)
{
	static const char *const names[] = { "title|primary_title|ti", "abstract|ab",
					     "keywords|kw", NULL };
	const char *colnames[4] = { names[0], names[1], names[2], o->label_column };
	struct wn_csv_columns cols = {
		.names = colnames, .n = 4, .required = 1u << COL_TITLE | 1u << COL_LABEL,
		.others_ignored = 1,
	};
	struct rows rows = { 0 };
	struct wn_rank *r;
	struct timespec t0, t1;
	size_t relevant = 0, best, found = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!o->label_column || !*o->label_column)
		return wn_error_set(WN_EINVALID, "say which column holds the labels (--label-column)");
	/* the column would be taken as text, and the labels not found */
	for (size_t i = 0; names[i]; i++)
		if (wn_csv_names_match(names[i], o->label_column, strlen(o->label_column)))
			return wn_error_set(WN_EINVALID, "'%s' is read as the records' text: the labels "
					    "must be in a column of their own", o->label_column);
	if ((rc = wn_csv_read(path, &cols, on_row, &rows, NULL)) != WN_OK) {
		rows_release(&rows);
		return rc;
	}
	for (size_t i = 0; i < rows.n; i++)
		relevant += rows.label[i];
	if (relevant < 2 || rows.n - relevant < 1) {
		rows_release(&rows);
		return wn_error_set(WN_EINVALID, "%s: %zu of its %zu records are relevant: a simulation "
				    "needs at least 2 relevant and 1 irrelevant", path, relevant, rows.n);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = wn_rank_new(rows.n, s);
	for (size_t i = 0; i < rows.n; i++) {
		wn_rank_add_text(r, i, rows.title[i], s->title_weight);
		wn_rank_add_text(r, i, rows.abstract[i], 1);
		wn_rank_add_text(r, i, rows.keywords[i], 1);
	}
	wn_rank_finish(r);
	out->n = rows.n;
	out->relevant = relevant;
	out->features = wn_rank_features(r);
	out->label = rows.label;
	rows.label = NULL;
	out->prior[0] = nth_with(out->label, out->n, 1,
				 (size_t)(wn_splitmix64(s->seed) % relevant));
	out->prior[1] = nth_with(out->label, out->n, 0,
				 (size_t)(wn_splitmix64(s->seed + 1) % (out->n - relevant)));
	wn_rank_label(r, out->prior[0], 1);
	wn_rank_label(r, out->prior[1], 0);
	out->order = xmalloc(out->n * sizeof(*out->order));
	/* one record at a time, retrained after each, until every relevant
	 * one is found (as ASReview's simulations stop); the rest, all
	 * irrelevant, in the model's order then, which changes no figure */
	while (found < relevant - 1 && (best = wn_rank_best(r, NULL)) != (size_t)-1) {
		out->order[out->norder++] = best;
		found += out->label[best];
		wn_rank_label(r, best, out->label[best]);
	}
	out->norder += wn_rank_order(r, NULL, out->order + out->norder);
	wn_rank_free(r);
	rows_release(&rows);
	figures(out);
	stopping(out, o, s->seed);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	out->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return WN_OK;
}

void wn_simulation_release(struct wn_simulation *sim)
{
	free(sim->order);
	free(sim->label);
	memset(sim, 0, sizeof(*sim));
}
