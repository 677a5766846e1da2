#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "winnow/screening.h"
#include "winnow/store.h"

enum {
	OPT_STAGE = 's', OPT_TARGET = 1000, OPT_CONFIDENCE, OPT_START, OPT_SEED, OPT_FORMAT,
};

static const struct cmd_option options[] = {
	{ "stage", OPT_STAGE, "S", "the stage (title-abstract, full-text, ...)", 0 },
	{ "target-recall", OPT_TARGET, "R", "the recall to show, 0.5 to below 1 (default 0.95; fixed with the sample)", 0 },
	{ "confidence", OPT_CONFIDENCE, "C", "at this confidence (default 0.95; fixed with the sample)", 0 },
	{ "start-sample", OPT_START, NULL, "draw the random sample of what is not screened", 0 },
	{ "seed", OPT_SEED, "N", "the sample's order (default 1)", 0 },
	{ "format", OPT_FORMAT, "F", "text (default) or json", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

extern const struct cmd cmd_stop_check;

static json_t *as_json(const struct wn_stop_status *c)
{
	const struct wn_stop_test *t = &c->test;
	json_t *o = json_object(), *test = json_object();

	json_object_set_new(o, "stage", cmd_json_text(c->stage));
	json_object_set_new(o, "reports", json_integer(c->reports));
	json_object_set_new(o, "screened", json_integer(c->screened));
	json_object_set_new(o, "relevant", json_integer(c->relevant));
	json_object_set_new(o, "not_screened", json_integer(c->unscreened));
	json_object_set_new(o, "target_recall", json_real(t->target));
	json_object_set_new(o, "confidence", json_real(t->confidence));
	if (c->sample_id) {
		json_object_set_new(o, "sample", json_pack("{s:I,s:s,s:o,s:I,s:I,s:I,s:I,s:I}",
			"id", (json_int_t)c->sample_id, "drawn_at", c->sample_started,
			"drawn_by", cmd_json_text(c->sample_actor), "seed", (json_int_t)c->seed,
			"remaining", (json_int_t)t->remaining, "relevant_before",
			(json_int_t)t->seen_before, "screened_in_order", (json_int_t)t->drawn,
			"relevant_in_order", (json_int_t)t->found));
		json_object_set_new(o, "relevant_outside_order", json_integer(c->found_outside));
		json_object_set_new(o, "left_the_stage", json_integer(c->left));
		json_object_set_new(o, "not_covered", json_integer(c->newcomers));
	} else {
		json_object_set_new(o, "sample", json_null());
	}
	json_object_set_new(test, "k_tar", json_integer(t->k_tar));
	json_object_set_new(test, "p", json_real(t->p));
	json_object_set_new(test, "met", json_boolean(t->met));
	json_object_set_new(test, "recall_at_least", c->sample_id
			    ? json_real(round(t->recall_low * 1e6) / 1e6) : json_null());
	json_object_set_new(test, "more_to_screen", t->more < 0 ? json_null() : json_integer(t->more));
	json_object_set_new(o, "test", test);
	return o;
}

static void print_text(const struct wn_stop_status *c)
{
	const struct wn_stop_test *t = &c->test;
	char target_buf[24], conf_buf[24];
	const char *target = cmd_percent(target_buf, t->target), *conf = cmd_percent(conf_buf, t->confidence);

	printf("Stopping at %s: is recall at least %s (at %s confidence)?\n", c->stage,
	       target, conf);
	printf("  %ld report(s) at the stage: %ld screened, %ld of them relevant; %ld not screened\n",
	       c->reports, c->screened, c->relevant, c->unscreened);
	if (!c->sample_id) {
		if (!c->unscreened) {
			printf("  Everything is screened: there is nothing left to miss.\n");
			return;
		}
		if (t->met) {
			printf("  Met without a sample: even were all %ld not screened relevant, recall "
			       "would be at least %s.\n", c->unscreened, target);
			return;
		}
		printf("  No random sample yet: ranking alone cannot show recall. Draw one of the %ld "
		       "not screened\n  (winnow stop-check --stage %s --start-sample) and screen it "
		       "in its order\n  (winnow screen --stage %s --order sample).", c->unscreened,
		       c->stage, c->stage);
		if (t->more > 0)
			printf(" If none of its first %ld is\n  relevant, that shows %s recall.\n",
			       t->more, target);
		else
			printf(" Even all of them, none relevant,\n  would not show %s: screen "
			       "them all.\n", target);
		return;
	}
	printf("  Random sample drawn %s by %s (seed %llu): %ld report(s) not screened then, %ld "
	       "relevant found before\n", c->sample_started, c->sample_actor, c->seed, t->remaining,
	       t->seen_before);
	printf("  Screened in its order: %ld, %ld relevant", t->drawn, t->found);
	if (c->found_outside)
		printf(" (and %ld relevant screened out of its order)", c->found_outside);
	printf("\n  Were recall below %s, at least %ld of the %ld would be relevant: "
	       "P(%ld or fewer in %ld) = %.4f\n", target, t->k_tar, t->remaining, t->found, t->drawn,
	       t->p);
	if (c->left)
		printf("  %ld report(s) of the sample are no longer at the stage (merged, or out at a "
		       "stage before): left out of it\n", c->left);
	if (t->met)
		printf("  Met: recall is at least %s at %s confidence (at least %.1f%%). The "
		       "%ld report(s) of the sample not screened may stay so; PRISMA counts them as "
		       "not screened.\n", target, conf, 100 * t->recall_low,
		       c->unscreened - c->newcomers);
	else if (t->more > 0)
		printf("  Not yet: recall is at least %.1f%% at %s confidence. Screen %ld more of "
		       "the sample in its order; if none is relevant, that shows %s.\n",
		       100 * t->recall_low, conf, t->more, target);
	else
		printf("  Not yet: recall is at least %.1f%% at %s confidence, and the rest of the "
		       "sample cannot show %s any more: screen it all.\n", 100 * t->recall_low, conf,
		       target);
	if (c->newcomers)
		printf("  %ld report(s) reached the stage after the sample was drawn: it does not "
		       "cover them; screen them.\n", c->newcomers);
}

static int run_stop_check(struct cmd_ctx *ctx, int argc, char **argv)
{
	double target = 0, confidence = 0; /* 0: the sample's, or 0.95 */
	enum cmd_format format = FORMAT_TEXT;
	struct wn_stop_status c = { 0 };
	struct wn_store *store = NULL;
	const char *stage = NULL;
	long long seed = 1;
	struct cmd_args args;
	int status, start = 0, seed_given = 0;

	if (!cmd_parse_args(ctx, &cmd_stop_check, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts && status == EXIT_OK; i++) {
		const char *value = args.opts[i].value;

		switch (args.opts[i].id) {
		case OPT_STAGE: stage = value; break;
		case OPT_START: start = 1; break;
		case OPT_TARGET:
			status = cmd_parse_recall(&cmd_stop_check, "--target-recall", value, &target);
			break;
		case OPT_CONFIDENCE:
			status = cmd_parse_fraction(&cmd_stop_check, "--confidence", value, &confidence);
			break;
		case OPT_SEED:
			status = cmd_parse_count(&cmd_stop_check, "--seed", value, &seed);
			seed_given = 1;
			break;
		case OPT_FORMAT:
			status = cmd_parse_format(&cmd_stop_check, value, FORMATS_TEXT_JSON, &format);
			break;
		}
	}
	if (status != EXIT_OK)
		goto done;
	if (args.npos) {
		status = cmd_usage_error(&cmd_stop_check, "stop-check: unexpected argument '%s'",
					 args.pos[0]);
		goto done;
	}
	if (!stage) {
		status = cmd_usage_error(&cmd_stop_check, "stop-check: say at which stage (--stage)");
		goto done;
	}
	if (seed_given && !start) {
		status = cmd_usage_error(&cmd_stop_check, "stop-check: --seed orders a sample being "
					 "drawn: it goes with --start-sample");
		goto done;
	}
	if ((status = cmd_open_review(ctx, start ? WN_OPEN_WRITE : WN_OPEN_READ, &store)) != EXIT_OK)
		goto done;
	if (start) {
		long long id;
		long size;

		if (wn_stop_sample_start(store, stage, (unsigned long long)seed, target ? target : 0.95,
					 confidence ? confidence : 0.95, &id, &size) < 0) {
			status = cmd_fail_lib();
			goto done;
		}
		if (format == FORMAT_TEXT)
			printf("Drew the random sample at %s: all %ld report(s) not screened, in a random "
			       "order (seed %lld). Screen them in it: winnow screen --stage %s --order "
			       "sample\n", stage, size, seed, stage);
	}
	if (wn_stop_check(store, stage, target, confidence, &c) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	if (format == FORMAT_JSON)
		status = cmd_print_json(as_json(&c));
	else
		print_text(&c);
done:
	wn_stop_status_release(&c);
	wn_store_close(store);
	free(args.pos);
	return status;
}

const struct cmd cmd_stop_check = {
	.name = "stop-check",
	.summary = "is it safe to stop screening? the hypergeometric test on a random sample",
	.usage = "--stage S [--target-recall R] [--confidence C] [--start-sample [--seed N]] "
		 "[--format text|json]",
	.description =
		"After prioritised screening, whether recall has reached the target with the\n"
		"stated confidence (after Callaghan and Mueller-Hansen, 2020): a random sample\n"
		"is drawn from the reports not screened (--start-sample, once per stage; it is\n"
		"kept in the review), reviewers screen it in its order (`screen --order sample`,\n"
		"`next --order sample`), and the test asks how likely so few relevant reports in\n"
		"it would be were recall below the target. Prints the result, a lower bound on\n"
		"recall at the confidence, and, when the target is not shown yet, how many more\n"
		"of the sample to screen (if none of them is relevant). A report counts as\n"
		"relevant when the resolution or any reviewer included it (maybe counts).",
	.options = options,
	.run = run_stop_check,
	.uses_review = 1,
};
