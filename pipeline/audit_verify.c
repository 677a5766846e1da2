/*
 * Verifying the audit trail (include/winnow/audit.h): every entry's hash
 * recomputed and its link to the one before checked, then every seal's
 * rows hashed again, then the rows no seal covers found. What is wrong is
 * named by entry, table and row.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "screening_int.h"
#include "store_int.h"
#include "util.h"
#include "winnow/audit.h"

static void problem(struct wn_audit_report *r, long long entry, const char *table, long long row,
		    const char *fmt, ...) WN_PRINTF(5, 6);

static void problem(struct wn_audit_report *r, long long entry, const char *table, long long row,
		    const char *fmt, ...)
{
	struct wn_audit_problem *p;
	va_list ap;

	if (r->nproblems >= WN_AUDIT_MAX_PROBLEMS) {
		r->more++;
		return;
	}
	r->problems = xrealloc(r->problems, (r->nproblems + 1) * sizeof(*r->problems));
	p = &r->problems[r->nproblems++];
	p->entry = entry;
	p->table = table ? xstrdup(table) : NULL;
	p->row = row;
	va_start(ap, fmt);
	if (vasprintf(&p->message, fmt, ap) < 0)
		abort();
	va_end(ap);
}

/* A seal's claim about one table, kept until the chain has been read. */
struct claim {
	long long entry;
	size_t table;
	json_t *cover; /* after, upto, n, sha256, rows or blocks */
};

static size_t table_index(const char *name)
{
	for (size_t i = 0; i < wn_sealed_ntables; i++)
		if (!strcmp(wn_sealed_tables[i].name, name))
			return i;
	return wn_sealed_ntables;
}

/* Where a range differs from its seal: row by row, or block by block. */
static void locate(struct wn_audit_report *r, long long entry, const char *table, json_t *recorded,
		   const struct wn_seal_range *now)
{
	size_t n = json_array_size(recorded), found = 0, k = 0, j = 0;

	/* both lists run in rowid order: one walk down the two */
	while (k < n || j < now->nparts) {
		json_t *pair = k < n ? json_array_get(recorded, k) : NULL;
		long long id = pair ? json_integer_value(json_array_get(pair, 0)) : 0;

		if (pair && (j == now->nparts || id < now->ids[j])) {
			if (now->per_row)
				problem(r, entry, table, id, "row %lld of %s was deleted", id, table);
			else
				problem(r, entry, table, id, "rows of %s from %lld on were deleted", table, id);
			k++;
		} else if (!pair || now->ids[j] < id) {
			/* there now, and not when sealed */
			if (now->per_row)
				problem(r, entry, table, now->ids[j], "row %lld of %s was added behind "
					"winnow's back", now->ids[j], table);
			else
				problem(r, entry, table, now->ids[j], "rows of %s from %lld on were added "
					"behind winnow's back", table, now->ids[j]);
			j++;
		} else {
			const char *part = json_string_value(json_array_get(pair, 1));

			if (!part || strcmp(part, now->parts[j])) {
				if (now->per_row)
					problem(r, entry, table, id, "row %lld of %s was changed", id, table);
				else
					problem(r, entry, table, id, "a row of %s among the %d from %lld on "
						"was changed, deleted or added", table, WN_SEAL_BLOCK, id);
			} else {
				found++;
			}
			k++;
			j++;
		}
	}
	if (found == n && n == now->nparts)
		problem(r, entry, table, 0, "rows %lld to %lld of %s differ from their seal",
			now->after + 1, now->upto, table);
}

static int check_claim(struct wn_store *store, struct wn_audit_report *r, const struct claim *c)
{
	const struct wn_sealed_table *t = &wn_sealed_tables[c->table];
	json_t *rows = json_object_get(c->cover, "rows");
	struct wn_seal_range now;
	const char *sha = json_string_value(json_object_get(c->cover, "sha256"));
	int rc = wn_seal_range(store, t, json_integer_value(json_object_get(c->cover, "after")),
			       json_integer_value(json_object_get(c->cover, "upto")), rows != NULL, &now);

	if (rc != WN_OK)
		return rc;
	r->rows += now.n;
	if (!sha || strcmp(sha, now.sha256))
		locate(r, c->entry, t->name, rows ? rows : json_object_get(c->cover, "blocks"), &now);
	wn_seal_range_release(&now);
	return WN_OK;
}

/* Rows past the last seal of their table: added without an entry. */
static int check_uncovered(struct wn_store *store, struct wn_audit_report *r, const long long *upto,
			   const json_t *named)
{
	for (size_t i = 0; i < wn_sealed_ntables; i++) {
		char *sql;
		sqlite3_stmt *st = NULL;
		int step, n = 0;

		/* sealed by a winnow that did not cover this table yet: its next
		 * seal covers the rows from the first */
		if (!json_object_get(named, wn_sealed_tables[i].name))
			continue;
		sql = xasprintf("SELECT rowid FROM %s WHERE rowid > ? ORDER BY rowid LIMIT 6",
				WN_SEALED_FROM(&wn_sealed_tables[i]));
		if (sqlite3_prepare_v2(store->db, sql, -1, &st, NULL) != SQLITE_OK) {
			free(sql);
			return wn_seal_read_fail(store, WN_SEALED_FROM(&wn_sealed_tables[i]));
		}
		free(sql);
		sqlite3_bind_int64(st, 1, upto[i]);
		while ((step = sqlite3_step(st)) == SQLITE_ROW && n++ < 5)
			problem(r, 0, wn_sealed_tables[i].name, sqlite3_column_int64(st, 0),
				"row %lld of %s is covered by no entry: added behind winnow's back, or the "
				"trail was cut short",
				(long long)sqlite3_column_int64(st, 0), wn_sealed_tables[i].name);
		if (step == SQLITE_ROW)
			problem(r, 0, wn_sealed_tables[i].name, 0, "and more rows of %s after those",
				wn_sealed_tables[i].name);
		sqlite3_finalize(st);
	}
	return WN_OK;
}

int wn_audit_verify(struct wn_store *store, struct wn_audit_report *out)
{
	sqlite3_stmt *st = NULL;
	struct claim *claims = NULL;
	size_t nclaims = 0, cap = 0;
	long long expected = 1, *upto = xcalloc(wn_sealed_ntables + 1, sizeof(*upto));
	char prev[65] = WN_AUDIT_GENESIS;
	long long seals = 0, *state_entry = xcalloc(wn_state_ntables + 1, sizeof(*state_entry));
	json_t *last_state = NULL, *last_upto = NULL, **state_rows = xcalloc(wn_state_ntables + 1, sizeof(*state_rows));
	int step, rc = WN_OK;

	memset(out, 0, sizeof(*out));
	if (sqlite3_prepare_v2(store->db,
		"SELECT id, at, actor, command, action, entity, entity_id, details, prev_hash, hash "
		"FROM audit_log ORDER BY id", -1, &st, NULL) != SQLITE_OK) {
		free(upto);
		return wn_store_fail(store, "cannot read the audit trail");
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		const char *action = wn_column_text(st, 4);
		const char *details = wn_column_text(st, 7);
		const char *stored = wn_column_text(st, 9);
		char hash[65];

		out->entries++;
		if (id != expected)
			problem(out, id, NULL, 0, id > expected
				? "entries %lld to %lld are missing from the trail"
				: "entry %lld is out of order (expected entry %lld)",
				id > expected ? expected : id, id > expected ? id - 1 : expected);
		if (strcmp(wn_column_text(st, 8), prev))
			problem(out, id, NULL, 0, "it does not follow the entry before it: an entry "
				"was removed, added or changed there");
		wn_audit_hash(wn_column_text(st, 8), id, wn_column_text(st, 1), wn_column_text(st, 2),
			      wn_column_text(st, 3), action,
			      sqlite3_column_type(st, 5) == SQLITE_NULL ? NULL : wn_column_text(st, 5),
			      sqlite3_column_int64(st, 6), details, hash);
		if (strcmp(hash, stored))
			problem(out, id, NULL, 0, "it was changed after it was written (its hash does "
				"not match what it says)");
		snprintf(prev, sizeof(prev), "%s", stored);
		expected = id + 1;
		seals += !strcmp(action, "seal");
		if (!strcmp(action, "seal")) {
			json_t *root = json_loads(details, 0, NULL), *covers = json_object_get(root, "covers");
			const char *name;
			json_t *cover, *rows_now;

			json_decref(last_upto);
			last_upto = json_incref(json_object_get(root, "upto"));
			if (json_object_get(root, "state")) {
				json_decref(last_state);
				last_state = json_incref(json_object_get(root, "state"));
			}
			json_object_foreach(json_object_get(root, "state_rows"), name, rows_now) {
				for (size_t t = 0; t < wn_state_ntables; t++)
					if (!strcmp(wn_state_tables[t].name, name)) {
						json_decref(state_rows[t]);
						state_rows[t] = json_incref(rows_now);
						state_entry[t] = id;
					}
			}

			json_object_foreach(covers, name, cover) {
				size_t t = table_index(name);

				if (t == wn_sealed_ntables)
					continue;
				if (nclaims == cap) {
					cap = cap ? 2 * cap : 64;
					claims = xrealloc(claims, cap * sizeof(*claims));
				}
				claims[nclaims].entry = id;
				claims[nclaims].table = t;
				claims[nclaims++].cover = json_incref(cover);
				if (json_integer_value(json_object_get(cover, "upto")) > upto[t])
					upto[t] = json_integer_value(json_object_get(cover, "upto"));
			}
			json_decref(root);
		}
	}
	if (step != SQLITE_DONE)
		rc = wn_store_fail(store, "cannot read the audit trail");
	sqlite3_finalize(st);
	snprintf(out->head, sizeof(out->head), "%s", out->entries ? prev : "");
	for (size_t i = 0; i < nclaims && rc == WN_OK; i++)
		rc = check_claim(store, out, &claims[i]);
	out->unsealed = out->entries > 0 && !seals;
	if (rc == WN_OK && !out->unsealed)
		rc = check_uncovered(store, out, upto, last_upto);
	/* the synthesis tables must be as the last seal left them */
	for (size_t t = 0; t < wn_state_ntables && rc == WN_OK && last_state; t++) {
		const char *want = json_string_value(json_object_get(last_state, wn_state_tables[t].name));
		struct wn_seal_range now;

		if (!want)
			continue;
		if ((rc = wn_state_digest(store, &wn_state_tables[t], &now)) != WN_OK)
			break;
		out->rows += now.n;
		if (strcmp(want, now.sha256))
			locate(out, state_entry[t], wn_state_tables[t].name, state_rows[t], &now);
		wn_seal_range_release(&now);
	}
	json_decref(last_state);
	json_decref(last_upto);
	for (size_t t = 0; t < wn_state_ntables; t++)
		json_decref(state_rows[t]);
	free(state_rows);
	free(state_entry);
	for (size_t i = 0; i < nclaims; i++)
		json_decref(claims[i].cover);
	free(claims);
	free(upto);
	if (rc != WN_OK)
		wn_audit_report_release(out);
	return rc;
}

void wn_audit_report_release(struct wn_audit_report *r)
{
	for (size_t i = 0; i < r->nproblems; i++) {
		free(r->problems[i].table);
		free(r->problems[i].message);
	}
	free(r->problems);
	memset(r, 0, sizeof(*r));
}

int wn_audit_log(struct wn_store *store, const struct wn_audit_filter *f,
		 int (*fn)(void *ctx, const struct wn_audit_entry *e), void *ctx)
{
	long long record = 0, report = 0;
	sqlite3_stmt *st = NULL;
	int step, rc;

	if (f->record && ((rc = wn_record_lookup(store, f->record, &record)) != WN_OK ||
			  (rc = wn_report_of(store, record, &report)) != WN_OK))
		return rc;
	if (f->since && !wn_date_valid(f->since, 0) &&
	    !(strlen(f->since) > 10 && f->since[10] == 'T'))
		return wn_error_set(WN_EINVALID, "--since takes a date (YYYY-MM-DD) or a time "
				    "(YYYY-MM-DDTHH:MM:SSZ), not '%s'", f->since);
	/* the entries about a record: its report's, its records', their
	 * decisions and retrieval, and its study link */
	if (sqlite3_prepare_v2(store->db,
		"WITH members(id) AS " MEMBERS " "
		"SELECT id, at, actor, command, action, entity, entity_id, details, hash FROM audit_log a "
		"WHERE (?2 IS NULL OR at >= ?2) AND (?3 IS NULL OR actor = ?3) "
		"AND (?4 OR action <> 'seal') "
		"AND (?1 = 0 OR (entity = 'record' AND entity_id IN members) "
		"  OR (entity = 'decision' AND entity_id IN (SELECT d.id FROM decision d "
		"      WHERE d.record_id IN members)) "
		"  OR (entity = 'fulltext' AND entity_id IN (SELECT x.id FROM fulltext x "
		"      WHERE x.record_id IN members)) "
		"  OR (entity = 'study_report' AND entity_id IN members) "
		"  OR (json_valid(details) AND (json_extract(details, '$.report') IN members "
		"      OR json_extract(details, '$.record') IN members))) "
		"ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		return wn_store_fail(store, "cannot read the audit trail");
	sqlite3_bind_int64(st, 1, report);
	wn_bind_text(st, 2, f->since);
	wn_bind_text(st, 3, f->actor);
	sqlite3_bind_int(st, 4, f->seals);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct wn_audit_entry e = {
			.id = sqlite3_column_int64(st, 0),
			.at = wn_column_text(st, 1),
			.actor = wn_column_text(st, 2),
			.command = wn_column_text(st, 3),
			.action = wn_column_text(st, 4),
			.entity = sqlite3_column_type(st, 5) == SQLITE_NULL ? NULL : wn_column_text(st, 5),
			.entity_id = sqlite3_column_int64(st, 6),
			.details = wn_column_text(st, 7),
			.hash = wn_column_text(st, 8),
		};

		if (fn(ctx, &e))
			break;
	}
	rc = step == SQLITE_DONE || step == SQLITE_ROW ? WN_OK
		: wn_store_fail(store, "cannot read the audit trail");
	sqlite3_finalize(st);
	return rc;
}
