/* Prioritised screening: the model ranks what is like the relevant records
 * first, one seed gives one order, and the stopping test's arithmetic
 * agrees with values worked out by hand. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "winnow/rank.h"

static const char *const docs[] = {
	/* 0 */ "Social prescribing and loneliness: link workers in primary care",
	/* 1 */ "Outcomes of cardiac surgery in elderly patients",
	/* 2 */ "Link workers reduce loneliness among older adults: social prescribing",
	/* 3 */ "Cardiac surgery and stroke: a cohort of patients",
	/* 4 */ "Loneliness, social prescribing and community groups",
	/* 5 */ "Anaesthesia for cardiac surgery",
	/* 6 */ "Primary care link workers and social prescribing referrals",
	/* 7 */ "Valve surgery outcomes and mortality in patients",
};
enum { NDOCS = sizeof(docs) / sizeof(docs[0]) };

static struct wn_rank *model(uint64_t seed)
{
	struct wn_rank_settings s;
	struct wn_rank *r;

	wn_rank_defaults(&s);
	s.seed = seed;
	r = wn_rank_new(NDOCS, &s);
	for (size_t i = 0; i < NDOCS; i++)
		wn_rank_add_text(r, i, docs[i], s.title_weight);
	wn_rank_finish(r);
	return r;
}

static void test_relevant_first(void **state)
{
	struct wn_rank *r = model(1);
	size_t order[NDOCS], n;

	(void)state;
	assert_false(wn_rank_ready(r));
	wn_rank_label(r, 0, 1);
	assert_false(wn_rank_ready(r));
	wn_rank_label(r, 1, 0);
	assert_true(wn_rank_ready(r));
	n = wn_rank_order(r, NULL, order);
	assert_int_equal(n, NDOCS - 2);
	/* the three about social prescribing before the three about surgery */
	for (size_t i = 0; i < 3; i++)
		assert_true(order[i] == 2 || order[i] == 4 || order[i] == 6);
	for (size_t i = 3; i < n; i++)
		assert_true(order[i] == 3 || order[i] == 5 || order[i] == 7);
	assert_int_equal(wn_rank_best(r, NULL), order[0]);
	/* a document left out is not offered */
	{
		unsigned char skip[NDOCS] = { 0 };

		skip[order[0]] = 1;
		assert_int_equal(wn_rank_best(r, skip), order[1]);
	}
	wn_rank_free(r);
}

static void test_relabel(void **state)
{
	struct wn_rank *r = model(1);
	size_t order[NDOCS];

	(void)state;
	wn_rank_label(r, 0, 1);
	wn_rank_label(r, 1, 0);
	/* the reviewer changes their mind: surgery is what they want */
	wn_rank_label(r, 0, 0);
	wn_rank_label(r, 1, 1);
	assert_int_equal(wn_rank_labelled(r, 1), 1);
	assert_int_equal(wn_rank_labelled(r, 0), 1);
	wn_rank_order(r, NULL, order);
	assert_true(order[0] == 3 || order[0] == 5 || order[0] == 7);
	wn_rank_free(r);
}

static void test_seeded(void **state)
{
	struct wn_rank *a = model(7), *b = model(7), *c = model(8);
	size_t oa[NDOCS], ob[NDOCS], oc[NDOCS];
	int differ = 0;

	(void)state;
	/* before a model: a random order, the same for one seed */
	wn_rank_order(a, NULL, oa);
	wn_rank_order(b, NULL, ob);
	wn_rank_order(c, NULL, oc);
	assert_memory_equal(oa, ob, sizeof(oa));
	for (size_t i = 0; i < NDOCS; i++)
		differ |= oa[i] != oc[i];
	assert_true(differ);
	wn_rank_label(a, 0, 1);
	wn_rank_label(a, 1, 0);
	wn_rank_label(b, 0, 1);
	wn_rank_label(b, 1, 0);
	wn_rank_order(a, NULL, oa);
	wn_rank_order(b, NULL, ob);
	assert_memory_equal(oa, ob, (NDOCS - 2) * sizeof(*oa));
	wn_rank_free(a);
	wn_rank_free(b);
	wn_rank_free(c);
}

/* Enough documents that the model's arrays are mapped apart and grown
 * in place (pipeline/rank.c, big): it ranks as the small one does, and a
 * second model, given the texts in the opposite order (so that its
 * features are numbered otherwise) and the same labels, scores alike. */
static struct wn_rank *many_model(size_t n, const struct wn_rank_settings *s, int backwards)
{
	struct wn_rank *r = wn_rank_new(n, s);

	for (size_t k = 0; k < n; k++) {
		size_t i = backwards ? n - 1 - k : k;
		char text[160];

		snprintf(text, sizeof(text), "%s record%zu group%zu batch%zu",
			 docs[i % NDOCS], i, i % 97, i % 1013);
		wn_rank_add_text(r, i, text, s->title_weight);
	}
	wn_rank_finish(r);
	return r;
}

static int about_prescribing(size_t doc)
{
	return doc % NDOCS == 0 || doc % NDOCS == 2 || doc % NDOCS == 4 || doc % NDOCS == 6;
}

static void test_many_documents(void **state)
{
	enum { MANY = 40000, LABELLED = 200 };
	struct wn_rank_settings s;
	struct wn_rank *r[2];
	double *scores[2];

	(void)state;
	wn_rank_defaults(&s);
	for (int m = 0; m < 2; m++) {
		r[m] = many_model(MANY, &s, m);
		assert_true(wn_rank_features(r[m]) > MANY);
		scores[m] = malloc(MANY * sizeof(*scores[m]));
		/* a ranking after each label: the model kept up label by label */
		for (size_t i = 0; i < LABELLED; i++) {
			wn_rank_label(r[m], i, about_prescribing(i));
			if (wn_rank_ready(r[m]))
				assert_true(about_prescribing(wn_rank_best(r[m], NULL)));
		}
		wn_rank_scores(r[m], scores[m]);
	}
	for (size_t d = LABELLED; d < MANY; d++) /* the labelled score -inf */
		assert_true(fabs(scores[0][d] - scores[1][d]) <= 1e-9 * (1 + fabs(scores[0][d])));
	for (int m = 0; m < 2; m++) {
		free(scores[m]);
		wn_rank_free(r[m]);
	}
}

static void test_hypergeometric(void **state)
{
	(void)state;
	/* N = 10 holding K = 3, n = 4 drawn: P(0) = C(7,4)/C(10,4) = 35/210,
	 * P(<=1) = (35 + 3 * 35)/210 */
	assert_true(fabs(wn_hypergeom_cdf(0, 10, 3, 4) - 35.0 / 210) < 1e-12);
	assert_true(fabs(wn_hypergeom_cdf(1, 10, 3, 4) - 140.0 / 210) < 1e-12);
	assert_true(fabs(wn_hypergeom_cdf(3, 10, 3, 4) - 1) < 1e-12);
	/* all drawn: no chance of fewer than K */
	assert_true(wn_hypergeom_cdf(2, 10, 3, 10) == 0);
}

static void test_stopping(void **state)
{
	/* 40 relevant found before sampling, 1000 left, target 95% at 95%:
	 * under H0 at least floor(40 / 0.95 - 40) + 1 = 3 of the 1000 are
	 * relevant; with none in n drawn, p = (1000-n)(999-n)(998-n) /
	 * (1000 * 999 * 998): 0.050394 at n = 630, 0.049985 at n = 631 */
	struct wn_stop_test t = { .remaining = 1000, .seen_before = 40, .target = 0.95,
				  .confidence = 0.95 };

	(void)state;
	wn_stop_test_bounds(&t);
	assert_int_equal(t.k_tar, 3);
	assert_false(t.met);
	assert_int_equal(t.more, 631);
	t.drawn = 630;
	wn_stop_test_bounds(&t);
	assert_false(t.met);
	assert_true(fabs(t.p - 370.0 * 369 * 368 / (1000.0 * 999 * 998)) < 1e-9);
	assert_int_equal(t.more, 1);
	t.drawn = 631;
	wn_stop_test_bounds(&t);
	assert_true(t.met);
	assert_true(fabs(t.p - 369.0 * 368 * 367 / (1000.0 * 999 * 998)) < 1e-9);
	assert_int_equal(t.more, 0);
	/* K = 2 is not rejected (p = 369 * 368 / (1000 * 999) = 0.136), K = 3
	 * is: recall is at least 40 / 42 */
	assert_true(fabs(t.recall_low - 40.0 / 42) < 1e-9);
	/* one relevant in the sample: 41 seen, K_tar = floor(41/0.95 - 40) + 1 = 4 */
	t.found = 1;
	wn_stop_test_bounds(&t);
	assert_int_equal(t.k_tar, 4);
	assert_false(t.met);
	/* 100 found, 3 left: below 95% recall would need 6 more relevant than
	 * the 3 there are, so the target is met before anything is drawn */
	{
		struct wn_stop_test v = { .remaining = 3, .seen_before = 100, .target = 0.95,
					  .confidence = 0.95 };

		wn_stop_test_bounds(&v);
		assert_true(v.met);
		assert_int_equal(v.more, 0);
	}
	/* nothing left: met at once */
	{
		struct wn_stop_test u = { .remaining = 0, .seen_before = 5, .target = 0.95,
					  .confidence = 0.95 };

		wn_stop_test_bounds(&u);
		assert_true(u.met);
		assert_true(fabs(u.recall_low - 1) < 1e-12);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_relevant_first),
		cmocka_unit_test(test_relabel),
		cmocka_unit_test(test_seeded),
		cmocka_unit_test(test_many_documents),
		cmocka_unit_test(test_hypergeometric),
		cmocka_unit_test(test_stopping),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
