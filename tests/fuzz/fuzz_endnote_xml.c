/* Fuzz target: the endnote-xml reader on arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>

#include "winnow/format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count(void *ctx, struct wn_record *rec)
{
	(void)rec;
	(*(long *)ctx)++;
	return 0;
}

static int ignore(void *ctx, long line, const char *message)
{
	(void)ctx;
	(void)line;
	(void)message;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wn_input *in = NULL;
	struct wn_parser p = { 0 };
	long n = 0;

	if (wn_input_open_memory(&in, data, size, "fuzz.xml") != 0)
		return 0;
	p.in = in;
	p.record = count;
	p.warning = ignore;
	p.ctx = &n;
	(void)wn_format_parse(wn_format_find("endnote-xml"), &p);
	wn_input_close(in);
	return 0;
}
