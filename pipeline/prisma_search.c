/*
 * The PRISMA-S summary of the searches (include/winnow/prisma.h): one
 * entry per search run and per imported file, from what the review kept
 * when it ran or read them, completed from the protocol's [database]
 * section for what only people know (the platform, the date a file's
 * search was run, its strategy and limits); and how duplicates were
 * removed. Items 1, 3, 8, 9, 12, 13, 15 and 16 of PRISMA-S.
 */
#include "winnow/prisma.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "util.h"
#include "winnow/protocol.h"
#include "winnow/winnow.h"

/* A JSON string for text the review holds (a file's path may not be
 * UTF-8: its invalid bytes are read as Latin-1 rather than lost). */
static json_t *string(const char *s)
{
	json_t *j = json_string(s);
	struct wn_buf b = WN_BUF_INIT;

	if (j)
		return j;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x80) {
			wn_buf_addc(&b, (char)c);
		} else {
			wn_buf_addc(&b, (char)(0xC0 | (c >> 6)));
			wn_buf_addc(&b, (char)(0x80 | (c & 0x3F)));
		}
	}
	j = json_string(wn_buf_str(&b));
	wn_buf_release(&b);
	return j ? j : json_null();
}

static json_t *text_or_null(sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);

	return s && *s ? string(s) : json_null();
}

static json_t *protocol_text(const struct wn_protocol *proto, const char *db, const char *key)
{
	const char *v = proto ? wn_protocol_get(proto, "database", db, key) : NULL;

	return v ? string(v) : json_null();
}

/* Fill key with value where the object has none yet (the review's own
 * record first, the protocol's after it). */
static void set_default(json_t *o, const char *key, json_t *value)
{
	json_t *have = json_object_get(o, key);

	if (have && !json_is_null(have))
		json_decref(value);
	else
		json_object_set_new(o, key, value);
}

/* Records of a source removed as duplicates: members of a cluster that
 * are not its primary record. */
#define DUPLICATES_OF(col) \
	"(SELECT COUNT(*) FROM record r JOIN cluster_member m ON m.record_id = r.id " \
	"JOIN dedupe_cluster c ON c.id = m.cluster_id WHERE r." col " = x.id " \
	"AND c.primary_record_id <> r.id)"

static int add_searches(struct wn_store *store, const struct wn_protocol *proto, json_t *list)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT x.id, x.source, x.database_name, x.platform, x.base_url, x.service_version, "
		"x.query, x.query_translation, x.limits, x.via, x.started_at, x.finished_at, "
		"x.count_reported, x.count_retrieved, x.records_new, x.status, x.previous_run_id, "
		"(SELECT COUNT(*) FROM record r WHERE r.search_run_id = x.id), " DUPLICATES_OF("search_run_id")
		" FROM search_run x ORDER BY x.id");
	int step;

	if (!st)
		return WN_ERROR;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *db = wn_column_text(st, 2);
		json_t *o = json_object(), *limits = NULL;
		const char *lim = (const char *)sqlite3_column_text(st, 8);

		json_object_set_new(o, "kind", json_string("search"));
		json_object_set_new(o, "id", json_integer(sqlite3_column_int64(st, 0)));
		json_object_set_new(o, "source", string(db));
		json_object_set_new(o, "database", protocol_text(proto, db, "name"));
		set_default(o, "database", string(db));
		json_object_set_new(o, "platform", text_or_null(st, 3));
		set_default(o, "platform", protocol_text(proto, db, "platform"));
		json_object_set_new(o, "service", text_or_null(st, 1));
		json_object_set_new(o, "base_url", text_or_null(st, 4));
		json_object_set_new(o, "service_version", text_or_null(st, 5));
		json_object_set_new(o, "via", text_or_null(st, 9));
		json_object_set_new(o, "searched", text_or_null(st, 10));
		json_object_set_new(o, "finished", text_or_null(st, 11));
		json_object_set_new(o, "query", text_or_null(st, 6));
		json_object_set_new(o, "query_translation", text_or_null(st, 7));
		if (lim && *lim)
			limits = json_loads(lim, 0, NULL);
		json_object_set_new(o, "limits", limits ? limits : json_null());
		json_object_set_new(o, "protocol_limits", protocol_text(proto, db, "limits"));
		json_object_set_new(o, "records_reported", sqlite3_column_type(st, 12) == SQLITE_NULL
				    ? json_null() : json_integer(sqlite3_column_int64(st, 12)));
		json_object_set_new(o, "records_retrieved", json_integer(sqlite3_column_int64(st, 13)));
		json_object_set_new(o, "records_new", json_integer(sqlite3_column_int64(st, 14)));
		json_object_set_new(o, "records_stored", json_integer(sqlite3_column_int64(st, 17)));
		json_object_set_new(o, "duplicates_removed", json_integer(sqlite3_column_int64(st, 18)));
		json_object_set_new(o, "status", text_or_null(st, 15));
		json_object_set_new(o, "update_of", sqlite3_column_type(st, 16) == SQLITE_NULL
				    ? json_null() : json_integer(sqlite3_column_int64(st, 16)));
		json_object_set_new(o, "notes", protocol_text(proto, db, "notes"));
		json_array_append_new(list, o);
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? WN_OK : wn_store_fail(store, "cannot read the searches");
}

static int add_imports(struct wn_store *store, const struct wn_protocol *proto, json_t *list)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT x.id, x.path, x.sha256, x.format, x.dialect, x.encoding, x.database_name, "
		"x.platform, x.via, x.query, x.searched_on, x.imported_at, x.records_count, x.note, "
		DUPLICATES_OF("import_file_id") " FROM import_file x ORDER BY x.id");
	int step;

	if (!st)
		return WN_ERROR;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *db = wn_column_text(st, 6);
		json_t *o = json_object();

		json_object_set_new(o, "kind", json_string("file"));
		json_object_set_new(o, "id", json_integer(sqlite3_column_int64(st, 0)));
		json_object_set_new(o, "source", string(db));
		json_object_set_new(o, "database", protocol_text(proto, db, "name"));
		set_default(o, "database", string(db));
		json_object_set_new(o, "platform", text_or_null(st, 7));
		set_default(o, "platform", protocol_text(proto, db, "platform"));
		json_object_set_new(o, "via", text_or_null(st, 8));
		/* when the search was run: as the import was told, else as the
		 * protocol records it */
		json_object_set_new(o, "searched", text_or_null(st, 10));
		set_default(o, "searched", protocol_text(proto, db, "searched"));
		json_object_set_new(o, "query", text_or_null(st, 9));
		set_default(o, "query", protocol_text(proto, db, "query"));
		json_object_set_new(o, "protocol_limits", protocol_text(proto, db, "limits"));
		json_object_set_new(o, "file", text_or_null(st, 1));
		json_object_set_new(o, "sha256", text_or_null(st, 2));
		json_object_set_new(o, "format", text_or_null(st, 3));
		json_object_set_new(o, "dialect", text_or_null(st, 4));
		json_object_set_new(o, "encoding", text_or_null(st, 5));
		json_object_set_new(o, "imported", text_or_null(st, 11));
		json_object_set_new(o, "records_stored", json_integer(sqlite3_column_int64(st, 12)));
		json_object_set_new(o, "duplicates_removed", json_integer(sqlite3_column_int64(st, 14)));
		json_object_set_new(o, "notes", text_or_null(st, 13));
		set_default(o, "notes", protocol_text(proto, db, "notes"));
		json_array_append_new(list, o);
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? WN_OK : wn_store_fail(store, "cannot read the imports");
}

static int add_dedupe(struct wn_store *store, json_t *out)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT id, started_at, finished_at, method, settings, records_compared, records_new, "
		"candidates, merged, queued, related FROM dedupe_run ORDER BY id");
	sqlite3_stmt *people = wn_store_prepare(store,
		"SELECT COUNT(*) FROM pair_decision WHERE actor <> 'auto' AND decision <> 'queued'");
	json_t *runs = json_array();
	int step;

	if (!st || !people) {
		json_decref(runs);
		return WN_ERROR;
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *settings = (const char *)sqlite3_column_text(st, 4);
		json_t *s = settings ? json_loads(settings, 0, NULL) : NULL;

		json_array_append_new(runs, json_pack("{s:I, s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:I, s:I, s:I}",
			"id", (json_int_t)sqlite3_column_int64(st, 0),
			"started", text_or_null(st, 1), "finished", text_or_null(st, 2),
			"method", text_or_null(st, 3), "settings", s ? s : json_object(),
			"records_compared", (json_int_t)sqlite3_column_int64(st, 5),
			"records_new", (json_int_t)sqlite3_column_int64(st, 6),
			"candidate_pairs", (json_int_t)sqlite3_column_int64(st, 7),
			"merged", (json_int_t)sqlite3_column_int64(st, 8),
			"sent_to_people", (json_int_t)sqlite3_column_int64(st, 9),
			"related", (json_int_t)sqlite3_column_int64(st, 10)));
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		json_decref(runs);
		return wn_store_fail(store, "cannot read the deduplication runs");
	}
	step = sqlite3_step(people);
	json_object_set_new(out, "deduplication", json_pack("{s:s, s:o, s:I}",
		"software", "winnow " WINNOW_VERSION, "runs", runs,
		"pair_decisions_by_people", (json_int_t)(step == SQLITE_ROW ? sqlite3_column_int64(people, 0) : 0)));
	sqlite3_reset(people);
	return WN_OK;
}

int wn_prisma_search_report(struct wn_store *store, json_t **out)
{
	const struct wn_protocol *proto = wn_protocol_in_force(store);
	json_t *o = json_object(), *sources = json_array();
	struct wn_prisma p;
	int rc;

	*out = NULL;
	json_object_set_new(o, "title", proto && proto->title ? string(proto->title) : json_null());
	json_object_set_new(o, "sources", sources);
	if ((rc = add_searches(store, proto, sources)) != WN_OK ||
	    (rc = add_imports(store, proto, sources)) != WN_OK || (rc = add_dedupe(store, o)) != WN_OK) {
		json_decref(o);
		return rc;
	}
	/* the flow's own count of duplicates, for the summary */
	if (wn_prisma_compute(store, -1, -1, &p) == WN_OK) {
		json_object_set_new(json_object_get(o, "deduplication"), "duplicates_removed",
				    json_integer(p.duplicates));
		wn_prisma_release(&p);
	} else {
		wn_error_clear();
	}
	*out = o;
	return WN_OK;
}
