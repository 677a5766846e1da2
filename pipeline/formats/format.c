/*
 * The format registry: which formats exist, telling them apart, running a
 * parser, and the one place where every parser's records are normalised.
 */
#include "formats_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#endif

/* Detection asks every format and takes the surest; the order breaks ties
 * (the more specific formats first). */
static const struct wn_format_info formats[] = {
	{ "pubmed-xml", "PubMed XML (PubmedArticleSet), as saved from PubMed or EFetch",
	  wn_parse_pubmed_xml, wn_sniff_pubmed_xml },
	{ "endnote-xml", "EndNote XML export", wn_parse_endnote_xml, wn_sniff_endnote_xml },
	{ "europepmc-xml", "Europe PMC REST search response (XML)", wn_parse_europepmc_xml,
	  wn_sniff_europepmc_xml },
	{ "crossref-xml", "Crossref unixsd/unixref XML", wn_parse_crossref_xml,
	  wn_sniff_crossref_xml },
	{ "arxiv-atom", "arXiv API Atom feed", wn_parse_arxiv_atom, wn_sniff_arxiv_atom },
	{ "nbib", "PubMed MEDLINE/nbib text (PMID- ...)", wn_parse_nbib, wn_sniff_nbib },
	{ "wos", "Web of Science tagged plain text (FN/VR/PT ... ER/EF)", wn_parse_wos,
	  wn_sniff_wos },
	{ "wos-tab", "Web of Science tab-delimited export", wn_parse_wos_tab,
	  wn_sniff_wos_tab },
	{ "ris", "RIS (Scopus, Web of Science, Ovid, EBSCO, EndNote, Zotero, PubMed)",
	  wn_parse_ris, wn_sniff_ris },
	{ "bibtex", "BibTeX (.bib)", wn_parse_bibtex, wn_sniff_bibtex },
	{ "csv", "CSV with a header row (title, authors, year, doi, ...)", wn_parse_csv,
	  wn_sniff_csv },
};

#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

const struct wn_format_info *wn_formats(size_t *n)
{
	*n = NFORMATS;
	return formats;
}

const struct wn_format_info *wn_format_find(const char *name)
{
	for (size_t i = 0; i < NFORMATS; i++)
		if (strcmp(formats[i].name, name) == 0)
			return &formats[i];
	return NULL;
}

#define SNIFF_BYTES 65536

const struct wn_format_info *wn_format_detect(struct wn_input *in)
{
	char *head = xmalloc(SNIFF_BYTES + 1);
	size_t len = 0;
	const struct wn_format_info *best = NULL;
	int best_score = 0;
	ssize_t n;

	while (len < SNIFF_BYTES &&
	       (n = wn_input_read(in, head + len, SNIFF_BYTES - len)) > 0)
		len += (size_t)n;
	head[len] = '\0';
	if (n < 0 || wn_input_rewind(in) != WN_OK) {
		free(head);
		return NULL;
	}
	for (size_t i = 0; i < NFORMATS; i++) {
		int score = formats[i].sniff(head, len);

		if (score > best_score) {
			best_score = score;
			best = &formats[i];
		}
	}
	free(head);
	if (!best) {
		if (len == 0)
			wn_error_set(WN_EINVALID, "'%s' is empty", wn_input_name(in));
		else
			wn_error_set(WN_EINVALID,
				     "cannot tell the format of '%s'; name it with --format "
				     "(see 'winnow import --help')",
				     wn_input_name(in));
	}
	return best;
}

int wn_format_parse(const struct wn_format_info *fmt, struct wn_parser *p)
{
	int rc = wn_input_rewind(p->in);

	if (rc)
		return rc;
	p->format = fmt;
	p->records = 0;
	p->warnings = 0;
	return fmt->parse(p);
}

int wn_parser_warn(struct wn_parser *p, long line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p->warnings++;
	return p->warning ? p->warning(p->ctx, line, msg) : 0;
}

/* How much of s (n bytes) squeeze() leaves as it is: words with one space
 * between them, up to the first white space that is not that. */
static size_t squeezed_prefix(const char *s, size_t n)
{
	size_t i = 0;

	if (!n || wn_is_space((unsigned char)s[0]))
		return 0;
#if defined(__SSE2__) && defined(__GNUC__)
	/* 16 bytes a step (the last few in a copy padded with NULs); a
	 * control character stops it early, which is safe: squeeze then
	 * goes on a byte at a time */
	for (; i < n; i += 16) {
		char pad[32] = { 0 };
		const char *p = s + i;
		unsigned valid = 0xffffu, low, next, sp, prev, bad;
		__m128i v, w;

		if (n - i < 17) {
			memcpy(pad, p, n - i);
			p = pad;
			if (n - i < 16)
				valid = (1u << (n - i)) - 1;
		}
		v = _mm_loadu_si128((const __m128i *)(const void *)p);
		w = _mm_loadu_si128((const __m128i *)(const void *)(p + 1));
		low = (unsigned)_mm_movemask_epi8(
			_mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(' ')), v));
		next = (unsigned)_mm_movemask_epi8(
			_mm_cmpeq_epi8(_mm_min_epu8(w, _mm_set1_epi8(' ')), w));
		sp = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')));
		prev = (low << 1) | (i && (unsigned char)s[i - 1] <= ' ');
		bad = low & ~(sp & ~prev & ~next) & valid;
		if (bad)
			return i + (size_t)__builtin_ctz(bad);
	}
	return n;
#else
	for (; i < n; i++) {
		if (!wn_is_space((unsigned char)s[i]))
			continue;
		if (s[i] != ' ' || !i || wn_is_space((unsigned char)s[i - 1]) || i + 1 == n ||
		    wn_is_space((unsigned char)s[i + 1]))
			return i;
	}
	return n;
#endif
}

/* Collapse every run of whitespace (line breaks included) into one space
 * and trim; NULL when nothing is left. */
static void squeeze(char **field)
{
	char *s = *field, *w, *r;
	int space = 0;
	size_t n;

	if (!s)
		return;
	/* most fields are clean: skip what needs no change */
	n = strlen(s);
	w = r = s + squeezed_prefix(s, n);
	if (r == s + n && n)
		return;
	for (; *r; r++) {
		if (wn_is_space((unsigned char)*r)) {
			space = w != s;
			continue;
		}
		if (space)
			*w++ = ' ';
		space = 0;
		*w++ = *r;
	}
	*w = '\0';
	if (w == s) {
		free(s);
		*field = NULL;
	}
}

/* Trim a multi-line field, keeping its inner line breaks. */
static void trim_block(char **field)
{
	char *s = *field, *t;

	if (!s)
		return;
	t = wn_trim(s);
	if (!*t) {
		free(s);
		*field = NULL;
		return;
	}
	if (t != s)
		memmove(s, t, strlen(t) + 1);
}

static void squeeze_list(struct wn_strlist *l)
{
	size_t w = 0;

	for (size_t i = 0; i < l->n; i++) {
		squeeze(&l->items[i]);
		if (l->items[i])
			l->items[w++] = l->items[i];
	}
	l->n = w;
}

/* Replace a field by its normal form; when there is none, keep what the
 * file said under `tag` in extra so nothing is lost. */
static void normalise_id(struct wn_record *rec, char **field, char *(*fn)(const char *),
			 const char *tag)
{
	char *norm;

	if (!*field)
		return;
	norm = fn(*field);
	if (!norm)
		wn_record_add_extra(rec, tag, *field);
	free(*field);
	*field = norm;
}

static void normalise(struct wn_record *rec)
{
	char **single[] = {
		&rec->source_id, &rec->type, &rec->title, &rec->date, &rec->journal,
		&rec->journal_abbrev, &rec->volume, &rec->issue, &rec->pages, &rec->doi,
		&rec->pmid, &rec->pmcid, &rec->issn, &rec->isbn, &rec->language,
		&rec->url, &rec->publisher,
	};

	for (size_t i = 0; i < sizeof(single) / sizeof(single[0]); i++)
		squeeze(single[i]);
	trim_block(&rec->abstract);
	squeeze_list(&rec->authors);
	squeeze_list(&rec->keywords);
	squeeze_list(&rec->mesh);
	squeeze_list(&rec->pubtypes);

	for (size_t i = 0; i < rec->nextra; i++) {
		char *v = rec->extra[i].value;
		char *t = wn_trim(v);

		if (t != v)
			memmove(v, t, strlen(t) + 1);
	}
	normalise_id(rec, &rec->doi, wn_normalize_doi, "doi-as-given");
	normalise_id(rec, &rec->pmid, wn_normalize_pmid, "pmid-as-given");
	normalise_id(rec, &rec->issn, wn_normalize_issn, "issn-as-given");
	if (rec->pmcid) {
		const char *s = rec->pmcid;

		if (strncasecmp(s, "PMC", 3) == 0)
			s += 3;
		if (*s && strspn(s, "0123456789") == strlen(s)) {
			char *v = xasprintf("PMC%s", s);

			free(rec->pmcid);
			rec->pmcid = v;
		}
	}
	if (rec->pages) {
		char *p = wn_expand_pages(rec->pages);

		free(rec->pages);
		rec->pages = p;
		squeeze(&rec->pages);
	}
	if (rec->year <= 0 || rec->year > 9999)
		rec->year = rec->date ? wn_year_from_date(rec->date) : 0;
}

/* What every record goes through before the sink sees it. */
static void finish_record(struct wn_record *rec, const struct wn_format_info *fmt, long position)
{
	normalise(rec);
	rec->position = position;
	if (!rec->raw_format && fmt)
		rec->raw_format = fmt->name;
}

/* Hand a finished record to the sink, and clear it. */
static int hand_over(struct wn_parser *p, struct wn_record *rec)
{
	int rc = p->record ? p->record(p->ctx, rec) : 0;

	wn_record_clear(rec);
	return rc;
}

int wn_parser_emit(struct wn_parser *p, struct wn_record *rec)
{
	finish_record(rec, p->format, ++p->records);
	return hand_over(p, rec);
}

void wn_record_job_build(struct wn_record_job *job, const struct wn_format_info *fmt,
			 struct wn_record *rec)
{
	wn_record_init(rec);
	job->build(job, rec);
	finish_record(rec, fmt, job->position);
}

int wn_parser_emit_job(struct wn_parser *p, struct wn_record_job *job)
{
	struct wn_record rec;

	job->position = ++p->records;
	if (p->job)
		return p->job(p->ctx, job);
	wn_record_job_build(job, p->format, &rec);
	job->release(job);
	return hand_over(p, &rec);
}

/* ---- shared helpers ---- */

void wn_field_append(char **field, const char *sep, const char *value)
{
	char *joined;

	if (!*field) {
		*field = xstrdup(value);
		return;
	}
	joined = wn_join(*field, sep, value);
	free(*field);
	*field = joined;
}

int wn_xml_root_name(const char *head, size_t len, char *name, size_t cap)
{
	const char *p = head, *end = head + len;

	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end) {
		while (p < end && wn_is_space((unsigned char)*p))
			p++;
		if (p >= end || *p != '<')
			return 0;
		if (end - p >= 2 && p[1] == '?') {
			const char *q = strstr(p, "?>");

			if (!q)
				return 0;
			p = q + 2;
		} else if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
			const char *q = strstr(p, "-->");

			if (!q)
				return 0;
			p = q + 3;
		} else if (end - p >= 2 && p[1] == '!') {
			int depth = 0;

			for (p++; p < end; p++) {
				if (*p == '[')
					depth++;
				else if (*p == ']')
					depth--;
				else if (*p == '>' && depth <= 0)
					break;
			}
			if (p >= end)
				return 0;
			p++;
		} else {
			const char *s = ++p, *colon = NULL;
			size_t n;

			while (p < end && (isalnum((unsigned char)*p) || *p == '_' ||
					   *p == '-' || *p == '.' || *p == ':')) {
				if (*p == ':')
					colon = p;
				p++;
			}
			if (colon)
				s = colon + 1;
			n = (size_t)(p - s);
			if (n == 0 || n >= cap)
				return 0;
			memcpy(name, s, n);
			name[n] = '\0';
			return 1;
		}
	}
	return 0;
}

int wn_looks_like_doi(const char *s)
{
	const char *p;

	if (!s)
		return 0;
	p = strstr(s, "10.");
	if (!p || (p > s && isalnum((unsigned char)p[-1]) && p[-1] != 'i' &&
		   p[-1] != 'I'))
		return 0;
	p += 3;
	if (!isdigit((unsigned char)*p))
		return 0;
	while (isdigit((unsigned char)*p) || *p == '.')
		p++;
	return *p == '/' && p[1] && !wn_is_space((unsigned char)p[1]);
}

const char *wn_type_from_pubtypes(const struct wn_strlist *pubtypes, const char *otherwise)
{
	/* in priority order: a notice about an article is that notice first */
	static const struct {
		const char *pubtype, *type;
	} map[] = {
		{ "Retraction of Publication", "retraction" },
		{ "Retraction Notice", "retraction" },
		{ "Published Erratum", "erratum" },
		{ "Expression of Concern", "comment" },
		{ "Preprint", "preprint" },
		{ "Letter", "letter" },
		{ "Comment", "comment" },
		{ "Editorial", "editorial" },
		{ "Systematic Review", "review" },
		{ "Review", "review" },
		{ "Meta-Analysis", "review" },
		{ "Congress", "conference-abstract" },
		{ "Meeting Abstract", "conference-abstract" },
		{ "Clinical Conference", "conference-abstract" },
		{ "Consensus Development Conference", "conference-abstract" },
	};

	for (size_t m = 0; m < sizeof(map) / sizeof(map[0]); m++)
		for (size_t i = 0; i < pubtypes->n; i++)
			if (tolower((unsigned char)pubtypes->items[i][0]) ==
				    tolower((unsigned char)map[m].pubtype[0]) &&
			    !strcasecmp(pubtypes->items[i], map[m].pubtype))
				return map[m].type;
	return otherwise;
}

void wn_record_set_issn_or_isbn(struct wn_record *rec, const char *tag, const char *value)
{
	size_t digits = 0;
	char *issn;

	for (const char *p = value; *p; p++)
		if (isdigit((unsigned char)*p) || *p == 'X' || *p == 'x')
			digits++;
	issn = digits <= 9 ? wn_normalize_issn(value) : NULL;
	if (issn) {
		if (!rec->issn)
			rec->issn = issn;
		else if (strcmp(rec->issn, issn) != 0) {
			wn_record_add_extra(rec, tag, value);
			free(issn);
		} else {
			free(issn);
		}
	} else if (digits == 10 || digits == 13) {
		if (!rec->isbn)
			rec->isbn = xstrdup(value);
		else
			wn_record_add_extra(rec, tag, value);
	} else {
		wn_record_add_extra(rec, tag, value);
	}
}

/* ---- writers ---- */

static const struct wn_writer_ops *writers[] = {
	&wn_writer_ris, &wn_writer_bibtex, &wn_writer_csv, &wn_writer_json,
};

int wn_writer_open(struct wn_writer **out, const char *format, FILE *fp)
{
	*out = NULL;
	for (size_t i = 0; i < sizeof(writers) / sizeof(writers[0]); i++) {
		if (strcmp(writers[i]->name, format) == 0) {
			struct wn_writer *w = xcalloc(1, sizeof(*w));
			int rc;

			w->ops = writers[i];
			w->fp = fp;
			rc = w->ops->begin ? w->ops->begin(w) : WN_OK;
			if (rc) {
				free(w);
				return rc;
			}
			*out = w;
			return WN_OK;
		}
	}
	return wn_error_set(WN_EINVALID, "no writer for format '%s' (ris, bibtex, csv, json)",
			    format);
}

int wn_writer_record(struct wn_writer *w, const struct wn_record *rec,
		     const struct wn_record_meta *meta)
{
	int rc = w->ops->record(w, rec, meta);

	if (rc == WN_OK)
		w->count++;
	if (rc == WN_OK && ferror(w->fp))
		rc = wn_error_set(WN_ERROR, "cannot write the export");
	return rc;
}

int wn_writer_close(struct wn_writer *w)
{
	int rc = WN_OK;

	if (!w)
		return WN_OK;
	if (w->ops->end)
		rc = w->ops->end(w);
	if (fflush(w->fp) != 0 || ferror(w->fp))
		rc = rc ? rc : wn_error_set(WN_ERROR, "cannot write the export");
	free(w);
	return rc;
}
