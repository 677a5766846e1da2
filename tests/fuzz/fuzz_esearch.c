/* Fuzz target: wn_esearch_parse on arbitrary bytes, as a live search gets
 * them from the network; the result must be consistent and freeable. */
#include <stdint.h>
#include <stdlib.h>

#include "formats/api_responses.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wn_esearch_result r;
	int rc = wn_esearch_parse("fuzz", (const char *)data, size, &r);

	/* a refused answer leaves nothing behind */
	if (rc && (r.ids.n || r.error || r.webenv || r.count != -1))
		abort();
	for (size_t i = 0; i < r.ids.n; i++)
		if (!r.ids.items[i])
			abort();
	wn_esearch_result_clear(&r);
	return 0;
}
