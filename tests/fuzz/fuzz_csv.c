/* Fuzz target: the CSV reader on arbitrary bytes, each record written
 * through the CSV export, and that export read back again. */
#include "fuzz_format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const writers[] = { "csv", NULL };
	char *csv = NULL;
	size_t len = 0;

	fuzz_format("csv", data, size, writers, &csv, &len);
	if (csv)
		fuzz_format("csv", (const uint8_t *)csv, len, NULL, NULL, NULL);
	free(csv);
	return 0;
}
