#include "winnow/export.h"

#include <stdlib.h>
#include <string.h>

#include "formats/formats_int.h"
#include "record_store.h"
#include "store_int.h"
#include "util.h"

/* The stage to filter on and its position: the named one, or the last. */
static int find_stage(struct wn_store *store, const char *name, char *out, size_t cap,
		      int *position)
{
	sqlite3_stmt *st = wn_store_prepare(store, name
		? "SELECT name, position FROM stage WHERE name = ?"
		: "SELECT name, position FROM stage ORDER BY position DESC LIMIT 1");
	int step;

	if (!st)
		return WN_ERROR;
	if (name)
		wn_bind_text(st, 1, name);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		snprintf(out, cap, "%s", wn_column_text(st, 0));
		*position = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	if (step == SQLITE_ROW)
		return WN_OK;
	if (step != SQLITE_DONE)
		return wn_store_fail(store, "cannot read the stages");
	return name ? wn_error_set(WN_ENOTFOUND, "no stage '%s' in the review's protocol", name)
		    : wn_error_set(WN_ENOTFOUND, "the review has no screening stages yet "
				   "(load a protocol)");
}

#define EXPORT_SELECT \
	"SELECT " WN_RECORD_COLUMNS ", " WN_RECORD_SOURCE ", " \
	"rr.report_id, CASE WHEN f.id IS NOT NULL THEN 'file' ELSE 'search' END, " \
	"COALESCE(f.path, s.query), COALESCE(f.id, s.id) " \
	"FROM record r JOIN report_record rr ON rr.record_id = r.id " \
	WN_RECORD_ORIGIN_JOIN

int wn_export(struct wn_store *store, const struct wn_export_options *opts, FILE *fp,
	      long *count)
{
	static const char *const filters[] = {
		[WN_EXPORT_ALL] = "",
		[WN_EXPORT_INCLUDED] =
			"WHERE EXISTS (SELECT 1 FROM report_stage_outcome o WHERE "
			"o.report_id = rr.report_id AND o.stage = ?1 AND o.eligible AND "
			"o.outcome = 'include') ",
		[WN_EXPORT_EXCLUDED] =
			"WHERE EXISTS (SELECT 1 FROM report_stage_outcome o WHERE "
			"o.report_id = rr.report_id AND o.position <= ?2 AND o.eligible AND "
			"o.outcome = 'exclude') ",
		[WN_EXPORT_PENDING] =
			"WHERE EXISTS (SELECT 1 FROM report_stage_outcome o WHERE "
			"o.report_id = rr.report_id AND o.stage = ?1 AND o.eligible AND "
			"o.outcome IN ('pending', 'conflict')) ",
	};
	struct wn_filled filled = { 0 };
	struct wn_writer *w = NULL;
	sqlite3_stmt *st = NULL;
	char stage[128] = "";
	char *sql;
	int position = 0, rc, step;

	*count = 0;
	if (opts->where != WN_EXPORT_ALL) {
		rc = find_stage(store, opts->stage, stage, sizeof(stage), &position);
		if (rc)
			return rc;
		if (opts->where == WN_EXPORT_EXCLUDED && !opts->stage)
			position = 1 << 30; /* excluded anywhere */
	}
	sql = xasprintf("%s%s%sORDER BY r.id", EXPORT_SELECT, filters[opts->where],
			!opts->reports ? "" : opts->where == WN_EXPORT_ALL ? "WHERE r.id = rr.report_id "
									   : "AND r.id = rr.report_id ");
	if (sqlite3_prepare_v2(store->db, sql, -1, &st, NULL) != SQLITE_OK) {
		free(sql);
		return wn_store_fail(store, "cannot read the records");
	}
	free(sql);
	if (opts->where != WN_EXPORT_ALL && opts->where != WN_EXPORT_EXCLUDED)
		wn_bind_text(st, 1, stage);
	if (opts->where == WN_EXPORT_EXCLUDED)
		sqlite3_bind_int(st, 2, position);
	rc = wn_writer_open(&w, opts->format, fp);
	while (rc == WN_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		struct wn_record rec;
		struct wn_record_meta meta;
		int c = WN_RECORD_NCOLUMNS;

		wn_record_init(&rec);
		wn_record_from_row(st, &rec);
		meta.id = sqlite3_column_int64(st, 0);
		meta.source = wn_column_text(st, c++);
		meta.cluster = sqlite3_column_int64(st, c++);
		meta.origin_kind = wn_column_text(st, c++);
		meta.origin = wn_column_text(st, c++);
		meta.origin_id = sqlite3_column_int64(st, c++);
		/* a report is its cluster's primary (or a record in none) */
		if (opts->reports)
			rc = wn_report_fill(store, &rec, meta.id, &filled);
		meta.nfilled = filled.n;
		meta.filled_field = filled.field;
		meta.filled_from = filled.from;
		if (rc == WN_OK)
			rc = wn_writer_record(w, &rec, &meta);
		wn_record_clear(&rec);
		if (rc == WN_OK)
			(*count)++;
	}
	if (rc == WN_OK && step != SQLITE_DONE)
		rc = wn_store_fail(store, "cannot read the records");
	sqlite3_finalize(st);
	if (w) {
		int rc2 = wn_writer_close(w);

		rc = rc ? rc : rc2;
	}
	return rc;
}
