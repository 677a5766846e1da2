/*
 * `winnow why`: one record's trail, read from the store as it stands. Every
 * part is a query over the tables the stages write; nothing here is kept
 * anywhere else.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "record_store.h"
#include "screening_int.h"
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

static json_int_t report_of(json_t *why)
{
	return json_integer_value(json_object_get(why, "report"));
}

/* Every decision on the report at each stage, oldest first, with what
 * superseded it and the rule behind a rule's exclusion. */
static int read_decisions(struct wn_store *store, json_t *out)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT d.id, d.record_id, d.stage, d.reviewer, d.kind, d.decision, d.reason, d.note, "
		"d.made_at, (SELECT s.id FROM decision s WHERE s.supersedes = d.id), r.line, r.label "
		"FROM decision d LEFT JOIN rule r ON r.id = d.rule_id "
		"LEFT JOIN stage g ON g.name = d.stage "
		"WHERE d.record_id IN " MEMBERS " ORDER BY g.position, d.id");
	json_t *arr = json_array();
	int step;

	json_object_set_new(out, "decisions", arr);
	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, report_of(out));
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *d = json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			"id", (json_int_t)sqlite3_column_int64(st, 0),
			"record", (json_int_t)sqlite3_column_int64(st, 1), "stage", text_of(st, 2),
			"reviewer", text_of(st, 3), "kind", text_of(st, 4), "decision", text_of(st, 5),
			"reason", text_of(st, 6), "note", text_of(st, 7), "at", text_of(st, 8));

		json_object_set_new(d, "superseded_by", sqlite3_column_type(st, 9) == SQLITE_NULL
			? json_null() : json_integer(sqlite3_column_int64(st, 9)));
		if (sqlite3_column_type(st, 10) != SQLITE_NULL)
			json_object_set_new(d, "rule", json_pack("{s:I, s:o}", "line",
				(json_int_t)sqlite3_column_int64(st, 10), "label", text_of(st, 11)));
		json_array_append_new(arr, d);
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? WN_OK : wn_store_fail(store, "cannot read the decisions");
}

static int read_fulltext(struct wn_store *store, json_t *out)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT f.status, f.path, f.sha256, f.note, f.actor, f.at, "
		"EXISTS (SELECT 1 FROM fulltext x WHERE x.supersedes = f.id) "
		"FROM fulltext f WHERE f.record_id IN " MEMBERS " ORDER BY f.id");
	json_t *arr = json_array();
	int step;

	json_object_set_new(out, "fulltext", arr);
	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, report_of(out));
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(arr, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:b}",
			"status", text_of(st, 0), "file", text_of(st, 1), "sha256", text_of(st, 2),
			"note", text_of(st, 3), "actor", text_of(st, 4), "at", text_of(st, 5),
			"superseded", sqlite3_column_int(st, 6)));
	sqlite3_reset(st);
	return step == SQLITE_DONE ? WN_OK : wn_store_fail(store, "cannot read the full texts");
}

/* The study the report is in, and the findings coded from it. */
static int read_synthesis(struct wn_store *store, json_t *out)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT s.id, s.label, sr.role FROM study_report sr JOIN study s ON s.id = sr.study_id "
		"WHERE sr.record_id IN " MEMBERS " LIMIT 1");
	sqlite3_stmt *fs = wn_store_prepare(store,
		"SELECT f.id, f.kind, f.text, f.location, (SELECT group_concat(t.name, '; ') FROM "
		"finding_theme ft JOIN theme t ON t.id = ft.theme_id WHERE ft.finding_id = f.id) "
		"FROM finding f WHERE f.record_id IN " MEMBERS " ORDER BY f.id");
	json_t *findings = json_array();
	int step;

	json_object_set_new(out, "study", json_null());
	json_object_set_new(out, "findings", findings);
	if (!st || !fs)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, report_of(out));
	if ((step = sqlite3_step(st)) == SQLITE_ROW)
		json_object_set_new(out, "study", json_pack("{s:I, s:o, s:o}", "id",
			(json_int_t)sqlite3_column_int64(st, 0), "label", text_of(st, 1), "role",
			text_of(st, 2)));
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return wn_store_fail(store, "cannot read the study");
	sqlite3_bind_int64(fs, 1, report_of(out));
	while ((step = sqlite3_step(fs)) == SQLITE_ROW)
		json_array_append_new(findings, json_pack("{s:I, s:o, s:o, s:o, s:o}", "id",
			(json_int_t)sqlite3_column_int64(fs, 0), "kind", text_of(fs, 1), "text",
			text_of(fs, 2), "where", text_of(fs, 3), "themes", text_of(fs, 4)));
	sqlite3_reset(fs);
	return step == SQLITE_DONE ? WN_OK : wn_store_fail(store, "cannot read the findings");
}

/* Where the report ends up, in words: the first stage it did not pass,
 * and why; or included (in its study). */
static void summarise(json_t *why)
{
	json_t *stages = json_object_get(why, "screening"), *v;
	const char *status = NULL;
	char *text = NULL;
	size_t i;

	json_array_foreach(stages, i, v) {
		const char *stage = json_string_value(json_object_get(v, "stage"));
		const char *outcome = json_string_value(json_object_get(v, "outcome"));
		json_t *d, *by = NULL;
		size_t k;

		if (!outcome || !strcmp(outcome, "include"))
			continue;
		/* the decision in force that settled it */
		json_array_foreach(json_object_get(why, "decisions"), k, d)
			if (json_is_null(json_object_get(d, "superseded_by")) &&
			    !strcmp(json_string_value(json_object_get(d, "stage")), stage) &&
			    (!by || strcmp(json_string_value(json_object_get(d, "kind")), "human")))
				by = d;
		if (!strcmp(outcome, "exclude") && by && json_object_get(by, "rule"))
			text = xasprintf("excluded at %s by rule (line %lld: %s)", stage,
					 (long long)json_integer_value(json_object_get(json_object_get(by, "rule"), "line")),
					 json_string_value(json_object_get(json_object_get(by, "rule"), "label")));
		else if (!strcmp(outcome, "exclude"))
			text = xasprintf("excluded at %s%s%s%s", stage,
					 by && json_string_value(json_object_get(by, "reason")) ? " (" : "",
					 by && json_string_value(json_object_get(by, "reason"))
					 ? json_string_value(json_object_get(by, "reason")) : "",
					 by && json_string_value(json_object_get(by, "reason")) ? ")" : "");
		else if (!strcmp(outcome, "conflict"))
			text = xasprintf("in conflict at %s: reviewers disagree", stage);
		else
			text = xasprintf("%s at %s", outcome, stage);
		status = outcome;
		break;
	}
	if (!status && json_array_size(stages)) {
		json_t *study = json_object_get(why, "study");

		text = json_is_object(study)
			? xasprintf("included, in study '%s'", json_string_value(json_object_get(study, "label")))
			: xstrdup("included");
	}
	json_object_set_new(why, "status", text ? json_string(text) : json_string("no stages yet"));
	free(text);
}

int wn_why(struct wn_store *store, const char *ref, json_t **out)
{
	json_t *why = json_object();
	long long record;
	int rc;

	*out = NULL;
	if ((rc = wn_record_lookup(store, ref, &record)) < 0 ||
	    (rc = read_record(store, record, why)) < 0 || (rc = read_cluster(store, why)) < 0 ||
	    (rc = read_pairs(store, record, why)) < 0 || (rc = read_related(store, record, why)) < 0 ||
	    (rc = read_screening(store, why)) < 0 || (rc = read_decisions(store, why)) < 0 ||
	    (rc = read_fulltext(store, why)) < 0 || (rc = read_synthesis(store, why)) < 0) {
		json_decref(why);
		return rc;
	}
	summarise(why);
	*out = why;
	return WN_OK;
}
