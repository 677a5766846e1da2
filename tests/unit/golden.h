/*
 * Golden-file tests of the format readers: parse an input file and compare
 * its JSON export (the same writer `winnow export --format json` uses) with
 * the expected file next to it. Run with WINNOW_GOLDEN_UPDATE=1 to write
 * the expected files afresh, then read the diff before committing it.
 */
#ifndef WINNOW_TEST_GOLDEN_H
#define WINNOW_TEST_GOLDEN_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "winnow/format.h"
#include "winnow/winnow.h"

struct golden_run {
	struct wn_writer *writer;
	char warnings[4096]; /* "line: message\n" for each warning */
	size_t warnings_len;
	long records;
};

static int golden_record(void *ctx, struct wn_record *rec)
{
	struct golden_run *g = ctx;
	struct wn_record_meta meta = { rec->position, "golden", 0, "file", "input", 1, 0, NULL, NULL };

	g->records++;
	return wn_writer_record(g->writer, rec, &meta);
}

static int golden_warning(void *ctx, long line, const char *message)
{
	struct golden_run *g = ctx;
	int n = snprintf(g->warnings + g->warnings_len,
			 sizeof(g->warnings) - g->warnings_len, "%ld: %s\n", line, message);

	if (n > 0 && g->warnings_len + (size_t)n < sizeof(g->warnings))
		g->warnings_len += (size_t)n;
	return 0;
}

/* Parse `input` (format name, or NULL to detect it) into JSON text, with
 * the warnings in g. Returns the parse status; *json must be freed. */
static inline int golden_parse(const char *format, const char *input, char **json,
			       struct golden_run *g, const char **dialect)
{
	struct wn_input *in = NULL;
	const struct wn_format_info *fmt;
	struct wn_parser p;
	size_t len = 0;
	FILE *out;
	int rc;

	memset(g, 0, sizeof(*g));
	*json = NULL;
	if (wn_input_open_file(&in, input) != 0)
		fail_msg("%s: %s", input, wn_error_last());
	fmt = format ? wn_format_find(format) : wn_format_detect(in);
	if (!fmt)
		fail_msg("%s: no format: %s", input, wn_error_last());
	out = open_memstream(json, &len);
	assert_int_equal(wn_writer_open(&g->writer, "json", out), 0);
	memset(&p, 0, sizeof(p));
	p.in = in;
	p.record = golden_record;
	p.warning = golden_warning;
	p.ctx = g;
	rc = wn_format_parse(fmt, &p);
	if (dialect)
		*dialect = p.dialect;
	wn_writer_close(g->writer);
	fclose(out);
	wn_input_close(in);
	return rc;
}

/* Path of a file under ../shared/data (or $WINNOW_SHARED_DATA) in buf;
 * 0 when it is not there (the test should skip()). */
static inline int shared_data_path(const char *rel, char *buf, size_t cap)
{
	const char *base = getenv("WINNOW_SHARED_DATA");
	FILE *f;

	snprintf(buf, cap, "%s/%s", base ? base : "../shared/data", rel);
	f = fopen(buf, "rb");
	if (!f)
		return 0;
	fclose(f);
	return 1;
}

/* The format detection gives a file, or "(none)". */
static inline const char *detect_name(const char *path)
{
	struct wn_input *in = NULL;
	const struct wn_format_info *fmt;

	assert_int_equal(wn_input_open_file(&in, path), 0);
	fmt = wn_format_detect(in);
	wn_input_close(in);
	return fmt ? fmt->name : "(none)";
}

/* Parse a file and count its records and warnings (nothing else kept). */
static int count_record(void *ctx, struct wn_record *rec)
{
	(void)rec;
	(*(long *)ctx)++;
	return 0;
}

static inline int count_records(const char *format, const char *path, long *records,
				long *warnings, const char **dialect)
{
	struct wn_input *in = NULL;
	const struct wn_format_info *fmt;
	struct wn_parser p;
	int rc;

	*records = *warnings = 0;
	if (wn_input_open_file(&in, path) != 0)
		return -1;
	fmt = format ? wn_format_find(format) : wn_format_detect(in);
	if (!fmt) {
		wn_input_close(in);
		return -1;
	}
	memset(&p, 0, sizeof(p));
	p.in = in;
	p.record = count_record;
	p.ctx = records;
	rc = wn_format_parse(fmt, &p);
	*warnings = p.warnings;
	if (dialect)
		*dialect = p.dialect;
	wn_input_close(in);
	return rc;
}

/* A parser sink that writes each record with a writer (ctx), for round
 * trips: export, re-import, compare. */
static inline int golden_write_record(void *ctx, struct wn_record *rec)
{
	struct wn_record_meta meta = { rec->position, "golden", 0, "file", "input", 1, 0, NULL, NULL };

	return wn_writer_record(ctx, rec, &meta);
}

/* Drop the lines of JSON export text that name a line of the input file
 * (they differ between a file and its re-export). */
static inline void golden_strip_lines(char *json)
{
	char *w = json;

	for (char *r = json; *r;) {
		char *nl = strchr(r, '\n');
		size_t n = nl ? (size_t)(nl - r + 1) : strlen(r);

		if (!memmem(r, n, "\"line\":", 7)) {
			memmove(w, r, n);
			w += n;
		}
		r += n;
	}
	*w = '\0';
}

/* The whole check: parse, then compare with `expected` (or write it). */
static inline void golden_check(const char *format, const char *input, const char *expected)
{
	struct golden_run g;
	char *json, *want = NULL;
	size_t want_len = 0;
	FILE *f;
	int rc = golden_parse(format, input, &json, &g, NULL);

	if (rc != 0)
		fail_msg("%s: parse failed (%d): %s", input, rc, wn_error_last());
	if (getenv("WINNOW_GOLDEN_UPDATE")) {
		f = fopen(expected, "wb");
		assert_non_null(f);
		fputs(json, f);
		fclose(f);
		free(json);
		return;
	}
	f = fopen(expected, "rb");
	if (!f)
		fail_msg("%s: no expected file (run with WINNOW_GOLDEN_UPDATE=1)", expected);
	want = malloc(1 << 22);
	assert_non_null(want);
	want_len = fread(want, 1, (1 << 22) - 1, f);
	want[want_len] = '\0';
	fclose(f);
	if (strcmp(want, json) != 0) {
		char actual[600], cmd[1400];

		snprintf(actual, sizeof(actual), "%s.actual", expected);
		f = fopen(actual, "wb");
		if (f) {
			fputs(json, f);
			fclose(f);
		}
		snprintf(cmd, sizeof(cmd), "diff -u '%s' '%s' | head -40 >&2", expected, actual);
		if (system(cmd) != 0)
			fprintf(stderr, "(diff failed)\n");
		free(want);
		free(json);
		fail_msg("%s: JSON differs from %s (actual in %s)", input, expected, actual);
	}
	free(want);
	free(json);
}

/* golden_check of tests/golden/NAME against the file beside it with the
 * extension .json ("ris/scopus.ris" -> "ris/scopus.json"). */
static inline void golden_check_named(const char *format, const char *name)
{
	char in[512], want[512];
	const char *dot = strrchr(name, '.');

	snprintf(in, sizeof(in), "tests/golden/%s", name);
	snprintf(want, sizeof(want), "tests/golden/%.*s.json",
		 (int)(dot ? dot - name : (long)strlen(name)), name);
	golden_check(format, in, want);
}

#endif
