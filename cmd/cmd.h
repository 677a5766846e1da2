/*
 * The command-line shell around libwinnow. Each command is one file
 * (cmd_<name>.c) exporting a `const struct cmd`, listed in main.c's table.
 *
 * Adding a command:
 *   1. write cmd/cmd_<name>.c with its options, help text and handler;
 *   2. declare it below and add it to `commands[]` in cmd/main.c;
 *   3. add scenario tests in tests/scenario/ for its success and every
 *      error path (tests/scenario/0104-help-every-command.sh checks --help
 *      for all).
 * Handlers parse arguments, call the library, and print; no SQL, no logic a
 * test of the library could not reach. They return the exit status.
 */
#ifndef WINNOW_CMD_H
#define WINNOW_CMD_H

#include <stdio.h>
#include <stdlib.h>

#include "winnow/store.h"

#define EXIT_OK 0
#define EXIT_FAIL 1  /* the work failed: bad data, I/O, conflict */
#define EXIT_USAGE 2 /* the command line was wrong */

#if defined(__GNUC__)
#define CMD_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CMD_PRINTF(f, a)
#endif

enum cmd_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_TSV, FORMAT_CSV, FORMAT_MARKDOWN, FORMAT_HTML };

/* Options common to every command have ids below 0. A command's own
 * options use a letter (with a short form) or an id from 1000 up to
 * COMMON_OPTION_BASE (long name only). */
enum { OPT_DB = -1, OPT_HELP = -2 };
#define COMMON_OPTION_BASE 100000

struct cmd_option {
	const char *name;     /* long name, without "--" */
	int id;               /* a letter for options with a short form */
	const char *arg;      /* name of its argument, NULL for a flag */
	const char *help;
	int repeatable;       /* may be given more than once */
};

struct cmd_ctx {
	const char *db_path;     /* --db, else $WINNOW_DB, else ./winnow.db */
	struct wn_who who;       /* $WINNOW_REVIEWER or the login name, and the
				  * command line with secrets removed */
};

struct cmd {
	const char *name;
	const char *summary;     /* one line, for `winnow help` */
	const char *usage;       /* arguments after "winnow NAME" */
	const char *description; /* paragraphs for `winnow help NAME` */
	const struct cmd_option *options; /* NULL-terminated, or NULL */
	int (*run)(struct cmd_ctx *ctx, int argc, char **argv);
	const struct cmd *const *subcommands; /* NULL-terminated, or NULL */
	int uses_review;         /* takes --db */
	const char *parent;      /* "protocol" for `protocol load`, else NULL */
};

/* Parsed command line of one command. */
struct cmd_args {
	int nopts;
	struct {
		int id;
		const char *value;
	} opts[64];
	int npos;
	char **pos;
};

/* Parse argv (argv[0] is the command's name) against c's options plus the
 * common ones. Returns 1 when the caller should go on; 0 when it should
 * exit with *status (after --help, or a usage error already reported).
 * *status is EXIT_OK when it goes on. */
int cmd_parse_args(struct cmd_ctx *ctx, const struct cmd *c, int argc, char **argv,
		   struct cmd_args *out, int *status);

/* "text", "json", ... into *out; a usage error (exit 2) otherwise. */
int cmd_parse_format(const struct cmd *c, const char *value, unsigned allowed,
		     enum cmd_format *out);
#define FORMATS_TEXT_JSON ((1u << FORMAT_TEXT) | (1u << FORMAT_JSON))
/* the formats a table (cmd/table.h) can be written in */
#define FORMATS_TABLE ((1u << FORMAT_TEXT) | (1u << FORMAT_TSV) | (1u << FORMAT_CSV) | \
		       (1u << FORMAT_MARKDOWN) | (1u << FORMAT_HTML))

struct json_t;
/* A JSON string for text from files or the command line, made valid UTF-8
 * (invalid bytes read as Latin-1) so that nothing is silently dropped;
 * NULL gives "". */
struct json_t *cmd_json_text(const char *s);

/* Print a JSON value (consumed) and a newline; EXIT_FAIL if it could not be
 * built (NULL) or written. */
int cmd_print_json(struct json_t *value);

/* Print "winnow: <message>" and the command's usage; returns EXIT_USAGE. */
int cmd_usage_error(const struct cmd *c, const char *fmt, ...) CMD_PRINTF(2, 3);

/* Print "winnow: <message>"; returns EXIT_FAIL. */
int cmd_fail(const char *fmt, ...) CMD_PRINTF(1, 2);

/* Print the library's last error; returns EXIT_FAIL. */
int cmd_fail_lib(void);

/* Open the review (ctx's --db) as the command's user: EXIT_OK, or
 * EXIT_FAIL with the reason printed. */
int cmd_open_review(struct cmd_ctx *ctx, enum wn_open_mode mode, struct wn_store **store);

void cmd_print_help(FILE *out, const struct cmd *c);

struct wn_diagnostics;
/* Print each problem found in a file as "winnow: FILE:LINE: message";
 * returns EXIT_FAIL. */
int cmd_print_diagnostics(const char *path, const struct wn_diagnostics *d);

/* A positive count given to `option` ("--max"): EXIT_OK, or a usage
 * error (exit 2) naming the command and the option. */
int cmd_parse_count(const struct cmd *c, const char *option, const char *value, long long *out);
/* A fraction strictly between 0 and 1 ("0.95"), the same way. */
int cmd_parse_fraction(const struct cmd *c, const char *option, const char *value, double *out);
/* A target recall, from 0.5 to below 1 (the stopping test's range), the
 * same way. */
int cmd_parse_recall(const struct cmd *c, const char *option, const char *value, double *out);
/* A fraction as a percent, as precise as it was given: "95%", "92.5%",
 * "99.999%" (buf: at least 24 bytes). */
const char *cmd_percent(char buf[24], double fraction);
/* A record or pair id (`what`: "the record id"), the same way. */
int cmd_parse_id(const struct cmd *c, const char *what, const char *value, long long *out);

/* Progress of the network commands on stderr (cmd/progress.c). */
struct cmd_progress {
	int tty;   /* stderr is a terminal: a bar, redrawn */
	int quiet; /* --quiet: nothing but errors */
	int shown; /* a bar is on the line */
	double start;
};

struct wn_search_progress;
void cmd_progress_start(struct cmd_progress *pr, int quiet);
/* The library's progress callback (ctx: the struct cmd_progress). */
void cmd_progress_show(void *ctx, const struct wn_search_progress *p);
/* Take the bar off the line before other output. */
void cmd_progress_clear(struct cmd_progress *pr);

/* Ctrl-C (and SIGTERM) stop a network command at its next batch. */
void cmd_catch_interrupts(void);

/* Where a command writes: FILE (-o), replaced only once everything was
 * written (a temporary file beside it is renamed at the end), or standard
 * output when path is NULL. */
struct cmd_output {
	FILE *fp;
	const char *path;
	char *tmp;
};

/* EXIT_OK, or EXIT_FAIL with the message printed. */
int cmd_output_open(struct cmd_output *o, const char *path);
/* Finish: when ok, put the file in place (EXIT_OK, or EXIT_FAIL with the
 * message printed); otherwise drop what was written (EXIT_FAIL). */
int cmd_output_close(struct cmd_output *o, int ok);

/* The full command name for messages: "protocol load". */
const char *cmd_full_name(const struct cmd *c);

/* Run a command with subcommands: find argv[1] among them. */
int cmd_run_subcommand(struct cmd_ctx *ctx, const struct cmd *c, int argc, char **argv);

const struct cmd *cmd_find(const char *name);
extern const struct cmd *const cmd_table[];

extern const struct cmd cmd_init;
extern const struct cmd cmd_status;
extern const struct cmd cmd_protocol;
extern const struct cmd cmd_import;
extern const struct cmd cmd_search;
extern const struct cmd cmd_lookup;
extern const struct cmd cmd_enrich;
extern const struct cmd cmd_dedupe;
extern const struct cmd cmd_prisma;
extern const struct cmd cmd_export;
extern const struct cmd cmd_why;
extern const struct cmd cmd_rules;
extern const struct cmd cmd_screen;
extern const struct cmd cmd_decide;
extern const struct cmd cmd_resolve;
extern const struct cmd cmd_conflicts;
extern const struct cmd cmd_agreement;
extern const struct cmd cmd_simulate;
extern const struct cmd cmd_stop_check;
extern const struct cmd cmd_next;
extern const struct cmd cmd_fulltext;
extern const struct cmd cmd_decisions;
extern const struct cmd cmd_study;
extern const struct cmd cmd_appraise;
extern const struct cmd cmd_theme;
extern const struct cmd cmd_finding;
extern const struct cmd cmd_synth;
extern const struct cmd cmd_cerqual;
extern const struct cmd cmd_audit;
extern const struct cmd cmd_help;

#endif
