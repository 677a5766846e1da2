#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "table.h"
#include "winnow/store.h"
#include "winnow/synth.h"

enum { OPT_FORMAT = 'f', OPT_COMPONENT = 1000, OPT_CONCERN, OPT_OVERALL, OPT_WHY, OPT_STATEMENT };

extern const struct cmd cmd_cerqual_assess, cmd_cerqual_profile;

static const struct cmd_option assess_options[] = {
	{ "statement", OPT_STATEMENT, "TEXT", "the summary of the review finding", 0 },
	{ "component", OPT_COMPONENT, "C", "methodological-limitations, coherence, adequacy or relevance", 0 },
	{ "concern", OPT_CONCERN, "LEVEL", "none, minor, moderate or serious", 0 },
	{ "overall", OPT_OVERALL, "LEVEL", "the overall confidence: high, moderate, low or very-low", 0 },
	{ "why", OPT_WHY, "TEXT", "the explanation", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

static int run_assess(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *statement = NULL, *component = NULL, *concern = NULL, *overall = NULL, *why = NULL;
	struct wn_store *store = NULL;
	struct cmd_args args;
	int status, rc = 0;

	if (!cmd_parse_args(ctx, &cmd_cerqual_assess, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts; i++) {
		const char *v = args.opts[i].value;

		switch (args.opts[i].id) {
		case OPT_STATEMENT: statement = v; break;
		case OPT_COMPONENT: component = v; break;
		case OPT_CONCERN: concern = v; break;
		case OPT_OVERALL: overall = v; break;
		case OPT_WHY: why = v; break;
		}
	}
	if (args.npos != 1 || (!statement && !component && !overall) ||
	    (component && (!concern || overall)) || (concern && !component) ||
	    ((component || overall) && !why) || (statement && why && !component && !overall)) {
		status = cmd_usage_error(&cmd_cerqual_assess, "cerqual assess: give a theme and --statement "
					 "TEXT, --component C --concern LEVEL --why TEXT, or --overall "
					 "LEVEL --why TEXT");
		goto done;
	}
	if (wn_store_open(&store, ctx->db_path, WN_OPEN_WRITE, &ctx->who) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	/* the statement and a judgement given together are stored together */
	rc = wn_store_begin(store);
	if (rc == 0 && statement)
		rc = wn_cerqual_assess(store, args.pos[0], "statement", NULL, statement);
	if (rc == 0 && component)
		rc = wn_cerqual_assess(store, args.pos[0], component, concern, why);
	if (rc == 0 && overall)
		rc = wn_cerqual_assess(store, args.pos[0], "overall", overall, why);
	if (rc == 0)
		rc = wn_store_commit(store);
	if (rc < 0) {
		status = cmd_fail_lib();
		wn_store_rollback(store);
		goto done;
	}
	printf("'%s': %s%s%s%s%s\n", args.pos[0], statement ? "statement set" : "",
	       statement && (component || overall) ? "; " : "",
	       component ? component : overall ? "overall confidence " : "",
	       component ? ": " : "", component ? concern : overall ? overall : "");
done:
	wn_store_close(store);
	free(args.pos);
	return status;
}

static const struct cmd_option profile_options[] = {
	{ "format", OPT_FORMAT, "F", "text (default), markdown, csv, tsv, html or json", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

static const char *concern_shown(const char *level)
{
	if (!level)
		return "not assessed";
	if (!strcmp(level, "none"))
		return "No or very minor concerns";
	if (!strcmp(level, "minor"))
		return "Minor concerns";
	if (!strcmp(level, "moderate"))
		return "Moderate concerns";
	return "Serious concerns";
}

static const char *confidence_shown(const char *level)
{
	if (!level)
		return "not assessed";
	if (!strcmp(level, "high"))
		return "High confidence";
	if (!strcmp(level, "moderate"))
		return "Moderate confidence";
	if (!strcmp(level, "low"))
		return "Low confidence";
	return "Very low confidence";
}

static int run_profile(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const char *const labels[WN_CERQUAL_COMPONENTS] = {
		"Methodological limitations", "Coherence", "Adequacy", "Relevance",
	};
	enum cmd_format format = FORMAT_TEXT;
	struct wn_cerqual_finding *f = NULL;
	struct wn_store *store = NULL;
	struct cmd_args args;
	size_t n = 0;
	int status;

	if (!cmd_parse_args(ctx, &cmd_cerqual_profile, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts && status == EXIT_OK; i++)
		if (args.opts[i].id == OPT_FORMAT)
			status = cmd_parse_format(&cmd_cerqual_profile, args.opts[i].value,
						  FORMATS_TABLE | FORMATS_TEXT_JSON, &format);
	if (status != EXIT_OK)
		goto done;
	if (args.npos) {
		status = cmd_usage_error(&cmd_cerqual_profile, "cerqual profile: unexpected argument '%s'",
					 args.pos[0]);
		goto done;
	}
	if (wn_store_open(&store, ctx->db_path, WN_OPEN_READ, &ctx->who) < 0 ||
	    wn_cerqual_profile(store, &f, &n) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	if (format == FORMAT_JSON) {
		json_t *arr = json_array();

		for (size_t i = 0; i < n; i++) {
			json_t *o = json_object(), *c = json_object();

			json_object_set_new(o, "theme", cmd_json_text(f[i].theme));
			json_object_set_new(o, "statement", f[i].statement ? cmd_json_text(f[i].statement)
									   : json_null());
			for (int k = 0; k < WN_CERQUAL_COMPONENTS; k++) {
				json_t *x = json_object();

				json_object_set_new(x, "concern", f[i].level[k] ? json_string(f[i].level[k])
										: json_null());
				json_object_set_new(x, "why", f[i].why[k] ? cmd_json_text(f[i].why[k]) : json_null());
				json_object_set_new(c, wn_cerqual_components[k], x);
			}
			json_object_set_new(o, "components", c);
			json_object_set_new(o, "overall", f[i].overall ? json_string(f[i].overall) : json_null());
			json_object_set_new(o, "overall_why", f[i].overall_why ? cmd_json_text(f[i].overall_why)
									       : json_null());
			json_object_set_new(o, "studies", cmd_json_text(f[i].studies));
			json_object_set_new(o, "study_count", json_integer(f[i].nstudies));
			json_object_set_new(o, "problems", cmd_json_text(f[i].problems));
			json_array_append_new(arr, o);
		}
		status = cmd_print_json(arr);
		goto done;
	}
	if (!n) {
		printf("No review finding is assessed yet (winnow cerqual assess THEME ...)\n");
		goto done;
	}
	{
		/* the evidence profile: every component with its explanation */
		static const char *const headers[] = {
			"Summary of review finding", "Studies contributing", "Methodological limitations",
			"Coherence", "Adequacy", "Relevance", "Overall CERQual assessment",
			"Explanation of the assessment",
		};
		struct cmd_table *t = cmd_table_new(8, headers);

		for (size_t i = 0; i < n; i++) {
			cmd_table_addf(t, "%s: %s", f[i].theme, f[i].statement ? f[i].statement : "");
			cmd_table_addf(t, "%ld (%s)", f[i].nstudies, f[i].studies);
			for (int k = 0; k < WN_CERQUAL_COMPONENTS; k++)
				cmd_table_addf(t, "%s%s%s", concern_shown(f[i].level[k]), f[i].why[k] ? ": " : "",
					       f[i].why[k] ? f[i].why[k] : "");
			cmd_table_add(t, confidence_shown(f[i].overall));
			cmd_table_add(t, f[i].overall_why);
		}
		if (format == FORMAT_TEXT) {
			/* too wide for a screen as a table: one block per finding */
			for (size_t i = 0; i < n; i++) {
				printf("%s\n  Summary: %s\n  Studies (%ld): %s\n", f[i].theme,
				       f[i].statement ? f[i].statement : "(none)", f[i].nstudies, f[i].studies);
				for (int k = 0; k < WN_CERQUAL_COMPONENTS; k++)
					printf("  %-27s %s%s%s\n", labels[k], concern_shown(f[i].level[k]),
					       f[i].why[k] ? ": " : "", f[i].why[k] ? f[i].why[k] : "");
				printf("  %-27s %s%s%s\n", "Overall", confidence_shown(f[i].overall),
				       f[i].overall_why ? ": " : "", f[i].overall_why ? f[i].overall_why : "");
				if (*f[i].problems)
					printf("  Check: %s\n", f[i].problems);
				printf("\n");
			}
		} else {
			status = cmd_table_print(t, stdout, format, format == FORMAT_CSV || format == FORMAT_TSV
						 ? NULL : "GRADE-CERQual evidence profile");
			if (status == EXIT_OK && format != FORMAT_CSV && format != FORMAT_TSV) {
				/* and the summary of qualitative findings table */
				static const char *const sof[] = {
					"Summary of review finding", "GRADE-CERQual assessment of confidence",
					"Explanation of GRADE-CERQual assessment", "Studies contributing",
				};
				struct cmd_table *s = cmd_table_new(4, sof);

				for (size_t i = 0; i < n; i++) {
					cmd_table_add(s, f[i].statement ? f[i].statement : f[i].theme);
					cmd_table_add(s, confidence_shown(f[i].overall));
					cmd_table_add(s, f[i].overall_why);
					cmd_table_add(s, f[i].studies);
				}
				printf("\n");
				status = cmd_table_print(s, stdout, format, "Summary of qualitative findings");
				cmd_table_free(s);
			}
		}
		cmd_table_free(t);
		for (size_t i = 0; i < n; i++)
			if (*f[i].problems && format != FORMAT_TEXT)
				fprintf(stderr, "winnow: warning: %s: %s\n", f[i].theme, f[i].problems);
	}
done:
	wn_cerqual_release(f, n);
	wn_store_close(store);
	free(args.pos);
	return status;
}

const struct cmd cmd_cerqual_assess = {
	.name = "assess",
	.parent = "cerqual",
	.summary = "judge a review finding's statement, components and confidence",
	.usage = "[--db FILE] THEME [--statement TEXT] [--component C --concern LEVEL --why TEXT | "
		 "--overall LEVEL --why TEXT]",
	.description =
		"A review finding is a theme's summary statement (--statement; the theme's\n"
		"description until one is set). Components: methodological-limitations,\n"
		"coherence, adequacy, relevance, each with a concern (none, minor, moderate,\n"
		"serious) and why; then the overall confidence (high, moderate, low,\n"
		"very-low) and why. A later judgement replaces the earlier one, which stays\n"
		"on record.",
	.options = assess_options,
	.run = run_assess,
	.uses_review = 1,
};

const struct cmd cmd_cerqual_profile = {
	.name = "profile",
	.parent = "cerqual",
	.summary = "the evidence profile and summary of qualitative findings table",
	.usage = "[--db FILE] [--format text|markdown|csv|tsv|html|json]",
	.description =
		"Each assessed finding with its contributing studies (from the coding),\n"
		"each component's concern and explanation, and the overall confidence.\n"
		"What is missing or does not fit (a component not assessed, high confidence\n"
		"beside a serious concern) is pointed out.",
	.options = profile_options,
	.run = run_profile,
	.uses_review = 1,
};

static const struct cmd *const cerqual_subcommands[] = {
	&cmd_cerqual_assess, &cmd_cerqual_profile, NULL,
};

const struct cmd cmd_cerqual = {
	.name = "cerqual",
	.summary = "GRADE-CERQual confidence in the review findings",
	.usage = "assess|profile [ARGS]",
	.subcommands = cerqual_subcommands,
};
