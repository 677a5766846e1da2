/*
 * Agreement between reviewers at a stage: for each pair, the reports both
 * screened, percent agreement and Cohen's kappa with its 95% confidence
 * interval (the large-sample variance of Fleiss, Cohen and Everitt 1969);
 * with more than two reviewers, Fleiss' kappa over the reports screened
 * by the same number of them. Each reviewer's decision in force counts;
 * include, exclude and maybe are three categories.
 */
#ifndef WINNOW_AGREEMENT_H
#define WINNOW_AGREEMENT_H

#include <stddef.h>

#include "winnow/store.h"

enum { WN_CATEGORIES = 3 }; /* include, exclude, maybe */

struct wn_pair_agreement {
	char *a, *b;     /* the two reviewers, a < b */
	long n;          /* reports both screened */
	long agreed;
	long table[WN_CATEGORIES][WN_CATEGORIES]; /* a's decision by b's */
	double percent;  /* 0-100 */
	double kappa;    /* NAN when undefined (no reports, or chance agreement 1) */
	double ci_low, ci_high;
};

struct wn_agreement {
	char *stage;
	size_t npairs;
	struct wn_pair_agreement *pairs;
	size_t reviewers;
	/* Fleiss' kappa (reviewers > 2): over `fleiss_n` reports with
	 * `fleiss_m` decisions each; NAN when it cannot be computed */
	long fleiss_n;
	int fleiss_m;
	double fleiss_kappa;
};

/* Cohen's kappa of a k-by-k table of counts (rows: one rater; columns:
 * the other), and its 95% confidence interval. Returns the number of
 * subjects; kappa is NAN when undefined. */
long wn_cohen_kappa(const long *table, int k, double *kappa, double *ci_low, double *ci_high);

/* Fleiss' kappa of n subjects each rated by m raters into k categories
 * (counts[i*k + j]: how many put subject i in category j). */
double wn_fleiss_kappa(const long *counts, long n, int k, int m);

int wn_agreement(struct wn_store *store, const char *stage, struct wn_agreement *out);
void wn_agreement_release(struct wn_agreement *a);

#endif
