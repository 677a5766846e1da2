/*
 * winnow [--db FILE] COMMAND [ARGS]
 *
 * The command table and the dispatcher: global options, then the command,
 * whose handler's return value is the exit status (0 done, 1 the work
 * failed, 2 the command line was wrong).
 */
#include <errno.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "winnow/winnow.h"

const struct cmd *const cmd_table[] = {
	&cmd_init,
	&cmd_protocol,
	&cmd_import,
	&cmd_search,
	&cmd_lookup,
	&cmd_enrich,
	&cmd_dedupe,
	&cmd_rules,
	&cmd_screen,
	&cmd_next,
	&cmd_decide,
	&cmd_conflicts,
	&cmd_resolve,
	&cmd_agreement,
	&cmd_stop_check,
	&cmd_simulate,
	&cmd_fulltext,
	&cmd_decisions,
	&cmd_study,
	&cmd_appraise,
	&cmd_theme,
	&cmd_finding,
	&cmd_synth,
	&cmd_cerqual,
	&cmd_prisma,
	&cmd_export,
	&cmd_audit,
	&cmd_why,
	&cmd_status,
	&cmd_help,
	NULL,
};

const struct cmd *cmd_find(const char *name)
{
	for (const struct cmd *const *c = cmd_table; *c; c++)
		if (!strcmp((*c)->name, name))
			return *c;
	return NULL;
}

/* Options whose values must never reach the audit trail. */
static int is_secret_option(const char *arg)
{
	static const char *const secrets[] = { "--api-key", "--key", "--token", "--password" };

	for (size_t i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++) {
		size_t n = strlen(secrets[i]);

		if (!strncmp(arg, secrets[i], n) && (arg[n] == '\0' || arg[n] == '='))
			return 1;
	}
	return 0;
}

/* The command line as the audit trail records it: words quoted where they
 * need it, secret values replaced by "***". */
static char *command_line(int argc, char **argv)
{
	size_t cap = 16;
	char *s, *p;

	/* worst case per word: every byte a quote (4 bytes), the two quotes
	 * around it and a space */
	for (int i = 0; i < argc; i++)
		cap += strlen(argv[i]) * 4 + 8;
	s = p = malloc(cap);
	if (!s)
		return NULL;
	p += sprintf(p, "winnow");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int quote = a[0] == '\0' || strpbrk(a, " \t\n'\"\\$`") != NULL;

		if (i > 1 && is_secret_option(argv[i - 1]) && !strchr(argv[i - 1], '='))
			a = "***";
		else if (is_secret_option(a) && strchr(a, '=')) {
			p += sprintf(p, " %.*s=***", (int)(strchr(a, '=') - a), a);
			continue;
		}
		*p++ = ' ';
		if (quote)
			*p++ = '\'';
		for (; *a; a++) {
			if (quote && *a == '\'') {
				memcpy(p, "'\\''", 4);
				p += 4;
			} else {
				*p++ = *a;
			}
		}
		if (quote)
			*p++ = '\'';
		*p = '\0';
	}
	return s;
}

/* Who the audit trail names: $WINNOW_REVIEWER, else the login name. */
static const char *actor_name(void)
{
	const char *env = getenv("WINNOW_REVIEWER");
	struct passwd *pw;

	if (env && *env)
		return env;
	pw = getpwuid(getuid());
	if (pw && pw->pw_name && *pw->pw_name)
		return pw->pw_name;
	env = getenv("USER");
	return env && *env ? env : "unknown";
}

/* Output that could not be written is a failure, not a success. */
static int finish(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "winnow: cannot write output: %s\n", strerror(errno));
		return EXIT_FAIL;
	}
	return status;
}

int main(int argc, char **argv)
{
	struct cmd_ctx ctx = { NULL, { NULL, NULL } };
	char *line;
	const struct cmd *c;
	int i = 1, status;

#if defined(__GLIBC__)
	/* SQLite's temporary b-trees (a UNION, a sort) take and give back a
	 * few hundred KiB per statement; glibc hands them back to the kernel
	 * each time once 128 KiB sits free at the top of the heap, and a
	 * decision became a dozen brk calls and TLB flushes (10,000 decisions
	 * imported in 10.9 s, 1.6 s with this). A short-lived process can
	 * keep what it freed. */
	mallopt(M_TRIM_THRESHOLD, 32 << 20);
	mallopt(M_TOP_PAD, 4 << 20);
#endif

	/* Global options come before the command. */
	while (i < argc && argv[i][0] == '-') {
		const char *a = argv[i];

		if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
			printf("winnow %s\n", WINNOW_VERSION);
			return finish(EXIT_OK);
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			return finish(cmd_help.run(&ctx, 1, argv + i));
		} else if (!strcmp(a, "--db") || !strncmp(a, "--db=", 5)) {
			const char *v = a[4] == '=' ? a + 5 : (i + 1 < argc ? argv[++i] : NULL);

			if (!v)
				return cmd_usage_error(NULL, "option '--db' needs a value");
			if (!*v)
				return cmd_usage_error(NULL, "option '--db' needs a file name");
			if (ctx.db_path)
				return cmd_usage_error(NULL, "option '--db' is given twice");
			ctx.db_path = v;
		} else {
			return cmd_usage_error(NULL, "unknown option '%s'", a);
		}
		i++;
	}
	if (i >= argc)
		return cmd_usage_error(NULL, "no command given");
	c = cmd_find(argv[i]);
	if (!c)
		return cmd_usage_error(NULL, "unknown command '%s'", argv[i]);

	if (!ctx.db_path) {
		const char *env = getenv("WINNOW_DB");

		ctx.db_path = (env && *env) ? env : "winnow.db";
	}
	line = command_line(argc, argv);
	if (!line)
		return cmd_fail("out of memory");
	ctx.who.command_line = line;
	ctx.who.actor = actor_name();

	if (c->subcommands)
		status = cmd_run_subcommand(&ctx, c, argc - i, argv + i);
	else
		status = c->run(&ctx, argc - i, argv + i);
	free(line);
	return finish(status);
}
