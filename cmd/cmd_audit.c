#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "winnow/audit.h"
#include "winnow/store.h"

enum { OPT_FORMAT = 'f', OPT_HEAD = 1000, OPT_SINCE, OPT_ACTOR, OPT_RECORD, OPT_SEALS };

extern const struct cmd cmd_audit_verify, cmd_audit_log;

static const struct cmd_option verify_options[] = {
	{ "head", OPT_HEAD, "HASH", "the head hash published for the review: the trail must hold it", 0 },
	{ "format", OPT_FORMAT, "F", "text (default) or json", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

struct head_look {
	const char *want;
	int seen;
};

static int head_seen(void *ctx, const struct wn_audit_entry *e)
{
	struct head_look *look = ctx;

	look->seen |= !strcmp(e->hash, look->want);
	return look->seen;
}

static int run_verify(struct cmd_ctx *ctx, int argc, char **argv)
{
	enum cmd_format format = FORMAT_TEXT;
	struct wn_audit_report r = { 0 };
	struct wn_store *store = NULL;
	const char *head = NULL;
	struct cmd_args args;
	int status, head_ok = 1;

	if (!cmd_parse_args(ctx, &cmd_audit_verify, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts && status == EXIT_OK; i++) {
		if (args.opts[i].id == OPT_HEAD)
			head = args.opts[i].value;
		else if (args.opts[i].id == OPT_FORMAT)
			status = cmd_parse_format(&cmd_audit_verify, args.opts[i].value, FORMATS_TEXT_JSON,
						  &format);
	}
	if (status != EXIT_OK)
		goto done;
	if (args.npos) {
		status = cmd_usage_error(&cmd_audit_verify, "audit verify: unexpected argument '%s'", args.pos[0]);
		goto done;
	}
	if ((status = cmd_open_review(ctx, WN_OPEN_READ, &store)) != EXIT_OK)
		goto done;
	if (wn_audit_verify(store, &r) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	/* the published head must be the head now, or an entry of the trail
	 * when the review has moved on since */
	if (head) {
		struct wn_audit_filter f = { NULL, NULL, NULL, 1 };
		struct head_look look = { head, 0 };

		head_ok = !strcmp(head, r.head);
		if (!head_ok && wn_audit_log(store, &f, head_seen, &look) == 0)
			head_ok = look.seen;
	}
	if (format == FORMAT_JSON) {
		json_t *o = json_object(), *ps = json_array();

		json_object_set_new(o, "ok", json_boolean(!r.nproblems && head_ok));
		json_object_set_new(o, "entries", json_integer(r.entries));
		json_object_set_new(o, "rows_checked", json_integer(r.rows));
		json_object_set_new(o, "unsealed", json_boolean(r.unsealed));
		json_object_set_new(o, "head", json_string(r.head));
		if (head)
			json_object_set_new(o, "published_head_found", json_boolean(head_ok));
		for (size_t i = 0; i < r.nproblems; i++) {
			json_t *p = json_object();

			json_object_set_new(p, "entry", r.problems[i].entry ? json_integer(r.problems[i].entry)
									 : json_null());
			json_object_set_new(p, "table", r.problems[i].table ? json_string(r.problems[i].table)
									 : json_null());
			json_object_set_new(p, "row", r.problems[i].row ? json_integer(r.problems[i].row)
									: json_null());
			json_object_set_new(p, "message", cmd_json_text(r.problems[i].message));
			json_array_append_new(ps, p);
		}
		json_object_set_new(o, "problems", ps);
		json_object_set_new(o, "more_problems", json_integer((json_int_t)r.more));
		status = cmd_print_json(o);
		if (status == EXIT_OK && (r.nproblems || !head_ok))
			status = EXIT_FAIL;
		goto done;
	}
	for (size_t i = 0; i < r.nproblems; i++) {
		fprintf(stderr, "winnow: ");
		if (r.problems[i].entry)
			fprintf(stderr, "entry %lld: ", r.problems[i].entry);
		fprintf(stderr, "%s\n", r.problems[i].message);
	}
	if (r.more)
		fprintf(stderr, "winnow: and %zu more problems\n", r.more);
	if (!head_ok)
		fprintf(stderr, "winnow: the published head %s is not in this review's trail\n", head);
	if (r.nproblems || !head_ok) {
		fprintf(stderr, "winnow: the audit trail does not verify: %zu problem%s\n",
			r.nproblems + r.more + !head_ok, r.nproblems + r.more + !head_ok == 1 ? "" : "s");
		status = EXIT_FAIL;
		goto done;
	}
	printf("The audit trail verifies: %lld entries, %lld rows checked against their seals\n",
	       r.entries, r.rows);
	if (r.unsealed)
		printf("Note: the review was written by a winnow before seals: only the chain is "
		       "checked; the next change seals its rows\n");
	printf("Head: %s\n", r.head);
done:
	wn_audit_report_release(&r);
	wn_store_close(store);
	free(args.pos);
	return status;
}

static const struct cmd_option log_options[] = {
	{ "since", OPT_SINCE, "DATE", "entries from this date (YYYY-MM-DD) or time on, UTC", 0 },
	{ "actor", OPT_ACTOR, "NAME", "entries by this reviewer (or rule:LINE)", 0 },
	{ "record", OPT_RECORD, "ID", "entries about this record's report (record id, pmid:N, doi:X)", 0 },
	{ "seals", OPT_SEALS, NULL, "show the seals too", 0 },
	{ "format", OPT_FORMAT, "F", "text (default) or json", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

struct log_out {
	enum cmd_format format;
	json_t *arr;
	long n;
};

static int one_entry(void *ctx, const struct wn_audit_entry *e)
{
	struct log_out *o = ctx;

	o->n++;
	if (o->format == FORMAT_JSON) {
		json_t *j = json_object(), *details = json_loads(e->details, 0, NULL);

		json_object_set_new(j, "id", json_integer(e->id));
		json_object_set_new(j, "at", json_string(e->at));
		json_object_set_new(j, "actor", cmd_json_text(e->actor));
		json_object_set_new(j, "command", cmd_json_text(e->command));
		json_object_set_new(j, "action", json_string(e->action));
		json_object_set_new(j, "table", e->entity ? json_string(e->entity) : json_null());
		json_object_set_new(j, "row", e->entity ? json_integer(e->entity_id) : json_null());
		json_object_set_new(j, "details", details ? details : cmd_json_text(e->details));
		json_object_set_new(j, "hash", json_string(e->hash));
		json_array_append_new(o->arr, j);
		return 0;
	}
	printf("%lld  %s  %-12s %s", e->id, e->at, e->actor, e->action);
	if (e->entity)
		printf(" %s %lld", e->entity, e->entity_id);
	printf("\n      %s\n", e->command);
	if (strcmp(e->details, "{}"))
		printf("      %.300s%s\n", e->details, strlen(e->details) > 300 ? "..." : "");
	return 0;
}

static int run_log(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct wn_audit_filter f = { 0 };
	struct log_out o = { FORMAT_TEXT, NULL, 0 };
	struct wn_store *store = NULL;
	struct cmd_args args;
	int status;

	if (!cmd_parse_args(ctx, &cmd_audit_log, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts && status == EXIT_OK; i++) {
		const char *v = args.opts[i].value;

		switch (args.opts[i].id) {
		case OPT_SINCE: f.since = v; break;
		case OPT_ACTOR: f.actor = v; break;
		case OPT_RECORD: f.record = v; break;
		case OPT_SEALS: f.seals = 1; break;
		case OPT_FORMAT:
			status = cmd_parse_format(&cmd_audit_log, v, FORMATS_TEXT_JSON, &o.format);
			break;
		}
	}
	if (status != EXIT_OK)
		goto done;
	if (args.npos) {
		status = cmd_usage_error(&cmd_audit_log, "audit log: unexpected argument '%s'", args.pos[0]);
		goto done;
	}
	if ((status = cmd_open_review(ctx, WN_OPEN_READ, &store)) != EXIT_OK)
		goto done;
	if (o.format == FORMAT_JSON)
		o.arr = json_array();
	if (wn_audit_log(store, &f, one_entry, &o) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	if (o.format == FORMAT_JSON) {
		status = cmd_print_json(o.arr);
		o.arr = NULL;
	}
done:
	json_decref(o.arr);
	wn_store_close(store);
	free(args.pos);
	return status;
}

const struct cmd cmd_audit_verify = {
	.name = "verify",
	.parent = "audit",
	.summary = "check that nobody rewrote the review's history",
	.usage = "[--db FILE] [--head HASH] [--format text|json]",
	.description =
		"Recomputes every entry's hash and its link to the one before, then every\n"
		"seal: the rows each change added to the tables that are never changed once\n"
		"written (records, decisions, full-text entries, appraisal answers, ...).\n"
		"Anything inserted, changed or deleted behind winnow's back is named by\n"
		"entry, table and row, and the command exits 1. A clean review prints its\n"
		"head hash, which a team can publish; --head checks that a published hash is\n"
		"in the trail. See docs/audit.md.",
	.options = verify_options,
	.run = run_verify,
	.uses_review = 1,
};

const struct cmd cmd_audit_log = {
	.name = "log",
	.parent = "audit",
	.summary = "who changed what, and when",
	.usage = "[--db FILE] [--since DATE] [--actor NAME] [--record ID] [--seals] [--format text|json]",
	.options = log_options,
	.run = run_log,
	.uses_review = 1,
};

/* audit export (cmd/audit_export.c) */
int audit_export(struct cmd_ctx *ctx, const char *dir);
extern const struct cmd cmd_audit_export;

static int run_export(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cmd_args args;
	int status;

	if (!cmd_parse_args(ctx, &cmd_audit_export, argc, argv, &args, &status))
		return status;
	status = args.npos == 1 ? audit_export(ctx, args.pos[0])
		: cmd_usage_error(&cmd_audit_export, "audit export: give one directory");
	free(args.pos);
	return status;
}

const struct cmd cmd_audit_export = {
	.name = "export",
	.parent = "audit",
	.summary = "the bundle for a journal's peer review",
	.usage = "[--db FILE] DIR",
	.description =
		"Into a new or empty directory: the PRISMA diagram (SVG), its JSON and CSV, the\n"
		"PRISMA-S search report, every decision as CSV with reasons, agreement at each\n"
		"stage, the appraisal summary, the synthesis matrix, the CERQual profile, the\n"
		"audit log, and manifest.json: each file's command and SHA-256, and the head\n"
		"hash. A review whose trail does not verify is refused.",
	.run = run_export,
	.uses_review = 1,
};

static const struct cmd *const audit_subcommands[] = {
	&cmd_audit_verify, &cmd_audit_log, &cmd_audit_export, NULL,
};

const struct cmd cmd_audit = {
	.name = "audit",
	.summary = "the audit trail: verify it, read it, export the bundle for peer review",
	.usage = "verify|log|export [ARGS]",
	.subcommands = audit_subcommands,
};
