/* Fuzz target: encoding detection, decoding and format detection on
 * arbitrary bytes, then every line read back. */
#include <stdint.h>
#include <string.h>

#include "winnow/format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wn_input *in;
	const char *line;
	size_t len;
	char buf[97];

	if (wn_input_open_memory(&in, data, size, "fuzz") != 0)
		return 0;
	(void)wn_format_detect(in);
	while (wn_input_getline(in, &line, &len) > 0)
		if (strlen(line) != len)
			__builtin_trap(); /* a NUL inside a line must have been replaced */
	wn_input_rewind(in);
	while (wn_input_read(in, buf, sizeof(buf)) > 0)
		;
	wn_input_close(in);
	return 0;
}
