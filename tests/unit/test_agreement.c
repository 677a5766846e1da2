/* Agreement statistics against values worked out by hand. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "winnow/agreement.h"

static void near(double got, double want)
{
	if (fabs(got - want) > 0.0005)
		fail_msg("got %.5f, want %.5f", got, want);
}

/* 50 subjects: both yes 20, yes/no 5, no/yes 10, both no 15. po = 0.7,
 * margins 0.5/0.5 and 0.6/0.4, pe = 0.5, kappa = 0.4. The variance of
 * Fleiss, Cohen and Everitt: (0.10972 + 0.10188 - 0.01) / (50 * 0.25) =
 * 0.016128, SE 0.12700, so 0.4 +- 1.96 * 0.127. */
static void test_cohen_two_categories(void **state)
{
	const long table[9] = { 20, 5, 0, 10, 15, 0, 0, 0, 0 };
	double k, lo, hi;

	(void)state;
	assert_int_equal(wn_cohen_kappa(table, 3, &k, &lo, &hi), 50);
	near(k, 0.4);
	near(lo, 0.4 - 1.959964 * sqrt(0.016128));
	near(hi, 0.4 + 1.959964 * sqrt(0.016128));
}

static void test_cohen_edges(void **state)
{
	const long perfect[4] = { 10, 0, 0, 10 };
	const long one_answer[4] = { 12, 0, 0, 0 };
	const long empty[4] = { 0, 0, 0, 0 };
	/* 2 1 / 1 2: po 2/3, pe 1/2, kappa 1/3; variance
	 * (0.074074 + 0.148148 - 0) / (6 * 0.25) = 0.148148 */
	const long some[4] = { 2, 1, 1, 2 };
	double k, lo, hi;

	(void)state;
	assert_int_equal(wn_cohen_kappa(perfect, 2, &k, &lo, &hi), 20);
	near(k, 1);
	near(lo, 1);
	near(hi, 1);
	assert_int_equal(wn_cohen_kappa(one_answer, 2, &k, &lo, &hi), 12);
	assert_true(isnan(k));
	assert_int_equal(wn_cohen_kappa(empty, 2, &k, &lo, &hi), 0);
	assert_true(isnan(k));
	wn_cohen_kappa(some, 2, &k, &lo, &hi);
	near(k, 1.0 / 3);
	near(lo, 1.0 / 3 - 1.959964 * sqrt(0.148148));
}

/* Three subjects rated by two raters: [2,0], [0,2], [1,1]. P_i = 1, 1, 0,
 * so P = 2/3; p_j = 1/2, 1/2, Pe = 1/2; kappa = (2/3 - 1/2) / (1/2) = 1/3.
 * With m = 2 Fleiss' kappa is Scott's pi. */
static void test_fleiss(void **state)
{
	const long counts[6] = { 2, 0, 0, 2, 1, 1 };
	/* four subjects, three raters, three categories:
	 * [3,0,0] [0,3,0] [1,1,1] [2,1,0]: P_i = 1, 1, 0, 1/3 -> P = 7/12;
	 * p_j = 6/12, 5/12, 1/12 -> Pe = 62/144; kappa = (84/144 - 62/144) /
	 * (82/144) = 22/82 */
	const long three[12] = { 3, 0, 0, 0, 3, 0, 1, 1, 1, 2, 1, 0 };

	(void)state;
	near(wn_fleiss_kappa(counts, 3, 2, 2), 1.0 / 3);
	near(wn_fleiss_kappa(three, 4, 3, 3), 22.0 / 82);
	assert_true(isnan(wn_fleiss_kappa(counts, 0, 2, 2)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cohen_two_categories),
		cmocka_unit_test(test_cohen_edges),
		cmocka_unit_test(test_fleiss),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
