/*
 * CSV with a header row: reading (RFC 4180 through libcsv) and the CSV
 * export.
 *
 * Reading. The delimiter is taken from the header line: ',' unless ';'
 * or tab is clearly the one used there. Columns are matched by name,
 * ignoring case, spaces and punctuation ("Source title", "source_title",
 * "SOURCE TITLE" are one name); when several columns name the same field
 * the more specific wins ("Author full names" over "Authors", "Source
 * title" over "Source"). Every other column goes to extra under its header
 * name as written. The text is fed to libcsv one line at a time so that
 * each record knows the line its row starts on (embedded line breaks in
 * quoted cells count as lines).
 *
 * Recognised dialects: Scopus (EID), PubMed's CSV (PMID, Citation, First
 * Author), PubMed's legacy CSV (EntrezUID, Description = authors, Details =
 * the citation), ASReview screening sets (record_id, label_*), bib-dedupe /
 * CoLRev (ID, ENTRYTYPE: BibTeX's fields, where booktitle is the journal of
 * a conference paper or chapter that has none, as in the BibTeX reader).
 * Labels and other columns go to extra.
 *
 * A row with more cells than the header keeps the extra cells under
 * "column N"; empty cells after the last column (PubMed's trailing comma)
 * are not worth a warning. A row larger than 16 MiB (which in practice
 * means a quote that is never closed) stops the parse with an error.
 *
 * Writing: see the end of the file.
 */
#include "formats_int.h"

#include <csv.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define CSV_MAX_ROW (16u << 20)

enum csv_field {
	C_EXTRA,
	C_SOURCE_ID,
	C_TITLE,
	C_ABSTRACT,
	C_AUTHORS,
	C_YEAR,
	C_DATE,
	C_JOURNAL,
	C_BOOKTITLE, /* BibTeX's: the journal of a conference paper or chapter */
	C_JOURNAL_ABBREV,
	C_VOLUME,
	C_ISSUE,
	C_PAGES,
	C_PAGE_START,
	C_PAGE_END,
	C_ARTICLE_NUMBER,
	C_DOI,
	C_PMID,
	C_PMCID,
	C_ISSN,
	C_ISBN,
	C_LANGUAGE,
	C_KEYWORDS,
	C_TYPE,
	C_URL,
	C_PUBLISHER,
	C_CITATION, /* PubMed: "J Dent. 2019 Jul;30(5):1368-1375. doi: ..." */
	C_NFIELDS
};

/* Column names with all but letters and digits removed, lower case; the
 * lower rank wins when several columns name one field. */
static const struct {
	const char *name;
	enum csv_field field;
	int rank;
} csv_names[] = {
	{ "sourceid", C_SOURCE_ID, 0 }, /* winnow's own export */
	{ "id", C_SOURCE_ID, 1 },
	{ "recordid", C_SOURCE_ID, 1 },
	{ "accessionnumber", C_SOURCE_ID, 1 },
	{ "eid", C_SOURCE_ID, 1 },
	{ "key", C_SOURCE_ID, 2 },
	{ "ut", C_SOURCE_ID, 2 },
	{ "title", C_TITLE, 1 },
	{ "articletitle", C_TITLE, 1 },
	{ "documenttitle", C_TITLE, 1 },
	{ "primarytitle", C_TITLE, 2 },
	{ "ti", C_TITLE, 2 },
	{ "abstract", C_ABSTRACT, 1 },
	{ "abstractnote", C_ABSTRACT, 1 },
	{ "ab", C_ABSTRACT, 2 },
	{ "authorfullnames", C_AUTHORS, 0 },
	{ "authorfull", C_AUTHORS, 0 },
	{ "authors", C_AUTHORS, 1 },
	{ "author", C_AUTHORS, 1 },
	{ "af", C_AUTHORS, 1 },
	{ "au", C_AUTHORS, 2 },
	{ "year", C_YEAR, 1 },
	{ "publicationyear", C_YEAR, 1 },
	{ "pubyear", C_YEAR, 1 },
	{ "py", C_YEAR, 2 },
	{ "date", C_DATE, 1 },
	{ "publicationdate", C_DATE, 1 },
	{ "journal", C_JOURNAL, 1 },
	{ "journaltitle", C_JOURNAL, 1 },
	{ "journalname", C_JOURNAL, 1 },
	{ "sourcetitle", C_JOURNAL, 1 },
	{ "publicationtitle", C_JOURNAL, 1 },
	{ "journalbook", C_JOURNAL, 1 },
	{ "secondarytitle", C_JOURNAL, 2 },
	{ "containertitle", C_JOURNAL, 2 },
	{ "so", C_JOURNAL, 2 },
	{ "source", C_JOURNAL, 3 },
	{ "booktitle", C_BOOKTITLE, 1 },
	{ "abbreviatedsourcetitle", C_JOURNAL_ABBREV, 1 },
	{ "journalabbreviation", C_JOURNAL_ABBREV, 1 },
	{ "journalabbrev", C_JOURNAL_ABBREV, 1 },
	{ "ji", C_JOURNAL_ABBREV, 2 },
	{ "j9", C_JOURNAL_ABBREV, 3 },
	{ "volume", C_VOLUME, 1 },
	{ "vol", C_VOLUME, 2 },
	{ "vl", C_VOLUME, 2 },
	{ "issue", C_ISSUE, 1 },
	{ "number", C_ISSUE, 2 },
	{ "is", C_ISSUE, 2 },
	{ "pages", C_PAGES, 1 },
	{ "page", C_PAGES, 2 },
	{ "pagestart", C_PAGE_START, 1 },
	{ "startpage", C_PAGE_START, 1 },
	{ "firstpage", C_PAGE_START, 1 },
	{ "bp", C_PAGE_START, 2 },
	{ "pageend", C_PAGE_END, 1 },
	{ "endpage", C_PAGE_END, 1 },
	{ "lastpage", C_PAGE_END, 1 },
	{ "ep", C_PAGE_END, 2 },
	{ "artno", C_ARTICLE_NUMBER, 1 },
	{ "articlenumber", C_ARTICLE_NUMBER, 1 },
	{ "ar", C_ARTICLE_NUMBER, 2 },
	{ "doi", C_DOI, 1 },
	{ "doilink", C_DOI, 2 },
	{ "di", C_DOI, 2 },
	{ "pmid", C_PMID, 1 },
	{ "pubmedid", C_PMID, 1 },
	{ "entrezuid", C_PMID, 2 },
	{ "pm", C_PMID, 2 },
	{ "pmcid", C_PMCID, 1 },
	{ "pmc", C_PMCID, 2 },
	{ "issn", C_ISSN, 1 },
	{ "sn", C_ISSN, 2 },
	{ "isbn", C_ISBN, 1 },
	{ "bn", C_ISBN, 2 },
	{ "language", C_LANGUAGE, 1 },
	{ "languageoforiginaldocument", C_LANGUAGE, 1 },
	{ "lang", C_LANGUAGE, 2 },
	{ "la", C_LANGUAGE, 2 },
	{ "keywords", C_KEYWORDS, 1 },
	{ "authorkeywords", C_KEYWORDS, 1 },
	{ "keyword", C_KEYWORDS, 1 },
	{ "de", C_KEYWORDS, 2 },
	{ "documenttype", C_TYPE, 1 },
	{ "entrytype", C_TYPE, 1 },
	{ "publicationtype", C_TYPE, 1 },
	{ "itemtype", C_TYPE, 1 },
	{ "referencetype", C_TYPE, 1 },
	{ "type", C_TYPE, 2 },
	{ "dt", C_TYPE, 2 },
	{ "url", C_URL, 1 },
	{ "link", C_URL, 1 },
	{ "links", C_URL, 2 },
	{ "publisher", C_PUBLISHER, 1 },
	{ "pu", C_PUBLISHER, 2 },
	{ "citation", C_CITATION, 2 },
};

#define NCSV_NAMES (sizeof(csv_names) / sizeof(csv_names[0]))

/* "Source title" -> "sourcetitle"; cap includes the NUL. */
static void fold_name(const char *s, char *out, size_t cap)
{
	size_t n = 0;

	for (; *s && n + 1 < cap; s++)
		if (isalnum((unsigned char)*s))
			out[n++] = (char)tolower((unsigned char)*s);
	out[n] = '\0';
}

static int name_lookup(const char *header, int *rank)
{
	char folded[64];

	fold_name(header, folded, sizeof(folded));
	for (size_t i = 0; i < NCSV_NAMES; i++)
		if (strcmp(csv_names[i].name, folded) == 0) {
			*rank = csv_names[i].rank;
			return (int)csv_names[i].field;
		}
	return C_EXTRA;
}

/* Types as CSV exports name them (Scopus, BibTeX entry types, RIS, our
 * own export) in the normalised vocabulary. */
static const struct {
	const char *name; /* folded */
	const char *type;
} csv_types[] = {
	{ "journalarticle", "journal-article" }, { "article", "journal-article" },
	{ "jour", "journal-article" },           { "datapaper", "journal-article" },
	{ "review", "review" },                  { "shortsurvey", "review" },
	{ "conferencepaper", "conference-paper" }, { "inproceedings", "conference-paper" },
	{ "proceedingspaper", "conference-paper" }, { "conference", "conference-paper" },
	{ "conf", "conference-paper" },          { "cpaper", "conference-paper" },
	{ "conferenceabstract", "conference-abstract" },
	{ "meetingabstract", "conference-abstract" },
	{ "book", "book" },                      { "booklet", "book" },
	{ "proceedings", "book" },               { "collection", "book" },
	{ "mvbook", "book" },
	{ "bookchapter", "book-chapter" },       { "chapter", "book-chapter" },
	{ "incollection", "book-chapter" },      { "inbook", "book-chapter" },
	{ "booksection", "book-chapter" },       { "chap", "book-chapter" },
	{ "thesis", "thesis" },                  { "phdthesis", "thesis" },
	{ "mastersthesis", "thesis" },           { "dissertation", "thesis" },
	{ "report", "report" },                  { "techreport", "report" },
	{ "rprt", "report" },                    { "preprint", "preprint" },
	{ "dataset", "dataset" },                { "data", "dataset" },
	{ "webpage", "web-page" },               { "elec", "web-page" },
	{ "online", "web-page" },                { "editorial", "editorial" },
	{ "letter", "letter" },                  { "comment", "comment" },
	{ "erratum", "erratum" },                { "correction", "erratum" },
	{ "retraction", "retraction" },          { "other", "other" },
	{ "misc", "other" },                     { "note", "other" },
	{ "unpublished", "other" },              { "conferencereview", "other" },
};

static const char *csv_type(const char *value)
{
	char folded[64];

	fold_name(value, folded, sizeof(folded));
	for (size_t i = 0; i < sizeof(csv_types) / sizeof(csv_types[0]); i++)
		if (strcmp(csv_types[i].name, folded) == 0)
			return csv_types[i].type;
	return NULL;
}

/* ---- authors ---- */

/* "Smith JA", "Villard M.-A.", "Smith J.": a family name and initials. */
static int looks_like_short_name(const char *s, size_t n)
{
	const char *last;
	size_t letters = 0;

	while (n && wn_is_space((unsigned char)*s))
		s++, n--;
	while (n && (wn_is_space((unsigned char)s[n - 1])))
		n--;
	if (n == 6 && strncmp(s, "et al", 5) == 0)
		return 1;
	last = NULL;
	for (size_t i = 0; i < n; i++)
		if (s[i] == ' ')
			last = s + i + 1;
	if (!last || last == s + n)
		return 0;
	for (const char *p = last; p < s + n; p++) {
		if (isupper((unsigned char)*p))
			letters++;
		else if (*p != '.' && *p != '-')
			return 0;
	}
	return letters >= 1 && letters <= 4;
}

/* A comma-separated list of short names: "Smith J, Jones K." */
static int comma_list_of_short_names(const char *s)
{
	int pieces = 0;

	while (*s) {
		const char *e = strchr(s, ',');
		size_t n = e ? (size_t)(e - s) : strlen(s);

		if (!looks_like_short_name(s, n))
			return 0;
		pieces++;
		s += n;
		if (*s)
			s++;
	}
	return pieces >= 2;
}

static void add_author(struct wn_record *rec, const char *s, size_t n)
{
	char *a = xstrndup(s, n), *t = wn_trim(a);
	size_t len = strlen(t);

	/* Scopus "Author full names": "Craig, Catherine (57207750150)" */
	if (len && t[len - 1] == ')') {
		char *open = strrchr(t, '(');

		if (open && open > t && strspn(open + 1, "0123456789") == (size_t)(t + len - 1 - open - 1) &&
		    t + len - 1 > open + 1) {
			*open = '\0';
			t = wn_trim(t);
		}
	}
	if (*t)
		wn_strlist_add(&rec->authors, t);
	free(a);
}

static void split_on(struct wn_record *rec, const char *s, const char *sep)
{
	size_t seplen = strlen(sep);

	for (;;) {
		const char *e = strstr(s, sep);

		add_author(rec, s, e ? (size_t)(e - s) : strlen(s));
		if (!e)
			break;
		s = e + seplen;
	}
}

static int name_particle(const char *s)
{
	static const char *const particles[] = {
		"van ", "von ", "de ", "der ", "den ", "del ", "della ", "di ", "da ",
		"dos ", "du ", "le ", "la ", "ter ", "ten ",
	};

	for (size_t i = 0; i < sizeof(particles) / sizeof(particles[0]); i++)
		if (strncmp(s, particles[i], strlen(particles[i])) == 0)
			return 1;
	return 0;
}

/* Authors in one cell: ';'-separated (most exports), " and " (from
 * BibTeX), ','-separated only when every part is "Family Initials"
 * (Scopus, PubMed), or run together after the initials' full stop
 * ("Adeli K.Lewis G. F.", "Kajani S.O'Reilly M. E.": an EndNote export that
 * lost its separators). In a BibTeX-derived file " and " separates names
 * even beside ';' ("A, B; C, D and E, F", "A, B; C, D; and E, F"). */
static void add_authors(struct wn_record *rec, const char *cell, int bibtex)
{
	if (bibtex && strstr(cell, " and ")) {
		char *copy = xstrdup(cell);

		for (char *s = copy, *e;; s = e + 5) {
			e = strstr(s, " and ");
			if (e)
				*e = '\0';
			split_on(rec, s, ";");
			if (!e)
				break;
		}
		free(copy);
	} else if (strchr(cell, ';')) {
		split_on(rec, cell, ";");
	} else if (strstr(cell, " and ")) {
		split_on(rec, cell, " and ");
	} else if (strchr(cell, ',') && comma_list_of_short_names(cell)) {
		split_on(rec, cell, ",");
	} else {
		const char *s = cell;

		for (const char *p = cell; *p; p++) {
			if (p[0] == '.' && ((isupper((unsigned char)p[1]) &&
					     (islower((unsigned char)p[2]) || p[2] == '\'')) ||
					    name_particle(p + 1))) {
				add_author(rec, s, (size_t)(p + 1 - s));
				s = p + 1;
			}
		}
		add_author(rec, s, strlen(s));
	}
}

static void add_keywords(struct wn_record *rec, const char *cell)
{
	const char *s = cell;

	for (;;) {
		const char *e = strchr(s, ';');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		char *k = xstrndup(s, n), *t = wn_trim(k);

		if (*t)
			wn_strlist_add(&rec->keywords, t);
		free(k);
		if (!e)
			break;
		s = e + 1;
	}
}

/* PubMed's citation line: "J Affect Disord. 2019 Jul 4;257:214-240. doi:
 * 10.1016/j.jad.2019.07.007. [Epub ahead of print] Review." gives the
 * journal abbreviation, date, volume, issue, pages and DOI. */
static void parse_pubmed_citation(struct wn_record *rec, const char *cite)
{
	const char *s = cite, *dot = strstr(s, ". ");
	const char *doi = strstr(cite, "doi: ");

	if (dot && !rec->journal_abbrev)
		rec->journal_abbrev = xstrndup(s, (size_t)(dot - s));
	if (dot) {
		const char *d = dot + 2, *end = d;
		const char *semi, *colon;

		while (*end && *end != ';' && *end != ':' && !(end[0] == '.' && (end[1] == ' ' || !end[1])))
			end++;
		if (!rec->date && end > d)
			rec->date = xstrndup(d, (size_t)(end - d));
		semi = *end == ';' ? end + 1 : NULL;
		colon = *end == ':' ? end : NULL;
		if (semi) {
			const char *v = semi, *ve = v;

			while (*ve && *ve != '(' && *ve != ':' && *ve != '.')
				ve++;
			if (!rec->volume && ve > v)
				rec->volume = xstrndup(v, (size_t)(ve - v));
			if (*ve == '(') {
				const char *ie = strchr(ve, ')');

				if (ie && !rec->issue && ie > ve + 1)
					rec->issue = xstrndup(ve + 1, (size_t)(ie - ve - 1));
				ve = ie ? ie + 1 : ve + 1;
			}
			colon = *ve == ':' ? ve : NULL;
		}
		if (colon && !rec->pages) {
			const char *pe = colon + 1;

			while (*pe && *pe != ' ' && !(pe[0] == '.' && (pe[1] == ' ' || !pe[1])))
				pe++;
			if (pe > colon + 1)
				rec->pages = xstrndup(colon + 1, (size_t)(pe - colon - 1));
		}
	}
	if (doi && !rec->doi) {
		const char *e = doi += 5;

		while (*e && !wn_is_space((unsigned char)*e))
			e++;
		while (e > doi && e[-1] == '.')
			e--;
		if (e > doi)
			rec->doi = xstrndup(doi, (size_t)(e - doi));
	}
}

/* ---- reading ---- */

struct csv_state {
	struct wn_parser *p;
	struct wn_strlist cells;
	size_t row_bytes;
	struct wn_buf raw;   /* the row's text */
	long line;           /* line of the text being fed */
	long row_line;       /* line where the current row started */
	int in_row;
	int quotes;          /* quote characters in the row (odd: still open) */
	unsigned char delim;
	/* the header */
	char **names;
	int *fields;         /* enum csv_field per column */
	size_t ncols;
	int have_header;
	const char *dialect;
	int pubmed_legacy;
	int pubmed;
	int bibtex;          /* bib-dedupe: BibTeX's " and " between names */
	int rc;              /* a sink's or an error status: stop */
	struct wn_record rec;
};

static void on_field(void *data, size_t len, void *ctx)
{
	struct csv_state *st = ctx;

	if (st->rc)
		return;
	if (st->cells.n == st->cells.cap) {
		st->cells.cap = st->cells.cap ? st->cells.cap * 2 : 16;
		st->cells.items = xrealloc(st->cells.items, st->cells.cap * sizeof(char *));
	}
	/* CSV_APPEND_NULL: data is NUL-terminated (NULL for an empty field
	 * at the very start of the parse) */
	st->cells.items[st->cells.n++] = data ? xstrndup(data, len) : xstrdup("");
}

static int has_column(const struct csv_state *st, const char *folded)
{
	char f[64];

	for (size_t i = 0; i < st->ncols; i++) {
		fold_name(st->names[i], f, sizeof(f));
		if (strcmp(f, folded) == 0)
			return 1;
	}
	return 0;
}

static int has_column_prefix(const struct csv_state *st, const char *prefix)
{
	char f[64];

	for (size_t i = 0; i < st->ncols; i++) {
		fold_name(st->names[i], f, sizeof(f));
		if (strncmp(f, prefix, strlen(prefix)) == 0)
			return 1;
	}
	return 0;
}

/* Map the header's columns to fields: the best-ranked column per field
 * wins; the rest are extra. */
static int take_header(struct csv_state *st)
{
	int best_rank[C_NFIELDS];
	size_t best_col[C_NFIELDS];
	int mapped = 0;

	st->ncols = st->cells.n;
	st->names = st->cells.items;
	st->cells.items = NULL;
	st->cells.n = st->cells.cap = 0;
	while (st->ncols && !*wn_trim(st->names[st->ncols - 1])) {
		free(st->names[st->ncols - 1]); /* a trailing delimiter */
		st->ncols--;
	}
	st->fields = xcalloc(st->ncols ? st->ncols : 1, sizeof(int));
	for (int f = 0; f < C_NFIELDS; f++)
		best_rank[f] = 99;
	for (size_t i = 0; i < st->ncols; i++) {
		int rank = 99;
		int f;
		char *t = wn_trim(st->names[i]);

		if (t != st->names[i])
			memmove(st->names[i], t, strlen(t) + 1);
		if (!*st->names[i]) {
			free(st->names[i]);
			st->names[i] = xasprintf("column %zu", i + 1);
		}
		f = name_lookup(st->names[i], &rank);
		if (f != C_EXTRA && rank < best_rank[f]) {
			best_rank[f] = rank;
			best_col[f] = i;
		}
	}
	for (int f = 1; f < C_NFIELDS; f++)
		if (best_rank[f] < 99) {
			st->fields[best_col[f]] = f;
			mapped++;
		}

	st->pubmed_legacy = has_column(st, "entrezuid") && has_column(st, "shortdetails");
	st->pubmed = has_column(st, "pmid") && has_column(st, "citation") &&
		     has_column(st, "firstauthor");
	if (st->pubmed_legacy)
		st->dialect = "pubmed-legacy-csv";
	else if (st->pubmed)
		st->dialect = "pubmed-csv";
	else if (has_column(st, "eid") && has_column(st, "sourcetitle"))
		st->dialect = "scopus";
	else if (has_column(st, "recordid") && has_column_prefix(st, "label"))
		st->dialect = "asreview";
	else if (has_column(st, "id") && has_column(st, "entrytype"))
		st->dialect = "bib-dedupe";
	st->bibtex = st->dialect && !strcmp(st->dialect, "bib-dedupe");
	st->p->dialect = st->dialect;
	if (st->pubmed_legacy) {
		/* Description holds the authors, Details the citation; the
		 * Type column says "citation" of every row */
		for (size_t i = 0; i < st->ncols; i++) {
			char f[64];

			fold_name(st->names[i], f, sizeof(f));
			if (strcmp(f, "description") == 0)
				st->fields[i] = C_AUTHORS;
			else if (strcmp(f, "details") == 0)
				st->fields[i] = C_CITATION;
			else if (st->fields[i] == C_TYPE)
				st->fields[i] = C_EXTRA;
		}
	}
	if (st->pubmed) {
		/* PubMed's Journal/Book is the ISO abbreviation */
		for (size_t i = 0; i < st->ncols; i++)
			if (st->fields[i] == C_JOURNAL)
				st->fields[i] = C_JOURNAL_ABBREV;
	}
	st->have_header = 1;
	if (!mapped)
		return wn_parser_warn(st->p, st->row_line,
				      "no column of the header names a known field (title, "
				      "authors, year, doi, ...); every column goes to extra");
	return 0;
}

static int clean_year(const char *s)
{
	char *end;
	long y;

	if (!isdigit((unsigned char)*s))
		return 0;
	y = strtol(s, &end, 10);
	if (strcmp(end, ".0") == 0) /* a spreadsheet's float: "1999.0" */
		end += 2;
	return *end == '\0' && y > 0 && y <= 9999 ? (int)y : 0;
}

static const char *first_token(const char *s, char *out, size_t cap)
{
	size_t n = strcspn(s, " \t(;,");

	if (n >= cap)
		n = cap - 1;
	memcpy(out, s, n);
	out[n] = '\0';
	return out;
}

/* "0957-9672 (Print) 0957-9672": an ISSN first, not an ISBN. */
static int looks_like_issn(const char *s)
{
	size_t n = strcspn(s, " \t(;,"), digits = 0;

	for (size_t i = 0; i < n; i++) {
		if (isdigit((unsigned char)s[i]) || s[i] == 'X' || s[i] == 'x')
			digits++;
		else if (s[i] != '-')
			return 0;
	}
	return digits == 8;
}

static void set_once(struct wn_record *rec, char **field, const char *tag, const char *value)
{
	if (!*field)
		wn_record_set(field, value);
	else
		wn_record_add_extra(rec, tag, value);
}

static int take_row(struct csv_state *st)
{
	struct wn_record *rec = &st->rec;
	const char *page_start = NULL, *page_end = NULL, *artno = NULL, *citation = NULL;
	const char *booktitle = NULL, *booktitle_name = NULL;
	size_t n = st->cells.n, nonempty_past = 0;
	char tok[64];
	int any = 0, rc;

	for (size_t i = 0; i < n; i++)
		if (!wn_blank(st->cells.items[i]))
			any = 1;
	if (!any)
		return wn_parser_warn(st->p, st->row_line, "empty row skipped");
	for (size_t i = 0; i < n; i++) {
		char *cell = st->cells.items[i];
		const char *name = i < st->ncols ? st->names[i] : NULL;
		int f = i < st->ncols ? st->fields[i] : C_EXTRA;
		char *v = wn_trim(cell);

		/* NA: a missing value as R writes it (ASySD, revtools) */
		if (!*v || !strcmp(v, "NA"))
			continue;
		if (!name) {
			char tag[32];

			snprintf(tag, sizeof(tag), "column %zu", i + 1);
			wn_record_add_extra(rec, tag, v);
			nonempty_past++;
			continue;
		}
		switch ((enum csv_field)f) {
		case C_SOURCE_ID:
			set_once(rec, &rec->source_id, name, v);
			break;
		case C_TITLE:
			set_once(rec, &rec->title, name, v);
			break;
		case C_ABSTRACT:
			set_once(rec, &rec->abstract, name, v);
			break;
		case C_AUTHORS:
			add_authors(rec, v, st->bibtex);
			break;
		case C_YEAR:
			rec->year = clean_year(v);
			if (!rec->year)
				set_once(rec, &rec->date, name, v);
			break;
		case C_DATE:
			set_once(rec, &rec->date, name, v);
			break;
		case C_JOURNAL:
			set_once(rec, &rec->journal, name, v);
			break;
		case C_BOOKTITLE:
			booktitle = v;
			booktitle_name = name;
			break;
		case C_JOURNAL_ABBREV:
			set_once(rec, &rec->journal_abbrev, name, v);
			break;
		case C_VOLUME:
			set_once(rec, &rec->volume, name, v);
			break;
		case C_ISSUE:
			set_once(rec, &rec->issue, name, v);
			break;
		case C_PAGES:
			set_once(rec, &rec->pages, name, v);
			break;
		case C_PAGE_START:
			page_start = v;
			break;
		case C_PAGE_END:
			page_end = v;
			break;
		case C_ARTICLE_NUMBER:
			artno = v;
			wn_record_add_extra(rec, name, v);
			break;
		case C_DOI:
			set_once(rec, &rec->doi, name, v);
			break;
		case C_PMID:
			set_once(rec, &rec->pmid, name, v);
			break;
		case C_PMCID:
			set_once(rec, &rec->pmcid, name, v);
			break;
		case C_ISSN:
			wn_record_set_issn_or_isbn(rec, name, v);
			break;
		case C_ISBN:
			/* EndNote keeps a journal's ISSN in its ISBN field */
			if (looks_like_issn(v)) {
				wn_record_set_issn_or_isbn(rec, name, first_token(v, tok, sizeof(tok)));
				wn_record_add_extra(rec, name, v);
			} else {
				set_once(rec, &rec->isbn, name, v);
			}
			break;
		case C_LANGUAGE:
			set_once(rec, &rec->language, name, v);
			break;
		case C_KEYWORDS:
			add_keywords(rec, v);
			break;
		case C_TYPE: {
			const char *t = csv_type(v);

			if (t && !rec->type)
				wn_record_set(&rec->type, t);
			/* the source's own word for it */
			if (!t || strcmp(t, v) != 0)
				wn_record_add_extra(rec, name, v);
			break;
		}
		case C_URL:
			if (st->pubmed_legacy && v[0] == '/' && !rec->url) {
				rec->url = xasprintf("https://www.ncbi.nlm.nih.gov%s", v);
				wn_record_add_extra(rec, name, v);
			} else {
				set_once(rec, &rec->url, name, v);
			}
			break;
		case C_PUBLISHER:
			set_once(rec, &rec->publisher, name, v);
			break;
		case C_CITATION:
			wn_record_add_extra(rec, name, v);
			citation = v;
			break;
		case C_EXTRA:
		case C_NFIELDS:
			wn_record_add_extra(rec, name, v);
			break;
		}
	}
	/* as the BibTeX reader does: booktitle is the journal of a conference
	 * paper or a chapter that has none, otherwise extra */
	if (booktitle) {
		if (!rec->journal && rec->type &&
		    (!strcmp(rec->type, "conference-paper") || !strcmp(rec->type, "book-chapter")))
			wn_record_set(&rec->journal, booktitle);
		else
			wn_record_add_extra(rec, booktitle_name, booktitle);
	}
	/* the citation fills only what the row's own columns left empty */
	if (citation && (st->pubmed || st->pubmed_legacy))
		parse_pubmed_citation(rec, citation);
	if (!rec->pages) {
		if (page_start && page_end)
			rec->pages = xasprintf("%s-%s", page_start, page_end);
		else if (page_start)
			rec->pages = xstrdup(page_start);
		else if (artno)
			rec->pages = xstrdup(artno);
	}
	if (page_end && !page_start)
		wn_record_add_extra(rec, "page end", page_end);
	if ((st->pubmed || st->pubmed_legacy) && !rec->source_id && rec->pmid)
		rec->source_id = xstrdup(rec->pmid);
	rec->line = st->row_line;
	while (st->raw.len && (st->raw.data[st->raw.len - 1] == '\n' ||
			       st->raw.data[st->raw.len - 1] == '\r'))
		st->raw.data[--st->raw.len] = '\0';
	rec->raw_len = st->raw.len;
	rec->raw = wn_buf_detach(&st->raw);
	if (nonempty_past)
		rc = wn_parser_warn(st->p, st->row_line,
				    "row has %zu cells, the header %zu; the extra cells are kept as "
				    "'column N'",
				    n, st->ncols);
	else if (n < st->ncols)
		rc = wn_parser_warn(st->p, st->row_line, "row has %zu cells, the header %zu", n,
				    st->ncols);
	else
		rc = 0;
	if (rc) {
		wn_record_clear(rec);
		return rc;
	}
	return wn_parser_emit(st->p, rec);
}

static void on_row(int c, void *ctx)
{
	struct csv_state *st = ctx;

	(void)c;
	if (!st->rc) {
		if (!st->have_header)
			st->rc = take_header(st);
		else
			st->rc = take_row(st);
	}
	wn_strlist_clear(&st->cells);
	wn_buf_reset(&st->raw);
	st->in_row = 0;
	st->quotes = 0;
	st->row_bytes = 0;
}

/* Does libcsv start a row on this line? It skips spaces (and tabs unless
 * they delimit) and blank lines. */
static int line_starts_row(const char *s, size_t n, unsigned char delim)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\r' || c == '\n' || c == ' ' || (c == '\t' && delim != '\t'))
			continue;
		return 1;
	}
	return 0;
}

static unsigned char detect_delim(const char *head, size_t len)
{
	size_t counts[3] = { 0, 0, 0 }; /* , ; tab */
	int quoted = 0;

	for (size_t i = 0; i < len && (quoted || (head[i] != '\n' && head[i] != '\r')); i++) {
		if (head[i] == '"')
			quoted = !quoted;
		else if (!quoted && head[i] == ',')
			counts[0]++;
		else if (!quoted && head[i] == ';')
			counts[1]++;
		else if (!quoted && head[i] == '\t')
			counts[2]++;
	}
	if (counts[2] > counts[0] && counts[2] >= counts[1])
		return '\t';
	if (counts[1] > counts[0])
		return ';';
	return ',';
}

/* Feed one line (or part of a long one) to libcsv. */
static int feed(struct csv_state *st, struct csv_parser *cp, const char *s, size_t n)
{
	if (!st->in_row && line_starts_row(s, n, st->delim)) {
		st->in_row = 1;
		st->row_line = st->line;
	}
	if (st->in_row) {
		st->row_bytes += n;
		if (st->row_bytes > CSV_MAX_ROW)
			return wn_error_set(WN_EINVALID,
					    "%s:%ld: the row starting here is larger than %u MiB "
					    "(a quote that is never closed?)",
					    wn_input_name(st->p->in), st->row_line, CSV_MAX_ROW >> 20);
		wn_buf_add(&st->raw, s, n);
		for (size_t i = 0; i < n; i++)
			st->quotes += s[i] == '"';
	}
	if (csv_parse(cp, s, n, on_field, on_row, st) != n)
		return wn_error_set(WN_ERROR, "%s:%ld: %s", wn_input_name(st->p->in), st->line,
				    csv_strerror(csv_error(cp)));
	return st->rc;
}

#define CSV_CHUNK 65536
#define CSV_PIECE 65536 /* longest piece fed at once */

int wn_parse_csv(struct wn_parser *p)
{
	struct csv_state st;
	struct csv_parser cp;
	char *buf = xmalloc(CSV_CHUNK);
	int rc = 0, first = 1, prev_cr = 0;
	ssize_t got;

	memset(&st, 0, sizeof(st));
	st.p = p;
	st.line = 1;
	wn_record_init(&st.rec);
	if (csv_init(&cp, CSV_APPEND_NULL) != 0) {
		free(buf);
		return wn_error_set(WN_ERROR, "cannot start the CSV parser");
	}
	/* libcsv grows a cell by this much at a time: large steps keep a
	 * long cell from costing a reallocation every 128 bytes */
	csv_set_blk_size(&cp, 65536);
	while (!rc && (got = wn_input_read(p->in, buf, CSV_CHUNK)) > 0) {
		size_t n = (size_t)got, start = 0;

		for (size_t i = 0; i < n; i++)
			if (buf[i] == '\0')
				buf[i] = ' ';
		if (first) {
			st.delim = detect_delim(buf, n);
			csv_set_delim(&cp, st.delim);
			first = 0;
		}
		/* pieces end after each line break: a row starts on the line
		 * of the piece in which libcsv first sees it */
		for (size_t i = 0; i < n && !rc; i++) {
			int brk = buf[i] == '\r' || buf[i] == '\n';

			if (brk || i + 1 - start >= CSV_PIECE || i + 1 == n) {
				rc = feed(&st, &cp, buf + start, i + 1 - start);
				start = i + 1;
			}
			if (buf[i] == '\r' || (buf[i] == '\n' && !prev_cr))
				st.line++;
			prev_cr = buf[i] == '\r';
		}
	}
	if (!rc && got < 0)
		rc = (int)got;
	if (!rc) {
		if (st.in_row && (st.quotes & 1)) {
			rc = wn_parser_warn(p, st.row_line,
					    "a quote opened in the row starting here is never "
					    "closed; the rest of the file is read as one cell");
		}
		if (!rc) {
			csv_fini(&cp, on_field, on_row, &st);
			rc = st.rc;
		}
	}
	if (!rc && !st.have_header)
		rc = wn_error_set(WN_EINVALID, "%s:1: no header row: the file is empty",
				  wn_input_name(p->in));
	csv_free(&cp);
	free(buf);
	wn_strlist_clear(&st.cells);
	for (size_t i = 0; i < st.ncols; i++)
		free(st.names[i]);
	free(st.names);
	free(st.fields);
	wn_buf_release(&st.raw);
	wn_record_clear(&st.rec);
	return rc;
}

int wn_sniff_csv(const char *head, size_t len)
{
	unsigned char delim;
	size_t ndelim = 0, known = 0, cell_start = 0;
	int quoted = 0;
	size_t i;

	if (len >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0)
		head += 3, len -= 3;
	delim = detect_delim(head, len);
	for (i = 0; i <= len; i++) {
		int end = i == len || (!quoted && (head[i] == '\n' || head[i] == '\r'));

		if (i < len && head[i] == '"')
			quoted = !quoted;
		if (end || (!quoted && (unsigned char)head[i] == delim)) {
			char cell[64];
			size_t n = i - cell_start;
			int rank;

			if (n >= sizeof(cell))
				n = sizeof(cell) - 1;
			memcpy(cell, head + cell_start, n);
			cell[n] = '\0';
			if (name_lookup(cell, &rank) != C_EXTRA)
				known++;
			if (end)
				break;
			ndelim++;
			cell_start = i + 1;
		}
	}
	if (ndelim < 2 || known == 0)
		return 0;
	return known >= 3 ? 65 : 60;
}

/* ---- writing ---- */

/*
 * The CSV export: a header row, then one row per record, RFC 4180 (cells
 * with a comma, quote, CR or LF, or leading or trailing spaces, are quoted
 * with quotes doubled; line breaks inside abstracts are kept inside the
 * quotes), CRLF between rows, UTF-8 without a BOM. Lists (authors,
 * keywords) are joined with "; ", each author as "Family, Given". The
 * origin column is "kind:id:position" ("file:3:12": the 12th record of
 * import 3). The reader above maps every column back.
 */
static const char *const csv_columns[] = {
	"id", "source", "source_id", "title", "authors", "year", "journal", "volume",
	"issue", "pages", "doi", "pmid", "pmcid", "issn", "isbn", "language", "type",
	"keywords", "abstract", "url", "cluster", "origin",
};

static void put_cell(FILE *fp, const char *s, int first)
{
	size_t n = s ? strlen(s) : 0;
	int quote = n && (strpbrk(s, ",\"\r\n") || wn_is_space((unsigned char)s[0]) ||
			  wn_is_space((unsigned char)s[n - 1]));

	if (!first)
		fputc(',', fp);
	if (!n)
		return;
	if (!quote) {
		fwrite(s, 1, n, fp);
		return;
	}
	fputc('"', fp);
	for (const char *c = s; *c; c++) {
		if (*c == '"')
			fputc('"', fp);
		fputc(*c, fp);
	}
	fputc('"', fp);
}

static int csv_begin(struct wn_writer *w)
{
	for (size_t i = 0; i < sizeof(csv_columns) / sizeof(csv_columns[0]); i++)
		put_cell(w->fp, csv_columns[i], i == 0);
	fputs("\r\n", w->fp);
	return WN_OK;
}

static char *join_authors(const struct wn_strlist *l)
{
	struct wn_buf b = WN_BUF_INIT;

	for (size_t i = 0; i < l->n; i++) {
		char *a = wn_author_display(l->items[i]);

		if (!a)
			continue;
		if (b.len)
			wn_buf_adds(&b, "; ");
		wn_buf_adds(&b, a);
		free(a);
	}
	return wn_buf_detach(&b);
}

static char *join_list(const struct wn_strlist *l)
{
	struct wn_buf b = WN_BUF_INIT;

	for (size_t i = 0; i < l->n; i++) {
		if (i)
			wn_buf_adds(&b, "; ");
		wn_buf_adds(&b, l->items[i]);
	}
	return wn_buf_detach(&b);
}

static int csv_record(struct wn_writer *w, const struct wn_record *rec,
		      const struct wn_record_meta *meta)
{
	long long id = meta ? meta->id : rec->position;
	char *authors = join_authors(&rec->authors);
	char *keywords = join_list(&rec->keywords);
	char *sid = xasprintf("%lld", id);
	char *year = rec->year ? xasprintf("%d", rec->year) : NULL;
	char *cluster = xasprintf("%lld", meta && meta->cluster ? meta->cluster : id);
	char *origin = xasprintf("%s:%lld:%ld",
				 meta && meta->origin_kind ? meta->origin_kind : "",
				 meta ? meta->origin_id : 0LL, rec->position);
	const char *cells[] = {
		sid, meta ? meta->source : NULL, rec->source_id, rec->title, authors, year,
		rec->journal, rec->volume, rec->issue, rec->pages, rec->doi, rec->pmid,
		rec->pmcid, rec->issn, rec->isbn, rec->language, rec->type, keywords,
		rec->abstract, rec->url, cluster, origin,
	};

	for (size_t i = 0; i < sizeof(cells) / sizeof(cells[0]); i++)
		put_cell(w->fp, cells[i], i == 0);
	fputs("\r\n", w->fp);
	free(authors);
	free(keywords);
	free(sid);
	free(year);
	free(cluster);
	free(origin);
	return WN_OK;
}

const struct wn_writer_ops wn_writer_csv = { "csv", csv_begin, csv_record, NULL };
