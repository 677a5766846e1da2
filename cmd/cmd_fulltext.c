#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "winnow/screening.h"
#include "winnow/store.h"

enum { OPT_RETRIEVED = 1000, OPT_NOT_RETRIEVED, OPT_REASON };

static const struct cmd_option options[] = {
	{ "retrieved", OPT_RETRIEVED, NULL, "the full text was obtained (FILE: the copy, hashed)", 0 },
	{ "not-retrieved", OPT_NOT_RETRIEVED, NULL, "it could not be obtained", 0 },
	{ "reason", OPT_REASON, "TEXT", "why it could not be", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

extern const struct cmd cmd_fulltext;

static int run_fulltext(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct wn_fulltext_result res;
	struct wn_store *store = NULL;
	const char *reason = NULL, *file = NULL;
	int retrieved = 0, not_retrieved = 0, status;
	struct cmd_args args;

	if (!cmd_parse_args(ctx, &cmd_fulltext, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts; i++) {
		if (args.opts[i].id == OPT_RETRIEVED)
			retrieved = 1;
		else if (args.opts[i].id == OPT_NOT_RETRIEVED)
			not_retrieved = 1;
		else if (args.opts[i].id == OPT_REASON)
			reason = args.opts[i].value;
	}
	if (retrieved == not_retrieved) {
		status = cmd_usage_error(&cmd_fulltext, "fulltext: say --retrieved or --not-retrieved");
		goto done;
	}
	if (args.npos < 1 || args.npos > (retrieved ? 2 : 1)) {
		status = cmd_usage_error(&cmd_fulltext, retrieved
					 ? "fulltext: give a record and, if you have it, the file"
					 : "fulltext: give one record");
		goto done;
	}
	if (reason && retrieved) {
		status = cmd_usage_error(&cmd_fulltext, "fulltext: --reason goes with --not-retrieved");
		goto done;
	}
	file = args.npos == 2 ? args.pos[1] : NULL;
	if (wn_store_open(&store, ctx->db_path, WN_OPEN_WRITE, &ctx->who) < 0 ||
	    wn_fulltext(store, args.pos[0], retrieved, file, reason, &res) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	printf("Report %lld: full text %s", res.report_id, retrieved ? "retrieved" : "not retrieved");
	if (file)
		printf(" (%s, sha256 %.12s)", file, res.sha256);
	if (reason)
		printf(" (%s)", reason);
	if (res.superseded)
		printf(", replacing entry %lld", res.superseded);
	printf("\n");
	status = EXIT_OK;
done:
	wn_store_close(store);
	free(args.pos);
	return status;
}

const struct cmd cmd_fulltext = {
	.name = "fulltext",
	.summary = "record whether a report's full text was retrieved",
	.usage = "ID --retrieved [FILE] | --not-retrieved [--reason TEXT]",
	.description =
		"For PRISMA's reports sought for retrieval and reports not retrieved: the\n"
		"report (ID: record id, pmid:N or doi:X) must have reached the last stage.\n"
		"A file given with --retrieved is hashed (SHA-256) and its path kept. A\n"
		"later entry replaces the earlier one; both stay on record.",
	.options = options,
	.run = run_fulltext,
	.uses_review = 1,
};
