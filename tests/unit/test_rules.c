/* The eligibility rules language: what parses, what is refused (with its
 * line and column), and what a rule excludes, missing data included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "winnow/record.h"
#include "winnow/rules.h"

static struct wn_rules *parse_ok(const char *text)
{
	struct wn_diagnostics d = { 0 };
	struct wn_rules *r = NULL;
	int rc = wn_rules_parse(&r, "t.rules", text, strlen(text), &d);

	for (size_t i = 0; i < d.n; i++)
		fprintf(stderr, "line %d: %s\n", d.items[i].line, d.items[i].message);
	assert_int_equal(rc, 0);
	assert_non_null(r);
	wn_diagnostics_release(&d);
	return r;
}

/* The problems a text has, as "LINE: message" lines. */
static char *problems_n(const char *text, size_t n)
{
	struct wn_diagnostics d = { 0 };
	struct wn_rules *r = NULL;
	static char out[4096];
	size_t len = 0;

	assert_true(wn_rules_parse(&r, "t.rules", text, n, &d) < 0);
	assert_null(r);
	out[0] = '\0';
	for (size_t i = 0; i < d.n; i++)
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%d: %s\n", d.items[i].line,
					d.items[i].message);
	wn_diagnostics_release(&d);
	return out;
}

static char *problems(const char *text)
{
	return problems_n(text, strlen(text));
}

static void test_example_file(void **state)
{
	static const char text[] =
		"# Eligibility rules\n"
		"\n"
		"exclude \"Not English or French\" if language !~ /^(eng|fre|fra|en|fr)$/i\n"
		"exclude \"Published before 2000\" if year < 2000   # the search's limit\n"
		"exclude \"Animal study\" if tiab ~ /\\b(rats?|mice)\\b/i and tiab !~ /\\bpatients?\\b/i\n"
		"highlight include /social prescri\\w*|link workers?/i\r\n"
		"highlight exclude /\\b(trial protocol|conference abstract)\\b/i\n";
	struct wn_rules *r;
	const struct wn_rule_info *info;

	(void)state;
	r = parse_ok(text);
	assert_int_equal(wn_rules_count(r), 5);
	info = wn_rules_get(r, 0);
	assert_int_equal(info->line, 3);
	assert_int_equal(info->action, WN_RULE_EXCLUDE);
	assert_string_equal(info->label, "Not English or French");
	assert_string_equal(info->expression, "language !~ /^(eng|fre|fra|en|fr)$/i");
	/* the comment after a rule is not part of it */
	assert_string_equal(wn_rules_get(r, 1)->expression, "year < 2000");
	info = wn_rules_get(r, 3);
	assert_int_equal(info->line, 6);
	assert_int_equal(info->action, WN_RULE_HIGHLIGHT_INCLUDE);
	assert_null(info->label);
	assert_string_equal(info->expression, "/social prescri\\w*|link workers?/i");
	assert_int_equal(wn_rules_get(r, 4)->action, WN_RULE_HIGHLIGHT_EXCLUDE);
	assert_int_equal(strlen(wn_rules_sha256(r)), 64);
	/* the fields its rules read (tiab reads the title and the abstract) */
	assert_true(wn_rules_use(r, "language"));
	assert_true(wn_rules_use(r, "title"));
	assert_true(wn_rules_use(r, "abstract"));
	assert_false(wn_rules_use(r, "keywords"));
	assert_false(wn_rules_use(r, "authors"));
	assert_false(wn_rules_use(r, "nonsense"));
	wn_rules_free(r);
}

static void test_problems_name_line_and_column(void **state)
{
	(void)state;
	/* every line's problem, each at its line and column */
	assert_string_equal(problems("exclude \"Old\" if yeer < 2000\n"
				     "\n"
				     "exclude \"Bad\" if title ~ /(unclosed/\n"
				     "exclude \"Year\" if year ~ /19/\n"),
			    "1: column 18: unknown field 'yeer' (fields: title, abstract, tiab, "
			    "keywords, mesh, pubtype, language, journal, authors, year, doi, source)\n"
			    "3: column 36: bad pattern: missing closing parenthesis\n"
			    "4: column 24: year is a number: compare it with <, <=, >, >=, = or !=\n");
	assert_string_equal(problems("exclude \"No quote if year < 2000\n"),
			    "1: column 9: the reason for excluding has no closing double quote\n");
	assert_string_equal(problems("exclude Old if year < 2000\n"),
			    "1: column 9: expected the reason for excluding in double quotes\n");
	assert_string_equal(problems("exclude \"x\" when year < 2000\n"),
			    "1: column 13: expected 'if' and a condition after the reason\n");
	assert_string_equal(problems("exclude \"x\" if title < 3\n"),
			    "1: column 22: title is text: compare it with ~, !~, = or !=\n");
	assert_string_equal(problems("exclude \"x\" if title ~ /a/q\n"),
			    "1: column 27: unknown pattern flag 'q' (flags: i, m, s, x)\n");
	assert_string_equal(problems("exclude \"x\" if title ~ /a/ abstract ~ /b/\n"),
			    "1: column 28: unexpected text after the rule (join conditions with "
			    "'and' or 'or'; comments start with #)\n");
	assert_string_equal(problems("exclude \"x\" if (title ~ /a/ or year < 3\n"),
			    "1: column 16: this parenthesis is not closed\n");
	assert_string_equal(problems("include \"x\" if year < 2000\n"),
			    "1: column 1: a rule starts with 'exclude' or 'highlight'\n");
	assert_string_equal(problems("highlight maybe /x/\n"),
			    "1: column 11: expected 'include' or 'exclude' after 'highlight'\n");
	assert_string_equal(problems("exclude \"\" if year < 2000\n"),
			    "1: column 11: the reason for excluding is empty\n");
	/* a byte order mark is not a column */
	assert_string_equal(problems("\xef\xbb\xbf" "exclude \"a\" if yeer < 2000\n"),
			    "1: column 16: unknown field 'yeer' (fields: title, abstract, tiab, "
			    "keywords, mesh, pubtype, language, journal, authors, year, doi, source)\n");
	{
		/* evaluation recurses once per and/or: a rule has a bound */
		char rule[8192];
		size_t len = (size_t)snprintf(rule, sizeof(rule), "exclude \"x\" if year = 1");

		for (int i = 0; i < 256; i++)
			len += (size_t)snprintf(rule + len, sizeof(rule) - len, " or year = 1");
		assert_string_equal(problems(rule),
				    "1: column 3088: a rule joins at most 256 tests; split it into "
				    "several rules\n");
	}
	assert_string_equal(problems("# only a comment\n\n"),
			    "0: no rules: the file has only comments and blank lines\n");
	assert_string_equal(problems_n("exclude \"x\" if year < 2000\0\n", 28),
			    "0: the file holds NUL bytes: it is not a text file\n");
}

static int excludes(const char *rule, const struct wn_rule_fields *f)
{
	struct wn_rules *r = parse_ok(rule);
	int m = wn_rules_match(r, 0, f);

	wn_rules_free(r);
	return m;
}

static void test_fields_and_operators(void **state)
{
	static const char *const authors[] = { "Hartley, R. J.", "Okafor, N." };
	static const char *const pubtypes[] = { "Journal Article", "Editorial" };
	static const char *const eng[] = { "eng" };
	static const char *const ger_eng[] = { "ger", "eng" };
	struct wn_rule_fields f = {
		.title = "Link workers and loneliness", .abstract = "Interviews with 20 patients.",
		.journal = "BMJ Open", .doi = "10.1136/bmjopen-2020-1", .source = "medline",
		.year = 2020, .authors = authors, .nauthors = 2, .pubtypes = pubtypes,
		.npubtypes = 2, .languages = eng, .nlanguages = 1,
	};

	(void)state;
	assert_true(excludes("exclude \"x\" if year >= 2020", &f));
	assert_false(excludes("exclude \"x\" if year < 2020", &f));
	assert_true(excludes("exclude \"x\" if year != 1999 and year <= 2020 and year > 2019", &f));
	assert_true(excludes("exclude \"x\" if journal = \"BMJ Open\"", &f));
	assert_false(excludes("exclude \"x\" if journal != \"BMJ Open\"", &f));
	assert_true(excludes("exclude \"x\" if doi ~ /^10\\.1136\\//", &f));
	assert_true(excludes("exclude \"x\" if source ~ /medline/", &f));
	/* tiab: the title or the abstract */
	assert_true(excludes("exclude \"x\" if tiab ~ /patients/", &f));
	assert_true(excludes("exclude \"x\" if tiab ~ /link/i", &f));
	assert_false(excludes("exclude \"x\" if tiab !~ /patients/", &f));
	/* a list matches when any of its values does; !~ when none does */
	assert_true(excludes("exclude \"x\" if pubtype ~ /^editorial$/i", &f));
	assert_false(excludes("exclude \"x\" if pubtype !~ /^editorial$/i", &f));
	assert_true(excludes("exclude \"x\" if authors ~ /^Okafor/", &f));
	assert_true(excludes("exclude \"x\" if authors = \"Okafor, N.\"", &f));
	assert_false(excludes("exclude \"x\" if language !~ /^(eng|fre)$/", &f));
	f.languages = ger_eng;
	f.nlanguages = 2;
	assert_false(excludes("exclude \"x\" if language !~ /^(eng|fre)$/", &f));
	/* and binds tighter than or; not and parentheses */
	assert_true(excludes("exclude \"x\" if year < 2000 or year > 2019 and journal ~ /BMJ/", &f));
	assert_false(excludes("exclude \"x\" if (year < 2000 or year > 2019) and journal ~ /Lancet/", &f));
	assert_true(excludes("exclude \"x\" if not journal ~ /Lancet/", &f));
	assert_true(excludes("exclude \"x\" if title is not missing and keywords is missing", &f));
	/* words are case-blind; field names too */
	assert_true(excludes("EXCLUDE \"x\" IF Year > 2000 AND NOT Title ~ /rats/", &f));
}

/* Missing data is not evidence: a test of a field the record lacks is
 * unknown, and only a true condition excludes. */
static void test_missing_fields_never_exclude(void **state)
{
	struct wn_rule_fields none = { 0 };
	struct wn_rule_fields f = { .title = "Loneliness in mice", .year = 2019 };

	(void)state;
	assert_false(excludes("exclude \"x\" if language !~ /^eng$/", &none));
	assert_false(excludes("exclude \"x\" if year < 2000", &none));
	assert_false(excludes("exclude \"x\" if not year >= 2000", &none));
	assert_false(excludes("exclude \"x\" if pubtype !~ /article/i", &none));
	assert_false(excludes("exclude \"x\" if tiab !~ /loneliness/", &none));
	assert_false(excludes("exclude \"x\" if journal != \"BMJ\"", &none));
	/* unknown and true is unknown; unknown or true is true */
	assert_false(excludes("exclude \"x\" if tiab ~ /mice/ and abstract !~ /patients/", &f));
	assert_true(excludes("exclude \"x\" if tiab ~ /mice/ and abstract is missing", &f));
	assert_true(excludes("exclude \"x\" if abstract !~ /patients/ or tiab ~ /mice/", &f));
	/* unknown and false is false: no exclusion either way */
	assert_false(excludes("exclude \"x\" if abstract ~ /x/ and year < 2000", &f));
	assert_true(excludes("exclude \"x\" if abstract is missing", &f));
	assert_false(excludes("exclude \"x\" if abstract is not missing", &f));
	assert_true(excludes("exclude \"x\" if year is not missing", &f));
	/* tiab with no abstract: what the abstract might say is unknown */
	assert_false(excludes("exclude \"x\" if tiab !~ /social/", &f));
	assert_false(excludes("exclude \"x\" if not tiab ~ /social/", &f));
	assert_false(excludes("exclude \"Animal study\" if tiab ~ /\\b(rats?|mice)\\b/i and "
			      "tiab !~ /\\bpatients?\\b/i", &f));
	assert_true(excludes("exclude \"x\" if tiab ~ /mice/", &f));
}

/* A pattern that could not be tried (a match limit reached) says
 * nothing: neither ~ nor !~ holds. */
static void test_failed_match_is_unknown(void **state)
{
	static char text[64];
	struct wn_rule_fields f = { .title = "t", .abstract = text };

	(void)state;
	memset(text, 'a', 40);
	text[40] = 'b';
	assert_false(excludes("exclude \"x\" if abstract ~ /^(a+)+$/", &f));
	assert_false(excludes("exclude \"x\" if abstract !~ /^(a+)+$/", &f));
	assert_true(excludes("exclude \"x\" if abstract !~ /^a+$/", &f));
}

static void test_patterns_are_unicode(void **state)
{
	struct wn_rule_fields f = { .title = "Prescription sociale : une ÉTUDE qualitative",
				    .abstract = "Bad bytes \xff\xfe then rats." };
	struct wn_rules *r;

	(void)state;
	assert_true(excludes("exclude \"x\" if title ~ /étude/i", &f));
	assert_true(excludes("exclude \"x\" if title ~ /^\\w+ \\w+ : une \\w+ qualitative$/", &f));
	/* invalid UTF-8 in a record is no error: what is valid still matches */
	assert_true(excludes("exclude \"x\" if abstract ~ /\\brats\\b/", &f));
	/* a slash inside a pattern is written \/ */
	f.doi = "10.1000/abc";
	assert_true(excludes("exclude \"x\" if doi ~ /^10\\.1000\\/abc$/", &f));
	/* highlights look at the title and abstract */
	r = parse_ok("highlight include /qualitative/\nhighlight exclude /\\bmice\\b/\n");
	assert_true(wn_rules_match(r, 0, &f));
	assert_false(wn_rules_match(r, 1, &f));
	wn_rules_free(r);
}

static void test_language_codes(void **state)
{
	(void)state;
	assert_string_equal(wn_language_code("English", 7), "eng");
	assert_string_equal(wn_language_code(" french. ", 9), "fre");
	assert_string_equal(wn_language_code("GERMAN", 6), "ger");
	assert_null(wn_language_code("eng", 3));
	assert_null(wn_language_code("Klingon", 7));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_file),
		cmocka_unit_test(test_problems_name_line_and_column),
		cmocka_unit_test(test_fields_and_operators),
		cmocka_unit_test(test_missing_fields_never_exclude),
		cmocka_unit_test(test_failed_match_is_unknown),
		cmocka_unit_test(test_patterns_are_unicode),
		cmocka_unit_test(test_language_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
