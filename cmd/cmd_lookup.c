#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "winnow/format.h"
#include "winnow/search.h"
#include "winnow/store.h"

enum { OPT_CROSSREF = 1000, OPT_MAX, OPT_QUIET };

static const struct cmd_option enrich_options[] = {
	{ "crossref", OPT_CROSSREF, NULL, "fill missing fields from Crossref (the one source "
	  "for now; required)", 0 },
	{ "max", OPT_MAX, "N", "look up at most N DOIs", 0 },
	{ "quiet", OPT_QUIET, NULL, "no progress on stderr", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

/* The callbacks' context: the progress first, so that the same pointer
 * serves cmd_progress_show. */
struct lookup_out {
	struct cmd_progress pr;
	struct wn_writer *w;
};

static int print_record(void *ctx, const char *doi, const struct wn_record *rec)
{
	struct lookup_out *o = ctx;
	struct wn_record_meta meta = { 0, "Crossref", 0, "lookup", doi, 0, 0, NULL, NULL };

	return o->w ? wn_writer_record(o->w, rec, &meta) : 0;
}

static void print_summary(FILE *fp, const struct wn_lookup_summary *s)
{
	fprintf(fp, "Looked up %ld DOI%s in Crossref: %ld found, %ld unknown; %ld stored record%s "
		    "filled in (%ld field%s).\n", s->dois, s->dois == 1 ? "" : "s", s->found,
		s->not_found, s->records_filled, s->records_filled == 1 ? "" : "s",
		s->fields_filled, s->fields_filled == 1 ? "" : "s");
}

static int run_doi(struct cmd_ctx *ctx, int argc, char **argv)
{
	extern const struct cmd cmd_lookup_doi;
	struct wn_lookup_options opts;
	struct wn_lookup_summary sum;
	struct lookup_out out = { { 0, 0, 0, 0 }, NULL };
	struct wn_store *store = NULL;
	struct cmd_args args;
	int status, rc;

	if (!cmd_parse_args(ctx, &cmd_lookup_doi, argc, argv, &args, &status))
		return status;
	if (args.npos == 0) {
		status = cmd_usage_error(&cmd_lookup_doi, "lookup doi: name at least one DOI");
		goto done;
	}
	if (wn_store_open(&store, ctx->db_path, WN_OPEN_WRITE, &ctx->who) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	memset(&opts, 0, sizeof(opts));
	opts.dois = (const char *const *)args.pos;
	opts.ndois = (size_t)args.npos;
	opts.record = print_record;
	opts.progress = cmd_progress_show;
	opts.ctx = &out;
	if (wn_writer_open(&out.w, "json", stdout) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	cmd_progress_start(&out.pr, 0);
	cmd_catch_interrupts();
	rc = wn_crossref_lookup(store, &opts, &sum);
	cmd_progress_clear(&out.pr);
	if (wn_writer_close(out.w) < 0 && rc == WN_OK)
		rc = -1;
	out.w = NULL;
	if (rc < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	print_summary(stderr, &sum);
	status = EXIT_OK;
done:
	wn_store_close(store);
	free(args.pos);
	return status;
}

static int run_enrich(struct cmd_ctx *ctx, int argc, char **argv)
{
	extern const struct cmd cmd_enrich;
	struct wn_lookup_options opts;
	struct wn_lookup_summary sum;
	struct lookup_out out = { { 0, 0, 0, 0 }, NULL };
	struct wn_store *store = NULL;
	struct cmd_args args;
	int status, crossref = 0, quiet = 0, rc;

	memset(&opts, 0, sizeof(opts));
	if (!cmd_parse_args(ctx, &cmd_enrich, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts && status == EXIT_OK; i++) {
		switch (args.opts[i].id) {
		case OPT_CROSSREF: crossref = 1; break;
		case OPT_QUIET: quiet = 1; break;
		case OPT_MAX:
			status = cmd_parse_count(&cmd_enrich, "--max", args.opts[i].value, &opts.max);
			break;
		}
	}
	if (status != EXIT_OK)
		goto done;
	if (!crossref) {
		status = cmd_usage_error(&cmd_enrich, "enrich: say where from: --crossref");
		goto done;
	}
	if (args.npos) {
		status = cmd_usage_error(&cmd_enrich, "enrich: unexpected argument '%s'", args.pos[0]);
		goto done;
	}
	if (wn_store_open(&store, ctx->db_path, WN_OPEN_WRITE, &ctx->who) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	cmd_progress_start(&out.pr, quiet);
	opts.progress = cmd_progress_show;
	opts.ctx = &out;
	cmd_catch_interrupts();
	rc = wn_crossref_lookup(store, &opts, &sum);
	cmd_progress_clear(&out.pr);
	if (rc < 0) {
		status = cmd_fail_lib();
		fprintf(stderr, "winnow: what was looked up before this is kept; run enrich again "
				"to go on\n");
		goto done;
	}
	print_summary(stdout, &sum);
	status = EXIT_OK;
done:
	wn_store_close(store);
	free(args.pos);
	return status;
}

const struct cmd cmd_lookup_doi = {
	.name = "doi",
	.parent = "lookup",
	.summary = "fetch Crossref's metadata for DOIs, print it, fill stored records' gaps",
	.usage = "DOI...",
	.description =
		"Prints the records Crossref gives (JSON, the export's shape) and fills, in\n"
		"stored records with those DOIs, only the fields they lack; what was filled\n"
		"and Crossref's XML are kept with the record and in the audit trail.\n"
		"WINNOW_EMAIL is sent as Crossref asks; WINNOW_CROSSREF_URL replaces\n"
		"https://api.crossref.org/.",
	.run = run_doi,
	.uses_review = 1,
};

static const struct cmd *const lookup_subcommands[] = { &cmd_lookup_doi, NULL };

const struct cmd cmd_lookup = {
	.name = "lookup",
	.summary = "look records up in Crossref by DOI",
	.usage = "doi DOI...",
	.subcommands = lookup_subcommands,
};

const struct cmd cmd_enrich = {
	.name = "enrich",
	.summary = "fill missing abstracts, journals and years from Crossref",
	.usage = "--crossref [--max N] [--quiet]",
	.description =
		"Every stored record with a DOI that lacks an abstract, a journal or a year,\n"
		"and was not looked up before, is looked up in Crossref (unixsd XML). Only\n"
		"missing fields are filled; the record's own raw text stays as it came, and\n"
		"Crossref's XML and the fields filled are kept beside it with an audit entry.",
	.options = enrich_options,
	.run = run_enrich,
	.uses_review = 1,
};
