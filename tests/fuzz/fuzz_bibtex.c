/* Fuzz target: the BibTeX reader on arbitrary bytes, and every record it
 * gives through the BibTeX writer. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "winnow/format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int write_record(void *ctx, struct wn_record *rec)
{
	return wn_writer_record(ctx, rec, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wn_input *in = NULL;
	struct wn_writer *w = NULL;
	struct wn_parser p = { 0 };
	char *out = NULL;
	size_t out_len = 0;
	FILE *fp;

	if (wn_input_open_memory(&in, data, size, "fuzz.bib") != 0)
		return 0;
	fp = open_memstream(&out, &out_len);
	if (!fp || wn_writer_open(&w, "bibtex", fp) != 0) {
		if (fp)
			fclose(fp);
		free(out);
		wn_input_close(in);
		return 0;
	}
	p.in = in;
	p.record = write_record;
	p.ctx = w;
	(void)wn_format_parse(wn_format_find("bibtex"), &p);
	(void)wn_writer_close(w);
	fclose(fp);
	free(out);
	wn_input_close(in);
	return 0;
}
