#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "table.h"
#include "winnow/store.h"
#include "winnow/synth.h"

enum { OPT_FORMAT = 'f', OPT_PARENT = 1000, OPT_DESCRIPTION, OPT_TOP, OPT_NAME };

extern const struct cmd cmd_theme_add, cmd_theme_move, cmd_theme_rename, cmd_theme_merge,
	cmd_theme_list;

static const struct cmd_option add_options[] = {
	{ "parent", OPT_PARENT, "THEME", "make it a subtheme of THEME", 0 },
	{ "description", OPT_DESCRIPTION, "TEXT", "what the theme is about", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

static int run_add(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *parent = NULL, *description = NULL;
	struct wn_store *store = NULL;
	struct cmd_args args;
	long long id;
	int status;

	if (!cmd_parse_args(ctx, &cmd_theme_add, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts; i++) {
		if (args.opts[i].id == OPT_PARENT)
			parent = args.opts[i].value;
		else if (args.opts[i].id == OPT_DESCRIPTION)
			description = args.opts[i].value;
	}
	if (args.npos != 1) {
		status = cmd_usage_error(&cmd_theme_add, "theme add: give the theme's name");
		goto done;
	}
	if ((status = cmd_open_review(ctx, WN_OPEN_WRITE, &store)) != EXIT_OK)
		goto done;
	if (wn_theme_add(store, args.pos[0], parent, description, &id) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	printf("Added theme %lld '%s'%s%s\n", id, args.pos[0], parent ? " under " : "",
	       parent ? parent : "");
done:
	wn_store_close(store);
	free(args.pos);
	return status;
}

static const struct cmd_option move_options[] = {
	{ "parent", OPT_PARENT, "THEME", "the theme to move it under", 0 },
	{ "top", OPT_TOP, NULL, "make it a top-level theme", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

static int run_move(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *parent = NULL;
	struct wn_store *store = NULL;
	struct cmd_args args;
	int status, top = 0;

	if (!cmd_parse_args(ctx, &cmd_theme_move, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts; i++) {
		if (args.opts[i].id == OPT_PARENT)
			parent = args.opts[i].value;
		else if (args.opts[i].id == OPT_TOP)
			top = 1;
	}
	if (args.npos != 1 || !parent == !top) {
		status = cmd_usage_error(&cmd_theme_move, "theme move: give a theme and --parent THEME or --top");
		goto done;
	}
	if ((status = cmd_open_review(ctx, WN_OPEN_WRITE, &store)) != EXIT_OK)
		goto done;
	if (wn_theme_move(store, args.pos[0], parent) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	printf("Theme '%s' moved %s%s\n", args.pos[0], parent ? "under " : "to the top level",
	       parent ? parent : "");
done:
	wn_store_close(store);
	free(args.pos);
	return status;
}

static const struct cmd_option rename_options[] = {
	{ "name", OPT_NAME, "NAME", "its new name", 0 },
	{ "description", OPT_DESCRIPTION, "TEXT", "its new description", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

static int run_rename(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *name = NULL, *description = NULL;
	struct wn_store *store = NULL;
	struct cmd_args args;
	int status;

	if (!cmd_parse_args(ctx, &cmd_theme_rename, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts; i++) {
		if (args.opts[i].id == OPT_NAME)
			name = args.opts[i].value;
		else if (args.opts[i].id == OPT_DESCRIPTION)
			description = args.opts[i].value;
	}
	/* "theme rename OLD NEW" reads as people say it */
	if (args.npos == 2 && !name)
		name = args.pos[1];
	else if (args.npos != 1 || (!name && !description)) {
		status = cmd_usage_error(&cmd_theme_rename,
					 "theme rename: give a theme and its new name (or --description)");
		goto done;
	}
	if ((status = cmd_open_review(ctx, WN_OPEN_WRITE, &store)) != EXIT_OK)
		goto done;
	if (wn_theme_rename(store, args.pos[0], name, description) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	printf("Theme '%s' %s%s%s\n", args.pos[0], name ? "renamed '" : "described anew",
	       name ? name : "", name ? "'" : "");
done:
	wn_store_close(store);
	free(args.pos);
	return status;
}

static int run_merge(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct wn_store *store = NULL;
	struct cmd_args args;
	long moved;
	int status;

	if (!cmd_parse_args(ctx, &cmd_theme_merge, argc, argv, &args, &status))
		return status;
	if (args.npos != 2) {
		status = cmd_usage_error(&cmd_theme_merge, "theme merge: give the theme to merge and the one it goes into");
		goto done;
	}
	if ((status = cmd_open_review(ctx, WN_OPEN_WRITE, &store)) != EXIT_OK)
		goto done;
	if (wn_theme_merge(store, args.pos[0], args.pos[1], &moved) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	printf("Theme '%s' merged into '%s' (%ld finding%s recoded)\n", args.pos[0], args.pos[1],
	       moved, moved == 1 ? "" : "s");
done:
	wn_store_close(store);
	free(args.pos);
	return status;
}

static const struct cmd_option list_options[] = {
	{ "format", OPT_FORMAT, "F", "text (default), tsv, csv, markdown, html or json", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

static int run_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const char *const headers[] = { "id", "theme", "studies", "findings", "description" };
	enum cmd_format format = FORMAT_TEXT;
	struct wn_store *store = NULL;
	struct wn_theme *themes = NULL;
	struct cmd_args args;
	size_t n = 0;
	int status;

	if (!cmd_parse_args(ctx, &cmd_theme_list, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts; i++)
		if (args.opts[i].id == OPT_FORMAT &&
		    (status = cmd_parse_format(&cmd_theme_list, args.opts[i].value,
					       FORMATS_TABLE | FORMATS_TEXT_JSON, &format)) != EXIT_OK)
			goto done;
	if (args.npos) {
		status = cmd_usage_error(&cmd_theme_list, "theme list: unexpected argument '%s'", args.pos[0]);
		goto done;
	}
	if ((status = cmd_open_review(ctx, WN_OPEN_READ, &store)) != EXIT_OK)
		goto done;
	if (wn_theme_list(store, &themes, &n) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	if (format == FORMAT_JSON) {
		json_t *arr = json_array();

		for (size_t i = 0; i < n; i++) {
			json_t *o = json_object();

			json_object_set_new(o, "id", json_integer(themes[i].id));
			json_object_set_new(o, "name", cmd_json_text(themes[i].name));
			json_object_set_new(o, "path", cmd_json_text(themes[i].path));
			json_object_set_new(o, "parent", themes[i].parent_id ? json_integer(themes[i].parent_id)
								      : json_null());
			json_object_set_new(o, "description", themes[i].description
					    ? cmd_json_text(themes[i].description) : json_null());
			json_object_set_new(o, "findings", json_integer(themes[i].findings_all));
			json_object_set_new(o, "studies", json_integer(themes[i].studies_all));
			json_array_append_new(arr, o);
		}
		status = cmd_print_json(arr);
		goto done;
	}
	{
		struct cmd_table *t = cmd_table_new(5, headers);

		cmd_table_width(t, 1, 60);
		for (size_t i = 0; i < n; i++) {
			cmd_table_addf(t, "%lld", themes[i].id);
			/* text shows the tree by indenting; the others give the path */
			if (format == FORMAT_TEXT)
				cmd_table_addf(t, "%*s%s", 2 * themes[i].depth, "", themes[i].name);
			else
				cmd_table_add(t, themes[i].path);
			cmd_table_addf(t, "%ld", themes[i].studies_all);
			cmd_table_addf(t, "%ld", themes[i].findings_all);
			cmd_table_add(t, themes[i].description);
		}
		status = cmd_table_print(t, stdout, format, NULL);
		cmd_table_free(t);
	}
done:
	wn_themes_release(themes, n);
	wn_store_close(store);
	free(args.pos);
	return status;
}

const struct cmd cmd_theme_add = {
	.name = "add",
	.parent = "theme",
	.summary = "add a theme, or a subtheme under one",
	.usage = "[--db FILE] NAME [--parent THEME] [--description TEXT]",
	.options = add_options,
	.run = run_add,
	.uses_review = 1,
};

const struct cmd cmd_theme_move = {
	.name = "move",
	.parent = "theme",
	.summary = "move a theme under another, or to the top level",
	.usage = "[--db FILE] THEME --parent THEME | --top",
	.description = "A theme cannot go under itself or one of its own subthemes.",
	.options = move_options,
	.run = run_move,
	.uses_review = 1,
};

const struct cmd cmd_theme_rename = {
	.name = "rename",
	.parent = "theme",
	.summary = "rename a theme or change its description",
	.usage = "[--db FILE] THEME NEW-NAME | THEME [--name NAME] [--description TEXT]",
	.options = rename_options,
	.run = run_rename,
	.uses_review = 1,
};

const struct cmd cmd_theme_merge = {
	.name = "merge",
	.parent = "theme",
	.summary = "merge a theme into another",
	.usage = "[--db FILE] THEME INTO-THEME",
	.description =
		"Its findings are recoded to INTO-THEME and its subthemes move under it; the\n"
		"merged theme stays on record, named no more.",
	.run = run_merge,
	.uses_review = 1,
};

const struct cmd cmd_theme_list = {
	.name = "list",
	.parent = "theme",
	.summary = "the themes as a tree, with studies and findings",
	.usage = "[--db FILE] [--format text|tsv|csv|markdown|html|json]",
	.description = "Counts include each theme's subthemes.",
	.options = list_options,
	.run = run_list,
	.uses_review = 1,
};

static const struct cmd *const theme_subcommands[] = {
	&cmd_theme_add, &cmd_theme_move, &cmd_theme_rename, &cmd_theme_merge, &cmd_theme_list, NULL,
};

const struct cmd cmd_theme = {
	.name = "theme",
	.summary = "the themes and subthemes of the synthesis",
	.usage = "add|move|rename|merge|list [ARGS]",
	.description =
		"A theme is named by its name, its path (\"Theme/Subtheme\") when names repeat,\n"
		"or its id. See docs/synthesis.md.",
	.subcommands = theme_subcommands,
};
