/*
 * How every source talks to its service (see search_int.h): one request
 * judged by its status, its body read by a format reader whose records go
 * into the run, the retry loop around an attempt (in its own transaction
 * when it stores), and the cursor-paged driver Europe PMC and arXiv share.
 */
#include <stdlib.h>
#include <string.h>

#include "sources/search_int.h"
#include "util.h"

char *wn_search_base_url(const char *env, const char *fallback)
{
	const char *v = getenv(env);
	const char *base = v && *v ? v : fallback;

	return base[strlen(base) - 1] == '/' ? xstrdup(base) : wn_join(base, "", "/");
}

/* A response that is not 200: the error set (naming the service, with an
 * HTML page's title or the body's first words), whether another attempt
 * may pass, and how long the service asked to wait (-1: it did not). */
static enum wn_verdict judge_status(const struct wn_http_service *svc, struct wn_http_stream *r,
				    const char *what, double *retry_after)
{
	long status = wn_http_status(r);
	char snippet[200];

	if (status == 429) {
		*retry_after = wn_http_parse_retry_after(wn_http_header(r, "Retry-After"));
		wn_error_set(WN_ENETWORK, "%s: %s: too many requests (HTTP 429)", svc->name, what);
		return WN_RETRY;
	}
	wn_http_snippet(r, snippet, sizeof(snippet));
	for (char *c = snippet; *c; c++)
		if (*c == '\n' || *c == '\r' || *c == '\t')
			*c = ' ';
	{
		/* an HTML error page says what it is in its title */
		char *t = strstr(snippet, "<title>");
		char *end = t ? strstr(t, "</title>") : NULL;

		if (end) {
			*end = '\0';
			memmove(snippet, t + 7, strlen(t + 7) + 1);
		}
	}
	wn_error_set(WN_ENETWORK, "%s: %s: HTTP %ld%s%s", svc->name, what, status,
		     *snippet ? ": " : "", wn_trim(snippet));
	return status >= 500 || status == 408 ? WN_RETRY : WN_GIVE_UP;
}

int wn_search_request(struct wn_search *s, const struct wn_http_request *req, const char *what,
		      long also_ok, struct wn_http_stream **r, enum wn_verdict *v,
		      double *retry_after)
{
	long status;
	int rc;

	*r = NULL;
	*v = WN_RETRY;
	*retry_after = -1;
	if ((rc = wn_http_open(s->http, &s->svc, req, r)) < 0)
		return rc;
	status = wn_http_status(*r);
	if (status == 200 || (also_ok && status == also_ok))
		return WN_OK;
	*v = judge_status(&s->svc, *r, what, retry_after);
	wn_http_close(*r);
	*r = NULL;
	return WN_ENETWORK;
}

struct read_ctx {
	struct wn_search *s;
	const struct wn_search_reader *rd;
};

static int read_record(void *ctx, struct wn_record *rec)
{
	struct read_ctx *c = ctx;
	struct wn_search *s = c->s;

	s->page_got++;
	if (c->rd->record)
		return c->rd->record(c->rd->record_ctx, rec);
	if (s->opts->max && s->position >= s->opts->max)
		return WN_OK;
	return wn_search_store_record(s, rec);
}

static int read_warning(void *ctx, long line, const char *message)
{
	struct read_ctx *c = ctx;

	(void)line;
	wn_search_note(c->s, "%s: %s", c->rd->what, message);
	return 0;
}

int wn_search_read(struct wn_search *s, struct wn_http_stream *r,
		   const struct wn_search_reader *rd)
{
	struct read_ctx c = { s, rd };
	struct wn_input *in = NULL;
	struct wn_parser p;
	char *name = wn_join(rd->what, " ", "answer");
	int rc;

	s->page_got = 0;
	wn_input_open_stream(&in, name, wn_http_reader, r);
	memset(&p, 0, sizeof(p));
	p.in = in;
	p.record = read_record;
	p.warning = read_warning;
	p.ctx = &c;
	rc = rd->parse(&p, rd->arg);
	if (rc == WN_EINVALID) {
		/* what arrived is not what was asked for: an error page, an
		 * in-band error, a body cut short; the service may do better */
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", wn_error_last());
		rc = wn_error_set(WN_ENETWORK, "%s: %s: %s", s->svc.name, rd->what, msg);
	}
	wn_input_close(in);
	free(name);
	return rc;
}

/* Wait before attempt `attempt` + 1, saying so; non-zero when there is
 * none left or the user pressed Ctrl-C (the error says which). */
static int wait_to_retry(struct wn_search *s, int attempt, double retry_after)
{
	char last[512];
	double delay;

	if (attempt >= wn_http_attempts())
		return 1;
	snprintf(last, sizeof(last), "%s", wn_error_last());
	delay = wn_http_retry_delay(attempt, retry_after);
	wn_search_note(s, "%s; trying again in %.1f s (attempt %d of %d)", last, delay,
		       attempt + 1, wn_http_attempts());
	if (wn_http_sleep(delay))
		return wn_error_set(WN_EINTERRUPTED, "interrupted"), 1;
	wn_error_set(WN_ENETWORK, "%s", last);
	return 0;
}

int wn_search_retry(struct wn_search *s, const struct wn_search_attempt *a)
{
	for (int n = 1;; n++) {
		enum wn_verdict v = WN_RETRY;
		double retry_after = -1;
		int rc;

		if (a->transact) {
			if ((rc = wn_store_begin(s->store)) < 0)
				return rc;
			s->batch_stored = 0;
		}
		rc = a->attempt(a->ctx, &v, &retry_after);
		if (a->transact) {
			if (rc == WN_OK && (rc = wn_store_commit(s->store)) == WN_OK)
				return WN_OK;
			wn_store_rollback(s->store);
			s->position -= s->batch_stored;
			if (a->undo)
				a->undo(a->ctx);
		} else if (rc == WN_OK) {
			return WN_OK;
		}
		/* only the service's failures may pass; the store's do not */
		if (rc != WN_ENETWORK || v == WN_GIVE_UP)
			return rc;
		if (wait_to_retry(s, n, retry_after))
			return wn_error_code() == WN_EINTERRUPTED ? WN_EINTERRUPTED : WN_ENETWORK;
		if (a->again && (rc = a->again(a->ctx)) < 0)
			return rc;
	}
}

/* ---- paging by cursor (Europe PMC, arXiv) ---- */

struct paged {
	struct wn_search *s;
	const struct wn_paged_source *src;
	struct wn_search_part *part;
	long long had;
	char cursor[sizeof(((struct wn_search_part *)0)->cursor)];
	long long total;
	int done;
};

static int page_attempt(void *ctx, enum wn_verdict *v, double *retry_after)
{
	struct paged *pg = ctx;
	struct wn_search *s = pg->s;
	long long max = s->opts->max;
	int first = pg->part->count_reported < 0, rc;

	pg->had = pg->part->count_retrieved;
	memcpy(pg->cursor, pg->part->cursor, sizeof(pg->cursor));
	rc = pg->src->page(s, pg->part, &pg->total, &pg->done, v, retry_after);
	if (rc == WN_OK) {
		pg->part->count_reported = pg->total;
		pg->done |= max && s->position >= max;
		rc = wn_search_part_progress(s, pg->part, s->batch_stored, pg->done);
		if (rc == WN_OK && first)
			s->total = max && max < pg->total ? max : pg->total;
	}
	return rc;
}

static void page_undo(void *ctx)
{
	struct paged *pg = ctx;

	pg->part->count_retrieved = pg->had;
	pg->part->complete = 0;
	memcpy(pg->part->cursor, pg->cursor, sizeof(pg->cursor));
}

static int fetch_pages(struct wn_search *s, const struct wn_paged_source *src,
		       struct wn_search_part *part)
{
	struct paged pg = { s, src, part, 0, "", -1, part->complete };
	struct wn_search_attempt a = { 1, page_attempt, page_undo, NULL, &pg };
	char msg[256] = "";
	int rc = WN_OK;

	while (!pg.done && rc == WN_OK) {
		rc = wn_search_retry(s, &a);
		if (rc == WN_OK && s->out->count_reported < 0)
			rc = wn_search_set_reported(s, pg.total, NULL);
		if (rc == WN_OK)
			wn_search_report_progress(s);
	}
	if (rc < 0)
		return rc;
	if (!s->opts->max && part->count_reported >= 0 &&
	    part->count_retrieved < part->count_reported)
		snprintf(msg, sizeof(msg), "%s reported %lld records but gave %lld", s->svc.name,
			 part->count_reported, part->count_retrieved);
	return wn_search_finish(s, *msg ? "partial" : "complete", msg);
}

int wn_search_paged(struct wn_search *s, const struct wn_paged_source *src, int resume)
{
	struct wn_search_part *parts = NULL, first;
	size_t n = 0;
	int rc;

	if (resume) {
		rc = wn_search_load_parts(s, &parts, &n);
		if (rc == WN_OK && n != 1)
			rc = wn_error_set(WN_EINVALID, "search %lld stopped before it began: run it "
						       "again instead", (long long)s->run_id);
		if (rc == WN_OK && !parts[0].cursor[0])
			snprintf(parts[0].cursor, sizeof(parts[0].cursor), "%s", src->first_cursor);
		if (rc == WN_OK) {
			long long max = s->opts->max, total = parts[0].count_reported;

			s->total = max && max < total ? max : total;
			rc = fetch_pages(s, src, &parts[0]);
		}
		free(parts);
		return rc;
	}
	/* one part, its cursor stored from the start so that resume knows it */
	memset(&first, 0, sizeof(first));
	first.seq = 1;
	snprintf(first.label, sizeof(first.label), "all");
	snprintf(first.cursor, sizeof(first.cursor), "%s", src->first_cursor);
	first.count_reported = -1;
	if ((rc = wn_store_begin(s->store)) < 0)
		return rc;
	rc = wn_search_add_part(s, &first);
	if (rc == WN_OK)
		rc = wn_search_part_progress(s, &first, 0, 0);
	if (rc == WN_OK)
		rc = wn_store_commit(s->store);
	else
		wn_store_rollback(s->store);
	return rc == WN_OK ? fetch_pages(s, src, &first) : rc;
}
