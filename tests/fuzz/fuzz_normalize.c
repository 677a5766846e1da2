/* Fuzz target: every normalisation helper on arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "winnow/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *(*const fns[])(const char *) = {
		wn_fold, wn_normalize_doi, wn_normalize_pmid, wn_normalize_issn,
		wn_title_key, wn_journal_key, wn_author_key, wn_expand_pages,
	};
	struct wn_author_name a;
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++)
		free(fns[i](s));
	(void)wn_year_from_date(s);
	if (wn_author_parse(s, &a) == 0)
		wn_author_name_release(&a);
	free(s);
	return 0;
}
