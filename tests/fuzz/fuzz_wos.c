/* Fuzz target: both Web of Science readers (tagged and tab-delimited) on
 * arbitrary bytes, writing every record through the JSON export. */
#include <stdint.h>
#include <stdio.h>
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

static void run(const char *format, const uint8_t *data, size_t size)
{
	struct wn_input *in = NULL;
	struct wn_writer *w = NULL;
	struct wn_parser p;
	FILE *out = fopen("/dev/null", "w");

	if (!out)
		return;
	if (wn_input_open_memory(&in, data, size, "fuzz") != 0 ||
	    wn_writer_open(&w, "json", out) != 0) {
		wn_input_close(in);
		fclose(out);
		return;
	}
	memset(&p, 0, sizeof(p));
	p.in = in;
	p.record = write_record;
	p.warning = ignore_warning;
	p.ctx = w;
	(void)wn_format_parse(wn_format_find(format), &p);
	wn_writer_close(w);
	wn_input_close(in);
	fclose(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run("wos", data, size);
	run("wos-tab", data, size);
	return 0;
}
