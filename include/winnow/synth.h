/*
 * The synthesis store: studies and their reports, thematic coding
 * (themes, findings) and GRADE-CERQual, kept in the review beside the
 * screening record they come from (docs/synthesis.md). Appraisal is in
 * winnow/appraisal.h.
 *
 * PRISMA 2020 counts reports and studies apart: a study can have several
 * reports (protocol, main paper, follow-up). Only included reports can be
 * linked to a study, and a report is in at most one study. Studies are
 * named by their label ("Wildman 2019") or their id.
 */
#ifndef WINNOW_SYNTH_H
#define WINNOW_SYNTH_H

#include <stddef.h>

#include "winnow/store.h"

/* What describes a study; NULL leaves a field empty. */
struct wn_study_fields {
	const char *label; /* required, unique: "Wildman 2019" */
	const char *title;
	const char *design;
	const char *setting;
	const char *country;
	const char *registration;
	const char *note;
};

/* The roles a report can have in its study; "follow-up" and "follow_up"
 * are both accepted. */
#define WN_STUDY_ROLES "main, protocol, follow-up, secondary, other"

/* Add a study and link the reports given (record id, pmid:N or doi:X;
 * the first as its main report, the others as secondary), all in one
 * transaction: a label already used, a report that is not included or
 * already in a study, and nothing is stored. */
int wn_study_add(struct wn_store *store, const struct wn_study_fields *f,
		 const char *const *reports, size_t nreports, long long *id);

/* One study for each included report that is in none, labelled with its
 * first author's family name and year ("Wildman 2019", then "Wildman
 * 2019b" when taken). *created counts them. */
int wn_study_add_each_included(struct wn_store *store, long *created);

/* Link an included report to a study with a role (NULL: main for a study
 * without reports, else secondary). A report
 * already in another study is refused (unlink it first); linking it again
 * to its own study changes its role. */
struct wn_study_link_result {
	long long study_id, record_id, report_id;
	int changed;      /* 0 when it was already linked so */
	const char *role; /* as stored: main, protocol, follow-up, ... */
};
int wn_study_link(struct wn_store *store, const char *study, const char *report, const char *role,
		  struct wn_study_link_result *out);

/* Take a report out of its study; *study_id gets the study it was in. */
int wn_study_unlink(struct wn_store *store, const char *report, long long *study_id,
		    long long *report_id);

/* A study as listed and shown. */
struct wn_study_report {
	long long report_id;
	char *role;
	char *citation; /* "Wildman 2019", from the report's first author */
	char *title;
	int included;   /* still included (a decision may have changed) */
};

struct wn_study {
	long long id;
	char *label, *title, *design, *setting, *country, *registration, *note, *created_at;
	struct wn_study_report *reports;
	size_t nreports;
	long findings;   /* coded from it */
	long appraisals; /* by any reviewer, with any instrument */
};

/* A study by label or id (WN_ENOTFOUND naming it otherwise). */
int wn_study_find(struct wn_store *store, const char *ref, long long *id);
int wn_study_get(struct wn_store *store, long long id, struct wn_study *out);
/* Every study, by label. */
int wn_study_list(struct wn_store *store, struct wn_study **out, size_t *n);
void wn_study_release(struct wn_study *s);
void wn_studies_release(struct wn_study *s, size_t n);

/* The included reports that are in no study (each counts as its own
 * study in PRISMA), in id order; *out to free. */
int wn_study_unlinked(struct wn_store *store, long long **out, size_t *n);

/* Reports that may belong to one study, for a person to confirm: pairs of
 * included reports not in the same study that share a registration
 * number, authors with similar titles, several authors, a near-identical
 * title, or a study's setting. */
struct wn_study_suggestion {
	long long report[2];
	long long study[2];        /* the study each is in, 0 for none */
	const char *label[2];      /* its label, NULL for none */
	const char *citation[2];   /* "Moffatt 2017" */
	const char *title[2];
	const char *evidence;      /* "same registration NCT01234567; 3 shared authors ..." */
};
int wn_study_suggest(struct wn_store *store,
		     int (*fn)(void *ctx, const struct wn_study_suggestion *s), void *ctx);

#endif
