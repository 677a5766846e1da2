/*
 * `winnow why`: one record's trail, read from the store as it stands. Every
 * part is a query over the tables the stages write; nothing here is kept
 * anywhere else.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "record_store.h"
#include "store_int.h"
#include "util.h"
#include "winnow/why.h"
#include "winnow/winnow.h"

/* Text as stored, made valid UTF-8 (jansson refuses anything else, and
 * records keep what their sources sent); NULL stays null. */
static json_t *text_of(sqlite3_stmt *st, int i)
{
	char *clean;
	json_t *v;

	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return json_null();
	clean = wn_utf8_lossy(wn_column_text(st, i));
	v = json_string(clean);
	free(clean);
	return v ? v : json_null();
}

static int read_record(struct wn_store *store, long long id, json_t *out)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT r.title, r.year, " WN_RECORD_SOURCE ", "
		"CASE WHEN f.id IS NOT NULL THEN 'file' ELSE 'search' END, COALESCE(f.path, s.query), "
		"r.line, r.position, COALESCE(c.primary_record_id, r.id), m.cluster_id "
		"FROM record r " WN_RECORD_ORIGIN_JOIN
		"LEFT JOIN cluster_member m ON m.record_id = r.id "
		"LEFT JOIN dedupe_cluster c ON c.id = m.cluster_id WHERE r.id = ?");
	int step;

	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, id);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		json_t *rec = json_object(), *origin = json_object();

		json_object_set_new(rec, "id", json_integer(id));
		json_object_set_new(rec, "title", text_of(st, 0));
		json_object_set_new(rec, "year", sqlite3_column_type(st, 1) == SQLITE_NULL
			? json_null() : json_integer(sqlite3_column_int(st, 1)));
		json_object_set_new(rec, "source", text_of(st, 2));
		json_object_set_new(origin, "kind", text_of(st, 3));
		json_object_set_new(origin, "name", text_of(st, 4));
		json_object_set_new(origin, "line", sqlite3_column_type(st, 5) == SQLITE_NULL
			? json_null() : json_integer(sqlite3_column_int64(st, 5)));
		json_object_set_new(origin, "position", json_integer(sqlite3_column_int64(st, 6)));
		json_object_set_new(rec, "origin", origin);
		json_object_set_new(out, "record", rec);
		json_object_set_new(out, "report", json_integer(sqlite3_column_int64(st, 7)));
		json_object_set_new(out, "cluster", sqlite3_column_type(st, 8) == SQLITE_NULL
			? json_null() : json_integer(sqlite3_column_int64(st, 8)));
	}
	sqlite3_reset(st);
	if (step == SQLITE_DONE)
		return wn_error_set(WN_ENOTFOUND, "there is no record %lld", id);
	return step == SQLITE_ROW ? WN_OK : wn_store_fail(store, "cannot read the record");
}

static int read_cluster(struct wn_store *store, json_t *out)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT r.id, r.title, " WN_RECORD_SOURCE " "
		"FROM cluster_member m JOIN record r ON r.id = m.record_id " WN_RECORD_ORIGIN_JOIN
		"WHERE m.cluster_id = ? ORDER BY r.id");
	json_t *cluster_id = json_object_get(out, "cluster"), *cluster, *members;
	int step;

	if (json_is_null(cluster_id))
		return WN_OK;
	if (!st)
		return WN_ERROR;
	cluster = json_object();
	members = json_array();
	json_object_set(cluster, "id", cluster_id);
	json_object_set(cluster, "primary", json_object_get(out, "report"));
	sqlite3_bind_int64(st, 1, json_integer_value(cluster_id));
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(members, json_pack("{s:I, s:o, s:o}", "id",
			(json_int_t)sqlite3_column_int64(st, 0), "title", text_of(st, 1),
			"source", text_of(st, 2)));
	sqlite3_reset(st);
	json_object_set_new(cluster, "members", members);
	json_object_set_new(out, "cluster", cluster);
	return step == SQLITE_DONE ? WN_OK : wn_store_fail(store, "cannot read the cluster");
}

/* Each pair with the record and its decisions, oldest first. */
static int read_pairs(struct wn_store *store, long long id, json_t *out)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT p.id, CASE WHEN p.record_a = ?1 THEN p.record_b ELSE p.record_a END, "
		"p.score, p.evidence, d.decision, d.actor, d.reason, d.decided_at "
		"FROM dedupe_pair p JOIN pair_decision d ON d.pair_id = p.id "
		"WHERE p.record_a = ?1 OR p.record_b = ?1 ORDER BY p.score DESC, p.id, d.id");
	json_t *pairs = json_array(), *pair = NULL;
	long long last = 0;
	int step;

	json_object_set_new(out, "pairs", pairs);
	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		long long pair_id = sqlite3_column_int64(st, 0);

		if (pair_id != last) {
			json_t *evidence = json_loads(wn_column_text(st, 3), 0, NULL);

			if (!evidence)
				evidence = json_object();
			pair = json_pack("{s:I, s:I, s:f}", "pair", (json_int_t)pair_id, "other",
					 (json_int_t)sqlite3_column_int64(st, 1), "score",
					 sqlite3_column_double(st, 2));
			json_object_set(pair, "rule", json_object_get(evidence, "rule")
				? json_object_get(evidence, "rule") : json_null());
			json_object_set_new(pair, "evidence", evidence);
			json_object_set_new(pair, "decisions", json_array());
			json_array_append_new(pairs, pair);
			last = pair_id;
		}
		json_array_append_new(json_object_get(pair, "decisions"),
			json_pack("{s:o, s:o, s:o, s:o}", "decision", text_of(st, 4), "actor",
				  text_of(st, 5), "reason", text_of(st, 6), "at", text_of(st, 7)));
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? WN_OK : wn_store_fail(store, "cannot read the pairs");
}

static int read_related(struct wn_store *store, long long id, json_t *out)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT kind, CASE WHEN record_id = ?1 THEN related_id ELSE record_id END, "
		"CASE WHEN record_id = ?1 THEN 'of' ELSE 'by' END, actor FROM record_relation "
		"WHERE record_id = ?1 OR related_id = ?1 ORDER BY id");
	json_t *related = json_array();
	int step;

	json_object_set_new(out, "related", related);
	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(related, json_pack("{s:o, s:I, s:o, s:o}", "kind",
			text_of(st, 0), "record", (json_int_t)sqlite3_column_int64(st, 1),
			"direction", text_of(st, 2), "actor", text_of(st, 3)));
	sqlite3_reset(st);
	return step == SQLITE_DONE ? WN_OK : wn_store_fail(store, "cannot read the relations");
}

static int read_screening(struct wn_store *store, json_t *out)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT stage, CASE WHEN eligible THEN outcome ELSE 'not reached' END "
		"FROM report_stage_outcome WHERE report_id = ? ORDER BY position");
	json_t *stages = json_array();
	int step;

	json_object_set_new(out, "screening", stages);
	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, json_integer_value(json_object_get(out, "report")));
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(stages, json_pack("{s:o, s:o}", "stage", text_of(st, 0),
							"outcome", text_of(st, 1)));
	sqlite3_reset(st);
	return step == SQLITE_DONE ? WN_OK : wn_store_fail(store, "cannot read the screening");
}

int wn_why(struct wn_store *store, long long record, json_t **out)
{
	json_t *why = json_object();
	int rc;

	*out = NULL;
	if ((rc = read_record(store, record, why)) < 0 || (rc = read_cluster(store, why)) < 0 ||
	    (rc = read_pairs(store, record, why)) < 0 || (rc = read_related(store, record, why)) < 0 ||
	    (rc = read_screening(store, why)) < 0) {
		json_decref(why);
		return rc;
	}
	*out = why;
	return WN_OK;
}
