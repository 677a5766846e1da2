#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "winnow/export.h"
#include "winnow/store.h"

enum { OPT_FORMAT = 'f', OPT_WHERE = 'w', OPT_STAGE = 1000, OPT_REPORTS, OPT_OUTPUT = 'o' };

static const struct cmd_option options[] = {
	{ "format", OPT_FORMAT, "F", "ris (default), bibtex, csv or json", 0 },
	{ "where", OPT_WHERE, "WHICH", "all (default), included, excluded or pending", 0 },
	{ "stage", OPT_STAGE, "S", "the screening stage --where refers to (default: the "
	  "last stage; for excluded, any stage)", 0 },
	{ "reports", OPT_REPORTS, NULL, "one per report, not per record: each cluster's primary "
	  "record, what it lacks filled in from the cluster's others", 0 },
	{ "output", OPT_OUTPUT, "FILE", "write to FILE (replaced only when the export "
	  "succeeds) instead of standard output", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

static int parse_where(const char *s, enum wn_export_where *out)
{
	static const struct {
		const char *name;
		enum wn_export_where where;
	} names[] = {
		{ "all", WN_EXPORT_ALL }, { "included", WN_EXPORT_INCLUDED },
		{ "excluded", WN_EXPORT_EXCLUDED }, { "pending", WN_EXPORT_PENDING },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(s, names[i].name)) {
			*out = names[i].where;
			return 1;
		}
	}
	return 0;
}

static int run_export(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct wn_export_options opts = { "ris", WN_EXPORT_ALL, NULL, 0 };
	struct wn_store *store = NULL;
	const char *output = NULL;
	struct cmd_output out;
	struct cmd_args args;
	long count = 0;
	int status, rc;

	if (!cmd_parse_args(ctx, &cmd_export, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts; i++) {
		const char *v = args.opts[i].value;

		switch (args.opts[i].id) {
		case OPT_FORMAT:
			if (strcmp(v, "ris") && strcmp(v, "bibtex") && strcmp(v, "csv") &&
			    strcmp(v, "json")) {
				status = cmd_usage_error(&cmd_export, "export: --format must be "
							 "ris, bibtex, csv or json, not '%s'", v);
				goto out;
			}
			opts.format = v;
			break;
		case OPT_WHERE:
			if (!parse_where(v, &opts.where)) {
				status = cmd_usage_error(&cmd_export, "export: --where must be all, "
							 "included, excluded or pending, not "
							 "'%s'", v);
				goto out;
			}
			break;
		case OPT_STAGE:
			opts.stage = v;
			break;
		case OPT_OUTPUT:
			output = v;
			break;
		case OPT_REPORTS:
			opts.reports = 1;
			break;
		}
	}
	if (args.npos > 0) {
		status = cmd_usage_error(&cmd_export, "export: unexpected argument '%s'",
					 args.pos[0]);
		goto out;
	}
	if (opts.stage && opts.where == WN_EXPORT_ALL) {
		status = cmd_usage_error(&cmd_export, "export: --stage needs --where included, "
					 "excluded or pending");
		goto out;
	}
	if (wn_store_open(&store, ctx->db_path, WN_OPEN_READ, &ctx->who) < 0) {
		status = cmd_fail_lib();
		goto out;
	}
	if ((status = cmd_output_open(&out, output)) != EXIT_OK)
		goto out;
	rc = wn_export(store, &opts, out.fp, &count);
	if (rc < 0) {
		cmd_output_close(&out, 0);
		status = cmd_fail_lib();
		goto out;
	}
	if ((status = cmd_output_close(&out, 1)) != EXIT_OK)
		goto out;
	if (output)
		fprintf(stderr, "Exported %ld record%s to %s (%s).\n", count,
			count == 1 ? "" : "s", output, opts.format);
	status = EXIT_OK;
out:
	wn_store_close(store);
	free(args.pos);
	return status;
}

const struct cmd cmd_export = {
	.name = "export",
	.summary = "export records as RIS, BibTeX, CSV or JSON",
	.usage = "[--format ris|bibtex|csv|json] [--where all|included|excluded|pending] "
		 "[--stage S] [--reports] [-o FILE]",
	.description =
		"Writes records in record order. RIS and BibTeX re-import as the same\n"
		"records (one author per AU line as \"Last, First\"; multi-line notes\n"
		"kept). JSON is the stable machine interface: an array with one object\n"
		"per record (id, source, source_id, title, abstract, authors, year,\n"
		"journal, volume, issue, pages, doi, pmid, pmcid, issn, language, type,\n"
		"keywords, cluster, origin, extra, ...); see docs/import-export.md.\n"
		"\n"
		"--where picks records by where their report stands in screening:\n"
		"included at the stage (default: the last), excluded at it or before\n"
		"(default: at any stage), or pending there (reached it, not decided).\n"
		"\n"
		"--reports writes one entry per report once dedupe has run: the primary\n"
		"record of each cluster (and each record in none), with the fields it\n"
		"lacks (abstract, DOI, pages, ...) filled in from the cluster's other\n"
		"records, earliest first. JSON says which came from where (filled_from).",
	.options = options,
	.run = run_export,
	.uses_review = 1,
};
