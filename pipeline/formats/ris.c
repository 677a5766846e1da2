/*
 * RIS, in the dialects databases really write.
 *
 * A record runs from a "TY  - " line to an "ER  - " line. Vendors differ:
 * Ovid writes A1/Y1/T1/N2/JF/JA and puts header and query lines between
 * records; Web of Science indents continuation lines and repeats SN;
 * EndNote continues values on untagged lines (one keyword per line under a
 * KW) and puts the issue in M1; Scopus uses T2 for the journal, J2 for its
 * abbreviation, C2 for the PMID and M3 for the document type; Zotero may put
 * a DOI in M3; EBSCO a DOI in L3. Embase ends records with "Link to ..."
 * lines. The reader therefore takes a tag only in the strict form
 * `XX  - value` (one or two spaces before the hyphen), treats every other
 * line inside a record as a continuation (so an abstract line starting with
 * "ER" does not end the record), and decides what ambiguous tags mean from
 * their content and the dialect.
 */
#include "formats_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* A record larger than this is cut (with a warning): no real record comes
 * near it, and it bounds memory on hostile input. */
#define RIS_MAX_RECORD (16u << 20)

/* A tag as a number, so that tags compare as integers. */
#define TAG(a, b) ((unsigned)(unsigned char)(a) << 8 | (unsigned char)(b))

struct ris_field {
	char tag[3];
	unsigned code;     /* TAG(tag[0], tag[1]) */
	size_t at;         /* where the value starts in the record's text */
	const char *value; /* set once the record is complete (fields_done) */
	long line;
};

/* The values of a record's fields live one after another (each with its
 * NUL) in `text`, which like `raw` is kept from record to record. */
struct ris_record {
	struct ris_field *fields;
	size_t n, cap;
	struct wn_buf text;
	struct wn_buf raw;
	long line;          /* of the TY (or first) line */
	int continuations;  /* untagged lines seen (EndNote style) */
	int in_link;        /* inside Embase "Link to ..." lines */
	int cut;            /* over RIS_MAX_RECORD */
};

/* `XX  - value`, `XX - value`, `XX  -` (empty): the tag, and the value
 * start in *value. */
static int ris_tag_line(const char *s, size_t len, char tag[3], const char **value)
{
	size_t i;

	if (len < 5 || !isupper((unsigned char)s[0]) ||
	    !(isupper((unsigned char)s[1]) || isdigit((unsigned char)s[1])) || s[2] != ' ')
		return 0;
	i = s[3] == ' ' ? 4 : 3;
	if (s[i] != '-')
		return 0;
	i++;
	if (s[i] == ' ')
		i++;
	else if (s[i] != '\0')
		return 0;
	tag[0] = s[0];
	tag[1] = s[1];
	tag[2] = '\0';
	*value = s + i;
	return 1;
}

int wn_sniff_ris(const char *head, size_t len)
{
	const char *p = head, *end = head + len;
	int ty = 0, tags = 0, lines = 0;

	while (p < end && lines < 200) {
		const char *nl = p;
		char tag[3];
		const char *v;

		while (nl < end && *nl != '\n' && *nl != '\r')
			nl++;
		if (ris_tag_line(p, (size_t)(nl - p), tag, &v)) {
			tags++;
			if (strcmp(tag, "TY") == 0)
				ty = 1;
		}
		lines++;
		p = nl;
		while (p < end && (*p == '\n' || *p == '\r'))
			p++;
	}
	if (ty && tags >= 2)
		return 90;
	return tags >= 3 ? 40 : 0;
}

static void field_add(struct ris_record *r, const char *tag, const char *value, size_t len,
		      long line)
{
	struct ris_field *f;

	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 32;
		r->fields = xrealloc(r->fields, r->cap * sizeof(*r->fields));
	}
	f = &r->fields[r->n++];
	memcpy(f->tag, tag, 3);
	f->code = TAG(tag[0], tag[1]);
	f->at = r->text.len;
	f->value = NULL;
	f->line = line;
	wn_buf_add(&r->text, value, len);
	wn_buf_addc(&r->text, '\0');
}

/* The value of field i while the record is being read. */
static const char *field_value(const struct ris_record *r, size_t i)
{
	return r->text.data + r->fields[i].at;
}

/* Append sep and value to the last field (whose value ends the text). */
static void field_append(struct ris_record *r, const char *sep, const char *value, size_t len)
{
	r->text.len--; /* its NUL */
	wn_buf_adds(&r->text, sep);
	wn_buf_add(&r->text, value, len);
	wn_buf_addc(&r->text, '\0');
}

/* The record is complete: its values stay where they are. */
static void fields_done(struct ris_record *r)
{
	for (size_t i = 0; i < r->n; i++)
		r->fields[i].value = field_value(r, i);
}

static void record_reset(struct ris_record *r)
{
	r->n = 0;
	wn_buf_reset(&r->text);
	wn_buf_reset(&r->raw);
	r->line = 0;
	r->continuations = 0;
	r->in_link = 0;
	r->cut = 0;
}

static void record_release(struct ris_record *r)
{
	record_reset(r);
	free(r->fields);
	wn_buf_release(&r->text);
	wn_buf_release(&r->raw);
}

/* Tags whose untagged continuation lines are further items (EndNote
 * writes one keyword per line under a single KW). */
static int list_tag(unsigned code)
{
	return code == TAG('K', 'W') || code == TAG('A', 'U') || code == TAG('A', '1') ||
	       code == TAG('A', '2') || code == TAG('A', '3') || code == TAG('A', '4') ||
	       code == TAG('E', 'D');
}

/* strcasecmp(a, b) == 0, with the first letters compared before the
 * call: the tables below are scanned for every record. */
static int same_ci(const char *a, const char *b)
{
	return tolower((unsigned char)a[0]) == tolower((unsigned char)b[0]) && !strcasecmp(a, b);
}

static const char *ris_type(const char *ty)
{
	static const struct {
		const char *ty, *type;
	} map[] = {
		{ "JOUR", "journal-article" }, { "JFULL", "journal-article" },
		{ "EJOUR", "journal-article" }, { "INPR", "journal-article" },
		{ "MGZN", "other" }, { "NEWS", "other" },
		{ "CONF", "conference-paper" }, { "CPAPER", "conference-paper" },
		{ "CPROC", "conference-paper" }, { "ABST", "conference-abstract" },
		{ "BOOK", "book" }, { "EBOOK", "book" }, { "EDBOOK", "book" },
		{ "CHAP", "book-chapter" }, { "ECHAP", "book-chapter" },
		{ "THES", "thesis" }, { "RPRT", "report" }, { "GOVDOC", "report" },
		{ "ELEC", "web-page" }, { "WEB", "web-page" }, { "BLOG", "web-page" },
		{ "ICOMM", "web-page" }, { "DATA", "dataset" }, { "DBASE", "dataset" },
		{ "UNPB", "other" }, { "GEN", "other" }, { "SER", "book" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (same_ci(map[i].ty, ty))
			return map[i].type;
	return "other";
}

/* Scopus, EBSCO and Web of Science name the document type in M3/DT/PT. */
static const char *document_type(const char *s)
{
	static const struct {
		const char *name, *type;
	} map[] = {
		{ "review", "review" }, { "systematic review", "review" },
		{ "erratum", "erratum" }, { "correction", "erratum" },
		{ "retracted", "retraction" }, { "retraction", "retraction" },
		{ "editorial", "editorial" }, { "editorial material", "editorial" },
		{ "letter", "letter" }, { "comment", "comment" }, { "note", "comment" },
		{ "conference paper", "conference-paper" },
		{ "proceedings paper", "conference-paper" },
		{ "conference review", "conference-paper" },
		{ "meeting abstract", "conference-abstract" },
		{ "conference abstract", "conference-abstract" },
		{ "book chapter", "book-chapter" }, { "book", "book" },
		{ "preprint", "preprint" }, { "dissertation", "thesis" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (same_ci(map[i].name, s))
			return map[i].type;
	return NULL;
}

/* strcasestr(hay, needle) != NULL for the short needles below, without
 * the set-up a general search does on every call. */
static int contains_ci(const char *hay, const char *needle)
{
	int first;

	if (!hay)
		return 0;
	if (!*needle)
		return 1;
	first = tolower((unsigned char)needle[0]);
	for (; *hay; hay++) {
		size_t i = 0;

		if (tolower((unsigned char)*hay) != first)
			continue;
		while (needle[i] &&
		       tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
			i++;
		if (!needle[i])
			return 1;
	}
	return 0;
}

/* What the record says about its origin. */
static const char *ris_dialect(const struct ris_record *r)
{
	int ovid_tags = 0;

	for (size_t i = 0; i < r->n; i++)
		if ((r->fields[i].code == TAG('A', 'N') || r->fields[i].code == TAG('U', 'T')) &&
		    !strncmp(r->fields[i].value, "WOS:", 4))
			return "wos";
	for (size_t i = 0; i < r->n; i++)
		if (r->fields[i].code == TAG('D', 'B') && (contains_ci(r->fields[i].value, "ovid") ||
							   contains_ci(r->fields[i].value, "embase")))
			return "ovid";
	/* A file that passed through EndNote keeps the vendor's DB line but
	 * takes EndNote's habits (M1 issue, ID reference number). */
	if (r->continuations)
		return "endnote";
	for (size_t i = 0; i < r->n; i++) {
		unsigned t = r->fields[i].code;
		const char *v = r->fields[i].value;

		if (t == TAG('D', 'B') || t == TAG('D', 'P')) {
			if (contains_ci(v, "scopus"))
				return "scopus";
			if (contains_ci(v, "web of science") || contains_ci(v, "clarivate"))
				return "wos";
			if (contains_ci(v, "ovid") || contains_ci(v, "embase"))
				return "ovid";
			if (contains_ci(v, "ebsco") || contains_ci(v, "cinahl") ||
			    contains_ci(v, "psycinfo"))
				return "ebsco";
			if (contains_ci(v, "pubmed") || contains_ci(v, "nlm"))
				return "pubmed";
		}
		if (t == TAG('U', 'R') && contains_ci(v, "scopus.com"))
			return "scopus";
		if (t == TAG('N', '1') && contains_ci(v, "Source: Scopus"))
			return "scopus";
		if (t == TAG('A', '1') || t == TAG('N', '2') || t == TAG('Y', '1'))
			ovid_tags++;
	}
	if (ovid_tags >= 2)
		return "ovid";
	return NULL;
}

/* Scopus RIS has no accession tag; its EID is in the record's link. */
static char *scopus_eid(const struct ris_record *r)
{
	for (size_t i = 0; i < r->n; i++) {
		const char *e;

		if (r->fields[i].code != TAG('U', 'R') ||
		    !(e = strstr(r->fields[i].value, "eid=2-s2.0-")))
			continue;
		e += 4;
		return xstrndup(e, strcspn(e, "&#"));
	}
	return NULL;
}

static int is_journal_type(const char *type)
{
	return type && (!strcmp(type, "journal-article") || !strcmp(type, "review"));
}

/* Is s all ASCII digits (or empty)? strspn(s, "0123456789") == strlen(s) */
static int all_digits(const char *s)
{
	while (*s >= '0' && *s <= '9')
		s++;
	return !*s;
}

static void map_record(struct ris_record *r, struct wn_record *rec, const char *dialect)
{
	const char *t2 = NULL, *jf = NULL, *jo = NULL, *ja = NULL, *j2 = NULL, *j1 = NULL;
	const char *sp = NULL, *ep = NULL, *py = NULL, *y1 = NULL, *ab = NULL, *n2 = NULL;
	const char *an = NULL, *ut = NULL, *id = NULL, *m1 = NULL, *ty = NULL, *dof = NULL;
	const char *db = NULL;
	const char *doctype = NULL, *full, *abbr, *date, *abstract, *source;
	int endnote = dialect && !strcmp(dialect, "endnote");
	int ovid = dialect && !strcmp(dialect, "ovid");
	int m1_pubtypes = 0; /* M1 lines were taken as publication types */

	/* first pass: the tags whose meaning depends on others */
	for (size_t i = 0; i < r->n; i++) {
		const char *v = r->fields[i].value;
		const char **slot;

		switch (r->fields[i].code) {
		case TAG('T', 'Y'): slot = &ty; break;
		case TAG('T', '2'): slot = &t2; break;
		case TAG('J', 'F'): slot = &jf; break;
		case TAG('J', 'O'): slot = &jo; break;
		case TAG('J', 'A'): slot = &ja; break;
		case TAG('J', '2'): slot = &j2; break;
		case TAG('J', '1'): slot = &j1; break;
		case TAG('S', 'P'): slot = &sp; break;
		case TAG('E', 'P'): slot = &ep; break;
		case TAG('P', 'Y'): slot = &py; break;
		case TAG('Y', '1'): slot = &y1; break;
		case TAG('A', 'B'): slot = &ab; break;
		case TAG('N', '2'): slot = &n2; break;
		case TAG('A', 'N'): slot = &an; break;
		case TAG('U', 'T'): slot = &ut; break;
		case TAG('I', 'D'): slot = &id; break;
		case TAG('M', '1'): slot = &m1; break;
		case TAG('D', 'O'): slot = &dof; break;
		case TAG('D', 'B'): slot = &db; break;
		default: slot = NULL; break;
		}
		if (slot && !*slot && *v)
			*slot = v;
	}

	if (ty)
		rec->type = xstrdup(ris_type(ty));
	/* the journal: full name T2 > JF > JO > JA/J2; abbreviation J2 > JA >
	 * J1 > JO (when something fuller was given) */
	full = t2 ? t2 : jf ? jf : jo ? jo : ja ? ja : j2 ? j2 : j1;
	abbr = j2 && j2 != full ? j2 : ja && ja != full ? ja
	     : j1 && j1 != full ? j1 : jo && jo != full ? jo : NULL;
	if (full)
		rec->journal = xstrdup(full);
	if (abbr)
		rec->journal_abbrev = xstrdup(abbr);
	if (sp && ep && !strchr(sp, '-'))
		rec->pages = wn_join(sp, "-", ep);
	else if (sp)
		rec->pages = xstrdup(sp);
	else if (ep)
		rec->pages = xstrdup(ep);
	if (sp && strchr(sp, '-'))
		ep = NULL; /* an EP beside a full range is kept in extra */
	date = py ? py : y1;
	if (date)
		rec->date = xstrdup(date);
	abstract = ab ? ab : n2;
	if (abstract)
		rec->abstract = xstrdup(abstract);
	/* EndNote's ID is its reference number, Ovid's the accession number
	 * (the PMID in Ovid MEDLINE); elsewhere ID is an article id */
	source = an ? an : ut ? ut : endnote || ovid || (dialect && !strcmp(dialect, "pubmed"))
		 ? id : NULL;
	if (source)
		rec->source_id = xstrdup(source);
	if (!source && dialect && !strcmp(dialect, "scopus"))
		rec->source_id = scopus_eid(r);
	if (dialect && !strcmp(dialect, "pubmed") && source && all_digits(source))
		rec->pmid = xstrdup(source); /* PubMed's RIS: AN is the PMID */
	if (ovid && source == id && id && contains_ci(db, "medline") && all_digits(id))
		rec->pmid = xstrdup(id);
	if (ovid && m1) {
		/* Ovid MEDLINE puts the publication type in M1 */
		for (size_t i = 0; i < r->n; i++)
			if (r->fields[i].code == TAG('M', '1') && r->fields[i].value[0])
				wn_strlist_add(&rec->pubtypes, r->fields[i].value);
		doctype = wn_type_from_pubtypes(&rec->pubtypes, NULL);
		m1 = NULL;
		m1_pubtypes = 1;
	} else if (!(endnote && m1 && is_journal_type(rec->type))) {
		m1 = NULL; /* the issue, unless IS gives it (below) */
	}

	for (size_t i = 0; i < r->n; i++) {
		const char *t = r->fields[i].tag, *v = r->fields[i].value;
		unsigned code = r->fields[i].code;

		if (!*v && code != TAG('T', 'Y'))
			continue;
		if (v == full || v == abbr || v == sp || v == ep || v == date ||
		    v == abstract || v == source || v == m1)
			continue; /* mapped above */
		switch (code) {
		case TAG('T', 'Y'):
			wn_record_add_extra(rec, "TY", v);
			break;
		case TAG('T', 'I'):
		case TAG('T', '1'):
		case TAG('C', 'T'):
			if (!rec->title)
				rec->title = xstrdup(v);
			else
				wn_record_add_extra(rec, t, v);
			break;
		case TAG('A', 'U'):
		case TAG('A', '1'):
			wn_strlist_add(&rec->authors, v);
			break;
		case TAG('K', 'W'):
			wn_strlist_add(&rec->keywords, v);
			break;
		case TAG('D', 'O'):
			if (!rec->doi)
				rec->doi = xstrdup(v);
			else
				wn_record_add_extra(rec, t, v);
			break;
		case TAG('M', '3'):
		case TAG('L', '3'):
		case TAG('D', 'T'):
			if (code != TAG('D', 'T') && wn_looks_like_doi(v) && !rec->doi) {
				rec->doi = xstrdup(v);
			} else if (code == TAG('M', '3') || code == TAG('D', 'T')) {
				/* the document or publication type (Scopus, EBSCO, WoS) */
				if (!doctype)
					doctype = document_type(v);
				wn_strlist_add(&rec->pubtypes, v);
			} else {
				wn_record_add_extra(rec, t, v);
			}
			break;
		case TAG('V', 'L'):
		case TAG('V', 'O'):
			if (!rec->volume)
				rec->volume = xstrdup(v);
			else
				wn_record_add_extra(rec, t, v);
			break;
		case TAG('I', 'S'):
		case TAG('C', 'P'):
			if (!rec->issue)
				rec->issue = xstrdup(v);
			else
				wn_record_add_extra(rec, t, v);
			break;
		case TAG('S', 'N'):
			wn_record_set_issn_or_isbn(rec, t, v);
			break;
		case TAG('B', 'N'):
			if (!rec->isbn)
				rec->isbn = xstrdup(v);
			else
				wn_record_add_extra(rec, t, v);
			break;
		case TAG('C', '2'):
			if (rec->pmid && !strcmp(v, rec->pmid)) {
				/* the PMID again (AN gave it) */
			} else if (all_digits(v) && !rec->pmid) {
				/* Scopus (and winnow's own export) give the PMID in C2 */
				rec->pmid = xstrdup(v);
			} else if (!strncasecmp(v, "PMC", 3) && !rec->pmcid) {
				rec->pmcid = xstrdup(v);
			} else {
				wn_record_add_extra(rec, t, v);
			}
			break;
		case TAG('L', 'A'):
			if (!rec->language)
				rec->language = xstrdup(v);
			else
				wn_record_add_extra(rec, t, v);
			break;
		case TAG('M', '1'):
			if (!m1_pubtypes) /* else a publication type, taken above */
				wn_record_add_extra(rec, t, v);
			break;
		case TAG('U', 'R'):
			if (!dof && !rec->doi && strstr(v, "doi.org/") && wn_looks_like_doi(v))
				rec->doi = xstrdup(v); /* Ovid gives the DOI only as a link */
			else if (!rec->url)
				rec->url = xstrdup(v);
			else
				wn_record_add_extra(rec, t, v);
			break;
		case TAG('P', 'B'):
			if (!rec->publisher)
				rec->publisher = xstrdup(v);
			else
				wn_record_add_extra(rec, t, v);
			break;
		default:
			wn_record_add_extra(rec, t, v);
			break;
		}
	}
	if (!doctype)
		doctype = wn_type_from_pubtypes(&rec->pubtypes, NULL);
	if (m1 && !rec->issue)
		rec->issue = xstrdup(m1);
	else if (m1)
		wn_record_add_extra(rec, "M1", m1);
	if (doctype && (!rec->type || !strcmp(rec->type, "journal-article") ||
			!strcmp(rec->type, "other") ||
			!strcmp(rec->type, "conference-paper"))) {
		free(rec->type);
		rec->type = xstrdup(doctype);
	}
}

static int finish_record(struct wn_parser *p, struct ris_record *r, struct wn_record *rec)
{
	const char *dialect;
	int rc;

	if (r->n == 0) {
		record_reset(r);
		return 0;
	}
	fields_done(r);
	dialect = ris_dialect(r);
	if (dialect && !p->dialect)
		p->dialect = dialect;
	wn_record_init(rec);
	map_record(r, rec, dialect ? dialect : p->dialect);
	rec->line = r->line;
	/* a copy the size of the text: r->raw is kept for the next record */
	rec->raw_len = r->raw.len;
	rec->raw = xstrndup(wn_buf_str(&r->raw), r->raw.len);
	record_reset(r);
	rc = wn_parser_emit(p, rec);
	return rc;
}

int wn_parse_ris(struct wn_parser *p)
{
	struct ris_record r = { 0 };
	struct wn_record rec;
	const char *line;
	size_t len;
	int in_record = 0;
	int rc = 0, got;

	wn_record_init(&rec);
	while ((got = wn_input_getline(p->in, &line, &len)) > 0) {
		long lineno = wn_input_lineno(p->in);
		const char *value;
		char tag[3];
		int tagged = ris_tag_line(line, len, tag, &value);
		unsigned code = tagged ? TAG(tag[0], tag[1]) : 0;

		if (code == TAG('E', 'R')) {
			if (!in_record) {
				rc = wn_parser_warn(p, lineno, "ER with no record open; ignored");
				if (rc)
					break;
				continue;
			}
			wn_buf_add(&r.raw, line, len);
			rc = finish_record(p, &r, &rec);
			in_record = 0;
			if (rc)
				break;
			continue;
		}
		if (code == TAG('T', 'Y') && in_record) {
			rc = wn_parser_warn(p, r.line,
					    "record has no ER line; a new record starts at line %ld",
					    lineno);
			if (!rc)
				rc = finish_record(p, &r, &rec);
			in_record = 0;
			if (rc)
				break;
		}
		if (!in_record) {
			if (!tagged)
				continue; /* headers, query lines, "1.", blank lines */
			if (code != TAG('T', 'Y')) {
				rc = wn_parser_warn(p, lineno,
						    "record starts with %s, not TY; read as a record "
						    "of unknown type", tag);
				if (rc)
					break;
			}
			in_record = 1;
			r.line = lineno;
		}
		if (r.cut)
			continue;
		if (r.raw.len + len > RIS_MAX_RECORD) {
			r.cut = 1;
			rc = wn_parser_warn(p, lineno, "record starting at line %ld is larger than "
					    "%u MiB; the rest of it is ignored", r.line,
					    RIS_MAX_RECORD >> 20);
			if (rc)
				break;
			continue;
		}
		if (r.raw.len)
			wn_buf_addc(&r.raw, '\n');
		wn_buf_add(&r.raw, line, len);
		if (tagged) {
			r.in_link = 0;
			field_add(&r, tag, value, len - (size_t)(value - line), lineno);
			continue;
		}
		/* an untagged line inside a record: its text, trimmed */
		{
			size_t a = 0, e = len;
			const char *text;
			size_t tlen;
			struct ris_field *last = r.n ? &r.fields[r.n - 1] : NULL;

			while (a < e && wn_is_space((unsigned char)line[a]))
				a++;
			while (e > a && wn_is_space((unsigned char)line[e - 1]))
				e--;
			text = line + a;
			tlen = e - a;
			if (!tlen) {
				if (last && field_value(&r, r.n - 1)[0])
					field_append(&r, "", "\n", 1);
			} else if ((tlen >= 8 && !memcmp(text, "Link to ", 8)) || r.in_link) {
				/* Embase/Ovid "Link to the Ovid Full Text or citation:"
				 * and the URL lines under it */
				if (!r.in_link)
					field_add(&r, "LK", text, tlen, lineno);
				else
					field_append(&r, "\n", text, tlen);
				r.in_link = 1;
			} else if (last && list_tag(last->code)) {
				char list[3];

				/* copied: adding a field may move `last` */
				memcpy(list, last->tag, sizeof(list));
				r.continuations += !wn_is_space((unsigned char)line[0]);
				field_add(&r, list, text, tlen, lineno);
			} else if (last) {
				/* EndNote continues at the margin, Web of
				 * Science indents */
				r.continuations += !wn_is_space((unsigned char)line[0]);
				field_append(&r, field_value(&r, r.n - 1)[0] ? "\n" : "", text, tlen);
			}
		}
	}
	if (got < 0)
		rc = got;
	if (!rc && in_record) {
		rc = wn_parser_warn(p, r.line, "last record has no ER line");
		if (!rc)
			rc = finish_record(p, &r, &rec);
	}
	record_release(&r);
	wn_record_clear(&rec);
	return rc;
}

/* ---- writer ---- */

static void put_value(FILE *fp, const char *tag, const char *value)
{
	const char *s = value;

	fprintf(fp, "%s  - ", tag);
	/* continuation lines are untagged; one that would read as a tag
	 * line is indented (the reader strips the indent) */
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		char t[3];
		const char *v;

		if (s != value && ris_tag_line(s, n, t, &v))
			fputc(' ', fp);
		fwrite(s, 1, n, fp);
		fputs("\r\n", fp);
		if (!nl)
			return;
		s = nl + 1;
	}
	if (s == value)
		fputs("\r\n", fp);
}

static void put(FILE *fp, const char *tag, const char *value)
{
	if (value && *value)
		put_value(fp, tag, value);
}

static const char *ris_ty_for(const char *type)
{
	static const struct {
		const char *type, *ty;
	} map[] = {
		{ "journal-article", "JOUR" }, { "review", "JOUR" }, { "editorial", "JOUR" },
		{ "letter", "JOUR" }, { "comment", "JOUR" }, { "erratum", "JOUR" },
		{ "retraction", "JOUR" }, { "conference-paper", "CPAPER" },
		{ "conference-abstract", "ABST" }, { "book", "BOOK" },
		{ "book-chapter", "CHAP" }, { "thesis", "THES" }, { "report", "RPRT" },
		{ "preprint", "UNPB" }, { "dataset", "DATA" }, { "web-page", "ELEC" },
	};

	for (size_t i = 0; type && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i].type, type))
			return map[i].ty;
	return "GEN";
}

static int is_ris_tag(const char *t)
{
	return strlen(t) == 2 && isupper((unsigned char)t[0]) &&
	       (isupper((unsigned char)t[1]) || isdigit((unsigned char)t[1]));
}

static int ris_record(struct wn_writer *w, const struct wn_record *rec,
		      const struct wn_record_meta *meta)
{
	FILE *fp = w->fp;
	int from_ris = rec->raw_format && !strcmp(rec->raw_format, "ris");
	const char *ty = NULL;
	char year[16];

	(void)meta;
	for (size_t i = 0; from_ris && i < rec->nextra; i++)
		if (!strcmp(rec->extra[i].tag, "TY"))
			ty = rec->extra[i].value;
	put(fp, "TY", ty ? ty : ris_ty_for(rec->type));
	put(fp, "TI", rec->title);
	for (size_t i = 0; i < rec->authors.n; i++) {
		char *a = wn_author_display(rec->authors.items[i]);

		put(fp, "AU", a ? a : rec->authors.items[i]);
		free(a);
	}
	snprintf(year, sizeof(year), "%d", rec->year);
	put(fp, "PY", rec->date ? rec->date : rec->year ? year : NULL);
	put(fp, "T2", rec->journal);
	put(fp, "J2", rec->journal_abbrev);
	put(fp, "VL", rec->volume);
	put(fp, "IS", rec->issue);
	if (rec->pages) {
		const char *dash = strchr(rec->pages, '-');

		if (dash && !strchr(dash + 1, '-') && !strchr(rec->pages, ',') && dash[1]) {
			fprintf(fp, "SP  - %.*s\r\n", (int)(dash - rec->pages), rec->pages);
			put(fp, "EP", dash + 1);
		} else {
			put(fp, "SP", rec->pages);
		}
	}
	put(fp, "AB", rec->abstract);
	for (size_t i = 0; i < rec->keywords.n; i++)
		put(fp, "KW", rec->keywords.items[i]);
	put(fp, "DO", rec->doi);
	put(fp, "AN", rec->source_id);
	put(fp, "C2", rec->pmid);
	put(fp, "C2", rec->pmcid);
	put(fp, "SN", rec->issn);
	put(fp, "SN", rec->isbn);
	for (size_t i = 0; i < rec->pubtypes.n; i++)
		put(fp, "M3", rec->pubtypes.items[i]);
	put(fp, "LA", rec->language);
	put(fp, "UR", rec->url);
	put(fp, "PB", rec->publisher);
	/* What the RIS file said that has no field of its own goes back under
	 * its own tag; other formats' tags mean other things in RIS. */
	for (size_t i = 0; from_ris && i < rec->nextra; i++) {
		const char *t = rec->extra[i].tag;

		if (is_ris_tag(t) && strcmp(t, "TY") != 0 && strcmp(t, "ER") != 0)
			put_value(fp, t, rec->extra[i].value);
	}
	fputs("ER  - \r\n\r\n", fp);
	return WN_OK;
}

const struct wn_writer_ops wn_writer_ris = { "ris", NULL, ris_record, NULL };
