/*
 * Parsing on a second thread: the callbacks see the same records and
 * warnings, in the same order, as a parse on the caller's thread; a
 * callback's non-zero return stops it; the parser's error reaches the
 * caller's thread with its message. The same holds when the records are
 * built on the caller's thread (build_on_caller, BibTeX), and when the
 * caller falls behind and the reader builds some of them itself.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "winnow/format.h"
#include "winnow/winnow.h"

#define RECORDS 1500 /* several times the queue's length */

struct events {
	struct wn_buf log; /* "R<pmid>:<position>:<title>" and "W<line>:<message>" lines */
	long records;
	long stop_after; /* return 7 from this record on; 0 never */
	long slow_until; /* take a while over the records before this one */
};

static int on_record(void *ctx, struct wn_record *rec)
{
	struct events *e = ctx;

	wn_buf_addf(&e->log, "R%s:%ld:%s\n", rec->pmid ? rec->pmid : "-", rec->position,
		    rec->title ? rec->title : "-");
	e->records++;
	if (e->records < e->slow_until)
		usleep(100); /* the reader gets ahead and builds records itself */
	return e->stop_after && e->records >= e->stop_after ? 7 : 0;
}

static int on_warning(void *ctx, long line, const char *message)
{
	struct events *e = ctx;

	wn_buf_addf(&e->log, "W%ld:%s\n", line, message);
	return 0;
}

/* PubMed XML with every 97th article lacking its PMID (a warning). */
static char *make_doc(int truncated)
{
	struct wn_buf b = WN_BUF_INIT;

	wn_buf_adds(&b, "<?xml version=\"1.0\"?>\n<PubmedArticleSet>\n");
	for (int i = 0; i < RECORDS; i++) {
		wn_buf_adds(&b, "<PubmedArticle><MedlineCitation>");
		if (i % 97 != 5)
			wn_buf_addf(&b, "<PMID Version=\"1\">%d</PMID>", 100000 + i);
		wn_buf_addf(&b, "<Article><ArticleTitle>Title %d</ArticleTitle></Article>"
				"</MedlineCitation></PubmedArticle>\n", i);
	}
	if (!truncated)
		wn_buf_adds(&b, "</PubmedArticleSet>\n");
	return wn_buf_detach(&b);
}

/* BibTeX with LaTeX to decode, and every 97th entry lacking its key (a
 * warning). */
static char *make_bibtex(void)
{
	struct wn_buf b = WN_BUF_INIT;

	for (int i = 0; i < RECORDS; i++) {
		wn_buf_adds(&b, "@article{");
		if (i % 97 != 5)
			wn_buf_addf(&b, "key%d,", i);
		wn_buf_addf(&b, "\n  title = {Caf\\'{e} {and} na\\\"ive readers, part %d},\n"
				"  author = {M{\\\"u}ller, Anna and Smith, J.},\n"
				"  pmid = {%d},\n  pages = {%d--%d}\n}\n\n", i, 100000 + i, i + 1,
			    i + 9);
	}
	return wn_buf_detach(&b);
}

enum mode { HERE, THREADED, BUILT_ON_CALLER };

static int parse_as(const char *format, const char *doc, enum mode mode, struct events *e,
		    struct wn_parser *p)
{
	const struct wn_format_info *fmt = wn_format_find(format);
	struct wn_input *in = NULL;
	int rc;

	assert_int_equal(wn_input_open_memory(&in, doc, strlen(doc), "mem.xml"), 0);
	memset(p, 0, sizeof(*p));
	p->in = in;
	p->record = on_record;
	p->warning = on_warning;
	p->ctx = e;
	p->build_on_caller = mode == BUILT_ON_CALLER;
	rc = mode == HERE ? wn_format_parse(fmt, p) : wn_format_parse_threaded(fmt, p);
	wn_input_close(in);
	return rc;
}

static int parse(const char *doc, int threaded, struct events *e, struct wn_parser *p)
{
	return parse_as("pubmed-xml", doc, threaded ? THREADED : HERE, e, p);
}

static void test_same_events_in_order(void **state)
{
	char *doc = make_doc(0);
	struct events plain = { WN_BUF_INIT, 0, 0, 0 }, threaded = { WN_BUF_INIT, 0, 0, 0 };
	struct wn_parser p1, p2;

	(void)state;
	assert_int_equal(parse(doc, 0, &plain, &p1), 0);
	assert_int_equal(parse(doc, 1, &threaded, &p2), 0);
	assert_int_equal(threaded.records, RECORDS);
	assert_int_equal(p2.records, RECORDS);
	assert_int_equal(p2.warnings, p1.warnings);
	assert_true(p2.warnings > 10);
	assert_string_equal(wn_buf_str(&threaded.log), wn_buf_str(&plain.log));
	wn_buf_release(&plain.log);
	wn_buf_release(&threaded.log);
	free(doc);
}

static void test_callback_stops_it(void **state)
{
	char *doc = make_doc(0);
	struct events e = { WN_BUF_INIT, 0, 300, 0 };
	struct wn_parser p;

	(void)state;
	assert_int_equal(parse(doc, 1, &e, &p), 7);
	assert_int_equal(e.records, 300);
	wn_buf_release(&e.log);
	free(doc);
}

static void test_parser_error_reaches_caller(void **state)
{
	char *doc = make_doc(1);
	struct events e = { WN_BUF_INIT, 0, 0, 0 };
	struct wn_parser p;

	(void)state;
	wn_error_clear();
	assert_int_equal(parse(doc, 1, &e, &p), WN_EINVALID);
	assert_int_equal(e.records, RECORDS);
	assert_non_null(strstr(wn_error_last(), "mem.xml:"));
	assert_non_null(strstr(wn_error_last(), "XML error"));
	wn_buf_release(&e.log);
	free(doc);
}

/* Records built on the caller's thread, or some on each when the caller
 * is slow: the same records, built the same, with the warnings between
 * them where they were. */
static void test_built_on_caller_same_events(void **state)
{
	char *doc = make_bibtex();
	struct events plain = { WN_BUF_INIT, 0, 0, 0 };
	struct wn_parser p1, p2;

	(void)state;
	assert_int_equal(parse_as("bibtex", doc, HERE, &plain, &p1), 0);
	assert_int_equal(plain.records, RECORDS);
	assert_true(p1.warnings > 10);
	assert_non_null(strstr(wn_buf_str(&plain.log), "R100007:8:Café and naïve readers, part 7\n"));
	for (long slow = 0; slow <= RECORDS; slow += RECORDS) {
		struct events split = { WN_BUF_INIT, 0, 0, slow };

		assert_int_equal(parse_as("bibtex", doc, BUILT_ON_CALLER, &split, &p2), 0);
		assert_int_equal(p2.records, RECORDS);
		assert_int_equal(p2.warnings, p1.warnings);
		assert_string_equal(wn_buf_str(&split.log), wn_buf_str(&plain.log));
		wn_buf_release(&split.log);
	}
	wn_buf_release(&plain.log);
	free(doc);
}

static void test_built_on_caller_stops(void **state)
{
	char *doc = make_bibtex();
	struct events e = { WN_BUF_INIT, 0, 300, 0 };
	struct wn_parser p;

	(void)state;
	assert_int_equal(parse_as("bibtex", doc, BUILT_ON_CALLER, &e, &p), 7);
	assert_int_equal(e.records, 300);
	wn_buf_release(&e.log);
	free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_built_on_caller_same_events),
		cmocka_unit_test(test_built_on_caller_stops),
		cmocka_unit_test(test_same_events_in_order),
		cmocka_unit_test(test_callback_stops_it),
		cmocka_unit_test(test_parser_error_reaches_caller),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
