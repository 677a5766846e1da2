/*
 * Crossref XML: the unixsd answer of DOI content negotiation
 * (crossref_result/query_result/body/query, each with crm-items and a
 * doi_record), unixref (doi_records/doi_record/crossref) and deposit
 * files (doi_batch/body/journal|book|...). One record per work: the
 * journal article, book chapter, conference paper, posted content... with
 * its container (journal, book, proceedings) as the journal fields.
 *
 * Identifiers are read only from the work's own doi_data, never from the
 * citation_list (the DOIs of the works it cites) or its components.
 *
 * wn_crossref_map_node() maps one such element, so that the DOI lookup
 * can reuse it on the records it fetches.
 */
#include "xml_common.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const crossref_roots[] = {
	"crossref_result", "doi_records", "doi_record", "crossref", "doi_batch", NULL,
};

static enum wn_xml_action crossref_classify(void *ctx, const char *const *path, int depth)
{
	const char *root = path[0], *name = path[depth];

	(void)ctx;
	if (depth == 0)
		return strcmp(root, "doi_record") == 0 || strcmp(root, "crossref") == 0
			       ? WN_XML_RECORD
			       : WN_XML_DESCEND;
	if (strcmp(root, "crossref_result") == 0) {
		if (depth < 3)
			return strcmp(name, "query_result") == 0 || strcmp(name, "body") == 0
				       ? WN_XML_DESCEND
				       : WN_XML_SKIP;
		return depth == 3 && strcmp(name, "query") == 0 ? WN_XML_RECORD : WN_XML_SKIP;
	}
	if (strcmp(root, "doi_records") == 0)
		return depth == 1 && strcmp(name, "doi_record") == 0 ? WN_XML_RECORD : WN_XML_SKIP;
	/* doi_batch: every child of body is a work container */
	if (depth == 1)
		return strcmp(name, "body") == 0 ? WN_XML_DESCEND : WN_XML_SKIP;
	return depth == 2 ? WN_XML_RECORD : WN_XML_SKIP;
}

static void take(char **field, char *value)
{
	if (value && !*field)
		*field = value;
	else
		free(value);
}

static void extra_text(struct wn_record *rec, const char *tag, const struct wn_xml_node *node)
{
	char *v = wn_xml_text(node);

	if (v)
		wn_record_add_extra(rec, tag, v);
	free(v);
}

/* The text directly inside an element, not in its children (a funder
 * name holds its identifier as a child element). */
static char *own_text(const struct wn_xml_node *node)
{
	struct wn_buf b = WN_BUF_INIT;
	char *s, *t;

	for (const struct wn_xml_node *c = node->children; c; c = c->next)
		if (c->type == WN_XML_TEXT && c->content)
			wn_buf_adds(&b, (const char *)c->content);
	if (!b.len) {
		wn_buf_release(&b);
		return NULL;
	}
	s = wn_buf_detach(&b);
	t = wn_trim(s);
	if (!*t) {
		free(s);
		return NULL;
	}
	memmove(s, t, strlen(t) + 1);
	return s;
}

/* Authors from contributors: "surname, given_name" or the organization;
 * other roles (editor, translator...) to extra, and every one of them
 * there when all_to is not NULL (the book of a chapter). Returns the
 * number of authors added. */
static size_t map_contributors(struct wn_record *rec, const struct wn_xml_node *contributors,
			       const char *all_to)
{
	size_t added = 0;

	wn_xml_each_element(c, contributors) {
		char *role = wn_xml_attr(c, "contributor_role"), *name = NULL;

		if (wn_xml_is(c, "person_name")) {
			char *surname = wn_xml_path_text(c, "surname");
			char *given = wn_xml_path_text(c, "given_name");
			char *suffix = wn_xml_path_text(c, "suffix");

			if (surname && given)
				name = suffix ? xasprintf("%s, %s %s", surname, given, suffix)
					      : xasprintf("%s, %s", surname, given);
			else if (surname)
				name = xstrdup(surname);
			free(surname);
			free(given);
			free(suffix);
			for (const struct wn_xml_node *id = wn_xml_child(c, "ORCID"); name && id;
			     id = wn_xml_next(id, "ORCID")) {
				char *v = wn_xml_text(id);

				if (v) {
					char *e = xasprintf("%s: %s", name, v);

					wn_record_add_extra(rec, "ORCID", e);
					free(e);
				}
				free(v);
			}
		} else if (wn_xml_is(c, "organization")) {
			name = wn_xml_text(c);
		}
		if (name) {
			if (all_to) {
				wn_record_add_extra(rec, all_to, name);
			} else if (!role || strcmp(role, "author") == 0) {
				wn_strlist_add(&rec->authors, name);
				added++;
			} else {
				wn_record_add_extra(rec, role, name);
			}
		}
		free(name);
		free(role);
	}
	return added;
}

/* "2014 Feb 11" from a date element (year, month, day), or NULL. */
static char *date_text(const struct wn_xml_node *d, int *year_out)
{
	char *year = wn_xml_path_text(d, "year"), *month = wn_xml_path_text(d, "month");
	char *day = wn_xml_path_text(d, "day"), *s = NULL;

	if (year) {
		char *end;
		long y = strtol(year, &end, 10);

		if (year_out && *end == '\0' && y > 0 && y <= 9999)
			*year_out = (int)y;
		if (month && day)
			s = xasprintf("%s %s %s", year, wn_xml_month_name(month), day);
		else if (month)
			s = xasprintf("%s %s", year, wn_xml_month_name(month));
		else
			s = xstrdup(year);
	}
	free(year);
	free(month);
	free(day);
	return s;
}

/* The date of a work from its publication_date (or posted_date...) the
 * print one when there are several; the others to extra. */
static int map_date(struct wn_record *rec, const struct wn_xml_node *parent, const char *element)
{
	const struct wn_xml_node *best = NULL;
	char *date;

	wn_xml_each(d, parent, element)
		if (!best || wn_xml_attr_is(d, "media_type", "print")) {
			best = d;
			if (wn_xml_attr_is(d, "media_type", "print"))
				break;
		}
	if (!best)
		return 0;
	date = date_text(best, &rec->year);
	if (date) {
		free(rec->date);
		rec->date = date;
	}
	wn_xml_each(d, parent, element)
		if (d != best) {
			char *other = date_text(d, NULL), *type = wn_xml_attr(d, "media_type");
			char *tag = xasprintf("%s-%s", element, type ? type : "other");

			if (other)
				wn_record_add_extra(rec, tag, other);
			free(other);
			free(type);
			free(tag);
		}
	return best != NULL;
}

static void map_doi_data(struct wn_record *rec, const struct wn_xml_node *parent)
{
	const struct wn_xml_node *data = wn_xml_child(parent, "doi_data");

	take(&rec->doi, wn_xml_path_text(data, "doi"));
	take(&rec->url, wn_xml_path_text(data, "resource"));
}

static void map_titles(struct wn_record *rec, const struct wn_xml_node *parent)
{
	const struct wn_xml_node *titles = wn_xml_child(parent, "titles");

	take(&rec->title, wn_xml_path_text(titles, "title"));
	extra_text(rec, "subtitle", wn_xml_child(titles, "subtitle"));
	extra_text(rec, "original_language_title", wn_xml_child(titles, "original_language_title"));
}

static void map_abstracts(struct wn_record *rec, const struct wn_xml_node *parent)
{
	wn_xml_each(a, parent, "abstract") {
		char *text = wn_xml_text_blocks(a), *type = wn_xml_attr(a, "abstract-type");

		/* JATS abstracts often open with a <title>Abstract</title> */
		if (text && strncasecmp(text, "Abstract\n", 9) == 0)
			memmove(text, text + 9, strlen(text + 9) + 1);

		if (text && !rec->abstract && !type) {
			rec->abstract = text;
			text = NULL;
		} else if (text) {
			char *tag = xasprintf("abstract-%s", type ? type : "other");

			wn_record_add_extra(rec, tag, text);
			free(tag);
		}
		free(text);
		free(type);
	}
}

static void map_pages(struct wn_record *rec, const struct wn_xml_node *parent)
{
	const struct wn_xml_node *pages = wn_xml_child(parent, "pages");
	char *first = wn_xml_path_text(pages, "first_page");
	char *last = wn_xml_path_text(pages, "last_page");

	if (first && !rec->pages)
		rec->pages = last ? xasprintf("%s-%s", first, last) : xstrdup(first);
	extra_text(rec, "other_pages", wn_xml_child(pages, "other_pages"));
	free(first);
	free(last);
}

static void map_ids(struct wn_record *rec, const struct wn_xml_node *parent)
{
	wn_xml_each_element(c, parent)
		if (wn_xml_is(c, "issn") || wn_xml_is(c, "isbn")) {
			char *v = wn_xml_text(c);

			if (v)
				wn_record_set_issn_or_isbn(rec, (const char *)c->name, v);
			free(v);
		}
}

static void map_publisher(struct wn_record *rec, const struct wn_xml_node *parent)
{
	const struct wn_xml_node *pub = wn_xml_child(parent, "publisher");

	take(&rec->publisher, wn_xml_path_text(pub, "publisher_name"));
	extra_text(rec, "publisher_place", wn_xml_child(pub, "publisher_place"));
}

/* Funders, licences, relations and the article number of a work. */
static void map_work_extras(struct wn_record *rec, const struct wn_xml_node *work)
{
	wn_xml_each_element(c, work) {
		if (wn_xml_is(c, "publisher_item")) {
			extra_text(rec, "item_number", wn_xml_child(c, "item_number"));
		} else if (wn_xml_is(c, "program")) {
			/* fundref, access indicators, relations: bounded walk of
			 * the leaves that matter */
			wn_xml_each_element(g, c) {
				if (wn_xml_is(g, "license_ref"))
					extra_text(rec, "license", g);
				wn_xml_each_element(a, g) {
					if (wn_xml_attr_is(a, "name", "funder_name")) {
						char *v = own_text(a);

						if (v)
							wn_record_add_extra(rec, "funder", v);
						free(v);
					} else if (wn_xml_is(a, "inter_work_relation") ||
						   wn_xml_is(a, "intra_work_relation")) {
						char *type = wn_xml_attr(a, "relationship-type");
						char *v = wn_xml_text(a);

						if (v) {
							char *e = xasprintf("%s:%s", type ? type : "", v);

							wn_record_add_extra(rec, "relation", e);
							free(e);
						}
						free(type);
						free(v);
					}
				}
			}
		}
	}
}

/* The item-level part of a work: title, authors, date, pages, DOI. */
static void map_item(struct wn_record *rec, const struct wn_xml_node *item,
		     const char *date_element)
{
	map_titles(rec, item);
	map_contributors(rec, wn_xml_child(item, "contributors"), NULL);
	map_date(rec, item, date_element);
	map_pages(rec, item);
	map_abstracts(rec, item);
	map_doi_data(rec, item);
	map_ids(rec, item);
	map_work_extras(rec, item);
}

static const char *const book_metas[] = { "book_metadata", "book_series_metadata",
					  "book_set_metadata", NULL };

static const struct wn_xml_node *child_of(const struct wn_xml_node *node, const char *const *names)
{
	for (size_t i = 0; names[i]; i++) {
		const struct wn_xml_node *c = wn_xml_child(node, names[i]);

		if (c)
			return c;
	}
	return NULL;
}

static void map_journal(struct wn_record *rec, const struct wn_xml_node *c)
{
	const struct wn_xml_node *meta = wn_xml_child(c, "journal_metadata");
	const struct wn_xml_node *issue = wn_xml_child(c, "journal_issue");
	const struct wn_xml_node *article = wn_xml_child(c, "journal_article");
	char *lang = wn_xml_attr(meta, "language");

	rec->journal = wn_xml_path_text(meta, "full_title");
	rec->journal_abbrev = wn_xml_path_text(meta, "abbrev_title");
	/* the print ISSN first */
	wn_xml_each(i, meta, "issn")
		if (wn_xml_attr_is(i, "media_type", "print")) {
			char *v = wn_xml_text(i);

			if (v)
				wn_record_set_issn_or_isbn(rec, "issn", v);
			free(v);
		}
	map_ids(rec, meta);
	rec->volume = wn_xml_path_text(issue, "journal_volume/volume");
	rec->issue = wn_xml_path_text(issue, "issue");
	if (article) {
		char *pubtype = wn_xml_attr(article, "publication_type");

		rec->type = xstrdup("journal-article");
		map_item(rec, article, "publication_date");
		if (pubtype)
			wn_record_add_extra(rec, "publication_type", pubtype);
		free(pubtype);
		take(&rec->language, wn_xml_attr(article, "language"));
	} else {
		/* a DOI for the journal or an issue, not an article */
		rec->type = xstrdup("other");
		map_titles(rec, issue);
		map_doi_data(rec, issue);
		map_doi_data(rec, meta);
		take(&rec->title, wn_xml_path_text(meta, "full_title"));
	}
	if (!rec->date)
		map_date(rec, issue, "publication_date");
	take(&rec->language, lang);
}

static void map_book(struct wn_record *rec, const struct wn_xml_node *c)
{
	const struct wn_xml_node *meta = child_of(c, book_metas);
	const struct wn_xml_node *item = wn_xml_child(c, "content_item");
	char *book_type = wn_xml_attr(c, "book_type");

	if (book_type)
		wn_record_add_extra(rec, "book_type", book_type);
	free(book_type);
	if (item) {
		char *component = wn_xml_attr(item, "component_type");

		rec->type = xstrdup("book-chapter");
		map_item(rec, item, "publication_date");
		rec->journal = wn_xml_path_text(meta, "titles/title");
		/* the book's own authors and editors are not the chapter's */
		map_contributors(rec, wn_xml_child(meta, "contributors"), "book-contributor");
		if (component)
			wn_record_add_extra(rec, "component_type", component);
		free(component);
	} else {
		rec->type = xstrdup("book");
		map_item(rec, meta, "publication_date");
	}
	if (!rec->date)
		map_date(rec, meta, "publication_date");
	map_ids(rec, meta);
	map_publisher(rec, meta);
	take(&rec->volume, wn_xml_path_text(meta, "volume"));
	extra_text(rec, "edition_number", wn_xml_child(meta, "edition_number"));
	extra_text(rec, "series_title", wn_xml_path(meta, "series_metadata/titles/title"));
	if (!rec->doi)
		map_doi_data(rec, meta);
}

static void map_conference(struct wn_record *rec, const struct wn_xml_node *c)
{
	const struct wn_xml_node *event = wn_xml_child(c, "event_metadata");
	const struct wn_xml_node *meta = wn_xml_child(c, "proceedings_metadata");
	const struct wn_xml_node *paper = wn_xml_child(c, "conference_paper");

	if (!meta)
		meta = wn_xml_child(c, "proceedings_series_metadata");
	extra_text(rec, "conference_name", wn_xml_child(event, "conference_name"));
	extra_text(rec, "conference_location", wn_xml_child(event, "conference_location"));
	extra_text(rec, "conference_date", wn_xml_child(event, "conference_date"));
	if (paper) {
		rec->type = xstrdup("conference-paper");
		map_item(rec, paper, "publication_date");
		rec->journal = wn_xml_path_text(meta, "proceedings_title");
	} else {
		rec->type = xstrdup("book"); /* the proceedings volume itself */
		take(&rec->title, wn_xml_path_text(meta, "proceedings_title"));
		map_doi_data(rec, meta);
	}
	if (!rec->date)
		map_date(rec, meta, "publication_date");
	map_ids(rec, meta);
	map_publisher(rec, meta);
	take(&rec->volume, wn_xml_path_text(meta, "volume"));
}

static void map_posted_content(struct wn_record *rec, const struct wn_xml_node *c)
{
	char *type = wn_xml_attr(c, "type");

	if (!type || !strcmp(type, "preprint") || !strcmp(type, "other"))
		rec->type = xstrdup("preprint");
	else if (!strcmp(type, "working_paper") || !strcmp(type, "report"))
		rec->type = xstrdup("report");
	else if (!strcmp(type, "dissertation"))
		rec->type = xstrdup("thesis");
	else if (!strcmp(type, "letter"))
		rec->type = xstrdup("letter");
	else
		rec->type = xstrdup("preprint");
	if (type)
		wn_record_add_extra(rec, "posted_content-type", type);
	free(type);
	map_item(rec, c, "posted_date");
	extra_text(rec, "group_title", wn_xml_child(c, "group_title"));
	extra_text(rec, "institution", wn_xml_path(c, "institution/institution_name"));
}

static void map_dissertation(struct wn_record *rec, const struct wn_xml_node *c)
{
	rec->type = xstrdup("thesis");
	wn_xml_each(p, c, "person_name") {
		char *surname = wn_xml_path_text(p, "surname"), *given = wn_xml_path_text(p, "given_name");

		if (surname) {
			char *name = given ? xasprintf("%s, %s", surname, given) : xstrdup(surname);

			wn_strlist_add(&rec->authors, name);
			free(name);
		}
		free(surname);
		free(given);
	}
	map_item(rec, c, "approval_date");
	extra_text(rec, "institution", wn_xml_path(c, "institution/institution_name"));
	extra_text(rec, "degree", wn_xml_child(c, "degree"));
}

static void map_other(struct wn_record *rec, const struct wn_xml_node *c, const char *type)
{
	const char *const metas[] = { "report-paper_metadata", "report-paper_series_metadata",
				      "standard_metadata", "database_metadata", NULL };
	const struct wn_xml_node *meta = child_of(c, metas);
	const struct wn_xml_node *item = wn_xml_child(c, "content_item");

	if (!item)
		item = wn_xml_child(c, "dataset");
	rec->type = xstrdup(type);
	if (item) {
		map_item(rec, item, "publication_date");
		take(&rec->journal, wn_xml_path_text(meta, "titles/title"));
	} else {
		map_item(rec, meta ? meta : c, "publication_date");
	}
	if (meta) {
		if (!rec->date)
			map_date(rec, meta, "publication_date");
		map_ids(rec, meta);
		map_publisher(rec, meta);
		extra_text(rec, "institution", wn_xml_path(meta, "institution/institution_name"));
		if (!rec->doi)
			map_doi_data(rec, meta);
	}
}

static void map_container(struct wn_record *rec, const struct wn_xml_node *c)
{
	const char *name = (const char *)c->name;

	wn_record_add_extra(rec, "crossref-type", name);
	if (wn_xml_is(c, "journal"))
		map_journal(rec, c);
	else if (wn_xml_is(c, "book"))
		map_book(rec, c);
	else if (wn_xml_is(c, "conference"))
		map_conference(rec, c);
	else if (wn_xml_is(c, "posted_content"))
		map_posted_content(rec, c);
	else if (wn_xml_is(c, "dissertation"))
		map_dissertation(rec, c);
	else if (wn_xml_is(c, "report-paper") || wn_xml_is(c, "standard"))
		map_other(rec, c, "report");
	else if (wn_xml_is(c, "database"))
		map_other(rec, c, "dataset");
	else
		map_other(rec, c, "other");
}

int wn_crossref_map_node(const struct wn_xml_node *node, struct wn_record *rec, char **problem)
{
	const struct wn_xml_node *c;

	if (problem)
		*problem = NULL;
	if (wn_xml_is(node, "query")) {
		const struct wn_xml_node *record = wn_xml_child(node, "doi_record");

		if (!record) {
			char *doi = wn_xml_path_text(node, "doi"), *status = wn_xml_attr(node, "status");
			char *msg = wn_xml_path_text(node, "msg");

			if (problem)
				*problem = xasprintf("Crossref query for %s: %s%s%s", doi ? doi : "(no DOI)",
						     status ? status : "no record",
						     msg ? ": " : "", msg ? msg : "");
			free(doi);
			free(status);
			free(msg);
			return 0;
		}
		wn_xml_each(i, node, "crm-item") {
			char *name = wn_xml_attr(i, "name"), *v = wn_xml_text(i);

			if (name && v && strcmp(name, "publisher-name") == 0 && !rec->publisher) {
				rec->publisher = v;
				v = NULL;
			} else if (name && v) {
				wn_record_add_extra(rec, name, v);
			}
			free(name);
			free(v);
		}
		node = record;
	}
	if (wn_xml_is(node, "doi_record"))
		node = wn_xml_child(node, "crossref");
	c = wn_xml_is(node, "crossref") ? wn_xml_first_element(node) : node;
	if (!c || wn_xml_is(c, "error")) {
		char *msg = c ? wn_xml_text(c) : NULL;

		if (problem)
			*problem = xasprintf("Crossref: %s", msg ? msg : "no work in the record");
		free(msg);
		return 0;
	}
	map_container(rec, c);
	return 1;
}

static int crossref_map(struct wn_parser *p, void *ctx, const struct wn_xml_node *node,
			struct wn_record *rec, int *skip)
{
	char *problem = NULL;
	int rc = 0;

	(void)ctx;
	if (!wn_crossref_map_node(node, rec, &problem)) {
		*skip = 1;
		rc = wn_parser_warn(p, rec->line, "%s (no record)", problem ? problem : "no work");
	} else {
		if (rec->doi)
			rec->source_id = xstrdup(rec->doi);
		*skip = 0;
	}
	free(problem);
	return rc;
}

int wn_parse_crossref_xml(struct wn_parser *p)
{
	const struct wn_xml_walk walk = {
		.what = "Crossref XML",
		.roots = crossref_roots,
		.classify = crossref_classify,
		.map = crossref_map,
	};

	return wn_xml_parse(p, &walk);
}

int wn_sniff_crossref_xml(const char *head, size_t len)
{
	return wn_xml_sniff_root(head, len, crossref_roots);
}
