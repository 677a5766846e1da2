/* Fuzz target: the CSV reader on arbitrary bytes, each record written
 * through the CSV export, and that export read back again. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "winnow/format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int write_record(void *ctx, struct wn_record *rec)
{
	return wn_writer_record(ctx, rec, NULL);
}

static int ignore_warning(void *ctx, long line, const char *message)
{
	(void)ctx;
	(void)line;
	(void)message;
	return 0;
}

/* Parse data as CSV, writing the records as CSV to *out (when out). */
static void parse(const uint8_t *data, size_t size, char **out, size_t *out_len)
{
	struct wn_input *in = NULL;
	struct wn_writer *w = NULL;
	struct wn_parser p;
	FILE *fp = out ? open_memstream(out, out_len) : fopen("/dev/null", "w");

	if (!fp)
		return;
	if (wn_input_open_memory(&in, data, size, "fuzz") != 0 ||
	    wn_writer_open(&w, "csv", fp) != 0) {
		wn_input_close(in);
		fclose(fp);
		return;
	}
	memset(&p, 0, sizeof(p));
	p.in = in;
	p.record = write_record;
	p.warning = ignore_warning;
	p.ctx = w;
	(void)wn_format_parse(wn_format_find("csv"), &p);
	wn_writer_close(w);
	wn_input_close(in);
	fclose(fp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *csv = NULL;
	size_t len = 0;

	parse(data, size, &csv, &len);
	if (csv)
		parse((const uint8_t *)csv, len, NULL, NULL);
	free(csv);
	return 0;
}
