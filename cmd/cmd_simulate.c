#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "winnow/rank.h"

enum {
	OPT_LABEL = 'l', OPT_SEED = 1000, OPT_FORMAT, OPT_TARGET, OPT_CONFIDENCE, OPT_SAMPLE_AFTER,
};

static const struct cmd_option options[] = {
	{ "label-column", OPT_LABEL, "COLUMN", "the column holding 1 (relevant) or 0", 0 },
	{ "seed", OPT_SEED, "N", "picks the two records given first and breaks ties (default 1)", 0 },
	{ "target-recall", OPT_TARGET, "R", "the stopping rule's target recall, 0.5 to below 1 (default 0.95)", 0 },
	{ "confidence", OPT_CONFIDENCE, "C", "and its confidence (default 0.95)", 0 },
	{ "sample-after", OPT_SAMPLE_AFTER, "N",
	  "irrelevant records in a row before the random sample (default 50)", 0 },
	{ "format", OPT_FORMAT, "F", "text (default), json or csv (the curve, record by record)", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

extern const struct cmd cmd_simulate;

/* found[i]: relevant records among the first i screened after the two */
static json_t *as_json(const char *path, const struct wn_simulation *sim,
		       const struct wn_rank_settings *s, const struct wn_simulate_options *o)
{
	json_t *root = json_object(), *curve = json_array(), *stop = json_object();
	char *model = wn_rank_describe(s);
	size_t found = 0;

	json_object_set_new(root, "file", cmd_json_text(path));
	json_object_set_new(root, "records", json_integer((json_int_t)sim->n));
	json_object_set_new(root, "relevant", json_integer((json_int_t)sim->relevant));
	json_object_set_new(root, "seed", json_integer((json_int_t)s->seed));
	json_object_set_new(root, "model", json_string(model));
	json_object_set_new(root, "features", json_integer((json_int_t)sim->features));
	json_object_set_new(root, "seconds", json_real(round(sim->seconds * 1e4) / 1e4));
	json_object_set_new(root, "prior", json_pack("{s:I,s:I}", "relevant",
						     (json_int_t)sim->prior[0] + 1, "irrelevant",
						     (json_int_t)sim->prior[1] + 1));
	json_object_set_new(root, "wss95", json_real(round(sim->wss95 * 1e6) / 1e6));
	json_object_set_new(root, "wss100", json_real(round(sim->wss100 * 1e6) / 1e6));
	json_object_set_new(root, "rrf10", json_real(round(sim->rrf10 * 1e4) / 1e4));
	json_object_set_new(root, "screened_to_95", json_integer(sim->to95));
	json_object_set_new(root, "screened_to_100", json_integer(sim->to100));
	json_object_set_new(stop, "target_recall", json_real(o->target));
	json_object_set_new(stop, "confidence", json_real(o->confidence));
	json_object_set_new(stop, "sample_after", json_integer(o->sample_after));
	json_object_set_new(stop, "sample_started_at", sim->sample_start < 0 ? json_null()
			    : json_integer(sim->sample_start));
	json_object_set_new(stop, "sampled", json_integer(sim->stop.drawn));
	json_object_set_new(stop, "stopped_at", json_integer(sim->stopped_at));
	json_object_set_new(stop, "recall", json_real(round(sim->stop_recall * 1e6) / 1e6));
	json_object_set_new(stop, "p", json_real(sim->stop.p));
	json_object_set_new(root, "stopping", stop);
	/* the curve: relevant found after each record (the two given not counted) */
	for (size_t i = 0; i < sim->norder; i++) {
		found += sim->label[sim->order[i]];
		json_array_append_new(curve, json_integer((json_int_t)found));
	}
	json_object_set_new(root, "found", curve);
	free(model);
	return root;
}

static void print_csv(const struct wn_simulation *sim)
{
	size_t found = 0;
	double rel = (double)(sim->relevant - 1);

	printf("screened,record,relevant,found,recall\n");
	for (size_t i = 0; i < sim->norder; i++) {
		int l = sim->label[sim->order[i]];

		found += (size_t)l;
		printf("%zu,%zu,%d,%zu,%.4f\n", i + 1, sim->order[i] + 1, l, found, found / rel);
	}
}

static void print_text(const char *path, const struct wn_simulation *sim,
		       const struct wn_rank_settings *s, const struct wn_simulate_options *o)
{
	char *model = wn_rank_describe(s), target[24], conf[24];
	double n = (double)sim->norder, rel = (double)(sim->relevant - 1);
	size_t found = 0, next = 1;

	printf("Simulated prioritised screening of %s: %zu records, %zu relevant\n", path, sim->n,
	       sim->relevant);
	printf("Model: %s (%zu features)\n", model, sim->features);
	printf("Given first: record %zu (relevant) and record %zu (irrelevant); the figures count "
	       "the %zu after them\n", sim->prior[0] + 1, sim->prior[1] + 1, sim->norder);
	printf("WSS@95: %.1f%%   WSS@100: %.1f%%   RRF@10: %.1f%%\n", 100 * sim->wss95,
	       100 * sim->wss100, sim->rrf10);
	printf("Screened to reach 95%% recall: %ld (%.1f%%); 100%%: %ld (%.1f%%)\n", sim->to95,
	       100 * sim->to95 / n, sim->to100, 100 * sim->to100 / n);
	printf("Recall curve (records screened: relevant found, recall)\n");
	for (size_t i = 0; i < sim->norder; i++) {
		found += sim->label[sim->order[i]];
		/* each tenth reached by this record (several, for a short file) */
		while (next <= 10 && (double)(i + 1) >= n * (double)next / 10.0 - 1e-9) {
			printf("  %3zu%% %6zu: %4zu  %5.1f%%\n", next * 10, i + 1, found,
			       100 * found / rel);
			next++;
		}
	}
	printf("Stopping rule: %s recall at %s confidence, a random sample after %ld "
	       "irrelevant in a row\n", cmd_percent(target, o->target),
	       cmd_percent(conf, o->confidence), o->sample_after);
	if (sim->sample_start < 0)
		printf("  never began sampling: screened all %zu\n", sim->norder);
	else
		printf("  sampling began after %ld records; stopped after %ld (%ld sampled, p = %.4f), "
		       "recall %.1f%% (%ld of all %zu relevant, the one given first too)\n",
		       sim->sample_start, sim->stopped_at, sim->stop.drawn, sim->stop.p,
		       100 * sim->stop_recall, sim->stop.seen_before + sim->stop.found, sim->relevant);
	free(model);
}

static int run_simulate(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct wn_simulate_options o = { .sample_after = 50, .target = 0.95, .confidence = 0.95 };
	enum cmd_format format = FORMAT_TEXT;
	struct wn_rank_settings s;
	struct wn_simulation sim;
	struct cmd_args args;
	long long v;
	int status;

	wn_rank_defaults(&s);
	if (!cmd_parse_args(ctx, &cmd_simulate, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts && status == EXIT_OK; i++) {
		const char *value = args.opts[i].value;

		switch (args.opts[i].id) {
		case OPT_LABEL: o.label_column = value; break;
		case OPT_SEED:
			if ((status = cmd_parse_count(&cmd_simulate, "--seed", value, &v)) == EXIT_OK)
				s.seed = (uint64_t)v;
			break;
		case OPT_SAMPLE_AFTER:
			if ((status = cmd_parse_count(&cmd_simulate, "--sample-after", value, &v)) == EXIT_OK)
				o.sample_after = (long)v;
			break;
		case OPT_TARGET:
			status = cmd_parse_recall(&cmd_simulate, "--target-recall", value, &o.target);
			break;
		case OPT_CONFIDENCE:
			status = cmd_parse_fraction(&cmd_simulate, "--confidence", value, &o.confidence);
			break;
		case OPT_FORMAT:
			status = cmd_parse_format(&cmd_simulate, value, FORMATS_TEXT_JSON | 1u << FORMAT_CSV,
						  &format);
			break;
		}
	}
	if (status != EXIT_OK)
		goto done;
	if (args.npos != 1) {
		status = cmd_usage_error(&cmd_simulate, "simulate: give one labelled CSV file");
		goto done;
	}
	if (!o.label_column) {
		status = cmd_usage_error(&cmd_simulate, "simulate: say which column holds the labels "
					 "(--label-column)");
		goto done;
	}
	if (wn_simulate(args.pos[0], &o, &s, &sim) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	if (format == FORMAT_JSON)
		status = cmd_print_json(as_json(args.pos[0], &sim, &s, &o));
	else if (format == FORMAT_CSV)
		print_csv(&sim);
	else
		print_text(args.pos[0], &sim, &s, &o);
	wn_simulation_release(&sim);
done:
	free(args.pos);
	return status;
}

const struct cmd cmd_simulate = {
	.name = "simulate",
	.summary = "replay a labelled dataset as prioritised screening: WSS, RRF, the stopping rule",
	.usage = "FILE --label-column COLUMN [--seed N] [--target-recall R] [--confidence C] "
		 "[--sample-after N] [--format text|json|csv]",
	.description =
		"Screens a labelled CSV file (columns title, abstract, keywords and the label\n"
		"column; others are passed over) as a reviewer following `screen --order\n"
		"relevance` would: one relevant and one irrelevant record picked by the seed are\n"
		"given first, then the best-ranked record each time, the model learning from\n"
		"every label. Prints WSS@95, WSS@100 and RRF@10 (counting the records after the\n"
		"two given), the records screened to reach 95% and 100% recall, the recall\n"
		"curve, and where the stopping rule would have stopped: prioritised screening\n"
		"until --sample-after irrelevant records in a row, then a random sample of the\n"
		"rest until the hypergeometric test shows the target recall (see `stop-check`).\n"
		"Reads no review.",
	.options = options,
	.run = run_simulate,
};
