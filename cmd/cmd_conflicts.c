#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "winnow/screening.h"
#include "winnow/store.h"

enum { OPT_STAGE = 's', OPT_FORMAT = 'f' };

static const struct cmd_option options[] = {
	{ "stage", OPT_STAGE, "S", "the stage (title-abstract, full-text, ...)", 0 },
	{ "format", OPT_FORMAT, "F", "text (default) or json", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

struct out {
	enum cmd_format format;
	json_t *arr;
	long n;
};

static int one(void *ctx, const struct wn_conflict *c)
{
	struct out *o = ctx;

	o->n++;
	if (o->format == FORMAT_JSON) {
		json_t *r = json_object(), *ds = json_array();

		json_object_set_new(r, "report", json_integer(c->report_id));
		json_object_set_new(r, "title", cmd_json_text(c->title));
		for (size_t i = 0; i < c->n; i++) {
			json_t *d = json_object();

			json_object_set_new(d, "reviewer", cmd_json_text(c->reviewers[i]));
			json_object_set_new(d, "decision", json_string(c->decisions[i]));
			json_object_set_new(d, "reason", c->reasons[i] ? cmd_json_text(c->reasons[i])
								    : json_null());
			json_array_append_new(ds, d);
		}
		json_object_set_new(r, "decisions", ds);
		json_array_append_new(o->arr, r);
		return 0;
	}
	printf("Report %lld: %s\n", c->report_id, c->title);
	for (size_t i = 0; i < c->n; i++) {
		printf("  %s: %s", c->reviewers[i], c->decisions[i]);
		if (c->reasons[i])
			printf(" (%s)", c->reasons[i]);
		printf("\n");
	}
	return 0;
}

extern const struct cmd cmd_conflicts;

static int run_conflicts(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct out o = { FORMAT_TEXT, NULL, 0 };
	struct wn_store *store = NULL;
	const char *stage = NULL;
	struct cmd_args args;
	int status;

	if (!cmd_parse_args(ctx, &cmd_conflicts, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts; i++) {
		if (args.opts[i].id == OPT_STAGE)
			stage = args.opts[i].value;
		else if (args.opts[i].id == OPT_FORMAT &&
			 (status = cmd_parse_format(&cmd_conflicts, args.opts[i].value,
						    FORMATS_TEXT_JSON, &o.format)) != EXIT_OK)
			goto done;
	}
	if (args.npos) {
		status = cmd_usage_error(&cmd_conflicts, "conflicts: unexpected argument '%s'",
					 args.pos[0]);
		goto done;
	}
	if (!stage) {
		status = cmd_usage_error(&cmd_conflicts, "conflicts: say at which stage (--stage)");
		goto done;
	}
	if (o.format == FORMAT_JSON)
		o.arr = json_array();
	if (wn_store_open(&store, ctx->db_path, WN_OPEN_READ, &ctx->who) < 0 ||
	    wn_conflicts_each(store, stage, one, &o) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	if (o.format == FORMAT_JSON) {
		status = cmd_print_json(o.arr);
		o.arr = NULL;
	} else {
		if (!o.n)
			printf("No conflicts at %s\n", stage);
		status = EXIT_OK;
	}
done:
	json_decref(o.arr);
	wn_store_close(store);
	free(args.pos);
	return status;
}

const struct cmd cmd_conflicts = {
	.name = "conflicts",
	.summary = "list the reports whose reviewers disagree at a stage",
	.usage = "--stage S [--format text|json]",
	.description =
		"A report is in conflict when as many reviewers as the stage requires have\n"
		"decided and they disagree (or one said maybe). Each reviewer's decision in\n"
		"force is shown; 'winnow resolve' settles one.",
	.options = options,
	.run = run_conflicts,
	.uses_review = 1,
};
