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
 * can reuse it on the pages it fetches.
 */
#include "xml_common.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const europepmc_roots[] = { "responseWrapper", NULL };

static enum wn_xml_action europepmc_classify(void *ctx, const char *const *path, int depth)
{
	(void)ctx;
	if (depth == 0)
		return WN_XML_DESCEND;
	if (depth == 1)
		return strcmp(path[1], "resultList") == 0 || strcmp(path[1], "RDF") == 0
			       ? WN_XML_DESCEND
			       : WN_XML_SKIP;
	if (depth == 2 && (strcmp(path[2], "result") == 0 || strcmp(path[2], "Description") == 0))
		return WN_XML_RECORD;
	return WN_XML_SKIP;
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

static char *text_any_case(const struct wn_xml_node *node, const char *name)
{
	return wn_xml_text(child_any_case(node, name));
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
		}
		free(name);
		free(last);
		free(first);
		free(initials);
		free(full);
		free(collective);
	}
}

static void add_issns(struct wn_record *rec, const char *list)
{
	char *copy = xstrdup(list), *save = NULL;

	for (char *v = strtok_r(copy, ";,", &save); v; v = strtok_r(NULL, ";,", &save)) {
		char *t = wn_trim(v);

		if (*t)
			wn_record_set_issn_or_isbn(rec, "ISSN", t);
	}
	free(copy);
}

static void map_journal_info(struct wn_record *rec, const struct wn_xml_node *info)
{
	const struct wn_xml_node *journal = wn_xml_child(info, "journal");
	char *v;

	take(&rec->volume, wn_xml_path_text(info, "volume"));
	take(&rec->issue, wn_xml_path_text(info, "issue"));
	take(&rec->date, wn_xml_path_text(info, "dateOfPublication"));
	if ((v = wn_xml_path_text(info, "printPublicationDate"))) {
		wn_record_add_extra(rec, "printPublicationDate", v);
		free(v);
	}
	take(&rec->journal, wn_xml_path_text(journal, "title"));
	take(&rec->journal_abbrev, text_any_case(journal, "ISOAbbreviation"));
	take(&rec->journal_abbrev, text_any_case(journal, "medlineAbbreviation"));
	if ((v = text_any_case(journal, "medlineAbbreviation"))) {
		wn_record_add_extra(rec, "medlineAbbreviation", v);
		free(v);
	}
	if ((v = text_any_case(journal, "NLMid"))) {
		wn_record_add_extra(rec, "NLMid", v);
		free(v);
	}
	if ((v = text_any_case(journal, "ISSN"))) {
		add_issns(rec, v);
		free(v);
	}
	if ((v = text_any_case(journal, "ESSN"))) {
		add_issns(rec, v);
		free(v);
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
			take(&rec->title, wn_xml_text(f));
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
				add_issns(rec, v);
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
			take(&rec->abstract, wn_xml_text_blocks(f));
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
			wn_xml_each(u, f, "fullTextUrl")
				if ((v = wn_xml_path_text(u, "url"))) {
					if (!rec->url)
						rec->url = v;
					else {
						wn_record_add_extra(rec, "fullTextUrl", v);
						free(v);
					}
				}
		} else if (wn_xml_first_element(f)) {
			char *prefix = xasprintf("%s/", name);

			wn_xml_extra_leaves(rec, f, prefix);
			free(prefix);
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

int wn_parse_europepmc_xml(struct wn_parser *p)
{
	const struct wn_xml_walk walk = {
		.what = "a Europe PMC XML response",
		.roots = europepmc_roots,
		.classify = europepmc_classify,
		.map = europepmc_map,
	};

	return wn_xml_parse(p, &walk);
}

int wn_sniff_europepmc_xml(const char *head, size_t len)
{
	return wn_xml_sniff_root(head, len, europepmc_roots);
}
