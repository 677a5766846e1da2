#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "winnow/rules.h"
#include "winnow/store.h"

enum { OPT_STAGE = 's', OPT_FORMAT = 'f' };

static const struct cmd_option options[] = {
	{ "stage", OPT_STAGE, "S", "the stage (default: the protocol's [rules] stage, else the first)", 0 },
	{ "format", OPT_FORMAT, "F", "text (default) or json", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

static const char *action_name(enum wn_rule_action a)
{
	return a == WN_RULE_EXCLUDE ? "exclude"
	     : a == WN_RULE_HIGHLIGHT_INCLUDE ? "highlight include" : "highlight exclude";
}

static json_t *summary_json(struct wn_rules *rules, const struct wn_rules_summary *s, int applied)
{
	json_t *o = json_object(), *arr = json_array();

	json_object_set_new(o, "file", cmd_json_text(wn_rules_path(rules)));
	json_object_set_new(o, "sha256", json_string(wn_rules_sha256(rules)));
	json_object_set_new(o, "stage", cmd_json_text(s->stage));
	json_object_set_new(o, "reports", json_integer(s->reports));
	json_object_set_new(o, "excluded", json_integer(s->excluded));
	json_object_set_new(o, "already_excluded", json_integer(s->already));
	json_object_set_new(o, "screened_by_people", json_integer(s->people));
	if (applied) {
		json_object_set_new(o, "recorded", json_integer(s->recorded));
		json_object_set_new(o, "before_human_screening", json_boolean(s->before_human));
		json_object_set_new(o, "application", json_integer(s->application_id));
	}
	for (size_t i = 0; i < wn_rules_count(rules); i++) {
		const struct wn_rule_info *info = wn_rules_get(rules, i);
		const struct wn_rule_count *c = &s->counts[i];
		json_t *r = json_object(), *ex = json_array();

		json_object_set_new(r, "line", json_integer(info->line));
		json_object_set_new(r, "action", json_string(action_name(info->action)));
		if (info->label)
			json_object_set_new(r, "label", cmd_json_text(info->label));
		json_object_set_new(r, "expression", cmd_json_text(info->expression));
		json_object_set_new(r, "matched", json_integer(c->matched));
		if (info->action == WN_RULE_EXCLUDE)
			json_object_set_new(r, "only", json_integer(c->only));
		for (int k = 0; k < 3 && c->examples[k]; k++)
			json_array_append_new(ex, json_integer(c->examples[k]));
		json_object_set_new(r, "examples", ex);
		json_array_append_new(arr, r);
	}
	json_object_set_new(o, "rules", arr);
	return o;
}

static void print_text(struct wn_rules *rules, const struct wn_rules_summary *s, int applied)
{
	printf("Rules %s at stage %s: %ld report(s) there\n", wn_rules_path(rules), s->stage,
	       s->reports);
	for (size_t i = 0; i < wn_rules_count(rules); i++) {
		const struct wn_rule_info *info = wn_rules_get(rules, i);
		const struct wn_rule_count *c = &s->counts[i];

		if (info->action == WN_RULE_EXCLUDE)
			printf("  line %d: exclude \"%s\": %ld report(s), %ld by this rule alone",
			       info->line, info->label, c->matched, c->only);
		else
			printf("  line %d: %s %s: %ld report(s)", info->line,
			       action_name(info->action), info->expression, c->matched);
		for (int k = 0; k < 3 && c->examples[k]; k++)
			printf("%s%lld", k ? ", " : "; e.g. ", c->examples[k]);
		printf("\n");
	}
	printf("Excluded by at least one rule: %ld of %ld report(s)", s->excluded, s->reports);
	if (s->already)
		printf("; %ld excluded by rules applied before", s->already);
	if (s->people)
		printf("; %ld already screened by people, left to them", s->people);
	printf("\n");
	if (applied)
		printf("Recorded %ld exclusion(s) as decisions (application %lld)%s\n", s->recorded,
		       s->application_id, s->before_human
		       ? "; before any person screened: PRISMA counts them as marked ineligible by "
			 "automation tools"
		       : "; people had screened at this stage already");
	else
		printf("Nothing recorded: 'winnow rules apply' records the exclusions\n");
}

static int run_rules(struct cmd_ctx *ctx, const struct cmd *c, int argc, char **argv, int apply)
{
	enum cmd_format format = FORMAT_TEXT;
	struct wn_diagnostics diags = { 0 };
	struct wn_rules_summary sum = { 0 };
	struct wn_rules *rules = NULL;
	struct wn_store *store = NULL;
	const char *stage = NULL;
	struct cmd_args args;
	int status;

	if (!cmd_parse_args(ctx, c, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts; i++) {
		if (args.opts[i].id == OPT_STAGE)
			stage = args.opts[i].value;
		else if (args.opts[i].id == OPT_FORMAT &&
			 (status = cmd_parse_format(c, args.opts[i].value, FORMATS_TEXT_JSON,
						    &format)) != EXIT_OK)
			goto done;
	}
	if (args.npos != 1) {
		status = cmd_usage_error(c, "rules %s: give one rules file", c->name);
		goto done;
	}
	if (wn_rules_parse_file(&rules, args.pos[0], &diags) < 0) {
		status = cmd_print_diagnostics(args.pos[0], &diags);
		goto done;
	}
	if (wn_store_open(&store, ctx->db_path, apply ? WN_OPEN_WRITE : WN_OPEN_READ, &ctx->who) < 0 ||
	    (apply ? wn_rules_apply(store, rules, stage, &sum)
		   : wn_rules_test(store, rules, stage, &sum)) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	if (format == FORMAT_JSON) {
		status = cmd_print_json(summary_json(rules, &sum, apply));
	} else {
		print_text(rules, &sum, apply);
		status = EXIT_OK;
	}
done:
	wn_rules_summary_release(&sum);
	wn_rules_free(rules);
	wn_diagnostics_release(&diags);
	wn_store_close(store);
	free(args.pos);
	return status;
}

extern const struct cmd cmd_rules_test, cmd_rules_apply;

static int run_test(struct cmd_ctx *ctx, int argc, char **argv)
{
	return run_rules(ctx, &cmd_rules_test, argc, argv, 0);
}

static int run_apply(struct cmd_ctx *ctx, int argc, char **argv)
{
	return run_rules(ctx, &cmd_rules_apply, argc, argv, 1);
}

const struct cmd cmd_rules_test = {
	.name = "test",
	.parent = "rules",
	.summary = "count what a rules file would exclude, storing nothing",
	.usage = "FILE [--stage S] [--format text|json]",
	.description =
		"Reads the rules file (syntax: docs/rules.md) and matches it against every\n"
		"report at the stage: for each rule, how many reports it excludes, how many\n"
		"no other rule excludes, and up to three examples (report ids); for each\n"
		"highlight, how many titles or abstracts it marks. A problem in the file is\n"
		"reported with its line and column, and nothing is read.",
	.options = options,
	.run = run_test,
	.uses_review = 1,
};

const struct cmd cmd_rules_apply = {
	.name = "apply",
	.parent = "rules",
	.summary = "record the exclusions a rules file makes",
	.usage = "FILE [--stage S] [--format text|json]",
	.description =
		"Records each report a rule excludes as a decision by the rule (reviewer\n"
		"rule:LINE, the rule's reason), with the file's text and SHA-256, in one\n"
		"transaction. Reports excluded by rules before are not excluded twice, and\n"
		"reports a person has screened at the stage are left to them: rules never\n"
		"include and never overrule people. Applied before any person screened at\n"
		"the stage, PRISMA counts these as records marked ineligible by automation\n"
		"tools.",
	.options = options,
	.run = run_apply,
	.uses_review = 1,
};

static const struct cmd *const rules_subcommands[] = {
	&cmd_rules_test, &cmd_rules_apply, NULL,
};

const struct cmd cmd_rules = {
	.name = "rules",
	.summary = "test or apply eligibility rules (PCRE2 patterns) to the records",
	.usage = "test|apply FILE [ARGS]",
	.description =
		"A rules file is plain text, one rule a line (docs/rules.md):\n"
		"  exclude \"Published before 2000\" if year < 2000\n"
		"  exclude \"Animal study\" if tiab ~ /\\b(rats?|mice)\\b/i and tiab !~ /\\bpatients?\\b/i\n"
		"  highlight include /social prescri\\w*/i\n"
		"A test of a field a record lacks never excludes it.",
	.subcommands = rules_subcommands,
};
