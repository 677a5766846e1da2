/*
 * Europe PMC REST search responses in XML (format=xml):
 * <responseWrapper> ... <resultList><result>...</result>...</resultList>.
 * Both result shapes are read: resultType=lite (flat journalTitle,
 * journalVolume, journalIssn, pubType) and resultType=core (journalInfo,
 * authorList, abstractText, pubTypeList, meshHeadingList, keywordList...).
 * The Dublin Core form (format=dc: rdf:Description elements) is read too.
 * hitCount, nextCursorMark and the request echo are not records.
 *
 * wn_europepmc_map_result() maps one <result> element, so the live search
 * can reuse it on the pages it fetches; wn_europepmc_parse_page() reads a
 * whole page with its hitCount and nextCursorMark (api_responses.h). The
 * service reports a bad request in band, a wrapper holding errCode and
 * errMsg and no resultList: that is an error, not an empty page, whether
 * it comes from the live search or from a saved file.
 */
#include "api_responses.h"
#include "xml_common.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const europepmc_roots[] = { "responseWrapper", NULL };

struct europepmc_walk {
	struct wn_europepmc_page *page;
	long before; /* records emitted before this page */
	char *err_msg, *err_code; /* errMsg, errCode */
	long err_line;
};

static enum wn_xml_action europepmc_classify(void *ctx, const char *const *path, int depth)
{
	(void)ctx;
	if (depth == 0)
		return WN_XML_DESCEND;
	if (depth == 1) {
		if (strcmp(path[1], "resultList") == 0 || strcmp(path[1], "RDF") == 0)
			return WN_XML_DESCEND;
		if (strcmp(path[1], "hitCount") == 0 || strcmp(path[1], "nextCursorMark") == 0 ||
		    strcmp(path[1], "errMsg") == 0 || strcmp(path[1], "errCode") == 0)
			return WN_XML_OTHER;
		return WN_XML_SKIP;
	}
	if (depth == 2 && (strcmp(path[2], "result") == 0 || strcmp(path[2], "Description") == 0))
		return WN_XML_RECORD;
	return WN_XML_SKIP;
}

/* The page's own figures, and an error the service reports. */
static int europepmc_other(struct wn_parser *p, void *ctx, const struct wn_xml_node *node)
{
	struct europepmc_walk *w = ctx;
	char *v = wn_xml_text(node), *end = NULL;
	int rc = 0;

	if (wn_xml_is(node, "hitCount")) {
		long long n = v ? strtoll(v, &end, 10) : -1;

		if (!v || *end || n < 0)
			rc = wn_parser_warn(p, node->line, "hitCount is not a count: '%s'", v ? v : "");
		else
			w->page->hit_count = n;
	} else if (wn_xml_is(node, "nextCursorMark") && v && !w->page->next_cursor) {
		w->page->next_cursor = v;
		v = NULL;
	} else if (wn_xml_is(node, "errMsg") && !w->err_msg) {
		w->err_msg = v ? v : xstrdup("(no message)");
		w->err_line = node->line;
		v = NULL;
	} else if (wn_xml_is(node, "errCode") && v && !w->err_code) {
		w->err_code = v;
		v = NULL;
	}
	free(v);
	return rc;
}

/* At the end: an error message with no results is the service refusing
 * the request. */
static int europepmc_finish(struct wn_parser *p, void *ctx)
{
	struct europepmc_walk *w = ctx;
	long results = p->records - w->before;

	if (!w->err_msg)
		return 0;
	if (results == 0)
		return wn_error_set(WN_EINVALID, "%s:%ld: Europe PMC error%s%s: %s",
				    wn_input_name(p->in), w->err_line, w->err_code ? " " : "",
				    w->err_code ? w->err_code : "", w->err_msg);
	return wn_parser_warn(p, w->err_line, "Europe PMC error%s%s beside %ld results: %s",
			      w->err_code ? " " : "", w->err_code ? w->err_code : "", results,
			      w->err_msg);
}

/* The XML names some elements in capitals (ISOAbbreviation, ISSN) where
 * the JSON has them in lower case: accept either. */
static const struct wn_xml_node *child_any_case(const struct wn_xml_node *node, const char *name)
{
	wn_xml_each_element(c, node)
		if (strcasecmp((const char *)c->name, name) == 0)
			return c;
	return NULL;
}

static void take(char **field, char *value)
{
	if (value && !*field)
		*field = value;
	else
		free(value);
}

/* "Smith J, Jones AB." -> "Smith J", "Jones AB" (the lite shape has only
 * this string). */
static void split_author_string(struct wn_record *rec, const char *s)
{
	char *copy = xstrdup(s), *save = NULL;
	size_t n = strlen(copy);

	while (n > 0 && (copy[n - 1] == '.' || wn_is_space((unsigned char)copy[n - 1])))
		copy[--n] = '\0';
	for (char *a = strtok_r(copy, ",", &save); a; a = strtok_r(NULL, ",", &save)) {
		char *t = wn_trim(a);

		if (*t)
			wn_strlist_add(&rec->authors, t);
	}
	free(copy);
}

/* An author's affiliations (core: authorAffiliationDetailsList, older
 * answers: affiliation) and anything else about the author, as extra
 * "Name: value" under the element's name. */
static void map_author_details(struct wn_record *rec, const char *name,
			       const struct wn_xml_node *author)
{
	static const char *const mapped[] = {
		"fullName", "firstName", "lastName", "initials", "collectiveName", "authorId", NULL,
	};

	wn_xml_each_element(c, author) {
		size_t i;

		for (i = 0; mapped[i] && !wn_xml_is(c, mapped[i]); i++)
			;
		if (mapped[i])
			continue;
		if (wn_xml_is(c, "authorAffiliationDetailsList")) {
			wn_xml_each(aff, c, "authorAffiliation") {
				char *v = wn_xml_path_text(aff, "affiliation");

				if (v)
					wn_record_take_extra(rec, "affiliation",
							     xasprintf("%s: %s", name, v));
				free(v);
			}
		} else {
			char *v = wn_xml_text(c);

			if (v)
				wn_record_take_extra(rec, c->name, xasprintf("%s: %s", name, v));
			free(v);
		}
	}
}

static void map_author_list(struct wn_record *rec, const struct wn_xml_node *list)
{
	wn_xml_each(a, list, "author") {
		char *last = wn_xml_path_text(a, "lastName");
		char *first = wn_xml_path_text(a, "firstName");
		char *initials = wn_xml_path_text(a, "initials");
		char *full = wn_xml_path_text(a, "fullName");
		char *collective = wn_xml_path_text(a, "collectiveName");
		char *name = NULL;

		if (last && (first || initials))
			name = xasprintf("%s, %s", last, first ? first : initials);
		else if (full)
			name = xstrdup(full);
		else if (collective)
			name = xstrdup(collective);
		else if (last)
			name = xstrdup(last);
		if (name) {
			wn_strlist_add(&rec->authors, name);
			wn_xml_add_author_ids(rec, name, wn_xml_path(a, "authorId"), "type");
			map_author_details(rec, name, a);
		}
		free(name);
		free(last);
		free(first);
		free(initials);
		free(full);
		free(collective);
	}
}

/* "0140-6736; 1474-547x; ": the first ISSN is the record's, the others
 * go to extra under the element's name. */
static void add_issns(struct wn_record *rec, const char *tag, const char *list)
{
	char *copy = xstrdup(list), *save = NULL;

	for (char *v = strtok_r(copy, ";,", &save); v; v = strtok_r(NULL, ";,", &save)) {
		char *t = wn_trim(v);

		if (*t)
			wn_record_set_issn_or_isbn(rec, tag, t);
	}
	free(copy);
}

static void map_journal_info(struct wn_record *rec, const struct wn_xml_node *info)
{
	wn_xml_each_element(f, info) {
		char *v;

		if (wn_xml_is(f, "volume")) {
			take(&rec->volume, wn_xml_text(f));
		} else if (wn_xml_is(f, "issue")) {
			take(&rec->issue, wn_xml_text(f));
		} else if (wn_xml_is(f, "dateOfPublication")) {
			take(&rec->date, wn_xml_text(f));
		} else if (wn_xml_is(f, "journal")) {
			wn_xml_each_element(j, f) {
				if (!(v = wn_xml_text(j)))
					continue;
				if (wn_xml_is(j, "title") && !rec->journal) {
					rec->journal = v;
					continue;
				}
				if (!strcasecmp(j->name, "ISSN") || !strcasecmp(j->name, "ESSN")) {
					add_issns(rec, j->name, v);
					free(v);
					continue;
				}
				/* ISOAbbreviation first, medlineAbbreviation if none */
				if (!strcasecmp(j->name, "ISOAbbreviation") && !rec->journal_abbrev) {
					rec->journal_abbrev = v;
					continue;
				}
				if (!strcasecmp(j->name, "medlineAbbreviation") && !rec->journal_abbrev &&
				    !child_any_case(f, "ISOAbbreviation"))
					rec->journal_abbrev = xstrdup(v);
				wn_record_take_extra(rec, j->name, v);
			}
		} else if ((v = wn_xml_text(f))) {
			/* printPublicationDate, journalIssueId, monthOfPublication... */
			wn_record_take_extra(rec, f->name, v);
		}
	}
}

/* "Descriptor/qualifier" with "*" for major topics, as PubMed writes MH. */
static void map_mesh(struct wn_record *rec, const struct wn_xml_node *list)
{
	wn_xml_each(h, list, "meshHeading") {
		char *desc = wn_xml_path_text(h, "descriptorName");
		struct wn_buf b = WN_BUF_INIT;
		char *major = wn_xml_path_text(h, "majorTopic_YN");

		if (!desc) {
			free(major);
			continue;
		}
		wn_buf_addf(&b, "%s%s", major && !strcmp(major, "Y") ? "*" : "", desc);
		wn_xml_each(q, wn_xml_child(h, "meshQualifierList"), "meshQualifier") {
			char *name = wn_xml_path_text(q, "qualifierName");
			char *qmajor = wn_xml_path_text(q, "majorTopic_YN");

			if (name)
				wn_buf_addf(&b, "/%s%s", qmajor && !strcmp(qmajor, "Y") ? "*" : "", name);
			free(name);
			free(qmajor);
		}
		wn_strlist_add(&rec->mesh, b.data);
		wn_buf_release(&b);
		free(desc);
		free(major);
	}
}

static const char *type_from_pubtypes(const struct wn_strlist *types, const char *source)
{
	static const struct {
		const char *pubtype, *type;
	} order[] = {
		{ "retraction of publication", "retraction" },
		{ "published erratum", "erratum" },
		{ "preprint", "preprint" },
		{ "review", "review" },
		{ "systematic review", "review" },
		{ "review-article", "review" },
		{ "editorial", "editorial" },
		{ "letter", "letter" },
		{ "comment", "comment" },
		{ "congress", "conference-abstract" },
		{ "meeting abstract", "conference-abstract" },
	};

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		for (size_t j = 0; j < types->n; j++)
			if (strcasecmp(types->items[j], order[i].pubtype) == 0)
				return order[i].type;
	if (source) {
		if (!strcmp(source, "PPR"))
			return "preprint";
		if (!strcmp(source, "ETH"))
			return "thesis";
		if (!strcmp(source, "NBK"))
			return "book";
		if (!strcmp(source, "PAT"))
			return "other";
		if (!strcmp(source, "HIR") || !strcmp(source, "CTX"))
			return "report";
	}
	return "journal-article";
}

static void add_pubtypes(struct wn_record *rec, const char *s)
{
	char *copy = xstrdup(s), *save = NULL;

	/* lite gives them in one string: "published erratum; correction" */
	for (char *t = strtok_r(copy, ";", &save); t; t = strtok_r(NULL, ";", &save)) {
		char *v = wn_trim(t);

		if (*v)
			wn_strlist_add(&rec->pubtypes, v);
	}
	free(copy);
}

/* The first full text link is the url; each one, with what the list
 * says of it (availability, site, style), also goes to extra. */
static void map_full_text_urls(struct wn_record *rec, const struct wn_xml_node *list)
{
	wn_xml_each(u, list, "fullTextUrl") {
		char *url = wn_xml_path_text(u, "url");
		struct wn_buf about = WN_BUF_INIT;

		if (!url)
			continue;
		wn_xml_each_element(c, u) {
			char *v;

			/* availabilityCode only abbreviates availability */
			if (wn_xml_is(c, "url") || wn_xml_is(c, "availabilityCode") ||
			    !(v = wn_xml_text(c)))
				continue;
			wn_buf_addf(&about, "%s%s", about.len ? "; " : "", v);
			free(v);
		}
		if (about.len)
			wn_record_take_extra(rec, "fullTextUrl",
					     xasprintf("%s (%s)", url, wn_buf_str(&about)));
		else
			wn_record_add_extra(rec, "fullTextUrl", url);
		if (!rec->url)
			rec->url = url;
		else
			free(url);
		wn_buf_release(&about);
	}
}

/* Another list (grantsList, commentCorrectionList, chemicalList,
 * subsetList, fullTextIdList...): an item with fields of its own is one
 * extra under the item's name, "grantId: X; agency: Y", so that the
 * fields of one grant stay together; a plain item is one extra tagged
 * "list/item". */
static void map_other_list(struct wn_record *rec, const struct wn_xml_node *list)
{
	wn_xml_each_element(item, list) {
		struct wn_buf b = WN_BUF_INIT;
		char *v;

		if (!wn_xml_first_element(item)) {
			if ((v = wn_xml_text(item))) {
				char *tag = xasprintf("%s/%s", list->name, item->name);

				wn_record_take_extra(rec, tag, v);
				free(tag);
			}
			continue;
		}
		wn_xml_each_element(field, item) {
			if (!(v = wn_xml_text(field)))
				continue;
			wn_buf_addf(&b, "%s%s: %s", b.len ? "; " : "", field->name, v);
			free(v);
		}
		if (b.len)
			wn_record_add_extra(rec, item->name, wn_buf_str(&b));
		wn_buf_release(&b);
	}
}

/* Is s[0..] the start of an HTML tag this service writes inside text
 * (<h4>, </i>, <br/>, <sup>...)? Returns its length, 0 when not; *block
 * says whether it breaks the paragraph. */
static size_t markup_tag(const char *s, int *block)
{
	static const char *const inline_tags[] = { "i", "b", "u", "em", "strong", "sup", "sub",
						   "span", "sc", "small", NULL };
	static const char *const block_tags[] = { "h1", "h2", "h3", "h4", "h5", "h6", "p",
						  "br", "div", "li", "ul", "ol", NULL };
	const char *p = s + 1, *name;
	size_t n;

	if (*p == '/')
		p++;
	name = p;
	while (isalnum((unsigned char)*p))
		p++;
	n = (size_t)(p - name);
	if (!n || n > 6)
		return 0;
	/* attributes, up to the closing '>' on the same short stretch */
	for (size_t k = 0; *p != '>'; p++, k++)
		if (!*p || *p == '<' || k > 200)
			return 0;
	for (int kind = 0; kind < 2; kind++)
		for (const char *const *t = kind ? block_tags : inline_tags; *t; t++)
			if (strlen(*t) == n && strncasecmp(name, *t, n) == 0) {
				*block = kind;
				return (size_t)(p + 1 - s);
			}
	return 0;
}

/* The core JSON (and XML, where the markup arrives escaped as text)
 * carries HTML in titles and abstracts: "<h4>Background</h4>Loneliness
 * is <i>common</i>." Known tags are dropped, headings and paragraphs
 * start a new line when `blocks`; other '<' (p < 0.05) stay. Takes s. */
static char *without_markup(char *s, int blocks)
{
	struct wn_buf out = WN_BUF_INIT;
	char *lines, *result = NULL;

	if (!s || !strchr(s, '<'))
		return s;
	for (const char *p = s; *p;) {
		int block = 0;
		size_t n = *p == '<' ? markup_tag(p, &block) : 0;

		if (!n) {
			wn_buf_addc(&out, *p++);
			continue;
		}
		/* an inline tag leaves nothing */
		if (block)
			wn_buf_addc(&out, blocks ? '\n' : ' ');
		p += n;
	}
	free(s);
	/* squeeze each line, drop empty ones */
	lines = wn_buf_detach(&out);
	if (lines) {
		struct wn_buf b = WN_BUF_INIT;
		char *save = NULL;

		for (char *l = strtok_r(lines, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			char *t = wn_trim(l);

			if (*t)
				wn_buf_addf(&b, "%s%s", b.len ? "\n" : "", t);
		}
		if (b.len)
			result = wn_buf_detach(&b);
		else
			wn_buf_release(&b);
		free(lines);
	}
	return result;
}

void wn_europepmc_map_result(const struct wn_xml_node *result, struct wn_record *rec)
{
	char *id = wn_xml_path_text(result, "id");
	char *source = wn_xml_path_text(result, "source");
	char *v;

	if (id)
		rec->source_id = source ? xasprintf("%s:%s", source, id) : xstrdup(id);
	wn_xml_each_element(f, result) {
		const char *name = (const char *)f->name;

		if (wn_xml_is(f, "id") || wn_xml_is(f, "source")) {
			continue;
		} else if (wn_xml_is(f, "pmid")) {
			take(&rec->pmid, wn_xml_text(f));
		} else if (wn_xml_is(f, "pmcid")) {
			take(&rec->pmcid, wn_xml_text(f));
		} else if (wn_xml_is(f, "doi")) {
			take(&rec->doi, wn_xml_text(f));
		} else if (wn_xml_is(f, "title")) {
			take(&rec->title, without_markup(wn_xml_text(f), 0));
		} else if (wn_xml_is(f, "authorString")) {
			continue; /* below, when there is no authorList */
		} else if (wn_xml_is(f, "authorList")) {
			map_author_list(rec, f);
		} else if (wn_xml_is(f, "journalInfo")) {
			map_journal_info(rec, f);
		} else if (wn_xml_is(f, "journalTitle")) {
			/* lite: the journal's abbreviation ("Br J Health Psychol") */
			take(&rec->journal_abbrev, wn_xml_text(f));
		} else if (wn_xml_is(f, "journalVolume")) {
			take(&rec->volume, wn_xml_text(f));
		} else if (wn_xml_is(f, "issue")) {
			take(&rec->issue, wn_xml_text(f));
		} else if (wn_xml_is(f, "journalIssn")) {
			if ((v = wn_xml_text(f))) {
				add_issns(rec, name, v);
				free(v);
			}
		} else if (wn_xml_is(f, "pageInfo")) {
			take(&rec->pages, wn_xml_text(f));
		} else if (wn_xml_is(f, "pubYear")) {
			char *end;
			long y;

			if ((v = wn_xml_text(f))) {
				y = strtol(v, &end, 10);
				if (*end == '\0' && y > 0 && y <= 9999)
					rec->year = (int)y;
				else
					take(&rec->date, xstrdup(v));
				free(v);
			}
		} else if (wn_xml_is(f, "abstractText")) {
			take(&rec->abstract, without_markup(wn_xml_text_blocks(f), 1));
		} else if (wn_xml_is(f, "language")) {
			take(&rec->language, wn_xml_text(f));
		} else if (wn_xml_is(f, "pubType")) {
			if ((v = wn_xml_text(f))) {
				add_pubtypes(rec, v);
				free(v);
			}
		} else if (wn_xml_is(f, "pubTypeList")) {
			wn_xml_add_texts(&rec->pubtypes, f, "pubType");
		} else if (wn_xml_is(f, "keywordList")) {
			wn_xml_add_texts(&rec->keywords, f, "keyword");
		} else if (wn_xml_is(f, "meshHeadingList")) {
			map_mesh(rec, f);
		} else if (wn_xml_is(f, "fullTextUrlList")) {
			map_full_text_urls(rec, f);
		} else if (wn_xml_first_element(f)) {
			map_other_list(rec, f);
		} else if ((v = wn_xml_text(f))) {
			wn_record_add_extra(rec, name, v);
			free(v);
		}
	}
	if (!rec->authors.n && (v = wn_xml_path_text(result, "authorString"))) {
		split_author_string(rec, v);
		free(v);
	}
	free(rec->type);
	rec->type = xstrdup(type_from_pubtypes(&rec->pubtypes, source));
	if (source)
		wn_record_add_extra(rec, "source", source);
	free(id);
	free(source);
}

/* One OpenURL key ("&rft.volume=404&...") decoded, or NULL. */
static char *openurl_value(const char *ctx, const char *key)
{
	size_t klen = strlen(key);
	const char *p = ctx;
	struct wn_buf b = WN_BUF_INIT;

	while ((p = strstr(p, key)) != NULL) {
		if ((p == ctx || p[-1] == '&') && p[klen] == '=')
			break;
		p += klen;
	}
	if (!p)
		return NULL;
	for (p += klen + 1; *p && *p != '&'; p++) {
		if (*p == '%' && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])) {
			char hex[3] = { p[1], p[2], '\0' };

			wn_buf_addc(&b, (char)strtol(hex, NULL, 16));
			p += 2;
		} else {
			wn_buf_addc(&b, *p == '+' ? ' ' : *p);
		}
	}
	if (!b.len) {
		wn_buf_release(&b);
		return NULL;
	}
	return wn_buf_detach(&b);
}

/* format=dc: one rdf:Description per result, in Dublin Core terms. */
static void map_dublin_core(const struct wn_xml_node *desc, struct wn_record *rec)
{
	char *about = wn_xml_attr(desc, "about"), *v;

	if (about) {
		/* "http://europepmc.org/abstract/MED/39709209" -> "MED:39709209" */
		char *slash = strrchr(about, '/');

		if (slash && slash > about) {
			char *prev = slash - 1;

			while (prev > about && *prev != '/')
				prev--;
			if (*prev == '/' && slash - prev > 1) {
				rec->source_id = xasprintf("%.*s:%s", (int)(slash - prev - 1), prev + 1,
							   slash + 1);
				if (strncmp(prev + 1, "MED/", 4) == 0)
					rec->pmid = xstrdup(slash + 1);
			}
		}
		wn_record_add_extra(rec, "about", about);
		free(about);
	}
	wn_xml_each_element(f, desc) {
		const char *name = (const char *)f->name;

		v = wn_xml_text(f);
		if (!v)
			continue;
		if (wn_xml_is(f, "title") && !rec->title) {
			rec->title = v;
			v = NULL;
		} else if (wn_xml_is(f, "creator")) {
			wn_strlist_add(&rec->authors, v);
		} else if (wn_xml_is(f, "description")) {
			add_pubtypes(rec, v);
		} else if (wn_xml_is(f, "subject")) {
			wn_strlist_add(&rec->keywords, v);
		} else if (wn_xml_is(f, "date") && !rec->date) {
			rec->date = v;
			v = NULL;
		} else if (wn_xml_is(f, "language") && !rec->language) {
			rec->language = v;
			v = NULL;
		} else if (wn_xml_is(f, "abstract") && !rec->abstract) {
			rec->abstract = wn_xml_text_blocks(f);
		} else if (wn_xml_is(f, "identifier") && !rec->doi && wn_looks_like_doi(v)) {
			rec->doi = v;
			v = NULL;
		} else if (wn_xml_is(f, "isPartOf") && strncasecmp(v, "urn:ISSN:", 9) == 0) {
			wn_record_set_issn_or_isbn(rec, "isPartOf", v + 9);
		} else if (wn_xml_is(f, "bibliographicCitation") && v[0] == '&') {
			take(&rec->journal, openurl_value(v, "rft.jtitle"));
			take(&rec->journal_abbrev, openurl_value(v, "rft.stitle"));
			take(&rec->volume, openurl_value(v, "rft.volume"));
			take(&rec->issue, openurl_value(v, "rft.issue"));
			take(&rec->pages, openurl_value(v, "rft.pages"));
		} else {
			wn_record_add_extra(rec, name, v);
		}
		free(v);
	}
	rec->type = xstrdup(type_from_pubtypes(&rec->pubtypes, NULL));
}

static int europepmc_map(struct wn_parser *p, void *ctx, const struct wn_xml_node *node,
			 struct wn_record *rec, int *skip)
{
	(void)ctx;
	*skip = 0;
	/* the live search's parser has no format to take the name from */
	rec->raw_format = "europepmc-xml";
	if (wn_xml_is(node, "Description")) {
		p->dialect = "dublin-core";
		map_dublin_core(node, rec);
	} else {
		wn_europepmc_map_result(node, rec);
	}
	if (!rec->source_id)
		return wn_parser_warn(p, rec->line, "Europe PMC result without an id");
	return 0;
}

int wn_europepmc_parse_page(struct wn_parser *p, struct wn_europepmc_page *page)
{
	struct europepmc_walk w = { page, p->records, NULL, NULL, 0 };
	const struct wn_xml_walk walk = {
		.what = "a Europe PMC XML response",
		.roots = europepmc_roots,
		.classify = europepmc_classify,
		.map = europepmc_map,
		.other = europepmc_other,
		.finish = europepmc_finish,
		.ctx = &w,
	};
	int rc;

	page->hit_count = -1;
	page->next_cursor = NULL;
	rc = wn_xml_parse(p, &walk);
	page->results = p->records - w.before;
	if (rc) {
		/* no cursor to page on from a page that failed */
		free(page->next_cursor);
		page->next_cursor = NULL;
	}
	free(w.err_msg);
	free(w.err_code);
	return rc;
}

int wn_parse_europepmc_xml(struct wn_parser *p)
{
	struct wn_europepmc_page page;
	int rc = wn_europepmc_parse_page(p, &page);

	free(page.next_cursor);
	return rc;
}

int wn_sniff_europepmc_xml(const char *head, size_t len)
{
	return wn_xml_sniff_root(head, len, europepmc_roots);
}
