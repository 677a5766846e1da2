/*
 * Rules over a review (include/winnow/rules.h): every report that has
 * reached a stage is read once, in one query, as its primary record with
 * what it lacks filled in from the other records of its cluster; each
 * exclusion rule is matched against it in memory. `test` only counts;
 * `apply` then records the exclusions, the first matching rule's (in file
 * order) being the reason.
 */
#include <jansson.h>
#include <libgen.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "record_store.h"
#include "store_int.h"
#include "util.h"
#include "winnow/protocol.h"
#include "winnow/rules.h"

void wn_rules_summary_release(struct wn_rules_summary *s)
{
	free(s->stage);
	free(s->counts);
	memset(s, 0, sizeof(*s));
}

/* The stage: the named one, else the protocol's [rules] stage, else the
 * first (*out, allocated). *first: no stage comes before it. */
static int pick_stage(struct wn_store *store, const char *name, char **out, int *first)
{
	struct wn_protocol proto;
	const char *from_protocol = NULL;
	sqlite3_stmt *st;
	int step;

	if (!name && wn_protocol_current(store, &proto))
		from_protocol = wn_protocol_get(&proto, "rules", NULL, "stage");
	st = wn_store_prepare(store, (name || from_protocol)
		? "SELECT name, position = (SELECT MIN(position) FROM stage) FROM stage WHERE name = ?"
		: "SELECT name, 1 FROM stage ORDER BY position LIMIT 1");
	if (!st) {
		if (!name)
			wn_protocol_release(&proto);
		return WN_ERROR;
	}
	if (name || from_protocol)
		wn_bind_text(st, 1, name ? name : from_protocol);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*out = xstrdup(wn_column_text(st, 0));
		*first = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	if (!name)
		wn_protocol_release(&proto);
	if (step == SQLITE_ROW)
		return WN_OK;
	if (step != SQLITE_DONE)
		return wn_store_fail(store, "cannot read the stages");
	if (name)
		return wn_error_set(WN_ENOTFOUND, "no stage '%s' in the review's protocol", name);
	return wn_error_set(WN_ENOTFOUND, "the review has no screening stages yet (load a protocol)");
}

/* One report's fields, as rules see them, and the lists they point into. */
struct report {
	long long id;
	struct wn_rule_fields f;
	struct wn_strlist authors, keywords, mesh, pubtypes, languages;
	char *text[6]; /* title, abstract, journal, language (as given), doi, source */
};

static void report_clear(struct report *r)
{
	for (size_t i = 0; i < 6; i++)
		free(r->text[i]);
	wn_strlist_clear(&r->authors);
	wn_strlist_clear(&r->keywords);
	wn_strlist_clear(&r->mesh);
	wn_strlist_clear(&r->pubtypes);
	wn_strlist_clear(&r->languages);
	memset(r, 0, sizeof(*r));
}

/* The fields rules read, after a first column; report_fill's order. */
#define REPORT_FIELDS \
	"r.title, r.abstract, r.journal, r.language, r.doi, " WN_RECORD_SOURCE ", r.year, " \
	"r.authors, r.keywords, r.mesh, r.pubtypes "

/* Reports in id order (no sort: by rowid), with their cluster when they
 * stand for one: a record in no cluster, or its cluster's primary. */
#define REPORT_SELECT \
	"SELECT r.id, " REPORT_FIELDS ", m.cluster_id FROM record r " \
	"LEFT JOIN cluster_member m ON m.record_id = r.id " WN_RECORD_ORIGIN_JOIN \
	"WHERE (m.cluster_id IS NULL OR r.id = (SELECT c.primary_record_id FROM dedupe_cluster c " \
	"WHERE c.id = m.cluster_id)) "

/* The cluster's other records, earliest first, to fill the primary's gaps. */
#define MEMBERS_SELECT \
	"SELECT r.id, " REPORT_FIELDS "FROM cluster_member m JOIN record r ON r.id = m.record_id " \
	WN_RECORD_ORIGIN_JOIN "WHERE m.cluster_id = ? AND r.id <> ? ORDER BY r.id"

/* Take what the report still lacks from this row (its primary's row
 * first); lists only where a rule reads them (used[i]: authors,
 * keywords, mesh, pubtype), since parsing them is most of the cost. */
static void report_fill(struct report *r, sqlite3_stmt *st, const int *used)
{
	struct wn_strlist *lists[4] = { &r->authors, &r->keywords, &r->mesh, &r->pubtypes };

	for (int i = 0; i < 6; i++) {
		const char *v = (const char *)sqlite3_column_text(st, 1 + i);

		if (!r->text[i] && v && *v)
			r->text[i] = xstrdup(v);
	}
	if (!r->f.year)
		r->f.year = sqlite3_column_int(st, 7);
	for (int i = 0; i < 4; i++)
		if (used[i] && lists[i]->n == 0)
			wn_strlist_from_json(lists[i], (const char *)sqlite3_column_text(st, 8 + i));
}

/* "English; French" as the codes eng and fre: a list, each language by
 * its code when it is named (as it is, codes and all, otherwise). */
static void split_languages(struct wn_strlist *out, const char *s)
{
	while (s && *s) {
		size_t n = strcspn(s, ";,/");
		const char *code = wn_language_code(s, n);
		size_t lead = 0;

		if (code) {
			wn_strlist_add(out, code);
		} else {
			while (lead < n && (s[lead] == ' ' || s[lead] == '\t'))
				lead++;
			while (n > lead && (s[n - 1] == ' ' || s[n - 1] == '\t'))
				n--;
			if (n > lead)
				wn_strlist_take(out, xstrndup(s + lead, n - lead));
			n = strcspn(s, ";,/");
		}
		s += n;
		if (*s)
			s++;
	}
}

static void report_point(struct report *r, int languages)
{
	if (languages)
		split_languages(&r->languages, r->text[3]);
	r->f.languages = (const char *const *)r->languages.items;
	r->f.nlanguages = r->languages.n;
	r->f.title = r->text[0];
	r->f.abstract = r->text[1];
	r->f.journal = r->text[2];
	r->f.doi = r->text[4];
	r->f.source = r->text[5];
	r->f.authors = (const char *const *)r->authors.items;
	r->f.nauthors = r->authors.n;
	r->f.keywords = (const char *const *)r->keywords.items;
	r->f.nkeywords = r->keywords.n;
	r->f.mesh = (const char *const *)r->mesh.items;
	r->f.nmesh = r->mesh.n;
	r->f.pubtypes = (const char *const *)r->pubtypes.items;
	r->f.npubtypes = r->pubtypes.n;
}

/* The reports that have a decision of a kind at the stage, sorted: rule
 * exclusions ever made (one a person has since superseded stays
 * superseded), or people's decisions. */
static int decided(struct wn_store *store, const char *stage, int by_people, long long **ids,
		   size_t *n)
{
	sqlite3_stmt *st = wn_store_prepare(store, by_people
		? "SELECT DISTINCT rr.report_id FROM decision d "
		  "JOIN report_record rr ON rr.record_id = d.record_id "
		  "WHERE d.stage = ? AND d.kind IN ('human', 'resolution')"
		: "SELECT DISTINCT rr.report_id FROM decision d "
		  "JOIN report_record rr ON rr.record_id = d.record_id "
		  "WHERE d.stage = ? AND d.kind = 'rule' AND d.decision = 'exclude'");
	size_t cap = 0;
	int step;

	*ids = NULL;
	*n = 0;
	if (!st)
		return WN_ERROR;
	wn_bind_text(st, 1, stage);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			*ids = xrealloc(*ids, cap * sizeof(**ids));
		}
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		return wn_store_fail(store, "cannot read the decisions");
	if (*n)
		qsort(*ids, *n, sizeof(**ids), wn_cmp_id);
	return WN_OK;
}

/* An exclusion to record: the report and the first rule that excludes it. */
struct exclusion {
	long long report;
	size_t rule;
};

struct pass {
	struct wn_rules *rules;
	struct wn_rules_summary *sum;
	long long *done; /* already excluded by a rule, sorted */
	size_t ndone;
	long long *screened; /* decided by people at the stage, sorted */
	size_t nscreened;
	struct exclusion *todo;
	size_t ntodo, cap;
	/* the fields a rule reads, of those that cost parsing: authors,
	 * keywords, mesh, pubtype (report_fill's lists), and language */
	int used[5];
};

static void judge_report(struct pass *ps, struct report *r)
{
	size_t n = wn_rules_count(ps->rules), matched = 0, first = 0, last = 0;

	report_point(r, ps->used[4]);
	ps->sum->reports++;
	for (size_t i = 0; i < n; i++) {
		struct wn_rule_count *c = &ps->sum->counts[i];

		if (!wn_rules_match(ps->rules, i, &r->f))
			continue;
		if (c->matched < 3)
			c->examples[c->matched] = r->id;
		c->matched++;
		if (wn_rules_get(ps->rules, i)->action != WN_RULE_EXCLUDE)
			continue;
		if (!matched++)
			first = i;
		last = i;
	}
	if (!matched)
		return;
	if (matched == 1)
		ps->sum->counts[last].only++;
	ps->sum->excluded++;
	if (ps->ndone && bsearch(&r->id, ps->done, ps->ndone, sizeof(*ps->done), wn_cmp_id)) {
		ps->sum->already++;
		return;
	}
	if (ps->nscreened &&
	    bsearch(&r->id, ps->screened, ps->nscreened, sizeof(*ps->screened), wn_cmp_id)) {
		ps->sum->people++;
		return;
	}
	if (ps->ntodo == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 256;
		ps->todo = xrealloc(ps->todo, ps->cap * sizeof(*ps->todo));
	}
	ps->todo[ps->ntodo].report = r->id;
	ps->todo[ps->ntodo++].rule = first;
}

/* Read every report at the stage and match the rules. */
/* Does the report lack a field another record of its cluster may have? */
static int report_has_gaps(const struct report *r, const int *used)
{
	for (int i = 0; i < 6; i++)
		if (!r->text[i])
			return 1;
	return !r->f.year || (used[0] && !r->authors.n) || (used[1] && !r->keywords.n) ||
	       (used[2] && !r->mesh.n) || (used[3] && !r->pubtypes.n);
}

static int fill_from_cluster(struct wn_store *store, struct report *r, long long cluster,
			     const int *used)
{
	sqlite3_stmt *st = wn_store_prepare(store, MEMBERS_SELECT);
	int step;

	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, cluster);
	sqlite3_bind_int64(st, 2, r->id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		report_fill(r, st, used);
	sqlite3_reset(st);
	return step == SQLITE_DONE ? WN_OK : wn_store_fail(store, "cannot read a cluster's records");
}

static int run_pass(struct wn_store *store, const char *stage, int first, struct pass *ps)
{
	static const char *const sql[2] = {
		REPORT_SELECT "AND r.id IN (SELECT report_id FROM report_stage_outcome "
		"WHERE stage = ?1 AND eligible) ORDER BY r.id",
		/* the first stage: every report has reached it */
		REPORT_SELECT "ORDER BY r.id",
	};
	struct report r;
	sqlite3_stmt *st;
	int step, rc = WN_OK;

	memset(&r, 0, sizeof(r));
	if ((rc = decided(store, stage, 0, &ps->done, &ps->ndone)) != WN_OK ||
	    (rc = decided(store, stage, 1, &ps->screened, &ps->nscreened)) != WN_OK)
		return rc;
	if (sqlite3_prepare_v2(store->db, sql[first ? 1 : 0], -1, &st, NULL) != SQLITE_OK)
		return wn_store_fail(store, "cannot read the records");
	if (!first)
		wn_bind_text(st, 1, stage);
	while (rc == WN_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		r.id = sqlite3_column_int64(st, 0);
		report_fill(&r, st, ps->used);
		if (sqlite3_column_type(st, 12) != SQLITE_NULL && report_has_gaps(&r, ps->used))
			rc = fill_from_cluster(store, &r, sqlite3_column_int64(st, 12), ps->used);
		if (rc == WN_OK)
			judge_report(ps, &r);
		report_clear(&r);
	}
	sqlite3_finalize(st);
	if (rc == WN_OK && step != SQLITE_DONE)
		return wn_store_fail(store, "cannot read the records");
	return rc;
}

static int start(struct wn_store *store, struct wn_rules *rules, const char *stage,
		 struct wn_rules_summary *out, struct pass *ps)
{
	int first = 0, rc;

	memset(out, 0, sizeof(*out));
	memset(ps, 0, sizeof(*ps));
	ps->rules = rules;
	ps->sum = out;
	ps->used[0] = wn_rules_use(rules, "authors");
	ps->used[1] = wn_rules_use(rules, "keywords");
	ps->used[2] = wn_rules_use(rules, "mesh");
	ps->used[3] = wn_rules_use(rules, "pubtype");
	ps->used[4] = wn_rules_use(rules, "language");
	out->counts = xcalloc(wn_rules_count(rules), sizeof(*out->counts));
	if ((rc = pick_stage(store, stage, &out->stage, &first)) != WN_OK)
		return rc;
	return run_pass(store, out->stage, first, ps);
}

static void pass_release(struct pass *ps)
{
	free(ps->screened);
	free(ps->done);
	free(ps->todo);
}

int wn_rules_test(struct wn_store *store, struct wn_rules *rules, const char *stage,
		  struct wn_rules_summary *out)
{
	struct pass ps;
	int rc = start(store, rules, stage, out, &ps);

	pass_release(&ps);
	return rc;
}

/* The rule set's row and its rules' ids (a rule set applied before, the
 * same file byte for byte, is the same row). */
static int store_rule_set(struct wn_store *store, struct wn_rules *rules, int64_t *set_id,
			  int64_t *rule_ids)
{
	sqlite3_stmt *find = wn_store_prepare(store,
		"SELECT id FROM rule_set WHERE sha256 = ? AND path = ? ORDER BY id LIMIT 1");
	sqlite3_stmt *st;
	char now[21];
	int step, rc;

	if (!find)
		return WN_ERROR;
	wn_bind_text(find, 1, wn_rules_sha256(rules));
	wn_bind_text(find, 2, wn_rules_path(rules));
	step = sqlite3_step(find);
	*set_id = step == SQLITE_ROW ? sqlite3_column_int64(find, 0) : 0;
	sqlite3_reset(find);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return wn_store_fail(store, "cannot read the rule sets");
	if (!*set_id) {
		wn_utc_now(now);
		if (!(st = wn_store_prepare(store, "INSERT INTO rule_set(path, sha256, text, loaded_at) "
						   "VALUES (?, ?, ?, ?)")))
			return WN_ERROR;
		wn_bind_text(st, 1, wn_rules_path(rules));
		wn_bind_text(st, 2, wn_rules_sha256(rules));
		wn_bind_text(st, 3, wn_rules_text(rules));
		wn_bind_text(st, 4, now);
		if ((rc = wn_store_insert(store, st, "cannot store the rules", set_id)) != WN_OK)
			return rc;
		for (size_t i = 0; i < wn_rules_count(rules); i++) {
			const struct wn_rule_info *info = wn_rules_get(rules, i);
			static const char *const actions[] = {
				[WN_RULE_EXCLUDE] = "exclude",
				[WN_RULE_HIGHLIGHT_INCLUDE] = "highlight_include",
				[WN_RULE_HIGHLIGHT_EXCLUDE] = "highlight_exclude",
			};

			if (!(st = wn_store_prepare(store, "INSERT INTO rule(rule_set_id, line, action, "
							   "label, expression) VALUES (?, ?, ?, ?, ?)")))
				return WN_ERROR;
			sqlite3_bind_int64(st, 1, *set_id);
			sqlite3_bind_int(st, 2, info->line);
			wn_bind_text(st, 3, actions[info->action]);
			wn_bind_text(st, 4, info->label);
			wn_bind_text(st, 5, info->expression);
			if ((rc = wn_store_insert(store, st, "cannot store a rule", &rule_ids[i])) != WN_OK)
				return rc;
		}
		return WN_OK;
	}
	if (!(st = wn_store_prepare(store, "SELECT id FROM rule WHERE rule_set_id = ? AND line = ?")))
		return WN_ERROR;
	for (size_t i = 0; i < wn_rules_count(rules); i++) {
		sqlite3_bind_int64(st, 1, *set_id);
		sqlite3_bind_int(st, 2, wn_rules_get(rules, i)->line);
		step = sqlite3_step(st);
		rule_ids[i] = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		sqlite3_reset(st);
		if (!rule_ids[i])
			return wn_store_fail(store, "cannot read the stored rules");
	}
	return WN_OK;
}

static int record_exclusions(struct wn_store *store, struct wn_rules *rules, struct pass *ps,
			     int64_t set_id, const int64_t *rule_ids)
{
	struct wn_rules_summary *out = ps->sum;
	int64_t application_id;
	sqlite3_stmt *st;
	char now[21];
	int rc;

	wn_utc_now(now);
	if (!(st = wn_store_prepare(store, "SELECT NOT EXISTS (SELECT 1 FROM decision "
					   "WHERE stage = ? AND kind = 'human')")))
		return WN_ERROR;
	wn_bind_text(st, 1, out->stage);
	out->before_human = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (!(st = wn_store_prepare(store, "INSERT INTO rule_application(rule_set_id, stage, "
					   "before_human, applied_at, records_excluded) "
					   "VALUES (?, ?, ?, ?, ?)")))
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, set_id);
	wn_bind_text(st, 2, out->stage);
	sqlite3_bind_int(st, 3, out->before_human);
	wn_bind_text(st, 4, now);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)ps->ntodo);
	if ((rc = wn_store_insert(store, st, "cannot record the rules' application",
				  &application_id)) != WN_OK)
		return rc;
	out->application_id = application_id;
	for (size_t i = 0; i < ps->ntodo; i++) {
		const struct wn_rule_info *info = wn_rules_get(rules, ps->todo[i].rule);
		char reviewer[32];

		if (!(st = wn_store_prepare(store, "INSERT INTO decision(record_id, stage, reviewer, "
						   "kind, decision, reason, rule_id, rule_application_id, "
						   "made_at) VALUES (?, ?, ?, 'rule', 'exclude', ?, ?, ?, ?)")))
			return WN_ERROR;
		snprintf(reviewer, sizeof(reviewer), "rule:%d", info->line);
		sqlite3_bind_int64(st, 1, ps->todo[i].report);
		wn_bind_text(st, 2, out->stage);
		wn_bind_text(st, 3, reviewer);
		wn_bind_text(st, 4, info->label);
		sqlite3_bind_int64(st, 5, rule_ids[ps->todo[i].rule]);
		sqlite3_bind_int64(st, 6, out->application_id);
		wn_bind_text(st, 7, now);
		if ((rc = wn_store_run(store, st, "cannot record an exclusion")) != WN_OK)
			return rc;
		out->recorded++;
	}
	return WN_OK;
}

int wn_rules_apply(struct wn_store *store, struct wn_rules *rules, const char *stage,
		   struct wn_rules_summary *out)
{
	int64_t set_id = 0, *rule_ids = xcalloc(wn_rules_count(rules), sizeof(*rule_ids));
	struct pass ps;
	json_t *details;
	char *text;
	int rc;

	if ((rc = wn_store_begin(store)) != WN_OK) {
		free(rule_ids);
		memset(out, 0, sizeof(*out));
		return rc;
	}
	if ((rc = start(store, rules, stage, out, &ps)) != WN_OK ||
	    (rc = store_rule_set(store, rules, &set_id, rule_ids)) != WN_OK ||
	    (rc = record_exclusions(store, rules, &ps, set_id, rule_ids)) != WN_OK)
		goto fail;
	details = json_pack("{s:s, s:s, s:s, s:I, s:b}", "path", wn_rules_path(rules), "sha256",
			    wn_rules_sha256(rules), "stage", out->stage, "excluded",
			    (json_int_t)out->recorded, "before_human", out->before_human);
	text = details ? json_dumps(details, JSON_COMPACT) : NULL;
	json_decref(details);
	rc = text ? wn_audit_append(store, "rules-apply", "rule_application", out->application_id, text)
		  : wn_error_set(WN_ERROR, "cannot describe the rules' application");
	free(text);
	if (rc < 0)
		goto fail;
	rc = wn_store_commit(store);
	pass_release(&ps);
	free(rule_ids);
	return rc;
fail:
	wn_store_rollback(store);
	pass_release(&ps);
	free(rule_ids);
	return rc;
}

/* A file the protocol names, relative to the protocol's folder. */
static char *beside_protocol(const char *protocol_path, const char *file)
{
	char *copy, *path;

	if (file[0] == '/')
		return xstrdup(file);
	copy = xstrdup(protocol_path);
	path = xasprintf("%s/%s", dirname(copy), file);
	free(copy);
	return path;
}

int wn_rules_in_force(struct wn_store *store, struct wn_rules **out, char **where)
{
	struct wn_protocol proto;
	struct wn_diagnostics diags = { 0 };
	sqlite3_stmt *st;
	int step, rc = WN_OK;

	*out = NULL;
	*where = NULL;
	if (wn_protocol_current(store, &proto)) {
		const char *file = wn_protocol_get(&proto, "rules", NULL, "file");

		if (file) {
			char *path = beside_protocol(proto.path, file);

			if (wn_rules_parse_file(out, path, &diags) == WN_OK)
				*where = path;
			else
				free(path);
			wn_diagnostics_release(&diags);
		}
	}
	wn_protocol_release(&proto);
	if (*out)
		return WN_OK;
	wn_error_clear();
	if (!(st = wn_store_prepare(store, "SELECT path, text FROM rule_set ORDER BY id DESC LIMIT 1")))
		return WN_ERROR;
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		const char *path = wn_column_text(st, 0), *text = wn_column_text(st, 1);

		if (wn_rules_parse(out, path, text, strlen(text), &diags) == WN_OK)
			*where = xasprintf("%s (as stored in the review)", path);
		wn_diagnostics_release(&diags);
		wn_error_clear();
	} else if (step != SQLITE_DONE) {
		rc = wn_store_fail(store, "cannot read the rules");
	}
	sqlite3_reset(st);
	return rc;
}
