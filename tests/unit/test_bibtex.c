/*
 * The BibTeX reader and writer: golden files for the dialects and the
 * LaTeX decoding, warnings on broken files, the round trip (read, write
 * BibTeX, read again: the same JSON), and counts and fields on real
 * exports (../shared/data, skipped when absent).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "golden.h"

#include <jansson.h>
#include <unistd.h>

#include "formats/formats_int.h"

#include "winnow/format.h"

#define GOLDEN "tests/golden/bibtex/"

static const char *const golden_names[] = {
	"latex", "structure", "authors", "wos", "scopus", "types", "broken",
};

static void test_golden(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(golden_names) / sizeof(golden_names[0]); i++) {
		char name[64];

		snprintf(name, sizeof(name), "bibtex/%s.bib", golden_names[i]);
		golden_check_named("bibtex", name);
	}
}

static void test_detect(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(golden_names) / sizeof(golden_names[0]); i++) {
		char in[256];
		struct wn_input *input;
		const struct wn_format_info *fmt;

		snprintf(in, sizeof(in), GOLDEN "%s.bib", golden_names[i]);
		assert_int_equal(wn_input_open_file(&input, in), 0);
		fmt = wn_format_detect(input);
		assert_non_null(fmt);
		assert_string_equal(fmt->name, "bibtex");
		wn_input_close(input);
	}
	assert_true(wn_sniff_bibtex("% comment\n\n@article{key,\n", 26) >= 90);
	assert_true(wn_sniff_bibtex("Scopus\nEXPORT DATE: 2019\n\n@ARTICLE{k,\n", 38) >= 80);
	assert_int_equal(wn_sniff_bibtex("TY  - JOUR\nER  -\n", 17), 0);
	assert_int_equal(wn_sniff_bibtex("mail me: a@b.com\n", 17), 0);
}

static void test_warnings_and_dialects(void **state)
{
	struct golden_run g;
	const char *dialect;
	char *json;

	(void)state;
	assert_int_equal(golden_parse("bibtex", GOLDEN "broken.bib", &json, &g, &dialect), 0);
	assert_int_equal(g.records, 7);
	assert_non_null(strstr(g.warnings, "2: missing ','"));
	assert_non_null(strstr(g.warnings, "3: @article bad at line 3"));
	assert_non_null(strstr(g.warnings, "5: @article unclosed is not closed before the entry at line 6"));
	assert_non_null(strstr(g.warnings, "6: undefined @string macro 'undefinedmacro'"));
	assert_non_null(strstr(g.warnings, "7: @article atend is not closed before the end"));
	free(json);

	assert_int_equal(golden_parse("bibtex", GOLDEN "wos.bib", &json, &g, &dialect), 0);
	assert_string_equal(dialect, "wos");
	free(json);
	assert_int_equal(golden_parse("bibtex", GOLDEN "scopus.bib", &json, &g, &dialect), 0);
	assert_string_equal(dialect, "scopus");
	free(json);
	assert_int_equal(golden_parse("bibtex", GOLDEN "authors.bib", &json, &g, &dialect), 0);
	assert_string_equal(dialect, "cochrane");
	free(json);
}

/* ---- parsing memory, writing BibTeX ---- */

struct collect {
	struct wn_writer *writer;
	long records;
	long warnings;
};

static int collect_record(void *ctx, struct wn_record *rec)
{
	struct collect *c = ctx;

	c->records++;
	return wn_writer_record(c->writer, rec, NULL);
}

static int collect_warning(void *ctx, long line, const char *message)
{
	struct collect *c = ctx;

	(void)line;
	(void)message;
	c->warnings++;
	return 0;
}

/* Parse text (or a file when path is set) with the bibtex reader and
 * write it in `format`; returns the output, *records gets the count. */
static char *convert(const char *path, const char *text, size_t len, const char *format,
		     long *records)
{
	struct wn_input *in = NULL;
	struct wn_parser p;
	struct collect c = { NULL, 0, 0 };
	char *out = NULL;
	size_t out_len = 0;
	FILE *fp = open_memstream(&out, &out_len);

	if (path)
		assert_int_equal(wn_input_open_file(&in, path), 0);
	else
		assert_int_equal(wn_input_open_memory(&in, text, len, "memory"), 0);
	assert_int_equal(wn_writer_open(&c.writer, format, fp), 0);
	memset(&p, 0, sizeof(p));
	p.in = in;
	p.record = collect_record;
	p.warning = collect_warning;
	p.ctx = &c;
	assert_int_equal(wn_format_parse(wn_format_find("bibtex"), &p), 0);
	assert_int_equal(wn_writer_close(c.writer), 0);
	fclose(fp);
	wn_input_close(in);
	if (records)
		*records = c.records;
	return out;
}

/* The JSON export without what cannot survive a rewrite: the line of
 * each record, and (with keys_too) citation keys that had to be made. */
static json_t *comparable(const char *json_text, int keys_too)
{
	json_t *a = json_loads(json_text, 0, NULL), *r;
	size_t i;

	assert_non_null(a);
	json_array_foreach(a, i, r) {
		json_object_set_new(json_object_get(r, "origin"), "line", json_null());
		if (keys_too)
			json_object_del(json_object_get(r, "extra"), "bibtex-key");
	}
	return a;
}

/* read -> JSON; read -> BibTeX -> read -> JSON: equal. */
static void check_round_trip(const char *path, int keys_too)
{
	long n1, n2, n3;
	char *json1 = convert(path, NULL, 0, "json", &n1);
	char *bib = convert(path, NULL, 0, "bibtex", &n2);
	char *json2 = convert(NULL, bib, strlen(bib), "json", &n3);
	json_t *a = comparable(json1, keys_too), *b = comparable(json2, keys_too);

	assert_int_equal(n1, n2);
	assert_int_equal(n1, n3);
	if (!json_equal(a, b)) {
		FILE *f = fopen("build/bibtex-roundtrip.bib", "w");

		if (f) {
			fputs(bib, f);
			fclose(f);
		}
		for (size_t i = 0; i < json_array_size(a); i++) {
			json_t *x = json_array_get(a, i), *y = json_array_get(b, i);

			if (!json_equal(x, y)) {
				char *sx = json_dumps(x, JSON_COMPACT), *sy = json_dumps(y, JSON_COMPACT);

				print_message("first:  %s\nsecond: %s\n", sx, sy);
				free(sx);
				free(sy);
				break;
			}
		}
		fail_msg("%s: the BibTeX export does not read back the same", path);
	}
	json_decref(a);
	json_decref(b);
	free(json1);
	free(json2);
	free(bib);
}

static void test_round_trip_golden(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(golden_names) / sizeof(golden_names[0]); i++) {
		char in[256];

		snprintf(in, sizeof(in), GOLDEN "%s.bib", golden_names[i]);
		check_round_trip(in, 0);
	}
}

/* Text that needs escaping comes back as it was. */
static void test_writer_escapes(void **state)
{
	static const char input[] =
		"@article{k1,\n"
		"  author = {{Unbalanced \\textbraceleft{} Group} and O'Neil, Dan and Sand, Andy},\n"
		"  title = {Back\\textbackslash{}slash, \\textbraceright{} brace, a--b, ``q'', ~, ^, @x},\n"
		"  abstract = {Line one\n{@}article{not, an entry}\nline three},\n"
		"  keywords = {one, with comma},\n"
		"  year = 2000,\n"
		"}\n"
		"@article{k1, title = {Same key}, keywords = {{only, one}}}\n";
	long n;
	char *bib = convert(NULL, input, sizeof(input) - 1, "bibtex", &n);
	char *json1 = convert(NULL, input, sizeof(input) - 1, "json", NULL);
	char *json2 = convert(NULL, bib, strlen(bib), "json", NULL);
	json_t *a = comparable(json1, 1), *b = comparable(json2, 1);

	(void)state;
	assert_int_equal(n, 2);
	assert_non_null(strstr(bib, "@article{k1,"));
	assert_non_null(strstr(bib, "@article{anon-2,") ? strstr(bib, "@article{anon-2,")
							   : strstr(bib, "@article{anon,"));
	assert_non_null(strstr(bib, "{Unbalanced \\textbraceleft{} Group}"));
	assert_non_null(strstr(bib, "Back\\textbackslash{}slash"));
	assert_non_null(strstr(bib, "\n{@}articlenot"));
	if (!json_equal(a, b)) {
		print_message("%s\n%s\n%s\n", bib, json1, json2);
		fail_msg("escaped text does not read back the same");
	}
	json_decref(a);
	json_decref(b);
	free(bib);
	free(json1);
	free(json2);
}

/* ---- real exports ---- */

static const char *shared(const char *rel, char *buf, size_t cap)
{
	return shared_data_path(rel, buf, cap) ? buf : NULL;
}

struct real_file {
	const char *path;
	long records;
	const char *dialect;
};

/* Counts checked by hand: grep -c '^@' (none of these files has @string,
 * @comment or @preamble, and no '@' starts a line inside a value). */
static const struct real_file real_files[] = {
	{ "pubmed-psoas-abscess-292/cochrane_cdsr.bib", 56, "cochrane" },
	{ "sr-search-replication-pubmed-scopus/scopus.bib", 10, "scopus" },
	{ "sr-search-replication-pubmed-scopus/scholar.bib", 13, NULL },
	{ "sr-search-replication-pubmed-scopus/konsgen2020.bib", 1, NULL },
	{ "citation-exports-asysd/zotero_export.bib", 1000, NULL },
	{ "citation-exports-asysd/test_export.bib", 3, NULL },
	{ "citation-exports-litsearchr/borealis_final_scopus.bib", 1115, "scopus" },
	{ "citation-exports-litsearchr/borealis_final_wos_corecollection_2.bib", 460, "wos" },
	{ "crossref-responses/crossref.bib", 1, NULL },
	{ "jabref-importer-fixtures/BibtexImporter.examples.bib", 4, NULL },
};

static json_t *parse_real(const char *path, long *records, long *warnings, const char **dialect)
{
	struct golden_run g;
	char *json;
	json_t *a;

	assert_int_equal(golden_parse("bibtex", path, &json, &g, dialect), 0);
	*records = g.records;
	*warnings = 0;
	for (size_t i = 0; i < g.warnings_len; i++)
		*warnings += g.warnings[i] == '\n';
	a = json_loads(json, 0, NULL);
	free(json);
	assert_non_null(a);
	return a;
}

static const char *str(json_t *rec, const char *key)
{
	return json_string_value(json_object_get(rec, key));
}

static void test_real_counts(void **state)
{
	char buf[1024];
	int found = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(real_files) / sizeof(real_files[0]); i++) {
		const char *path = shared(real_files[i].path, buf, sizeof(buf)), *dialect;
		long records, warnings;
		json_t *a;

		if (!path)
			continue;
		found++;
		a = parse_real(path, &records, &warnings, &dialect);
		if (records != real_files[i].records)
			fail_msg("%s: %ld records, expected %ld", path, records, real_files[i].records);
		if (real_files[i].dialect)
			assert_string_equal(dialect ? dialect : "(none)", real_files[i].dialect);
		/* two Scopus records have a '{' too many in the abstract */
		if (strstr(path, "borealis_final_scopus"))
			assert_int_equal(warnings, 2);
		else if (!strstr(path, "examples"))
			assert_int_equal(warnings, 0);
		json_decref(a);
	}
	if (!found)
		skip();
}

static void test_real_fields(void **state)
{
	char buf[1024];
	const char *path, *dialect;
	long n, w;
	json_t *a, *r;

	(void)state;
	path = shared("pubmed-psoas-abscess-292/cochrane_cdsr.bib", buf, sizeof(buf));
	if (!path)
		skip();
	a = parse_real(path, &n, &w, &dialect);
	r = json_array_get(a, 0);
	assert_string_equal(str(r, "doi"), "10.1002/14651858.cd011193.pub2");
	assert_int_equal(json_integer_value(json_object_get(r, "year")), 2016);
	assert_int_equal(json_array_size(json_object_get(r, "authors")), 9);
	assert_string_equal(json_string_value(json_array_get(json_object_get(r, "authors"), 4)),
			    "Iheozor‐Ejiofor, Z");
	assert_string_equal(json_string_value(json_array_get(json_object_get(r, "keywords"), 3)),
			    "Anus Diseases [etiology, *therapy]");
	/* a key with a space in it */
	r = json_array_get(a, 20);
	assert_string_equal(json_string_value(json_object_get(json_object_get(r, "extra"), "bibtex-key")),
			    "Alves Galvão14");
	assert_string_equal(json_string_value(json_array_get(json_object_get(r, "authors"), 0)),
			    "Alves Galvão, MG");
	json_decref(a);

	path = shared("citation-exports-litsearchr/borealis_final_wos_corecollection_2.bib", buf,
		      sizeof(buf));
	if (path) {
		a = parse_real(path, &n, &w, &dialect);
		r = json_array_get(a, 0);
		assert_string_equal(str(r, "source_id"), "ISI:000284016600001");
		assert_string_equal(str(r, "title"), "Fire Frequency Affects Structure and "
						     "Composition of Xeric Forests of Eastern Oklahoma");
		assert_string_equal(str(r, "doi"), "10.3375/043.030.0401");
		assert_string_equal(str(r, "date"), "2010 OCT");
		assert_string_equal(str(r, "journal_abbrev"), "Nat. Areas J.");
		assert_string_equal(json_string_value(json_array_get(json_object_get(r, "keywords"), 0)),
				    "forest dynamics");
		json_decref(a);
	}

	path = shared("citation-exports-asysd/zotero_export.bib", buf, sizeof(buf));
	if (path) {
		a = parse_real(path, &n, &w, &dialect);
		r = json_array_get(a, 0);
		assert_string_equal(str(r, "title"), "Microangiography of the humeral condyle in "
						     "Cocker Spaniel and non-Cocker Spaniel dogs");
		assert_string_equal(str(r, "date"), "1999 Aug");
		assert_string_equal(str(r, "pages"), "134-137");
		assert_string_equal(json_string_value(json_array_get(json_object_get(r, "authors"), 0)),
				    "Larsen, LJ");
		/* Zotero keeps paragraph breaks in abstracts */
		assert_non_null(strchr(str(r, "abstract"), '\n'));
		json_decref(a);
	}

	path = shared("sr-search-replication-pubmed-scopus/scopus.bib", buf, sizeof(buf));
	if (path) {
		a = parse_real(path, &n, &w, &dialect);
		r = json_array_get(a, 0);
		assert_string_equal(str(r, "doi"), "10.1111/ene.13758");
		assert_string_equal(json_string_value(json_array_get(json_object_get(r, "authors"), 0)),
				    "Bui, K.T.A.");
		assert_string_equal(str(r, "pages"), "1477-1485");
		assert_string_equal(json_string_value(json_object_get(json_object_get(r, "extra"),
								      "document_type")),
				    "Article");
		json_decref(a);
	}
}

static void test_real_round_trip(void **state)
{
	char buf[1024];
	int found = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(real_files) / sizeof(real_files[0]); i++) {
		const char *path = shared(real_files[i].path, buf, sizeof(buf));

		if (!path)
			continue;
		found++;
		/* keys with spaces, repeated keys and missing keys are made anew */
		check_round_trip(path, 1);
	}
	if (!found)
		skip();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_warnings_and_dialects),
		cmocka_unit_test(test_round_trip_golden),
		cmocka_unit_test(test_writer_escapes),
		cmocka_unit_test(test_real_counts),
		cmocka_unit_test(test_real_fields),
		cmocka_unit_test(test_real_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
