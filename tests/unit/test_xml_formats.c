/*
 * The XML readers (PubMed, EndNote, Europe PMC, Crossref): golden files,
 * hostile XML (entity bombs, external entities, truncation, wrong roots)
 * and real exports from ../shared/data (skipped when absent).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "golden.h"
#include "util.h"
#include "winnow/format.h"

/* ---- collecting records ---- */

struct snap {
	char *source_id, *type, *title, *abstract, *date, *journal, *journal_abbrev;
	char *doi, *pmid, *pmcid, *issn, *isbn, *pages, *volume, *language, *url, *publisher;
	char *authors, *mesh, *keywords, *pubtypes, *extra;
	char *raw;
	size_t raw_len;
	int year;
	long line;
};

struct run {
	struct snap *recs;
	long n, cap;
	char warnings[4096];
	size_t wlen;
	const char *dialect;
};

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static char *join(const struct wn_strlist *l)
{
	size_t len = 1;
	char *s;

	for (size_t i = 0; i < l->n; i++)
		len += strlen(l->items[i]) + 2;
	s = calloc(1, len);
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			strcat(s, "; ");
		strcat(s, l->items[i]);
	}
	return s;
}

static int on_record(void *ctx, struct wn_record *rec)
{
	struct run *r = ctx;
	struct snap *s;
	size_t len = 1;

	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->recs = realloc(r->recs, (size_t)r->cap * sizeof(*r->recs));
	}
	s = &r->recs[r->n++];
	memset(s, 0, sizeof(*s));
	s->source_id = dup_or_null(rec->source_id);
	s->type = dup_or_null(rec->type);
	s->title = dup_or_null(rec->title);
	s->abstract = dup_or_null(rec->abstract);
	s->date = dup_or_null(rec->date);
	s->journal = dup_or_null(rec->journal);
	s->journal_abbrev = dup_or_null(rec->journal_abbrev);
	s->doi = dup_or_null(rec->doi);
	s->pmid = dup_or_null(rec->pmid);
	s->pmcid = dup_or_null(rec->pmcid);
	s->issn = dup_or_null(rec->issn);
	s->isbn = dup_or_null(rec->isbn);
	s->pages = dup_or_null(rec->pages);
	s->volume = dup_or_null(rec->volume);
	s->language = dup_or_null(rec->language);
	s->url = dup_or_null(rec->url);
	s->publisher = dup_or_null(rec->publisher);
	s->authors = join(&rec->authors);
	s->mesh = join(&rec->mesh);
	s->keywords = join(&rec->keywords);
	s->pubtypes = join(&rec->pubtypes);
	for (size_t i = 0; i < rec->nextra; i++)
		len += strlen(rec->extra[i].tag) + strlen(rec->extra[i].value) + 2;
	s->extra = calloc(1, len);
	for (size_t i = 0; i < rec->nextra; i++) {
		strcat(s->extra, rec->extra[i].tag);
		strcat(s->extra, "=");
		strcat(s->extra, rec->extra[i].value);
		strcat(s->extra, "\n");
	}
	s->year = rec->year;
	s->line = rec->line;
	assert_non_null(rec->raw);
	assert_true(rec->raw_len > 0);
	s->raw = malloc(rec->raw_len + 1);
	memcpy(s->raw, rec->raw, rec->raw_len + 1);
	s->raw_len = rec->raw_len;
	return 0;
}

static int on_warning(void *ctx, long line, const char *message)
{
	struct run *r = ctx;
	int n = snprintf(r->warnings + r->wlen, sizeof(r->warnings) - r->wlen, "%ld: %s\n", line,
			 message);

	if (n > 0 && r->wlen + (size_t)n < sizeof(r->warnings))
		r->wlen += (size_t)n;
	return 0;
}

static void run_free(struct run *r)
{
	for (long i = 0; i < r->n; i++) {
		struct snap *s = &r->recs[i];
		char *fields[] = { s->source_id, s->type, s->title, s->abstract, s->date,
				   s->journal, s->journal_abbrev, s->doi, s->pmid, s->pmcid,
				   s->issn, s->isbn, s->pages, s->volume, s->language, s->url,
				   s->publisher, s->authors, s->mesh, s->keywords, s->pubtypes, s->extra,
				   s->raw };

		for (size_t j = 0; j < sizeof(fields) / sizeof(fields[0]); j++)
			free(fields[j]);
	}
	free(r->recs);
	memset(r, 0, sizeof(*r));
}

static int parse_input(struct wn_input *in, const char *format, struct run *r)
{
	const struct wn_format_info *fmt = format ? wn_format_find(format) : wn_format_detect(in);
	struct wn_parser p;
	int rc;

	memset(r, 0, sizeof(*r));
	if (!fmt)
		return WN_EINVALID;
	memset(&p, 0, sizeof(p));
	p.in = in;
	p.record = on_record;
	p.warning = on_warning;
	p.ctx = r;
	rc = wn_format_parse(fmt, &p);
	r->dialect = p.dialect;
	return rc;
}

static int parse_text(const char *text, const char *format, struct run *r)
{
	struct wn_input *in = NULL;
	int rc;

	assert_int_equal(wn_input_open_memory(&in, text, strlen(text), "mem.xml"), 0);
	rc = parse_input(in, format, r);
	wn_input_close(in);
	return rc;
}

/* Parse a file under the shared data; 1 when it exists, 0 to skip. */
static int parse_shared(const char *rel, const char *format, struct run *r, int *rc)
{
	char path[1024];
	struct wn_input *in = NULL;

	if (!shared_data_path(rel, path, sizeof(path)))
		return 0;
	assert_int_equal(wn_input_open_file(&in, path), 0);
	*rc = parse_input(in, format, r);
	wn_input_close(in);
	return 1;
}

#define PARSE_SHARED(rel, fmt, r, rc)                                                    \
	do {                                                                             \
		if (!parse_shared(rel, fmt, r, rc)) {                                    \
			skip();                                                          \
			return;                                                          \
		}                                                                        \
	} while (0)

static const struct snap *find_pmid(const struct run *r, const char *pmid)
{
	for (long i = 0; i < r->n; i++)
		if (r->recs[i].pmid && strcmp(r->recs[i].pmid, pmid) == 0)
			return &r->recs[i];
	fail_msg("no record with PMID %s", pmid);
	return NULL;
}

/* ---- golden files ---- */

static void test_golden_pubmed(void **state)
{
	struct golden_run g;
	char *json;

	(void)state;
	golden_check("pubmed-xml", "tests/golden/pubmed-xml/labelled-abstract-inline-markup.xml",
		     "tests/golden/pubmed-xml/labelled-abstract-inline-markup.json");
	golden_check("pubmed-xml", "tests/golden/pubmed-xml/medline-date-reference-doi-trap.xml",
		     "tests/golden/pubmed-xml/medline-date-reference-doi-trap.json");
	golden_check(NULL, "tests/golden/pubmed-xml/book-article-delete-citation.xml",
		     "tests/golden/pubmed-xml/book-article-delete-citation.json");
	assert_int_equal(golden_parse("pubmed-xml",
				      "tests/golden/pubmed-xml/book-article-delete-citation.xml",
				      &json, &g, NULL),
			 0);
	assert_int_equal(g.records, 2);
	assert_non_null(strstr(g.warnings, "DeleteCitation for 2 PMIDs (11111111, 22222222) ignored"));
	free(json);
	/* the DOI trap: no DOI from a ReferenceList, none from an invalid
	 * ELocationID */
	assert_int_equal(golden_parse("pubmed-xml",
				      "tests/golden/pubmed-xml/medline-date-reference-doi-trap.xml",
				      &json, &g, NULL),
			 0);
	assert_null(strstr(json, "10.1000/cited.work.1990"));
	assert_null(strstr(json, "\"doi\": \"10.1000/another.cited\""));
	free(json);
}

static void test_golden_others(void **state)
{
	struct golden_run g;
	char *json;

	(void)state;
	golden_check(NULL, "tests/golden/endnote-xml/styled-records.xml",
		     "tests/golden/endnote-xml/styled-records.json");
	golden_check(NULL, "tests/golden/europepmc-xml/core-and-lite-results.xml",
		     "tests/golden/europepmc-xml/core-and-lite-results.json");
	golden_check(NULL, "tests/golden/crossref-xml/unixref-works.xml",
		     "tests/golden/crossref-xml/unixref-works.json");
	assert_int_equal(golden_parse("crossref-xml", "tests/golden/crossref-xml/unixref-works.xml",
				      &json, &g, NULL),
			 0);
	assert_int_equal(g.records, 3);
	assert_non_null(strstr(g.warnings, "DOI not found in CrossRef"));
	assert_null(strstr(json, "10.1000/cited.work"));
	free(json);
}

/* ---- field checks on small inputs ---- */

static void test_pubmed_fields(void **state)
{
	struct run r;
	const struct snap *s;

	(void)state;
	assert_int_equal(parse_text("<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>"
				    "1</PMID><Article><ArticleTitle>T <i>x</i><sup>2</sup>"
				    "</ArticleTitle><ELocationID EIdType=\"doi\" ValidYN=\"Y\">"
				    "10.1/ok</ELocationID><Journal><JournalIssue><PubDate>"
				    "<MedlineDate>1998 Dec-1999 Jan</MedlineDate></PubDate>"
				    "</JournalIssue></Journal></Article></MedlineCitation>"
				    "</PubmedArticle></PubmedArticleSet>",
				    "pubmed-xml", &r),
			 0);
	assert_int_equal(r.n, 1);
	s = &r.recs[0];
	assert_string_equal(s->title, "T x2");
	assert_string_equal(s->doi, "10.1/ok");
	assert_string_equal(s->date, "1998 Dec-1999 Jan");
	assert_int_equal(s->year, 1998);
	assert_string_equal(s->source_id, "1");
	run_free(&r);
}

/* ---- hostile XML ---- */

static const char laughs[] =
	"<?xml version=\"1.0\"?>\n<!DOCTYPE PubmedArticleSet [\n"
	" <!ENTITY a \"lollollollollollollollollollollollollollollollollol\">\n"
	" <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
	" <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
	" <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
	" <!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
	" <!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n"
	" <!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\n"
	" <!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">\n"
	"]>\n<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
	"<ArticleTitle>&h;&h;&h;&h;&h;&h;&h;&h;</ArticleTitle></Article></MedlineCitation>"
	"</PubmedArticle></PubmedArticleSet>\n";

static void test_entity_bomb(void **state)
{
	struct run r;
	int rc;

	(void)state;
	/* either refused by libxml2's amplification check or read with the
	 * entity left unexpanded: never 16^8 * 51 bytes of "lol" */
	rc = parse_text(laughs, "pubmed-xml", &r);
	if (rc == 0) {
		assert_int_equal(r.n, 1);
		assert_true(!r.recs[0].title || strlen(r.recs[0].title) < 1000);
	} else {
		assert_int_equal(rc, WN_EINVALID);
		assert_non_null(strstr(wn_error_last(), "XML error"));
	}
	run_free(&r);
}

static void test_external_entity(void **state)
{
	struct run r;

	(void)state;
	assert_int_equal(
		parse_text("<?xml version=\"1.0\"?>\n<!DOCTYPE PubmedArticleSet [\n"
			   " <!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n"
			   " <!ENTITY net SYSTEM \"http://127.0.0.1:9/x\">\n"
			   " <!ENTITY % pe SYSTEM \"file:///etc/hostname\"> %pe;\n]>\n"
			   "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>2</PMID>"
			   "<Article><ArticleTitle>a &xxe; b &net; c</ArticleTitle></Article>"
			   "</MedlineCitation></PubmedArticle></PubmedArticleSet>\n",
			   "pubmed-xml", &r),
		0);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.recs[0].title, "a b c");
	run_free(&r);
	/* an external DTD is not fetched either */
	assert_int_equal(parse_text("<!DOCTYPE PubmedArticleSet SYSTEM \"file:///etc/passwd\">"
				    "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>3"
				    "</PMID></MedlineCitation></PubmedArticle></PubmedArticleSet>",
				    "pubmed-xml", &r),
			 0);
	assert_int_equal(r.n, 1);
	run_free(&r);
}

static void test_truncated_and_malformed(void **state)
{
	static char text[4096];
	struct run r;
	int rc, n;

	(void)state;
	/* libxml2 reads ahead in 512-byte chunks: records wholly before the
	 * chunk that fails are emitted */
	memset(text, 'x', sizeof(text));
	n = snprintf(text, sizeof(text),
		     "<PubmedArticleSet>\n<PubmedArticle><MedlineCitation><PMID>1</PMID>"
		     "</MedlineCitation></PubmedArticle>\n<PubmedArticle><MedlineCitation>"
		     "<PMID>2</PMID>\n<Article><ArticleTitle>");
	text[n] = 'x';
	strcpy(text + 3000, "</ArticleTitle><Abstract>cut he");
	rc = parse_text(text, "pubmed-xml", &r);
	assert_int_equal(rc, WN_EINVALID);
	assert_int_equal(r.n, 1); /* the record before the cut stays */
	assert_non_null(strstr(wn_error_last(), "mem.xml:"));
	assert_non_null(strstr(wn_error_last(), ": XML error: "));
	run_free(&r);
	memset(text, 0, sizeof(text));
	n = snprintf(text, sizeof(text),
		     "<xml><records><record><rec-number>1</rec-number></record>"
		     "<record><notes>");
	memset(text + n, 'y', 2000);
	strcpy(text + n + 2000, "</notes><rec-number>2</rec-numbr></record></records></xml>");
	rc = parse_text(text, "endnote-xml", &r);
	assert_int_equal(rc, WN_EINVALID);
	assert_int_equal(r.n, 1);
	assert_non_null(strstr(wn_error_last(), "mem.xml:1: XML error: "));
	run_free(&r);
	rc = parse_text("", "crossref-xml", &r);
	assert_int_equal(rc, WN_EINVALID);
	run_free(&r);
	rc = parse_text("\xff\xfe<\0x\0", "europepmc-xml", &r);
	assert_int_equal(rc, WN_EINVALID);
	run_free(&r);
}

static void test_wrong_root(void **state)
{
	struct run r;

	(void)state;
	assert_int_equal(parse_text("<?xml version=\"1.0\"?>\n<eFetchResult>\n<ERROR>Empty id "
				    "list - nothing todo</ERROR>\n</eFetchResult>\n",
				    NULL, &r),
			 WN_EINVALID);
	assert_int_equal(r.n, 0);
	assert_string_equal(wn_error_last(),
			    "mem.xml:2: not PubMed XML: the root element is <eFetchResult> "
			    "holding <ERROR>Empty id list - nothing todo</ERROR>");
	run_free(&r);
	assert_int_equal(parse_text("<!DOCTYPE html>\n<html><head><title>Down for maintenance"
				    "</title></head><body><p>Back soon<br></body></html>",
				    "pubmed-xml", &r),
			 WN_EINVALID);
	assert_non_null(strstr(wn_error_last(), "not PubMed XML: this is an HTML page"));
	run_free(&r);
	assert_int_equal(parse_text("<PubmedArticleSet/>", "crossref-xml", &r), WN_EINVALID);
	assert_non_null(strstr(wn_error_last(), "not Crossref XML: the root element is "
						"<PubmedArticleSet>"));
	run_free(&r);
}

static void test_sniffers(void **state)
{
	static const struct {
		const char *head, *format;
	} cases[] = {
		{ "<?xml version=\"1.0\"?>\n<!DOCTYPE PubmedArticleSet PUBLIC \"x\" \"y\">\n"
		  "<PubmedArticleSet>", "pubmed-xml" },
		{ "\xEF\xBB\xBF<?xml version=\"1.0\"?><xml><records><record>", "endnote-xml" },
		{ "<responseWrapper><version>6.9</version>", "europepmc-xml" },
		{ "<crossref_result xmlns=\"http://www.crossref.org/qrschema/3.0\">",
		  "crossref-xml" },
		{ "<doi_records><doi_record>", "crossref-xml" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct wn_input *in = NULL;
		const struct wn_format_info *f;

		assert_int_equal(wn_input_open_memory(&in, cases[i].head, strlen(cases[i].head),
						      "head"),
				 0);
		f = wn_format_detect(in);
		assert_non_null(f);
		assert_string_equal(f->name, cases[i].format);
		wn_input_close(in);
	}
}

/* ---- raw text and lines ---- */

/* Each record's raw text is the exact bytes of its element, wherever the
 * input's chunks happen to split it, and its line is its start tag's. */
static void test_raw_is_the_element(void **state)
{
	struct wn_buf doc = WN_BUF_INIT;
	long lines[400], line = 3;
	size_t starts[400], ends[400];
	struct run r;
	int n = 400;

	(void)state;
	wn_buf_adds(&doc, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			  "<!DOCTYPE PubmedArticleSet [ <!ENTITY ent \"plain\"> ]>\n"
			  "<PubmedArticleSet>");
	for (int i = 0; i < n; i++) {
		/* a comment, a multi-line start tag with '>' in an attribute,
		 * CDATA holding markup, an entity reference, padding so that
		 * records cross the reader's 64 KiB chunks */
		wn_buf_addf(&doc, "\n<!-- <PubmedArticle> in a comment -->\n");
		line += 2;
		lines[i] = line;
		starts[i] = doc.len;
		wn_buf_addf(&doc,
			    "<PubmedArticle\n   note=\"a > b\"><MedlineCitation><PMID Version=\"1\">%d</PMID>"
			    "<Article><ArticleTitle>T&ent; <![CDATA[<i>%d</i>]]></ArticleTitle>"
			    "<Abstract><AbstractText>",
			    1000 + i, i);
		for (int j = 0; j < 40 + (i * 37) % 400; j++)
			wn_buf_adds(&doc, "word\n");
		wn_buf_adds(&doc, "</AbstractText></Abstract></Article></MedlineCitation></PubmedArticle>");
		ends[i] = doc.len;
		for (size_t k = starts[i]; k < ends[i]; k++)
			line += doc.data[k] == '\n';
	}
	wn_buf_adds(&doc, "\n</PubmedArticleSet>\n");
	assert_true(doc.len > 3 * 65536);
	assert_int_equal(parse_text(doc.data, "pubmed-xml", &r), 0);
	assert_int_equal(r.n, n);
	assert_int_equal(r.wlen, 0);
	for (int i = 0; i < n; i++) {
		char title[64];

		assert_int_equal(r.recs[i].raw_len, ends[i] - starts[i]);
		assert_memory_equal(r.recs[i].raw, doc.data + starts[i], ends[i] - starts[i]);
		assert_int_equal(r.recs[i].line, lines[i]);
		snprintf(title, sizeof(title), "Tplain <i>%d</i>", i);
		assert_string_equal(r.recs[i].title, title);
	}
	run_free(&r);
	wn_buf_release(&doc);
}

/* A document in another encoding cannot be cut from the input bytes: its
 * records are written back as UTF-8 XML, text and attributes escaped. */
static void test_raw_of_other_encoding(void **state)
{
	static const char doc[] =
		"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
		"<PubmedArticleSet>\n"
		"<PubmedArticle><MedlineCitation><PMID Version=\"1\">7</PMID>"
		"<Article><ArticleTitle>M\xfcller &amp; \"co\" &lt;3</ArticleTitle>"
		"<AuthorList><Author ValidYN=\"Y\"><LastName>M\xfcller</LastName></Author>"
		"</AuthorList><Pagination/></Article></MedlineCitation></PubmedArticle>\n"
		"</PubmedArticleSet>\n";
	struct run r;

	(void)state;
	assert_int_equal(parse_text(doc, "pubmed-xml", &r), 0);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.recs[0].title, "M\xc3\xbcller & \"co\" <3");
	assert_string_equal(r.recs[0].raw,
			    "<PubmedArticle><MedlineCitation><PMID Version=\"1\">7</PMID>"
			    "<Article><ArticleTitle>M\xc3\xbcller &amp; \"co\" &lt;3</ArticleTitle>"
			    "<AuthorList><Author ValidYN=\"Y\"><LastName>M\xc3\xbcller</LastName>"
			    "</Author></AuthorList><Pagination/></Article></MedlineCitation>"
			    "</PubmedArticle>");
	assert_int_equal(r.recs[0].line, 3);
	run_free(&r);
}

/* A record far beyond the size limit: its text is cut with a warning
 * and memory stays bounded (no whole copy of it is kept). */
static void test_oversized_record(void **state)
{
	struct wn_buf doc = WN_BUF_INIT, para = WN_BUF_INIT;
	struct run r;

	(void)state;
	for (int i = 0; i < 2000; i++)
		wn_buf_adds(&para, "lorem ipsum dolor sit amet consectetur adipiscing elit sed do ");
	wn_buf_adds(&doc, "<PubmedArticleSet>\n<PubmedArticle><MedlineCitation>"
			  "<PMID Version=\"1\">1</PMID><Article><ArticleTitle>Big</ArticleTitle>"
			  "<Abstract>");
	while (doc.len < 20u << 20) {
		wn_buf_adds(&doc, "<AbstractText>");
		wn_buf_add(&doc, para.data, para.len);
		wn_buf_adds(&doc, "</AbstractText>");
	}
	wn_buf_adds(&doc, "</Abstract></Article></MedlineCitation></PubmedArticle>\n"
			  "<PubmedArticle><MedlineCitation><PMID Version=\"1\">2</PMID>"
			  "</MedlineCitation></PubmedArticle>\n</PubmedArticleSet>\n");
	assert_int_equal(parse_text(doc.data, "pubmed-xml", &r), 0);
	assert_int_equal(r.n, 2);
	assert_non_null(strstr(r.warnings, "too large"));
	assert_string_equal(r.recs[0].title, "Big");
	assert_true(r.recs[0].raw_len <= 16u << 20);
	assert_true(strlen(r.recs[0].abstract) < 16u << 20);
	assert_string_equal(r.recs[1].pmid, "2");
	assert_string_equal(r.recs[1].raw, "<PubmedArticle><MedlineCitation><PMID Version=\"1\">2"
					   "</PMID></MedlineCitation></PubmedArticle>");
	run_free(&r);
	wn_buf_release(&doc);
	wn_buf_release(&para);
}

/* Nesting: a hundred levels (MathML goes deep) is read; thousands are
 * refused at once, naming the input and line, with nothing emitted. */
static void nested(struct wn_buf *doc, int depth)
{
	wn_buf_reset(doc);
	wn_buf_adds(doc, "<PubmedArticleSet>\n<PubmedArticle><MedlineCitation><PMID>1</PMID>"
			 "<Article><ArticleTitle>T ");
	for (int i = 0; i < depth; i++)
		wn_buf_adds(doc, "<i>");
	wn_buf_adds(doc, "deep");
	for (int i = 0; i < depth; i++)
		wn_buf_adds(doc, "</i>");
	wn_buf_adds(doc, "</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n"
			 "</PubmedArticleSet>\n");
}

static void test_deep_nesting(void **state)
{
	struct wn_buf doc = WN_BUF_INIT;
	struct run r;

	(void)state;
	nested(&doc, 100);
	assert_int_equal(parse_text(doc.data, "pubmed-xml", &r), 0);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.recs[0].title, "T deep");
	run_free(&r);
	nested(&doc, 100000);
	assert_int_equal(parse_text(doc.data, "pubmed-xml", &r), WN_EINVALID);
	assert_int_equal(r.n, 0);
	assert_non_null(strstr(wn_error_last(), "mem.xml:2: elements nested more than 256 deep"));
	run_free(&r);
	wn_buf_release(&doc);
}

/* A text run that the parser hands over in pieces (split at every entity)
 * is one text: the pieces join, in order, with nothing lost. */
static void test_text_in_pieces(void **state)
{
	struct wn_buf doc = WN_BUF_INIT, want = WN_BUF_INIT;
	struct run r;

	(void)state;
	wn_buf_adds(&doc, "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID>"
			  "<Article><ArticleTitle>T</ArticleTitle><Abstract><AbstractText>");
	for (int i = 0; i < 20000; i++) {
		wn_buf_adds(&doc, i % 2 ? "ab&amp;" : "c&lt;d ");
		wn_buf_adds(&want, i % 2 ? "ab&" : "c<d ");
	}
	wn_buf_adds(&doc, "</AbstractText></Abstract></Article></MedlineCitation></PubmedArticle>"
			  "</PubmedArticleSet>");
	assert_int_equal(parse_text(doc.data, "pubmed-xml", &r), 0);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.recs[0].abstract, wn_trim(want.data));
	run_free(&r);
	wn_buf_release(&doc);
	wn_buf_release(&want);
}

/* ---- real data ---- */

static void test_real_pubmed_psoas(void **state)
{
	struct run r;
	const struct snap *s;
	int rc;

	(void)state;
	PARSE_SHARED("pubmed-psoas-abscess-292/pubmed_result.xml", NULL, &r, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(r.n, 292);
	assert_int_equal(r.wlen, 0);
	s = find_pmid(&r, "30514039");
	assert_string_equal(s->doi, "10.3969/j.issn.1003-0034.2018.11.004");
	assert_int_equal(s->year, 2018);
	assert_string_equal(s->date, "2018 Nov 25");
	assert_string_equal(s->language, "chi");
	assert_string_equal(s->journal_abbrev, "Zhongguo Gu Shang");
	assert_true(strncmp(s->authors, "Lai, Zhen; Shi, Shi-Yuan", 24) == 0);
	assert_true(strncmp(s->abstract, "OBJECTIVE: To investigate", 25) == 0);
	assert_non_null(strstr(s->abstract, "\nMETHODS: Thirty-six"));
	assert_non_null(strstr(s->abstract, "group B(P<0.05)"));
	assert_int_equal(s->line, 5);
	/* citations.nbib has the same record with the name transliterated */
	s = find_pmid(&r, "7620864");
	assert_true(strncmp(s->authors, "Güven, O", 9) == 0);
	assert_string_equal(s->pages, "421-425");
	run_free(&r);
}

static void test_real_pubmed_others(void **state)
{
	struct run r;
	long medline_dates = 0;
	int rc;

	(void)state;
	PARSE_SHARED("pubmed-xml-case-reports-121/pubmed_result.xml", "pubmed-xml", &r, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(r.n, 121);
	for (long i = 0; i < r.n; i++)
		if (r.recs[i].date && strchr(r.recs[i].date, '-'))
			medline_dates++;
	assert_int_equal(medline_dates, 11);
	assert_string_equal(find_pmid(&r, "30312855")->date, "2019 Jan - Feb");
	assert_int_equal(find_pmid(&r, "30312855")->year, 2019);
	run_free(&r);

	PARSE_SHARED("pubmed-xml-pubmr-93/pubmed_result.xml", "pubmed-xml", &r, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(r.n, 93);
	/* every record has its own DOI (the manifest says all 93 do) */
	for (long i = 0; i < r.n; i++)
		assert_non_null(r.recs[i].doi);
	run_free(&r);

	PARSE_SHARED("sr-search-replication-pubmed-scopus/pubmed_result.xml", "pubmed-xml", &r, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(r.n, 4);
	run_free(&r);
}

static void test_real_eutils(void **state)
{
	static const char *const refused[] = {
		"eutils-responses-klortho/esearch.baderror.xml",
		"eutils-responses-klortho/esummary.error.xml",
		"eutils-responses-klortho/einfo.error.xml",
		"biopython-entrez-medline/entrez/epost3.xml",
	};
	struct run r;
	int rc;

	(void)state;
	PARSE_SHARED("eutils-responses-klortho/efetch.pubmed.xml", NULL, &r, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(r.n, 2);
	run_free(&r);
	PARSE_SHARED("eutils-responses-klortho/efetch.pubmedbook.xml", NULL, &r, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.recs[0].type, "book");
	assert_string_equal(r.recs[0].source_id, "20301295");
	run_free(&r);
	PARSE_SHARED("biopython-entrez-medline/entrez/pubmed2.xml", NULL, &r, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(r.n, 2);
	assert_string_equal(find_pmid(&r, "11748933")->doi, "10.1006/cryo.2001.2328");
	run_free(&r);
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		PARSE_SHARED(refused[i], NULL, &r, &rc);
		assert_int_equal(rc, WN_EINVALID);
		assert_int_equal(r.n, 0);
		assert_non_null(strstr(wn_error_last(), "not PubMed XML: the root element is <e"));
		assert_non_null(strstr(wn_error_last(), "<ERROR>"));
		run_free(&r);
	}
}

static void test_real_jabref(void **state)
{
	struct run r;
	int rc;

	(void)state;
	PARSE_SHARED("jabref-importer-fixtures/MedlineImporterTestMathML.xml", "pubmed-xml", &r, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.recs[0].title, "CellML 2.0.");
	assert_string_equal(r.recs[0].doi, "10.1515/jib-2020-0021");
	assert_true(strncmp(r.recs[0].authors, "Clerx, Michael; Cooling, Michael T", 34) == 0);
	run_free(&r);
	PARSE_SHARED("jabref-importer-fixtures/MedlineImporterTestBookArticleSet.xml", "pubmed-xml",
		     &r, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.recs[0].title, "Title for some article");
	assert_string_equal(r.recs[0].journal, "Rheumatoid Arthritis: National Clinical Guideline "
					       "for Management and Treatment in Adults");
	assert_string_equal(r.recs[0].authors,
			    "National Collaborating Centre for Chronic Conditions (UK)");
	assert_string_equal(r.recs[1].pages, "1831");
	assert_string_equal(r.recs[0].doi, "10.3275/8949");
	assert_int_equal(r.recs[0].year, 2009);
	run_free(&r);
	PARSE_SHARED("jabref-importer-fixtures/MedlineImporterTestMalformedEntry.xml", "pubmed-xml",
		     &r, &rc);
	assert_int_equal(rc, WN_EINVALID);
	run_free(&r);
	PARSE_SHARED("jabref-importer-fixtures/EndnoteXmlImporterTestArticle.xml", NULL, &r, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.recs[0].authors, "Ahmad, AS; Ormiston-Smith, N; Sasieni, PD");
	assert_string_equal(r.recs[0].title, "Trends in the lifetime risk of developing cancer in "
					     "Great Britain: comparison of risk for those born "
					     "from 1930 to 1960");
	assert_string_equal(r.recs[0].doi, "10.1038/bjc.2014.606");
	assert_string_equal(r.recs[0].issn, "1532-1827");
	assert_string_equal(r.recs[0].pmid, "25647015");
	run_free(&r);
	PARSE_SHARED("jabref-importer-fixtures/EndnoteXmlImporterTestLabelAndMultiTitle.xml", NULL,
		     &r, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.recs[2].journal, "Journal of Animal Ecology");
	run_free(&r);
}

static void test_real_endnote_respiratory(void **state)
{
	struct run r;
	long duplicates = 0;
	int rc;

	(void)state;
	PARSE_SHARED("dedup-benchmark-labelled/respiratory/Respiratory_endnote.xml", NULL, &r, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(r.n, 1988);
	for (long i = 0; i < r.n; i++)
		duplicates += strstr(r.recs[i].extra, "caption=Duplicate\n") != NULL;
	assert_int_equal(duplicates, 799);
	assert_string_equal(r.recs[0].source_id, "2");
	assert_string_equal(r.recs[0].authors, "Ziegler, T. R.");
	assert_string_equal(r.recs[0].journal, "Jpen: Journal of Parenteral & Enteral Nutrition");
	assert_int_equal(r.recs[0].year, 1996);
	run_free(&r);
}

static void test_real_europepmc_crossref(void **state)
{
	struct run r;
	int rc;

	(void)state;
	PARSE_SHARED("europepmc-rest-responses/search_cancer.xml", NULL, &r, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(r.n, 25);
	assert_string_equal(r.recs[0].source_id, "MED:39709209");
	assert_string_equal(r.recs[0].doi, "10.1016/s0140-6736(24)02600-x");
	assert_string_equal(r.recs[0].authors, "Schoenfeld JD; Haas-Kogan DA; O'Neill AF");
	assert_int_equal(r.recs[0].year, 2025);
	assert_string_equal(r.recs[1].type, "erratum");
	assert_string_equal(r.recs[1].pmcid, "PMC12124214");
	run_free(&r);
	PARSE_SHARED("europepmc-rest-responses/search_cancer_dc.xml", NULL, &r, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(r.n, 25);
	assert_string_equal(r.dialect, "dublin-core");
	assert_string_equal(r.recs[0].source_id, "MED:39709209");
	assert_string_equal(r.recs[0].doi, "10.1016/s0140-6736(24)02600-x");
	run_free(&r);
	PARSE_SHARED("crossref-responses/crossref.xml", NULL, &r, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.recs[0].doi, "10.7554/elife.01567");
	assert_string_equal(r.recs[0].journal, "eLife");
	assert_string_equal(r.recs[0].issn, "2050-084X");
	assert_string_equal(r.recs[0].publisher, "eLife Sciences Publications, Ltd");
	assert_string_equal(r.recs[0].authors, "Sankar, Martial; Nieminen, Kaisa; Ragni, Laura; "
					       "Xenarios, Ioannis; Hardtke, Christian S");
	assert_int_equal(r.recs[0].year, 2014);
	assert_string_equal(r.recs[0].type, "journal-article");
	assert_true(strncmp(r.recs[0].abstract, "Among various advantages", 24) == 0);
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_pubmed),
		cmocka_unit_test(test_golden_others),
		cmocka_unit_test(test_pubmed_fields),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_text_in_pieces),
		cmocka_unit_test(test_entity_bomb),
		cmocka_unit_test(test_external_entity),
		cmocka_unit_test(test_truncated_and_malformed),
		cmocka_unit_test(test_wrong_root),
		cmocka_unit_test(test_sniffers),
		cmocka_unit_test(test_raw_is_the_element),
		cmocka_unit_test(test_raw_of_other_encoding),
		cmocka_unit_test(test_oversized_record),
		cmocka_unit_test(test_real_pubmed_psoas),
		cmocka_unit_test(test_real_pubmed_others),
		cmocka_unit_test(test_real_eutils),
		cmocka_unit_test(test_real_jabref),
		cmocka_unit_test(test_real_endnote_respiratory),
		cmocka_unit_test(test_real_europepmc_crossref),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
