/*
 * Europe PMC through its REST search (format=xml, resultType=core).
 *
 * Pages come by cursorMark: each answer names the cursor of the next page,
 * and the search is over when that cursor is the one sent or the page is
 * empty. The paging, one page per transaction with the cursor after it,
 * is wn_search_paged's.
 */
#include <stdlib.h>
#include <string.h>

#include "formats/api_responses.h"
#include "sources/search_int.h"
#include "util.h"

/* Europe PMC's largest page. */
#define PAGE_SIZE "1000"

static int parse_page(struct wn_parser *p, void *arg)
{
	return wn_europepmc_parse_page(p, arg);
}

static int page(struct wn_search *s, struct wn_search_part *part, long long *total, int *done,
		enum wn_verdict *v, double *retry_after)
{
	struct wn_europepmc_page pg = { -1, NULL, 0 };
	struct wn_search_reader rd = { "search", parse_page, &pg, NULL, NULL };
	struct wn_buf url = WN_BUF_INIT;
	struct wn_http_request req = { NULL, NULL, NULL, NULL };
	struct wn_http_stream *r;
	int rc;

	wn_buf_adds(&url, s->base);
	wn_buf_adds(&url, "search?");
	wn_http_add_param(&url, "query", s->opts->query);
	wn_http_add_param(&url, "format", "xml");
	wn_http_add_param(&url, "resultType", "core");
	wn_http_add_param(&url, "pageSize", PAGE_SIZE);
	wn_http_add_param(&url, "cursorMark", part->cursor);
	wn_http_add_param(&url, "synonym", s->opts->synonym ? "TRUE" : "FALSE");
	req.url = wn_buf_str(&url);
	rc = wn_search_request(s, &req, "search", 0, &r, v, retry_after);
	if (rc == WN_OK) {
		rc = wn_search_read(s, r, &rd);
		if (rc == WN_OK && pg.hit_count < 0)
			rc = wn_error_set(WN_ENETWORK, "%s: the answer has no hitCount", s->svc.name);
	}
	if (rc == WN_OK) {
		*total = pg.hit_count;
		/* over when the cursor does not move or nothing came */
		*done = s->page_got == 0 || !pg.next_cursor ||
			strcmp(pg.next_cursor, part->cursor) == 0;
		if (pg.next_cursor)
			snprintf(part->cursor, sizeof(part->cursor), "%s", pg.next_cursor);
	}
	free(pg.next_cursor);
	wn_http_close(r);
	wn_buf_release(&url);
	return rc;
}

static const struct wn_paged_source europepmc = { "*", page };

int wn_europepmc_run(struct wn_search *s, int resume)
{
	/* Europe PMC asks for politeness without a number: five a second */
	s->svc.interval = 0.2;
	return wn_search_paged(s, &europepmc, resume);
}
