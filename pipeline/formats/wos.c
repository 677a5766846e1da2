/* Placeholder: being written. */
#include "formats_int.h"

int wn_parse_wos(struct wn_parser *p)
{
	return wn_error_set(WN_EINVALID, "%s: the wos reader is not written yet", wn_input_name(p->in));
}

int wn_sniff_wos(const char *head, size_t len)
{
	(void)head;
	(void)len;
	return 0;
}

int wn_parse_wos_tab(struct wn_parser *p)
{
	return wn_error_set(WN_EINVALID, "%s: the wos_tab reader is not written yet", wn_input_name(p->in));
}

int wn_sniff_wos_tab(const char *head, size_t len)
{
	(void)head;
	(void)len;
	return 0;
}
