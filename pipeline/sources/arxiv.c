/*
 * arXiv through its API: an Atom feed, paged by offset (start,
 * max_results), no more than one request every 3 seconds as arXiv asks.
 *
 * The feed says how many entries match (opensearch:totalResults). A page
 * that comes back empty before that total is an error (arXiv's API is known
 * to do this under load) and is retried, never taken as the end; a feed
 * whose one entry is an error is an error. Each page is stored in its own
 * transaction with the offset after it, so resume starts at the first page
 * not stored.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "formats/api_responses.h"
#include "sources/search_int.h"
#include "util.h"

/* arXiv asks for pages of at most 2,000; smaller ones fail less. */
#define PAGE_SIZE 1000

struct arxiv {
	struct wn_search *s;
	struct wn_http_service svc;
	char *base;
	const char *query;
	long long max;
	long long total; /* -1 before the first page */
};

struct page_sink {
	struct arxiv *ax;
	long got;
};

static int sink_record(void *ctx, struct wn_record *rec)
{
	struct page_sink *ps = ctx;

	ps->got++;
	if (ps->ax->max && ps->ax->s->position >= ps->ax->max)
		return WN_OK;
	return wn_search_store_record(ps->ax->s, rec);
}

static int sink_warning(void *ctx, long line, const char *message)
{
	struct page_sink *ps = ctx;

	(void)line;
	wn_search_note(ps->ax->s, "arXiv entry: %s", message);
	return 0;
}

static int page_once(struct arxiv *ax, long long start, long *got, enum wn_verdict *v,
		     double *retry_after)
{
	struct wn_buf url = WN_BUF_INIT;
	struct wn_http_stream *r = NULL;
	struct wn_http_request req;
	char num[32];
	int rc;

	*v = WN_RETRY;
	*retry_after = -1;
	wn_buf_adds(&url, ax->base);
	wn_buf_adds(&url, "query?");
	{
		struct wn_buf params = WN_BUF_INIT;

		wn_http_add_param(&params, "search_query", ax->query);
		snprintf(num, sizeof(num), "%lld", start);
		wn_http_add_param(&params, "start", num);
		snprintf(num, sizeof(num), "%d", PAGE_SIZE);
		wn_http_add_param(&params, "max_results", num);
		wn_buf_adds(&url, wn_buf_str(&params));
		wn_buf_release(&params);
	}
	memset(&req, 0, sizeof(req));
	req.url = wn_buf_str(&url);
	rc = wn_http_open(ax->s->http, &ax->svc, &req, &r);
	if (rc == WN_OK && wn_http_status(r) != 200) {
		*v = wn_search_judge_status(&ax->svc, r, "query", retry_after);
		rc = WN_ENETWORK;
	} else if (rc == WN_OK) {
		struct wn_input *in = NULL;
		struct wn_parser p;
		struct wn_arxiv_feed feed = { -1, -1, -1, 0 };
		struct page_sink sink = { ax, 0 };

		wn_input_open_stream(&in, "arXiv answer", wn_http_reader, r);
		memset(&p, 0, sizeof(p));
		p.in = in;
		p.record = sink_record;
		p.warning = sink_warning;
		p.ctx = &sink;
		rc = wn_arxiv_parse_feed(&p, &feed);
		if (rc == WN_EINVALID) {
			char msg[512];

			snprintf(msg, sizeof(msg), "%s", wn_error_last());
			rc = wn_error_set(WN_ENETWORK, "%s: %s", ax->svc.name, msg);
		} else if (rc == WN_OK && feed.total < 0) {
			rc = wn_error_set(WN_ENETWORK, "%s: the feed has no totalResults", ax->svc.name);
		} else if (rc == WN_OK && sink.got == 0 && start < feed.total) {
			rc = wn_error_set(WN_ENETWORK, "%s: an empty page at %lld of %lld results",
					  ax->svc.name, start, feed.total);
		}
		if (rc == WN_OK) {
			if (ax->total < 0)
				ax->total = feed.total;
			*got = sink.got;
		}
		wn_input_close(in);
	}
	wn_http_close(r);
	wn_buf_release(&url);
	return rc;
}

static int fetch_page(struct arxiv *ax, struct wn_search_part *part, int *done)
{
	for (int attempt = 1;; attempt++) {
		long long had = part->count_retrieved;
		long long start = strtoll(part->cursor, NULL, 10);
		long got = 0;
		enum wn_verdict v;
		double retry_after;
		int rc;

		if ((rc = wn_store_begin(ax->s->store)) < 0)
			return rc;
		ax->s->batch_stored = 0;
		rc = page_once(ax, start, &got, &v, &retry_after);
		if (rc == WN_OK) {
			int first = part->count_reported < 0;

			part->count_reported = ax->total;
			start += got;
			*done = got == 0 || start >= ax->total ||
				(ax->max && ax->s->position >= ax->max);
			snprintf(part->cursor, sizeof(part->cursor), "%lld", start);
			rc = wn_search_part_progress(ax->s, part, ax->s->batch_stored, *done);
			if (rc == WN_OK && first)
				ax->s->total = ax->max && ax->max < ax->total ? ax->max : ax->total;
		}
		if (rc == WN_OK && (rc = wn_store_commit(ax->s->store)) == WN_OK) {
			if (ax->s->out->count_reported < 0 &&
			    (rc = wn_search_set_reported(ax->s, ax->total, NULL)) < 0)
				return rc;
			wn_search_report_progress(ax->s);
			return WN_OK;
		}
		wn_store_rollback(ax->s->store);
		ax->s->position -= ax->s->batch_stored;
		part->count_retrieved = had;
		snprintf(part->cursor, sizeof(part->cursor), "%lld", start);
		if (rc != WN_ENETWORK || v == WN_GIVE_UP)
			return rc;
		if (wn_search_wait_to_retry(ax->s, attempt, retry_after))
			return wn_error_code() == WN_EINTERRUPTED ? WN_EINTERRUPTED : WN_ENETWORK;
	}
}

static void arxiv_init(struct arxiv *ax, struct wn_search *s)
{
	const char *env = getenv("WINNOW_ARXIV_URL");
	const char *base = env && *env ? env : "https://export.arxiv.org/api/";

	memset(ax, 0, sizeof(*ax));
	ax->s = s;
	ax->base = base[strlen(base) - 1] == '/' ? xstrdup(base) : wn_join(base, "", "/");
	ax->svc.name = "arXiv API";
	/* "no more than one request every three seconds", measured where
	 * they arrive: a little over, for the time a request takes to get there */
	ax->svc.interval = 3.1;
	ax->total = -1;
}

static int fetch_all(struct arxiv *ax, struct wn_search_part *part)
{
	int done = part->complete, rc = WN_OK;

	while (!done && rc == WN_OK)
		rc = fetch_page(ax, part, &done);
	if (rc == WN_OK) {
		char msg[256] = "";

		if (!ax->max && ax->total >= 0 && part->count_retrieved < ax->total)
			snprintf(msg, sizeof(msg), "arXiv reported %lld results but gave %lld",
				 ax->total, part->count_retrieved);
		rc = wn_search_finish(ax->s, *msg ? "partial" : "complete", msg);
	}
	return rc;
}

int wn_arxiv_search(struct wn_search *s, const struct wn_search_options *opts)
{
	struct arxiv ax;
	struct wn_search_part part;
	int rc;

	arxiv_init(&ax, s);
	ax.query = opts->query;
	ax.max = opts->max;
	memset(&part, 0, sizeof(part));
	part.seq = 1;
	snprintf(part.label, sizeof(part.label), "all");
	snprintf(part.cursor, sizeof(part.cursor), "0");
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
		rc = fetch_all(&ax, &part);
	free(ax.base);
	return rc;
}

int wn_arxiv_resume(struct wn_search *s)
{
	struct arxiv ax;
	struct wn_search_part *parts = NULL;
	size_t n = 0;
	sqlite3_stmt *st;
	char *query = NULL;
	int rc;

	arxiv_init(&ax, s);
	st = wn_store_prepare(s->store, "SELECT query, coalesce(limits, '{}') FROM search_run "
					"WHERE id = ?1");
	if (!st) {
		free(ax.base);
		return WN_ERROR;
	}
	sqlite3_bind_int64(st, 1, s->run_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		json_t *j = json_loads(wn_column_text(st, 1), 0, NULL);

		query = xstrdup(wn_column_text(st, 0));
		ax.max = json_integer_value(json_object_get(j, "max"));
		json_decref(j);
	}
	sqlite3_reset(st);
	ax.query = query ? query : "";
	ax.total = s->out->count_reported;
	rc = wn_search_load_parts(s, &parts, &n);
	if (rc == WN_OK && n != 1)
		rc = wn_error_set(WN_EINVALID, "search %lld stopped before it began: run it again "
					       "instead", (long long)s->run_id);
	if (rc == WN_OK) {
		if (!parts[0].cursor[0])
			snprintf(parts[0].cursor, sizeof(parts[0].cursor), "0");
		s->total = ax.max && ax.max < ax.total ? ax.max : ax.total;
		wn_search_note(s, "resuming search %lld: %lld records stored so far",
			       (long long)s->run_id, s->position);
		rc = fetch_all(&ax, &parts[0]);
	}
	free(parts);
	free(query);
	free(ax.base);
	return rc;
}
