/*
 * Appraisals: each reviewer's answers to an instrument's items for a
 * study, consensus answers that settle disagreements, and the table of
 * studies by items that a paper publishes (include/winnow/appraisal.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "appraisal_int.h"
#include "audit.h"
#include "csv_rows.h"
#include "store_int.h"
#include "util.h"
#include "winnow/appraisal.h"
#include "winnow/protocol.h"
#include "winnow/synth.h"

/* The instrument named, or the protocol's, or the one the review holds. */
static int default_instrument(struct wn_store *store, const char *name, char **out)
{
	const struct wn_protocol *proto;
	sqlite3_stmt *st;
	int step, rc = WN_OK;

	*out = NULL;
	if (name) {
		*out = xstrdup(name);
		return WN_OK;
	}
	if ((proto = wn_protocol_in_force(store))) {
		const char *v = wn_protocol_get(proto, "appraisal", NULL, "instrument");

		if (v) {
			*out = xstrdup(v);
			return WN_OK;
		}
	}
	if (!(st = wn_store_prepare(store, "SELECT DISTINCT name FROM instrument LIMIT 2")))
		return WN_ERROR;
	while ((step = sqlite3_step(st)) == SQLITE_ROW && !rc) {
		if (*out) {
			free(*out);
			*out = NULL;
			rc = wn_error_set(WN_EINVALID, "the review holds several instruments: say which "
					  "(--instrument NAME)");
		} else {
			*out = xstrdup(wn_column_text(st, 0));
		}
	}
	sqlite3_reset(st);
	if (!rc && step != SQLITE_DONE && step != SQLITE_ROW)
		return wn_store_fail(store, "cannot read the instruments");
	if (!rc && !*out)
		rc = wn_error_set(WN_ENOTFOUND, "no instrument: name one (--instrument casp-qualitative) "
				  "or set it in the protocol ([appraisal] instrument)");
	return rc;
}

int wn_appraisal_instrument(struct wn_store *store, const char *name, struct wn_instrument *out)
{
	char *chosen;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = default_instrument(store, name, &chosen)) != WN_OK)
		return rc;
	rc = wn_instrument_find(store, chosen, out, NULL, NULL);
	free(chosen);
	return rc;
}

/* The appraisal row of a reviewer (or a consensus) on a study with an
 * instrument; created when `create` (inside a transaction). *id is 0
 * when there is none. *category (to free, may be NULL) is its category. */
static int appraisal_row(struct wn_store *store, long long study, long long instrument,
			 const char *reviewer, int consensus, int create, long long *id,
			 char **category)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT id, category FROM appraisal WHERE study_id = ? AND instrument_id = ? "
		"AND reviewer = ? AND kind = ?");
	const char *kind = consensus ? "consensus" : "independent";
	int step, rc;

	*id = 0;
	*category = NULL;
	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, study);
	sqlite3_bind_int64(st, 2, instrument);
	wn_bind_text(st, 3, reviewer);
	wn_bind_text(st, 4, kind);
	if ((step = sqlite3_step(st)) == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		if (sqlite3_column_type(st, 1) != SQLITE_NULL)
			*category = xstrdup(wn_column_text(st, 1));
	}
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return wn_store_fail(store, "cannot read the appraisals");
	if (*id || !create)
		return WN_OK;
	if (!(st = wn_store_prepare(store,
		"INSERT INTO appraisal (study_id, instrument_id, reviewer, kind, started_at) "
		"VALUES (?, ?, ?, ?, ?)")))
		return WN_ERROR;
	{
		char now[21];
		int64_t rowid;

		wn_utc_now(now);
		sqlite3_bind_int64(st, 1, study);
		sqlite3_bind_int64(st, 2, instrument);
		wn_bind_text(st, 3, reviewer);
		wn_bind_text(st, 4, kind);
		wn_bind_text(st, 5, now);
		if ((rc = wn_store_insert(store, st, "cannot start the appraisal", &rowid)) != WN_OK)
			return rc;
		*id = rowid;
	}
	return WN_OK;
}

/* The answer in force of an appraisal to an item: its row id (0 for
 * none), answer and comment (to free). */
static int answer_in_force(struct wn_store *store, long long appraisal, const char *item,
			   long long *id, char **answer, char **comment)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT a.id, a.answer, a.comment FROM appraisal_answer a WHERE a.appraisal_id = ? "
		"AND a.item_code = ? AND NOT EXISTS (SELECT 1 FROM appraisal_answer x "
		"WHERE x.supersedes = a.id) ORDER BY a.id DESC LIMIT 1");
	int step;

	*id = 0;
	*answer = *comment = NULL;
	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, appraisal);
	wn_bind_text(st, 2, item);
	if ((step = sqlite3_step(st)) == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*answer = xstrdup(wn_column_text(st, 1));
		if (sqlite3_column_type(st, 2) != SQLITE_NULL)
			*comment = xstrdup(wn_column_text(st, 2));
	}
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? WN_OK
		: wn_store_fail(store, "cannot read the answers");
}

/* The allowed answers of an item, for messages: "Yes, Can't tell or No
 * (y, c, n)". */
static void allowed(const struct wn_instrument_item *it, struct wn_buf *b)
{
	for (size_t j = 0; j < it->nanswers; j++)
		wn_buf_addf(b, "%s%s", j == 0 ? "" : j + 1 == it->nanswers ? " or " : ", ",
			    it->answers[j].label);
	wn_buf_adds(b, " (");
	for (size_t j = 0; j < it->nanswers; j++)
		wn_buf_addf(b, "%s%c", j ? ", " : "", it->answers[j].key);
	wn_buf_addc(b, ')');
}

/* The answer as stored: the label an answer or key names. */
static int canonical_answer(const struct wn_instrument_item *it, const char *given,
			    const char **out)
{
	struct wn_buf b = WN_BUF_INIT;
	const char *g = given ? given : "";
	int rc;

	while (wn_is_space((unsigned char)*g))
		g++;
	if (it->free_text) {
		if (wn_blank(g))
			return wn_error_set(WN_EINVALID, "item %s is answered in words, and the "
					    "answer is empty", it->code);
		*out = given;
		return WN_OK;
	}
	for (size_t j = 0; j < it->nanswers; j++) {
		size_t n = strlen(g);

		while (n && wn_is_space((unsigned char)g[n - 1]))
			n--;
		if ((n == 1 && tolower((unsigned char)g[0]) == it->answers[j].key) ||
		    (n == strlen(it->answers[j].label) && !strncasecmp(g, it->answers[j].label, n))) {
			*out = it->answers[j].label;
			return WN_OK;
		}
	}
	allowed(it, &b);
	rc = wn_error_set(WN_EINVALID, "item %s is answered %s, not '%s'", it->code, b.data, g);
	wn_buf_release(&b);
	return rc;
}

static void category_list(const struct wn_instrument *in, struct wn_buf *b)
{
	for (size_t i = 0; i < in->ncategories; i++)
		wn_buf_addf(b, "%s%s", i ? ", " : "", in->categories[i].code);
}

/* The category the appraisal is of, after `given` (may be NULL): checked
 * against the instrument, and stored on the appraisal when it changes. */
static int settle_category(struct wn_store *store, const struct wn_instrument *in,
			   long long appraisal, const char *given, char **category, int *changed)
{
	const struct wn_instrument_category *c;
	struct wn_buf b = WN_BUF_INIT;
	sqlite3_stmt *st;
	int rc;

	if (!in->ncategories) {
		if (given && *given)
			return wn_error_set(WN_EINVALID, "instrument %s has no study categories",
					    in->name);
		return WN_OK;
	}
	if (!given || !*given) {
		if (*category)
			return WN_OK;
		category_list(in, &b);
		rc = wn_error_set(WN_EINVALID, "%s appraises a study as one of its categories: say "
				  "which (--category %s)", in->name, b.data);
		wn_buf_release(&b);
		return rc;
	}
	if (!(c = wn_instrument_category(in, given))) {
		category_list(in, &b);
		rc = wn_error_set(WN_EINVALID, "%s has no category '%s' (categories: %s)", in->name,
				  given, b.data);
		wn_buf_release(&b);
		return rc;
	}
	if (*category && !strcmp(*category, c->code))
		return WN_OK;
	free(*category);
	*category = xstrdup(c->code);
	*changed = 1;
	if (!(st = wn_store_prepare(store, "UPDATE appraisal SET category = ? WHERE id = ?")))
		return WN_ERROR;
	wn_bind_text(st, 1, c->code);
	sqlite3_bind_int64(st, 2, appraisal);
	return wn_store_run(store, st, "cannot set the appraisal's category");
}

static int store_answer(struct wn_store *store, long long appraisal,
			const struct wn_instrument_item *it, const char *answer, const char *comment,
			struct wn_appraisal_result *out)
{
	char *old_answer, *old_comment, now[21];
	long long old;
	sqlite3_stmt *st;
	int rc;

	if ((rc = answer_in_force(store, appraisal, it->code, &old, &old_answer, &old_comment)) != WN_OK)
		return rc;
	/* a new answer keeps the comment unless one is given ("" clears it) */
	if (!comment)
		comment = old_comment;
	if (old && !strcmp(old_answer, answer) &&
	    !strcmp(old_comment ? old_comment : "", comment ? comment : "")) {
		out->unchanged++;
		free(old_answer);
		free(old_comment);
		return WN_OK;
	}
	free(old_answer);
	if (!(st = wn_store_prepare(store,
		"INSERT INTO appraisal_answer (appraisal_id, item_code, answer, comment, answered_at, "
		"supersedes) VALUES (?, ?, ?, ?, ?, ?)"))) {
		free(old_comment);
		return WN_ERROR;
	}
	wn_utc_now(now);
	sqlite3_bind_int64(st, 1, appraisal);
	wn_bind_text(st, 2, it->code);
	wn_bind_text(st, 3, answer);
	wn_bind_text(st, 4, comment && *comment ? comment : NULL);
	wn_bind_text(st, 5, now);
	if (old)
		sqlite3_bind_int64(st, 6, old);
	else
		sqlite3_bind_null(st, 6);
	if ((rc = wn_store_run(store, st, "cannot store the answer")) == WN_OK)
		out->stored++;
	free(old_comment);
	return rc;
}

/* Items asked of the category that the appraisal has no answer to. */
static int count_remaining(struct wn_store *store, const struct wn_instrument *in,
			   long long appraisal, const char *category, long *remaining)
{
	*remaining = 0;
	for (size_t i = 0; i < in->nitems; i++) {
		char *a, *c;
		long long id;
		int rc;

		if (!wn_instrument_applies(&in->items[i], category))
			continue;
		if ((rc = answer_in_force(store, appraisal, in->items[i].code, &id, &a, &c)) != WN_OK)
			return rc;
		*remaining += !id;
		free(a);
		free(c);
	}
	return WN_OK;
}

/* An item that exists and is asked of the study's category. */
static int check_item(const struct wn_instrument *ins, const struct wn_instrument_item *it,
		      const char *named, const char *category)
{
	const struct wn_instrument_category *c;

	if (!it)
		return wn_error_set(WN_EINVALID, "%s has no item '%s' (items: %s to %s)", ins->name,
				    named ? named : "", ins->items[0].code,
				    ins->items[ins->nitems - 1].code);
	if (!wn_instrument_applies(it, category)) {
		c = wn_instrument_category(ins, it->category);
		return wn_error_set(WN_EINVALID, "item %s is asked of %s studies, and this one is "
				    "appraised as %s", it->code, c ? c->label : it->category,
				    category);
	}
	return WN_OK;
}

int wn_appraise(struct wn_store *store, const struct wn_appraisal_input *in,
		struct wn_appraisal_result *out)
{
	struct wn_instrument ins = { 0 };
	struct wn_buf items = WN_BUF_INIT;
	char *category = NULL, *details, *qreviewer, *qname;
	const struct wn_instrument_item **items_of;
	const char **canon, **comment_of;
	long long instrument_id;
	int rc, category_changed = 0;

	memset(out, 0, sizeof(*out));
	if (wn_blank(in->reviewer))
		return wn_error_set(WN_EINVALID, "say who appraises (--reviewer NAME)");
	if (!in->nanswers && wn_blank(in->category))
		return wn_error_set(WN_EINVALID, "no answers given");
	if ((rc = wn_store_begin(store)) != WN_OK)
		return rc;
	items_of = xcalloc(in->nanswers + 1, sizeof(*items_of));
	canon = xcalloc(in->nanswers + 1, sizeof(*canon));
	comment_of = xcalloc(in->nanswers + 1, sizeof(*comment_of));
	if ((rc = wn_study_find(store, in->study, &out->study_id)) != WN_OK ||
	    (rc = wn_appraisal_instrument(store, in->instrument, &ins)) != WN_OK ||
	    (rc = wn_instrument_store(store, &ins, &instrument_id, &out->instrument_loaded)) != WN_OK ||
	    (rc = appraisal_row(store, out->study_id, instrument_id, in->reviewer, in->consensus, 1,
				&out->appraisal_id, &category)) != WN_OK ||
	    (rc = settle_category(store, &ins, out->appraisal_id, in->category, &category,
				  &category_changed)) != WN_OK)
		goto fail;
	/* the items answered (in order where none is named), then comments
	 * alone joined to their answer, here or in force, then storing */
	for (size_t i = 0, next = 0; i < in->nanswers; i++) {
		const struct wn_answer_input *a = &in->answers[i];
		const struct wn_instrument_item *it = NULL;

		if (a->item) {
			it = wn_instrument_item(&ins, a->item);
		} else {
			/* answers in order: the next item asked of the category */
			while (next < ins.nitems && !wn_instrument_applies(&ins.items[next], category))
				next++;
			if (next == ins.nitems) {
				rc = wn_error_set(WN_EINVALID, "%zu answers given in order, and %s asks "
						  "fewer questions of this study", in->nanswers, ins.name);
				goto fail;
			}
			it = &ins.items[next++];
		}
		if ((rc = check_item(&ins, it, a->item, category)) != WN_OK)
			goto fail;
		items_of[i] = it;
		comment_of[i] = a->comment;
		if (!a->answer)
			continue;
		for (size_t j = 0; j < i; j++)
			if (items_of[j] == it && in->answers[j].answer) {
				rc = wn_error_set(WN_EINVALID, "item %s is answered twice", it->code);
				goto fail;
			}
		if ((rc = canonical_answer(it, a->answer, &canon[i])) != WN_OK)
			goto fail;
	}
	for (size_t i = 0; i < in->nanswers; i++) {
		size_t j;

		if (in->answers[i].answer)
			continue;
		for (j = 0; j < in->nanswers && !(items_of[j] == items_of[i] && canon[j]); j++)
			;
		if (j < in->nanswers) {
			comment_of[j] = in->answers[i].comment;
			continue;
		}
		/* a comment on the answer already given */
		{
			char *old_answer, *old_comment;
			long long old;

			if ((rc = answer_in_force(store, out->appraisal_id, items_of[i]->code, &old,
						  &old_answer, &old_comment)) != WN_OK)
				goto fail;
			free(old_comment);
			if (!old) {
				rc = wn_error_set(WN_EINVALID, "a comment on item %s, which %s has not "
						  "answered", items_of[i]->code, in->reviewer);
				goto fail;
			}
			rc = store_answer(store, out->appraisal_id, items_of[i], old_answer,
					  in->answers[i].comment, out);
			free(old_answer);
			if (rc != WN_OK)
				goto fail;
			qname = wn_json_quote(items_of[i]->code);
			wn_buf_addf(&items, "%s%s", items.len ? "," : "", qname);
			free(qname);
		}
	}
	for (size_t i = 0; i < in->nanswers; i++) {
		if (!canon[i])
			continue;
		if ((rc = store_answer(store, out->appraisal_id, items_of[i], canon[i], comment_of[i],
				       out)) != WN_OK)
			goto fail;
		qname = wn_json_quote(items_of[i]->code);
		wn_buf_addf(&items, "%s%s", items.len ? "," : "", qname);
		free(qname);
	}
	if ((rc = count_remaining(store, &ins, out->appraisal_id, category, &out->remaining)) != WN_OK)
		goto fail;
	if (!out->stored && !category_changed)
		goto done; /* nothing changed: nothing to audit */
	qreviewer = wn_json_quote(in->reviewer);
	qname = wn_json_quote(ins.name);
	details = xasprintf("{\"study\":%lld,\"instrument\":%s,\"reviewer\":%s,\"kind\":\"%s\","
			    "\"category\":%s%s%s,\"items\":[%s]}", out->study_id, qname, qreviewer,
			    in->consensus ? "consensus" : "independent", category ? "\"" : "",
			    category ? category : "null", category ? "\"" : "",
			    items.data ? items.data : "");
	rc = wn_audit_append(store, in->consensus ? "appraise-consensus" : "appraise", "appraisal",
			     out->appraisal_id, details);
	free(details);
	free(qreviewer);
	free(qname);
	if (rc != WN_OK)
		goto fail;
done:
	wn_buf_release(&items);
	wn_instrument_release(&ins);
	free(category);
	free(items_of);
	free(canon);
	free(comment_of);
	return wn_store_commit(store);
fail:
	free(items_of);
	free(canon);
	free(comment_of);
	wn_buf_release(&items);
	wn_instrument_release(&ins);
	free(category);
	wn_store_rollback(store);
	return rc;
}

/* CSV import */

enum { A_STUDY, A_ITEM, A_ANSWER, A_COMMENT, A_CATEGORY, A_REVIEWER, NACOLS };
static const char *const answer_columns[NACOLS] = {
	"study", "item|question", "answer", "comment|comments", "category", "reviewer",
};

struct csv_import {
	struct wn_store *store;
	const char *instrument, *study, *reviewer;
	long answers;
	long long *studies;
	size_t nstudies;
};

static int answer_row(void *ctx, char *const *f, long line)
{
	struct csv_import *im = ctx;
	struct wn_answer_input a = { f[A_ITEM], f[A_ANSWER], f[A_COMMENT] };
	struct wn_appraisal_input in = {
		.study = im->study ? im->study : f[A_STUDY],
		.instrument = im->instrument,
		.reviewer = im->reviewer ? im->reviewer : f[A_REVIEWER],
		.category = f[A_CATEGORY],
		.answers = &a,
		.nanswers = 1,
	};
	struct wn_appraisal_result res;
	size_t i;
	int rc;

	(void)line;
	if (wn_blank(in.study))
		return wn_error_set(WN_EINVALID, "no study (a study column, or the STUDY argument)");
	if (wn_blank(in.reviewer))
		return wn_error_set(WN_EINVALID, "no reviewer (a reviewer column, or --reviewer)");
	if ((rc = wn_appraise(im->store, &in, &res)) != WN_OK)
		return rc;
	im->answers += res.stored;
	for (i = 0; i < im->nstudies && im->studies[i] != res.study_id; i++)
		;
	if (i == im->nstudies) {
		im->studies = xrealloc(im->studies, (im->nstudies + 1) * sizeof(*im->studies));
		im->studies[im->nstudies++] = res.study_id;
	}
	return WN_OK;
}

int wn_appraise_csv(struct wn_store *store, const char *path, const char *instrument,
		    const char *study, const char *reviewer, long *answers, long *studies)
{
	struct wn_csv_columns cols = { answer_columns, NACOLS, 1u << A_ITEM | 1u << A_ANSWER, NULL, 0, 0 };
	struct csv_import im = { store, instrument, study, reviewer, 0, NULL, 0 };
	int rc;

	*answers = *studies = 0;
	if (!study)
		cols.required |= 1u << A_STUDY;
	if (!reviewer)
		cols.required |= 1u << A_REVIEWER;
	if ((rc = wn_store_begin(store)) != WN_OK)
		return rc;
	rc = wn_csv_read(path, &cols, answer_row, &im, NULL);
	free(im.studies);
	if (rc != WN_OK) {
		wn_store_rollback(store);
		return rc;
	}
	if ((rc = wn_store_commit(store)) == WN_OK) {
		*answers = im.answers;
		*studies = (long)im.nstudies;
	}
	return rc;
}

int wn_appraisal_current(struct wn_store *store, long long study, const struct wn_instrument *in,
			 const char *reviewer, struct wn_appraisal_current *out)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT id FROM instrument WHERE name = ? AND sha256 = ?");
	long long instrument = 0, appraisal;
	int step, rc;

	memset(out, 0, sizeof(*out));
	out->n = in->nitems;
	out->answers = xcalloc(in->nitems + 1, sizeof(*out->answers));
	out->comments = xcalloc(in->nitems + 1, sizeof(*out->comments));
	if (!st)
		return WN_ERROR;
	wn_bind_text(st, 1, in->name);
	wn_bind_text(st, 2, in->sha256);
	if ((step = sqlite3_step(st)) == SQLITE_ROW)
		instrument = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (step != SQLITE_ROW)
		return step == SQLITE_DONE ? WN_OK : wn_store_fail(store, "cannot read the instruments");
	if ((rc = appraisal_row(store, study, instrument, reviewer, 0, 0, &appraisal,
				&out->category)) != WN_OK || !appraisal)
		return rc;
	for (size_t i = 0; i < in->nitems; i++) {
		long long id;

		if ((rc = answer_in_force(store, appraisal, in->items[i].code, &id, &out->answers[i],
					  &out->comments[i])) != WN_OK)
			return rc;
	}
	return WN_OK;
}

void wn_appraisal_current_release(struct wn_appraisal_current *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->answers[i]);
		free(c->comments[i]);
	}
	free(c->answers);
	free(c->comments);
	free(c->category);
	memset(c, 0, sizeof(*c));
}

/* The summary: every answer in force on the instrument, study by study. */

struct given {
	char *reviewer, *answer, *comment;
	int consensus;
};

struct cellwork {
	struct given *g;
	size_t n;
};

/* Who appraised a study: each reviewer once (and a consensus), with the
 * category they appraised it as. */
struct appraiser {
	char *name, *category;
	int consensus;
};

struct rowwork {
	struct appraiser *a;
	size_t n;
};

static void add_appraiser(struct rowwork *w, const char *name, const char *category, int consensus)
{
	for (size_t k = 0; k < w->n; k++)
		if (w->a[k].consensus == consensus && !strcmp(w->a[k].name, name))
			return;
	w->a = xrealloc(w->a, (w->n + 1) * sizeof(*w->a));
	w->a[w->n].name = xstrdup(name);
	w->a[w->n].category = category ? xstrdup(category) : NULL;
	w->a[w->n++].consensus = consensus;
}

static void rowwork_release(struct rowwork *rw, size_t n)
{
	for (size_t r = 0; rw && r < n; r++) {
		for (size_t k = 0; k < rw[r].n; k++) {
			free(rw[r].a[k].name);
			free(rw[r].a[k].category);
		}
		free(rw[r].a);
	}
	free(rw);
}

/* Every answer in force with this version of the instrument, study by
 * study. An independent appraisal counts once it has an answer; a
 * consensus one also for its category alone. */
static int load_answers(struct wn_store *store, long long instrument, struct wn_appraisal_summary *s,
			struct cellwork **work, struct rowwork **rows)
{
	const struct wn_instrument *in = &s->instrument;
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT ap.study_id, st.label, ap.reviewer, ap.kind, ap.category, a.item_code, "
		"a.answer, a.comment FROM appraisal ap JOIN study st ON st.id = ap.study_id "
		"LEFT JOIN appraisal_answer a ON a.appraisal_id = ap.id AND NOT EXISTS "
		"(SELECT 1 FROM appraisal_answer x WHERE x.supersedes = a.id) "
		"WHERE ap.instrument_id = ? ORDER BY st.label, ap.study_id, ap.kind, ap.reviewer, a.id");
	size_t cap = 0;
	int step;

	*work = NULL;
	*rows = NULL;
	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, instrument);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		long long study = sqlite3_column_int64(st, 0);
		const char *reviewer = wn_column_text(st, 2);
		int consensus = !strcmp(wn_column_text(st, 3), "consensus");
		int answered = sqlite3_column_type(st, 5) != SQLITE_NULL;
		const char *category = sqlite3_column_type(st, 4) == SQLITE_NULL ? NULL
				       : wn_column_text(st, 4);
		const struct wn_instrument_item *it;

		if (!answered && !(consensus && category))
			continue;
		if (!s->nrows || s->rows[s->nrows - 1].study_id != study) {
			if (s->nrows == cap) {
				cap = cap ? 2 * cap : 16;
				s->rows = xrealloc(s->rows, cap * sizeof(*s->rows));
				*work = xrealloc(*work, cap * in->nitems * sizeof(**work) + 1);
				*rows = xrealloc(*rows, cap * sizeof(**rows));
			}
			memset(&s->rows[s->nrows], 0, sizeof(*s->rows));
			memset(*work + s->nrows * in->nitems, 0, in->nitems * sizeof(**work));
			memset(&(*rows)[s->nrows], 0, sizeof(**rows));
			s->rows[s->nrows].study_id = study;
			s->rows[s->nrows].study = xstrdup(wn_column_text(st, 1));
			s->nrows++;
		}
		add_appraiser(&(*rows)[s->nrows - 1], reviewer, category, consensus);
		if (!answered || !(it = wn_instrument_item(in, wn_column_text(st, 5))))
			continue;
		{
			struct cellwork *w = *work + (s->nrows - 1) * in->nitems + (size_t)(it - in->items);
			struct given *g;

			w->g = xrealloc(w->g, (w->n + 1) * sizeof(*w->g));
			g = &w->g[w->n++];
			g->reviewer = xstrdup(reviewer);
			g->answer = xstrdup(wn_column_text(st, 6));
			g->comment = sqlite3_column_type(st, 7) == SQLITE_NULL ? NULL
				     : xstrdup(wn_column_text(st, 7));
			g->consensus = consensus;
		}
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? WN_OK : wn_store_fail(store, "cannot read the appraisals");
}

/* The row's category, its reviewers, and who of them finished: the
 * consensus category settles it; else the reviewers' must agree. */
static void settle_row(const struct wn_instrument *in, struct wn_appraisal_row *row,
		       const struct rowwork *rw, const struct cellwork *work)
{
	struct wn_buf names = WN_BUF_INIT, cats = WN_BUF_INIT;
	const char *consensus = NULL;
	int differ = 0;

	for (size_t k = 0; k < rw->n; k++)
		if (rw->a[k].consensus && rw->a[k].category)
			consensus = rw->a[k].category;
	for (size_t k = 0; k < rw->n; k++) {
		const struct appraiser *a = &rw->a[k];

		if (a->consensus)
			continue;
		wn_buf_addf(&names, "%s%s", names.len ? ", " : "", a->name);
		if (in->ncategories) {
			wn_buf_addf(&cats, "%s%s: %s", cats.len ? "; " : "", a->name,
				    a->category ? a->category : "none");
			if (!row->category && a->category)
				row->category = xstrdup(a->category);
			else if (a->category && row->category && strcmp(a->category, row->category))
				differ = 1;
		}
	}
	if (consensus) {
		free(row->category);
		row->category = xstrdup(consensus);
	} else if (differ) {
		row->category_conflict = wn_buf_detach(&cats);
	}
	wn_buf_release(&cats);
	row->reviewers = names.len ? wn_buf_detach(&names) : xstrdup("");
	wn_buf_release(&names);
	/* a reviewer counts once they have answered every item asked: of the
	 * study's category, or while that is disputed, of their own */
	for (size_t k = 0; k < rw->n; k++) {
		const char *asked = row->category_conflict ? rw->a[k].category : row->category;
		int finished = !rw->a[k].consensus;

		for (size_t i = 0; i < in->nitems && finished; i++) {
			const struct cellwork *w = &work[i];
			int found = 0;

			if (!wn_instrument_applies(&in->items[i], asked))
				continue;
			for (size_t g = 0; g < w->n && !found; g++)
				found = !w->g[g].consensus && !strcmp(w->g[g].reviewer, rw->a[k].name);
			finished = found;
		}
		row->nreviewers += finished;
	}
}

/* One cell from what was given for it. */
static void judge_cell(const struct wn_instrument_item *it, const struct cellwork *w,
		       const char *category, char **cell, char **comments, enum wn_cell_state *state)
{
	struct wn_buf b = WN_BUF_INIT, c = WN_BUF_INIT;
	const struct given *consensus = NULL;
	size_t independent = 0;
	int differ = 0;
	const char *first = NULL;

	for (size_t k = 0; k < w->n; k++) {
		const struct given *g = &w->g[k];

		if (g->comment)
			wn_buf_addf(&c, "%s%s: %s", c.len ? "; " : "", g->reviewer, g->comment);
		if (g->consensus) {
			consensus = g;
			continue;
		}
		independent++;
		if (!first)
			first = g->answer;
		else if (strcmp(first, g->answer))
			differ = 1;
		if (it->free_text)
			wn_buf_addf(&b, "%s%s", b.len ? " / " : "", g->answer);
	}
	*comments = c.len ? wn_buf_detach(&c) : NULL;
	wn_buf_release(&c);
	if (!wn_instrument_applies(it, category)) {
		*state = WN_CELL_NA;
		*cell = xstrdup("n/a");
	} else if (consensus) {
		*state = WN_CELL_CONSENSUS;
		*cell = xstrdup(consensus->answer);
	} else if (!independent) {
		*state = WN_CELL_EMPTY;
		*cell = xstrdup("");
	} else if (it->free_text) {
		*state = WN_CELL_AGREED;
		*cell = wn_buf_detach(&b);
	} else if (differ) {
		*state = WN_CELL_CONFLICT;
		*cell = xstrdup("conflict");
	} else {
		*state = WN_CELL_AGREED;
		*cell = xstrdup(first);
	}
	wn_buf_release(&b);
}

static void work_release(struct cellwork *work, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < work[i].n; k++) {
			free(work[i].g[k].reviewer);
			free(work[i].g[k].answer);
			free(work[i].g[k].comment);
		}
		free(work[i].g);
	}
	free(work);
}

static int summarise(struct wn_store *store, const char *instrument,
		     struct wn_appraisal_summary *out, struct cellwork **work_out)
{
	const struct wn_protocol *proto;
	struct cellwork *work = NULL;
	struct rowwork *rows = NULL;
	char *name = NULL;
	long long id;
	int rc;

	memset(out, 0, sizeof(*out));
	out->required_reviewers = 1;
	if ((proto = wn_protocol_in_force(store))) {
		const char *v = wn_protocol_get(proto, "appraisal", NULL, "reviewers");

		if (v && atoi(v) > 0)
			out->required_reviewers = atoi(v);
	}
	if ((rc = default_instrument(store, instrument, &name)) != WN_OK)
		return rc;
	/* the version stored last: answers to an earlier one are not mixed in */
	rc = wn_instrument_from_review(store, name, &out->instrument, &id);
	if (rc == WN_ENOTFOUND)
		rc = wn_error_set(WN_ENOTFOUND, "no study has been appraised with '%s' yet", name);
	if (rc == WN_OK)
		rc = load_answers(store, id, out, &work, &rows);
	free(name);
	if (rc != WN_OK) {
		work_release(work, out->nrows * out->instrument.nitems);
		rowwork_release(rows, out->nrows);
		wn_appraisal_summary_release(out);
		return rc;
	}
	for (size_t r = 0; r < out->nrows; r++) {
		struct wn_appraisal_row *row = &out->rows[r];
		const struct wn_instrument *in = &out->instrument;

		settle_row(in, row, &rows[r], &work[r * in->nitems]);
		row->cells = xcalloc(in->nitems + 1, sizeof(*row->cells));
		row->comments = xcalloc(in->nitems + 1, sizeof(*row->comments));
		row->states = xcalloc(in->nitems + 1, sizeof(*row->states));
		row->complete = row->nreviewers >= (size_t)out->required_reviewers &&
				!row->category_conflict;
		for (size_t i = 0; i < in->nitems; i++) {
			const struct wn_instrument_item *it = &in->items[i];

			judge_cell(it, &work[r * in->nitems + i], row->category, &row->cells[i],
				   &row->comments[i], &row->states[i]);
			if (row->states[i] == WN_CELL_EMPTY || row->states[i] == WN_CELL_CONFLICT)
				row->complete = 0;
			if (row->states[i] == WN_CELL_NA || it->free_text || it->overall || !in->tally)
				continue;
			row->tally_of++;
			row->tally += (row->states[i] == WN_CELL_AGREED ||
				       row->states[i] == WN_CELL_CONSENSUS) &&
				      !strcasecmp(row->cells[i], in->tally);
		}
		if (in->ncategories && !row->category)
			row->complete = 0;
	}
	rowwork_release(rows, out->nrows);
	if (work_out)
		*work_out = work;
	else
		work_release(work, out->nrows * out->instrument.nitems);
	return WN_OK;
}

int wn_appraisal_summary(struct wn_store *store, const char *instrument,
			 struct wn_appraisal_summary *out)
{
	return summarise(store, instrument, out, NULL);
}

void wn_appraisal_summary_release(struct wn_appraisal_summary *s)
{
	for (size_t r = 0; r < s->nrows; r++) {
		struct wn_appraisal_row *row = &s->rows[r];

		for (size_t i = 0; row->cells && i < s->instrument.nitems; i++) {
			free(row->cells[i]);
			free(row->comments[i]);
		}
		free(row->cells);
		free(row->comments);
		free(row->states);
		free(row->study);
		free(row->category);
		free(row->category_conflict);
		free(row->reviewers);
	}
	free(s->rows);
	wn_instrument_release(&s->instrument);
	memset(s, 0, sizeof(*s));
}

int wn_appraisal_conflicts(struct wn_store *store, const char *instrument,
			   int (*fn)(void *ctx, const struct wn_appraisal_conflict *c), void *ctx)
{
	struct wn_appraisal_summary s;
	struct cellwork *work;
	int rc = summarise(store, instrument, &s, &work);

	if (rc != WN_OK)
		return rc;
	for (size_t r = 0; r < s.nrows && !rc; r++) {
		if (s.rows[r].category_conflict) {
			/* "alice: qualitative; bob: rct" taken apart */
			char *copy = xstrdup(s.rows[r].category_conflict), *save = NULL;
			const char *names[64], *cats[64];
			struct wn_appraisal_conflict c = { s.rows[r].study_id, s.rows[r].study, "category",
							   "The study's category", 0, names, cats };

			for (char *p = strtok_r(copy, ";", &save); p && c.n < 64; p = strtok_r(NULL, ";", &save)) {
				char *colon = strrchr(p, ':');

				if (!colon)
					continue;
				*colon = '\0';
				names[c.n] = wn_trim(p);
				cats[c.n++] = wn_trim(colon + 1);
			}
			rc = fn(ctx, &c) ? 1 : 0;
			free(copy);
		}
		for (size_t i = 0; i < s.instrument.nitems && !rc; i++) {
			const struct cellwork *w = &work[r * s.instrument.nitems + i];
			const char **reviewers, **answers;
			struct wn_appraisal_conflict c;
			size_t n = 0;

			if (s.rows[r].states[i] != WN_CELL_CONFLICT)
				continue;
			reviewers = xcalloc(w->n + 1, sizeof(*reviewers));
			answers = xcalloc(w->n + 1, sizeof(*answers));
			for (size_t k = 0; k < w->n; k++)
				if (!w->g[k].consensus) {
					reviewers[n] = w->g[k].reviewer;
					answers[n++] = w->g[k].answer;
				}
			c.study_id = s.rows[r].study_id;
			c.study = s.rows[r].study;
			c.item = s.instrument.items[i].code;
			c.text = s.instrument.items[i].text;
			c.n = n;
			c.reviewers = reviewers;
			c.answers = answers;
			rc = fn(ctx, &c) ? 1 : 0;
			free(reviewers);
			free(answers);
		}
	}
	work_release(work, s.nrows * s.instrument.nitems);
	wn_appraisal_summary_release(&s);
	return rc < 0 ? rc : WN_OK;
}
