/* Placeholder: being written. */
#include "formats_int.h"

int wn_parse_europepmc_xml(struct wn_parser *p)
{
	return wn_error_set(WN_EINVALID, "%s: the europepmc_xml reader is not written yet", wn_input_name(p->in));
}

int wn_sniff_europepmc_xml(const char *head, size_t len)
{
	(void)head;
	(void)len;
	return 0;
}
