#include "record_store.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "formats/formats_int.h"
#include "util.h"

static char *list_json(const struct wn_strlist *l)
{
	json_t *a = json_array();
	char *s;

	for (size_t i = 0; i < l->n; i++) {
		json_t *v = json_string(l->items[i]);

		if (!v) {
			char *clean = wn_utf8_lossy(l->items[i]);

			v = json_string(clean);
			free(clean);
		}
		json_array_append_new(a, v);
	}
	s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return s;
}

void wn_strlist_from_json(struct wn_strlist *l, const char *text)
{
	json_t *a = text ? json_loads(text, 0, NULL) : NULL;
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v)
		if (json_is_string(v))
			wn_strlist_add(l, json_string_value(v));
	json_decref(a);
}

int wn_record_insert(struct wn_store *store, const struct wn_record *rec,
		     sqlite3_int64 import_file_id, sqlite3_int64 search_run_id,
		     sqlite3_int64 *id)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"INSERT INTO record (search_run_id, import_file_id, position, line, "
		"source_id, type, title, abstract, authors, year, date, journal, "
		"journal_abbrev, volume, issue, pages, doi, pmid, pmcid, issn, isbn, "
		"language, keywords, mesh, pubtypes, url, publisher, title_key, "
		"author_key, journal_key, pages_start, extra, raw, raw_format, "
		"created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
		"?,?,?,?,?,?,?,?,?,?)");
	char *authors, *keywords, *mesh, *pubtypes, *extra;
	char *title_key, *author_key, *journal_key, *start;
	json_t *extra_json;
	char now[21];
	int i = 1, rc;

	if (!st)
		return WN_ERROR;
	wn_utc_now(now);
	authors = list_json(&rec->authors);
	keywords = list_json(&rec->keywords);
	mesh = list_json(&rec->mesh);
	pubtypes = list_json(&rec->pubtypes);
	extra_json = wn_extra_to_json(rec);
	extra = json_dumps(extra_json, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(extra_json);
	title_key = rec->title ? wn_title_key(rec->title) : NULL;
	author_key = rec->authors.n ? wn_author_key(rec->authors.items[0]) : NULL;
	journal_key = rec->journal ? wn_journal_key(rec->journal) : NULL;
	start = wn_pages_start(rec->pages);

	if (search_run_id > 0)
		sqlite3_bind_int64(st, i++, search_run_id);
	else
		sqlite3_bind_null(st, i++);
	if (import_file_id > 0)
		sqlite3_bind_int64(st, i++, import_file_id);
	else
		sqlite3_bind_null(st, i++);
	sqlite3_bind_int64(st, i++, rec->position);
	if (rec->line > 0)
		sqlite3_bind_int64(st, i++, rec->line);
	else
		sqlite3_bind_null(st, i++);
	wn_bind_text(st, i++, rec->source_id);
	wn_bind_text(st, i++, rec->type);
	wn_bind_text(st, i++, rec->title);
	wn_bind_text(st, i++, rec->abstract);
	wn_bind_text(st, i++, authors);
	if (rec->year > 0)
		sqlite3_bind_int(st, i++, rec->year);
	else
		sqlite3_bind_null(st, i++);
	wn_bind_text(st, i++, rec->date);
	wn_bind_text(st, i++, rec->journal);
	wn_bind_text(st, i++, rec->journal_abbrev);
	wn_bind_text(st, i++, rec->volume);
	wn_bind_text(st, i++, rec->issue);
	wn_bind_text(st, i++, rec->pages);
	wn_bind_text(st, i++, rec->doi);
	wn_bind_text(st, i++, rec->pmid);
	wn_bind_text(st, i++, rec->pmcid);
	wn_bind_text(st, i++, rec->issn);
	wn_bind_text(st, i++, rec->isbn);
	wn_bind_text(st, i++, rec->language);
	wn_bind_text(st, i++, keywords);
	wn_bind_text(st, i++, mesh);
	wn_bind_text(st, i++, pubtypes);
	wn_bind_text(st, i++, rec->url);
	wn_bind_text(st, i++, rec->publisher);
	wn_bind_text(st, i++, title_key && *title_key ? title_key : NULL);
	wn_bind_text(st, i++, author_key);
	wn_bind_text(st, i++, journal_key && *journal_key ? journal_key : NULL);
	wn_bind_text(st, i++, start);
	wn_bind_text(st, i++, extra ? extra : "{}");
	if (rec->raw)
		sqlite3_bind_blob(st, i++, rec->raw, (int)rec->raw_len, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i++);
	wn_bind_text(st, i++, rec->raw_format);
	wn_bind_text(st, i++, now);

	rc = sqlite3_step(st) == SQLITE_DONE ? WN_OK
					     : wn_store_fail(store, "cannot store a record");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc == WN_OK && id)
		*id = sqlite3_last_insert_rowid(store->db);
	free(authors);
	free(keywords);
	free(mesh);
	free(pubtypes);
	free(extra);
	free(title_key);
	free(author_key);
	free(journal_key);
	free(start);
	return rc;
}

static char *column_dup(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return s ? xstrdup(s) : NULL;
}

/* Formats a record can come from; raw_format must outlive the row. */
static const char *raw_format_name(const char *s)
{
	const struct wn_format_info *f;

	if (!s)
		return NULL;
	f = wn_format_find(s);
	return f ? f->name : "other";
}

void wn_record_from_row(sqlite3_stmt *st, struct wn_record *rec)
{
	int c = 1;
	const void *raw;

	rec->position = sqlite3_column_int64(st, c++);
	rec->line = sqlite3_column_int64(st, c++);
	rec->source_id = column_dup(st, c++);
	rec->type = column_dup(st, c++);
	rec->title = column_dup(st, c++);
	rec->abstract = column_dup(st, c++);
	wn_strlist_from_json(&rec->authors, (const char *)sqlite3_column_text(st, c++));
	rec->year = sqlite3_column_int(st, c++);
	rec->date = column_dup(st, c++);
	rec->journal = column_dup(st, c++);
	rec->journal_abbrev = column_dup(st, c++);
	rec->volume = column_dup(st, c++);
	rec->issue = column_dup(st, c++);
	rec->pages = column_dup(st, c++);
	rec->doi = column_dup(st, c++);
	rec->pmid = column_dup(st, c++);
	rec->pmcid = column_dup(st, c++);
	rec->issn = column_dup(st, c++);
	rec->isbn = column_dup(st, c++);
	rec->language = column_dup(st, c++);
	wn_strlist_from_json(&rec->keywords, (const char *)sqlite3_column_text(st, c++));
	wn_strlist_from_json(&rec->mesh, (const char *)sqlite3_column_text(st, c++));
	wn_strlist_from_json(&rec->pubtypes, (const char *)sqlite3_column_text(st, c++));
	rec->url = column_dup(st, c++);
	rec->publisher = column_dup(st, c++);
	wn_extra_from_json(rec, (const char *)sqlite3_column_text(st, c++));
	raw = sqlite3_column_blob(st, c);
	rec->raw_len = (size_t)sqlite3_column_bytes(st, c);
	rec->raw = raw ? xstrndup(raw, rec->raw_len) : NULL;
	c++;
	rec->raw_format = raw_format_name((const char *)sqlite3_column_text(st, c++));
}

int wn_report_fill(struct wn_store *store, struct wn_record *rec, long long primary,
		   struct wn_filled *filled)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT " WN_RECORD_COLUMNS " FROM cluster_member p "
		"JOIN cluster_member m ON m.cluster_id = p.cluster_id AND m.record_id <> p.record_id "
		"JOIN record r ON r.id = m.record_id WHERE p.record_id = ? ORDER BY r.id");
	int step;

	filled->n = 0;
	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, primary);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct wn_record other;
		size_t before = filled->n;

		wn_record_init(&other);
		wn_record_from_row(st, &other);
		filled->n += wn_record_fill(rec, &other, filled->field + filled->n,
					    WN_RECORD_FILLABLE - filled->n);
		for (size_t i = before; i < filled->n; i++)
			filled->from[i] = sqlite3_column_int64(st, 0);
		wn_record_clear(&other);
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? WN_OK : wn_store_fail(store, "cannot read a cluster's records");
}

