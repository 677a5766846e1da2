/*
 * PubMed's MEDLINE display format (.nbib, EFetch rettype=medline).
 *
 * Not RIS, though it looks like it: the tag takes four columns ("PMID",
 * "TI  ", "FAU "), then "- "; values continue on lines indented by six
 * spaces; records are separated by blank lines and have no end tag. IS is
 * the ISSN here (the issue is IP), and the DOI hides in LID/AID values
 * suffixed "[doi]".
 */
#include "formats_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define NBIB_MAX_RECORD (16u << 20)

/* "TAG - value" with the tag in columns 1-4: *tag gets the tag (without
 * padding), *value the value. */
static int nbib_tag_line(const char *s, size_t len, char tag[5], const char **value)
{
	size_t n = 0;

	if (len < 5 || s[4] != '-' || (len > 5 && s[5] != ' '))
		return 0;
	while (n < 4 && isupper((unsigned char)s[n]))
		n++;
	if (n < 2)
		return 0;
	for (size_t i = n; i < 4; i++)
		if (s[i] != ' ')
			return 0;
	memcpy(tag, s, n);
	tag[n] = '\0';
	*value = len > 5 ? s + 6 : s + 5;
	return 1;
}

int wn_sniff_nbib(const char *head, size_t len)
{
	const char *p = head, *end = head + len;

	/* the first non-blank line is "PMID- " */
	while (p < end && wn_is_space((unsigned char)*p))
		p++;
	if (end - p >= 6 && !strncmp(p, "PMID- ", 6))
		return 95;
	return 0;
}

struct nbib_field {
	char tag[5];
	struct wn_buf value; /* continuation lines are appended: linear */
};

struct nbib_record {
	struct nbib_field *fields;
	size_t n, cap;
	struct wn_buf raw;
	long line;
	int cut;
};

static void nbib_reset(struct nbib_record *r)
{
	for (size_t i = 0; i < r->n; i++)
		wn_buf_release(&r->fields[i].value);
	r->n = 0;
	wn_buf_reset(&r->raw);
	r->line = 0;
	r->cut = 0;
}

static void nbib_add(struct nbib_record *r, const char *tag, const char *value)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->fields = xrealloc(r->fields, r->cap * sizeof(*r->fields));
	}
	snprintf(r->fields[r->n].tag, sizeof(r->fields[r->n].tag), "%s", tag);
	r->fields[r->n].value = (struct wn_buf)WN_BUF_INIT;
	wn_buf_adds(&r->fields[r->n].value, value);
	r->n++;
}

/* "10.1002/jrsm.1374 [doi]" -> the identifier when the suffix is `kind`. */
static char *id_of_kind(const char *v, const char *kind)
{
	const char *br = strrchr(v, '[');
	size_t klen = strlen(kind);

	if (!br || strncasecmp(br + 1, kind, klen) != 0 || br[1 + klen] != ']')
		return NULL;
	return xstrndup(v, (size_t)(br - v));
}

static void map_nbib(const struct nbib_record *r, struct wn_record *rec)
{
	int have_fau = 0;

	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->fields[i].tag, "FAU"))
			have_fau = 1;
	for (size_t i = 0; i < r->n; i++) {
		const char *t = r->fields[i].tag, *v = wn_buf_str(&r->fields[i].value);
		char *id;

		if (!*v)
			continue;
		if (!strcmp(t, "PMID")) {
			if (!rec->pmid) {
				rec->pmid = xstrdup(v);
				rec->source_id = xstrdup(v);
			} else {
				wn_record_add_extra(rec, t, v);
			}
		} else if (!strcmp(t, "TI") && !rec->title) {
			rec->title = xstrdup(v);
		} else if (!strcmp(t, "AB") && !rec->abstract) {
			rec->abstract = xstrdup(v);
		} else if ((!strcmp(t, "FAU") && have_fau) || (!strcmp(t, "AU") && !have_fau) ||
			   !strcmp(t, "CN")) {
			wn_strlist_add(&rec->authors, v);
		} else if (!strcmp(t, "DP") && !rec->date) {
			rec->date = xstrdup(v);
		} else if (!strcmp(t, "VI") && !rec->volume) {
			rec->volume = xstrdup(v);
		} else if (!strcmp(t, "IP") && !rec->issue) {
			rec->issue = xstrdup(v);
		} else if (!strcmp(t, "PG") && !rec->pages) {
			rec->pages = xstrdup(v);
		} else if (!strcmp(t, "IS") && !rec->issn) {
			rec->issn = xstrdup(v); /* the first of print/electronic/linking */
		} else if ((!strcmp(t, "LID") || !strcmp(t, "AID")) && !rec->doi &&
			   (id = id_of_kind(v, "doi")) != NULL) {
			rec->doi = id;
		} else if (!strcmp(t, "LA") && !rec->language) {
			rec->language = xstrdup(v);
		} else if (!strcmp(t, "PT")) {
			wn_strlist_add(&rec->pubtypes, v);
		} else if (!strcmp(t, "MH")) {
			wn_strlist_add(&rec->mesh, v);
		} else if (!strcmp(t, "OT")) {
			wn_strlist_add(&rec->keywords, v);
		} else if (!strcmp(t, "JT") && !rec->journal) {
			rec->journal = xstrdup(v);
		} else if (!strcmp(t, "TA") && !rec->journal_abbrev) {
			rec->journal_abbrev = xstrdup(v);
		} else if (!strcmp(t, "PMC") && !rec->pmcid) {
			rec->pmcid = xstrdup(v);
		} else if (!strcmp(t, "PB") && !rec->publisher) {
			rec->publisher = xstrdup(v);
		} else if (!strcmp(t, "ISBN") && !rec->isbn) {
			rec->isbn = xstrdup(v);
		} else {
			wn_record_add_extra(rec, t, v);
		}
	}
	if (!rec->journal && rec->journal_abbrev)
		rec->journal = xstrdup(rec->journal_abbrev);
	rec->type = xstrdup(wn_type_from_pubtypes(&rec->pubtypes, "journal-article"));
}

static int nbib_emit(struct wn_parser *p, struct nbib_record *r)
{
	struct wn_record rec;

	if (r->n == 0) {
		nbib_reset(r);
		return 0;
	}
	wn_record_init(&rec);
	map_nbib(r, &rec);
	rec.line = r->line;
	rec.raw_len = r->raw.len;
	rec.raw = wn_buf_detach(&r->raw);
	nbib_reset(r);
	return wn_parser_emit(p, &rec);
}

int wn_parse_nbib(struct wn_parser *p)
{
	struct nbib_record r = { 0 };
	const char *line;
	size_t len;
	int rc = 0, got;

	p->dialect = "pubmed";
	while ((got = wn_input_getline(p->in, &line, &len)) > 0) {
		long lineno = wn_input_lineno(p->in);
		const char *value;
		char tag[5];

		if (wn_blank(line)) {
			/* a blank line ends the record */
			if (r.n && (rc = nbib_emit(p, &r)) != 0)
				break;
			continue;
		}
		if (nbib_tag_line(line, len, tag, &value)) {
			if (!strcmp(tag, "PMID") && r.n) {
				/* no blank line between records */
				if ((rc = nbib_emit(p, &r)) != 0)
					break;
			}
			if (r.n == 0) {
				r.line = lineno;
				if (strcmp(tag, "PMID") != 0 &&
				    (rc = wn_parser_warn(p, lineno, "record starts with %s, "
							 "not PMID", tag)) != 0)
					break;
			}
			if (r.cut)
				continue;
			if (r.raw.len + len > NBIB_MAX_RECORD) {
				r.cut = 1;
				if ((rc = wn_parser_warn(p, lineno, "record starting at line %ld "
							 "is too large; the rest of it is "
							 "ignored", r.line)) != 0)
					break;
				continue;
			}
			if (r.raw.len)
				wn_buf_addc(&r.raw, '\n');
			wn_buf_add(&r.raw, line, len);
			nbib_add(&r, tag, value);
			continue;
		}
		if (r.n == 0) {
			if ((rc = wn_parser_warn(p, lineno, "text outside a record ignored")) != 0)
				break;
			continue;
		}
		if (r.cut)
			continue;
		if (wn_is_space((unsigned char)line[0])) {
			const char *text = line, *end = line + len;

			wn_buf_addc(&r.raw, '\n');
			wn_buf_add(&r.raw, line, len);
			while (text < end && wn_is_space((unsigned char)*text))
				text++;
			while (end > text && wn_is_space((unsigned char)end[-1]))
				end--;
			wn_buf_addc(&r.fields[r.n - 1].value, ' ');
			wn_buf_add(&r.fields[r.n - 1].value, text, (size_t)(end - text));
		} else if ((rc = wn_parser_warn(p, lineno, "line is neither a tag nor a "
						"continuation; ignored")) != 0) {
			break;
		}
	}
	if (got < 0)
		rc = got;
	if (!rc && r.n)
		rc = nbib_emit(p, &r);
	nbib_reset(&r);
	free(r.fields);
	wn_buf_release(&r.raw);
	return rc;
}
