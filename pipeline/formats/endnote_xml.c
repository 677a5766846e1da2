/*
 * EndNote XML: <xml><records><record>...</record>...</records></xml>, as
 * written by EndNote ("Export: XML") and by Bookends, Zotero and others.
 * Every value is wrapped in <style face=... font=... size=...> runs (one
 * per change of formatting, even inside a word), which are flattened; a
 * line break inside a value is written as CR.
 *
 * Elements the mapping below does not know go to extra under their own
 * name, so a library's custom fields, notes and labels are kept.
 */
#include "xml_common.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const endnote_roots[] = { "xml", NULL };

static enum wn_xml_action endnote_classify(void *ctx, const char *const *path, int depth)
{
	(void)ctx;
	if (depth == 0)
		return WN_XML_DESCEND;
	if (depth == 1)
		return strcmp(path[1], "records") == 0 ? WN_XML_DESCEND : WN_XML_SKIP;
	if (depth == 2 && strcmp(path[2], "record") == 0)
		return WN_XML_RECORD;
	return WN_XML_SKIP;
}

/* EndNote reference types (by name, else by number) to the record types. */
static const char *endnote_type(const char *name, const char *number)
{
	static const struct {
		const char *name;
		int number;
		const char *type;
	} types[] = {
		{ "Journal Article", 17, "journal-article" },
		{ "Electronic Article", 43, "journal-article" },
		{ "Book", 6, "book" },
		{ "Edited Book", 28, "book" },
		{ "Electronic Book", 44, "book" },
		{ "Book Section", 5, "book-chapter" },
		{ "Electronic Book Section", 60, "book-chapter" },
		{ "Conference Proceedings", 10, "conference-paper" },
		{ "Conference Paper", 47, "conference-paper" },
		{ "Thesis", 32, "thesis" },
		{ "Report", 27, "report" },
		{ "Government Document", 46, "report" },
		{ "Web Page", 12, "web-page" },
		{ "Dataset", 59, "dataset" },
		{ "Aggregated Database", 55, "dataset" },
	};
	int n = number ? atoi(number) : 0;

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (name && strcasecmp(name, types[i].name) == 0)
			return types[i].type;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!name && n == types[i].number)
			return types[i].type;
	return "other";
}

/* The values of a field that holds several, one per line ("1532-1827
 * (Electronic)\r0007-0920 (Linking)"), each squeezed. */
static void for_each_line(struct wn_record *rec, const struct wn_xml_node *node,
			  void (*fn)(struct wn_record *rec, const char *value, const char *tag),
			  const char *tag)
{
	char *text = wn_xml_text_lines(node);
	char *save = NULL;

	if (!text)
		return;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *v = wn_trim(line);

		if (*v)
			fn(rec, v, tag);
	}
	free(text);
}

static void add_issn_or_isbn(struct wn_record *rec, const char *value, const char *tag)
{
	wn_record_set_issn_or_isbn(rec, tag, value);
}

static void add_keyword(struct wn_record *rec, const char *value, const char *tag)
{
	(void)tag;
	wn_strlist_add(&rec->keywords, value);
}

static void add_url(struct wn_record *rec, const char *value, const char *tag)
{
	if (!rec->url && strcmp(tag, "url") == 0)
		rec->url = xstrdup(value);
	else
		wn_record_add_extra(rec, tag, value);
}

/* A multi-line text (abstract, notes): line breaks kept, each line's
 * spacing squeezed, blank lines dropped. */
static char *paragraphs(const struct wn_xml_node *node)
{
	char *text = wn_xml_text_lines(node), *save = NULL;
	struct wn_buf b = WN_BUF_INIT;

	if (!text)
		return NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t before = b.len;
		int space = 0;

		if (b.len)
			wn_buf_addc(&b, '\n');
		for (char *c = wn_trim(line); *c; c++) {
			if (wn_is_space((unsigned char)*c)) {
				space = 1;
				continue;
			}
			if (space)
				wn_buf_addc(&b, ' ');
			space = 0;
			wn_buf_addc(&b, *c);
		}
		if (b.len == before + (before ? 1 : 0)) {
			b.len = before;
			if (b.data)
				b.data[b.len] = '\0';
		}
	}
	free(text);
	if (!b.len) {
		wn_buf_release(&b);
		return NULL;
	}
	return wn_buf_detach(&b);
}

static void extra_text(struct wn_record *rec, const char *tag, const struct wn_xml_node *node)
{
	char *v = wn_xml_text(node);

	if (v)
		wn_record_add_extra(rec, tag, v);
	free(v);
}

static void set_or_extra(struct wn_record *rec, char **field, const char *tag,
			 const struct wn_xml_node *node)
{
	char *v = wn_xml_text(node);

	if (!v)
		return;
	if (!*field) {
		*field = v;
		return;
	}
	if (strcmp(*field, v) != 0)
		wn_record_add_extra(rec, tag, v);
	free(v);
}

static void map_contributors(struct wn_record *rec, const struct wn_xml_node *contributors)
{
	wn_xml_each_element(group, contributors) {
		int authors = wn_xml_is(group, "authors");
		char tag[64];

		/* "secondary-authors" -> "secondary-author" */
		snprintf(tag, sizeof(tag), "%s", (const char *)group->name);
		if (strlen(tag) > 1 && tag[strlen(tag) - 1] == 's')
			tag[strlen(tag) - 1] = '\0';
		wn_xml_each_element(a, group) {
			char *name = wn_xml_text(a);

			if (!name)
				continue;
			if (authors)
				wn_strlist_add(&rec->authors, name);
			else
				wn_record_add_extra(rec, tag, name);
			free(name);
		}
	}
}

static void map_titles(struct wn_record *rec, const struct wn_xml_node *titles)
{
	wn_xml_each_element(t, titles) {
		if (wn_xml_is(t, "title"))
			set_or_extra(rec, &rec->title, "title", t);
		else if (wn_xml_is(t, "secondary-title"))
			set_or_extra(rec, &rec->journal, "secondary-title", t);
		else
			extra_text(rec, (const char *)t->name, t);
	}
}

static void map_periodical(struct wn_record *rec, const struct wn_xml_node *periodical)
{
	wn_xml_each_element(t, periodical) {
		if (wn_xml_is(t, "full-title"))
			set_or_extra(rec, &rec->journal, "full-title", t);
		else if (wn_xml_is(t, "abbr-1"))
			set_or_extra(rec, &rec->journal_abbrev, "abbr-1", t);
		else
			extra_text(rec, (const char *)t->name, t);
	}
}

/* The year when it is a clean number; pub-dates/date as the date, with
 * the year put in front when the date lacks it ("Mar 3" -> "2015 Mar 3"). */
static void map_dates(struct wn_record *rec, const struct wn_xml_node *dates)
{
	char *year = wn_xml_path_text(dates, "year");
	char *date = wn_xml_path_text(dates, "pub-dates/date");

	if (year) {
		char *end;
		long y = strtol(year, &end, 10);

		if (*end == '\0' && y > 0 && y <= 9999)
			rec->year = (int)y;
	}
	if (date && year && !strstr(date, year)) {
		rec->date = xasprintf("%s %s", year, date);
		free(date);
	} else if (date) {
		rec->date = date;
	} else if (year && !rec->year) {
		rec->date = year;
		year = NULL;
	}
	free(year);
	wn_xml_each_element(d, dates)
		if (!wn_xml_is(d, "year") && !wn_xml_is(d, "pub-dates"))
			extra_text(rec, (const char *)d->name, d);
}

static void map_urls(struct wn_record *rec, const struct wn_xml_node *urls)
{
	wn_xml_each_element(kind, urls) {
		const char *tag = wn_xml_is(kind, "related-urls") ? "url" : (const char *)kind->name;

		wn_xml_each_element(u, kind)
			for_each_line(rec, u, add_url, tag);
	}
}

static int all_digits(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

static int mentions_pubmed(const char *s)
{
	return s && (strcasestr(s, "pubmed") || strcasestr(s, "medline") || strcasestr(s, "NLM"));
}

static int endnote_map(struct wn_parser *p, void *ctx, const struct wn_xml_node *record,
		       struct wn_record *rec, int *skip)
{
	char *accession = NULL, *db_name = NULL, *db_provider = NULL;

	(void)ctx;
	*skip = 0;
	wn_xml_each_element(f, record) {
		const char *name = (const char *)f->name;

		if (wn_xml_is(f, "rec-number")) {
			set_or_extra(rec, &rec->source_id, "rec-number", f);
		} else if (wn_xml_is(f, "ref-type")) {
			char *tname = wn_xml_attr(f, "name"), *num = wn_xml_text(f);

			free(rec->type);
			rec->type = xstrdup(endnote_type(tname, num));
			if (tname || num)
				wn_record_add_extra(rec, "ref-type", tname ? tname : num);
			free(tname);
			free(num);
		} else if (wn_xml_is(f, "contributors")) {
			map_contributors(rec, f);
		} else if (wn_xml_is(f, "titles")) {
			map_titles(rec, f);
		} else if (wn_xml_is(f, "periodical")) {
			map_periodical(rec, f);
		} else if (wn_xml_is(f, "pages")) {
			set_or_extra(rec, &rec->pages, name, f);
		} else if (wn_xml_is(f, "volume")) {
			set_or_extra(rec, &rec->volume, name, f);
		} else if (wn_xml_is(f, "number")) {
			set_or_extra(rec, &rec->issue, name, f);
		} else if (wn_xml_is(f, "dates")) {
			map_dates(rec, f);
		} else if (wn_xml_is(f, "isbn")) {
			for_each_line(rec, f, add_issn_or_isbn, "isbn");
		} else if (wn_xml_is(f, "abstract")) {
			char *v = paragraphs(f);

			if (v && !rec->abstract)
				rec->abstract = v;
			else if (v) {
				wn_record_add_extra(rec, name, v);
				free(v);
			}
		} else if (wn_xml_is(f, "keywords")) {
			wn_xml_each_element(k, f)
				for_each_line(rec, k, add_keyword, NULL);
		} else if (wn_xml_is(f, "electronic-resource-num")) {
			char *v = wn_xml_text(f);

			if (v && !rec->doi && wn_looks_like_doi(v))
				rec->doi = v;
			else if (v) {
				wn_record_add_extra(rec, name, v);
				free(v);
			}
		} else if (wn_xml_is(f, "accession-num")) {
			free(accession);
			accession = wn_xml_text(f);
			if (accession)
				wn_record_add_extra(rec, name, accession);
		} else if (wn_xml_is(f, "urls")) {
			map_urls(rec, f);
		} else if (wn_xml_is(f, "language")) {
			set_or_extra(rec, &rec->language, name, f);
		} else if (wn_xml_is(f, "publisher")) {
			set_or_extra(rec, &rec->publisher, name, f);
		} else if (wn_xml_is(f, "remote-database-name") ||
			   wn_xml_is(f, "remote-database-provider")) {
			char *v = wn_xml_text(f);

			if (v) {
				wn_record_add_extra(rec, name, v);
				if (wn_xml_is(f, "remote-database-name") && !db_name)
					db_name = v;
				else if (!db_provider)
					db_provider = v;
				else
					free(v);
			}
		} else if (wn_xml_is(f, "notes") || wn_xml_is(f, "research-notes")) {
			char *v = paragraphs(f);

			if (v)
				wn_record_add_extra(rec, name, v);
			free(v);
		} else {
			/* anything else as it is; the values inside a container
			 * (alt-periodical, foreign-keys...) tagged "container/name" */
			char *prefix = xasprintf("%s/", name);
			const struct wn_xml_node *c = wn_xml_first_element(f);

			if (c && !wn_xml_is(c, "style"))
				wn_xml_extra_leaves(rec, f, prefix);
			else
				extra_text(rec, name, f);
			free(prefix);
		}
	}
	/* an accession number from PubMed/MEDLINE is the PMID */
	if (all_digits(accession) && !rec->pmid &&
	    (mentions_pubmed(db_name) || mentions_pubmed(db_provider) ||
	     (rec->url && strstr(rec->url, "ncbi.nlm.nih.gov/pubmed"))))
		rec->pmid = xstrdup(accession);
	free(accession);
	free(db_name);
	free(db_provider);
	if (!rec->type)
		rec->type = xstrdup("other");
	if (!rec->source_id && !rec->title)
		return wn_parser_warn(p, rec->line, "EndNote record without rec-number or title");
	return 0;
}

int wn_parse_endnote_xml(struct wn_parser *p)
{
	const struct wn_xml_walk walk = {
		.what = "EndNote XML",
		.roots = endnote_roots,
		.classify = endnote_classify,
		.map = endnote_map,
	};

	return wn_xml_parse(p, &walk);
}

int wn_sniff_endnote_xml(const char *head, size_t len)
{
	const char *records;

	if (!wn_xml_sniff_root(head, len, endnote_roots))
		return 0;
	/* <xml> alone is too common a name: look for the records */
	records = strstr(head, "<records");
	return records && strstr(records + 8, "<record") ? 100 : 40;
}
