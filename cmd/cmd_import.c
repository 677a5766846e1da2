#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "winnow/format.h"
#include "winnow/import.h"
#include "winnow/store.h"

enum {
	OPT_FORMAT = 'f',
	OPT_SOURCE = 's',
	OPT_DATE = 1000,
	OPT_QUERY,
	OPT_VIA,
	OPT_PLATFORM,
	OPT_AGAIN,
	OPT_STRICT,
	OPT_DRY_RUN,
};

static const struct cmd_option options[] = {
	{ "format", OPT_FORMAT, "F", "read the files as format F instead of detecting it", 0 },
	{ "source", OPT_SOURCE, "NAME", "the database the files came from (a [database NAME] "
	  "of the protocol)", 0 },
	{ "date-searched", OPT_DATE, "YYYY-MM-DD", "when the search was run", 0 },
	{ "query", OPT_QUERY, "TEXT", "the search string as run", 0 },
	{ "via", OPT_VIA, "ROUTE", "database, register, website, organisation or citation "
	  "(the PRISMA route; default: the protocol's, else database)", 0 },
	{ "platform", OPT_PLATFORM, "NAME", "the interface searched (Ovid, EBSCOhost, ...)", 0 },
	{ "again", OPT_AGAIN, NULL, "import a file even if the same bytes were imported before", 0 },
	{ "strict", OPT_STRICT, NULL, "treat any warning as an error: import nothing", 0 },
	{ "dry-run", OPT_DRY_RUN, NULL, "read and check the files, say what would be imported, "
	  "store nothing", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

/* "pubmed-xml, endnote-xml, ..." */
static const char *format_names(void)
{
	static char names[256];
	size_t n, len = 0;
	const struct wn_format_info *f = wn_formats(&n);

	for (size_t i = 0; i < n && len < sizeof(names); i++)
		len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s",
					i ? ", " : "", f[i].name);
	return names;
}

/* A count on the terminal while a large file imports; nothing when stderr
 * is a file or a pipe, so scripts and logs see only the summary. */
static void show_progress(void *ctx, const char *path, long records)
{
	int *shown = ctx;

	fprintf(stderr, "\rwinnow: %s: %ld records read...", path, records);
	*shown = 1;
}

static void clear_progress(int *shown)
{
	if (*shown)
		fputs("\r\033[K", stderr);
	*shown = 0;
}

static void print_warning(void *ctx, const char *path, long line, const char *message)
{
	clear_progress(ctx);
	if (line > 0)
		fprintf(stderr, "winnow: warning: %s:%ld: %s\n", path, line, message);
	else
		fprintf(stderr, "winnow: warning: %s: %s\n", path, message);
}

static int run_import(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct wn_import_options opts;
	struct wn_import_summary *summaries = NULL;
	int progress_shown = 0;
	struct wn_store *store = NULL;
	struct cmd_args args;
	long total = 0;
	int status;

	memset(&opts, 0, sizeof(opts));
	if (!cmd_parse_args(ctx, &cmd_import, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts; i++) {
		const char *v = args.opts[i].value;

		switch (args.opts[i].id) {
		case OPT_FORMAT: opts.format = v; break;
		case OPT_SOURCE: opts.source = v; break;
		case OPT_DATE: opts.date_searched = v; break;
		case OPT_QUERY: opts.query = v; break;
		case OPT_VIA: opts.via = v; break;
		case OPT_PLATFORM: opts.platform = v; break;
		case OPT_AGAIN: opts.again = 1; break;
		case OPT_STRICT: opts.strict = 1; break;
		case OPT_DRY_RUN: opts.dry_run = 1; break;
		}
	}
	if (isatty(STDERR_FILENO))
		opts.progress = show_progress;
	if (args.npos == 0) {
		status = cmd_usage_error(&cmd_import, "import: name at least one file to import");
		goto out;
	}
	if (opts.format && !wn_format_find(opts.format)) {
		status = cmd_usage_error(&cmd_import, "import: unknown format '%s' (formats: "
					 "%s)", opts.format, format_names());
		goto out;
	}
	if (opts.via && !wn_import_via_valid(opts.via)) {
		status = cmd_usage_error(&cmd_import, "import: --via must be database, register, "
					 "website, organisation or citation, not '%s'", opts.via);
		goto out;
	}
	if (opts.date_searched && !wn_date_valid(opts.date_searched, 1)) {
		status = cmd_usage_error(&cmd_import, "import: --date-searched must be a date "
					 "written YYYY-MM-DD, not '%s'", opts.date_searched);
		goto out;
	}
	if (wn_store_open(&store, ctx->db_path, WN_OPEN_WRITE, &ctx->who) < 0) {
		status = cmd_fail_lib();
		goto out;
	}
	/* All files or none: a failure in the last file leaves the review as
	 * it was before the command. */
	if (wn_store_begin(store) < 0) {
		status = cmd_fail_lib();
		goto out;
	}
	summaries = calloc((size_t)args.npos, sizeof(*summaries));
	if (!summaries) {
		status = cmd_fail("out of memory");
		goto out;
	}
	for (int i = 0; i < args.npos; i++) {
		int rc = wn_import_file(store, args.pos[i], &opts, print_warning,
					&progress_shown, &summaries[i]);

		clear_progress(&progress_shown);
		if (rc < 0) {
			wn_store_rollback(store);
			status = cmd_fail_lib();
			if (args.npos > 1)
				fprintf(stderr, "winnow: nothing was imported (no file of this "
					"command is kept when one fails)\n");
			goto out;
		}
	}
	if (wn_store_commit(store) < 0) {
		status = cmd_fail_lib();
		goto out;
	}
	/* said only once it is true: after the commit */
	for (int i = 0; i < args.npos; i++) {
		const struct wn_import_summary *s = &summaries[i];

		printf("%s %s as import %lld: %ld record%s from %s (%s%s%s; %s, %s "
		       "line endings)\n", opts.dry_run ? "Would import" : "Imported",
		       args.pos[i], s->import_id, opts.dry_run ? s->read : s->stored,
		       s->stored == 1 ? "" : "s", s->database, s->format,
		       s->dialect ? ", " : "", s->dialect ? s->dialect : "", s->encoding,
		       s->line_endings);
		if (opts.dry_run)
			printf("  read %ld, warnings %ld; via %s; sha256 %.12s\n", s->read,
			       s->warnings, s->via, s->sha256);
		else
			printf("  read %ld, stored %ld, warnings %ld; via %s; sha256 %.12s\n",
			       s->read, s->stored, s->warnings, s->via, s->sha256);
		if (strcmp(s->encoding, "utf-8") != 0 && strcmp(s->encoding, "utf-8-bom") != 0)
			printf("  converted from %s to UTF-8\n", s->encoding);
		if (s->previous_import)
			printf("  (the same bytes as import %lld: imported again with --again)\n",
			       s->previous_import);
		total += s->stored;
	}
	if (args.npos > 1)
		printf("%s %d files: %ld records.\n", opts.dry_run ? "Would import" : "Imported",
		       args.npos, total);
	if (opts.dry_run)
		printf("Nothing was stored (--dry-run).\n");
	status = EXIT_OK;
out:
	free(summaries);
	wn_store_close(store);
	free(args.pos);
	return status;
}

const struct cmd cmd_import = {
	.name = "import",
	.summary = "import exported records (RIS, nbib, BibTeX, PubMed XML, CSV, ...)",
	.usage = "FILE... [--format F] [--source NAME] [--date-searched YYYY-MM-DD] "
		 "[--query TEXT] [--via ROUTE] [--platform NAME] [--again] [--strict] "
		 "[--dry-run]",
	.description =
		"Reads each FILE, detecting its format and encoding (UTF-8 with or\n"
		"without BOM, UTF-16 with BOM, Windows-1252), and stores every record\n"
		"with its raw text, file and line. Each file is recorded with where it\n"
		"came from (for PRISMA and PRISMA-S): the database (--source, matched\n"
		"to the protocol's [database NAME] sections, or recognised from the\n"
		"file), platform, date searched, search string and route (--via),\n"
		"defaulting to what the protocol says about that database.\n"
		"\n"
		"A malformed record is warned about (file and line) and kept as far as\n"
		"it reads; with --strict any warning imports nothing. The same file\n"
		"(same SHA-256) is refused a second time unless --again. When one file\n"
		"fails, none of the files named is imported. --dry-run does all of\n"
		"this and then stores nothing: a check of a file before importing it.\n"
		"\n"
		"Formats (--format): pubmed-xml, endnote-xml, europepmc-xml,\n"
		"crossref-xml, nbib, wos, wos-tab, ris, bibtex, csv.",
	.options = options,
	.run = run_import,
	.uses_review = 1,
};
