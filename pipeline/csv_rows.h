/*
 * CSV files with a header row naming their columns (RFC 4180, via
 * libcsv), read for imports that are all or nothing: decisions,
 * appraisal answers, coded findings. Columns are found by name (any
 * order, any case; a name may have aliases), and every message names the
 * file and the line being read.
 */
#ifndef WINNOW_CSV_ROWS_H
#define WINNOW_CSV_ROWS_H

#include <stddef.h>

struct wn_csv_columns {
	/* our columns; "where|location|page" accepts any of the three */
	const char *const *names;
	size_t n;
	unsigned required;          /* bit k: column k must be there */
	const char *const *ignored; /* columns read and passed over */
	size_t nignored;
	int others_ignored;         /* any other column is passed over too */
};

/* Called for each row after the header: fields[k] is column k's value,
 * NULL when the file has no such column or the row stops short of it. A negative return (with the
 * error set) stops the reading; the message gets "FILE:LINE: " in front. */
typedef int (*wn_csv_row_fn)(void *ctx, char *const *fields, long line);

/* Does a column's `name` ("where|location|page") accept the heading s
 * (len bytes, any case)? */
int wn_csv_names_match(const char *name, const char *s, size_t len);

/* Read the file; *rows (may be NULL) counts the rows after the header.
 * WN_EINVALID for a malformed file, an unknown, missing or repeated
 * column, a row longer than the header, or an empty file. */
int wn_csv_read(const char *path, const struct wn_csv_columns *cols, wn_csv_row_fn fn, void *ctx,
		long *rows);

#endif
