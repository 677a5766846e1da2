/* Fuzz target: the nbib reader on arbitrary bytes, each record then written
 * back as RIS and JSON (the writers must take whatever the reader gives). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "winnow/format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int write_record(void *ctx, struct wn_record *rec)
{
	struct wn_writer **w = ctx;
	struct wn_record_meta meta = { rec->position, "fuzz", 0, "file", "fuzz", 1 };

	wn_writer_record(w[0], rec, &meta);
	wn_writer_record(w[1], rec, &meta);
	return 0;
}

static int ignore_warning(void *ctx, long line, const char *message)
{
	(void)ctx;
	(void)line;
	(void)message;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wn_input *in;
	struct wn_parser p = { 0 };
	struct wn_writer *w[2];
	FILE *out = fopen("/dev/null", "w");

	if (!out)
		return 0;
	if (wn_input_open_memory(&in, data, size, "fuzz.nbib") != 0) {
		fclose(out);
		return 0;
	}
	wn_writer_open(&w[0], "ris", out);
	wn_writer_open(&w[1], "json", out);
	p.in = in;
	p.record = write_record;
	p.warning = ignore_warning;
	p.ctx = w;
	wn_format_parse(wn_format_find("nbib"), &p);
	wn_writer_close(w[0]);
	wn_writer_close(w[1]);
	wn_input_close(in);
	fclose(out);
	return 0;
}
