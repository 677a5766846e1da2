/* Fuzz target: two records from arbitrary bytes (fields separated by
 * newlines, the second record after a NUL), profiled, compared and judged
 * as a dedupe run would. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dedupe/dedupe_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NFIELDS 14

static void fields_of(char *s, const char **f)
{
	for (int i = 0; i < NFIELDS; i++) {
		char *nl = s ? strchr(s, '\n') : NULL;

		f[i] = s && *s ? s : NULL;
		if (nl)
			*nl = '\0';
		s = nl ? nl + 1 : NULL;
	}
}

static void build(struct wn_profile *p, int64_t id, char *text)
{
	const char *f[NFIELDS];
	struct wn_profile_source src;

	fields_of(text, f);
	memset(&src, 0, sizeof(src));
	src.id = id;
	src.title = f[0];
	src.authors_json = f[1];
	src.journal = f[2];
	src.journal_abbrev = f[3];
	src.volume = f[4];
	src.issue = f[5];
	src.pages = f[6];
	src.doi = f[7];
	src.pmid = f[8];
	src.abstract = f[9];
	src.type = f[10];
	src.pubtypes_json = f[11];
	src.issn = f[12];
	src.year = f[13] ? atoi(f[13]) : 0;
	wn_profile_build(p, &src);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 2), *second;
	struct wn_profile a, b;
	struct wn_evidence e;
	struct wn_judgement j;
	char *json;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = s[size + 1] = '\0';
	second = s + strlen(s) + 1;
	if (second > s + size)
		second = s + size + 1;
	build(&a, 1, s);
	build(&b, 2, second);
	wn_evidence_collect(&a, &b, &e);
	wn_judge(&a, &b, &e, NULL, &j);
	json = wn_evidence_json(&e, &j);
	free(json);
	/* the run's shortcut never skips a pair some rule would keep, at the
	 * loosest thresholds a protocol may set */
	if (wn_plainly_different(&a, &b)) {
		static const struct wn_dedupe_thresholds loosest = { 0.5, 0.5 };

		if (wn_judge(&a, &b, &e, &loosest, &j) != WN_VERDICT_DIFFERENT ||
		    wn_judge(&a, &b, &e, NULL, &j) != WN_VERDICT_DIFFERENT)
			abort();
	}
	(void)wn_sim_ratio(s, strlen(s), second, strlen(second));
	wn_profile_release(&a);
	wn_profile_release(&b);
	free(s);
	return 0;
}
