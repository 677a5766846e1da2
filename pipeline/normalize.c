/*
 * Normalisation of the fields that deduplication and look-ups compare.
 *
 * The rules follow what systematic-review deduplicators found necessary
 * (ASySD, the SRA Deduplicator; see reference/formats-and-standards.md §6):
 * DOIs lose their resolver prefixes and case, titles lose markup, accents,
 * punctuation and PubMed's bracketed translations, authors become
 * "surname initials", abbreviated page ranges are written out.
 */
#include "winnow/record.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "util.h"

/* A copy of s with leading and trailing whitespace removed. */
static char *trimmed(const char *s)
{
	char *copy = xstrdup(s), *t = wn_trim(copy);

	memmove(copy, t, strlen(t) + 1);
	return copy;
}

static int is_apostrophe(utf8proc_int32_t cp)
{
	return cp == '\'' || cp == 0x2019 || cp == 0x2018 || cp == 0x02BC || cp == '`';
}

/* wn_fold for text that is all ASCII (most titles, names and journals):
 * the same key without utf8proc's decomposition tables. */
static char *fold_ascii(const char *s)
{
	size_t n = strlen(s), len = 0;
	char *out = xmalloc(n + 1);
	int pending_space = 0;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\'' || c == '`')
			continue;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) {
			if (pending_space && len)
				out[len++] = ' ';
			pending_space = 0;
			out[len++] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
		} else {
			pending_space = 1;
		}
	}
	out[len] = '\0';
	return out;
}

static int all_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

char *wn_fold(const char *s)
{
	utf8proc_uint8_t *mapped = NULL;
	struct wn_buf b = WN_BUF_INIT;
	char *clean;
	utf8proc_ssize_t n;
	int pending_space = 0;

	if (!s || all_ascii(s))
		return fold_ascii(s ? s : "");
	clean = wn_utf8_lossy(s);
	n = utf8proc_map((const utf8proc_uint8_t *)clean, 0, &mapped,
			 UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPAT |
				 UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD |
				 UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
	free(clean);
	if (n < 0)
		return xstrdup("");
	for (const utf8proc_uint8_t *p = mapped; *p;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t len = utf8proc_iterate(p, -1, &cp);
		utf8proc_category_t cat;

		if (len <= 0)
			break;
		cat = utf8proc_category(cp);
		if (is_apostrophe(cp)) {
			/* "women's" and "womens", "O'Brien" and "OBrien" match */
		} else if ((cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
			   (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO)) {
			if (pending_space && b.len)
				wn_buf_addc(&b, ' ');
			pending_space = 0;
			wn_buf_add(&b, p, (size_t)len);
		} else {
			pending_space = 1;
		}
		p += len;
	}
	free(mapped);
	return wn_buf_detach(&b);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *wn_normalize_doi(const char *s)
{
	struct wn_buf b = WN_BUF_INIT;
	const char *start = NULL;
	char *doi, *end;
	int depth;

	if (!s)
		return NULL;
	/* Percent-decode and lower-case (DOIs are case-insensitive in ASCII). */
	for (const char *p = s; *p; p++) {
		if (*p == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
			wn_buf_addc(&b, (char)(hexval(p[1]) * 16 + hexval(p[2])));
			p += 2;
		} else {
			wn_buf_addc(&b, (char)tolower((unsigned char)*p));
		}
	}
	/* The DOI starts at "10.<digits>/", wherever the prefix put it. */
	for (const char *p = wn_buf_str(&b); (p = strstr(p, "10.")) != NULL; p++) {
		const char *q = p + 3;

		if (p > b.data && isalnum((unsigned char)p[-1]))
			continue;
		while (isdigit((unsigned char)*q) || (*q == '.' && isdigit((unsigned char)q[1])))
			q++;
		if (q > p + 3 && *q == '/' && q[1] && !wn_is_space((unsigned char)q[1])) {
			start = p;
			break;
		}
	}
	if (!start) {
		wn_buf_release(&b);
		return NULL;
	}
	end = (char *)start;
	while (*end && !wn_is_space((unsigned char)*end))
		end++;
	doi = xstrndup(start, (size_t)(end - start));
	wn_buf_release(&b);

	/* Trailing punctuation from prose or citations, and closing brackets
	 * that the DOI itself did not open. */
	for (;;) {
		size_t len = strlen(doi);
		char last = len ? doi[len - 1] : 0;

		if (last && strchr(".,;:'\"", last)) {
			doi[len - 1] = '\0';
			continue;
		}
		if (last == ')' || last == ']' || last == '>') {
			char open = last == ')' ? '(' : last == ']' ? '[' : '<';

			depth = 0;
			for (size_t i = 0; i < len; i++)
				depth += (doi[i] == open) - (doi[i] == last);
			if (depth < 0) {
				doi[len - 1] = '\0';
				continue;
			}
		}
		break;
	}
	if (!strchr(doi, '/') || strchr(doi, '/')[1] == '\0') {
		free(doi);
		return NULL;
	}
	return doi;
}

char *wn_normalize_pmid(const char *s)
{
	char *t, *p, *digits;

	if (!s)
		return NULL;
	t = trimmed(s);
	p = t;
	if (!strncasecmp(p, "pmid", 4)) {
		p += 4;
		while (*p == ':' || *p == '-' || wn_is_space((unsigned char)*p))
			p++;
	}
	digits = p;
	while (isdigit((unsigned char)*p))
		p++;
	while (wn_is_space((unsigned char)*p))
		p++;
	if (p == digits || *p || p - digits > 12) {
		free(t);
		return NULL;
	}
	while (*digits == '0' && isdigit((unsigned char)digits[1]))
		digits++;
	p = digits;
	while (isdigit((unsigned char)*p))
		p++;
	digits = xstrndup(digits, (size_t)(p - digits));
	free(t);
	if (!strcmp(digits, "0")) {
		free(digits);
		return NULL;
	}
	return digits;
}

char *wn_normalize_issn(const char *s)
{
	if (!s)
		return NULL;
	for (const char *p = s; *p; p++) {
		char d[8];
		int n = 0;
		const char *q = p;

		/* not a piece of a longer number such as an ISBN */
		if (!isdigit((unsigned char)*p) ||
		    (p > s && (isalnum((unsigned char)p[-1]) || p[-1] == '-')))
			continue;
		while (n < 8 && *q) {
			if (isdigit((unsigned char)*q) || (n == 7 && (*q == 'x' || *q == 'X')))
				d[n++] = (char)toupper((unsigned char)*q);
			else if (!(n == 4 && (*q == '-' || *q == ' ')))
				break;
			q++;
		}
		if (n == 8 && !isalnum((unsigned char)*q) && *q != '-') {
			char *issn = xmalloc(10);

			memcpy(issn, d, 4);
			issn[4] = '-';
			memcpy(issn + 5, d + 4, 4);
			issn[9] = '\0';
			return issn;
		}
	}
	return NULL;
}

/* Decode the few HTML/XML entities that leak into exported titles. */
static void add_entity(struct wn_buf *b, const char **pp)
{
	static const struct {
		const char *name;
		const char *text;
	} named[] = {
		{ "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" },
		{ "&quot;", "\"" }, { "&apos;", "'" }, { "&nbsp;", " " },
	};
	const char *p = *pp;

	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		size_t n = strlen(named[i].name);

		if (!strncmp(p, named[i].name, n)) {
			wn_buf_adds(b, named[i].text);
			*pp = p + n;
			return;
		}
	}
	if (p[1] == '#') {
		const char *q = p + 2;
		int hex = (*q == 'x' || *q == 'X');
		long cp;
		char *end;

		q += hex;
		cp = strtol(q, &end, hex ? 16 : 10);
		if (end > q && *end == ';' && cp > 0 && cp < 0x110000) {
			utf8proc_uint8_t enc[4];
			utf8proc_ssize_t m = utf8proc_encode_char((utf8proc_int32_t)cp, enc);

			wn_buf_add(b, enc, (size_t)m);
			*pp = end + 1;
			return;
		}
	}
	wn_buf_addc(b, '&');
	*pp = p + 1;
}

/* Text with inline markup (<i>, <sup>, </b>, <mml:math ...>) removed and
 * entities decoded. A '<' that does not open a tag is kept. */
static char *strip_markup(const char *s)
{
	struct wn_buf b = WN_BUF_INIT;

	for (const char *p = s; *p;) {
		if (*p == '<' && (isalpha((unsigned char)p[1]) ||
				  (p[1] == '/' && isalpha((unsigned char)p[2])))) {
			const char *close = strchr(p, '>');

			if (close) {
				p = close + 1;
				continue;
			}
		}
		if (*p == '&') {
			add_entity(&b, &p);
			continue;
		}
		wn_buf_addc(&b, *p++);
	}
	return wn_buf_detach(&b);
}

/* PubMed writes a translated title in brackets: "[Social prescribing in
 * France]." Other databases append the translation: "Titre [Title]". */
static void drop_translation_brackets(char *t)
{
	size_t len = strlen(t);

	while (len && (t[len - 1] == '.' || wn_is_space((unsigned char)t[len - 1])))
		t[--len] = '\0';
	if (len < 2 || t[len - 1] != ']')
		return;
	if (t[0] == '[') {
		int depth = 0;
		size_t i;

		for (i = 0; i < len; i++) {
			depth += (t[i] == '[') - (t[i] == ']');
			if (depth == 0)
				break;
		}
		if (i == len - 1) {
			memmove(t, t + 1, len - 2);
			t[len - 2] = '\0';
			return;
		}
	}
	{
		char *open = strrchr(t, '['), *e = open;

		/* Not when what is left is a label: "Erratum: [Title]" keeps its
		 * title, or every erratum would share one key. */
		while (e && e > t && wn_is_space((unsigned char)e[-1]))
			e--;
		if (open && e > t && e[-1] != ':' && memchr(t, ' ', (size_t)(e - t)) &&
		    !strchr(open, ']')[1])
			*open = '\0';
	}
}

/* MEDLINE annotates an article's title: "Title.[Erratum appears in ...]",
 * "[see comments]", "[Review]". The annotation is not the title (and is
 * often cut short, without its closing bracket): it goes from its bracket
 * on. An annotation never opens a title ("[Title in translation]"). */
static const char *const title_annotations[] = {
	"[erratum", "[published erratum", "[retraction", "[retracted", "[comment",
	"[see comment", "[review", "[corrected and republished", "[update",
};

static void drop_annotation(char *t)
{
	for (char *b = strchr(t, '['); b; b = strchr(b + 1, '[')) {
		if (b == t)
			continue;
		for (size_t i = 0; i < sizeof(title_annotations) / sizeof(title_annotations[0]); i++)
			if (!strncasecmp(b, title_annotations[i], strlen(title_annotations[i]))) {
				*b = '\0';
				return;
			}
	}
}

/* The CRD databases (DARE, NHS EED, HTA, through Ovid) index a paper
 * under its own title, journal and pages and mark their record of it:
 * "Title (Structured abstract)". The mark is the database's, not the
 * paper's, and the record is one more record of that paper. */
static const char *const database_marks[] = {
	"(structured abstract)", "(provisional abstract)", "(brief record)",
};

static void drop_database_mark(char *t)
{
	size_t len = strlen(t);

	while (len && (t[len - 1] == '.' || wn_is_space((unsigned char)t[len - 1])))
		len--;
	for (size_t i = 0; i < sizeof(database_marks) / sizeof(database_marks[0]); i++) {
		size_t n = strlen(database_marks[i]);

		if (len > n && !strncasecmp(t + len - n, database_marks[i], n)) {
			t[len - n] = '\0';
			return;
		}
	}
}

char *wn_title_key(const char *title)
{
	char *plain, *key;

	if (!title)
		return NULL;
	plain = strip_markup(title);
	drop_annotation(plain);
	drop_database_mark(plain);
	drop_translation_brackets(plain);
	key = wn_fold(plain);
	free(plain);
	if (!*key) {
		free(key);
		return NULL;
	}
	return key;
}

/* "d'Anesthesie", "L'Encéphale": an elided article is a word of its own
 * in a journal's name, as its abbreviation ("Ann Fr Anesth") shows; a
 * possessive ("Children's") stays one word. The apostrophe, straight or
 * curly, becomes a space (the curly one's three bytes a space and two
 * that folding drops as punctuation). */
static void spaced_elisions(char *s)
{
	for (char *p = s; *p; p++) {
		size_t n = *p == '\'' ? 1 : !strncmp(p, "\xe2\x80\x99", 3) ? 3 : 0;

		if (!n || ((p[n] == 's' || p[n] == 'S') && !isalpha((unsigned char)p[n + 1])))
			continue;
		*p = ' ';
		if (n == 3)
			p[1] = p[2] = '\'', p += 2;
	}
}

char *wn_journal_key(const char *journal)
{
	char *key, *plain;

	if (!journal)
		return NULL;
	plain = strip_markup(journal);
	spaced_elisions(plain);
	key = wn_fold(plain);
	free(plain);
	if (!strncmp(key, "the ", 4))
		memmove(key, key + 4, strlen(key + 4) + 1);
	if (!*key) {
		free(key);
		return NULL;
	}
	return key;
}

/* ---- authors ---------------------------------------------------------- */

static const char *const collective_words[] = {
	"group", "collaboration", "collaborative", "consortium", "committee",
	"network", "investigators", "society", "association", "organization",
	"organisation", "team", "council", "institute", "foundation", "agency",
	"department", "university", "trialists", "working", "panel", "alliance",
	"centre", "center", "office", "ministry", "board", "nhs", "who", "study",
};

static const char *const particles[] = {
	"van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "das",
	"du", "la", "le", "ter", "ten", "bin", "ibn", "al", "el", "st", "mac",
	"o", "ni", "nic", "ui", "mc",
};

/* Compared exactly: PubMed writes initials "JR", "SR" and "II" that are
 * not suffixes, and suffixes as "Jr", "2nd", "3rd". */
static const char *const suffixes[] = {
	"Jr", "Jr.", "jr", "jr.", "JR.", "Sr", "Sr.", "sr", "sr.", "2nd", "3rd", "4th",
	"III", "IV",
};

static int is_suffix(const char *w)
{
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
		if (!strcmp(w, suffixes[i]))
			return 1;
	return 0;
}

static int word_in(const char *w, size_t n, const char *const *list, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (strlen(list[i]) == n && !strncasecmp(w, list[i], n))
			return 1;
	return 0;
}

/* Particles are compared folded, so that Irish "Ó" matches "o". */
static int is_particle(const char *w)
{
	char *f = wn_fold(w);
	int hit = word_in(f, strlen(f), particles, sizeof(particles) / sizeof(particles[0]));

	free(f);
	return hit;
}

struct tokens {
	char **v;
	size_t n;
};

static void tokenize(const char *s, struct tokens *t)
{
	size_t cap = 0;

	t->v = NULL;
	t->n = 0;
	while (*s) {
		const char *e;

		while (*s && wn_is_space((unsigned char)*s))
			s++;
		if (!*s)
			break;
		e = s;
		while (*e && !wn_is_space((unsigned char)*e))
			e++;
		if (t->n == cap) {
			cap = cap ? cap * 2 : 8;
			t->v = xrealloc(t->v, cap * sizeof(*t->v));
		}
		t->v[t->n++] = xstrndup(s, (size_t)(e - s));
		s = e;
	}
}

static void tokens_free(struct tokens *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
}

/* "J.", "JA", "J.A.", "J.-A." : a token made only of initials. */
static int is_initials(const char *w)
{
	int letters = 0, lower = 0;

	for (const char *p = w; *p; p++) {
		if (isalpha((unsigned char)*p)) {
			letters++;
			lower |= islower((unsigned char)*p);
		} else if (*p != '.' && *p != '-') {
			return 0;
		}
	}
	if (!letters || lower)
		return 0;
	/* "JA", "BJLN", "J.A." or "J"; a longer all-capital word is a surname. */
	return letters <= 4 || strchr(w, '.') != NULL;
}

/* PubMed keeps a particle of the given names in the initials: "Candel-Arenas
 * Mde L" for "Maria de la Fe". */
static int is_initials_with_particle(const char *w)
{
	const char *p = w;

	while (isupper((unsigned char)*p))
		p++;
	return p > w && p - w <= 3 && *p && is_particle(p);
}

/* Initials from given names: "John Andrew" -> "JA", "J.-P." -> "JP",
 * "JA" -> "JA". */
static void add_initials(struct wn_buf *b, const char *given)
{
	struct tokens t;

	tokenize(given, &t);
	for (size_t i = 0; i < t.n; i++) {
		const char *w = t.v[i];

		if (is_initials(w)) {
			for (const char *p = w; *p; p++)
				if (isalpha((unsigned char)*p))
					wn_buf_addc(b, (char)toupper((unsigned char)*p));
			continue;
		}
		/* First letter of each hyphenated part: "Jean-Paul" -> "JP". A
		 * non-ASCII first letter is kept whole (UTF-8 sequence). */
		for (const char *p = w; *p;) {
			const char *part = p;

			if ((unsigned char)*part >= 0x80) {
				utf8proc_int32_t cp;
				utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)part, -1, &cp);

				if (n > 0) {
					utf8proc_uint8_t enc[4];

					n = utf8proc_encode_char(utf8proc_toupper(cp), enc);
					wn_buf_add(b, enc, (size_t)n);
				}
			} else if (isalpha((unsigned char)*part)) {
				wn_buf_addc(b, (char)toupper((unsigned char)*part));
			}
			p = strchr(part, '-');
			if (!p)
				break;
			p++;
		}
	}
	tokens_free(&t);
}

static char *join_tokens(struct tokens *t, size_t from, size_t to)
{
	struct wn_buf b = WN_BUF_INIT;

	for (size_t i = from; i < to; i++) {
		if (b.len)
			wn_buf_addc(&b, ' ');
		wn_buf_adds(&b, t->v[i]);
	}
	return wn_buf_detach(&b);
}

static int looks_collective(struct tokens *t)
{
	/* many words and no initials at the end: "Study Group on ..." but not
	 * "el Alami el Faricha EH" */
	if (t->n > 5 && !is_initials(t->v[t->n - 1]))
		return 1;
	for (size_t i = 0; i < t->n; i++) {
		char *f = wn_fold(t->v[i]);
		int hit = word_in(f, strlen(f), collective_words,
				  sizeof(collective_words) / sizeof(collective_words[0]));

		free(f);
		if (hit)
			return 1;
	}
	return 0;
}

static void drop_suffixes(struct tokens *t)
{
	while (t->n > 1) {
		char *w = t->v[t->n - 1];
		size_t n = strlen(w);

		if (n && w[n - 1] == ',')
			w[--n] = '\0';
		if (!is_suffix(w))
			break;
		free(w);
		t->n--;
	}
}

int wn_author_parse(const char *name, struct wn_author_name *out)
{
	struct wn_buf initials = WN_BUF_INIT;
	char *s, *comma, *folded;
	struct tokens t;
	size_t len;
	int braced;

	memset(out, 0, sizeof(*out));
	if (!name)
		return -1;
	s = trimmed(name);
	len = strlen(s);
	/* BibTeX protects a corporate author with braces: {World Health
	 * Organization}. */
	braced = len >= 2 && s[0] == '{' && s[len - 1] == '}';
	if (braced) {
		memmove(s, s + 1, len - 2);
		s[len - 2] = '\0';
	}
	/* Separators left over from a list ("Smith, J.;"); a final period
	 * belongs to an initial and stays. */
	while ((len = strlen(s)) && (s[len - 1] == ',' || s[len - 1] == ';'))
		s[len - 1] = '\0';
	folded = wn_fold(s);
	if (!*folded || !strcmp(folded, "anonymous") || !strcmp(folded, "anon") ||
	    !strcmp(folded, "unknown")) {
		free(folded);
		free(s);
		return -1;
	}
	free(folded);

	comma = strchr(s, ',');
	if (!braced && comma) {
		/* "Family, Given" (and "Family, Given, Jr.") */
		char *given = comma + 1;
		char *second = strchr(given, ',');
		struct tokens ft;

		*comma = '\0';
		if (second) {
			char *suf = trimmed(second + 1);

			if (is_suffix(suf))
				*second = '\0';
			free(suf);
		}
		tokenize(s, &ft);
		drop_suffixes(&ft);
		out->family = join_tokens(&ft, 0, ft.n);
		tokens_free(&ft);
		out->given = trimmed(given);
		if (!*out->given) {
			free(out->given);
			out->given = NULL;
		}
		if (out->given) {
			tokenize(out->given, &t);
			drop_suffixes(&t);
			free(out->given);
			out->given = t.n ? join_tokens(&t, 0, t.n) : NULL;
			tokens_free(&t);
		}
		if (out->given)
			add_initials(&initials, out->given);
		goto done;
	}

	tokenize(s, &t);
	drop_suffixes(&t);
	if (braced || looks_collective(&t) || t.n == 0) {
		out->family = xstrdup(s);
		out->collective = 1;
	} else if (t.n == 1) {
		out->family = xstrdup(t.v[0]);
	} else if (is_initials(t.v[t.n - 1])) {
		/* PubMed and Scopus short form: "Smith JA", "van der Berg A",
		 * "Candel-Arenas Mde L" */
		size_t g = t.n - 1;

		while (g > 1 && (is_initials(t.v[g - 1]) || is_initials_with_particle(t.v[g - 1])))
			g--;
		out->family = join_tokens(&t, 0, g);
		out->given = join_tokens(&t, g, t.n);
		add_initials(&initials, out->given);
	} else {
		/* "J A Smith", "John Andrew Smith", "Anna van der Berg": the
		 * family name is the last word with any particles before it. */
		size_t f = t.n - 1;

		while (f > 1 && is_particle(t.v[f - 1]))
			f--;
		out->family = join_tokens(&t, f, t.n);
		out->given = join_tokens(&t, 0, f);
		add_initials(&initials, out->given);
	}
	tokens_free(&t);
done:
	free(s);
	if (initials.len)
		out->initials = wn_buf_detach(&initials);
	wn_buf_release(&initials);
	if (!out->family || !*out->family) {
		wn_author_name_release(out);
		return -1;
	}
	return 0;
}

void wn_author_name_release(struct wn_author_name *a)
{
	free(a->family);
	free(a->given);
	free(a->initials);
	memset(a, 0, sizeof(*a));
}

char *wn_author_key(const char *name)
{
	struct wn_author_name a;
	char *family, *key;

	if (wn_author_parse(name, &a) < 0)
		return NULL;
	family = wn_fold(a.family);
	if (!*family) {
		/* nothing but punctuation */
		free(family);
		wn_author_name_release(&a);
		return NULL;
	}
	if (a.initials && !a.collective) {
		/* Only the first initial: PubMed's short form keeps at most two
		 * ("Leyten EM" for "Leyten, E M S"), other sources all of them. */
		char *ini = wn_fold(a.initials);
		size_t n = *ini ? 1 : 0;

		while (ini[n] && ((unsigned char)ini[n] & 0xc0) == 0x80)
			n++;
		key = n ? xasprintf("%s %.*s", family, (int)n, ini) : xstrdup(family);
		free(ini);
		free(family);
	} else {
		key = family;
	}
	wn_author_name_release(&a);
	return key;
}

/* ---- pages and dates -------------------------------------------------- */

/* Expand one range written "<start>-<end>" within a segment such as
 * "discussion 923-4": the start page's digits end it, and an end with fewer
 * digits (and the same prefix, or none) borrows the start's leading digits:
 * "1234-56" -> "1234-1256", "S12-4" -> "S12-S14", "1186.e1-5" ->
 * "1186.e1-1186.e5". Anything else is copied as written. */
static void expand_range(struct wn_buf *out, const char *seg, size_t len)
{
	const char *dash = memchr(seg, '-', len), *a, *e, *ad, *ed;
	size_t alen, elen, plen, adl, edl;

	if (!dash || memchr(dash + 1, '-', len - (size_t)(dash - seg) - 1)) {
		wn_buf_add(out, seg, len);
		return;
	}
	a = dash;
	while (a > seg && !wn_is_space((unsigned char)a[-1]))
		a--;
	alen = (size_t)(dash - a);
	e = dash + 1;
	elen = 0;
	while (e + elen < seg + len && !wn_is_space((unsigned char)e[elen]))
		elen++;
	ad = a + alen;
	while (ad > a && isdigit((unsigned char)ad[-1]))
		ad--;
	plen = (size_t)(ad - a);
	adl = alen - plen;
	ed = e;
	if (elen > plen && !strncasecmp(e, a, plen) && plen)
		ed = e + plen;
	edl = elen - (size_t)(ed - e);
	for (size_t i = 0; i < edl; i++)
		if (!isdigit((unsigned char)ed[i]))
			edl = 0;
	if (adl == 0 || edl == 0 || plen > 12) {
		wn_buf_add(out, seg, len);
		return;
	}
	{
		char full[64];

		if (adl > 20 || edl > 20) {
			wn_buf_add(out, seg, len);
			return;
		}
		size_t flen;

		if (edl < adl) {
			memcpy(full, ad, adl - edl);
			memcpy(full + (adl - edl), ed, edl);
			flen = adl;
		} else {
			memcpy(full, ed, edl);
			flen = edl;
		}
		full[flen] = '\0';
		/* Only when the written-out end page does not come before the start. */
		/* ("98-8" is not "98-98": a borrowed end must come after.) */
		if (flen < adl || (flen == adl && strncmp(full, ad, adl) < (edl < adl ? 1 : 0))) {
			wn_buf_add(out, seg, len);
			return;
		}
		wn_buf_add(out, seg, (size_t)(dash - seg));
		wn_buf_addc(out, '-');
		wn_buf_add(out, a, plen);
		wn_buf_add(out, full, flen);
		wn_buf_add(out, e + elen, len - (size_t)(e + elen - seg));
	}
}

char *wn_expand_pages(const char *pages)
{
	struct wn_buf b = WN_BUF_INIT, out = WN_BUF_INIT;
	char *t, *s;

	if (!pages)
		return NULL;
	/* sized once: the text only gets shorter here */
	wn_buf_grow(&b, strlen(pages));
	b.data[0] = '\0';
	/* Plain hyphens for en and em dashes, "--" and the Unicode hyphens;
	 * no spaces around them. */
	for (const char *p = pages; *p;) {
		int dash = 0;

		if (!strncmp(p, "\xe2\x80\x93", 3) || !strncmp(p, "\xe2\x80\x94", 3) ||
		    !strncmp(p, "\xe2\x80\x90", 3) || !strncmp(p, "\xe2\x80\x91", 3)) {
			p += 3;
			dash = 1;
		} else if (p[0] == '-') {
			p += (p[1] == '-') ? 2 : 1;
			dash = 1;
		}
		if (dash) {
			while (b.len && b.data[b.len - 1] == ' ')
				b.data[--b.len] = '\0';
			while (*p == ' ')
				p++;
			wn_buf_addc(&b, '-');
		} else {
			wn_buf_addc(&b, *p++);
		}
	}
	t = b.data;
	s = wn_trim(t);
	if (!strncasecmp(s, "pp.", 3) || !strncasecmp(s, "p.", 2)) {
		s += (s[1] == '.') ? 2 : 3;
		while (wn_is_space((unsigned char)*s))
			s++;
	}
	if (!*s) {
		free(t);
		return NULL;
	}
	/* "120-2, 174" and "919-23; discussion 923-4": each part on its own */
	wn_buf_grow(&out, strlen(s) + 16);
	out.data[0] = '\0';
	while (*s) {
		size_t n = strcspn(s, ",;");

		expand_range(&out, s, n);
		s += n;
		if (*s)
			wn_buf_addc(&out, *s++);
	}
	free(t);
	return wn_buf_detach(&out);
}

int wn_year_from_date(const char *date)
{
	if (!date)
		return 0;
	for (const char *p = date; *p;) {
		const char *q = p;
		int year;

		if (!isdigit((unsigned char)*p)) {
			p++;
			continue;
		}
		while (isdigit((unsigned char)*q))
			q++;
		/* YYYY, YYYYMM, YYYYMMDD */
		if (q - p == 4 || ((q - p == 6 || q - p == 8) &&
				   (!strncmp(p, "19", 2) || !strncmp(p, "20", 2)))) {
			year = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
			if (year >= 1000 && year <= 2999)
				return year;
		}
		p = q;
	}
	return 0;
}

char *wn_author_display(const char *name)
{
	struct wn_author_name a;
	struct wn_buf b = WN_BUF_INIT;

	if (wn_author_parse(name, &a) != 0)
		return NULL;
	wn_buf_adds(&b, a.family);
	if (!a.collective && a.given) {
		wn_buf_adds(&b, ", ");
		wn_buf_adds(&b, a.given);
	} else if (!a.collective && a.initials && *a.initials) {
		int upper_only = 1;

		for (const char *p = a.initials; *p; p++)
			if (!isupper((unsigned char)*p))
				upper_only = 0;
		wn_buf_adds(&b, ", ");
		if (upper_only) {
			for (const char *p = a.initials; *p; p++)
				wn_buf_addf(&b, "%s%c.", p == a.initials ? "" : " ", *p);
		} else {
			wn_buf_adds(&b, a.initials);
		}
	}
	wn_author_name_release(&a);
	return wn_buf_detach(&b);
}

/* The languages records are written in most, by their English names,
 * with their MARC / ISO 639-2 bibliographic codes (what MEDLINE uses). */
static const char *const language_codes[][2] = {
	{ "english", "eng" }, { "french", "fre" }, { "german", "ger" }, { "spanish", "spa" },
	{ "italian", "ita" }, { "portuguese", "por" }, { "dutch", "dut" }, { "chinese", "chi" },
	{ "japanese", "jpn" }, { "korean", "kor" }, { "russian", "rus" }, { "polish", "pol" },
	{ "czech", "cze" }, { "hungarian", "hun" }, { "swedish", "swe" }, { "norwegian", "nor" },
	{ "danish", "dan" }, { "finnish", "fin" }, { "turkish", "tur" }, { "greek", "gre" },
	{ "modern greek", "gre" }, { "arabic", "ara" }, { "hebrew", "heb" }, { "persian", "per" },
	{ "croatian", "hrv" }, { "serbian", "srp" }, { "slovak", "slo" }, { "slovenian", "slv" },
	{ "romanian", "rum" }, { "bulgarian", "bul" }, { "ukrainian", "ukr" }, { "lithuanian", "lit" },
	{ "icelandic", "ice" }, { "afrikaans", "afr" }, { "catalan", "cat" }, { "thai", "tha" },
	{ "vietnamese", "vie" }, { "indonesian", "ind" }, { "malay", "may" }, { "hindi", "hin" },
	{ "urdu", "urd" }, { "bengali", "ben" }, { "estonian", "est" }, { "latvian", "lav" },
	{ "welsh", "wel" }, { "irish", "gle" }, { "latin", "lat" }, { "esperanto", "epo" },
};

const char *wn_language_code(const char *name, size_t len)
{
	while (len && wn_is_space((unsigned char)*name))
		name++, len--;
	while (len && (wn_is_space((unsigned char)name[len - 1]) || name[len - 1] == '.'))
		len--;
	for (size_t i = 0; i < sizeof(language_codes) / sizeof(language_codes[0]); i++)
		if (strlen(language_codes[i][0]) == len && !strncasecmp(name, language_codes[i][0], len))
			return language_codes[i][1];
	return NULL;
}

char *wn_pages_start(const char *pages)
{
	size_t n;

	if (!pages)
		return NULL;
	n = strcspn(pages, "-,; ");
	return n ? xstrndup(pages, n) : NULL;
}

char *wn_field_key(const char *field, const char *value)
{
	char *key = NULL;

	if (!strcmp(field, "title"))
		key = wn_title_key(value);
	else if (!strcmp(field, "journal"))
		key = wn_journal_key(value);
	else if (!strcmp(field, "pages"))
		key = wn_pages_start(value);
	if (key && !*key) {
		free(key);
		key = NULL;
	}
	return key;
}
