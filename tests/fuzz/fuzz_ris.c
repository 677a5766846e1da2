/* Fuzz target: the ris reader on arbitrary bytes, each record then written
 * back as RIS and JSON (the writers must take whatever the reader gives). */
#include "fuzz_format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const writers[] = { "ris", "json", NULL };

	fuzz_format("ris", data, size, writers, NULL, NULL);
	return 0;
}
