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

/* Themes: a tree of themes and subthemes with descriptions. A theme is
 * named by its id, its name when no other theme has it, or its path
 * "Parent/Child". Merged themes are kept (merged_into) for the record and
 * named no more. */
struct wn_theme {
	long long id, parent_id; /* parent 0: a top-level theme */
	char *name, *description;
	char *path;              /* "Increased wellbeing/Feeling valued" */
	int depth;               /* 0 for a theme, 1 for a subtheme, ... */
	long findings;           /* coded to it alone */
	long findings_all;       /* to it and its subthemes */
	long studies_all;        /* studies those come from */
};

int wn_theme_find(struct wn_store *store, const char *ref, long long *id);
/* parent NULL: a top-level theme. Names are unique among siblings. */
int wn_theme_add(struct wn_store *store, const char *name, const char *parent,
		 const char *description, long long *id);
/* new_parent NULL: to the top level. A theme cannot go under itself or
 * one of its own subthemes. */
int wn_theme_move(struct wn_store *store, const char *theme, const char *new_parent);
/* new_name or description NULL: kept as they are. */
int wn_theme_rename(struct wn_store *store, const char *theme, const char *new_name,
		    const char *description);
/* Recode from's findings to `into`, move its subthemes under `into`, and
 * mark it merged. *moved counts the findings recoded. */
int wn_theme_merge(struct wn_store *store, const char *from, const char *into, long *moved);
/* Every theme in the tree's order: each followed by its subthemes, siblings
 * in the order they were added. */
int wn_theme_list(struct wn_store *store, struct wn_theme **out, size_t *n);
void wn_themes_release(struct wn_theme *t, size_t n);

/* Findings: a participant's words (quote) or the authors' (interpretation)
 * from a study, and from one of its reports when given, coded to one or
 * more themes. */
struct wn_finding_input {
	const char *study;  /* label or id */
	const char *report; /* NULL, or an included report of the study */
	const char *const *themes;
	size_t nthemes;
	const char *kind;   /* quote or interpretation */
	const char *text;
	const char *where;  /* "p. 7" */
	const char *participant;
};

int wn_finding_add(struct wn_store *store, const struct wn_finding_input *in, long long *id);
/* Findings from a CSV file (columns study, report, theme, kind, text,
 * where, participant; theme may name several, separated by ';'), checked
 * row by row, all or nothing: one bad row, named as FILE:LINE, and nothing
 * is stored. */
int wn_finding_import(struct wn_store *store, const char *path, long *count);
int wn_finding_remove(struct wn_store *store, long long id);

struct wn_finding {
	long long id, study_id, report_id; /* report 0 when none given */
	char *study, *citation;            /* the study's label; the report as cited */
	char *kind, *text, *where, *participant;
	char *themes;                      /* paths, "; "-separated */
};
/* theme (and its subthemes) and study may be NULL: all. */
int wn_finding_list(struct wn_store *store, const char *theme, const char *study,
		    struct wn_finding **out, size_t *n);
void wn_findings_release(struct wn_finding *f, size_t n);

/* The matrix of themes against studies: for each theme (with its
 * subthemes) and study, the findings coded; each study's appraisal beside
 * it. A sensitivity analysis leaves out the studies an appraisal condition
 * picks ("casp:8=No": instrument, item, answer; the instrument's name may
 * be shortened to a unique prefix, the item written Q8, several answers
 * joined by '|'), and shows the support each theme keeps. */
struct wn_matrix_study {
	long long id;
	char *label;
	char *appraisal; /* "7/9 Yes", the overall judgement, or the profile; "" if none */
	char *excluded;  /* why it is left out ("casp-qualitative 8 = No"), or NULL */
};

struct wn_synth_matrix {
	struct wn_theme *themes;
	size_t nthemes;
	struct wn_matrix_study *studies;
	size_t nstudies;
	long *cells;         /* [theme * nstudies + study]: findings */
	long *support;       /* per theme: studies contributing */
	long *support_after; /* per theme: of those, the ones not left out */
	char *instrument;    /* the instrument whose appraisals are shown, NULL if none */
};

int wn_synth_matrix(struct wn_store *store, const char *const *exclude, size_t nexclude,
		    struct wn_synth_matrix *out);
void wn_synth_matrix_release(struct wn_synth_matrix *m);

/* GRADE-CERQual, judged per review finding: a theme's summary statement.
 * component: "statement" (why is the statement itself), "overall" (level
 * high, moderate, low or very-low), or one of the four components
 * (methodological-limitations, coherence, adequacy, relevance; level none,
 * minor, moderate or serious), each with its explanation. The latest
 * judgement of each stands; earlier ones stay on record. */
#define WN_CERQUAL_COMPONENTS 4
extern const char *const wn_cerqual_components[WN_CERQUAL_COMPONENTS];

int wn_cerqual_assess(struct wn_store *store, const char *theme, const char *component,
		      const char *level, const char *why);

struct wn_cerqual_finding {
	long long theme_id;
	char *theme;     /* its path */
	char *statement; /* the summary of the review finding (else the theme's description) */
	char *level[WN_CERQUAL_COMPONENTS], *why[WN_CERQUAL_COMPONENTS]; /* NULL: not assessed */
	char *overall, *overall_why;
	char *studies;   /* the studies contributing, from the coding: "Ashby 1998; Hartley 2020" */
	long nstudies;
	char *assessors;
	char *problems;  /* what is missing or does not fit, "" when nothing */
};

/* Every theme with a statement or a judgement, in the tree's order. */
int wn_cerqual_profile(struct wn_store *store, struct wn_cerqual_finding **out, size_t *n);
void wn_cerqual_release(struct wn_cerqual_finding *f, size_t n);

#endif
