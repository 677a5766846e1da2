/* Placeholder: being written. */
#include "formats_int.h"

int wn_parse_ris(struct wn_parser *p)
{
	return wn_error_set(WN_EINVALID, "%s: the ris reader is not written yet", wn_input_name(p->in));
}

int wn_sniff_ris(const char *head, size_t len)
{
	(void)head;
	(void)len;
	return 0;
}

static int ris_record(struct wn_writer *w, const struct wn_record *rec, const struct wn_record_meta *meta)
{
	(void)w;
	(void)rec;
	(void)meta;
	return wn_error_set(WN_EINVALID, "the ris writer is not written yet");
}

const struct wn_writer_ops wn_writer_ris = { "ris", NULL, ris_record, NULL };
