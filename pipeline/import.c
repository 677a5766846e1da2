/*
 * Importing export files: read (formats/), resolve where the file came
 * from against the protocol, store records and provenance, all in one
 * transaction per file.
 */
#include "winnow/import.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "formats/formats_int.h"
#include "record_store.h"
#include "store_int.h"
#include "winnow/protocol.h"

int wn_import_via_valid(const char *via)
{
	static const char *const routes[] = {
		"database", "register", "website", "organisation", "citation",
	};

	for (size_t i = 0; via && i < sizeof(routes) / sizeof(routes[0]); i++)
		if (!strcmp(via, routes[i]))
			return 1;
	return 0;
}

/* Where the records came from, as the import row will say. */
struct provenance {
	char *database;
	char *platform;
	char *searched;
	char *query;
	char *via;
};

static void provenance_release(struct provenance *pv)
{
	free(pv->database);
	free(pv->platform);
	free(pv->searched);
	free(pv->query);
	free(pv->via);
}

/* The database that the format or dialect names, as a word to look for in
 * the protocol's database sections. */
static const char *database_hint(const char *format, const char *dialect)
{
	if (dialect) {
		if (!strcmp(dialect, "scopus"))
			return "scopus";
		if (!strcmp(dialect, "wos"))
			return "web of science";
		if (!strcmp(dialect, "pubmed"))
			return "pubmed";
		if (!strcmp(dialect, "ovid"))
			return "ovid";
		if (!strcmp(dialect, "ebsco"))
			return "ebsco";
	}
	if (!strcmp(format, "nbib") || !strcmp(format, "pubmed-xml"))
		return "pubmed";
	if (!strcmp(format, "wos") || !strcmp(format, "wos-tab"))
		return "web of science";
	if (!strcmp(format, "europepmc-xml"))
		return "europe pmc";
	if (!strcmp(format, "crossref-xml"))
		return "crossref";
	if (!strcmp(format, "arxiv-atom"))
		return "arxiv";
	return NULL;
}

static void add_name(struct wn_buf *b, const char *name)
{
	if (b->len)
		wn_buf_adds(b, ", ");
	wn_buf_adds(b, name);
}

static int resolve_provenance(struct wn_store *store, const struct wn_import_options *opts,
			      const char *path, const char *format, const char *dialect,
			      struct provenance *pv)
{
	struct wn_protocol_version v;
	struct wn_protocol proto;
	struct wn_diagnostics diags = { 0 };
	struct wn_buf names = WN_BUF_INIT;
	const char *chosen = NULL, *hint = NULL;
	int have_protocol = 0, matches = 0, rc = WN_OK;

	memset(pv, 0, sizeof(*pv));
	memset(&proto, 0, sizeof(proto));
	rc = wn_protocol_load_version(store, 0, &v);
	if (rc == WN_OK) {
		rc = wn_protocol_parse_stored(&proto, v.path, v.text, strlen(v.text), &diags);
		wn_protocol_version_release(&v);
		wn_diagnostics_release(&diags);
		have_protocol = proto.ndatabases > 0;
		rc = WN_OK;
	} else if (rc == WN_ENOTFOUND) {
		rc = WN_OK;
	} else {
		return rc;
	}

	if (!opts->source)
		hint = database_hint(format, dialect);
	for (size_t i = 0; have_protocol && i < proto.nentries; i++) {
		const struct wn_protocol_entry *e = &proto.entries[i];
		const char *label, *platform;

		if (strcmp(e->section, "database") != 0 || !e->name || e->invalid)
			continue;
		/* each database once: at its first entry */
		if (i > 0 && proto.entries[i - 1].name &&
		    !strcmp(proto.entries[i - 1].section, "database") &&
		    !strcmp(proto.entries[i - 1].name, e->name))
			continue;
		add_name(&names, e->name);
		label = wn_protocol_get(&proto, "database", e->name, "name");
		platform = wn_protocol_get(&proto, "database", e->name, "platform");
		if (opts->source) {
			if (!strcasecmp(opts->source, e->name) ||
			    (label && !strcasecmp(opts->source, label))) {
				chosen = e->name;
				matches = 1;
			}
		} else if (hint && (strcasestr(e->name, hint) ||
				    (label && strcasestr(label, hint)) ||
				    (platform && strcasestr(platform, hint)))) {
			if (!chosen || strcmp(chosen, e->name) != 0)
				matches++;
			chosen = e->name;
		}
	}

	if (have_protocol && opts->source && !chosen) {
		rc = wn_error_set(WN_EINVALID, "'%s' is not a database of the protocol "
				  "(its databases: %s)", opts->source, wn_buf_str(&names));
	} else if (have_protocol && !opts->source && matches != 1) {
		rc = wn_error_set(WN_EINVALID, "cannot tell which of the protocol's databases "
				  "'%s' came from; say it with --source (one of: %s)", path,
				  wn_buf_str(&names));
	} else if (!have_protocol && !opts->source && !hint) {
		rc = wn_error_set(WN_EINVALID, "cannot tell which database '%s' came from; "
				  "name it with --source NAME", path);
	}
	if (rc == WN_OK) {
		const char *p, *s, *q, *via;

		pv->database = xstrdup(chosen ? chosen : opts->source ? opts->source : hint);
		p = chosen ? wn_protocol_get(&proto, "database", chosen, "platform") : NULL;
		s = chosen ? wn_protocol_get(&proto, "database", chosen, "searched") : NULL;
		q = chosen ? wn_protocol_get(&proto, "database", chosen, "query") : NULL;
		via = chosen ? wn_protocol_get(&proto, "database", chosen, "via") : NULL;
		p = opts->platform ? opts->platform : p;
		s = opts->date_searched ? opts->date_searched : s;
		q = opts->query ? opts->query : q;
		/* the protocol's value was checked when it was loaded */
		via = opts->via ? opts->via : via ? via : "database";
		pv->platform = p ? xstrdup(p) : NULL;
		pv->searched = s ? xstrdup(s) : NULL;
		pv->query = q ? xstrdup(q) : NULL;
		pv->via = xstrdup(via);
	}
	wn_buf_release(&names);
	wn_protocol_release(&proto);
	return rc;
}

struct import_run {
	struct wn_store *store;
	const char *path;
	sqlite3_int64 import_id;
	const struct wn_import_options *opts;
	wn_import_warning_fn warn;
	void *ctx;
	long stored;
};

static int store_record(void *ctx, struct wn_record *rec)
{
	struct import_run *run = ctx;
	int rc = run->opts->dry_run ? WN_OK
				    : wn_record_insert(run->store, rec, run->import_id, 0, NULL);

	if (rc != WN_OK) {
		/* say which record could not be stored */
		char *why = xstrdup(wn_error_last());

		wn_error_set(rc, "%s:%ld: record %ld: %s", run->path, rec->line,
			     rec->position, why);
		free(why);
		return rc;
	}
	run->stored++;
	if (run->opts->progress && run->stored % WN_IMPORT_PROGRESS_EVERY == 0)
		run->opts->progress(run->ctx, run->path, run->stored);
	return rc;
}

static int report_warning(void *ctx, long line, const char *message)
{
	struct import_run *run = ctx;

	if (run->warn)
		run->warn(run->ctx, run->path, line, message);
	if (run->opts->strict) {
		if (line > 0)
			return wn_error_set(WN_EINVALID, "%s:%ld: %s (--strict: nothing imported)",
					    run->path, line, message);
		return wn_error_set(WN_EINVALID, "%s: %s (--strict: nothing imported)",
				    run->path, message);
	}
	return 0;
}

static int find_previous(struct wn_store *store, const char *sha256, long long *id,
			 char *when, size_t cap)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT id, imported_at FROM import_file WHERE sha256 = ? ORDER BY id LIMIT 1");
	int step;

	*id = 0;
	if (!st)
		return WN_ERROR;
	wn_bind_text(st, 1, sha256);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		snprintf(when, cap, "%s", wn_column_text(st, 1));
	}
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? WN_OK
							  : wn_store_fail(store, "cannot look up imports");
}

/* Refuse a file imported before (same SHA-256) unless --again. */
static int check_not_imported(struct wn_store *store, const char *path, struct wn_input *in,
			      const struct wn_import_options *opts,
			      struct wn_import_summary *out)
{
	const char *sha256 = wn_input_sha256(in);
	char when[32] = "";
	int rc;

	if (!sha256)
		return wn_error_code() ? wn_error_code() : WN_ERROR;
	snprintf(out->sha256, sizeof(out->sha256), "%s", sha256);
	if ((rc = find_previous(store, sha256, &out->previous_import, when, sizeof(when))) != WN_OK)
		return rc;
	if (out->previous_import && !opts->again)
		return wn_error_set(WN_EEXISTS, "'%s' was already imported (import %lld, %s; "
				    "same SHA-256); use --again to import it again", path,
				    out->previous_import, when);
	return WN_OK;
}

/* Whether an earlier import was of a file this size: only then can this
 * be the same file, and its hash be needed before it is read. Otherwise
 * the hash is left to finish beside the reading. */
static int size_seen(struct wn_store *store, long long size, int *seen)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT 1 FROM import_file WHERE size_bytes = ? LIMIT 1");
	int step;

	*seen = 1;
	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, size);
	step = sqlite3_step(st);
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return wn_store_fail(store, "cannot look up imports");
	*seen = step == SQLITE_ROW;
	return WN_OK;
}

/* The import's row, its hash still to come (finish_import_row). */
static int insert_import_row(struct wn_store *store, const char *path, struct wn_input *in,
			     const char *format, sqlite3_int64 *id)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"INSERT INTO import_file (path, sha256, size_bytes, format, encoding, "
		"database_name, imported_at) VALUES (?, '', ?, ?, ?, '', ?)");
	char now[21];
	int rc;

	if (!st)
		return WN_ERROR;
	wn_utc_now(now);
	wn_bind_text(st, 1, path);
	sqlite3_bind_int64(st, 2, wn_input_size(in));
	wn_bind_text(st, 3, format);
	wn_bind_text(st, 4, wn_input_encoding(in));
	wn_bind_text(st, 5, now);
	rc = wn_store_run(store, st, "cannot record the import");
	*id = sqlite3_last_insert_rowid(store->db);
	return rc;
}

static int finish_import_row(struct wn_store *store, sqlite3_int64 id, const char *sha256,
			     const char *dialect, const struct provenance *pv, long count)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"UPDATE import_file SET dialect = ?, database_name = ?, platform = ?, "
		"via = ?, query = ?, searched_on = ?, records_count = ?, sha256 = ? "
		"WHERE id = ?");

	if (!st)
		return WN_ERROR;
	wn_bind_text(st, 1, dialect);
	wn_bind_text(st, 2, pv->database);
	wn_bind_text(st, 3, pv->platform);
	wn_bind_text(st, 4, pv->via);
	wn_bind_text(st, 5, pv->query);
	wn_bind_text(st, 6, pv->searched);
	sqlite3_bind_int64(st, 7, count);
	wn_bind_text(st, 8, sha256);
	sqlite3_bind_int64(st, 9, id);
	return wn_store_run(store, st, "cannot record the import");
}

int wn_import_file(struct wn_store *store, const char *path,
		   const struct wn_import_options *opts, wn_import_warning_fn warn,
		   void *ctx, struct wn_import_summary *out)
{
	struct wn_input *in = NULL;
	const struct wn_format_info *fmt;
	struct import_run run = { store, path, 0, opts, warn, ctx, 0 };
	struct wn_parser parser;
	struct provenance pv;
	char *details;
	int rc, same_size;

	memset(out, 0, sizeof(*out));
	memset(&pv, 0, sizeof(pv));
	if (opts->via && !wn_import_via_valid(opts->via))
		return wn_error_set(WN_EINVALID, "--via must be database, register, website, "
				    "organisation or citation, not '%s'", opts->via);
	if (opts->date_searched && !wn_date_valid(opts->date_searched, 1))
		return wn_error_set(WN_EINVALID, "--date-searched must be a date written "
				    "YYYY-MM-DD, not '%s'", opts->date_searched);
	if (opts->format && !wn_format_find(opts->format))
		return wn_error_set(WN_EINVALID, "unknown format '%s' (see 'winnow import "
				    "--help')", opts->format);
	rc = wn_input_open_file(&in, path);
	if (rc)
		return rc;
	fmt = opts->format ? wn_format_find(opts->format) : wn_format_detect(in);
	if (!fmt) {
		wn_input_close(in);
		return wn_error_code() ? wn_error_code() : WN_EINVALID;
	}
	if (opts->format && warn) {
		/* a forced format that the content contradicts is worth saying */
		const struct wn_format_info *seen = wn_format_detect(in);

		if (seen && seen != fmt) {
			char msg[256];

			snprintf(msg, sizeof(msg), "the file looks like %s; reading it as %s "
				 "as --format says", seen->name, fmt->name);
			warn(ctx, path, 0, msg);
		}
		wn_error_clear();
	}
	out->format = fmt->name;
	snprintf(out->encoding, sizeof(out->encoding), "%s", wn_input_encoding(in));
	snprintf(out->line_endings, sizeof(out->line_endings), "%s",
		 wn_input_line_endings(in));

	if ((rc = wn_store_begin(store)) != WN_OK)
		goto done;
	if ((rc = size_seen(store, wn_input_size(in), &same_size)) != WN_OK)
		goto fail;
	if (same_size && (rc = check_not_imported(store, path, in, opts, out)) != WN_OK)
		goto fail;
	if ((rc = insert_import_row(store, path, in, fmt->name, &run.import_id)) != WN_OK)
		goto fail;

	memset(&parser, 0, sizeof(parser));
	parser.in = in;
	parser.record = store_record;
	parser.warning = report_warning;
	parser.ctx = &run;
	/* reading and storing overlap on two threads; a dry run, which
	 * stores nothing, builds the records on the second thread instead
	 * (where a format can: BibTeX) */
	parser.build_on_caller = opts->dry_run;
	rc = wn_format_parse_threaded(fmt, &parser);
	out->read = parser.records;
	out->warnings = parser.warnings;
	out->stored = run.stored;
	out->dialect = parser.dialect;
	if (rc < 0) {
		/* the parser named the file and line; a store error names the review */
		goto fail;
	}
	if (rc > 0) {
		rc = WN_ERROR;
		goto fail;
	}
	if (parser.records == 0) {
		rc = wn_error_set(WN_EINVALID, "'%s' holds no records read as %s%s", path,
				  fmt->name, opts->format ? "" : " (detected; use --format "
				  "if that is wrong)");
		goto fail;
	}
	/* a file no earlier import had the size of is new: its hash,
	 * computed beside the reading, is only recorded */
	if (!same_size && (rc = check_not_imported(store, path, in, opts, out)) != WN_OK)
		goto fail;
	if ((rc = resolve_provenance(store, opts, path, fmt->name, parser.dialect, &pv)) != WN_OK)
		goto fail;
	if ((rc = finish_import_row(store, run.import_id, out->sha256, parser.dialect, &pv,
				    run.stored)) != WN_OK)
		goto fail;
	{
		/* the path and database name may hold any bytes */
		char *esc_path = wn_json_quote(path);
		char *esc_db = wn_json_quote(pv.database);

		details = xasprintf("{\"path\":%s,\"sha256\":\"%s\",\"format\":\"%s\","
				    "\"records\":%ld,\"database\":%s}", esc_path, out->sha256,
				    fmt->name, run.stored, esc_db);
		free(esc_path);
		free(esc_db);
	}
	rc = wn_audit_append(store, "import", "import_file", run.import_id, details);
	free(details);
	if (rc < 0)
		goto fail;
	if (opts->dry_run) {
		/* everything checked, nothing kept */
		wn_store_rollback(store);
	} else if ((rc = wn_store_commit(store)) != WN_OK) {
		goto done;
	}
	out->import_id = run.import_id;
	snprintf(out->database, sizeof(out->database), "%s", pv.database);
	snprintf(out->via, sizeof(out->via), "%s", pv.via);
	goto done;
fail:
	wn_store_rollback(store);
done:
	provenance_release(&pv);
	wn_input_close(in);
	return rc;
}
