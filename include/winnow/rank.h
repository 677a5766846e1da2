/*
 * Prioritised screening: a relevance model learned from the decisions made
 * so far, which orders what is left so that the relevant records come
 * first, and the hypergeometric stopping test that says when it is safe to
 * stop.
 *
 * The model is TF-IDF over each record's words (title, abstract,
 * keywords) with a multinomial naive Bayes classifier whose classes are
 * weighted so that the few relevant records are not swamped (the
 * expectation of ASReview's "double" balance, without its random
 * resampling). Training is incremental: a decision adds the record's
 * vector to its class and updates the scores of the records sharing its
 * words; the class weights, and with them every score, are worked out
 * again when a class has grown by 5%. Nothing in it is random; ties are
 * broken by a seeded order, so a seed gives one order.
 */
#ifndef WINNOW_RANK_H
#define WINNOW_RANK_H

#include <stddef.h>
#include <stdint.h>

struct wn_rank;

/* Settings, recorded wherever the ranking is used. */
struct wn_rank_settings {
	double alpha;       /* naive Bayes smoothing */
	int title_weight;   /* a title's words count this many times */
	int bigrams;        /* pairs of adjacent words as features too */
	int sublinear_tf;   /* 1 + log(count) instead of the count */
	uint64_t seed;      /* breaks ties, and orders records before a model */
};

/* The defaults, as `winnow screen --order relevance` and `simulate` use. */
void wn_rank_defaults(struct wn_rank_settings *s);
/* "naive-bayes tfidf alpha=… title=… bigrams=… sublinear=… seed=…" */
char *wn_rank_describe(const struct wn_rank_settings *s);

/* A model over n documents, whose text is given by wn_rank_add_text (any
 * number of times per document) before wn_rank_finish. */
struct wn_rank *wn_rank_new(size_t n, const struct wn_rank_settings *s);
void wn_rank_add_text(struct wn_rank *r, size_t doc, const char *text, int weight);
/* Weigh the words (TF-IDF, each document's vector of length 1). */
void wn_rank_finish(struct wn_rank *r);
void wn_rank_free(struct wn_rank *r);

/* A human's label for a document: 1 relevant, 0 not. A document labelled
 * again is moved to the other class. */
void wn_rank_label(struct wn_rank *r, size_t doc, int relevant);
/* Whether there is a model: at least one document of each class. */
int wn_rank_ready(const struct wn_rank *r);
size_t wn_rank_labelled(const struct wn_rank *r, int relevant);

/* Each unlabelled document's score (log odds of relevance, up to a
 * constant; a labelled one's is -HUGE_VAL); before there is a model, the
 * seeded order's (a descending random number). */
void wn_rank_scores(struct wn_rank *r, double *scores);
/* The unlabelled documents ordered best first (ties by the seeded order)
 * into order[], returning how many; `skip` (may be NULL) marks documents
 * to leave out besides the labelled ones. */
size_t wn_rank_order(struct wn_rank *r, const unsigned char *skip, size_t *order);
/* The best unlabelled document not in skip, or (size_t)-1 if none. */
size_t wn_rank_best(struct wn_rank *r, const unsigned char *skip);

size_t wn_rank_features(const struct wn_rank *r);

/* The least target recall the test is asked for: below it K_tar is no
 * longer a claim about most of the relevant records. */
#define WN_STOP_RECALL_MIN 0.5

/*
 * The stopping test (after Callaghan and Müller-Hansen 2020): once
 * prioritised screening has found `seen_before` relevant records, a random
 * sample is drawn from the `remaining` records not screened then. After
 * `drawn` of them, `found` of which were relevant, the null hypothesis
 * that recall is below `target` is tested: if it were, at least K_tar of
 * the remaining records would be relevant, and finding `found` or fewer in
 * `drawn` would have probability p (hypergeometric). p < 1 - confidence
 * rejects it: recall is at least the target at that confidence.
 */
struct wn_stop_test {
	long remaining, drawn, found, seen_before;
	long found_outside; /* relevant among the remaining found other than by
			     * the sample (counted as seen; the test is still
			     * on the sample) */
	double target, confidence;
	/* results */
	long k_tar;          /* smallest number of relevant records left under H0 */
	double p;            /* P(X <= found) with K_tar relevant among the remaining */
	int met;             /* p < 1 - confidence */
	double recall_low;   /* recall is at least this, at the confidence */
	long more;           /* further random records to draw to show the target
			      * if none of them is relevant (0 when met; -1 when
			      * even all of the remaining would not) */
};

/* Fill in k_tar, p and met from t's inputs. */
void wn_stop_test_run(struct wn_stop_test *t);
/* And recall_low and more too (a pass over the remaining records). */
void wn_stop_test_bounds(struct wn_stop_test *t);
/* P(X <= k) for X hypergeometric: n draws from N holding K successes. */
double wn_hypergeom_cdf(long k, long N, long K, long n);

/*
 * Simulation: a labelled file (CSV with title, abstract, keywords and a
 * label column) screened as if by a reviewer following the ranking. One
 * relevant and one irrelevant record, picked by the seed, are given first
 * (as ASReview's prior knowledge); then the best-ranked record each time,
 * the model retrained after every one, until every relevant record is
 * found; the rest follow in the model's order then. The figures count the
 * records after those two.
 *
 * The stopping rule as a team would follow it: prioritised screening until
 * `sample_after` records in a row were irrelevant, then a random sample
 * of what is left, until the stopping test shows the target recall.
 */
struct wn_simulate_options {
	const char *label_column;
	long sample_after;
	double target, confidence;
};

struct wn_simulation {
	size_t n, relevant;      /* records and relevant ones, the two given included */
	size_t prior[2];         /* the relevant and the irrelevant record given */
	size_t *order, norder;   /* the records after those, in the order screened */
	unsigned char *label;    /* per record: 1 relevant */
	size_t features;
	double wss95, wss100;    /* work saved over sampling, at 95% and 100% recall */
	double rrf10;            /* percent of the relevant found in the first 10% */
	long to95, to100;        /* records screened to reach 95% and 100% recall */
	long sample_start;       /* records screened (after the two) when sampling began; -1 never */
	long stopped_at;         /* records screened (after the two) when the rule stopped */
	double stop_recall;      /* recall then, of all the relevant records */
	double seconds;          /* the simulation, from the file read to the end */
	struct wn_stop_test stop;
};

int wn_simulate(const char *path, const struct wn_simulate_options *o,
		const struct wn_rank_settings *s, struct wn_simulation *out);
void wn_simulation_release(struct wn_simulation *sim);

#endif
