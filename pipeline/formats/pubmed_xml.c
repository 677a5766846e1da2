/*
 * PubMed XML: a PubmedArticleSet of PubmedArticle and PubmedBookArticle
 * elements, as saved from PubMed ("Send to: File, XML") or returned by
 * EFetch. One record per article; the fields come from fixed paths in the
 * NLM DTD (pubmed_250101 and its predecessors). The DOI is taken only from
 * the article's own ArticleIdList (or a valid ELocationID), never from a
 * ReferenceList, which holds the identifiers of the works it cites.
 *
 * A DeleteCitation element (NLM update files) lists PMIDs to be removed
 * from a local copy of MEDLINE; an import cannot act on it, so its PMIDs
 * are reported in one warning and nothing is emitted for them.
 */
#include "xml_common.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const pubmed_roots[] = {
	"PubmedArticleSet", "PubmedBookArticleSet", "PubmedArticle", "PubmedBookArticle", NULL,
};

static enum wn_xml_action pubmed_classify(void *ctx, const char *const *path, int depth)
{
	const char *name = path[depth];

	(void)ctx;
	if (strcmp(name, "PubmedArticle") == 0 || strcmp(name, "PubmedBookArticle") == 0)
		return depth <= 1 ? WN_XML_RECORD : WN_XML_SKIP;
	if (depth == 0)
		return WN_XML_DESCEND;
	if (depth == 1 && strcmp(name, "DeleteCitation") == 0)
		return WN_XML_OTHER;
	return WN_XML_SKIP;
}

/* Affiliations repeat for every author of a department: keep each once
 * (looking back a bounded way, so a huge author list stays linear). */
static void add_extra_once(struct wn_record *rec, const char *tag, const char *value)
{
	size_t seen = 0;

	for (size_t i = rec->nextra; i > 0 && seen < 256; i--) {
		if (strcmp(rec->extra[i - 1].tag, tag) != 0)
			continue;
		if (strcmp(rec->extra[i - 1].value, value) == 0)
			return;
		seen++;
	}
	wn_record_add_extra(rec, tag, value);
}

static void add_extra_text(struct wn_record *rec, const char *tag, const struct wn_xml_node *node)
{
	char *v = wn_xml_text(node);

	if (v) {
		wn_record_add_extra(rec, tag, v);
		free(v);
	}
}

/* "2019 Dec 03", "2019 Spring", or the MedlineDate as written. Sets
 * rec->year when Year is a clean number. */
static void map_pub_date(struct wn_record *rec, const struct wn_xml_node *date)
{
	char *year, *month, *day, *season, *medline;
	struct wn_buf b = WN_BUF_INIT;

	if (!date)
		return;
	medline = wn_xml_path_text(date, "MedlineDate");
	year = wn_xml_path_text(date, "Year");
	month = wn_xml_path_text(date, "Month");
	day = wn_xml_path_text(date, "Day");
	season = wn_xml_path_text(date, "Season");
	if (year) {
		char *end;
		long y = strtol(year, &end, 10);

		if (*end == '\0' && y > 0 && y <= 9999)
			rec->year = (int)y;
		wn_buf_adds(&b, year);
		if (month) {
			wn_buf_addf(&b, " %s", wn_xml_month_name(month));
			if (day)
				wn_buf_addf(&b, " %s%s", strlen(day) == 1 ? "0" : "", day);
		} else if (season) {
			wn_buf_addf(&b, " %s", season);
		}
		free(rec->date);
		rec->date = wn_buf_detach(&b);
	} else if (medline) {
		free(rec->date);
		rec->date = medline;
		medline = NULL;
	}
	wn_buf_release(&b);
	free(year);
	free(month);
	free(day);
	free(season);
	free(medline);
}

/* "2019-12-03" from a Year/Month/Day element, or NULL. */
static char *ymd(const struct wn_xml_node *node)
{
	char *y = wn_xml_path_text(node, "Year"), *m = wn_xml_path_text(node, "Month"),
	     *d = wn_xml_path_text(node, "Day"), *s = NULL;

	if (y) {
		struct wn_buf b = WN_BUF_INIT;

		/* no printf here: this runs for every date of every record */
		wn_buf_adds(&b, y);
		if (m) {
			wn_buf_addc(&b, '-');
			wn_buf_adds(&b, m);
			if (d) {
				wn_buf_addc(&b, '-');
				wn_buf_adds(&b, d);
			}
		}
		s = wn_buf_detach(&b);
	}
	free(y);
	free(m);
	free(d);
	return s;
}

static void add_extra_date(struct wn_record *rec, const char *tag, const struct wn_xml_node *node)
{
	char *v = node ? ymd(node) : NULL;

	if (v) {
		wn_record_add_extra(rec, tag, v);
		free(v);
	}
}

/* Authors (or editors) of an AuthorList: "LastName, ForeName" or the
 * CollectiveName as it is. Affiliations and ORCIDs go to extra. */
static void map_authors(struct wn_record *rec, const struct wn_xml_node *list,
			const char *extra_tag)
{
	int editors = wn_xml_attr_is(list, "Type", "editors");

	wn_xml_each(a, list, "Author") {
		char *last = wn_xml_path_text(a, "LastName");
		char *fore = wn_xml_path_text(a, "ForeName");
		char *initials = wn_xml_path_text(a, "Initials");
		char *suffix = wn_xml_path_text(a, "Suffix");
		char *collective = wn_xml_path_text(a, "CollectiveName");
		char *name = NULL;

		if (last) {
			const char *given = fore ? fore : initials;

			if (given && suffix) {
				char *full = wn_join(given, " ", suffix);

				name = wn_join(last, ", ", full);
				free(full);
			} else if (given) {
				name = wn_join(last, ", ", given);
			} else {
				name = xstrdup(last);
			}
		} else if (collective) {
			name = xstrdup(collective);
		}
		if (name) {
			if (editors || extra_tag)
				wn_record_add_extra(rec, extra_tag ? extra_tag : "Editor", name);
			else if (wn_xml_attr_is(a, "ValidYN", "N"))
				wn_record_add_extra(rec, "Author-invalid", name);
			else
				wn_strlist_add(&rec->authors, name);
			wn_xml_add_author_ids(rec, name, wn_xml_child(a, "Identifier"), "Source");
		}
		wn_xml_each(ai, a, "AffiliationInfo") {
			char *aff = wn_xml_text(wn_xml_child(ai, "Affiliation"));

			if (aff)
				add_extra_once(rec, "Affiliation", aff);
			free(aff);
		}
		free(name);
		free(last);
		free(fore);
		free(initials);
		free(suffix);
		free(collective);
	}
}

/* Sections joined one per line, each "LABEL: text" when labelled. */
static void map_abstract(struct wn_record *rec, const struct wn_xml_node *abstract)
{
	struct wn_buf b = WN_BUF_INIT;

	if (!abstract)
		return;
	wn_xml_each(t, abstract, "AbstractText") {
		char *text = wn_xml_text(t), *label = wn_xml_attr(t, "Label");

		if (label && !*wn_trim(label)) {
			free(label);
			label = NULL;
		}
		if (text || label) {
			if (b.len)
				wn_buf_addc(&b, '\n');
			if (label && text)
				wn_buf_addf(&b, "%s: %s", wn_trim(label), text);
			else
				wn_buf_adds(&b, text ? text : wn_trim(label));
		}
		free(text);
		free(label);
	}
	if (b.len) {
		free(rec->abstract);
		rec->abstract = wn_buf_detach(&b);
	}
	wn_buf_release(&b);
	add_extra_text(rec, "CopyrightInformation", wn_xml_child(abstract, "CopyrightInformation"));
}


/* "Descriptor/qualifier/..." with "*" before each major topic, as the
 * MEDLINE (nbib) MH field writes it. */
/* A person named in the record who is not one of its authors (the
 * subject of the article, an investigator) as extra "Last, Fore". */
static void add_person_extra(struct wn_record *rec, const char *tag,
			     const struct wn_xml_node *person)
{
	char *last = wn_xml_path_text(person, "LastName"), *fore = wn_xml_path_text(person, "ForeName");

	if (last) {
		char *n = fore ? wn_join(last, ", ", fore) : xstrdup(last);

		wn_record_add_extra(rec, tag, n);
		free(n);
	}
	free(last);
	free(fore);
}

static void map_mesh(struct wn_record *rec, const struct wn_xml_node *list)
{
	wn_xml_each(h, list, "MeshHeading") {
		const struct wn_xml_node *d = wn_xml_child(h, "DescriptorName");
		char *desc = wn_xml_text(d);
		struct wn_buf b = WN_BUF_INIT;

		if (!desc)
			continue;
		if (wn_xml_attr_is(d, "MajorTopicYN", "Y"))
			wn_buf_addc(&b, '*');
		wn_buf_adds(&b, desc);
		wn_xml_each(q, h, "QualifierName") {
			char *qual = wn_xml_text(q);

			if (qual) {
				wn_buf_addc(&b, '/');
				if (wn_xml_attr_is(q, "MajorTopicYN", "Y"))
					wn_buf_addc(&b, '*');
				wn_buf_adds(&b, qual);
			}
			free(qual);
		}
		wn_strlist_add(&rec->mesh, b.data);
		wn_buf_release(&b);
		free(desc);
	}
}

static void map_keywords(struct wn_record *rec, const struct wn_xml_node *parent)
{
	wn_xml_each(l, parent, "KeywordList")
		wn_xml_add_texts(&rec->keywords, l, "Keyword");
}

/* PubmedData/ArticleIdList (or BookDocument/ArticleIdList): the record's
 * own identifiers. */
static void map_article_ids(struct wn_record *rec, const struct wn_xml_node *list)
{
	wn_xml_each(id, list, "ArticleId") {
		char *type = wn_xml_attr(id, "IdType"), *v = wn_xml_text(id);

		if (v && type) {
			if (strcmp(type, "doi") == 0 && !rec->doi) {
				rec->doi = v;
				v = NULL;
			} else if (strcmp(type, "pmc") == 0 && !rec->pmcid) {
				rec->pmcid = v;
				v = NULL;
			} else if (strcmp(type, "pubmed") == 0 && rec->pmid &&
				   strcmp(v, rec->pmid) == 0) {
				/* the PMID again */
			} else {
				char *tag = xasprintf("ArticleId-%s", type);

				wn_record_add_extra(rec, tag, v);
				free(tag);
			}
		}
		free(type);
		free(v);
	}
}

/* ELocationIDs: a valid DOI when the ArticleIdList had none; the rest
 * (pii, other DOIs) to extra. */
static void map_elocations(struct wn_record *rec, const struct wn_xml_node *parent)
{
	wn_xml_each(e, parent, "ELocationID") {
		char *type = wn_xml_attr(e, "EIdType"), *v = wn_xml_text(e);
		int valid = !wn_xml_attr_is(e, "ValidYN", "N");

		if (v) {
			if (type && strcmp(type, "doi") == 0 && valid && !rec->doi) {
				rec->doi = v;
				v = NULL;
			} else if (!type || strcmp(type, "doi") != 0 || !rec->doi ||
				   strcasecmp(rec->doi, v) != 0) {
				char *tag = xasprintf("ELocationID-%s%s", type ? type : "other",
						      valid ? "" : "-invalid");

				wn_record_add_extra(rec, tag, v);
				free(tag);
			}
		}
		free(type);
		free(v);
	}
}

static void map_comments_corrections(struct wn_record *rec, const struct wn_xml_node *list)
{
	wn_xml_each(c, list, "CommentsCorrections") {
		char *type = wn_xml_attr(c, "RefType");
		char *pmid = wn_xml_path_text(c, "PMID");
		char *source = wn_xml_path_text(c, "RefSource");
		char *v = xasprintf("%s:%s", type ? type : "", pmid ? pmid : source ? source : "");

		wn_record_add_extra(rec, "CommentsCorrections", v);
		free(v);
		free(type);
		free(pmid);
		free(source);
	}
}

static void map_grants(struct wn_record *rec, const struct wn_xml_node *list)
{
	wn_xml_each(g, list, "Grant") {
		static const char *const parts[] = { "GrantID", "Acronym", "Agency", "Country" };
		struct wn_buf b = WN_BUF_INIT;

		for (size_t i = 0; i < 4; i++) {
			char *v = wn_xml_path_text(g, parts[i]);

			if (v) {
				if (b.len)
					wn_buf_addc(&b, '/');
				wn_buf_adds(&b, v);
			}
			free(v);
		}
		if (b.len)
			wn_record_add_extra(rec, "Grant", b.data);
		wn_buf_release(&b);
	}
}

/* What both article kinds share below their citation element. */
static void map_common(struct wn_record *rec, const struct wn_xml_node *cite)
{
	map_keywords(rec, cite);
	wn_xml_each(o, cite, "OtherAbstract")
		add_extra_text(rec, "OtherAbstract", o);
	add_extra_text(rec, "CoiStatement", wn_xml_child(cite, "CoiStatement"));
}

static void map_pubmed_data(struct wn_record *rec, const struct wn_xml_node *data)
{
	const struct wn_xml_node *history = wn_xml_child(data, "History");

	if (!data)
		return;
	map_article_ids(rec, wn_xml_child(data, "ArticleIdList"));
	add_extra_text(rec, "PublicationStatus", wn_xml_child(data, "PublicationStatus"));
	wn_xml_each(d, history, "PubMedPubDate") {
		char *status = wn_xml_attr(d, "PubStatus");
		char *tag = wn_join("PubMedPubDate", "-", status ? status : "other");

		add_extra_date(rec, tag, d);
		free(tag);
		free(status);
	}
}

static void map_article(struct wn_record *rec, const struct wn_xml_node *art)
{
	const struct wn_xml_node *mc = wn_xml_child(art, "MedlineCitation");
	const struct wn_xml_node *article = wn_xml_child(mc, "Article");
	const struct wn_xml_node *journal = wn_xml_child(article, "Journal");
	const struct wn_xml_node *issue = wn_xml_child(journal, "JournalIssue");
	const struct wn_xml_node *pagination = wn_xml_child(article, "Pagination");
	const struct wn_xml_node *info = wn_xml_child(mc, "MedlineJournalInfo");
	char *v;

	rec->pmid = wn_xml_path_text(mc, "PMID");
	if (rec->pmid)
		rec->source_id = xstrdup(rec->pmid);
	if ((v = wn_xml_attr(mc, "Status"))) {
		wn_record_add_extra(rec, "Status", v);
		free(v);
	}
	rec->title = wn_xml_path_text(article, "ArticleTitle");
	add_extra_text(rec, "VernacularTitle", wn_xml_child(article, "VernacularTitle"));
	map_abstract(rec, wn_xml_child(article, "Abstract"));
	rec->journal = wn_xml_path_text(journal, "Title");
	rec->journal_abbrev = wn_xml_path_text(journal, "ISOAbbreviation");
	if ((v = wn_xml_path_text(journal, "ISSN"))) {
		wn_record_set_issn_or_isbn(rec, "ISSN", v);
		free(v);
	}
	rec->volume = wn_xml_path_text(issue, "Volume");
	rec->issue = wn_xml_path_text(issue, "Issue");
	map_pub_date(rec, wn_xml_child(issue, "PubDate"));
	rec->pages = wn_xml_path_text(pagination, "MedlinePgn");
	if (!rec->pages) {
		char *start = wn_xml_path_text(pagination, "StartPage");
		char *end = wn_xml_path_text(pagination, "EndPage");

		if (start && end)
			rec->pages = xasprintf("%s-%s", start, end);
		else if (start)
			rec->pages = xstrdup(start);
		free(start);
		free(end);
	}
	map_authors(rec, wn_xml_child(article, "AuthorList"), NULL);
	wn_xml_each(l, article, "Language") {
		v = wn_xml_text(l);
		if (v && !rec->language) {
			rec->language = v;
		} else if (v) {
			wn_record_add_extra(rec, "Language", v);
			free(v);
		}
	}
	wn_xml_add_texts(&rec->pubtypes, wn_xml_child(article, "PublicationTypeList"),
			 "PublicationType");
	rec->type = xstrdup(wn_type_from_pubtypes(&rec->pubtypes, "journal-article"));
	if ((v = wn_xml_attr(article, "PubModel"))) {
		wn_record_add_extra(rec, "PubModel", v);
		free(v);
	}
	wn_xml_each(d, article, "ArticleDate")
		add_extra_date(rec, "ArticleDate", d);
	map_grants(rec, wn_xml_child(article, "GrantList"));
	add_extra_text(rec, "MedlineTA", wn_xml_child(info, "MedlineTA"));
	add_extra_text(rec, "NlmUniqueID", wn_xml_child(info, "NlmUniqueID"));
	add_extra_text(rec, "ISSNLinking", wn_xml_child(info, "ISSNLinking"));
	add_extra_text(rec, "Country", wn_xml_child(info, "Country"));
	add_extra_date(rec, "DateCompleted", wn_xml_child(mc, "DateCompleted"));
	add_extra_date(rec, "DateRevised", wn_xml_child(mc, "DateRevised"));
	wn_xml_each(c, wn_xml_child(mc, "ChemicalList"), "Chemical")
		add_extra_text(rec, "Chemical", wn_xml_child(c, "NameOfSubstance"));
	map_comments_corrections(rec, wn_xml_child(mc, "CommentsCorrectionsList"));
	/* people the article is about, not by */
	wn_xml_each(l, wn_xml_child(mc, "PersonalNameSubjectList"), "PersonalNameSubject")
		add_person_extra(rec, "PersonalNameSubject", l);
	map_mesh(rec, wn_xml_child(mc, "MeshHeadingList"));
	map_common(rec, mc);
	wn_xml_each(l, mc, "InvestigatorList")
		wn_xml_each(i, l, "Investigator")
			add_person_extra(rec, "Investigator", i);
	/* the DOI: the article's own ArticleIdList first, then a valid
	 * ELocationID; the ReferenceList is never looked at */
	map_pubmed_data(rec, wn_xml_child(art, "PubmedData"));
	map_elocations(rec, article);
}

static void map_book_article(struct wn_record *rec, const struct wn_xml_node *art)
{
	const struct wn_xml_node *doc = wn_xml_child(art, "BookDocument");
	const struct wn_xml_node *book = wn_xml_child(doc, "Book");
	const struct wn_xml_node *bookdata = wn_xml_child(art, "PubmedBookData");
	char *book_title = wn_xml_path_text(book, "BookTitle");
	size_t chapter_authors;
	char *v;

	rec->pmid = wn_xml_path_text(doc, "PMID");
	if (rec->pmid)
		rec->source_id = xstrdup(rec->pmid);
	rec->title = wn_xml_path_text(doc, "ArticleTitle");
	if (rec->title) {
		rec->type = xstrdup("book-chapter");
		rec->journal = book_title; /* the container */
	} else {
		rec->type = xstrdup("book");
		rec->title = book_title;
	}
	book_title = NULL;
	map_abstract(rec, wn_xml_child(doc, "Abstract"));
	rec->publisher = wn_xml_path_text(book, "Publisher/PublisherName");
	add_extra_text(rec, "PublisherLocation", wn_xml_path(book, "Publisher/PublisherLocation"));
	map_pub_date(rec, wn_xml_child(book, "PubDate"));
	wn_xml_each(i, book, "Isbn")
		if ((v = wn_xml_text(i))) {
			wn_record_set_issn_or_isbn(rec, "Isbn", v);
			free(v);
		}
	rec->volume = wn_xml_path_text(book, "Volume");
	add_extra_text(rec, "Edition", wn_xml_child(book, "Edition"));
	add_extra_text(rec, "Medium", wn_xml_child(book, "Medium"));
	add_extra_text(rec, "CollectionTitle", wn_xml_child(book, "CollectionTitle"));
	add_extra_text(rec, "ReportNumber", wn_xml_child(book, "ReportNumber"));
	wn_xml_each(l, doc, "AuthorList")
		map_authors(rec, l, NULL);
	/* the book's authors are the record's for the whole book, and for a
	 * chapter that names none of its own */
	chapter_authors = rec->authors.n;
	wn_xml_each(l, book, "AuthorList")
		map_authors(rec, l,
			    wn_xml_attr_is(l, "Type", "editors") ? "Editor"
			    : chapter_authors > 0                 ? "BookAuthor"
								  : NULL);
	if (!rec->pages)
		rec->pages = wn_xml_path_text(doc, "Pagination/MedlinePgn");
	wn_xml_each(l, doc, "Language") {
		v = wn_xml_text(l);
		if (v && !rec->language) {
			rec->language = v;
		} else if (v) {
			wn_record_add_extra(rec, "Language", v);
			free(v);
		}
	}
	wn_xml_add_texts(&rec->pubtypes, doc, "PublicationType");
	wn_xml_each(l, doc, "LocationLabel")
		add_extra_text(rec, "LocationLabel", l);
	add_extra_date(rec, "DateRevised", wn_xml_child(doc, "DateRevised"));
	map_grants(rec, wn_xml_child(doc, "GrantList"));
	map_common(rec, doc);
	map_article_ids(rec, wn_xml_child(doc, "ArticleIdList"));
	if (bookdata) {
		map_article_ids(rec, wn_xml_child(bookdata, "ArticleIdList"));
		add_extra_text(rec, "PublicationStatus", wn_xml_child(bookdata, "PublicationStatus"));
	}
	map_elocations(rec, book);
	map_elocations(rec, doc);
}

static int pubmed_map(struct wn_parser *p, void *ctx, const struct wn_xml_node *node,
		      struct wn_record *rec, int *skip)
{
	(void)ctx;
	if (wn_xml_is(node, "PubmedBookArticle"))
		map_book_article(rec, node);
	else
		map_article(rec, node);
	if (!rec->pmid) {
		int rc = wn_parser_warn(p, rec->line, "%s without a PMID", (const char *)node->name);

		if (rc)
			return rc;
	}
	*skip = 0;
	return 0;
}

/* DeleteCitation: one warning listing (the first of) its PMIDs. */
static int pubmed_delete_citation(struct wn_parser *p, void *ctx, const struct wn_xml_node *node)
{
	struct wn_buf b = WN_BUF_INIT;
	long n = 0;
	int rc;

	(void)ctx;
	wn_xml_each(id, node, "PMID") {
		char *v = wn_xml_text(id);

		if (v && n < 20)
			wn_buf_addf(&b, "%s%s", n ? ", " : "", v);
		n += v != NULL;
		free(v);
	}
	rc = wn_parser_warn(p, node->line,
			    "DeleteCitation for %ld PMID%s (%s%s) ignored: an import does not "
			    "delete records",
			    n, n == 1 ? "" : "s", wn_buf_str(&b), n > 20 ? ", ..." : "");
	wn_buf_release(&b);
	return rc;
}

int wn_parse_pubmed_xml(struct wn_parser *p)
{
	const struct wn_xml_walk walk = {
		.what = "PubMed XML",
		.roots = pubmed_roots,
		.classify = pubmed_classify,
		.map = pubmed_map,
		.other = pubmed_delete_citation,
	};

	return wn_xml_parse(p, &walk);
}

int wn_sniff_pubmed_xml(const char *head, size_t len)
{
	/* Other E-utilities answers (and their errors, which come with HTTP
	 * 200): claimed weakly, so that the reader refuses them with their
	 * own message rather than "unknown format" */
	static const char *const errors[] = {
		"eFetchResult", "pmFetchResult", "eSearchResult", "eSummaryResult",
		"eInfoResult", "ePostResult", "eLinkResult", "eSpellResult", NULL,
	};

	if (wn_xml_sniff_root(head, len, pubmed_roots))
		return 100;
	return wn_xml_sniff_root(head, len, errors) ? 60 : 0;
}
