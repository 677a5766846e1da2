/*
 * Deduplication: records of one report found across sources are merged into
 * a cluster; uncertain pairs wait for a person; errata, preprints, meeting
 * abstracts and the like are linked to their article, never merged.
 */
#ifndef WINNOW_DEDUPE_H
#define WINNOW_DEDUPE_H

#include <stdio.h>

struct wn_store;

struct wn_dedupe_summary {
	long long run_id;
	long records;      /* in the review */
	long records_new;  /* not compared by an earlier run */
	long candidates;   /* pairs the blocking passes proposed */
	long merged;       /* pairs judged duplicates and merged */
	long queued;       /* pairs sent to a person */
	long related;      /* pairs linked as related reports */
	long held_apart;   /* duplicate pairs not merged: they would join records judged different */
	long clusters;     /* clusters in the review after the run */
	long duplicates;   /* records removed as duplicates: members minus clusters */
};

typedef void (*wn_dedupe_progress_fn)(void *ctx, const char *phase, long done, long total);

struct wn_dedupe_options {
	wn_dedupe_progress_fn progress;
	void *ctx;
};

/* Compare the records not compared before with every record; merge
 * certain duplicates, queue uncertain pairs, link related reports. One
 * transaction: a run that fails leaves the review as it was. */
int wn_dedupe_run(struct wn_store *store, const struct wn_dedupe_options *opts,
		  struct wn_dedupe_summary *out);

/* The rules and settings a run uses, for people (`dedupe --explain`). */
void wn_dedupe_explain(struct wn_store *store, FILE *out);

/* Candidate pairs and their state. status: NULL for all, or "pending",
 * "merged", "rejected", "related". */
struct wn_dedupe_pair {
	long long id, record_a, record_b;
	double score;
	const char *status;   /* pending, merged, rejected, related */
	const char *rule;     /* the rule or person's reason */
	const char *actor;    /* auto, or who decided */
	const char *decided_at;
	const char *evidence; /* JSON */
	const char *title_a, *title_b;
};

typedef int (*wn_dedupe_pair_fn)(void *ctx, const struct wn_dedupe_pair *pair);

int wn_dedupe_each_pair(struct wn_store *store, const char *status, wn_dedupe_pair_fn fn,
			void *ctx);

/* By hand: records a and b are the same report (their clusters merge), or
 * the record leaves its cluster (and is recorded as not a duplicate of the
 * others). `reason` may be NULL. Each is audited with who and when. */
int wn_dedupe_merge(struct wn_store *store, long long a, long long b, const char *reason);
int wn_dedupe_split(struct wn_store *store, long long record, const char *reason);

/* A person's decision on a queued pair: "duplicate", "not_duplicate" or
 * "related"; a duplicate merges the two clusters. */
int wn_dedupe_decide(struct wn_store *store, long long pair_id, const char *decision,
		     const char *reason);

#endif
