#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "winnow/rank.h"
#include "winnow/screening.h"
#include "winnow/store.h"

enum {
	OPT_STAGE = 's', OPT_REVIEWER = 'r', OPT_COUNT = 'n', OPT_ORDER = 1000, OPT_SEED,
	OPT_FORMAT,
};

static const struct cmd_option options[] = {
	{ "stage", OPT_STAGE, "S", "the stage (title-abstract, full-text, ...)", 0 },
	{ "reviewer", OPT_REVIEWER, "NAME", "whose queue (default: $WINNOW_REVIEWER)", 0 },
	{ "count", OPT_COUNT, "N", "how many to list (default 1)", 0 },
	{ "order", OPT_ORDER, "O", "relevance (default), sample (the stopping rule's random "
	  "sample, in its order) or report (the order records came in)", 0 },
	{ "seed", OPT_SEED, "N", "the order before there is a model, and ties (default 1)", 0 },
	{ "format", OPT_FORMAT, "F", "text (default) or json", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

extern const struct cmd cmd_next;

static char *title_of(struct wn_store *store, long long report)
{
	struct wn_report_view v;
	char *title = NULL;

	if (wn_report_load(store, report, &v) == 0) {
		title = v.rec.title ? strdup(v.rec.title) : NULL;
		wn_report_view_release(&v);
	}
	return title;
}

static int run_next(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *stage = NULL, *reviewer = getenv("WINNOW_REVIEWER"), *order = "relevance";
	enum cmd_format format = FORMAT_TEXT;
	struct wn_ranked_queue rq = { 0 };
	struct wn_rank_settings s;
	struct wn_store *store = NULL;
	long long count = 1, v;
	struct cmd_args args;
	int status, ranked;

	wn_rank_defaults(&s);
	if (!cmd_parse_args(ctx, &cmd_next, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts && status == EXIT_OK; i++) {
		const char *value = args.opts[i].value;

		switch (args.opts[i].id) {
		case OPT_STAGE: stage = value; break;
		case OPT_REVIEWER: reviewer = value; break;
		case OPT_ORDER: order = value; break;
		case OPT_COUNT: status = cmd_parse_count(&cmd_next, "--count", value, &count); break;
		case OPT_SEED:
			if ((status = cmd_parse_count(&cmd_next, "--seed", value, &v)) == EXIT_OK)
				s.seed = (uint64_t)v;
			break;
		case OPT_FORMAT:
			status = cmd_parse_format(&cmd_next, value, FORMATS_TEXT_JSON, &format);
			break;
		}
	}
	if (status != EXIT_OK)
		goto done;
	if (args.npos) {
		status = cmd_usage_error(&cmd_next, "next: unexpected argument '%s'", args.pos[0]);
		goto done;
	}
	if (!stage) {
		status = cmd_usage_error(&cmd_next, "next: say at which stage (--stage)");
		goto done;
	}
	if (!reviewer || !*reviewer) {
		status = cmd_usage_error(&cmd_next, "next: say who screens (--reviewer NAME, or "
					 "$WINNOW_REVIEWER)");
		goto done;
	}
	if (strcmp(order, "relevance") && strcmp(order, "report") && strcmp(order, "sample")) {
		status = cmd_usage_error(&cmd_next, "next: --order is relevance, sample or report, "
					 "not '%s'", order);
		goto done;
	}
	ranked = !strcmp(order, "relevance");
	/* an order other than the reports' is recorded (once) for PRISMA */
	if ((status = cmd_open_review(ctx, strcmp(order, "report") ? WN_OPEN_WRITE : WN_OPEN_READ,
				      &store)) != EXIT_OK)
		goto done;
	if ((ranked ? wn_screen_queue_ranked(store, stage, reviewer, &s, &rq)
	     : !strcmp(order, "sample") ? wn_stop_sample_queue(store, stage, reviewer, &rq.queue)
	     : wn_screen_queue(store, stage, reviewer, &rq.queue)) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	if (strcmp(order, "report") && rq.queue.n &&
	    wn_screen_record_order(store, stage, reviewer, order, ranked ? rq.settings : NULL) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	if (format == FORMAT_JSON) {
		json_t *root = json_object(), *list = json_array();

		json_object_set_new(root, "stage", cmd_json_text(stage));
		json_object_set_new(root, "reviewer", cmd_json_text(reviewer));
		json_object_set_new(root, "order", json_string(order));
		json_object_set_new(root, "waiting", json_integer((json_int_t)rq.queue.n));
		if (ranked) {
			json_object_set_new(root, "model", json_boolean(rq.model));
			json_object_set_new(root, "learned_from", json_pack("{s:I,s:I}", "relevant",
				(json_int_t)rq.relevant, "irrelevant", (json_int_t)rq.irrelevant));
			json_object_set_new(root, "settings", json_string(rq.settings));
		}
		for (size_t i = 0; i < rq.queue.n && (long long)i < count; i++) {
			json_t *e = json_object();
			char *title = title_of(store, rq.queue.reports[i]);

			json_object_set_new(e, "report", json_integer(rq.queue.reports[i]));
			json_object_set_new(e, "title", title ? cmd_json_text(title) : json_null());
			if (ranked && rq.model)
				json_object_set_new(e, "score", json_real(round(rq.scores[i] * 1e4) / 1e4));
			json_array_append_new(list, e);
			free(title);
		}
		json_object_set_new(root, "next", list);
		status = cmd_print_json(root);
		goto done;
	}
	if (!rq.queue.n) {
		printf("Nothing waits for %s at %s%s\n", reviewer, stage,
		       !strcmp(order, "sample") ? " in the random sample" : "");
		goto done;
	}
	if (!ranked)
		printf("Next for %s at %s, in %s order (%zu waiting)\n", reviewer, stage,
		       !strcmp(order, "sample") ? "the random sample's" : "report", rq.queue.n);
	else if (rq.model)
		printf("Next for %s at %s, by relevance (%zu waiting; learned from %zu relevant and "
		       "%zu irrelevant; %s)\n", reviewer, stage, rq.queue.n, rq.relevant,
		       rq.irrelevant, rq.settings);
	else
		printf("Next for %s at %s, in random order until there is one relevant and one "
		       "irrelevant decision to learn from (%zu waiting; seed %llu)\n", reviewer, stage,
		       rq.queue.n, (unsigned long long)s.seed);
	for (size_t i = 0; i < rq.queue.n && (long long)i < count; i++) {
		char *title = title_of(store, rq.queue.reports[i]);

		printf("  %lld  %s", rq.queue.reports[i], title ? title : "(no title)");
		if (ranked && rq.model)
			printf("  (score %.2f)", rq.scores[i]);
		printf("\n");
		free(title);
	}
done:
	wn_ranked_queue_release(&rq);
	wn_store_close(store);
	free(args.pos);
	return status;
}

const struct cmd cmd_next = {
	.name = "next",
	.summary = "the next reports waiting for a reviewer, best first by predicted relevance",
	.usage = "--stage S [--reviewer NAME] [--count N] [--order relevance|sample|report] "
		 "[--seed N] [--format text|json]",
	.description =
		"Lists the reports waiting for the reviewer at the stage, the most likely to\n"
		"be relevant first: a model (TF-IDF over title, abstract and keywords; naive\n"
		"Bayes) is trained on the stage's decisions so far: resolutions, the reviewer's\n"
		"own decisions, and other reviewers' only on reports no longer waiting for this\n"
		"one (so the order never tells a reviewer what another decided). Until there is\n"
		"one relevant and one irrelevant decision to learn from, the order is random,\n"
		"fixed by --seed. The order changes nothing a decision means: a report not\n"
		"screened stays not screened. For scripts: --format json; decide with `winnow\n"
		"decide`.",
	.options = options,
	.run = run_next,
	.uses_review = 1,
};
