/*
 * Decisions by people (include/winnow/screening.h). A report's outcome at
 * a stage is worked out here for that one report, with indexed queries,
 * the way the report_stage_outcome view works it out for all of them:
 * a resolution decides; else a rule's exclusion; else, once as many
 * reviewers as the stage requires have decided, their agreement (or a
 * conflict); else it is pending.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "screening_int.h"
#include "store_int.h"
#include "util.h"
#include "winnow/protocol.h"
#include "winnow/record.h"
#include "winnow/screening.h"

int wn_record_lookup(struct wn_store *store, const char *ref, long long *id)
{
	const char *sql;
	char *key = NULL;
	sqlite3_stmt *st;
	int step;

	if (*ref && strspn(ref, "0123456789") == strlen(ref)) {
		sql = "SELECT id FROM record WHERE id = ?";
		key = xstrdup(ref);
	} else if (!strncasecmp(ref, "pmid:", 5)) {
		sql = "SELECT id FROM record WHERE pmid = ? ORDER BY id LIMIT 1";
		key = wn_normalize_pmid(ref + 5);
	} else if (!strncasecmp(ref, "doi:", 4)) {
		sql = "SELECT id FROM record WHERE doi = ? ORDER BY id LIMIT 1";
		key = wn_normalize_doi(ref + 4);
	} else {
		return wn_error_set(WN_EINVALID, "'%s' is not a record: give its id, pmid:N or doi:X",
				    ref);
	}
	if (!key)
		return wn_error_set(WN_EINVALID, "'%s' is not a well-formed %s", ref,
				    !strncasecmp(ref, "pmid:", 5) ? "PMID" : "DOI");
	if (!(st = wn_store_prepare(store, sql))) {
		free(key);
		return WN_ERROR;
	}
	wn_bind_text(st, 1, key);
	step = sqlite3_step(st);
	*id = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	free(key);
	if (step == SQLITE_ROW)
		return WN_OK;
	if (step != SQLITE_DONE)
		return wn_store_fail(store, "cannot look the record up");
	return wn_error_set(WN_ENOTFOUND, "no record %s in the review", ref);
}

int wn_report_of(struct wn_store *store, long long record, long long *report)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT c.primary_record_id FROM cluster_member m "
		"JOIN dedupe_cluster c ON c.id = m.cluster_id WHERE m.record_id = ?");
	int step;

	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, record);
	step = sqlite3_step(st);
	*report = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : record;
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? WN_OK
							 : wn_store_fail(store, "cannot read the clusters");
}

void wn_stage_from_row(sqlite3_stmt *st, struct wn_stage_info *s)
{
	s->name = xstrdup(wn_column_text(st, 0));
	s->position = sqlite3_column_int(st, 1);
	s->required = sqlite3_column_int(st, 2);
	s->sample.key = sqlite3_column_int64(st, 3);
	s->sample.below = sqlite3_column_int64(st, 4);
}

int wn_stage_find(struct wn_store *store, const char *name, struct wn_stage_info *s)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT " STAGE_COLUMNS ", "
		"position = (SELECT MIN(position) FROM stage) FROM stage WHERE name = ?");
	int step;

	if (!st)
		return WN_ERROR;
	wn_bind_text(st, 1, name);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		wn_stage_from_row(st, s);
		s->first = sqlite3_column_int(st, 5);
	}
	sqlite3_reset(st);
	if (step == SQLITE_ROW)
		return WN_OK;
	if (step != SQLITE_DONE)
		return wn_store_fail(store, "cannot read the stages");
	return wn_error_set(WN_ENOTFOUND, "no stage '%s' in the review's protocol", name);
}

/* The report's outcome at a stage, into out (include, exclude, conflict
 * or pending), and (st_out, may be NULL) what stands on it. */
const char *wn_outcome_judge(const char *resolution, int by_rule, long n, int required,
			     const char *lo, const char *hi)
{
	if (resolution)
		return resolution;
	if (by_rule)
		return "exclude";
	if (n < required)
		return "pending";
	return lo && hi && !strcmp(lo, hi) && strcmp(lo, "maybe") ? lo : "conflict";
}

int wn_stage_outcome(struct wn_store *store, long long report, const struct wn_stage_info *s,
			 const char *reviewer, char *out, size_t cap, struct wn_standing *st_out)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT d.id, d.reviewer, d.kind, d.decision, d.record_id FROM decision d "
		"WHERE d.stage = ?2 AND d.record_id IN " MEMBERS " AND NOT EXISTS "
		"(SELECT 1 FROM decision x WHERE x.supersedes = d.id) ORDER BY d.id DESC");
	struct wn_standing sd = { 0 };
	struct wn_strlist seen = { 0 };
	char res[16] = "", low[16] = "", high[16] = "";
	int step;

	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, report);
	wn_bind_text(st, 2, s->name);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *who = wn_column_text(st, 1), *kind = wn_column_text(st, 2);
		const char *d = wn_column_text(st, 3);
		int dup = 0;

		if (!strcmp(kind, "resolution")) {
			if (!sd.resolution) {
				snprintf(res, sizeof(res), "%s", d);
				sd.resolution = sqlite3_column_int64(st, 0);
				sd.resolution_record = sqlite3_column_int64(st, 4);
			}
			continue;
		}
		if (!strcmp(kind, "rule")) {
			sd.by_rule |= !strcmp(d, "exclude");
			continue;
		}
		/* the latest of each reviewer's (rows come newest first) */
		for (size_t i = 0; i < seen.n && !dup; i++)
			dup = !strcmp(seen.items[i], who);
		if (dup)
			continue;
		wn_strlist_add(&seen, who);
		if (reviewer && !strcmp(who, reviewer)) {
			sd.mine = sqlite3_column_int64(st, 0);
			sd.mine_record = sqlite3_column_int64(st, 4);
		}
		if (!*low || strcmp(d, low) < 0)
			snprintf(low, sizeof(low), "%s", d);
		if (!*high || strcmp(d, high) > 0)
			snprintf(high, sizeof(high), "%s", d);
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		wn_strlist_clear(&seen);
		return wn_store_fail(store, "cannot read the decisions");
	}
	snprintf(out, cap, "%s", wn_outcome_judge(sd.resolution ? res : NULL, sd.by_rule,
						   (long)seen.n, wn_stage_required(s, report), low,
						   high));
	wn_strlist_clear(&seen);
	if (st_out)
		*st_out = sd;
	return WN_OK;
}

/* Has the report reached the stage: included at every stage before it? */
int wn_stages_before(struct wn_store *store, const struct wn_stage_info *s,
		     struct wn_stage_info **before, size_t *n)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT " STAGE_COLUMNS " FROM stage WHERE position < ? ORDER BY position");
	int step;

	*before = NULL;
	*n = 0;
	if (!st)
		return WN_ERROR;
	sqlite3_bind_int(st, 1, s->position);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		*before = xrealloc(*before, (*n + 1) * sizeof(**before));
		memset(&(*before)[*n], 0, sizeof(**before));
		wn_stage_from_row(st, &(*before)[(*n)++]);
	}
	sqlite3_reset(st);
	if (step == SQLITE_DONE)
		return WN_OK;
	wn_stages_release(*before, *n);
	*before = NULL;
	*n = 0;
	return wn_store_fail(store, "cannot read the stages");
}

void wn_stages_release(struct wn_stage_info *stages, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(stages[i].name);
	free(stages);
}

int wn_stage_reached(struct wn_store *store, long long report, const struct wn_stage_info *s)
{
	struct wn_stage_info *before;
	size_t n;
	int rc = wn_stages_before(store, s, &before, &n);

	for (size_t i = 0; i < n && rc == WN_OK; i++) {
		char outcome[16];

		if ((rc = wn_stage_outcome(store, report, &before[i], NULL, outcome, sizeof(outcome),
					NULL)) == WN_OK && strcmp(outcome, "include"))
			rc = wn_error_set(WN_EINVALID, "report %lld has not reached stage %s: "
					  "at %s it is %s", report, s->name, before[i].name,
					  !strcmp(outcome, "exclude") ? "excluded" : outcome);
	}
	wn_stages_release(before, n);
	return rc;
}

/* The reason as the protocol spells it, when the stage lists reasons:
 * required to exclude at a stage after the first. */
static int check_reason(struct wn_store *store, const struct wn_stage_info *s,
			const struct wn_decision_input *in, char **canonical)
{
	const struct wn_protocol *proto;
	const struct wn_strlist *reasons = NULL;
	struct wn_buf list = WN_BUF_INIT;
	int rc = WN_OK;

	*canonical = in->reason && *in->reason ? xstrdup(in->reason) : NULL;
	if (!(proto = wn_protocol_in_force(store)))
		return WN_OK;
	for (size_t i = 0; i < proto->nstages; i++)
		if (!strcmp(proto->stages[i].name, s->name))
			reasons = &proto->stages[i].reasons;
	if (reasons && reasons->n && !strcmp(in->decision, "exclude") &&
	    (*canonical || !s->first)) {
		size_t i;

		for (i = 0; *canonical && i < reasons->n; i++)
			if (!strcasecmp(reasons->items[i], *canonical))
				break;
		if (*canonical && i < reasons->n) {
			free(*canonical);
			*canonical = xstrdup(reasons->items[i]);
		} else {
			for (i = 0; i < reasons->n; i++)
				wn_buf_addf(&list, "%s'%s'", i ? ", " : "", reasons->items[i]);
			rc = wn_error_set(WN_EINVALID, "%s at %s needs one of the protocol's reasons: %s",
					  *canonical ? "that reason is not one of them; excluding"
						     : "excluding", s->name, wn_buf_str(&list));
			wn_buf_release(&list);
		}
	}
	return rc;
}

static int record_decision(struct wn_store *store, const struct wn_decision_input *in,
			   struct wn_decision_result *out, int resolution)
{
	struct wn_stage_info s = { 0 };
	struct wn_standing sd;
	char *reason = NULL, now[21];
	int64_t id;
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!in->reviewer || !*in->reviewer)
		return wn_error_set(WN_EINVALID, "say who decides (--reviewer, or $WINNOW_REVIEWER)");
	if (!strncmp(in->reviewer, "rule:", 5))
		return wn_error_set(WN_EINVALID, "'%s' is a rule's name, not a reviewer's", in->reviewer);
	if (strcmp(in->decision, "include") && strcmp(in->decision, "exclude") &&
	    (resolution || strcmp(in->decision, "maybe")))
		return wn_error_set(WN_EINVALID, "the decision is include, exclude%s, not '%s'",
				    resolution ? "" : " or maybe", in->decision);
	if (resolution && (!in->reason || !*in->reason))
		return wn_error_set(WN_EINVALID, "a resolution needs its reason (--reason)");
	if (!strncasecmp(in->reviewer, "rule:", 5))
		return wn_error_set(WN_EINVALID, "'%s' is a rule's name, not a reviewer's", in->reviewer);
	if ((rc = wn_store_begin(store)) != WN_OK)
		return rc;
	if ((rc = wn_stage_find(store, in->stage, &s)) != WN_OK ||
	    (rc = wn_record_lookup(store, in->record, &out->record_id)) != WN_OK ||
	    (rc = wn_report_of(store, out->record_id, &out->report_id)) != WN_OK ||
	    (rc = wn_stage_reached(store, out->report_id, &s)) != WN_OK ||
	    (rc = check_reason(store, &s, in, &reason)) != WN_OK ||
	    (rc = wn_stage_outcome(store, out->report_id, &s, in->reviewer, out->outcome,
				sizeof(out->outcome), &sd)) != WN_OK)
		goto fail;
	/* a resolution settles a conflict, replaces an earlier resolution, or
	 * overrules a rule's exclusion: people have the last word */
	if (resolution && strcmp(out->outcome, "conflict") && !sd.resolution && !sd.by_rule) {
		rc = wn_error_set(WN_EINVALID, "report %lld is not in conflict at %s: it is %s",
				  out->report_id, s.name, out->outcome);
		goto fail;
	}
	if (!(st = wn_store_prepare(store,
		"INSERT INTO decision(record_id, stage, reviewer, kind, decision, reason, note, "
		"made_at, supersedes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"))) {
		rc = WN_ERROR;
		goto fail;
	}
	/* a change of mind stays on the record the first decision was on (a
	 * merge since may have made another record the report's) */
	out->superseded = resolution ? sd.resolution : sd.mine;
	wn_utc_now(now);
	sqlite3_bind_int64(st, 1, !out->superseded ? out->report_id
				  : resolution ? sd.resolution_record : sd.mine_record);
	wn_bind_text(st, 2, s.name);
	wn_bind_text(st, 3, in->reviewer);
	wn_bind_text(st, 4, resolution ? "resolution" : "human");
	wn_bind_text(st, 5, in->decision);
	wn_bind_text(st, 6, reason);
	wn_bind_text(st, 7, in->note && *in->note ? in->note : NULL);
	wn_bind_text(st, 8, now);
	if (out->superseded)
		sqlite3_bind_int64(st, 9, out->superseded);
	else
		sqlite3_bind_null(st, 9);
	if ((rc = wn_store_insert(store, st, "cannot record the decision", &id)) != WN_OK ||
	    (rc = wn_stage_outcome(store, out->report_id, &s, NULL, out->outcome,
				sizeof(out->outcome), NULL)) != WN_OK)
		goto fail;
	out->decision_id = id;
	{
		char *details = xasprintf("{\"report\":%lld,\"stage\":\"%s\",\"decision\":\"%s\"}",
					  out->report_id, s.name, in->decision);

		rc = wn_audit_append(store, resolution ? "resolve" : "decide", "decision", id,
				     details);
		free(details);
		if (rc < 0)
			goto fail;
	}
	free(reason);
	free(s.name);
	return wn_store_commit(store);
fail:
	free(reason);
	free(s.name);
	wn_store_rollback(store);
	return rc;
}

int wn_decide(struct wn_store *store, const struct wn_decision_input *in,
	      struct wn_decision_result *out)
{
	return record_decision(store, in, out, 0);
}

int wn_resolve(struct wn_store *store, const struct wn_decision_input *in,
	       struct wn_decision_result *out)
{
	return record_decision(store, in, out, 1);
}

int wn_conflicts_each(struct wn_store *store, const char *stage,
		      int (*fn)(void *ctx, const struct wn_conflict *c), void *ctx)
{
	sqlite3_stmt *list, *each;
	struct wn_stage_info s = { 0 };
	int step, rc = WN_OK;

	if ((rc = wn_stage_find(store, stage, &s)) != WN_OK)
		return rc;
	if (sqlite3_prepare_v2(store->db,
		"SELECT o.report_id, r.title FROM report_stage_outcome o JOIN record r "
		"ON r.id = o.report_id WHERE o.stage = ? AND o.eligible AND o.outcome = 'conflict' "
		"ORDER BY o.report_id", -1, &list, NULL) != SQLITE_OK) {
		free(s.name);
		return wn_store_fail(store, "cannot read the conflicts");
	}
	wn_bind_text(list, 1, s.name);
	each = wn_store_prepare(store,
		"SELECT d.reviewer, d.decision, d.reason FROM decision d "
		"WHERE d.stage = ?2 AND d.kind = 'human' AND d.record_id IN " MEMBERS
		" AND NOT EXISTS (SELECT 1 FROM decision x WHERE x.supersedes = d.id) "
		"AND d.id = (SELECT MAX(e.id) FROM decision e WHERE e.stage = d.stage "
		"AND e.kind = 'human' AND e.reviewer = d.reviewer AND e.record_id IN " MEMBERS
		" AND NOT EXISTS (SELECT 1 FROM decision y WHERE y.supersedes = e.id)) "
		"ORDER BY d.reviewer");
	while (rc == WN_OK && each && (step = sqlite3_step(list)) == SQLITE_ROW) {
		struct wn_strlist who = { 0 }, what = { 0 };
		const char *reasons[64];
		char *reason_copy[64];
		struct wn_conflict c;
		int s2;

		memset(&c, 0, sizeof(c));
		c.report_id = sqlite3_column_int64(list, 0);
		c.title = wn_column_text(list, 1);
		sqlite3_bind_int64(each, 1, c.report_id);
		wn_bind_text(each, 2, s.name);
		while ((s2 = sqlite3_step(each)) == SQLITE_ROW && who.n < 64) {
			const char *why = (const char *)sqlite3_column_text(each, 2);

			reason_copy[who.n] = why ? xstrdup(why) : NULL;
			reasons[who.n] = reason_copy[who.n];
			wn_strlist_add(&who, wn_column_text(each, 0));
			wn_strlist_add(&what, wn_column_text(each, 1));
		}
		sqlite3_reset(each);
		c.n = who.n;
		c.reviewers = (const char *const *)who.items;
		c.decisions = (const char *const *)what.items;
		c.reasons = reasons;
		if (s2 != SQLITE_DONE && s2 != SQLITE_ROW)
			rc = wn_store_fail(store, "cannot read the decisions");
		else if (fn(ctx, &c))
			step = SQLITE_DONE, rc = 1;
		for (size_t i = 0; i < who.n; i++)
			free(reason_copy[i]);
		wn_strlist_clear(&who);
		wn_strlist_clear(&what);
	}
	if (!each)
		rc = WN_ERROR;
	else if (rc == WN_OK && step != SQLITE_DONE)
		rc = wn_store_fail(store, "cannot read the conflicts");
	sqlite3_finalize(list);
	free(s.name);
	return rc < 0 ? rc : WN_OK;
}

/* The last stage: where full texts are read. */
int wn_last_stage(struct wn_store *store, struct wn_stage_info *s)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT name FROM stage ORDER BY position DESC LIMIT 1");
	char *name = NULL;
	int step, rc;

	if (!st)
		return WN_ERROR;
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		name = xstrdup(wn_column_text(st, 0));
	sqlite3_reset(st);
	if (step != SQLITE_ROW)
		return step == SQLITE_DONE
			? wn_error_set(WN_ENOTFOUND, "the review has no screening stages yet (load a protocol)")
			: wn_store_fail(store, "cannot read the stages");
	rc = wn_stage_find(store, name, s);
	free(name);
	return rc;
}

int wn_report_included(struct wn_store *store, long long report)
{
	struct wn_stage_info s = { 0 };
	char outcome[16];
	int rc;

	if ((rc = wn_last_stage(store, &s)) != WN_OK)
		return rc;
	if ((rc = wn_stage_reached(store, report, &s)) == WN_EINVALID) {
		/* "report 3 is not included (report 3 has not reached ...)" */
		char *why = xstrdup(wn_error_last());

		rc = wn_error_set(WN_EINVALID, "report %lld is not included (%s)", report, why);
		free(why);
	} else if (rc == WN_OK &&
	    (rc = wn_stage_outcome(store, report, &s, NULL, outcome, sizeof(outcome), NULL)) == WN_OK &&
	    strcmp(outcome, "include"))
		rc = wn_error_set(WN_EINVALID, "report %lld is not included: at %s it is %s", report,
				  s.name, !strcmp(outcome, "exclude") ? "excluded" : outcome);
	free(s.name);
	return rc;
}

int wn_included_reports(struct wn_store *store, long long **out, size_t *n)
{
	struct wn_stage_info s = { 0 };
	sqlite3_stmt *st;
	long long *candidates = NULL;
	size_t ncand = 0, cap = 0;
	int step, rc;

	*out = NULL;
	*n = 0;
	if ((rc = wn_last_stage(store, &s)) != WN_OK)
		return rc;
	/* a report is included only if something included it at the last
	 * stage: those few are checked one by one with indexed queries */
	if (!(st = wn_store_prepare(store,
		"SELECT DISTINCT rr.report_id FROM decision d "
		"JOIN report_record rr ON rr.record_id = d.record_id "
		"WHERE d.stage = ? AND d.decision = 'include' ORDER BY 1"))) {
		free(s.name);
		return WN_ERROR;
	}
	wn_bind_text(st, 1, s.name);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (ncand == cap) {
			cap = cap ? 2 * cap : 64;
			candidates = xrealloc(candidates, cap * sizeof(*candidates));
		}
		candidates[ncand++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	free(s.name);
	if (step != SQLITE_DONE) {
		free(candidates);
		return wn_store_fail(store, "cannot read the included reports");
	}
	for (size_t i = 0; i < ncand; i++) {
		if ((rc = wn_report_included(store, candidates[i])) == WN_OK)
			candidates[(*n)++] = candidates[i];
		else if (rc != WN_EINVALID) {
			free(candidates);
			*n = 0;
			return rc;
		}
	}
	wn_error_clear();
	*out = candidates;
	return WN_OK;
}

int wn_fulltext(struct wn_store *store, const char *record, int retrieved, const char *file,
		const char *reason, struct wn_fulltext_result *out)
{
	struct wn_stage_info s = { 0 };
	long long on_record = 0;
	sqlite3_stmt *st;
	char now[21];
	int64_t id;
	int rc;

	memset(out, 0, sizeof(*out));
	if (file) {
		char *data;
		size_t len;

		/* read before the transaction: a missing file changes nothing */
		if ((rc = wn_read_file(file, (size_t)1 << 31, &data, &len)) < 0)
			return rc;
		wn_sha256_hex(data, len, out->sha256);
		free(data);
	}
	if ((rc = wn_store_begin(store)) != WN_OK)
		return rc;
	if ((rc = wn_last_stage(store, &s)) != WN_OK ||
	    (rc = wn_record_lookup(store, record, &out->record_id)) != WN_OK ||
	    (rc = wn_report_of(store, out->record_id, &out->report_id)) != WN_OK ||
	    (rc = wn_stage_reached(store, out->report_id, &s)) != WN_OK)
		goto fail;
	if (!(st = wn_store_prepare(store,
		"SELECT f.id, f.record_id FROM fulltext f WHERE f.record_id IN " MEMBERS " AND NOT EXISTS "
		"(SELECT 1 FROM fulltext x WHERE x.supersedes = f.id) ORDER BY f.id DESC LIMIT 1"))) {
		rc = WN_ERROR;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, out->report_id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out->superseded = sqlite3_column_int64(st, 0);
		on_record = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		rc = wn_store_fail(store, "cannot read the full texts");
		goto fail;
	}
	if (!(st = wn_store_prepare(store,
		"INSERT INTO fulltext(record_id, status, path, sha256, note, actor, at, supersedes) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?)"))) {
		rc = WN_ERROR;
		goto fail;
	}
	wn_utc_now(now);
	/* a new entry stays on the record the one it replaces is on */
	sqlite3_bind_int64(st, 1, on_record ? on_record : out->report_id);
	wn_bind_text(st, 2, retrieved ? "retrieved" : "not_retrieved");
	wn_bind_text(st, 3, file);
	wn_bind_text(st, 4, *out->sha256 ? out->sha256 : NULL);
	wn_bind_text(st, 5, reason && *reason ? reason : NULL);
	wn_bind_text(st, 6, store->actor);
	wn_bind_text(st, 7, now);
	if (out->superseded)
		sqlite3_bind_int64(st, 8, out->superseded);
	else
		sqlite3_bind_null(st, 8);
	if ((rc = wn_store_insert(store, st, "cannot record the full text", &id)) != WN_OK)
		goto fail;
	out->id = id;
	{
		char *details = xasprintf("{\"report\":%lld,\"status\":\"%s\"}", out->report_id,
					  retrieved ? "retrieved" : "not_retrieved");

		rc = wn_audit_append(store, "fulltext", "fulltext", id, details);
		free(details);
		if (rc < 0)
			goto fail;
	}
	free(s.name);
	return wn_store_commit(store);
fail:
	free(s.name);
	wn_store_rollback(store);
	return rc;
}
