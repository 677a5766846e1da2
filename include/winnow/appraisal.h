/*
 * Quality appraisal of studies with instruments that are data: checklist
 * files (corpus/instruments/, format in docs/synthesis.md) that a review
 * stores verbatim with their SHA-256 the first time it uses them, so that
 * every answer refers to the exact checklist asked.
 *
 * Each reviewer appraises a study on their own; where two disagree on an
 * item, a consensus answer settles it, as a resolution settles a
 * screening conflict. Answers are appended, never changed: a new answer
 * to an item supersedes the reviewer's last.
 */
#ifndef WINNOW_APPRAISAL_H
#define WINNOW_APPRAISAL_H

#include <stddef.h>

#include "winnow/protocol.h"
#include "winnow/store.h"

struct wn_instrument_answer {
	char key;    /* typed in the terminal: 'y' */
	char *label; /* stored and shown: "Yes" */
};

struct wn_instrument_item {
	char *code;     /* "1", "S1", "overall" */
	char *text;
	char *hint;     /* NULL when none */
	char *section;  /* NULL when none */
	char *category; /* the study category it belongs to; NULL: every one */
	int screening;  /* a screening question */
	int overall;    /* the overall judgement (JBI's include/exclude) */
	int free_text;  /* answered in words (CASP question 10) */
	struct wn_instrument_answer *answers;
	size_t nanswers;
};

struct wn_instrument_category {
	char *code, *label;
};

struct wn_instrument {
	char *name, *version, *title, *source, *note;
	char *tally; /* the answer the summary counts ("Yes"), NULL for none */
	struct wn_instrument_category *categories;
	size_t ncategories;
	struct wn_instrument_item *items;
	size_t nitems;
	char sha256[65];
	char *text; /* the file, verbatim */
	size_t len;
};

/* Parse an instrument file. Every problem is added to d with its line;
 * WN_EINVALID when there was any. */
int wn_instrument_parse(struct wn_instrument *out, const char *text, size_t len,
			struct wn_diagnostics *d);
void wn_instrument_release(struct wn_instrument *in);

/* Whether an item is asked of a study of `category` (NULL for an
 * instrument without categories). */
int wn_instrument_applies(const struct wn_instrument_item *it, const char *category);
/* The item with this code, or NULL. */
const struct wn_instrument_item *wn_instrument_item(const struct wn_instrument *in,
						    const char *code);
/* The category with this code or label (either case), or NULL. */
const struct wn_instrument_category *wn_instrument_category(const struct wn_instrument *in,
							    const char *name);

/* Where instruments are found by name (NAME.ini): $WINNOW_INSTRUMENTS (a
 * colon-separated list of directories), then the installed ones, then the
 * source tree's corpus/instruments. */
const char *wn_instrument_path(void);

/* An instrument by name (or a file path): the one the review holds, else
 * the file found on the path. WN_ENOTFOUND naming where it looked;
 * WN_EINVALID with d filled for a file that does not parse (d may be
 * NULL). */
int wn_instrument_find(struct wn_store *store, const char *name, struct wn_instrument *out,
		       struct wn_diagnostics *d, char **path_out);

/* The instrument an appraisal uses: `name` (or a file), else the
 * protocol's [appraisal] instrument, else the one the review holds. */
int wn_appraisal_instrument(struct wn_store *store, const char *name, struct wn_instrument *out);

/* The instruments a review can use: the ones it holds, and the files on
 * the path. */
struct wn_instrument_info {
	char *name, *version, *title;
	char *where; /* "in the review" or the file */
};
int wn_instrument_list(struct wn_store *store, struct wn_instrument_info **out, size_t *n);
void wn_instrument_infos_release(struct wn_instrument_info *list, size_t n);

/* One reviewer's answers to a study, in one transaction: every answer
 * is checked against the instrument (an item it has, asked of the
 * study's category, an answer it allows) and nothing is stored when one
 * is wrong. An answer the same as the one in force is not stored again. */
struct wn_answer_input {
	const char *item;    /* NULL: the next item asked, in order (answers given
			      * without items must come before any with) */
	const char *answer;  /* the label or its key, either case; words for a free-text item;
			      * NULL: a comment on the item's answer given here or in force */
	const char *comment; /* NULL keeps the comment in force; "" clears it */
};

struct wn_appraisal_input {
	const char *study;      /* label or id */
	const char *instrument; /* name or file */
	const char *reviewer;
	const char *category;   /* required once for an instrument with categories */
	const struct wn_answer_input *answers;
	size_t nanswers;
	int consensus;          /* a resolution of reviewers' disagreements */
};

struct wn_appraisal_result {
	long long study_id, appraisal_id;
	long stored;    /* answers stored */
	long unchanged; /* given again as they were */
	long remaining; /* items asked of the study that this reviewer has not answered */
	int instrument_loaded; /* the instrument was stored in the review now */
};

int wn_appraise(struct wn_store *store, const struct wn_appraisal_input *in,
		struct wn_appraisal_result *out);

/* Answers from a CSV file with a header row naming the columns study,
 * item, answer and, if wanted, comment, category and reviewer (any
 * order); study and reviewer may instead be given (NULL to read them from
 * the file). All in one transaction: one bad row, named as FILE:LINE, and
 * nothing is stored. */
int wn_appraise_csv(struct wn_store *store, const char *path, const char *instrument,
		    const char *study, const char *reviewer, long *answers, long *studies);

/* A reviewer's answers in force on a study (for the terminal form):
 * answers[i], comments[i] for the instrument's item i, NULL when none. */
struct wn_appraisal_current {
	char *category;
	char **answers;
	char **comments;
	size_t n;
};
int wn_appraisal_current(struct wn_store *store, long long study, const struct wn_instrument *in,
			 const char *reviewer, struct wn_appraisal_current *out);
void wn_appraisal_current_release(struct wn_appraisal_current *c);

/* Items on which a study's reviewers disagree (only answers in force,
 * free-text items aside), not settled by a consensus answer; a
 * disagreement about the study's category comes as item "category". */
struct wn_appraisal_conflict {
	long long study_id;
	const char *study;
	const char *item;
	const char *text;
	size_t n;
	const char *const *reviewers;
	const char *const *answers;
};
int wn_appraisal_conflicts(struct wn_store *store, const char *instrument,
			   int (*fn)(void *ctx, const struct wn_appraisal_conflict *c), void *ctx);

/* The table papers publish: a row per appraised study, a cell per item.
 * A cell is the answer the reviewers agree on (or the only reviewer's),
 * the consensus answer where they did not, "conflict" where that is still
 * open, "" where nobody answered, and "n/a" for an item not asked of the
 * study's category. */
enum wn_cell_state { WN_CELL_EMPTY, WN_CELL_AGREED, WN_CELL_CONSENSUS, WN_CELL_CONFLICT,
		     WN_CELL_NA };

struct wn_appraisal_row {
	long long study_id;
	char *study;
	char *category;   /* NULL for an instrument without categories */
	char *category_conflict; /* "alice: qualitative; bob: rct" when reviewers differ
				  * and no consensus settles it, else NULL */
	char *reviewers;  /* who answered anything: "alice, bob" */
	size_t nreviewers; /* of them, those who answered every item asked */
	char **cells;     /* per item of the instrument */
	char **comments;  /* the reviewers' comments on each item, joined */
	enum wn_cell_state *states;
	long tally, tally_of; /* items answered with the instrument's tally answer, of those asked */
	int complete;     /* enough reviewers answered every item asked, and no
			   * disagreement (of answers or category) is open */
};

struct wn_appraisal_summary {
	struct wn_instrument instrument;
	int required_reviewers; /* the protocol's [appraisal] reviewers (default 1) */
	struct wn_appraisal_row *rows;
	size_t nrows;
};

/* instrument NULL: the protocol's [appraisal] instrument, else the one
 * instrument the review holds. */
int wn_appraisal_summary(struct wn_store *store, const char *instrument,
			 struct wn_appraisal_summary *out);
void wn_appraisal_summary_release(struct wn_appraisal_summary *s);

#endif
