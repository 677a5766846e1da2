#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "winnow/dedupe.h"
#include "winnow/search.h"
#include "winnow/store.h"

enum {
	OPT_EXPLAIN = 1000,
	OPT_QUIET,
	OPT_STATUS,
	OPT_FORMAT,
	OPT_REASON,
};

static const struct cmd_option run_options[] = {
	{ "explain", OPT_EXPLAIN, NULL, "print the rules and settings a run uses, and do nothing", 0 },
	{ "quiet", OPT_QUIET, NULL, "no progress on stderr", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

static const struct cmd_option pairs_options[] = {
	{ "status", OPT_STATUS, "S", "pending, merged, rejected or related (default: all)", 0 },
	{ "format", OPT_FORMAT, "F", "tsv (default) or json", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

static const struct cmd_option reason_options[] = {
	{ "reason", OPT_REASON, "TEXT", "why, for the record", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

extern const struct cmd cmd_dedupe;

/* The library's phases drawn by the network commands' progress bar, its
 * rate counted from the start of each phase. */
struct dedupe_progress {
	struct cmd_progress bar;
	const char *phase;
};

static void show_progress(void *ctx, const char *phase, long done, long total)
{
	struct dedupe_progress *dp = ctx;
	struct wn_search_progress p = { phase, total > 0 ? total : -1, done, NULL,
					!strcmp(phase, "loading") ? "records" : "pairs" };

	if (!dp->phase || strcmp(dp->phase, phase)) {
		cmd_progress_start(&dp->bar, dp->bar.quiet);
		dp->phase = phase;
	}
	cmd_progress_show(&dp->bar, &p);
}

static int run_dedupe(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct wn_dedupe_options opts = { show_progress, NULL };
	struct dedupe_progress dp = { .phase = NULL };
	struct wn_dedupe_summary s;
	struct wn_store *store = NULL;
	struct cmd_args args;
	int status, rc, explain = 0, quiet = 0;

	if (!cmd_parse_args(ctx, &cmd_dedupe, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts; i++) {
		explain |= args.opts[i].id == OPT_EXPLAIN;
		quiet |= args.opts[i].id == OPT_QUIET;
	}
	if (args.npos) {
		status = cmd_usage_error(&cmd_dedupe, "dedupe: unknown subcommand '%s'", args.pos[0]);
		goto done;
	}
	if (wn_store_open(&store, ctx->db_path, explain ? WN_OPEN_READ : WN_OPEN_WRITE,
			  &ctx->who) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	if (explain) {
		wn_dedupe_explain(store, stdout);
		status = EXIT_OK;
		goto done;
	}
	/* a run is short next to a search: a bar on a terminal, no lines
	 * in a log */
	cmd_progress_start(&dp.bar, quiet || !isatty(STDERR_FILENO));
	opts.ctx = &dp;
	rc = wn_dedupe_run(store, &opts, &s);
	cmd_progress_clear(&dp.bar);
	if (rc < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	printf("Dedupe run %lld: compared %ld new record%s with all %ld\n", s.run_id,
	       s.records_new, s.records_new == 1 ? "" : "s", s.records);
	printf("  %ld candidate pair%s; %ld merged as duplicates, %ld sent to review, "
	       "%ld linked as related reports\n",
	       s.candidates, s.candidates == 1 ? "" : "s", s.merged, s.queued, s.related);
	if (s.held_apart)
		printf("  %ld duplicate pair%s held apart: merging would join records judged "
		       "different (in the review queue)\n",
		       s.held_apart, s.held_apart == 1 ? "" : "s");
	printf("  review now: %ld duplicate record%s in %ld cluster%s", s.duplicates,
	       s.duplicates == 1 ? "" : "s", s.clusters, s.clusters == 1 ? "" : "s");
	if (s.queued)
		printf("; see them with: winnow dedupe pairs --status pending");
	printf("\n");
	status = EXIT_OK;
done:
	wn_store_close(store);
	free(args.pos);
	return status;
}

struct pairs_out {
	enum cmd_format format;
	json_t *arr;
};

static void tsv_field(const char *s)
{
	for (; s && *s; s++)
		putchar(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

static int pair_row(void *ctx, const struct wn_dedupe_pair *p)
{
	struct pairs_out *out = ctx;

	if (out->format == FORMAT_JSON) {
		json_t *o = json_pack("{s:I, s:I, s:I, s:f, s:o, s:o, s:o, s:o}", "id",
				      (json_int_t)p->id, "record_a", (json_int_t)p->record_a,
				      "record_b", (json_int_t)p->record_b, "score", p->score,
				      "status", cmd_json_text(p->status), "rule", cmd_json_text(p->rule),
				      "actor", cmd_json_text(p->actor), "decided_at",
				      cmd_json_text(p->decided_at));
		json_t *ev = json_loads(p->evidence, 0, NULL);

		json_object_set_new(o, "evidence", ev ? ev : json_object());
		json_object_set_new(o, "title_a", cmd_json_text(p->title_a));
		json_object_set_new(o, "title_b", cmd_json_text(p->title_b));
		json_array_append_new(out->arr, o);
		return 0;
	}
	printf("%lld\t%lld\t%lld\t%.3f\t%s\t", p->id, p->record_a, p->record_b, p->score,
	       p->status);
	tsv_field(p->rule);
	putchar('\t');
	tsv_field(p->actor);
	putchar('\t');
	tsv_field(p->title_a);
	putchar('\t');
	tsv_field(p->title_b);
	putchar('\n');
	return 0;
}

extern const struct cmd cmd_dedupe_pairs;

static int run_pairs(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct pairs_out out = { FORMAT_TSV, NULL };
	struct wn_store *store = NULL;
	struct cmd_args args;
	const char *want = NULL;
	int status;

	if (!cmd_parse_args(ctx, &cmd_dedupe_pairs, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts; i++) {
		if (args.opts[i].id == OPT_STATUS)
			want = args.opts[i].value;
		else if (args.opts[i].id == OPT_FORMAT &&
			 (status = cmd_parse_format(&cmd_dedupe_pairs, args.opts[i].value,
						    (1u << FORMAT_TSV) | (1u << FORMAT_JSON),
						    &out.format)) != EXIT_OK)
			goto done;
	}
	if (want && strcmp(want, "pending") && strcmp(want, "merged") && strcmp(want, "rejected") &&
	    strcmp(want, "related")) {
		status = cmd_usage_error(&cmd_dedupe_pairs, "dedupe pairs: --status must be pending, "
					 "merged, rejected or related, not '%s'", want);
		goto done;
	}
	if (args.npos) {
		status = cmd_usage_error(&cmd_dedupe_pairs, "dedupe pairs: unexpected argument '%s'",
					 args.pos[0]);
		goto done;
	}
	if (wn_store_open(&store, ctx->db_path, WN_OPEN_READ, &ctx->who) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	if (out.format == FORMAT_JSON)
		out.arr = json_array();
	else
		printf("pair\trecord_a\trecord_b\tscore\tstatus\trule\tactor\ttitle_a\ttitle_b\n");
	if (wn_dedupe_each_pair(store, want, pair_row, &out) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	if (out.format == FORMAT_JSON) {
		status = cmd_print_json(out.arr);
		out.arr = NULL;
	} else {
		status = EXIT_OK;
	}
done:
	json_decref(out.arr);
	wn_store_close(store);
	free(args.pos);
	return status;
}

static const char *reason_of(const struct cmd_args *args)
{
	for (int i = 0; i < args->nopts; i++)
		if (args->opts[i].id == OPT_REASON)
			return args->opts[i].value;
	return NULL;
}

extern const struct cmd cmd_dedupe_merge, cmd_dedupe_split, cmd_dedupe_decide,
	cmd_dedupe_review, cmd_dedupe_undo;

/* What the by-hand subcommands share: their arguments (ids first, each
 * named for messages, then any words), --reason, and the review opened for
 * writing once the arguments are good. */
struct by_hand {
	struct cmd_args args;
	long long ids[2];
	struct wn_store *store;
	int status;
};

/* 1 to go on; 0 to stop with h->status (a usage error, --help). */
static int by_hand_start(struct cmd_ctx *ctx, const struct cmd *c, int argc, char **argv,
			 int npos, const char *give, const char *const *id_names, size_t nids,
			 struct by_hand *h)
{
	memset(h, 0, sizeof(*h));
	if (!cmd_parse_args(ctx, c, argc, argv, &h->args, &h->status))
		return 0;
	if (h->args.npos != npos) {
		h->status = cmd_usage_error(c, "%s: give %s", cmd_full_name(c), give);
		return 0;
	}
	for (size_t i = 0; i < nids; i++)
		if ((h->status = cmd_parse_id(c, id_names[i], h->args.pos[i], &h->ids[i])) !=
		    EXIT_OK)
			return 0;
	return 1;
}

static int by_hand_open(struct cmd_ctx *ctx, struct by_hand *h)
{
	if (wn_store_open(&h->store, ctx->db_path, WN_OPEN_WRITE, &ctx->who) < 0) {
		h->status = cmd_fail_lib();
		return 0;
	}
	return 1;
}

/* The library call's outcome as the exit status. */
static int by_hand_end(struct by_hand *h, int rc)
{
	if (h->status == EXIT_OK && rc < 0)
		h->status = cmd_fail_lib();
	wn_store_close(h->store);
	free(h->args.pos);
	return h->status;
}

static int run_merge(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const char *const ids[] = { "a record id", "a record id" };
	struct by_hand h;
	int rc = 0;

	if (by_hand_start(ctx, &cmd_dedupe_merge, argc, argv, 2, "two record ids", ids, 2, &h) &&
	    by_hand_open(ctx, &h) &&
	    (rc = wn_dedupe_merge(h.store, h.ids[0], h.ids[1], reason_of(&h.args))) == WN_OK)
		printf("Merged records %lld and %lld into one cluster\n", h.ids[0], h.ids[1]);
	return by_hand_end(&h, rc);
}

static int run_split(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const char *const ids[] = { "the record id" };
	struct by_hand h;
	int rc = 0;

	if (by_hand_start(ctx, &cmd_dedupe_split, argc, argv, 1, "one record id", ids, 1, &h) &&
	    by_hand_open(ctx, &h) &&
	    (rc = wn_dedupe_split(h.store, h.ids[0], reason_of(&h.args))) == WN_OK)
		printf("Record %lld is out of its cluster, recorded as not a duplicate of the "
		       "others\n", h.ids[0]);
	return by_hand_end(&h, rc);
}

static int run_decide(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const char *const ids[] = { "the pair id" };
	static const char *const words[][2] = {
		{ "same", "duplicate" }, { "different", "not_duplicate" }, { "related", "related" },
	};
	const char *decision = NULL;
	struct by_hand h;
	int rc = 0;

	if (!by_hand_start(ctx, &cmd_dedupe_decide, argc, argv, 2,
			   "a pair id and same, different or related", ids, 1, &h))
		return by_hand_end(&h, 0);
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(h.args.pos[1], words[i][0]))
			decision = words[i][1];
	if (!decision)
		h.status = cmd_usage_error(&cmd_dedupe_decide, "dedupe decide: '%s' is not same, "
					   "different or related", h.args.pos[1]);
	else if (by_hand_open(ctx, &h) &&
		 (rc = wn_dedupe_decide(h.store, h.ids[0], decision, reason_of(&h.args))) == WN_OK)
		printf("Pair %lld: %s\n", h.ids[0], h.args.pos[1]);
	return by_hand_end(&h, rc);
}

static int run_undo(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const char *const ids[] = { "the pair id" };
	struct by_hand h;
	int rc = 0;

	if (by_hand_start(ctx, &cmd_dedupe_undo, argc, argv, 1, "one pair id", ids, 1, &h) &&
	    by_hand_open(ctx, &h) &&
	    (rc = wn_dedupe_undo(h.store, h.ids[0], reason_of(&h.args))) == WN_OK)
		printf("Pair %lld: the last decision is taken back\n", h.ids[0]);
	return by_hand_end(&h, rc);
}

const struct cmd cmd_dedupe_pairs = {
	.name = "pairs",
	.parent = "dedupe",
	.summary = "list candidate pairs: pending review, merged, rejected or related",
	.usage = "[--status pending|merged|rejected|related] [--format tsv|json]",
	.description =
		"One line per pair, strongest first: its id, the two records, a score, where it\n"
		"stands, the rule or person's reason, and who decided. JSON adds the evidence\n"
		"field by field (similarities 0-1, same/different for identifiers and numbers).",
	.options = pairs_options,
	.run = run_pairs,
	.uses_review = 1,
};

const struct cmd cmd_dedupe_merge = {
	.name = "merge",
	.parent = "dedupe",
	.summary = "merge two records (and their clusters) as one report",
	.usage = "ID ID [--reason TEXT]",
	.options = reason_options,
	.run = run_merge,
	.uses_review = 1,
};

const struct cmd cmd_dedupe_split = {
	.name = "split",
	.parent = "dedupe",
	.summary = "take a record out of its cluster (undoes a merge)",
	.usage = "ID [--reason TEXT]",
	.description =
		"The record is recorded as not a duplicate of the cluster's other records, so\n"
		"that no later run merges it back.",
	.options = reason_options,
	.run = run_split,
	.uses_review = 1,
};

const struct cmd cmd_dedupe_decide = {
	.name = "decide",
	.parent = "dedupe",
	.summary = "decide a pair: same, different or related",
	.usage = "PAIR same|different|related [--reason TEXT]",
	.description =
		"same merges the two records' clusters; different keeps them apart (and takes\n"
		"the second record out if they were merged); related links them as reports of\n"
		"one work. The decision supersedes the pair's last one; both stay on record.",
	.options = reason_options,
	.run = run_decide,
	.uses_review = 1,
};

const struct cmd cmd_dedupe_undo = {
	.name = "undo",
	.parent = "dedupe",
	.summary = "take back the last decision a person made on a pair",
	.usage = "PAIR [--reason TEXT]",
	.description =
		"The decision before it (for a queued pair: back in the queue) is recorded\n"
		"again, and the two records' clusters are rebuilt from the pairs still decided\n"
		"duplicates. Both decisions stay on record.",
	.options = reason_options,
	.run = run_undo,
	.uses_review = 1,
};

static const struct cmd *const dedupe_subcommands[] = {
	&cmd_dedupe_review, &cmd_dedupe_pairs, &cmd_dedupe_merge, &cmd_dedupe_split,
	&cmd_dedupe_decide, &cmd_dedupe_undo, NULL,
};

const struct cmd cmd_dedupe = {
	.name = "dedupe",
	.summary = "find duplicate records: merge the certain, queue the uncertain",
	.usage = "[--explain] [--quiet] | review|pairs|merge|split|decide|undo [ARGS]",
	.description =
		"Compares the records no earlier run compared with every record: candidate\n"
		"pairs come from shared keys (DOI, PMID, title, its first or last 30 letters,\n"
		"first author and year, volume and first page), each pair is judged field by\n"
		"field, certain duplicates are merged into clusters, uncertain pairs wait for\n"
		"a person, and errata, preprints, comments and meeting abstracts are linked to\n"
		"their article as related reports, never merged. Clusters and people's\n"
		"decisions stand. --explain prints the rules.",
	.options = run_options,
	.run = run_dedupe,
	.subcommands = dedupe_subcommands,
	.uses_review = 1,
};
