#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "winnow/search.h"
#include "winnow/store.h"

enum {
	OPT_FROM = 1000,
	OPT_TO,
	OPT_DATETYPE,
	OPT_MAX,
	OPT_QUIET,
	OPT_FORMAT,
	OPT_SYNONYM,
};

static const struct cmd_option pubmed_options[] = {
	{ "from", OPT_FROM, "DATE", "only records dated from DATE (YYYY, YYYY-MM or YYYY-MM-DD)", 0 },
	{ "to", OPT_TO, "DATE", "only records dated up to DATE", 0 },
	{ "datetype", OPT_DATETYPE, "TYPE", "the date --from and --to mean: edat (added to "
	  "PubMed, the default), pdat (published) or mdat (modified)", 0 },
	{ "max", OPT_MAX, "N", "fetch at most N records", 0 },
	{ "quiet", OPT_QUIET, NULL, "no progress on stderr", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

static const struct cmd_option europepmc_options[] = {
	{ "synonym", OPT_SYNONYM, NULL, "let Europe PMC expand the query with synonyms", 0 },
	{ "max", OPT_MAX, "N", "fetch at most N records", 0 },
	{ "quiet", OPT_QUIET, NULL, "no progress on stderr", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

static const struct cmd_option arxiv_options[] = {
	{ "max", OPT_MAX, "N", "fetch at most N records", 0 },
	{ "quiet", OPT_QUIET, NULL, "no progress on stderr", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

static const struct cmd_option resume_options[] = {
	{ "quiet", OPT_QUIET, NULL, "no progress on stderr", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

static const struct cmd_option list_options[] = {
	{ "format", OPT_FORMAT, "F", "text (default) or json", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

static void print_summary(const struct wn_search_summary *s)
{
	printf("Search %lld: %lld record%s retrieved", s->run_id, s->retrieved,
	       s->retrieved == 1 ? "" : "s");
	if (s->count_reported >= 0)
		printf(" of %lld reported", s->count_reported);
	if (s->previous_run)
		printf("; %lld new since search %lld", s->records_new, s->previous_run);
	printf(" (%s)\n", s->status ? s->status : "?");
	if (*s->translation)
		printf("  query as run: %s\n", s->translation);
	if (*s->message)
		printf("  note: %s\n", s->message);
}

/* After a failure: say how far it got and how to go on. */
static int report_failure(const struct wn_search_summary *s, int rc)
{
	int status = cmd_fail_lib();

	if (s->run_id > 0)
		fprintf(stderr, "winnow: search %lld kept the %lld record%s stored before this; "
				"go on with: winnow search resume %lld\n",
			s->run_id, s->retrieved, s->retrieved == 1 ? "" : "s", s->run_id);
	(void)rc;
	return status;
}

/* A new search (resume_id 0) or a resume, with progress and Ctrl-C, and
 * what it came to. */
static int search(struct cmd_ctx *ctx, struct wn_search_options *opts, int quiet,
		  long long resume_id)
{
	struct wn_search_summary sum;
	struct cmd_progress pr;
	struct wn_store *store = NULL;
	int status, rc;

	if (wn_store_open(&store, ctx->db_path, WN_OPEN_WRITE, &ctx->who) < 0)
		return cmd_fail_lib();
	cmd_progress_start(&pr, quiet);
	opts->progress = cmd_progress_show;
	opts->ctx = &pr;
	cmd_catch_interrupts();
	rc = resume_id ? wn_search_resume(store, resume_id, opts, &sum)
		       : wn_search_run(store, opts, &sum);
	cmd_progress_clear(&pr);
	if (rc < 0) {
		status = report_failure(&sum, rc);
	} else {
		print_summary(&sum);
		status = EXIT_OK;
	}
	wn_store_close(store);
	return status;
}

/* search pubmed, europepmc and arxiv: the same shape, their own options */
static int run_source(struct cmd_ctx *ctx, const struct cmd *c, const char *source, int argc,
		      char **argv)
{
	struct wn_search_options opts;
	struct cmd_args args;
	int status, quiet = 0;

	memset(&opts, 0, sizeof(opts));
	if (!cmd_parse_args(ctx, c, argc, argv, &args, &status))
		return status;
	opts.source = source;
	for (int i = 0; i < args.nopts && status == EXIT_OK; i++) {
		const char *v = args.opts[i].value;

		switch (args.opts[i].id) {
		case OPT_FROM: opts.from = v; break;
		case OPT_TO: opts.to = v; break;
		case OPT_DATETYPE: opts.datetype = v; break;
		case OPT_QUIET: quiet = 1; break;
		case OPT_SYNONYM: opts.synonym = 1; break;
		case OPT_MAX: status = cmd_parse_count(c, "--max", v, &opts.max); break;
		}
	}
	if (status != EXIT_OK)
		goto out;
	if (args.npos != 1) {
		status = cmd_usage_error(c, "%s: give the query as one argument (quote it)",
					 cmd_full_name(c));
		goto out;
	}
	opts.query = args.pos[0];
	if (wn_search_check_options(&opts) < 0) {
		status = cmd_usage_error(c, "%s: %s", cmd_full_name(c), wn_error_last());
		goto out;
	}
	status = search(ctx, &opts, quiet, 0);
out:
	free(args.pos);
	return status;
}

static int run_pubmed(struct cmd_ctx *ctx, int argc, char **argv)
{
	extern const struct cmd cmd_search_pubmed;

	return run_source(ctx, &cmd_search_pubmed, "pubmed", argc, argv);
}

static int run_arxiv(struct cmd_ctx *ctx, int argc, char **argv)
{
	extern const struct cmd cmd_search_arxiv;

	return run_source(ctx, &cmd_search_arxiv, "arxiv", argc, argv);
}

static int run_europepmc(struct cmd_ctx *ctx, int argc, char **argv)
{
	extern const struct cmd cmd_search_europepmc;

	return run_source(ctx, &cmd_search_europepmc, "europepmc", argc, argv);
}

static int run_resume(struct cmd_ctx *ctx, int argc, char **argv)
{
	extern const struct cmd cmd_search_resume;
	struct wn_search_options opts;
	struct cmd_args args;
	long long id;
	char *end;
	int status, quiet = 0;

	memset(&opts, 0, sizeof(opts));
	if (!cmd_parse_args(ctx, &cmd_search_resume, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts; i++)
		quiet |= args.opts[i].id == OPT_QUIET;
	if (args.npos != 1 || (id = strtoll(args.pos[0], &end, 10), *end || id <= 0))
		status = cmd_usage_error(&cmd_search_resume, "search resume: give the number of "
					 "the search to go on with (see: winnow search list)");
	else
		status = search(ctx, &opts, quiet, id);
	free(args.pos);
	return status;
}

struct list_out {
	enum cmd_format format;
	json_t *arr;
	int any;
};

static json_t *count_or_null(long long n)
{
	return n >= 0 ? json_integer(n) : json_null();
}

static int list_row(void *ctx, const struct wn_search_row *r)
{
	struct list_out *out = ctx;

	out->any = 1;
	if (out->format == FORMAT_JSON) {
		json_t *o = json_object();
		json_t *limits = json_loads(r->limits, 0, NULL);

		json_object_set_new(o, "id", json_integer(r->id));
		json_object_set_new(o, "source", cmd_json_text(r->source));
		json_object_set_new(o, "database", cmd_json_text(r->database_name));
		json_object_set_new(o, "platform", cmd_json_text(r->platform));
		json_object_set_new(o, "base_url", cmd_json_text(r->base_url));
		json_object_set_new(o, "query", cmd_json_text(r->query));
		json_object_set_new(o, "query_translation", *r->query_translation
					? cmd_json_text(r->query_translation) : json_null());
		json_object_set_new(o, "limits", limits ? limits : json_object());
		json_object_set_new(o, "started_at", cmd_json_text(r->started_at));
		json_object_set_new(o, "finished_at", *r->finished_at
					? cmd_json_text(r->finished_at) : json_null());
		json_object_set_new(o, "count_reported", count_or_null(r->count_reported));
		json_object_set_new(o, "count_retrieved", json_integer(r->count_retrieved));
		json_object_set_new(o, "records_new", json_integer(r->records_new));
		json_object_set_new(o, "previous_run", r->previous_run_id
					? json_integer(r->previous_run_id) : json_null());
		json_object_set_new(o, "status", cmd_json_text(r->status));
		json_object_set_new(o, "message", *r->message ? cmd_json_text(r->message)
							     : json_null());
		json_array_append_new(out->arr, o);
		return 0;
	}
	printf("%lld  %s  %s  %s\n", r->id, r->started_at, r->source, r->status);
	printf("    query: %s\n", r->query);
	if (*r->query_translation)
		printf("    as run: %s\n", r->query_translation);
	if (strcmp(r->limits, "{}") != 0)
		printf("    limits: %s\n", r->limits);
	if (r->count_reported < 0)
		printf("    reported ?");
	else
		printf("    reported %lld", r->count_reported);
	printf(", retrieved %lld, new %lld", r->count_retrieved, r->records_new);
	if (r->previous_run_id)
		printf(" (since search %lld)", r->previous_run_id);
	printf("\n");
	if (*r->message)
		printf("    note: %s\n", r->message);
	return 0;
}

static int run_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	extern const struct cmd cmd_search_list;
	struct list_out out = { FORMAT_TEXT, NULL, 0 };
	struct wn_store *store = NULL;
	struct cmd_args args;
	int status;

	if (!cmd_parse_args(ctx, &cmd_search_list, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts; i++)
		if (args.opts[i].id == OPT_FORMAT &&
		    (status = cmd_parse_format(&cmd_search_list, args.opts[i].value,
					       FORMATS_TEXT_JSON, &out.format)) != EXIT_OK) {
			free(args.pos);
			return status;
		}
	if (args.npos) {
		status = cmd_usage_error(&cmd_search_list, "search list: unexpected argument '%s'",
					 args.pos[0]);
		goto done;
	}
	if (wn_store_open(&store, ctx->db_path, WN_OPEN_READ, &ctx->who) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	if (out.format == FORMAT_JSON)
		out.arr = json_array();
	if (wn_search_list(store, list_row, &out) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	if (out.format == FORMAT_JSON) {
		status = cmd_print_json(out.arr);
		out.arr = NULL;
	} else {
		if (!out.any)
			printf("No searches yet (winnow search pubmed QUERY).\n");
		status = EXIT_OK;
	}
done:
	json_decref(out.arr);
	wn_store_close(store);
	free(args.pos);
	return status;
}

const struct cmd cmd_search_pubmed = {
	.name = "pubmed",
	.parent = "search",
	.summary = "search PubMed (E-utilities) and store every record",
	.usage = "QUERY [--from DATE] [--to DATE] [--datetype edat|pdat|mdat] [--max N] [--quiet]",
	.description =
		"ESearch with the history server, then EFetch in batches of 500 as PubMed XML,\n"
		"each batch stored as it arrives. A search of more than 9,999 records is split\n"
		"into date slices (PubMed lets a client page through only the first 10,000).\n"
		"NCBI_API_KEY raises the rate from 3 to 10 requests a second (the key is never\n"
		"stored); WINNOW_EMAIL is sent as NCBI asks. WINNOW_EUTILS_URL replaces the\n"
		"service's address (a mirror, a test server). Ctrl-C stops at a batch boundary;\n"
		"`winnow search resume ID` goes on.",
	.options = pubmed_options,
	.run = run_pubmed,
	.uses_review = 1,
};

const struct cmd cmd_search_europepmc = {
	.name = "europepmc",
	.parent = "search",
	.summary = "search Europe PMC (REST, core results) and store every record",
	.usage = "QUERY [--synonym] [--max N] [--quiet]",
	.description =
		"Pages of 1,000 core results as XML, by cursorMark, each page stored as it\n"
		"arrives; the search ends when the cursor stops moving or a page is empty.\n"
		"The query is Europe PMC's syntax (e.g. TITLE:\"social prescribing\" AND\n"
		"FIRST_PDATE:[2000-01-01 TO 2024-12-31]). WINNOW_EUROPEPMC_URL replaces the\n"
		"service's address. Ctrl-C stops at a page boundary; `winnow search resume\n"
		"ID` goes on from the next page.",
	.options = europepmc_options,
	.run = run_europepmc,
	.uses_review = 1,
};

const struct cmd cmd_search_arxiv = {
	.name = "arxiv",
	.parent = "search",
	.summary = "search arXiv (its API's Atom feed) and store every preprint",
	.usage = "QUERY [--max N] [--quiet]",
	.description =
		"Pages of 1,000 entries, at least 3 seconds apart as arXiv asks, each page\n"
		"stored as it arrives. The query is arXiv's syntax (e.g. all:\"social\n"
		"prescribing\" AND cat:cs.CY). WINNOW_ARXIV_URL replaces the service's address.\n"
		"Ctrl-C stops at a page boundary; `winnow search resume ID` goes on.",
	.options = arxiv_options,
	.run = run_arxiv,
	.uses_review = 1,
};

const struct cmd cmd_search_resume = {
	.name = "resume",
	.parent = "search",
	.summary = "go on with an interrupted or failed search",
	.usage = "ID [--quiet]",
	.description =
		"Fetches what the search had not stored yet, without fetching a stored batch\n"
		"again or storing a record twice.",
	.options = resume_options,
	.run = run_resume,
	.uses_review = 1,
};

const struct cmd cmd_search_list = {
	.name = "list",
	.parent = "search",
	.summary = "every search run: query as sent and as run, limits, counts, status",
	.usage = "[--format text|json]",
	.options = list_options,
	.run = run_list,
	.uses_review = 1,
};

static const struct cmd *const search_subcommands[] = {
	&cmd_search_pubmed, &cmd_search_europepmc, &cmd_search_arxiv, &cmd_search_resume,
	&cmd_search_list, NULL,
};

const struct cmd cmd_search = {
	.name = "search",
	.summary = "search bibliographic APIs (PubMed, Europe PMC, arXiv) and list or resume them",
	.usage = "pubmed|europepmc|arxiv|resume|list [ARGS]",
	.description =
		"Each search is kept with the PRISMA-S items a tool can record: the query as\n"
		"sent and as the service ran it, limits, date and time (UTC), the count the\n"
		"service reported, the records retrieved and how many are new since the last\n"
		"run of the same search.",
	.subcommands = search_subcommands,
};
