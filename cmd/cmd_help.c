#include <string.h>

#include "cmd.h"

static int run_help(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd *c;

	(void)ctx;
	if (argc < 2) {
		puts("usage: winnow [--db FILE] COMMAND [ARGS]\n\n"
		     "winnow carries a systematic review from search to synthesis and keeps\n"
		     "every step on the record, in one review file.\n\ncommands:");
		for (const struct cmd *const *t = cmd_table; *t; t++)
			printf("  %-10s %s\n", (*t)->name, (*t)->summary);
		puts("\nglobal options:\n"
		     "  --db FILE    the review file (default: $WINNOW_DB, else ./winnow.db)\n"
		     "  --version    print the version\n"
		     "  --help       show this help\n\n"
		     "'winnow help COMMAND' or 'winnow COMMAND --help' shows a command's usage.\n"
		     "Exit status: 0 done, 1 the work failed, 2 the command line was wrong.");
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		cmd_print_help(stdout, &cmd_help);
		return EXIT_OK;
	}
	if (argc > (cmd_find(argv[1]) && cmd_find(argv[1])->subcommands ? 3 : 2))
		return cmd_usage_error(&cmd_help, "help: unexpected argument '%s'",
				       argv[argc - 1]);
	c = cmd_find(argv[1]);
	if (!c)
		return cmd_usage_error(&cmd_help, "help: unknown command '%s'", argv[1]);
	if (argc >= 3 && c->subcommands) {
		for (const struct cmd *const *s = c->subcommands; *s; s++) {
			if (!strcmp((*s)->name, argv[2])) {
				cmd_print_help(stdout, *s);
				return EXIT_OK;
			}
		}
		return cmd_usage_error(&cmd_help, "help: '%s' has no subcommand '%s'", argv[1],
				       argv[2]);
	}
	cmd_print_help(stdout, c);
	return EXIT_OK;
}

const struct cmd cmd_help = {
	.name = "help",
	.summary = "show the commands, or how to use one",
	.usage = "[COMMAND [SUBCOMMAND]]",
	.run = run_help,
};
