/*
 * Seals: what ties the audit chain to the data it describes.
 *
 * When a transaction that wrote audit entries commits, one more entry (a
 * seal) is appended: for each table whose rows are never changed once
 * written, the rows added since the last seal, hashed with SHA-256 over
 * their columns, with a short hash of each row (or of each block of rows,
 * for a large import) so that verification can name the row that changed.
 * The seal is an entry of the chain, so its hashes cannot be rewritten
 * without breaking it. `winnow audit verify` recomputes them
 * (audit_verify.c).
 *
 * Only columns that no command changes after the row is written are
 * covered as they stand. A record's fields that a Crossref look-up may
 * fill in later are sealed apart ("record_fields"), as they were before
 * any look-up: a field holds what record_enrichment says was filled, and
 * is hashed as the empty field it was, or it holds something else and the
 * seal no longer matches.
 */
#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "util.h"
#include "winnow/record.h"

const struct wn_sealed_table wn_sealed_tables[] = {
	{ "protocol", "id, loaded_at, actor, path, sha256, title, text", NULL, 0 },
	{ "import_file", "id, path, sha256, size_bytes, format, dialect, encoding, database_name, "
		"platform, via, query, searched_on, imported_at, records_count, note", NULL, 0 },
	{ "record", "id, search_run_id, import_file_id, position, line, source_id, type, authors, "
		"doi, pmid, pmcid, isbn, language, keywords, mesh, pubtypes, author_key, extra, raw, "
		"raw_format, created_at", NULL, 0 },
	{ "record_enrichment",
		"id, record_id, source, doi, fetched_at, found, fields, raw, raw_format", NULL, 0 },
	{ "dedupe_pair", "id, record_a, record_b, run_id, score, evidence", NULL, 0 },
	{ "pair_decision",
		"id, pair_id, decision, actor, reason, decided_at, supersedes", NULL, 0 },
	{ "rule_set", "id, path, sha256, text, loaded_at", NULL, 0 },
	{ "rule", "id, rule_set_id, line, action, label, expression", NULL, 0 },
	{ "rule_application",
		"id, rule_set_id, stage, before_human, applied_at, records_excluded", NULL, 0 },
	{ "decision", "id, record_id, stage, reviewer, kind, decision, reason, note, rule_id, "
		"rule_application_id, made_at, supersedes", NULL, 0 },
	{ "fulltext",
		"id, record_id, status, path, sha256, note, actor, at, supersedes", NULL, 0 },
	{ "prisma_setting", "id, key, value, note, actor, set_at", NULL, 0 },
	{ "instrument", "id, name, version, title, sha256, definition, loaded_at", NULL, 0 },
	{ "instrument_item", "instrument_id, code, position, category, text, answers", NULL, 0 },
	{ "appraisal_answer",
		"id, appraisal_id, item_code, answer, comment, answered_at, supersedes", NULL, 0 },
	{ "cerqual_judgement",
		"id, theme_id, component, level, why, assessor, assessed_at", NULL, 0 },
	{ "screen_sample", "id, stage, seed, remaining, seen_before, target, confidence, started_at, "
		"actor", NULL, 0 },
	{ "screen_sample_report", "sample_id, position, report_id", NULL, 0 },
	{ "record_fields", "title, abstract, journal, journal_abbrev, year, date, volume, issue, "
		"pages, issn, publisher, url, title_key, journal_key, pages_start", "record", 1 },
};
const size_t wn_sealed_ntables = sizeof(wn_sealed_tables) / sizeof(wn_sealed_tables[0]);

/* The tables whose rows commands change in place (links, renames,
 * merges, removals, a search's progress): each seal records their whole
 * state, row by row when it changed since the seal before. A table is
 * hashed again only when the update hook saw a change, so that an edit
 * made behind winnow's back is never sealed by a later command that did
 * not touch the table. */
const struct wn_sealed_table wn_state_tables[] = {
	{ "study",
		"id, label, title, design, setting, country, registration, note, created_at", NULL, 0 },
	{ "study_report", "record_id, study_id, role, linked_at, actor", NULL, 0 },
	{ "theme",
		"id, parent_id, name, description, position, merged_into, created_at", NULL, 0 },
	{ "finding",
		"id, study_id, record_id, kind, text, location, participant, actor, created_at", NULL, 0 },
	{ "finding_theme", "finding_id, theme_id, actor, linked_at", NULL, 0 },
	{ "appraisal",
		"id, study_id, instrument_id, reviewer, kind, started_at, category", NULL, 0 },
	{ "stage", "name, position, reviewers_required, protocol_id, dual_fraction, sample_seed, "
		"sample_key, sample_below", NULL, 0 },
	/* deduplication's clusters and links: large in a large review, and
	 * changed only by dedupe, so hashed again only when touched */
	{ "dedupe_cluster", "id, primary_record_id, created_at", NULL, 0 },
	{ "cluster_member", "record_id, cluster_id, added_at", NULL, 0 },
	{ "record_relation",
		"id, record_id, related_id, kind, actor, evidence, created_at", NULL, 0 },
	/* a search's progress, counted as it goes: what PRISMA-S reports */
	{ "search_run", "id, source, database_name, platform, base_url, service_version, query, "
		"query_translation, limits, via, started_at, finished_at, count_reported, "
		"count_retrieved, records_new, status, message, previous_run_id", NULL, 0 },
	{ "search_part", "id, search_run_id, seq, label, params, count_reported, count_retrieved, "
		"cursor, status", NULL, 0 },
	/* deduplication's runs, and which run compared each record first */
	{ "dedupe_run", "id, started_at, method, settings, pairs_scored, merged, queued, "
		"finished_at, records_compared, records_new, candidates, related", NULL, 0 },
	{ "dedupe_seen", "record_id, run_id", NULL, 0 },
};
const size_t wn_state_ntables = sizeof(wn_state_tables) / sizeof(wn_state_tables[0]);

int wn_seal_read_fail(struct wn_store *store, const char *table)
{
	char *what = xasprintf("cannot read %s, which the audit trail covers", table);
	int rc = wn_store_fail(store, what);

	free(what);
	return rc;
}

static void hex(const unsigned char *md, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 15];
	}
	out[2 * n] = '\0';
}

/* Whether column c of a record still holds what a look-up filled it with
 * (`fills`: field -> value), or, for a match key, the key of that: 1 if
 * it does, 0 if it holds something else, -1 if no look-up filled it. */
static int holds_filled(sqlite3_stmt *st, int c, const json_t *fills)
{
	const char *name = sqlite3_column_name(st, c), *field = name, *value;
	const char *now = (const char *)sqlite3_column_text(st, c);
	int same;

	if (!strcmp(name, "title_key"))
		field = "title";
	else if (!strcmp(name, "journal_key"))
		field = "journal";
	else if (!strcmp(name, "pages_start"))
		field = "pages";
	if (!(value = json_string_value(json_object_get(fills, field))))
		return -1;
	if (field == name) {
		same = now && !strcmp(now, value);
	} else {
		char *key = wn_field_key(field, value);

		same = key ? now && !strcmp(now, key) : !now;
		free(key);
	}
	return same;
}

/* What look-ups filled in a record: the last column of an `unfilled`
 * range's rows, a JSON array of record_enrichment's fields (NULL when
 * none), merged into one object. */
static json_t *fills_of(sqlite3_stmt *st, int c)
{
	json_t *list, *fills, *one;
	size_t i;

	if (sqlite3_column_type(st, c) == SQLITE_NULL)
		return NULL;
	if (!(list = json_loads((const char *)sqlite3_column_text(st, c), 0, NULL)))
		return NULL;
	fills = json_object();
	json_array_foreach(list, i, one)
		json_object_update(fills, one);
	json_decref(list);
	return fills;
}

/* One row: each value with its type and length, so that no two rows
 * serialise alike. With `fills`, a field still holding what a look-up
 * filled is hashed as the empty field it was before. */
static void row_digest(sqlite3_stmt *st, int ncols, const json_t *fills, struct wn_buf *b,
		       unsigned char md[32])
{
	unsigned int len = 32;

	b->len = 0;
	for (int c = 1; c < ncols; c++) {
		/* the type first: reading a value as text may convert it */
		int type = sqlite3_column_type(st, c);
		int filled = fills ? holds_filled(st, c, fills) : -1;
		const void *data;
		size_t n;

		if (filled == 1)
			type = SQLITE_NULL;
		else if (filled == 0 && type == SQLITE_NULL)
			type = 9; /* emptied since: unlike the empty field it was */
		data = type == SQLITE_NULL ? "" : type == SQLITE_BLOB
		       ? sqlite3_column_blob(st, c) : (const void *)sqlite3_column_text(st, c);
		n = type == SQLITE_NULL ? 0 : (size_t)sqlite3_column_bytes(st, c);

		wn_buf_addc(b, (char)('0' + type));
		wn_buf_addc(b, ':');
		wn_buf_add_uint(b, n);
		wn_buf_addc(b, ':');
		wn_buf_add(b, data ? data : "", data ? n : 0);
		wn_buf_addc(b, '\n');
	}
	EVP_Digest(b->data, b->len, md, &len, wn_sha256_md(), NULL);
}

void wn_seal_range_release(struct wn_seal_range *r)
{
	free(r->parts);
	free(r->ids);
	memset(r, 0, sizeof(*r));
}

int wn_seal_range(struct wn_store *store, const struct wn_sealed_table *t, long long after,
		  long long upto, int per_row, struct wn_seal_range *out)
{
	/* for record fields, what look-ups filled in each record, last */
	char *sql = xasprintf("SELECT rowid, %s%s FROM %s WHERE rowid > ?1 AND rowid <= ?2 "
			      "ORDER BY rowid", t->columns, t->unfilled
			      ? ", (SELECT '[' || group_concat(e.fields, ',') || ']' FROM record_enrichment e "
				"WHERE e.record_id = record.rowid AND e.fields <> '{}')" : "",
			      WN_SEALED_FROM(t));
	EVP_MD_CTX *all = EVP_MD_CTX_new(), *block = EVP_MD_CTX_new();
	struct wn_buf b = WN_BUF_INIT;
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	unsigned char md[32];
	unsigned int len = 32;
	int step, ncols, in_block = 0;

	memset(out, 0, sizeof(*out));
	out->after = after;
	out->upto = upto;
	out->per_row = per_row;
	if (!all || !block)
		abort();
	if (sqlite3_prepare_v2(store->db, sql, -1, &st, NULL) != SQLITE_OK) {
		free(sql);
		EVP_MD_CTX_free(all);
		EVP_MD_CTX_free(block);
		return wn_seal_read_fail(store, WN_SEALED_FROM(t));
	}
	free(sql);
	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_int64(st, 2, upto);
	ncols = sqlite3_column_count(st) - (t->unfilled ? 1 : 0);
	EVP_DigestInit_ex(all, wn_sha256_md(), NULL);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *fills = t->unfilled ? fills_of(st, ncols) : NULL;

		row_digest(st, ncols, fills, &b, md);
		json_decref(fills);
		EVP_DigestUpdate(all, md, sizeof(md));
		if (out->nparts == cap) {
			cap = cap ? 2 * cap : 16;
			out->parts = xrealloc(out->parts, cap * sizeof(*out->parts));
			out->ids = xrealloc(out->ids, cap * sizeof(*out->ids));
		}
		if (per_row) {
			hex(md, 8, out->parts[out->nparts]);
			out->ids[out->nparts++] = sqlite3_column_int64(st, 0);
		} else {
			/* blocks of WN_SEAL_BLOCK rows, named by their first row */
			if (!in_block) {
				EVP_DigestInit_ex(block, wn_sha256_md(), NULL);
				out->ids[out->nparts] = sqlite3_column_int64(st, 0);
			}
			EVP_DigestUpdate(block, md, sizeof(md));
			if (++in_block == WN_SEAL_BLOCK) {
				EVP_DigestFinal_ex(block, md, &len);
				hex(md, 8, out->parts[out->nparts++]);
				in_block = 0;
			}
		}
		out->n++;
	}
	if (in_block) {
		EVP_DigestFinal_ex(block, md, &len);
		hex(md, 8, out->parts[out->nparts++]);
	}
	EVP_DigestFinal_ex(all, md, &len);
	hex(md, 32, out->sha256);
	sqlite3_finalize(st);
	EVP_MD_CTX_free(all);
	EVP_MD_CTX_free(block);
	wn_buf_release(&b);
	if (step != SQLITE_DONE) {
		wn_seal_range_release(out);
		return wn_seal_read_fail(store, WN_SEALED_FROM(t));
	}
	return WN_OK;
}

/* The rows each table held at the last seal, from its "upto" map (0 for
 * a table it does not name, and for every table before the first seal). */
/* The latest seal's details, parsed (NULL in *out when there is none). */
static int last_seal(struct wn_store *store, json_t **out)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT details FROM audit_log WHERE action = 'seal' ORDER BY id DESC LIMIT 1");
	int step;

	*out = NULL;
	if (!st)
		return WN_ERROR;
	if ((step = sqlite3_step(st)) == SQLITE_ROW)
		*out = json_loads(wn_column_text(st, 0), 0, NULL);
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? WN_OK
		: wn_store_fail(store, "cannot read the audit trail");
}

/* The rowid each sealed table was sealed up to, in a seal's details. */
static void upto_of(const json_t *seal, long long upto[])
{
	const json_t *map = json_object_get(seal, "upto");

	for (size_t i = 0; i < wn_sealed_ntables; i++)
		upto[i] = json_integer_value(json_object_get(map, wn_sealed_tables[i].name));
}

int wn_seal_last(struct wn_store *store, long long upto[])
{
	json_t *seal;
	int rc = last_seal(store, &seal);

	memset(upto, 0, wn_sealed_ntables * sizeof(*upto));
	if (rc == WN_OK)
		upto_of(seal, upto);
	json_decref(seal);
	return rc;
}

/* A migration's own commit seals before later versions' tables exist. */
static int table_exists(struct wn_store *store, const char *table, int *yes)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?");
	int step;

	if (!st)
		return WN_ERROR;
	wn_bind_text(st, 1, table);
	step = sqlite3_step(st);
	sqlite3_reset(st);
	*yes = step == SQLITE_ROW;
	return step == SQLITE_ROW || step == SQLITE_DONE ? WN_OK
		: wn_store_fail(store, "cannot read the schema");
}

static int max_rowid(struct wn_store *store, const char *table, long long *out)
{
	sqlite3_stmt *st = NULL;
	char *sql;
	int step, yes, rc;

	*out = 0;
	if ((rc = table_exists(store, table, &yes)) != WN_OK || !yes)
		return rc;
	sql = xasprintf("SELECT COALESCE(MAX(rowid), 0) FROM %s", table);

	if (sqlite3_prepare_v2(store->db, sql, -1, &st, NULL) != SQLITE_OK) {
		free(sql);
		return wn_seal_read_fail(store, table);
	}
	free(sql);
	step = sqlite3_step(st);
	*out = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return step == SQLITE_ROW ? WN_OK : wn_seal_read_fail(store, table);
}

int wn_state_digest(struct wn_store *store, const struct wn_sealed_table *t,
		    struct wn_seal_range *out)
{
	/* every row, each with its short hash: the whole table as it stands */
	int rc = wn_seal_range(store, t, -1, (long long)1 << 62, 1, out);

	if (rc == WN_OK && out->n > WN_SEAL_PER_ROW) {
		wn_seal_range_release(out);
		rc = wn_seal_range(store, t, -1, (long long)1 << 62, 0, out);
	}
	return rc;
}

void wn_audit_touched(struct wn_store *store, const char *table)
{
	for (size_t i = 0; i < wn_state_ntables; i++)
		if (!strcmp(wn_state_tables[i].name, table))
			store->touched |= 1u << i;
}

/* The synthesis tables' state at this seal ("state": each table's
 * SHA-256), and row by row each that changed since the last seal
 * ("state_rows"). *any is set when one changed. */
static int seal_state(struct wn_store *store, const json_t *last, json_t *root, int *any)
{
	json_t *state = json_object(), *rows = json_object();
	int rc = WN_OK;

	sqlite3_stmt *version = wn_store_prepare(store, "PRAGMA user_version");
	int current;

	if (!version) {
		json_decref(state);
		json_decref(rows);
		return WN_ERROR;
	}
	/* a migration's intermediate versions have other columns: the state
	 * is sealed once the schema is the one this winnow writes */
	current = sqlite3_step(version) == SQLITE_ROW &&
		  sqlite3_column_int(version, 0) == WN_SCHEMA_VERSION;
	sqlite3_reset(version);
	if (!current) {
		json_decref(state);
		json_decref(rows);
		return WN_OK;
	}
	for (size_t i = 0; i < wn_state_ntables && rc == WN_OK; i++) {
		const struct wn_sealed_table *t = &wn_state_tables[i];
		const char *before = json_string_value(json_object_get(json_object_get(last, "state"), t->name));
		struct wn_seal_range r;
		int exists;

		if ((rc = table_exists(store, t->name, &exists)) != WN_OK)
			break;
		if (!exists)
			continue;
		if (before && !(store->touched & (1u << i))) {
			/* untouched since the last seal: as it was */
			json_object_set_new(state, t->name, json_string(before));
			continue;
		}
		if ((rc = wn_state_digest(store, t, &r)) != WN_OK)
			break;
		json_object_set_new(state, t->name, json_string(r.sha256));
		if (!before || strcmp(before, r.sha256)) {
			json_t *list = json_array();

			for (size_t k = 0; k < r.nparts; k++) {
				json_t *pair = json_array();

				json_array_append_new(pair, json_integer(r.ids[k]));
				json_array_append_new(pair, json_string(r.parts[k]));
				json_array_append_new(list, pair);
			}
			json_object_set_new(rows, t->name, list);
			*any = 1;
		}
		wn_seal_range_release(&r);
	}
	/* what was touched is in this seal (kept when the seal fails, so that
	 * the next one hashes it) */
	if (rc == WN_OK)
		store->touched = 0;
	json_object_set_new(root, "state", state);
	json_object_set_new(root, "state_rows", rows);
	return rc;
}

int wn_audit_seal(struct wn_store *store)
{
	long long *before = xcalloc(wn_sealed_ntables + 1, sizeof(*before));
	json_t *root = json_object(), *map = json_object(), *covers = json_object(), *last = NULL;
	char *details = NULL;
	int rc, any = 0;

	/* the last seal, read once: where each table was sealed up to, and
	 * the state it had */
	if ((rc = last_seal(store, &last)) != WN_OK)
		goto done;
	upto_of(last, before);
	for (size_t i = 0; i < wn_sealed_ntables && rc == WN_OK; i++) {
		const struct wn_sealed_table *t = &wn_sealed_tables[i];
		struct wn_seal_range r;
		long long now;

		if ((rc = max_rowid(store, WN_SEALED_FROM(t), &now)) != WN_OK)
			break;
		/* a table's rows can only have been added to */
		if (now < before[i])
			now = before[i];
		json_object_set_new(map, t->name, json_integer(now));
		if (now == before[i])
			continue;
		if ((rc = wn_seal_range(store, t, before[i], now, now - before[i] <= WN_SEAL_PER_ROW,
					&r)) != WN_OK)
			break;
		{
			json_t *c = json_object(), *parts = json_array();

			json_object_set_new(c, "after", json_integer(r.after));
			json_object_set_new(c, "upto", json_integer(r.upto));
			json_object_set_new(c, "n", json_integer(r.n));
			json_object_set_new(c, "sha256", json_string(r.sha256));
			for (size_t k = 0; k < r.nparts; k++) {
				json_t *pair = json_array();

				json_array_append_new(pair, json_integer(r.ids[k]));
				json_array_append_new(pair, json_string(r.parts[k]));
				json_array_append_new(parts, pair);
			}
			json_object_set_new(c, r.per_row ? "rows" : "blocks", parts);
			json_object_set_new(covers, t->name, c);
			any = 1;
		}
		wn_seal_range_release(&r);
	}
	if (rc == WN_OK)
		rc = seal_state(store, last, root, &any);
	if (rc != WN_OK || !any)
		goto done;
	json_object_set_new(root, "upto", map);
	json_object_set_new(root, "covers", covers);
	map = covers = NULL;
	details = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
	rc = wn_audit_append(store, "seal", NULL, 0, details);
done:
	json_decref(last);
	json_decref(map);
	json_decref(covers);
	json_decref(root);
	free(details);
	free(before);
	return rc;
}
