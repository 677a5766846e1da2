/*
 * Inside the format parsers and writers: what each one provides to the
 * registry (format.c) and the helpers they share.
 *
 * A parser reads p->in (wn_input_getline for text formats, wn_input_read
 * for CSV, wn_input_read_bytes for XML), fills a struct wn_record per entry
 * with the fields as the file gives them, and calls wn_parser_emit(). It
 * does not normalise: emit does that once for every format (DOI, PMID,
 * ISSN, pages, year from date, whitespace). It keeps every field it does
 * not map with wn_record_add_extra() under the file's own tag, and the
 * record's text in rec->raw. It warns (wn_parser_warn) with the line of
 * anything it had to skip or guess, and stops when emit or warn returns
 * non-zero, returning that value.
 */
#ifndef WINNOW_FORMATS_INT_H
#define WINNOW_FORMATS_INT_H

#include "util.h"
#include "winnow/format.h"

/* An entry a parser has read but not yet built into a record (decoded,
 * names split): building can then run on another thread than reading
 * (see build_on_caller in struct wn_parser). The parser allocates it;
 * build() may run on any thread, release() frees it. Neither may warn. */
struct wn_record_job {
	void (*build)(struct wn_record_job *job, struct wn_record *rec);
	void (*release)(struct wn_record_job *job);
	size_t bytes;  /* text it holds, for the bound on what is queued */
	long position; /* set by wn_parser_emit_job */
};

/* Number the entry and hand it on: to p->job when there is one, or built
 * here and emitted as wn_parser_emit does. Takes the job either way. */
int wn_parser_emit_job(struct wn_parser *p, struct wn_record_job *job);

/* The record a job makes, finished as wn_parser_emit finishes every
 * record (normalised, numbered, its raw format set). The job is kept:
 * whoever holds it releases it. */
void wn_record_job_build(struct wn_record_job *job, const struct wn_format_info *fmt,
			 struct wn_record *rec);

/* How sure a sniffer is that the head of an input is its format: 0 no,
 * 100 certain. `head` is decoded UTF-8 text, NUL-terminated. */
typedef int (*wn_sniff_fn)(const char *head, size_t len);

int wn_parse_ris(struct wn_parser *p);
int wn_sniff_ris(const char *head, size_t len);
int wn_parse_nbib(struct wn_parser *p);
int wn_sniff_nbib(const char *head, size_t len);
int wn_parse_wos(struct wn_parser *p);
int wn_sniff_wos(const char *head, size_t len);
int wn_parse_wos_tab(struct wn_parser *p);
int wn_sniff_wos_tab(const char *head, size_t len);
int wn_parse_bibtex(struct wn_parser *p);
int wn_sniff_bibtex(const char *head, size_t len);
int wn_parse_csv(struct wn_parser *p);
int wn_sniff_csv(const char *head, size_t len);
int wn_parse_pubmed_xml(struct wn_parser *p);
int wn_sniff_pubmed_xml(const char *head, size_t len);
int wn_parse_endnote_xml(struct wn_parser *p);
int wn_sniff_endnote_xml(const char *head, size_t len);
int wn_parse_europepmc_xml(struct wn_parser *p);
int wn_sniff_europepmc_xml(const char *head, size_t len);
int wn_parse_crossref_xml(struct wn_parser *p);
int wn_sniff_crossref_xml(const char *head, size_t len);
int wn_parse_arxiv_atom(struct wn_parser *p);
int wn_sniff_arxiv_atom(const char *head, size_t len);

/* Writers: `begin` and `end` may be NULL. */
struct wn_writer {
	const struct wn_writer_ops *ops;
	FILE *fp;
	long count;
	void *state;
};

struct wn_writer_ops {
	const char *name;
	int (*begin)(struct wn_writer *w);
	int (*record)(struct wn_writer *w, const struct wn_record *rec,
		      const struct wn_record_meta *meta);
	int (*end)(struct wn_writer *w);
};

extern const struct wn_writer_ops wn_writer_ris;
extern const struct wn_writer_ops wn_writer_bibtex;
extern const struct wn_writer_ops wn_writer_csv;
extern const struct wn_writer_ops wn_writer_json;

/* ---- shared helpers ---- */

/* Extra fields as a JSON object: one string per tag, or an array of
 * strings when the tag repeats, in the order the tags first appeared
 * (the form the store keeps and the JSON export shows). */
struct json_t *wn_extra_to_json(const struct wn_record *rec);
/* And back: add every tag/value of such an object to rec->extra. */
void wn_extra_from_json(struct wn_record *rec, const char *json_text);

/* Append to a field: "a" + sep + "b" (a copy of value when *field is
 * NULL). For continuation lines and repeated tags. */
void wn_field_append(char **field, const char *sep, const char *value);

/* The root element name of an XML document at the start of head (after
 * a BOM, declaration, comments and DOCTYPE), copied into name; 0 if none. */
int wn_xml_root_name(const char *head, size_t len, char *name, size_t cap);

/* The record type that PubMed publication types (PT, PublicationType)
 * imply: erratum, retraction, comment, letter, editorial, review,
 * preprint, conference-abstract; `otherwise` when none of them. */
const char *wn_type_from_pubtypes(const struct wn_strlist *pubtypes, const char *otherwise);

/* Does the value look like a DOI ("10.nnnn/...", possibly as a URL)? */
int wn_looks_like_doi(const char *s);

/* Sort an identifier that could be an ISSN or an ISBN into its field;
 * a second one, or one that is neither, is kept in extra under `tag`. */
void wn_record_set_issn_or_isbn(struct wn_record *rec, const char *tag, const char *value);

#endif
