/* Placeholder: being written. */
#include "formats_int.h"

int wn_parse_csv(struct wn_parser *p)
{
	return wn_error_set(WN_EINVALID, "%s: the csv reader is not written yet", wn_input_name(p->in));
}

int wn_sniff_csv(const char *head, size_t len)
{
	(void)head;
	(void)len;
	return 0;
}

static int csv_record(struct wn_writer *w, const struct wn_record *rec, const struct wn_record_meta *meta)
{
	(void)w;
	(void)rec;
	(void)meta;
	return wn_error_set(WN_EINVALID, "the csv writer is not written yet");
}

const struct wn_writer_ops wn_writer_csv = { "csv", NULL, csv_record, NULL };
