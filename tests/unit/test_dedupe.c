/* Deduplication's similarities and rules, on the hard cases the issue
 * names: records that must merge, and records that must never merge. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dedupe/dedupe_int.h"
#include "winnow/dedupe.h"
#include "winnow/record.h"

/* The plain O(n m) longest common subsequence, to check the bit-parallel
 * one against. */
static size_t lcs_dp(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *row = calloc(lb + 1, sizeof(size_t)), best;

	for (size_t i = 1; i <= la; i++) {
		size_t diag = 0;

		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];

			row[j] = a[i - 1] == b[j - 1] ? diag + 1 : (row[j] > row[j - 1] ? row[j] : row[j - 1]);
			diag = up;
		}
	}
	best = row[lb];
	free(row);
	return best;
}

static void test_ratio(void **state)
{
	(void)state;
	assert_true(wn_sim_ratio("", 0, "", 0) == 1.0);
	assert_true(wn_sim_ratio("abc", 3, "abc", 3) == 1.0);
	assert_true(wn_sim_ratio("abc", 3, "xyz", 3) == 0.0);
	/* LCS("abc", "abd") = 2: 2 * 2 / 6 */
	assert_float_equal(wn_sim_ratio("abc", 3, "abd", 3), 4.0 / 6.0, 1e-9);
	/* across several 64-bit words, against the plain algorithm */
	srand(7);
	for (int t = 0; t < 200; t++) {
		char a[300], b[300];
		size_t la = (size_t)(rand() % 299), lb = (size_t)(rand() % 299);

		for (size_t i = 0; i < la; i++)
			a[i] = (char)('a' + rand() % 4);
		for (size_t i = 0; i < lb; i++)
			b[i] = (char)('a' + rand() % 4);
		a[la] = b[lb] = '\0';
		if (la + lb == 0)
			continue;
		assert_float_equal(wn_sim_ratio(a, la, b, lb),
				   2.0 * (double)lcs_dp(a, b) / (double)(la + lb), 1e-9);
	}
}

struct rec {
	const char *title, *authors, *journal, *abbrev, *volume, *issue, *pages, *doi, *pmid;
	int year;
	const char *type, *pubtypes;
};

static void profile(struct wn_profile *p, int64_t id, const struct rec *r)
{
	struct wn_profile_source s;

	memset(&s, 0, sizeof(s));
	s.id = id;
	s.title = r->title;
	s.authors_json = r->authors;
	s.journal = r->journal;
	s.journal_abbrev = r->abbrev;
	s.volume = r->volume;
	s.issue = r->issue;
	s.pages = r->pages;
	s.doi = r->doi;
	s.pmid = r->pmid;
	s.year = r->year;
	s.type = r->type;
	s.pubtypes_json = r->pubtypes;
	wn_profile_build(p, &s);
}

static void judge(const struct rec *a, const struct rec *b, struct wn_judgement *j)
{
	struct wn_profile pa, pb;
	struct wn_evidence e;

	profile(&pa, 1, a);
	profile(&pb, 2, b);
	wn_evidence_collect(&pa, &pb, &e);
	wn_judge(&pa, &pb, &e, NULL, j);
	wn_profile_release(&pa);
	wn_profile_release(&pb);
}

/* one similarity measure of two records' profiles */
static double similarity(double (*measure)(const struct wn_profile *, const struct wn_profile *),
			 const struct rec *a, const struct rec *b)
{
	struct wn_profile pa, pb;
	double v;

	profile(&pa, 1, a);
	profile(&pb, 2, b);
	v = measure(&pa, &pb);
	wn_profile_release(&pa);
	wn_profile_release(&pb);
	return v;
}

/* the verdict on one record given with two ways of writing its pages */
static enum wn_verdict with_pages(const struct rec *r, const char *pages_a, const char *pages_b)
{
	struct rec a = *r, b = *r;
	struct wn_judgement j;

	a.pages = pages_a;
	b.pages = pages_b;
	judge(&a, &b, &j);
	return j.verdict;
}

#define HARTLEY_TITLE "Service users' experiences of link worker social prescribing for loneliness: a qualitative interview study"

static const struct rec hartley_pubmed = {
	HARTLEY_TITLE ".", "[\"Hartley RJ\",\"Okafor N\",\"Brennan-Ward S\"]",
	"Health & social care in the community", "Health Soc Care Community", "28", "5",
	"1634-1645", NULL, NULL, 2020, "journal-article", "[\"Journal Article\"]",
};

static void test_same_paper_merges(void **state)
{
	/* Scopus: capitalised after the colon, authors "Surname, I.", the
	 * journal spelled out, pages written short */
	static const struct rec scopus = {
		"Service users’ experiences of link worker social prescribing for loneliness: A qualitative interview study",
		"[\"Hartley, R.J.\",\"Okafor, N.\",\"Brennan-Ward, S.\"]",
		"Health and Social Care in the Community", NULL, "28", "5", "1634-45", NULL, NULL,
		2020, "journal-article", "[\"Article\"]",
	};
	struct wn_judgement j;

	(void)state;
	judge(&hartley_pubmed, &scopus, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DUPLICATE);
	assert_non_null(j.rule);
}

static void test_erratum_is_related_not_merged(void **state)
{
	static const struct rec erratum = {
		"Correction to: " HARTLEY_TITLE ".", "[\"Hartley RJ\"]",
		"Health & social care in the community", NULL, "29", "1", "310", NULL, NULL, 2021,
		"erratum", "[\"Published Erratum\"]",
	};
	struct wn_judgement j;

	(void)state;
	judge(&erratum, &hartley_pubmed, &j);
	assert_int_equal(j.verdict, WN_VERDICT_RELATED);
	assert_string_equal(j.relation, "erratum_for");
}

static void test_wos_correction_is_an_erratum(void **state)
{
	/* Web of Science names a correction after its article */
	static const struct rec correction = {
		HARTLEY_TITLE " (vol 28, pg 1634, 2020)", "[\"Hartley RJ\"]",
		"Health & social care in the community", NULL, "29", "1", "310", NULL, NULL, 2021,
		NULL, NULL,
	};
	struct wn_judgement j;

	(void)state;
	judge(&correction, &hartley_pubmed, &j);
	assert_int_equal(j.verdict, WN_VERDICT_RELATED);
	assert_string_equal(j.relation, "erratum_for");
}

static void test_preprint_is_related_not_merged(void **state)
{
	static const struct rec preprint = {
		HARTLEY_TITLE, "[\"Hartley RJ\",\"Okafor N\",\"Brennan-Ward S\"]", "medRxiv", NULL,
		NULL, NULL, NULL, "10.1101/2019.12.01.19013581", NULL, 2019, "preprint", NULL,
	};
	struct wn_judgement j;

	(void)state;
	judge(&preprint, &hartley_pubmed, &j);
	assert_int_equal(j.verdict, WN_VERDICT_RELATED);
	assert_string_equal(j.relation, "preprint_of");
}

static void test_conference_abstract_is_not_the_article(void **state)
{
	static const struct rec abstract = {
		HARTLEY_TITLE, "[\"Hartley RJ\",\"Okafor N\"]",
		"Age and Ageing. Conference: British Geriatrics Society Spring Meeting", NULL, "48",
		"Supplement_4", "iv12-iv13", NULL, NULL, 2019, "conference-paper", NULL,
	};
	struct wn_judgement j;

	(void)state;
	judge(&abstract, &hartley_pubmed, &j);
	assert_int_not_equal(j.verdict, WN_VERDICT_DUPLICATE);
}

static void test_parts_of_a_series_stay_apart(void **state)
{
	static const struct rec part1 = {
		"Social prescribing in practice, part 1: referral", "[\"Smith J\",\"Jones A\"]",
		"BMJ", NULL, "360", NULL, "k100-k105", NULL, NULL, 2018, NULL, NULL,
	};
	static const struct rec part2 = {
		"Social prescribing in practice, part 2: referral", "[\"Smith J\",\"Jones A\"]",
		"BMJ", NULL, "360", NULL, "k100-k105", NULL, NULL, 2018, NULL, NULL,
	};
	struct wn_judgement j;

	(void)state;
	judge(&part1, &part2, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DIFFERENT);
	assert_true(j.contradiction);
}

static void test_identifiers_that_differ_keep_apart(void **state)
{
	struct rec a = hartley_pubmed, b = hartley_pubmed;
	struct wn_judgement j;

	(void)state;
	a.pmid = "90000001";
	b.pmid = "90000002";
	judge(&a, &b, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DIFFERENT);
	/* a Cochrane review and its update: one title, other DOIs */
	a = b = (struct rec){ "Interventions for loneliness in older people", "[\"Ng K\"]",
			      "Cochrane Database of Systematic Reviews", NULL, NULL, NULL, NULL,
			      "10.1002/14651858.cd001234.pub2", NULL, 2019, NULL, NULL };
	b.doi = "10.1002/14651858.cd001234.pub3";
	b.year = 2020;
	judge(&a, &b, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DIFFERENT);
}

static void test_telling_words(void **state)
{
	static const struct rec mice = {
		"Chronic social isolation alters oxytocin receptor expression in mice",
		"[\"Lee K\",\"Park S\"]", "Behav Brain Res", NULL, "379", NULL, NULL, NULL, NULL, 2020,
		NULL, NULL,
	};
	static const struct rec rats = {
		"Chronic social isolation alters oxytocin receptor expression in rats",
		"[\"Lee K\",\"Park S\"]", "Behav Brain Res", NULL, "379", NULL, NULL, NULL, NULL, 2020,
		NULL, NULL,
	};
	struct wn_judgement j;

	(void)state;
	judge(&mice, &rats, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DIFFERENT);
}

static void test_journal_abbreviation(void **state)
{
	struct rec ra = hartley_pubmed, rb = hartley_pubmed;

	(void)state;
	ra.abbrev = rb.abbrev = NULL;
	ra.journal = "Journal of the American Geriatrics Society";
	rb.journal = "J Am Geriatr Soc";
	assert_true(similarity(wn_sim_journal, &ra, &rb) >= 0.9);
	/* names in other languages, their "and" and articles skipped */
	ra.journal = "Annales Francaises d'Anesthesie et de Reanimation";
	rb.journal = "Ann Fr Anesth Reanim";
	assert_true(similarity(wn_sim_journal, &ra, &rb) >= 0.9);
	ra.journal = "Cirugia y Cirujanos";
	rb.journal = "Cir Cir";
	assert_true(similarity(wn_sim_journal, &ra, &rb) >= 0.9);
	/* but not a word of the name left out */
	rb.journal = "Cir Esp";
	assert_true(similarity(wn_sim_journal, &ra, &rb) < 0.9);
}

static void test_author_formats(void **state)
{
	struct rec ra = hartley_pubmed, rb = hartley_pubmed;

	(void)state;
	ra.authors = "[\"von Pawel, J.\",\"Roemeling, R.\",\"Gatzemeier, U.\"]";
	rb.authors = "[\"Pawel J\",\"von Roemeling R\",\"Gatzemeier U\"]";
	assert_true(similarity(wn_sim_authors, &ra, &rb) >= 0.99);
}

static void test_annotated_title(void **state)
{
	struct rec a = hartley_pubmed, b = hartley_pubmed;
	struct wn_judgement j;

	(void)state;
	/* MEDLINE's annotation (here cut short) is not part of the title */
	b.title = HARTLEY_TITLE ".[Erratum appears in Health Soc Care Community. 2021 Jan";
	judge(&a, &b, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DUPLICATE);
}

/* Hard cases from the labelled sets, each a general rule. */
static void test_doi_title_and_venue_outweigh_garbled_names(void **state)
{
	/* given and family name swapped in one database's export */
	static const struct rec a = {
		"The platform as factory: Crowdwork and the hidden labour behind artificial intelligence",
		"[\"Moritz, Altenried\"]", "Capital & Class", NULL, "44", "2", "145-158",
		"10.1177/0309816819899410", NULL, 2020, "journal-article", NULL,
	};
	static const struct rec b = {
		"The platform as factory: crowdwork and the hidden labour behind artificial intelligence",
		"[\"Altenried, M.\"]", "Capital and Class", NULL, "44", "2", "145-158",
		"10.1177/0309816819899410", NULL, 2020, "journal-article", NULL,
	};
	struct rec other_issue = b;
	struct wn_judgement j;

	(void)state;
	judge(&a, &b, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DUPLICATE);
	/* not when the place in the journal disagrees */
	other_issue.volume = "45";
	other_issue.pages = "1-20";
	judge(&a, &other_issue, &j);
	assert_int_not_equal(j.verdict, WN_VERDICT_DUPLICATE);
}

static void test_conference_papers_are_one_kind(void **state)
{
	/* one with an SSRN DOI, one named after the conference */
	static const struct rec a = {
		"Gender Wage Gap in Online Gig Economy and Gender Differences in Job Preferences",
		"[\"Liang, Chen\",\"Hong, Yili\",\"Gu, Bin\"]",
		"International Conference on Information Systems", NULL, NULL, NULL, "1-17", NULL,
		NULL, 2018, "conference-paper", NULL,
	};
	struct rec b = a;
	struct wn_judgement j;

	(void)state;
	b.doi = "10.2139/ssrn.3266249";
	judge(&a, &b, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DUPLICATE);
	/* a preprint posted as such stays a related report */
	b.type = "preprint";
	judge(&a, &b, &j);
	assert_int_equal(j.verdict, WN_VERDICT_RELATED);
}

static void test_translated_title(void **state)
{
	static const struct rec german = {
		"Plattformökonomie und Crowdworking als Herausforderungen für das deutsche Modell der Arbeitsbeziehungen",
		"[\"Greef, Samuel\",\"Schroeder, Wolfgang\",\"Sperling, Hans Joachim\"]",
		"Industrielle Beziehungen", NULL, "27", "2", "205-226", NULL, NULL, 2020,
		"journal-article", NULL,
	};
	static const struct rec english = {
		"Platform economy and crowdworking as challenges for the german model of industrial relations",
		"[\"Greef, S.\",\"Schroeder, W.\",\"Sperling, H.J.\"]",
		"Industrielle Beziehungen", NULL, "27", "2", "205-226", NULL, NULL, 2020,
		"journal-article", NULL,
	};
	struct rec untitled = english, one_page = english;
	struct wn_judgement j;

	(void)state;
	judge(&german, &english, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DUPLICATE);
	/* without a title there is nothing to say it was translated */
	untitled.title = NULL;
	judge(&german, &untitled, &j);
	assert_int_not_equal(j.verdict, WN_VERDICT_DUPLICATE);
	/* a first page alone is shared by an article and its neighbour's note */
	one_page.pages = "205";
	judge(&german, &one_page, &j);
	assert_int_not_equal(j.verdict, WN_VERDICT_DUPLICATE);
	{
		/* one DOI on both: translated, not a DOI shared by a supplement's
		 * papers, when the pages, volume and authors agree too */
		struct rec german_doi = german, english_doi = english;

		german_doi.doi = english_doi.doi = "10.1007/s11577-019-00587-w";
		judge(&german_doi, &english_doi, &j);
		assert_int_equal(j.verdict, WN_VERDICT_DUPLICATE);
		english_doi.pages = "227-240";
		judge(&german_doi, &english_doi, &j);
		assert_int_equal(j.verdict, WN_VERDICT_DIFFERENT);
	}
}

static void test_proceedings_a_year_apart(void **state)
{
	static const struct rec meeting = {
		"Crowdwork Platforms - Juxtaposing Centralized and Decentralized Governance",
		"[\"Gol, Elham Shafiei\",\"Avital, Michel\",\"Stein, Mari-Klara\"]",
		"European Conference on Information Systems", NULL, NULL, NULL, NULL, NULL, NULL,
		2019, "conference-paper", NULL,
	};
	static const struct rec published = {
		"Crowdwork platforms: Juxtaposing centralized and decentralized governance",
		"[\"Gol, E.S.\",\"Avital, M.\",\"Stein, M.-K.\"]",
		"European Conference on Information Systems - Information Systems for a Sharing Society, ECIS",
		NULL, NULL, NULL, NULL, NULL, NULL, 2020, "conference-paper", NULL,
	};
	struct rec later = published;
	struct wn_judgement j;

	(void)state;
	judge(&meeting, &published, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DUPLICATE);
	/* two years is another paper with the same title */
	later.year = 2021;
	judge(&meeting, &later, &j);
	assert_int_not_equal(j.verdict, WN_VERDICT_DUPLICATE);
}

static void test_garbled_pages_say_nothing(void **state)
{
	/* an export that lost the start of a supplement's page range */
	static const struct rec a = {
		"Cervical squamous and glandular intraepithelial neoplasia: identification and current management approaches",
		"[\"Wright, V C\"]", "Salud Publica de Mexico", NULL, "45", NULL, "S417-S429", NULL,
		NULL, 2003, "journal-article", NULL,
	};
	(void)state;
	assert_int_equal(with_pages(&a, "S417-S429", "Suppl-29"), WN_VERDICT_DUPLICATE);
	/* a readable range elsewhere still tells them apart */
	assert_int_not_equal(with_pages(&a, "S417-S429", "S501-S509"), WN_VERDICT_DUPLICATE);
	/* an article number and the article's own pages */
	assert_int_equal(with_pages(&a, "e12724", "1-6"), WN_VERDICT_DUPLICATE);
}

/* A range that ends before it starts: a short form ("527-32") reads as
 * the whole range; a mistyped one ("2297-2108") says nothing. */
static void test_backward_page_ranges(void **state)
{
	static const struct rec a = {
		"Colchicine prevents early postoperative pericardial and pleural effusions",
		"[\"Imazio, M.\",\"Brucato, A.\",\"Rovere, M. E.\"]", "American Heart Journal",
		NULL, "162", "3", "527-532.e1", NULL, NULL, 2011, "journal-article", NULL,
	};
	struct rec shortened = a, mistyped = a, elsewhere = a, elsewhere_short = a;
	struct wn_profile p;
	struct wn_judgement j;

	(void)state;
	shortened.pages = "527-32.e1";
	profile(&p, 1, &shortened);
	assert_int_equal(p.page_first, 527);
	assert_int_equal(p.page_last, 532);
	assert_false(p.pages_garbled);
	wn_profile_release(&p);
	judge(&a, &shortened, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DUPLICATE);

	mistyped.pages = "727-532";
	profile(&p, 1, &mistyped);
	assert_true(p.pages_garbled);
	wn_profile_release(&p);
	judge(&a, &mistyped, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DUPLICATE);

	/* a short form of another range is still another range */
	elsewhere.pages = "601-609";
	elsewhere_short.pages = "601-9";
	judge(&a, &elsewhere_short, &j);
	assert_int_not_equal(j.verdict, WN_VERDICT_DUPLICATE);
	judge(&elsewhere, &elsewhere_short, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DUPLICATE);
}

/* One source swapped every given and family name: one article, by its
 * title, journal, volume and pages; a swap that does not line up author
 * by author is no swap. */
static void test_swapped_names(void **state)
{
	static const struct rec a = {
		"Effect of therapist-based versus robot-assisted bilateral arm training on motor control, functional performance, and quality of life after chronic stroke: a clinical trial",
		"[\"Wu, C. Y.\",\"Yang, C. L.\",\"Chuang, L. L.\",\"Lin, K. C.\"]",
		"Physical Therapy", NULL, "92", "8", "1006-1016", NULL, NULL, 2012,
		"journal-article", NULL,
	};
	struct rec swapped = a, shuffled = a;
	struct wn_judgement j;

	(void)state;
	swapped.authors = "[\"Ching-yi, Wu\",\"Chieh-ling, Yang\",\"Li-ling, Chuang\",\"Keh-chung, Lin\"]";
	assert_true(similarity(wn_sim_authors, &a, &swapped) >= 0.5);
	assert_true(similarity(wn_sim_authors, &a, &swapped) < 0.9);
	judge(&a, &swapped, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DUPLICATE);

	shuffled.authors = "[\"Chieh-ling, Yang\",\"Ching-yi, Wu\",\"Li-ling, Chuang\",\"Keh-chung, Lin\"]";
	assert_true(similarity(wn_sim_authors, &a, &shuffled) < 0.5);
}

/* Digits spaced differently are the same numbers: "HPV16/18" and "HPV
 * 16/18", "10 000" and "10000"; other digits still keep titles apart. */
static void test_title_numbers_spaced(void **state)
{
	static const struct rec a = {
		"Description of a seven-year prospective study of human papillomavirus infection among 10 000 women in Guanacaste (HPV16/18)",
		"[\"Bratti, M C\",\"Rodriguez, A C\",\"Schiffman, M\"]",
		"Revista Panamericana de Salud Publica", NULL, "15", NULL, "75-89", NULL, NULL, 2004,
		"journal-article", NULL,
	};
	struct rec spaced = a, other = a;
	struct wn_judgement j;

	(void)state;
	spaced.title = "Description of a seven-year prospective study of human papillomavirus infection among 10000 women in Guanacaste (HPV 16/18)";
	judge(&a, &spaced, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DUPLICATE);
	other.title = "Description of a seven-year prospective study of human papillomavirus infection among 10 000 women in Guanacaste (HPV16/31)";
	judge(&a, &other, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DIFFERENT);
	assert_string_equal(j.rule, "titles number differently");
}

/* DARE's record of a review carries the review's own title, journal and
 * pages, marked "(Structured abstract)": one more record of that paper. */
static void test_database_mark_on_title(void **state)
{
	static const struct rec paper = {
		"Posttreatment human papillomavirus testing for recurrent cervical intraepithelial neoplasia: a systematic review",
		"[\"Chan, B K S\",\"Melnikow, J\",\"Slee, C A\"]",
		"American Journal of Obstetrics and Gynecology", NULL, "200", "4", "422-429", NULL,
		NULL, 2009, "journal-article", NULL,
	};
	struct rec dare = paper;
	struct wn_judgement j;
	char *key;

	(void)state;
	dare.title = "Posttreatment human papillomavirus testing for recurrent cervical intraepithelial neoplasia: a systematic review (Structured abstract)";
	dare.authors = "[\"Chan, B K\",\"Melnikow, J\",\"Slee, C A\"]";
	judge(&paper, &dare, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DUPLICATE);
	key = wn_title_key("Cost-effectiveness of HPV testing (Provisional abstract).");
	assert_string_equal(key, "cost effectiveness of hpv testing");
	free(key);
	/* only at the end: a title about structured abstracts keeps its words */
	key = wn_title_key("The (structured abstract) in reporting trials");
	assert_string_equal(key, "the structured abstract in reporting trials");
	free(key);
}

/* One title in one journal's volume, year and whole page range is one
 * article, even when a database garbled every author's name; a single
 * page, or another title, is not enough. */
static void test_same_place_outweighs_garbled_authors(void **state)
{
	static const struct rec a = {
		"Performance of Pap smear and human papilloma virus testing in the follow-up of women with cervical intraepithelial neoplasia grade 1 managed conservatively",
		"[\"Santos, A L\",\"Derchain, S F\",\"Sarian, L O\"]",
		"Acta Obstetricia et Gynecologica Scandinavica", NULL, "85", NULL, "444-450", NULL,
		NULL, 2006, "journal-article", NULL,
	};
	struct rec garbled = a, one_page = a, retitled = a;
	struct wn_judgement j;

	(void)state;
	garbled.authors = "[\"Luis Ferreira, Santos A\",\"Francoise Mauricette, Derchain S\",\"Otavio, Sarian L\"]";
	judge(&a, &garbled, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DUPLICATE);
	{
		struct rec a1 = a;

		a1.pages = "444";
		one_page = garbled;
		one_page.pages = "444";
		judge(&a1, &one_page, &j);
		assert_int_not_equal(j.verdict, WN_VERDICT_DUPLICATE);
	}
	retitled = garbled;
	retitled.title = "Performance of Pap smear and human papilloma virus testing in the follow-up of women with cervical intraepithelial neoplasia grade 2 treated by excision";
	judge(&a, &retitled, &j);
	assert_int_not_equal(j.verdict, WN_VERDICT_DUPLICATE);
}

/* The BMJ's article number ("a1754") and its print pages ("969-972") are
 * two ways of saying where one article is; so is a last page given alone
 * ("488" for "487-488"). A supplement page ("S488") is a page. */
static void test_pages_said_two_ways(void **state)
{
	static const struct rec print = {
		"Long term predictive values of cytology and human papillomavirus testing in cervical cancer screening: joint European cohort study",
		"[\"Dillner, J\",\"Rebolj, M\",\"Birembaut, P\"]",
		"BMJ", NULL, "337", NULL, "969-972", NULL, NULL, 2008, "journal-article", NULL,
	};
	(void)state;
	assert_int_equal(with_pages(&print, "969-972", "a1754"), WN_VERDICT_DUPLICATE);
	assert_int_equal(with_pages(&print, "969-972", "972"), WN_VERDICT_DUPLICATE);
	/* a page outside the range still contradicts it */
	assert_int_not_equal(with_pages(&print, "969-972", "975"), WN_VERDICT_DUPLICATE);
	/* were "S1975" an article number, nothing would contradict */
	assert_int_not_equal(with_pages(&print, "S1969-S1972", "S1975"), WN_VERDICT_DUPLICATE);
}

/* A meeting's initials stand for its name: "ICIS" in one database,
 * "International Conference on Information Systems" in another. */
static void test_meeting_initials(void **state)
{
	static const struct rec full = {
		"Call for Bids to Improve Matching Efficiency - Evidence from Online Labor Markets",
		"[\"Guo, Xue\",\"Gong, Jing\",\"Pavlou, Paul A.\"]",
		"International Conference on Information Systems", NULL, NULL, NULL, "1-12", NULL,
		NULL, 2017, "conference-paper", NULL,
	};
	static const struct rec initials = {
		"Call for Bids to Improve Matching Efficiency: Evidence from Online Labor Markets",
		"[\"Guo, X.\",\"Gong, J.\",\"Pavlou, P.\"]",
		"ICIS : Transforming Society with Digital Innovation", NULL, NULL, NULL, NULL, NULL,
		NULL, 2018, "conference-paper", NULL,
	};
	struct rec elsewhere = initials;
	struct wn_judgement j;

	(void)state;
	assert_true(similarity(wn_sim_journal, &full, &initials) >= 0.9);
	judge(&full, &initials, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DUPLICATE);
	/* initials inside another word, or of fewer than four words, say nothing */
	elsewhere.journal = "Bicisland Journal of Information";
	assert_true(similarity(wn_sim_journal, &full, &elsewhere) < 0.9);
}

/* Embase files one meeting abstract twice: under "Circulation.
 * Conference: ..." with no issue, and under "Circulation" in its
 * supplement. Both are one record; an article in an ordinary issue of
 * the same volume is still the article, not its abstract. */
static void test_meeting_abstract_in_a_supplement(void **state)
{
	static const struct rec meeting = {
		"SGLT2 inhibition with dapagliflozin improves coronary vascular derangement in the leptin-deficient ob/ob mice",
		"[\"Adingupu, D.\",\"Hagerstrand, L.\",\"Palmer, M.\"]",
		"Circulation. Conference: Resuscitation Science Symposium ReSS", NULL, "136", NULL,
		NULL, NULL, NULL, 2017, "Conference Abstract", NULL,
	};
	struct rec supplement = meeting, article = meeting;
	struct wn_judgement j;

	(void)state;
	supplement.journal = "Circulation";
	supplement.issue = "Supplement 1";
	supplement.type = "journal-article";
	judge(&meeting, &supplement, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DUPLICATE);
	article.journal = "Circulation";
	article.issue = "14";
	article.type = "journal-article";
	judge(&meeting, &article, &j);
	assert_int_equal(j.verdict, WN_VERDICT_RELATED);
	/* a correction in the supplement is not the abstract */
	supplement.title = "Erratum: SGLT2 inhibition with dapagliflozin improves coronary vascular derangement in the leptin-deficient ob/ob mice";
	judge(&meeting, &supplement, &j);
	assert_int_not_equal(j.verdict, WN_VERDICT_DUPLICATE);
}

/* A subtitle dropped by one database: the meeting, year, authors and
 * whole page range place the paper. */
static void test_subtitle_dropped_in_proceedings(void **state)
{
	static const struct rec a = {
		"Infrastructure in the Wild",
		"[\"Soden, Robert\",\"Palen, Leysia\"]",
		"Proceedings of the 2016 CHI Conference on Human Factors in Computing Systems", NULL,
		NULL, NULL, "2796-2807", NULL, NULL, 2016, "conference-paper", NULL,
	};
	struct rec b = a, elsewhere = a;
	struct wn_judgement j;

	(void)state;
	b.title = "Infrastructure in the wild: What mapping in post-earthquake Nepal reveals about infrastructural emergence";
	b.authors = "[\"Soden, R.\",\"Palen, L.\"]";
	judge(&a, &b, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DUPLICATE);
	elsewhere = b;
	elsewhere.pages = "2796-2801";
	judge(&a, &elsewhere, &j);
	assert_int_not_equal(j.verdict, WN_VERDICT_DUPLICATE);
}

/* The same title and authors in two journals and two volumes are two
 * publications (a meeting's abstract and the article): apart, not a
 * question for a person; in one journal they are worth a look. */
static void test_two_journals_two_volumes(void **state)
{
	static const struct rec abstract = {
		"Increased dipeptidyl peptidase-4 accelerates diet-related vascular aging and atherosclerosis in ApoE-deficient mice",
		"[\"Eli, Y.\",\"Yang, G.\",\"Inoue, A.\"]",
		"Circulation", NULL, "136", "Supplement 1", NULL, NULL, NULL, 2017,
		"journal-article", NULL,
	};
	struct rec article = abstract;
	struct wn_judgement j;

	(void)state;
	article.authors = "[\"Lei, Y.\",\"Yang, G.\",\"Inoue, A.\"]";
	article.journal = "International Journal of Cardiology";
	article.volume = "243";
	article.issue = NULL;
	article.pages = "413-420";
	judge(&abstract, &article, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DIFFERENT);
	assert_string_equal(j.rule, "different journals and volumes");
	article.authors = abstract.authors;
	judge(&abstract, &article, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DIFFERENT);
	article.journal = "Circulation";
	judge(&abstract, &article, &j);
	assert_int_equal(j.verdict, WN_VERDICT_REVIEW);
}

/* "Proceedings of the National Academy of Sciences" is a journal when the
 * record says it is an article; bare "Proceedings of ..." with no type is
 * still a meeting's. */
static void test_proceedings_journal(void **state)
{
	static const struct rec full = {
		"Reputation offsets trust judgments based on social biases among Airbnb users",
		"[\"Abrahao, Bruno\",\"Parigi, Paolo\",\"Gupta, Alok\",\"Cook, Karen S.\"]",
		"Proceedings of the National Academy of Sciences", NULL, "114", "37", "9848-9853",
		"10.1073/pnas.1604234114", NULL, 2017, "journal-article", NULL,
	};
	struct rec bare = full;
	struct wn_judgement j;

	(void)state;
	bare.journal = NULL;
	bare.volume = bare.issue = bare.pages = bare.doi = NULL;
	bare.authors = "[\"Abrahao, B.\",\"Parigi, P.\",\"Gupta, A.\",\"Cook, K. S.\"]";
	judge(&full, &bare, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DUPLICATE);
	{
		struct rec untyped = full;

		untyped.type = NULL;
		judge(&untyped, &bare, &j);
		assert_int_equal(j.verdict, WN_VERDICT_RELATED);
	}
}

/* Online first, an article is paged from 1 and has no volume; in its
 * issue, a year later, it has both. A range from 1 with a volume, or an
 * unreadable one, still contradicts. */
static void test_online_first(void **state)
{
	static const struct rec issue = {
		"How to develop and frame impactful review articles: key recommendations",
		"[\"Paré, Guy\",\"Wagner, Gerit\",\"Prester, Julian\"]",
		"Journal of Decision Systems", NULL, "33", "4", "566-582",
		"10.1080/12460125.2023.2197701", NULL, 2024, "journal-article", NULL,
	};
	struct rec online = issue;
	struct wn_judgement j;

	(void)state;
	online.volume = online.issue = online.doi = NULL;
	online.pages = "1-17";
	online.year = 2023;
	judge(&issue, &online, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DUPLICATE);
	online.volume = "32";
	judge(&issue, &online, &j);
	assert_int_not_equal(j.verdict, WN_VERDICT_DUPLICATE);
	online.volume = NULL;
	online.pages = "01-Sep"; /* a spreadsheet's date, not pages */
	judge(&issue, &online, &j);
	assert_int_not_equal(j.verdict, WN_VERDICT_DUPLICATE);
}

/* The same title, meeting and year with the authors in another order, or
 * the same title, authors, volume and issue under another name of the
 * journal, are one paper; a different issue is not. */
static void test_authors_reordered_and_journal_renamed(void **state)
{
	static const struct rec a = {
		"On service employers' hiring decisions in online labor markets: a perspective of price and quality discovery",
		"[\"Hong, Yili\",\"Zheng, Alvin Zuyin\"]",
		"Americas Conference on Information Systems", NULL, NULL, NULL, "1-14", NULL, NULL,
		2015, "conference-paper", NULL,
	};
	static const struct rec jp = {
		"Rating prediction for software developers by integrating OSS community and crowd sourcing",
		"[\"Ohsawa, Shohei\",\"Matsuo, Yutaka\"]",
		"Jinko Chino Gakkai Ronbunshi", NULL, "31", "2", NULL, NULL, NULL, 2016,
		"journal-article", NULL,
	};
	struct rec b = a, en = jp;
	struct wn_judgement j;

	(void)state;
	b.authors = "[\"Zheng, A.Z.\",\"Hong, Y.\"]";
	b.journal = "Americas Conference on Information Systems, AMCIS";
	b.pages = NULL;
	judge(&a, &b, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DUPLICATE);
	en.journal = "Transactions of the Japanese Society for Artificial Intelligence";
	en.authors = "[\"Ohsawa, S.\",\"Matsuo, Y.\"]";
	en.pages = "A-F24_1-10";
	judge(&jp, &en, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DUPLICATE);
	en.issue = "3";
	judge(&jp, &en, &j);
	assert_int_not_equal(j.verdict, WN_VERDICT_DUPLICATE);
}

/* Embase titles a correction with its article's citation. It is an
 * erratum, related to the article, and one record with Web of Science's
 * notice of the same correction. A title that only ends in brackets is
 * not a correction. */
static void test_embase_correction_is_an_erratum(void **state)
{
	static const struct rec article = {
		"Eculizumab for atypical hemolytic-uremic syndrome",
		"[\"Nurnberger, J.\",\"Philipp, T.\",\"Witzke, O.\"]",
		"New England Journal of Medicine", NULL, "360", "5", "542-544", NULL, NULL, 2009,
		"journal-article", NULL,
	};
	static const struct rec embase = {
		"Eculizumab for atypical hemolytic-uremic syndrome (New England Journal of Medicine (2009) 360 (542-544))",
		"[\"Philipp, T.\"]", "New England Journal of Medicine.", NULL, "360", "23",
		"2487-2487", NULL, NULL, 2009, "journal-article", NULL,
	};
	struct rec wos = embase, plain = article;
	struct wn_judgement j;

	(void)state;
	judge(&embase, &article, &j);
	assert_int_equal(j.verdict, WN_VERDICT_RELATED);
	assert_string_equal(j.relation, "erratum_for");
	wos.title = "Eculizumab for Atypical Hemolytic-Uremic Syndrome (vol 360, pg 542, 2009)";
	wos.journal = "New England Journal of Medicine";
	judge(&embase, &wos, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DUPLICATE);
	/* brackets that are no citation: an article still */
	plain.title = "Eculizumab for atypical hemolytic-uremic syndrome (the aHUS trial (2009))";
	judge(&plain, &article, &j);
	assert_int_not_equal(j.verdict, WN_VERDICT_RELATED);
}

/* An export that split "50 (Suppl 1)" at the space left "1)" as the
 * volume: it says nothing, where another volume contradicts. */
static void test_volume_fragment_says_nothing(void **state)
{
	static const struct rec whole = {
		"Comparison of linagliptin sitagliptin and liraglutide effects on survival and vascular complications in experimental diabetes",
		"[\"Mader, M.\",\"Hausding, M.\",\"Kroller-Schon, S.\"]",
		"Journal of Vascular Research", NULL, "50", "SUPPL. 1", "45", NULL, NULL, 2013,
		NULL, NULL,
	};
	struct rec split = whole;
	struct wn_judgement j;

	(void)state;
	split.volume = "1)";
	split.issue = NULL;
	judge(&whole, &split, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DUPLICATE);
	split.volume = "49";
	judge(&whole, &split, &j);
	assert_int_not_equal(j.verdict, WN_VERDICT_DUPLICATE);
}

/* Embase lost a meeting abstract's volume and moved its issue and page up
 * a place: 26 | 9 | - for 26 | 9 | 1746. Other numbers in those places
 * still contradict. */
static void test_fields_shifted(void **state)
{
	static const struct rec placed = {
		"The treatment of atypical HUS", "[\"Loirat, C.\"]",
		"Pediatric Nephrology.Conference: 44th Annual Scientific Meeting of the International Pediatric Nephrology Association",
		NULL, "26", "9", "1746-1746", NULL, NULL, 2011, NULL, NULL,
	};
	struct rec shifted = placed;
	struct wn_judgement j;

	(void)state;
	shifted.volume = NULL;
	shifted.issue = "26";
	shifted.pages = "9";
	judge(&placed, &shifted, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DUPLICATE);
	shifted.issue = "25";
	judge(&placed, &shifted, &j);
	assert_int_not_equal(j.verdict, WN_VERDICT_DUPLICATE);
}

/* A meeting's record of an abstract with no volume, issue or pages, and
 * the journal's record of it in the same year: unpaged without a DOI, or
 * one page given as a range of one (as Embase gives an abstract's). A full
 * article of the same title stays its own record: a page range, a first
 * page alone, a DOI, an article number or a supplement's range. So does an
 * erratum, and a meeting abstract by other authors. */
static void test_meeting_record_without_place(void **state)
{
	static const struct rec meeting = {
		"A phase II study of eculizumab in patients with atypical hemolytic uremic syndrome receiving chronic plasma therapy",
		"[\"Licht, C.\",\"Muus, P.\",\"Legendre, C.\"]",
		"Journal of Thrombosis and Haemostasis.Conference: 23rd Congress of the International Society on Thrombosis and Haemostasis",
		NULL, NULL, NULL, NULL, NULL, NULL, 2011, NULL, NULL,
	};
	struct rec journal = meeting, other = meeting;
	struct wn_judgement j;

	(void)state;
	journal.journal = "J Thromb Haemost";
	judge(&meeting, &journal, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DUPLICATE);
	journal.volume = "9";
	journal.issue = "6";
	journal.pages = "507-507";
	judge(&meeting, &journal, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DUPLICATE);
	/* a full article, however its place is written */
	{
		static const char *const pages[] = { "1201-1209", "1201", "e015678", "499-711" };

		for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
			struct rec article = journal;

			article.pages = pages[i];
			if (i == 3)
				article.issue = "S2";
			judge(&meeting, &article, &j);
			assert_int_equal(j.verdict, WN_VERDICT_RELATED);
			assert_string_equal(j.relation, "abstract_of");
		}
	}
	{
		struct rec ahead = meeting; /* online ahead of print: a DOI, no place */

		ahead.journal = "Journal of Thrombosis and Haemostasis";
		ahead.doi = "10.1111/j.1538-7836.2011.04321.x";
		judge(&meeting, &ahead, &j);
		assert_int_equal(j.verdict, WN_VERDICT_RELATED);
	}
	{
		struct rec erratum = journal;

		erratum.title = "Erratum: A phase II study of eculizumab in patients with atypical hemolytic uremic syndrome receiving chronic plasma therapy";
		judge(&meeting, &erratum, &j);
		assert_int_not_equal(j.verdict, WN_VERDICT_DUPLICATE);
	}
	other.journal = "Journal of Thrombosis and Haemostasis";
	other.authors = "[\"Greenbaum, L.\",\"Fila, M.\"]";
	judge(&meeting, &other, &j);
	assert_int_not_equal(j.verdict, WN_VERDICT_DUPLICATE);
}

/* Names of one journal: abbreviated, and spelled out with the meeting it
 * printed; the supplement's own title and the journal's. Two words
 * abbreviated say too little. */
static void test_journal_before_a_meeting(void **state)
{
	struct rec a = { "t", NULL, "J Thromb Haemost", NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL };
	struct rec b = a;

	(void)state;
	b.journal = "Journal of Thrombosis and Haemostasis.Conference: 23rd Congress of the ISTH";
	assert_true(similarity(wn_sim_journal, &a, &b) >= 0.9);
	a.journal = "J Thromb";
	assert_true(similarity(wn_sim_journal, &a, &b) < 0.9);
	a.journal = "Atherosclerosis Supplements";
	b.journal = "Atherosclerosis. Conference: 15th International Symposium on Atherosclerosis";
	assert_true(similarity(wn_sim_journal, &a, &b) >= 0.9);
	b.journal = "Atherosclerosis";
	assert_true(similarity(wn_sim_journal, &a, &b) >= 0.9);
	b.journal = "Arteriosclerosis";
	assert_true(similarity(wn_sim_journal, &a, &b) < 0.9);
	/* a short name is enough when a meeting follows it, not otherwise */
	a.journal = "Blood";
	b.journal = "Blood. Conference: 53rd Annual Meeting of the American Society of Hematology";
	assert_true(similarity(wn_sim_journal, &a, &b) >= 0.9);
	b.journal = "Blood Reviews";
	assert_true(similarity(wn_sim_journal, &a, &b) < 0.9);
	/* stopwords up to five letters ("della") */
	a.journal = "Bollettino della Societa Italiana di Biologia Sperimentale";
	b.journal = "Boll Soc Ital Biol Sper";
	assert_true(similarity(wn_sim_journal, &a, &b) >= 0.95);
}

/* A meeting's abstract under a short title, or a whole session of them
 * with no authors, filed under the meeting and under the journal: one
 * record when title, volume and issue agree and the authors do (or
 * neither has any). */
static void test_meeting_abstract_short_title(void **state)
{
	static const struct rec meeting = {
		"Coronary artery disease", "[\"Barbara, F.\",\"Max, S.\",\"Agostino, C.\"]",
		"Journal of Clinical Hypertension. Conference: 28th Scientific Meeting", NULL,
		"15", "SUPPL. 1", NULL, NULL, NULL, 2013, NULL, NULL,
	};
	static const struct rec session = {
		"BAS/BSCR Poster Abstracts", NULL,
		"Cardiovascular Research. Conference: BAS/BSCR Annual Meeting", NULL, "91", "20", NULL, NULL,
		NULL, 2011, NULL, NULL,
	};
	struct rec journal = meeting, other = session;
	struct wn_judgement j;

	(void)state;
	journal.journal = "Journal of Clinical Hypertension";
	judge(&meeting, &journal, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DUPLICATE);
	journal.issue = "1"; /* the ordinary issue 1 is not Suppl. 1 */
	journal.pages = "45-52";
	judge(&meeting, &journal, &j);
	assert_int_not_equal(j.verdict, WN_VERDICT_DUPLICATE);
	journal.issue = meeting.issue;
	journal.pages = NULL;
	journal.authors = "[\"Rossi, G.\",\"Bianchi, L.\"]";
	judge(&meeting, &journal, &j);
	assert_int_not_equal(j.verdict, WN_VERDICT_DUPLICATE);
	{
		struct rec bare = session, bare_journal = session;

		bare.title = bare_journal.title = "Abstracts";
		bare_journal.journal = "Cardiovascular Research";
		judge(&bare, &bare_journal, &j);
		assert_int_not_equal(j.verdict, WN_VERDICT_DUPLICATE);
	}
	other.journal = "Cardiovascular Research";
	judge(&session, &other, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DUPLICATE);
	other.issue = "21";
	judge(&session, &other, &j);
	assert_int_not_equal(j.verdict, WN_VERDICT_DUPLICATE);
}

/* One title by the same authors in one issue of one journal is one
 * article when two databases give it different pages (an abstract's
 * e-pages); in another issue, under a short title, or by other authors it
 * is not, and ranges that do not meet are two items. */
static void test_one_issue_pages_differ(void **state)
{
	static const struct rec a = {
		"Amantadine hydrochloride for treatment of symptoms of the posttraumatic confusional state: a randomized trial",
		"[\"Yablon, S.\",\"Sherer, M.\",\"Nakase-Richardson, R.\"]",
		"Archives of Physical Medicine and Rehabilitation", NULL, "91", "10", "e8-e9", NULL,
		NULL, 2010, NULL, NULL,
	};
	struct rec b = a;
	struct wn_judgement j;

	(void)state;
	b.pages = "e3";
	judge(&a, &b, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DUPLICATE);
	b.issue = "11";
	judge(&a, &b, &j);
	assert_int_not_equal(j.verdict, WN_VERDICT_DUPLICATE);
	b.issue = a.issue;
	b.authors = "[\"Giacino, J.\",\"Whyte, J.\"]";
	judge(&a, &b, &j);
	assert_int_not_equal(j.verdict, WN_VERDICT_DUPLICATE);
	b.authors = a.authors;
	b.pages = "e20-e21";
	judge(&a, &b, &j);
	assert_int_equal(j.verdict, WN_VERDICT_DIFFERENT);
	/* single pages far apart: two items, or a question for a person */
	b.pages = "e98";
	judge(&a, &b, &j);
	assert_int_not_equal(j.verdict, WN_VERDICT_DUPLICATE);
	{
		struct rec sa = a, sb = a;

		sa.title = sb.title = "Stroke rehabilitation";
		sb.pages = "e3";
		judge(&sa, &sb, &j);
		assert_int_not_equal(j.verdict, WN_VERDICT_DUPLICATE);
	}
}

/* The words a reviewer's eye should go to: those one side lacks, compared
 * case- and accent-blind, never the punctuation around them. */
static void diff(const char *a, const char *b, const char *want_a, const char *want_b)
{
	unsigned char ma[256], mb[256];
	char got_a[256], got_b[256];
	size_t i;

	wn_diff_words(a, b, ma, mb);
	for (i = 0; a[i]; i++)
		got_a[i] = ma[i] ? '^' : ' ';
	got_a[i] = '\0';
	for (i = 0; b[i]; i++)
		got_b[i] = mb[i] ? '^' : ' ';
	got_b[i] = '\0';
	assert_string_equal(got_a, want_a);
	assert_string_equal(got_b, want_b);
}

static void test_diff_words(void **state)
{
	(void)state;
	diff("Link workers in later life", "Link Workers in old age",
	     "                ^^^^^ ^^^^", "                ^^^ ^^^");
	diff("10.1186/s1-11200-1", "10.1186/s1-11999-9",
	     "           ^^^^^ ^", "           ^^^^^ ^");
	diff("Café culture", "CAFE Culture!", "             ", "             "); /* é: 2 bytes */
	diff("", "added words", "", "^^^^^ ^^^^^");
	diff("same", "same", "    ", "    ");
	/* a moved word is marked once, where the common order breaks */
	diff("older adults living alone", "adults living alone older",
	     "^^^^^                    ", "                    ^^^^^");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ratio),
		cmocka_unit_test(test_same_paper_merges),
		cmocka_unit_test(test_erratum_is_related_not_merged),
		cmocka_unit_test(test_wos_correction_is_an_erratum),
		cmocka_unit_test(test_preprint_is_related_not_merged),
		cmocka_unit_test(test_conference_abstract_is_not_the_article),
		cmocka_unit_test(test_parts_of_a_series_stay_apart),
		cmocka_unit_test(test_identifiers_that_differ_keep_apart),
		cmocka_unit_test(test_telling_words),
		cmocka_unit_test(test_journal_abbreviation),
		cmocka_unit_test(test_author_formats),
		cmocka_unit_test(test_annotated_title),
		cmocka_unit_test(test_diff_words),
		cmocka_unit_test(test_doi_title_and_venue_outweigh_garbled_names),
		cmocka_unit_test(test_conference_papers_are_one_kind),
		cmocka_unit_test(test_translated_title),
		cmocka_unit_test(test_proceedings_a_year_apart),
		cmocka_unit_test(test_garbled_pages_say_nothing),
		cmocka_unit_test(test_backward_page_ranges),
		cmocka_unit_test(test_swapped_names),
		cmocka_unit_test(test_title_numbers_spaced),
		cmocka_unit_test(test_database_mark_on_title),
		cmocka_unit_test(test_same_place_outweighs_garbled_authors),
		cmocka_unit_test(test_pages_said_two_ways),
		cmocka_unit_test(test_meeting_initials),
		cmocka_unit_test(test_meeting_abstract_in_a_supplement),
		cmocka_unit_test(test_subtitle_dropped_in_proceedings),
		cmocka_unit_test(test_two_journals_two_volumes),
		cmocka_unit_test(test_proceedings_journal),
		cmocka_unit_test(test_online_first),
		cmocka_unit_test(test_authors_reordered_and_journal_renamed),
		cmocka_unit_test(test_embase_correction_is_an_erratum),
		cmocka_unit_test(test_volume_fragment_says_nothing),
		cmocka_unit_test(test_fields_shifted),
		cmocka_unit_test(test_meeting_record_without_place),
		cmocka_unit_test(test_journal_before_a_meeting),
		cmocka_unit_test(test_meeting_abstract_short_title),
		cmocka_unit_test(test_one_issue_pages_differ),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
