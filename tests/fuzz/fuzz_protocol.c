/* Fuzz target: the protocol parser on arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>

#include "winnow/protocol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wn_diagnostics d = { 0 };
	struct wn_protocol p;

	wn_protocol_parse(&p, "fuzz.ini", (const char *)data, size, &d);
	for (size_t i = 0; i < p.nentries; i++)
		(void)wn_protocol_get(&p, p.entries[i].section, p.entries[i].name, p.entries[i].key);
	wn_protocol_release(&p);
	wn_diagnostics_release(&d);
	return 0;
}
