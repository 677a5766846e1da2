#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "table.h"
#include "winnow/store.h"
#include "winnow/synth.h"

enum {
	OPT_FORMAT = 'f',
	OPT_REPORT = 1000, OPT_TITLE, OPT_DESIGN, OPT_SETTING, OPT_COUNTRY, OPT_REGISTRATION,
	OPT_NOTE, OPT_EACH, OPT_ROLE,
};

extern const struct cmd cmd_study_add, cmd_study_link, cmd_study_unlink, cmd_study_list,
	cmd_study_show, cmd_study_suggest;

static const char *role_shown(const char *role)
{
	return !strcmp(role, "follow_up") ? "follow-up" : role;
}

/* study add */

static const struct cmd_option add_options[] = {
	{ "report", OPT_REPORT, "ID", "a report of the study (record id, pmid:N, doi:X); the first is its main report", 1 },
	{ "title", OPT_TITLE, "TEXT", "the study's title or name", 0 },
	{ "design", OPT_DESIGN, "TEXT", "its design (e.g. qualitative interviews)", 0 },
	{ "setting", OPT_SETTING, "TEXT", "where it took place (a service, a town)", 0 },
	{ "country", OPT_COUNTRY, "TEXT", "its country", 0 },
	{ "registration", OPT_REGISTRATION, "ID", "its registration (NCT..., ISRCTN..., CRD...)", 0 },
	{ "note", OPT_NOTE, "TEXT", "a note", 0 },
	{ "each-included", OPT_EACH, NULL, "one study for every included report in none", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

static int run_add(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct wn_study_fields f = { 0 };
	struct wn_store *store = NULL;
	const char **reports = NULL;
	size_t nreports = 0;
	struct cmd_args args;
	int status, each = 0;
	long long id;

	if (!cmd_parse_args(ctx, &cmd_study_add, argc, argv, &args, &status))
		return status;
	reports = calloc((size_t)args.nopts + 1, sizeof(*reports));
	for (int i = 0; i < args.nopts; i++) {
		const char *v = args.opts[i].value;

		switch (args.opts[i].id) {
		case OPT_REPORT: reports[nreports++] = v; break;
		case OPT_TITLE: f.title = v; break;
		case OPT_DESIGN: f.design = v; break;
		case OPT_SETTING: f.setting = v; break;
		case OPT_COUNTRY: f.country = v; break;
		case OPT_REGISTRATION: f.registration = v; break;
		case OPT_NOTE: f.note = v; break;
		case OPT_EACH: each = 1; break;
		}
	}
	if (each ? args.npos != 0 || args.nopts != 1 : args.npos != 1) {
		status = cmd_usage_error(&cmd_study_add, each
			? "study add: --each-included takes no label or other option"
			: "study add: give the study's label (e.g. \"Wildman 2019\")");
		goto done;
	}
	if ((status = cmd_open_review(ctx, WN_OPEN_WRITE, &store)) != EXIT_OK)
		goto done;
	if (each) {
		long created;

		if (wn_study_add_each_included(store, &created) < 0) {
			status = cmd_fail_lib();
			goto done;
		}
		printf("Added %ld stud%s, one for each included report that was in none\n", created,
		       created == 1 ? "y" : "ies");
		goto done;
	}
	f.label = args.pos[0];
	if (wn_study_add(store, &f, reports, nreports, &id) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	printf("Added study %lld '%s' with %zu report%s\n", id, f.label, nreports,
	       nreports == 1 ? "" : "s");
done:
	wn_store_close(store);
	free(reports);
	free(args.pos);
	return status;
}

/* study link */

static const struct cmd_option link_options[] = {
	{ "role", OPT_ROLE, "ROLE", "the report's part in the study: " WN_STUDY_ROLES " (default main)", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

static int run_link(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct wn_store *store = NULL;
	const char *role = NULL;
	struct cmd_args args;
	int status;

	if (!cmd_parse_args(ctx, &cmd_study_link, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts; i++)
		if (args.opts[i].id == OPT_ROLE)
			role = args.opts[i].value;
	if (args.npos < 2) {
		status = cmd_usage_error(&cmd_study_link, "study link: give the study and one or more reports");
		goto done;
	}
	if ((status = cmd_open_review(ctx, WN_OPEN_WRITE, &store)) != EXIT_OK)
		goto done;
	/* each link is its own change: the ones before a bad report stay */
	for (int i = 1; i < args.npos; i++) {
		struct wn_study_link_result res;

		if (wn_study_link(store, args.pos[0], args.pos[i], role, &res) < 0) {
			status = cmd_fail_lib();
			goto done;
		}
		if (res.changed)
			printf("Report %lld linked to study '%s' as %s\n", res.report_id, args.pos[0],
			       res.role);
		else
			printf("Report %lld was already in study '%s' so\n", res.report_id, args.pos[0]);
	}
done:
	wn_store_close(store);
	free(args.pos);
	return status;
}

/* study unlink */

static int run_unlink(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct wn_store *store = NULL;
	struct cmd_args args;
	int status;

	if (!cmd_parse_args(ctx, &cmd_study_unlink, argc, argv, &args, &status))
		return status;
	if (args.npos < 1) {
		status = cmd_usage_error(&cmd_study_unlink, "study unlink: give one or more reports");
		goto done;
	}
	if ((status = cmd_open_review(ctx, WN_OPEN_WRITE, &store)) != EXIT_OK)
		goto done;
	for (int i = 0; i < args.npos; i++) {
		long long study, report;

		if (wn_study_unlink(store, args.pos[i], &study, &report) < 0) {
			status = cmd_fail_lib();
			goto done;
		}
		printf("Report %lld taken out of study %lld\n", report, study);
	}
done:
	wn_store_close(store);
	free(args.pos);
	return status;
}

/* study list and show */

static json_t *study_json(const struct wn_study *s)
{
	json_t *o = json_object(), *reports = json_array();

	json_object_set_new(o, "id", json_integer(s->id));
	json_object_set_new(o, "label", cmd_json_text(s->label));
#define FIELD(name) json_object_set_new(o, #name, s->name ? cmd_json_text(s->name) : json_null())
	FIELD(title);
	FIELD(design);
	FIELD(setting);
	FIELD(country);
	FIELD(registration);
	FIELD(note);
#undef FIELD
	for (size_t i = 0; i < s->nreports; i++) {
		json_t *r = json_object();

		json_object_set_new(r, "report", json_integer(s->reports[i].report_id));
		json_object_set_new(r, "role", json_string(role_shown(s->reports[i].role)));
		json_object_set_new(r, "citation", cmd_json_text(s->reports[i].citation));
		json_object_set_new(r, "title", cmd_json_text(s->reports[i].title));
		json_object_set_new(r, "included", json_boolean(s->reports[i].included));
		json_array_append_new(reports, r);
	}
	json_object_set_new(o, "reports", reports);
	json_object_set_new(o, "findings", json_integer(s->findings));
	json_object_set_new(o, "appraisals", json_integer(s->appraisals));
	return o;
}

static const struct cmd_option list_options[] = {
	{ "format", OPT_FORMAT, "F", "text (default), tsv, csv, markdown, html or json", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

static int run_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const char *const headers[] = { "id", "study", "reports", "findings", "appraisals",
						"title" };
	enum cmd_format format = FORMAT_TEXT;
	struct wn_store *store = NULL;
	struct wn_study *studies = NULL;
	struct cmd_table *t = NULL;
	long long *unlinked = NULL;
	size_t n = 0, nunlinked = 0;
	struct cmd_args args;
	int status;

	if (!cmd_parse_args(ctx, &cmd_study_list, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts; i++)
		if (args.opts[i].id == OPT_FORMAT &&
		    (status = cmd_parse_format(&cmd_study_list, args.opts[i].value,
					       FORMATS_TABLE | FORMATS_TEXT_JSON, &format)) != EXIT_OK)
			goto done;
	if (args.npos) {
		status = cmd_usage_error(&cmd_study_list, "study list: unexpected argument '%s'", args.pos[0]);
		goto done;
	}
	if ((status = cmd_open_review(ctx, WN_OPEN_READ, &store)) != EXIT_OK)
		goto done;
	if (wn_study_list(store, &studies, &n) < 0 ||
	    wn_study_unlinked(store, &unlinked, &nunlinked) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	if (format == FORMAT_JSON) {
		json_t *root = json_object(), *arr = json_array(), *un = json_array();

		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, study_json(&studies[i]));
		for (size_t i = 0; i < nunlinked; i++)
			json_array_append_new(un, json_integer(unlinked[i]));
		json_object_set_new(root, "studies", arr);
		json_object_set_new(root, "included_reports_in_no_study", un);
		status = cmd_print_json(root);
		goto done;
	}
	t = cmd_table_new(6, headers);
	cmd_table_width(t, 5, 60);
	for (size_t i = 0; i < n; i++) {
		const struct wn_study *s = &studies[i];
		struct wn_study_report *main_report = s->nreports ? &s->reports[0] : NULL;

		cmd_table_addf(t, "%lld", s->id);
		cmd_table_add(t, s->label);
		cmd_table_addf(t, "%zu", s->nreports);
		cmd_table_addf(t, "%ld", s->findings);
		cmd_table_addf(t, "%ld", s->appraisals);
		cmd_table_add(t, s->title ? s->title : main_report ? main_report->title : "");
	}
	status = cmd_table_print(t, stdout, format, NULL);
	if (format == FORMAT_TEXT && nunlinked) {
		printf("\n%zu included report%s in no study (each counts as its own study in PRISMA):",
		       nunlinked, nunlinked == 1 ? " is" : "s are");
		for (size_t i = 0; i < nunlinked && i < 20; i++)
			printf(" %lld", unlinked[i]);
		printf("%s\n", nunlinked > 20 ? " ..." : "");
	}
done:
	cmd_table_free(t);
	wn_studies_release(studies, n);
	free(unlinked);
	wn_store_close(store);
	free(args.pos);
	return status;
}

static const struct cmd_option show_options[] = {
	{ "format", OPT_FORMAT, "F", "text (default) or json", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

static int run_show(struct cmd_ctx *ctx, int argc, char **argv)
{
	enum cmd_format format = FORMAT_TEXT;
	struct wn_store *store = NULL;
	struct wn_study s = { 0 };
	struct cmd_args args;
	long long id;
	int status;

	if (!cmd_parse_args(ctx, &cmd_study_show, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts; i++)
		if (args.opts[i].id == OPT_FORMAT &&
		    (status = cmd_parse_format(&cmd_study_show, args.opts[i].value,
					       FORMATS_TEXT_JSON, &format)) != EXIT_OK)
			goto done;
	if (args.npos != 1) {
		status = cmd_usage_error(&cmd_study_show, "study show: give one study");
		goto done;
	}
	if ((status = cmd_open_review(ctx, WN_OPEN_READ, &store)) != EXIT_OK)
		goto done;
	if (wn_study_find(store, args.pos[0], &id) < 0 || wn_study_get(store, id, &s) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	if (format == FORMAT_JSON) {
		status = cmd_print_json(study_json(&s));
		goto done;
	}
	printf("Study %lld: %s\n", s.id, s.label);
#define LINE(label, v) if (v) printf("  %-13s %s\n", label, v)
	LINE("Title:", s.title);
	LINE("Design:", s.design);
	LINE("Setting:", s.setting);
	LINE("Country:", s.country);
	LINE("Registration:", s.registration);
	LINE("Note:", s.note);
#undef LINE
	printf("  Reports:      %zu\n", s.nreports);
	for (size_t i = 0; i < s.nreports; i++)
		printf("    %-5lld %-10s %s: %s%s\n", s.reports[i].report_id,
		       role_shown(s.reports[i].role), s.reports[i].citation, s.reports[i].title,
		       s.reports[i].included ? "" : "  [NO LONGER INCLUDED]");
	printf("  Findings:     %ld\n  Appraisals:   %ld\n", s.findings, s.appraisals);
done:
	wn_study_release(&s);
	wn_store_close(store);
	free(args.pos);
	return status;
}

/* study suggest */

struct suggest_out {
	enum cmd_format format;
	json_t *arr;
	long n;
};

static void print_quoted(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\' || *s == '$' || *s == '`')
			putchar('\\');
		putchar(*s);
	}
	putchar('"');
}

static int one_suggestion(void *ctx, const struct wn_study_suggestion *s)
{
	struct suggest_out *o = ctx;

	o->n++;
	if (o->format == FORMAT_JSON) {
		json_t *j = json_object(), *reports = json_array();

		for (int k = 0; k < 2; k++) {
			json_t *r = json_object();

			json_object_set_new(r, "report", json_integer(s->report[k]));
			json_object_set_new(r, "citation", cmd_json_text(s->citation[k]));
			json_object_set_new(r, "title", cmd_json_text(s->title[k]));
			json_object_set_new(r, "study", s->label[k] ? cmd_json_text(s->label[k]) : json_null());
			json_array_append_new(reports, r);
		}
		json_object_set_new(j, "reports", reports);
		json_object_set_new(j, "evidence", cmd_json_text(s->evidence));
		json_array_append_new(o->arr, j);
		return 0;
	}
	printf("Reports %lld and %lld may be one study: %s\n", s->report[0], s->report[1], s->evidence);
	for (int k = 0; k < 2; k++) {
		printf("  %lld  %s: %s", s->report[k], s->citation[k], s->title[k]);
		if (s->label[k])
			printf("  [study '%s']", s->label[k]);
		printf("\n");
	}
	printf("  to confirm: ");
	if (s->study[0] && s->study[1]) {
		printf("winnow study unlink %lld && winnow study link ", s->report[1]);
		print_quoted(s->label[0]);
		printf(" %lld --role secondary\n", s->report[1]);
	} else if (s->study[0] || s->study[1]) {
		int in = s->study[0] ? 0 : 1;

		printf("winnow study link ");
		print_quoted(s->label[in]);
		printf(" %lld --role secondary\n", s->report[1 - in]);
	} else {
		printf("winnow study add ");
		print_quoted(s->citation[0]);
		printf(" --report %lld --report %lld\n", s->report[0], s->report[1]);
	}
	return 0;
}

static int run_suggest(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct suggest_out o = { FORMAT_TEXT, NULL, 0 };
	struct wn_store *store = NULL;
	struct cmd_args args;
	int status;

	if (!cmd_parse_args(ctx, &cmd_study_suggest, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts; i++)
		if (args.opts[i].id == OPT_FORMAT &&
		    (status = cmd_parse_format(&cmd_study_suggest, args.opts[i].value,
					       FORMATS_TEXT_JSON, &o.format)) != EXIT_OK)
			goto done;
	if (args.npos) {
		status = cmd_usage_error(&cmd_study_suggest, "study suggest: unexpected argument '%s'",
					 args.pos[0]);
		goto done;
	}
	if ((status = cmd_open_review(ctx, WN_OPEN_READ, &store)) != EXIT_OK)
		goto done;
	if (o.format == FORMAT_JSON)
		o.arr = json_array();
	if (wn_study_suggest(store, one_suggestion, &o) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	if (o.format == FORMAT_JSON) {
		status = cmd_print_json(o.arr);
		o.arr = NULL;
	} else if (!o.n) {
		printf("No included reports look like parts of one study\n");
	}
done:
	json_decref(o.arr);
	wn_store_close(store);
	free(args.pos);
	return status;
}

const struct cmd cmd_study_add = {
	.name = "add",
	.parent = "study",
	.summary = "add a study, with its reports",
	.usage = "[--db FILE] LABEL [--report ID]... [--title T] [--design T] [--setting T] "
		 "[--country T] [--registration ID] [--note T] | --each-included",
	.description =
		"LABEL names the study in every table (\"Wildman 2019\"). Each --report must\n"
		"be included and in no other study; the first is the main report, the\n"
		"others secondary (change with 'study link --role'). --each-included adds\n"
		"one study per included report that is in none, labelled by first author\n"
		"and year, for a review whose studies are mostly one report each.",
	.options = add_options,
	.run = run_add,
	.uses_review = 1,
};

const struct cmd cmd_study_link = {
	.name = "link",
	.parent = "study",
	.summary = "link included reports to a study",
	.usage = "[--db FILE] STUDY REPORT... [--role ROLE]",
	.description =
		"STUDY is a label or id; each REPORT a record id, pmid:N or doi:X of an\n"
		"included report. A report is in one study: one in another is refused.\n"
		"Linking a report again to its study changes its role.",
	.options = link_options,
	.run = run_link,
	.uses_review = 1,
};

const struct cmd cmd_study_unlink = {
	.name = "unlink",
	.parent = "study",
	.summary = "take reports out of their study",
	.usage = "[--db FILE] REPORT...",
	.run = run_unlink,
	.uses_review = 1,
};

const struct cmd cmd_study_list = {
	.name = "list",
	.parent = "study",
	.summary = "list the studies and the included reports in none",
	.usage = "[--db FILE] [--format text|tsv|csv|markdown|html|json]",
	.options = list_options,
	.run = run_list,
	.uses_review = 1,
};

const struct cmd cmd_study_show = {
	.name = "show",
	.parent = "study",
	.summary = "show a study and its reports",
	.usage = "[--db FILE] STUDY [--format text|json]",
	.options = show_options,
	.run = run_show,
	.uses_review = 1,
};

const struct cmd cmd_study_suggest = {
	.name = "suggest",
	.parent = "study",
	.summary = "suggest included reports that may be one study",
	.usage = "[--db FILE] [--format text|json]",
	.description =
		"Pairs of included reports not in the same study that share a registration\n"
		"number (NCT, ISRCTN, PROSPERO CRD, ...), several authors (or authors and a\n"
		"similar title), a near-identical title, or a study's setting. Each comes\n"
		"with the command that would confirm it; nothing is linked.",
	.options = show_options,
	.run = run_suggest,
	.uses_review = 1,
};

static const struct cmd *const study_subcommands[] = {
	&cmd_study_add, &cmd_study_link, &cmd_study_unlink, &cmd_study_list, &cmd_study_show,
	&cmd_study_suggest, NULL,
};

const struct cmd cmd_study = {
	.name = "study",
	.summary = "group included reports into studies",
	.usage = "add|link|unlink|list|show|suggest [ARGS]",
	.description =
		"PRISMA 2020 counts studies and reports apart: a study can have several\n"
		"reports (a protocol, the main paper, a follow-up). Included reports in no\n"
		"study each count as their own study. See docs/synthesis.md.",
	.subcommands = study_subcommands,
};
