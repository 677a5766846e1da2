#include "winnow/record.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

void wn_record_init(struct wn_record *rec)
{
	memset(rec, 0, sizeof(*rec));
}

void wn_strlist_take(struct wn_strlist *list, char *value)
{
	if (list->n == list->cap) {
		list->cap = list->cap ? list->cap * 2 : 4;
		list->items = xrealloc(list->items, list->cap * sizeof(*list->items));
	}
	list->items[list->n++] = value;
}

void wn_strlist_add(struct wn_strlist *list, const char *value)
{
	wn_strlist_take(list, xstrdup(value));
}

void wn_strlist_clear(struct wn_strlist *list)
{
	for (size_t i = 0; i < list->n; i++)
		free(list->items[i]);
	free(list->items);
	list->items = NULL;
	list->n = list->cap = 0;
}

void wn_record_set(char **field, const char *value)
{
	free(*field);
	*field = value ? xstrdup(value) : NULL;
}

void wn_record_take_extra(struct wn_record *rec, const char *tag, char *value)
{
	if (rec->nextra == rec->extra_cap) {
		rec->extra_cap = rec->extra_cap ? rec->extra_cap * 2 : 8;
		rec->extra = xrealloc(rec->extra, rec->extra_cap * sizeof(*rec->extra));
	}
	rec->extra[rec->nextra].tag = xstrdup(tag);
	rec->extra[rec->nextra].value = value;
	rec->nextra++;
}

void wn_record_add_extra(struct wn_record *rec, const char *tag, const char *value)
{
	wn_record_take_extra(rec, tag, xstrdup(value));
}

void wn_record_clear(struct wn_record *rec)
{
	char **strings[] = {
		&rec->source_id, &rec->type, &rec->title, &rec->abstract, &rec->date,
		&rec->journal, &rec->journal_abbrev, &rec->volume, &rec->issue,
		&rec->pages, &rec->doi, &rec->pmid, &rec->pmcid, &rec->issn,
		&rec->isbn, &rec->language, &rec->url, &rec->publisher, &rec->raw,
	};

	for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
		free(*strings[i]);
	wn_strlist_clear(&rec->authors);
	wn_strlist_clear(&rec->keywords);
	wn_strlist_clear(&rec->mesh);
	wn_strlist_clear(&rec->pubtypes);
	for (size_t i = 0; i < rec->nextra; i++) {
		free(rec->extra[i].tag);
		free(rec->extra[i].value);
	}
	free(rec->extra);
	wn_record_init(rec);
}
