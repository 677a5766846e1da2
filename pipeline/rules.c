/*
 * The eligibility rules language (include/winnow/rules.h, docs/rules.md):
 * parsed by hand, one line at a time, into a small tree per rule whose
 * leaves are conditions on one field; patterns compiled by PCRE2 with JIT.
 *
 *   line      := exclude | highlight | comment | blank
 *   exclude   := "exclude" STRING "if" or
 *   highlight := "highlight" ("include" | "exclude") PATTERN
 *   or        := and ("or" and)*
 *   and       := unary ("and" unary)*
 *   unary     := "not" unary | "(" or ")" | FIELD test
 *   test      := ("~" | "!~") PATTERN | ("=" | "!=") STRING
 *              | ("<" | "<=" | ">" | ">=" | "=" | "!=") NUMBER   (year)
 *              | "is" ["not"] "missing"
 *   PATTERN   := "/" text "/" flags     (a "/" inside is written "\/")
 *
 * Truth is three-valued: a test of a field the record lacks is unknown,
 * "not" keeps it unknown, "and" and "or" follow Kleene, and only a true
 * condition excludes.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"
#include "winnow/rules.h"

#define RULES_MAX_BYTES (4u << 20)

enum field {
	F_TITLE, F_ABSTRACT, F_TIAB, F_KEYWORDS, F_MESH, F_PUBTYPE, F_LANGUAGE,
	F_JOURNAL, F_AUTHORS, F_YEAR, F_DOI, F_SOURCE,
};

static const char *const field_names[] = {
	[F_TITLE] = "title", [F_ABSTRACT] = "abstract", [F_TIAB] = "tiab",
	[F_KEYWORDS] = "keywords", [F_MESH] = "mesh", [F_PUBTYPE] = "pubtype",
	[F_LANGUAGE] = "language", [F_JOURNAL] = "journal", [F_AUTHORS] = "authors",
	[F_YEAR] = "year", [F_DOI] = "doi", [F_SOURCE] = "source",
};
#define NFIELDS (sizeof(field_names) / sizeof(field_names[0]))
#define FIELD_LIST "title, abstract, tiab, keywords, mesh, pubtype, language, journal, " \
		   "authors, year, doi, source"

enum op { OP_MATCH, OP_NOMATCH, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_MISSING,
	  OP_PRESENT };

enum node_kind { N_TEST, N_NOT, N_AND, N_OR };

struct node {
	enum node_kind kind;
	struct node *a, *b;
	/* N_TEST */
	enum field field;
	enum op op;
	pcre2_code *re;
	char *text;
	long number;
};

struct rule {
	struct wn_rule_info info;
	struct node *cond; /* exclude */
	pcre2_code *re;    /* highlight */
};

struct wn_rules {
	char *path, *text;
	char sha256[65];
	struct rule *rules;
	size_t n, cap;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit_stack;
};

enum truth { FALSE_, TRUE_, UNKNOWN };

/* ---- parsing ------------------------------------------------------------ */

struct parser {
	const char *line, *p, *end;
	int lineno;
	struct wn_diagnostics *diags;
	int failed; /* this line */
	int tests;  /* this line's, up to MAX_TESTS */
};

/* Tests a rule may join: evaluation recurses once for each and/or. */
#define MAX_TESTS 256

static void problem(struct parser *ps, const char *at, const char *fmt, ...) WN_PRINTF(3, 4);

static void problem(struct parser *ps, const char *at, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (ps->failed++)
		return; /* the first problem on a line; the rest follow from it */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	wn_diagnostics_add(ps->diags, ps->lineno, "column %d: %s", (int)(at - ps->line) + 1, msg);
}

static void skip_space(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t'))
		ps->p++;
}

static size_t word_len(const char *p, const char *end)
{
	const char *s = p;

	while (s < end && (isalnum((unsigned char)*s) || *s == '_'))
		s++;
	return (size_t)(s - p);
}

/* The next word is `w` (a whole word): consume it. */
static int accept_word(struct parser *ps, const char *w)
{
	size_t n;

	skip_space(ps);
	n = word_len(ps->p, ps->end);
	if (n != strlen(w) || strncasecmp(ps->p, w, n))
		return 0;
	ps->p += n;
	return 1;
}

static int at_end(struct parser *ps)
{
	skip_space(ps);
	return ps->p >= ps->end || *ps->p == '#';
}

/* "..." with \" and \\ */
static char *parse_string(struct parser *ps, const char *what)
{
	struct wn_buf b = WN_BUF_INIT;
	const char *start;

	skip_space(ps);
	start = ps->p;
	if (ps->p >= ps->end || *ps->p != '"') {
		problem(ps, ps->p, "expected %s in double quotes", what);
		return NULL;
	}
	for (ps->p++; ps->p < ps->end && *ps->p != '"'; ps->p++) {
		if (*ps->p == '\\' && ps->p + 1 < ps->end && (ps->p[1] == '"' || ps->p[1] == '\\'))
			ps->p++;
		wn_buf_addc(&b, *ps->p);
	}
	if (ps->p >= ps->end) {
		problem(ps, start, "%s has no closing double quote", what);
		wn_buf_release(&b);
		return NULL;
	}
	ps->p++;
	wn_buf_addc(&b, '\0');
	return wn_buf_detach(&b);
}

/* /pattern/flags, compiled with JIT */
static pcre2_code *parse_pattern(struct parser *ps)
{
	struct wn_buf b = WN_BUF_INIT;
	const char *start, *body;
	uint32_t options = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF;
	pcre2_code *re;
	PCRE2_SIZE erroff;
	int err;

	skip_space(ps);
	start = ps->p;
	if (ps->p >= ps->end || *ps->p != '/') {
		problem(ps, ps->p, "expected a pattern between slashes: /.../");
		return NULL;
	}
	body = ++ps->p;
	for (; ps->p < ps->end && *ps->p != '/'; ps->p++) {
		if (*ps->p == '\\' && ps->p + 1 < ps->end) {
			if (ps->p[1] != '/')
				wn_buf_addc(&b, '\\');
			ps->p++;
		}
		wn_buf_addc(&b, *ps->p);
	}
	if (ps->p >= ps->end) {
		problem(ps, start, "the pattern has no closing slash (write a slash inside it as \\/)");
		wn_buf_release(&b);
		return NULL;
	}
	ps->p++;
	while (ps->p < ps->end && isalpha((unsigned char)*ps->p)) {
		switch (*ps->p) {
		case 'i': options |= PCRE2_CASELESS; break;
		case 'm': options |= PCRE2_MULTILINE; break;
		case 's': options |= PCRE2_DOTALL; break;
		case 'x': options |= PCRE2_EXTENDED; break;
		default:
			problem(ps, ps->p, "unknown pattern flag '%c' (flags: i, m, s, x)", *ps->p);
			wn_buf_release(&b);
			return NULL;
		}
		ps->p++;
	}
	re = pcre2_compile((PCRE2_SPTR)(b.data ? b.data : ""), b.len, options, &err, &erroff, NULL);
	if (!re) {
		PCRE2_UCHAR msg[256];
		/* the offset is into the pattern as compiled, where each "\/"
		 * was one byte shorter; close enough to point at the place */
		const char *at = body + erroff;

		pcre2_get_error_message(err, msg, sizeof(msg));
		problem(ps, at < ps->end ? at : ps->end, "bad pattern: %s", (const char *)msg);
		wn_buf_release(&b);
		return NULL;
	}
	/* no JIT (none for this machine, or WINNOW_NO_JIT set: valgrind
	 * cannot follow JIT-compiled code and reports its reads as
	 * uninitialised): slower, still right */
	if (!getenv("WINNOW_NO_JIT"))
		(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	wn_buf_release(&b);
	return re;
}

static void node_free(struct node *n)
{
	if (!n)
		return;
	node_free(n->a);
	node_free(n->b);
	pcre2_code_free(n->re);
	free(n->text);
	free(n);
}

static struct node *new_node(enum node_kind kind, struct node *a, struct node *b)
{
	struct node *n = xcalloc(1, sizeof(*n));

	n->kind = kind;
	n->a = a;
	n->b = b;
	return n;
}

static struct node *parse_or(struct parser *ps, int depth);
static struct node *parse_unary(struct parser *ps, int depth);

static struct node *parse_test(struct parser *ps)
{
	const char *start;
	struct node *n;
	size_t len;
	size_t f;

	skip_space(ps);
	start = ps->p;
	if (++ps->tests > MAX_TESTS) {
		problem(ps, start, "a rule joins at most %d tests; split it into several rules",
			MAX_TESTS);
		return NULL;
	}
	len = word_len(ps->p, ps->end);
	for (f = 0; f < NFIELDS; f++)
		if (len == strlen(field_names[f]) && !strncasecmp(ps->p, field_names[f], len))
			break;
	if (f == NFIELDS) {
		if (len)
			problem(ps, start, "unknown field '%.*s' (fields: " FIELD_LIST ")", (int)len,
				start);
		else
			problem(ps, start, "expected a field (" FIELD_LIST ")");
		return NULL;
	}
	ps->p += len;
	n = new_node(N_TEST, NULL, NULL);
	n->field = (enum field)f;
	skip_space(ps);
	if (accept_word(ps, "is")) {
		n->op = accept_word(ps, "not") ? OP_PRESENT : OP_MISSING;
		if (!accept_word(ps, "missing")) {
			problem(ps, ps->p, "expected 'missing' after 'is' (or 'is not')");
			goto fail;
		}
		return n;
	}
	start = ps->p;
	if (ps->end - ps->p >= 2 && !strncmp(ps->p, "!~", 2))
		n->op = OP_NOMATCH, ps->p += 2;
	else if (ps->p < ps->end && *ps->p == '~')
		n->op = OP_MATCH, ps->p++;
	else if (ps->end - ps->p >= 2 && !strncmp(ps->p, "!=", 2))
		n->op = OP_NE, ps->p += 2;
	else if (ps->end - ps->p >= 2 && !strncmp(ps->p, "<=", 2))
		n->op = OP_LE, ps->p += 2;
	else if (ps->end - ps->p >= 2 && !strncmp(ps->p, ">=", 2))
		n->op = OP_GE, ps->p += 2;
	else if (ps->p < ps->end && *ps->p == '<')
		n->op = OP_LT, ps->p++;
	else if (ps->p < ps->end && *ps->p == '>')
		n->op = OP_GT, ps->p++;
	else if (ps->p < ps->end && *ps->p == '=')
		n->op = OP_EQ, ps->p++;
	else {
		problem(ps, start, "expected ~, !~, =, !=, <, <=, >, >= or 'is missing' after '%s'",
			field_names[n->field]);
		goto fail;
	}
	if (n->field == F_YEAR) {
		size_t digits;

		if (n->op == OP_MATCH || n->op == OP_NOMATCH) {
			problem(ps, start, "year is a number: compare it with <, <=, >, >=, = or !=");
			goto fail;
		}
		skip_space(ps);
		start = ps->p;
		/* the line is not NUL-terminated: digits up to its end */
		for (digits = 0; ps->p + digits < ps->end && isdigit((unsigned char)ps->p[digits]);
		     digits++)
			if (digits < 9)
				n->number = n->number * 10 + (ps->p[digits] - '0');
		if (!digits || digits > 9 ||
		    (ps->p + digits < ps->end && isalnum((unsigned char)ps->p[digits]))) {
			problem(ps, start, "expected a year (a number)");
			goto fail;
		}
		ps->p += digits;
		return n;
	}
	if (n->op == OP_LT || n->op == OP_LE || n->op == OP_GT || n->op == OP_GE) {
		problem(ps, start, "%s is text: compare it with ~, !~, = or !=", field_names[n->field]);
		goto fail;
	}
	if (n->op == OP_MATCH || n->op == OP_NOMATCH)
		n->re = parse_pattern(ps);
	else
		n->text = parse_string(ps, "the text to compare with");
	if (!n->re && !n->text)
		goto fail;
	return n;
fail:
	node_free(n);
	return NULL;
}

static struct node *parse_unary(struct parser *ps, int depth)
{
	struct node *n;

	if (depth > 64) {
		problem(ps, ps->p, "the condition nests too deeply");
		return NULL;
	}
	if (accept_word(ps, "not")) {
		n = parse_unary(ps, depth + 1);
		return n ? new_node(N_NOT, n, NULL) : NULL;
	}
	skip_space(ps);
	if (ps->p < ps->end && *ps->p == '(') {
		const char *open = ps->p++;

		n = parse_or(ps, depth + 1);
		if (!n)
			return NULL;
		skip_space(ps);
		if (ps->p >= ps->end || *ps->p != ')') {
			problem(ps, open, "this parenthesis is not closed");
			node_free(n);
			return NULL;
		}
		ps->p++;
		return n;
	}
	return parse_test(ps);
}

/* "or" of "and"s of unary tests: level 0 joins with "or", level 1 with
 * "and", which binds tighter */
static struct node *parse_joined(struct parser *ps, int depth, int level)
{
	static const char *const words[] = { "or", "and" };
	static const enum node_kind kinds[] = { N_OR, N_AND };
	struct node *n = level ? parse_unary(ps, depth) : parse_joined(ps, depth, 1);

	while (n && accept_word(ps, words[level])) {
		struct node *b = level ? parse_unary(ps, depth) : parse_joined(ps, depth, 1);

		if (!b) {
			node_free(n);
			return NULL;
		}
		n = new_node(kinds[level], n, b);
	}
	return n;
}

static struct node *parse_or(struct parser *ps, int depth)
{
	return parse_joined(ps, depth, 0);
}

static char *trimmed(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return xstrndup(s, (size_t)(end - s));
}

static void parse_line(struct wn_rules *r, struct parser *ps)
{
	struct rule rule;
	const char *expr;

	memset(&rule, 0, sizeof(rule));
	rule.info.line = ps->lineno;
	if (at_end(ps))
		return;
	if (accept_word(ps, "exclude")) {
		rule.info.action = WN_RULE_EXCLUDE;
		if (!(rule.info.label = parse_string(ps, "the reason for excluding")))
			return;
		if (!*rule.info.label) {
			problem(ps, ps->p, "the reason for excluding is empty");
			goto fail;
		}
		if (!accept_word(ps, "if")) {
			problem(ps, ps->p, "expected 'if' and a condition after the reason");
			goto fail;
		}
		skip_space(ps);
		expr = ps->p;
		if (!(rule.cond = parse_or(ps, 0)))
			goto fail;
	} else if (accept_word(ps, "highlight")) {
		if (accept_word(ps, "include")) {
			rule.info.action = WN_RULE_HIGHLIGHT_INCLUDE;
		} else if (accept_word(ps, "exclude")) {
			rule.info.action = WN_RULE_HIGHLIGHT_EXCLUDE;
		} else {
			problem(ps, ps->p, "expected 'include' or 'exclude' after 'highlight'");
			return;
		}
		skip_space(ps);
		expr = ps->p;
		if (!(rule.re = parse_pattern(ps)))
			goto fail;
	} else {
		problem(ps, ps->p, "a rule starts with 'exclude' or 'highlight'");
		return;
	}
	if (!at_end(ps)) {
		problem(ps, ps->p, "unexpected text after the rule (join conditions with "
			"'and' or 'or'; comments start with #)");
		goto fail;
	}
	{
		const char *end = ps->p;

		rule.info.expression = trimmed(expr, end);
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->rules = xrealloc(r->rules, r->cap * sizeof(*r->rules));
	}
	r->rules[r->n++] = rule;
	return;
fail:
	free((char *)rule.info.label);
	node_free(rule.cond);
	pcre2_code_free(rule.re);
}

void wn_rules_free(struct wn_rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free((char *)r->rules[i].info.label);
		free((char *)r->rules[i].info.expression);
		node_free(r->rules[i].cond);
		pcre2_code_free(r->rules[i].re);
	}
	free(r->rules);
	pcre2_match_data_free(r->md);
	pcre2_match_context_free(r->mctx);
	pcre2_jit_stack_free(r->jit_stack);
	free(r->path);
	free(r->text);
	free(r);
}

int wn_rules_parse(struct wn_rules **out, const char *path, const char *text, size_t len,
		   struct wn_diagnostics *diags)
{
	struct wn_rules *r = xcalloc(1, sizeof(*r));
	struct parser ps;
	size_t before = diags->n;
	const char *p = text, *end = text + len;

	*out = NULL;
	r->path = xstrdup(path);
	r->text = xstrndup(text, len);
	wn_sha256_hex(text, len, r->sha256);
	memset(&ps, 0, sizeof(ps));
	ps.diags = diags;
	if (memchr(text, '\0', len)) {
		wn_diagnostics_add(diags, 0, "the file holds NUL bytes: it is not a text file");
		p = end;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;

		ps.lineno++;
		ps.line = ps.p = p;
		ps.end = eol > p && eol[-1] == '\r' ? eol - 1 : eol;
		ps.failed = 0;
		ps.tests = 0;
		if (ps.lineno == 1 && ps.end - ps.p >= 3 && !memcmp(ps.p, "\xef\xbb\xbf", 3))
			ps.line = ps.p += 3; /* a byte order mark: columns count after it */
		parse_line(r, &ps);
		p = nl ? nl + 1 : end;
	}
	if (diags->n > before || r->n == 0) {
		if (diags->n == before)
			wn_diagnostics_add(diags, 0, "no rules: the file has only comments and blank lines");
		wn_rules_free(r);
		return wn_error_set(WN_EINVALID, "'%s' has %zu problem(s)", path, diags->n - before);
	}
	r->md = pcre2_match_data_create(1, NULL);
	/* JIT's default stack (32 KiB) runs out on a long abstract with a
	 * backtracking pattern; a larger one makes that rare, and what still
	 * fails is unknown, never a non-match */
	r->mctx = pcre2_match_context_create(NULL);
	r->jit_stack = pcre2_jit_stack_create(32 * 1024, 4 * 1024 * 1024, NULL);
	if (r->mctx && r->jit_stack)
		pcre2_jit_stack_assign(r->mctx, NULL, r->jit_stack);
	*out = r;
	return WN_OK;
}

int wn_rules_parse_file(struct wn_rules **out, const char *path, struct wn_diagnostics *diags)
{
	char *text;
	size_t len;
	int rc;

	*out = NULL;
	if ((rc = wn_read_file(path, RULES_MAX_BYTES, &text, &len)) < 0)
		return rc;
	rc = wn_rules_parse(out, path, text, len, diags);
	free(text);
	return rc;
}

static int node_uses(const struct node *n, enum field f)
{
	if (!n)
		return 0;
	if (n->kind == N_TEST)
		return n->field == f || (n->field == F_TIAB && (f == F_TITLE || f == F_ABSTRACT));
	return node_uses(n->a, f) || node_uses(n->b, f);
}

int wn_rules_use(const struct wn_rules *r, const char *field)
{
	size_t f;

	for (f = 0; f < NFIELDS; f++)
		if (!strcmp(field_names[f], field))
			break;
	if (f == NFIELDS)
		return 0;
	for (size_t i = 0; i < r->n; i++)
		if (r->rules[i].cond ? node_uses(r->rules[i].cond, (enum field)f)
				     : (f == F_TITLE || f == F_ABSTRACT))
			return 1;
	return 0;
}

size_t wn_rules_count(const struct wn_rules *r) { return r->n; }
const struct wn_rule_info *wn_rules_get(const struct wn_rules *r, size_t i) { return &r->rules[i].info; }
const char *wn_rules_path(const struct wn_rules *r) { return r->path; }
const char *wn_rules_text(const struct wn_rules *r) { return r->text; }
const char *wn_rules_sha256(const struct wn_rules *r) { return r->sha256; }

/* ---- matching ----------------------------------------------------------- */

/* TRUE_ or FALSE_; UNKNOWN when matching failed (a stack or match limit
 * reached): a pattern that could not be tried says nothing */
static enum truth found(struct wn_rules *r, const pcre2_code *re, const char *s)
{
	int rc = pcre2_match(re, (PCRE2_SPTR)s, PCRE2_ZERO_TERMINATED, 0, 0, r->md, r->mctx);

	return rc >= 0 ? TRUE_ : rc == PCRE2_ERROR_NOMATCH ? FALSE_ : UNKNOWN;
}

/* The values of a field: one for text fields, the list's for lists. */
static size_t values(const struct wn_rule_fields *f, enum field field, const char *const **list,
		     const char **one)
{
	*list = NULL;
	*one = NULL;
	switch (field) {
	case F_TITLE: *one = f->title; break;
	case F_ABSTRACT: *one = f->abstract; break;
	case F_LANGUAGE: *list = f->languages; return f->nlanguages;
	case F_JOURNAL: *one = f->journal; break;
	case F_DOI: *one = f->doi; break;
	case F_SOURCE: *one = f->source; break;
	case F_KEYWORDS: *list = f->keywords; return f->nkeywords;
	case F_MESH: *list = f->mesh; return f->nmesh;
	case F_PUBTYPE: *list = f->pubtypes; return f->npubtypes;
	case F_AUTHORS: *list = f->authors; return f->nauthors;
	case F_TIAB: case F_YEAR: return 0;
	}
	return *one && **one ? 1 : 0;
}

/* Does the value match (~) or equal (=) the test's pattern or text? */
static enum truth test_value(struct wn_rules *r, const struct node *n, const char *v)
{
	if (n->op == OP_MATCH || n->op == OP_NOMATCH)
		return found(r, n->re, v);
	return strcmp(v, n->text) ? FALSE_ : TRUE_;
}

static enum truth or3(enum truth a, enum truth b)
{
	return a == TRUE_ || b == TRUE_ ? TRUE_ : a == FALSE_ && b == FALSE_ ? FALSE_ : UNKNOWN;
}

static enum truth not3(enum truth a)
{
	return a == UNKNOWN ? UNKNOWN : a == TRUE_ ? FALSE_ : TRUE_;
}

static enum truth eval_test(struct wn_rules *r, const struct node *n, const struct wn_rule_fields *f)
{
	int negated = n->op == OP_NOMATCH || n->op == OP_NE;
	const char *const *list;
	const char *one;
	enum truth any = FALSE_;
	size_t nv;

	if (n->field == F_YEAR) {
		if (!f->year)
			return n->op == OP_MISSING ? TRUE_ : n->op == OP_PRESENT ? FALSE_ : UNKNOWN;
		switch (n->op) {
		case OP_EQ: return f->year == n->number ? TRUE_ : FALSE_;
		case OP_NE: return f->year != n->number ? TRUE_ : FALSE_;
		case OP_LT: return f->year < n->number ? TRUE_ : FALSE_;
		case OP_LE: return f->year <= n->number ? TRUE_ : FALSE_;
		case OP_GT: return f->year > n->number ? TRUE_ : FALSE_;
		case OP_GE: return f->year >= n->number ? TRUE_ : FALSE_;
		case OP_MISSING: return FALSE_;
		default: return TRUE_; /* OP_PRESENT */
		}
	}
	if (n->field == F_TIAB) {
		int have_t = f->title && *f->title, have_a = f->abstract && *f->abstract;

		if (n->op == OP_MISSING || n->op == OP_PRESENT)
			return (have_t || have_a) == (n->op == OP_PRESENT) ? TRUE_ : FALSE_;
		/* the title or the abstract; a half the record lacks is
		 * unknown, so "tiab !~" holds only when both are there and
		 * neither matches */
		any = have_t ? test_value(r, n, f->title) : UNKNOWN;
		if (any != TRUE_) /* the abstract only when the title settles nothing */
			any = or3(any, have_a ? test_value(r, n, f->abstract) : UNKNOWN);
		return negated ? not3(any) : any;
	}
	nv = values(f, n->field, &list, &one);
	if (n->op == OP_MISSING || n->op == OP_PRESENT)
		return (nv > 0) == (n->op == OP_PRESENT) ? TRUE_ : FALSE_;
	if (nv == 0)
		return UNKNOWN;
	/* a list matches when any value does; !~ and != when none does */
	for (size_t i = 0; i < nv && any != TRUE_; i++) {
		const char *v = list ? list[i] : one;

		if (v)
			any = or3(any, test_value(r, n, v));
	}
	return negated ? not3(any) : any;
}

static enum truth eval(struct wn_rules *r, const struct node *n, const struct wn_rule_fields *f)
{
	enum truth a, b;

	switch (n->kind) {
	case N_TEST:
		return eval_test(r, n, f);
	case N_NOT:
		return not3(eval(r, n->a, f));
	case N_AND:
		a = eval(r, n->a, f);
		if (a == FALSE_)
			return FALSE_;
		b = eval(r, n->b, f);
		return b == FALSE_ ? FALSE_ : (a == TRUE_ && b == TRUE_) ? TRUE_ : UNKNOWN;
	case N_OR:
		a = eval(r, n->a, f);
		if (a == TRUE_)
			return TRUE_;
		b = eval(r, n->b, f);
		return b == TRUE_ ? TRUE_ : (a == FALSE_ && b == FALSE_) ? FALSE_ : UNKNOWN;
	}
	return UNKNOWN;
}

int wn_rules_match(struct wn_rules *r, size_t i, const struct wn_rule_fields *f)
{
	const struct rule *rule = &r->rules[i];

	if (rule->info.action == WN_RULE_EXCLUDE)
		return eval(r, rule->cond, f) == TRUE_;
	return (f->title && found(r, rule->re, f->title) == TRUE_) ||
	       (f->abstract && found(r, rule->re, f->abstract) == TRUE_);
}

int wn_rules_mark(struct wn_rules *r, const char *text, unsigned char *marks)
{
	size_t len = strlen(text);
	int found_any = 0;

	memset(marks, 0, len);
	for (size_t i = 0; i < r->n; i++) {
		const struct rule *rule = &r->rules[i];
		unsigned char mark = rule->info.action == WN_RULE_HIGHLIGHT_INCLUDE ? WN_MARK_INCLUDE
				   : WN_MARK_EXCLUDE;
		PCRE2_SIZE at = 0;

		if (!rule->re)
			continue;
		while (at <= len) {
			PCRE2_SIZE *ov;
			int rc = pcre2_match(rule->re, (PCRE2_SPTR)text, len, at, 0, r->md, r->mctx);

			if (rc < 0)
				break; /* no more, or a limit reached: mark what was found */
			ov = pcre2_get_ovector_pointer(r->md);
			if (ov[1] > len || ov[0] > ov[1])
				break; /* \K can put the start after the end */
			for (PCRE2_SIZE k = ov[0]; k < ov[1]; k++)
				if (!marks[k] || mark == WN_MARK_EXCLUDE)
					marks[k] = mark; /* a warning outweighs an encouragement */
			found_any |= ov[1] > ov[0];
			if (ov[1] == ov[0]) {
				/* an empty match: step over one whole character */
				at = ov[1] + 1;
				while (at < len && ((unsigned char)text[at] & 0xC0) == 0x80)
					at++;
			} else {
				at = ov[1];
			}
		}
	}
	return found_any;
}
