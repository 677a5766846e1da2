/*
 * arXiv through its API: an Atom feed, paged by offset (start,
 * max_results), no more than one request every 3 seconds as arXiv asks.
 *
 * The feed says how many entries match (opensearch:totalResults). A page
 * that comes back empty before that total is an error (arXiv's API is known
 * to do this under load) and is retried, never taken as the end; a feed
 * whose one entry is an error is an error. The paging, one page per
 * transaction with the offset after it, is wn_search_paged's.
 */
#include <stdlib.h>
#include <string.h>

#include "formats/api_responses.h"
#include "sources/search_int.h"
#include "util.h"

/* arXiv asks for pages of at most 2,000; smaller ones fail less. */
#define PAGE_SIZE "1000"

static int parse_feed(struct wn_parser *p, void *arg)
{
	return wn_arxiv_parse_feed(p, arg);
}

static int page(struct wn_search *s, struct wn_search_part *part, long long *total, int *done,
		enum wn_verdict *v, double *retry_after)
{
	struct wn_arxiv_feed feed = { -1, -1, -1, 0 };
	struct wn_search_reader rd = { "query", parse_feed, &feed, NULL, NULL };
	struct wn_buf url = WN_BUF_INIT;
	struct wn_http_request req = { NULL, NULL, NULL, NULL };
	struct wn_http_stream *r;
	long long start = strtoll(part->cursor, NULL, 10);
	int rc;

	wn_buf_adds(&url, s->base);
	wn_buf_adds(&url, "query?");
	wn_http_add_param(&url, "search_query", s->opts->query);
	wn_http_add_param(&url, "start", part->cursor);
	wn_http_add_param(&url, "max_results", PAGE_SIZE);
	req.url = wn_buf_str(&url);
	rc = wn_search_request(s, &req, "query", 0, &r, v, retry_after);
	if (rc == WN_OK) {
		rc = wn_search_read(s, r, &rd);
		if (rc == WN_OK && feed.total < 0)
			rc = wn_error_set(WN_ENETWORK, "%s: the feed has no totalResults", s->svc.name);
		else if (rc == WN_OK && s->page_got == 0 && start < feed.total)
			rc = wn_error_set(WN_ENETWORK, "%s: an empty page at %lld of %lld results",
					  s->svc.name, start, feed.total);
	}
	if (rc == WN_OK) {
		*total = feed.total;
		start += s->page_got;
		*done = s->page_got == 0 || start >= feed.total;
		snprintf(part->cursor, sizeof(part->cursor), "%lld", start);
	}
	wn_http_close(r);
	wn_buf_release(&url);
	return rc;
}

static const struct wn_paged_source arxiv = { "0", page };

int wn_arxiv_run(struct wn_search *s, int resume)
{
	/* "no more than one request every three seconds", measured where
	 * they arrive: a little over, for the time a request takes to get there */
	s->svc.interval = 3.1;
	return wn_search_paged(s, &arxiv, resume);
}
