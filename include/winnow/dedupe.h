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

/* Take back a person's last decision on a pair: the decision before it
 * (for a queued pair, 'queued') is recorded again, both stay on record, and
 * the two records' clusters are rebuilt from the pairs still decided
 * duplicates. */
int wn_dedupe_undo(struct wn_store *store, long long pair_id, const char *reason);

/* The review queue: pairs waiting for a person, strongest first. */
int wn_dedupe_pending(struct wn_store *store, long long **ids, size_t *n);

/* A pair as a person compares it: each field of both records as shown,
 * with the words that one side has and the other lacks marked. */
enum wn_pair_field {
	WN_FIELD_TITLE,
	WN_FIELD_AUTHORS,
	WN_FIELD_YEAR,
	WN_FIELD_JOURNAL,
	WN_FIELD_VOLUME,
	WN_FIELD_ISSUE,
	WN_FIELD_PAGES,
	WN_FIELD_DOI,
	WN_FIELD_PMID,
	WN_FIELD_TYPE,
	WN_FIELD_SOURCE,
	WN_FIELD_ABSTRACT,
	WN_FIELD_COUNT
};
extern const char *const wn_pair_field_names[WN_FIELD_COUNT];

struct wn_pair_view {
	long long pair_id, record[2];
	double score;
	const char *status; /* pending, merged, rejected or related */
	char *rule;     /* why it is where it is */
	char *text[2][WN_FIELD_COUNT];    /* never NULL; "" when missing */
	/* per byte of text: 1 where a word is not on the other side */
	unsigned char *differs[2][WN_FIELD_COUNT];
};

int wn_dedupe_pair_view(struct wn_store *store, long long pair_id, struct wn_pair_view *out);
void wn_pair_view_release(struct wn_pair_view *view);

/* Mark (1) the bytes of words in a that b lacks and of words in b that a
 * lacks, by a longest common subsequence of words compared case- and
 * accent-blind; punctuation and spaces are never marked. mark_a and
 * mark_b hold strlen(a) and strlen(b) bytes. */
void wn_diff_words(const char *a, const char *b, unsigned char *mark_a, unsigned char *mark_b);

#endif
