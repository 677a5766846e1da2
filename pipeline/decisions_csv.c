/*
 * Decisions in and out as CSV (include/winnow/screening.h), for teams that
 * screen elsewhere or keep their own analyses.
 */
#include <csv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
#define NIGNORED (sizeof(ignored_columns) / sizeof(ignored_columns[0]))
#define IGNORED (-1)

struct import {
	struct wn_store *store;
	const char *path;
	int column[32]; /* the file's column i is our column column[i], or -1 */
	size_t ncolumns;
	char *field[NCOLS];
	size_t nfields;
	long line, count, rules;
	int header_done, rc;
};

static void on_field(void *s, size_t len, void *ctx)
{
	struct import *im = ctx;
	size_t i = im->nfields++;

	if (im->rc)
		return;
	if (!im->header_done) {
		int c;

		for (c = 0; c < NCOLS; c++)
			if (strlen(column_names[c]) == len && !strncasecmp(s, column_names[c], len))
				break;
		for (size_t k = 0; c == NCOLS && k < NIGNORED; k++)
			if (strlen(ignored_columns[k]) == len && !strncasecmp(s, ignored_columns[k], len))
				c = IGNORED;
		if (c == NCOLS || i >= 32) {
			im->rc = wn_error_set(WN_EINVALID, "%s:%ld: unknown column '%.*s' (columns: "
					      "record, stage, reviewer, decision, reason, note, kind)",
					      im->path, im->line, (int)(len > 60 ? 60 : len), (const char *)s);
			return;
		}
		im->column[i] = c;
		im->ncolumns = i + 1;
		return;
	}
	if (i >= im->ncolumns) {
		im->rc = wn_error_set(WN_EINVALID, "%s:%ld: more fields than the header names",
				      im->path, im->line);
		return;
	}
	if (im->column[i] == IGNORED)
		return;
	free(im->field[im->column[i]]);
	im->field[im->column[i]] = xstrndup(s, len);
}

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

static void on_row(int c, void *ctx)
{
	struct import *im = ctx;

	(void)c;
	if (!im->rc && !im->header_done) {
		int seen[NCOLS] = { 0 };

		for (size_t i = 0; i < im->ncolumns; i++)
			if (im->column[i] != IGNORED)
				seen[im->column[i]]++;
		for (int k = 0; k < NCOLS && !im->rc; k++)
			if ((k <= C_DECISION && !seen[k]) || seen[k] > 1)
				im->rc = wn_error_set(WN_EINVALID, "%s:%ld: %s column '%s'", im->path,
						      im->line, seen[k] ? "a second" : "no", column_names[k]);
		im->header_done = 1;
	} else if (!im->rc) {
		struct wn_decision_input in = {
			.record = im->field[C_RECORD] ? im->field[C_RECORD] : "",
			.stage = im->field[C_STAGE] ? im->field[C_STAGE] : "",
			.reviewer = im->field[C_REVIEWER],
			.decision = im->field[C_DECISION] ? im->field[C_DECISION] : "",
			.reason = im->field[C_REASON],
			.note = im->field[C_NOTE],
		};
		struct wn_decision_result res;
		const char *kind = im->field[C_KIND] && *im->field[C_KIND] ? im->field[C_KIND] : "human";
		int rc;

		/* an export's rows of every kind: people's decisions and
		 * resolutions are imported; a rule's exclusion comes from
		 * applying the rules in this review, so it is counted, not copied */
		if (!strcmp(kind, "rule")) {
			rc = check_rule_row(im->store, &in);
			im->rules += rc == WN_OK;
		} else if (!strcmp(kind, "human")) {
			rc = wn_decide(im->store, &in, &res);
		} else if (!strcmp(kind, "resolution")) {
			rc = wn_resolve(im->store, &in, &res);
		} else {
			rc = wn_error_set(WN_EINVALID, "the kind is human, resolution or rule, not '%s'",
					  kind);
		}
		if (rc < 0) {
			char *msg = xstrdup(wn_error_last());

			im->rc = wn_error_set(wn_error_code(), "%s:%ld: %s", im->path, im->line, msg);
			free(msg);
		} else if (strcmp(kind, "rule")) {
			im->count++;
		}
	}
	for (int k = 0; k < NCOLS; k++) {
		free(im->field[k]);
		im->field[k] = NULL;
	}
	im->nfields = 0;
}

int wn_decisions_import(struct wn_store *store, const char *path, long *count, long *rules)
{
	struct import im;
	struct csv_parser cp;
	char *text;
	size_t len;
	int rc;

	*count = 0;
	*rules = 0;
	if ((rc = wn_read_file(path, (size_t)1 << 30, &text, &len)) < 0)
		return rc;
	memset(&im, 0, sizeof(im));
	im.store = store;
	im.path = path;
	/* strict: an unterminated quote is an error, not one long field */
	if (csv_init(&cp, CSV_APPEND_NULL | CSV_STRICT | CSV_STRICT_FINI) != 0) {
		free(text);
		return wn_error_set(WN_ERROR, "out of memory");
	}
	if ((rc = wn_store_begin(store)) != WN_OK) {
		csv_free(&cp);
		free(text);
		return rc;
	}
	{
		/* fed a line at a time, so that messages name the line being
		 * read (a quoted field may span lines; blank lines count) */
		size_t at = len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3) ? 3 : 0;

		while (at < len && !im.rc) {
			const char *nl = memchr(text + at, '\n', len - at);
			size_t n = nl ? (size_t)(nl - (text + at)) + 1 : len - at;

			im.line++;
			if (csv_parse(&cp, text + at, n, on_field, on_row, &im) != n && !im.rc)
				im.rc = wn_error_set(WN_EINVALID, "%s:%ld: %s", path, im.line,
						     csv_strerror(csv_error(&cp)));
			at += n;
		}
	}
	if (!im.rc && csv_fini(&cp, on_field, on_row, &im) != 0 && !im.rc)
		im.rc = wn_error_set(WN_EINVALID, "%s:%ld: %s", path, im.line,
				     csv_strerror(csv_error(&cp)));
	csv_free(&cp);
	free(text);
	for (int k = 0; k < NCOLS; k++)
		free(im.field[k]);
	if (!im.rc && !im.header_done)
		im.rc = wn_error_set(WN_EINVALID, "%s: empty: no header row", path);
	if (im.rc) {
		wn_store_rollback(store);
		return im.rc;
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
