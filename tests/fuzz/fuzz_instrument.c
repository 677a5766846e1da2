/* Fuzz target: the appraisal instrument parser on arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>

#include "winnow/appraisal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wn_diagnostics d = { 0 };
	struct wn_instrument in;

	if (wn_instrument_parse(&in, (const char *)data, size, &d) == WN_OK)
		for (size_t i = 0; i < in.nitems; i++) {
			(void)wn_instrument_applies(&in.items[i], in.ncategories ? in.categories[0].code : NULL);
			(void)wn_instrument_item(&in, in.items[i].code);
		}
	wn_instrument_release(&in);
	wn_diagnostics_release(&d);
	return 0;
}
