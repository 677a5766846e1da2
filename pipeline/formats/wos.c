/*
 * Web of Science exports: the tagged plain text ("FN Clarivate Analytics
 * Web of Science", "VR 1.0", then "PT J" ... "ER" records, "EF") and the
 * tab-delimited export (a header row of the same two-letter tags). Both
 * are read into (tag, value) pairs and mapped by one table, so a record
 * reads the same whichever form it was saved in.
 *
 * Tagged text: a line is a two-character tag, a space and a value; lines
 * starting with spaces continue the previous tag. For the name and address
 * lists (AU, AF, BA, BF, BE, CA, GP, CR) each continuation line is a new
 * item; C1 too, except that a line continues the previous address when
 * that one does not end with a full stop (Zoological Record wraps them).
 * Every other tag is text that WoS wrapped at a fixed width, so its lines
 * are joined with a space: the breaks carry no paragraph meaning, abstracts
 * included. An indented "   ER" is a continuation, not an end of record.
 *
 * Tab-delimited: one row per record, "; " between the items of a list
 * (authors), no quoting. Files come as UTF-16LE with a BOM or UTF-8, with
 * CR, LF or CRLF endings and a trailing tab; the input layer decodes all
 * of that before a line reaches this reader.
 *
 * The same databases are exported through WoS in both forms (Core
 * Collection, BIOSIS, MEDLINE, Zoological Record, Inspec); the UT prefix of
 * the first record names the dialect.
 */
#include "formats_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* A record larger than this is cut (with a warning). */
#define WOS_MAX_RECORD (16u << 20)

/* One tag's value: a list item or the text of a tag. */
struct wos_pair {
	char tag[3];
	struct wn_buf value; /* grown line by line: no quadratic joins */
};

struct wos_block {
	struct wos_pair *v;
	size_t n, cap;
	struct wn_buf raw;
	size_t bytes; /* text held, for the size limit */
	long line;
	int cut;      /* over WOS_MAX_RECORD: the rest is skipped */
};

static void block_add(struct wos_block *b, const char *tag, const char *value, size_t len)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 32;
		b->v = xrealloc(b->v, b->cap * sizeof(*b->v));
	}
	memcpy(b->v[b->n].tag, tag, 2);
	b->v[b->n].tag[2] = '\0';
	memset(&b->v[b->n].value, 0, sizeof(b->v[b->n].value));
	wn_buf_add(&b->v[b->n].value, value, len);
	b->n++;
}

static void block_reset(struct wos_block *b)
{
	for (size_t i = 0; i < b->n; i++)
		wn_buf_release(&b->v[i].value);
	b->n = 0;
	b->bytes = 0;
	b->line = 0;
	b->cut = 0;
	wn_buf_reset(&b->raw);
}

static void block_release(struct wos_block *b)
{
	block_reset(b);
	free(b->v);
	wn_buf_release(&b->raw);
}

/* ---- mapping (both forms) ---- */

enum wos_map {
	M_EXTRA,
	M_TITLE,
	M_ABSTRACT,
	M_JOURNAL,
	M_JI,
	M_J9,
	M_LANGUAGE,
	M_KEYWORDS,
	M_KEYWORDS_PLUS,
	M_ISSN,
	M_EISSN,
	M_ISBN,
	M_VOLUME,
	M_ISSUE,
	M_DOI,
	M_PMID,
	M_UT,
	M_URL,
	M_PUBLISHER,
	M_AUTHOR_SHORT, /* AU */
	M_AUTHOR_FULL,  /* AF */
	M_BOOK_SHORT,   /* BA */
	M_BOOK_FULL,    /* BF */
	M_GROUP,        /* CA: a collective author */
	M_HANDLED,      /* PT DT PY PD BP EP AR PS: read as a whole below */
};

struct wos_tag {
	const char *tag;
	enum wos_map map;
	int list; /* tagged form: each continuation line is an item */
};

static const struct wos_tag wos_tags[] = {
	{ "TI", M_TITLE, 0 },    { "AB", M_ABSTRACT, 0 },   { "SO", M_JOURNAL, 0 },
	{ "JI", M_JI, 0 },       { "J9", M_J9, 0 },         { "LA", M_LANGUAGE, 0 },
	{ "DE", M_KEYWORDS, 0 }, { "ID", M_KEYWORDS_PLUS, 0 }, { "SN", M_ISSN, 0 },
	{ "EI", M_EISSN, 0 },    { "BN", M_ISBN, 0 },       { "VL", M_VOLUME, 0 },
	{ "IS", M_ISSUE, 0 },    { "DI", M_DOI, 0 },        { "PM", M_PMID, 0 },
	{ "UT", M_UT, 0 },       { "UR", M_URL, 0 },        { "PU", M_PUBLISHER, 0 },
	{ "AU", M_AUTHOR_SHORT, 1 }, { "AF", M_AUTHOR_FULL, 1 },
	{ "BA", M_BOOK_SHORT, 1 },   { "BF", M_BOOK_FULL, 1 }, { "CA", M_GROUP, 1 },
	{ "BE", M_EXTRA, 1 },    { "GP", M_EXTRA, 1 },      { "CR", M_EXTRA, 1 },
	{ "C1", M_EXTRA, 1 },
	{ "PT", M_HANDLED, 0 },  { "DT", M_HANDLED, 0 },    { "PY", M_HANDLED, 0 },
	{ "PD", M_HANDLED, 0 },  { "BP", M_HANDLED, 0 },    { "EP", M_HANDLED, 0 },
	{ "AR", M_HANDLED, 0 },  { "PS", M_HANDLED, 0 },
};

static const struct wos_tag *wos_tag_find(const char *tag)
{
	for (size_t i = 0; i < sizeof(wos_tags) / sizeof(wos_tags[0]); i++)
		if (strcmp(wos_tags[i].tag, tag) == 0)
			return &wos_tags[i];
	return NULL;
}

/* Accession prefixes of the databases WoS exports. */
static const struct {
	const char *prefix;
	const char *dialect;
} wos_dialects[] = {
	{ "WOS:", "wos-core" },     { "ISI:", "wos-core" },
	{ "BIOSIS:", "biosis" },    { "MEDLINE:", "medline" },
	{ "ZOOREC:", "zoological-record" }, { "INSPEC:", "inspec" },
	{ "CCC:", "current-contents" }, { "CABI:", "cab-abstracts" },
	{ "FSTA:", "fsta" },        { "SCIELO:", "scielo" },
	{ "KJD:", "kci" },          { "RSCI:", "rsci" },
	{ "DIIDW:", "derwent" },    { "DRCI:", "data-citation-index" },
};

static const char *wos_dialect(const char *ut)
{
	for (size_t i = 0; i < sizeof(wos_dialects) / sizeof(wos_dialects[0]); i++)
		if (strncasecmp(ut, wos_dialects[i].prefix, strlen(wos_dialects[i].prefix)) == 0)
			return wos_dialects[i].dialect;
	return NULL;
}

/* WoS document types (DT) in the normalised vocabulary; NULL when the
 * type says nothing more than "article" or is unknown. */
static const struct {
	const char *dt;
	const char *type;
} wos_doctypes[] = {
	{ "review", "review" },
	{ "proceedings paper", "conference-paper" },
	{ "meeting paper", "conference-paper" },
	{ "conference paper", "conference-paper" },
	{ "meeting abstract", "conference-abstract" },
	{ "meeting", "conference-abstract" },
	{ "editorial material", "editorial" },
	{ "editorial", "editorial" },
	{ "letter", "letter" },
	{ "correction", "erratum" },
	{ "correction, addition", "erratum" },
	{ "erratum", "erratum" },
	{ "retraction", "retraction" },
	{ "book chapter", "book-chapter" },
	{ "book", "book" },
	{ "dissertation", "thesis" },
	{ "thesis", "thesis" },
	{ "report", "report" },
	{ "preprint", "preprint" },
	{ "data set", "dataset" },
	{ "data study", "dataset" },
	{ "discussion", "comment" },
	{ "comment", "comment" },
	{ "book review", "other" },
	{ "news item", "other" },
	{ "biographical-item", "other" },
	{ "item about an individual", "other" },
	{ "note", "other" },
	{ "patent", "other" },
	{ "abstract of published item", "other" },
	{ "article", "journal-article" },
	{ "journal article", "journal-article" },
	{ "journal paper", "journal-article" },
	{ "reprint", "journal-article" },
	{ "data paper", "journal-article" },
	{ "software review", "other" },
};

static const char *doctype_one(const char *s, size_t n)
{
	while (n && wn_is_space((unsigned char)*s))
		s++, n--;
	while (n && wn_is_space((unsigned char)s[n - 1]))
		n--;
	for (size_t i = 0; i < sizeof(wos_doctypes) / sizeof(wos_doctypes[0]); i++)
		if (strlen(wos_doctypes[i].dt) == n && strncasecmp(wos_doctypes[i].dt, s, n) == 0)
			return wos_doctypes[i].type;
	return NULL;
}

/* "Article; Proceedings Paper" is a conference paper, "Review; Book
 * Chapter" a review: the first part that says more than "article". */
static const char *doctype(const char *dt)
{
	const char *first = NULL;

	for (const char *s = dt; *s;) {
		const char *e = strchr(s, ';');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		const char *t = doctype_one(s, n);

		if (t && !first)
			first = t;
		if (t && strcmp(t, "journal-article") != 0)
			return t;
		s += n;
		if (*s)
			s++;
	}
	return first;
}

static const char *type_from_pt(const char *pt, int has_ct, int has_bp)
{
	switch (toupper((unsigned char)pt[0])) {
	case 'J':
		return "journal-article";
	case 'B':
	case 'S':
		if (has_ct)
			return "conference-paper";
		return has_bp ? "book-chapter" : "book";
	case 'P':
		return "other"; /* patent */
	default:
		return NULL;
	}
}

/* Add each ';'-separated part of value to a list. */
static void add_split(struct wn_strlist *l, const char *value)
{
	const char *s = value;

	while (*s) {
		const char *e = strchr(s, ';');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		char *item = xstrndup(s, n);
		char *t = wn_trim(item);

		if (*t)
			wn_strlist_add(l, t);
		free(item);
		s += n;
		if (*s)
			s++;
	}
}

/* Authors, one per ';' part; BIOSIS and Zoological Record put the
 * corresponding author's e-mail after the name, "Smith, J. (a@b.c)":
 * the name goes to the list, the address to extra. */
static void add_authors(struct wn_record *rec, const char *value)
{
	struct wn_strlist parts = { 0 };

	add_split(&parts, value);
	for (size_t i = 0; i < parts.n; i++) {
		char *a = parts.items[i];
		char *open = strrchr(a, '(');
		char *close = open ? strchr(open, ')') : NULL;

		if (open && close && memchr(open, '@', (size_t)(close - open))) {
			char *mail = xstrndup(open + 1, (size_t)(close - open - 1));

			wn_record_add_extra(rec, "author-email", wn_trim(mail));
			free(mail);
			memmove(open, close + 1, strlen(close + 1) + 1);
		}
		a = wn_trim(a);
		if (*a)
			wn_strlist_add(&rec->authors, a);
	}
	wn_strlist_clear(&parts);
}

static int has_year(const char *s)
{
	for (int run = 0; *s; s++) {
		run = isdigit((unsigned char)*s) ? run + 1 : 0;
		if (run == 4 && !isdigit((unsigned char)s[1]))
			return 1;
	}
	return 0;
}

static int clean_year(const char *s)
{
	char *end;
	long y;

	while (wn_is_space((unsigned char)*s))
		s++;
	if (!isdigit((unsigned char)*s))
		return 0;
	y = strtol(s, &end, 10);
	while (wn_is_space((unsigned char)*end))
		end++;
	return *end == '\0' && y > 0 && y <= 9999 ? (int)y : 0;
}

static const char *block_get(const struct wos_block *b, const char *tag)
{
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->v[i].tag, tag) == 0 && !wn_blank(wn_buf_str(&b->v[i].value)))
			return wn_buf_str(&b->v[i].value);
	return NULL;
}

/* Fill rec from a record's pairs. */
static void block_to_record(const struct wos_block *b, struct wn_record *rec,
			    const char **dialect)
{
	const char *pt = block_get(b, "PT"), *dt = block_get(b, "DT");
	const char *py = block_get(b, "PY"), *pd = block_get(b, "PD");
	const char *bp = block_get(b, "BP"), *ep = block_get(b, "EP");
	const char *ar = block_get(b, "AR"), *ps = block_get(b, "PS");
	const char *ut = block_get(b, "UT");
	const char *this_dialect = ut ? wos_dialect(ut) : NULL;
	int medline = this_dialect && strcmp(this_dialect, "medline") == 0;
	int have_af = block_get(b, "AF") != NULL, have_au = block_get(b, "AU") != NULL;
	int have_ji = block_get(b, "JI") != NULL, have_bf = block_get(b, "BF") != NULL;
	const char *type = NULL;

	if (this_dialect && !*dialect)
		*dialect = this_dialect;
	for (size_t i = 0; i < b->n; i++) {
		const char *tag = b->v[i].tag, *value = wn_buf_str(&b->v[i].value);
		const struct wos_tag *t = wos_tag_find(tag);
		enum wos_map map = t ? t->map : M_EXTRA;

		if (wn_blank(value))
			continue;
		switch (map) {
		case M_TITLE:
			if (!rec->title)
				wn_record_set(&rec->title, value);
			else
				wn_record_add_extra(rec, tag, value);
			break;
		case M_ABSTRACT:
			wn_field_append(&rec->abstract, "\n", value);
			break;
		case M_JOURNAL:
			if (!rec->journal)
				wn_record_set(&rec->journal, value);
			else
				wn_record_add_extra(rec, tag, value);
			break;
		case M_JI:
			if (!rec->journal_abbrev)
				wn_record_set(&rec->journal_abbrev, value);
			else
				wn_record_add_extra(rec, tag, value);
			break;
		case M_J9:
			/* the ISO abbreviation (JI) is the one others use */
			if (!have_ji && !rec->journal_abbrev)
				wn_record_set(&rec->journal_abbrev, value);
			else
				wn_record_add_extra(rec, tag, value);
			break;
		case M_LANGUAGE:
			if (!rec->language)
				wn_record_set(&rec->language, value);
			else
				wn_record_add_extra(rec, tag, value);
			break;
		case M_KEYWORDS:
			add_split(&rec->keywords, value);
			break;
		case M_KEYWORDS_PLUS:
			/* MEDLINE through WoS puts the author keywords in ID */
			if (medline)
				add_split(&rec->keywords, value);
			else
				wn_record_add_extra(rec, "keywords-plus", value);
			break;
		case M_ISSN:
			wn_record_set_issn_or_isbn(rec, tag, value);
			break;
		case M_EISSN: {
			char *issn = rec->issn ? NULL : wn_normalize_issn(value);

			if (issn)
				rec->issn = issn;
			else
				wn_record_add_extra(rec, tag, value);
			break;
		}
		case M_ISBN:
			if (!rec->isbn)
				wn_record_set(&rec->isbn, value);
			else
				wn_record_add_extra(rec, tag, value);
			break;
		case M_VOLUME:
			if (!rec->volume)
				wn_record_set(&rec->volume, value);
			else
				wn_record_add_extra(rec, tag, value);
			break;
		case M_ISSUE:
			if (!rec->issue)
				wn_record_set(&rec->issue, value);
			else
				wn_record_add_extra(rec, tag, value);
			break;
		case M_DOI:
			if (!rec->doi)
				wn_record_set(&rec->doi, value);
			else
				wn_record_add_extra(rec, tag, value);
			break;
		case M_PMID:
			if (!rec->pmid)
				wn_record_set(&rec->pmid, value);
			else
				wn_record_add_extra(rec, tag, value);
			break;
		case M_UT:
			if (!rec->source_id)
				wn_record_set(&rec->source_id, value);
			else
				wn_record_add_extra(rec, tag, value);
			break;
		case M_URL:
			if (!rec->url)
				wn_record_set(&rec->url, value);
			else
				wn_record_add_extra(rec, tag, value);
			break;
		case M_PUBLISHER:
			if (!rec->publisher)
				wn_record_set(&rec->publisher, value);
			else
				wn_record_add_extra(rec, tag, value);
			break;
		case M_AUTHOR_FULL:
			add_authors(rec, value);
			break;
		case M_AUTHOR_SHORT:
			/* the full names (AF) are the authors when there are any */
			if (have_af)
				wn_record_add_extra(rec, tag, value);
			else
				add_authors(rec, value);
			break;
		case M_BOOK_FULL:
			/* book authors stand in for missing chapter authors */
			if (have_af || have_au)
				wn_record_add_extra(rec, tag, value);
			else
				add_authors(rec, value);
			break;
		case M_BOOK_SHORT:
			if (have_af || have_au || have_bf)
				wn_record_add_extra(rec, tag, value);
			else
				add_authors(rec, value);
			break;
		case M_GROUP:
			add_split(&rec->authors, value);
			break;
		case M_HANDLED:
			if (strcmp(tag, "PT") == 0 || strcmp(tag, "DT") == 0 ||
			    strcmp(tag, "AR") == 0)
				wn_record_add_extra(rec, strcmp(tag, "AR") == 0 ? "article-number" : tag,
						    value);
			else if ((strcmp(tag, "PD") == 0 && value != pd) ||
				 (strcmp(tag, "PY") == 0 && value != py) ||
				 (strcmp(tag, "BP") == 0 && value != bp) ||
				 (strcmp(tag, "EP") == 0 && (value != ep || !bp)) ||
				 (strcmp(tag, "PS") == 0 && (value != ps || bp || ar)))
				wn_record_add_extra(rec, tag, value); /* not used for a field */
			break;
		case M_EXTRA:
			wn_record_add_extra(rec, tag, value);
			break;
		}
	}

	if (dt)
		type = doctype(dt);
	if (!type && pt)
		type = type_from_pt(pt, block_get(b, "CT") != NULL, bp != NULL);
	if (type)
		wn_record_set(&rec->type, type);

	/* PY is the year; PD the rest of the date ("DEC", "APR 1"), or the
	 * whole date in some databases ("Aug 1 2019") */
	if (py)
		rec->year = clean_year(py);
	if (pd && has_year(pd))
		wn_record_set(&rec->date, pd);
	else if (pd && py)
		rec->date = xasprintf("%s %s", py, pd);
	else if (pd)
		wn_record_set(&rec->date, pd);
	else if (py && !rec->year)
		wn_record_set(&rec->date, py);

	if (bp && ep)
		rec->pages = xasprintf("%s-%s", bp, ep);
	else if (bp)
		wn_record_set(&rec->pages, bp);
	else if (ar)
		wn_record_set(&rec->pages, ar);
	else if (ps)
		wn_record_set(&rec->pages, ps);

	if (!rec->pmid && medline && ut)
		wn_record_set(&rec->pmid, ut + strlen("MEDLINE:"));
}

/* Trim and hand on a record's text; emit clears rec. */
static int block_emit(struct wn_parser *p, struct wos_block *b, struct wn_record *rec)
{
	int rc;

	block_to_record(b, rec, &p->dialect);
	rec->line = b->line;
	rec->raw_len = b->raw.len;
	rec->raw = wn_buf_detach(&b->raw);
	rc = wn_parser_emit(p, rec);
	block_reset(b);
	return rc;
}

/* ---- tagged plain text ---- */

static int is_tag_line(const char *s, size_t len)
{
	return len >= 2 && isupper((unsigned char)s[0]) &&
	       (isupper((unsigned char)s[1]) || isdigit((unsigned char)s[1])) &&
	       (len == 2 || s[2] == ' ' || s[2] == '\t');
}

/* Does a C1 continuation line start a new address? */
static int c1_new_item(const struct wn_buf *prev)
{
	size_t n = prev->len;

	while (n && wn_is_space((unsigned char)prev->data[n - 1]))
		n--;
	return n == 0 || prev->data[n - 1] == '.';
}

struct wos_state {
	struct wn_parser *p;
	struct wos_block b;
	struct wn_record rec;
	int in_record;
	int list;       /* the open tag is a list */
	char tag[3];    /* the open tag, "" when none */
};

static int add_raw(struct wos_state *s, long lineno, const char *line, size_t len)
{
	struct wos_block *b = &s->b;

	if (b->cut)
		return 0;
	if (b->bytes + len > WOS_MAX_RECORD) {
		b->cut = 1;
		return wn_parser_warn(s->p, lineno,
				      "record from line %ld is larger than %u MiB; the rest "
				      "of it is skipped",
				      b->line, WOS_MAX_RECORD >> 20);
	}
	b->bytes += len + 1;
	if (b->raw.len)
		wn_buf_addc(&b->raw, '\n');
	wn_buf_add(&b->raw, line, len);
	return 0;
}

static void add_continuation(struct wos_state *s, const char *text, size_t len)
{
	struct wos_block *b = &s->b;
	struct wos_pair *last = b->n ? &b->v[b->n - 1] : NULL;

	while (len && wn_is_space((unsigned char)*text))
		text++, len--;
	while (len && wn_is_space((unsigned char)text[len - 1]))
		len--;
	if (!len)
		return;
	if (!last || strcmp(last->tag, s->tag) != 0 ||
	    (s->list && (strcmp(s->tag, "C1") != 0 || c1_new_item(&last->value)))) {
		block_add(b, s->tag, text, len);
	} else {
		if (last->value.len)
			wn_buf_addc(&last->value, ' ');
		wn_buf_add(&last->value, text, len);
	}
}

static int start_record(struct wos_state *s, long lineno)
{
	block_reset(&s->b);
	s->b.line = lineno;
	s->in_record = 1;
	s->tag[0] = '\0';
	return 0;
}

static int end_record(struct wos_state *s)
{
	s->in_record = 0;
	s->tag[0] = '\0';
	return block_emit(s->p, &s->b, &s->rec);
}

int wn_parse_wos(struct wn_parser *p)
{
	struct wos_state s;
	const char *line;
	size_t len;
	int rc = 0, r, header = 0, ended = 0;
	long lineno = 0;

	memset(&s, 0, sizeof(s));
	s.p = p;
	wn_record_init(&s.rec);
	while ((r = wn_input_getline(p->in, &line, &len)) > 0) {
		lineno = wn_input_lineno(p->in);
		if (ended) {
			if (!wn_blank(line)) {
				rc = wn_parser_warn(p, lineno, "text after EF (end of file) ignored");
				if (rc)
					goto out;
				break;
			}
			continue;
		}
		if (is_tag_line(line, len)) {
			char tag[3] = { line[0], line[1], '\0' };
			const char *value = len > 3 ? line + 3 : "";
			size_t vlen = len > 3 ? len - 3 : 0;

			if (strcmp(tag, "EF") == 0 && !s.in_record) {
				ended = 1;
				continue;
			}
			if (!s.in_record && (strcmp(tag, "FN") == 0 || strcmp(tag, "VR") == 0)) {
				header = 1;
				continue;
			}
			if (strcmp(tag, "ER") == 0) {
				if (!s.in_record) {
					rc = wn_parser_warn(p, lineno, "ER without a record");
					if (rc)
						goto out;
					continue;
				}
				if ((rc = add_raw(&s, lineno, line, len)) != 0)
					goto out;
				if ((rc = end_record(&s)) != 0)
					goto out;
				continue;
			}
			if (strcmp(tag, "PT") == 0 && s.in_record) {
				rc = wn_parser_warn(p, lineno,
						    "record from line %ld has no ER before this PT",
						    s.b.line);
				if (rc || (rc = end_record(&s)) != 0)
					goto out;
			}
			if (strcmp(tag, "EF") == 0) {
				rc = wn_parser_warn(p, lineno,
						    "record from line %ld has no ER before EF",
						    s.b.line);
				if (rc || (rc = end_record(&s)) != 0)
					goto out;
				ended = 1;
				continue;
			}
			if (!s.in_record) {
				if (strcmp(tag, "PT") != 0) {
					rc = wn_parser_warn(p, lineno,
							    "record starts with %s, not PT", tag);
					if (rc)
						goto out;
				}
				start_record(&s, lineno);
			}
			if ((rc = add_raw(&s, lineno, line, len)) != 0)
				goto out;
			if (s.b.cut)
				continue;
			{
				const struct wos_tag *t = wos_tag_find(tag);

				memcpy(s.tag, tag, 3);
				s.list = t && t->list;
			}
			while (vlen && wn_is_space((unsigned char)value[vlen - 1]))
				vlen--;
			while (vlen && wn_is_space((unsigned char)*value))
				value++, vlen--;
			block_add(&s.b, tag, value, vlen);
			continue;
		}
		if (wn_blank(line))
			continue;
		if (!s.in_record) {
			/* the header's own continuation, or junk between records */
			if (header && s.b.n == 0 && p->records == 0 && wn_is_space((unsigned char)*line))
				continue;
			rc = wn_parser_warn(p, lineno, "text outside a record ignored: '%.40s'", line);
			if (rc)
				goto out;
			continue;
		}
		if ((rc = add_raw(&s, lineno, line, len)) != 0)
			goto out;
		if (s.b.cut)
			continue;
		if (!wn_is_space((unsigned char)*line)) {
			rc = wn_parser_warn(p, lineno, "line is neither a tag nor indented; read "
						       "as a continuation of %s",
					    s.tag[0] ? s.tag : "the record");
			if (rc)
				goto out;
		}
		if (!s.tag[0])
			continue;
		add_continuation(&s, line, len);
	}
	if (r < 0) {
		rc = r;
		goto out;
	}
	if (s.in_record) {
		rc = wn_parser_warn(p, lineno, "record from line %ld has no ER at the end of the file",
				    s.b.line);
		if (rc || (rc = end_record(&s)) != 0)
			goto out;
	}
	if (!header && p->records == 0)
		rc = wn_error_set(WN_EINVALID,
				  "%s:%ld: not Web of Science tagged text (no FN header, no PT "
				  "record)",
				  wn_input_name(p->in), lineno ? lineno : 1L);
out:
	block_release(&s.b);
	wn_record_clear(&s.rec);
	return rc;
}

int wn_sniff_wos(const char *head, size_t len)
{
	const char *end = head + len;

	if (len >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0)
		head += 3;
	while (head < end && wn_is_space((unsigned char)*head))
		head++;
	if (end - head >= 3 && memcmp(head, "FN ", 3) == 0) {
		if (strstr(head, "Web of Science") || strstr(head, "\nVR ") ||
		    strstr(head, "\nPT "))
			return 100;
		return 60;
	}
	/* a file cut from an export: records without the header */
	if (end - head >= 5 && memcmp(head, "PT ", 3) == 0 && head[3] != ' ' &&
	    head[3] != '-' && (head[4] == '\n' || head[4] == '\r') &&
	    (strstr(head, "\nER\n") || strstr(head, "\nER\r") || strstr(head, "\nUT ")))
		return 70;
	return 0;
}

/* ---- tab-delimited ---- */

int wn_parse_wos_tab(struct wn_parser *p)
{
	struct wos_block b;
	struct wn_record rec;
	char (*cols)[3] = NULL;
	size_t ncols = 0;
	const char *line;
	size_t len;
	int rc = 0, r;

	memset(&b, 0, sizeof(b));
	wn_record_init(&rec);
	r = wn_input_getline(p->in, &line, &len);
	if (r < 0)
		return r;
	/* the header: two-letter tags, usually with a trailing tab */
	for (const char *s = line; r > 0;) {
		const char *e = strchr(s, '\t');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		char *cell = xstrndup(s, n), *t = wn_trim(cell);

		if (*t || e) {
			cols = xrealloc(cols, (ncols + 1) * sizeof(*cols));
			cols[ncols][0] = cols[ncols][1] = cols[ncols][2] = '\0';
			if (strlen(t) == 2)
				memcpy(cols[ncols], t, 3);
			ncols++;
		}
		free(cell);
		if (!e)
			break;
		s = e + 1;
	}
	while (ncols && !cols[ncols - 1][0])
		ncols--;
	if (r == 0 || ncols == 0 || strcmp(cols[0], "PT") != 0) {
		free(cols);
		return wn_error_set(WN_EINVALID,
				    "%s:1: not a Web of Science tab-delimited export (the "
				    "header row does not start with PT)",
				    wn_input_name(p->in));
	}

	while ((r = wn_input_getline(p->in, &line, &len)) > 0) {
		long lineno = wn_input_lineno(p->in);
		size_t col = 0, extra_cells = 0;
		const char *s = line;

		if (wn_blank(line))
			continue;
		b.line = lineno;
		if (len > WOS_MAX_RECORD) {
			rc = wn_parser_warn(p, lineno, "row is larger than %u MiB; cut",
					    WOS_MAX_RECORD >> 20);
			if (rc)
				break;
			len = WOS_MAX_RECORD;
		}
		wn_buf_add(&b.raw, line, len);
		for (;;) {
			const char *e = memchr(s, '\t', (size_t)(line + len - s));
			size_t n = e ? (size_t)(e - s) : (size_t)(line + len - s);

			if (col < ncols) {
				if (cols[col][0])
					block_add(&b, cols[col], s, n);
			} else if (n) {
				/* a cell past the header (not the trailing tab) */
				char *cell = xstrndup(s, n);

				if (!wn_blank(cell)) {
					wn_record_add_extra(&rec, "unnamed-column", cell);
					extra_cells++;
				}
				free(cell);
			}
			col++;
			if (!e)
				break;
			s = e + 1;
		}
		if (extra_cells)
			rc = wn_parser_warn(p, lineno, "row has %zu more cells than the header",
					    extra_cells);
		else if (col < ncols)
			rc = wn_parser_warn(p, lineno, "row has %zu cells, the header %zu", col,
					    ncols);
		if (rc)
			break;
		if ((rc = block_emit(p, &b, &rec)) != 0)
			break;
	}
	if (r < 0 && !rc)
		rc = r;
	free(cols);
	block_release(&b);
	wn_record_clear(&rec);
	return rc;
}

int wn_sniff_wos_tab(const char *head, size_t len)
{
	const char *end, *nl;

	if (len >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0)
		head += 3, len -= 3;
	if (len < 3 || memcmp(head, "PT\t", 3) != 0)
		return 0;
	nl = memchr(head, '\n', len);
	end = memchr(head, '\r', len);
	if (!end || (nl && nl < end))
		end = nl;
	if (!end)
		end = head + len;
	for (const char *s = head; s + 4 <= end; s++)
		if (s[0] == '\t' && s[3] == '\t' &&
		    ((s[1] == 'A' && s[2] == 'U') || (s[1] == 'T' && s[2] == 'I')))
			return 100;
	return 0;
}
