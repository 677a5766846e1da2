/*
 * Europe PMC through its REST search (format=xml, resultType=core).
 *
 * Pages come by cursorMark: each answer names the cursor of the next page,
 * and the search is over when that cursor is the one sent or the page is
 * empty. Each page is stored in its own transaction together with the
 * cursor that follows it, so a resumed search asks for the first page it
 * has not stored, and no page twice.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "formats/api_responses.h"
#include "sources/search_int.h"
#include "util.h"

/* Europe PMC's largest page. */
#define PAGE_SIZE 1000

struct europepmc {
	struct wn_search *s;
	struct wn_http_service svc;
	char *base;
	const char *query;
	int synonym;
	long long max;
	long long hit_count; /* from the first page read, -1 before */
};

struct page_sink {
	struct europepmc *ep;
	long got;
};

static int sink_record(void *ctx, struct wn_record *rec)
{
	struct page_sink *ps = ctx;

	ps->got++;
	if (ps->ep->max && ps->ep->s->position >= ps->ep->max)
		return WN_OK;
	return wn_search_store_record(ps->ep->s, rec);
}

static int sink_warning(void *ctx, long line, const char *message)
{
	struct page_sink *ps = ctx;

	(void)line;
	wn_search_note(ps->ep->s, "Europe PMC record: %s", message);
	return 0;
}

/* One page, parsed and stored in the open transaction; *next gets the
 * cursor that follows it (free it). */
static int page_once(struct europepmc *ep, const char *cursor, char **next, long *got,
		     enum wn_verdict *v, double *retry_after)
{
	struct wn_buf url = WN_BUF_INIT, params = WN_BUF_INIT;
	struct wn_http_stream *r = NULL;
	struct wn_http_request req;
	char size[16];
	int rc;

	*v = WN_RETRY;
	*retry_after = -1;
	*next = NULL;
	snprintf(size, sizeof(size), "%d", PAGE_SIZE);
	wn_http_add_param(&params, "query", ep->query);
	wn_http_add_param(&params, "format", "xml");
	wn_http_add_param(&params, "resultType", "core");
	wn_http_add_param(&params, "pageSize", size);
	wn_http_add_param(&params, "cursorMark", cursor);
	wn_http_add_param(&params, "synonym", ep->synonym ? "TRUE" : "FALSE");
	wn_buf_adds(&url, ep->base);
	wn_buf_adds(&url, "search?");
	wn_buf_adds(&url, wn_buf_str(&params));
	memset(&req, 0, sizeof(req));
	req.url = wn_buf_str(&url);
	rc = wn_http_open(ep->s->http, &ep->svc, &req, &r);
	if (rc == WN_OK && wn_http_status(r) != 200) {
		*v = wn_search_judge_status(&ep->svc, r, "search", retry_after);
		rc = WN_ENETWORK;
	} else if (rc == WN_OK) {
		struct wn_input *in = NULL;
		struct wn_parser p;
		struct wn_europepmc_page page = { -1, NULL, 0 };
		struct page_sink sink = { ep, 0 };

		wn_input_open_stream(&in, "Europe PMC answer", wn_http_reader, r);
		memset(&p, 0, sizeof(p));
		p.in = in;
		p.record = sink_record;
		p.warning = sink_warning;
		p.ctx = &sink;
		rc = wn_europepmc_parse_page(&p, &page);
		if (rc == WN_EINVALID) {
			char msg[512];

			snprintf(msg, sizeof(msg), "%s", wn_error_last());
			rc = wn_error_set(WN_ENETWORK, "%s: %s", ep->svc.name, msg);
		} else if (rc == WN_OK && page.hit_count < 0) {
			rc = wn_error_set(WN_ENETWORK, "%s: the answer has no hitCount", ep->svc.name);
		}
		if (rc == WN_OK) {
			if (ep->hit_count < 0)
				ep->hit_count = page.hit_count;
			*next = page.next_cursor;
			page.next_cursor = NULL;
			*got = sink.got;
		}
		free(page.next_cursor);
		wn_input_close(in);
	}
	wn_http_close(r);
	wn_buf_release(&params);
	wn_buf_release(&url);
	return rc;
}

/* Fetch and store the page at part->cursor, retried as needed; moves the
 * cursor on. *done: the search is over. */
static int fetch_page(struct europepmc *ep, struct wn_search_part *part, int *done)
{
	for (int attempt = 1;; attempt++) {
		long long had = part->count_retrieved;
		char *next = NULL;
		long got = 0;
		enum wn_verdict v;
		double retry_after;
		int rc;

		if ((rc = wn_store_begin(ep->s->store)) < 0)
			return rc;
		ep->s->batch_stored = 0;
		rc = page_once(ep, part->cursor, &next, &got, &v, &retry_after);
		if (rc == WN_OK) {
			int first = part->count_reported < 0;

			part->count_reported = ep->hit_count;
			/* over when the cursor does not move or nothing came */
			*done = got == 0 || !next || strcmp(next, part->cursor) == 0 ||
				(ep->max && ep->s->position >= ep->max);
			if (next)
				snprintf(part->cursor, sizeof(part->cursor), "%s", next);
			rc = wn_search_part_progress(ep->s, part, ep->s->batch_stored, *done);
			if (rc == WN_OK && first)
				ep->s->total = ep->max && ep->max < ep->hit_count ? ep->max
										   : ep->hit_count;
		}
		free(next);
		if (rc == WN_OK && (rc = wn_store_commit(ep->s->store)) == WN_OK) {
			if (ep->s->out->count_reported < 0 &&
			    (rc = wn_search_set_reported(ep->s, ep->hit_count, NULL)) < 0)
				return rc;
			wn_search_report_progress(ep->s);
			return WN_OK;
		}
		wn_store_rollback(ep->s->store);
		ep->s->position -= ep->s->batch_stored;
		part->count_retrieved = had;
		if (rc != WN_ENETWORK || v == WN_GIVE_UP)
			return rc;
		if (wn_search_wait_to_retry(ep->s, attempt, retry_after))
			return wn_error_code() == WN_EINTERRUPTED ? WN_EINTERRUPTED : WN_ENETWORK;
	}
}

static void europepmc_init(struct europepmc *ep, struct wn_search *s)
{
	const char *env = getenv("WINNOW_EUROPEPMC_URL");
	const char *base = env && *env ? env : "https://www.ebi.ac.uk/europepmc/webservices/rest/";

	memset(ep, 0, sizeof(*ep));
	ep->s = s;
	ep->base = base[strlen(base) - 1] == '/' ? xstrdup(base) : wn_join(base, "", "/");
	ep->svc.name = "Europe PMC";
	/* Europe PMC asks for politeness without a number: five a second */
	ep->svc.interval = 0.2;
	ep->hit_count = -1;
}

static int fetch_all(struct europepmc *ep, struct wn_search_part *part)
{
	int done = part->complete, rc = WN_OK;

	while (!done && rc == WN_OK)
		rc = fetch_page(ep, part, &done);
	if (rc == WN_OK) {
		char msg[256] = "";

		if (!ep->max && ep->hit_count >= 0 && part->count_retrieved < ep->hit_count)
			snprintf(msg, sizeof(msg), "Europe PMC reported %lld records but gave %lld",
				 ep->hit_count, part->count_retrieved);
		rc = wn_search_finish(ep->s, *msg ? "partial" : "complete", msg);
	}
	return rc;
}

int wn_europepmc_search(struct wn_search *s, const struct wn_search_options *opts)
{
	struct europepmc ep;
	struct wn_search_part part;
	int rc;

	europepmc_init(&ep, s);
	ep.query = opts->query;
	ep.synonym = opts->synonym;
	ep.max = opts->max;
	memset(&part, 0, sizeof(part));
	part.seq = 1;
	snprintf(part.label, sizeof(part.label), "all");
	snprintf(part.cursor, sizeof(part.cursor), "*");
	part.count_reported = -1;
	if ((rc = wn_store_begin(s->store)) == WN_OK) {
		rc = wn_search_add_part(s, &part);
		if (rc == WN_OK)
			rc = wn_search_part_progress(s, &part, 0, 0);
		if (rc == WN_OK)
			rc = wn_store_commit(s->store);
		else
			wn_store_rollback(s->store);
	}
	if (rc == WN_OK)
		rc = fetch_all(&ep, &part);
	free(ep.base);
	return rc;
}

int wn_europepmc_resume(struct wn_search *s)
{
	struct europepmc ep;
	struct wn_search_part *parts = NULL;
	size_t n = 0;
	sqlite3_stmt *st;
	char *query = NULL;
	int rc;

	europepmc_init(&ep, s);
	st = wn_store_prepare(s->store, "SELECT query, coalesce(limits, '{}') FROM search_run "
					"WHERE id = ?1");
	if (!st) {
		free(ep.base);
		return WN_ERROR;
	}
	sqlite3_bind_int64(st, 1, s->run_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		json_t *j = json_loads(wn_column_text(st, 1), 0, NULL);

		query = xstrdup(wn_column_text(st, 0));
		ep.synonym = json_is_true(json_object_get(j, "synonym"));
		ep.max = json_integer_value(json_object_get(j, "max"));
		json_decref(j);
	}
	sqlite3_reset(st);
	ep.query = query ? query : "";
	ep.hit_count = s->out->count_reported;
	rc = wn_search_load_parts(s, &parts, &n);
	if (rc == WN_OK && n != 1)
		rc = wn_error_set(WN_EINVALID, "search %lld stopped before it began: run it again "
					       "instead", (long long)s->run_id);
	if (rc == WN_OK) {
		if (!parts[0].cursor[0])
			snprintf(parts[0].cursor, sizeof(parts[0].cursor), "*");
		s->total = ep.max && ep.max < ep.hit_count ? ep.max : ep.hit_count;
		wn_search_note(s, "resuming search %lld: %lld records stored so far",
			       (long long)s->run_id, s->position);
		rc = fetch_all(&ep, &parts[0]);
	}
	free(parts);
	free(query);
	free(ep.base);
	return rc;
}
