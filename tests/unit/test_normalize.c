/* Normalisation helpers on the messiness real exports contain. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "winnow/record.h"

struct pair {
	const char *in;
	const char *want; /* NULL: the helper must find nothing */
};

static void check_pairs(char *(*fn)(const char *), const struct pair *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *got = fn(cases[i].in);

		if (!cases[i].want) {
			if (got)
				fail_msg("'%s': expected nothing, got '%s'", cases[i].in, got);
		} else if (!got || strcmp(got, cases[i].want)) {
			fail_msg("'%s': expected '%s', got '%s'", cases[i].in, cases[i].want,
				 got ? got : "(null)");
		}
		free(got);
	}
}

#define CHECK(fn, cases) check_pairs(fn, cases, sizeof(cases) / sizeof(cases[0]))

static void test_doi(void **state)
{
	static const struct pair cases[] = {
		{ "10.1186/s12889-018-6349-x", "10.1186/s12889-018-6349-x" },
		{ "https://doi.org/10.1186/S12913-022-08656-1", "10.1186/s12913-022-08656-1" },
		{ "http://dx.doi.org/10.1177/1742395319882068", "10.1177/1742395319882068" },
		{ "doi:10.1136/bmj.n71", "10.1136/bmj.n71" },
		{ "DOI: 10.1136/BMJ.N71.", "10.1136/bmj.n71" },
		{ "DOI 10.1136/bmj.n71;", "10.1136/bmj.n71" },
		{ "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0",
		  "10.1002/(sici)1097-4571(199806)49:8<693::aid-asi4>3.0.co;2-0" },
		{ "https://doi.org/10.1016%2FS2352-4642%2822%2900248-6",
		  "10.1016/s2352-4642(22)00248-6" },
		{ "(see 10.1016/S2352-4642(22)00248-6)", "10.1016/s2352-4642(22)00248-6" },
		{ "10.1002/jrsm.1374 [doi]", "10.1002/jrsm.1374" },
		{ "  10.5555/hsc.13012  ", "10.5555/hsc.13012" },
		{ "https://doi.org/", NULL },
		{ "10.1234", NULL },
		{ "ISBN 978-0-19-852663-6", NULL },
		{ "", NULL },
	};
	(void)state;
	CHECK(wn_normalize_doi, cases);
	assert_null(wn_normalize_doi(NULL));
}

static void test_pmid_issn(void **state)
{
	static const struct pair pmids[] = {
		{ "30646882", "30646882" },
		{ "PMID: 30646882", "30646882" },
		{ " 0030646882 ", "30646882" },
		{ "PMC6334393", NULL },
		{ "30646882x", NULL },
		{ "", NULL },
	};
	static const struct pair issns[] = {
		{ "1471-2458 (Electronic)", "1471-2458" },
		{ "14712458", "1471-2458" },
		{ "0966-0410 (ISSN)", "0966-0410" },
		{ "1472-696x", "1472-696X" },
		{ "09660410 (ISSN)", "0966-0410" },
		{ "978-1-4020-9355-3", NULL },
		{ "none", NULL },
	};
	(void)state;
	CHECK(wn_normalize_pmid, pmids);
	CHECK(wn_normalize_issn, issns);
}

static void test_title_key(void **state)
{
	static const struct pair cases[] = {
		/* case, punctuation, trailing period */
		{ "Service-users' perspectives of link worker social prescribing: a qualitative follow-up study.",
		  "service users perspectives of link worker social prescribing a qualitative follow up study" },
		{ "SERVICE-USERS’ PERSPECTIVES OF LINK WORKER SOCIAL PRESCRIBING: A QUALITATIVE FOLLOW-UP STUDY",
		  "service users perspectives of link worker social prescribing a qualitative follow up study" },
		/* accents */
		{ "Les cafés de quartier et l'isolement des aînés",
		  "les cafes de quartier et lisolement des aines" },
		{ "Über Einsamkeit im Alter", "uber einsamkeit im alter" },
		/* inline markup and entities */
		{ "Effects of CO<sub>2</sub> on <i>Mus musculus</i>", "effects of co2 on mus musculus" },
		{ "Arts &amp; health: &#8220;quoted&#8221;", "arts health quoted" },
		{ "a < b and c > d", "a b and c d" },
		/* PubMed's bracketed translation, and an appended one */
		{ "[Social prescribing in France: a qualitative study].",
		  "social prescribing in france a qualitative study" },
		{ "La prescription sociale en France [Social prescribing in France]",
		  "la prescription sociale en france" },
		{ "Loneliness in later life [editorial]", "loneliness in later life" },
		/* MEDLINE's note, cut short by the export */
		{ "Loneliness in later life.[Erratum appears in Age Ageing. 2021 Jan", "loneliness in later life" },
		{ "Loneliness in later life [see comments] [Review]", "loneliness in later life" },
		{ "Erratum: [Loneliness in older adults]", "erratum loneliness in older adults" },
		{ "Correction to: [Arts on prescription]", "correction to arts on prescription" },
		/* ligature-like compatibility characters and odd spaces */
		{ "E\xef\xac\x83" "cacy\xc2\xa0of ﬁve sessions", "efficacy of five sessions" },
		{ "...", NULL },
		{ "", NULL },
	};
	(void)state;
	CHECK(wn_title_key, cases);
}

/* All-ASCII text takes a short path: it must give the key the Unicode
 * path gives (forced here by a trailing soft hyphen, which folds away). */
static void test_fold_ascii_same_as_unicode(void **state)
{
	char text[8], forced[16];

	(void)state;
	for (int c = 1; c < 128; c++) {
		char *a, *u;

		snprintf(text, sizeof(text), "Ab%cCd", c);
		snprintf(forced, sizeof(forced), "%s\xc2\xad", text);
		a = wn_fold(text);
		u = wn_fold(forced);
		assert_string_equal(a, u);
		free(a);
		free(u);
	}
	{
		const char *t = "  The WOMEN'S health-study: O`Brien et al. (2019), 3rd ed.; [x]  ";
		char buf[128];
		char *a = wn_fold(t), *u;

		snprintf(buf, sizeof(buf), "%s\xc2\xad", t);
		u = wn_fold(buf);
		assert_string_equal(a, "the womens health study obrien et al 2019 3rd ed x");
		assert_string_equal(a, u);
		free(a);
		free(u);
	}
}

static void test_fold_bad_utf8(void **state)
{
	/* Latin-1 bytes that slipped through are read as Latin-1, not lost. */
	char *k = wn_fold("Caf\xe9 soci\xe9t\xe9");

	(void)state;
	assert_string_equal(k, "cafe societe");
	free(k);
}

static void test_journal_key(void **state)
{
	static const struct pair cases[] = {
		{ "The Lancet", "lancet" },
		{ "BMC Public Health", "bmc public health" },
		{ "Health & Social Care in the Community", "health social care in the community" },
		{ "Health and social care in the community.", "health and social care in the community" },
		/* an elided article is a word; a possessive is not */
		{ "Annales Francaises d'Anesthesie et de Reanimation",
		  "annales francaises d anesthesie et de reanimation" },
		{ "L\u2019Enc\u00e9phale", "l encephale" },
		{ "Journal of Children's Health", "journal of childrens health" },
		{ "Women\u2019s Health", "womens health" },
	};
	(void)state;
	CHECK(wn_journal_key, cases);
}

static void test_author_key(void **state)
{
	static const struct pair cases[] = {
		{ "Smith, J. A.", "smith j" },
		{ "Smith, J.A.", "smith j" },
		{ "Smith, John Andrew", "smith j" },
		{ "Smith JA", "smith j" },
		{ "J A Smith", "smith j" },
		{ "J. A. Smith", "smith j" },
		{ "John A. Smith", "smith j" },
		{ "Smith", "smith" },
		{ "Wildman, Josephine M.", "wildman j" },
		{ "Wildman JM", "wildman j" },
		{ "O'Brien, Nicola", "obrien n" },
		{ "O’Brien N", "obrien n" },
		{ "van der Berg, Anna", "van der berg a" },
		{ "Anna van der Berg", "van der berg a" },
		{ "van der Berg A", "van der berg a" },
		{ "Hsueh, Y.-C.", "hsueh y" },
		{ "Jean-Paul Sartre", "sartre j" },
		{ "Müller, Jürgen", "muller j" },
		{ "Ciarán Ó Súilleabháin", "o suilleabhain c" },
		{ "Émile Zola", "zola e" },
		{ "Smith, John, Jr.", "smith j" },
		{ "Smith JA Jr", "smith j" },
		{ "SMITH J", "smith j" },
		{ "Smith, J. A.;", "smith j" },
		/* PubMed's short forms, checked against their long forms in
		 * test_realdata: initials that look like suffixes, four
		 * initials, suffixes after initials, particles in initials */
		{ "Rakotomizao JR", "rakotomizao j" },
		{ "Smith J A", "smith j" },
		{ "Smith J. A.", "smith j" },
		{ "van den Berg J A", "van den berg j" },
		{ "Smith-Jones A B", "smith jones a" },
		{ "Rutgers SR", "rutgers s" },
		{ "Balkan II", "balkan i" },
		{ "Sery BJLN", "sery b" },
		{ "Dimar JR 2nd", "dimar j" },
		{ "Dimar, John R 2nd", "dimar j" },
		{ "van Dellen JR", "van dellen j" },
		{ "Salas Huamani JR", "salas huamani j" },
		{ "Candel-Arenas Mde L", "candel arenas m" },
		{ "Candel-Arenas, Maria de la Fe", "candel arenas m" },
		{ "A ba-bai-ke-re MM", "a ba bai ke re m" },
		/* collective names */
		{ "{World Health Organization}", "world health organization" },
		{ "WHO Collaborating Centre for Social Prescribing",
		  "who collaborating centre for social prescribing" },
		{ "National Academy for Social Prescribing Research Group",
		  "national academy for social prescribing research group" },
		/* nobody */
		{ "Anonymous", NULL },
		{ "[Anonymous]", NULL },
		{ "  ", NULL },
	};
	(void)state;
	CHECK(wn_author_key, cases);
}

static void test_author_parse(void **state)
{
	struct wn_author_name a;

	(void)state;
	assert_int_equal(wn_author_parse("Wildman, Josephine M.", &a), 0);
	assert_string_equal(a.family, "Wildman");
	assert_string_equal(a.given, "Josephine M.");
	assert_string_equal(a.initials, "JM");
	assert_false(a.collective);
	wn_author_name_release(&a);

	assert_int_equal(wn_author_parse("{Social Prescribing Network}", &a), 0);
	assert_string_equal(a.family, "Social Prescribing Network");
	assert_true(a.collective);
	assert_null(a.initials);
	wn_author_name_release(&a);

	assert_int_equal(wn_author_parse("", &a), -1);
	assert_int_equal(wn_author_parse(NULL, &a), -1);
}

static void test_pages(void **state)
{
	static const struct pair cases[] = {
		{ "1234-56", "1234-1256" },
		{ "1234-1256", "1234-1256" },
		{ "221-6", "221-226" },
		{ "221–6", "221-226" },
		{ "221—226", "221-226" },
		{ "221--6", "221-226" },
		{ "1299-302", "1299-1302" },
		{ "98-108", "98-108" },
		{ "606-14", "606-614" },
		{ "S12-4", "S12-S14" },
		{ "S12-S14", "S12-S14" },
		{ "e545-e553", "e545-e553" },
		{ "pp. 12-15", "12-15" },
		{ "e0123456", "e0123456" },
		{ "98", "98" },
		/* an end before the start cannot be expanded: kept as given */
		{ "98-8", "98-8" },
		{ "xii-xv", "xii-xv" },
		{ " 1223 – 1227 ", "1223-1227" },
		/* real PubMed PG values: e-pages, lists of ranges */
		{ "1186.e1-5", "1186.e1-1186.e5" },
		{ "919-23; discussion 923-4", "919-923; discussion 923-924" },
		{ "120-2, 174", "120-122, 174" },
		{ "", NULL },
	};
	(void)state;
	CHECK(wn_expand_pages, cases);
}

static void test_year(void **state)
{
	static const struct {
		const char *in;
		int year;
	} cases[] = {
		{ "1998 Dec-1999 Jan", 1998 },
		{ "2019/03/02/", 2019 },
		{ "2020//", 2020 },
		{ "Spring 2001", 2001 },
		{ "2019 Dec", 2019 },
		{ "03/02/2019", 2019 },
		{ "20190302", 2019 },
		{ "201903", 2019 },
		{ "Dec 12, 2019", 2019 },
		{ "c2005", 2005 },
		{ "123", 0 },
		{ "no date", 0 },
		{ "", 0 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (wn_year_from_date(cases[i].in) != cases[i].year)
			fail_msg("'%s': expected %d, got %d", cases[i].in, cases[i].year,
				 wn_year_from_date(cases[i].in));
	assert_int_equal(wn_year_from_date(NULL), 0);
}

static void test_record_lifecycle(void **state)
{
	struct wn_record r;

	(void)state;
	wn_record_init(&r);
	wn_record_set(&r.title, "A title");
	wn_record_set(&r.title, "Another title");
	wn_strlist_add(&r.authors, "Smith, J.");
	wn_strlist_add(&r.authors, "Jones, K.");
	for (int i = 0; i < 20; i++)
		wn_record_add_extra(&r, "N1", "note");
	assert_string_equal(r.title, "Another title");
	assert_int_equal(r.authors.n, 2);
	assert_int_equal(r.nextra, 20);
	wn_record_clear(&r);
	assert_null(r.title);
	assert_int_equal(r.authors.n, 0);
	assert_int_equal(r.nextra, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doi),
		cmocka_unit_test(test_pmid_issn),
		cmocka_unit_test(test_title_key),
		cmocka_unit_test(test_fold_ascii_same_as_unicode),
		cmocka_unit_test(test_fold_bad_utf8),
		cmocka_unit_test(test_journal_key),
		cmocka_unit_test(test_author_key),
		cmocka_unit_test(test_author_parse),
		cmocka_unit_test(test_pages),
		cmocka_unit_test(test_year),
		cmocka_unit_test(test_record_lifecycle),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
