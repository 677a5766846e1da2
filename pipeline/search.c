/*
 * Search runs in the store (see winnow/search.h): the run row, its parts,
 * the records, what is new since the last run of the same search, and
 * `search list`. The protocols of the services are in sources/.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "record_store.h"
#include "sources/search_int.h"
#include "util.h"

/* The services a search can run on, with each one's own part. */
static const struct service {
	const char *source, *database, *platform;
	const char *name;      /* for messages: "PubMed E-utilities" */
	const char *env, *base; /* where it is */
	int (*run)(struct wn_search *s, int resume);
} services[] = {
	{ "pubmed", "PubMed", "NCBI E-utilities", "PubMed E-utilities", "WINNOW_EUTILS_URL",
	  "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/", wn_pubmed_run },
	{ "europepmc", "Europe PMC", "Europe PMC REST API", "Europe PMC", "WINNOW_EUROPEPMC_URL",
	  "https://www.ebi.ac.uk/europepmc/webservices/rest/", wn_europepmc_run },
	{ "arxiv", "arXiv", "arXiv API", "arXiv API", "WINNOW_ARXIV_URL",
	  "https://export.arxiv.org/api/", wn_arxiv_run },
};

static int find_service(const char *source)
{
	for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		if (strcmp(services[i].source, source) == 0)
			return (int)i;
	return -1;
}

void wn_search_interrupt(void)
{
	wn_http_interrupt();
}

void wn_search_note(struct wn_search *s, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	struct wn_search_progress p = { s->source, s->total, s->position, msg, s->unit };

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (s->opts && s->opts->progress)
		s->opts->progress(s->opts->ctx, &p);
}

void wn_search_report_progress(struct wn_search *s)
{
	struct wn_search_progress p = { s->source, s->total, s->position, NULL, s->unit };

	if (s->opts && s->opts->progress)
		s->opts->progress(s->opts->ctx, &p);
}

static char *limits_json(const struct wn_search_options *o)
{
	json_t *j = json_object();
	char *text;

	if (o->from)
		json_object_set_new(j, "from", json_string(o->from));
	if (o->to)
		json_object_set_new(j, "to", json_string(o->to));
	if (o->datetype)
		json_object_set_new(j, "datetype", json_string(o->datetype));
	if (o->max > 0)
		json_object_set_new(j, "max", json_integer(o->max));
	if (o->synonym)
		json_object_set_new(j, "synonym", json_true());
	text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return text;
}

int wn_search_create_run(struct wn_search *s, const char *database_name,
			 const char *platform, const char *base_url, const char *query,
			 const char *limits)
{
	sqlite3_stmt *st;
	char now[21];
	sqlite3_int64 previous = 0;
	int rc;

	if ((rc = wn_store_begin(s->store)) < 0)
		return rc;
	/* the same search run before: same service, query and limits */
	st = wn_store_prepare(s->store, "SELECT max(id) FROM search_run WHERE source = ?1 "
					"AND query = ?2 AND coalesce(limits, '') = ?3");
	if (!st) {
		rc = WN_ERROR;
		goto fail;
	}
	wn_bind_text(st, 1, s->source);
	wn_bind_text(st, 2, query);
	wn_bind_text(st, 3, limits);
	if (sqlite3_step(st) == SQLITE_ROW)
		previous = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	wn_utc_now(now);
	st = wn_store_prepare(s->store,
			      "INSERT INTO search_run (source, database_name, platform, base_url, "
			      "query, limits, started_at, status, previous_run_id) "
			      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'running', ?8)");
	if (!st) {
		rc = WN_ERROR;
		goto fail;
	}
	wn_bind_text(st, 1, s->source);
	wn_bind_text(st, 2, database_name);
	wn_bind_text(st, 3, platform);
	wn_bind_text(st, 4, base_url);
	wn_bind_text(st, 5, query);
	wn_bind_text(st, 6, limits);
	wn_bind_text(st, 7, now);
	if (previous > 0)
		sqlite3_bind_int64(st, 8, previous);
	else
		sqlite3_bind_null(st, 8);
	rc = wn_store_run(s->store, st, "cannot record the search");
	if (rc < 0)
		goto fail;
	s->run_id = sqlite3_last_insert_rowid(s->store->db);
	s->out->run_id = s->run_id;
	s->out->previous_run = previous;
	{
		char *q = wn_json_quote(query), *src = wn_json_quote(s->source);
		char *details = xasprintf("{\"source\":%s,\"query\":%s,\"limits\":%s}", src, q,
					  limits ? limits : "{}");

		rc = wn_audit_append(s->store, "search", "search_run", s->run_id, details);
		free(details);
		free(q);
		free(src);
	}
	if (rc < 0)
		goto fail;
	return wn_store_commit(s->store);
fail:
	wn_store_rollback(s->store);
	return rc;
}

static int exec_bound(struct wn_search *s, const char *sql, const char *what,
		      void (*bind)(sqlite3_stmt *st, const void *arg), const void *arg)
{
	sqlite3_stmt *st = wn_store_prepare(s->store, sql);

	if (!st)
		return WN_ERROR;
	bind(st, arg);
	return wn_store_run(s->store, st, what);
}

struct reported {
	sqlite3_int64 run;
	long long count;
	const char *translation;
};

static void bind_reported(sqlite3_stmt *st, const void *arg)
{
	const struct reported *r = arg;

	sqlite3_bind_int64(st, 1, r->count);
	wn_bind_text(st, 2, r->translation);
	sqlite3_bind_int64(st, 3, r->run);
}

int wn_search_set_reported(struct wn_search *s, long long count, const char *translation)
{
	struct reported r = { s->run_id, count, translation };
	int rc;

	if ((rc = wn_store_begin(s->store)) < 0)
		return rc;
	rc = exec_bound(s, "UPDATE search_run SET count_reported = ?1, "
			   "query_translation = coalesce(?2, query_translation) WHERE id = ?3",
			"cannot record the search", bind_reported, &r);
	if (rc < 0) {
		wn_store_rollback(s->store);
		return rc;
	}
	s->out->count_reported = count;
	if (translation)
		snprintf(s->out->translation, sizeof(s->out->translation), "%s", translation);
	return wn_store_commit(s->store);
}

int wn_search_add_part(struct wn_search *s, struct wn_search_part *part)
{
	sqlite3_stmt *st = wn_store_prepare(s->store,
		"INSERT INTO search_part (search_run_id, seq, label, params, count_reported) "
		"VALUES (?1, ?2, ?3, ?4, ?5)");
	char *params;
	json_t *j;
	int rc;

	if (!st)
		return WN_ERROR;
	j = json_object();
	if (part->mindate[0])
		json_object_set_new(j, "mindate", json_string(part->mindate));
	if (part->maxdate[0])
		json_object_set_new(j, "maxdate", json_string(part->maxdate));
	params = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	sqlite3_bind_int64(st, 1, s->run_id);
	sqlite3_bind_int(st, 2, part->seq);
	wn_bind_text(st, 3, part->label);
	wn_bind_text(st, 4, params);
	if (part->count_reported >= 0)
		sqlite3_bind_int64(st, 5, part->count_reported);
	else
		sqlite3_bind_null(st, 5);
	rc = wn_store_run(s->store, st, "cannot record the search");
	free(params);
	part->id = sqlite3_last_insert_rowid(s->store->db);
	return rc;
}

static void copy_param(json_t *j, const char *key, char *out, size_t cap)
{
	const char *v = json_string_value(json_object_get(j, key));

	snprintf(out, cap, "%s", v ? v : "");
}

int wn_search_load_parts(struct wn_search *s, struct wn_search_part **parts, size_t *n)
{
	sqlite3_stmt *st = wn_store_prepare(s->store,
		"SELECT id, seq, label, params, count_reported, count_retrieved, status, "
		"coalesce(cursor, '') FROM search_part WHERE search_run_id = ?1 ORDER BY seq");
	size_t cap = 0;
	int rc;

	*parts = NULL;
	*n = 0;
	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, s->run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct wn_search_part *p;
		json_t *j;

		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*parts = xrealloc(*parts, cap * sizeof(**parts));
		}
		p = &(*parts)[(*n)++];
		memset(p, 0, sizeof(*p));
		p->id = sqlite3_column_int64(st, 0);
		p->seq = sqlite3_column_int(st, 1);
		snprintf(p->label, sizeof(p->label), "%s", wn_column_text(st, 2));
		j = json_loads(wn_column_text(st, 3), 0, NULL);
		copy_param(j, "mindate", p->mindate, sizeof(p->mindate));
		copy_param(j, "maxdate", p->maxdate, sizeof(p->maxdate));
		json_decref(j);
		p->count_reported = sqlite3_column_type(st, 4) == SQLITE_NULL
			? -1 : sqlite3_column_int64(st, 4);
		p->count_retrieved = sqlite3_column_int64(st, 5);
		p->complete = strcmp(wn_column_text(st, 6), "complete") == 0;
		snprintf(p->cursor, sizeof(p->cursor), "%s", wn_column_text(st, 7));
	}
	rc = rc == SQLITE_DONE ? WN_OK : wn_store_fail(s->store, "cannot read the search");
	sqlite3_reset(st);
	return rc;
}

struct part_update {
	const struct wn_search_part *part;
	sqlite3_int64 run;
	long long added;
};

static void bind_part(sqlite3_stmt *st, const void *arg)
{
	const struct part_update *u = arg;

	sqlite3_bind_int64(st, 1, u->part->count_retrieved);
	wn_bind_text(st, 2, u->part->complete ? "complete" : "pending");
	if (u->part->count_reported >= 0)
		sqlite3_bind_int64(st, 3, u->part->count_reported);
	else
		sqlite3_bind_null(st, 3);
	sqlite3_bind_int64(st, 4, u->part->id);
	wn_bind_text(st, 5, u->part->cursor[0] ? u->part->cursor : NULL);
}

static void bind_run_count(sqlite3_stmt *st, const void *arg)
{
	const struct part_update *u = arg;

	sqlite3_bind_int64(st, 1, u->added);
	sqlite3_bind_int64(st, 2, u->run);
}

int wn_search_part_progress(struct wn_search *s, struct wn_search_part *part,
			    long long retrieved, int complete)
{
	struct part_update u = { part, s->run_id, s->batch_stored };
	int rc;

	part->count_retrieved += retrieved;
	part->complete = complete;
	rc = exec_bound(s, "UPDATE search_part SET count_retrieved = ?1, status = ?2, "
			   "count_reported = ?3, cursor = ?5 WHERE id = ?4",
			"cannot record the search", bind_part, &u);
	if (rc == WN_OK && s->batch_stored)
		rc = exec_bound(s, "UPDATE search_run SET count_retrieved = count_retrieved + ?1 "
				   "WHERE id = ?2",
				"cannot record the search", bind_run_count, &u);
	if (rc == WN_OK && s->batch_stored) {
		char *details = xasprintf("{\"part\":%d,\"records\":%lld}", part->seq,
					  s->batch_stored);

		rc = wn_audit_append(s->store, "search-batch", "search_run", s->run_id, details);
		free(details);
	}
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void seen_add(struct wn_search *s, const char *id)
{
	if (s->nseen == s->seen_cap) {
		s->seen_cap = s->seen_cap ? s->seen_cap * 2 : 256;
		s->seen = xrealloc(s->seen, s->seen_cap * sizeof(*s->seen));
	}
	s->seen[s->nseen++] = xstrdup(id);
}

int wn_search_load_seen(struct wn_search *s)
{
	sqlite3_stmt *st = wn_store_prepare(s->store,
		"SELECT source_id FROM record WHERE search_run_id = ?1 AND source_id IS NOT NULL");
	int rc;

	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, s->run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		seen_add(s, wn_column_text(st, 0));
	rc = rc == SQLITE_DONE ? WN_OK : wn_store_fail(s->store, "cannot read the search");
	sqlite3_reset(st);
	qsort(s->seen, s->nseen, sizeof(*s->seen), cmp_str);
	s->resuming = 1;
	return rc;
}

int wn_search_has_seen(const struct wn_search *s, const char *source_id)
{
	return source_id && s->nseen &&
	       bsearch(&source_id, s->seen, s->nseen, sizeof(*s->seen), cmp_str) != NULL;
}

int wn_search_store_record(struct wn_search *s, struct wn_record *rec)
{
	int rc;

	/* a resumed batch may hold records a committed one stored */
	if (s->resuming && wn_search_has_seen(s, rec->source_id))
		return WN_OK;
	rec->position = ++s->position;
	rec->line = 0;
	rc = wn_record_insert(s->store, rec, 0, s->run_id, NULL);
	if (rc == WN_OK)
		s->batch_stored++;
	else
		s->position--;
	return rc;
}

struct finish {
	sqlite3_int64 run, previous;
	const char *status, *message;
	const char *now;
};

static void bind_finish(sqlite3_stmt *st, const void *arg)
{
	const struct finish *f = arg;

	wn_bind_text(st, 1, f->status);
	wn_bind_text(st, 2, f->message && *f->message ? f->message : NULL);
	wn_bind_text(st, 3, f->now);
	sqlite3_bind_int64(st, 4, f->previous);
	sqlite3_bind_int64(st, 5, f->run);
}

int wn_search_finish(struct wn_search *s, const char *status, const char *message)
{
	char now[21];
	struct finish f = { s->run_id, s->out->previous_run, status, message, now };
	sqlite3_stmt *st;
	int rc;

	wn_utc_now(now);
	if ((rc = wn_store_begin(s->store)) < 0)
		return rc;
	/* new: not in the previous run of the same search (all of them when
	 * there is none) */
	rc = exec_bound(s, "UPDATE search_run SET status = ?1, message = ?2, finished_at = ?3, "
			   "records_new = (SELECT count(*) FROM record r WHERE r.search_run_id = ?5 "
			   "  AND NOT EXISTS (SELECT 1 FROM record p WHERE p.search_run_id = ?4 "
			   "  AND p.source_id = r.source_id)) WHERE id = ?5",
			"cannot record the search", bind_finish, &f);
	if (rc < 0)
		goto fail;
	st = wn_store_prepare(s->store, "SELECT count_retrieved, records_new, count_reported "
					"FROM search_run WHERE id = ?1");
	if (!st) {
		rc = WN_ERROR;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, s->run_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		s->out->retrieved = sqlite3_column_int64(st, 0);
		s->out->records_new = sqlite3_column_int64(st, 1);
		s->out->count_reported = sqlite3_column_type(st, 2) == SQLITE_NULL
			? -1 : sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	{
		char *msg = wn_json_quote(message ? message : "");
		char *details = xasprintf("{\"status\":\"%s\",\"retrieved\":%lld,\"new\":%lld,"
					  "\"message\":%s}", status, s->out->retrieved,
					  s->out->records_new, msg);

		rc = wn_audit_append(s->store, "search-finish", "search_run", s->run_id, details);
		free(details);
		free(msg);
	}
	if (rc < 0)
		goto fail;
	s->out->status = status;
	if (message && message != s->out->message)
		snprintf(s->out->message, sizeof(s->out->message), "%s", message);
	return wn_store_commit(s->store);
fail:
	wn_store_rollback(s->store);
	return rc;
}

static void search_release(struct wn_search *s)
{
	for (size_t i = 0; i < s->nseen; i++)
		free(s->seen[i]);
	free(s->seen);
	free(s->base);
	wn_http_free(s->http);
}

/* What a search run and a resume both set up: the service, its address,
 * the HTTP client. */
static int search_begin(struct wn_search *s, struct wn_store *store,
			const struct wn_search_options *opts, struct wn_search_summary *out,
			const struct service *svc)
{
	const char *email = getenv("WINNOW_EMAIL");

	memset(s, 0, sizeof(*s));
	s->store = store;
	s->opts = opts;
	s->out = out;
	s->source = svc->source;
	s->total = -1;
	s->svc.name = svc->name;
	s->base = wn_search_base_url(svc->env, svc->base);
	s->email = email && *email ? email : NULL;
	return wn_http_new(&s->http, s->email);
}

/* After a failure: the run stays, marked failed (or partial, when some
 * records were stored), with the error as its message; the error itself
 * is what the caller reports. */
static int fail_run(struct wn_search *s, int rc)
{
	char msg[1024];
	int code = wn_error_code();

	snprintf(msg, sizeof(msg), "%s", wn_error_last());
	if (s->run_id > 0) {
		const char *status = rc == WN_EINTERRUPTED ? "partial" : "failed";

		/* the store's own error wins over the search's */
		(void)wn_search_finish(s, status, msg);
		wn_error_set(code ? code : rc, "%s", msg);
	}
	return rc;
}

static int valid_date(const char *d)
{
	return !d || wn_date_valid(d, 0);
}

int wn_search_check_options(const struct wn_search_options *opts)
{
	if (!opts->source || find_service(opts->source) < 0) {
		char known[128] = "";

		for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++)
			snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s%s",
				 i ? ", " : "", services[i].source);
		return wn_error_set(WN_EINVALID, "unknown search source '%s' (known: %s)",
				    opts->source ? opts->source : "", known);
	}
	if (!opts->query || !*(opts->query + strspn(opts->query, " \t\r\n")))
		return wn_error_set(WN_EINVALID, "the query is empty");
	if (!valid_date(opts->from) || !valid_date(opts->to))
		return wn_error_set(WN_EINVALID, "dates are written YYYY, YYYY-MM or YYYY-MM-DD, "
						 "not '%s'", !valid_date(opts->from) ? opts->from : opts->to);
	if (opts->datetype && strcmp(opts->datetype, "edat") && strcmp(opts->datetype, "pdat") &&
	    strcmp(opts->datetype, "mdat"))
		return wn_error_set(WN_EINVALID, "--datetype must be edat, pdat or mdat, not '%s'",
				    opts->datetype);
	if (opts->max < 0)
		return wn_error_set(WN_EINVALID, "--max must be a positive number");
	return WN_OK;
}

int wn_search_run(struct wn_store *store, const struct wn_search_options *opts,
		  struct wn_search_summary *out)
{
	struct wn_search s;
	char *limits;
	int svc = -1, rc;

	memset(out, 0, sizeof(*out));
	out->count_reported = -1;
	if ((rc = wn_search_check_options(opts)) < 0)
		return rc;
	svc = find_service(opts->source);
	rc = search_begin(&s, store, opts, out, &services[svc]);
	limits = limits_json(opts);
	if (rc == WN_OK)
		rc = wn_search_create_run(&s, services[svc].database, services[svc].platform, s.base,
					  opts->query, limits);
	free(limits);
	if (rc == WN_OK)
		rc = services[svc].run(&s, 0);
	if (rc < 0)
		rc = fail_run(&s, rc);
	search_release(&s);
	return rc;
}

int wn_search_resume(struct wn_store *store, long long run_id,
		     const struct wn_search_options *opts, struct wn_search_summary *out)
{
	struct wn_search s;
	struct wn_search_options stored;
	sqlite3_stmt *st;
	char source[32] = "", status[16] = "";
	char *query = NULL;
	json_t *limits = NULL;
	int svc = -1, rc;

	memset(out, 0, sizeof(*out));
	out->count_reported = -1;
	st = wn_store_prepare(store, "SELECT source, status, count_reported, previous_run_id, "
				     "coalesce(query_translation, ''), query, coalesce(limits, '{}') "
				     "FROM search_run WHERE id = ?1");
	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, run_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(source, sizeof(source), "%s", wn_column_text(st, 0));
		snprintf(status, sizeof(status), "%s", wn_column_text(st, 1));
		out->count_reported = sqlite3_column_type(st, 2) == SQLITE_NULL
			? -1 : sqlite3_column_int64(st, 2);
		out->previous_run = sqlite3_column_int64(st, 3);
		snprintf(out->translation, sizeof(out->translation), "%s", wn_column_text(st, 4));
		query = xstrdup(wn_column_text(st, 5));
		limits = json_loads(wn_column_text(st, 6), 0, NULL);
	}
	sqlite3_reset(st);
	rc = WN_OK;
	if (!*source)
		rc = wn_error_set(WN_ENOTFOUND, "there is no search %lld (see: winnow search list)",
				  run_id);
	else if (strcmp(status, "complete") == 0)
		rc = wn_error_set(WN_EINVALID, "search %lld is complete: nothing to resume", run_id);
	else if ((svc = find_service(source)) < 0)
		rc = wn_error_set(WN_EINVALID, "search %lld is from '%s', which cannot be resumed",
				  run_id, source);
	if (rc < 0) {
		free(query);
		json_decref(limits);
		return rc;
	}
	/* the search as the run stored it: query and limits (limits_json's
	 * keys), with the caller's progress */
	memset(&stored, 0, sizeof(stored));
	stored.source = source;
	stored.query = query;
	stored.from = json_string_value(json_object_get(limits, "from"));
	stored.to = json_string_value(json_object_get(limits, "to"));
	stored.datetype = json_string_value(json_object_get(limits, "datetype"));
	stored.max = json_integer_value(json_object_get(limits, "max"));
	stored.synonym = json_is_true(json_object_get(limits, "synonym"));
	stored.progress = opts->progress;
	stored.ctx = opts->ctx;
	rc = search_begin(&s, store, &stored, out, &services[svc]);
	s.run_id = run_id;
	out->run_id = run_id;
	if (rc == WN_OK)
		rc = wn_search_load_seen(&s);
	if (rc == WN_OK) {
		s.position = (long long)s.nseen;
		st = wn_store_prepare(store, "SELECT coalesce(max(position), 0) FROM record "
					     "WHERE search_run_id = ?1");
		if (st) {
			sqlite3_bind_int64(st, 1, run_id);
			if (sqlite3_step(st) == SQLITE_ROW)
				s.position = sqlite3_column_int64(st, 0);
			sqlite3_reset(st);
		}
		wn_search_note(&s, "resuming search %lld: %lld records stored so far", run_id,
			       s.position);
		rc = services[svc].run(&s, 1);
	}
	if (rc < 0)
		rc = fail_run(&s, rc);
	search_release(&s);
	free(query);
	json_decref(limits);
	return rc;
}

int wn_search_list(struct wn_store *store,
		   int (*row)(void *ctx, const struct wn_search_row *r), void *ctx)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT id, source, database_name, coalesce(platform, ''), coalesce(base_url, ''), "
		"query, coalesce(query_translation, ''), coalesce(limits, '{}'), started_at, "
		"coalesce(finished_at, ''), status, coalesce(message, ''), count_reported, "
		"count_retrieved, records_new, coalesce(previous_run_id, 0) "
		"FROM search_run ORDER BY id");
	int rc = WN_OK, step = SQLITE_DONE;

	if (!st)
		return WN_ERROR;
	while (rc == WN_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		struct wn_search_row r = {
			.id = sqlite3_column_int64(st, 0),
			.source = wn_column_text(st, 1),
			.database_name = wn_column_text(st, 2),
			.platform = wn_column_text(st, 3),
			.base_url = wn_column_text(st, 4),
			.query = wn_column_text(st, 5),
			.query_translation = wn_column_text(st, 6),
			.limits = wn_column_text(st, 7),
			.started_at = wn_column_text(st, 8),
			.finished_at = wn_column_text(st, 9),
			.status = wn_column_text(st, 10),
			.message = wn_column_text(st, 11),
			.count_reported = sqlite3_column_type(st, 12) == SQLITE_NULL
				? -1 : sqlite3_column_int64(st, 12),
			.count_retrieved = sqlite3_column_int64(st, 13),
			.records_new = sqlite3_column_int64(st, 14),
			.previous_run_id = sqlite3_column_int64(st, 15),
		};

		rc = row(ctx, &r);
	}
	if (rc == WN_OK && step != SQLITE_DONE)
		rc = wn_store_fail(store, "cannot read the searches");
	sqlite3_reset(st);
	return rc;
}
