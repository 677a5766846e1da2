#include <jansson.h>

#include "cmd.h"
#include "winnow/status.h"
#include "winnow/store.h"

enum { OPT_FORMAT = 'f' };

static const struct cmd_option options[] = {
	{ "format", OPT_FORMAT, "FORMAT", "text (default) or json", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

static void print_text(const char *path, const struct wn_review_status *s)
{
	printf("Review:      %s (schema %d, created %s)\n", path, s->schema_version,
	       s->created_at);
	if (s->protocol_version)
		printf("Protocol:    version %d (sha256 %.12s): %s\n", s->protocol_version,
		       s->protocol_sha256, s->protocol_title);
	else
		printf("Protocol:    none loaded\n");
	printf("Records:     %ld from %zu source%s\n", s->records, s->nsources,
	       s->nsources == 1 ? "" : "s");
	for (size_t i = 0; i < s->nsources; i++) {
		const struct wn_status_source *src = &s->sources[i];

		printf("  %-32s %6ld  (%s; %ld search%s, %ld import%s)\n", src->name, src->records,
		       src->via, src->searches, src->searches == 1 ? "" : "es", src->imports,
		       src->imports == 1 ? "" : "s");
	}
	printf("Duplicates:  %ld record%s merged into %ld cluster%s; %ld pair%s to review\n",
	       s->duplicates, s->duplicates == 1 ? "" : "s", s->clusters,
	       s->clusters == 1 ? "" : "s", s->pairs_to_review,
	       s->pairs_to_review == 1 ? "" : "s");
	printf("Reports:     %ld\n", s->reports);
	printf("Screening:\n");
	for (size_t i = 0; i < s->nstages; i++) {
		const struct wn_status_stage *g = &s->stages[i];

		printf("  %s (%d reviewer%s", g->name, g->reviewers_required,
		       g->reviewers_required == 1 ? "" : "s");
		if (g->dual_fraction > 0)
			printf("; 2 on a %g%% sample, seed %lld: %ld report%s", g->dual_fraction * 100,
			       g->sample_seed, g->dual_sampled, g->dual_sampled == 1 ? "" : "s");
		printf("): %ld reached, %ld screened (%ld included, %ld excluded", g->eligible,
		       g->screened, g->included, g->excluded);
		if (g->excluded_by_rule)
			printf(", %ld of them by rules", g->excluded_by_rule);
		printf("), %ld pending", g->pending);
		if (g->conflicts)
			printf(" (%ld in conflict)", g->conflicts);
		printf("\n");
	}
	printf("Studies:     %ld (%ld report%s linked)\n", s->studies, s->study_reports,
	       s->study_reports == 1 ? "" : "s");
	if (s->studies_appraised || s->themes || s->findings)
		printf("Synthesis:   %ld stud%s appraised; %ld theme%s, %ld finding%s coded; "
		       "%ld review finding%s with a CERQual confidence\n", s->studies_appraised,
		       s->studies_appraised == 1 ? "y" : "ies", s->themes, s->themes == 1 ? "" : "s",
		       s->findings, s->findings == 1 ? "" : "s", s->findings_assessed,
		       s->findings_assessed == 1 ? "" : "s");
	printf("Audit trail: %ld entr%s\n", s->audit_entries, s->audit_entries == 1 ? "y" : "ies");
}

static int print_json(const char *path, const struct wn_review_status *s)
{
	json_t *root = json_object(), *sources = json_array(), *stages = json_array();

	json_object_set_new(root, "review", cmd_json_text(path));
	json_object_set_new(root, "schema", json_integer(s->schema_version));
	json_object_set_new(root, "created_at", cmd_json_text(s->created_at));
	if (s->protocol_version) {
		json_object_set_new(root, "protocol",
				    json_pack("{s:i, s:o, s:o}", "version", s->protocol_version,
					      "sha256", cmd_json_text(s->protocol_sha256), "title",
					      cmd_json_text(s->protocol_title)));
	} else {
		json_object_set_new(root, "protocol", json_null());
	}
	json_object_set_new(root, "records", json_integer(s->records));
	for (size_t i = 0; i < s->nsources; i++) {
		const struct wn_status_source *src = &s->sources[i];

		json_array_append_new(sources,
				      json_pack("{s:o, s:o, s:I, s:I, s:I}", "name",
						cmd_json_text(src->name), "via", cmd_json_text(src->via), "searches", (json_int_t)src->searches,
						"imports", (json_int_t)src->imports, "records",
						(json_int_t)src->records));
	}
	json_object_set_new(root, "sources", sources);
	json_object_set_new(root, "duplicates", json_integer(s->duplicates));
	json_object_set_new(root, "clusters", json_integer(s->clusters));
	json_object_set_new(root, "pairs_to_review", json_integer(s->pairs_to_review));
	json_object_set_new(root, "reports", json_integer(s->reports));
	for (size_t i = 0; i < s->nstages; i++) {
		const struct wn_status_stage *g = &s->stages[i];

		json_array_append_new(
			stages,
			json_pack("{s:o, s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "name",
				  cmd_json_text(g->name),
				  "reviewers_required", g->reviewers_required, "eligible",
				  (json_int_t)g->eligible, "screened", (json_int_t)g->screened,
				  "included", (json_int_t)g->included, "excluded",
				  (json_int_t)g->excluded, "excluded_by_rule",
				  (json_int_t)g->excluded_by_rule, "conflicts",
				  (json_int_t)g->conflicts, "pending", (json_int_t)g->pending));
		if (g->dual_fraction > 0)
			json_object_set_new(json_array_get(stages, json_array_size(stages) - 1),
					    "dual_sample",
					    json_pack("{s:f, s:I, s:I}", "fraction", g->dual_fraction,
						      "seed", (json_int_t)g->sample_seed, "reports",
						      (json_int_t)g->dual_sampled));
	}
	json_object_set_new(root, "stages", stages);
	json_object_set_new(root, "studies", json_integer(s->studies));
	json_object_set_new(root, "study_reports", json_integer(s->study_reports));
	json_object_set_new(root, "studies_appraised", json_integer(s->studies_appraised));
	json_object_set_new(root, "themes", json_integer(s->themes));
	json_object_set_new(root, "findings", json_integer(s->findings));
	json_object_set_new(root, "findings_assessed", json_integer(s->findings_assessed));
	json_object_set_new(root, "audit_entries", json_integer(s->audit_entries));
	return cmd_print_json(root);
}

static int run_status(struct cmd_ctx *ctx, int argc, char **argv)
{
	enum cmd_format format = FORMAT_TEXT;
	struct wn_store *store = NULL;
	struct wn_review_status s;
	struct cmd_args args;
	int status;

	if (!cmd_parse_args(ctx, &cmd_status, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts; i++)
		if (args.opts[i].id == OPT_FORMAT &&
		    (status = cmd_parse_format(&cmd_status, args.opts[i].value, FORMATS_TEXT_JSON,
					       &format)) != EXIT_OK)
			goto out;
	if (args.npos > 0) {
		status = cmd_usage_error(&cmd_status, "status: unexpected argument '%s'", args.pos[0]);
		goto out;
	}
	if (wn_store_open(&store, ctx->db_path, WN_OPEN_READ, &ctx->who) < 0 ||
	    wn_store_check_integrity(store) < 0 || wn_status_collect(store, &s) < 0) {
		status = cmd_fail_lib();
		goto out;
	}
	if (format == FORMAT_JSON)
		status = print_json(ctx->db_path, &s);
	else {
		print_text(ctx->db_path, &s);
		status = EXIT_OK;
	}
	wn_status_release(&s);
out:
	wn_store_close(store);
	free(args.pos);
	return status;
}

const struct cmd cmd_status = {
	.name = "status",
	.summary = "show where the review stands",
	.usage = "[--db FILE] [--format text|json]",
	.description =
		"Records per source, duplicates, each screening stage's progress\n"
		"(reports that reached it, screened, included, excluded, conflicts,\n"
		"pending) and\n"
		"studies. Every number is counted from the review file. status first\n"
		"checks every page of the file and reports a damaged review; it never\n"
		"changes the review, and works on a read-only file.",
	.options = options,
	.run = run_status,
	.uses_review = 1,
};
