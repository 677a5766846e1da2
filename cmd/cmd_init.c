#include "cmd.h"
#include "winnow/protocol.h"
#include "winnow/store.h"

enum { OPT_PROTOCOL = 'p' };

static const struct cmd_option options[] = {
	{ "protocol", OPT_PROTOCOL, "FILE", "load this review protocol into the new review", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

static int run_init(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct wn_diagnostics diags = { 0 };
	struct wn_protocol protocol = { 0 };
	const char *protocol_path = NULL;
	struct wn_store *store = NULL;
	struct cmd_args args;
	int status, version = 0, unchanged;

	if (!cmd_parse_args(ctx, &cmd_init, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts; i++)
		if (args.opts[i].id == OPT_PROTOCOL)
			protocol_path = args.opts[i].value;
	if (args.npos > 0) {
		status = cmd_usage_error(&cmd_init, "init: unexpected argument '%s' (the review file is given with --db)",
					 args.pos[0]);
		goto out;
	}
	/* Check the protocol before creating anything, so that a mistake in it
	 * leaves no half-made review behind. */
	if (protocol_path && wn_protocol_parse_file(&protocol, protocol_path, &diags) < 0) {
		status = cmd_print_diagnostics(protocol_path, &diags);
		goto out;
	}
	if (wn_store_create(&store, ctx->db_path, &ctx->who) < 0) {
		status = cmd_fail_lib();
		goto out;
	}
	if (protocol_path && wn_protocol_store(store, &protocol, &version, &unchanged) < 0) {
		status = cmd_fail_lib();
		wn_store_discard_new(store);
		store = NULL;
		goto out;
	}
	printf("Created review '%s' (schema %d).\n", ctx->db_path, WN_SCHEMA_VERSION);
	if (protocol_path)
		printf("Loaded protocol version %d from '%s' (sha256 %.12s): %s\n", version,
		       protocol_path, protocol.sha256, protocol.title);
	else
		printf("No protocol yet: load one with 'winnow protocol load FILE'.\n");
	status = EXIT_OK;
out:
	wn_store_close(store);
	wn_protocol_release(&protocol);
	wn_diagnostics_release(&diags);
	free(args.pos);
	return status;
}

const struct cmd cmd_init = {
	.name = "init",
	.summary = "create a new review file",
	.usage = "[--db FILE] [--protocol FILE]",
	.description =
		"Creates the review file (--db FILE, else $WINNOW_DB, else ./winnow.db).\n"
		"It never overwrites an existing file. With --protocol, the protocol is\n"
		"checked first and stored as version 1; if it has problems, nothing is\n"
		"created.",
	.options = options,
	.run = run_init,
	.uses_review = 1,
};
