/*
 * Parsing, checking and storing the review protocol (format: docs/protocol.md).
 *
 * The format is INI-like: `[section]` or `[section name]` headers, `key =
 * value` lines, values continued on following indented lines, `#` or `;`
 * comments in the first column. Which sections and keys exist, and what
 * their values must look like, is the table `sections` below: adding a
 * setting is adding a row. Every problem is reported with its line, all at
 * once, so that a person fixes a file in one pass.
 */
#include "winnow/protocol.h"

#include <ctype.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <utf8proc.h>

#include "store_int.h"
#include "audit.h"
#include "util.h"

#define PROTOCOL_MAX_BYTES (4 * 1024 * 1024)

enum value_type {
	V_TEXT,     /* any non-empty text, may span lines */
	V_LINE,     /* non-empty text on one line */
	V_COUNT,    /* whole number from 1 to 20 */
	V_SIMILARITY, /* a similarity threshold from 0.5 to 1 */
	V_DATE,     /* YYYY, YYYY-MM or YYYY-MM-DD */
	V_LIST,     /* comma-separated words */
	V_LANGUAGES,/* comma-separated ISO 639 codes */
	V_VIA,      /* where records of a source sit in the PRISMA flow */
	V_SOURCE,   /* how winnow gets the records */
	V_SLUG,     /* a-z, 0-9, '-' and '_' */
	V_FILE,     /* a file, relative to the protocol's folder, that exists */
	V_BOOL,     /* yes / no */
	V_FRACTION, /* a share strictly between 0 and 1 */
	V_SEED,     /* a whole number from 0 to 4294967295 */
};

struct key_spec {
	const char *key;
	enum value_type type;
	int repeatable;
	int required;
};

struct section_spec {
	const char *name;
	int named; /* [stage NAME], [database NAME] */
	const struct key_spec *keys;
};

static const struct key_spec review_keys[] = {
	{ "title", V_LINE, 0, 1 },
	{ "question", V_TEXT, 0, 1 },
	{ "registration", V_LINE, 0, 0 },
	{ "authors", V_TEXT, 0, 0 },
	{ "type", V_LINE, 0, 0 },
	{ "languages", V_LANGUAGES, 0, 0 },
	{ "notes", V_TEXT, 0, 0 },
	{ NULL, V_TEXT, 0, 0 },
};

static const struct key_spec eligibility_keys[] = {
	{ "population", V_TEXT, 0, 0 },
	{ "intervention", V_TEXT, 0, 0 },
	{ "phenomenon", V_TEXT, 0, 0 },
	{ "comparison", V_TEXT, 0, 0 },
	{ "outcomes", V_TEXT, 0, 0 },
	{ "context", V_TEXT, 0, 0 },
	{ "study_design", V_TEXT, 0, 0 },
	{ "include", V_TEXT, 1, 0 },
	{ "exclude", V_TEXT, 1, 0 },
	{ "from", V_DATE, 0, 0 },
	{ "to", V_DATE, 0, 0 },
	{ NULL, V_TEXT, 0, 0 },
};

static const struct key_spec stage_keys[] = {
	{ "label", V_LINE, 0, 0 },
	{ "reviewers", V_COUNT, 0, 0 },
	{ "blind", V_BOOL, 0, 0 },
	{ "reason", V_LINE, 1, 0 },
	{ "dual_sample", V_FRACTION, 0, 0 },
	{ "sample_seed", V_SEED, 0, 0 },
	{ NULL, V_TEXT, 0, 0 },
};

static const struct key_spec rules_keys[] = {
	{ "file", V_FILE, 0, 1 },
	{ "stage", V_SLUG, 0, 0 },
	{ NULL, V_TEXT, 0, 0 },
};

static const struct key_spec dedupe_keys[] = {
	{ "source_preference", V_LIST, 0, 0 },
	{ "merge_title", V_SIMILARITY, 0, 0 },
	{ "review_title", V_SIMILARITY, 0, 0 },
	{ NULL, V_TEXT, 0, 0 },
};

static const struct key_spec appraisal_keys[] = {
	{ "instrument", V_SLUG, 0, 1 },
	{ "reviewers", V_COUNT, 0, 0 },
	{ NULL, V_TEXT, 0, 0 },
};

static const struct key_spec database_keys[] = {
	{ "name", V_LINE, 0, 1 },
	{ "platform", V_LINE, 0, 0 },
	{ "source", V_SOURCE, 0, 0 },
	{ "via", V_VIA, 0, 0 },
	{ "query", V_TEXT, 0, 0 },
	{ "searched", V_DATE, 0, 0 },
	{ "from", V_DATE, 0, 0 },
	{ "to", V_DATE, 0, 0 },
	{ "limits", V_TEXT, 0, 0 },
	{ "notes", V_TEXT, 0, 0 },
	{ NULL, V_TEXT, 0, 0 },
};

static const struct section_spec sections[] = {
	{ "review", 0, review_keys },
	{ "eligibility", 0, eligibility_keys },
	{ "stage", 1, stage_keys },
	{ "rules", 0, rules_keys },
	{ "dedupe", 0, dedupe_keys },
	{ "appraisal", 0, appraisal_keys },
	{ "database", 1, database_keys },
};

#define NSECTIONS (sizeof(sections) / sizeof(sections[0]))

/* When a protocol defines no stages: the usual two, each in pairs. */
static const char *const default_stages[] = { "title-abstract", "full-text" };

void wn_diagnostics_release(struct wn_diagnostics *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->items[i].message);
	free(d->items);
	memset(d, 0, sizeof(*d));
}

void wn_diagnostics_add(struct wn_diagnostics *d, int line, const char *fmt, ...)
{
	struct wn_buf b = WN_BUF_INIT;
	va_list ap;
	char tmp[1024];

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	wn_buf_adds(&b, tmp);
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		d->items = xrealloc(d->items, d->cap * sizeof(*d->items));
	}
	d->items[d->n].line = line;
	d->items[d->n].message = wn_buf_detach(&b);
	d->n++;
}

/* Problems in line order (some are found only at the end of the file);
 * insertion sort keeps equal lines in the order they were found. */
static void sort_diagnostics(struct wn_diagnostics *d, size_t from)
{
	for (size_t i = from + 1; i < d->n; i++) {
		struct wn_diagnostic x = d->items[i];
		size_t j = i;

		while (j > from && d->items[j - 1].line > x.line) {
			d->items[j] = d->items[j - 1];
			j--;
		}
		d->items[j] = x;
	}
}

/* Edit distance, for "did you mean" on misspelt keys and sections. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;

			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, (lb + 1) * sizeof(size_t));
	}
	return prev[lb];
}

/* Keep the candidate closest to word (within two edits) in *best. */
static void consider(const char *word, const char *candidate, const char **best, size_t *bestd)
{
	size_t d = distance(word, candidate);

	if (d < *bestd) {
		*bestd = d;
		*best = candidate;
	}
}

static const struct section_spec *find_section(const char *name)
{
	for (size_t i = 0; i < NSECTIONS; i++)
		if (!strcmp(sections[i].name, name))
			return &sections[i];
	return NULL;
}

static const struct key_spec *find_key(const struct section_spec *sec, const char *key)
{
	for (const struct key_spec *k = sec->keys; k->key; k++)
		if (!strcmp(k->key, key))
			return k;
	return NULL;
}

static void append_known_keys(struct wn_buf *b, const struct section_spec *sec)
{
	for (const struct key_spec *k = sec->keys; k->key; k++)
		wn_buf_addf(b, "%s%s", k == sec->keys ? "" : ", ", k->key);
}

static int is_slug(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-' ||
		      *s == '_'))
			return 0;
	return 1;
}

static int in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

/* Check one comma-separated list: each item non-empty, and passing `ok`. */
static int check_list(const char *v, int (*ok)(const char *item))
{
	char *copy = xstrdup(v), *save = NULL, *item;
	int good = 1;

	for (item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		item = wn_trim(item);
		if (!*item || (ok && !ok(item)))
			good = 0;
	}
	free(copy);
	return good;
}

static int is_language(const char *s)
{
	size_t n = strlen(s);

	if (n != 2 && n != 3)
		return 0;
	for (; *s; s++)
		if (!isalpha((unsigned char)*s))
			return 0;
	return 1;
}

static const char *const via_values[] = {
	"database", "register", "website", "organisation", "citation", "other", NULL,
};
static const char *const source_values[] = {
	"pubmed", "europepmc", "arxiv", "crossref", "file", NULL,
};

/* Check a value against its type; on failure, describe what was expected. */
static const char *check_value(const struct key_spec *k, const char *v,
			       const char *base_dir, int check_files, char **resolved)
{
	switch (k->type) {
	case V_TEXT:
		return NULL;
	case V_LINE:
		return strchr(v, '\n') ? "must fit on one line" : NULL;
	case V_COUNT: {
		char *end;
		long n = strtol(v, &end, 10);

		return (*end || end == v || n < 1 || n > 20)
			       ? "must be a whole number from 1 to 20" : NULL;
	}
	case V_FRACTION: {
		char *end;
		double x = strtod(v, &end);

		return (*end || end == v || !(x > 0 && x < 1))
			       ? "must be a share between 0 and 1 (e.g. 0.2 for a fifth)" : NULL;
	}
	case V_SEED: {
		char *end;
		unsigned long long n;

		if (!isdigit((unsigned char)*v))
			return "must be a whole number from 0 to 4294967295";
		n = strtoull(v, &end, 10);
		return (*end || n > 4294967295ULL) ? "must be a whole number from 0 to 4294967295"
						   : NULL;
	}
	case V_SIMILARITY: {
		char *end;
		double x = strtod(v, &end);

		return (*end || end == v || !(x >= 0.5 && x <= 1))
			       ? "must be a similarity from 0.5 to 1 (e.g. 0.95)" : NULL;
	}
	case V_DATE:
		return wn_date_valid(v, 0) ? NULL : "must be a date written YYYY, YYYY-MM or YYYY-MM-DD";
	case V_LIST:
		return check_list(v, NULL) ? NULL : "must be a comma-separated list without empty items";
	case V_LANGUAGES:
		return check_list(v, is_language)
			       ? NULL : "must be ISO 639 language codes separated by commas (eng, fre or en, fr)";
	case V_VIA:
		return in_list(v, via_values)
			       ? NULL : "must be one of database, register, website, organisation, citation, other";
	case V_SOURCE:
		return in_list(v, source_values)
			       ? NULL : "must be one of pubmed, europepmc, arxiv, crossref, file";
	case V_SLUG:
		return is_slug(v) ? NULL : "must be a name of lower-case letters, digits, '-' and '_'";
	case V_BOOL:
		return (!strcmp(v, "yes") || !strcmp(v, "no")) ? NULL : "must be yes or no";
	case V_FILE: {
		struct stat st;
		char *p;

		if (!check_files)
			return NULL;
		p = (v[0] == '/' || !base_dir) ? xstrdup(v) : xasprintf("%s/%s", base_dir, v);
		if (stat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(p);
			return "names a file that does not exist (paths are relative to the protocol's folder)";
		}
		*resolved = p;
		return NULL;
	}
	}
	return NULL;
}

static void add_entry(struct wn_protocol *p, const char *section, const char *name,
		      const char *key, const char *value, int line, int invalid)
{
	struct wn_protocol_entry *e;

	p->entries = xrealloc(p->entries, (p->nentries + 1) * sizeof(*p->entries));
	e = &p->entries[p->nentries++];
	e->section = xstrdup(section);
	e->name = name ? xstrdup(name) : NULL;
	e->key = xstrdup(key);
	e->value = xstrdup(value);
	e->line = line;
	e->invalid = invalid;
}

/* The first entry for section/name/key, valid or not. */
static const struct wn_protocol_entry *find_entry(const struct wn_protocol *p,
						  const char *section, const char *name,
						  const char *key, int want_valid)
{
	for (size_t i = 0; i < p->nentries; i++) {
		const struct wn_protocol_entry *e = &p->entries[i];

		if (want_valid && e->invalid)
			continue;
		if (!strcmp(e->section, section) && !strcmp(e->key, key) &&
		    ((!name && !e->name) || (name && e->name && !strcmp(name, e->name))))
			return e;
	}
	return NULL;
}

const char *wn_protocol_get(const struct wn_protocol *p, const char *section,
			    const char *name, const char *key)
{
	const struct wn_protocol_entry *e = find_entry(p, section, name, key, 1);

	return e ? e->value : NULL;
}

/* Where a section was opened, for "needs key" and duplicate messages. */
struct open_section {
	const struct section_spec *spec;
	char *name;
	int line;
};

static void check_required(struct wn_protocol *p, const struct open_section *os,
			   struct wn_diagnostics *d)
{
	for (const struct key_spec *k = os->spec->keys; k->key; k++) {
		/* a key given with a bad value was reported already */
		if (!k->required || find_entry(p, os->spec->name, os->name, k->key, 0))
			continue;
		if (os->name)
			wn_diagnostics_add(d, os->line, "[%s %s] needs '%s'", os->spec->name, os->name, k->key);
		else
			wn_diagnostics_add(d, os->line, "[%s] needs '%s'", os->spec->name, k->key);
	}
}

/* Finish a pending `key = value` (possibly continued over several lines). */
struct pending {
	char *key;
	struct wn_buf value;
	int line;
	int active;
	int invalid; /* already reported (bad bytes): keep, but as invalid */
};

static void commit_pending(struct wn_protocol *p, struct pending *pv,
			   const struct open_section *os, const char *base_dir,
			   int check_files, struct wn_diagnostics *d)
{
	const struct wn_protocol_entry *first;
	const struct key_spec *k;
	char *resolved = NULL;
	const char *why;
	char *value;

	if (!pv->active)
		return;
	pv->active = 0;
	value = xstrdup(wn_buf_str(&pv->value));
	/* trailing blank continuation lines */
	for (size_t n = strlen(value); n && isspace((unsigned char)value[n - 1]); n--)
		value[n - 1] = '\0';
	k = find_key(os->spec, pv->key);
	if (pv->invalid) {
		add_entry(p, os->spec->name, os->name, pv->key, value, pv->line, 1);
	} else if (!*value) {
		wn_diagnostics_add(d, pv->line, "'%s' has no value", pv->key);
	} else if (!k->repeatable && (first = find_entry(p, os->spec->name, os->name, pv->key, 0))) {
		wn_diagnostics_add(d, pv->line, "'%s' is already set on line %d", pv->key, first->line);
	} else if ((why = check_value(k, value, base_dir, check_files, &resolved)) != NULL) {
		wn_diagnostics_add(d, pv->line, "'%s' %s, not '%.60s%s'", pv->key, why, value,
		     strlen(value) > 60 ? "..." : "");
		add_entry(p, os->spec->name, os->name, pv->key, value, pv->line, 1);
	} else {
		add_entry(p, os->spec->name, os->name, pv->key, value, pv->line, 0);
	}
	free(resolved);
	free(value);
	free(pv->key);
	pv->key = NULL;
	wn_buf_reset(&pv->value);
}

static void parse_section_header(char *line, int lineno, struct open_section *os,
				 struct wn_diagnostics *d,
				 struct open_section **seen, size_t *nseen)
{
	char *close = strchr(line, ']'), *inner, *name;
	const struct section_spec *spec;

	os->spec = NULL;
	free(os->name);
	os->name = NULL;
	if (!close || !wn_blank(close + 1)) {
		wn_diagnostics_add(d, lineno, "a section header is written [section] or [section name]");
		return;
	}
	*close = '\0';
	inner = line + 1;
	inner = wn_trim(inner);
	name = inner;
	while (*name && !isspace((unsigned char)*name))
		name++;
	if (*name) {
		*name++ = '\0';
		name = wn_trim(name);
	}
	spec = find_section(inner);
	if (!spec) {
		const char *best = NULL;
		size_t bestd = 3;

		for (size_t i = 0; i < NSECTIONS; i++)
			consider(inner, sections[i].name, &best, &bestd);
		if (best)
			wn_diagnostics_add(d, lineno, "unknown section [%s] (did you mean [%s]?)", inner, best);
		else
			wn_diagnostics_add(d, lineno, "unknown section [%s] (known: review, eligibility, stage NAME, rules, dedupe, appraisal, database NAME)",
			     inner);
		return;
	}
	if (spec->named && !*name) {
		wn_diagnostics_add(d, lineno, "[%s] needs a name, as in [%s %s]", inner, inner,
		     !strcmp(inner, "stage") ? "title-abstract" : "medline");
		return;
	}
	if (!spec->named && *name) {
		wn_diagnostics_add(d, lineno, "[%s] takes no name (found '%s')", inner, name);
		return;
	}
	if (spec->named && !is_slug(name)) {
		wn_diagnostics_add(d, lineno, "the name in [%s %s] must be lower-case letters, digits, '-' and '_'",
		     inner, name);
		return;
	}
	for (size_t i = 0; i < *nseen; i++) {
		if ((*seen)[i].spec == spec &&
		    ((!spec->named) || !strcmp((*seen)[i].name, name))) {
			wn_diagnostics_add(d, lineno, "section [%s%s%s] appears again (first on line %d)", inner,
			     spec->named ? " " : "", spec->named ? name : "", (*seen)[i].line);
			return;
		}
	}
	os->spec = spec;
	os->name = spec->named ? xstrdup(name) : NULL;
	os->line = lineno;
	*seen = xrealloc(*seen, (*nseen + 1) * sizeof(**seen));
	(*seen)[*nseen].spec = spec;
	(*seen)[*nseen].name = os->name ? xstrdup(os->name) : NULL;
	(*seen)[*nseen].line = lineno;
	(*nseen)++;
}

/* [dedupe] review_title above merge_title would send to a person pairs
 * already merged: a threshold typed the wrong way round. The defaults are
 * dedupe's (0.95 and 0.8). */
static void check_thresholds(const struct wn_protocol *p, struct wn_diagnostics *d)
{
	const struct wn_protocol_entry *merge = find_entry(p, "dedupe", NULL, "merge_title", 1);
	const struct wn_protocol_entry *review = find_entry(p, "dedupe", NULL, "review_title", 1);
	double m = merge && !merge->invalid ? strtod(merge->value, NULL) : 0.95;
	double r = review && !review->invalid ? strtod(review->value, NULL) : 0.8;

	if ((merge || review) && r > m)
		wn_diagnostics_add(d, (review ? review : merge)->line,
		     "review_title (%g) is above merge_title (%g): pairs between them would be both "
		     "merged and sent to review", r, m);
}

/* [dedupe] source_preference names [database NAME] sections: a typo would
 * silently change which record of a duplicate cluster is shown. */
static void check_source_preference(const struct wn_protocol *p, const struct open_section *seen,
				    size_t nseen, struct wn_diagnostics *d)
{
	const struct wn_protocol_entry *e = find_entry(p, "dedupe", NULL, "source_preference", 1);
	char *copy, *save = NULL, *item;

	if (!e)
		return;
	copy = xstrdup(e->value);
	for (item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		int found = 0;

		item = wn_trim(item);
		for (size_t i = 0; i < nseen; i++)
			found |= !strcmp(seen[i].spec->name, "database") && !strcmp(seen[i].name, item);
		if (!found)
			wn_diagnostics_add(d, e->line, "source_preference names '%s', which is not a [database NAME] section",
			     item);
	}
	free(copy);
}

static void build_stages(struct wn_protocol *p, const struct open_section *seen, size_t nseen,
			 struct wn_diagnostics *d)
{
	/* Every [stage NAME] header defines a stage, keys or not. */
	for (size_t i = 0; i < nseen; i++) {
		struct wn_protocol_stage *s;

		if (strcmp(seen[i].spec->name, "stage"))
			continue;
		p->stages = xrealloc(p->stages, (p->nstages + 1) * sizeof(*p->stages));
		s = &p->stages[p->nstages++];
		memset(s, 0, sizeof(*s));
		s->name = xstrdup(seen[i].name);
		s->reviewers = 2;
		s->line = seen[i].line;
	}
	for (size_t i = 0; i < p->nentries; i++) {
		struct wn_protocol_entry *e = &p->entries[i];
		struct wn_protocol_stage *s = NULL;

		if (strcmp(e->section, "stage") || e->invalid)
			continue;
		for (size_t j = 0; j < p->nstages; j++)
			if (!strcmp(p->stages[j].name, e->name))
				s = &p->stages[j];
		if (!s)
			continue;
		if (!strcmp(e->key, "reviewers"))
			s->reviewers = atoi(e->value);
		else if (!strcmp(e->key, "reason"))
			wn_strlist_add(&s->reasons, e->value);
		else if (!strcmp(e->key, "dual_sample"))
			s->dual_sample = strtod(e->value, NULL), s->dual_line = e->line;
		else if (!strcmp(e->key, "sample_seed"))
			s->sample_seed = (unsigned long)strtoull(e->value, NULL, 10),
			s->seed_line = e->line;
	}
	/* a second reviewer on a sample is for a stage of one; and the sample
	 * must be one that can be drawn again: the seed is part of it */
	for (size_t j = 0; j < p->nstages; j++) {
		struct wn_protocol_stage *s = &p->stages[j];

		if (s->dual_line && s->reviewers != 1)
			wn_diagnostics_add(d, s->dual_line, "dual_sample is for a stage of one reviewer "
					   "(reviewers = 1): stage %s has %d", s->name, s->reviewers);
		if (s->dual_line && !s->seed_line)
			wn_diagnostics_add(d, s->dual_line, "dual_sample needs sample_seed = N (any whole "
					   "number; it makes the sample the same every time)");
		if (s->seed_line && !s->dual_line)
			wn_diagnostics_add(d, s->seed_line, "sample_seed is only for dual_sample");
	}
	if (p->nstages == 0) {
		size_t n = sizeof(default_stages) / sizeof(default_stages[0]);

		p->stages = xcalloc(n, sizeof(*p->stages));
		for (size_t j = 0; j < n; j++) {
			p->stages[j].name = xstrdup(default_stages[j]);
			p->stages[j].reviewers = 2;
		}
		p->nstages = n;
		p->stages_defaulted = 1;
	}
	{
		const char *rs = wn_protocol_get(p, "rules", NULL, "stage");
		int found = !rs;

		for (size_t j = 0; rs && j < p->nstages; j++)
			found |= !strcmp(p->stages[j].name, rs);
		if (!found) {
			int line = 0;

			for (size_t i = 0; i < p->nentries; i++)
				if (!strcmp(p->entries[i].section, "rules") &&
				    !strcmp(p->entries[i].key, "stage"))
					line = p->entries[i].line;
			wn_diagnostics_add(d, line, "rules apply at stage '%s', which the protocol does not define", rs);
		}
	}
}

static int parse(struct wn_protocol *p, const char *path, const char *text, size_t len,
		 int check_files, struct wn_diagnostics *d)
{
	struct open_section os = { NULL, NULL, 0 }, *seen = NULL;
	struct pending pv = { NULL, WN_BUF_INIT, 0, 0, 0 };
	size_t nseen = 0, ndiag_before = d->n;
	char *base_dir, *path_copy;
	const char *cur, *end;
	int lineno = 0, headers = 0;

	memset(p, 0, sizeof(*p));
	p->path = xstrdup(path);
	/* The text and its hash are the file's exact bytes (so that sha256sum
	 * of the file matches the record); only parsing skips a BOM. */
	p->text = xstrndup(text, len);
	p->text_len = len;
	wn_sha256_hex(text, len, p->sha256);
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) {
		text += 3;
		len -= 3;
	}
	path_copy = xstrdup(path);
	base_dir = xstrdup(dirname(path_copy));
	free(path_copy);

	if (memchr(text, '\0', len))
		wn_diagnostics_add(d, 0, "contains NUL bytes: not a text file");

	cur = p->text + (p->text_len - len);
	end = cur + strnlen(cur, len);
	while (cur < end) {
		const char *nl = memchr(cur, '\n', (size_t)(end - cur));
		size_t n = nl ? (size_t)(nl - cur) : (size_t)(end - cur);
		char *line = xstrndup(cur, n), *s;
		int bad_utf8 = 0;

		cur += n + (nl ? 1 : 0);
		lineno++;
		if (n && line[n - 1] == '\r')
			line[--n] = '\0';
		{
			utf8proc_int32_t cpt;
			const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)line;
			utf8proc_ssize_t k;

			while (*u && (k = utf8proc_iterate(u, -1, &cpt)) > 0)
				u += k;
			if (*u) {
				/* Reported once here; the line is still parsed so
				 * that its key is not also reported as missing. */
				wn_diagnostics_add(d, lineno, "is not valid UTF-8 (save the file as UTF-8)");
				bad_utf8 = 1;
			}
		}
		if (line[0] == ' ' || line[0] == '\t') {
			/* continuation of the value above, or an indented blank */
			s = line;
			s = wn_trim(s);
			if (!*s) {
				free(line);
				continue;
			}
			if (pv.active) {
				pv.invalid |= bad_utf8;
				if (pv.value.len)
					wn_buf_addc(&pv.value, '\n');
				wn_buf_adds(&pv.value, s);
			} else if (os.spec) {
				wn_diagnostics_add(d, lineno, "indented line continues no value (values continue on indented lines after 'key = value')");
			}
			free(line);
			continue;
		}
		commit_pending(p, &pv, &os, base_dir, check_files, d);
		if (line[0] == '#' || line[0] == ';' || wn_blank(line)) {
			free(line);
			continue;
		}
		if (line[0] == '[') {
			headers++;
			parse_section_header(line, lineno, &os, d, &seen, &nseen);
			free(line);
			continue;
		}
		{
			char *eq = strchr(line, '='), *key, *value;
			const struct key_spec *k;

			if (!eq) {
				wn_diagnostics_add(d, lineno, "expected 'key = value', '[section]' or a comment");
				free(line);
				continue;
			}
			*eq = '\0';
			key = line;
			value = eq + 1;
			key = wn_trim(key);
			value = wn_trim(value);
			/* keys under a section already reported as wrong are
			 * not reported again */
			if (!os.spec) {
				if (headers == 0)
					wn_diagnostics_add(d, lineno, "'%s' is outside any section (start with [review])", key);
				free(line);
				continue;
			}
			k = find_key(os.spec, key);
			if (!k) {
				struct wn_buf known = WN_BUF_INIT;
				const char *best = NULL;
				size_t bestd = 3;

				for (const struct key_spec *ks = os.spec->keys; ks->key; ks++)
					consider(key, ks->key, &best, &bestd);
				append_known_keys(&known, os.spec);
				if (best)
					wn_diagnostics_add(d, lineno, "unknown key '%s' in [%s%s%s] (did you mean '%s'?)", key,
					     os.spec->name, os.name ? " " : "", os.name ? os.name : "", best);
				else
					wn_diagnostics_add(d, lineno, "unknown key '%s' in [%s%s%s] (known: %s)", key,
					     os.spec->name, os.name ? " " : "", os.name ? os.name : "",
					     wn_buf_str(&known));
				wn_buf_release(&known);
				free(line);
				continue;
			}
			pv.key = xstrdup(key);
			pv.line = lineno;
			pv.active = 1;
			pv.invalid = bad_utf8;
			wn_buf_reset(&pv.value);
			wn_buf_adds(&pv.value, value);
		}
		free(line);
	}
	commit_pending(p, &pv, &os, base_dir, check_files, d);
	wn_buf_release(&pv.value);

	{
		int has_review = 0;

		for (size_t i = 0; i < nseen; i++)
			has_review |= !strcmp(seen[i].spec->name, "review");
		if (!has_review)
			wn_diagnostics_add(d, 0, "has no [review] section (it needs at least a title and a question)");
	}
	for (size_t i = 0; i < nseen; i++)
		check_required(p, &seen[i], d);
	build_stages(p, seen, nseen, d);
	check_source_preference(p, seen, nseen, d);
	check_thresholds(p, d);
	for (size_t i = 0; i < nseen; i++)
		p->ndatabases += !strcmp(seen[i].spec->name, "database");
	p->title = wn_protocol_get(p, "review", NULL, "title");
	p->question = wn_protocol_get(p, "review", NULL, "question");

	for (size_t i = 0; i < nseen; i++)
		free(seen[i].name);
	free(seen);
	free(os.name);
	free(base_dir);
	sort_diagnostics(d, ndiag_before);
	if (d->n > ndiag_before)
		return wn_error_set(WN_EINVALID, "%s: %zu problem%s in the protocol", path,
				    d->n - ndiag_before, d->n - ndiag_before == 1 ? "" : "s");
	return WN_OK;
}

int wn_protocol_parse(struct wn_protocol *p, const char *path, const char *text,
		      size_t len, struct wn_diagnostics *d)
{
	return parse(p, path, text, len, 1, d);
}

int wn_protocol_parse_stored(struct wn_protocol *p, const char *path, const char *text,
			     size_t len, struct wn_diagnostics *d)
{
	return parse(p, path, text, len, 0, d);
}

int wn_protocol_parse_file(struct wn_protocol *out, const char *path,
			   struct wn_diagnostics *diags)
{
	size_t len;
	char *text;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = wn_read_file(path, PROTOCOL_MAX_BYTES, &text, &len)) < 0)
		return rc;
	rc = wn_protocol_parse(out, path, text, len, diags);
	free(text);
	return rc;
}

void wn_protocol_release(struct wn_protocol *p)
{
	for (size_t i = 0; i < p->nentries; i++) {
		free(p->entries[i].section);
		free(p->entries[i].name);
		free(p->entries[i].key);
		free(p->entries[i].value);
	}
	for (size_t i = 0; i < p->nstages; i++) {
		free(p->stages[i].name);
		wn_strlist_clear(&p->stages[i].reasons);
	}
	free(p->entries);
	free(p->stages);
	free(p->path);
	free(p->text);
	memset(p, 0, sizeof(*p));
}

/* ---- storing ---------------------------------------------------------- */

void wn_protocol_version_release(struct wn_protocol_version *v)
{
	free(v->path);
	free(v->text);
	memset(v, 0, sizeof(*v));
}

static void fill_version(sqlite3_stmt *st, struct wn_protocol_version *v, int with_text)
{
	v->id = sqlite3_column_int(st, 0);
	snprintf(v->loaded_at, sizeof(v->loaded_at), "%s", wn_column_text(st, 1));
	snprintf(v->actor, sizeof(v->actor), "%s", wn_column_text(st, 2));
	v->path = xstrdup(wn_column_text(st, 3));
	snprintf(v->sha256, sizeof(v->sha256), "%s", wn_column_text(st, 4));
	v->text = with_text ? xstrdup(wn_column_text(st, 5)) : NULL;
}

int wn_protocol_load_version(struct wn_store *store, int id, struct wn_protocol_version *out)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	st = wn_store_prepare(store,
			      "SELECT id, loaded_at, actor, path, sha256, text FROM protocol "
			      "WHERE ?1 = 0 OR id = ?1 ORDER BY id DESC LIMIT 1");
	if (!st)
		return wn_error_code();
	sqlite3_bind_int(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		fill_version(st, out, 1);
		sqlite3_reset(st);
		return WN_OK;
	}
	if (rc != SQLITE_DONE)
		return wn_store_fail(store, "cannot read the protocol");
	if (id > 0)
		return wn_error_set(WN_ENOTFOUND, "the review has no protocol version %d", id);
	return wn_error_set(WN_ENOTFOUND,
			    "the review has no protocol yet (load one with 'winnow protocol load FILE')");
}

int wn_protocol_each_version(struct wn_store *store,
			     int (*fn)(const struct wn_protocol_version *v, void *arg), void *arg)
{
	sqlite3_stmt *st = wn_store_prepare(store,
					    "SELECT id, loaded_at, actor, path, sha256 FROM protocol ORDER BY id");
	int rc;

	if (!st)
		return wn_error_code();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct wn_protocol_version v;
		int r;

		fill_version(st, &v, 0);
		r = fn(&v, arg);
		wn_protocol_version_release(&v);
		if (r) {
			sqlite3_reset(st);
			return r;
		}
	}
	if (rc != SQLITE_DONE)
		return wn_store_fail(store, "cannot read the protocol versions");
	return WN_OK;
}

/* A new protocol may rename or drop a stage only while nobody has screened
 * at it: decisions at a stage the protocol no longer has would vanish from
 * every count. */
static int check_stages_kept(struct wn_store *store, const struct wn_protocol *p)
{
	sqlite3_stmt *st = wn_store_prepare(store, "SELECT stage, COUNT(*) FROM decision "
						   "GROUP BY stage ORDER BY MIN(id)");
	int rc;

	if (!st)
		return wn_error_code();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *stage = wn_column_text(st, 0);
		int kept = 0;

		for (size_t i = 0; i < p->nstages; i++)
			kept |= !strcmp(p->stages[i].name, stage);
		if (!kept) {
			rc = wn_error_set(WN_EINVALID,
					  "%s: the review has %d decision%s at stage '%s', which this protocol does not define; keep the stage",
					  p->path, sqlite3_column_int(st, 1),
					  sqlite3_column_int(st, 1) == 1 ? "" : "s", stage);
			sqlite3_reset(st);
			return rc;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return wn_store_fail(store, "cannot read the decisions");
	return WN_OK;
}

static int write_stages(struct wn_store *store, const struct wn_protocol *p, int protocol_id)
{
	sqlite3_stmt *st;

	/* the truncate optimisation passes the update hook by: say so */
	if (wn_store_exec(store, "DELETE FROM stage") < 0)
		return wn_error_code();
	wn_audit_touched(store, "stage");
	st = wn_store_prepare(store, "INSERT INTO stage(name, position, reviewers_required, "
				     "protocol_id, dual_fraction, sample_seed, sample_key, sample_below) "
				     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	if (!st)
		return wn_error_code();
	for (size_t i = 0; i < p->nstages; i++) {
		sqlite3_reset(st);
		wn_bind_text(st, 1, p->stages[i].name);
		sqlite3_bind_int(st, 2, (int)i + 1);
		sqlite3_bind_int(st, 3, p->stages[i].reviewers);
		sqlite3_bind_int(st, 4, protocol_id);
		sqlite3_bind_double(st, 5, p->stages[i].dual_sample);
		if (p->stages[i].dual_sample > 0) {
			struct wn_dual_sample ds;

			wn_dual_sample_init(&ds, p->stages[i].sample_seed, p->stages[i].dual_sample);
			sqlite3_bind_int64(st, 6, (sqlite3_int64)p->stages[i].sample_seed);
			sqlite3_bind_int64(st, 7, ds.key);
			sqlite3_bind_int64(st, 8, ds.below);
		} else {
			sqlite3_bind_null(st, 6);
			sqlite3_bind_int64(st, 7, 0);
			sqlite3_bind_int64(st, 8, 0);
		}
		if (sqlite3_step(st) != SQLITE_DONE)
			return wn_store_fail(store, "cannot store the stages");
	}
	return WN_OK;
}

int wn_protocol_store(struct wn_store *store, const struct wn_protocol *p, int *version,
		      int *unchanged)
{
	sqlite3_stmt *st;
	char now[21], *details;
	int rc, id;

	*unchanged = 0;
	*version = 0;
	if ((rc = wn_store_begin(store)) < 0)
		return rc;
	/* Inside the transaction, so that two loads at once cannot both
	 * decide the file is new. Only the hash is compared. */
	st = wn_store_prepare(store, "SELECT id, sha256 = ?1 FROM protocol ORDER BY id DESC LIMIT 1");
	if (!st) {
		rc = wn_error_code();
		goto fail;
	}
	wn_bind_text(st, 1, p->sha256);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_int(st, 1)) {
		*unchanged = 1;
		*version = sqlite3_column_int(st, 0);
		sqlite3_reset(st);
		wn_store_rollback(store);
		return WN_OK;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		rc = wn_store_fail(store, "cannot read the protocol");
		goto fail;
	}
	if ((rc = check_stages_kept(store, p)) < 0)
		goto fail;
	wn_utc_now(now);
	st = wn_store_prepare(store, "INSERT INTO protocol(loaded_at, actor, path, sha256, title, "
				     "text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (!st) {
		rc = wn_error_code();
		goto fail;
	}
	wn_bind_text(st, 1, now);
	wn_bind_text(st, 2, store->actor);
	wn_bind_text(st, 3, p->path);
	wn_bind_text(st, 4, p->sha256);
	wn_bind_text(st, 5, p->title ? p->title : "");
	sqlite3_bind_text(st, 6, p->text, (int)p->text_len, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = wn_store_fail(store, "cannot store the protocol");
		goto fail;
	}
	id = (int)sqlite3_last_insert_rowid(store->db);
	if ((rc = write_stages(store, p, id)) < 0)
		goto fail;
	details = xasprintf("{\"sha256\":\"%s\",\"stages\":%zu}", p->sha256, p->nstages);
	rc = wn_audit_append(store, "protocol.load", "protocol", id, details);
	free(details);
	if (rc < 0 || (rc = wn_store_commit(store)) < 0)
		goto fail;
	*version = id;
	return WN_OK;
fail:
	wn_store_rollback(store);
	return rc;
}

int wn_protocol_current(struct wn_store *store, struct wn_protocol *out)
{
	struct wn_protocol_version v;
	struct wn_diagnostics diags = { 0 };
	int ok;

	memset(out, 0, sizeof(*out));
	if (wn_protocol_load_version(store, 0, &v) != WN_OK) {
		wn_error_clear();
		return 0;
	}
	ok = wn_protocol_parse_stored(out, v.path, v.text, strlen(v.text), &diags) == WN_OK;
	wn_protocol_version_release(&v);
	wn_diagnostics_release(&diags);
	if (!ok)
		wn_error_clear();
	return ok;
}

const struct wn_protocol *wn_protocol_in_force(struct wn_store *store)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT id, sha256 FROM protocol ORDER BY id DESC LIMIT 1");
	char sha256[65] = "";
	long long id = 0;

	if (!st) {
		wn_error_clear();
		return NULL;
	}
	if (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		snprintf(sha256, sizeof(sha256), "%s", wn_column_text(st, 1));
	}
	sqlite3_reset(st);
	/* the id and the hash: an id given back by a rolled-back load may be
	 * taken again by another file */
	if (id && id == store->protocol_id &&
	    (!store->protocol || !strcmp(store->protocol->sha256, sha256)))
		return store->protocol;
	if (store->protocol) {
		wn_protocol_release(store->protocol);
		free(store->protocol);
		store->protocol = NULL;
	}
	store->protocol_id = id;
	store->protocol = xcalloc(1, sizeof(*store->protocol));
	if (!id || !wn_protocol_current(store, store->protocol)) {
		wn_protocol_release(store->protocol);
		free(store->protocol);
		store->protocol = NULL;
	}
	return store->protocol;
}

/* Thomas Mueller's 32-bit integer hash: well mixed, and written with
 * nothing but shifts, masks and a multiplication that fits in 64 bits, so
 * that the report_stage_outcome view computes the same in plain SQL. */
static uint32_t mix32(uint32_t x)
{
	x = ((x >> 16) ^ x) * 0x45d9f3bu;
	x = ((x >> 16) ^ x) * 0x45d9f3bu;
	return (x >> 16) ^ x;
}

void wn_dual_sample_init(struct wn_dual_sample *ds, unsigned long seed, double fraction)
{
	double below = fraction * 4294967296.0;

	ds->key = mix32((uint32_t)seed);
	ds->below = below >= 4294967295.0 ? 4294967295LL : below <= 0 ? 0 : (long long)below;
}

int wn_dual_sampled(const struct wn_dual_sample *ds, long long report)
{
	return ds->below > 0 &&
	       (long long)mix32((uint32_t)(((unsigned long long)report + (unsigned long long)ds->key) &
					   0xFFFFFFFFu)) < ds->below;
}
