/*
 * Decisions in and out as CSV (include/winnow/screening.h), for teams that
 * screen elsewhere or keep their own analyses.
 */
#include <csv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv_rows.h"
#include "screening_int.h"
#include "store_int.h"
#include "util.h"
#include "winnow/screening.h"
#include "winnow/winnow.h"

enum { C_RECORD, C_STAGE, C_REVIEWER, C_DECISION, C_REASON, C_NOTE, C_KIND, NCOLS };
static const char *const column_names[NCOLS] = {
	"record", "stage", "reviewer", "decision", "reason", "note", "kind",
};
/* An export's other columns: what the review importing it assigns anew. */
static const char *const ignored_columns[] = { "id", "report", "made_at", "supersedes" };

static const struct wn_csv_columns columns = {
	column_names, NCOLS,
	1u << C_RECORD | 1u << C_STAGE | 1u << C_REVIEWER | 1u << C_DECISION,
	ignored_columns, sizeof(ignored_columns) / sizeof(ignored_columns[0]), 0,
};

struct import {
	struct wn_store *store;
	long count, rules;
};

/* A rule's exclusion in the file is passed over, but only when a rule
 * excludes the report here too: otherwise what follows (a resolution
 * overruling it, say) would not mean the same. */
static int check_rule_row(struct wn_store *store, const struct wn_decision_input *in)
{
	sqlite3_stmt *st;
	long long record, report;
	int rc, step;

	if ((rc = wn_record_lookup(store, in->record, &record)) != WN_OK ||
	    (rc = wn_report_of(store, record, &report)) != WN_OK)
		return rc;
	if (!(st = wn_store_prepare(store,
		"SELECT 1 FROM decision d WHERE d.stage = ?2 AND d.kind = 'rule' "
		"AND d.decision = 'exclude' AND d.record_id IN " MEMBERS
		" AND NOT EXISTS (SELECT 1 FROM decision x WHERE x.supersedes = d.id)")))
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, report);
	wn_bind_text(st, 2, in->stage);
	step = sqlite3_step(st);
	sqlite3_reset(st);
	if (step == SQLITE_ROW)
		return WN_OK;
	if (step != SQLITE_DONE)
		return wn_store_fail(store, "cannot read the decisions");
	return wn_error_set(WN_EINVALID, "a rule excluded record %s at %s there, and none has here: "
			    "apply the same rules first (winnow rules apply FILE --stage %s)",
			    in->record, in->stage, in->stage);
}

static int one_row(void *ctx, char *const *field, long line)
{
	struct import *im = ctx;
	struct wn_decision_input in = {
		.record = field[C_RECORD] ? field[C_RECORD] : "",
		.stage = field[C_STAGE] ? field[C_STAGE] : "",
		.reviewer = field[C_REVIEWER],
		.decision = field[C_DECISION] ? field[C_DECISION] : "",
		.reason = field[C_REASON],
		.note = field[C_NOTE],
	};
	struct wn_decision_result res;
	const char *kind = field[C_KIND] && *field[C_KIND] ? field[C_KIND] : "human";
	int rc;

	(void)line;
	/* an export's rows of every kind: people's decisions and
	 * resolutions are imported; a rule's exclusion comes from applying
	 * the rules in this review, so it is counted, not copied */
	if (!strcmp(kind, "rule")) {
		if ((rc = check_rule_row(im->store, &in)) == WN_OK)
			im->rules++;
	} else if (!strcmp(kind, "human")) {
		rc = wn_decide(im->store, &in, &res);
	} else if (!strcmp(kind, "resolution")) {
		rc = wn_resolve(im->store, &in, &res);
	} else {
		rc = wn_error_set(WN_EINVALID, "the kind is human, resolution or rule, not '%s'", kind);
	}
	if (rc == WN_OK && strcmp(kind, "rule"))
		im->count++;
	return rc;
}

int wn_decisions_import(struct wn_store *store, const char *path, long *count, long *rules)
{
	struct import im = { store, 0, 0 };
	int rc;

	*count = 0;
	*rules = 0;
	if ((rc = wn_store_begin(store)) != WN_OK)
		return rc;
	if ((rc = wn_csv_read(path, &columns, one_row, &im, NULL)) != WN_OK) {
		wn_store_rollback(store);
		return rc;
	}
	if ((rc = wn_store_commit(store)) != WN_OK)
		return rc;
	*count = im.count;
	*rules = im.rules;
	return WN_OK;
}

/* A field, quoted only when it must be (RFC 4180). */
static void put(FILE *fp, const char *s, int last)
{
	if (s && s[strcspn(s, ",\"\r\n")])
		csv_fwrite(fp, s, strlen(s));
	else if (s)
		fputs(s, fp);
	fputc(last ? '\n' : ',', fp);
}

int wn_decisions_export(struct wn_store *store, FILE *fp, long *count)
{
	sqlite3_stmt *st;
	int step;

	*count = 0;
	if (sqlite3_prepare_v2(store->db,
		"SELECT d.id, d.record_id, rr.report_id, d.stage, d.reviewer, d.kind, d.decision, "
		"d.reason, d.note, d.made_at, d.supersedes FROM decision d "
		"JOIN report_record rr ON rr.record_id = d.record_id ORDER BY d.id", -1, &st,
		NULL) != SQLITE_OK)
		return wn_store_fail(store, "cannot read the decisions");
	fputs("id,record,report,stage,reviewer,kind,decision,reason,note,made_at,supersedes\n", fp);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < 11; i++)
			put(fp, (const char *)sqlite3_column_text(st, i), i == 10);
		(*count)++;
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return wn_store_fail(store, "cannot read the decisions");
	return ferror(fp) ? wn_error_set(WN_ERROR, "cannot write the decisions") : WN_OK;
}
