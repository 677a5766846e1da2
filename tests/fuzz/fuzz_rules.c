/* Fuzz target: the rules parser on arbitrary bytes, and every rule that
 * parses matched against a record with some fields missing and one with
 * them all (the three-valued evaluation must take whatever parses). */
#include <stdint.h>
#include <stdlib.h>

#include "winnow/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const authors[] = { "Smith, J.", "Okafor, N." };
	static const char *const words[] = { "loneliness", "Published Erratum", "eng" };
	struct wn_rule_fields full = {
		.title = "Social prescribing for rats", .abstract = "Patients and mice \xff\xfe",
		.journal = "BMJ", .doi = "10.1/x", .source = "medline", .year = 1999,
		.authors = authors, .nauthors = 2, .keywords = words, .nkeywords = 3,
		.mesh = words, .nmesh = 1, .pubtypes = words + 1, .npubtypes = 1,
		.languages = words + 2, .nlanguages = 1,
	};
	struct wn_rule_fields sparse = { .title = "", .year = 0 };
	struct wn_diagnostics d = { 0 };
	struct wn_rules *rules;

	if (wn_rules_parse(&rules, "fuzz.rules", (const char *)data, size, &d) == 0) {
		for (size_t i = 0; i < wn_rules_count(rules); i++) {
			(void)wn_rules_match(rules, i, &full);
			(void)wn_rules_match(rules, i, &sparse);
		}
		wn_rules_free(rules);
	}
	wn_diagnostics_release(&d);
	return 0;
}
