#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "winnow/screening.h"
#include "winnow/store.h"

enum { OPT_STAGE = 's', OPT_REVIEWER = 'r', OPT_REASON = 1000, OPT_NOTE };

static const struct cmd_option options[] = {
	{ "stage", OPT_STAGE, "S", "the stage (title-abstract, full-text, ...)", 0 },
	{ "reviewer", OPT_REVIEWER, "NAME", "who decides (default: $WINNOW_REVIEWER)", 0 },
	{ "reason", OPT_REASON, "TEXT", "why (excluding after the first stage: one of the protocol's reasons)", 0 },
	{ "note", OPT_NOTE, "TEXT", "a note kept with the decision", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

/* decide and resolve (both here: they differ only in the kind of decision
 * recorded): ID DECISION --stage S [--reviewer] [--reason] [--note] */
static int run_decision(struct cmd_ctx *ctx, const struct cmd *c, int argc, char **argv,
			int resolution)
{
	struct wn_decision_input in = { 0 };
	struct wn_decision_result res;
	struct wn_store *store = NULL;
	struct cmd_args args;
	int status;

	if (!cmd_parse_args(ctx, c, argc, argv, &args, &status))
		return status;
	in.reviewer = getenv("WINNOW_REVIEWER");
	for (int i = 0; i < args.nopts; i++) {
		switch (args.opts[i].id) {
		case OPT_STAGE: in.stage = args.opts[i].value; break;
		case OPT_REVIEWER: in.reviewer = args.opts[i].value; break;
		case OPT_REASON: in.reason = args.opts[i].value; break;
		case OPT_NOTE: in.note = args.opts[i].value; break;
		}
	}
	if (args.npos != 2) {
		status = cmd_usage_error(c, "%s: give a record and a decision (%s)", c->name,
					 resolution ? "include or exclude" : "include, exclude or maybe");
		goto done;
	}
	if (!in.stage) {
		status = cmd_usage_error(c, "%s: say at which stage (--stage)", c->name);
		goto done;
	}
	in.record = args.pos[0];
	in.decision = args.pos[1];
	if (strcmp(in.decision, "include") && strcmp(in.decision, "exclude") &&
	    (resolution || strcmp(in.decision, "maybe"))) {
		status = cmd_usage_error(c, "%s: the decision is %s, not '%s'", c->name,
					 resolution ? "include or exclude" : "include, exclude or maybe",
					 in.decision);
		goto done;
	}
	if (wn_store_open(&store, ctx->db_path, WN_OPEN_WRITE, &ctx->who) < 0 ||
	    (resolution ? wn_resolve(store, &in, &res) : wn_decide(store, &in, &res)) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	printf("Record %lld", res.record_id);
	if (res.report_id != res.record_id)
		printf(" (report %lld)", res.report_id);
	printf(" at %s: %s %s %s", in.stage, in.reviewer, resolution ? "resolves:" : "decides:",
	       in.decision);
	if (in.reason)
		printf(" (%s)", in.reason);
	printf(", decision %lld", res.decision_id);
	if (res.superseded)
		printf(", replacing decision %lld", res.superseded);
	printf("\nThe report is now %s at %s\n", res.outcome, in.stage);
	status = EXIT_OK;
done:
	wn_store_close(store);
	free(args.pos);
	return status;
}

extern const struct cmd cmd_decide;

static int run_decide(struct cmd_ctx *ctx, int argc, char **argv)
{
	return run_decision(ctx, &cmd_decide, argc, argv, 0);
}

const struct cmd cmd_decide = {
	.name = "decide",
	.summary = "record a reviewer's screening decision on a record",
	.usage = "ID include|exclude|maybe --stage S [--reviewer NAME] [--reason TEXT] [--note TEXT]",
	.description =
		"ID is a record id, pmid:N or doi:X; the decision is on the report the\n"
		"record belongs to (its duplicate cluster). A reviewer who decides again\n"
		"adds a decision that replaces their last; both stay on record. A report\n"
		"must have reached the stage (included at every stage before it).\n"
		"Excluding after the first stage needs one of the protocol's reasons.",
	.options = options,
	.run = run_decide,
	.uses_review = 1,
};

extern const struct cmd cmd_resolve;

static int run_resolve(struct cmd_ctx *ctx, int argc, char **argv)
{
	return run_decision(ctx, &cmd_resolve, argc, argv, 1);
}

const struct cmd cmd_resolve = {
	.name = "resolve",
	.summary = "settle a screening conflict (a third reviewer, or consensus)",
	.usage = "ID include|exclude --stage S --reason TEXT [--reviewer NAME] [--note TEXT]",
	.description =
		"Records a resolution for a report whose reviewers disagree at the stage\n"
		"(see 'winnow conflicts'); it decides the stage. The reason is required.",
	.options = options,
	.run = run_resolve,
	.uses_review = 1,
};
