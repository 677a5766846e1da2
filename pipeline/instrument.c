/*
 * Appraisal instruments as data: parsing the checklist files, finding them
 * by name, and storing them in a review (verbatim, hashed) the first time
 * an appraisal uses them.
 *
 * The file is INI-like (docs/synthesis.md): an [instrument] section, then
 * one [item CODE] section per question, in the order they are asked.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "appraisal_int.h"
#include "audit.h"
#include "store_int.h"
#include "util.h"
#include "winnow/appraisal.h"

#define INSTRUMENT_MAX_BYTES (1 << 20)
#define INSTRUMENT_MAX_ITEMS 500

#ifndef WN_INSTRUMENT_DIRS
#define WN_INSTRUMENT_DIRS "/usr/local/share/winnow/instruments"
#endif

enum section_kind { SEC_NONE, SEC_INSTRUMENT, SEC_ITEM };

struct parser {
	struct wn_instrument *in;
	struct wn_diagnostics *d;
	enum section_kind sec;
	struct wn_instrument_item *item;
	int line;
	int seen_instrument;
	unsigned seen; /* keys seen in this section, a bit each */
	int item_line; /* of the current item's heading */
	/* the answers every item has unless it says otherwise */
	struct wn_instrument_answer *def;
	size_t ndef;
};

static const char *const instrument_keys[] = { "name", "version", "title", "source", "answers",
					       "tally", "note", "categories", NULL };
static const char *const item_keys[] = { "text", "hint", "section", "category", "answers",
					 "screening", "overall", NULL };

static int key_index(const char *const *keys, const char *key)
{
	for (int i = 0; keys[i]; i++)
		if (!strcmp(keys[i], key))
			return i;
	return -1;
}

/* "y: Yes | c: Can't tell | n: No" into answers; 0 or -1 with the problem
 * added. */
static int parse_answers(struct parser *p, const char *value, struct wn_instrument_answer **out,
			 size_t *n)
{
	char *copy = xstrdup(value), *save = NULL;
	int rc = 0;

	*out = NULL;
	*n = 0;
	for (char *part = strtok_r(copy, "|", &save); part; part = strtok_r(NULL, "|", &save)) {
		char *s = wn_trim(part), *colon = strchr(s, ':'), *label;

		if (!colon || colon - s != 1 || !isalnum((unsigned char)s[0])) {
			wn_diagnostics_add(p->d, p->line, "an answer is a key letter, a colon and its "
					   "label (\"y: Yes | n: No\"), not '%s'", s);
			rc = -1;
			break;
		}
		label = wn_trim(colon + 1);
		if (!*label) {
			wn_diagnostics_add(p->d, p->line, "answer '%c' has no label", s[0]);
			rc = -1;
			break;
		}
		for (size_t i = 0; i < *n; i++)
			if (tolower((unsigned char)(*out)[i].key) == tolower((unsigned char)s[0]) ||
			    !strcasecmp((*out)[i].label, label)) {
				wn_diagnostics_add(p->d, p->line, "answer '%c: %s' repeats a key or label",
						   s[0], label);
				rc = -1;
			}
		if (rc)
			break;
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		(*out)[*n].key = (char)tolower((unsigned char)s[0]);
		(*out)[*n].label = xstrdup(label);
		(*n)++;
	}
	free(copy);
	if (!rc && *n < 2) {
		wn_diagnostics_add(p->d, p->line, "a question needs at least two answers (or "
				   "'answers = text' for one answered in words)");
		rc = -1;
	}
	if (rc) {
		for (size_t i = 0; i < *n; i++)
			free((*out)[i].label);
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

static int parse_bool(struct parser *p, const char *key, const char *value)
{
	if (!strcasecmp(value, "yes") || !strcasecmp(value, "true"))
		return 1;
	if (!strcasecmp(value, "no") || !strcasecmp(value, "false"))
		return 0;
	wn_diagnostics_add(p->d, p->line, "%s is yes or no, not '%s'", key, value);
	return 0;
}

static void parse_categories(struct parser *p, const char *value)
{
	char *copy = xstrdup(value), *save = NULL;

	for (char *part = strtok_r(copy, "|", &save); part; part = strtok_r(NULL, "|", &save)) {
		char *s = wn_trim(part), *colon = strchr(s, ':');
		struct wn_instrument_category *c;

		if (!colon) {
			wn_diagnostics_add(p->d, p->line, "a category is a code, a colon and its "
					   "label (\"rct: Randomized controlled trials\"), not '%s'", s);
			break;
		}
		*colon = '\0';
		s = wn_trim(s);
		if (!*s || s[strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-_")]) {
			wn_diagnostics_add(p->d, p->line, "category code '%s' is not lower-case "
					   "letters, digits, - and _", s);
			break;
		}
		p->in->categories = xrealloc(p->in->categories,
					     (p->in->ncategories + 1) * sizeof(*p->in->categories));
		c = &p->in->categories[p->in->ncategories++];
		c->code = xstrdup(s);
		c->label = xstrdup(wn_trim(colon + 1));
	}
	free(copy);
}

static void set_text(struct parser *p, char **field, const char *value)
{
	(void)p;
	free(*field);
	*field = xstrdup(value);
}

static void instrument_key(struct parser *p, int k, const char *value)
{
	struct wn_instrument *in = p->in;

	switch (k) {
	case 0:
		if (!*value || value[strspn(value, "abcdefghijklmnopqrstuvwxyz0123456789-_.")])
			wn_diagnostics_add(p->d, p->line, "the name is lower-case letters, digits, "
					   "'-', '_' and '.' (it is typed: --instrument %s)", value);
		set_text(p, &in->name, value);
		break;
	case 1: set_text(p, &in->version, value); break;
	case 2: set_text(p, &in->title, value); break;
	case 3: set_text(p, &in->source, value); break;
	case 4: parse_answers(p, value, &p->def, &p->ndef); break;
	case 5:
		if (strcasecmp(value, "none") && strcasecmp(value, "no"))
			set_text(p, &in->tally, value);
		break;
	case 6: set_text(p, &in->note, value); break;
	case 7: parse_categories(p, value); break;
	}
}

static void item_key(struct parser *p, int k, const char *value)
{
	struct wn_instrument_item *it = p->item;

	switch (k) {
	case 0: set_text(p, &it->text, value); break;
	case 1: set_text(p, &it->hint, value); break;
	case 2: set_text(p, &it->section, value); break;
	case 3: set_text(p, &it->category, value); break;
	case 4:
		if (!strcasecmp(value, "text")) {
			it->free_text = 1;
		} else {
			it->free_text = 0;
			parse_answers(p, value, &it->answers, &it->nanswers);
		}
		break;
	case 5: it->screening = parse_bool(p, "screening", value); break;
	case 6: it->overall = parse_bool(p, "overall", value); break;
	}
}

static void start_item(struct parser *p, const char *code)
{
	struct wn_instrument *in = p->in;

	if (!*code || code[strspn(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				  "0123456789.-_")]) {
		wn_diagnostics_add(p->d, p->line, "an item's code is letters, digits, '.', '-' and '_' "
				   "([item 1], [item S1], [item 1.2]), not '%s'", code);
	}
	/* codes are typed in any case, so they differ in more than case */
	for (size_t i = 0; i < in->nitems; i++)
		if (!strcasecmp(in->items[i].code, code))
			wn_diagnostics_add(p->d, p->line, "item '%s' is defined twice", code);
	if (in->nitems > INSTRUMENT_MAX_ITEMS) {
		wn_diagnostics_add(p->d, p->line, "more than %d items", INSTRUMENT_MAX_ITEMS);
		p->sec = SEC_NONE;
		return;
	}
	in->items = xrealloc(in->items, (in->nitems + 1) * sizeof(*in->items));
	p->item = &in->items[in->nitems++];
	memset(p->item, 0, sizeof(*p->item));
	p->item->code = xstrdup(code);
	p->item_line = p->line;
	p->sec = SEC_ITEM;
}

/* What an item lacks once its section ends. */
static void finish_item(struct parser *p)
{
	struct wn_instrument_item *it = p->item;

	if (p->sec != SEC_ITEM || !it)
		return;
	if (!it->text || !*it->text)
		wn_diagnostics_add(p->d, p->item_line, "item '%s' has no text (its question)", it->code);
	p->item = NULL;
}

static void line_of(struct parser *p, char *s)
{
	char *eq, *key, *value;
	int k;

	s = wn_trim(s);
	if (!*s || *s == '#' || *s == ';')
		return;
	if (*s == '[') {
		char *end = strchr(s, ']');

		finish_item(p);
		p->seen = 0;
		if (!end || wn_trim(end + 1)[0]) {
			wn_diagnostics_add(p->d, p->line, "a section heading is [instrument] or [item CODE]");
			p->sec = SEC_NONE;
			return;
		}
		*end = '\0';
		s = wn_trim(s + 1);
		if (!strcmp(s, "instrument")) {
			if (p->seen_instrument)
				wn_diagnostics_add(p->d, p->line, "[instrument] appears twice");
			p->seen_instrument = 1;
			p->sec = SEC_INSTRUMENT;
		} else if (!strncmp(s, "item", 4) && wn_is_space(s[4])) {
			start_item(p, wn_trim(s + 5));
		} else {
			wn_diagnostics_add(p->d, p->line, "unknown section [%s] (known: instrument, "
					   "item CODE)", s);
			p->sec = SEC_NONE;
		}
		return;
	}
	if (!(eq = strchr(s, '='))) {
		wn_diagnostics_add(p->d, p->line, "expected key = value, a [section] or a # comment");
		return;
	}
	*eq = '\0';
	key = wn_trim(s);
	value = wn_trim(eq + 1);
	if (p->sec == SEC_NONE) {
		if (!p->seen_instrument && !p->in->nitems)
			wn_diagnostics_add(p->d, p->line, "'%s' is outside a section (start with "
					   "[instrument])", key);
		return;
	}
	k = key_index(p->sec == SEC_INSTRUMENT ? instrument_keys : item_keys, key);
	if (k < 0) {
		wn_diagnostics_add(p->d, p->line, "unknown key '%s' in [%s]", key,
				   p->sec == SEC_INSTRUMENT ? "instrument" : "item");
		return;
	}
	if (p->seen & (1u << k)) {
		wn_diagnostics_add(p->d, p->line, "'%s' is given twice in this section", key);
		return;
	}
	p->seen |= 1u << k;
	if (p->sec == SEC_INSTRUMENT)
		instrument_key(p, k, value);
	else
		item_key(p, k, value);
}

/* The whole file: each line, then what must hold of it as a whole. */
static void check_whole(struct parser *p)
{
	struct wn_instrument *in = p->in;
	const struct wn_instrument_answer *def = p->def;
	size_t ndef = p->ndef;
	int overall = 0;

	if (!p->seen_instrument) {
		wn_diagnostics_add(p->d, 0, "no [instrument] section");
		return;
	}
	if (!in->name)
		wn_diagnostics_add(p->d, 0, "[instrument] has no name");
	if (!in->version)
		wn_diagnostics_add(p->d, 0, "[instrument] has no version");
	if (!in->title)
		wn_diagnostics_add(p->d, 0, "[instrument] has no title");
	if (!in->nitems)
		wn_diagnostics_add(p->d, 0, "the instrument has no items ([item CODE] sections)");
	for (size_t i = 0; i < in->nitems; i++) {
		struct wn_instrument_item *it = &in->items[i];

		overall += it->overall;
		if (it->category) {
			const struct wn_instrument_category *c = wn_instrument_category(in, it->category);

			if (!c)
				wn_diagnostics_add(p->d, 0, "item '%s' belongs to category '%s', which "
						   "[instrument] categories does not list", it->code,
						   it->category);
			else if (strcmp(c->code, it->category)) {
				/* named by its label or in another case: kept as its code */
				free(it->category);
				it->category = xstrdup(c->code);
			}
		}
		if (!it->free_text && !it->nanswers) {
			if (!ndef) {
				wn_diagnostics_add(p->d, 0, "item '%s' has no answers, and [instrument] "
						   "gives none for every item", it->code);
				continue;
			}
			it->answers = xcalloc(ndef, sizeof(*it->answers));
			for (size_t j = 0; j < ndef; j++) {
				it->answers[j].key = def[j].key;
				it->answers[j].label = xstrdup(def[j].label);
			}
			it->nanswers = ndef;
		}
		if (it->overall && it->free_text)
			wn_diagnostics_add(p->d, 0, "the overall judgement (item '%s') needs answers "
					   "to choose from", it->code);
	}
	if (overall > 1)
		wn_diagnostics_add(p->d, 0, "more than one item is the overall judgement");
	if (in->tally) {
		int found = 0;

		for (size_t j = 0; j < ndef; j++)
			found |= !strcasecmp(def[j].label, in->tally);
		if (!found)
			wn_diagnostics_add(p->d, 0, "tally '%s' is not one of the answers [instrument] "
					   "gives", in->tally);
	}
}

int wn_instrument_parse(struct wn_instrument *out, const char *text, size_t len,
			struct wn_diagnostics *d)
{
	struct parser p = { 0 };
	const char *s = text, *end = text + len;
	size_t before = d->n;

	memset(out, 0, sizeof(*out));
	out->text = xstrndup(text, len);
	out->len = len;
	wn_sha256_hex(text, len, out->sha256);
	p.in = out;
	p.d = d;
	if (len >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
		s += 3;
	if (memchr(text, '\0', len))
		wn_diagnostics_add(d, 0, "the file holds NUL bytes: it is not a text file");
	for (p.line = 1; s < end && d->n - before < 50; p.line++) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		char *line = xstrndup(s, n);
		const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)line;
		utf8proc_int32_t cp;
		utf8proc_ssize_t k;

		while (*u && (k = utf8proc_iterate(u, -1, &cp)) > 0)
			u += k;
		if (*u)
			wn_diagnostics_add(d, p.line, "the line is not valid UTF-8");
		else
			line_of(&p, line);
		free(line);
		s = nl ? nl + 1 : end;
	}
	finish_item(&p);
	if (d->n == before)
		check_whole(&p);
	for (size_t j = 0; j < p.ndef; j++)
		free(p.def[j].label);
	free(p.def);
	return d->n == before ? WN_OK : WN_EINVALID;
}

static void item_release(struct wn_instrument_item *it)
{
	free(it->code);
	free(it->text);
	free(it->hint);
	free(it->section);
	free(it->category);
	for (size_t j = 0; j < it->nanswers; j++)
		free(it->answers[j].label);
	free(it->answers);
}

void wn_instrument_release(struct wn_instrument *in)
{
	if (!in)
		return;
	free(in->name);
	free(in->version);
	free(in->title);
	free(in->source);
	free(in->note);
	free(in->tally);
	for (size_t i = 0; i < in->ncategories; i++) {
		free(in->categories[i].code);
		free(in->categories[i].label);
	}
	free(in->categories);
	for (size_t i = 0; i < in->nitems; i++)
		item_release(&in->items[i]);
	free(in->items);
	free(in->text);
	memset(in, 0, sizeof(*in));
}

int wn_instrument_applies(const struct wn_instrument_item *it, const char *category)
{
	return !it->category || (category && !strcmp(it->category, category));
}

const struct wn_instrument_item *wn_instrument_item(const struct wn_instrument *in,
						    const char *code)
{
	for (size_t i = 0; i < in->nitems; i++)
		if (!strcasecmp(in->items[i].code, code))
			return &in->items[i];
	return NULL;
}

const struct wn_instrument_category *wn_instrument_category(const struct wn_instrument *in,
							    const char *name)
{
	for (size_t i = 0; i < in->ncategories; i++)
		if (!strcasecmp(in->categories[i].code, name) ||
		    !strcasecmp(in->categories[i].label, name))
			return &in->categories[i];
	return NULL;
}

const char *wn_instrument_path(void)
{
	static char *path;
	const char *env = getenv("WINNOW_INSTRUMENTS");

	free(path);
	path = env && *env ? wn_join(env, ":", WN_INSTRUMENT_DIRS) : xstrdup(WN_INSTRUMENT_DIRS);
	return path;
}

static int parse_file(const char *file, struct wn_instrument *out, struct wn_diagnostics *d)
{
	struct wn_diagnostics local = { 0 };
	char *text;
	size_t len;
	int rc;

	if ((rc = wn_read_file(file, INSTRUMENT_MAX_BYTES, &text, &len)) != WN_OK)
		return rc;
	rc = wn_instrument_parse(out, text, len, d ? d : &local);
	free(text);
	if (rc != WN_OK) {
		const struct wn_diagnostics *dd = d ? d : &local;

		rc = wn_error_set(WN_EINVALID, "%s:%d: %s", file, dd->n ? dd->items[0].line : 0,
				  dd->n ? dd->items[0].message : "not an instrument");
		wn_instrument_release(out);
	}
	wn_diagnostics_release(&local);
	return rc;
}

/* The instrument the review holds by this name: the one loaded last. */
int wn_instrument_from_review(struct wn_store *store, const char *name, struct wn_instrument *out,
		       long long *id)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT id, definition FROM instrument WHERE name = ? ORDER BY id DESC LIMIT 1");
	struct wn_diagnostics d = { 0 };
	int step, rc = WN_ENOTFOUND;

	*id = 0;
	if (!st)
		return WN_ERROR;
	wn_bind_text(st, 1, name);
	if ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(st, 1);

		*id = sqlite3_column_int64(st, 0);
		rc = wn_instrument_parse(out, text ? text : "", (size_t)sqlite3_column_bytes(st, 1), &d);
		if (rc != WN_OK) {
			wn_instrument_release(out);
			rc = wn_error_set(WN_ERROR, "the review's instrument '%s' no longer parses: %s",
					  name, d.n ? d.items[0].message : "");
		}
	} else if (step != SQLITE_DONE) {
		rc = wn_store_fail(store, "cannot read the instruments");
	}
	sqlite3_reset(st);
	wn_diagnostics_release(&d);
	return rc;
}

int wn_instrument_find(struct wn_store *store, const char *name, struct wn_instrument *out,
		       struct wn_diagnostics *d, char **path_out)
{
	long long id;
	char *dirs, *save = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (path_out)
		*path_out = NULL;
	if (strchr(name, '/') || (strlen(name) > 4 && !strcmp(name + strlen(name) - 4, ".ini"))) {
		if ((rc = parse_file(name, out, d)) == WN_OK && path_out)
			*path_out = xstrdup(name);
		return rc;
	}
	if (store && (rc = wn_instrument_from_review(store, name, out, &id)) != WN_ENOTFOUND)
		return rc;
	dirs = xstrdup(wn_instrument_path());
	for (char *dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		char *file = xasprintf("%s/%s.ini", dir, name);
		FILE *fp = fopen(file, "rb");

		if (fp) {
			fclose(fp);
			rc = parse_file(file, out, d);
			if (rc == WN_OK && path_out)
				*path_out = file;
			else
				free(file);
			free(dirs);
			return rc;
		}
		free(file);
	}
	free(dirs);
	return wn_error_set(WN_ENOTFOUND, "no instrument '%s' in the review or in %s (winnow "
			    "appraise instruments lists them)", name, wn_instrument_path());
}

int wn_instrument_store(struct wn_store *store, const struct wn_instrument *in, long long *id,
			int *added)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT id, sha256 FROM instrument WHERE name = ? AND version = ?");
	char now[21], *details, *qname;
	int64_t rowid;
	int step, rc;

	*added = 0;
	if (!st)
		return WN_ERROR;
	wn_bind_text(st, 1, in->name);
	wn_bind_text(st, 2, in->version);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		int same = !strcmp(wn_column_text(st, 1), in->sha256);

		*id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		return same ? WN_OK
			: wn_error_set(WN_EEXISTS, "the review holds another text of instrument '%s' "
				       "version %s: give a changed checklist a new version", in->name,
				       in->version);
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		return wn_store_fail(store, "cannot read the instruments");
	if (!(st = wn_store_prepare(store,
		"INSERT INTO instrument (name, version, title, sha256, definition, loaded_at) "
		"VALUES (?, ?, ?, ?, ?, ?)")))
		return WN_ERROR;
	wn_utc_now(now);
	wn_bind_text(st, 1, in->name);
	wn_bind_text(st, 2, in->version);
	wn_bind_text(st, 3, in->title);
	wn_bind_text(st, 4, in->sha256);
	sqlite3_bind_text(st, 5, in->text, (int)in->len, SQLITE_STATIC);
	wn_bind_text(st, 6, now);
	if ((rc = wn_store_insert(store, st, "cannot store the instrument", &rowid)) != WN_OK)
		return rc;
	*id = rowid;
	if (!(st = wn_store_prepare(store,
		"INSERT INTO instrument_item (instrument_id, code, position, category, text, answers) "
		"VALUES (?, ?, ?, ?, ?, ?)")))
		return WN_ERROR;
	for (size_t i = 0; i < in->nitems; i++) {
		const struct wn_instrument_item *it = &in->items[i];
		struct wn_buf answers = WN_BUF_INIT;

		wn_buf_addc(&answers, '[');
		for (size_t j = 0; j < it->nanswers; j++) {
			char *q = wn_json_quote(it->answers[j].label);

			wn_buf_addf(&answers, "%s%s", j ? "," : "", q);
			free(q);
		}
		wn_buf_addc(&answers, ']');
		sqlite3_bind_int64(st, 1, rowid);
		wn_bind_text(st, 2, it->code);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)i + 1);
		wn_bind_text(st, 4, it->category);
		wn_bind_text(st, 5, it->text);
		wn_bind_text(st, 6, it->free_text ? "\"text\"" : answers.data);
		rc = wn_store_run(store, st, "cannot store the instrument's items");
		wn_buf_release(&answers);
		if (rc != WN_OK)
			return rc;
	}
	qname = wn_json_quote(in->name);
	details = xasprintf("{\"name\":%s,\"sha256\":\"%s\",\"items\":%zu}", qname, in->sha256,
			    in->nitems);
	rc = wn_audit_append(store, "instrument-load", "instrument", rowid, details);
	free(qname);
	free(details);
	*added = rc == WN_OK;
	return rc;
}

static void add_info(struct wn_instrument_info **out, size_t *n, const struct wn_instrument *in,
		     const char *where)
{
	*out = xrealloc(*out, (*n + 1) * sizeof(**out));
	(*out)[*n].name = xstrdup(in->name);
	(*out)[*n].version = xstrdup(in->version);
	(*out)[*n].title = xstrdup(in->title);
	(*out)[*n].where = xstrdup(where);
	(*n)++;
}

int wn_instrument_list(struct wn_store *store, struct wn_instrument_info **out, size_t *n)
{
	sqlite3_stmt *st;
	char *dirs, *save = NULL;
	int step;

	*out = NULL;
	*n = 0;
	if (store) {
		if (!(st = wn_store_prepare(store,
			"SELECT name, version, title FROM instrument ORDER BY name, id")))
			return WN_ERROR;
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			struct wn_instrument in = { 0 };

			in.name = (char *)wn_column_text(st, 0);
			in.version = (char *)wn_column_text(st, 1);
			in.title = (char *)wn_column_text(st, 2);
			add_info(out, n, &in, "in the review");
		}
		sqlite3_reset(st);
		if (step != SQLITE_DONE)
			return wn_store_fail(store, "cannot read the instruments");
	}
	dirs = xstrdup(wn_instrument_path());
	for (char *dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		struct dirent **names;
		int count = scandir(dir, &names, NULL, alphasort);

		for (int i = 0; i < count; i++) {
			const char *f = names[i]->d_name;
			size_t len = strlen(f);

			if (len > 4 && !strcmp(f + len - 4, ".ini")) {
				char *file = xasprintf("%s/%s", dir, f);
				struct wn_instrument in;

				if (parse_file(file, &in, NULL) == WN_OK) {
					int dup = 0;

					for (size_t j = 0; j < *n; j++)
						dup |= !strcmp((*out)[j].name, in.name);
					if (!dup)
						add_info(out, n, &in, file);
					wn_instrument_release(&in);
				}
				free(file);
			}
			free(names[i]);
		}
		if (count >= 0)
			free(names);
	}
	free(dirs);
	wn_error_clear();
	return WN_OK;
}

void wn_instrument_infos_release(struct wn_instrument_info *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i].name);
		free(list[i].version);
		free(list[i].title);
		free(list[i].where);
	}
	free(list);
}
