#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "winnow/protocol.h"
#include "winnow/store.h"

enum { OPT_FORMAT = 'f', OPT_VERSION = 'v' };

static const struct cmd_option format_option[] = {
	{ "format", OPT_FORMAT, "FORMAT", "text (default) or json", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

static const struct cmd_option show_options[] = {
	{ "format", OPT_FORMAT, "FORMAT", "text (the file as loaded, default) or json (parsed)", 0 },
	{ "version", OPT_VERSION, "N", "show version N instead of the one in force", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

extern const struct cmd cmd_protocol_load, cmd_protocol_show, cmd_protocol_list,
	cmd_protocol_check;

static int need_one_file(const struct cmd *c, struct cmd_args *args)
{
	if (args->npos == 0)
		return cmd_usage_error(c, "%s: which protocol file?", cmd_full_name(c));
	if (args->npos > 1)
		return cmd_usage_error(c, "%s: unexpected argument '%s'", cmd_full_name(c),
				       args->pos[1]);
	return EXIT_OK;
}

static int run_load(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct wn_diagnostics diags = { 0 };
	struct wn_protocol protocol = { 0 };
	struct wn_store *store = NULL;
	struct cmd_args args;
	int status, version, unchanged;

	if (!cmd_parse_args(ctx, &cmd_protocol_load, argc, argv, &args, &status))
		return status;
	if ((status = need_one_file(&cmd_protocol_load, &args)) != EXIT_OK)
		goto out;
	if (wn_protocol_parse_file(&protocol, args.pos[0], &diags) < 0) {
		status = cmd_print_diagnostics(args.pos[0], &diags);
		goto out;
	}
	if (wn_store_open(&store, ctx->db_path, WN_OPEN_WRITE, &ctx->who) < 0 ||
	    wn_protocol_store(store, &protocol, &version, &unchanged) < 0) {
		status = cmd_fail_lib();
		goto out;
	}
	if (unchanged)
		printf("Protocol unchanged: '%s' is version %d (sha256 %.12s).\n", args.pos[0],
		       version, protocol.sha256);
	else
		printf("Loaded protocol version %d from '%s' (sha256 %.12s): %s\n", version,
		       args.pos[0], protocol.sha256, protocol.title);
	status = EXIT_OK;
out:
	wn_store_close(store);
	wn_protocol_release(&protocol);
	wn_diagnostics_release(&diags);
	free(args.pos);
	return status;
}

static int run_check(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct wn_diagnostics diags = { 0 };
	struct wn_protocol protocol = { 0 };
	struct cmd_args args;
	int status;

	if (!cmd_parse_args(ctx, &cmd_protocol_check, argc, argv, &args, &status))
		return status;
	if ((status = need_one_file(&cmd_protocol_check, &args)) != EXIT_OK)
		goto out;
	if (wn_protocol_parse_file(&protocol, args.pos[0], &diags) < 0) {
		status = cmd_print_diagnostics(args.pos[0], &diags);
		goto out;
	}
	printf("%s: ok (sha256 %.12s)\n", args.pos[0], protocol.sha256);
	printf("  title: %s\n  stages:", protocol.title);
	for (size_t i = 0; i < protocol.nstages; i++)
		printf("%s %s (%d reviewer%s, %zu reason%s)", i ? "," : "", protocol.stages[i].name,
		       protocol.stages[i].reviewers, protocol.stages[i].reviewers == 1 ? "" : "s",
		       protocol.stages[i].reasons.n, protocol.stages[i].reasons.n == 1 ? "" : "s");
	printf("%s\n", protocol.stages_defaulted ? " (default: none defined)" : "");
	printf("  databases: %zu\n", protocol.ndatabases);
	status = EXIT_OK;
out:
	wn_protocol_release(&protocol);
	wn_diagnostics_release(&diags);
	free(args.pos);
	return status;
}

static json_t *protocol_json(const struct wn_protocol_version *v)
{
	struct wn_diagnostics diags = { 0 };
	struct wn_protocol p;
	json_t *root, *sections = json_array(), *stages = json_array();
	json_t *cur = NULL;
	const char *cur_section = NULL, *cur_name = NULL;

	/* Stored text was valid when loaded; a referenced file that has moved
	 * since is no reason not to show it, so problems are not fatal here. */
	wn_protocol_parse_stored(&p, v->path, v->text, strlen(v->text), &diags);
	for (size_t i = 0; i < p.nentries; i++) {
		const struct wn_protocol_entry *e = &p.entries[i];
		json_t *values, *existing;

		if (e->invalid)
			continue;
		if (!cur || strcmp(cur_section, e->section) ||
		    (cur_name == NULL) != (e->name == NULL) ||
		    (cur_name && strcmp(cur_name, e->name))) {
			cur = json_object();
			json_object_set_new(cur, "section", cmd_json_text(e->section));
			if (e->name)
				json_object_set_new(cur, "name", cmd_json_text(e->name));
			json_object_set_new(cur, "values", json_object());
			json_array_append_new(sections, cur);
			cur_section = e->section;
			cur_name = e->name;
		}
		values = json_object_get(cur, "values");
		existing = json_object_get(values, e->key);
		if (!existing) {
			json_object_set_new(values, e->key, cmd_json_text(e->value));
		} else if (json_is_array(existing)) {
			json_array_append_new(existing, cmd_json_text(e->value));
		} else {
			json_t *arr = json_array();

			json_array_append(arr, existing);
			json_array_append_new(arr, cmd_json_text(e->value));
			json_object_set_new(values, e->key, arr);
		}
	}
	for (size_t i = 0; i < p.nstages; i++) {
		json_t *reasons = json_array();

		for (size_t j = 0; j < p.stages[i].reasons.n; j++)
			json_array_append_new(reasons, cmd_json_text(p.stages[i].reasons.items[j]));
		json_array_append_new(stages, json_pack("{s:o, s:i, s:o}", "name", cmd_json_text(p.stages[i].name),
							"reviewers", p.stages[i].reviewers,
							"reasons", reasons));
	}
	root = json_pack("{s:i, s:o, s:o, s:o, s:o, s:o, s:o}", "version", v->id, "loaded_at",
			 cmd_json_text(v->loaded_at), "actor", cmd_json_text(v->actor), "path",
			 cmd_json_text(v->path), "sha256", cmd_json_text(v->sha256), "sections",
			 sections, "stages", stages);
	wn_protocol_release(&p);
	wn_diagnostics_release(&diags);
	return root;
}

static int run_show(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct wn_protocol_version v = { 0 };
	enum cmd_format format = FORMAT_TEXT;
	struct wn_store *store = NULL;
	struct cmd_args args;
	int status, version = 0;

	if (!cmd_parse_args(ctx, &cmd_protocol_show, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts; i++) {
		if (args.opts[i].id == OPT_FORMAT &&
		    (status = cmd_parse_format(&cmd_protocol_show, args.opts[i].value,
					       FORMATS_TEXT_JSON, &format)) != EXIT_OK)
			goto out;
		if (args.opts[i].id == OPT_VERSION) {
			char *end;
			long n = strtol(args.opts[i].value, &end, 10);

			if (*end || n < 1 || n > 1000000) {
				status = cmd_usage_error(&cmd_protocol_show,
							 "protocol show: --version takes a version number, not '%s'",
							 args.opts[i].value);
				goto out;
			}
			version = (int)n;
		}
	}
	if (args.npos > 0) {
		status = cmd_usage_error(&cmd_protocol_show, "protocol show: unexpected argument '%s'",
					 args.pos[0]);
		goto out;
	}
	if (wn_store_open(&store, ctx->db_path, WN_OPEN_READ, &ctx->who) < 0 ||
	    wn_protocol_load_version(store, version, &v) < 0) {
		status = cmd_fail_lib();
		goto out;
	}
	if (format == FORMAT_JSON) {
		if ((status = cmd_print_json(protocol_json(&v))) != EXIT_OK)
			goto out;
	} else {
		size_t n = strlen(v.text);

		fwrite(v.text, 1, n, stdout);
		if (n && v.text[n - 1] != '\n')
			putchar('\n');
	}
	status = EXIT_OK;
out:
	wn_protocol_version_release(&v);
	wn_store_close(store);
	free(args.pos);
	return status;
}

static int list_one(const struct wn_protocol_version *v, void *arg)
{
	json_t *arr = arg;

	if (arr)
		json_array_append_new(arr, json_pack("{s:i, s:o, s:o, s:o, s:o}", "version", v->id,
						     "loaded_at", cmd_json_text(v->loaded_at),
						     "actor", cmd_json_text(v->actor),
						     "path", cmd_json_text(v->path),
						     "sha256", cmd_json_text(v->sha256)));
	else
		printf("%4d  %s  %-12.12s  %s  %s\n", v->id, v->loaded_at, v->actor, v->sha256,
		       v->path);
	return 0;
}

static int run_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	enum cmd_format format = FORMAT_TEXT;
	struct wn_store *store = NULL;
	struct cmd_args args;
	json_t *arr = NULL;
	int status;

	if (!cmd_parse_args(ctx, &cmd_protocol_list, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts; i++)
		if (args.opts[i].id == OPT_FORMAT &&
		    (status = cmd_parse_format(&cmd_protocol_list, args.opts[i].value,
					       FORMATS_TEXT_JSON, &format)) != EXIT_OK)
			goto out;
	if (args.npos > 0) {
		status = cmd_usage_error(&cmd_protocol_list, "protocol list: unexpected argument '%s'",
					 args.pos[0]);
		goto out;
	}
	if (wn_store_open(&store, ctx->db_path, WN_OPEN_READ, &ctx->who) < 0) {
		status = cmd_fail_lib();
		goto out;
	}
	if (format == FORMAT_JSON)
		arr = json_array();
	else
		printf("%4s  %-20s  %-12s  %-64s  %s\n", "ver", "loaded (UTC)", "by", "sha256", "file");
	if (wn_protocol_each_version(store, list_one, arr) < 0) {
		status = cmd_fail_lib();
		goto out;
	}
	status = EXIT_OK;
	if (arr) {
		status = cmd_print_json(arr);
		arr = NULL;
	}
out:
	json_decref(arr);
	wn_store_close(store);
	free(args.pos);
	return status;
}

const struct cmd cmd_protocol_load = {
	.name = "load",
	.parent = "protocol",
	.summary = "check a protocol file and make it the one in force",
	.usage = "[--db FILE] PROTOCOL-FILE",
	.description =
		"Every version loaded is kept, verbatim, with its SHA-256; loading a file\n"
		"identical to the one in force changes nothing. A file with problems is\n"
		"reported line by line and not stored.",
	.run = run_load,
	.uses_review = 1,
};

const struct cmd cmd_protocol_show = {
	.name = "show",
	.parent = "protocol",
	.summary = "print the protocol in force (or an earlier version)",
	.usage = "[--db FILE] [--version N] [--format text|json]",
	.options = show_options,
	.run = run_show,
	.uses_review = 1,
};

const struct cmd cmd_protocol_list = {
	.name = "list",
	.parent = "protocol",
	.summary = "list every protocol version with its date, author and hash",
	.usage = "[--db FILE] [--format text|json]",
	.options = format_option,
	.run = run_list,
	.uses_review = 1,
};

const struct cmd cmd_protocol_check = {
	.name = "check",
	.parent = "protocol",
	.summary = "check a protocol file without storing it",
	.usage = "PROTOCOL-FILE",
	.run = run_check,
};

static const struct cmd *const protocol_subcommands[] = {
	&cmd_protocol_load, &cmd_protocol_show, &cmd_protocol_list, &cmd_protocol_check, NULL,
};

const struct cmd cmd_protocol = {
	.name = "protocol",
	.summary = "load, show, list or check the review protocol",
	.usage = "load|show|list|check [ARGS]",
	.description =
		"The protocol is a plain-text file (format: docs/protocol.md): the question,\n"
		"eligibility criteria, stages and reviewers, exclusion reasons, rules file,\n"
		"source preference, appraisal instrument, databases and search strings.",
	.subcommands = protocol_subcommands,
};
