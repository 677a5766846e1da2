/*
 * Thematic coding: the tree of themes and the findings coded to them
 * (include/winnow/synth.h). Findings belong to a study, the unit of
 * synthesis, and to one of its included reports when the coder says which.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "csv_rows.h"
#include "store_int.h"
#include "synth_int.h"
#include "util.h"
#include "winnow/screening.h"
#include "winnow/synth.h"

/* Each theme change is audited with its details as JSON. */
static int audit(struct wn_store *store, const char *action, const char *table, long long id,
		 const char *fmt_json)
{
	return wn_audit_append(store, action, table, id, fmt_json);
}

/* The active theme of this name under parent (0: top level), or 0. */
static int child_named(struct wn_store *store, long long parent, const char *name, long long *id)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT id FROM theme WHERE merged_into IS NULL AND COALESCE(parent_id, 0) = ? "
		"AND name = ?");
	int step;

	*id = 0;
	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, parent);
	wn_bind_text(st, 2, name);
	if ((step = sqlite3_step(st)) == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? WN_OK
		: wn_store_fail(store, "cannot read the themes");
}

int wn_theme_find(struct wn_store *store, const char *ref, long long *id)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT COUNT(*), MIN(id) FROM theme WHERE merged_into IS NULL AND name = ?1 UNION ALL "
		"SELECT COUNT(*), MIN(id) FROM theme WHERE merged_into IS NULL AND CAST(id AS TEXT) = ?1");
	long long count[2] = { 0, 0 }, first[2] = { 0, 0 };
	int step, row = 0;

	*id = 0;
	if (!st)
		return WN_ERROR;
	wn_bind_text(st, 1, ref);
	while ((step = sqlite3_step(st)) == SQLITE_ROW && row < 2) {
		count[row] = sqlite3_column_int64(st, 0);
		first[row++] = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE && step != SQLITE_ROW)
		return wn_store_fail(store, "cannot read the themes");
	/* a name first, then an id, then a path */
	if (count[0] > 1)
		return wn_error_set(WN_EINVALID, "%lld themes are named '%s': give its path "
				    "(\"Theme/Subtheme\") or id", count[0], ref);
	if (count[0] || count[1]) {
		*id = count[0] ? first[0] : first[1];
		return WN_OK;
	}
	if (strchr(ref, '/')) {
		char *copy = xstrdup(ref), *save = NULL;
		long long parent = 0;

		for (char *part = strtok_r(copy, "/", &save); part; part = strtok_r(NULL, "/", &save)) {
			if (child_named(store, parent, wn_trim(part), &parent) != WN_OK) {
				free(copy);
				return WN_ERROR;
			}
			if (!parent)
				break;
		}
		free(copy);
		if ((*id = parent))
			return WN_OK;
	}
	return wn_error_set(WN_ENOTFOUND, "no theme '%s' (winnow theme list shows them)", ref);
}

/* Themes nest at most this deep: a synthesis has themes, subthemes and
 * perhaps a level below; deeper is a slip of a move, and would make the
 * tree hard to read. */
#define THEME_MAX_DEPTH 8

/* WN_EINVALID when a change made the tree deeper than the limit. */
static int check_depth(struct wn_store *store)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"WITH RECURSIVE d(id, depth) AS (SELECT id, 0 FROM theme WHERE parent_id IS NULL "
		"  AND merged_into IS NULL UNION ALL SELECT t.id, d.depth + 1 FROM theme t "
		"  JOIN d ON t.parent_id = d.id WHERE t.merged_into IS NULL AND d.depth <= ?1) "
		"SELECT COALESCE(MAX(depth), 0) FROM d");
	int step, depth = 0;

	if (!st)
		return WN_ERROR;
	sqlite3_bind_int(st, 1, THEME_MAX_DEPTH);
	if ((step = sqlite3_step(st)) == SQLITE_ROW)
		depth = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (step != SQLITE_ROW)
		return wn_store_fail(store, "cannot read the themes");
	return depth >= THEME_MAX_DEPTH
		? wn_error_set(WN_EINVALID, "themes nest at most %d levels deep", THEME_MAX_DEPTH)
		: WN_OK;
}

/* The theme's parent, or 0. */
static int parent_of(struct wn_store *store, long long theme, long long *parent)
{
	sqlite3_stmt *st = wn_store_prepare(store, "SELECT COALESCE(parent_id, 0) FROM theme WHERE id = ?");
	int step;

	*parent = 0;
	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, theme);
	if ((step = sqlite3_step(st)) == SQLITE_ROW)
		*parent = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? WN_OK
		: wn_store_fail(store, "cannot read the themes");
}

/* 1 when `node` is `theme` or one of its subthemes (at any depth). */
static int within(struct wn_store *store, long long node, long long theme, int *inside)
{
	int rc, guard = 0;

	*inside = 0;
	while (node && guard++ < 10000) {
		if (node == theme) {
			*inside = 1;
			return WN_OK;
		}
		if ((rc = parent_of(store, node, &node)) != WN_OK)
			return rc;
	}
	return WN_OK;
}

static int check_name(const char *name)
{
	if (wn_blank(name))
		return wn_error_set(WN_EINVALID, "a theme needs a name");
	if (strchr(name, '/'))
		return wn_error_set(WN_EINVALID, "a theme's name cannot hold '/' (it separates a "
				    "theme from its subtheme in paths): '%s'", name);
	return WN_OK;
}

int wn_theme_add(struct wn_store *store, const char *name, const char *parent,
		 const char *description, long long *id)
{
	long long parent_id = 0, taken;
	sqlite3_stmt *st;
	char now[21], *qname, *details;
	int64_t rowid;
	int rc;

	if ((rc = check_name(name)) != WN_OK)
		return rc;
	if ((rc = wn_store_begin(store)) != WN_OK)
		return rc;
	if ((parent && (rc = wn_theme_find(store, parent, &parent_id)) != WN_OK) ||
	    (rc = child_named(store, parent_id, name, &taken)) != WN_OK)
		goto fail;
	if (taken) {
		rc = wn_error_set(WN_EEXISTS, "there is already a theme '%s'%s%s", name,
				  parent ? " under " : "", parent ? parent : "");
		goto fail;
	}
	if (!(st = wn_store_prepare(store,
		"INSERT INTO theme (parent_id, name, description, position, created_at) "
		"VALUES (?1, ?2, ?3, (SELECT COALESCE(MAX(position), 0) + 1 FROM theme "
		"WHERE COALESCE(parent_id, 0) = COALESCE(?1, 0)), ?4)"))) {
		rc = WN_ERROR;
		goto fail;
	}
	wn_utc_now(now);
	if (parent_id)
		sqlite3_bind_int64(st, 1, parent_id);
	else
		sqlite3_bind_null(st, 1);
	wn_bind_text(st, 2, name);
	wn_bind_text(st, 3, description && *description ? description : NULL);
	wn_bind_text(st, 4, now);
	if ((rc = wn_store_insert(store, st, "cannot add the theme", &rowid)) != WN_OK ||
	    (rc = check_depth(store)) != WN_OK)
		goto fail;
	*id = rowid;
	qname = wn_json_quote(name);
	details = xasprintf("{\"name\":%s,\"parent\":%lld}", qname, parent_id);
	rc = audit(store, "theme-add", "theme", rowid, details);
	free(qname);
	free(details);
	if (rc != WN_OK)
		goto fail;
	return wn_store_commit(store);
fail:
	wn_store_rollback(store);
	return rc;
}

int wn_theme_move(struct wn_store *store, const char *theme, const char *new_parent)
{
	long long id, parent = 0, clash;
	sqlite3_stmt *st;
	char *details;
	int rc, inside;

	if ((rc = wn_store_begin(store)) != WN_OK)
		return rc;
	if ((rc = wn_theme_find(store, theme, &id)) != WN_OK ||
	    (new_parent && (rc = wn_theme_find(store, new_parent, &parent)) != WN_OK) ||
	    (rc = within(store, parent, id, &inside)) != WN_OK)
		goto fail;
	if (inside) {
		rc = wn_error_set(WN_EINVALID, "theme '%s' cannot go under '%s': that is %s, and "
				  "themes form a tree, not a cycle", theme, new_parent,
				  parent == id ? "itself" : "one of its own subthemes");
		goto fail;
	}
	if (!(st = wn_store_prepare(store,
		"SELECT t.id FROM theme t JOIN theme m ON m.id = ?2 AND m.name = t.name "
		"WHERE t.merged_into IS NULL AND COALESCE(t.parent_id, 0) = ?1 AND t.id <> ?2"))) {
		rc = WN_ERROR;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, parent);
	sqlite3_bind_int64(st, 2, id);
	clash = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	if (clash) {
		rc = wn_error_set(WN_EEXISTS, "there is already a theme of that name there "
				  "(merge them instead: winnow theme merge)");
		goto fail;
	}
	if (!(st = wn_store_prepare(store,
		"UPDATE theme SET parent_id = NULLIF(?1, 0), position = (SELECT COALESCE(MAX(position), 0) "
		"+ 1 FROM theme WHERE COALESCE(parent_id, 0) = ?1) WHERE id = ?2"))) {
		rc = WN_ERROR;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, parent);
	sqlite3_bind_int64(st, 2, id);
	if ((rc = wn_store_run(store, st, "cannot move the theme")) != WN_OK ||
	    (rc = check_depth(store)) != WN_OK)
		goto fail;
	details = xasprintf("{\"parent\":%lld}", parent);
	rc = audit(store, "theme-move", "theme", id, details);
	free(details);
	if (rc != WN_OK)
		goto fail;
	return wn_store_commit(store);
fail:
	wn_store_rollback(store);
	return rc;
}

int wn_theme_rename(struct wn_store *store, const char *theme, const char *new_name,
		    const char *description)
{
	long long id, parent, taken;
	sqlite3_stmt *st;
	char *qname, *qdesc, *details;
	int rc;

	if (new_name && (rc = check_name(new_name)) != WN_OK)
		return rc;
	if ((rc = wn_store_begin(store)) != WN_OK)
		return rc;
	if ((rc = wn_theme_find(store, theme, &id)) != WN_OK ||
	    (rc = parent_of(store, id, &parent)) != WN_OK ||
	    (new_name && (rc = child_named(store, parent, new_name, &taken)) != WN_OK))
		goto fail;
	if (new_name && taken && taken != id) {
		rc = wn_error_set(WN_EEXISTS, "there is already a theme '%s' there (merge them "
				  "instead: winnow theme merge)", new_name);
		goto fail;
	}
	if (!(st = wn_store_prepare(store,
		"UPDATE theme SET name = COALESCE(?1, name), description = CASE WHEN ?2 IS NULL "
		"THEN description ELSE NULLIF(?2, '') END WHERE id = ?3"))) {
		rc = WN_ERROR;
		goto fail;
	}
	wn_bind_text(st, 1, new_name);
	wn_bind_text(st, 2, description);
	sqlite3_bind_int64(st, 3, id);
	if ((rc = wn_store_run(store, st, "cannot rename the theme")) != WN_OK)
		goto fail;
	qname = wn_json_quote(new_name);
	qdesc = wn_json_quote(description);
	details = xasprintf("{\"name\":%s,\"description\":%s}", qname, qdesc);
	rc = audit(store, "theme-rename", "theme", id, details);
	free(qname);
	free(qdesc);
	free(details);
	if (rc != WN_OK)
		goto fail;
	return wn_store_commit(store);
fail:
	wn_store_rollback(store);
	return rc;
}

int wn_theme_merge(struct wn_store *store, const char *from, const char *into, long *moved)
{
	static const char *const steps[] = {
		/* findings coded to both stay coded once */
		("INSERT OR IGNORE INTO finding_theme (finding_id, theme_id, actor, linked_at) "
		 "SELECT finding_id, ?2, ?3, ?4 FROM finding_theme WHERE theme_id = ?1"),
		"DELETE FROM finding_theme WHERE theme_id = ?1",
		"UPDATE theme SET parent_id = ?2 WHERE parent_id = ?1 AND merged_into IS NULL",
		"UPDATE theme SET merged_into = ?2 WHERE id = ?1",
	};
	long long a, b;
	sqlite3_stmt *st;
	char now[21], *details;
	int rc, inside;

	*moved = 0;
	if ((rc = wn_store_begin(store)) != WN_OK)
		return rc;
	if ((rc = wn_theme_find(store, from, &a)) != WN_OK ||
	    (rc = wn_theme_find(store, into, &b)) != WN_OK ||
	    (rc = within(store, b, a, &inside)) != WN_OK)
		goto fail;
	if (inside) {
		rc = wn_error_set(WN_EINVALID, "theme '%s' cannot merge into %s", from,
				  a == b ? "itself" : "one of its own subthemes");
		goto fail;
	}
	if (!(st = wn_store_prepare(store, "SELECT COUNT(*) FROM cerqual_judgement WHERE theme_id = ?"))) {
		rc = WN_ERROR;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, a);
	rc = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) > 0;
	sqlite3_reset(st);
	if (rc) {
		rc = wn_error_set(WN_EINVALID, "theme '%s' has a GRADE-CERQual assessment of its own; "
				  "a merged finding needs assessing anew (assess '%s' instead)",
				  from, into);
		goto fail;
	}
	if (!(st = wn_store_prepare(store,
		"SELECT x.name FROM theme x JOIN theme y ON y.name = x.name AND y.parent_id = ?2 "
		"AND y.merged_into IS NULL WHERE x.parent_id = ?1 AND x.merged_into IS NULL LIMIT 1"))) {
		rc = WN_ERROR;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	if (sqlite3_step(st) == SQLITE_ROW) {
		rc = wn_error_set(WN_EINVALID, "both themes have a subtheme '%s': merge or rename "
				  "those first", wn_column_text(st, 0));
		sqlite3_reset(st);
		goto fail;
	}
	sqlite3_reset(st);
	if (!(st = wn_store_prepare(store, "SELECT COUNT(*) FROM finding_theme WHERE theme_id = ?"))) {
		rc = WN_ERROR;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, a);
	if (sqlite3_step(st) == SQLITE_ROW)
		*moved = (long)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	wn_utc_now(now);
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if (!(st = wn_store_prepare(store, steps[i]))) {
			rc = WN_ERROR;
			goto fail;
		}
		sqlite3_bind_int64(st, 1, a);
		sqlite3_bind_int64(st, 2, b);
		if (sqlite3_bind_parameter_count(st) >= 3) {
			wn_bind_text(st, 3, store->actor);
			wn_bind_text(st, 4, now);
		}
		if ((rc = wn_store_run(store, st, "cannot merge the themes")) != WN_OK)
			goto fail;
	}
	if ((rc = check_depth(store)) != WN_OK)
		goto fail;
	details = xasprintf("{\"into\":%lld,\"findings\":%ld}", b, *moved);
	rc = audit(store, "theme-merge", "theme", a, details);
	free(details);
	if (rc != WN_OK)
		goto fail;
	return wn_store_commit(store);
fail:
	*moved = 0;
	wn_store_rollback(store);
	return rc;
}

/* The tree, depth first. */
struct node {
	long long id, parent;
	char *name, *description;
	long findings, findings_all, studies_all;
};

static void visit(struct node *nodes, size_t n, long long parent, const char *path, int depth,
		  struct wn_theme **out, size_t *nout)
{
	for (size_t i = 0; i < n; i++) {
		struct wn_theme *t;

		if (nodes[i].parent != parent || depth > 64)
			continue;
		t = &(*out)[(*nout)++];
		t->id = nodes[i].id;
		t->parent_id = parent;
		t->name = xstrdup(nodes[i].name);
		t->description = nodes[i].description ? xstrdup(nodes[i].description) : NULL;
		t->path = path ? wn_join(path, "/", nodes[i].name) : xstrdup(nodes[i].name);
		t->depth = depth;
		t->findings = nodes[i].findings;
		t->findings_all = nodes[i].findings_all;
		t->studies_all = nodes[i].studies_all;
		visit(nodes, n, nodes[i].id, t->path, depth + 1, out, nout);
	}
}

int wn_theme_list(struct wn_store *store, struct wn_theme **out, size_t *n)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"WITH RECURSIVE sub(root, id) AS (SELECT id, id FROM theme WHERE merged_into IS NULL "
		"  UNION ALL SELECT sub.root, t.id FROM sub JOIN theme t ON t.parent_id = sub.id "
		"  AND t.merged_into IS NULL), "
		"counts AS (SELECT sub.root, COUNT(DISTINCT ft.finding_id) AS nf, "
		"  COUNT(DISTINCT f.study_id) AS ns FROM sub JOIN finding_theme ft ON ft.theme_id = sub.id "
		"  JOIN finding f ON f.id = ft.finding_id GROUP BY sub.root) "
		"SELECT t.id, COALESCE(t.parent_id, 0), t.name, t.description, "
		"  (SELECT COUNT(*) FROM finding_theme ft WHERE ft.theme_id = t.id), "
		"  COALESCE(c.nf, 0), COALESCE(c.ns, 0) "
		"FROM theme t LEFT JOIN counts c ON c.root = t.id WHERE t.merged_into IS NULL "
		"ORDER BY t.position, t.id");
	struct node *nodes = NULL;
	size_t count = 0, cap = 0;
	int step;

	*out = NULL;
	*n = 0;
	if (!st)
		return WN_ERROR;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (count == cap) {
			cap = cap ? 2 * cap : 16;
			nodes = xrealloc(nodes, cap * sizeof(*nodes));
		}
		nodes[count].id = sqlite3_column_int64(st, 0);
		nodes[count].parent = sqlite3_column_int64(st, 1);
		nodes[count].name = xstrdup(wn_column_text(st, 2));
		nodes[count].description = sqlite3_column_type(st, 3) == SQLITE_NULL ? NULL
					   : xstrdup(wn_column_text(st, 3));
		nodes[count].findings = (long)sqlite3_column_int64(st, 4);
		nodes[count].findings_all = (long)sqlite3_column_int64(st, 5);
		nodes[count].studies_all = (long)sqlite3_column_int64(st, 6);
		count++;
	}
	sqlite3_reset(st);
	if (step == SQLITE_DONE) {
		*out = xcalloc(count + 1, sizeof(**out));
		visit(nodes, count, 0, NULL, 0, out, n);
	}
	for (size_t i = 0; i < count; i++) {
		free(nodes[i].name);
		free(nodes[i].description);
	}
	free(nodes);
	return step == SQLITE_DONE ? WN_OK : wn_store_fail(store, "cannot read the themes");
}

void wn_themes_release(struct wn_theme *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(t[i].name);
		free(t[i].description);
		free(t[i].path);
	}
	free(t);
}

/* Findings */

static int report_in_study(struct wn_store *store, long long study, const char *ref,
			   long long *record)
{
	sqlite3_stmt *st;
	long long report;
	int rc, step;

	if ((rc = wn_synth_report(store, ref, record, &report)) != WN_OK)
		return rc;
	if (!(st = wn_store_prepare(store,
		"SELECT 1 FROM study_report sr JOIN report_record rr ON rr.record_id = sr.record_id "
		"WHERE sr.study_id = ? AND rr.report_id = ?")))
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, study);
	sqlite3_bind_int64(st, 2, report);
	step = sqlite3_step(st);
	sqlite3_reset(st);
	if (step == SQLITE_ROW) {
		*record = report;
		return WN_OK;
	}
	return step == SQLITE_DONE
		? wn_error_set(WN_EINVALID, "report %lld is not a report of this study (winnow study "
			       "link first)", report)
		: wn_store_fail(store, "cannot read the study's reports");
}

static int add_finding(struct wn_store *store, const struct wn_finding_input *in, long long *id)
{
	long long study, record = 0, *themes = NULL;
	sqlite3_stmt *st;
	char now[21], *details;
	int64_t rowid;
	int rc;

	if (!in->kind || (strcmp(in->kind, "quote") && strcmp(in->kind, "interpretation")))
		return wn_error_set(WN_EINVALID, "a finding is a quote (participants' words) or an "
				    "interpretation (the authors'), not '%s'", in->kind ? in->kind : "");
	if (wn_blank(in->text))
		return wn_error_set(WN_EINVALID, "the finding has no text");
	if (!in->nthemes)
		return wn_error_set(WN_EINVALID, "code the finding to a theme (--theme T)");
	if ((rc = wn_study_find(store, in->study ? in->study : "", &study)) != WN_OK ||
	    (!wn_blank(in->report) && (rc = report_in_study(store, study, in->report, &record)) != WN_OK))
		return rc;
	themes = xcalloc(in->nthemes, sizeof(*themes));
	for (size_t i = 0; i < in->nthemes; i++)
		if ((rc = wn_theme_find(store, in->themes[i], &themes[i])) != WN_OK)
			goto done;
	wn_utc_now(now);
	if (!(st = wn_store_prepare(store,
		"INSERT INTO finding (study_id, record_id, kind, text, location, participant, actor, "
		"created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"))) {
		rc = WN_ERROR;
		goto done;
	}
	sqlite3_bind_int64(st, 1, study);
	if (record)
		sqlite3_bind_int64(st, 2, record);
	else
		sqlite3_bind_null(st, 2);
	wn_bind_text(st, 3, in->kind);
	wn_bind_text(st, 4, in->text);
	wn_bind_text(st, 5, wn_blank(in->where) ? NULL : in->where);
	wn_bind_text(st, 6, wn_blank(in->participant) ? NULL : in->participant);
	wn_bind_text(st, 7, store->actor);
	wn_bind_text(st, 8, now);
	if ((rc = wn_store_insert(store, st, "cannot add the finding", &rowid)) != WN_OK)
		goto done;
	*id = rowid;
	if (!(st = wn_store_prepare(store,
		"INSERT OR IGNORE INTO finding_theme (finding_id, theme_id, actor, linked_at) "
		"VALUES (?, ?, ?, ?)"))) {
		rc = WN_ERROR;
		goto done;
	}
	for (size_t i = 0; i < in->nthemes; i++) {
		sqlite3_bind_int64(st, 1, rowid);
		sqlite3_bind_int64(st, 2, themes[i]);
		wn_bind_text(st, 3, store->actor);
		wn_bind_text(st, 4, now);
		if ((rc = wn_store_run(store, st, "cannot code the finding")) != WN_OK)
			goto done;
	}
	{
		char *qtext;
		char digest[65];

		wn_sha256_hex(in->text, strlen(in->text), digest);
		qtext = wn_json_quote(in->kind);
		details = xasprintf("{\"study\":%lld,\"report\":%lld,\"kind\":%s,\"themes\":%zu,"
				    "\"text_sha256\":\"%s\"}", study, record, qtext, in->nthemes, digest);
		rc = audit(store, "finding-add", "finding", rowid, details);
		free(qtext);
		free(details);
	}
done:
	free(themes);
	return rc;
}

int wn_finding_add(struct wn_store *store, const struct wn_finding_input *in, long long *id)
{
	int rc;

	if ((rc = wn_store_begin(store)) != WN_OK)
		return rc;
	if ((rc = add_finding(store, in, id)) != WN_OK) {
		wn_store_rollback(store);
		return rc;
	}
	return wn_store_commit(store);
}

enum { F_STUDY, F_REPORT, F_THEME, F_KIND, F_TEXT, F_WHERE, F_PARTICIPANT, NFCOLS };
static const char *const finding_columns[NFCOLS] = {
	"study|case", "report|record", "theme|themes|code|node", "kind|type",
	"text|quote|finding|content", "where|location|page|reference", "participant|speaker",
};

struct finding_import {
	struct wn_store *store;
	long count;
};

static int finding_row(void *ctx, char *const *f, long line)
{
	struct finding_import *im = ctx;
	const char *themes[32];
	struct wn_finding_input in = {
		.study = f[F_STUDY], .report = f[F_REPORT], .themes = themes,
		.kind = f[F_KIND] && *f[F_KIND] ? f[F_KIND] : "quote",
		.text = f[F_TEXT], .where = f[F_WHERE], .participant = f[F_PARTICIPANT],
	};
	char *copy = xstrdup(f[F_THEME] ? f[F_THEME] : ""), *save = NULL;
	long long id;
	int rc;

	(void)line;
	for (char *t = strtok_r(copy, ";", &save); t && in.nthemes < 32; t = strtok_r(NULL, ";", &save))
		if (*wn_trim(t))
			themes[in.nthemes++] = wn_trim(t);
	rc = add_finding(im->store, &in, &id);
	free(copy);
	im->count += rc == WN_OK;
	return rc;
}

int wn_finding_import(struct wn_store *store, const char *path, long *count)
{
	static const struct wn_csv_columns cols = {
		finding_columns, NFCOLS, 1u << F_STUDY | 1u << F_THEME | 1u << F_TEXT, NULL, 0, 0,
	};
	struct finding_import im = { store, 0 };
	int rc;

	*count = 0;
	if ((rc = wn_store_begin(store)) != WN_OK)
		return rc;
	if ((rc = wn_csv_read(path, &cols, finding_row, &im, NULL)) != WN_OK) {
		wn_store_rollback(store);
		return rc;
	}
	if ((rc = wn_store_commit(store)) == WN_OK)
		*count = im.count;
	return rc;
}

int wn_finding_remove(struct wn_store *store, long long id)
{
	static const char *const steps[] = {
		"DELETE FROM finding_theme WHERE finding_id = ?",
		"DELETE FROM finding WHERE id = ?",
	};
	sqlite3_stmt *st;
	int rc;

	if ((rc = wn_store_begin(store)) != WN_OK)
		return rc;
	for (size_t i = 0; i < 2; i++) {
		if (!(st = wn_store_prepare(store, steps[i]))) {
			rc = WN_ERROR;
			goto fail;
		}
		sqlite3_bind_int64(st, 1, id);
		if ((rc = wn_store_run(store, st, "cannot remove the finding")) != WN_OK)
			goto fail;
	}
	if (!sqlite3_changes(store->db)) {
		rc = wn_error_set(WN_ENOTFOUND, "no finding %lld", id);
		goto fail;
	}
	if ((rc = audit(store, "finding-remove", "finding", id, "{}")) != WN_OK)
		goto fail;
	return wn_store_commit(store);
fail:
	wn_store_rollback(store);
	return rc;
}

int wn_finding_list(struct wn_store *store, const char *theme, const char *study,
		    struct wn_finding **out, size_t *n)
{
	struct wn_theme *themes = NULL;
	long long theme_id = 0, study_id = 0;
	size_t nthemes = 0, cap = 0;
	sqlite3_stmt *st;
	int step, rc;

	*out = NULL;
	*n = 0;
	if ((theme && (rc = wn_theme_find(store, theme, &theme_id)) != WN_OK) ||
	    (study && (rc = wn_study_find(store, study, &study_id)) != WN_OK) ||
	    (rc = wn_theme_list(store, &themes, &nthemes)) != WN_OK)
		return rc;
	if (!(st = wn_store_prepare(store,
		"WITH RECURSIVE sub(id) AS (SELECT ?1 UNION ALL SELECT t.id FROM sub "
		"  JOIN theme t ON t.parent_id = sub.id AND t.merged_into IS NULL) "
		"SELECT f.id, f.study_id, COALESCE(rr.report_id, 0), s.label, f.kind, f.text, "
		"  f.location, f.participant, "
		"  (SELECT group_concat(ft.theme_id, ' ') FROM finding_theme ft WHERE ft.finding_id = f.id) "
		"FROM finding f JOIN study s ON s.id = f.study_id "
		"LEFT JOIN report_record rr ON rr.record_id = f.record_id "
		"WHERE (?1 = 0 OR f.id IN (SELECT ft.finding_id FROM finding_theme ft JOIN sub "
		"  ON sub.id = ft.theme_id)) AND (?2 = 0 OR f.study_id = ?2) "
		"ORDER BY s.label, f.id"))) {
		wn_themes_release(themes, nthemes);
		return WN_ERROR;
	}
	sqlite3_bind_int64(st, 1, theme_id);
	sqlite3_bind_int64(st, 2, study_id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct wn_finding *f;
		struct wn_buf paths = WN_BUF_INIT;
		char *ids = xstrdup(wn_column_text(st, 8)), *save = NULL;

		if (*n == cap) {
			cap = cap ? 2 * cap : 32;
			*out = xrealloc(*out, cap * sizeof(**out));
		}
		f = &(*out)[(*n)++];
		memset(f, 0, sizeof(*f));
		f->id = sqlite3_column_int64(st, 0);
		f->study_id = sqlite3_column_int64(st, 1);
		f->report_id = sqlite3_column_int64(st, 2);
		f->study = xstrdup(wn_column_text(st, 3));
		f->kind = xstrdup(wn_column_text(st, 4));
		f->text = xstrdup(wn_column_text(st, 5));
		f->where = sqlite3_column_type(st, 6) == SQLITE_NULL ? NULL : xstrdup(wn_column_text(st, 6));
		f->participant = sqlite3_column_type(st, 7) == SQLITE_NULL ? NULL
				 : xstrdup(wn_column_text(st, 7));
		for (char *t = strtok_r(ids, " ", &save); t; t = strtok_r(NULL, " ", &save))
			for (size_t k = 0; k < nthemes; k++)
				if (themes[k].id == atoll(t))
					wn_buf_addf(&paths, "%s%s", paths.len ? "; " : "", themes[k].path);
		f->themes = xstrdup(wn_buf_str(&paths));
		wn_buf_release(&paths);
		free(ids);
	}
	sqlite3_reset(st);
	wn_themes_release(themes, nthemes);
	if (step != SQLITE_DONE) {
		wn_findings_release(*out, *n);
		*out = NULL;
		*n = 0;
		return wn_store_fail(store, "cannot read the findings");
	}
	/* each report as cited: "Hartley 2021" */
	for (size_t i = 0; i < *n; i++) {
		struct wn_report_view v;

		if (!(*out)[i].report_id)
			continue;
		if ((rc = wn_report_load(store, (*out)[i].report_id, &v)) != WN_OK) {
			wn_findings_release(*out, *n);
			*out = NULL;
			*n = 0;
			return rc;
		}
		(*out)[i].citation = wn_report_citation(&v.rec);
		wn_report_view_release(&v);
	}
	return WN_OK;
}

void wn_findings_release(struct wn_finding *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(f[i].study);
		free(f[i].citation);
		free(f[i].kind);
		free(f[i].text);
		free(f[i].where);
		free(f[i].participant);
		free(f[i].themes);
	}
	free(f);
}
