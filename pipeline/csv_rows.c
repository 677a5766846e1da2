#include <csv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv_rows.h"
#include "util.h"

#define MAX_COLUMNS 64
#define IGNORED (-1)

struct reader {
	const char *path;
	const struct wn_csv_columns *cols;
	wn_csv_row_fn fn;
	void *ctx;
	int column[MAX_COLUMNS]; /* the file's column i is our column[i], or IGNORED */
	size_t ncolumns;
	char **field;
	size_t nfields;
	long line, rows;
	int header_done, rc;
};

int wn_csv_names_match(const char *name, const char *s, size_t len)
{
	while (*name) {
		size_t n = strcspn(name, "|");

		if (n == len && !strncasecmp(name, s, len))
			return 1;
		name += n + (name[n] == '|');
	}
	return 0;
}

static void column_list(const struct wn_csv_columns *cols, struct wn_buf *b)
{
	for (size_t k = 0; k < cols->n; k++)
		wn_buf_addf(b, "%s%.*s", k ? ", " : "", (int)strcspn(cols->names[k], "|"),
			    cols->names[k]);
}

static void on_field(void *s, size_t len, void *ctx)
{
	struct reader *r = ctx;
	size_t i = r->nfields++;

	if (r->rc)
		return;
	if (!r->header_done) {
		int c = IGNORED - 1;

		for (size_t k = 0; k < r->cols->n && c < IGNORED; k++)
			if (wn_csv_names_match(r->cols->names[k], s, len))
				c = (int)k;
		for (size_t k = 0; k < r->cols->nignored && c < IGNORED; k++)
			if (wn_csv_names_match(r->cols->ignored[k], s, len))
				c = IGNORED;
		if (c < IGNORED && r->cols->others_ignored)
			c = IGNORED;
		if (c < IGNORED || i >= MAX_COLUMNS) {
			struct wn_buf b = WN_BUF_INIT;

			column_list(r->cols, &b);
			r->rc = wn_error_set(WN_EINVALID, "%s:%ld: unknown column '%.*s' (columns: %s)",
					     r->path, r->line, (int)(len > 60 ? 60 : len),
					     (const char *)s, b.data);
			wn_buf_release(&b);
			return;
		}
		r->column[i] = c;
		r->ncolumns = i + 1;
		return;
	}
	if (i >= r->ncolumns) {
		r->rc = wn_error_set(WN_EINVALID, "%s:%ld: more fields than the header names",
				     r->path, r->line);
		return;
	}
	if (r->column[i] == IGNORED)
		return;
	free(r->field[r->column[i]]);
	r->field[r->column[i]] = xstrndup(s, len);
}

static void on_row(int c, void *ctx)
{
	struct reader *r = ctx;
	size_t n = r->cols->n;

	(void)c;
	if (!r->rc && !r->header_done) {
		int seen[MAX_COLUMNS] = { 0 };

		for (size_t i = 0; i < r->ncolumns; i++)
			if (r->column[i] != IGNORED)
				seen[r->column[i]]++;
		for (size_t k = 0; k < n && !r->rc; k++)
			if (((r->cols->required >> k & 1) && !seen[k]) || seen[k] > 1)
				r->rc = wn_error_set(WN_EINVALID, "%s:%ld: %s column '%.*s'", r->path,
						     r->line, seen[k] ? "a second" : "no",
						     (int)strcspn(r->cols->names[k], "|"),
						     r->cols->names[k]);
		r->header_done = 1;
	} else if (!r->rc) {
		r->rows++;
		if (r->fn(r->ctx, r->field, r->line) < 0) {
			char *msg = xstrdup(wn_error_last());

			r->rc = wn_error_set(wn_error_code() < 0 ? wn_error_code() : WN_EINVALID,
					     "%s:%ld: %s", r->path, r->line, msg);
			free(msg);
		}
	}
	for (size_t k = 0; k < n; k++) {
		free(r->field[k]);
		r->field[k] = NULL;
	}
	r->nfields = 0;
}

int wn_csv_read(const char *path, const struct wn_csv_columns *cols, wn_csv_row_fn fn, void *ctx,
		long *rows)
{
	struct reader r;
	struct csv_parser cp;
	char *text;
	size_t len, at;
	int rc;

	if (rows)
		*rows = 0;
	if ((rc = wn_read_file(path, (size_t)1 << 30, &text, &len)) < 0)
		return rc;
	memset(&r, 0, sizeof(r));
	r.path = path;
	r.cols = cols;
	r.fn = fn;
	r.ctx = ctx;
	r.field = xcalloc(cols->n + 1, sizeof(*r.field));
	/* strict: an unterminated quote is an error, not one long field */
	if (csv_init(&cp, CSV_APPEND_NULL | CSV_STRICT | CSV_STRICT_FINI) != 0) {
		free(text);
		free(r.field);
		return wn_error_set(WN_ERROR, "out of memory");
	}
	/* fed a line at a time, so that messages name the line being read
	 * (a quoted field may span lines; blank lines count) */
	at = len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3) ? 3 : 0;
	while (at < len && !r.rc) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (text + at)) + 1 : len - at;

		r.line++;
		if (csv_parse(&cp, text + at, n, on_field, on_row, &r) != n && !r.rc)
			r.rc = wn_error_set(WN_EINVALID, "%s:%ld: %s", path, r.line,
					    csv_strerror(csv_error(&cp)));
		at += n;
	}
	if (!r.rc && csv_fini(&cp, on_field, on_row, &r) != 0 && !r.rc)
		r.rc = wn_error_set(WN_EINVALID, "%s:%ld: %s", path, r.line,
				    csv_strerror(csv_error(&cp)));
	csv_free(&cp);
	free(text);
	for (size_t k = 0; k < cols->n; k++)
		free(r.field[k]);
	free(r.field);
	if (!r.rc && !r.header_done)
		r.rc = wn_error_set(WN_EINVALID, "%s: empty: no header row", path);
	if (rows)
		*rows = r.rows;
	return r.rc;
}
