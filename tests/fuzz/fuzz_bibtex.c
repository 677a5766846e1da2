/* Fuzz target: the BibTeX reader on arbitrary bytes, and every record it
 * gives through the BibTeX writer. */
#include "fuzz_format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const writers[] = { "bibtex", NULL };

	fuzz_format("bibtex", data, size, writers, NULL, NULL);
	return 0;
}
