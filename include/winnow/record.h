/*
 * Records and the normalisation that makes them comparable.
 *
 * A record is one database entry as a source gave it. Sources and format
 * parsers fill a struct wn_record and hand it to a sink one at a time; the
 * store keeps the normalised fields, the match keys derived from them, every
 * unmapped field (extra) and the raw bytes the record came from.
 *
 * The normalisation helpers return newly allocated strings (free() them), or
 * NULL when the input holds nothing usable (no DOI in the string, no year in
 * the date, ...). They accept any bytes: invalid UTF-8 is read as Latin-1.
 */
#ifndef WINNOW_RECORD_H
#define WINNOW_RECORD_H

#include <stddef.h>

struct wn_strlist {
	char **items;
	size_t n;
	size_t cap;
};

/* A field the parser did not map: kept under the source's own tag. */
struct wn_field {
	char *tag;
	char *value;
};

struct wn_record {
	char *source_id; /* accession as the source gives it (AN, UT, PMID...) */
	char *type;      /* journal-article, conference-paper, book, ... */
	char *title;
	char *abstract;
	char *date;      /* as given: "2019 Dec", "2019/03/02/" */
	int year;        /* 0 when unknown */
	char *journal;
	char *journal_abbrev;
	char *volume;
	char *issue;
	char *pages;     /* expanded: "1234-1256" */
	char *doi;       /* normalised: lower case, "10.x/y" */
	char *pmid;
	char *pmcid;
	char *issn;
	char *isbn;
	char *language;
	char *url;
	char *publisher;
	struct wn_strlist authors; /* as given: "Smith, J. A." */
	struct wn_strlist keywords;
	struct wn_strlist mesh;
	struct wn_strlist pubtypes;
	struct wn_field *extra;
	size_t nextra;
	size_t extra_cap;
	char *raw;              /* the bytes the record came from */
	size_t raw_len;
	const char *raw_format; /* static string: "ris", "pubmed-xml", ... */
	long position;          /* 1-based index within its file or search */
	long line;              /* first line in its file, 0 if not a file */
};

void wn_record_init(struct wn_record *rec);
/* Free everything the record holds and re-initialise it. */
void wn_record_clear(struct wn_record *rec);

/* Fill what rec lacks (an empty field or list, year 0) from `from`: the
 * fields that describe the report, not source_id, raw or extra. The
 * names of the fields filled go to filled[] (up to max); returns how many
 * were filled. */
#define WN_RECORD_FILLABLE 20
size_t wn_record_fill(struct wn_record *rec, const struct wn_record *from, const char **filled,
		      size_t max);
/* Replace *field with a copy of value (NULL clears it). */
void wn_record_set(char **field, const char *value);
void wn_strlist_add(struct wn_strlist *list, const char *value);
void wn_strlist_clear(struct wn_strlist *list);
void wn_record_add_extra(struct wn_record *rec, const char *tag, const char *value);

/* Case-folded, accent-stripped text with every run of non-alphanumeric
 * characters turned into one space, trimmed: the base of every match key. */
char *wn_fold(const char *s);

/* "https://doi.org/10.1000/ABC%28x%29." -> "10.1000/abc(x)"; NULL if no DOI. */
char *wn_normalize_doi(const char *s);

/* Digits of a PubMed id ("PMID: 123" -> "123"); NULL if not one. */
char *wn_normalize_pmid(const char *s);

/* "1471-2458 (Electronic)" or "14712458" -> "1471-2458"; NULL if none. */
char *wn_normalize_issn(const char *s);

/* Match key of a title: markup, entities, a bracketed translation and
 * trailing punctuation removed, then folded. */
char *wn_title_key(const char *title);

/* Match key of a journal name: folded, leading "the" dropped. */
char *wn_journal_key(const char *journal);
/* The start page, for blocking in dedupe: "1234" of "1234-1256". */
char *wn_pages_start(const char *pages);
/* The match key stored beside a field ("title" -> title_key, "journal" ->
 * journal_key, "pages" -> pages_start), or NULL for a field without one
 * or a value whose key is empty. */
char *wn_field_key(const char *field, const char *value);
/* The ISO 639-2/B code ("eng", "fre") for a language's English name as
 * databases write it ("English", "French"); NULL for anything else
 * (codes included: they are already codes). */
const char *wn_language_code(const char *name, size_t len);

/* An author name taken apart. Every form reviewers meet is accepted:
 * "Smith, J. A.", "Smith, John Andrew", "J A Smith", "John A. Smith",
 * "Smith JA" (PubMed), "van der Berg, Anna", "{WHO Working Group}". */
struct wn_author_name {
	char *family;   /* "Smith", or the whole name when collective */
	char *given;    /* "John Andrew", "J. A.", or NULL */
	char *initials; /* "JA", or NULL */
	int collective; /* a group or organisation, not a person */
};

/* 0 on success, -1 when the name is empty or anonymous. */
int wn_author_parse(const char *name, struct wn_author_name *out);
void wn_author_name_release(struct wn_author_name *a);

/* "smith j" (family name and first initial) for a person: the part of a
 * name every source agrees on (PubMed's short form keeps at most two
 * initials, others all of them or none). The folded name for a collective;
 * NULL for an empty or anonymous author. wn_author_parse gives the rest. */
char *wn_author_key(const char *name);

/* An author as "Family, Given" (or "Family, J. A." when only initials
 * are known, the whole name for a collective): the form exports use.
 * NULL for an empty or anonymous author. */
char *wn_author_display(const char *name);

/* Page ranges with the end page written out: "1234-56" -> "1234-1256",
 * "S12-4" -> "S12-S14", "221–6" -> "221-226". Anything else is returned
 * trimmed, with dashes made plain. */
char *wn_expand_pages(const char *pages);

/* The first plausible year in a date as written ("1998 Dec-1999 Jan",
 * "2019/03/02/", "Spring 2001", "20190302"); 0 if there is none. */
int wn_year_from_date(const char *date);

#endif
