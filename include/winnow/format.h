/*
 * Bibliographic file formats: reading exports into records, writing records
 * back out.
 *
 * Reading is a stream. A struct wn_input opens a file (or a buffer), works
 * out its character encoding (UTF-8 with or without BOM, UTF-16 with BOM,
 * else Windows-1252) and hands the parser UTF-8 text, line by line (CR, LF
 * and CRLF endings all end a line) or in chunks. A parser fills one struct
 * wn_record at a time and passes it to wn_parser_emit(), which numbers it
 * and hands it to the caller's sink; nothing holds more than one record.
 *
 * Record types are normalised to: journal-article, review, conference-paper,
 * conference-abstract, book, book-chapter, thesis, report, preprint,
 * dataset, web-page, editorial, letter, comment, erratum, retraction,
 * other. The type as the source gave it is kept in extra.
 */
#ifndef WINNOW_FORMAT_H
#define WINNOW_FORMAT_H

#include <stdio.h>
#include <sys/types.h>

#include "winnow/record.h"

/* ---- input: bytes in, UTF-8 out ------------------------------------- */

struct wn_input;

/* Open a file. The file is read once here (SHA-256, size, encoding) and
 * again as the parser asks for it. Sets an error naming the path. */
int wn_input_open_file(struct wn_input **out, const char *path);

/* The same over bytes in memory (tests, fuzzing); `name` labels messages.
 * The bytes must outlive the input. */
int wn_input_open_memory(struct wn_input **out, const void *data, size_t len,
			 const char *name);

/* A stream that can be read only once (an HTTP response): `reader`
 * gives up to `cap` bytes, 0 at the end, or a negative status with its
 * message set. No SHA-256 or size; wn_input_rewind fails. */
typedef ssize_t (*wn_input_reader)(void *ctx, void *buf, size_t cap);
int wn_input_open_stream(struct wn_input **out, const char *name, wn_input_reader reader,
			 void *ctx);

void wn_input_close(struct wn_input *in);

const char *wn_input_name(const struct wn_input *in);
/* "utf-8", "utf-8-bom", "utf-16le", "utf-16be" or "windows-1252". */
const char *wn_input_encoding(const struct wn_input *in);
/* "lf", "crlf", "cr", "mixed" or "none" (no line break at all). */
const char *wn_input_line_endings(const struct wn_input *in);
/* The SHA-256 of the file's bytes, in hex ("" for a stream). A large
 * file's is computed on a second thread while it is read: this waits
 * for it. NULL, with an error naming the file, if it could not be read
 * or changed while it was. */
const char *wn_input_sha256(struct wn_input *in);
long long wn_input_size(const struct wn_input *in);

/* Start again from the first byte. */
int wn_input_rewind(struct wn_input *in);

/* The next line as UTF-8 without its line ending, NUL-terminated, valid
 * until the next call; *len gets its length. Returns 1, 0 at the end, or
 * a negative status on a read error. A NUL byte in the text is read as a
 * space so that C strings hold the whole line. */
int wn_input_getline(struct wn_input *in, const char **line, size_t *len);

/* The number of the line last returned by wn_input_getline (1-based). */
long wn_input_lineno(const struct wn_input *in);

/* Up to `cap` bytes of UTF-8 text (line endings as they are). Returns the
 * number of bytes, 0 at the end, or a negative status. Do not mix with
 * wn_input_getline without a rewind in between. */
ssize_t wn_input_read(struct wn_input *in, char *buf, size_t cap);

/* Up to `cap` of the original bytes, undecoded (for XML, whose parser
 * reads the encoding declaration itself). */
ssize_t wn_input_read_bytes(struct wn_input *in, char *buf, size_t cap);

/* ---- parsing -------------------------------------------------------- */

struct wn_format_info;
struct wn_record_job;

struct wn_parser {
	struct wn_input *in;
	const struct wn_format_info *format; /* set by wn_format_parse */
	/* Each record, numbered. The parser clears it after the call. A
	 * non-zero return stops the parse and is returned by it. */
	int (*record)(void *ctx, struct wn_record *rec);
	/* A problem the parser survived: `line` is 0 when unknown. A
	 * non-zero return (strict mode) stops the parse and is returned. */
	int (*warning)(void *ctx, long line, const char *message);
	void *ctx;
	/* Set by the parser: the vendor dialect it recognised ("scopus",
	 * "ovid", ...), a static string, or NULL. */
	const char *dialect;
	long records; /* emitted so far */
	long warnings;
	/* For wn_format_parse_threaded: build each record on the caller's
	 * thread rather than the reader's, for a parser that can hand over
	 * what it read unbuilt (BibTeX). Worth it when the callbacks have
	 * little to do (a dry run); when they store, the reader had better
	 * do all it can. */
	int build_on_caller;
	/* Set by wn_format_parse_threaded (build_on_caller): takes an entry
	 * read but not built. NULL otherwise. */
	int (*job)(void *ctx, struct wn_record_job *job);
};

struct wn_format_info {
	const char *name;        /* "ris", "nbib", "bibtex", ... */
	const char *description; /* one line for `winnow import --help` */
	int (*parse)(struct wn_parser *p);
	/* How sure it is (0-100) that text starting with `head` is this
	 * format; used by wn_format_detect. */
	int (*sniff)(const char *head, size_t len);
};

/* Every format winnow reads, in the order detection tries them. */
const struct wn_format_info *wn_formats(size_t *n);
const struct wn_format_info *wn_format_find(const char *name);

/* Work out the format from the first bytes of the input (rewinds it).
 * Returns NULL, with an error naming the input, when nothing fits. */
const struct wn_format_info *wn_format_detect(struct wn_input *in);

/* Parse the whole input (from its start) with the given format. Returns
 * WN_OK; a sink's non-zero return; or a negative status with an error
 * naming the input and line when the file cannot be read as that format
 * at all (not XML, truncated, ...). */
int wn_format_parse(const struct wn_format_info *fmt, struct wn_parser *p);

/* The same, with the parser on a second thread so that reading overlaps
 * what the callbacks do (storing): they are still called on this thread,
 * in order. Memory stays bounded: the parser waits when the callbacks
 * fall behind. */
int wn_format_parse_threaded(const struct wn_format_info *fmt, struct wn_parser *p);

/* For parsers: number the record, set its position, hand it to the sink
 * and clear it. */
int wn_parser_emit(struct wn_parser *p, struct wn_record *rec);
/* For parsers: report a problem (printf-style message). */
int wn_parser_warn(struct wn_parser *p, long line, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

/* ---- writing -------------------------------------------------------- */

/* What the store knows about a record beyond its fields, for exports. */
struct wn_record_meta {
	long long id;
	const char *source;   /* database name (PubMed, Scopus, ...) */
	long long cluster;    /* duplicate cluster, or the record id alone */
	const char *origin_kind; /* "file" or "search" */
	const char *origin;   /* file path or search query */
	long long origin_id;  /* import_file or search_run id */
	/* a report (export --reports): the fields filled in from the
	 * cluster's other records, and from which */
	size_t nfilled;
	const char *const *filled_field;
	const long long *filled_from;
};

struct wn_writer;

/* Formats: "ris", "bibtex", "csv", "json". */
int wn_writer_open(struct wn_writer **out, const char *format, FILE *fp);
int wn_writer_record(struct wn_writer *w, const struct wn_record *rec,
		     const struct wn_record_meta *meta);
/* Finish the output (closing brackets, flush). Returns an error if any
 * write failed. Frees the writer. */
int wn_writer_close(struct wn_writer *w);

#endif
