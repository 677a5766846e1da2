/* Argument parsing, help and error reporting shared by every command. */
#include "cmd.h"

#include <errno.h>
#include <limits.h>
#include <getopt.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "winnow/protocol.h"
#include "winnow/rank.h"
#include "winnow/winnow.h"

static const struct cmd_option common_options[] = {
	{ "db", OPT_DB, "FILE", "the review file (default: $WINNOW_DB, else ./winnow.db)", 0 },
	{ "help", OPT_HELP, NULL, "show this help", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

const char *cmd_full_name(const struct cmd *c)
{
	static char name[128];

	if (c->parent)
		snprintf(name, sizeof(name), "%s %s", c->parent, c->name);
	else
		snprintf(name, sizeof(name), "%s", c->name);
	return name;
}

/* "winnow: <message>" on stderr, after anything already on stdout. */
static void vreport(const char *fmt, va_list ap)
{
	fflush(stdout);
	fputs("winnow: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int cmd_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
	return EXIT_FAIL;
}

int cmd_fail_lib(void)
{
	return cmd_fail("%s", *wn_error_last() ? wn_error_last() : "failed");
}

int cmd_usage_error(const struct cmd *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
	if (c)
		fprintf(stderr, "usage: winnow %s %s\n(see 'winnow help %s')\n",
			cmd_full_name(c), c->usage, cmd_full_name(c));
	else
		fputs("usage: winnow [--db FILE] COMMAND [ARGS]\n(see 'winnow help')\n", stderr);
	return EXIT_USAGE;
}

static void print_options(FILE *out, const struct cmd_option *opts)
{
	for (const struct cmd_option *o = opts; o && o->name; o++) {
		char left[64];

		if (o->id > 0 && o->id < 128)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->id, o->name,
				 o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->name, o->arg ? " " : "",
				 o->arg ? o->arg : "");
		fprintf(out, "  %-24s %s\n", left, o->help);
	}
}

void cmd_print_help(FILE *out, const struct cmd *c)
{
	fprintf(out, "usage: winnow %s %s\n\n%s\n", cmd_full_name(c), c->usage, c->summary);
	if (c->description)
		fprintf(out, "\n%s\n", c->description);
	if (c->subcommands) {
		fputs("\nsubcommands:\n", out);
		for (const struct cmd *const *s = c->subcommands; *s; s++)
			fprintf(out, "  %-12s %s\n", (*s)->name, (*s)->summary);
	}
	if ((c->options && c->options->name) || c->run) {
		fputs("\noptions:\n", out);
		print_options(out, c->options);
		if (c->uses_review)
			print_options(out, common_options);
		else
			print_options(out, common_options + 1);
	}
}

static const struct cmd_option *find_option(const struct cmd *c, int id)
{
	for (const struct cmd_option *o = c->options; o && o->name; o++)
		if (o->id == id)
			return o;
	for (const struct cmd_option *o = common_options; o->name; o++)
		if (o->id == id)
			return o;
	return NULL;
}

int cmd_parse_args(struct cmd_ctx *ctx, const struct cmd *c, int argc, char **argv,
		   struct cmd_args *out, int *status)
{
	struct option longopts[64];
	char shortopts[128] = "+:";
	size_t nl = 0, ns = strlen(shortopts);
	int id;

	memset(out, 0, sizeof(*out));
	*status = EXIT_OK; /* what a command that goes on starts from */
	for (int pass = 0; pass < 2; pass++) {
		const struct cmd_option *opts = pass ? common_options : c->options;

		for (const struct cmd_option *o = opts; o && o->name; o++) {
			if (o->id == OPT_DB && !c->uses_review)
				continue;
			longopts[nl].name = o->name;
			longopts[nl].has_arg = o->arg ? required_argument : no_argument;
			longopts[nl].flag = NULL;
			/* ids below 0 map to values getopt will not confuse with
			 * letters or with a command's own long-only ids */
			longopts[nl].val = o->id < 0 ? COMMON_OPTION_BASE - o->id : o->id;
			nl++;
			if (o->id > 0 && o->id < 128) {
				shortopts[ns++] = (char)o->id;
				if (o->arg)
					shortopts[ns++] = ':';
			}
		}
	}
	shortopts[ns++] = 'h';
	shortopts[ns] = '\0';
	memset(&longopts[nl], 0, sizeof(longopts[nl]));

	/* Options may come before or after positional arguments; "--" ends
	 * them (for a query that starts with '-'). optind = 0 makes glibc
	 * start afresh; the first word (the command's name) is skipped. */
	optind = 0;
	opterr = 0;
	{
		char **positional = calloc((size_t)argc + 1, sizeof(char *));
		int npos = 0, seen_db = 0, seen[128] = { 0 };

		if (!positional) {
			*status = cmd_fail("out of memory");
			return 0;
		}
		while (optind < argc || optind == 0) {
			int longindex = -1, before = optind ? optind : 1;

			id = getopt_long(argc, argv, shortopts, longopts, &longindex);
			if (id == -1) {
				if (optind < argc) {
					if (!strcmp(argv[optind - 1], "--")) {
						while (optind < argc)
							positional[npos++] = argv[optind++];
						break;
					}
					positional[npos++] = argv[optind++];
				}
				continue;
			}
			if (id == '?' || id == ':') {
				const char *bad = argv[optind - 1];

				free(positional);
				if (id == ':')
					*status = cmd_usage_error(c, "%s: option '%s' needs a value",
								  cmd_full_name(c), bad);
				else if (optopt && optopt < 128 && bad[0] == '-' && bad[1] != '-')
					*status = cmd_usage_error(c, "%s: unknown option '-%c'",
								  cmd_full_name(c), optopt);
				else
					*status = cmd_usage_error(c, "%s: unknown option '%s'",
								  cmd_full_name(c), bad);
				return 0;
			}
			/* No abbreviations: "--form" working today would break the
			 * day another option starting "--form" is added. */
			if (longindex >= 0 && before < argc && !strncmp(argv[before], "--", 2)) {
				const char *given = argv[before] + 2;
				size_t n = strcspn(given, "=");

				if (n != strlen(longopts[longindex].name)) {
					free(positional);
					*status = cmd_usage_error(c, "%s: unknown option '--%.*s' (did you mean '--%s'?)",
								  cmd_full_name(c), (int)n, given,
								  longopts[longindex].name);
					return 0;
				}
			}
			if (id == 'h' && !find_option(c, 'h'))
				id = COMMON_OPTION_BASE - OPT_HELP;
			if (id >= COMMON_OPTION_BASE)
				id = COMMON_OPTION_BASE - id;
			if (id == OPT_HELP) {
				free(positional);
				cmd_print_help(stdout, c);
				*status = EXIT_OK;
				return 0;
			}
			if (id == OPT_DB) {
				if (!*optarg || seen_db++) {
					free(positional);
					*status = cmd_usage_error(c, "%s: option '--db' %s", cmd_full_name(c),
								  *optarg ? "is given twice" : "needs a file name");
					return 0;
				}
				ctx->db_path = optarg;
				continue;
			}
			{
				const struct cmd_option *o = find_option(c, id);

				if (o && !o->repeatable && id > 0 && id < 128 && seen[id]++) {
					free(positional);
					*status = cmd_usage_error(c, "%s: option '--%s' is given twice",
								  cmd_full_name(c), o->name);
					return 0;
				}
			}
			if (out->nopts == (int)(sizeof(out->opts) / sizeof(out->opts[0]))) {
				free(positional);
				*status = cmd_usage_error(c, "%s: too many options", cmd_full_name(c));
				return 0;
			}
			out->opts[out->nopts].id = id;
			out->opts[out->nopts].value = optarg;
			out->nopts++;
		}
		out->pos = positional;
		out->npos = npos;
	}
	return 1;
}

int cmd_parse_format(const struct cmd *c, const char *value, unsigned allowed,
		     enum cmd_format *out)
{
	static const char *const names[] = { "text", "json", "tsv", "csv", "markdown", "html" };
	char list[96] = "";

	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(allowed & (1u << i)))
			continue;
		if (!strcmp(value, names[i])) {
			*out = (enum cmd_format)i;
			return EXIT_OK;
		}
		if (*list)
			strcat(list, ", ");
		strcat(list, names[i]);
	}
	return cmd_usage_error(c, "%s: unknown format '%s' (use %s)", cmd_full_name(c), value,
			       list);
}

int cmd_run_subcommand(struct cmd_ctx *ctx, const struct cmd *c, int argc, char **argv)
{
	/* A command that also runs by itself (`winnow dedupe`): a subcommand
	 * may follow its options (`winnow dedupe --db r.db merge 1 2`); with
	 * none, the command runs. */
	if (c->run && argc >= 2 && strcmp(argv[1], "--help") && strcmp(argv[1], "-h")) {
		int i = 1;

		while (i < argc && argv[i][0] == '-')
			i += !strcmp(argv[i], "--db") ? 2 : 1;
		for (const struct cmd *const *s = c->subcommands; i < argc && *s; s++)
			if (!strcmp((*s)->name, argv[i])) {
				char *name = argv[i];

				/* the subcommand's name first, its options after */
				memmove(argv + 2, argv + 1, (size_t)(i - 1) * sizeof(*argv));
				argv[1] = name;
				return (*s)->run(ctx, argc - 1, argv + 1);
			}
		return c->run(ctx, argc, argv);
	}
	if (c->run && argc < 2)
		return c->run(ctx, argc, argv);
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		if (argc >= 2) {
			cmd_print_help(stdout, c);
			return EXIT_OK;
		}
		return cmd_usage_error(c, "%s: which one? (see 'winnow help %s')", c->name, c->name);
	}
	for (const struct cmd *const *s = c->subcommands; *s; s++)
		if (!strcmp((*s)->name, argv[1]))
			return (*s)->run(ctx, argc - 1, argv + 1);
	if (argv[1][0] == '-')
		return cmd_usage_error(c, "%s: options come after the subcommand, as in 'winnow %s show --db FILE'",
				       c->name, c->name);
	return cmd_usage_error(c, "%s: unknown subcommand '%s'", c->name, argv[1]);
}

json_t *cmd_json_text(const char *s)
{
	char *clean = wn_utf8_lossy(s ? s : "");
	json_t *j = json_string(clean);

	free(clean);
	return j;
}

int cmd_print_json(json_t *value)
{
	int rc;

	if (!value)
		return cmd_fail("cannot build the JSON output");
	rc = json_dumpf(value, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(value);
	if (rc != 0 || putchar('\n') == EOF)
		return cmd_fail("cannot write the JSON output");
	return EXIT_OK;
}

int cmd_print_diagnostics(const char *path, const struct wn_diagnostics *d)
{
	fflush(stdout);
	for (size_t i = 0; i < d->n; i++) {
		if (d->items[i].line > 0)
			fprintf(stderr, "winnow: %s:%d: %s\n", path, d->items[i].line,
				d->items[i].message);
		else
			fprintf(stderr, "winnow: %s: %s\n", path, d->items[i].message);
	}
	if (d->n == 0)
		return cmd_fail_lib();
	return EXIT_FAIL;
}

static int parse_positive(const struct cmd *c, const char *what, const char *value,
			  long long *out, const char *must_be)
{
	char *end;

	errno = 0;
	*out = strtoll(value, &end, 10);
	if (!*value || *end || *out <= 0)
		return cmd_usage_error(c, "%s: %s must be %s, not '%s'", cmd_full_name(c), what,
				       must_be, value);
	if (errno == ERANGE) /* strtoll gave its largest instead */
		return cmd_usage_error(c, "%s: %s must be %s no larger than %lld, not '%s'",
				       cmd_full_name(c), what, must_be, LLONG_MAX, value);
	return EXIT_OK;
}

int cmd_parse_count(const struct cmd *c, const char *option, const char *value, long long *out)
{
	return parse_positive(c, option, value, out, "a positive number");
}

int cmd_parse_id(const struct cmd *c, const char *what, const char *value, long long *out)
{
	return parse_positive(c, what, value, out, "a number");
}

int cmd_parse_fraction(const struct cmd *c, const char *option, const char *value, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(value, &end);
	if (errno || end == value || *end || !(*out > 0 && *out < 1))
		return cmd_usage_error(c, "%s: %s takes a fraction between 0 and 1 (0.95), not '%s'",
				       c->name, option, value);
	return EXIT_OK;
}

int cmd_parse_recall(const struct cmd *c, const char *option, const char *value, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(value, &end);
	if (errno || end == value || *end || !(*out >= WN_STOP_RECALL_MIN && *out < 1))
		return cmd_usage_error(c, "%s: %s takes a recall from %g to below 1 (0.95), not '%s'",
				       c->name, option, WN_STOP_RECALL_MIN, value);
	return EXIT_OK;
}

const char *cmd_percent(char buf[24], double fraction)
{
	/* every digit given (0.99999 is not 100%), without the float's noise
	 * (0.925 * 100 is 92.50000000000001) */
	snprintf(buf, 24, "%.10g%%", 100 * fraction);
	return buf;
}

int cmd_output_open(struct cmd_output *o, const char *path)
{
	int fd;

	o->fp = stdout;
	o->path = path;
	o->tmp = NULL;
	if (!path)
		return EXIT_OK;
	o->tmp = malloc(strlen(path) + 16);
	if (!o->tmp)
		abort();
	sprintf(o->tmp, "%s.tmp.XXXXXX", path);
	fd = mkstemp(o->tmp);
	if (fd < 0 || !(o->fp = fdopen(fd, "w"))) {
		int e = errno;

		if (fd >= 0) {
			close(fd);
			unlink(o->tmp);
		}
		free(o->tmp);
		o->tmp = NULL;
		o->fp = stdout;
		return cmd_fail("cannot write '%s': %s", path, strerror(e));
	}
	return EXIT_OK;
}

int cmd_output_close(struct cmd_output *o, int ok)
{
	int status = ok ? EXIT_OK : EXIT_FAIL;

	if (!o->tmp) {
		if (fflush(stdout) != 0 && ok)
			status = cmd_fail("cannot write the output: %s", strerror(errno));
		return status;
	}
	if (fclose(o->fp) != 0 && ok)
		status = cmd_fail("cannot write '%s': %s", o->path, strerror(errno));
	o->fp = stdout;
	if (status == EXIT_OK && rename(o->tmp, o->path) != 0)
		status = cmd_fail("cannot write '%s': %s", o->path, strerror(errno));
	if (status != EXIT_OK)
		unlink(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
	return status;
}

int cmd_open_review(struct cmd_ctx *ctx, enum wn_open_mode mode, struct wn_store **store)
{
	return wn_store_open(store, ctx->db_path, mode, &ctx->who) < 0 ? cmd_fail_lib() : EXIT_OK;
}
