/*
 * Where a review stands: records per source, duplicates, each stage's
 * progress, studies. Every number is a query over the store.
 */
#ifndef WINNOW_STATUS_H
#define WINNOW_STATUS_H

#include <stddef.h>

#include "winnow/store.h"

struct wn_status_source {
	char *name;  /* database name as the search or import recorded it */
	char *via;   /* database, register, website, organisation, citation, other */
	long searches;
	long imports;
	long records;
};

struct wn_status_stage {
	char *name;
	int reviewers_required;
	double dual_fraction; /* > 0: a second reviewer on this share of reports */
	long long sample_seed;
	long dual_sampled;    /* reports that reached the stage and are in the sample */
	long eligible;  /* reports that reached this stage */
	long screened;  /* with a final include or exclude */
	long included;
	long excluded;
	long excluded_by_rule;
	long conflicts; /* reviewers disagree and nobody has resolved it */
	long pending;   /* eligible, not yet decided (conflicts included) */
};

struct wn_review_status {
	int schema_version;
	char created_at[32];
	int protocol_version; /* 0 when no protocol is loaded */
	char protocol_sha256[65];
	char *protocol_title;
	long records;
	long reports;     /* records once duplicates are merged */
	long duplicates;  /* records merged into another record's report */
	long clusters;
	long pairs_to_review;
	struct wn_status_source *sources;
	size_t nsources;
	struct wn_status_stage *stages;
	size_t nstages;
	long studies;
	long study_reports;
	long studies_appraised; /* by anyone, with any instrument */
	long themes;
	long findings;
	long findings_assessed; /* review findings (themes) with an overall CERQual confidence */
	long audit_entries;
};

int wn_status_collect(struct wn_store *store, struct wn_review_status *out);
void wn_status_release(struct wn_review_status *s);

#endif
