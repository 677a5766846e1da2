/*
 * The PRISMA 2020 flow, every number a query over the review: records per
 * source and route (imports and searches, `via`), duplicates from the
 * clusters, automation from the rules applied before anyone screened,
 * screening and full-text outcomes from the decisions, retrieval from the
 * full-text entries, studies from the synthesis store. The one number
 * people supply is "records removed for other reasons", with a note.
 *
 * Stages: the protocol's first stage is where records are screened; its
 * last is where reports are assessed; any stage between screens too.
 * Arms: a report belongs to "databases and registers" when any of its
 * records came that way, else to "other methods" (websites, organisations,
 * citation searching, other).
 */
#ifndef WINNOW_PRISMA_H
#define WINNOW_PRISMA_H

#include <stddef.h>
#include <stdio.h>

#include "winnow/store.h"

/* A named count: a database's records, a reason's reports. */
struct wn_prisma_count {
	char *name;
	long n;
};

struct wn_prisma_counts {
	struct wn_prisma_count *items;
	size_t n;
};

/* One arm's reports from retrieval on. */
struct wn_prisma_reports {
	long sought, not_retrieved, assessed, excluded, included, pending;
	struct wn_prisma_counts excluded_by_reason; /* each excluded report under one reason */
};

/* A check of the arithmetic between the boxes that failed. A violation
 * means the record contradicts itself; otherwise it is a warning (the flow
 * is not final yet, or an approximate rule does not hold exactly). */
struct wn_prisma_issue {
	int violation;
	char *boxes;          /* the boxes involved: "dbr_assessed, dbr_excluded" */
	char *message;
	long long *reports;   /* the reports that cause it (at most 20 kept) */
	size_t nreports;
	long count;           /* how many reports cause it */
};

struct wn_prisma {
	char *title;          /* the protocol's review title, or NULL */
	char *first_stage, *last_stage;
	/* identification via databases and registers */
	long database_results, register_results;
	struct wn_prisma_counts databases, registers;
	long duplicates, excluded_automatic, excluded_other;
	char *excluded_other_note;
	/* screening */
	long records_screened, records_excluded;
	long records_excluded_human, records_excluded_automatic; /* the split of records_excluded */
	long records_pending; /* still undecided before the last stage */
	struct wn_prisma_counts records_excluded_by_reason; /* each under one reason,
							      * "No reason given" when none */
	struct wn_prisma_reports dbr;
	/* identification via other methods */
	long website_results, organisation_results, citations_results, other_results;
	struct wn_prisma_counts other_sources;
	long other_excluded_screening; /* excluded before full text: PRISMA has no box */
	struct wn_prisma_reports other;
	/* included */
	long new_studies, new_reports;
	int studies_linked;   /* studies come from the synthesis store */
	long previous_studies, previous_reports; /* -1: not an updated review */
	long total_studies, total_reports;
	struct wn_prisma_issue *issues;
	size_t nissues;
	/* what a methods section must say about how screening was done:
	 * prioritised orders used (with their settings, reviewers and first
	 * use) and each stopping sample with where its test stands */
	char **methods;
	size_t nmethods;
};

/* Work the flow out. previous_* are -1 for a new review. WN_ENOTFOUND
 * when the review has no stages. */
int wn_prisma_compute(struct wn_store *store, long previous_studies, long previous_reports,
		      struct wn_prisma *out);
void wn_prisma_release(struct wn_prisma *p);

/* An updated review whose previous version is a review file: its
 * included studies and reports (its totals, counted from that file) are
 * the previous-version boxes here, and reports included in both versions
 * (by DOI or PMID) are reported, since the totals would count them twice. */
int wn_prisma_use_previous(struct wn_store *store, struct wn_store *previous, struct wn_prisma *p);

/* Does any issue make the flow contradict itself? */
int wn_prisma_violations(const struct wn_prisma *p);

/* Draw the flow diagram: format "svg" (laid out like the PRISMA 2020
 * template, text measured so that nothing is clipped) or "dot"; with
 * screening_reasons, the reasons records were excluded before full text
 * are listed in their box. */
int wn_prisma_write_diagram(const struct wn_prisma *p, const char *format, int screening_reasons,
			    FILE *fp);

/* The PRISMA-S summary of the searches, as JSON (*out, to release with
 * json_decref): per search run and imported file its database and
 * platform, route, date searched, the query as sent and as the service ran
 * it (or the strategy the protocol records for a file), limits, records
 * reported, retrieved and stored, duplicates removed; and each
 * deduplication run with its method, settings and counts. */
struct json_t;
int wn_prisma_search_report(struct wn_store *store, struct json_t **out);

/* Record a number only people can know ("excluded_other"), with its note,
 * in its own transaction with an audit entry; the latest stands. */
int wn_prisma_set(struct wn_store *store, const char *key, long value, const char *note);

#endif
