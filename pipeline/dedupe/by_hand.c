/*
 * What people do to clusters: merge two records, take one out of its
 * cluster, decide a queued pair; and the list of pairs. Each change is a
 * decision row (append-only, superseding the last one on the pair) with an
 * audit entry naming who, in the same transaction, so that a later run
 * keeps to it.
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "dedupe/dedupe_int.h"
#include "store_int.h"
#include "util.h"
#include "winnow/dedupe.h"

static int record_exists(struct wn_store *store, long long id, int64_t *cluster)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT r.id, m.cluster_id FROM record r "
		"LEFT JOIN cluster_member m ON m.record_id = r.id WHERE r.id = ?");
	int step;

	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, id);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*cluster = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	if (step == SQLITE_DONE)
		return wn_error_set(WN_ENOTFOUND, "there is no record %lld", id);
	return step == SQLITE_ROW ? WN_OK : wn_store_fail(store, "cannot read a record");
}

/* A dedupe_run row for changes made by hand (pairs need a run). */
static int manual_run(struct wn_store *store, int64_t *id)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"INSERT INTO dedupe_run (started_at, finished_at, method) VALUES (?1, ?1, 'by hand')");
	char now[21];

	if (!st)
		return WN_ERROR;
	wn_utc_now(now);
	wn_bind_text(st, 1, now);
	return wn_store_insert(store, st, "cannot record the change", id);
}

/* Every member of the clusters (or the lone records) a and b, with their
 * clusters, for wn_dedupe_unite. */
static int gather(struct wn_store *store, int64_t a, int64_t ca, int64_t b, int64_t cb,
		  int64_t **members, int64_t **clusters, size_t *n)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT record_id, cluster_id FROM cluster_member WHERE cluster_id IN (?, ?)");
	size_t cap = 16;
	int step;

	*n = 0;
	*members = xmalloc(cap * sizeof(**members));
	*clusters = xmalloc(cap * sizeof(**clusters));
	if (!ca) {
		(*members)[*n] = a;
		(*clusters)[(*n)++] = 0;
	}
	if (!cb) {
		(*members)[*n] = b;
		(*clusters)[(*n)++] = 0;
	}
	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, ca);
	sqlite3_bind_int64(st, 2, cb);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap *= 2;
			*members = xrealloc(*members, cap * sizeof(**members));
			*clusters = xrealloc(*clusters, cap * sizeof(**clusters));
		}
		(*members)[*n] = sqlite3_column_int64(st, 0);
		(*clusters)[(*n)++] = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? WN_OK : wn_store_fail(store, "cannot read a cluster");
}

static int join_clusters(struct wn_store *store, int64_t a, int64_t ca, int64_t b, int64_t cb,
			 int64_t *into)
{
	int64_t *members = NULL, *clusters = NULL;
	size_t n = 0;
	char *pref = wn_dedupe_source_preference(store);
	int rc = gather(store, a, ca, b, cb, &members, &clusters, &n);

	if (rc == WN_OK)
		rc = wn_dedupe_unite(store, members, clusters, n, pref, into);
	free(members);
	free(clusters);
	free(pref);
	return rc;
}

static int audit(struct wn_store *store, const char *action, int64_t entity_id, long long a,
		 long long b, const char *reason)
{
	char *details;
	int rc;

	if (reason) {
		char *quoted = wn_json_quote(reason);

		details = xasprintf("{\"records\":[%lld,%lld],\"reason\":%s}", a, b, quoted);
		free(quoted);
	} else {
		details = xasprintf("{\"records\":[%lld,%lld]}", a, b);
	}
	rc = wn_audit_append(store, action, "dedupe_pair", entity_id, details);
	free(details);
	return rc;
}

/* Evidence for a pair decided by hand, so that it shows what the rules
 * would have said. */
static int pair_evidence(struct wn_store *store, long long a, long long b, double *score,
			 char **evidence)
{
	sqlite3_stmt *st;
	struct wn_profile p[2];
	int n = 0;

	if (wn_dedupe_find_numbered_issues(store, NULL) < 0 ||
	    !(st = wn_store_prepare(store, "SELECT " WN_PROFILE_COLUMNS
					   " FROM record r WHERE r.id IN (?, ?) ORDER BY r.id")))
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	while (n < 2 && sqlite3_step(st) == SQLITE_ROW)
		wn_profile_from_row(st, &p[n++]);
	sqlite3_reset(st);
	if (n == 2) {
		struct wn_dedupe_thresholds t;
		struct wn_evidence e;
		struct wn_judgement j;

		wn_dedupe_load_thresholds(store, &t);
		wn_evidence_collect(&p[0], &p[1], &e);
		wn_judge(&p[0], &p[1], &e, &t, &j);
		*score = j.score;
		*evidence = wn_evidence_json(&e, &j);
	}
	for (int i = 0; i < n; i++)
		wn_profile_release(&p[i]);
	return n == 2 ? WN_OK : wn_error_set(WN_ENOTFOUND, "records %lld and %lld: not found", a, b);
}

/* Decide a pair of records by hand, within a transaction. */
static int decide_records(struct wn_store *store, int64_t run, long long a, long long b,
			  const char *decision, const char *reason, int64_t *pair_id)
{
	double score = 0;
	char *evidence = NULL;
	int rc = pair_evidence(store, a, b, &score, &evidence);

	if (rc == WN_OK)
		rc = wn_dedupe_store_pair(store, run, a, b, score, evidence, decision,
					  store->actor ? store->actor : "unknown", reason, pair_id);
	free(evidence);
	return rc;
}

int wn_dedupe_merge(struct wn_store *store, long long a, long long b, const char *reason)
{
	int64_t ca = 0, cb = 0, run = 0, pair = 0;
	int rc;

	if (a == b)
		return wn_error_set(WN_EINVALID, "a record cannot be merged with itself");
	if ((rc = wn_store_begin(store)) < 0)
		return rc;
	if ((rc = record_exists(store, a, &ca)) < 0 || (rc = record_exists(store, b, &cb)) < 0)
		goto done;
	if (ca && ca == cb) {
		rc = wn_error_set(WN_EEXISTS, "records %lld and %lld are already in one cluster", a, b);
		goto done;
	}
	if ((rc = manual_run(store, &run)) < 0 ||
	    (rc = decide_records(store, run, a, b, "duplicate", reason, &pair)) < 0 ||
	    (rc = join_clusters(store, a, ca, b, cb, NULL)) < 0 ||
	    (rc = audit(store, "dedupe.merge", pair, a, b, reason)) < 0)
		goto done;
	rc = wn_store_commit(store);
done:
	if (rc < 0)
		wn_store_rollback(store);
	return rc;
}

/* Take `record` out of cluster `cluster`; the others stay together (a
 * cluster of one is no cluster). */
static int leave_cluster(struct wn_store *store, long long record, int64_t cluster)
{
	sqlite3_stmt *del = wn_store_prepare(store, "DELETE FROM cluster_member WHERE record_id = ?");
	sqlite3_stmt *lone = wn_store_prepare(store,
		"DELETE FROM cluster_member WHERE cluster_id = ?1 AND "
		"(SELECT count(*) FROM cluster_member WHERE cluster_id = ?1) = 1");
	char *pref;
	int rc;

	if (!del || !lone)
		return WN_ERROR;
	sqlite3_bind_int64(del, 1, record);
	if ((rc = wn_store_run(store, del, "cannot take the record out of its cluster")) < 0)
		return rc;
	sqlite3_bind_int64(lone, 1, cluster);
	if ((rc = wn_store_run(store, lone, "cannot take the record out of its cluster")) < 0 ||
	    (rc = wn_dedupe_drop_empty(store, cluster)) != 0)
		return rc < 0 ? rc : WN_OK; /* the cluster is gone: no primary to choose */
	pref = wn_dedupe_source_preference(store);
	rc = wn_dedupe_choose_primary(store, cluster, pref);
	free(pref);
	return rc;
}

int wn_dedupe_split(struct wn_store *store, long long record, const char *reason)
{
	sqlite3_stmt *others;
	int64_t cluster = 0, run = 0;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int rc, step;

	if ((rc = wn_store_begin(store)) < 0)
		return rc;
	if ((rc = record_exists(store, record, &cluster)) < 0)
		goto done;
	if (!cluster) {
		rc = wn_error_set(WN_EINVALID, "record %lld is not in a cluster", record);
		goto done;
	}
	others = wn_store_prepare(store,
		"SELECT record_id FROM cluster_member WHERE cluster_id = ? AND record_id <> ?");
	if (!others) {
		rc = WN_ERROR;
		goto done;
	}
	sqlite3_bind_int64(others, 1, cluster);
	sqlite3_bind_int64(others, 2, record);
	while ((step = sqlite3_step(others)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			ids = xrealloc(ids, cap * sizeof(*ids));
		}
		ids[n++] = sqlite3_column_int64(others, 0);
	}
	sqlite3_reset(others);
	if (step != SQLITE_DONE) {
		rc = wn_store_fail(store, "cannot read the cluster");
		goto done;
	}
	/* not a duplicate of any of them: a later run keeps them apart */
	rc = manual_run(store, &run);
	for (size_t i = 0; i < n && rc == WN_OK; i++)
		rc = decide_records(store, run, record, ids[i], "not_duplicate", reason, NULL);
	if (rc == WN_OK)
		rc = leave_cluster(store, record, cluster);
	if (rc == WN_OK)
		rc = audit(store, "dedupe.split", cluster, record, n ? ids[0] : 0, reason);
	if (rc == WN_OK)
		rc = wn_store_commit(store);
done:
	if (rc < 0)
		wn_store_rollback(store);
	free(ids);
	return rc;
}

int wn_dedupe_decide(struct wn_store *store, long long pair_id, const char *decision,
		     const char *reason)
{
	sqlite3_stmt *st;
	long long a = 0, b = 0;
	int64_t ca = 0, cb = 0, run = 0;
	int rc, step;

	if (strcmp(decision, "duplicate") && strcmp(decision, "not_duplicate") &&
	    strcmp(decision, "related"))
		return wn_error_set(WN_EINVALID, "'%s' is not a decision on a pair "
				    "(duplicate, not_duplicate or related)", decision);
	if ((rc = wn_store_begin(store)) < 0)
		return rc;
	st = wn_store_prepare(store, "SELECT record_a, record_b, run_id FROM dedupe_pair WHERE id = ?");
	if (!st) {
		rc = WN_ERROR;
		goto done;
	}
	sqlite3_bind_int64(st, 1, pair_id);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		a = sqlite3_column_int64(st, 0);
		b = sqlite3_column_int64(st, 1);
		run = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	if (step != SQLITE_ROW) {
		rc = step == SQLITE_DONE ? wn_error_set(WN_ENOTFOUND, "there is no pair %lld", pair_id)
					 : wn_store_fail(store, "cannot read the pair");
		goto done;
	}
	if ((rc = record_exists(store, a, &ca)) < 0 || (rc = record_exists(store, b, &cb)) < 0 ||
	    (rc = wn_dedupe_store_pair(store, run, a, b, 0, NULL, decision,
				       store->actor ? store->actor : "unknown", reason, NULL)) < 0)
		goto done;
	if (!strcmp(decision, "duplicate") && !(ca && ca == cb))
		rc = join_clusters(store, a, ca, b, cb, NULL);
	else if (strcmp(decision, "duplicate") && ca && ca == cb)
		rc = leave_cluster(store, b, cb);
	if (rc == WN_OK && !strcmp(decision, "related"))
		rc = wn_dedupe_store_relation(store, a, b, "related",
					      store->actor ? store->actor : "unknown", NULL);
	if (rc == WN_OK)
		rc = audit(store, !strcmp(decision, "duplicate") ? "dedupe.same"
				  : !strcmp(decision, "related") ? "dedupe.related"
								  : "dedupe.different",
			   pair_id, a, b, reason);
	if (rc == WN_OK)
		rc = wn_store_commit(store);
done:
	if (rc < 0)
		wn_store_rollback(store);
	return rc;
}

/* The records of a pair's two clusters, as wn_dedupe_undo regroups them. */
struct group {
	int64_t *members, *clusters;
	size_t n;
	size_t *root; /* union-find over members[] */
};

static size_t group_find(struct group *g, size_t i)
{
	while (g->root[i] != i)
		i = g->root[i] = g->root[g->root[i]];
	return i;
}

struct member {
	int64_t record, cluster;
};

static int member_cmp(const void *x, const void *y)
{
	const struct member *a = x, *b = y;

	return (a->record > b->record) - (a->record < b->record);
}

/* Members in record order, so that a pair's records are found by
 * bisection: a cluster's pairs can number its members squared. */
static void group_sort(struct group *g)
{
	struct member *m = xmalloc(g->n * sizeof(*m));

	for (size_t i = 0; i < g->n; i++)
		m[i] = (struct member){ g->members[i], g->clusters[i] };
	qsort(m, g->n, sizeof(*m), member_cmp);
	for (size_t i = 0; i < g->n; i++) {
		g->members[i] = m[i].record;
		g->clusters[i] = m[i].cluster;
	}
	free(m);
}

static size_t group_index(const struct group *g, int64_t record)
{
	size_t lo = 0, hi = g->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (g->members[mid] < record)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < g->n && g->members[lo] == record ? lo : g->n;
}

/* Join the members that a pair still decided 'duplicate' links. */
static int group_link(struct wn_store *store, struct group *g)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT p.record_a, p.record_b FROM dedupe_pair p "
		WN_PAIR_DECISION_IN_FORCE
		"WHERE d.decision = 'duplicate' AND p.record_a IN (SELECT value FROM json_each(?1)) "
		"AND p.record_b IN (SELECT value FROM json_each(?1))");
	struct wn_buf ids = WN_BUF_INIT;
	int step;

	if (!st)
		return WN_ERROR;
	wn_buf_addc(&ids, '[');
	for (size_t i = 0; i < g->n; i++)
		wn_buf_addf(&ids, "%s%lld", i ? "," : "", (long long)g->members[i]);
	wn_buf_addc(&ids, ']');
	wn_bind_text(st, 1, ids.data);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		size_t a = group_index(g, sqlite3_column_int64(st, 0));
		size_t b = group_index(g, sqlite3_column_int64(st, 1));

		if (a < g->n && b < g->n)
			g->root[group_find(g, a)] = group_find(g, b);
	}
	sqlite3_reset(st);
	wn_buf_release(&ids);
	return step == SQLITE_DONE ? WN_OK : wn_store_fail(store, "cannot read the cluster's pairs");
}

/* Rebuild the clusters of g's records from the pairs decided 'duplicate'
 * among them: each connected group keeps or gets a cluster, a record linked
 * to none leaves. */
static int regroup(struct wn_store *store, struct group *g)
{
	int64_t *part = xmalloc(g->n * sizeof(*part)), *was = xmalloc(g->n * sizeof(*was));
	int64_t *claimed = xcalloc(g->n + 1, sizeof(*claimed));
	sqlite3_stmt *leave = wn_store_prepare(store, "DELETE FROM cluster_member WHERE record_id = ?");
	char *pref = wn_dedupe_source_preference(store);
	size_t nclaimed = 0;
	int rc = leave ? group_link(store, g) : WN_ERROR;

	for (size_t r = 0; r < g->n && rc == WN_OK; r++) {
		size_t n = 0;

		if (group_find(g, r) != r)
			continue;
		for (size_t i = 0; i < g->n; i++) {
			if (group_find(g, i) != r)
				continue;
			part[n] = g->members[i];
			/* a cluster already given to another group is not this one's */
			was[n] = g->clusters[i];
			for (size_t k = 0; k < nclaimed; k++)
				if (claimed[k] == was[n])
					was[n] = 0;
			n++;
		}
		if (n == 1) {
			sqlite3_bind_int64(leave, 1, part[0]);
			rc = wn_store_run(store, leave, "cannot take a record out of its cluster");
		} else {
			rc = wn_dedupe_unite(store, part, was, n, pref, &claimed[nclaimed++]);
		}
	}
	/* primaries last: a group's primary may have moved to a later group */
	for (size_t i = 0; i < g->n && rc == WN_OK; i++) {
		int seen = !g->clusters[i], gone;

		for (size_t k = 0; k < i && !seen; k++)
			seen = g->clusters[k] == g->clusters[i];
		if (seen)
			continue;
		if ((gone = wn_dedupe_drop_empty(store, g->clusters[i])) < 0)
			rc = gone;
		else if (!gone)
			rc = wn_dedupe_choose_primary(store, g->clusters[i], pref);
	}
	free(part);
	free(was);
	free(claimed);
	free(pref);
	return rc;
}

int wn_dedupe_undo(struct wn_store *store, long long pair_id, const char *reason)
{
	sqlite3_stmt *st;
	struct group g = { NULL, NULL, 0, NULL };
	long long a = 0, b = 0;
	int64_t ca = 0, cb = 0, run = 0;
	char *last = NULL, *actor = NULL, *before = NULL, *previous_reason = NULL;
	int rc, step;

	if ((rc = wn_store_begin(store)) < 0)
		return rc;
	/* the pair's last two decisions, newest first */
	st = wn_store_prepare(store,
		"SELECT p.record_a, p.record_b, d.decision, d.actor, d.reason, p.run_id FROM dedupe_pair p "
		"JOIN pair_decision d ON d.pair_id = p.id WHERE p.id = ? ORDER BY d.id DESC LIMIT 2");
	if (!st) {
		rc = WN_ERROR;
		goto done;
	}
	sqlite3_bind_int64(st, 1, pair_id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (!last) {
			a = sqlite3_column_int64(st, 0);
			b = sqlite3_column_int64(st, 1);
			last = xstrdup(wn_column_text(st, 2));
			actor = xstrdup(wn_column_text(st, 3));
			run = sqlite3_column_int64(st, 5);
		} else {
			before = xstrdup(wn_column_text(st, 2));
			if (sqlite3_column_type(st, 4) != SQLITE_NULL)
				previous_reason = xstrdup(wn_column_text(st, 4));
		}
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		rc = wn_store_fail(store, "cannot read the pair");
		goto done;
	}
	if (!last) {
		rc = wn_error_set(WN_ENOTFOUND, "there is no pair %lld", pair_id);
		goto done;
	}
	if (!strcmp(actor, "auto") || !before) {
		rc = wn_error_set(WN_EINVALID, !strcmp(actor, "auto")
				  ? "pair %lld has no decision by a person to undo"
				  : "pair %lld was made by hand (dedupe merge or split): "
				    "decide it, or split the record, instead", pair_id);
		goto done;
	}
	/* the decision before comes back, by whoever undoes; both stay on record */
	if ((rc = record_exists(store, a, &ca)) < 0 || (rc = record_exists(store, b, &cb)) < 0 ||
	    (rc = wn_dedupe_store_pair(store, run, a, b, 0, NULL, before,
				       store->actor ? store->actor : "unknown",
				       previous_reason, NULL)) < 0)
		goto done;
	if (!strcmp(last, "related")) {
		sqlite3_stmt *del = wn_store_prepare(store,
			"DELETE FROM record_relation WHERE record_id = ? AND related_id = ? "
			"AND kind = 'related' AND actor <> 'auto'");

		if (!del) {
			rc = WN_ERROR;
			goto done;
		}
		sqlite3_bind_int64(del, 1, a);
		sqlite3_bind_int64(del, 2, b);
		if ((rc = wn_store_run(store, del, "cannot remove the link")) < 0)
			goto done;
	}
	if ((rc = gather(store, a, ca, b, cb, &g.members, &g.clusters, &g.n)) < 0)
		goto done;
	group_sort(&g);
	g.root = xmalloc(g.n * sizeof(*g.root));
	for (size_t i = 0; i < g.n; i++)
		g.root[i] = i;
	if ((rc = regroup(store, &g)) < 0 ||
	    (rc = audit(store, "dedupe.undo", pair_id, a, b, reason)) < 0)
		goto done;
	rc = wn_store_commit(store);
done:
	if (rc < 0)
		wn_store_rollback(store);
	free(g.members);
	free(g.clusters);
	free(g.root);
	free(last);
	free(actor);
	free(before);
	free(previous_reason);
	return rc;
}

static const char *const pair_statuses[][2] = {
	{ "pending", "queued" },
	{ "merged", "duplicate" },
	{ "rejected", "not_duplicate" },
	{ "related", "related" },
};

const char *wn_pair_status_of(const char *decision)
{
	for (size_t i = 0; i < sizeof(pair_statuses) / sizeof(pair_statuses[0]); i++)
		if (!strcmp(decision, pair_statuses[i][1]))
			return pair_statuses[i][0];
	return NULL;
}

const char *wn_pair_decision_of(const char *status)
{
	for (size_t i = 0; i < sizeof(pair_statuses) / sizeof(pair_statuses[0]); i++)
		if (!strcmp(status, pair_statuses[i][0]))
			return pair_statuses[i][1];
	return NULL;
}

/* pending: the decision in force is 'queued'; merged: 'duplicate';
 * rejected: 'not_duplicate'; related: 'related'. */
int wn_dedupe_each_pair(struct wn_store *store, const char *status, wn_dedupe_pair_fn fn,
			void *ctx)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT p.id, p.record_a, p.record_b, p.score, d.decision, d.reason, d.actor, "
		"d.decided_at, p.evidence, ra.title, rb.title FROM dedupe_pair p "
		WN_PAIR_DECISION_IN_FORCE
		"JOIN record ra ON ra.id = p.record_a JOIN record rb ON rb.id = p.record_b "
		"WHERE ?1 IS NULL OR d.decision = ?1 ORDER BY p.score DESC, p.id");
	const char *want = NULL;
	int rc = WN_OK, step;

	if (status && !(want = wn_pair_decision_of(status)))
		return wn_error_set(WN_EINVALID, "'%s' is not a pair status "
				    "(pending, merged, rejected or related)", status);
	if (!st)
		return WN_ERROR;
	wn_bind_text(st, 1, want);
	while (rc == WN_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		struct wn_dedupe_pair p;
		const char *status_now = wn_pair_status_of(wn_column_text(st, 4));

		p.id = sqlite3_column_int64(st, 0);
		p.record_a = sqlite3_column_int64(st, 1);
		p.record_b = sqlite3_column_int64(st, 2);
		p.score = sqlite3_column_double(st, 3);
		p.status = status_now ? status_now : "pending";
		p.rule = wn_column_text(st, 5);
		p.actor = wn_column_text(st, 6);
		p.decided_at = wn_column_text(st, 7);
		p.evidence = wn_column_text(st, 8);
		p.title_a = wn_column_text(st, 9);
		p.title_b = wn_column_text(st, 10);
		rc = fn(ctx, &p);
	}
	if (rc == WN_OK && step != SQLITE_DONE && step != SQLITE_ROW)
		rc = wn_store_fail(store, "cannot read the pairs");
	sqlite3_reset(st);
	return rc;
}
