/*
 * The readers of the live services' answers (api_responses.h): arXiv API
 * feeds, Europe PMC search pages, NCBI ESearch results. Real answers from
 * ../shared/data (skipped when absent), and small ones written here for
 * what the real ones lack: in-band errors, HTML and JSON instead of XML,
 * answers cut short (which must fail, never read as "no results").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/api_responses.h"
#include "golden.h"
#include "util.h"
#include "winnow/format.h"

/* ---- collecting what a reader emits ---- */

struct first {
	long n;
	char *source_id, *type, *title, *abstract, *date, *doi, *url, *authors, *extra;
	int year;
	char warnings[2048];
};

static char *joined(const struct wn_strlist *l)
{
	struct wn_buf b = WN_BUF_INIT;

	for (size_t i = 0; i < l->n; i++)
		wn_buf_addf(&b, "%s%s", i ? "; " : "", l->items[i]);
	return wn_buf_detach(&b);
}

static char *copy(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* Keeps the first record's fields (after normalisation) and counts. */
static int keep_first(void *ctx, struct wn_record *rec)
{
	struct first *f = ctx;
	struct wn_buf b = WN_BUF_INIT;

	if (f->n++)
		return 0;
	f->source_id = copy(rec->source_id);
	f->type = copy(rec->type);
	f->title = copy(rec->title);
	f->abstract = copy(rec->abstract);
	f->date = copy(rec->date);
	f->doi = copy(rec->doi);
	f->url = copy(rec->url);
	f->year = rec->year;
	f->authors = joined(&rec->authors);
	for (size_t i = 0; i < rec->nextra; i++)
		wn_buf_addf(&b, "%s=%s\n", rec->extra[i].tag, rec->extra[i].value);
	f->extra = wn_buf_detach(&b);
	return 0;
}

static int keep_warning(void *ctx, long line, const char *message)
{
	struct first *f = ctx;
	size_t len = strlen(f->warnings);

	snprintf(f->warnings + len, sizeof(f->warnings) - len, "%ld: %s\n", line, message);
	return 0;
}

static void first_free(struct first *f)
{
	free(f->source_id);
	free(f->type);
	free(f->title);
	free(f->abstract);
	free(f->date);
	free(f->doi);
	free(f->url);
	free(f->authors);
	free(f->extra);
	memset(f, 0, sizeof(*f));
}

enum reader { ARXIV, EUROPEPMC };

struct figures {
	struct wn_arxiv_feed feed;
	struct wn_europepmc_page page;
};

static int run_reader(enum reader which, struct wn_input *in, struct first *f, struct figures *fig)
{
	struct wn_parser p;
	int rc;

	memset(f, 0, sizeof(*f));
	memset(fig, 0, sizeof(*fig));
	memset(&p, 0, sizeof(p));
	p.in = in;
	p.record = keep_first;
	p.warning = keep_warning;
	p.ctx = f;
	if (which == ARXIV)
		rc = wn_arxiv_parse_feed(&p, &fig->feed);
	else
		rc = wn_europepmc_parse_page(&p, &fig->page);
	wn_input_close(in);
	return rc;
}

static int read_text(enum reader which, const char *text, struct first *f, struct figures *fig)
{
	struct wn_input *in = NULL;

	assert_int_equal(wn_input_open_memory(&in, text, strlen(text), "answer"), 0);
	return run_reader(which, in, f, fig);
}

/* 0 when the shared file is absent (the caller skips). */
static int read_shared(enum reader which, const char *rel, struct first *f, struct figures *fig,
		       int *rc)
{
	char path[1024];
	struct wn_input *in = NULL;

	if (!shared_data_path(rel, path, sizeof(path)))
		return 0;
	assert_int_equal(wn_input_open_file(&in, path), 0);
	*rc = run_reader(which, in, f, fig);
	return 1;
}

#define SHARED_OR_SKIP(which, rel, f, fig, rc)                                           \
	do {                                                                             \
		if (!read_shared(which, rel, f, fig, rc))                                \
			skip();                                                          \
	} while (0)

static void assert_contains(const char *haystack, const char *needle)
{
	if (!haystack || !strstr(haystack, needle))
		fail_msg("'%s' does not contain '%s'", haystack ? haystack : "(null)", needle);
}

/* ---- arXiv ---- */

static void test_arxiv_real_feed(void **state)
{
	struct first f;
	struct figures fig;
	int rc;

	(void)state;
	SHARED_OR_SKIP(ARXIV, "arxiv-atom/arxiv_response.xml", &f, &fig, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(f.n, 2);
	assert_int_equal(fig.feed.entries, 2);
	assert_int_equal(fig.feed.total, 5619);
	assert_int_equal(fig.feed.start, 0);
	assert_int_equal(fig.feed.per_page, 2);
	assert_string_equal(f.source_id, "2510.14968");
	assert_string_equal(f.type, "preprint");
	assert_string_equal(f.title, "RDD: Retrieval-Based Demonstration Decomposer for Planner "
				     "Alignment in Long-Horizon Tasks");
	assert_string_equal(f.authors, "Mingxuan Yan; Yuping Wang; Zechun Liu; Jiachen Li");
	assert_string_equal(f.date, "2025-10-16");
	assert_int_equal(f.year, 2025);
	assert_string_equal(f.url, "http://arxiv.org/abs/2510.14968v1");
	assert_null(f.doi);
	/* the hard-wrapped summary is one paragraph */
	assert_contains(f.abstract, "To tackle long-horizon tasks, recent hierarchical "
				    "vision-language-action (VLAs) frameworks employ");
	assert_true(strncmp(f.abstract, "To tackle", 9) == 0);
	assert_null(strchr(f.abstract, '\n'));
	assert_contains(f.abstract, "available at rdd-neurips.github.io.");
	assert_contains(f.extra, "arxiv_id=2510.14968v1\n");
	assert_contains(f.extra, "id=http://arxiv.org/abs/2510.14968v1\n");
	assert_contains(f.extra, "published=2025-10-16T17:59:37Z\n");
	assert_contains(f.extra, "updated=2025-10-16T17:59:37Z\n");
	assert_contains(f.extra, "comment=39th Conference on Neural Information Processing "
				 "Systems (NeurIPS 2025); Project Website: rdd-neurips.github.io\n");
	assert_contains(f.extra, "pdf=http://arxiv.org/pdf/2510.14968v1\n");
	assert_contains(f.extra, "primary_category=cs.RO\n");
	assert_contains(f.extra, "category=cs.RO\ncategory=cs.AI\ncategory=cs.CV\ncategory=cs.LG\n"
				 "category=cs.SY\ncategory=eess.SY\n");
	assert_string_equal(f.warnings, "");
	first_free(&f);
}

static void test_arxiv_real_empty_feed(void **state)
{
	struct first f;
	struct figures fig;
	int rc;

	(void)state;
	SHARED_OR_SKIP(ARXIV, "arxiv-atom/arxiv_empty.xml", &f, &fig, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(f.n, 0);
	assert_int_equal(fig.feed.entries, 0);
	assert_int_equal(fig.feed.total, 0);
	assert_int_equal(fig.feed.start, 0);
	assert_int_equal(fig.feed.per_page, 10);
	first_free(&f);
}

static void test_arxiv_real_detected(void **state)
{
	char path[1024];
	long records, warnings;

	(void)state;
	if (!shared_data_path("arxiv-atom/arxiv_response.xml", path, sizeof(path)))
		skip();
	assert_string_equal(detect_name(path), "arxiv-atom");
	assert_int_equal(count_records(NULL, path, &records, &warnings, NULL), 0);
	assert_int_equal(records, 2);
	assert_int_equal(warnings, 0);
	assert_true(shared_data_path("arxiv-atom/arxiv_empty.xml", path, sizeof(path)));
	assert_string_equal(detect_name(path), "arxiv-atom");
}

/* What the API answers for a malformed id: HTTP 200 and this feed. */
static const char arxiv_error_feed[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
	"  <link href=\"http://arxiv.org/api/query?search_query%3D%26id_list%3D1234.12345\" "
	"rel=\"self\" type=\"application/atom+xml\"/>\n"
	"  <title type=\"html\">ArXiv Query: search_query=&amp;id_list=1234.12345</title>\n"
	"  <id>http://arxiv.org/api/kvuntZ8c9a4Eq5CF7KY03nMug+Q</id>\n"
	"  <updated>2025-01-15T00:00:00-05:00</updated>\n"
	"  <opensearch:totalResults xmlns:opensearch=\"http://a9.com/-/spec/opensearch/1.1/\">1"
	"</opensearch:totalResults>\n"
	"  <opensearch:startIndex xmlns:opensearch=\"http://a9.com/-/spec/opensearch/1.1/\">0"
	"</opensearch:startIndex>\n"
	"  <opensearch:itemsPerPage xmlns:opensearch=\"http://a9.com/-/spec/opensearch/1.1/\">1"
	"</opensearch:itemsPerPage>\n"
	"  <entry>\n"
	"    <id>http://arxiv.org/api/errors#incorrect_id_format_for_1234.12345</id>\n"
	"    <title>Error</title>\n"
	"    <summary>incorrect id format for 1234.12345</summary>\n"
	"    <updated>2025-01-15T00:00:00-05:00</updated>\n"
	"    <link href=\"http://arxiv.org/api/errors#incorrect_id_format_for_1234.12345\" "
	"rel=\"alternate\" type=\"text/html\"/>\n"
	"    <author>\n      <name>arXiv api core</name>\n    </author>\n"
	"  </entry>\n"
	"</feed>\n";

static void test_arxiv_error_feed(void **state)
{
	struct first f;
	struct figures fig;

	(void)state;
	assert_int_equal(read_text(ARXIV, arxiv_error_feed, &f, &fig), WN_EINVALID);
	assert_int_equal(f.n, 0);
	assert_int_equal(fig.feed.entries, 0);
	assert_string_equal(wn_error_last(),
			    "answer:10: arXiv API error: incorrect id format for 1234.12345");
	first_free(&f);
}

static void test_arxiv_not_a_feed(void **state)
{
	static const char html[] =
		"<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head>\n"
		"<body><p>The server is busy<br></body></html>\n";
	static const char atom_head[] =
		"<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
		"<opensearch:totalResults xmlns:opensearch=\"http://a9.com/-/spec/opensearch/1.1/\">"
		"3</opensearch:totalResults>\n";
	static const char entry[] = "<entry><id>http://arxiv.org/abs/2101.00001v1</id>"
				    "<title>One</title></entry>\n";
	struct first f;
	struct figures fig;
	char *text;

	(void)state;
	assert_int_equal(read_text(ARXIV, html, &f, &fig), WN_EINVALID);
	assert_contains(wn_error_last(), "this is an HTML page");
	assert_int_equal(f.n, 0);
	first_free(&f);

	/* cut before any entry: an error, not an empty page */
	assert_int_equal(read_text(ARXIV, atom_head, &f, &fig), WN_EINVALID);
	assert_contains(wn_error_last(), "XML error");
	assert_int_equal(fig.feed.entries, 0);
	first_free(&f);

	/* cut after a whole entry: still an error, whatever was emitted */
	text = xasprintf("%s%s%.20s", atom_head, entry, entry);
	assert_int_equal(read_text(ARXIV, text, &f, &fig), WN_EINVALID);
	assert_int_equal(f.n, 1);
	free(text);
	first_free(&f);

	/* whole: two entries, the total as the feed says */
	text = xasprintf("%s%s%s</feed>\n", atom_head, entry, entry);
	assert_int_equal(read_text(ARXIV, text, &f, &fig), 0);
	assert_int_equal(fig.feed.entries, 2);
	assert_int_equal(fig.feed.total, 3);
	assert_int_equal(fig.feed.start, -1);
	assert_string_equal(f.source_id, "2101.00001");
	free(text);
	first_free(&f);

	/* a figure that is not a count is a warning, and stays -1 */
	assert_int_equal(read_text(ARXIV,
				   "<feed xmlns=\"http://www.w3.org/2005/Atom\"><totalResults>many"
				   "</totalResults></feed>",
				   &f, &fig),
			 0);
	assert_int_equal(fig.feed.total, -1);
	assert_contains(f.warnings, "opensearch:totalResults is not a count: 'many'");
	first_free(&f);
}

static const char *detect_text(const char *text)
{
	struct wn_input *in = NULL;
	const struct wn_format_info *fmt;

	assert_int_equal(wn_input_open_memory(&in, text, strlen(text), "head"), 0);
	fmt = wn_format_detect(in);
	wn_input_close(in);
	return fmt ? fmt->name : "(none)";
}

static void test_arxiv_sniff(void **state)
{
	(void)state;
	/* a blog's Atom feed is not a bibliographic export */
	assert_string_equal(detect_text("<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/"
					"2005/Atom\"><title>My blog</title><entry><id>tag:x</id>"
					"</entry></feed>\n"),
			    "(none)");
	assert_string_equal(detect_text("<feed xmlns=\"http://www.w3.org/2005/Atom\"><id>"
					"http://arxiv.org/api/x</id></feed>"),
			    "arxiv-atom");
	assert_string_equal(detect_text("<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:"
					"opensearch=\"http://a9.com/-/spec/opensearch/1.1/\"/>"),
			    "arxiv-atom");
	/* arXiv's words without the Atom namespace: not a feed */
	assert_string_equal(detect_text("<feed><id>http://arxiv.org/abs/1</id></feed>"), "(none)");
}

static void test_arxiv_golden(void **state)
{
	(void)state;
	golden_check_named("arxiv-atom", "arxiv-atom/published-doi-affiliation.xml");
	golden_check_named(NULL, "arxiv-atom/published-doi-affiliation.xml");
	golden_check_named(NULL, "arxiv-atom/prefixed-atom.xml");
}

/* ---- Europe PMC ---- */

static void test_europepmc_real_pages(void **state)
{
	struct first f;
	struct figures fig;
	int rc;

	(void)state;
	SHARED_OR_SKIP(EUROPEPMC, "europepmc-rest-responses/search_cancer.xml", &f, &fig, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(fig.page.hit_count, 5059039);
	assert_string_equal(fig.page.next_cursor, "AoIIP4ZawSg1MzEyODI1MA==");
	assert_int_equal(fig.page.results, 25);
	assert_int_equal(f.n, 25);
	assert_string_equal(f.source_id, "MED:39709209");
	assert_string_equal(f.doi, "10.1016/s0140-6736(24)02600-x");
	free(fig.page.next_cursor);
	first_free(&f);

	SHARED_OR_SKIP(EUROPEPMC, "europepmc-rest-responses/search_cancer_dc.xml", &f, &fig, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(fig.page.hit_count, 5059039);
	assert_string_equal(fig.page.next_cursor, "AoIIP4ZawSg1MzEyODI1MA==");
	assert_int_equal(fig.page.results, 25);
	free(fig.page.next_cursor);
	first_free(&f);
}

static void test_europepmc_error_wrapper(void **state)
{
	static const char error_wrapper[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
		"<responseWrapper xmlns:slx=\"http://www.scholix.org\" "
		"xmlns:epmc=\"https://www.europepmc.org/data\"><version>6.9</version>"
		"<hitCount>0</hitCount><request><queryString>title:(cancer</queryString>"
		"<resultType>lite</resultType><cursorMark>*</cursorMark><pageSize>25</pageSize>"
		"<sort></sort><synonym>false</synonym></request><errCode>400</errCode>"
		"<errMsg>Invalid query: missing closing bracket</errMsg></responseWrapper>";
	static const char no_hits[] =
		"<responseWrapper><version>6.9</version><hitCount>0</hitCount>"
		"<request><queryString>asdkfjh</queryString></request><resultList/>"
		"</responseWrapper>";
	struct first f;
	struct figures fig;

	(void)state;
	assert_int_equal(read_text(EUROPEPMC, error_wrapper, &f, &fig), WN_EINVALID);
	assert_string_equal(wn_error_last(),
			    "answer:1: Europe PMC error 400: Invalid query: missing closing bracket");
	assert_int_equal(f.n, 0);
	assert_null(fig.page.next_cursor);
	first_free(&f);

	/* the saved file is refused the same way */
	{
		struct wn_input *in = NULL;
		long records = 0;
		struct wn_parser p;

		assert_int_equal(wn_input_open_memory(&in, error_wrapper, strlen(error_wrapper),
						      "saved.xml"),
				 0);
		memset(&p, 0, sizeof(p));
		p.in = in;
		p.record = count_record;
		p.ctx = &records;
		assert_int_equal(wn_format_parse(wn_format_find("europepmc-xml"), &p), WN_EINVALID);
		assert_contains(wn_error_last(), "saved.xml:1: Europe PMC error 400: Invalid query");
		wn_input_close(in);
	}

	assert_int_equal(read_text(EUROPEPMC, no_hits, &f, &fig), 0);
	assert_int_equal(fig.page.hit_count, 0);
	assert_int_equal(fig.page.results, 0);
	assert_null(fig.page.next_cursor);
	first_free(&f);

	/* cut short: an error, and no cursor to page on with */
	assert_int_equal(read_text(EUROPEPMC,
				   "<responseWrapper><hitCount>7</hitCount><nextCursorMark>AoE="
				   "</nextCursorMark><resultList><result><id>1</id>",
				   &f, &fig),
			 WN_EINVALID);
	assert_null(fig.page.next_cursor);
	assert_int_equal(f.n, 0);
	first_free(&f);

	/* an HTML page from a proxy */
	assert_int_equal(read_text(EUROPEPMC,
				   "<html><head><title>502 Bad Gateway</title></head></html>", &f,
				   &fig),
			 WN_EINVALID);
	assert_contains(wn_error_last(), "HTML page");
	first_free(&f);
}

static void test_europepmc_core_result(void **state)
{
	struct golden_run g;
	struct wn_input *in = NULL;
	struct first f;
	struct figures fig;
	char *json;

	(void)state;
	golden_check_named("europepmc-xml", "europepmc-xml/core-result-escaped-html.xml");
	assert_int_equal(golden_parse(NULL, "tests/golden/europepmc-xml/core-result-escaped-html.xml",
				      &json, &g, NULL),
			 0);
	assert_int_equal(g.records, 1);
	assert_int_equal(g.warnings_len, 0);
	free(json);

	assert_int_equal(wn_input_open_file(&in, "tests/golden/europepmc-xml/"
						 "core-result-escaped-html.xml"),
			 0);
	assert_int_equal(run_reader(EUROPEPMC, in, &f, &fig), 0);
	assert_int_equal(fig.page.hit_count, 5059039);
	assert_int_equal(fig.page.results, 1);
	/* the escaped HTML of the abstract made paragraphs; p < 0.05 stays */
	assert_string_equal(f.title, "The Clinical Impact of Time-restricted Eating on Cancer: A "
				     "Systematic Review.");
	assert_true(strncmp(f.abstract, "Context\nIn the face of", 22) == 0);
	assert_contains(f.abstract, "(p < 0.05)");
	assert_contains(f.extra, "ORCID=Stringer, Eleah J: 0000-0002-9865-367X\n");
	assert_contains(f.extra, "affiliation=Cloke, Rob W G: Department of Microbiology");
	assert_contains(f.extra, "journalIssueId=3960998\n");
	assert_string_equal(f.type, "review");
	free(fig.page.next_cursor);
	first_free(&f);
}

/* ---- ESearch ---- */

/* Parse a shared file with wn_esearch_parse; 0 when absent. */
static int esearch_shared(const char *rel, struct wn_esearch_result *r, int *rc)
{
	char path[1024];
	char *body = NULL;
	size_t len = 0;

	if (!shared_data_path(rel, path, sizeof(path)))
		return 0;
	assert_int_equal(wn_read_file(path, 1 << 20, &body, &len), 0);
	*rc = wn_esearch_parse(rel, body, len, r);
	free(body);
	return 1;
}

static int esearch_text(const char *text, struct wn_esearch_result *r)
{
	return wn_esearch_parse("answer", text, strlen(text), r);
}

static void test_esearch_real(void **state)
{
	struct wn_esearch_result r;
	int rc;

	(void)state;
	if (!esearch_shared("eutils-responses-klortho/esearch.pubmed.xml", &r, &rc))
		skip();
	assert_int_equal(rc, 0);
	assert_int_equal(r.count, 15169);
	assert_int_equal(r.retmax, 100);
	assert_int_equal(r.retstart, 0);
	assert_string_equal(r.query_key, "1");
	assert_string_equal(r.webenv, "NCID_1_18991374_130.14.18.48_5555_1353814292_87026138");
	assert_int_equal(r.ids.n, 100);
	assert_string_equal(r.ids.items[0], "23175848");
	assert_string_equal(r.ids.items[99], "23174999");
	assert_string_equal(r.query_translation,
			    "(\"neoplasms\"[MeSH Terms] OR \"neoplasms\"[All Fields] OR "
			    "\"cancer\"[All Fields]) AND 2012/09/25[EDAT] : 2012/11/24[EDAT]");
	assert_null(r.error);
	assert_int_equal(r.errors.n, 0);
	assert_int_equal(r.warnings.n, 0);
	wn_esearch_result_clear(&r);

	/* results and an ErrorList side by side */
	assert_true(esearch_shared("eutils-responses-klortho/esearch.error.xml", &r, &rc));
	assert_int_equal(rc, 0);
	assert_int_equal(r.count, 5163);
	assert_int_equal(r.ids.n, 20);
	assert_null(r.webenv);
	assert_int_equal(r.errors.n, 1);
	assert_string_equal(r.errors.items[0], "PhraseNotFound: fleegle[MeSH Terms]");
	wn_esearch_result_clear(&r);

	/* only an ERROR: WN_OK, the caller decides */
	assert_true(esearch_shared("eutils-responses-klortho/esearch.baderror.xml", &r, &rc));
	assert_int_equal(rc, 0);
	assert_string_equal(r.error, "Invalid db name specified: fleegle");
	assert_int_equal(r.count, -1);
	assert_int_equal(r.ids.n, 0);
	wn_esearch_result_clear(&r);
}

static void test_esearch_real_biopython(void **state)
{
	struct wn_esearch_result r;
	int rc;

	(void)state;
	if (!esearch_shared("biopython-entrez-medline/entrez/esearch8.xml", &r, &rc))
		skip();
	/* zero hits, with the reasons */
	assert_int_equal(rc, 0);
	assert_int_equal(r.count, 0);
	assert_int_equal(r.retmax, 0);
	assert_int_equal(r.ids.n, 0);
	assert_string_equal(r.query_translation, "(abcXYZ[All Fields])");
	assert_int_equal(r.errors.n, 1);
	assert_string_equal(r.errors.items[0], "PhraseNotFound: abcXYZ");
	assert_int_equal(r.warnings.n, 1);
	assert_string_equal(r.warnings.items[0], "OutputMessage: No items found.");
	wn_esearch_result_clear(&r);

	assert_true(esearch_shared("biopython-entrez-medline/entrez/esearch2.xml", &r, &rc));
	assert_int_equal(rc, 0);
	assert_int_equal(r.count, 42249);
	assert_int_equal(r.retmax, 100);
	assert_int_equal(r.ids.n, 100);
	assert_non_null(r.webenv);
	assert_true(strncmp(r.webenv, "MCID_", 5) == 0);
	assert_non_null(r.query_key);
	wn_esearch_result_clear(&r);

	assert_true(esearch_shared("biopython-entrez-medline/entrez/esearch3.xml", &r, &rc));
	assert_int_equal(rc, 0);
	assert_int_equal(r.retstart, 6);
	wn_esearch_result_clear(&r);
}

static void test_esearch_refuses_other_answers(void **state)
{
	static const struct {
		const char *rel, *says;
	} other[] = {
		{ "eutils-responses-klortho/einfo.error.xml",
		  "not an ESearch result: the root element is <eInfoResult> holding "
		  "<ERROR>Can not retrieve DbInfo for db=fleegle</ERROR>" },
		{ "eutils-responses-klortho/esummary.error.xml",
		  "the root element is <eSummaryResult> holding <ERROR>Invalid db name "
		  "specified: fleegle</ERROR>" },
		{ "eutils-responses-klortho/efetch.pubmed.xml",
		  "the root element is <PubmedArticleSet>" },
		{ "biopython-entrez-medline/entrez/epost2.xml",
		  "the root element is <ePostResult> holding <ERROR>" },
	};
	struct wn_esearch_result r;
	int rc;

	(void)state;
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		if (!esearch_shared(other[i].rel, &r, &rc))
			skip();
		assert_int_equal(rc, WN_EINVALID);
		assert_contains(wn_error_last(), other[i].rel);
		assert_contains(wn_error_last(), other[i].says);
		/* nothing half-filled is left behind */
		assert_int_equal(r.count, -1);
		assert_int_equal(r.ids.n, 0);
		assert_null(r.error);
		wn_esearch_result_clear(&r);
	}
}

static void test_esearch_written(void **state)
{
	static const char good[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n"
		"<!DOCTYPE eSearchResult PUBLIC \"-//NLM//DTD esearch 20060628//EN\" "
		"\"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd\">\n"
		"<eSearchResult><Count>3</Count><RetMax>2</RetMax><RetStart>1</RetStart>"
		"<IdList>\n<Id>2</Id>\n<Id>3</Id>\n</IdList><TranslationSet/>"
		"<QueryTranslation>loneliness[All Fields]</QueryTranslation>"
		"<WarningList><PhraseIgnored>the</PhraseIgnored><QuotedPhraseNotFound>\"x y\""
		"</QuotedPhraseNotFound></WarningList></eSearchResult>\n";
	struct wn_esearch_result r;
	char *cut;

	(void)state;
	assert_int_equal(esearch_text(good, &r), 0);
	assert_int_equal(r.count, 3);
	assert_int_equal(r.retmax, 2);
	assert_int_equal(r.retstart, 1);
	assert_int_equal(r.ids.n, 2);
	assert_string_equal(r.ids.items[1], "3");
	assert_int_equal(r.warnings.n, 2);
	assert_string_equal(r.warnings.items[0], "PhraseIgnored: the");
	assert_string_equal(r.warnings.items[1], "QuotedPhraseNotFound: \"x y\"");
	wn_esearch_result_clear(&r);

	/* cut anywhere: an error, never a smaller result */
	for (size_t n = 0; n < sizeof(good) - 2; n += 7) {
		cut = xstrndup(good, n);
		assert_int_equal(wn_esearch_parse("cut", cut, n, &r), WN_EINVALID);
		assert_int_equal(r.count, -1);
		assert_int_equal(r.ids.n, 0);
		wn_esearch_result_clear(&r);
		free(cut);
	}

	/* NCBI's rate limit answer (HTTP 429) */
	assert_int_equal(esearch_text("{\"error\":\"API rate limit exceeded\",\"api-key\":"
				      "\"1.2.3.4\",\"count\":\"11\",\"limit\":\"10\"}\n",
				      &r),
			 WN_EINVALID);
	assert_string_equal(wn_error_last(), "answer: not an ESearch result: a JSON body (error: "
					     "API rate limit exceeded)");
	wn_esearch_result_clear(&r);
	assert_int_equal(esearch_text("{\"header\":{\"type\":\"esearch\"}}", &r), WN_EINVALID);
	assert_string_equal(wn_error_last(), "answer: not an ESearch result: a JSON body");
	wn_esearch_result_clear(&r);

	/* HTML that is not XML, and XHTML that is */
	assert_int_equal(esearch_text("<!DOCTYPE html>\n<html>\n<head><title>502 Bad\n Gateway"
				      "</title><meta charset=utf-8></head><body><hr><center>nginx"
				      "</center></body></html>\n",
				      &r),
			 WN_EINVALID);
	assert_contains(wn_error_last(), "HTML page");
	wn_esearch_result_clear(&r);
	assert_int_equal(esearch_text("<html><head><title>Down for maintenance</title></head>"
				      "<body/></html>",
				      &r),
			 WN_EINVALID);
	assert_contains(wn_error_last(), "HTML page");
	assert_contains(wn_error_last(), "Down for maintenance");
	wn_esearch_result_clear(&r);

	assert_int_equal(esearch_text("", &r), WN_EINVALID);
	assert_string_equal(wn_error_last(), "answer: not an ESearch result: the answer is empty");
	wn_esearch_result_clear(&r);
	assert_int_equal(wn_esearch_parse(NULL, NULL, 0, &r), WN_EINVALID);
	wn_esearch_result_clear(&r);
	assert_int_equal(esearch_text("Service unavailable\n", &r), WN_EINVALID);
	wn_esearch_result_clear(&r);

	assert_int_equal(esearch_text("<eSearchResult><Count>12a</Count></eSearchResult>", &r),
			 WN_EINVALID);
	assert_string_equal(wn_error_last(), "answer:1: ESearch <Count> is not a count: '12a'");
	wn_esearch_result_clear(&r);

	/* an external entity is never read, nor an entity expanded */
	assert_int_equal(esearch_text("<?xml version=\"1.0\"?>\n<!DOCTYPE eSearchResult [\n"
				      "<!ENTITY x SYSTEM \"file:///etc/hostname\">\n"
				      "<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>\n"
				      "<eSearchResult><Count>1</Count><IdList><Id>&x;</Id>"
				      "<Id>&b;</Id></IdList></eSearchResult>\n",
				      &r),
			 0);
	assert_int_equal(r.ids.n, 0);
	wn_esearch_result_clear(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arxiv_real_feed),
		cmocka_unit_test(test_arxiv_real_empty_feed),
		cmocka_unit_test(test_arxiv_real_detected),
		cmocka_unit_test(test_arxiv_error_feed),
		cmocka_unit_test(test_arxiv_not_a_feed),
		cmocka_unit_test(test_arxiv_sniff),
		cmocka_unit_test(test_arxiv_golden),
		cmocka_unit_test(test_europepmc_real_pages),
		cmocka_unit_test(test_europepmc_error_wrapper),
		cmocka_unit_test(test_europepmc_core_result),
		cmocka_unit_test(test_esearch_real),
		cmocka_unit_test(test_esearch_real_biopython),
		cmocka_unit_test(test_esearch_refuses_other_answers),
		cmocka_unit_test(test_esearch_written),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
