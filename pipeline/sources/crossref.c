/*
 * Crossref look-ups (`lookup doi`, `enrich --crossref`; see search.h).
 *
 * Each DOI is asked for as unixsd XML by content negotiation on the REST
 * API's transform route, at the pace Crossref's own X-Rate-Limit headers
 * set, with WINNOW_EMAIL as mailto (Crossref's "polite pool"). The answer
 * is read by the Crossref XML reader; a stored record with that DOI gains
 * only the fields it lacks, and what was filled (with Crossref's XML) is
 * kept beside it, in the same transaction as its audit entry.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "formats/formats_int.h"
#include "sources/search_int.h"
#include "util.h"

struct crossref {
	struct wn_search s; /* for notes, retries and the HTTP client */
	struct wn_search_options so;
	const struct wn_lookup_options *opts;
	struct wn_lookup_summary *out;
	/* the DOI being looked up, and the summary before it (for an
	 * attempt rolled back) */
	const char *doi;
	int found;
	struct wn_lookup_summary before;
};

/* The fields a look-up may fill, each with its UPDATE (a literal, so that
 * the store caches the statement). Only a NULL column is ever written. */
struct fill {
	const char *name;
	const char *sql;
};

static const struct fill fills[] = {
	{ "title", "UPDATE record SET title = ?1, title_key = ?3 WHERE id = ?2 AND title IS NULL" },
	{ "abstract", "UPDATE record SET abstract = ?1 WHERE id = ?2 AND abstract IS NULL" },
	{ "journal", "UPDATE record SET journal = ?1, journal_key = ?3 WHERE id = ?2 AND journal IS NULL" },
	{ "journal_abbrev", "UPDATE record SET journal_abbrev = ?1 WHERE id = ?2 AND journal_abbrev IS NULL" },
	{ "year", "UPDATE record SET year = ?1 WHERE id = ?2 AND year IS NULL" },
	{ "date", "UPDATE record SET date = ?1 WHERE id = ?2 AND date IS NULL" },
	{ "volume", "UPDATE record SET volume = ?1 WHERE id = ?2 AND volume IS NULL" },
	{ "issue", "UPDATE record SET issue = ?1 WHERE id = ?2 AND issue IS NULL" },
	{ "pages", "UPDATE record SET pages = ?1, pages_start = ?3 WHERE id = ?2 AND pages IS NULL" },
	{ "issn", "UPDATE record SET issn = ?1 WHERE id = ?2 AND issn IS NULL" },
	{ "publisher", "UPDATE record SET publisher = ?1 WHERE id = ?2 AND publisher IS NULL" },
	{ "url", "UPDATE record SET url = ?1 WHERE id = ?2 AND url IS NULL" },
};

static const char *field_value(const struct wn_record *rec, size_t i, char *num)
{
	switch (i) {
	case 0: return rec->title;
	case 1: return rec->abstract;
	case 2: return rec->journal;
	case 3: return rec->journal_abbrev;
	case 4:
		if (rec->year <= 0)
			return NULL;
		snprintf(num, 16, "%d", rec->year);
		return num;
	case 5: return rec->date;
	case 6: return rec->volume;
	case 7: return rec->issue;
	case 8: return rec->pages;
	case 9: return rec->issn;
	case 10: return rec->publisher;
	case 11: return rec->url;
	default: return NULL;
	}
}

static int record_enrichment(struct crossref *cr, sqlite3_int64 record_id, const char *fields,
			     const struct wn_record *rec)
{
	sqlite3_stmt *st = wn_store_prepare(cr->s.store,
		"INSERT INTO record_enrichment (record_id, source, doi, fetched_at, found, fields, "
		"raw, raw_format) VALUES (?1, 'crossref', ?2, ?3, ?4, ?5, ?6, ?7)");
	char now[21];
	int rc;

	if (!st)
		return WN_ERROR;
	wn_utc_now(now);
	sqlite3_bind_int64(st, 1, record_id);
	wn_bind_text(st, 2, cr->doi);
	wn_bind_text(st, 3, now);
	sqlite3_bind_int(st, 4, rec != NULL);
	wn_bind_text(st, 5, fields);
	if (rec && rec->raw)
		sqlite3_bind_blob(st, 6, rec->raw, (int)rec->raw_len, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 6);
	wn_bind_text(st, 7, rec ? rec->raw_format : NULL);
	rc = sqlite3_step(st) == SQLITE_DONE ? WN_OK
					     : wn_store_fail(cr->s.store, "cannot keep the look-up");
	sqlite3_reset(st);
	if (rc == WN_OK) {
		char *doi = wn_json_quote(cr->doi);
		char *details = xasprintf("{\"source\":\"crossref\",\"doi\":%s,\"found\":%s,"
					  "\"filled\":%s}", doi, rec ? "true" : "false", fields);

		rc = wn_audit_append(cr->s.store, "enrich", "record", record_id, details);
		free(details);
		free(doi);
	}
	return rc;
}

/* Fill one stored record from Crossref's. */
static int fill_record(struct crossref *cr, sqlite3_int64 id, const struct wn_record *rec)
{
	json_t *filled = json_object();
	char *fields;
	int rc = WN_OK;

	for (size_t i = 0; i < sizeof(fills) / sizeof(fills[0]) && rc == WN_OK; i++) {
		char num[16];
		const char *v = field_value(rec, i, num);
		sqlite3_stmt *st;
		char *key;

		if (!v || !*v)
			continue;
		if (!(st = wn_store_prepare(cr->s.store, fills[i].sql)))
			return WN_ERROR;
		key = wn_field_key(fills[i].name, v);
		if (i == 4)
			sqlite3_bind_int(st, 1, rec->year);
		else
			wn_bind_text(st, 1, v);
		sqlite3_bind_int64(st, 2, id);
		if (sqlite3_bind_parameter_count(st) >= 3)
			wn_bind_text(st, 3, key);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = wn_store_fail(cr->s.store, "cannot fill in a record");
		else if (sqlite3_changes(cr->s.store->db) > 0)
			json_object_set_new(filled, fills[i].name, json_string(v));
		sqlite3_reset(st);
		free(key);
	}
	if (rc == WN_OK) {
		if (json_object_size(filled)) {
			cr->out->records_filled++;
			cr->out->fields_filled += (long)json_object_size(filled);
		}
		fields = json_dumps(filled, JSON_COMPACT | JSON_PRESERVE_ORDER);
		rc = record_enrichment(cr, id, fields ? fields : "{}", rec);
		free(fields);
	}
	json_decref(filled);
	return rc;
}

/* Every stored record with the DOI, filled from rec (NULL: not found). */
static int fill_all(struct crossref *cr, const struct wn_record *rec)
{
	/* lookup doi fills every record with the DOI; enrich those it chose */
	sqlite3_stmt *st = wn_store_prepare(cr->s.store, cr->opts->dois
		? "SELECT id FROM record WHERE doi = ?1"
		: "SELECT id FROM record WHERE doi = ?1 AND (abstract IS NULL OR journal IS NULL "
		  "OR year IS NULL)");
	sqlite3_int64 *ids = NULL;
	size_t n = 0, cap = 0;
	int rc = WN_OK, step;

	if (!st)
		return WN_ERROR;
	wn_bind_text(st, 1, cr->doi);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 4;
			ids = xrealloc(ids, cap * sizeof(*ids));
		}
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	if (step != SQLITE_DONE)
		rc = wn_store_fail(cr->s.store, "cannot read the records");
	sqlite3_reset(st);
	for (size_t i = 0; i < n && rc == WN_OK; i++)
		rc = rec ? fill_record(cr, ids[i], rec) : record_enrichment(cr, ids[i], "{}", NULL);
	free(ids);
	return rc;
}

static int sink_record(void *ctx, struct wn_record *rec)
{
	struct crossref *cr = ctx;
	int rc;

	if (cr->found++)
		return WN_OK; /* one work per DOI */
	if (cr->opts->record && (rc = cr->opts->record(cr->opts->ctx, cr->doi, rec)) != 0)
		return rc;
	return fill_all(cr, rec);
}

static int parse_crossref_xml(struct wn_parser *p, void *arg)
{
	(void)arg;
	return wn_format_parse(wn_format_find("crossref-xml"), p);
}

/* One look-up, in the open transaction: filled, or kept as unknown. */
static int lookup_attempt(void *ctx, enum wn_verdict *v, double *retry_after)
{
	struct crossref *cr = ctx;
	struct wn_search_reader rd = { cr->doi, parse_crossref_xml, NULL, sink_record, cr };
	struct wn_buf url = WN_BUF_INIT;
	struct wn_http_request req = { NULL, NULL, "application/vnd.crossref.unixsd+xml", NULL };
	struct wn_http_stream *r;
	char *doi = wn_http_escape(cr->doi);
	int rc;

	cr->before = *cr->out;
	wn_buf_adds(&url, cr->s.base);
	wn_buf_adds(&url, "works/");
	wn_buf_adds(&url, doi);
	wn_buf_adds(&url, "/transform");
	if (cr->s.email) {
		wn_buf_addc(&url, '?');
		wn_http_add_param(&url, "mailto", cr->s.email);
	}
	free(doi);
	req.url = wn_buf_str(&url);
	rc = wn_search_request(&cr->s, &req, cr->doi, 404, &r, v, retry_after);
	if (rc == WN_OK && wn_http_status(r) == 404) {
		/* Crossref does not know it: said, kept, not asked again */
		wn_search_note(&cr->s, "Crossref does not know %s", cr->doi);
		rc = fill_all(cr, NULL);
		cr->out->not_found++;
	} else if (rc == WN_OK) {
		cr->found = 0;
		rc = wn_search_read(&cr->s, r, &rd);
		if (rc == WN_OK && !cr->found) {
			/* an unresolved query: as good as not found */
			wn_search_note(&cr->s, "Crossref has no work for %s", cr->doi);
			rc = fill_all(cr, NULL);
			cr->out->not_found++;
		} else if (rc == WN_OK) {
			cr->out->found++;
		}
	}
	wn_http_close(r);
	wn_buf_release(&url);
	return rc;
}

static void lookup_undo(void *ctx)
{
	struct crossref *cr = ctx;

	*cr->out = cr->before;
}

static int lookup_doi(struct crossref *cr, const char *doi)
{
	struct wn_search_attempt a = { 1, lookup_attempt, lookup_undo, NULL, cr };
	int rc;

	cr->doi = doi;
	cr->out->dois++;
	if ((rc = wn_search_retry(&cr->s, &a)) == WN_OK) {
		cr->s.position++;
		wn_search_report_progress(&cr->s);
	}
	return rc;
}

/* The DOIs of stored records that lack an abstract, journal or year and
 * were never looked up. */
static int dois_to_enrich(struct crossref *cr, struct wn_strlist *dois)
{
	sqlite3_stmt *st = wn_store_prepare(cr->s.store,
		"SELECT DISTINCT r.doi FROM record r WHERE r.doi IS NOT NULL "
		"AND (r.abstract IS NULL OR r.journal IS NULL OR r.year IS NULL) "
		"AND NOT EXISTS (SELECT 1 FROM record_enrichment e WHERE e.record_id = r.id "
		"AND e.source = 'crossref') ORDER BY r.doi");
	int step;

	if (!st)
		return WN_ERROR;
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		wn_strlist_add(dois, wn_column_text(st, 0));
	sqlite3_reset(st);
	return step == SQLITE_DONE ? WN_OK : wn_store_fail(cr->s.store, "cannot read the records");
}

int wn_crossref_lookup(struct wn_store *store, const struct wn_lookup_options *opts,
		       struct wn_lookup_summary *out)
{
	struct crossref cr;
	struct wn_strlist dois = { 0 };
	const char *email = getenv("WINNOW_EMAIL");
	int rc = WN_OK;

	memset(out, 0, sizeof(*out));
	memset(&cr, 0, sizeof(cr));
	cr.opts = opts;
	cr.out = out;
	cr.so.progress = opts->progress;
	cr.so.ctx = opts->ctx;
	cr.s.store = store;
	cr.s.opts = &cr.so;
	cr.s.source = "crossref";
	cr.s.unit = "DOIs";
	cr.s.base = wn_search_base_url("WINNOW_CROSSREF_URL", "https://api.crossref.org/");
	cr.s.email = email && *email ? email : NULL;
	cr.s.svc.name = "Crossref";
	/* until its headers say otherwise: the public pool's 50 a second */
	cr.s.svc.interval = 0.02;
	cr.s.svc.adapt_to_headers = 1;
	if (opts->dois) {
		for (size_t i = 0; i < opts->ndois; i++) {
			char *d = wn_normalize_doi(opts->dois[i]);

			if (!d || !wn_looks_like_doi(d)) {
				free(d);
				rc = wn_error_set(WN_EINVALID, "'%s' is not a DOI", opts->dois[i]);
				break;
			}
			/* the same DOI written two ways is asked for once */
			for (size_t j = 0; d && j < dois.n; j++)
				if (strcmp(dois.items[j], d) == 0) {
					free(d);
					d = NULL;
				}
			if (d)
				wn_strlist_take(&dois, d);
		}
	} else {
		rc = dois_to_enrich(&cr, &dois);
	}
	if (rc == WN_OK)
		rc = wn_http_new(&cr.s.http, cr.s.email);
	cr.s.total = opts->max && (size_t)opts->max < dois.n ? opts->max : (long long)dois.n;
	for (size_t i = 0; i < dois.n && rc == WN_OK; i++) {
		if (opts->max && (long long)i >= opts->max)
			break;
		rc = lookup_doi(&cr, dois.items[i]);
	}
	wn_strlist_clear(&dois);
	wn_http_free(cr.s.http);
	free(cr.s.base);
	return rc;
}
