/* Appraisal instruments as data: the three shipped checklists parse as
 * their published forms have them, and every mistake in a team's own file
 * is named with its line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util.h"
#include "winnow/appraisal.h"

static int parse_file(const char *path, struct wn_instrument *in, struct wn_diagnostics *d)
{
	char *text;
	size_t len;
	int rc;

	assert_int_equal(wn_read_file(path, 1 << 20, &text, &len), WN_OK);
	rc = wn_instrument_parse(in, text, len, d);
	free(text);
	return rc;
}

static void test_casp(void **state)
{
	struct wn_diagnostics d = { 0 };
	struct wn_instrument in;

	(void)state;
	assert_int_equal(parse_file("corpus/instruments/casp-qualitative.ini", &in, &d), WN_OK);
	assert_string_equal(in.name, "casp-qualitative");
	assert_int_equal(in.nitems, 10);
	assert_int_equal(in.ncategories, 0);
	assert_string_equal(in.tally, "Yes");
	/* Yes / Can't tell / No, with their keys, for every item but 10 */
	assert_int_equal(in.items[3].nanswers, 3);
	assert_string_equal(in.items[3].answers[1].label, "Can't tell");
	assert_int_equal(in.items[3].answers[1].key, 'c');
	assert_true(in.items[0].screening && in.items[1].screening && !in.items[2].screening);
	assert_true(in.items[9].free_text);
	assert_int_equal(in.items[9].nanswers, 0);
	assert_non_null(wn_instrument_item(&in, "10"));
	assert_null(wn_instrument_item(&in, "11"));
	wn_instrument_release(&in);
}

static void test_jbi(void **state)
{
	struct wn_diagnostics d = { 0 };
	struct wn_instrument in;

	(void)state;
	assert_int_equal(parse_file("corpus/instruments/jbi-qualitative.ini", &in, &d), WN_OK);
	assert_int_equal(in.nitems, 11); /* ten items and the overall appraisal */
	assert_int_equal(in.items[0].nanswers, 4);
	assert_string_equal(in.items[0].answers[3].label, "Not applicable");
	assert_true(in.items[10].overall);
	assert_string_equal(in.items[10].answers[2].label, "Seek further information");
	wn_instrument_release(&in);
}

static void test_mmat(void **state)
{
	struct wn_diagnostics d = { 0 };
	struct wn_instrument in;
	size_t asked = 0;

	(void)state;
	assert_int_equal(parse_file("corpus/instruments/mmat.ini", &in, &d), WN_OK);
	/* two screening questions, then five criteria for each of five designs */
	assert_int_equal(in.nitems, 27);
	assert_int_equal(in.ncategories, 5);
	assert_null(in.tally);
	assert_non_null(wn_instrument_category(&in, "rct"));
	assert_non_null(wn_instrument_category(&in, "Mixed methods"));
	for (size_t i = 0; i < in.nitems; i++)
		asked += wn_instrument_applies(&in.items[i], "qualitative");
	assert_int_equal(asked, 7);
	assert_false(wn_instrument_applies(wn_instrument_item(&in, "2.1"), "qualitative"));
	assert_true(wn_instrument_applies(wn_instrument_item(&in, "S1"), "rct"));
	wn_instrument_release(&in);
}

/* Each broken file gives its problem at the right line. */
static void expect_problem(const char *text, int line, const char *needle)
{
	struct wn_diagnostics d = { 0 };
	struct wn_instrument in;
	int found = 0;

	assert_int_equal(wn_instrument_parse(&in, text, strlen(text), &d), WN_EINVALID);
	for (size_t i = 0; i < d.n; i++)
		if (d.items[i].line == line && strstr(d.items[i].message, needle))
			found = 1;
	if (!found)
		fail_msg("expected '%s' at line %d; got '%s' at line %d", needle, line,
			 d.n ? d.items[0].message : "(none)", d.n ? d.items[0].line : -1);
	wn_instrument_release(&in);
	wn_diagnostics_release(&d);
}

#define HEAD "[instrument]\nname = mine\nversion = 1\ntitle = Mine\n"

static void test_problems(void **state)
{
	(void)state;
	expect_problem(HEAD "answers = y: Yes | n: No\n[item 1]\n", 6, "has no text");
	expect_problem(HEAD "answers = y: Yes\n[item 1]\ntext = Q\n", 5, "at least two answers");
	expect_problem(HEAD "answers = y: Yes | y: Yeah\n[item 1]\ntext = Q\n", 5, "repeats a key");
	expect_problem(HEAD "answers = Yes | No\n[item 1]\ntext = Q\n", 5, "key letter");
	expect_problem(HEAD "[item 1]\ntext = Q\n", 0, "has no answers");
	expect_problem(HEAD "answers = y: Yes | n: No\n[item 1]\ntext = Q\ncolour = red\n", 8,
		       "unknown key 'colour'");
	expect_problem(HEAD "answers = y: Yes | n: No\n[item 1]\ntext = Q\n[item 1]\ntext = R\n", 8,
		       "defined twice");
	expect_problem(HEAD "answers = y: Yes | n: No\n[item 1]\ntext = Q\ncategory = rct\n", 0,
		       "category 'rct'");
	expect_problem(HEAD "answers = y: Yes | n: No\ntally = Maybe\n[item 1]\ntext = Q\n", 0,
		       "tally 'Maybe'");
	expect_problem("[instrument]\nversion = 1\ntitle = T\nanswers = y: Yes | n: No\n[item 1]\ntext = Q\n",
		       0, "no name");
	expect_problem("name = x\n", 1, "outside a section");
	expect_problem(HEAD "answers = y: Yes | n: No\n[item 1]\ntext = Q\nscreening = perhaps\n", 8,
		       "yes or no");
	expect_problem(HEAD "answers = y: Yes | n: No\n[item 1]\ntext = Caf\xe9\n", 7, "UTF-8");
	expect_problem(HEAD "answers = y: Yes | n: No\n[thing]\n", 6, "unknown section");
	expect_problem(HEAD "answers = y: Yes | n: No\n", 0, "no items");
	expect_problem(HEAD "name = again\nanswers = y: Yes | n: No\n[item 1]\ntext = Q\n", 5,
		       "given twice");
}

/* A file with CRLF line ends and a byte-order mark, as a spreadsheet
 * user's editor writes it. */
static void test_crlf_bom(void **state)
{
	static const char text[] = "\xef\xbb\xbf[instrument]\r\nname = mine\r\nversion = 1\r\n"
		"title = Mine\r\nanswers = y: Yes | n: No\r\n[item A]\r\ntext = Q\r\n";
	struct wn_diagnostics d = { 0 };
	struct wn_instrument in;

	(void)state;
	assert_int_equal(wn_instrument_parse(&in, text, sizeof(text) - 1, &d), WN_OK);
	assert_string_equal(in.items[0].text, "Q");
	assert_string_equal(in.items[0].answers[1].label, "No");
	wn_instrument_release(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_casp),
		cmocka_unit_test(test_jbi),
		cmocka_unit_test(test_mmat),
		cmocka_unit_test(test_problems),
		cmocka_unit_test(test_crlf_bom),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
