/* Parsing, checking and storing the review protocol. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "helpers.h"
#include "store_int.h"
#include "winnow/protocol.h"

static const char good[] =
	"# a comment\n"
	"[review]\n"
	"title = Social prescribing and loneliness\n"
	"question = Do people perceive benefits\n"
	"    for loneliness?\n"
	"languages = eng, fre\n"
	"\n"
	"[stage title-abstract]\n"
	"reviewers = 2\n"
	"reason = Not social prescribing\n"
	"reason = Not qualitative\n"
	"\n"
	"[stage full-text]\n"
	"reviewers = 3\n"
	"\n"
	"[database medline]\n"
	"name = MEDLINE\n"
	"searched = 2021-04-12\n"
	"query = 1. exp Loneliness/\n"
	"    #2 lonel*.tw.\n"
	"; another comment\n";

static void test_parse_good(void **state)
{
	struct wn_diagnostics d = { 0 };
	struct wn_protocol p;

	(void)state;
	assert_int_equal(wn_protocol_parse(&p, "p.ini", good, sizeof(good) - 1, &d), WN_OK);
	assert_int_equal(d.n, 0);
	assert_string_equal(p.title, "Social prescribing and loneliness");
	/* continuation lines join with a newline; an indented '#' is text */
	assert_string_equal(p.question, "Do people perceive benefits\nfor loneliness?");
	assert_string_equal(wn_protocol_get(&p, "database", "medline", "query"),
			    "1. exp Loneliness/\n#2 lonel*.tw.");
	assert_int_equal(p.nstages, 2);
	assert_false(p.stages_defaulted);
	assert_string_equal(p.stages[0].name, "title-abstract");
	assert_int_equal(p.stages[0].reviewers, 2);
	assert_int_equal(p.stages[0].reasons.n, 2);
	assert_string_equal(p.stages[0].reasons.items[1], "Not qualitative");
	assert_string_equal(p.stages[1].name, "full-text");
	assert_int_equal(p.stages[1].reviewers, 3);
	assert_int_equal(strlen(p.sha256), 64);
	wn_protocol_release(&p);
}

static void test_crlf_bom_and_defaults(void **state)
{
	static const char text[] = "\xef\xbb\xbf[review]\r\ntitle = T\r\nquestion = Q\r\n";
	struct wn_diagnostics d = { 0 };
	struct wn_protocol p;

	(void)state;
	assert_int_equal(wn_protocol_parse(&p, "p.ini", text, sizeof(text) - 1, &d), WN_OK);
	assert_string_equal(p.title, "T");
	assert_string_equal(p.question, "Q");
	/* no stages defined: the usual two, each in pairs */
	assert_true(p.stages_defaulted);
	assert_int_equal(p.nstages, 2);
	assert_string_equal(p.stages[0].name, "title-abstract");
	assert_int_equal(p.stages[1].reviewers, 2);
	/* the stored text and hash are the file's bytes, BOM included */
	assert_int_equal(p.text_len, sizeof(text) - 1);
	assert_memory_equal(p.text, text, sizeof(text) - 1);
	wn_protocol_release(&p);
}

struct bad_case {
	const char *text;
	int line;
	const char *message;
};

static void test_problems_have_lines(void **state)
{
	static const struct bad_case cases[] = {
		{ "[review]\ntitle = T\nquestion = Q\n[reveiw]\n", 4, "did you mean [review]" },
		{ "[review]\ntitle = T\nquestion = Q\n[stage ta]\nreviwers = 2\n", 5,
		  "did you mean 'reviewers'" },
		{ "[review]\ntitle = T\nquestion = Q\n[stage ta]\nreviewers = two\n", 5,
		  "whole number" },
		{ "[review]\ntitle = T\nquestion = Q\n[database x]\nname = X\nsearched = 2021-02-30\n", 6,
		  "YYYY-MM-DD" },
		{ "[review]\ntitle = T\nquestion = Q\nlanguages = english\n", 4, "ISO 639" },
		{ "[review]\ntitle = T\ntitle = U\nquestion = Q\n", 3, "already set on line 2" },
		{ "[review]\ntitle = T\nquestion = Q\n[review]\n", 4, "appears again (first on line 1)" },
		{ "title = T\n[review]\ntitle = T\nquestion = Q\n", 1, "outside any section" },
		{ "[review]\ntitle = T\n", 1, "needs 'question'" },
		{ "[eligibility]\ninclude = x\n", 0, "no [review] section" },
		{ "[review]\ntitle = T\nquestion = Q\n[rules]\nfile = /no/such/rules.txt\n", 5,
		  "does not exist" },
		{ "[review]\ntitle = T\nquestion = Q\n[rules]\nstage = screening\nfile = /dev/null\n", 0,
		  "" },
		{ "[review]\ntitle = T\nquestion = Q\njust words\n", 4, "expected 'key = value'" },
		{ "[review]\ntitle = T\xff\nquestion = Q\n", 2, "UTF-8" },
		{ "[review]\ntitle = T\nquestion = Q\n[stage Title]\n", 4, "lower-case" },
		{ "[review]\ntitle = T\nquestion = Q\n[stage]\n", 4, "needs a name" },
		{ "[review]\ntitle =\nquestion = Q\n", 2, "has no value" },
		{ "[review]\ntitle = T\nquestion = Q\n[database x]\nname = X\nvia = web\n", 6,
		  "website" },
		{ "[review]\ntitle = T\nquestion = Q\n[dedupe]\nsource_preference = medline, scopus\n"
		  "[database medline]\nname = MEDLINE\n", 5, "'scopus', which is not a [database NAME]" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct wn_diagnostics d = { 0 };
		struct wn_protocol p;
		int found = 0;

		assert_int_equal(wn_protocol_parse(&p, "p.ini", cases[i].text,
						   strlen(cases[i].text), &d),
				 WN_EINVALID);
		for (size_t j = 0; j < d.n; j++)
			found |= (cases[i].line == 0 || d.items[j].line == cases[i].line) &&
				 strstr(d.items[j].message, cases[i].message) != NULL;
		if (!found)
			fail_msg("case %zu: no problem '%s' on line %d (first: %d '%s')", i,
				 cases[i].message, cases[i].line, d.n ? d.items[0].line : -1,
				 d.n ? d.items[0].message : "none");
		wn_protocol_release(&p);
		wn_diagnostics_release(&d);
	}
}

static void test_all_problems_reported(void **state)
{
	static const char text[] = "[review]\ntitle = T\nquestion = Q\n[stage ta]\n"
				   "reviewers = 0\nblind = maybe\nbogus = 1\n";
	struct wn_diagnostics d = { 0 };
	struct wn_protocol p;

	(void)state;
	assert_int_equal(wn_protocol_parse(&p, "p.ini", text, sizeof(text) - 1, &d), WN_EINVALID);
	assert_int_equal(d.n, 3);
	assert_int_equal(d.items[0].line, 5);
	assert_int_equal(d.items[1].line, 6);
	assert_int_equal(d.items[2].line, 7);
	wn_protocol_release(&p);
	wn_diagnostics_release(&d);
}

static void test_store_versions(void **state)
{
	static const char v2[] = "[review]\ntitle = T2\nquestion = Q\n[stage only]\nreviewers = 1\n";
	struct wn_diagnostics d = { 0 };
	struct wn_protocol_version v;
	struct wn_protocol p1, p2;
	struct tmpdir t;
	struct wn_store *s;
	sqlite3_stmt *st;
	int version, unchanged;

	(void)state;
	tmpdir_make(&t);
	assert_int_equal(wn_store_create(&s, tmpdir_file(&t, "r.db"), WHO("t")), WN_OK);
	assert_int_equal(wn_protocol_load_version(s, 0, &v), WN_ENOTFOUND);

	assert_int_equal(wn_protocol_parse(&p1, "p.ini", good, sizeof(good) - 1, &d), WN_OK);
	assert_int_equal(wn_protocol_store(s, &p1, &version, &unchanged), WN_OK);
	assert_int_equal(version, 1);
	assert_false(unchanged);
	assert_int_equal(wn_protocol_store(s, &p1, &version, &unchanged), WN_OK);
	assert_int_equal(version, 1);
	assert_true(unchanged);

	assert_int_equal(wn_protocol_parse(&p2, "p2.ini", v2, sizeof(v2) - 1, &d), WN_OK);
	assert_int_equal(wn_protocol_store(s, &p2, &version, &unchanged), WN_OK);
	assert_int_equal(version, 2);

	/* the stage table follows the protocol in force */
	st = wn_store_prepare(s, "SELECT group_concat(name || ':' || reviewers_required) FROM stage");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal(wn_column_text(st, 0), "only:1");

	/* every version is kept verbatim */
	assert_int_equal(wn_protocol_load_version(s, 1, &v), WN_OK);
	assert_string_equal(v.text, good);
	assert_string_equal(v.sha256, p1.sha256);
	wn_protocol_version_release(&v);
	assert_int_equal(wn_protocol_load_version(s, 0, &v), WN_OK);
	assert_int_equal(v.id, 2);
	assert_string_equal(v.path, "p2.ini");
	wn_protocol_version_release(&v);
	assert_int_equal(wn_protocol_load_version(s, 7, &v), WN_ENOTFOUND);

	st = wn_store_prepare(s, "SELECT COUNT(*) FROM audit_log WHERE action = 'protocol.load'");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 2);

	/* once someone has screened at a stage, a protocol without it is refused */
	assert_int_equal(wn_store_begin(s), WN_OK);
	assert_int_equal(wn_store_exec(s, "INSERT INTO record(id, import_file_id, position, created_at)"
					  " VALUES (1, NULL, 1, 't')") < 0, 1);
	wn_store_rollback(s);
	assert_int_equal(wn_store_begin(s), WN_OK);
	assert_int_equal(wn_store_exec(s,
		"INSERT INTO import_file(id, path, sha256, size_bytes, format, database_name, imported_at)"
		" VALUES (1, 'f', 'h', 0, 'ris', 'X', 't');"
		"INSERT INTO record(id, import_file_id, position, created_at) VALUES (1, 1, 1, 't');"
		"INSERT INTO decision(record_id, stage, reviewer, kind, decision, made_at)"
		" VALUES (1, 'only', 'ann', 'human', 'include', 't')"), WN_OK);
	assert_int_equal(wn_store_commit(s), WN_OK);
	assert_int_equal(wn_protocol_store(s, &p1, &version, &unchanged), WN_EINVALID);
	assert_non_null(strstr(wn_error_last(), "stage 'only'"));
	assert_int_equal(wn_protocol_load_version(s, 0, &v), WN_OK);
	assert_int_equal(v.id, 2);
	wn_protocol_version_release(&v);

	wn_protocol_release(&p1);
	wn_protocol_release(&p2);
	wn_store_close(s);
	tmpdir_remove(&t);
}

static void test_example_protocol(void **state)
{
	struct wn_diagnostics d = { 0 };
	struct wn_protocol p;

	(void)state;
	assert_int_equal(wn_protocol_parse_file(&p, "corpus/social-prescribing/protocol.ini", &d),
			 WN_OK);
	assert_int_equal(p.nstages, 2);
	assert_string_equal(wn_protocol_get(&p, "review", NULL, "languages"), "eng, fre");
	assert_string_equal(wn_protocol_get(&p, "appraisal", NULL, "instrument"), "casp-qualitative");
	assert_string_equal(wn_protocol_get(&p, "database", "grey-literature", "via"), "website");
	assert_int_equal(p.ndatabases, 4);
	wn_protocol_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_crlf_bom_and_defaults),
		cmocka_unit_test(test_problems_have_lines),
		cmocka_unit_test(test_all_problems_reported),
		cmocka_unit_test(test_store_versions),
		cmocka_unit_test(test_example_protocol),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
