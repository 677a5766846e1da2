#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "winnow/agreement.h"
#include "winnow/store.h"

enum { OPT_STAGE = 's', OPT_FORMAT = 'f' };

static const struct cmd_option options[] = {
	{ "stage", OPT_STAGE, "S", "the stage (title-abstract, full-text, ...)", 0 },
	{ "format", OPT_FORMAT, "F", "text (default) or json", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

static json_t *number(double v)
{
	return isnan(v) ? json_null() : json_real(round(v * 10000) / 10000);
}

static json_t *as_json(const struct wn_agreement *a)
{
	static const char *const cats[] = { "include", "exclude", "maybe" };
	json_t *o = json_object(), *pairs = json_array();

	json_object_set_new(o, "stage", cmd_json_text(a->stage));
	json_object_set_new(o, "categories", json_pack("[sss]", cats[0], cats[1], cats[2]));
	json_object_set_new(o, "maybe", json_string("its own category"));
	json_object_set_new(o, "reviewers", json_integer((json_int_t)a->reviewers));
	for (size_t i = 0; i < a->npairs; i++) {
		const struct wn_pair_agreement *p = &a->pairs[i];
		json_t *r = json_object(), *table = json_array();

		json_object_set_new(r, "reviewers", json_pack("[oo]", cmd_json_text(p->a),
							       cmd_json_text(p->b)));
		json_object_set_new(r, "reports", json_integer(p->n));
		json_object_set_new(r, "agreed", json_integer(p->agreed));
		json_object_set_new(r, "percent_agreement", number(p->percent));
		json_object_set_new(r, "cohen_kappa", number(p->kappa));
		json_object_set_new(r, "ci95", json_pack("[oo]", number(p->ci_low), number(p->ci_high)));
		for (int x = 0; x < WN_CATEGORIES; x++)
			json_array_append_new(table, json_pack("[III]", (json_int_t)p->table[x][0],
							       (json_int_t)p->table[x][1],
							       (json_int_t)p->table[x][2]));
		json_object_set_new(r, "table", table);
		json_array_append_new(pairs, r);
	}
	json_object_set_new(o, "pairs", pairs);
	if (a->reviewers > 2)
		json_object_set_new(o, "fleiss", json_pack("{s:o, s:I, s:i}", "kappa",
							   number(a->fleiss_kappa), "reports",
							   (json_int_t)a->fleiss_n, "per_report",
							   a->fleiss_m));
	return o;
}

static void print_text(const struct wn_agreement *a)
{
	printf("Agreement at %s (include, exclude and maybe as three categories; each\n"
	       "reviewer's decision in force)\n", a->stage);
	if (!a->npairs)
		printf("  no report has decisions by two reviewers yet\n");
	for (size_t i = 0; i < a->npairs; i++) {
		const struct wn_pair_agreement *p = &a->pairs[i];

		printf("  %s and %s: %ld report(s) both screened, %ld agreed (%.1f%%), ", p->a, p->b,
		       p->n, p->agreed, p->percent);
		if (isnan(p->kappa))
			printf("Cohen's kappa undefined (both gave one answer throughout)\n");
		else
			printf("Cohen's kappa %.2f (95%% CI %.2f to %.2f)\n", p->kappa, p->ci_low,
			       p->ci_high);
	}
	if (a->reviewers > 2) {
		if (isnan(a->fleiss_kappa))
			printf("  Fleiss' kappa: undefined\n");
		else
			printf("  Fleiss' kappa %.2f over %ld report(s) with %d decisions each, "
			       "%zu reviewers in all\n", a->fleiss_kappa, a->fleiss_n, a->fleiss_m,
			       a->reviewers);
	}
}

extern const struct cmd cmd_agreement;

static int run_agreement(struct cmd_ctx *ctx, int argc, char **argv)
{
	enum cmd_format format = FORMAT_TEXT;
	struct wn_agreement a = { 0 };
	struct wn_store *store = NULL;
	const char *stage = NULL;
	struct cmd_args args;
	int status;

	if (!cmd_parse_args(ctx, &cmd_agreement, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts; i++) {
		if (args.opts[i].id == OPT_STAGE)
			stage = args.opts[i].value;
		else if (args.opts[i].id == OPT_FORMAT &&
			 (status = cmd_parse_format(&cmd_agreement, args.opts[i].value,
						    FORMATS_TEXT_JSON, &format)) != EXIT_OK)
			goto done;
	}
	if (args.npos) {
		status = cmd_usage_error(&cmd_agreement, "agreement: unexpected argument '%s'",
					 args.pos[0]);
		goto done;
	}
	if (!stage) {
		status = cmd_usage_error(&cmd_agreement, "agreement: say at which stage (--stage)");
		goto done;
	}
	if (wn_store_open(&store, ctx->db_path, WN_OPEN_READ, &ctx->who) < 0 ||
	    wn_agreement(store, stage, &a) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	if (format == FORMAT_JSON) {
		status = cmd_print_json(as_json(&a));
	} else {
		print_text(&a);
		status = EXIT_OK;
	}
done:
	wn_agreement_release(&a);
	wn_store_close(store);
	free(args.pos);
	return status;
}

const struct cmd cmd_agreement = {
	.name = "agreement",
	.summary = "agreement between reviewers at a stage: percent, Cohen's and Fleiss' kappa",
	.usage = "--stage S [--format text|json]",
	.description =
		"For each pair of reviewers, the reports both screened at the stage, how many\n"
		"they agreed on, and Cohen's kappa with its 95% confidence interval (the\n"
		"large-sample variance of Fleiss, Cohen and Everitt, 1969); with more than\n"
		"two reviewers, Fleiss' kappa over the reports screened by the same number of\n"
		"them. Include, exclude and maybe are three categories.",
	.options = options,
	.run = run_agreement,
	.uses_review = 1,
};
