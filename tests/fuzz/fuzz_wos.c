/* Fuzz target: both Web of Science readers (tagged and tab-delimited) on
 * arbitrary bytes, writing every record through the JSON export. */
#include "fuzz_format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const writers[] = { "json", NULL };

	fuzz_format("wos", data, size, writers, NULL, NULL);
	fuzz_format("wos-tab", data, size, writers, NULL, NULL);
	return 0;
}
