/*
 * JSON export: the stable machine interface. A JSON array with one object
 * per record, written as each record arrives (never the whole array in
 * memory). Field names and shapes are a contract (docs/export.md).
 */
#include "formats_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static json_t *string_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *lossy_string(const char *s)
{
	json_t *v;
	char *clean;

	if (!s)
		return json_null();
	v = json_string(s);
	if (v)
		return v;
	clean = wn_utf8_lossy(s);
	v = json_string(clean);
	free(clean);
	return v ? v : json_null();
}

static void set(json_t *obj, const char *key, const char *value)
{
	json_object_set_new(obj, key, value ? lossy_string(value) : json_null());
}

static json_t *string_array(const struct wn_strlist *l)
{
	json_t *a = json_array();

	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(a, lossy_string(l->items[i]));
	return a;
}

json_t *wn_extra_to_json(const struct wn_record *rec)
{
	json_t *obj = json_object();

	for (size_t i = 0; i < rec->nextra; i++) {
		const char *tag = rec->extra[i].tag;
		json_t *have = json_object_get(obj, tag);
		json_t *v = lossy_string(rec->extra[i].value);

		if (!have) {
			json_object_set_new(obj, tag, v);
		} else if (json_is_array(have)) {
			json_array_append_new(have, v);
		} else {
			json_t *a = json_array();

			json_array_append(a, have);
			json_array_append_new(a, v);
			json_object_set_new(obj, tag, a);
		}
	}
	return obj;
}

static int json_begin(struct wn_writer *w)
{
	fputs("[", w->fp);
	return WN_OK;
}

static int json_record(struct wn_writer *w, const struct wn_record *rec,
		       const struct wn_record_meta *meta)
{
	json_t *o = json_object();
	json_t *authors = json_array();
	json_t *origin = json_object();
	char *text;

	json_object_set_new(o, "id", json_integer(meta ? meta->id : rec->position));
	set(o, "source", meta ? meta->source : NULL);
	set(o, "source_id", rec->source_id);
	set(o, "title", rec->title);
	set(o, "abstract", rec->abstract);
	for (size_t i = 0; i < rec->authors.n; i++) {
		char *a = wn_author_display(rec->authors.items[i]);

		if (a)
			json_array_append_new(authors, lossy_string(a));
		free(a);
	}
	json_object_set_new(o, "authors", authors);
	json_object_set_new(o, "year", rec->year ? json_integer(rec->year) : json_null());
	set(o, "journal", rec->journal);
	set(o, "volume", rec->volume);
	set(o, "issue", rec->issue);
	set(o, "pages", rec->pages);
	set(o, "doi", rec->doi);
	set(o, "pmid", rec->pmid);
	set(o, "pmcid", rec->pmcid);
	set(o, "issn", rec->issn);
	set(o, "language", rec->language);
	set(o, "type", rec->type);
	json_object_set_new(o, "keywords", string_array(&rec->keywords));
	json_object_set_new(o, "cluster",
			    json_integer(meta && meta->cluster ? meta->cluster
						 : meta ? meta->id : rec->position));
	json_object_set_new(origin, "kind", string_or_null(meta ? meta->origin_kind : NULL));
	json_object_set_new(origin, "id", meta ? json_integer(meta->origin_id) : json_null());
	set(origin, "name", meta ? meta->origin : NULL);
	json_object_set_new(origin, "position", json_integer(rec->position));
	json_object_set_new(origin, "line", rec->line ? json_integer(rec->line) : json_null());
	json_object_set_new(o, "origin", origin);
	set(o, "journal_abbrev", rec->journal_abbrev);
	set(o, "date", rec->date);
	set(o, "isbn", rec->isbn);
	set(o, "url", rec->url);
	set(o, "publisher", rec->publisher);
	json_object_set_new(o, "mesh", string_array(&rec->mesh));
	json_object_set_new(o, "pubtypes", string_array(&rec->pubtypes));
	json_object_set_new(o, "extra", wn_extra_to_json(rec));
	if (meta && meta->nfilled) {
		json_t *filled = json_object();

		for (size_t i = 0; i < meta->nfilled; i++)
			json_object_set_new(filled, meta->filled_field[i],
					    json_integer(meta->filled_from[i]));
		json_object_set_new(o, "filled_from", filled);
	}

	text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!text)
		return wn_error_set(WN_ERROR, "cannot encode record %lld as JSON",
				    meta ? meta->id : (long long)rec->position);
	fprintf(w->fp, "%s\n%s", w->count ? "," : "", text);
	free(text);
	return WN_OK;
}

static int json_end(struct wn_writer *w)
{
	fputs(w->count ? "\n]\n" : "]\n", w->fp);
	return WN_OK;
}

const struct wn_writer_ops wn_writer_json = { "json", json_begin, json_record, json_end };

void wn_extra_from_json(struct wn_record *rec, const char *json_text)
{
	json_t *obj = json_text ? json_loads(json_text, 0, NULL) : NULL;
	const char *tag;
	json_t *v;

	if (!json_is_object(obj)) {
		json_decref(obj);
		return;
	}
	json_object_foreach(obj, tag, v) {
		if (json_is_string(v)) {
			wn_record_add_extra(rec, tag, json_string_value(v));
		} else if (json_is_array(v)) {
			size_t i;
			json_t *item;

			json_array_foreach(v, i, item)
				if (json_is_string(item))
					wn_record_add_extra(rec, tag, json_string_value(item));
		}
	}
	json_decref(obj);
}
