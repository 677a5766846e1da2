/*
 * winnow [--db FILE] COMMAND [ARGS]
 *
 * The command table and the dispatcher: global options, then the command,
 * whose handler's return value is the exit status (0 done, 1 the work
 * failed, 2 the command line was wrong).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "winnow/winnow.h"

const struct cmd *const cmd_table[] = {
	&cmd_init,
	&cmd_protocol,
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

	for (int i = 0; i < argc; i++)
		cap += strlen(argv[i]) * 2 + 8;
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

static void print_version(void)
{
	printf("winnow %s\n", WINNOW_VERSION);
}

int main(int argc, char **argv)
{
	struct cmd_ctx ctx = { NULL, NULL };
	const struct cmd *c;
	int i = 1, status;

	/* Global options come before the command. */
	while (i < argc && argv[i][0] == '-') {
		const char *a = argv[i];

		if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
			print_version();
			return EXIT_OK;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			return cmd_help.run(&ctx, 1, argv + i);
		} else if (!strcmp(a, "--db")) {
			if (i + 1 >= argc)
				return cmd_usage_error(NULL, "option '--db' needs a value");
			ctx.db_path = argv[++i];
		} else if (!strncmp(a, "--db=", 5)) {
			ctx.db_path = a + 5;
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
	ctx.command_line = command_line(argc, argv);
	if (!ctx.command_line)
		return cmd_fail("out of memory");

	if (c->subcommands)
		status = cmd_run_subcommand(&ctx, c, argc - i, argv + i);
	else
		status = c->run(&ctx, argc - i, argv + i);
	free(ctx.command_line);

	/* Output that could not be written is a failure, not a success. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "winnow: cannot write output: %s\n", strerror(errno));
		return EXIT_FAIL;
	}
	return status;
}
