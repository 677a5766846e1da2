/*
 * Deduplication, inside libwinnow.
 *
 *   compare.c   what a record looks like to the comparer (struct
 *               wn_profile), the string similarities, the field-by-field
 *               evidence about a pair, and the decision on it
 *   dedupe.c    a run: load profiles, block candidate pairs, decide, build
 *               consistent clusters, store; and the commands that change
 *               clusters by hand (merge, split, decide a pair)
 *
 * A pair is judged by rules, not by one weighted score, so that every
 * automatic merge names the rule that fired and the evidence it saw.
 */
#ifndef WINNOW_DEDUPE_INT_H
#define WINNOW_DEDUPE_INT_H

#include <stddef.h>
#include <stdint.h>

/* What kind of document a record is, as far as deduplication cares: these
 * are never merged with an ordinary article of the same title. */
enum wn_doc_kind {
	WN_KIND_ARTICLE = 0,
	WN_KIND_ERRATUM,
	WN_KIND_RETRACTION,
	WN_KIND_COMMENT,    /* comment, reply, letter about an article */
	WN_KIND_CONFERENCE, /* meeting abstract, proceedings paper */
	WN_KIND_PREPRINT,
};

/* One record, normalised for comparison. Strings are folded (lower case,
 * no accents, punctuation as single spaces) and owned by the profile. */
struct wn_profile {
	int64_t id;
	char *title;        /* folded, markup and translation brackets dropped */
	char *title_tight;  /* the same without spaces: "covid 19" = "covid19" */
	char *authors;      /* "smith j;jones ab;..." folded family + initials */
	char *first_author; /* folded family name of the first author */
	int nauthors;
	int year;           /* 0 unknown */
	char *journal;      /* folded, "the" dropped */
	char *journal_abbrev;
	char *volume;       /* digits as written, else the folded text */
	char *issue;
	long page_first, page_last; /* 0 unknown */
	char *pages;        /* folded, for pages that are not numbers */
	char *doi;
	char *pmid;
	char *pmcid;
	char *issn;
	char *abstract;     /* folded, first WN_ABSTRACT_KEEP bytes */
	enum wn_doc_kind kind;
	int cochrane;       /* a Cochrane review: updates share the title */
	int proceedings;    /* its source calls it a conference paper */
	int page_elocator;  /* pages are an article number: e12724 */
	int pages_garbled;  /* "Suppl-29", "t-20": the range lost its start */
	int supplement;     /* in a supplement: its issue or its journal says so */
	int is_new;         /* not seen by an earlier run */
	int64_t cluster;    /* its cluster before this run, 0 if none */
};

#define WN_ABSTRACT_KEEP 400

/* The record's fields, as loaded from the store, for wn_profile_build. */
struct wn_profile_source {
	int64_t id;
	const char *title, *authors_json, *journal, *journal_abbrev, *volume, *issue;
	const char *pages, *doi, *pmid, *pmcid, *issn, *abstract, *type, *pubtypes_json;
	int year;
};

void wn_profile_build(struct wn_profile *p, const struct wn_profile_source *src);

/* The record columns a profile is built from (table alias r), and the
 * profile of a row whose first columns they are. */
struct wn_store;

/* The columns wn_profile_from_row reads, of `record r`. An issue from a
 * file whose issues are record numbers (wn_dedupe_find_numbered_issues)
 * is read as unknown. */
#define WN_PROFILE_COLUMNS                                                         \
	"r.id, r.title, r.authors, r.year, r.journal, r.journal_abbrev, r.volume, "    \
	"CASE WHEN r.import_file_id IN (SELECT id FROM temp.numbered_issues) "         \
	"THEN NULL ELSE r.issue END, "                                                 \
	"r.pages, r.doi, r.pmid, r.pmcid, r.issn, substr(r.abstract, 1, 1200), "       \
	"r.type, r.pubtypes"
/* Before WN_PROFILE_COLUMNS is read: note the imported files whose
 * "issues" are not issues but the exporting program's record numbers
 * (EndNote's in `number`): one a record, nearly all different, where
 * real issues repeat (1 to 12, over and over). At least 50 of them, 90%
 * different. Their count goes to *files if it is not NULL. */
int wn_dedupe_find_numbered_issues(struct wn_store *store, long *files);
struct sqlite3_stmt;
void wn_profile_from_row(struct sqlite3_stmt *st, struct wn_profile *p);
void wn_profile_release(struct wn_profile *p);

/* Similarities in [0, 1]. */
/* 2 * LCS / (|a| + |b|): the "indel" ratio; 1 for two empty strings. */
double wn_sim_ratio(const char *a, size_t la, const char *b, size_t lb);
double wn_sim_title(const struct wn_profile *a, const struct wn_profile *b);
double wn_sim_authors(const struct wn_profile *a, const struct wn_profile *b);
double wn_sim_journal(const struct wn_profile *a, const struct wn_profile *b);

/* Agreement of a field present in both records. */
enum wn_agree { WN_UNKNOWN = 0, WN_SAME = 1, WN_DIFFERENT = -1 };

struct wn_evidence {
	double title, authors, journal, abstract; /* -1: missing in one or both */
	double title_raw;   /* before title_words lowered it */
	int year_gap;                             /* -1: a year is missing */
	enum wn_agree doi, pmid, volume, issue, pages;
	int pages_apart;    /* both page ranges known and not overlapping */
	int page_range_same; /* both give the same first and last page, a range */
	int title_numbers;  /* the titles carry different numbers (part 1, 2) */
	int title_words;    /* a telling word (protocol, rats, erratum) in one only */
};

enum wn_verdict {
	WN_VERDICT_DIFFERENT = 0, /* left apart */
	WN_VERDICT_DUPLICATE,     /* merged automatically */
	WN_VERDICT_REVIEW,        /* a person decides */
	WN_VERDICT_RELATED,       /* different records of one work: linked */
};

struct wn_judgement {
	enum wn_verdict verdict;
	const char *rule;     /* static: which rule decided, for the record */
	const char *relation; /* for RELATED: record_relation.kind, a -> b */
	double score;         /* a single figure for sorting and display */
	int contradiction;    /* DIFFERENT because something contradicts, not
			       * merely for want of likeness */
};

void wn_evidence_collect(const struct wn_profile *a, const struct wn_profile *b,
			 struct wn_evidence *e);

/* Below this title similarity no rule finds anything but different
 * records, unless an identifier or a whole page range is shared (the
 * lowest threshold a protocol may set is 0.5 too). */
#define WN_TITLE_FLOOR 0.5
/* Nothing but different by every rule, known from the titles alone: the
 * run's shortcut past the full evidence for most candidate pairs. */
int wn_plainly_different(const struct wn_profile *a, const struct wn_profile *b);
/* What a review may set in its protocol's [dedupe] section. */
struct wn_dedupe_thresholds {
	double merge_title;  /* title similarity the general merge rules need */
	double review_title; /* below it, a pair is not worth a person's look */
};
extern const struct wn_dedupe_thresholds wn_dedupe_default_thresholds;
/* The thresholds the rules derive from the two: a merge without authors
 * to back it needs a closer title; a pair whose authors are less sure
 * needs a closer title to be worth a look. */
double wn_dedupe_merge_bare(const struct wn_dedupe_thresholds *t);
double wn_dedupe_review_authors(const struct wn_dedupe_thresholds *t);
/* The review's: the protocol's [dedupe] merge_title and review_title, or
 * the defaults. */
struct wn_store;
void wn_dedupe_load_thresholds(struct wn_store *store, struct wn_dedupe_thresholds *t);

/* Fills j and returns its verdict; t NULL for the defaults. */
enum wn_verdict wn_judge(const struct wn_profile *a, const struct wn_profile *b,
			 const struct wn_evidence *e, const struct wn_dedupe_thresholds *t,
			 struct wn_judgement *j);

/* The evidence as a JSON object (text, caller frees), for dedupe_pair. */
char *wn_evidence_json(const struct wn_evidence *e, const struct wn_judgement *j);

/* ---- storing, shared by a run and by the commands people use ---------- */
struct wn_store;

/* The protocol's [dedupe] source_preference as ",a,b," (lower case). */
char *wn_dedupe_source_preference(struct wn_store *store);
/* Put the records into one cluster (the lowest cluster id among
 * clusters[], 0 for none, or a new one); choose its primary record. */
int wn_dedupe_unite(struct wn_store *store, const int64_t *members, const int64_t *clusters,
		    size_t n, const char *preference, int64_t *cluster);
int wn_dedupe_choose_primary(struct wn_store *store, int64_t cluster, const char *preference);
/* Remove the cluster if no record is left in it: 1 removed, 0 not, or an
 * error. */
int wn_dedupe_drop_empty(struct wn_store *store, int64_t cluster);
/* The pair row (made if new) and a decision on it: an automatic one only
 * when the pair has none yet; a person's supersedes the last. */
int wn_dedupe_store_pair(struct wn_store *store, int64_t run, int64_t a, int64_t b,
			 double score, const char *evidence, const char *decision,
			 const char *actor, const char *reason, int64_t *pair_id);
/* The decision in force on pair p (decisions are append-only: the last
 * one stands), joined as d. */
#define WN_PAIR_DECISION_IN_FORCE \
	"JOIN pair_decision d ON d.id = (SELECT max(id) FROM pair_decision WHERE pair_id = p.id) "

/* A stored decision ("queued", "duplicate", ...) as people name where a
 * pair stands ("pending", "merged", ...), and back; NULL when unknown. */
const char *wn_pair_status_of(const char *decision);
const char *wn_pair_decision_of(const char *status);

int wn_dedupe_store_relation(struct wn_store *store, int64_t record, int64_t related,
			     const char *kind, const char *actor, const char *evidence);

#endif
