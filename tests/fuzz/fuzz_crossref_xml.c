/* Fuzz target: the crossref-xml reader on arbitrary bytes, each record written
 * through the JSON export. */
#include "fuzz_format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const writers[] = { "json", NULL };

	fuzz_format("crossref-xml", data, size, writers, NULL, NULL);
	return 0;
}
