/*
 * PubMed through NCBI's E-utilities.
 *
 * ESearch with the history server says how many records match and where
 * they are kept; EFetch (POST) then takes them in batches of BATCH as PubMed
 * XML, parsed as the answer streams in, each batch stored in its own
 * transaction. PubMed lets a client page through only the first 10,000
 * records of a search, so a larger search is split into date slices,
 * halving every slice still over the cap, and the slice counts are checked
 * against the whole: a record without the chosen date would otherwise go
 * missing unseen.
 *
 * Every answer is checked for what it holds, not trusted for its status:
 * an HTML page, an <ERROR> element or a body cut short is an error, never
 * "no records". Failures that may pass (429, 5xx, timeouts, cut bodies)
 * are retried with backoff; a 429 waits as long as Retry-After says.
 *
 * Resuming a run does not trust offsets (PubMed's set may have changed
 * meanwhile): for each unfinished slice it asks ESearch for the slice's
 * PMIDs and fetches, by id, only those not stored yet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "formats/api_responses.h"
#include "sources/search_int.h"
#include "util.h"

#define BATCH 500
/* The most records of one search that PubMed lets a client page through. */
#define PUBMED_CAP 9999
/* An ESearch answer is small; one larger than this is not one. */
#define ESEARCH_MAX_BYTES (32u << 20)

struct pubmed {
	struct wn_search *s;
	const char *key;       /* NCBI_API_KEY, or NULL */
	const char *datetype;  /* edat, pdat or mdat */
	long long max;         /* 0: all */
	/* the current slice's history */
	char webenv[512];
	char query_key[32];
};

/* ---- dates: YYYY/MM/DD as day numbers, for halving slices ---- */

static long days_from_civil(long y, unsigned m, unsigned d)
{
	long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static void civil_from_days(long z, char out[11])
{
	long era, y;
	unsigned doe, yoe, doy, mp, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = (long)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	/* E-utilities dates have four-digit years */
	y = y < 0 ? 0 : y > 9999 ? 9999 : y;
	snprintf(out, 11, "%04u/%02u/%02u", (unsigned)y % 10000u, m % 13u, d % 32u);
}

static unsigned days_in_month(long y, unsigned m)
{
	static const unsigned days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* A --from/--to date (YYYY, YYYY-MM or YYYY-MM-DD) as a day number: the
 * first day it covers, or (upper) the last. */
static long day_of(const char *date, int upper)
{
	long y = 0;
	unsigned m = upper ? 12 : 1, d = 0;

	if (sscanf(date, "%ld-%u-%u", &y, &m, &d) < 1)
		return 0;
	if (d == 0)
		d = upper ? days_in_month(y, m) : 1;
	return days_from_civil(y, m, d);
}

static long today(void)
{
	return (long)(time(NULL) / 86400);
}

/* ---- requests ---- */

/* The form of an E-utilities request: the given parameters plus db,
 * tool, email and the key. */
static char *form(struct pubmed *pm, const char *params)
{
	struct wn_buf b = WN_BUF_INIT;

	wn_buf_adds(&b, "db=pubmed&");
	wn_buf_adds(&b, params);
	wn_http_add_param(&b, "tool", "winnow");
	if (pm->s->email)
		wn_http_add_param(&b, "email", pm->s->email);
	if (pm->key)
		wn_http_add_param(&b, "api_key", pm->key);
	return wn_buf_detach(&b);
}

struct esearch {
	struct pubmed *pm;
	struct wn_http_request req;
	struct wn_esearch_result *res;
};

/* One ESearch attempt: the answer is small, read whole, then parsed. */
static int esearch_attempt(void *ctx, enum wn_verdict *v, double *retry_after)
{
	struct esearch *e = ctx;
	struct wn_search *s = e->pm->s;
	struct wn_http_stream *r;
	struct wn_buf text = WN_BUF_INIT;
	char chunk[65536];
	ssize_t n = 0;
	int rc;

	wn_esearch_result_clear(e->res);
	memset(e->res, 0, sizeof(*e->res));
	if ((rc = wn_search_request(s, &e->req, "ESearch", 0, &r, v, retry_after)) < 0)
		return rc;
	while (text.len < ESEARCH_MAX_BYTES && (n = wn_http_read(r, chunk, sizeof(chunk))) > 0)
		wn_buf_add(&text, chunk, (size_t)n);
	wn_http_close(r);
	if (n < 0) {
		rc = (int)n;
	} else if (text.len >= ESEARCH_MAX_BYTES) {
		rc = wn_error_set(WN_ENETWORK, "%s: the ESearch answer is too large", s->svc.name);
		*v = WN_GIVE_UP;
	} else if ((rc = wn_esearch_parse("ESearch answer", wn_buf_str(&text), text.len,
					  e->res)) != WN_OK) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", wn_error_last());
		rc = wn_error_set(WN_ENETWORK, "%s: %s", s->svc.name, msg);
	} else if (e->res->error) {
		rc = wn_error_set(WN_ENETWORK, "%s: ESearch error: %s", s->svc.name,
				  e->res->error);
	} else if (e->res->count < 0) {
		rc = wn_error_set(WN_ENETWORK, "%s: the ESearch answer has no count", s->svc.name);
	}
	wn_buf_release(&text);
	return rc;
}

/* One ESearch, retried as needed. params: the form without db/tool/key.
 * Clear *res after, whatever the outcome. */
static int esearch(struct pubmed *pm, const char *params, struct wn_esearch_result *res)
{
	char *url = wn_join(pm->s->base, "", "esearch.fcgi");
	struct esearch e = { pm, { url, form(pm, params), NULL, pm->key }, res };
	struct wn_search_attempt a = { 0, esearch_attempt, NULL, NULL, &e };
	int rc;

	memset(res, 0, sizeof(*res));
	rc = wn_search_retry(pm->s, &a);
	free((char *)e.req.form);
	free(url);
	return rc;
}

/* The ESearch form for the query within a slice. */
static void slice_params(struct pubmed *pm, const struct wn_search_part *part, struct wn_buf *b)
{
	wn_http_add_param(b, "term", pm->s->opts->query);
	if (part && part->mindate[0]) {
		wn_http_add_param(b, "datetype", pm->datetype);
		wn_http_add_param(b, "mindate", part->mindate);
		wn_http_add_param(b, "maxdate", part->maxdate);
	}
}

static int count_slice(struct pubmed *pm, const char *mindate, const char *maxdate,
		       long long *count, char **translation)
{
	struct wn_search_part part;
	struct wn_buf b = WN_BUF_INIT;
	struct wn_esearch_result res;
	int rc;

	memset(&part, 0, sizeof(part));
	snprintf(part.mindate, sizeof(part.mindate), "%s", mindate ? mindate : "");
	snprintf(part.maxdate, sizeof(part.maxdate), "%s", maxdate ? maxdate : "");
	slice_params(pm, &part, &b);
	wn_http_add_param(&b, "retmax", "0");
	rc = esearch(pm, wn_buf_str(&b), &res);
	wn_buf_release(&b);
	if (rc == WN_OK) {
		*count = res.count;
		/* PubMed's warnings are about the query: said once, for the
		 * whole search, not for each slice */
		if (translation) {
			*translation = res.query_translation ? xstrdup(res.query_translation) : NULL;
			for (size_t i = 0; i < res.warnings.n; i++)
				wn_search_note(pm->s, "PubMed: %s", res.warnings.items[i]);
			for (size_t i = 0; i < res.errors.n; i++)
				wn_search_note(pm->s, "PubMed: %s", res.errors.items[i]);
		}
	}
	wn_esearch_result_clear(&res);
	return rc;
}

/* ---- planning the slices ---- */

struct plan {
	struct wn_search_part *parts;
	size_t n, cap;
	long long sum;
	char over[160]; /* a day over the cap, if any */
};

static void plan_add(struct plan *pl, long lo, long hi, long long count)
{
	struct wn_search_part *p;

	if (pl->n == pl->cap) {
		pl->cap = pl->cap ? pl->cap * 2 : 16;
		pl->parts = xrealloc(pl->parts, pl->cap * sizeof(*pl->parts));
	}
	p = &pl->parts[pl->n++];
	memset(p, 0, sizeof(*p));
	p->seq = (int)pl->n;
	civil_from_days(lo, p->mindate);
	civil_from_days(hi, p->maxdate);
	snprintf(p->label, sizeof(p->label), "%s-%s", p->mindate, p->maxdate);
	p->count_reported = count;
	pl->sum += count;
}

static int plan_slices(struct pubmed *pm, struct plan *pl, long lo, long hi, long long count)
{
	char a[11], b[11];
	long mid;
	long long left, right;
	int rc;

	if (count <= PUBMED_CAP || lo == hi) {
		if (count > PUBMED_CAP && !pl->over[0]) {
			civil_from_days(lo, a);
			snprintf(pl->over, sizeof(pl->over),
				 "%lld records have the date %s, more than the %d PubMed lets a "
				 "client fetch from one search: only %d of them were fetched",
				 count, a, PUBMED_CAP, PUBMED_CAP);
		}
		if (count > 0)
			plan_add(pl, lo, hi, count);
		return WN_OK;
	}
	mid = lo + (hi - lo) / 2;
	civil_from_days(lo, a);
	civil_from_days(mid, b);
	if ((rc = count_slice(pm, a, b, &left, NULL)) < 0)
		return rc;
	if ((rc = plan_slices(pm, pl, lo, mid, left)) < 0)
		return rc;
	civil_from_days(mid + 1, a);
	civil_from_days(hi, b);
	/* the right half is counted too: the halves need not add up */
	if ((rc = count_slice(pm, a, b, &right, NULL)) < 0)
		return rc;
	return plan_slices(pm, pl, mid + 1, hi, right);
}

/* ---- fetching ---- */

static int refresh_history(struct pubmed *pm, struct wn_search_part *part);

static int parse_pubmed_xml(struct wn_parser *p, void *arg)
{
	(void)arg;
	return wn_format_parse(wn_format_find("pubmed-xml"), p);
}

/* One batch: by the history (retstart, asked) or by `by_id`. */
struct batch {
	struct pubmed *pm;
	struct wn_search_part *part;
	const char *by_id;
	long long retstart;
	long asked;
	int last;
	long long had;
	int had_complete;
};

/* One EFetch answer, parsed and stored in the open transaction. */
static int batch_attempt(void *ctx, enum wn_verdict *v, double *retry_after)
{
	static const struct wn_search_reader rd = { "EFetch", parse_pubmed_xml, NULL, NULL, NULL };
	struct batch *b = ctx;
	struct wn_search *s = b->pm->s;
	struct wn_buf params = WN_BUF_INIT;
	struct wn_http_request req = { NULL, NULL, NULL, b->pm->key };
	struct wn_http_stream *r;
	char *url = wn_join(s->base, "", "efetch.fcgi");
	char num[32];
	int rc;

	b->had = b->part->count_retrieved;
	b->had_complete = b->part->complete;
	if (b->by_id) {
		wn_http_add_param(&params, "id", b->by_id);
	} else {
		wn_http_add_param(&params, "WebEnv", b->pm->webenv);
		wn_http_add_param(&params, "query_key", b->pm->query_key);
		snprintf(num, sizeof(num), "%lld", b->retstart);
		wn_http_add_param(&params, "retstart", num);
		snprintf(num, sizeof(num), "%ld", b->asked);
		wn_http_add_param(&params, "retmax", num);
	}
	wn_http_add_param(&params, "retmode", "xml");
	req.url = url;
	req.form = form(b->pm, wn_buf_str(&params));
	rc = wn_search_request(s, &req, "EFetch", 0, &r, v, retry_after);
	if (rc == WN_OK) {
		rc = wn_search_read(s, r, &rd);
		wn_http_close(r);
	}
	if (rc == WN_OK && s->page_got == 0 && b->asked > 0)
		rc = wn_error_set(WN_ENETWORK, "%s: EFetch answered with no records where %ld "
					       "were asked for", s->svc.name, b->asked);
	if (rc == WN_OK)
		rc = wn_search_part_progress(s, b->part, s->batch_stored, b->last);
	free((char *)req.form);
	free(url);
	wn_buf_release(&params);
	return rc;
}

static void batch_undo(void *ctx)
{
	struct batch *b = ctx;

	b->part->count_retrieved = b->had;
	b->part->complete = b->had_complete;
}

/* The history may have expired, or the answer was an error page: ask
 * ESearch again before the next attempt. */
static int batch_again(void *ctx)
{
	struct batch *b = ctx;

	return b->by_id ? WN_OK : refresh_history(b->pm, b->part);
}

/* Fetch and store one batch in its own transaction, retried as needed. */
static int fetch_batch(struct pubmed *pm, struct wn_search_part *part, const char *by_id,
		       long long retstart, long asked, int last)
{
	struct batch b = { pm, part, by_id, retstart, asked, last, 0, 0 };
	struct wn_search_attempt a = { 1, batch_attempt, batch_undo, batch_again, &b };
	int rc = wn_search_retry(pm->s, &a);

	if (rc == WN_OK)
		wn_search_report_progress(pm->s);
	return rc;
}

static int refresh_history(struct pubmed *pm, struct wn_search_part *part)
{
	struct wn_buf b = WN_BUF_INIT;
	struct wn_esearch_result res;
	int rc;

	slice_params(pm, part, &b);
	wn_http_add_param(&b, "usehistory", "y");
	wn_http_add_param(&b, "retmax", "0");
	rc = esearch(pm, wn_buf_str(&b), &res);
	wn_buf_release(&b);
	if (rc == WN_OK && (!res.webenv || !res.query_key))
		rc = wn_error_set(WN_ENETWORK, "%s: ESearch gave no history (WebEnv)", pm->s->svc.name);
	if (rc == WN_OK) {
		snprintf(pm->webenv, sizeof(pm->webenv), "%s", res.webenv);
		snprintf(pm->query_key, sizeof(pm->query_key), "%s", res.query_key);
		part->count_reported = res.count;
	}
	wn_esearch_result_clear(&res);
	return rc;
}

/* All of a slice (up to PubMed's cap and the run's --max). */
static int fetch_part(struct pubmed *pm, struct wn_search_part *part)
{
	long long want, retstart = 0;
	int rc;

	if ((rc = refresh_history(pm, part)) < 0)
		return rc;
	want = part->count_reported < PUBMED_CAP ? part->count_reported : PUBMED_CAP;
	if (pm->max && want > pm->max - pm->s->position)
		want = pm->max - pm->s->position;
	if (want <= 0)
		return wn_search_part_progress(pm->s, part, 0, 1);
	while (retstart < want) {
		long n = want - retstart < BATCH ? (long)(want - retstart) : BATCH;

		rc = fetch_batch(pm, part, NULL, retstart, n, retstart + n >= want);
		if (rc < 0)
			return rc;
		retstart += n;
	}
	return WN_OK;
}

/* Resume a slice: its PMIDs now, less those stored, fetched by id. */
static int resume_part(struct pubmed *pm, struct wn_search_part *part)
{
	struct wn_buf b = WN_BUF_INIT;
	struct wn_esearch_result res;
	struct wn_buf ids = WN_BUF_INIT;
	long batch = 0, total_missing = 0;
	int rc;
	char num[16];

	slice_params(pm, part, &b);
	snprintf(num, sizeof(num), "%d", PUBMED_CAP);
	wn_http_add_param(&b, "retmax", num);
	rc = esearch(pm, wn_buf_str(&b), &res);
	wn_buf_release(&b);
	if (rc < 0) {
		wn_esearch_result_clear(&res);
		return rc;
	}
	part->count_reported = res.count;
	for (size_t i = 0; i < res.ids.n; i++)
		total_missing += !wn_search_has_seen(pm->s, res.ids.items[i]);
	for (size_t i = 0; i <= res.ids.n && rc == WN_OK; i++) {
		if (i < res.ids.n) {
			if (wn_search_has_seen(pm->s, res.ids.items[i]))
				continue;
			if (pm->max && pm->s->position + batch >= pm->max)
				continue;
			if (ids.len)
				wn_buf_addc(&ids, ',');
			wn_buf_adds(&ids, res.ids.items[i]);
			batch++;
			total_missing--;
		}
		if (batch && (batch == BATCH || i == res.ids.n)) {
			rc = fetch_batch(pm, part, wn_buf_str(&ids), 0, batch, total_missing == 0);
			wn_buf_reset(&ids);
			batch = 0;
		}
	}
	if (rc == WN_OK && !part->complete)
		rc = wn_search_part_progress(pm->s, part, 0, 1);
	wn_buf_release(&ids);
	wn_esearch_result_clear(&res);
	return rc;
}

static void pubmed_init(struct pubmed *pm, struct wn_search *s)
{
	memset(pm, 0, sizeof(*pm));
	pm->s = s;
	pm->key = getenv("NCBI_API_KEY");
	if (pm->key && !*pm->key)
		pm->key = NULL;
	/* NCBI allows 3 requests a second, 10 with a key; a little under */
	s->svc.interval = pm->key ? 0.105 : 0.34;
	pm->datetype = s->opts->datetype ? s->opts->datetype : "edat";
	pm->max = s->opts->max;
}

static int fetch_parts(struct pubmed *pm, struct wn_search_part *parts, size_t n, int resume)
{
	int rc = WN_OK;

	for (size_t i = 0; i < n && rc == WN_OK; i++) {
		if (parts[i].complete)
			continue;
		if (pm->max && pm->s->position >= pm->max)
			break;
		rc = resume ? resume_part(pm, &parts[i]) : fetch_part(pm, &parts[i]);
	}
	return rc;
}

/* How the run ends: complete, or partial with the reason. */
static int finish(struct pubmed *pm, const char *over, long long total, long long sum)
{
	struct wn_search *s = pm->s;
	char msg[1024] = "";
	const char *status = "complete";

	if (over && *over) {
		snprintf(msg, sizeof(msg), "%s", over);
		status = "partial";
	} else if (sum >= 0 && sum != total) {
		snprintf(msg, sizeof(msg),
			 "the date slices hold %lld records but PubMed counts %lld for the whole "
			 "search (records without a %s date cannot be reached by slicing)",
			 sum, total, pm->datetype);
		status = "partial";
	}
	return wn_search_finish(s, status, msg);
}

static int pubmed_search(struct wn_search *s)
{
	const struct wn_search_options *opts = s->opts;
	struct pubmed pm;
	struct plan pl;
	char *translation = NULL;
	long long total;
	int rc;

	pubmed_init(&pm, s);
	memset(&pl, 0, sizeof(pl));
	{
		char lo[11] = "", hi[11] = "";
		long from = opts->from ? day_of(opts->from, 0) : 0;
		long to = opts->to ? day_of(opts->to, 1) : 0;

		if (opts->from || opts->to) {
			/* PubMed wants both ends */
			civil_from_days(opts->from ? from : days_from_civil(1700, 1, 1), lo);
			civil_from_days(opts->to ? to : today() + 366, hi);
		}
		rc = count_slice(&pm, *lo ? lo : NULL, *hi ? hi : NULL, &total, &translation);
		if (rc == WN_OK)
			rc = wn_search_set_reported(s, total, translation);
		if (rc == WN_OK) {
			long long fetch = pm.max && pm.max < total ? pm.max : total;

			s->total = fetch;
			if (total <= PUBMED_CAP || fetch <= PUBMED_CAP) {
				/* one part: the whole search */
				struct wn_search_part whole;

				memset(&whole, 0, sizeof(whole));
				whole.seq = 1;
				snprintf(whole.label, sizeof(whole.label), "%s", *lo ? "" : "all");
				if (*lo) {
					snprintf(whole.mindate, sizeof(whole.mindate), "%s", lo);
					snprintf(whole.maxdate, sizeof(whole.maxdate), "%s", hi);
					snprintf(whole.label, sizeof(whole.label), "%s-%s", lo, hi);
				}
				whole.count_reported = total;
				pl.sum = -1;
				if (total > 0) {
					pl.parts = xmalloc(sizeof(whole));
					pl.parts[0] = whole;
					pl.n = 1;
				}
			} else {
				long a = *lo ? from : days_from_civil(1700, 1, 1);
				long b = *hi ? to : today() + 366;

				wn_search_note(s, "PubMed counts %lld records, more than the %d it lets "
						  "a client fetch from one search: splitting by %s date",
					       total, PUBMED_CAP, pm.datetype);
				rc = plan_slices(&pm, &pl, a, b, total);
				if (rc == WN_OK)
					wn_search_note(s, "%zu date slices, holding %lld records", pl.n,
						       pl.sum);
			}
		}
	}
	if (rc == WN_OK && pl.n) {
		if ((rc = wn_store_begin(s->store)) == WN_OK) {
			for (size_t i = 0; i < pl.n && rc == WN_OK; i++)
				rc = wn_search_add_part(s, &pl.parts[i]);
			if (rc == WN_OK)
				rc = wn_store_commit(s->store);
			else
				wn_store_rollback(s->store);
		}
	}
	if (rc == WN_OK)
		rc = fetch_parts(&pm, pl.parts, pl.n, 0);
	if (rc == WN_OK)
		rc = finish(&pm, pl.over, total, pm.max ? -1 : pl.sum);
	free(translation);
	free(pl.parts);
	return rc;
}

static int pubmed_resume(struct wn_search *s)
{
	struct pubmed pm;
	struct wn_search_part *parts = NULL;
	size_t n = 0;
	long long total = s->out->count_reported, sum = 0;
	int rc;

	pubmed_init(&pm, s);
	rc = wn_search_load_parts(s, &parts, &n);
	if (rc == WN_OK && n == 0 && total != 0)
		rc = wn_error_set(WN_EINVALID, "search %lld stopped before it was planned: run it again "
					       "instead", (long long)s->run_id);
	for (size_t i = 0; i < n; i++)
		sum += parts[i].count_reported > 0 ? parts[i].count_reported : 0;
	s->total = pm.max && pm.max < sum ? pm.max : sum;
	if (rc == WN_OK)
		rc = fetch_parts(&pm, parts, n, 1);
	if (rc == WN_OK)
		rc = finish(&pm, NULL, total, pm.max || n <= 1 ? -1 : sum);
	free(parts);
	return rc;
}

int wn_pubmed_run(struct wn_search *s, int resume)
{
	return resume ? pubmed_resume(s) : pubmed_search(s);
}
