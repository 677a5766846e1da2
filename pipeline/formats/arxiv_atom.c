/*
 * arXiv API answers (export.arxiv.org/api/query): an Atom feed with
 * OpenSearch totals and one <entry> per e-print, arXiv's own fields in
 * the http://arxiv.org/schemas/atom namespace (comment, journal_ref, doi,
 * primary_category, affiliation).
 *
 * Every entry is a preprint, even one that says where it was published
 * (journal_ref, doi): the record is the e-print, and the published
 * version is a different record that deduplication may pair with it
 * through the DOI. The arXiv id without its version is the source id, so
 * that a later version of the same e-print is the same source record.
 *
 * The API reports a bad query in band: HTTP 200 and a feed whose single
 * entry has an id under http://arxiv.org/api/errors, title "Error" and
 * the message as summary. That is an error here, never a record.
 */
#include "api_responses.h"
#include "xml_common.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const arxiv_roots[] = { "feed", NULL };

#define ATOM_NS "http://www.w3.org/2005/Atom"

struct arxiv_walk {
	struct wn_arxiv_feed *feed;
};

static enum wn_xml_action arxiv_classify(void *ctx, const char *const *path, int depth)
{
	(void)ctx;
	if (depth == 0)
		return WN_XML_DESCEND;
	if (depth == 1 && strcmp(path[1], "entry") == 0)
		return WN_XML_RECORD;
	if (depth == 1 && (strcmp(path[1], "totalResults") == 0 ||
			   strcmp(path[1], "startIndex") == 0 ||
			   strcmp(path[1], "itemsPerPage") == 0))
		return WN_XML_OTHER;
	return WN_XML_SKIP;
}

/* The opensearch figures of the page. */
static int arxiv_other(struct wn_parser *p, void *ctx, const struct wn_xml_node *node)
{
	struct arxiv_walk *w = ctx;
	char *v = wn_xml_text(node), *end = NULL;
	long long n = -1;
	long long *field = wn_xml_is(node, "totalResults") ? &w->feed->total
			   : wn_xml_is(node, "startIndex") ? &w->feed->start
							   : &w->feed->per_page;
	int rc = 0;

	if (v)
		n = strtoll(v, &end, 10);
	if (!v || *end || n < 0)
		rc = wn_parser_warn(p, node->line, "opensearch:%s is not a count: '%s'", node->name,
				    v ? v : "");
	else
		*field = n;
	free(v);
	return rc;
}

/* "http://arxiv.org/abs/2510.14968v1" -> "2510.14968v1" (also for old
 * style ids: ".../abs/hep-th/9901001v2" -> "hep-th/9901001v2"). */
static char *versioned_id(const char *id)
{
	const char *abs = strstr(id, "/abs/");

	return xstrdup(abs ? abs + 5 : id);
}

/* "2510.14968v1" -> "2510.14968": a version is 'v' and digits after a
 * digit at the end. */
static char *unversioned_id(const char *id)
{
	size_t n = strlen(id), digits = 0;

	while (digits < n && id[n - 1 - digits] >= '0' && id[n - 1 - digits] <= '9')
		digits++;
	if (digits && digits + 2 <= n && id[n - 1 - digits] == 'v' && id[n - 2 - digits] >= '0' &&
	    id[n - 2 - digits] <= '9')
		n -= digits + 1;
	return xstrndup(id, n);
}

/* The summary is hard-wrapped at about 80 columns: lines of a paragraph
 * are joined with a space, a blank line starts a new paragraph ("\n"),
 * runs of white space are one space. */
static char *unwrap(const char *text)
{
	struct wn_buf out = WN_BUF_INIT;
	int pending_break = 0;

	while (*text) {
		size_t n = strcspn(text, "\n");
		size_t a = 0, b = n;

		while (a < b && wn_is_space((unsigned char)text[a]))
			a++;
		while (b > a && wn_is_space((unsigned char)text[b - 1]))
			b--;
		if (a == b) {
			pending_break = out.len > 0;
		} else {
			if (out.len)
				wn_buf_addc(&out, pending_break ? '\n' : ' ');
			for (size_t i = a; i < b; i++)
				if (!wn_is_space((unsigned char)text[i]))
					wn_buf_addc(&out, text[i]);
				else if (!wn_is_space((unsigned char)text[i - 1]))
					wn_buf_addc(&out, ' ');
			pending_break = 0;
		}
		text += n;
		if (*text == '\n')
			text++;
	}
	if (!out.len) {
		wn_buf_release(&out);
		return NULL;
	}
	return wn_buf_detach(&out);
}

static void map_author(struct wn_record *rec, const struct wn_xml_node *author)
{
	char *name = wn_xml_path_text(author, "name");

	if (!name)
		return;
	wn_strlist_add(&rec->authors, name);
	wn_xml_each_element(c, author) {
		char *v;

		if (wn_xml_is(c, "name") || !(v = wn_xml_text(c)))
			continue;
		wn_record_take_extra(rec, c->name, xasprintf("%s: %s", name, v));
		free(v);
	}
	free(name);
}

/* Links: the abstract page is the url, the others (pdf, doi) go to extra
 * under their title (or rel). */
static void map_link(struct wn_record *rec, const struct wn_xml_node *link)
{
	char *href = wn_xml_attr(link, "href");
	char *title = wn_xml_attr(link, "title");
	char *rel = wn_xml_attr(link, "rel");

	if (!href) {
		/* nothing to keep */
	} else if (!rec->url && !title && (!rel || !strcasecmp(rel, "alternate"))) {
		rec->url = href;
		href = NULL;
	} else {
		wn_record_add_extra(rec, title ? title : rel ? rel : "link", href);
	}
	free(href);
	free(title);
	free(rel);
}

/* A category's term (its text is empty). */
static void add_term(struct wn_record *rec, const char *tag, const struct wn_xml_node *node)
{
	char *term = wn_xml_attr(node, "term");

	if (term && *wn_trim(term))
		wn_record_add_extra(rec, tag, wn_trim(term));
	free(term);
}

/* "2025-10-16T17:59:37Z" -> "2025-10-16"; anything else as it is. */
static char *date_part(const char *published)
{
	size_t n = strlen(published);

	if (n > 10 && published[4] == '-' && published[7] == '-' && published[10] == 'T')
		return xstrndup(published, 10);
	return xstrdup(published);
}

static int is_error_entry(const struct wn_xml_node *entry)
{
	char *id = wn_xml_path_text(entry, "id");
	int is = id && (strstr(id, "arxiv.org/api/errors") != NULL);

	free(id);
	return is;
}

static int arxiv_map(struct wn_parser *p, void *ctx, const struct wn_xml_node *entry,
		     struct wn_record *rec, int *skip)
{
	char *v;

	(void)ctx;
	*skip = 0;
	if (is_error_entry(entry)) {
		char *summary = wn_xml_path_text(entry, "summary");
		int rc = wn_error_set(WN_EINVALID, "%s:%ld: arXiv API error: %s",
				      wn_input_name(p->in), entry->line,
				      summary ? summary : "(no message)");

		free(summary);
		return rc;
	}
	rec->raw_format = "arxiv-atom";
	rec->type = xstrdup("preprint");
	wn_xml_each_element(f, entry) {
		const char *name = f->name;

		if (wn_xml_is(f, "id")) {
			if ((v = wn_xml_text(f)) && !rec->source_id) {
				char *versioned = versioned_id(v);

				rec->source_id = unversioned_id(versioned);
				wn_record_take_extra(rec, "arxiv_id", versioned);
			}
			if (v)
				wn_record_take_extra(rec, "id", v);
		} else if (wn_xml_is(f, "title") && !rec->title) {
			rec->title = wn_xml_text(f);
		} else if (wn_xml_is(f, "summary") && !rec->abstract) {
			char *lines = wn_xml_text_lines(f);

			rec->abstract = lines ? unwrap(lines) : NULL;
			free(lines);
		} else if (wn_xml_is(f, "author")) {
			map_author(rec, f);
		} else if (wn_xml_is(f, "link")) {
			map_link(rec, f);
		} else if (wn_xml_is(f, "primary_category")) {
			add_term(rec, "primary_category", f);
		} else if (wn_xml_is(f, "category")) {
			add_term(rec, "category", f);
		} else if (wn_xml_is(f, "doi") && !rec->doi) {
			rec->doi = wn_xml_text(f);
		} else if ((v = wn_xml_text(f))) {
			/* published, updated, comment, journal_ref, ... */
			if (wn_xml_is(f, "published") && !rec->date)
				rec->date = date_part(v);
			wn_record_take_extra(rec, name, v);
		}
	}
	if (!rec->source_id)
		return wn_parser_warn(p, rec->line, "arXiv entry without an id");
	return 0;
}

int wn_arxiv_parse_feed(struct wn_parser *p, struct wn_arxiv_feed *feed)
{
	struct arxiv_walk w = { feed };
	const struct wn_xml_walk walk = {
		.what = "an arXiv API Atom feed",
		.roots = arxiv_roots,
		.classify = arxiv_classify,
		.map = arxiv_map,
		.other = arxiv_other,
		.ctx = &w,
	};
	long before = p->records;
	int rc;

	feed->total = feed->start = feed->per_page = -1;
	feed->entries = 0;
	rc = wn_xml_parse(p, &walk);
	feed->entries = p->records - before;
	return rc;
}

int wn_parse_arxiv_atom(struct wn_parser *p)
{
	struct wn_arxiv_feed feed;

	return wn_arxiv_parse_feed(p, &feed);
}

/* An Atom feed is this format when it holds arXiv's or OpenSearch's
 * names (other Atom feeds are not bibliographic exports). */
int wn_sniff_arxiv_atom(const char *head, size_t len)
{
	if (!wn_xml_sniff_root(head, len, arxiv_roots) || !memmem(head, len, ATOM_NS, strlen(ATOM_NS)))
		return 0;
	if (memmem(head, len, "arxiv.org", 9))
		return 100;
	if (memmem(head, len, "opensearch", 10))
		return 60;
	return 0;
}
