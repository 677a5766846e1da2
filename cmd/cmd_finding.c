#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "table.h"
#include "winnow/store.h"
#include "winnow/synth.h"

enum {
	OPT_FORMAT = 'f',
	OPT_STUDY = 1000, OPT_REPORT, OPT_THEME, OPT_KIND, OPT_TEXT, OPT_WHERE, OPT_PARTICIPANT,
};

extern const struct cmd cmd_finding_add, cmd_finding_import, cmd_finding_list, cmd_finding_remove;

static const struct cmd_option add_options[] = {
	{ "study", OPT_STUDY, "STUDY", "the study it comes from", 0 },
	{ "report", OPT_REPORT, "ID", "the report of the study it is in (record id, pmid:N, doi:X)", 0 },
	{ "theme", OPT_THEME, "THEME", "a theme it is coded to (repeat for several)", 1 },
	{ "kind", OPT_KIND, "KIND", "quote (participants' words) or interpretation (the authors')", 0 },
	{ "text", OPT_TEXT, "TEXT", "the words", 0 },
	{ "where", OPT_WHERE, "TEXT", "where in the report (\"p. 7\")", 0 },
	{ "participant", OPT_PARTICIPANT, "TEXT", "who said it (\"P12, aged 67\")", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

static int run_add(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct wn_finding_input in = { 0 };
	const char **themes = NULL;
	struct wn_store *store = NULL;
	struct cmd_args args;
	long long id;
	int status;

	if (!cmd_parse_args(ctx, &cmd_finding_add, argc, argv, &args, &status))
		return status;
	themes = calloc((size_t)args.nopts + 1, sizeof(*themes));
	in.themes = themes;
	for (int i = 0; i < args.nopts; i++) {
		const char *v = args.opts[i].value;

		switch (args.opts[i].id) {
		case OPT_STUDY: in.study = v; break;
		case OPT_REPORT: in.report = v; break;
		case OPT_THEME: themes[in.nthemes++] = v; break;
		case OPT_KIND: in.kind = v; break;
		case OPT_TEXT: in.text = v; break;
		case OPT_WHERE: in.where = v; break;
		case OPT_PARTICIPANT: in.participant = v; break;
		}
	}
	if (args.npos || !in.study || !in.nthemes || !in.kind || !in.text) {
		status = cmd_usage_error(&cmd_finding_add, args.npos
			? "finding add: unexpected argument (the words go in --text)"
			: "finding add: give --study, --theme, --kind and --text");
		goto done;
	}
	if ((status = cmd_open_review(ctx, WN_OPEN_WRITE, &store)) != EXIT_OK)
		goto done;
	if (wn_finding_add(store, &in, &id) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	printf("Finding %lld (%s from '%s') coded to %zu theme%s\n", id, in.kind, in.study,
	       in.nthemes, in.nthemes == 1 ? "" : "s");
done:
	free(themes);
	wn_store_close(store);
	free(args.pos);
	return status;
}

static int run_import(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct wn_store *store = NULL;
	struct cmd_args args;
	long count;
	int status;

	if (!cmd_parse_args(ctx, &cmd_finding_import, argc, argv, &args, &status))
		return status;
	if (args.npos != 1) {
		status = cmd_usage_error(&cmd_finding_import, "finding import: give one CSV file");
		goto done;
	}
	if ((status = cmd_open_review(ctx, WN_OPEN_WRITE, &store)) != EXIT_OK)
		goto done;
	if (wn_finding_import(store, args.pos[0], &count) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	printf("Imported %ld finding%s from %s\n", count, count == 1 ? "" : "s", args.pos[0]);
done:
	wn_store_close(store);
	free(args.pos);
	return status;
}

static const struct cmd_option list_options[] = {
	{ "theme", OPT_THEME, "THEME", "only those coded to THEME or its subthemes", 0 },
	{ "study", OPT_STUDY, "STUDY", "only those from STUDY", 0 },
	{ "format", OPT_FORMAT, "F", "text (default), tsv, csv, markdown, html or json", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

static int run_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const char *const headers[] = { "id", "study", "report", "kind", "where",
						"participant", "themes", "text" };
	enum cmd_format format = FORMAT_TEXT;
	const char *theme = NULL, *study = NULL;
	struct wn_finding *f = NULL;
	struct wn_store *store = NULL;
	struct cmd_args args;
	size_t n = 0;
	int status;

	if (!cmd_parse_args(ctx, &cmd_finding_list, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts && status == EXIT_OK; i++) {
		if (args.opts[i].id == OPT_THEME)
			theme = args.opts[i].value;
		else if (args.opts[i].id == OPT_STUDY)
			study = args.opts[i].value;
		else if (args.opts[i].id == OPT_FORMAT)
			status = cmd_parse_format(&cmd_finding_list, args.opts[i].value,
						  FORMATS_TABLE | FORMATS_TEXT_JSON, &format);
	}
	if (status != EXIT_OK)
		goto done;
	if (args.npos) {
		status = cmd_usage_error(&cmd_finding_list, "finding list: unexpected argument '%s'", args.pos[0]);
		goto done;
	}
	if ((status = cmd_open_review(ctx, WN_OPEN_READ, &store)) != EXIT_OK)
		goto done;
	if (wn_finding_list(store, theme, study, &f, &n) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	if (format == FORMAT_JSON) {
		json_t *arr = json_array();

		for (size_t i = 0; i < n; i++) {
			json_t *o = json_object();

			json_object_set_new(o, "id", json_integer(f[i].id));
			json_object_set_new(o, "study", cmd_json_text(f[i].study));
			json_object_set_new(o, "report", f[i].report_id ? json_integer(f[i].report_id) : json_null());
			json_object_set_new(o, "kind", json_string(f[i].kind));
			json_object_set_new(o, "text", cmd_json_text(f[i].text));
			json_object_set_new(o, "where", f[i].where ? cmd_json_text(f[i].where) : json_null());
			json_object_set_new(o, "participant", f[i].participant ? cmd_json_text(f[i].participant)
								     : json_null());
			json_object_set_new(o, "themes", cmd_json_text(f[i].themes));
			json_array_append_new(arr, o);
		}
		status = cmd_print_json(arr);
		goto done;
	}
	{
		struct cmd_table *t = cmd_table_new(8, headers);

		cmd_table_width(t, 7, 60);
		for (size_t i = 0; i < n; i++) {
			cmd_table_addf(t, "%lld", f[i].id);
			cmd_table_add(t, f[i].study);
			cmd_table_add(t, f[i].citation);
			cmd_table_add(t, f[i].kind);
			cmd_table_add(t, f[i].where);
			cmd_table_add(t, f[i].participant);
			cmd_table_add(t, f[i].themes);
			cmd_table_add(t, f[i].text);
		}
		status = cmd_table_print(t, stdout, format, NULL);
		cmd_table_free(t);
	}
done:
	wn_findings_release(f, n);
	wn_store_close(store);
	free(args.pos);
	return status;
}

static int run_remove(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct wn_store *store = NULL;
	struct cmd_args args;
	long long id;
	int status;

	if (!cmd_parse_args(ctx, &cmd_finding_remove, argc, argv, &args, &status))
		return status;
	if (args.npos != 1) {
		status = cmd_usage_error(&cmd_finding_remove, "finding remove: give one finding id");
		goto done;
	}
	if ((status = cmd_parse_id(&cmd_finding_remove, "the finding id", args.pos[0], &id)) != EXIT_OK ||
	    (status = cmd_open_review(ctx, WN_OPEN_WRITE, &store)) != EXIT_OK)
		goto done;
	if (wn_finding_remove(store, id) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	printf("Finding %lld removed\n", id);
done:
	wn_store_close(store);
	free(args.pos);
	return status;
}

const struct cmd cmd_finding_add = {
	.name = "add",
	.parent = "finding",
	.summary = "code a quote or an interpretation from a study to themes",
	.usage = "[--db FILE] --study S [--report R] --theme T [--theme T]... --kind quote|interpretation "
		 "--text TEXT [--where \"p. 7\"] [--participant \"P12, aged 67\"]",
	.description =
		"The report, when given, must be an included report linked to the study\n"
		"(winnow study link).",
	.options = add_options,
	.run = run_add,
	.uses_review = 1,
};

const struct cmd cmd_finding_import = {
	.name = "import",
	.parent = "finding",
	.summary = "import coded findings from a CSV file, all or nothing",
	.usage = "[--db FILE] FILE.csv",
	.description =
		"A header row names the columns: study, theme, text (required), report,\n"
		"kind (quote, the default, or interpretation), where, participant. NVivo\n"
		"and spreadsheet names are read too (case, code or node for theme; quote\n"
		"or content for text; page or reference for where). A row may code to\n"
		"several themes separated by ';'. One bad row, named by its line, and\n"
		"nothing is stored.",
	.run = run_import,
	.uses_review = 1,
};

const struct cmd cmd_finding_list = {
	.name = "list",
	.parent = "finding",
	.summary = "list the coded findings",
	.usage = "[--db FILE] [--theme T] [--study S] [--format text|tsv|csv|markdown|html|json]",
	.options = list_options,
	.run = run_list,
	.uses_review = 1,
};

const struct cmd cmd_finding_remove = {
	.name = "remove",
	.parent = "finding",
	.summary = "remove a finding coded by mistake",
	.usage = "[--db FILE] ID",
	.description = "The audit trail keeps that it was there.",
	.run = run_remove,
	.uses_review = 1,
};

static const struct cmd *const finding_subcommands[] = {
	&cmd_finding_add, &cmd_finding_import, &cmd_finding_list, &cmd_finding_remove, NULL,
};

const struct cmd cmd_finding = {
	.name = "finding",
	.summary = "quotes and interpretations coded to themes",
	.usage = "add|import|list|remove [ARGS]",
	.subcommands = finding_subcommands,
};
