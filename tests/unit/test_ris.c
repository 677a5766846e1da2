/*
 * RIS and PubMed nbib readers and the RIS writer: golden files per
 * dialect, the traps (ER inside an abstract, records without ER or TY,
 * headers between records), a round trip, and the real exports in
 * ../shared/data (exact record counts; skipped when absent).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "golden.h"
#include "winnow/format.h"

static void test_ris_dialects(void **state)
{
	static const char *const files[] = {
		"ris/scopus.ris", "ris/wos.ris", "ris/ovid.ris", "ris/ebsco.ris",
		"ris/endnote.ris", "ris/er-in-abstract.ris", "ris/malformed.ris",
		"ris/pubmed.ris", "ris/zotero.ris",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		golden_check_named("ris", files[i]);
	golden_check_named("nbib", "nbib/pubmed.nbib");
}

static void expect_dialect(const char *file, const char *dialect)
{
	struct golden_run g;
	const char *got = NULL;
	char *json;

	assert_int_equal(golden_parse(NULL, file, &json, &g, &got), 0);
	free(json);
	if (!dialect)
		assert_null(got);
	else if (!got || strcmp(got, dialect) != 0)
		fail_msg("%s: dialect %s, expected %s", file, got ? got : "(none)", dialect);
}

static void test_ris_dialect_detection(void **state)
{
	(void)state;
	expect_dialect("tests/golden/ris/scopus.ris", "scopus");
	expect_dialect("tests/golden/ris/wos.ris", "wos");
	expect_dialect("tests/golden/ris/ovid.ris", "ovid");
	expect_dialect("tests/golden/ris/ebsco.ris", "ebsco");
	expect_dialect("tests/golden/ris/endnote.ris", "endnote"); /* of Scopus records */
	expect_dialect("tests/golden/nbib/pubmed.nbib", "pubmed");
	expect_dialect("tests/golden/ris/pubmed.ris", "pubmed");
	expect_dialect("tests/golden/ris/zotero.ris", NULL);
}

/* A line starting "ER" inside an abstract continues it; the record ends
 * only at a real "ER  - " line. */
static void test_ris_er_in_abstract(void **state)
{
	struct golden_run g;
	char *json;

	(void)state;
	assert_int_equal(golden_parse("ris", "tests/golden/ris/er-in-abstract.ris", &json, &g,
				      NULL), 0);
	assert_int_equal(g.records, 1);
	assert_non_null(strstr(json, "ER visits rose among lonely adults.\\nERROR bars"));
	assert_non_null(strstr(json, "\\n\\nSecond paragraph."));
	/* Zotero-style DOI in M3 */
	assert_non_null(strstr(json, "\"doi\": \"10.5555/j.bbr.2019.112345\""));
	assert_int_equal(g.warnings_len, 0);
	free(json);
}

static void test_ris_malformed(void **state)
{
	struct golden_run g;
	char *json;

	(void)state;
	assert_int_equal(golden_parse("ris", "tests/golden/ris/malformed.ris", &json, &g,
				      NULL), 0);
	/* every record is kept, each problem named with its line */
	assert_int_equal(g.records, 4);
	assert_non_null(strstr(g.warnings, "2: record has no ER line; a new record starts at line 5"));
	assert_non_null(strstr(g.warnings, "9: record starts with AU, not TY"));
	assert_non_null(strstr(g.warnings, "12: last record has no ER line"));
	free(json);
}

static int stop_at_warning(void *ctx, long line, const char *message)
{
	(void)ctx;
	(void)line;
	(void)message;
	return -4;
}

/* Strict mode: the first warning stops the parse with the sink's status. */
static void test_ris_strict_stops(void **state)
{
	struct wn_input *in;
	struct wn_parser p;
	long n = 0;

	(void)state;
	assert_int_equal(wn_input_open_file(&in, "tests/golden/ris/malformed.ris"), 0);
	memset(&p, 0, sizeof(p));
	p.in = in;
	p.record = count_record;
	p.warning = stop_at_warning;
	p.ctx = &n;
	assert_int_equal(wn_format_parse(wn_format_find("ris"), &p), -4);
	assert_int_equal(n, 0);
	wn_input_close(in);
}

/* Writing RIS and reading it back gives the same records. */
static void round_trip(const char *format, const char *file)
{
	struct golden_run g1, g2;
	struct wn_input *in;
	struct wn_parser p;
	char *json1, *json2, *ris = NULL;
	size_t ris_len = 0;
	FILE *out;
	struct wn_writer *w;
	char tmp[] = "/tmp/winnow-rt-XXXXXX";
	int fd;

	/* first pass: the golden JSON; second: RIS, then re-read */
	assert_int_equal(golden_parse(format, file, &json1, &g1, NULL), 0);
	out = open_memstream(&ris, &ris_len);
	assert_int_equal(wn_writer_open(&w, "ris", out), 0);
	assert_int_equal(wn_input_open_file(&in, file), 0);
	memset(&p, 0, sizeof(p));
	p.in = in;
	p.record = golden_write_record;
	p.ctx = w;
	assert_int_equal(wn_format_parse(wn_format_find(format), &p), 0);
	wn_input_close(in);
	assert_int_equal(wn_writer_close(w), 0);
	fclose(out);
	fd = mkstemp(tmp);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, ris, ris_len), (ssize_t)ris_len);
	close(fd);
	assert_int_equal(golden_parse("ris", tmp, &json2, &g2, NULL), 0);
	unlink(tmp);
	assert_int_equal(g1.records, g2.records);
	golden_strip_lines(json1);
	golden_strip_lines(json2);
	if (strcmp(json1, json2) != 0) {
		FILE *a = fopen("/tmp/winnow-rt-first.json", "w"), *b = fopen("/tmp/winnow-rt-second.json", "w");

		fputs(json1, a);
		fputs(json2, b);
		fclose(a);
		fclose(b);
		if (system("diff -u /tmp/winnow-rt-first.json /tmp/winnow-rt-second.json >&2") != 0)
			fprintf(stderr, "--- RIS written:\n%s\n", ris);
		fail_msg("%s: RIS round trip changed the records", file);
	}
	free(ris);
	free(json1);
	free(json2);
}

static void test_ris_round_trip(void **state)
{
	(void)state;
	round_trip("ris", "tests/golden/ris/scopus.ris");
	round_trip("ris", "tests/golden/ris/ovid.ris");
	round_trip("ris", "tests/golden/ris/endnote.ris");
	round_trip("ris", "tests/golden/ris/er-in-abstract.ris");
	round_trip("ris", "tests/golden/ris/wos.ris");
	round_trip("ris", "tests/golden/ris/pubmed.ris");
	round_trip("ris", "tests/golden/ris/zotero.ris");
}

struct expected_count {
	const char *file;
	const char *format;
	long records;
};

static void test_real_exports(void **state)
{
	/* counts checked independently: TY (or PMID-) lines, a BOM included */
	static const struct expected_count files[] = {
		{ "citation-exports-asysd/scopus.ris", "ris", 10 },
		{ "citation-exports-asysd/wos_test.ris", "ris", 50 },
		{ "citation-exports-asysd/test_export.ris", "ris", 3 },
		{ "citation-exports-asysd/zotero_export.ris", "ris", 1000 },
		{ "citation-exports-revtools/restoration_scopus.ris", "ris", 286 },
		{ "citation-exports-revtools/avian_ecology_bibliography.ris", "ris", 20 },
		{ "citation-exports-synthesisr/scielo.ris", "ris", 38 },
		{ "van-de-schoot-2017-endnote-ris/schoot-lgmm-ptsd-included-1.ris", "ris", 363 },
		{ "van-de-schoot-2017-endnote-ris/schoot-lgmm-ptsd-included-2.ris", "ris", 38 },
		{ "van-de-schoot-2017-endnote-ris/schoot-lgmm-ptsd-included-3.ris", "ris", 8 },
		{ "ris-edgecases-rispy/example_bom.ris", "ris", 1 },
		{ "ris-edgecases-rispy/example_extraneous_data.ris", "ris", 2 },
		{ "ris-edgecases-rispy/example_multiline.ris", "ris", 3 },
		{ "ris-edgecases-rispy/example_urls.ris", "ris", 4 },
		{ "ris-edgecases-rispy/example_utf_chars.ris", "ris", 1 },
		{ "ris-edgecases-rispy/example_starting_newlines.ris", "ris", 1 },
		{ "citation-exports-revtools/restoration_pubmed.nbib", "nbib", 104 },
		{ "pubmed-psoas-abscess-292/citations.nbib", "nbib", 200 },
		{ "pubmed-psoas-abscess-292/citations_1.nbib", "nbib", 92 },
	};
	int found = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[1024];
		long records, warnings;
		const struct wn_format_info *detected;
		struct wn_input *in;

		if (!shared_data_path(files[i].file, path, sizeof(path)))
			continue;
		found++;
		/* detection agrees with the format we know it is */
		assert_int_equal(wn_input_open_file(&in, path), 0);
		detected = wn_format_detect(in);
		if (!detected || strcmp(detected->name, files[i].format) != 0)
			fail_msg("%s: detected as %s", files[i].file,
				 detected ? detected->name : "nothing");
		wn_input_close(in);
		assert_int_equal(count_records(files[i].format, path, &records, &warnings, NULL), 0);
		if (records != files[i].records)
			fail_msg("%s: %ld records, expected %ld", files[i].file, records,
				 files[i].records);
	}
	if (!found)
		skip();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ris_dialects),
		cmocka_unit_test(test_ris_dialect_detection),
		cmocka_unit_test(test_ris_er_in_abstract),
		cmocka_unit_test(test_ris_malformed),
		cmocka_unit_test(test_ris_strict_stops),
		cmocka_unit_test(test_ris_round_trip),
		cmocka_unit_test(test_real_exports),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
