/*
 * CSV reader and writer. Golden files in tests/golden/csv; a round trip
 * (CSV -> records -> CSV export -> records) must keep every mapped field;
 * real exports from ../shared/data (skipped when absent).
 */
#include <stdint.h>

#include "formats/formats_int.h"
#include "golden.h"

static const char *const golden_inputs[] = {
	"generic.csv", "scopus.csv", "pubmed.csv", "pubmed-legacy.csv", "semicolon.csv",
	"asreview.tsv", "bib-dedupe.csv", "asysd.csv",
};

static void test_golden(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(golden_inputs) / sizeof(golden_inputs[0]); i++) {
		char name[64], in[256];

		snprintf(name, sizeof(name), "csv/%s", golden_inputs[i]);
		snprintf(in, sizeof(in), "tests/golden/%s", name);
		golden_check_named("csv", name);
		assert_string_equal(detect_name(in), "csv");
	}
}

static void test_generic_details(void **state)
{
	struct golden_run g;
	const char *dialect = NULL;
	char *json;

	(void)state;
	assert_int_equal(golden_parse("csv", "tests/golden/csv/generic.csv", &json, &g, &dialect),
			 0);
	/* r1..r5; the all-empty row is skipped with a warning */
	assert_int_equal(g.records, 5);
	assert_string_equal(dialect, "asreview");
	/* line numbers count the line break inside r1's abstract */
	assert_non_null(strstr(json, "\"line\": 4"));
	assert_non_null(strstr(g.warnings, "5: row has 5 cells, the header 20"));
	assert_non_null(strstr(g.warnings, "6: row has 21 cells, the header 20"));
	assert_non_null(strstr(g.warnings, "7: empty row skipped"));
	assert_non_null(strstr(json, "First paragraph.\\nSecond paragraph"));
	assert_non_null(strstr(json, "Quoted title, with a comma and \\\"quotes\\\""));
	assert_non_null(strstr(json, "\"pages\": \"101-109\""));
	assert_non_null(strstr(json, "\"column 21\": \"surplus cell\""));
	/* "Adeli K.Lewis G. F.": two authors run together */
	assert_non_null(strstr(json, "\"Lewis, G. F.\""));
	free(json);

	assert_int_equal(golden_parse("csv", "tests/golden/csv/scopus.csv", &json, &g, &dialect),
			 0);
	assert_string_equal(dialect, "scopus");
	assert_int_equal(g.records, 2);
	assert_int_equal(g.warnings_len, 0);
	assert_non_null(strstr(json, "\"Villard, M.-A.\""));
	assert_non_null(strstr(json, "\"pages\": \"e02222\""));
	free(json);

	assert_int_equal(golden_parse("csv", "tests/golden/csv/semicolon.csv", &json, &g, NULL), 0);
	assert_non_null(strstr(json, "\"title\": \"Dutch title; with a semicolon\""));
	free(json);
	/* bib-dedupe's BibTeX-derived columns read as the BibTeX reader reads
	 * them: booktitle is the journal of a conference paper or chapter
	 * without one (else extra), @proceedings is a book */
	assert_int_equal(golden_parse("csv", "tests/golden/csv/bib-dedupe.csv", &json, &g, &dialect),
			 0);
	assert_string_equal(dialect, "bib-dedupe");
	assert_int_equal(g.records, 6);
	assert_int_equal(g.warnings_len, 0);
	assert_non_null(strstr(json, "\"journal\": \"Americas Conference on Information Systems\""));
	assert_non_null(strstr(json, "\"journal\": \"Journal of Things\""));
	assert_non_null(strstr(json, "\"booktitle\": \"Kept in extra\""));
	assert_non_null(strstr(json, "\"journal\": \"A Book of Chapters\""));
	assert_null(strstr(json, "\"booktitle\": \"A"));
	assert_non_null(strstr(json, "\"type\": \"book\""));
	/* BibTeX's " and " separates names even beside ';' */
	assert_non_null(strstr(json, "\"Abarrategui Garrido, Cynthia\",\n    \"Martinez Barricarte, "
				     "Ruben\",\n    \"Strobel, Stefanie\"\n"));
	assert_non_null(strstr(json, "\"Cui, G.\",\n    \"Lui, H.-K.\",\n    \"Guo, X.\"\n"));
	free(json);
	/* ASySD's EndNote export ran the authors together */
	assert_int_equal(golden_parse("csv", "tests/golden/csv/asysd.csv", &json, &g, &dialect), 0);
	assert_string_equal(dialect, "asreview");
	assert_int_equal(g.records, 3);
	assert_null(strstr(json, "\"NA\""));
	assert_non_null(strstr(json, "\"Kajani, S.\",\n    \"O'Reilly, M. E.\",\n    "
				     "\"McGillicuddy, F. C.\"\n"));
	assert_non_null(strstr(json, "\"Agrawal, V.\",\n    \"D'Auria, S.\"\n"));
	free(json);
	assert_int_equal(golden_parse("csv", "tests/golden/csv/asreview.tsv", &json, &g, NULL), 0);
	assert_int_equal(g.records, 2);
	assert_non_null(strstr(json, "\"title\": \"Quoted, tab separated\""));
	free(json);
}

/* ---- round trip ---- */

struct collect {
	struct wn_writer *w;
};

static int write_record(void *ctx, struct wn_record *rec)
{
	struct collect *c = ctx;
	struct wn_record_meta meta = { rec->position, "golden", 0, "file", "input", 1, 0, NULL, NULL };

	return wn_writer_record(c->w, rec, &meta);
}

/* Parse `path` as CSV and write it out in `format`. */
static char *convert(const char *data, size_t len, const char *format)
{
	struct wn_input *in = NULL;
	struct wn_parser p;
	struct collect c;
	char *out = NULL;
	size_t out_len = 0;
	FILE *fp = open_memstream(&out, &out_len);

	assert_int_equal(wn_input_open_memory(&in, data, len, "roundtrip"), 0);
	assert_int_equal(wn_writer_open(&c.w, format, fp), 0);
	memset(&p, 0, sizeof(p));
	p.in = in;
	p.record = write_record;
	p.ctx = &c;
	assert_int_equal(wn_format_parse(wn_format_find("csv"), &p), 0);
	assert_int_equal(wn_writer_close(c.w), 0);
	fclose(fp);
	wn_input_close(in);
	return out;
}

static char *read_all(const char *path, size_t *len)
{
	char *data = NULL;

	assert_int_equal(wn_read_file(path, 1 << 20, &data, len), 0);
	return data;
}

/* The fields the CSV export carries, as JSON: without extra, origin and
 * the fields that are not columns of the export. */
static void strip_unmapped(char *json)
{
	/* cut every "extra" object and "origin" object: compare the rest */
	for (const char *key = "\"extra\": {"; key; key = NULL) {
		char *s;

		while ((s = strstr(json, key))) {
			int depth = 0;
			char *e = strchr(s, '{');

			for (; *e; e++) {
				if (*e == '{')
					depth++;
				else if (*e == '}' && --depth == 0)
					break;
			}
			memmove(s, e + 1, strlen(e + 1) + 1);
		}
	}
	/* and the fields that are not columns of the export */
	for (char *line = json; *line;) {
		static const char *const drop[] = { "  \"journal_abbrev\"", "  \"date\"",
						    "  \"publisher\"" };
		char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line + 1) : strlen(line);
		int cut = 0;

		for (size_t i = 0; i < sizeof(drop) / sizeof(drop[0]); i++)
			if (strncmp(line, drop[i], strlen(drop[i])) == 0)
				cut = 1;
		if (cut)
			memmove(line, line + len, strlen(line + len) + 1);
		else
			line += len;
	}
}

static void test_round_trip(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(golden_inputs) / sizeof(golden_inputs[0]); i++) {
		char path[256];
		size_t len;
		char *data, *csv, *json1, *json2;

		snprintf(path, sizeof(path), "tests/golden/csv/%s", golden_inputs[i]);
		data = read_all(path, &len);
		json1 = convert(data, len, "json");
		csv = convert(data, len, "csv");
		json2 = convert(csv, strlen(csv), "json");
		strip_unmapped(json1);
		strip_unmapped(json2);
		/* the origin line differs when a cell held line breaks */
		for (char *s = json1; (s = strstr(s, "\"line\": ")); s++)
			s[8] = s[9] = '0';
		for (char *s = json2; (s = strstr(s, "\"line\": ")); s++)
			s[8] = s[9] = '0';
		if (strcmp(json1, json2) != 0) {
			print_message("%s\n--- first parse\n%s\n--- after CSV export\n%s\n--- CSV\n%s\n",
				      path, json1, json2, csv);
			fail_msg("%s: the CSV round trip changed mapped fields", path);
		}
		free(data);
		free(csv);
		free(json1);
		free(json2);
	}
}

static void test_writer_quoting(void **state)
{
	struct wn_record rec;
	struct wn_record_meta meta = { 42, "PubMed", 7, "file", "a.nbib", 3, 0, NULL, NULL };
	struct wn_writer *w;
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);

	(void)state;
	wn_record_init(&rec);
	rec.title = xstrdup("A \"quoted\", title");
	rec.abstract = xstrdup("Line one.\nLine two.");
	rec.year = 2020;
	rec.position = 12;
	wn_strlist_add(&rec.authors, "Smith JA");
	wn_strlist_add(&rec.authors, "van der Berg, Anna");
	wn_strlist_add(&rec.keywords, "a");
	wn_strlist_add(&rec.keywords, "b");
	assert_int_equal(wn_writer_open(&w, "csv", fp), 0);
	assert_int_equal(wn_writer_record(w, &rec, &meta), 0);
	assert_int_equal(wn_writer_close(w), 0);
	fclose(fp);
	assert_string_equal(out,
			    "id,source,source_id,title,authors,year,journal,volume,issue,pages,"
			    "doi,pmid,pmcid,issn,isbn,language,type,keywords,abstract,url,"
			    "cluster,origin\r\n"
			    "42,PubMed,,\"A \"\"quoted\"\", title\",\"Smith, JA; van der Berg, "
			    "Anna\",2020,,,,,,,,,,,,a; b,\"Line one.\nLine two.\",,7,file:3:12\r\n");
	free(out);
	wn_record_clear(&rec);
}

static void test_sniff(void **state)
{
	static const char ris[] = "TY  - JOUR\nTI  - x\nER  - \n";
	static const char prose[] = "Hello, world, this is prose.\n";
	static const char one_col[] = "title\nA title\n";

	(void)state;
	assert_int_equal(wn_sniff_csv(ris, sizeof(ris) - 1), 0);
	assert_int_equal(wn_sniff_csv(prose, sizeof(prose) - 1), 0);
	assert_int_equal(wn_sniff_csv(one_col, sizeof(one_col) - 1), 0);
	assert_true(wn_sniff_csv("id,title,year\n1,x,2\n", 20) >= 60);
}

static void test_empty_and_unclosed(void **state)
{
	struct wn_input *in = NULL;
	struct wn_parser p;
	static const char unclosed[] = "title,year\n\"open,2001\nnext,2002\n";

	(void)state;
	assert_int_equal(wn_input_open_memory(&in, "", 0, "empty.csv"), 0);
	memset(&p, 0, sizeof(p));
	p.in = in;
	assert_true(wn_format_parse(wn_format_find("csv"), &p) < 0);
	assert_non_null(strstr(wn_error_last(), "empty.csv:1:"));
	wn_input_close(in);

	assert_int_equal(wn_input_open_memory(&in, unclosed, sizeof(unclosed) - 1, "u.csv"), 0);
	memset(&p, 0, sizeof(p));
	p.in = in;
	assert_int_equal(wn_format_parse(wn_format_find("csv"), &p), 0);
	assert_int_equal(p.records, 1);
	assert_int_equal(p.warnings, 2); /* unclosed; too few cells */
	wn_input_close(in);
}

/* ---- real exports ---- */

struct pick {
	long want;
	long records;
	long warnings;
	struct wn_record keep;
};

static void copy_field(char **to, const char *from)
{
	free(*to);
	*to = from ? xstrdup(from) : NULL;
}

static int pick_record(void *ctx, struct wn_record *rec)
{
	struct pick *k = ctx;

	k->records++;
	if (rec->position == k->want) {
		copy_field(&k->keep.title, rec->title);
		copy_field(&k->keep.doi, rec->doi);
		copy_field(&k->keep.pmid, rec->pmid);
		copy_field(&k->keep.source_id, rec->source_id);
		copy_field(&k->keep.abstract, rec->abstract);
		copy_field(&k->keep.journal, rec->journal);
		k->keep.year = rec->year;
		k->keep.line = rec->line;
		wn_strlist_clear(&k->keep.authors);
		for (size_t i = 0; i < rec->authors.n; i++)
			wn_strlist_add(&k->keep.authors, rec->authors.items[i]);
		for (size_t i = 0; i < rec->nextra; i++)
			wn_record_add_extra(&k->keep, rec->extra[i].tag, rec->extra[i].value);
	}
	return 0;
}

static int count_warning(void *ctx, long line, const char *message)
{
	struct pick *k = ctx;

	print_message("warning %ld: %s\n", line, message);
	k->warnings++;
	return 0;
}

static const char *extra_get(const struct wn_record *rec, const char *tag)
{
	for (size_t i = 0; i < rec->nextra; i++)
		if (strcmp(rec->extra[i].tag, tag) == 0)
			return rec->extra[i].value;
	return NULL;
}

struct real_csv {
	const char *path;
	long records;
	const char *dialect;
	long pos;
	const char *title_start;
	const char *first_author;
	long nauthors;
	int year;
	const char *doi;
	const char *source_id;
	const char *label_tag, *label;
};

static const struct real_csv real_files[] = {
	{ "citation-exports-litsearchr/borealis_scopus.csv", 137, "scopus", 1,
	  "Predictors of habitat use and nesting success", "Craig C.", 5, 2019,
	  "10.1016/j.foreco.2019.02.016", "2-s2.0-85061613518", NULL, NULL },
	{ "pubmed-psoas-abscess-292/pubmed_legacy_export_58.csv", 58, "pubmed-legacy-csv", 1,
	  "Allergen components in diagnosing childhood hazelnut allergy", "Nilsson C", 6, 2019,
	  "10.1111/pai.13110", "31301691", NULL, NULL },
	{ "screening-asreview-labelled/Kitchenham_2010.csv", 1704, "asreview", 1,
	  "A Conceptual Model of ICT-Supported Unified Process", NULL, 0, 0, NULL, "1",
	  "label_included", NULL },
	{ "screening-asreview-labelled/Nagtegaal_2019.csv", 2019, "asreview", 1,
	  "A prospective, controlled trial of a pharmacy-driven alert system", NULL, 0, 0, NULL,
	  "1", "label_abstract_screening", NULL },
	{ "screening-asreview-labelled/Cohen_2006_ACEInhibitors.csv", 2544, "asreview", 1,
	  "Distinct and combined vascular effects of ACE blockade", "P Nazzaro", 7, 1999, NULL,
	  "1", "label_included", "0" },
	{ "screening-asreview-labelled/Bannach-Brown_2019.csv", 1993, "asreview", 1,
	  "Inhibition of cellular transport processes by 5-thio-D-glucopyranose", NULL, 0, 0,
	  NULL, "2", "label_included", NULL },
	{ "dedup-benchmark-labelled/stroke/records_pre_merged.csv", 1292, "bib-dedupe", 1,
	  "Efficacy observation of batroxobin", "Zhai, Q. J.", 5, 2010, NULL, "id_0000001",
	  "ENTRYTYPE", "article" },
	{ "dedup-benchmark-labelled/haematology/records_pre_merged.csv", 1415, "bib-dedupe", 1,
	  "New insights into postrenal transplant", "Zuber, J", 6, 2011, NULL, "id_0000001",
	  NULL, NULL },
	{ "dedup-benchmark-labelled/respiratory/records_pre_merged.csv", 1988, "bib-dedupe", 1,
	  "Perioperative nutritional support", "Ziegler, T. R.", 1, 1996, NULL, "id_0000001",
	  NULL, NULL },
	{ "dedup-benchmark-labelled/cytology_screening/records_pre_merged.csv", 1856,
	  "bib-dedupe", 1, "Comparison of human papillomavirus distribution", "Zuna, R E", 4,
	  2006, NULL, "id_0000001", NULL, NULL },
	{ "dedup-benchmark-labelled/digital_work/records_pre_merged.csv", 7159, "bib-dedupe", 0,
	  NULL, NULL, 0, 0, NULL, NULL, NULL, NULL },
	{ "dedup-benchmark-labelled/special_cases/records_pre_merged.csv", 12, "bib-dedupe", 1,
	  "How Consumers Perceive Trustworthiness", "Deng, Chaoqun", 2, 2017, NULL, "id_0000001",
	  NULL, NULL },
	{ "dedup-benchmark-labelled/diabetes_asysd/labelled_test_set_cp1252.csv", 1845,
	  "asreview", 1, "Intestinal lipoprotein overproduction", "Adeli K.", 2, 2008,
	  "10.1097/mol.0b013e3282ffaf82", "1", "label", "In_database" },
};

static void test_real_exports(void **state)
{
	int found = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(real_files) / sizeof(real_files[0]); i++) {
		const struct real_csv *r = &real_files[i];
		char path[1024];
		struct wn_input *in = NULL;
		struct wn_parser p;
		struct pick k;

		if (!shared_data_path(r->path, path, sizeof(path)))
			continue;
		found++;
		assert_string_equal(detect_name(path), "csv");
		memset(&k, 0, sizeof(k));
		wn_record_init(&k.keep);
		k.want = r->pos;
		assert_int_equal(wn_input_open_file(&in, path), 0);
		memset(&p, 0, sizeof(p));
		p.in = in;
		p.record = pick_record;
		p.warning = count_warning;
		p.ctx = &k;
		assert_int_equal(wn_format_parse(wn_format_find("csv"), &p), 0);
		print_message("%s: %ld records, %ld warnings, dialect %s, encoding %s\n", r->path,
			      k.records, k.warnings, p.dialect ? p.dialect : "-",
			      wn_input_encoding(in));
		assert_int_equal(k.records, r->records);
		assert_int_equal(k.warnings, 0);
		assert_string_equal(p.dialect, r->dialect);
		if (r->title_start) {
			assert_non_null(k.keep.title);
			assert_memory_equal(k.keep.title, r->title_start, strlen(r->title_start));
		}
		if (r->first_author) {
			assert_int_equal(k.keep.authors.n, r->nauthors);
			assert_string_equal(k.keep.authors.items[0], r->first_author);
		}
		if (r->year)
			assert_int_equal(k.keep.year, r->year);
		if (r->doi)
			assert_string_equal(k.keep.doi, r->doi);
		if (r->source_id)
			assert_string_equal(k.keep.source_id, r->source_id);
		if (r->label_tag)
			assert_non_null(extra_get(&k.keep, r->label_tag));
		if (r->label)
			assert_string_equal(extra_get(&k.keep, r->label_tag), r->label);
		wn_input_close(in);
		wn_record_clear(&k.keep);
	}
	if (!found)
		skip();
}

/* The cp1252 file: "©" (0xA9) must arrive as U+00A9 in 504 abstracts. */
struct copyright {
	long with_sign, bad;
};

static int count_copyright(void *ctx, struct wn_record *rec)
{
	struct copyright *c = ctx;

	if (rec->abstract && strstr(rec->abstract, "\xC2\xA9"))
		c->with_sign++;
	if (rec->abstract && strstr(rec->abstract, "\xEF\xBF\xBD"))
		c->bad++;
	return 0;
}

static void test_cp1252(void **state)
{
	char path[1024];
	struct wn_input *in = NULL;
	struct wn_parser p;
	struct copyright c = { 0, 0 };

	(void)state;
	if (!shared_data_path("dedup-benchmark-labelled/diabetes_asysd/labelled_test_set_cp1252.csv",
			      path, sizeof(path)))
		skip();
	assert_int_equal(wn_input_open_file(&in, path), 0);
	assert_string_equal(wn_input_encoding(in), "windows-1252");
	memset(&p, 0, sizeof(p));
	p.in = in;
	p.record = count_copyright;
	p.ctx = &c;
	assert_int_equal(wn_format_parse(wn_format_find("csv"), &p), 0);
	assert_int_equal(c.with_sign, 504);
	assert_int_equal(c.bad, 0);
	wn_input_close(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_generic_details),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_writer_quoting),
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_empty_and_unclosed),
		cmocka_unit_test(test_real_exports),
		cmocka_unit_test(test_cp1252),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
