/*
 * Normalisation against real PubMed exports (../shared/data; skipped when
 * absent). PubMed gives every author twice, as FAU ("Westgate, Martin J")
 * and AU ("Westgate MJ"): both must give the same key. Every LID/AID
 * "[doi]" must normalise to the DOI, every DP must give a year, and every
 * PG must expand to a range whose end is not before its start.
 *
 * The reading of the MEDLINE format here is deliberately minimal (tag and
 * continuation lines); the real importer is tested on its own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "winnow/record.h"

static const char *const files[] = {
	"pubmed-psoas-abscess-292/citations.nbib",
	"pubmed-psoas-abscess-292/citations_1.nbib",
	"citation-exports-revtools/restoration_pubmed.nbib",
};

struct counts {
	int records, authors, dois, years, pages;
	int author_mismatch, doi_bad, year_bad, pages_bad;
};

struct rec {
	char *fau[512];
	char *au[512];
	int nfau, nau;
};

static void check_record(struct rec *r, struct counts *c, const char *file)
{
	c->records++;
	if (r->nfau == r->nau) {
		for (int i = 0; i < r->nfau; i++) {
			char *a = wn_author_key(r->fau[i]), *b = wn_author_key(r->au[i]);

			c->authors++;
			/* PubMed sometimes has no initials in AU ("Wu" for "Wu,
			 * De"): then the family names must agree */
			if (a && b && !strchr(b, ' ') && !strncmp(a, b, strlen(b)) &&
			    a[strlen(b)] == ' ' && !strchr(a + strlen(b) + 1, ' ')) {
				free(a);
				free(b);
				continue;
			}
			if (!a || !b || strcmp(a, b)) {
				c->author_mismatch++;
				print_message("%s: '%s' -> '%s' but '%s' -> '%s'\n", file, r->fau[i],
					      a ? a : "(null)", r->au[i], b ? b : "(null)");
			}
			free(a);
			free(b);
		}
	}
	for (int i = 0; i < r->nfau; i++)
		free(r->fau[i]);
	for (int i = 0; i < r->nau; i++)
		free(r->au[i]);
	r->nfau = r->nau = 0;
}

static void check_field(const char *tag, const char *value, struct rec *r, struct counts *c,
			const char *file)
{
	if (!strcmp(tag, "FAU") && r->nfau < 512) {
		r->fau[r->nfau++] = strdup(value);
	} else if (!strcmp(tag, "AU") && r->nau < 512) {
		r->au[r->nau++] = strdup(value);
	} else if ((!strcmp(tag, "LID") || !strcmp(tag, "AID")) && strstr(value, "[doi]")) {
		char *doi = wn_normalize_doi(value);
		size_t n = strstr(value, " [doi]") ? (size_t)(strstr(value, " [doi]") - value) : 0;

		c->dois++;
		/* the DOI is the text before " [doi]", lower-cased */
		if (!doi || strlen(doi) != n || strncasecmp(doi, value, n)) {
			c->doi_bad++;
			print_message("%s: DOI '%s' -> '%s'\n", file, value, doi ? doi : "(null)");
		}
		free(doi);
	} else if (!strcmp(tag, "DP")) {
		c->years++;
		if (wn_year_from_date(value) < 1800) {
			c->year_bad++;
			print_message("%s: DP '%s' gives no year\n", file, value);
		}
	} else if (!strcmp(tag, "PG")) {
		char *p = wn_expand_pages(value), *dash = p ? strchr(p, '-') : NULL;

		c->pages++;
		if (dash && isdigit((unsigned char)p[0]) && isdigit((unsigned char)dash[1]) &&
		    atol(dash + 1) < atol(p)) {
			c->pages_bad++;
			print_message("%s: PG '%s' -> '%s'\n", file, value, p);
		}
		free(p);
	}
}

static void scan(const char *path, struct counts *c)
{
	char line[65536], tag[8] = "", value[65536] = "";
	struct rec r = { .nfau = 0, .nau = 0 };
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		size_t n = strcspn(line, "\r\n");

		line[n] = '\0';
		if (n >= 6 && line[4] == '-' && line[5] == ' ' && isupper((unsigned char)line[0])) {
			if (*tag)
				check_field(tag, value, &r, c, path);
			sscanf(line, "%4s", tag);
			snprintf(value, sizeof(value), "%s", line + 6);
			if (!strcmp(tag, "PMID") && c->records + r.nfau >= 0) {
				if (r.nfau || r.nau)
					check_record(&r, c, path);
				else
					c->records++;
			}
		} else if (!strncmp(line, "      ", 6) && *tag) {
			size_t len = strlen(value);

			snprintf(value + len, sizeof(value) - len, " %s", line + 6);
		}
	}
	if (*tag)
		check_field(tag, value, &r, c, path);
	check_record(&r, c, path);
	fclose(f);
}

static void test_pubmed_exports(void **state)
{
	const char *base = getenv("WINNOW_SHARED_DATA");
	struct counts c = { 0 };
	int found = 0;

	(void)state;
	if (!base)
		base = "../shared/data";
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[1024];
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", base, files[i]);
		f = fopen(path, "r");
		if (!f)
			continue;
		fclose(f);
		found++;
		scan(path, &c);
	}
	if (!found)
		skip();
	print_message("%d records: %d author pairs, %d DOIs, %d dates, %d page ranges\n",
		      c.records, c.authors, c.dois, c.years, c.pages);
	assert_true(c.authors > 1000);
	assert_true(c.dois > 100);
	assert_int_equal(c.author_mismatch, 0);
	assert_int_equal(c.doi_bad, 0);
	assert_int_equal(c.year_bad, 0);
	assert_int_equal(c.pages_bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pubmed_exports),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
