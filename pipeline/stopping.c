/*
 * The stopping rule at a stage (include/winnow/screening.h): how many of
 * the stage's reports are screened and relevant, the random sample drawn
 * from the rest, and the hypergeometric test on it (rank.c).
 *
 * A report is screened at the stage when a resolution, a person or a rule
 * has decided it there; relevant when the resolution includes it or,
 * without one, when any reviewer included it (or said maybe): the
 * cautious reading, which can only lower the recall claimed.
 *
 * The sample is every report not screened when it was drawn, in a seeded
 * random order, kept in the review. What counts as drawn is the run of it
 * screened from its start: reviewers who follow its order keep that run
 * random; a report of it screened out of order is counted as found
 * outside the sample, which the test allows for.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "screening_int.h"
#include "store_int.h"
#include "util.h"
#include "winnow/rank.h"
#include "winnow/screening.h"

enum { UNSCREENED = 0, IRRELEVANT = 1, RELEVANT = 2 };

struct status {
	long long *reports; /* reached the stage, in report order */
	unsigned char *state;
	size_t n;
	/* where each report is, by its id less the first's (0: not at the
	 * stage), when the ids are dense enough: a test in the screen looks
	 * up every report of the sample at every key */
	uint32_t *at;
	long long first;
	size_t span;
};

static int settings_valid(double target, double confidence)
{
	return target >= WN_STOP_RECALL_MIN && target < 1 && confidence > 0 && confidence < 1;
}

static int settings_refused(void)
{
	return wn_error_set(WN_EINVALID, "the target recall is a fraction from %g to below 1, "
			    "the confidence one between 0 and 1 (0.95)", WN_STOP_RECALL_MIN);
}

static unsigned char *state_of(const struct status *st, long long report)
{
	long long *at;

	if (st->at) {
		uint32_t i = report >= st->first && (unsigned long long)(report - st->first) < st->span
			? st->at[report - st->first] : 0;

		return i ? &st->state[i - 1] : NULL;
	}
	at = bsearch(&report, st->reports, st->n, sizeof(*st->reports), wn_cmp_id);
	return at ? &st->state[at - st->reports] : NULL;
}

static void index_reports(struct status *st)
{
	if (!st->n || st->n >= UINT32_MAX)
		return;
	st->first = st->reports[0];
	/* ids run in order: a span at most four times the count */
	if ((unsigned long long)(st->reports[st->n - 1] - st->first) >= 4ULL * st->n)
		return;
	st->span = (size_t)(st->reports[st->n - 1] - st->first) + 1;
	st->at = xcalloc(st->span, sizeof(*st->at));
	for (size_t i = 0; i < st->n; i++)
		st->at[st->reports[i] - st->first] = (uint32_t)i + 1;
}

/* Each report at the stage: unscreened, irrelevant or relevant. */
static int stage_status(struct wn_store *store, const struct wn_stage_info *s, struct status *out)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT rr.report_id, d.kind, d.decision FROM decision d "
		"JOIN report_record rr ON rr.record_id = d.record_id "
		"WHERE d.stage = ?1 AND NOT EXISTS (SELECT 1 FROM decision x WHERE x.supersedes = d.id) "
		"ORDER BY rr.report_id, d.id");
	long long last = -1;
	int step, rc, resolved = 0, human = 0;
	unsigned char *cur = NULL;

	memset(out, 0, sizeof(*out));
	if ((rc = wn_stage_reports(store, s, &out->reports, &out->n)) != WN_OK)
		return rc;
	out->state = xcalloc(out->n + 1, 1);
	index_reports(out);
	if (!st)
		return WN_ERROR;
	wn_bind_text(st, 1, s->name);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		long long report = sqlite3_column_int64(st, 0);
		const char *kind = wn_column_text(st, 1);
		int include = strcmp(wn_column_text(st, 2), "exclude") != 0;

		if (report != last) {
			last = report;
			resolved = human = 0;
			cur = state_of(out, report);
		}
		if (!cur)
			continue;
		if (!strcmp(kind, "resolution")) {
			*cur = include ? RELEVANT : IRRELEVANT;
			resolved = 1;
		} else if (resolved) {
			continue;
		} else if (!strcmp(kind, "human")) {
			*cur = include || (human && *cur == RELEVANT) ? RELEVANT : IRRELEVANT;
			human = 1;
		} else if (!human) {
			*cur = IRRELEVANT; /* a rule's exclusion */
		}
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? WN_OK : wn_store_fail(store, "cannot read the decisions");
}

static void status_release(struct status *st)
{
	free(st->reports);
	free(st->state);
	free(st->at);
}

/* The stage's latest sample: 0 in *id when none was drawn. */
static int last_sample(struct wn_store *store, const char *stage, struct wn_stop_status *out)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT id, seed, remaining, seen_before, started_at, actor, target, confidence "
		"FROM screen_sample "
		"WHERE stage = ? ORDER BY id DESC LIMIT 1");
	int step;

	if (!st)
		return WN_ERROR;
	wn_bind_text(st, 1, stage);
	if ((step = sqlite3_step(st)) == SQLITE_ROW) {
		out->sample_id = sqlite3_column_int64(st, 0);
		out->seed = (unsigned long long)sqlite3_column_int64(st, 1);
		out->test.remaining = (long)sqlite3_column_int64(st, 2);
		out->test.seen_before = (long)sqlite3_column_int64(st, 3);
		snprintf(out->sample_started, sizeof(out->sample_started), "%s", wn_column_text(st, 4));
		out->sample_actor = xstrdup(wn_column_text(st, 5));
		out->test.target = sqlite3_column_double(st, 6);
		out->test.confidence = sqlite3_column_double(st, 7);
	}
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? WN_OK
		: wn_store_fail(store, "cannot read the stopping samples");
}

int wn_stop_check(struct wn_store *store, const char *stage, double target, double confidence,
		  struct wn_stop_status *out)
{
	struct wn_stage_info s = { 0 };
	struct status st = { 0 };
	int rc;

	memset(out, 0, sizeof(*out));
	if ((target && !settings_valid(target, 0.95)) || (confidence && !settings_valid(0.95, confidence)))
		return settings_refused();
	if ((rc = wn_stage_find(store, stage, &s)) != WN_OK)
		return rc;
	out->stage = xstrdup(s.name);
	if ((rc = stage_status(store, &s, &st)) != WN_OK)
		goto done;
	out->reports = (long)st.n;
	for (size_t i = 0; i < st.n; i++) {
		out->screened += st.state[i] != UNSCREENED;
		out->relevant += st.state[i] == RELEVANT;
	}
	out->unscreened = out->reports - out->screened;
	if ((rc = last_sample(store, s.name, out)) != WN_OK)
		goto done;
	if (out->sample_id && ((target && target != out->test.target) ||
			       (confidence && confidence != out->test.confidence))) {
		rc = wn_error_set(WN_EINVALID, "the sample at %s was drawn to test %g%% recall at %g%% "
				  "confidence; a test at other settings, chosen after seeing it, "
				  "would not hold", s.name, 100 * out->test.target,
				  100 * out->test.confidence);
		goto done;
	}
	if (!out->sample_id) {
		out->test.target = target ? target : 0.95;
		out->test.confidence = confidence ? confidence : 0.95;
		/* no sample yet: how large one would need to be, if it found
		 * nothing relevant */
		out->test.remaining = out->unscreened;
		out->test.seen_before = out->relevant;
		wn_stop_test_bounds(&out->test);
		goto done;
	} else {
		sqlite3_stmt *q = wn_store_prepare(store,
			"SELECT report_id FROM screen_sample_report WHERE sample_id = ? "
			"ORDER BY position");
		int step, prefix = 1;
		long pool_unscreened = 0;

		if (!q) {
			rc = WN_ERROR;
			goto done;
		}
		sqlite3_bind_int64(q, 1, out->sample_id);
		while ((step = sqlite3_step(q)) == SQLITE_ROW) {
			unsigned char *state = state_of(&st, sqlite3_column_int64(q, 0));

			if (!state) {
				/* no longer at the stage (merged into another report,
				 * or out at a stage before): out of the pool */
				out->left++;
				continue;
			}
			pool_unscreened += *state == UNSCREENED;
			if (prefix && *state != UNSCREENED) {
				out->test.drawn++;
				out->test.found += *state == RELEVANT;
			} else {
				prefix = 0;
				out->found_outside += *state == RELEVANT;
			}
		}
		sqlite3_reset(q);
		if (step != SQLITE_DONE) {
			rc = wn_store_fail(store, "cannot read the stopping sample");
			goto done;
		}
		out->test.remaining -= out->left;
		out->newcomers = out->unscreened - pool_unscreened;
		out->test.found_outside = out->found_outside;
		wn_stop_test_bounds(&out->test);
	}
done:
	status_release(&st);
	free(s.name);
	if (rc != WN_OK)
		wn_stop_status_release(out);
	return rc;
}

void wn_stop_status_release(struct wn_stop_status *c)
{
	free(c->stage);
	free(c->sample_actor);
	memset(c, 0, sizeof(*c));
}

int wn_stop_sample_start(struct wn_store *store, const char *stage, unsigned long long seed,
			 double target, double confidence, long long *id, long *size)
{
	struct wn_stage_info s = { 0 };
	struct status st = { 0 };
	struct wn_stop_status had = { 0 };
	long long *urn = NULL;
	long n = 0, relevant = 0;
	sqlite3_stmt *ins;
	char now[21], *details;
	int64_t row;
	int rc;

	*id = 0;
	*size = 0;
	if (!settings_valid(target, confidence))
		return settings_refused();
	if ((rc = wn_stage_find(store, stage, &s)) != WN_OK)
		return rc;
	if ((rc = wn_store_begin(store)) != WN_OK)
		goto out;
	if ((rc = last_sample(store, s.name, &had)) != WN_OK)
		goto fail;
	if (had.sample_id) {
		rc = wn_error_set(WN_EINVALID, "a sample was drawn at %s on %s by %s, and it "
				  "stands: drawing again until one looks good would void the test",
				  s.name, had.sample_started, had.sample_actor);
		goto fail;
	}
	if ((rc = stage_status(store, &s, &st)) != WN_OK)
		goto fail;
	urn = xmalloc((st.n + 1) * sizeof(*urn));
	for (size_t i = 0; i < st.n; i++) {
		if (st.state[i] == UNSCREENED)
			urn[n++] = st.reports[i];
		relevant += st.state[i] == RELEVANT;
	}
	if (!n) {
		rc = wn_error_set(WN_EINVALID, "every report at %s is screened: nothing is left "
				  "to sample", s.name);
		goto fail;
	}
	wn_shuffle(urn, (size_t)n, sizeof(*urn), seed);
	if (!(ins = wn_store_prepare(store,
		"INSERT INTO screen_sample (stage, seed, remaining, seen_before, started_at, actor, "
		"target, confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"))) {
		rc = WN_ERROR;
		goto fail;
	}
	wn_utc_now(now);
	wn_bind_text(ins, 1, s.name);
	sqlite3_bind_int64(ins, 2, (sqlite3_int64)seed);
	sqlite3_bind_int64(ins, 3, n);
	sqlite3_bind_int64(ins, 4, relevant);
	wn_bind_text(ins, 5, now);
	wn_bind_text(ins, 6, store->actor ? store->actor : "unknown");
	sqlite3_bind_double(ins, 7, target);
	sqlite3_bind_double(ins, 8, confidence);
	if ((rc = wn_store_insert(store, ins, "cannot record the sample", &row)) != WN_OK)
		goto fail;
	if (!(ins = wn_store_prepare(store,
		"INSERT INTO screen_sample_report (sample_id, position, report_id) VALUES (?, ?, ?)"))) {
		rc = WN_ERROR;
		goto fail;
	}
	for (long i = 0; i < n && rc == WN_OK; i++) {
		sqlite3_bind_int64(ins, 1, row);
		sqlite3_bind_int64(ins, 2, i + 1);
		sqlite3_bind_int64(ins, 3, urn[i]);
		rc = sqlite3_step(ins) == SQLITE_DONE ? WN_OK
			: wn_store_fail(store, "cannot record the sample");
		sqlite3_reset(ins);
	}
	if (rc != WN_OK)
		goto fail;
	{
		char *name = wn_json_quote(s.name);

		details = xasprintf("{\"stage\":%s,\"seed\":%llu,\"remaining\":%ld,"
				    "\"seen_before\":%ld,\"target\":%g,\"confidence\":%g}", name, seed,
				    n, relevant, target, confidence);
		free(name);
	}
	rc = wn_audit_append(store, "stop.sample", "screen_sample", row, details);
	free(details);
	if (rc != WN_OK)
		goto fail;
	if ((rc = wn_store_commit(store)) == WN_OK) {
		*id = row;
		*size = n;
	}
	goto out;
fail:
	wn_store_rollback(store);
	*id = 0;
out:
	wn_stop_status_release(&had);
	status_release(&st);
	free(urn);
	free(s.name);
	return rc;
}

int wn_stop_sample_queue(struct wn_store *store, const char *stage, const char *reviewer,
			 struct wn_screen_queue *out)
{
	struct wn_stop_status had = { 0 };
	struct wn_screen_queue q;
	size_t n = 0;
	sqlite3_stmt *st;
	int rc, step;

	memset(out, 0, sizeof(*out));
	if ((rc = wn_screen_queue(store, stage, reviewer, &q)) != WN_OK)
		return rc;
	if ((rc = last_sample(store, stage, &had)) != WN_OK)
		goto done;
	if (!had.sample_id) {
		rc = wn_error_set(WN_EINVALID, "no random sample has been drawn at %s yet: "
				  "winnow stop-check --stage %s --start-sample", stage, stage);
		goto done;
	}
	/* the queue's reports (in report order: sorted), in the sample's order */
	out->reports = xmalloc((q.n + 1) * sizeof(*out->reports));
	out->done = q.done;
	if (!(st = wn_store_prepare(store,
		"SELECT report_id FROM screen_sample_report WHERE sample_id = ? ORDER BY position"))) {
		rc = WN_ERROR;
		goto done;
	}
	sqlite3_bind_int64(st, 1, had.sample_id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		long long report = sqlite3_column_int64(st, 0);

		if (bsearch(&report, q.reports, q.n, sizeof(*q.reports), wn_cmp_id))
			out->reports[n++] = report;
	}
	sqlite3_reset(st);
	out->n = n;
	if (step != SQLITE_DONE)
		rc = wn_store_fail(store, "cannot read the stopping sample");
done:
	wn_stop_status_release(&had);
	wn_screen_queue_release(&q);
	if (rc != WN_OK)
		wn_screen_queue_release(out);
	return rc;
}
