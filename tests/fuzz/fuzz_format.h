/*
 * What every format fuzz target does: read arbitrary bytes as one format
 * and pass each record through the writers named, so that the writers
 * meet whatever a reader can produce.
 */
#ifndef WINNOW_FUZZ_FORMAT_H
#define WINNOW_FUZZ_FORMAT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "winnow/format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_WRITERS 2

static int fuzz_write_record(void *ctx, struct wn_record *rec)
{
	struct wn_writer **w = ctx;
	struct wn_record_meta meta = { rec->position, "fuzz", 0, "file", "fuzz", 1, 0, NULL, NULL };

	for (int i = 0; i < FUZZ_MAX_WRITERS && w[i]; i++)
		(void)wn_writer_record(w[i], rec, &meta);
	return 0;
}

static int fuzz_ignore_warning(void *ctx, long line, const char *message)
{
	(void)ctx;
	(void)line;
	(void)message;
	return 0;
}

/* Parse data as `format`, writing each record with each of `writers`
 * (NULL-terminated, at most FUZZ_MAX_WRITERS). The first writer's output
 * goes to *out when out is given (free() it), else nowhere. */
static inline void fuzz_format(const char *format, const uint8_t *data, size_t size,
			       const char *const *writers, char **out, size_t *out_len)
{
	struct wn_writer *w[FUZZ_MAX_WRITERS + 1] = { NULL };
	FILE *fp[FUZZ_MAX_WRITERS] = { NULL };
	struct wn_input *in = NULL;
	struct wn_parser p;
	int n = 0;

	if (wn_input_open_memory(&in, data, size, "fuzz") != 0)
		return;
	for (; writers && writers[n] && n < FUZZ_MAX_WRITERS; n++) {
		fp[n] = n == 0 && out ? open_memstream(out, out_len) : fopen("/dev/null", "w");
		if (!fp[n] || wn_writer_open(&w[n], writers[n], fp[n]) != 0)
			abort(); /* a writer that cannot start is a bug, not fuzz input */
	}
	memset(&p, 0, sizeof(p));
	p.in = in;
	p.record = fuzz_write_record;
	p.warning = fuzz_ignore_warning;
	p.ctx = w;
	(void)wn_format_parse(wn_format_find(format), &p);
	for (int i = 0; i < n; i++) {
		(void)wn_writer_close(w[i]);
		fclose(fp[i]);
	}
	wn_input_close(in);
}

#endif
