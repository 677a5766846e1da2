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

size_t wn_record_fill(struct wn_record *rec, const struct wn_record *from, const char **filled,
		      size_t max)
{
	/* what describes the report; not what identifies this one entry
	 * (source_id, raw, extra) */
	struct {
		const char *name;
		char **to;
		char *const *from;
	} strings[] = {
		{ "title", &rec->title, &from->title },
		{ "abstract", &rec->abstract, &from->abstract },
		{ "date", &rec->date, &from->date },
		{ "journal", &rec->journal, &from->journal },
		{ "journal_abbrev", &rec->journal_abbrev, &from->journal_abbrev },
		{ "volume", &rec->volume, &from->volume },
		{ "issue", &rec->issue, &from->issue },
		{ "pages", &rec->pages, &from->pages },
		{ "doi", &rec->doi, &from->doi },
		{ "pmid", &rec->pmid, &from->pmid },
		{ "pmcid", &rec->pmcid, &from->pmcid },
		{ "issn", &rec->issn, &from->issn },
		{ "isbn", &rec->isbn, &from->isbn },
		{ "language", &rec->language, &from->language },
		{ "url", &rec->url, &from->url },
		{ "publisher", &rec->publisher, &from->publisher },
	};
	struct {
		const char *name;
		struct wn_strlist *to;
		const struct wn_strlist *from;
	} lists[] = {
		{ "authors", &rec->authors, &from->authors },
		{ "keywords", &rec->keywords, &from->keywords },
		{ "mesh", &rec->mesh, &from->mesh },
	};
	size_t n = 0;

	for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
		if ((!*strings[i].to || !**strings[i].to) && *strings[i].from && **strings[i].from) {
			wn_record_set(strings[i].to, *strings[i].from);
			if (n < max)
				filled[n] = strings[i].name;
			n++;
		}
	if (!rec->year && from->year) {
		rec->year = from->year;
		if (n < max)
			filled[n] = "year";
		n++;
	}
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		if (!lists[i].to->n && lists[i].from->n) {
			for (size_t k = 0; k < lists[i].from->n; k++)
				wn_strlist_add(lists[i].to, lists[i].from->items[k]);
			if (n < max)
				filled[n] = lists[i].name;
			n++;
		}
	return n;
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
