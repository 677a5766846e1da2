#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "winnow/screening.h"
#include "winnow/store.h"

enum { OPT_OUTPUT = 'o' };

static const struct cmd_option export_options[] = {
	{ "output", OPT_OUTPUT, "FILE", "write to FILE (default: standard output)", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

extern const struct cmd cmd_decisions_import, cmd_decisions_export;

static int run_import(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct wn_store *store = NULL;
	struct cmd_args args;
	long count = 0, rules = 0;
	int status;

	if (!cmd_parse_args(ctx, &cmd_decisions_import, argc, argv, &args, &status))
		return status;
	if (args.npos != 1) {
		status = cmd_usage_error(&cmd_decisions_import, "decisions import: give one CSV file");
		goto done;
	}
	if (wn_store_open(&store, ctx->db_path, WN_OPEN_WRITE, &ctx->who) < 0 ||
	    wn_decisions_import(store, args.pos[0], &count, &rules) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	printf("Imported %ld decision(s) from %s\n", count, args.pos[0]);
	if (rules)
		printf("Passed over %ld exclusion(s) by rules: 'winnow rules apply' makes them in this "
		       "review\n", rules);
	status = EXIT_OK;
done:
	wn_store_close(store);
	free(args.pos);
	return status;
}

static int run_export(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct wn_store *store = NULL;
	const char *output = NULL;
	struct cmd_output out;
	struct cmd_args args;
	long count = 0;
	int status;

	if (!cmd_parse_args(ctx, &cmd_decisions_export, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts; i++)
		if (args.opts[i].id == OPT_OUTPUT)
			output = args.opts[i].value;
	if (args.npos) {
		status = cmd_usage_error(&cmd_decisions_export, "decisions export: unexpected argument '%s'",
					 args.pos[0]);
		goto done;
	}
	if (wn_store_open(&store, ctx->db_path, WN_OPEN_READ, &ctx->who) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	if ((status = cmd_output_open(&out, output)) != EXIT_OK)
		goto done;
	if (wn_decisions_export(store, out.fp, &count) < 0) {
		cmd_output_close(&out, 0);
		status = cmd_fail_lib();
	} else {
		status = cmd_output_close(&out, 1);
	}
done:
	wn_store_close(store);
	free(args.pos);
	return status;
}

const struct cmd cmd_decisions_import = {
	.name = "import",
	.parent = "decisions",
	.summary = "add decisions from a CSV file, all or none",
	.usage = "FILE.csv",
	.description =
		"The header names the columns: record, stage, reviewer, decision (required)\n"
		"and reason, note, kind, in any order. Each row is checked as 'winnow\n"
		"decide' checks it (kind human, the default) or 'winnow resolve' (kind\n"
		"resolution), all in one transaction: one bad row, named by its line, and\n"
		"nothing is stored. An export imports as it is: its id, report, made_at and\n"
		"supersedes columns are ignored, and its rule exclusions are passed over\n"
		"(applying the rules makes them).",
	.run = run_import,
	.uses_review = 1,
};

const struct cmd cmd_decisions_export = {
	.name = "export",
	.parent = "decisions",
	.summary = "every decision, oldest first, as CSV",
	.usage = "[-o FILE]",
	.description =
		"Columns: id, record, report, stage, reviewer, kind (human, rule or\n"
		"resolution), decision, reason, note, made_at, supersedes. Superseded\n"
		"decisions are included: the history is the record.",
	.options = export_options,
	.run = run_export,
	.uses_review = 1,
};

static const struct cmd *const decisions_subcommands[] = {
	&cmd_decisions_import, &cmd_decisions_export, NULL,
};

const struct cmd cmd_decisions = {
	.name = "decisions",
	.summary = "import or export screening decisions as CSV",
	.usage = "import|export [ARGS]",
	.description =
		"For teams that screen in a spreadsheet or another tool, and for their own\n"
		"analyses: decisions in (checked, all or none) and out (with their history).",
	.subcommands = decisions_subcommands,
};
