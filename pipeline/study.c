/*
 * Studies and their reports (PRISMA 2020: a study can have several
 * reports). A link is a row of study_report on a record of the report;
 * the report is reached through report_record, since deduplication may
 * pick another primary record later.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "screening_int.h"
#include "store_int.h"
#include "synth_int.h"
#include "util.h"
#include "winnow/record.h"
#include "winnow/screening.h"
#include "winnow/synth.h"

static const char *const roles[] = { "main", "protocol", "follow_up", "secondary", "other" };

/* The role as stored ("follow-up" is written follow_up), or NULL. */
static const char *role_canonical(const char *role)
{
	char buf[32];
	size_t i;

	if (!role)
		return "main";
	for (i = 0; role[i] && i + 1 < sizeof(buf); i++)
		buf[i] = role[i] == '-' ? '_' : (char)tolower((unsigned char)role[i]);
	buf[i] = '\0';
	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (!strcmp(buf, roles[i]))
			return roles[i];
	return NULL;
}

int wn_study_find(struct wn_store *store, const char *ref, long long *id)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT id FROM study WHERE label = ?1 UNION ALL "
		"SELECT id FROM study WHERE CAST(id AS TEXT) = ?1 LIMIT 1");
	int step;

	if (!st)
		return WN_ERROR;
	wn_bind_text(st, 1, ref);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (step == SQLITE_ROW)
		return WN_OK;
	return step == SQLITE_DONE
		? wn_error_set(WN_ENOTFOUND, "no study '%s' in the review (winnow study list shows them)", ref)
		: wn_store_fail(store, "cannot read the studies");
}

/* The study a report (any of its records) is in: WN_OK with *study 0
 * when none; its label into *label when wanted. */
static int study_of_report(struct wn_store *store, long long report, long long *study,
			   char **label)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT sr.study_id, s.label FROM study_report sr JOIN study s ON s.id = sr.study_id "
		"WHERE sr.record_id IN " MEMBERS " LIMIT 1");
	int step;

	*study = 0;
	if (label)
		*label = NULL;
	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, report);
	if ((step = sqlite3_step(st)) == SQLITE_ROW) {
		*study = sqlite3_column_int64(st, 0);
		if (label)
			*label = xstrdup(wn_column_text(st, 1));
	}
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? WN_OK
		: wn_store_fail(store, "cannot read the study links");
}

int wn_synth_report(struct wn_store *store, const char *ref, long long *record, long long *report)
{
	int rc;

	if ((rc = wn_record_lookup(store, ref, record)) != WN_OK ||
	    (rc = wn_report_of(store, *record, report)) != WN_OK)
		return rc;
	return wn_report_included(store, *report);
}

/* 1 when the study has a report, 0 when not, or an error. */
static int has_reports(struct wn_store *store, long long study)
{
	sqlite3_stmt *st = wn_store_prepare(store, "SELECT 1 FROM study_report WHERE study_id = ?");
	int step;

	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, study);
	step = sqlite3_step(st);
	sqlite3_reset(st);
	return step == SQLITE_ROW ? 1 : step == SQLITE_DONE ? 0
		: wn_store_fail(store, "cannot read the study links");
}

/* Insert or change the link of an included report (inside a transaction). */
static int link_report(struct wn_store *store, long long study, const char *ref, const char *role,
		       struct wn_study_link_result *out)
{
	const char *canonical = role_canonical(role);
	long long current;
	char *label = NULL, *details;
	sqlite3_stmt *st;
	char now[21];
	int rc;

	memset(out, 0, sizeof(*out));
	out->study_id = study;
	out->role = "";
	if (!canonical)
		return wn_error_set(WN_EINVALID, "unknown role '%s' (known: " WN_STUDY_ROLES ")", role);
	if ((rc = wn_synth_report(store, ref, &out->record_id, &out->report_id)) != WN_OK ||
	    (rc = study_of_report(store, out->report_id, &current, &label)) != WN_OK)
		return rc;
	if (current && current != study) {
		rc = wn_error_set(WN_EINVALID, "report %lld is already in study '%s' (a report is "
				  "in one study: winnow study unlink %lld first)", out->report_id,
				  label, out->report_id);
		free(label);
		return rc;
	}
	free(label);
	if (!role && current)
		return WN_OK; /* linked already, and no new role given */
	if (!role && (rc = has_reports(store, study)) != 0) {
		if (rc < 0)
			return rc;
		canonical = "secondary"; /* the study has its main report */
	}
	out->role = strcmp(canonical, "follow_up") ? canonical : "follow-up";
	wn_utc_now(now);
	if (current) {
		st = wn_store_prepare(store,
			"UPDATE study_report SET role = ?2, linked_at = ?3, actor = ?4 "
			"WHERE record_id IN " MEMBERS " AND role <> ?2");
	} else {
		st = wn_store_prepare(store,
			"INSERT INTO study_report (record_id, study_id, role, linked_at, actor) "
			"VALUES (?1, ?5, ?2, ?3, ?4)");
	}
	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, out->report_id);
	wn_bind_text(st, 2, canonical);
	wn_bind_text(st, 3, now);
	wn_bind_text(st, 4, store->actor);
	if (!current)
		sqlite3_bind_int64(st, 5, study);
	if ((rc = wn_store_run(store, st, "cannot link the report")) != WN_OK)
		return rc;
	if (!(out->changed = sqlite3_changes(store->db) > 0))
		return WN_OK;
	details = xasprintf("{\"study\":%lld,\"report\":%lld,\"role\":\"%s\"}", study,
			    out->report_id, canonical);
	rc = wn_audit_append(store, current ? "study-role" : "study-link", "study_report",
			     out->report_id, details);
	free(details);
	return rc;
}

static int insert_study(struct wn_store *store, const struct wn_study_fields *f, long long *id)
{
	sqlite3_stmt *st;
	char now[21], *label, *details;
	int64_t rowid;
	int rc;

	if (wn_blank(f->label))
		return wn_error_set(WN_EINVALID, "a study needs a label (e.g. \"Wildman 2019\")");
	if (wn_study_find(store, f->label, id) == WN_OK)
		return wn_error_set(WN_EEXISTS, "there is already a study '%s'", f->label);
	wn_error_clear();
	if (!(st = wn_store_prepare(store,
		"INSERT INTO study (label, title, design, setting, country, registration, note, "
		"created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")))
		return WN_ERROR;
	wn_utc_now(now);
	wn_bind_text(st, 1, f->label);
	wn_bind_text(st, 2, f->title);
	wn_bind_text(st, 3, f->design);
	wn_bind_text(st, 4, f->setting);
	wn_bind_text(st, 5, f->country);
	wn_bind_text(st, 6, f->registration);
	wn_bind_text(st, 7, f->note);
	wn_bind_text(st, 8, now);
	if ((rc = wn_store_insert(store, st, "cannot add the study", &rowid)) != WN_OK)
		return rc;
	*id = rowid;
	label = wn_json_quote(f->label);
	details = xasprintf("{\"label\":%s}", label);
	rc = wn_audit_append(store, "study-add", "study", rowid, details);
	free(label);
	free(details);
	return rc;
}

int wn_study_add(struct wn_store *store, const struct wn_study_fields *f,
		 const char *const *reports, size_t nreports, long long *id)
{
	struct wn_study_link_result link;
	long long *linked = NULL;
	int rc;

	if ((rc = wn_store_begin(store)) != WN_OK)
		return rc;
	if ((rc = insert_study(store, f, id)) != WN_OK)
		goto fail;
	linked = xcalloc(nreports + 1, sizeof(*linked));
	for (size_t i = 0; i < nreports; i++) {
		long long report, record;

		/* the same report twice (perhaps by two of its records) would
		 * make the main report secondary */
		if ((rc = wn_record_lookup(store, reports[i], &record)) != WN_OK ||
		    (rc = wn_report_of(store, record, &report)) != WN_OK)
			goto fail;
		for (size_t j = 0; j < i; j++)
			if (linked[j] == report) {
				rc = wn_error_set(WN_EINVALID, "report %lld is given twice", report);
				goto fail;
			}
		linked[i] = report;
		if ((rc = link_report(store, *id, reports[i], i ? "secondary" : "main", &link)) != WN_OK)
			goto fail;
	}
	free(linked);
	return wn_store_commit(store);
fail:
	free(linked);
	wn_store_rollback(store);
	return rc;
}

/* "Wildman 2019" for a report: its first author's family name (or the
 * first words of its title) and year. */
char *wn_report_citation(const struct wn_record *rec)
{
	struct wn_author_name a;
	char *out;

	if (rec->authors.n && wn_author_parse(rec->authors.items[0], &a) == 0) {
		out = rec->year ? xasprintf("%s %d", a.family, rec->year) : xstrdup(a.family);
		wn_author_name_release(&a);
		return out;
	}
	if (rec->title && *rec->title) {
		size_t n = strcspn(rec->title, " :.,;");

		return rec->year ? xasprintf("%.*s %d", (int)n, rec->title, rec->year)
				 : xstrndup(rec->title, n);
	}
	return xstrdup("(no author)");
}

int wn_study_add_each_included(struct wn_store *store, long *created)
{
	long long *reports = NULL, id;
	size_t n = 0;
	int rc;

	*created = 0;
	if ((rc = wn_store_begin(store)) != WN_OK)
		return rc;
	if ((rc = wn_study_unlinked(store, &reports, &n)) != WN_OK)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		struct wn_report_view v;
		struct wn_study_fields f = { 0 };
		char *base, *label, ref[32];
		long long other;

		if ((rc = wn_report_load(store, reports[i], &v)) != WN_OK)
			goto fail;
		base = wn_report_citation(&v.rec);
		label = xstrdup(base);
		/* a taken label gets the next letter: "Wildman 2019b" */
		for (char c = 'b'; wn_study_find(store, label, &other) == WN_OK; c++) {
			free(label);
			label = c <= 'z' ? xasprintf("%s%c", base, c)
					 : xasprintf("%s (%lld)", base, reports[i]);
		}
		wn_error_clear();
		f.label = label;
		f.title = v.rec.title;
		snprintf(ref, sizeof(ref), "%lld", reports[i]);
		if ((rc = insert_study(store, &f, &id)) == WN_OK) {
			struct wn_study_link_result link;

			rc = link_report(store, id, ref, "main", &link);
		}
		free(base);
		free(label);
		wn_report_view_release(&v);
		if (rc != WN_OK)
			goto fail;
		(*created)++;
	}
	free(reports);
	return wn_store_commit(store);
fail:
	free(reports);
	*created = 0;
	wn_store_rollback(store);
	return rc;
}

int wn_study_link(struct wn_store *store, const char *study, const char *report, const char *role,
		  struct wn_study_link_result *out)
{
	long long id;
	int rc;

	if ((rc = wn_store_begin(store)) != WN_OK)
		return rc;
	if ((rc = wn_study_find(store, study, &id)) != WN_OK ||
	    (rc = link_report(store, id, report, role, out)) != WN_OK) {
		wn_store_rollback(store);
		return rc;
	}
	return wn_store_commit(store);
}

int wn_study_unlink(struct wn_store *store, const char *report, long long *study_id,
		    long long *report_id)
{
	sqlite3_stmt *st;
	long long record;
	char *details;
	int rc;

	if ((rc = wn_store_begin(store)) != WN_OK)
		return rc;
	/* an excluded report can be unlinked: that is how a link made before
	 * a decision changed is undone */
	if ((rc = wn_record_lookup(store, report, &record)) != WN_OK ||
	    (rc = wn_report_of(store, record, report_id)) != WN_OK ||
	    (rc = study_of_report(store, *report_id, study_id, NULL)) != WN_OK)
		goto fail;
	if (!*study_id) {
		rc = wn_error_set(WN_ENOTFOUND, "report %lld is in no study", *report_id);
		goto fail;
	}
	if (!(st = wn_store_prepare(store, "DELETE FROM study_report WHERE record_id IN " MEMBERS))) {
		rc = WN_ERROR;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, *report_id);
	if ((rc = wn_store_run(store, st, "cannot unlink the report")) != WN_OK)
		goto fail;
	details = xasprintf("{\"study\":%lld,\"report\":%lld}", *study_id, *report_id);
	rc = wn_audit_append(store, "study-unlink", "study_report", *report_id, details);
	free(details);
	if (rc != WN_OK)
		goto fail;
	return wn_store_commit(store);
fail:
	wn_store_rollback(store);
	return rc;
}

static char *column_or_null(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? NULL : xstrdup(wn_column_text(st, i));
}

/* The reports of a study, in role order (main first), then id. */
static int load_reports(struct wn_store *store, struct wn_study *s)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT rr.report_id, sr.role FROM study_report sr "
		"JOIN report_record rr ON rr.record_id = sr.record_id WHERE sr.study_id = ? "
		"ORDER BY CASE sr.role WHEN 'main' THEN 0 WHEN 'protocol' THEN 1 "
		"WHEN 'follow_up' THEN 2 WHEN 'secondary' THEN 3 ELSE 4 END, rr.report_id");
	size_t cap = 0;
	int step, rc = WN_OK;

	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, s->id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (s->nreports == cap) {
			cap = cap ? 2 * cap : 4;
			s->reports = xrealloc(s->reports, cap * sizeof(*s->reports));
		}
		memset(&s->reports[s->nreports], 0, sizeof(*s->reports));
		s->reports[s->nreports].report_id = sqlite3_column_int64(st, 0);
		s->reports[s->nreports].role = xstrdup(wn_column_text(st, 1));
		s->nreports++;
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		return wn_store_fail(store, "cannot read the study's reports");
	for (size_t i = 0; i < s->nreports && rc == WN_OK; i++) {
		struct wn_study_report *r = &s->reports[i];
		struct wn_report_view v;

		if ((rc = wn_report_load(store, r->report_id, &v)) != WN_OK)
			break;
		r->citation = wn_report_citation(&v.rec);
		r->title = xstrdup(v.rec.title ? v.rec.title : "");
		wn_report_view_release(&v);
		rc = wn_report_included(store, r->report_id);
		r->included = rc == WN_OK;
		if (rc == WN_EINVALID || rc == WN_ENOTFOUND)
			rc = WN_OK;
	}
	wn_error_clear();
	return rc;
}

#define STUDY_SELECT \
	"SELECT s.id, s.label, s.title, s.design, s.setting, s.country, s.registration, s.note, " \
	"s.created_at, (SELECT COUNT(*) FROM finding f WHERE f.study_id = s.id), " \
	"(SELECT COUNT(*) FROM appraisal a WHERE a.study_id = s.id) FROM study s "

static void study_from_row(sqlite3_stmt *st, struct wn_study *s)
{
	memset(s, 0, sizeof(*s));
	s->id = sqlite3_column_int64(st, 0);
	s->label = xstrdup(wn_column_text(st, 1));
	s->title = column_or_null(st, 2);
	s->design = column_or_null(st, 3);
	s->setting = column_or_null(st, 4);
	s->country = column_or_null(st, 5);
	s->registration = column_or_null(st, 6);
	s->note = column_or_null(st, 7);
	s->created_at = xstrdup(wn_column_text(st, 8));
	s->findings = sqlite3_column_int64(st, 9);
	s->appraisals = sqlite3_column_int64(st, 10);
}

int wn_study_get(struct wn_store *store, long long id, struct wn_study *out)
{
	sqlite3_stmt *st = wn_store_prepare(store, STUDY_SELECT "WHERE s.id = ?");
	int step, rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, id);
	if ((step = sqlite3_step(st)) == SQLITE_ROW)
		study_from_row(st, out);
	sqlite3_reset(st);
	if (step != SQLITE_ROW)
		return step == SQLITE_DONE ? wn_error_set(WN_ENOTFOUND, "no study %lld", id)
					   : wn_store_fail(store, "cannot read the study");
	if ((rc = load_reports(store, out)) != WN_OK)
		wn_study_release(out);
	return rc;
}

int wn_study_list(struct wn_store *store, struct wn_study **out, size_t *n)
{
	sqlite3_stmt *st = wn_store_prepare(store, STUDY_SELECT "ORDER BY s.label");
	size_t cap = 0;
	int step, rc = WN_OK;

	*out = NULL;
	*n = 0;
	if (!st)
		return WN_ERROR;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			*out = xrealloc(*out, cap * sizeof(**out));
		}
		study_from_row(st, &(*out)[(*n)++]);
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		rc = wn_store_fail(store, "cannot read the studies");
	for (size_t i = 0; i < *n && rc == WN_OK; i++)
		rc = load_reports(store, &(*out)[i]);
	if (rc != WN_OK) {
		wn_studies_release(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

void wn_study_release(struct wn_study *s)
{
	if (!s)
		return;
	free(s->label);
	free(s->title);
	free(s->design);
	free(s->setting);
	free(s->country);
	free(s->registration);
	free(s->note);
	free(s->created_at);
	for (size_t i = 0; i < s->nreports; i++) {
		free(s->reports[i].role);
		free(s->reports[i].citation);
		free(s->reports[i].title);
	}
	free(s->reports);
	memset(s, 0, sizeof(*s));
}

void wn_studies_release(struct wn_study *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		wn_study_release(&s[i]);
	free(s);
}

int wn_study_unlinked(struct wn_store *store, long long **out, size_t *n)
{
	long long *all, study;
	size_t nall;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = wn_included_reports(store, &all, &nall)) != WN_OK)
		return rc;
	for (size_t i = 0; i < nall; i++) {
		if ((rc = study_of_report(store, all[i], &study, NULL)) != WN_OK) {
			free(all);
			return rc;
		}
		if (!study)
			all[(*n)++] = all[i];
	}
	*out = all;
	return WN_OK;
}
