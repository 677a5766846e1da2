/*
 * Screening decisions by people: one decision per report (the record that
 * stands for a duplicate cluster), per reviewer and stage. Decisions are
 * appended, never changed: a reviewer who changes their mind adds one that
 * supersedes their last; a conflict between reviewers is settled by a
 * resolution (a third reviewer, or consensus), which decides the stage.
 */
#ifndef WINNOW_SCREENING_H
#define WINNOW_SCREENING_H

#include <stdio.h>

#include "winnow/record.h"
#include "winnow/store.h"

/* A decision to record. `record` is a record id, "pmid:N" or "doi:X";
 * `decision` is include, exclude or maybe (a resolution: include or
 * exclude). */
struct wn_decision_input {
	const char *record;
	const char *stage;
	const char *reviewer;
	const char *decision;
	const char *reason; /* required to exclude at a stage after the first whose
			     * protocol lists reasons, and then one of them;
			     * required for a resolution */
	const char *note;
};

struct wn_decision_result {
	long long record_id;  /* the record named */
	long long report_id;  /* the report it belongs to, which the decision is on */
	long long decision_id;
	long long superseded; /* the reviewer's earlier decision it replaces, or 0 */
	char outcome[16];     /* the report's outcome at the stage afterwards:
			       * include, exclude, conflict or pending */
};

/* Record a reviewer's decision (in its own transaction). WN_EINVALID with
 * a message for a decision, stage, reason or record that is not right,
 * WN_ENOTFOUND for a record or stage that does not exist; a report that
 * has not reached the stage (not included at every stage before) is
 * refused. */
int wn_decide(struct wn_store *store, const struct wn_decision_input *in,
	      struct wn_decision_result *out);

/* Settle a report in conflict at a stage: a decision of kind resolution,
 * with its reason. */
int wn_resolve(struct wn_store *store, const struct wn_decision_input *in,
	       struct wn_decision_result *out);

/* One report in conflict at a stage: each reviewer's decision in force. */
struct wn_conflict {
	long long report_id;
	const char *title;
	size_t n;
	const char *const *reviewers;
	const char *const *decisions;
	const char *const *reasons; /* NULL where none was given */
};

/* Call fn for each report in conflict at the stage, in report order;
 * fn's non-zero return stops. */
int wn_conflicts_each(struct wn_store *store, const char *stage,
		      int (*fn)(void *ctx, const struct wn_conflict *c), void *ctx);

/* Full-text retrieval of a report that reached the last stage, for
 * PRISMA's "reports sought for retrieval" and "not retrieved": retrieved
 * (with the file's path and SHA-256 when one is given) or not (with a
 * reason). A later call supersedes the earlier one; both stay. */
struct wn_fulltext_result {
	long long record_id, report_id, id, superseded;
	char sha256[65]; /* of the file, "" when none */
};

int wn_fulltext(struct wn_store *store, const char *record, int retrieved, const char *file,
		const char *reason, struct wn_fulltext_result *out);

/* Decisions from a CSV file with a header row naming the columns
 * record, stage, reviewer, decision, reason, note and kind (the first four
 * required, any order; an export's id, report, made_at and supersedes are
 * read and ignored). Every row is checked as `decide` (kind human, the
 * default) or `resolve` (kind resolution) checks it, in one transaction:
 * one bad row (named as FILE:LINE) and nothing is stored. A rule's
 * exclusion (kind rule) is not copied: applying the rules makes it; *rules
 * counts those passed over. *count gets the decisions stored. */
int wn_decisions_import(struct wn_store *store, const char *path, long *count, long *rules);

/* Every decision, oldest first, as CSV: id, record, report, stage,
 * reviewer, kind, decision, reason, note, made_at, supersedes. */
int wn_decisions_export(struct wn_store *store, FILE *fp, long *count);

/* A reviewer's queue at a stage: the reports that reached it, that the
 * reviewer has no decision on, and that are still pending there (not
 * resolved, not excluded by a rule, not yet decided by as many reviewers
 * as the stage requires), in report order. done counts the reports at the
 * stage the reviewer has decided. Nothing in it says what any other
 * reviewer decided. */
struct wn_screen_queue {
	long long *reports;
	size_t n;
	size_t done;
};

int wn_screen_queue(struct wn_store *store, const char *stage, const char *reviewer,
		    struct wn_screen_queue *out);
void wn_screen_queue_release(struct wn_screen_queue *q);

/* The queue ordered by relevance (pipeline/screen_rank.c): a model
 * trained on the stage's decisions so far (resolutions, the reviewer's
 * own, and others' only on reports no longer waiting for the reviewer)
 * scores the reports; best first. Before there is one relevant and one
 * irrelevant report to learn from, the seeded random order. */
struct wn_rank_settings;
struct wn_ranked_queue {
	struct wn_screen_queue queue; /* reports, best first */
	double *scores;               /* each one's score (log odds, up to a constant) */
	size_t relevant, irrelevant;  /* the decisions learned from */
	int model;                    /* 0: too few yet: the seeded order */
	char *settings;               /* the model and its settings, in words */
};

int wn_screen_queue_ranked(struct wn_store *store, const char *stage, const char *reviewer,
			   const struct wn_rank_settings *s, struct wn_ranked_queue *out);
void wn_ranked_queue_release(struct wn_ranked_queue *q);

/* The same model kept for a screening session: opened with the queue
 * (in report order), told each decision as it is made, and asked to
 * order any of the queue's reports best first (scores, may be NULL, gets
 * each one's). */
struct wn_screen_ranker;
int wn_screen_ranker_open(struct wn_store *store, const char *stage, const char *reviewer,
			  const struct wn_rank_settings *s, struct wn_screen_queue *queue,
			  struct wn_screen_ranker **out);
void wn_screen_ranker_learn(struct wn_screen_ranker *k, long long report, const char *decision);
void wn_screen_ranker_order(struct wn_screen_ranker *k, long long *reports, size_t n,
			    double *scores);
/* Whether there is a model yet; the decisions it learned from. */
int wn_screen_ranker_ready(const struct wn_screen_ranker *k, size_t *relevant, size_t *irrelevant);
void wn_screen_ranker_close(struct wn_screen_ranker *k);
/* Record (an audit entry, once for each stage, reviewer, order and
 * settings) that a reviewer screened in an order other than the reports':
 * "relevance" with the model's settings, or "sample". PRISMA reports it. */
int wn_screen_record_order(struct wn_store *store, const char *stage, const char *reviewer,
			   const char *order, const char *settings);

/* The stopping rule at a stage (pipeline/stopping.c; the test in
 * winnow/rank.h). Screened: decided there by a resolution, a person or a
 * rule; relevant: included by the resolution, or by any reviewer (maybe
 * counts) when there is none. */
#include "winnow/rank.h"
struct wn_stop_status {
	char *stage;
	long reports, screened, relevant, unscreened;
	long long sample_id;        /* the random sample drawn, 0 when none */
	unsigned long long seed;
	char sample_started[21];
	char *sample_actor;
	long found_outside;         /* relevant reports of the sample's pool
				     * screened out of its order */
	long left;                  /* reports of the pool no longer at the stage */
	long newcomers;             /* reports not screened that reached the
				     * stage after the sample: not covered by it */
	/* With a sample: remaining and seen_before as it began, drawn and
	 * found in the run of it screened from its start. Without: the test
	 * as if one began now (its `more`: how large it would need to be). */
	struct wn_stop_test test;
};

/* target and confidence 0: the sample's (0.95 each without one). With a
 * sample, other values are refused: they are fixed when it is drawn. */
int wn_stop_check(struct wn_store *store, const char *stage, double target, double confidence,
		  struct wn_stop_status *out);
void wn_stop_status_release(struct wn_stop_status *c);
/* Draw the stage's random sample: every report not screened, in a
 * seeded random order (in its own transaction, with an audit entry).
 * Refused when the stage has one already. */
int wn_stop_sample_start(struct wn_store *store, const char *stage, unsigned long long seed,
			 double target, double confidence, long long *id, long *size);
/* The reviewer's queue in the sample's order (only the sample's reports). */
int wn_stop_sample_queue(struct wn_store *store, const char *stage, const char *reviewer,
			 struct wn_screen_queue *out);

/* One report at a stage, as it stands now (another process may have
 * decided it since the queue was made): whether it is still at the stage
 * and waiting for the reviewer, and the reviewer's own decision in force. */
struct wn_screen_standing {
	int reached;       /* included at every stage before; still a report */
	int waiting;       /* pending, and the reviewer has not decided it */
	char outcome[16];  /* include, exclude, conflict or pending */
	char mine[16];     /* the reviewer's decision in force, "" if none */
	char *mine_reason; /* and its reason and note, NULL when none */
	char *mine_note;
};

int wn_screen_standing(struct wn_store *store, const char *stage, const char *reviewer,
		       long long report, struct wn_screen_standing *out);
void wn_screen_standing_release(struct wn_screen_standing *s);

/* For a stage that is not blind (protocol: blind = no): the other
 * reviewers' decisions in force on the report, "bob: include; carol:
 * exclude (Not qualitative)", into *out (to free; NULL when none). */
int wn_screen_others(struct wn_store *store, const char *stage, const char *reviewer,
		     long long report, char **out);

/* A report as screening shows it: its primary record with what it lacks
 * filled in from the other records of its cluster, how many records it
 * has, and the databases they came from ("MEDLINE; Scopus"). */
struct wn_report_view {
	long long report_id;
	struct wn_record rec;
	size_t nrecords;
	char *sources;
};

int wn_report_load(struct wn_store *store, long long report, struct wn_report_view *out);
void wn_report_view_release(struct wn_report_view *v);

#endif
