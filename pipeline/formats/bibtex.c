/*
 * BibTeX (.bib): reading entries into records and writing records back.
 *
 * Reading follows BibTeX's own rules where it has them: text outside an
 * entry is a comment; an entry is @type{key, name = value, ...} or the
 * same in parentheses; a value is a {braced} or "quoted" string, a bare
 * number or a @string macro, joined by '#'; field names, entry types and
 * macro names are case-insensitive. @comment and @preamble are skipped,
 * @string defines a macro for the entries after it; jan..dec are
 * predefined (as "Jan".."Dec", so that month = jun gives the date
 * "2019 Jun").
 *
 * Values are decoded from LaTeX to UTF-8 text: accents ({\"o}, \'e,
 * \c{c}, \v{s}), special letters (\ss, \o, \aa, \AE), escapes (\& \% \$
 * \_ \#), dashes (-- and ---), ties (~ is a space), quotes (`` and ''),
 * font commands (\emph{x} is x), simple math ($\alpha$, CO$_2$), and
 * protective braces are dropped. A line break followed by indentation is
 * a wrapped line (a space); one at the start of a line is kept, so that
 * Zotero's paragraph breaks in abstracts survive. url, doi, eprint and
 * file are verbatim: only braces and backslash escapes are removed.
 *
 * Fields are kept under their lower-cased names (BibTeX ignores case).
 * booktitle is the journal of an @inproceedings, @conference,
 * @incollection or @inbook that has no journal field, otherwise it is
 * kept in extra. The entry type and the citation key are kept in extra as
 * bibtex-type and bibtex-key; the writer turns them back into the entry
 * head.
 *
 * Broken files: an entry with a syntax error is reported with its line,
 * kept as far as it parsed, and reading goes on at the next line that
 * starts with '@'. A value that runs into a line starting a new entry
 * ("@article{") is taken as unterminated there, so one missing brace
 * does not swallow the rest of the file.
 */
#include "formats_int.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>
#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#endif

/* An entry (its text, values and fields together) larger than this is
 * cut with a warning. */
#define MAX_ENTRY_BYTES (16u << 20)
/* Names (types, keys, fields, macros) longer than this are cut. */
#define MAX_NAME 256
/* Macro expansion may copy at most this much plus EXPAND_PER_BYTE times
 * the input read so far: '#' joins of doubling macros grow exponentially. */
#define EXPAND_BASE (64ull << 20)
#define EXPAND_PER_BYTE 64ull

/* ---- character stream over the input lines ---------------------------- */

struct stream {
	struct wn_input *in;
	const char *line;
	size_t len, pos;
	long lineno;
	int eof;
	int status;               /* a read error, or 0 */
	unsigned long long bytes; /* characters consumed */
	struct wn_buf *raw;       /* where consumed text is copied, or NULL */
	size_t raw_max;
	size_t raw_from;          /* line[raw_from..pos) is consumed, not yet copied */
};

/* Copy n consumed bytes to raw, as far as raw_max allows. */
static void raw_add(struct stream *s, const char *text, size_t n)
{
	size_t room = s->raw->len < s->raw_max ? s->raw_max - s->raw->len : 0;

	wn_buf_add(s->raw, text, n < room ? n : room);
}

static void stream_fetch(struct stream *s)
{
	int rc = wn_input_getline(s->in, &s->line, &s->len);

	s->pos = 0;
	s->raw_from = 0;
	if (rc == 1) {
		s->lineno = wn_input_lineno(s->in);
		return;
	}
	s->eof = 1;
	s->line = "";
	s->len = 0;
	if (rc < 0)
		s->status = rc;
}

/* The next character, '\n' at the end of each line, -1 at the end. */
static int peek(const struct stream *s)
{
	if (s->eof)
		return -1;
	return s->pos < s->len ? (unsigned char)s->line[s->pos] : '\n';
}

/* Past the '\n' that ends the line: what the line held is copied to raw
 * in one piece. */
static void next_line(struct stream *s)
{
	if (s->raw) {
		raw_add(s, s->line + s->raw_from, s->len - s->raw_from);
		raw_add(s, "\n", 1);
	}
	stream_fetch(s);
}

static inline void advance(struct stream *s)
{
	if (s->eof)
		return;
	s->bytes++;
	if (s->pos < s->len)
		s->pos++;
	else
		next_line(s);
}

/* Past n characters of the current line (none of them its end). */
static inline void advance_by(struct stream *s, size_t n)
{
	s->bytes += n;
	s->pos += n;
}

/* Start or stop copying what is consumed into raw. */
static void raw_start(struct stream *s, struct wn_buf *raw)
{
	s->raw = raw;
	s->raw_from = s->pos;
}

static void raw_stop(struct stream *s)
{
	if (s->raw && !s->eof)
		raw_add(s, s->line + s->raw_from, s->pos - s->raw_from);
	s->raw = NULL;
}

/* BibTeX's identifier characters: anything printable but these. */
static int is_name_char(int c)
{
	/* a bit per byte: above ' ' but 0x7f and "#%'(),={}@ */
	static const uint64_t bits[4] = {
		0xdfffec5200000000ull, 0x57fffffffffffffeull,
		0xffffffffffffffffull, 0xffffffffffffffffull,
	};

	return c >= 0 && c < 256 && ((bits[c >> 6] >> (c & 63)) & 1);
}

static const char *const known_types[] = {
	"article", "book", "booklet", "conference", "inbook", "incollection",
	"inproceedings", "manual", "mastersthesis", "misc", "phdthesis",
	"proceedings", "techreport", "unpublished", "online", "electronic", "www",
	"thesis", "report", "collection", "mvbook", "dataset", "patent",
	"periodical", "software", "string", "comment", "preamble", "set",
};

/* Does text at `p` read "@name{" or "@name(" (or "@name" and the end of
 * the line)? With `known`, only for the usual entry types: used inside a
 * value to see that the value has run into the next entry. */
static int starts_entry(const char *p, const char *end, int known, int allow_eol)
{
	const char *name;
	size_t n;

	if (p >= end || *p != '@')
		return 0;
	p++;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	name = p;
	while (p < end && is_name_char((unsigned char)*p))
		p++;
	n = (size_t)(p - name);
	if (n == 0)
		return 0;
	if (known) {
		size_t i, count = sizeof(known_types) / sizeof(known_types[0]);

		for (i = 0; i < count; i++)
			if (strlen(known_types[i]) == n && !strncasecmp(name, known_types[i], n))
				break;
		if (i == count)
			return 0;
	}
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return (allow_eol && p == end) || (p < end && (*p == '{' || *p == '('));
}

/* Is everything before the current character on its line blank? */
static int at_line_start(const struct stream *s)
{
	for (size_t i = 0; i < s->pos && i < s->len; i++)
		if (s->line[i] != ' ' && s->line[i] != '\t')
			return 0;
	return 1;
}

/* Does the rest of the current line start an entry ("@book{")? */
static int entry_here(const struct stream *s)
{
	return !s->eof && s->pos < s->len &&
	       starts_entry(s->line + s->pos, s->line + s->len, 0, at_line_start(s));
}

/* At the start of a line that begins (after blanks) a new entry? */
static int at_entry_line(const struct stream *s)
{
	const char *p = s->line, *end = s->line + s->len;

	if (s->eof || s->pos != 0)
		return 0;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return starts_entry(p, end, 1, 1);
}

/* ---- macros (@string) ------------------------------------------------- */

struct macro {
	char *name; /* lower case */
	char *value;
};

struct macros {
	struct macro *slots;
	size_t cap, n;
};

static uint64_t hash_name(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++) {
		h ^= (unsigned char)tolower((unsigned char)*s);
		h *= 1099511628211ull;
	}
	return h;
}

static struct macro *macro_slot(struct macros *m, const char *name)
{
	size_t i = (size_t)hash_name(name) & (m->cap - 1);

	while (m->slots[i].name && strcasecmp(m->slots[i].name, name) != 0)
		i = (i + 1) & (m->cap - 1);
	return &m->slots[i];
}

static const char *macro_get(struct macros *m, const char *name)
{
	struct macro *slot;

	if (!m->cap)
		return NULL;
	slot = macro_slot(m, name);
	return slot->name ? slot->value : NULL;
}

static void macro_set(struct macros *m, const char *name, const char *value)
{
	struct macro *slot;

	if (m->n * 2 >= m->cap) {
		struct macros bigger = { NULL, m->cap ? m->cap * 2 : 64, 0 };

		bigger.slots = xcalloc(bigger.cap, sizeof(*bigger.slots));
		for (size_t i = 0; i < m->cap; i++) {
			if (m->slots[i].name) {
				*macro_slot(&bigger, m->slots[i].name) = m->slots[i];
				bigger.n++;
			}
		}
		free(m->slots);
		*m = bigger;
	}
	slot = macro_slot(m, name);
	if (slot->name) {
		free(slot->value);
	} else {
		slot->name = xstrdup(name);
		for (char *c = slot->name; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		m->n++;
	}
	slot->value = xstrdup(value);
}

static void macros_free(struct macros *m)
{
	for (size_t i = 0; i < m->cap; i++) {
		free(m->slots[i].name);
		free(m->slots[i].value);
	}
	free(m->slots);
}

/* ---- the parser ------------------------------------------------------- */

/* The fields a reader maps (build_record), by name. */
enum field_kind {
	F_OTHER, F_ABSTRACT, F_AUTHOR, F_BOOKTITLE, F_DATE, F_DOCTYPE, F_DOI, F_EPRINT,
	F_EPRINTTYPE, F_FILE, F_ISBN, F_ISSN, F_ISSUE, F_JABBREV, F_JOURNAL, F_KEYWORDS,
	F_LANGUAGE, F_MESH, F_MONTH, F_PAGES, F_PDF, F_PMCID, F_PMID, F_PUBLISHER,
	F_PUBTYPES, F_SOURCE, F_TITLE, F_UNIQUE_ID, F_URL, F_VOLUME, F_YEAR,
};

/* An entry's fields live in one buffer (struct bib's text) that is kept
 * from entry to entry: offsets while the entry is read (the buffer may
 * move), pointers once it is complete (fields_done). */
struct field {
	size_t name_at, value_at, value_len;
	const char *name;  /* lower case */
	const char *value; /* the value's text, LaTeX not yet decoded */
	enum field_kind kind;
};

/* An entry as read: what build_record makes a record of. */
struct bib_entry {
	char type[MAX_NAME + 1];
	char key[MAX_NAME + 1];
	long line;          /* of the entry's '@' */
	struct wn_buf raw;  /* the entry's text as it is in the file */
	struct wn_buf text; /* the fields' names and values */
	struct field *fields;
	size_t nfields, fields_cap;
};

struct bib {
	struct wn_parser *p;
	struct stream s;
	struct macros macros;
	struct bib_entry e;          /* the entry being read */
	size_t entry_bytes;          /* stored for this entry */
	int entry_cut;               /* warned that it is too large */
	unsigned long long expanded; /* macro text copied */
	int expand_warned;
};

/* How a piece of an entry ended. */
enum {
	PARSE_OK = 0,
	PARSE_EOF,       /* the input ended inside the entry */
	PARSE_NEW_ENTRY, /* a value ran into a line starting a new entry */
	PARSE_SYNTAX,    /* something unexpected: message in b->error */
};

static int put(struct bib *b, struct wn_buf *val, char c)
{
	if (b->entry_bytes >= MAX_ENTRY_BYTES) {
		b->entry_cut = 1;
		return 0;
	}
	b->entry_bytes++;
	wn_buf_addc(val, c);
	return 1;
}

/* put() for n bytes at once. */
static void put_run(struct bib *b, struct wn_buf *val, const char *text, size_t n)
{
	size_t room = b->entry_bytes < MAX_ENTRY_BYTES ? MAX_ENTRY_BYTES - b->entry_bytes : 0;

	if (n > room) {
		n = room;
		b->entry_cut = 1;
	}
	b->entry_bytes += n;
	wn_buf_add(val, text, n);
}

static void skip_blank(struct bib *b)
{
	struct stream *s = &b->s;

	while (!s->eof) {
		size_t i = s->pos;

		while (i < s->len && (s->line[i] == ' ' || s->line[i] == '\t' || s->line[i] == '\r' ||
				      s->line[i] == '\f' || s->line[i] == '\v'))
			i++;
		if (i < s->len && s->line[i] == '%')
			i = s->len; /* a comment to the end of the line, as biber allows */
		advance_by(s, i - s->pos);
		if (i < s->len)
			return;
		advance(s); /* the line's end */
	}
}

/* A name ends at the end of its line at the latest. */
static void read_name(struct bib *b, char *out)
{
	struct stream *s = &b->s;
	size_t i = s->pos, n;

	while (i < s->len && is_name_char((unsigned char)s->line[i]))
		i++;
	n = i - s->pos;
	memcpy(out, s->line + s->pos, n < MAX_NAME ? n : MAX_NAME);
	out[n < MAX_NAME ? n : MAX_NAME] = '\0';
	advance_by(s, n);
}

/* {...} after its '{': the text inside, braces within kept. The text
 * between braces is taken a line's run at a time. */
static int read_braced(struct bib *b, struct wn_buf *val)
{
	struct stream *s = &b->s;
	int depth = 1;

	for (;;) {
		size_t n;
		int c;

		if (s->eof)
			return PARSE_EOF;
		if (s->pos == 0 && at_entry_line(s))
			return PARSE_NEW_ENTRY;
		n = wn_scan4(s->line + s->pos, s->len - s->pos, '{', '}', '{', '}');
		if (n) {
			put_run(b, val, s->line + s->pos, n);
			advance_by(s, n);
		}
		c = peek(s);
		advance(s);
		if (c == '{') {
			depth++;
		} else if (c == '}' && --depth == 0) {
			return PARSE_OK;
		}
		put(b, val, (char)c);
	}
}

/* "..." after its '"': ends at a '"' outside braces. \" is taken as an
 * umlaut, not the end, although BibTeX would end there: files that write
 * "M\"uller" mean it. */
static int read_quoted(struct bib *b, struct wn_buf *val, const char **error)
{
	struct stream *s = &b->s;
	int depth = 0, escaped = 0;

	for (;;) {
		size_t n;
		int c;

		if (s->eof)
			return PARSE_EOF;
		if (s->pos == 0 && at_entry_line(s))
			return PARSE_NEW_ENTRY;
		n = wn_scan4(s->line + s->pos, s->len - s->pos, '"', '{', '}', '\\');
		if (n) {
			put_run(b, val, s->line + s->pos, n);
			advance_by(s, n);
			escaped = 0;
		}
		c = peek(s);
		if (c == '}' && depth == 0) {
			*error = "a '}' without its '{' in a quoted value";
			return PARSE_SYNTAX;
		}
		advance(s);
		if (c == '"' && depth == 0 && !escaped)
			return PARSE_OK;
		if (c == '{')
			depth++;
		else if (c == '}')
			depth--;
		escaped = c == '\\' && !escaped;
		put(b, val, (char)c);
	}
}

static int expand_macro(struct bib *b, const char *name, struct wn_buf *val, long line)
{
	const char *v = macro_get(&b->macros, name);
	unsigned long long budget = EXPAND_BASE + EXPAND_PER_BYTE * b->s.bytes;

	if (!v) {
		/* BibTeX would use an empty string; the name itself loses less
		 * (month = sept, journal = jomch) */
		int rc = wn_parser_warn(b->p, line, "undefined @string macro '%s' (kept as text)", name);

		if (rc)
			return rc;
		v = name;
	} else if (b->expanded + strlen(v) > budget) {
		if (b->expand_warned)
			return 0;
		b->expand_warned = 1;
		return wn_parser_warn(b->p, line,
				      "@string macros expand to too much text; '%s' and later "
				      "macros are left out",
				      name);
	}
	b->expanded += strlen(v);
	for (; *v; v++)
		if (!put(b, val, *v))
			break;
	return 0;
}

/* A value: parts joined by '#'. Sets *status to PARSE_*; returns non-zero
 * only when a warning stopped the parse. */
static int read_value(struct bib *b, struct wn_buf *val, int *status, const char **error)
{
	for (;;) {
		int c;

		skip_blank(b);
		c = peek(&b->s);
		if (c == '{') {
			advance(&b->s);
			*status = read_braced(b, val);
		} else if (c == '"') {
			advance(&b->s);
			*status = read_quoted(b, val, error);
		} else if (c >= '0' && c <= '9') {
			while ((c = peek(&b->s)) >= '0' && c <= '9') {
				put(b, val, (char)c);
				advance(&b->s);
			}
			*status = PARSE_OK;
		} else if (c >= 0 && is_name_char(c)) {
			char name[MAX_NAME + 1];
			long line = b->s.lineno;
			int rc;

			read_name(b, name);
			rc = expand_macro(b, name, val, line);
			if (rc)
				return rc;
			*status = PARSE_OK;
		} else if (c < 0) {
			*status = PARSE_EOF;
		} else {
			*error = "expected a value ({...}, \"...\", a number or a macro)";
			*status = PARSE_SYNTAX;
		}
		if (*status != PARSE_OK)
			return 0;
		skip_blank(b);
		if (peek(&b->s) != '#')
			return 0;
		advance(&b->s);
	}
}

static enum field_kind field_kind(const char *name)
{
#define IS(lit) (!memcmp(name, lit, sizeof(lit) - 1))
	switch (strlen(name)) {
	case 3:
		return IS("doi") ? F_DOI : IS("pdf") ? F_PDF : IS("pmc") ? F_PMCID
		     : IS("url") ? F_URL : F_OTHER;
	case 4:
		return IS("date") ? F_DATE : IS("file") ? F_FILE : IS("isbn") ? F_ISBN
		     : IS("issn") ? F_ISSN : IS("mesh") ? F_MESH : IS("pmid") ? F_PMID
		     : IS("type") ? F_DOCTYPE : IS("year") ? F_YEAR : F_OTHER;
	case 5:
		return IS("issue") ? F_ISSUE : IS("month") ? F_MONTH : IS("pages") ? F_PAGES
		     : IS("pmcid") ? F_PMCID : IS("title") ? F_TITLE : F_OTHER;
	case 6:
		return IS("author") ? F_AUTHOR : IS("eprint") ? F_EPRINT
		     : IS("number") ? F_ISSUE : IS("source") ? F_SOURCE
		     : IS("volume") ? F_VOLUME : F_OTHER;
	case 7:
		return IS("journal") ? F_JOURNAL : F_OTHER;
	case 8:
		return IS("abstract") ? F_ABSTRACT : IS("keywords") ? F_KEYWORDS
		     : IS("language") ? F_LANGUAGE : IS("pubtypes") ? F_PUBTYPES : F_OTHER;
	case 9:
		return IS("booktitle") ? F_BOOKTITLE : IS("publisher") ? F_PUBLISHER
		     : IS("pubmed_id") ? F_PMID : IS("unique-id") ? F_UNIQUE_ID : F_OTHER;
	case 10:
		return IS("eprinttype") ? F_EPRINTTYPE : F_OTHER;
	case 11:
		return IS("journal-iso") ? F_JABBREV : F_OTHER;
	case 12:
		return IS("journaltitle") ? F_JOURNAL : IS("shortjournal") ? F_JABBREV : F_OTHER;
	case 13:
		return IS("document_type") ? F_DOCTYPE : IS("journalabbrev") ? F_JABBREV
		     : IS("keywords-plus") ? F_KEYWORDS : F_OTHER;
	case 15:
		return IS("author_keywords") ? F_KEYWORDS : F_OTHER;
	case 19:
		return IS("abbrev_source_title") ? F_JABBREV : F_OTHER;
	case 20:
		return IS("journal-abbreviation") ? F_JABBREV : F_OTHER;
	default:
		return F_OTHER;
	}
#undef IS
}

/* The fields whose text is not LaTeX (see is_verbatim_field). */
static int verbatim_kind(enum field_kind kind)
{
	return kind == F_URL || kind == F_DOI || kind == F_EPRINT || kind == F_FILE ||
	       kind == F_PDF || kind == F_UNIQUE_ID;
}

/* Cut b->e.text back to `at` (a value that is not kept). */
static void text_cut(struct bib *b, size_t at)
{
	b->e.text.len = at;
	if (b->e.text.data)
		b->e.text.data[at] = '\0';
}

/* The field `name` whose value has been read into b->e.text from `at`. */
static void add_field(struct bib *b, const char *name, size_t at)
{
	struct field *f;
	size_t n = strlen(name);
	char *lower;

	if (b->e.nfields == b->e.fields_cap) {
		b->e.fields_cap = b->e.fields_cap ? b->e.fields_cap * 2 : 32;
		b->e.fields = xrealloc(b->e.fields, b->e.fields_cap * sizeof(*b->e.fields));
	}
	f = &b->e.fields[b->e.nfields++];
	f->value_at = at;
	f->value_len = b->e.text.len - at;
	wn_buf_addc(&b->e.text, '\0');
	f->name_at = b->e.text.len;
	wn_buf_add(&b->e.text, name, n + 1);
	lower = b->e.text.data + f->name_at;
	for (char *c = lower; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	f->kind = field_kind(lower);
	f->name = f->value = NULL;
	b->entry_bytes += n + 16;
}

/* The entry is read: its fields' text stays where it is now. */
static void fields_done(struct bib *b)
{
	for (size_t i = 0; i < b->e.nfields; i++) {
		b->e.fields[i].name = b->e.text.data + b->e.fields[i].name_at;
		b->e.fields[i].value = b->e.text.data + b->e.fields[i].value_at;
	}
}

static void clear_fields(struct bib *b)
{
	b->e.nfields = 0;
	wn_buf_reset(&b->e.text);
}

/* ---- LaTeX to UTF-8 ----------------------------------------------------- */

struct symbol {
	const char *name;
	const char *text;
};

/* Letters that live inside words: the space after them is eaten, as
 * LaTeX does ("Bj\o rn"). */
static const struct symbol letter_symbols[] = {
	{ "ss", "ß" }, { "SS", "SS" }, { "o", "ø" }, { "O", "Ø" }, { "aa", "å" },
	{ "AA", "Å" }, { "ae", "æ" }, { "AE", "Æ" }, { "oe", "œ" }, { "OE", "Œ" },
	{ "l", "ł" }, { "L", "Ł" }, { "i", "ı" }, { "j", "ȷ" }, { "dh", "ð" },
	{ "DH", "Ð" }, { "dj", "đ" }, { "DJ", "Đ" }, { "th", "þ" }, { "TH", "Þ" },
	{ "ng", "ŋ" }, { "NG", "Ŋ" },
};

static const struct symbol symbols[] = {
	{ "textendash", "–" }, { "textemdash", "—" }, { "textquoteleft", "‘" },
	{ "textquoteright", "’" }, { "textquotedblleft", "“" }, { "textquotedblright", "”" },
	{ "textbackslash", "\\" }, { "textasciitilde", "~" }, { "textasciicircum", "^" },
	{ "textunderscore", "_" }, { "textbar", "|" }, { "textless", "<" },
	{ "textgreater", ">" }, { "textbraceleft", "{" }, { "textbraceright", "}" },
	{ "textdollar", "$" }, { "textperiodcentered", "·" }, { "textbullet", "•" },
	{ "textdegree", "°" }, { "degree", "°" }, { "textregistered", "®" },
	{ "texttrademark", "™" }, { "textcopyright", "©" }, { "copyright", "©" },
	{ "textmu", "µ" }, { "textpm", "±" }, { "texttimes", "×" }, { "textdiv", "÷" },
	{ "textsection", "§" }, { "S", "§" }, { "P", "¶" }, { "pounds", "£" },
	{ "texteuro", "€" }, { "euro", "€" }, { "dag", "†" }, { "ddag", "‡" },
	{ "ldots", "…" }, { "dots", "…" }, { "textellipsis", "…" }, { "cdots", "⋯" },
	{ "guillemotleft", "«" }, { "guillemotright", "»" }, { "textperthousand", "‰" },
	{ "quad", " " }, { "qquad", " " }, { "LaTeX", "LaTeX" }, { "TeX", "TeX" },
	{ "alpha", "α" }, { "beta", "β" }, { "gamma", "γ" }, { "delta", "δ" },
	{ "epsilon", "ε" }, { "varepsilon", "ε" }, { "zeta", "ζ" }, { "eta", "η" },
	{ "theta", "θ" }, { "vartheta", "ϑ" }, { "iota", "ι" }, { "kappa", "κ" },
	{ "lambda", "λ" }, { "mu", "μ" }, { "nu", "ν" }, { "xi", "ξ" }, { "pi", "π" },
	{ "rho", "ρ" }, { "sigma", "σ" }, { "tau", "τ" }, { "upsilon", "υ" },
	{ "phi", "φ" }, { "varphi", "φ" }, { "chi", "χ" }, { "psi", "ψ" },
	{ "omega", "ω" }, { "Gamma", "Γ" }, { "Delta", "Δ" }, { "Theta", "Θ" },
	{ "Lambda", "Λ" }, { "Xi", "Ξ" }, { "Pi", "Π" }, { "Sigma", "Σ" },
	{ "Upsilon", "Υ" }, { "Phi", "Φ" }, { "Psi", "Ψ" }, { "Omega", "Ω" },
	{ "pm", "±" }, { "mp", "∓" }, { "times", "×" }, { "div", "÷" }, { "cdot", "·" },
	{ "leq", "≤" }, { "le", "≤" }, { "geq", "≥" }, { "ge", "≥" }, { "neq", "≠" },
	{ "ne", "≠" }, { "approx", "≈" }, { "sim", "~" }, { "simeq", "≃" },
	{ "infty", "∞" }, { "circ", "°" }, { "prime", "′" }, { "rightarrow", "→" },
	{ "to", "→" }, { "leftarrow", "←" }, { "leftrightarrow", "↔" },
	{ "Rightarrow", "⇒" }, { "uparrow", "↑" }, { "downarrow", "↓" },
	{ "partial", "∂" }, { "nabla", "∇" }, { "sum", "∑" }, { "prod", "∏" },
	{ "int", "∫" }, { "sqrt", "√" }, { "propto", "∝" }, { "in", "∈" },
	{ "ll", "≪" }, { "gg", "≫" }, { "bullet", "•" }, { "ast", "*" },
	{ "star", "⋆" }, { "ell", "ℓ" }, { "hbar", "ℏ" }, { "lbrace", "{" },
	{ "rbrace", "}" }, { "backslash", "\\" }, { "vert", "|" }, { "langle", "⟨" },
	{ "rangle", "⟩" }, { "%", "%" },
};

/* Commands that only style their argument: dropped, the argument stays. */
static const char *const styling[] = {
	"textit", "textbf", "textsl", "textsc", "textup", "textrm", "textsf", "texttt",
	"textnormal", "emph", "em", "it", "bf", "sc", "rm", "sf", "tt", "sl", "mathrm",
	"mathit", "mathbf", "mathsf", "mathtt", "mathcal", "mathbb", "mathnormal",
	"boldsymbol", "mbox", "hbox", "text", "textsuperscript", "textsubscript",
	"ensuremath", "uppercase", "lowercase", "MakeUppercase", "MakeLowercase", "url",
	"relax", "protect", "nobreak", "allowbreak", "newblock", "xspace", "nocase",
	"NoCaseChange", "small", "footnotesize", "large", "Large", "normalsize",
	"left", "right", "bigl", "bigr", "displaystyle", "t", "textgreek",
};

/* Commands whose (first) argument is not text. */
static const char *const drop_argument[] = {
	"noopsort", "hspace", "vspace", "label", "href", "SortNoop", "sortnoop",
};

struct accent {
	char name;
	const char *combining;
	const char *alone; /* the accent with nothing under it */
};

static const struct accent accents[] = {
	{ '\'', "\xCC\x81", "'" }, { '`', "\xCC\x80", "`" }, { '^', "\xCC\x82", "^" },
	{ '"', "\xCC\x88", "\"" }, { '~', "\xCC\x83", "~" }, { '=', "\xCC\x84", "¯" },
	{ '.', "\xCC\x87", "." }, { 'u', "\xCC\x86", "" }, { 'v', "\xCC\x8C", "" },
	{ 'H', "\xCC\x8B", "" }, { 'c', "\xCC\xA7", "" }, { 'k', "\xCC\xA8", "" },
	{ 'r', "\xCC\x8A", "" }, { 'd', "\xCC\xA3", "" }, { 'b', "\xCC\xB1", "" },
};

static const struct accent *find_accent(char c)
{
	for (size_t i = 0; i < sizeof(accents) / sizeof(accents[0]); i++)
		if (accents[i].name == c)
			return &accents[i];
	return NULL;
}

/* name[0..len) is letters: when the first len bytes of t match, t ends
 * there exactly if t[len] is its NUL. The first letter rules out most
 * entries without a call. */
static int name_matches(const char *t, const char *name, size_t len)
{
	return t[0] == name[0] && !strncmp(t, name, len) && t[len] == '\0';
}

static const char *find_symbol(const struct symbol *table, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (name_matches(table[i].name, name, len))
			return table[i].text;
	return NULL;
}

static int in_list(const char *const *list, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (name_matches(list[i], name, len))
			return 1;
	return 0;
}

static size_t utf8_len(const char *s, size_t avail)
{
	unsigned char c = (unsigned char)*s;
	size_t n = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;

	return n <= avail ? n : avail;
}

/* The index of the '}' closing the group that opens at s[i], or n when
 * it is not closed. */
static size_t group_end(const char *s, size_t n, size_t i)
{
	size_t depth = 0;

	for (; i < n; i++) {
		if (s[i] == '{')
			depth++;
		else if (s[i] == '}' && --depth == 0)
			return i;
	}
	return n;
}

/* Past a {...} group starting at s[i], or i when there is none. */
static size_t skip_group(const char *s, size_t n, size_t i)
{
	size_t end;

	if (i >= n || s[i] != '{')
		return i;
	end = group_end(s, n, i);
	return end < n ? end + 1 : n;
}

/* The accented character: base plus combining mark, composed. */
static void put_accented(struct wn_buf *o, const char *base, size_t len, const struct accent *a)
{
	char tmp[16];
	utf8proc_uint8_t *nfc;

	if (len == 0) {
		wn_buf_adds(o, a->alone);
		return;
	}
	if (len > 8)
		len = 8;
	memcpy(tmp, base, len);
	strcpy(tmp + len, a->combining);
	nfc = utf8proc_NFC((const utf8proc_uint8_t *)tmp);
	wn_buf_adds(o, nfc ? (const char *)nfc : tmp);
	free(nfc);
}

/* The argument of an accent at s[i]: "{o}", "o", "{\i}", "\i", "{}".
 * Sets base/len and returns the index after it; returns i unchanged with
 * *len = (size_t)-1 when the argument is more than one letter. */
static size_t accent_argument(const char *s, size_t n, size_t i, const char **base, size_t *len)
{
	size_t j = i;

	while (j < n && (s[j] == ' ' || s[j] == '\t'))
		j++;
	*base = "";
	*len = 0;
	if (j < n && s[j] == '{') {
		size_t k = j + 1, e = group_end(s, n, j), end = e < n ? e + 1 : n;

		while (k < e && s[k] == ' ')
			k++;
		while (e > k && s[e - 1] == ' ')
			e--;
		if (k == e)
			return end; /* "{}" */
		if (e - k == 2 && s[k] == '\\' && (s[k + 1] == 'i' || s[k + 1] == 'j')) {
			*base = s[k + 1] == 'i' ? "i" : "j";
			*len = 1;
			return end;
		}
		if (s[k] != '\\' && s[k] != '{' && s[k] != '}' && utf8_len(s + k, e - k) == e - k) {
			*base = s + k;
			*len = e - k;
			return end;
		}
		*len = (size_t)-1;
		return i;
	}
	if (j + 1 < n && s[j] == '\\' && (s[j + 1] == 'i' || s[j + 1] == 'j') &&
	    (j + 2 >= n || !isalpha((unsigned char)s[j + 2]))) {
		*base = s[j + 1] == 'i' ? "i" : "j";
		*len = 1;
		return j + 2;
	}
	if (j < n && s[j] != '\\' && s[j] != '}' && s[j] != '\n') {
		*len = utf8_len(s + j, n - j);
		*base = s + j;
		return j + *len;
	}
	return j;
}

static void out_space(struct wn_buf *o)
{
	if (o->len && o->data[o->len - 1] != ' ' && o->data[o->len - 1] != '\n')
		wn_buf_addc(o, ' ');
}

static void out_newline(struct wn_buf *o)
{
	while (o->len && o->data[o->len - 1] == ' ')
		o->data[--o->len] = '\0';
	if (o->len)
		wn_buf_addc(o, '\n');
}

/* The bytes decode() has to look at: 1 for markup and white space, 2 for
 * what is markup only outside verbatim fields. Every other byte is copied
 * as it is, a run at a time. */
static const unsigned char markup[256] = {
	['{'] = 1, ['}'] = 1, ['\\'] = 1, ['\n'] = 1, [' '] = 1, ['\t'] = 1, ['\r'] = 1,
	['\f'] = 1, ['\v'] = 1, ['$'] = 2, ['^'] = 2, ['_'] = 2, ['-'] = 2, ['~'] = 2,
	['`'] = 2, ['\''] = 2,
};

/* Does s[j] come out of decode() as it is, when the text copied so far
 * (as it is) ends just before it? `after_text`: the output so far ends in
 * something other than white space, so that a space is kept. */
static inline int copies_as_is(const char *s, size_t j, size_t n, unsigned stop, int math,
			       int after_text)
{
	unsigned char c = (unsigned char)s[j];

	if (!(markup[c] & stop))
		return 1;
	if (c == ' ')
		return after_text;
	if (stop == 1)
		return 0;
	switch (c) {
	case '-':
	case '`':
	case '\'':
		/* only doubled are they a dash or a quote */
		return !(j + 1 < n && s[j + 1] == (char)c);
	case '^':
	case '_':
		return !math;
	default:
		return 0;
	}
}

#if defined(__SSE2__) && defined(__GNUC__)
/* A bit for each of 16 bytes that may be markup: white space and
 * controls, $ ' - \\ ] ^ _ ` { | } ~ (a superset of markup[]). */
static inline unsigned maybe_markup16(const char *p)
{
	const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i low = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(' ')), v);
	__m128i x5c = _mm_sub_epi8(v, _mm_set1_epi8(0x5c)); /* \\ ] ^ _ ` */
	__m128i x7b = _mm_sub_epi8(v, _mm_set1_epi8(0x7b)); /* { | } ~ */
	__m128i hit = _mm_or_si128(low, _mm_cmpeq_epi8(v, _mm_set1_epi8('$')));

	hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8('\'')));
	hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8('-')));
	hit = _mm_or_si128(hit, _mm_cmpeq_epi8(_mm_min_epu8(x5c, _mm_set1_epi8(4)), x5c));
	hit = _mm_or_si128(hit, _mm_cmpeq_epi8(_mm_min_epu8(x7b, _mm_set1_epi8(3)), x7b));
	return (unsigned)_mm_movemask_epi8(hit);
}
#endif

/* The end of the run of text from s[i] that decode() copies as it is:
 * words with single spaces between them, up to the next markup. */
static size_t plain_run(const char *s, size_t i, size_t n, unsigned stop, int math,
			int after_text)
{
	size_t j = i;

#if defined(__SSE2__) && defined(__GNUC__)
	for (; j < n; j += 16) {
		/* the last few bytes are looked at in a copy, padded */
		char pad[16] = { 0 };
		const char *p = s + j;
		unsigned valid = 0xffffu, m, sp, before;

		if (n - j < 16) {
			memcpy(pad, p, n - j);
			p = pad;
			valid = (1u << (n - j)) - 1;
		}
		m = maybe_markup16(p) & valid;
		/* a space after a byte that is not one (after_text for the
		 * first) is kept as it is: no need to look at it */
		sp = (unsigned)_mm_movemask_epi8(
			_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)p),
				       _mm_set1_epi8(' ')));
		before = j > i ? s[j - 1] == ' ' : !after_text;
		m &= ~(sp & ~((sp << 1) | before));
		while (m) {
			size_t k = j + (size_t)__builtin_ctz(m);

			if (!copies_as_is(s, k, n, stop, math, k > i ? s[k - 1] != ' ' : after_text))
				return k;
			m &= m - 1;
		}
	}
	return n;
#else
	for (; j < n; j++)
		if (!copies_as_is(s, j, n, stop, math, j > i ? s[j - 1] != ' ' : after_text))
			break;
	return j;
#endif
}

/* A value's text as UTF-8: LaTeX decoded (or, `verbatim`, only braces and
 * backslash escapes removed), white space folded, trimmed. */
static char *decode(const char *s, size_t n, int verbatim)
{
	struct wn_buf o = WN_BUF_INIT;
	unsigned stop = verbatim ? 1 : 3;
	int math = 0;
	size_t i = 0, start = 0, end;

	/* the text rarely comes out longer */
	o.cap = n + 1 > 64 ? n + 1 : 64;
	o.data = xmalloc(o.cap);
	o.data[0] = '\0';
	while (i < n) {
		char c;
		size_t j = plain_run(s, i, n, stop, math,
				     o.len && o.data[o.len - 1] != ' ' && o.data[o.len - 1] != '\n');

		if (j > i) {
			wn_buf_add(&o, s + i, j - i);
			i = j;
			if (i == n)
				break;
		}
		c = s[i];
		if (c == '{' || c == '}') {
			i++;
		} else if (c == '\n') {
			i++;
			if (i < n && (s[i] == ' ' || s[i] == '\t'))
				out_space(&o);
			else
				out_newline(&o);
		} else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
			out_space(&o);
			i++;
		} else if (c == '\\' && i + 1 < n) {
			char d = s[i + 1];
			const struct accent *a = find_accent(d);

			if (verbatim) {
				size_t k = i + 1;
				const char *sym = NULL;

				while (k < n && isalpha((unsigned char)s[k]))
					k++;
				if (k - i - 1 > 4 && !strncmp(s + i + 1, "text", 4))
					sym = find_symbol(symbols, sizeof(symbols) / sizeof(symbols[0]),
							  s + i + 1, k - i - 1);
				if (strchr("_%&#$~", d)) {
					wn_buf_addc(&o, d);
					i += 2;
				} else if (sym) {
					wn_buf_adds(&o, sym);
					i = k;
				} else if (k - i - 1 == 3 && !strncmp(s + i + 1, "url", 3)) {
					i = k;
				} else {
					wn_buf_addc(&o, c);
					i++;
				}
			} else if (a && (!isalpha((unsigned char)d) ||
					 !isalpha((unsigned char)(i + 2 < n ? s[i + 2] : ' ')))) {
				const char *base;
				size_t len, next = accent_argument(s, n, i + 2, &base, &len);

				if (len != (size_t)-1)
					put_accented(&o, base, len, a);
				i = next;
			} else if (isalpha((unsigned char)d)) {
				size_t k = i + 1, len;
				const char *name = s + i + 1, *sym;

				while (k < n && isalpha((unsigned char)s[k]))
					k++;
				len = k - i - 1;
				i = k;
				if ((sym = find_symbol(letter_symbols, sizeof(letter_symbols) / sizeof(letter_symbols[0]), name,
						       len))) {
					wn_buf_adds(&o, sym);
					while (i < n && (s[i] == ' ' || s[i] == '\t'))
						i++;
				} else if ((sym = find_symbol(symbols,
							      sizeof(symbols) / sizeof(symbols[0]),
							      name, len))) {
					wn_buf_adds(&o, sym);
				} else if (in_list(styling, sizeof(styling) / sizeof(styling[0]), name,
						   len)) {
					while (i < n && (s[i] == ' ' || s[i] == '\t'))
						i++;
				} else if (in_list(drop_argument,
						   sizeof(drop_argument) / sizeof(drop_argument[0]), name,
						   len)) {
					while (i < n && (s[i] == ' ' || s[i] == '\t'))
						i++;
					i = skip_group(s, n, i);
				} else {
					/* unknown: its name is the best guess at the text */
					wn_buf_add(&o, name, len);
				}
			} else if (strchr("&%$_#{}@", d)) {
				wn_buf_addc(&o, d);
				i += 2;
			} else if (d == '\\' || d == ' ' || d == '\n' || d == ',' || d == ';' ||
				   d == ':') {
				out_space(&o);
				i += 2;
			} else if (d == '-' || d == '/' || d == '!') {
				i += 2;
			} else {
				wn_buf_addc(&o, c);
				i++;
			}
		} else if (verbatim) {
			wn_buf_addc(&o, c);
			i++;
		} else if (c == '$') {
			math = !math;
			i++;
		} else if (math && (c == '^' || c == '_')) {
			i++;
		} else if (c == '-' && i + 1 < n && s[i + 1] == '-') {
			if (i + 2 < n && s[i + 2] == '-') {
				wn_buf_adds(&o, "—");
				i += 3;
			} else {
				wn_buf_adds(&o, "–");
				i += 2;
			}
		} else if (c == '~') {
			out_space(&o);
			i++;
		} else if (c == '`' && i + 1 < n && s[i + 1] == '`') {
			wn_buf_adds(&o, "“");
			i += 2;
		} else if (c == '\'' && i + 1 < n && s[i + 1] == '\'') {
			wn_buf_adds(&o, "”");
			i += 2;
		} else {
			wn_buf_addc(&o, c);
			i++;
		}
	}
	/* trimmed, as wn_trim would */
	end = o.len;
	while (end && wn_is_space((unsigned char)o.data[end - 1]))
		end--;
	while (start < end && wn_is_space((unsigned char)o.data[start]))
		start++;
	if (start)
		memmove(o.data, o.data + start, end - start);
	o.data[end - start] = '\0';
	return o.data;
}

/* ---- from fields to a record -------------------------------------------- */

static const struct {
	const char *bibtex;
	const char *type;
} entry_types[] = {
	{ "article", "journal-article" }, { "inproceedings", "conference-paper" },
	{ "conference", "conference-paper" }, { "proceedings", "book" }, { "book", "book" },
	{ "mvbook", "book" }, { "booklet", "book" }, { "collection", "book" },
	{ "incollection", "book-chapter" }, { "inbook", "book-chapter" },
	{ "phdthesis", "thesis" }, { "mastersthesis", "thesis" }, { "thesis", "thesis" },
	{ "techreport", "report" }, { "report", "report" }, { "online", "web-page" },
	{ "electronic", "web-page" }, { "www", "web-page" }, { "webpage", "web-page" },
	{ "dataset", "dataset" }, { "misc", "other" }, { "unpublished", "other" },
};

/* Document types (Scopus document_type, Web of Science Type) that say
 * more than the entry type. */
static const struct {
	const char *word;
	const char *type;
} type_words[] = {
	{ "review", "review" }, { "short survey", "review" }, { "editorial", "editorial" },
	{ "editorial material", "editorial" }, { "letter", "letter" },
	{ "comment", "comment" }, { "erratum", "erratum" }, { "correction", "erratum" },
	{ "retraction", "retraction" }, { "retracted", "retraction" },
	{ "conference abstract", "conference-abstract" },
	{ "meeting abstract", "conference-abstract" }, { "preprint", "preprint" },
	{ "dataset", "dataset" }, { "data set", "dataset" },
};

static const char *type_of_entry(const char *entry)
{
	for (size_t i = 0; i < sizeof(entry_types) / sizeof(entry_types[0]); i++)
		if (!strcasecmp(entry, entry_types[i].bibtex))
			return entry_types[i].type;
	return "other";
}

/* The record type a document type names ("Review; Early Access"), or
 * NULL. */
static const char *type_of_words(const char *value)
{
	const char *p = value;

	while (*p) {
		const char *e = strchr(p, ';');
		size_t len;

		if (!e)
			e = p + strlen(p);
		while (p < e && wn_is_space((unsigned char)*p))
			p++;
		len = (size_t)(e - p);
		while (len && wn_is_space((unsigned char)p[len - 1]))
			len--;
		for (size_t i = 0; i < sizeof(type_words) / sizeof(type_words[0]); i++)
			if (strlen(type_words[i].word) == len &&
			    !strncasecmp(p, type_words[i].word, len))
				return type_words[i].type;
		p = *e ? e + 1 : e;
	}
	return NULL;
}

static int is_booktitle_journal(const char *entry)
{
	return !strcasecmp(entry, "inproceedings") || !strcasecmp(entry, "conference") ||
	       !strcasecmp(entry, "incollection") || !strcasecmp(entry, "inbook");
}

static int is_verbatim_field(const char *name)
{
	return !strcasecmp(name, "url") || !strcasecmp(name, "doi") ||
	       !strcasecmp(name, "eprint") || !strcasecmp(name, "file") ||
	       !strcasecmp(name, "pdf") || !strcasecmp(name, "unique-id");
}

static const char *const month_names[] = {
	"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
};

/* Is the whole piece s[0..n) one {group} (a protected name)? */
static int whole_group(const char *s, size_t n)
{
	return n >= 2 && s[0] == '{' && group_end(s, n, 0) == n - 1 && s[1] != '\\';
}

/* "Smith, SR, Newton, K, and Hill, J" (Cochrane): a piece of an author
 * list holding several "Family, Initials" pairs. Adds them and returns 1. */
static int add_comma_pairs(struct wn_record *rec, const char *s, size_t n)
{
	size_t starts[64], ends[64], count = 0, i, start = 0;
	int depth = 0;

	for (i = 0; i <= n; i++) {
		if (i < n && s[i] == '{')
			depth++;
		else if (i < n && s[i] == '}')
			depth--;
		else if (i == n || (s[i] == ',' && depth == 0)) {
			if (count == 64)
				return 0;
			starts[count] = start;
			ends[count++] = i;
			start = i + 1;
		}
	}
	/* a trailing comma before "and" leaves an empty last piece */
	{
		size_t a = starts[count - 1], e = ends[count - 1];

		while (a < e && wn_is_space((unsigned char)s[a]))
			a++;
		if (a == e)
			count--;
	}
	if (count < 4 || count % 2)
		return 0;
	for (i = 1; i < count; i += 2) {
		size_t a = starts[i], e = ends[i], letters = 0;

		while (a < e && wn_is_space((unsigned char)s[a]))
			a++;
		while (e > a && wn_is_space((unsigned char)s[e - 1]))
			e--;
		if (a == e)
			return 0;
		for (size_t k = a; k < e; k++) {
			if (isupper((unsigned char)s[k]))
				letters++;
			else if (s[k] != '.' && s[k] != '-')
				return 0;
		}
		if (letters == 0 || letters > 4)
			return 0;
	}
	for (i = 0; i < count; i += 2) {
		char *family = decode(s + starts[i], ends[i] - starts[i], 0);
		char *given = decode(s + starts[i + 1], ends[i + 1] - starts[i + 1], 0);

		wn_strlist_take(&rec->authors, xasprintf("%s, %s", family, given));
		free(family);
		free(given);
	}
	return 1;
}

/* "and" in any case (strncasecmp(s, "and", 3) == 0, without the call). */
static int is_and(const char *s)
{
	return (s[0] | 0x20) == 'a' && (s[1] | 0x20) == 'n' && (s[2] | 0x20) == 'd';
}

/* Authors are split on the word "and" outside braces, before decoding. */
static void add_authors(struct wn_record *rec, const char *s, int *others)
{
	size_t n = strlen(s), start = 0;
	int depth = 0;

	for (size_t i = 0; i <= n; i++) {
		size_t a, e;

		if (i < n) {
			char c = s[i];

			if (c == '{')
				depth++;
			else if (c == '}')
				depth--;
			else if (depth == 0 && i + 4 < n && is_and(s + i + 1) &&
				 wn_is_space((unsigned char)c) && wn_is_space((unsigned char)s[i + 4]))
				goto split;
			continue;
		}
split:
		a = start;
		e = i;
		start = i < n ? i + 4 : n;
		while (a < e && wn_is_space((unsigned char)s[a]))
			a++;
		while (e > a && wn_is_space((unsigned char)s[e - 1]))
			e--;
		if (a == e)
			continue;
		if (e - a == 6 && !strncasecmp(s + a, "others", 6)) {
			*others = 1;
		} else if (whole_group(s + a, e - a)) {
			char *inner = decode(s + a + 1, e - a - 2, 0);

			wn_strlist_take(&rec->authors, xasprintf("{%s}", inner));
			free(inner);
		} else if (!add_comma_pairs(rec, s + a, e - a)) {
			char *name = decode(s + a, e - a, 0);

			if (*name)
				wn_strlist_take(&rec->authors, name);
			else
				free(name);
		}
	}
}

/* Keywords are split on ';' outside braces, or on ',' when there is no
 * ';' at all. */
static void add_list(struct wn_strlist *list, const char *s)
{
	size_t n = strlen(s), start = 0;
	char sep = ',';
	int depth = 0;

	/* Web of Science protects the whole list: {{a; b}} */
	while (n >= 2 && s[0] == '{' && group_end(s, n, 0) == n - 1) {
		s++;
		n -= 2;
	}
	if (!memchr(s, '{', n) && !memchr(s, '}', n)) {
		/* no braces (most lists): split on the separator alone */
		const char *end = s + n, *p = s;

		sep = memchr(s, ';', n) ? ';' : ',';
		for (;;) {
			const char *q = memchr(p, sep, (size_t)(end - p));
			char *item = decode(p, (size_t)((q ? q : end) - p), 0);

			if (*item)
				wn_strlist_take(list, item);
			else
				free(item);
			if (!q)
				return;
			p = q + 1;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '{')
			depth++;
		else if (s[i] == '}')
			depth--;
		else if (s[i] == ';' && depth == 0)
			sep = ';';
	}
	depth = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n) {
			if (s[i] == '{')
				depth++;
			else if (s[i] == '}')
				depth--;
			if (s[i] != sep || depth != 0)
				continue;
		}
		{
			char *item = decode(s + start, i - start, 0);

			if (*item)
				wn_strlist_take(list, item);
			else
				free(item);
		}
		start = i + 1;
	}
}

static void set_or_extra(struct wn_record *rec, char **field, const char *name, char *value)
{
	if (!*field)
		*field = value;
	else
		wn_record_take_extra(rec, name, value);
}

static void build_record(const struct bib_entry *e, struct wn_record *rec)
{
	const char *entry = e->type;
	int has_journal = 0, has_date = 0, others = 0, authors_seen = 0;
	const char *eprinttype = NULL, *refined = NULL;
	char *year = NULL, *month = NULL, *date = NULL;
	int eprint_mapped = 0, has_eprint = 0;

	for (size_t i = 0; i < e->nfields; i++) {
		enum field_kind kind = e->fields[i].kind;

		if (kind == F_JOURNAL)
			has_journal = 1;
		else if (kind == F_DATE)
			has_date = 1;
		else if (kind == F_EPRINTTYPE && !eprinttype)
			eprinttype = e->fields[i].value;
		else if (kind == F_EPRINT)
			has_eprint = 1;
	}
	if (eprinttype && has_eprint && (!strcasecmp(eprinttype, "pubmed") || !strcasecmp(eprinttype, "pmid") ||
			   !strcasecmp(eprinttype, "pmc") || !strcasecmp(eprinttype, "pmcid")))
		eprint_mapped = 1;

	wn_record_set(&rec->type, type_of_entry(entry));
	wn_record_add_extra(rec, "bibtex-type", entry);
	if (*e->key)
		wn_record_add_extra(rec, "bibtex-key", e->key);

	for (size_t i = 0; i < e->nfields; i++) {
		const char *name = e->fields[i].name, *raw = e->fields[i].value;
		enum field_kind kind = e->fields[i].kind;
		char *v;

		if (kind == F_AUTHOR) {
			if (!authors_seen++) {
				add_authors(rec, raw, &others);
				continue;
			}
		} else if (kind == F_KEYWORDS) {
			add_list(&rec->keywords, raw);
			continue;
		} else if (kind == F_MESH) {
			add_list(&rec->mesh, raw);
			continue;
		} else if (kind == F_PUBTYPES) {
			add_list(&rec->pubtypes, raw);
			continue;
		} else if (kind == F_EPRINTTYPE && eprint_mapped) {
			continue;
		}
		v = decode(raw, e->fields[i].value_len, verbatim_kind(kind));
		if (kind == F_TITLE) {
			set_or_extra(rec, &rec->title, name, v);
		} else if (kind == F_ABSTRACT) {
			set_or_extra(rec, &rec->abstract, name, v);
		} else if (kind == F_YEAR) {
			size_t len = strlen(v);
			int clean = len >= 1 && len <= 4 && strspn(v, "0123456789") == len && atoi(v) > 0;

			if (!year && clean) {
				rec->year = atoi(v);
				year = v;
			} else if (!year && !has_date) {
				year = v; /* "2019a", "in press": the date */
			} else {
				wn_record_take_extra(rec, name, v);
			}
		} else if (kind == F_MONTH && !has_date) {
			set_or_extra(rec, &month, name, v);
		} else if (kind == F_DATE) {
			set_or_extra(rec, &date, name, v);
		} else if (kind == F_JOURNAL) {
			set_or_extra(rec, &rec->journal, name, v);
		} else if (kind == F_BOOKTITLE && !has_journal && is_booktitle_journal(entry)) {
			set_or_extra(rec, &rec->journal, name, v);
		} else if (kind == F_JABBREV) {
			set_or_extra(rec, &rec->journal_abbrev, name, v);
		} else if (kind == F_VOLUME) {
			set_or_extra(rec, &rec->volume, name, v);
		} else if (kind == F_ISSUE) {
			set_or_extra(rec, &rec->issue, name, v);
		} else if (kind == F_PAGES) {
			set_or_extra(rec, &rec->pages, name, v);
		} else if (kind == F_DOI) {
			set_or_extra(rec, &rec->doi, name, v);
		} else if (kind == F_PMID) {
			set_or_extra(rec, &rec->pmid, name, v);
		} else if (kind == F_PMCID) {
			set_or_extra(rec, &rec->pmcid, name, v);
		} else if (kind == F_EPRINT && eprint_mapped) {
			if (!strncasecmp(eprinttype, "pmc", 3))
				set_or_extra(rec, &rec->pmcid, name, v);
			else
				set_or_extra(rec, &rec->pmid, name, v);
		} else if (kind == F_ISSN) {
			set_or_extra(rec, &rec->issn, name, v);
		} else if (kind == F_ISBN) {
			set_or_extra(rec, &rec->isbn, name, v);
		} else if (kind == F_LANGUAGE) {
			set_or_extra(rec, &rec->language, name, v);
		} else if (kind == F_URL) {
			set_or_extra(rec, &rec->url, name, v);
		} else if (kind == F_PUBLISHER) {
			set_or_extra(rec, &rec->publisher, name, v);
		} else if (kind == F_UNIQUE_ID) {
			set_or_extra(rec, &rec->source_id, name, v);
		} else {
			if (kind == F_DOCTYPE && !refined)
				refined = type_of_words(v);
			wn_record_take_extra(rec, name, v);
		}
	}
	if (others)
		wn_record_add_extra(rec, "author-others", "others");
	if (refined)
		wn_record_set(&rec->type, refined);
	/* Web of Science keys are the accession: ISI:000284016600001 */
	if (!rec->source_id &&
	    (!strncasecmp(e->key, "ISI:", 4) || !strncasecmp(e->key, "WOS:", 4)) && e->key[4])
		rec->source_id = xstrdup(e->key);
	if (date) {
		rec->date = date;
	} else if (year && month) {
		rec->date = wn_join(year, " ", month);
	} else if (year && !rec->year) {
		rec->date = year;
		year = NULL;
	} else if (month && !year) {
		rec->date = month;
		month = NULL;
	}
	free(year);
	free(month);
	if (e->raw.len) {
		/* a copy, allocated by the thread that builds the record and
		 * will free it; the entry's buffer stays with its reader */
		rec->raw_len = e->raw.len;
		rec->raw = xstrndup(e->raw.data, e->raw.len);
	}
	rec->line = e->line;
}

/* An entry handed over unbuilt, to be built on another thread. */
struct bib_job {
	struct wn_record_job job;
	struct bib_entry e;
};

static void bib_job_build(struct wn_record_job *job, struct wn_record *rec)
{
	struct bib_entry *e = &((struct bib_job *)job)->e;

	build_record(e, rec);
}

static void bib_job_release(struct wn_record_job *job)
{
	struct bib_job *j = (struct bib_job *)job;

	wn_buf_release(&j->e.raw);
	wn_buf_release(&j->e.text);
	free(j->e.fields);
	free(j);
}

/* Hand the entry just read over unbuilt (wn_parser_emit_job): its
 * buffers go with it, and the next entry is read into new ones as large
 * as this entry needed (entries of a file are much alike), so that they
 * seldom grow. As large as it needed, not as large as its buffers grew:
 * one huge entry must not make every later one as large. */
static int emit_unbuilt(struct bib *b)
{
	struct bib_job *j = xmalloc(sizeof(*j));
	size_t raw_len = b->e.raw.len, text_len = b->e.text.len;

	j->job.build = bib_job_build;
	j->job.release = bib_job_release;
	/* what it holds, for the queue's bound on memory */
	j->job.bytes = b->e.raw.cap + b->e.text.cap;
	j->e = b->e;
	b->e.raw = (struct wn_buf)WN_BUF_INIT;
	b->e.text = (struct wn_buf)WN_BUF_INIT;
	wn_buf_grow(&b->e.raw, raw_len);
	wn_buf_grow(&b->e.text, text_len);
	b->e.fields = b->e.fields_cap ? xmalloc(b->e.fields_cap * sizeof(*b->e.fields)) : NULL;
	b->e.nfields = 0;
	return wn_parser_emit_job(b->p, &j->job);
}

/* ---- entries ------------------------------------------------------------ */

static void trim_raw(struct wn_buf *raw)
{
	while (raw->len && wn_is_space((unsigned char)raw->data[raw->len - 1]))
		raw->data[--raw->len] = '\0';
}

/* Skip to the next line that starts with '@' (after a syntax error). */
static void recover(struct bib *b)
{
	while (!b->s.eof) {
		if (b->s.pos == 0) {
			const char *p = b->s.line, *end = p + b->s.len;

			while (p < end && (*p == ' ' || *p == '\t'))
				p++;
			if (p < end && *p == '@')
				return;
		}
		advance(&b->s);
	}
}

/* Before a name in a "name = value, ..." list closed by `close`: skips
 * blanks and commas. 1 when something else follows (a name, one hopes);
 * 0 at the list's end, its closing bracket read, or at the end of the
 * input (*status PARSE_EOF). */
static int list_goes_on(struct bib *b, int close, int *status)
{
	for (;;) {
		int c;

		skip_blank(b);
		c = peek(&b->s);
		if (c == close) {
			advance(&b->s);
			return 0;
		}
		if (c < 0) {
			*status = PARSE_EOF;
			return 0;
		}
		if (c != ',')
			return 1;
		advance(&b->s);
	}
}

/* The fields of an entry, after its key. */
static int read_fields(struct bib *b, int close, int *status, const char **error,
		       const char *first_name)
{
	char name[MAX_NAME + 1];
	size_t at;
	int rc = 0;

	*status = PARSE_OK;
	for (;;) {
		int c;

		if (first_name) {
			snprintf(name, sizeof(name), "%s", first_name);
			first_name = NULL;
		} else {
			if (!list_goes_on(b, close, status))
				break;
			c = peek(&b->s);
			if (c == '@' && entry_here(&b->s)) {
				*status = PARSE_NEW_ENTRY;
				break;
			}
			if (!is_name_char(c)) {
				*error = "expected a field name";
				*status = PARSE_SYNTAX;
				break;
			}
			read_name(b, name);
			skip_blank(b);
			if (peek(&b->s) != '=') {
				*error = peek(&b->s) < 0 ? NULL : "expected '=' after a field name";
				*status = peek(&b->s) < 0 ? PARSE_EOF : PARSE_SYNTAX;
				break;
			}
		}
		advance(&b->s); /* '=' */
		at = b->e.text.len;
		rc = read_value(b, &b->e.text, status, error);
		if (rc) {
			text_cut(b, at);
			break;
		}
		if (*status == PARSE_OK || *status == PARSE_EOF || *status == PARSE_NEW_ENTRY)
			add_field(b, name, at);
		else
			text_cut(b, at);
		if (*status != PARSE_OK)
			break;
		skip_blank(b);
		c = peek(&b->s);
		if (c == '@' && entry_here(&b->s)) {
			*status = PARSE_NEW_ENTRY;
			break;
		}
		if (c != ',' && c != close && c >= 0) {
			if (!is_name_char(c)) {
				*error = "expected ',' or the end of the entry after a value";
				*status = PARSE_SYNTAX;
				break;
			}
			rc = wn_parser_warn(b->p, b->s.lineno, "missing ',' after the field '%s'",
					    name);
			if (rc)
				break;
		}
	}
	return rc;
}

/* @string{name = value, ...} */
static int read_strings(struct bib *b, int close, int *status, const char **error)
{
	struct wn_buf val = WN_BUF_INIT;
	char name[MAX_NAME + 1];
	int rc = 0;

	*status = PARSE_OK;
	while (list_goes_on(b, close, status)) {
		if (!is_name_char(peek(&b->s))) {
			*error = "expected a macro name in @string";
			*status = PARSE_SYNTAX;
			break;
		}
		read_name(b, name);
		skip_blank(b);
		if (peek(&b->s) != '=') {
			*error = "expected '=' in @string";
			*status = PARSE_SYNTAX;
			break;
		}
		advance(&b->s);
		wn_buf_reset(&val);
		rc = read_value(b, &val, status, error);
		if (rc || *status != PARSE_OK)
			break;
		macro_set(&b->macros, name, wn_buf_str(&val));
	}
	wn_buf_release(&val);
	return rc;
}

/* @comment{...}: skipped with everything inside its braces, as biber and
 * JabRef do, so that commented-out entries stay out. */
static int skip_comment(struct bib *b)
{
	long line = b->e.line;
	int depth = 0, close;

	skip_blank(b);
	close = peek(&b->s);
	if (close != '{' && close != '(')
		return 0;
	close = close == '{' ? '}' : ')';
	advance(&b->s);
	for (;;) {
		int c = peek(&b->s);

		if (c < 0)
			return wn_parser_warn(b->p, line, "@comment is not closed before the end of the file");
		advance(&b->s);
		if (c == '{')
			depth++;
		else if (c == '}' && depth > 0)
			depth--;
		else if (c == close && depth == 0)
			return 0;
	}
}

static void note_dialect(struct bib *b)
{
	if (b->p->dialect)
		return;
	if (!strncasecmp(b->e.key, "ISI:", 4) || !strncasecmp(b->e.key, "WOS:", 4)) {
		b->p->dialect = "wos";
		return;
	}
	for (size_t i = 0; i < b->e.nfields; i++) {
		if (b->e.fields[i].kind == F_UNIQUE_ID) {
			b->p->dialect = "wos";
		} else if (b->e.fields[i].kind == F_SOURCE &&
			   !strcasecmp(b->e.fields[i].value, "Scopus")) {
			b->p->dialect = "scopus";
		}
	}
}

/* One entry, from its '@'. */
static int parse_entry(struct bib *b)
{
	struct wn_record rec;
	const char *error = NULL;
	int status = PARSE_OK, close, rc = 0, is_string, is_preamble;
	char first[MAX_NAME + 1];

	b->e.line = b->s.lineno;
	b->entry_bytes = 0;
	b->entry_cut = 0;
	wn_buf_reset(&b->e.raw);
	clear_fields(b);
	raw_start(&b->s, &b->e.raw);
	advance(&b->s); /* '@' */
	skip_blank(b);
	read_name(b, b->e.type);
	if (!strcasecmp(b->e.type, "comment")) {
		raw_stop(&b->s);
		return skip_comment(b);
	}
	skip_blank(b);
	close = peek(&b->s);
	if (!*b->e.type || (close != '{' && close != '(')) {
		raw_stop(&b->s);
		return wn_parser_warn(b->p, b->e.line, "'@' not followed by an entry type and '{'; skipped");
	}
	close = close == '{' ? '}' : ')';
	advance(&b->s);
	is_string = !strcasecmp(b->e.type, "string");
	is_preamble = !strcasecmp(b->e.type, "preamble");
	*b->e.key = '\0';
	if (is_preamble) {
		struct wn_buf val = WN_BUF_INIT;

		rc = read_value(b, &val, &status, &error);
		wn_buf_release(&val);
		if (!rc && status == PARSE_OK) {
			skip_blank(b);
			if (peek(&b->s) == close)
				advance(&b->s);
			else if (peek(&b->s) < 0)
				status = PARSE_EOF;
			else
				error = "expected the end of @preamble", status = PARSE_SYNTAX;
		}
	} else if (is_string) {
		rc = read_strings(b, close, &status, &error);
	} else {
		size_t n = 0;
		int c;

		/* the key: up to ',' (a key may hold ')' or '}' of the other
		 * delimiter, never white space) */
		skip_blank(b);
		/* Cochrane writes keys with spaces ("Alves Galvão14"): a key
		 * runs to the ',' on its line */
		while ((c = peek(&b->s)) >= 0 && c != ',' && c != close && c != '=' &&
		       c != '\n' && c != '{' && c != '}') {
			if (n < MAX_NAME)
				b->e.key[n++] = (char)c;
			advance(&b->s);
		}
		while (n && wn_is_space((unsigned char)b->e.key[n - 1]))
			n--;
		b->e.key[n] = '\0';
		skip_blank(b);
		if (peek(&b->s) == '=') {
			/* no key: what was read is the first field's name */
			snprintf(first, sizeof(first), "%s", b->e.key);
			*b->e.key = '\0';
			rc = wn_parser_warn(b->p, b->e.line, "entry without a citation key");
			if (!rc)
				rc = read_fields(b, close, &status, &error, first);
		} else if (peek(&b->s) == ',' || peek(&b->s) == close) {
			rc = read_fields(b, close, &status, &error, NULL);
		} else if (peek(&b->s) < 0) {
			status = PARSE_EOF;
		} else {
			error = "expected ',' after the citation key";
			status = PARSE_SYNTAX;
		}
	}
	if (rc) {
		raw_stop(&b->s);
		return rc;
	}

	if (status == PARSE_SYNTAX) {
		long at = b->s.lineno;

		rc = wn_parser_warn(b->p, at, "@%s%s%s at line %ld: %s; %s", b->e.type,
				    *b->e.key ? " " : "", b->e.key, b->e.line, error ? error : "syntax error",
				    is_string || is_preamble
					    ? "skipped to the next line starting with '@'"
					    : "kept what came before, skipped to the next line "
					      "starting with '@'");
		recover(b);
	} else if (status == PARSE_EOF) {
		rc = wn_parser_warn(b->p, b->e.line, "@%s%s%s is not closed before the end of the file",
				    b->e.type, *b->e.key ? " " : "", b->e.key);
	} else if (status == PARSE_NEW_ENTRY) {
		rc = wn_parser_warn(b->p, b->e.line,
				    "@%s%s%s is not closed before the entry at line %ld", b->e.type,
				    *b->e.key ? " " : "", b->e.key, b->s.lineno);
	}
	raw_stop(&b->s);
	if (rc)
		return rc;
	if (b->entry_cut || b->e.raw.len >= b->s.raw_max) {
		rc = wn_parser_warn(b->p, b->e.line, "entry larger than %u MiB; cut",
				    MAX_ENTRY_BYTES >> 20);
		if (rc)
			return rc;
	}
	if (is_string || is_preamble)
		return 0;
	trim_raw(&b->e.raw);
	fields_done(b);
	note_dialect(b);
	if (b->p->job)
		return emit_unbuilt(b);
	wn_record_init(&rec);
	build_record(&b->e, &rec);
	clear_fields(b);
	return wn_parser_emit(b->p, &rec);
}

static void define_months(struct macros *m)
{
	for (size_t i = 0; i < 12; i++) {
		char value[4] = { (char)toupper((unsigned char)month_names[i][0]),
				  month_names[i][1], month_names[i][2], '\0' };

		macro_set(m, month_names[i], value);
	}
}

int wn_parse_bibtex(struct wn_parser *p)
{
	struct bib b;
	int rc = 0, entries = 0;
	long text_line = 0;

	memset(&b, 0, sizeof(b));
	b.p = p;
	b.s.in = p->in;
	b.s.raw_max = MAX_ENTRY_BYTES;
	define_months(&b.macros);
	stream_fetch(&b.s);
	while (!b.s.eof && !rc) {
		int c = peek(&b.s);

		if (b.s.pos == 0 && !text_line && entries == 0) {
			/* the first line of text outside entries, if no entry
			 * follows: not BibTeX at all */
			const char *t = b.s.line;

			while (*t == ' ' || *t == '\t')
				t++;
			if (*t && *t != '%' && *t != '@')
				text_line = b.s.lineno;
		}
		if (b.s.pos == 0 && !p->dialect) {
			/* headers some databases write before the entries */
			if (!strncmp(b.s.line, "Record #", 8))
				p->dialect = "cochrane";
			else if (!strncmp(b.s.line, "EXPORT DATE:", 12))
				p->dialect = "scopus";
			else if (strstr(b.s.line, "created with JabRef") ||
				 !strncasecmp(b.s.line, "@comment{jabref-meta", 20))
				p->dialect = "jabref";
		}
		if (c == '@' && starts_entry(b.s.line + b.s.pos, b.s.line + b.s.len, 0,
					     at_line_start(&b.s))) {
			entries++;
			rc = parse_entry(&b);
		} else {
			advance(&b.s);
		}
	}
	if (!rc && b.s.status)
		rc = b.s.status;
	else if (!rc && entries == 0 && text_line)
		rc = wn_error_set(WN_EINVALID, "%s:%ld: no BibTeX entry (@type{...}) in the file",
				  wn_input_name(p->in), text_line);
	else if (!rc && entries == 0)
		rc = wn_parser_warn(p, 0, "no BibTeX entries in the file (only comments)");
	clear_fields(&b);
	free(b.e.fields);
	macros_free(&b.macros);
	wn_buf_release(&b.e.raw);
	wn_buf_release(&b.e.text);
	return rc;
}

int wn_sniff_bibtex(const char *head, size_t len)
{
	const char *p = head, *end = head + len;
	int junk_lines = 0;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p)), *q = p;

		if (!eol)
			eol = end;
		while (q < eol && wn_is_space((unsigned char)*q))
			q++;
		if (q < eol && *q == '@' && starts_entry(q, eol, 0, 1)) {
			const char *brace = q;

			while (brace < eol && *brace != '{' && *brace != '(')
				brace++;
			/* "@article{key," or "@string{" : surely BibTeX */
			if (brace < eol && (memchr(brace, ',', (size_t)(eol - brace)) ||
					    memchr(brace, '=', (size_t)(eol - brace))))
				return junk_lines == 0 ? 95 : junk_lines <= 5 ? 85 : 60;
			return junk_lines == 0 ? 80 : junk_lines <= 5 ? 70 : 50;
		}
		if (q < eol && *q != '%')
			junk_lines++;
		if (junk_lines > 50)
			return 0;
		p = eol + 1;
	}
	return 0;
}

/* ---- writer ------------------------------------------------------------- */

struct keyset {
	char **slots;
	size_t cap, n;
};

static int keyset_add(struct keyset *k, const char *key)
{
	size_t i;

	if (k->n * 2 >= k->cap) {
		struct keyset bigger = { NULL, k->cap ? k->cap * 2 : 256, 0 };

		bigger.slots = xcalloc(bigger.cap, sizeof(*bigger.slots));
		for (size_t j = 0; j < k->cap; j++) {
			if (!k->slots[j])
				continue;
			i = (size_t)hash_name(k->slots[j]) & (bigger.cap - 1);
			while (bigger.slots[i])
				i = (i + 1) & (bigger.cap - 1);
			bigger.slots[i] = k->slots[j];
			bigger.n++;
		}
		free(k->slots);
		*k = bigger;
	}
	/* BibTeX compares keys without case */
	i = (size_t)hash_name(key) & (k->cap - 1);
	while (k->slots[i]) {
		if (!strcasecmp(k->slots[i], key))
			return 0;
		i = (i + 1) & (k->cap - 1);
	}
	k->slots[i] = xstrdup(key);
	k->n++;
	return 1;
}

static int bibtex_begin(struct wn_writer *w)
{
	w->state = xcalloc(1, sizeof(struct keyset));
	return WN_OK;
}

static int bibtex_end(struct wn_writer *w)
{
	struct keyset *k = w->state;

	for (size_t i = 0; i < k->cap; i++)
		free(k->slots[i]);
	free(k->slots);
	free(k);
	w->state = NULL;
	return WN_OK;
}

static const char *extra_get(const struct wn_record *rec, const char *tag)
{
	for (size_t i = 0; i < rec->nextra; i++)
		if (!strcmp(rec->extra[i].tag, tag))
			return rec->extra[i].value;
	return NULL;
}

static int valid_key(const char *s)
{
	if (!*s || strlen(s) > MAX_NAME)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || strchr(",{}()\"#%=\\", *s))
			return 0;
	return 1;
}

static int valid_name(const char *s)
{
	if (!isalpha((unsigned char)*s) || strlen(s) > MAX_NAME)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_-.:+/", *s) &&
		    (unsigned char)*s < 0x80)
			return 0;
	return 1;
}

static char *make_key(struct keyset *used, const struct wn_record *rec)
{
	const char *given = extra_get(rec, "bibtex-key");
	struct wn_buf b = WN_BUF_INIT;
	struct wn_author_name a;
	size_t base;

	if (given && valid_key(given) && keyset_add(used, given))
		return xstrdup(given);
	if (rec->authors.n && wn_author_parse(rec->authors.items[0], &a) == 0) {
		char *folded = wn_fold(a.family);

		for (const char *c = folded; *c && b.len < 24; c++)
			if (isalnum((unsigned char)*c) && (unsigned char)*c < 0x80)
				wn_buf_addc(&b, *c);
		free(folded);
		wn_author_name_release(&a);
	}
	if (!b.len)
		wn_buf_adds(&b, "anon");
	if (rec->year)
		wn_buf_addf(&b, "%d", rec->year);
	base = b.len;
	for (long n = 2; !keyset_add(used, wn_buf_str(&b)); n++) {
		b.len = base;
		wn_buf_addf(&b, "-%ld", n);
	}
	return wn_buf_detach(&b);
}

/* Are the braces in s balanced (so that \{ and \} keep BibTeX's own
 * brace counting right)? */
static int braces_balanced(const char *s)
{
	long depth = 0;

	for (; *s; s++) {
		if (*s == '{')
			depth++;
		else if (*s == '}' && --depth < 0)
			return 0;
	}
	return depth == 0;
}

/* Text written so that reading it back gives the same text. */
static void escape_text(struct wn_buf *o, const char *s)
{
	int balanced = braces_balanced(s);
	int line_start = 0;

	for (; *s; s++) {
		char c = *s;

		if (line_start && (c == ' ' || c == '\t'))
			continue; /* indentation would read as a wrapped line */
		if (line_start && c == '@') {
			wn_buf_adds(o, "{@}"); /* not the start of an entry */
			line_start = 0;
			continue;
		}
		line_start = 0;
		switch (c) {
		case '\\':
			wn_buf_adds(o, "\\textbackslash{}");
			break;
		case '{':
			wn_buf_adds(o, balanced ? "\\{" : "\\textbraceleft{}");
			break;
		case '}':
			wn_buf_adds(o, balanced ? "\\}" : "\\textbraceright{}");
			break;
		case '~':
			wn_buf_adds(o, "\\textasciitilde{}");
			break;
		case '^':
			wn_buf_adds(o, "\\textasciicircum{}");
			break;
		case '$':
		case '%':
		case '&':
		case '#':
		case '_':
			wn_buf_addc(o, '\\');
			wn_buf_addc(o, c);
			break;
		case '-':
		case '`':
		case '\'':
			wn_buf_addc(o, c);
			if (s[1] == c)
				wn_buf_adds(o, "{}"); /* not a dash or a quote ligature */
			break;
		case '\n':
			while (o->len && (o->data[o->len - 1] == ' ' || o->data[o->len - 1] == '\t'))
				o->data[--o->len] = '\0';
			wn_buf_addc(o, '\n');
			line_start = 1;
			break;
		case '\r':
		case '\t':
			wn_buf_addc(o, ' ');
			break;
		default:
			wn_buf_addc(o, c);
		}
	}
}

static void escape_verbatim(struct wn_buf *o, const char *s)
{
	for (; *s; s++) {
		if (*s == '{' || *s == '}' || *s == '\\')
			wn_buf_addc(o, '\\');
		if (*s == '\n' || *s == '\r' || *s == '\t')
			wn_buf_addc(o, ' ');
		else
			wn_buf_addc(o, *s);
	}
}

static void write_field(struct wn_buf *o, const char *name, const char *value)
{
	if (!value)
		return;
	wn_buf_addf(o, ",\n  %s = {", name);
	if (is_verbatim_field(name))
		escape_verbatim(o, value);
	else
		escape_text(o, value);
	wn_buf_addc(o, '}');
}

/* "and" inside a name is protected so that it does not split it. */
static void escape_name(struct wn_buf *o, const char *name)
{
	const char *p = name;

	while (*p) {
		const char *hit = p;

		while ((hit = strcasestr(hit, "and")) && !((hit == name || wn_is_space((unsigned char)hit[-1])) &&
							   (wn_is_space((unsigned char)hit[3]))))
			hit += 3;
		if (!hit) {
			escape_text(o, p);
			return;
		}
		{
			char *part = xstrndup(p, (size_t)(hit - p));

			escape_text(o, part);
			free(part);
		}
		wn_buf_addc(o, '{');
		wn_buf_add(o, hit, 3);
		wn_buf_addc(o, '}');
		p = hit + 3;
	}
}

static void write_authors(struct wn_buf *o, const struct wn_record *rec)
{
	int n = 0;

	for (size_t i = 0; i < rec->authors.n; i++) {
		struct wn_author_name a;
		char *display = wn_author_display(rec->authors.items[i]);

		if (!display)
			continue;
		if (!n++)
			wn_buf_adds(o, ",\n  author = {");
		else
			wn_buf_adds(o, " and ");
		if (wn_author_parse(rec->authors.items[i], &a) == 0 && a.collective) {
			wn_buf_addc(o, '{');
			escape_text(o, display);
			wn_buf_addc(o, '}');
		} else {
			escape_name(o, display);
		}
		wn_author_name_release(&a);
		free(display);
	}
	if (extra_get(rec, "author-others")) {
		wn_buf_adds(o, n++ ? " and others" : ",\n  author = {others");
	}
	if (n)
		wn_buf_addc(o, '}');
}

static void write_list(struct wn_buf *o, const char *name, const struct wn_strlist *l)
{
	int semicolon = 0;

	if (!l->n)
		return;
	wn_buf_addf(o, ",\n  %s = {", name);
	for (size_t i = 0; i < l->n; i++) {
		const char *item = l->items[i];

		if (i)
			wn_buf_adds(o, "; ");
		if (strchr(item, ';') || strchr(item, ',')) {
			wn_buf_addc(o, '{');
			escape_text(o, item);
			wn_buf_addc(o, '}');
		} else {
			escape_text(o, item);
		}
		semicolon |= i > 0;
	}
	/* a single item keeps a ';' so that its commas do not split it */
	if (!semicolon)
		wn_buf_addc(o, ';');
	wn_buf_addc(o, '}');
}

static const struct {
	const char *type;
	const char *entry;
	const char *word; /* a document type that tells the reader, or NULL */
} type_out[] = {
	{ "journal-article", "article", NULL }, { "review", "article", "Review" },
	{ "editorial", "article", "Editorial" }, { "letter", "article", "Letter" },
	{ "comment", "article", "Comment" }, { "erratum", "article", "Erratum" },
	{ "retraction", "article", "Retraction" },
	{ "conference-paper", "inproceedings", NULL },
	{ "conference-abstract", "inproceedings", "Conference Abstract" },
	{ "book", "book", NULL }, { "book-chapter", "incollection", NULL },
	{ "thesis", "phdthesis", NULL }, { "report", "techreport", NULL },
	{ "preprint", "misc", "Preprint" }, { "dataset", "misc", "Dataset" },
	{ "web-page", "online", NULL }, { "other", "misc", NULL },
};

/* What the reader makes of an entry type and the record's document
 * types. */
static const char *type_read_back(const char *entry, const struct wn_record *rec)
{
	for (size_t i = 0; i < rec->nextra; i++) {
		const char *tag = rec->extra[i].tag;

		if (!strcmp(tag, "type") || !strcmp(tag, "document_type")) {
			const char *t = type_of_words(rec->extra[i].value);

			if (t)
				return t;
		}
	}
	return type_of_entry(entry);
}

static const char *entry_type(const struct wn_record *rec, const char **word)
{
	const char *given = extra_get(rec, "bibtex-type");
	const char *type = rec->type ? rec->type : "other";
	const char *entry = "misc";

	*word = NULL;
	if (given && valid_name(given) && strcasecmp(given, "string") &&
	    strcasecmp(given, "comment") && strcasecmp(given, "preamble") &&
	    !strcmp(type_read_back(given, rec), type))
		return given;
	for (size_t i = 0; i < sizeof(type_out) / sizeof(type_out[0]); i++) {
		if (!strcmp(type_out[i].type, type)) {
			entry = type_out[i].entry;
			if (strcmp(type_read_back(entry, rec), type))
				*word = type_out[i].word;
			break;
		}
	}
	return entry;
}

static int is_month_abbrev(const char *s)
{
	for (size_t i = 0; i < 12; i++)
		if (strlen(s) == 3 && toupper((unsigned char)month_names[i][0]) == s[0] &&
		    month_names[i][1] == s[1] && month_names[i][2] == s[2])
			return (int)i + 1;
	return 0;
}

static void write_date(struct wn_buf *o, const struct wn_record *rec)
{
	char year[16] = "";
	size_t ylen;

	if (rec->year)
		snprintf(year, sizeof(year), "%d", rec->year);
	ylen = strlen(year);
	if (*year)
		wn_buf_addf(o, ",\n  year = {%s}", year);
	if (!rec->date)
		return;
	if (ylen && !strncmp(rec->date, year, ylen) && rec->date[ylen] == ' ' &&
	    rec->date[ylen + 1]) {
		const char *rest = rec->date + ylen + 1;
		int m = is_month_abbrev(rest);

		if (m)
			wn_buf_addf(o, ",\n  month = %s", month_names[m - 1]);
		else
			write_field(o, "month", rest);
		return;
	}
	write_field(o, "date", rec->date);
}

/* Pages with '--' between numbers, as LaTeX wants them. */
static void write_pages(struct wn_buf *o, const char *pages)
{
	struct wn_buf t = WN_BUF_INIT;

	if (!pages)
		return;
	wn_buf_adds(o, ",\n  pages = {");
	for (const char *p = pages; *p; p++) {
		if (*p == '-' && p > pages && isalnum((unsigned char)p[-1]) &&
		    isalnum((unsigned char)p[1])) {
			wn_buf_adds(o, "--");
			continue;
		}
		wn_buf_reset(&t);
		wn_buf_addc(&t, *p);
		escape_text(o, wn_buf_str(&t));
	}
	wn_buf_release(&t);
	wn_buf_addc(o, '}');
}

static int is_internal_tag(const char *tag)
{
	return !strcmp(tag, "bibtex-type") || !strcmp(tag, "bibtex-key") ||
	       !strcmp(tag, "author-others");
}

static int bibtex_record(struct wn_writer *w, const struct wn_record *rec,
			 const struct wn_record_meta *meta)
{
	struct wn_buf o = WN_BUF_INIT;
	const char *word, *entry = entry_type(rec, &word);
	char *key;
	int booktitle;

	(void)meta;
	if (!w->state)
		bibtex_begin(w);
	key = make_key(w->state, rec);
	booktitle = is_booktitle_journal(entry) && !extra_get(rec, "booktitle");
	wn_buf_addf(&o, "%s@%s{%s", w->count ? "\n" : "", entry, key);
	free(key);
	write_authors(&o, rec);
	write_field(&o, "title", rec->title);
	write_field(&o, booktitle ? "booktitle" : "journal", rec->journal);
	write_field(&o, "shortjournal", rec->journal_abbrev);
	write_date(&o, rec);
	write_field(&o, "volume", rec->volume);
	write_field(&o, "number", rec->issue);
	write_pages(&o, rec->pages);
	write_field(&o, "publisher", rec->publisher);
	write_field(&o, "doi", rec->doi);
	write_field(&o, "pmid", rec->pmid);
	write_field(&o, "pmcid", rec->pmcid);
	write_field(&o, "issn", rec->issn);
	write_field(&o, "isbn", rec->isbn);
	write_field(&o, "language", rec->language);
	write_field(&o, "url", rec->url);
	write_field(&o, "unique-id", rec->source_id);
	write_list(&o, "keywords", &rec->keywords);
	write_list(&o, "mesh", &rec->mesh);
	write_list(&o, "pubtypes", &rec->pubtypes);
	if (word)
		write_field(&o, "type", word);
	write_field(&o, "abstract", rec->abstract);
	for (size_t i = 0; i < rec->nextra; i++) {
		const char *tag = rec->extra[i].tag;

		if (!is_internal_tag(tag) && valid_name(tag))
			write_field(&o, tag, rec->extra[i].value);
	}
	wn_buf_adds(&o, "\n}\n");
	fwrite(o.data, 1, o.len, w->fp);
	wn_buf_release(&o);
	return WN_OK;
}

const struct wn_writer_ops wn_writer_bibtex = { "bibtex", bibtex_begin, bibtex_record,
						bibtex_end };
