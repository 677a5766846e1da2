/* Fuzz target: the ranking model's word splitting and weighting on
 * arbitrary bytes (split at newlines into documents, the first two
 * labelled), and the stopping test on numbers taken from the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "winnow/rank.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wn_rank_settings s;
	struct wn_rank *r;
	char *text = malloc(size + 1), *p;
	size_t ndocs = 1, doc = 0, *order;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (size_t i = 0; i < size; i++)
		ndocs += text[i] == '\n';
	wn_rank_defaults(&s);
	s.seed = size;
	r = wn_rank_new(ndocs, &s);
	for (p = text; p; doc++) {
		char *nl = strchr(p, '\n');

		if (nl)
			*nl = '\0';
		wn_rank_add_text(r, doc, p, 1 + (int)(doc % 3));
		p = nl ? nl + 1 : NULL;
	}
	wn_rank_finish(r);
	wn_rank_label(r, 0, 1);
	if (ndocs > 1)
		wn_rank_label(r, 1, 0);
	order = malloc(ndocs * sizeof(*order));
	if (order)
		(void)wn_rank_order(r, NULL, order);
	(void)wn_rank_best(r, NULL);
	free(order);
	wn_rank_free(r);
	if (size >= 4) {
		struct wn_stop_test t = {
			.remaining = data[0] * 8, .drawn = data[1] * 4, .found = data[2] % 16,
			.seen_before = data[3], .target = 0.95, .confidence = 0.95,
		};

		if (t.drawn > t.remaining)
			t.drawn = t.remaining;
		if (t.found > t.drawn)
			t.found = t.drawn;
		wn_stop_test_bounds(&t);
	}
	free(text);
	return 0;
}
