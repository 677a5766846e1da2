/*
 * Screening's working parts, shared by the decisions (screening.c) and a
 * reviewer's queue (screen_queue.c): a stage as the review stores it, and
 * one report's standing there, worked out with indexed queries the way the
 * report_stage_outcome view works it out for all reports.
 */
#ifndef WINNOW_SCREENING_INT_H
#define WINNOW_SCREENING_INT_H

#include <stddef.h>

#include <sqlite3.h>

#include "winnow/protocol.h"
#include "winnow/store.h"

/* The records of a report (bound as ?1): its cluster's, or itself alone. */
#define MEMBERS \
	"(SELECT m2.record_id FROM cluster_member m JOIN cluster_member m2 " \
	"ON m2.cluster_id = m.cluster_id WHERE m.record_id = ?1 UNION SELECT ?1)"

struct wn_stage_info {
	char *name; /* owned */
	int position, required, first;
	struct wn_dual_sample sample; /* below 0: no second reviewer on a sample */
};

/* The columns of stage that fill a wn_stage_info, in order, after which
 * a query may add its own. */
#define STAGE_COLUMNS "name, position, reviewers_required, sample_key, sample_below"
/* Fill s from a row whose first columns are STAGE_COLUMNS. */
void wn_stage_from_row(sqlite3_stmt *st, struct wn_stage_info *s);

/* How many reviewers the report needs at the stage: the stage's number,
 * or two when the report is in its dual-review sample. */
static inline int wn_stage_required(const struct wn_stage_info *s, long long report)
{
	return wn_dual_sampled(&s->sample, report) && s->required < 2 ? 2 : s->required;
}

/* What stands on a report at a stage, besides its outcome. */
struct wn_standing {
	long long mine, mine_record;             /* the reviewer's decision in force */
	long long resolution, resolution_record; /* the resolution in force */
	int by_rule;                             /* a rule excluded it */
};

/* The outcome at a stage from what stands there: the resolution in force
 * (NULL if none) decides; else a rule's exclusion; else, once n reviewers
 * of the `required` have decided, their agreement (lo and hi, the least
 * and greatest of their decisions, equal and not maybe), or a conflict;
 * else it is pending. */
const char *wn_outcome_judge(const char *resolution, int by_rule, long n, int required,
			     const char *lo, const char *hi);

/* A record named by id, "pmid:N" or "doi:X". */
int wn_record_lookup(struct wn_store *store, const char *ref, long long *id);
/* The report a record belongs to: its cluster's primary, or itself. */
int wn_report_of(struct wn_store *store, long long record, long long *report);
/* A stage by name; WN_ENOTFOUND when the protocol has none so named. */
int wn_stage_find(struct wn_store *store, const char *name, struct wn_stage_info *s);
/* The report's outcome at a stage into out (include, exclude, conflict or
 * pending) and, when st_out is not NULL, what stands on it (mine: the
 * decision in force of `reviewer`, which may be NULL). */
int wn_stage_outcome(struct wn_store *store, long long report, const struct wn_stage_info *s,
		     const char *reviewer, char *out, size_t cap, struct wn_standing *st_out);
/* The stages before s, in order (*before to release with
 * wn_stages_release). */
int wn_stages_before(struct wn_store *store, const struct wn_stage_info *s,
		     struct wn_stage_info **before, size_t *n);
void wn_stages_release(struct wn_stage_info *stages, size_t n);
/* WN_OK when the report was included at every stage before s, else
 * WN_EINVALID saying where it stands. */
int wn_stage_reached(struct wn_store *store, long long report, const struct wn_stage_info *s);

/* The last stage of the protocol in force (s->name to free);
 * WN_ENOTFOUND when the review has no stages. */
/* The reports that reached a stage, in report order (to free): every
 * report at the first stage; after it, those included at every stage
 * before. */
int wn_stage_reports(struct wn_store *store, const struct wn_stage_info *s, long long **ids,
		     size_t *n);
int wn_last_stage(struct wn_store *store, struct wn_stage_info *s);
/* WN_OK when the report is included: it reached the last stage and is
 * included there; else WN_EINVALID saying where it stands. */
int wn_report_included(struct wn_store *store, long long report);
/* Every included report, in id order (*out to free). */
int wn_included_reports(struct wn_store *store, long long **out, size_t *n);

#endif
