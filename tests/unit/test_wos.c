/*
 * Web of Science readers: tagged plain text and tab-delimited. Golden
 * files in tests/golden/wos and tests/golden/wos-tab; real exports from
 * ../shared/data (skipped when absent).
 */
#include <stdint.h>

#include "formats/formats_int.h"
#include "golden.h"

/* ---- helpers ---- */

struct pick {
	long want;      /* position to keep */
	long records;
	long warnings;
	char title[512];
	char doi[256];
	char author[256];
	char source_id[128];
	char type[64];
	int year;
	long line;
};

static int pick_record(void *ctx, struct wn_record *rec)
{
	struct pick *k = ctx;

	k->records++;
	if (rec->position == k->want) {
		snprintf(k->title, sizeof(k->title), "%s", rec->title ? rec->title : "");
		snprintf(k->doi, sizeof(k->doi), "%s", rec->doi ? rec->doi : "");
		snprintf(k->author, sizeof(k->author), "%s",
			 rec->authors.n ? rec->authors.items[0] : "");
		snprintf(k->source_id, sizeof(k->source_id), "%s",
			 rec->source_id ? rec->source_id : "");
		snprintf(k->type, sizeof(k->type), "%s", rec->type ? rec->type : "");
		k->year = rec->year;
		k->line = rec->line;
	}
	return 0;
}

static int pick_warning(void *ctx, long line, const char *message)
{
	struct pick *k = ctx;

	(void)line;
	(void)message;
	k->warnings++;
	return 0;
}

/* Parse a file, keeping record `want`. Returns the status; *dialect and
 * *format get what was found. -2 when the file is absent. */
static int pick_file(const char *path, const char *format, long want, struct pick *k,
		     const char **dialect, const char **detected)
{
	struct wn_input *in = NULL;
	const struct wn_format_info *fmt;
	struct wn_parser p;
	FILE *f = fopen(path, "rb");
	int rc;

	if (!f)
		return -2;
	fclose(f);
	memset(k, 0, sizeof(*k));
	k->want = want;
	assert_int_equal(wn_input_open_file(&in, path), 0);
	fmt = wn_format_detect(in);
	if (detected)
		*detected = fmt ? fmt->name : "(none)";
	if (format)
		fmt = wn_format_find(format);
	assert_non_null(fmt);
	memset(&p, 0, sizeof(p));
	p.in = in;
	p.record = pick_record;
	p.warning = pick_warning;
	p.ctx = k;
	rc = wn_format_parse(fmt, &p);
	if (dialect)
		*dialect = p.dialect;
	wn_input_close(in);
	return rc;
}

/* ---- golden files ---- */

static void test_golden_tagged(void **state)
{
	(void)state;
	golden_check("wos", "tests/golden/wos/core-fields.ciw", "tests/golden/wos/core-fields.json");
	golden_check("wos", "tests/golden/wos/missing-er.ciw", "tests/golden/wos/missing-er.json");
	golden_check("wos", "tests/golden/wos/other-databases.txt",
		     "tests/golden/wos/other-databases.json");
}

static void test_golden_tab(void **state)
{
	(void)state;
	golden_check("wos-tab", "tests/golden/wos-tab/core-crlf.txt",
		     "tests/golden/wos-tab/core-crlf.json");
	golden_check("wos-tab", "tests/golden/wos-tab/ragged-rows.txt",
		     "tests/golden/wos-tab/ragged-rows.json");
}

/* The same rows saved with CR only + BOM, and as UTF-16LE: one result. */
static void test_tab_encodings_agree(void **state)
{
	const char *files[] = {
		"tests/golden/wos-tab/core-cr-bom.txt",
		"tests/golden/wos-tab/core-utf16le.txt",
	};
	struct golden_run g;
	char *want, *json;

	(void)state;
	assert_int_equal(golden_parse("wos-tab", "tests/golden/wos-tab/core-crlf.txt", &want, &g,
				      NULL),
			 0);
	assert_int_equal(g.records, 2);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		assert_string_equal(detect_name(files[i]), "wos-tab");
		assert_int_equal(golden_parse(NULL, files[i], &json, &g, NULL), 0);
		assert_string_equal(json, want);
		free(json);
	}
	free(want);
}

static void test_detect(void **state)
{
	(void)state;
	assert_string_equal(detect_name("tests/golden/wos/core-fields.ciw"), "wos");
	assert_string_equal(detect_name("tests/golden/wos/missing-er.ciw"), "wos");
	assert_string_equal(detect_name("tests/golden/wos/other-databases.txt"), "wos");
	assert_string_equal(detect_name("tests/golden/wos-tab/core-crlf.txt"), "wos-tab");
	assert_string_equal(detect_name("tests/golden/wos-tab/ragged-rows.txt"), "wos-tab");
	assert_int_equal(wn_sniff_wos_tab("PT\tXX\tYY\n", 10), 0);
	assert_int_equal(wn_sniff_wos("TY  - JOUR\nER  - \n", 18), 0);
	assert_int_equal(wn_sniff_wos("PMID- 1\nPT  - Journal Article\n", 30), 0);
}

/* What the golden files show, asserted where a regression would hide. */
static void test_tagged_details(void **state)
{
	struct golden_run g;
	const char *dialect = NULL;
	char *json;

	(void)state;
	assert_int_equal(golden_parse("wos", "tests/golden/wos/core-fields.ciw", &json, &g,
				      &dialect),
			 0);
	assert_int_equal(g.records, 2);
	assert_int_equal(g.warnings_len, 0);
	assert_string_equal(dialect, "wos-core");
	/* an indented "   ER" is abstract text, not the end of the record */
	assert_non_null(strstr(json, "restored sites. ER is not an end tag when it is indented"));
	/* AF gives the authors, AU goes to extra; CA is a collective author */
	assert_non_null(strstr(json, "\"Smith, John A.\""));
	assert_non_null(strstr(json, "\"Restoration Study Group\""));
	assert_non_null(strstr(json, "\"pages\": \"2745-2756\""));
	assert_non_null(strstr(json, "\"type\": \"conference-paper\""));
	assert_non_null(strstr(json, "\"source_id\": \"WOS:000500000000001\""));
	assert_non_null(strstr(json, "\"date\": \"2019 DEC\""));
	/* C1: one address per line, a wrapped one joined */
	assert_non_null(strstr(json, "Example City, EX 12345 USA.\""));
	free(json);

	assert_int_equal(golden_parse("wos", "tests/golden/wos/missing-er.ciw", &json, &g, NULL),
			 0);
	assert_int_equal(g.records, 3);
	assert_non_null(strstr(g.warnings, "9: record from line 3 has no ER before this PT"));
	assert_non_null(strstr(g.warnings, "record from line 19 has no ER at the end of the file"));
	free(json);

	assert_int_equal(golden_parse("wos-tab", "tests/golden/wos-tab/ragged-rows.txt", &json, &g,
				      NULL),
			 0);
	assert_int_equal(g.records, 2);
	assert_non_null(strstr(g.warnings, "2: row has 4 cells, the header 26"));
	assert_non_null(strstr(g.warnings, "4: row has 1 more cells than the header"));
	free(json);
}

static int stop_warning(void *ctx, long line, const char *message)
{
	(void)ctx;
	(void)line;
	(void)message;
	return 7;
}

/* Strict mode: the first warning's non-zero return ends the parse. */
static void test_strict_stops(void **state)
{
	struct wn_input *in = NULL;
	struct wn_parser p;
	static const char text[] = "FN x\nVR 1.0\nPT J\nTI a\nPT J\nTI b\nER\nEF\n";

	(void)state;
	assert_int_equal(wn_input_open_memory(&in, text, sizeof(text) - 1, "strict"), 0);
	memset(&p, 0, sizeof(p));
	p.in = in;
	p.warning = stop_warning;
	assert_int_equal(wn_format_parse(wn_format_find("wos"), &p), 7);
	assert_int_equal(p.records, 0);
	wn_input_close(in);
}

static void test_not_wos(void **state)
{
	struct wn_input *in = NULL;
	struct wn_parser p;
	static const char junk[] = " ##\n";
	static const char empty_export[] = "FN Clarivate Analytics Web of Science\nVR 1.0\nEF\n";
	static const char tab[] = "TI\tAU\nx\ty\n";

	(void)state;
	assert_int_equal(wn_input_open_memory(&in, junk, sizeof(junk) - 1, "junk"), 0);
	memset(&p, 0, sizeof(p));
	p.in = in;
	assert_true(wn_format_parse(wn_format_find("wos"), &p) < 0);
	assert_non_null(strstr(wn_error_last(), "junk:"));
	wn_input_close(in);

	assert_int_equal(wn_input_open_memory(&in, empty_export, sizeof(empty_export) - 1, "e"), 0);
	memset(&p, 0, sizeof(p));
	p.in = in;
	assert_int_equal(wn_format_parse(wn_format_find("wos"), &p), 0);
	assert_int_equal(p.records, 0);
	wn_input_close(in);

	assert_int_equal(wn_input_open_memory(&in, tab, sizeof(tab) - 1, "tab"), 0);
	memset(&p, 0, sizeof(p));
	p.in = in;
	assert_true(wn_format_parse(wn_format_find("wos-tab"), &p) < 0);
	wn_input_close(in);
}

/* ---- real exports ---- */

struct real_file {
	const char *path;
	const char *format;
	long records;
	const char *dialect;
	/* one record, spot-checked */
	long pos;
	const char *first_author;
	const char *doi;
	int year;
	const char *title_start;
	const char *source_id;
};

static const struct real_file real_files[] = {
	{ "citation-exports-revtools/restoration_WoS.ciw", "wos", 247, "wos-core", 1,
	  "Alvarez-Manzaneda, I.", "10.1016/j.scitotenv.2018.11.375", 2019,
	  "Do magnetic phosphorus adsorbents", "WOS:000455039600059" },
	{ "citation-exports-revtools/restoration_WoS.ciw", "wos", 247, "wos-core", 247, NULL,
	  NULL, 2018, NULL, "WOS:000451039805163" },
	{ "citation-exports-litsearchr/zoorec_bbwo_wos_plaintext.txt", "wos", 134,
	  "zoological-record", 1, "Stillman, Andrew N.", "", 2019,
	  "Nest site selection and nest survival of Black-backed Woodpeckers after wildfire.",
	  "ZOOREC:ZOOR15512090342" },
	{ "citation-exports-litsearchr/borealis_wos_corecollection_tabdelim.txt", "wos-tab", 163,
	  "wos-core", 1, "Roach, Melissa C.", "10.1016/j.foreco.2018.12.057", 2019,
	  "Effects of pine-oak woodland restoration", "WOS:000461270600041" },
	{ "citation-exports-litsearchr/borealis_wos_biosis_tabdelim.txt", "wos-tab", 145,
	  "biosis", 1, "Tingley, Morgan W.", "10.1111/1365-2656.12851", 2018,
	  "Cross-scale occupancy dynamics", "BIOSIS:PREV201800796061" },
	{ "citation-exports-litsearchr/borealis_final_wos_medline_tabdelim.txt", "wos-tab", 73,
	  "medline", 1, "Roberts, Caleb P", "10.1002/ece3.4879", 2019,
	  "Fire legacies in eastern ponderosa pine forests.", "MEDLINE:30847078" },
	{ "jabref-importer-fixtures/IsiImporterTest1.isi", "wos", 1, "inspec", 1, "James Brown",
	  "", 2006, "Optical properties of MgO doped LiNbO/sub 3/ single crystals",
	  "INSPEC:8863438" },
	{ "jabref-importer-fixtures/IsiImporterTest2.isi", "wos", 3, "inspec", 0, NULL, NULL, 0,
	  NULL, NULL },
	{ "jabref-importer-fixtures/IsiImporterTestInspec.isi", "wos", 2, "inspec", 1,
	  "Degl'Innocenti, R.", "", 2006, "Second harmonic generation", "INSPEC:9027814" },
	{ "jabref-importer-fixtures/IsiImporterTestMedline.isi", "wos", 2, "medline", 2,
	  "Joffe, Hadine", "", 2006, "Estrogen therapy", "MEDLINE:16735938" },
	{ "jabref-importer-fixtures/IsiImporterTestWOS.isi", "wos", 2, "wos-core", 1,
	  "Gamernyk, RV", "", 2006, "Optical and photoelectric spectroscopy",
	  "ISI:000238592600006" },
};

static void test_real_exports(void **state)
{
	int found = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(real_files) / sizeof(real_files[0]); i++) {
		const struct real_file *r = &real_files[i];
		char path[1024];
		struct pick k;
		const char *dialect = NULL, *detected = NULL;
		int rc;

		if (!shared_data_path(r->path, path, sizeof(path)))
			continue;
		rc = pick_file(path, r->format, r->pos, &k, &dialect, &detected);
		if (rc == -2)
			continue;
		found++;
		print_message("%s: %ld records, %ld warnings, detected %s, dialect %s\n", r->path,
			      k.records, k.warnings, detected, dialect ? dialect : "-");
		assert_int_equal(rc, 0);
		assert_string_equal(detected, r->format);
		assert_int_equal(k.records, r->records);
		assert_string_equal(dialect, r->dialect);
		if (r->first_author)
			assert_string_equal(k.author, r->first_author);
		if (r->doi)
			assert_string_equal(k.doi, r->doi);
		if (r->year)
			assert_int_equal(k.year, r->year);
		if (r->title_start)
			assert_memory_equal(k.title, r->title_start, strlen(r->title_start));
		if (r->source_id)
			assert_string_equal(k.source_id, r->source_id);
	}
	if (!found)
		skip();
}

/* Every DOI and every record of the revtools export: 176 DOIs (as its
 * MANIFEST counts), every record a year and an author. */
struct tally {
	long records, dois, years, authors, titles;
};

static int tally_record(void *ctx, struct wn_record *rec)
{
	struct tally *t = ctx;

	t->records++;
	t->dois += rec->doi != NULL;
	t->years += rec->year > 0;
	t->authors += rec->authors.n > 0;
	t->titles += rec->title != NULL;
	return 0;
}

static void test_real_tally(void **state)
{
	char path[1024];
	struct wn_input *in = NULL;
	struct wn_parser p;
	struct tally t = { 0 };

	(void)state;
	if (!shared_data_path("citation-exports-revtools/restoration_WoS.ciw", path, sizeof(path)))
		skip();
	assert_int_equal(wn_input_open_file(&in, path), 0);
	memset(&p, 0, sizeof(p));
	p.in = in;
	p.record = tally_record;
	p.ctx = &t;
	assert_int_equal(wn_format_parse(wn_format_find("wos"), &p), 0);
	assert_int_equal(p.warnings, 0);
	assert_int_equal(t.records, 247);
	assert_int_equal(t.dois, 176);
	assert_int_equal(t.titles, 247);
	assert_int_equal(t.authors, 247);
	/* one record has no PY (an early-access paper) */
	assert_true(t.years >= 246);
	wn_input_close(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_tagged),
		cmocka_unit_test(test_golden_tab),
		cmocka_unit_test(test_tab_encodings_agree),
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_tagged_details),
		cmocka_unit_test(test_strict_stops),
		cmocka_unit_test(test_not_wos),
		cmocka_unit_test(test_real_exports),
		cmocka_unit_test(test_real_tally),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
