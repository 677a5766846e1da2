/*
 * Comparing two records: profiles, similarities, evidence and the rules
 * that judge a pair (see dedupe_int.h).
 *
 * The rules lean towards leaving records apart: an automatic merge needs
 * agreement on the title and on the authors or the venue, and nothing that
 * contradicts it (different PMIDs, DOIs, pages, volumes, years, or numbers
 * in the title). What the rules cannot settle goes to a person.
 */
#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dedupe/dedupe_int.h"
#include "util.h"
#include "winnow/record.h"

/* ---- string similarity ------------------------------------------------ */

/* Longest common subsequence by the bit-parallel method (Allison and Dix;
 * Hyyrö): one pass over b, ceil(|a| / 64) words per character. */
#define LCS_MAX 1024
static size_t lcs_length(const unsigned char *a, size_t la, const unsigned char *b, size_t lb)
{
	static _Thread_local uint64_t match[256][LCS_MAX / 64];
	uint64_t v[LCS_MAX / 64];
	size_t words, n = 0;

	if (la > LCS_MAX)
		la = LCS_MAX;
	words = (la + 63) / 64;
	for (size_t i = 0; i < la; i++)
		match[a[i]][i / 64] |= (uint64_t)1 << (i % 64);
	for (size_t w = 0; w < words; w++)
		v[w] = ~(uint64_t)0;
	for (size_t j = 0; j < lb; j++) {
		const uint64_t *m = match[b[j]];
		uint64_t carry = 0;

		for (size_t w = 0; w < words; w++) {
			uint64_t u = v[w] & m[w];
			uint64_t s1 = v[w] + u, s2 = s1 + carry;

			carry = (s1 < v[w]) | (s2 < s1);
			v[w] = s2 | (v[w] - u);
		}
	}
	for (size_t w = 0; w < words; w++) {
		uint64_t bits = ~v[w];

		if (w == words - 1 && la % 64)
			bits &= ((uint64_t)1 << (la % 64)) - 1;
		n += (size_t)__builtin_popcountll(bits);
	}
	for (size_t i = 0; i < la; i++)
		match[a[i]][i / 64] = 0;
	return n;
}

double wn_sim_ratio(const char *a, size_t la, const char *b, size_t lb)
{
	if (la > LCS_MAX)
		la = LCS_MAX;
	if (lb > LCS_MAX)
		lb = LCS_MAX;
	if (la + lb == 0)
		return 1.0;
	if (la == lb && !memcmp(a, b, la))
		return 1.0;
	return 2.0 * (double)lcs_length((const unsigned char *)a, la, (const unsigned char *)b,
				       lb) / (double)(la + lb);
}

static int starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* ---- profiles ----------------------------------------------------------- */

static char *fold_or_null(const char *s)
{
	char *f;

	if (!s)
		return NULL;
	f = wn_fold(s);
	if (!*f) {
		free(f);
		return NULL;
	}
	return f;
}

static char *without_spaces(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;

	for (; *s; s++)
		if (*s != ' ')
			*o++ = *s;
	*o = '\0';
	return out;
}

static int has_word(const char *folded, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = folded; (p = strstr(p, word)); p++)
		if ((p == folded || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return 1;
	return 0;
}

static int json_list_has(const char *json, const char *word)
{
	/* the stored list is a JSON array of strings; a plain search finds a
	 * publication type, whose names contain no quotes */
	char quoted[64];

	if (!json)
		return 0;
	snprintf(quoted, sizeof(quoted), "\"%s\"", word);
	return strcasestr(json, quoted) != NULL;
}

/* A word and its length, for lists looked up many times a pair. */
struct word {
	const char *s;
	size_t n;
};
#define WORD(w) { w, sizeof(w) - 1 }
#define COUNT(list) (sizeof(list) / sizeof((list)[0]))

static int word_in(const struct word *list, size_t count, const char *w, size_t n)
{
	for (size_t i = 0; i < count; i++)
		if (list[i].n == n && !memcmp(w, list[i].s, n))
			return 1;
	return 0;
}

/* The words that make a journal's title its supplement's. */
static const struct word supplement_words[] = {
	WORD("supplements"), WORD("supplement"), WORD("suppl"),
};

/* A journal's name that says it is a supplement ("Atherosclerosis
 * Supplements"), as an issue can ("Suppl 1"). */
static int supplement_journal(const char *folded)
{
	for (size_t i = 0; i < COUNT(supplement_words); i++)
		if (has_word(folded, supplement_words[i].s))
			return 1;
	return 0;
}

/* An issue that is a supplement or a meeting's abstracts: "Suppl. 1",
 * "Supplement 1", "Meeting Abstracts", "S2". */
static int supplement_issue(const char *issue)
{
	return issue && (strstr(issue, "suppl") || strstr(issue, "abstract") ||
			 (issue[0] == 's' && isdigit((unsigned char)issue[1])));
}

static enum wn_doc_kind kind_of(const struct wn_profile_source *s, const struct wn_profile *p)
{
	const char *t = p->title ? p->title : "";
	const char *type = s->type ? s->type : "";
	const char *j = p->journal ? p->journal : "";
	const char *doi = p->doi ? p->doi : "";

	if (json_list_has(s->pubtypes_json, "Published Erratum") ||
	    !strcasecmp(type, "erratum") || !strcasecmp(type, "correction") ||
	    starts_with(t, "erratum") || starts_with(t, "correction to") ||
	    starts_with(t, "corrigendum") || starts_with(t, "correction ") ||
	    !strcmp(t, "correction"))
		return WN_KIND_ERRATUM;
	if (json_list_has(s->pubtypes_json, "Retraction of Publication") ||
	    starts_with(t, "retraction notice") || starts_with(t, "notice of retraction") ||
	    starts_with(t, "retraction of") || starts_with(t, "retraction "))
		return WN_KIND_RETRACTION;
	if (json_list_has(s->pubtypes_json, "Comment") || starts_with(t, "comment on") ||
	    starts_with(t, "commentary on") || starts_with(t, "re ") ||
	    starts_with(t, "reply to") || starts_with(t, "in reply") ||
	    starts_with(t, "response to") || starts_with(t, "authors reply") ||
	    starts_with(t, "author reply"))
		return WN_KIND_COMMENT;
	if (!strcasecmp(type, "preprint") || !strcasecmp(type, "posted-content") ||
	    strstr(j, "arxiv") || strstr(j, "biorxiv") || strstr(j, "medrxiv") ||
	    strstr(j, "ssrn") || strstr(j, "research square") || strstr(j, "preprints") ||
	    starts_with(doi, "10.48550/") || starts_with(doi, "10.2139/ssrn") ||
	    starts_with(doi, "10.21203/rs") || starts_with(doi, "10.20944/preprints") ||
	    (starts_with(doi, "10.1101/") && isdigit((unsigned char)doi[8])))
		return WN_KIND_PREPRINT;
	/* "Proceedings of the National Academy of Sciences" is a journal:
	 * a record that says it is an article in it is one */
	if (has_word(j, "conference") || has_word(j, "congress") || has_word(j, "meeting") ||
	    (has_word(j, "proceedings") && strcasecmp(type, "journal-article")) ||
	    has_word(j, "symposium") || has_word(j, "workshop") ||
	    json_list_has(s->pubtypes_json, "Congress") ||
	    ((!strcasecmp(type, "conference-paper") || !strcasecmp(type, "conference")) && !*j))
		return WN_KIND_CONFERENCE;
	return WN_KIND_ARTICLE;
}

/* The first run of digits in s, as a number (0 when none). */
static long first_number(const char *s, const char **end)
{
	long n = 0;

	while (*s && !isdigit((unsigned char)*s))
		s++;
	while (isdigit((unsigned char)*s) && n < 100000000)
		n = n * 10 + (*s++ - '0');
	if (end)
		*end = s;
	return n;
}

/* "smith j;jones ab" from the JSON list of names. */
static void profile_authors(struct wn_profile *p, const char *json)
{
	json_t *list = json ? json_loads(json, 0, NULL) : NULL;
	struct wn_buf b = WN_BUF_INIT;
	size_t i;
	json_t *v;

	json_array_foreach(list, i, v) {
		struct wn_author_name a;
		char *family;
		const char *name = json_string_value(v);

		if (!name || wn_author_parse(name, &a) < 0)
			continue;
		family = fold_or_null(a.family);
		if (family && strcmp(family, "anonymous") && strcmp(family, "et al")) {
			char *ini = a.initials && !a.collective ? fold_or_null(a.initials) : NULL;

			if (b.len)
				wn_buf_addc(&b, ';');
			wn_buf_adds(&b, family);
			if (ini) {
				wn_buf_addc(&b, ' ');
				wn_buf_add(&b, ini, 1);
			}
			if (!p->first_author)
				p->first_author = xstrdup(family);
			p->nauthors++;
			free(ini);
		}
		free(family);
		wn_author_name_release(&a);
	}
	json_decref(list);
	p->authors = b.len ? wn_buf_detach(&b) : NULL;
	wn_buf_release(&b);
}

/* An erratum's title names the article it corrects: "Erratum: Title",
 * "Correction to: Title", or Web of Science's "Title (vol 142, pg 310,
 * 2003)". Its title key is the article's title. */
static int wos_correction_suffix(const char *folded, size_t *at)
{
	const char *v = strstr(folded, " vol ");
	int end = -1;

	/* folded, "(vol 142, pg 310, 2003)" reads " vol 142 pg 310 2003" */
	if (!v || sscanf(v, " vol %*d pg %*d %*d%n", &end) != 0 || end < 0 || v[end])
		return 0;
	*at = (size_t)(v - folded);
	return 1;
}

/* Embase titles a correction notice with the citation of the article it
 * corrects: "Title (New England Journal of Medicine (2009) 360 (542-544))",
 * "Title (PLoS ONE (2013) 8 (8))". The length of the title before it, or
 * 0 when the raw title does not end so. */
static size_t embase_correction_suffix(const char *raw)
{
	size_t n = strlen(raw), open;
	int depth = 0, letters = 0;
	const char *year;

	while (n && isspace((unsigned char)raw[n - 1]))
		n--;
	if (n < 2 || raw[n - 1] != ')' || raw[n - 2] != ')')
		return 0;
	/* the parenthesis that the last one closes */
	for (open = n; open-- > 0;) {
		depth += raw[open] == ')' ? 1 : raw[open] == '(' ? -1 : 0;
		if (!depth)
			break;
	}
	if (depth || open == (size_t)-1 || open == 0)
		return 0;
	/* the journal's name, then "(YYYY) " and the volume */
	for (year = raw + open + 1; *year && *year != '('; year++)
		letters |= isalpha((unsigned char)*year);
	if (!letters || year[0] != '(' || year[-1] != ' ' ||
	    !(year[1] == '1' || year[1] == '2') || !isdigit((unsigned char)year[2]) ||
	    !isdigit((unsigned char)year[3]) || !isdigit((unsigned char)year[4]) ||
	    year[5] != ')' || year[6] != ' ' || !isdigit((unsigned char)year[7]))
		return 0;
	return open;
}

static void strip_erratum_words(char *t)
{
	static const char *const lead[] = { "erratum ", "correction to ", "correction ",
					    "corrigendum ", "errata " };
	size_t at;

	for (size_t i = 0; i < sizeof(lead) / sizeof(lead[0]); i++)
		if (!strncmp(t, lead[i], strlen(lead[i]))) {
			memmove(t, t + strlen(lead[i]), strlen(t + strlen(lead[i])) + 1);
			break;
		}
	if (wos_correction_suffix(t, &at))
		t[at] = '\0';
}

/* Pages start with a number, or letters joined to a number (S417, e12724,
 * viii108), after any quotes. Anything else ("Suppl-29", "t-20": exports
 * that lost the start of the range) says nothing about where the article
 * is. */
static int readable_pages(const char *s)
{
	while (*s && !isalnum((unsigned char)*s))
		s++;
	while (isalpha((unsigned char)*s) && !isdigit((unsigned char)*s))
		s++;
	return isdigit((unsigned char)*s);
}

/* An article number where pages would be: "e12724", and the BMJ's
 * "a1754" or "c1804" (a letter and at least four digits, alone). Not a
 * supplement's "S123" or a "p1014" that names a page. */
static int page_elocator(const char *pages)
{
	size_t digits = strspn(pages + 1, "0123456789");
	int c = tolower((unsigned char)pages[0]);

	if (c == 'e')
		return digits >= 4;
	return isalpha(c) && c != 's' && c != 'p' && digits >= 4 && !pages[1 + digits];
}

void wn_profile_build(struct wn_profile *p, const struct wn_profile_source *s)
{
	size_t at, correction;

	memset(p, 0, sizeof(*p));
	p->id = s->id;
	correction = s->title ? embase_correction_suffix(s->title) : 0;
	if (correction) {
		char *cut = xstrndup(s->title, correction);

		p->title = wn_title_key(cut);
		free(cut);
	} else {
		p->title = s->title ? wn_title_key(s->title) : NULL;
	}
	p->title_tight = p->title ? without_spaces(p->title) : NULL;
	profile_authors(p, s->authors_json);
	p->year = s->year;
	p->journal = s->journal ? wn_journal_key(s->journal) : NULL;
	p->journal_abbrev = s->journal_abbrev ? wn_journal_key(s->journal_abbrev) : NULL;
	/* "1)", the end of "50 (Suppl 1)" that an export split at the
	 * space, says nothing about the volume */
	p->volume = s->volume && !(strchr(s->volume, ')') && !strchr(s->volume, '('))
			    ? fold_or_null(s->volume) : NULL;
	p->issue = fold_or_null(s->issue);
	p->pages = fold_or_null(s->pages);
	p->pages_garbled = p->pages && !readable_pages(s->pages);
	if (p->pages && !p->pages_garbled) {
		const char *rest;

		p->page_elocator = page_elocator(s->pages);
		p->page_first = first_number(s->pages, &rest);
		if (p->page_first && *rest == '-')
			p->page_last = first_number(rest, NULL);
		if (p->page_last && p->page_last < p->page_first) {
			long scale = 1;

			while (scale <= p->page_last)
				scale *= 10;
			if (scale <= p->page_first) {
				/* a short form import left ("527-32.e1"):
				 * the last page shares the first's leading digits */
				p->page_last += p->page_first / scale * scale;
				if (p->page_last < p->page_first)
					p->page_last = 0;
			} else {
				/* "2297-2108": one of the two is mistyped,
				 * and which one cannot be told */
				p->pages_garbled = 1;
				p->page_first = p->page_last = 0;
			}
		}
	}
	p->doi = s->doi ? xstrdup(s->doi) : NULL;
	p->pmid = s->pmid ? xstrdup(s->pmid) : NULL;
	p->pmcid = s->pmcid ? xstrdup(s->pmcid) : NULL;
	p->issn = s->issn ? xstrdup(s->issn) : NULL;
	if (s->abstract) {
		p->abstract = fold_or_null(s->abstract);
		if (p->abstract && strlen(p->abstract) > WN_ABSTRACT_KEEP) {
			size_t n = WN_ABSTRACT_KEEP;

			while (n && ((unsigned char)p->abstract[n] & 0xc0) == 0x80)
				n--;
			p->abstract[n] = '\0';
		}
	}
	p->kind = kind_of(s, p);
	if (p->kind == WN_KIND_ARTICLE && p->title &&
	    (correction || wos_correction_suffix(p->title, &at)))
		p->kind = WN_KIND_ERRATUM;
	if (p->kind == WN_KIND_ERRATUM && p->title) {
		strip_erratum_words(p->title);
		free(p->title_tight);
		p->title_tight = without_spaces(p->title);
	}
	p->cochrane = p->journal && strstr(p->journal, "cochrane database");
	p->supplement = supplement_issue(p->issue) || (p->journal && supplement_journal(p->journal));
	p->proceedings = s->type && (!strcasecmp(s->type, "conference-paper") ||
				     !strcasecmp(s->type, "conference"));
}

void wn_profile_release(struct wn_profile *p)
{
	free(p->title);
	free(p->title_tight);
	free(p->authors);
	free(p->first_author);
	free(p->journal);
	free(p->journal_abbrev);
	free(p->volume);
	free(p->issue);
	free(p->pages);
	free(p->doi);
	free(p->pmid);
	free(p->pmcid);
	free(p->issn);
	free(p->abstract);
	memset(p, 0, sizeof(*p));
}

/* ---- field similarities ------------------------------------------------ */

/* Words whose presence in one title only makes them different works: a
 * protocol and its trial, the study in rats and the one in mice. */
static const char *const telling_words[] = {
	"protocol", "erratum", "correction", "corrigendum", "retraction", "reply",
	"response", "comment", "commentary", "update", "updated", "vitro", "vivo", "women",
	"men", "rats", "mice", "children", "adults", "pilot", "interim", "secondary",
	"preliminary", "abstract", "editorial",
};

static int telling_word_differs(const char *a, const char *b)
{
	for (size_t i = 0; i < sizeof(telling_words) / sizeof(telling_words[0]); i++)
		if (has_word(a, telling_words[i]) != has_word(b, telling_words[i]))
			return 1;
	return 0;
}

double wn_sim_title(const struct wn_profile *a, const struct wn_profile *b)
{
	const char *ta = a->title_tight, *tb = b->title_tight;
	size_t la, lb;

	if (!ta || !tb)
		return -1;
	if (!strcmp(ta, tb))
		return 1.0;
	la = strlen(ta);
	lb = strlen(tb);
	if (la > lb) { /* ta: the shorter */
		const char *t = ta;
		size_t l = la;

		ta = tb, la = lb;
		tb = t, lb = l;
	}
	/* one database cut the title short */
	if (la >= 40 && !strncmp(ta, tb, la))
		return 0.97;
	/* a subtitle or a translation added in one */
	if (la >= 30 && lb * 2 >= la * 3 && strstr(tb, ta))
		return 0.93;
	return wn_sim_ratio(ta, la, tb, lb);
}

/* Family names that match: equal, a close spelling, or one the start of a
 * compound other ("garcia" and "garcia lopez"). */
static int family_matches(const char *a, size_t la, const char *b, size_t lb)
{
	size_t n = la < lb ? la : lb;

	if (la == lb && !memcmp(a, b, la))
		return 1;
	if (n >= 4 && !memcmp(a, b, n) && (la == n ? b[n] == ' ' : a[n] == ' '))
		return 1;
	/* a particle kept in one source only: "von pawel" and "pawel" */
	if (n >= 3 && (la < lb ? b[lb - la - 1] == ' ' && !memcmp(a, b + lb - la, la)
			       : la > lb && a[la - lb - 1] == ' ' && !memcmp(b, a + la - lb, lb)))
		return 1;
	return n >= 5 && wn_sim_ratio(a, la, b, lb) >= 0.85;
}

struct name_ref {
	const char *family;
	size_t len;
	char initial;
};

static size_t split_authors(const char *s, struct name_ref *out, size_t max)
{
	size_t n = 0;

	while (s && *s && n < max) {
		const char *end = strchr(s, ';'), *sp;
		size_t len = end ? (size_t)(end - s) : strlen(s);

		sp = memchr(s, ' ', len);
		/* the initial is the last word when it is one letter */
		out[n].initial = 0;
		out[n].family = s;
		out[n].len = len;
		if (len >= 3 && s[len - 2] == ' ' && sp) {
			out[n].initial = s[len - 1];
			out[n].len = len - 2;
		}
		n++;
		s = end ? end + 1 : NULL;
	}
	return n;
}

#define AUTHORS_COMPARED 64

/* One source swapped every given and family name ("Ching-yi, Wu" for
 * "Wu, Ching-yi"): then, author by author in order, each family name
 * starts with the other's initial. Two letters an author, all of them:
 * alike, though less sure than family names that match. */
static int names_swapped(const struct name_ref *a, const struct name_ref *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!a[i].initial || !b[i].initial || a[i].family[0] != b[i].initial ||
		    b[i].family[0] != a[i].initial)
			return 0;
	return 1;
}

double wn_sim_authors(const struct wn_profile *a, const struct wn_profile *b)
{
	struct name_ref na[AUTHORS_COMPARED], nb[AUTHORS_COMPARED];
	size_t ca, cb, matched = 0, fewer;
	int first;
	double score;

	if (!a->authors || !b->authors)
		return -1;
	if (!strcmp(a->authors, b->authors))
		return 1.0;
	ca = split_authors(a->authors, na, AUTHORS_COMPARED);
	cb = split_authors(b->authors, nb, AUTHORS_COMPARED);
	first = family_matches(na[0].family, na[0].len, nb[0].family, nb[0].len);
	fewer = ca < cb ? ca : cb;
	for (size_t i = 0; i < ca; i++)
		for (size_t j = 0; j < cb; j++)
			if (family_matches(na[i].family, na[i].len, nb[j].family, nb[j].len)) {
				matched++;
				break;
			}
	if (matched > fewer)
		matched = fewer;
	score = (double)matched / (double)fewer;
	if (!first && score > 0.75)
		score = 0.75;
	if (first && na[0].initial && nb[0].initial && na[0].initial != nb[0].initial &&
	    score > 0.7)
		score = 0.7;
	if (score < 0.5 && fewer >= 2 && names_swapped(na, nb, fewer))
		score = 0.8;
	return score;
}

/* English, and the articles and "and" of the languages journals are named
 * in most ("Cirugia y Cirujanos" is "Cir Cir", "Annales francaises
 * d'anesthesie" "Ann Fr Anesth") */
static const struct word journal_stopwords[] = {
	WORD("of"), WORD("the"), WORD("and"), WORD("in"), WORD("for"), WORD("on"), WORD("de"),
	WORD("la"), WORD("et"), WORD("y"), WORD("und"), WORD("e"), WORD("d"), WORD("l"),
	WORD("des"), WORD("du"), WORD("der"), WORD("die"), WORD("das"), WORD("del"),
	WORD("della"), WORD("di"), WORD("da"), WORD("do"), WORD("el"), WORD("il"),
};

/* The word a journal's name goes on with when it names a meeting held in
 * its pages ("Blood. Conference: ..."). */
static const struct word meeting_words[] = {
	WORD("conference"), WORD("congress"), WORD("meeting"), WORD("symposium"),
};

/* The words of a folded journal name without stopwords. */
static size_t journal_words(const char *s, const char **w, size_t *len, size_t max)
{
	size_t n = 0;

	while (*s && n < max) {
		size_t l = strcspn(s, " ");

		if (!word_in(journal_stopwords, COUNT(journal_stopwords), s, l)) {
			w[n] = s;
			len[n++] = l;
		}
		s += l;
		while (*s == ' ')
			s++;
	}
	return n;
}

static int meeting_word(const char *w, size_t n)
{
	return word_in(meeting_words, COUNT(meeting_words), w, n);
}

/* "j am geriatr soc" abbreviates "journal of the american geriatrics
 * society": word for word, each a prefix of the other's (2). Or the longer
 * goes on to name a meeting held in the journal's pages after at least
 * three such words ("journal of thrombosis and haemostasis conference
 * ...") (1). Else 0. */
static int abbreviation(const char *a, const char *b)
{
	const char *wa[24], *wb[24];
	size_t la[24], lb[24], na, nb, n;

	na = journal_words(a, wa, la, 24);
	nb = journal_words(b, wb, lb, 24);
	n = na < nb ? na : nb;
	if (!n || (na != nb && !(n >= 3 && (na > nb ? meeting_word(wa[n], la[n])
						      : meeting_word(wb[n], lb[n])))))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (memcmp(wa[i], wb[i], la[i] < lb[i] ? la[i] : lb[i]))
			return 0;
	return na == nb ? 2 : 1;
}

/* A meeting named by its initials in one database and in full in
 * another: "icis transforming society with digital innovation" and
 * "international conference on information systems". At least four
 * words, so that an initialism is long enough to say something. */
static int initialism_of(const char *name, const char *other)
{
	const char *w[24];
	size_t len[24], n = journal_words(name, w, len, 24);
	char initials[25];

	if (n < 4)
		return 0;
	for (size_t i = 0; i < n; i++)
		initials[i] = w[i][0];
	initials[n] = '\0';
	for (const char *p = other; (p = strstr(p, initials)); p += n)
		if ((p == other || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return 1;
	return 0;
}

/* The length of a journal's name without a last word that makes it the
 * journal's supplement: "atherosclerosis supplements" is "atherosclerosis"
 * issue S2 in another database. */
static size_t without_supplement(const char *name, size_t len)
{
	for (size_t i = 0; i < COUNT(supplement_words); i++) {
		size_t n = supplement_words[i].n;

		if (len > n && name[len - n - 1] == ' ' &&
		    !memcmp(name + len - n, supplement_words[i].s, n))
			return len - n - 1;
	}
	return len;
}

/* name[0..n) is the start of other (other_len bytes), a whole word: at
 * least six letters, or fewer when a meeting follows ("blood" and "blood
 * conference 53rd annual meeting of the american society of hematology") */
static int starts_name(const char *name, size_t n, const char *other, size_t other_len)
{
	const char *rest = other + n;

	if (n > other_len || memcmp(name, other, n) || (*rest && *rest != ' '))
		return 0;
	return n >= 6 || (n >= 3 && *rest && meeting_word(rest + 1, strcspn(rest + 1, " ")));
}

static double journal_pair(const char *a, const char *b)
{
	size_t la, lb;

	if (!strcmp(a, b))
		return 1.0;
	switch (abbreviation(a, b)) {
	case 2: return 0.95;
	case 1: return 0.9;
	default: break;
	}
	if (initialism_of(a, b) || initialism_of(b, a))
		return 0.9;
	la = strlen(a);
	lb = strlen(b);
	/* one name the other's start: "circulation" and "circulation
	 * conference ...", the supplement's name and the journal's too */
	if (starts_name(a, la, b, lb) || starts_name(b, lb, a, la))
		return 0.9;
	{
		size_t na = without_supplement(a, la), nb = without_supplement(b, lb);

		if ((na < la || nb < lb) && (starts_name(a, na, b, lb) || starts_name(b, nb, a, la)))
			return 0.9;
	}
	return wn_sim_ratio(a, la, b, lb);
}

double wn_sim_journal(const struct wn_profile *a, const struct wn_profile *b)
{
	const char *ja[2] = { a->journal, a->journal_abbrev };
	const char *jb[2] = { b->journal, b->journal_abbrev };
	double best = -1;

	if (a->issn && b->issn && !strcmp(a->issn, b->issn))
		return 1.0;
	for (int i = 0; i < 2; i++)
		for (int k = 0; k < 2; k++)
			if (ja[i] && jb[k]) {
				double s = journal_pair(ja[i], jb[k]);

				if (s > best)
					best = s;
			}
	return best;
}

/* ---- evidence and judgement -------------------------------------------- */

static enum wn_agree agree_text(const char *a, const char *b)
{
	if (!a || !b)
		return WN_UNKNOWN;
	return strcmp(a, b) ? WN_DIFFERENT : WN_SAME;
}

/* Volumes and issues: "12", "12 suppl 1", "xii"; the first numbers decide
 * when both have one. */
static enum wn_agree agree_number(const char *a, const char *b)
{
	long na, nb;

	if (!a || !b)
		return WN_UNKNOWN;
	if (!strcmp(a, b))
		return WN_SAME;
	na = first_number(a, NULL);
	nb = first_number(b, NULL);
	if (!na || !nb)
		return WN_UNKNOWN;
	return na == nb ? WN_SAME : WN_DIFFERENT;
}

/* The numbers a title carries ("part 2", "phase 3", "covid 19"), in order. */
static size_t title_numbers(const char *t, long *out, size_t max)
{
	size_t n = 0;

	for (const char *p = t; *p && n < max;) {
		if (isdigit((unsigned char)*p) && (p == t || p[-1] == ' ')) {
			out[n++] = first_number(p, &p);
			continue;
		}
		p++;
	}
	return n;
}

static int same_digits(const char *a, const char *b)
{
	for (;;) {
		while (*a && !isdigit((unsigned char)*a))
			a++;
		while (*b && !isdigit((unsigned char)*b))
			b++;
		if (*a != *b)
			return 0;
		if (!*a)
			return 1;
		a++, b++;
	}
}

static int numbers_differ(const struct wn_profile *a, const struct wn_profile *b)
{
	long na[16], nb[16];
	size_t ca, cb;

	if (!a->title || !b->title)
		return 0;
	ca = title_numbers(a->title, na, 16);
	cb = title_numbers(b->title, nb, 16);
	if (ca == cb && !memcmp(na, nb, ca * sizeof(long)))
		return 0;
	/* the same digits in the same order, spaced differently: "HPV16/18"
	 * and "HPV 16/18", "10 000 women" and "10000 women" */
	if (same_digits(a->title, b->title))
		return 0;
	if (ca == cb)
		return 1;
	/* a title cut short loses its last numbers, not its first */
	if (ca < cb ? memcmp(na, nb, ca * sizeof(long)) : memcmp(na, nb, cb * sizeof(long)))
		return 1;
	{
		const char *s = ca < cb ? a->title_tight : b->title_tight;
		const char *l = ca < cb ? b->title_tight : a->title_tight;

		return strncmp(s, l, strlen(s)) != 0;
	}
}

/* Both give one whole range of pages (not a single page). */
static int same_page_range(const struct wn_profile *a, const struct wn_profile *b)
{
	return a->page_last > a->page_first && a->page_first == b->page_first &&
	       a->page_last == b->page_last;
}

/* a is the article online before its issue, paged from 1 ("1-17") and
 * with no volume yet; b has the volume and the issue's pages */
static int online_first(const struct wn_profile *a, const struct wn_profile *b)
{
	return !a->volume && a->page_first == 1 && a->page_last > 1 && b->volume &&
	       b->page_first > 1;
}

/* a gives one page, and it lies within b's range */
static int page_inside(const struct wn_profile *a, const struct wn_profile *b)
{
	return a->page_last <= a->page_first && b->page_last > b->page_first &&
	       a->page_first > b->page_first && a->page_first <= b->page_last;
}

/* a lost its volume, and its issue and pages moved up a place: Embase's
 * "26 | 9 | (no pages)" for volume 26, issue 9, page 1746 */
static int fields_shifted(const struct wn_profile *a, const struct wn_profile *b)
{
	return !a->volume && a->issue && a->pages && b->volume && b->issue &&
	       !strcmp(a->issue, b->volume) && !strcmp(a->pages, b->issue);
}

int wn_plainly_different(const struct wn_profile *a, const struct wn_profile *b)
{
	if (!a->title_tight || !b->title_tight ||
	    (a->doi && b->doi && !strcmp(a->doi, b->doi)) ||
	    (a->pmid && b->pmid && !strcmp(a->pmid, b->pmid)) ||
	    (a->pmcid && b->pmcid && !strcmp(a->pmcid, b->pmcid)) ||
	    same_page_range(a, b))
		return 0;
	/* the title's own measure: a title cut short or a subtitle added
	 * counts as alike however different the lengths */
	return wn_sim_title(a, b) < WN_TITLE_FLOOR;
}

void wn_evidence_collect(const struct wn_profile *a, const struct wn_profile *b,
			 struct wn_evidence *e)
{
	memset(e, 0, sizeof(*e));
	e->title_raw = e->title = wn_sim_title(a, b);
	if (e->title > 0.5 && telling_word_differs(a->title, b->title)) {
		e->title_words = 1;
		e->title = 0.5;
	}
	e->authors = wn_sim_authors(a, b);
	e->journal = wn_sim_journal(a, b);
	e->abstract = -1;
	if (a->abstract && b->abstract) {
		size_t la = strlen(a->abstract), lb = strlen(b->abstract);
		size_t n = la < lb ? la : lb;

		if (n >= 50)
			e->abstract = wn_sim_ratio(a->abstract, n, b->abstract, n);
	}
	e->year_gap = a->year && b->year ? abs(a->year - b->year) : -1;
	e->doi = agree_text(a->doi, b->doi);
	e->pmid = agree_text(a->pmid, b->pmid);
	if (e->pmid == WN_UNKNOWN && a->pmcid && b->pmcid)
		e->pmid = agree_text(a->pmcid, b->pmcid);
	e->volume = agree_number(a->volume, b->volume);
	e->issue = agree_number(a->issue, b->issue);
	/* "Suppl 1" and issue 1 share a number, not an issue */
	if (e->issue == WN_SAME && a->supplement != b->supplement)
		e->issue = WN_UNKNOWN;
	if (fields_shifted(a, b) || fields_shifted(b, a)) {
		/* the volume is where the issue is said to be, and the issue
		 * where the pages are: they agree, and the pages are unknown */
		e->volume = WN_SAME;
		e->issue = WN_UNKNOWN;
	} else if (a->page_elocator != b->page_elocator || a->pages_garbled != b->pages_garbled ||
	    online_first(a, b) || online_first(b, a)) {
		/* an article number (e12724) and the article's own pages (1-6)
		 * are two ways of saying where it is; a garbled range against a
		 * readable one says nothing (two garbled alike still agree);
		 * nor do the pages an article had online before its issue */
	} else if (a->page_first && b->page_first) {
		/* a slip in the first page ("2297-2108" for "2097-2108") leaves
		 * the last one to agree */
		e->pages = a->page_first == b->page_first ||
				   (a->page_last && a->page_last == b->page_last &&
				    a->page_last != a->page_first)
			   ? WN_SAME : WN_DIFFERENT;
		/* one page inside the other's range (Embase gives some
		 * journals' last page alone: "488" for "487-488") neither
		 * agrees nor contradicts */
		if (e->pages == WN_DIFFERENT && (page_inside(a, b) || page_inside(b, a)))
			e->pages = WN_UNKNOWN;
		if (a->page_last && b->page_last &&
		    (a->page_last < b->page_first || b->page_last < a->page_first))
			e->pages_apart = 1;
		e->page_range_same = same_page_range(a, b);
	} else if (a->pages && b->pages) {
		e->pages = agree_text(a->pages, b->pages);
	}
	e->title_numbers = numbers_differ(a, b);
}

/* Pages this close in one issue may be one item placed two ways. */
#define PAGES_NEAR 10

/* at least `min`, or unknown */
static int at_least(double v, double min)
{
	return v < 0 || v >= min;
}

static int known_at_least(double v, double min)
{
	return v >= min;
}

static const char *relation_for(enum wn_doc_kind k)
{
	switch (k) {
	case WN_KIND_ERRATUM: return "erratum_for";
	case WN_KIND_RETRACTION: return "retraction_of";
	case WN_KIND_COMMENT: return "comment_on";
	case WN_KIND_CONFERENCE: return "abstract_of";
	case WN_KIND_PREPRINT: return "preprint_of";
	case WN_KIND_ARTICLE: break;
	}
	return "related";
}

/* One journal, volume, issue and whole page range, one year, one set of
 * authors: one article, whatever its title says (translated, or its
 * subtitle dropped). Proceedings often have no volume: there the
 * meeting, year and pages place it. */
static int same_place(const struct wn_profile *a, const struct wn_profile *b,
		      const struct wn_evidence *e)
{
	return e->page_range_same &&
	       (e->volume == WN_SAME ||
		(e->volume == WN_UNKNOWN && a->proceedings && b->proceedings)) &&
	       e->issue != WN_DIFFERENT && e->title >= 0 && e->year_gap == 0 &&
	       known_at_least(e->authors, 0.9) && known_at_least(e->journal, 0.9) &&
	       e->doi != WN_DIFFERENT && !e->title_numbers;
}

/* One database files a meeting abstract under "Circulation. Conference:
 * ...", another under "Circulation": the same journal, volume and year,
 * and the same pages or issue, say it is one record whatever kind each
 * database made it. So does the same volume when the one not called a
 * meeting abstract is in the volume's supplement and neither gives its
 * issue and pages both. */
static int one_meeting_abstract(const struct wn_profile *a, const struct wn_profile *b,
				const struct wn_evidence *e)
{
	const struct wn_profile *other = a->kind == WN_KIND_CONFERENCE ? b : a;
	const struct wn_profile *meeting = a->kind == WN_KIND_CONFERENCE ? a : b;

	/* a meeting's abstract and an erratum, comment or preprint are two
	 * records, however they are filed */
	if (meeting->kind != WN_KIND_CONFERENCE || other->kind != WN_KIND_ARTICLE)
		return 0;
	/* the meeting's record gives no volume, issue or pages, and the
	 * other is no full article: neither pages nor a DOI, or one page
	 * given as a range of one ("507-507", as Embase gives an abstract's).
	 * One title, one set of authors and one year make it one abstract. */
	if (!meeting->volume && !meeting->issue && !meeting->pages && e->journal >= 0.9 &&
	    e->year_gap == 0 && e->doi != WN_DIFFERENT && e->title_raw >= 0.95 &&
	    known_at_least(e->authors, 0.9) &&
	    ((!other->pages && !other->doi) ||
	     (other->page_first && other->page_last == other->page_first && !other->page_elocator)))
		return 1;
	if (!(e->journal >= 0.9 && e->volume == WN_SAME && e->year_gap == 0 &&
	      e->doi != WN_DIFFERENT && e->pages != WN_DIFFERENT))
		return 0;
	if (e->pages == WN_SAME || e->issue == WN_SAME)
		return 1;
	return e->issue == WN_UNKNOWN && e->pages == WN_UNKNOWN && supplement_issue(other->issue);
}

static double overall(const struct wn_evidence *e)
{
	double s = 0, w = 0;

	if (e->title >= 0)
		s += 0.5 * e->title, w += 0.5;
	if (e->authors >= 0)
		s += 0.25 * e->authors, w += 0.25;
	if (e->journal >= 0)
		s += 0.1 * e->journal, w += 0.1;
	if (e->year_gap >= 0)
		s += 0.05 * (e->year_gap == 0 ? 1 : e->year_gap == 1 ? 0.5 : 0), w += 0.05;
	if (e->pages != WN_UNKNOWN)
		s += 0.05 * (e->pages == WN_SAME), w += 0.05;
	if (e->volume != WN_UNKNOWN)
		s += 0.05 * (e->volume == WN_SAME), w += 0.05;
	return w > 0 ? s / w : 0;
}

static enum wn_verdict verdict(struct wn_judgement *j, enum wn_verdict v, const char *rule)
{
	j->verdict = v;
	j->rule = rule;
	j->contradiction = v == WN_VERDICT_DIFFERENT;
	return v;
}

const struct wn_dedupe_thresholds wn_dedupe_default_thresholds = { 0.95, 0.8 };

double wn_dedupe_merge_bare(const struct wn_dedupe_thresholds *t)
{
	return t->merge_title + 0.02 < 1 ? t->merge_title + 0.02 : 1;
}

double wn_dedupe_review_authors(const struct wn_dedupe_thresholds *t)
{
	return t->review_title + 0.1 < t->merge_title ? t->review_title + 0.1 : t->merge_title;
}

enum wn_verdict wn_judge(const struct wn_profile *a, const struct wn_profile *b,
			 const struct wn_evidence *e, const struct wn_dedupe_thresholds *t,
			 struct wn_judgement *j)
{
	/* an issue is often mis-entered (a supplement, a month, a database's
	 * own number): it contradicts only what volume and pages do not settle */
	int contradictions = (e->volume == WN_DIFFERENT) + (e->pages == WN_DIFFERENT) +
			     (e->issue == WN_DIFFERENT &&
			      !(e->volume == WN_SAME && e->pages == WN_SAME));
	int short_title = a->title_tight && b->title_tight &&
			  (strlen(a->title_tight) < 25 || strlen(b->title_tight) < 25);
	int venue_same = e->pages == WN_SAME && (e->volume == WN_SAME || e->issue == WN_SAME);

	/* the rules with no identifier to lean on take their title
	 * thresholds from the review's settings */
	const struct wn_dedupe_thresholds *th = t ? t : &wn_dedupe_default_thresholds;
	double merge = th->merge_title, review = th->review_title;
	double merge_bare = wn_dedupe_merge_bare(th), review_authors = wn_dedupe_review_authors(th);

	memset(j, 0, sizeof(*j));
	j->score = overall(e);

	/* an erratum, comment, preprint or meeting abstract and the article
	 * it concerns are different records of one work */
	/* unless they are one meeting abstract, which databases file under
	 * different kinds (one_meeting_abstract) */
	/* two records their sources both call conference papers are of one
	 * kind, whatever their venues' names or an SSRN DOI suggest */
	if (a->kind != b->kind && !(a->proceedings && b->proceedings) &&
	    !one_meeting_abstract(a, b, e)) {
		const struct wn_profile *other = a->kind != WN_KIND_ARTICLE ? a : b;
		/* an erratum, retraction or comment repeats its article's title;
		 * a preprint or meeting abstract may have been retitled since */
		int repeats = other->kind == WN_KIND_ERRATUM || other->kind == WN_KIND_RETRACTION ||
			      other->kind == WN_KIND_COMMENT;

		if (e->doi == WN_SAME || e->title_raw >= 0.95 ||
		    (!repeats && (e->title_raw >= 0.8 ||
				  (e->title_raw >= 0.6 && known_at_least(e->authors, 0.8))))) {

			j->relation = relation_for(other->kind);
			return verdict(j, WN_VERDICT_RELATED, "different kinds of document");
		}
		return verdict(j, WN_VERDICT_DIFFERENT, "different kinds of document");
	}
	if (e->pmid == WN_DIFFERENT)
		return verdict(j, WN_VERDICT_DIFFERENT, "different PMIDs");
	if (e->pages_apart)
		return verdict(j, WN_VERDICT_DIFFERENT, "page ranges apart");
	if (a->cochrane && b->cochrane && e->doi == WN_DIFFERENT)
		return verdict(j, WN_VERDICT_DIFFERENT, "Cochrane review versions");

	if (e->pmid == WN_SAME) {
		if (at_least(e->title, 0.8) && !e->title_numbers)
			return verdict(j, WN_VERDICT_DUPLICATE, "same PMID");
		return verdict(j, WN_VERDICT_REVIEW, "same PMID, different titles");
	}
	/* a supplement or a book can give one DOI to all it holds, but not
	 * one page range in one volume and year to the same authors twice */
	if (e->doi == WN_SAME && e->title_raw >= 0 && e->title_raw < 0.8) {
		if (same_place(a, b, e))
			return verdict(j, WN_VERDICT_DUPLICATE,
				       "same DOI, authors, journal and page range; title translated");
		return verdict(j, WN_VERDICT_DIFFERENT, "same DOI, different titles (a shared DOI)");
	}
	if (e->title_numbers) {
		if (e->doi == WN_SAME)
			return verdict(j, WN_VERDICT_REVIEW, "same DOI, titles number differently");
		return verdict(j, WN_VERDICT_DIFFERENT, "titles number differently");
	}
	if (e->doi == WN_SAME) {
		if (at_least(e->title, 0.9) && at_least(e->authors, 0.5) && contradictions == 0)
			return verdict(j, WN_VERDICT_DUPLICATE, "same DOI");
		if (known_at_least(e->title, 0.95) && known_at_least(e->authors, 0.9) &&
		    e->year_gap <= 1 &&
		    (contradictions <= 1 || known_at_least(e->abstract, 0.9)))
			return verdict(j, WN_VERDICT_DUPLICATE,
				       "same DOI, title and authors; numbers garbled");
		/* names garbled (given and family swapped, particles) but one
		 * DOI, one title and one place in one journal */
		if (known_at_least(e->title, 0.95) && known_at_least(e->journal, 0.9) &&
		    e->year_gap == 0 && contradictions == 0 && e->volume == WN_SAME &&
		    (e->pages == WN_SAME || e->issue == WN_SAME))
			return verdict(j, WN_VERDICT_DUPLICATE, "same DOI, title and venue; names garbled");
		return verdict(j, WN_VERDICT_REVIEW, "same DOI, other fields differ");
	}
	if (e->doi == WN_DIFFERENT) {
		if (known_at_least(e->title, 0.95) && known_at_least(e->authors, 0.9) &&
		    e->year_gap <= 1 && contradictions == 0)
			return verdict(j, WN_VERDICT_REVIEW, "different DOIs, otherwise alike");
		return verdict(j, WN_VERDICT_DIFFERENT, "different DOIs");
	}
	if (e->year_gap > 1) {
		if (known_at_least(e->title, 0.95) && at_least(e->authors, 0.9) &&
		    e->journal >= 0.9 && (e->volume == WN_SAME || e->pages == WN_SAME))
			return verdict(j, WN_VERDICT_REVIEW, "years far apart, otherwise alike");
		return verdict(j, WN_VERDICT_DIFFERENT, "years far apart");
	}
	if (contradictions >= 2 || (e->pages == WN_DIFFERENT && e->title < 0.99))
		return verdict(j, WN_VERDICT_DIFFERENT, "volume, issue or pages differ");
	/* one title by one set of authors in one issue of one journal is one
	 * article when the databases place it a few pages apart (an abstract's
	 * page in print and online, a session's first page); ranges that do
	 * not meet were held apart above, and parts that number differently
	 * and corrections or replies are other rules' */
	if (e->pages == WN_DIFFERENT && contradictions == 1 && e->title >= 1.0 && !short_title &&
	    known_at_least(e->authors, 0.9) && known_at_least(e->journal, 0.9) &&
	    e->volume == WN_SAME && e->issue == WN_SAME && e->year_gap == 0 &&
	    labs(a->page_first - b->page_first) <= PAGES_NEAR)
		return verdict(j, WN_VERDICT_DUPLICATE,
			       "same title, authors, journal, volume, issue and year; pages differ");

	if (same_place(a, b, e))
		return verdict(j, WN_VERDICT_DUPLICATE, "same authors, journal and page range; title translated");
	/* one meeting abstract that one database files as a meeting's and
	 * another as the journal's (one_meeting_abstract): one title, however
	 * short ("Coronary artery disease", "Poster Abstracts"), in one
	 * journal's volume and issue, by the same authors or by none */
	if (a->kind != b->kind && e->title >= 1.0 && e->volume == WN_SAME &&
	    e->issue == WN_SAME && e->year_gap == 0 && contradictions == 0 &&
	    known_at_least(e->journal, 0.9) &&
	    (known_at_least(e->authors, 0.9) ||
	     (!a->authors && !b->authors && strlen(a->title_tight) >= 15)))
		return verdict(j, WN_VERDICT_DUPLICATE,
			       "one meeting abstract filed twice: title, journal, volume and issue agree");
	if (!short_title || venue_same) {
		if (known_at_least(e->title, merge) && known_at_least(e->authors, 0.9) &&
		    at_least(e->journal, 0.75) && contradictions == 0 &&
		    (e->year_gap == 0 || e->volume == WN_SAME || e->pages == WN_SAME))
			return verdict(j, WN_VERDICT_DUPLICATE, "title, authors and venue agree");
		if (known_at_least(e->title, 0.9) && known_at_least(e->authors, 0.8) &&
		    e->pages == WN_SAME && (e->volume == WN_SAME || e->year_gap == 0) &&
		    at_least(e->journal, 0.6) && contradictions == 0)
			return verdict(j, WN_VERDICT_DUPLICATE, "title, authors and pages agree");
		if (known_at_least(e->title, 0.7) && known_at_least(e->authors, 0.95) &&
		    known_at_least(e->journal, 0.9) && venue_same && e->year_gap == 0)
			return verdict(j, WN_VERDICT_DUPLICATE,
				       "authors, journal, volume and pages agree; title reworded");
		if (e->authors < 0 && known_at_least(e->title, merge_bare) &&
		    known_at_least(e->journal, 0.9) && e->year_gap == 0 &&
		    (e->volume == WN_SAME || e->pages == WN_SAME) && contradictions == 0)
			return verdict(j, WN_VERDICT_DUPLICATE, "no authors; title and venue agree");
		if (known_at_least(e->title, merge) && known_at_least(e->authors, 0.9) &&
		    e->volume == WN_SAME && e->pages == WN_SAME && e->year_gap == 0)
			return verdict(j, WN_VERDICT_DUPLICATE,
				       "title, authors, year, volume and pages agree");
		/* one title in one journal's volume, year and whole page range
		 * is one article, even with its authors garbled past knowing
		 * ("Luis Ferreira, Santos A" for "Santos, A L") */
		if (known_at_least(e->title, merge) && known_at_least(e->journal, 0.9) &&
		    e->page_range_same && e->volume == WN_SAME && e->year_gap == 0 &&
		    contradictions == 0)
			return verdict(j, WN_VERDICT_DUPLICATE,
				       "title, journal, year, volume and page range agree");
		/* one journal, volume, first page and year, and one title: one
		 * article, however its authors were written down */
		if (known_at_least(e->title, merge) && at_least(e->authors, 0.5) &&
		    known_at_least(e->journal, 0.9) && e->volume == WN_SAME &&
		    e->pages == WN_SAME && e->year_gap == 0 && contradictions == 0)
			return verdict(j, WN_VERDICT_DUPLICATE,
				       "title, journal, year, volume and pages agree");
		if (e->title >= 1.0 && known_at_least(e->authors, 0.9) && e->year_gap == 0 &&
		    at_least(e->journal, 0.5) && contradictions == 0)
			return verdict(j, WN_VERDICT_DUPLICATE, "same title, authors and year");
		/* the authors all there but swapped, given for family names
		 * or put in another order, under one title in one venue and
		 * year */
		if (e->title >= 1.0 && !short_title && known_at_least(e->authors, 0.75) &&
		    known_at_least(e->journal, 0.9) && e->year_gap == 0 && contradictions == 0)
			return verdict(j, WN_VERDICT_DUPLICATE, "same title, venue and year; authors reordered");
		/* one title, one set of authors, one year, volume and issue:
		 * one article, whatever language the journal's name is in */
		if (e->title >= 1.0 && !short_title && known_at_least(e->authors, 0.9) &&
		    e->volume == WN_SAME && e->issue == WN_SAME && e->year_gap == 0 &&
		    contradictions == 0)
			return verdict(j, WN_VERDICT_DUPLICATE,
				       "same title, authors, year, volume and issue; journal named otherwise");
		/* proceedings dated by the meeting in one database and by
		 * publication in another */
		if (e->title >= 1.0 && !short_title && known_at_least(e->authors, 0.9) &&
		    known_at_least(e->journal, 0.9) && e->year_gap <= 1 && contradictions == 0)
			return verdict(j, WN_VERDICT_DUPLICATE, "same title, authors and venue; a year apart");
	}
	/* two journals and two volumes: two publications (a meeting's
	 * abstract and the article, most often), however alike the rest */
	if (e->volume == WN_DIFFERENT && e->journal >= 0 && e->journal < 0.5)
		return verdict(j, WN_VERDICT_DIFFERENT, "different journals and volumes");
	if (known_at_least(e->title, review_authors) && at_least(e->authors, 0.7) &&
	    e->year_gap <= 1)
		return verdict(j, WN_VERDICT_REVIEW, "alike, not certain");
	if (known_at_least(e->title, review) && known_at_least(e->authors, 0.9) &&
	    known_at_least(e->journal, 0.8) && e->year_gap <= 1)
		return verdict(j, WN_VERDICT_REVIEW, "alike, not certain");
	verdict(j, WN_VERDICT_DIFFERENT, "not alike");
	j->contradiction = 0; /* nothing contradicts: there is just too little alike */
	return WN_VERDICT_DIFFERENT;
}

static json_t *sim_value(double v)
{
	return v < 0 ? json_null() : json_real(round(v * 1000) / 1000);
}

static json_t *agree_value(enum wn_agree a)
{
	return a == WN_UNKNOWN ? json_null() : json_string(a == WN_SAME ? "same" : "different");
}

char *wn_evidence_json(const struct wn_evidence *e, const struct wn_judgement *j)
{
	json_t *o = json_object();
	char *s;

	json_object_set_new(o, "title", sim_value(e->title));
	json_object_set_new(o, "authors", sim_value(e->authors));
	json_object_set_new(o, "journal", sim_value(e->journal));
	json_object_set_new(o, "abstract", sim_value(e->abstract));
	json_object_set_new(o, "year_gap", e->year_gap < 0 ? json_null() : json_integer(e->year_gap));
	json_object_set_new(o, "doi", agree_value(e->doi));
	json_object_set_new(o, "pmid", agree_value(e->pmid));
	json_object_set_new(o, "volume", agree_value(e->volume));
	json_object_set_new(o, "issue", agree_value(e->issue));
	json_object_set_new(o, "pages", agree_value(e->pages));
	if (e->pages_apart)
		json_object_set_new(o, "pages_apart", json_true());
	if (e->title_numbers)
		json_object_set_new(o, "title_numbers_differ", json_true());
	if (e->title_words)
		json_object_set_new(o, "title_words_differ", json_true());
	json_object_set_new(o, "rule", json_string(j->rule));
	if (j->relation)
		json_object_set_new(o, "relation", json_string(j->relation));
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}
