/* Fuzz target: the arxiv-atom reader (the live search's feed reader) on
 * arbitrary bytes, each record written through the JSON export. */
#include "fuzz_format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const writers[] = { "json", NULL };

	fuzz_format("arxiv-atom", data, size, writers, NULL, NULL);
	return 0;
}
