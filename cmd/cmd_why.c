#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "winnow/store.h"
#include "winnow/why.h"

enum { OPT_FORMAT = 'f' };

static const struct cmd_option options[] = {
	{ "format", OPT_FORMAT, "F", "text (default) or json", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static long long num(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* People's words for what a pair's decision means. */
static const char *decision_words(const char *d)
{
	return !strcmp(d, "duplicate") ? "same report (merged)"
	     : !strcmp(d, "not_duplicate") ? "different reports"
	     : !strcmp(d, "related") ? "related reports (linked, not merged)"
	     : !strcmp(d, "queued") ? "waiting for a person" : d;
}

static const char *relation_words(const char *kind)
{
	static const char *const words[][2] = {
		{ "erratum_for", "an erratum for" }, { "preprint_of", "a preprint of" },
		{ "retraction_of", "a retraction of" }, { "comment_on", "a comment on" },
		{ "update_of", "an update of" }, { "abstract_of", "a meeting abstract of" },
		{ "related", "related to" },
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(kind, words[i][0]))
			return words[i][1];
	return kind;
}

static void print_text(const json_t *why)
{
	const json_t *rec = json_object_get(why, "record"), *origin = json_object_get(rec, "origin");
	const json_t *cluster = json_object_get(why, "cluster"), *v;
	size_t i;

	printf("Record %lld: %s", num(rec, "id"), str(rec, "title"));
	if (json_is_integer(json_object_get(rec, "year")))
		printf(" (%lld)", num(rec, "year"));
	printf("\n  from %s, %s %s", str(rec, "source"), str(origin, "kind"), str(origin, "name"));
	if (json_is_integer(json_object_get(origin, "line")))
		printf(" line %lld", num(origin, "line"));
	printf(", record %lld there\n", num(origin, "position"));

	printf("\nDuplicates\n");
	if (json_is_null(cluster)) {
		printf("  none: record %lld is a report of its own\n", num(rec, "id"));
	} else {
		printf("  cluster %lld:", num(cluster, "id"));
		json_array_foreach(json_object_get(cluster, "members"), i, v)
			printf("%s record %lld (%s)", i ? "," : "", num(v, "id"), str(v, "source"));
		printf("\n  record %lld stands for the report%s\n", num(cluster, "primary"),
		       num(cluster, "primary") == num(rec, "id") ? " (this one: the most complete)"
							      : "; this one is a duplicate of it");
	}
	json_array_foreach(json_object_get(why, "pairs"), i, v) {
		const json_t *decisions = json_object_get(v, "decisions"), *d;
		size_t k;

		printf("  pair %lld with record %lld, score %.2f", num(v, "pair"), num(v, "other"),
		       json_real_value(json_object_get(v, "score")));
		if (*str(v, "rule"))
			printf(", rule: %s", str(v, "rule"));
		printf("\n");
		json_array_foreach(decisions, k, d) {
			printf("    %s  %s: %s", str(d, "at"), str(d, "actor"),
			       decision_words(str(d, "decision")));
			if (*str(d, "reason"))
				printf(" (%s)", str(d, "reason"));
			printf("%s\n", k + 1 == json_array_size(decisions) ? "  <- in force" : "");
		}
	}
	if (json_array_size(json_object_get(why, "related"))) {
		printf("\nRelated reports\n");
		json_array_foreach(json_object_get(why, "related"), i, v) {
			if (!strcmp(str(v, "direction"), "of"))
				printf("  this record is %s record %lld", relation_words(str(v, "kind")),
				       num(v, "record"));
			else
				printf("  record %lld is %s this one", num(v, "record"),
				       relation_words(str(v, "kind")));
			printf(" (linked by %s)\n", str(v, "actor"));
		}
	}
	printf("\nScreening (report %lld)\n", num(why, "report"));
	if (!json_array_size(json_object_get(why, "screening")))
		printf("  no stages yet: load a protocol with stages\n");
	json_array_foreach(json_object_get(why, "screening"), i, v) {
		const json_t *d;
		size_t k;

		printf("  %s: %s\n", str(v, "stage"), str(v, "outcome"));
		json_array_foreach(json_object_get(why, "decisions"), k, d) {
			if (strcmp(str(d, "stage"), str(v, "stage")))
				continue;
			printf("    %s  %s", str(d, "at"), str(d, "reviewer"));
			if (!strcmp(str(d, "kind"), "resolution"))
				printf(" (resolving the conflict)");
			printf(": %s", str(d, "decision"));
			if (json_is_object(json_object_get(d, "rule")))
				printf(" by rule line %lld \"%s\"", num(json_object_get(d, "rule"), "line"),
				       str(json_object_get(d, "rule"), "label"));
			else if (*str(d, "reason"))
				printf(" (%s)", str(d, "reason"));
			if (*str(d, "note"))
				printf(" [note: %s]", str(d, "note"));
			if (!json_is_null(json_object_get(d, "superseded_by")))
				printf("  <- superseded by decision %lld", num(d, "superseded_by"));
			if (num(d, "record") != num(why, "report"))
				printf("  (on record %lld)", num(d, "record"));
			printf("\n");
		}
	}
	if (json_array_size(json_object_get(why, "fulltext"))) {
		printf("\nFull text\n");
		json_array_foreach(json_object_get(why, "fulltext"), i, v) {
			printf("  %s  %s: %s", str(v, "at"), str(v, "actor"),
			       !strcmp(str(v, "status"), "not_retrieved") ? "not retrieved" : str(v, "status"));
			if (*str(v, "file"))
				printf(" (%s, sha256 %.12s)", str(v, "file"), str(v, "sha256"));
			if (*str(v, "note"))
				printf(" (%s)", str(v, "note"));
			printf("%s\n", json_is_true(json_object_get(v, "superseded")) ? "  <- superseded" : "");
		}
	}
	if (json_is_object(json_object_get(why, "study")) ||
	    json_array_size(json_object_get(why, "findings"))) {
		const json_t *study = json_object_get(why, "study");

		printf("\nSynthesis\n");
		if (json_is_object(study))
			printf("  in study %lld '%s' as its %s report\n", num(study, "id"), str(study, "label"),
			       str(study, "role"));
		json_array_foreach(json_object_get(why, "findings"), i, v)
			printf("  finding %lld (%s%s%s): \"%.100s%s\" -> %s\n", num(v, "id"), str(v, "kind"),
			       *str(v, "where") ? ", " : "", str(v, "where"), str(v, "text"),
			       strlen(str(v, "text")) > 100 ? "..." : "", str(v, "themes"));
	}
	printf("\nStatus: %s\n", str(why, "status"));
}

extern const struct cmd cmd_why;

static int run_why(struct cmd_ctx *ctx, int argc, char **argv)
{
	enum cmd_format format = FORMAT_TEXT;
	struct wn_store *store = NULL;
	struct cmd_args args;
	json_t *why = NULL;
	int status;

	if (!cmd_parse_args(ctx, &cmd_why, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts; i++)
		if (args.opts[i].id == OPT_FORMAT &&
		    (status = cmd_parse_format(&cmd_why, args.opts[i].value, FORMATS_TEXT_JSON,
					       &format)) != EXIT_OK)
			goto done;
	if (args.npos != 1) {
		status = cmd_usage_error(&cmd_why, "why: give one record (id, pmid:N or doi:X)");
		goto done;
	}
	/* as the library reads a record's name (PMID:1 too) */
	if (strncasecmp(args.pos[0], "pmid:", 5) && strncasecmp(args.pos[0], "doi:", 4) &&
	    (!*args.pos[0] || args.pos[0][strspn(args.pos[0], "0123456789")])) {
		status = cmd_usage_error(&cmd_why, "why: '%s' is not a record id, pmid:N or doi:X",
					 args.pos[0]);
		goto done;
	}
	if (wn_store_open(&store, ctx->db_path, WN_OPEN_READ, &ctx->who) < 0 ||
	    wn_why(store, args.pos[0], &why) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	if (format == FORMAT_JSON) {
		status = cmd_print_json(why);
		why = NULL;
	} else {
		print_text(why);
		status = EXIT_OK;
	}
done:
	json_decref(why);
	wn_store_close(store);
	free(args.pos);
	return status;
}

const struct cmd cmd_why = {
	.name = "why",
	.summary = "show why a record is where it is: its source, duplicates, screening",
	.usage = "ID|pmid:N|doi:X [--format text|json]",
	.description =
		"Where the record came from; the cluster it is in and the record that\n"
		"stands for its report; every candidate pair with it: the score, the rule\n"
		"that fired and each decision on it (who, when, why; the last in force);\n"
		"the reports it is linked to (errata, preprints, abstracts); where its\n"
		"report stands at each screening stage, with every decision there (rules,\n"
		"reviewers, resolutions; superseded ones marked); full-text retrieval; the\n"
		"study it belongs to and the findings coded from it; and its status.",
	.options = options,
	.run = run_why,
	.uses_review = 1,
};
