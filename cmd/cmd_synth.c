#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "table.h"
#include "winnow/store.h"
#include "winnow/synth.h"

enum { OPT_FORMAT = 'f', OPT_EXCLUDE = 1000 };

extern const struct cmd cmd_synth_matrix, cmd_synth_theme;

static const struct cmd_option matrix_options[] = {
	{ "exclude-appraisal", OPT_EXCLUDE, "SPEC", "leave out studies by an appraisal answer: INSTRUMENT:ITEM=ANSWER (e.g. casp:Q8=No)", 1 },
	{ "format", OPT_FORMAT, "F", "text (default), csv, tsv, markdown, html or json", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

static json_t *matrix_json(const struct wn_synth_matrix *m, int excluding)
{
	json_t *root = json_object(), *studies = json_array(), *themes = json_array();

	json_object_set_new(root, "appraisal_instrument", m->instrument ? json_string(m->instrument)
									: json_null());
	for (size_t k = 0; k < m->nstudies; k++) {
		json_t *s = json_object();

		json_object_set_new(s, "id", json_integer(m->studies[k].id));
		json_object_set_new(s, "label", cmd_json_text(m->studies[k].label));
		json_object_set_new(s, "appraisal", cmd_json_text(m->studies[k].appraisal));
		json_object_set_new(s, "left_out", m->studies[k].excluded
				    ? cmd_json_text(m->studies[k].excluded) : json_null());
		json_array_append_new(studies, s);
	}
	for (size_t t = 0; t < m->nthemes; t++) {
		json_t *o = json_object(), *cells = json_object();

		json_object_set_new(o, "id", json_integer(m->themes[t].id));
		json_object_set_new(o, "theme", cmd_json_text(m->themes[t].path));
		json_object_set_new(o, "depth", json_integer(m->themes[t].depth));
		for (size_t k = 0; k < m->nstudies; k++)
			if (m->cells[t * m->nstudies + k])
				json_object_set_new(cells, m->studies[k].label,
						    json_integer(m->cells[t * m->nstudies + k]));
		json_object_set_new(o, "findings", cells);
		json_object_set_new(o, "studies", json_integer(m->support[t]));
		if (excluding)
			json_object_set_new(o, "studies_after_leaving_out", json_integer(m->support_after[t]));
		json_array_append_new(themes, o);
	}
	json_object_set_new(root, "studies", studies);
	json_object_set_new(root, "themes", themes);
	return root;
}

static int run_matrix(struct cmd_ctx *ctx, int argc, char **argv)
{
	enum cmd_format format = FORMAT_TEXT;
	struct wn_synth_matrix m = { 0 };
	const char **exclude = NULL;
	struct wn_store *store = NULL;
	struct cmd_table *t = NULL;
	struct cmd_args args;
	size_t nexclude = 0, out = 0;
	int status;

	if (!cmd_parse_args(ctx, &cmd_synth_matrix, argc, argv, &args, &status))
		return status;
	exclude = calloc((size_t)args.nopts + 1, sizeof(*exclude));
	for (int i = 0; i < args.nopts && status == EXIT_OK; i++) {
		if (args.opts[i].id == OPT_EXCLUDE)
			exclude[nexclude++] = args.opts[i].value;
		else if (args.opts[i].id == OPT_FORMAT)
			status = cmd_parse_format(&cmd_synth_matrix, args.opts[i].value,
						  FORMATS_TABLE | FORMATS_TEXT_JSON, &format);
	}
	if (status != EXIT_OK)
		goto done;
	if (args.npos) {
		status = cmd_usage_error(&cmd_synth_matrix, "synth matrix: unexpected argument '%s'", args.pos[0]);
		goto done;
	}
	if ((status = cmd_open_review(ctx, WN_OPEN_READ, &store)) != EXIT_OK)
		goto done;
	if (wn_synth_matrix(store, exclude, nexclude, &m) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	if (format == FORMAT_JSON) {
		status = cmd_print_json(matrix_json(&m, nexclude > 0));
		goto done;
	}
	if (!m.nthemes) {
		printf("No themes yet (winnow theme add)\n");
		goto done;
	}
	{
		size_t ncols = 1 + m.nstudies + 1 + (nexclude > 0);
		const char **headers = calloc(ncols + 1, sizeof(*headers));
		char **owned = calloc(m.nstudies + 1, sizeof(*owned));
		/* text is read on a screen: studies as S1, S2, ... with a key below */
		int short_names = format == FORMAT_TEXT;

		headers[0] = "Theme";
		for (size_t k = 0; k < m.nstudies; k++) {
			if (short_names)
				(void)!asprintf(&owned[k], "S%zu%s", k + 1, m.studies[k].excluded ? "-" : "");
			else
				(void)!asprintf(&owned[k], "%s%s", m.studies[k].label,
						m.studies[k].excluded ? " (left out)" : "");
			headers[1 + k] = owned[k];
		}
		headers[1 + m.nstudies] = "Studies";
		if (nexclude)
			headers[2 + m.nstudies] = "Without those left out";
		t = cmd_table_new(ncols, headers);
		for (size_t k = 0; k < m.nstudies; k++)
			free(owned[k]);
		free(owned);
		free(headers);
	}
	cmd_table_width(t, 0, 44);
	if (m.instrument) {
		cmd_table_addf(t, "(appraisal: %s)", m.instrument);
		for (size_t k = 0; k < m.nstudies; k++)
			cmd_table_add(t, m.studies[k].appraisal);
		cmd_table_add(t, "");
		if (nexclude)
			cmd_table_add(t, "");
	}
	for (size_t i = 0; i < m.nthemes; i++) {
		if (format == FORMAT_TEXT || format == FORMAT_MARKDOWN || format == FORMAT_HTML)
			cmd_table_addf(t, "%*s%s", 2 * m.themes[i].depth, "", m.themes[i].name);
		else
			cmd_table_add(t, m.themes[i].path);
		for (size_t k = 0; k < m.nstudies; k++) {
			long c = m.cells[i * m.nstudies + k];

			if (c)
				cmd_table_addf(t, "%ld", c);
			else
				cmd_table_add(t, "");
		}
		cmd_table_addf(t, "%ld", m.support[i]);
		if (nexclude) {
			if (m.support[i] && !m.support_after[i])
				cmd_table_addf(t, "0 (loses all support)");
			else if (m.support_after[i] < m.support[i])
				cmd_table_addf(t, "%ld (loses %ld)", m.support_after[i],
					       m.support[i] - m.support_after[i]);
			else
				cmd_table_addf(t, "%ld", m.support_after[i]);
		}
	}
	status = cmd_table_print(t, stdout, format, format == FORMAT_TEXT ? NULL
				 : "Themes by contributing studies (findings coded)");
	if (status == EXIT_OK && format != FORMAT_CSV && format != FORMAT_TSV) {
		const char *item = format == FORMAT_MARKDOWN ? "- " : format == FORMAT_HTML ? "<br>" : "  ";

		printf("%s", format == FORMAT_HTML ? "<p>" : "\n");
		if (format == FORMAT_TEXT) {
			for (size_t k = 0; k < m.nstudies; k++)
				printf("%sS%zu = %s%s%s%s\n", item, k + 1, m.studies[k].label,
				       m.studies[k].excluded ? " (left out: " : "",
				       m.studies[k].excluded ? m.studies[k].excluded : "",
				       m.studies[k].excluded ? ")" : "");
		}
		for (size_t k = 0; k < m.nstudies; k++)
			out += m.studies[k].excluded != NULL;
		if (nexclude)
			printf("%s%zu of %zu studies left out by the appraisal.\n", item, out, m.nstudies);
		printf("%sCells count the findings coded to each theme (with its subthemes) from each study.\n",
		       item);
		if (format == FORMAT_HTML)
			printf("</p>\n");
	}
done:
	cmd_table_free(t);
	wn_synth_matrix_release(&m);
	free(exclude);
	wn_store_close(store);
	free(args.pos);
	return status;
}

static const struct cmd_option theme_options[] = {
	{ "format", OPT_FORMAT, "F", "text (default), markdown or json", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

static int run_theme(struct cmd_ctx *ctx, int argc, char **argv)
{
	enum cmd_format format = FORMAT_TEXT;
	struct wn_synth_matrix m = { 0 };
	struct wn_finding *f = NULL;
	struct wn_store *store = NULL;
	struct cmd_args args;
	size_t n = 0, row = 0;
	long long id;
	int status;

	if (!cmd_parse_args(ctx, &cmd_synth_theme, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts && status == EXIT_OK; i++)
		if (args.opts[i].id == OPT_FORMAT)
			status = cmd_parse_format(&cmd_synth_theme, args.opts[i].value,
						  FORMATS_TEXT_JSON | (1u << FORMAT_MARKDOWN), &format);
	if (status != EXIT_OK)
		goto done;
	if (args.npos != 1) {
		status = cmd_usage_error(&cmd_synth_theme, "synth theme: give one theme");
		goto done;
	}
	if ((status = cmd_open_review(ctx, WN_OPEN_READ, &store)) != EXIT_OK)
		goto done;
	if (wn_theme_find(store, args.pos[0], &id) < 0 || wn_synth_matrix(store, NULL, 0, &m) < 0 ||
	    wn_finding_list(store, args.pos[0], NULL, &f, &n) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	while (row < m.nthemes && m.themes[row].id != id)
		row++;
	if (row == m.nthemes) {
		status = cmd_fail("synth theme: theme '%s' is not in the tree", args.pos[0]);
		goto done;
	}
	if (format == FORMAT_JSON) {
		json_t *o = json_object(), *subs = json_array(), *studies = json_array(), *fs = json_array();
		const struct wn_theme *th = &m.themes[row];

		json_object_set_new(o, "id", json_integer(th->id));
		json_object_set_new(o, "theme", cmd_json_text(th->path));
		json_object_set_new(o, "description", th->description ? cmd_json_text(th->description)
								      : json_null());
		for (size_t i = row + 1; i < m.nthemes && m.themes[i].depth > th->depth; i++)
			json_array_append_new(subs, cmd_json_text(m.themes[i].path));
		for (size_t k = 0; k < m.nstudies; k++) {
			json_t *s;

			if (!m.cells[row * m.nstudies + k])
				continue;
			s = json_object();
			json_object_set_new(s, "study", cmd_json_text(m.studies[k].label));
			json_object_set_new(s, "appraisal", cmd_json_text(m.studies[k].appraisal));
			json_object_set_new(s, "findings", json_integer(m.cells[row * m.nstudies + k]));
			json_array_append_new(studies, s);
		}
		for (size_t i = 0; i < n; i++) {
			json_t *x = json_object();

			json_object_set_new(x, "id", json_integer(f[i].id));
			json_object_set_new(x, "kind", json_string(f[i].kind));
			json_object_set_new(x, "text", cmd_json_text(f[i].text));
			json_object_set_new(x, "study", cmd_json_text(f[i].study));
			json_object_set_new(x, "report", f[i].citation ? cmd_json_text(f[i].citation) : json_null());
			json_object_set_new(x, "where", f[i].where ? cmd_json_text(f[i].where) : json_null());
			json_object_set_new(x, "participant", f[i].participant
					    ? cmd_json_text(f[i].participant) : json_null());
			json_object_set_new(x, "themes", cmd_json_text(f[i].themes));
			json_array_append_new(fs, x);
		}
		json_object_set_new(o, "subthemes", subs);
		json_object_set_new(o, "studies", studies);
		json_object_set_new(o, "findings", fs);
		status = cmd_print_json(o);
		goto done;
	}
	{
		const struct wn_theme *th = &m.themes[row];
		int md = format == FORMAT_MARKDOWN;

		printf(md ? "## %s\n\n" : "Theme: %s\n", th->path);
		if (th->description)
			printf(md ? "%s\n\n" : "%s\n", th->description);
		for (size_t i = row + 1; i < m.nthemes && m.themes[i].depth > th->depth; i++)
			printf(md ? "- subtheme: %s\n" : "  subtheme: %s\n", m.themes[i].path);
		printf(md ? "\n**Contributing studies (%ld)**\n\n" : "\nContributing studies (%ld):\n",
		       m.support[row]);
		for (size_t k = 0; k < m.nstudies; k++) {
			long c = m.cells[row * m.nstudies + k];

			if (c)
				printf(md ? "- %s (appraisal: %s): %ld finding%s\n"
					  : "  %-24s %-14s %ld finding%s\n", m.studies[k].label,
				       *m.studies[k].appraisal ? m.studies[k].appraisal : "-", c,
				       c == 1 ? "" : "s");
		}
		printf(md ? "\n**Findings (%zu)**\n\n" : "\nFindings (%zu):\n", n);
		for (size_t i = 0; i < n; i++) {
			printf(md ? "- %s \"%s\"" : "  [%s] \"%s\"\n     ",
			       !strcmp(f[i].kind, "quote") ? "quote" : "interpretation", f[i].text);
			if (md)
				printf(" —");
			if (f[i].participant)
				printf(" %s;", f[i].participant);
			printf(" %s", f[i].study);
			if (f[i].citation || f[i].where) {
				printf(" (");
				if (f[i].citation)
					printf("%s%s", f[i].citation, f[i].where ? ", " : "");
				if (f[i].where)
					printf("%s", f[i].where);
				printf(")");
			}
			printf("  [%s]\n", f[i].themes);
		}
	}
done:
	wn_findings_release(f, n);
	wn_synth_matrix_release(&m);
	wn_store_close(store);
	free(args.pos);
	return status;
}

const struct cmd cmd_synth_matrix = {
	.name = "matrix",
	.parent = "synth",
	.summary = "themes against studies, with each study's appraisal",
	.usage = "[--db FILE] [--exclude-appraisal SPEC]... [--format text|csv|tsv|markdown|html|json]",
	.description =
		"Each cell counts the findings coded to the theme (with its subthemes) from\n"
		"the study; the first row is each study's appraisal (the protocol's\n"
		"instrument). --exclude-appraisal leaves out the studies an appraisal answer\n"
		"picks (INSTRUMENT:ITEM=ANSWER, e.g. casp:Q8=No, answers joined by '|';\n"
		"repeat for several) and shows the support each theme keeps without them.",
	.options = matrix_options,
	.run = run_matrix,
	.uses_review = 1,
};

const struct cmd cmd_synth_theme = {
	.name = "theme",
	.parent = "synth",
	.summary = "a theme: its description, studies and every supporting finding",
	.usage = "[--db FILE] THEME [--format text|markdown|json]",
	.options = theme_options,
	.run = run_theme,
	.uses_review = 1,
};

static const struct cmd *const synth_subcommands[] = { &cmd_synth_matrix, &cmd_synth_theme, NULL };

const struct cmd cmd_synth = {
	.name = "synth",
	.summary = "the synthesis: theme matrix and theme reports",
	.usage = "matrix|theme [ARGS]",
	.subcommands = synth_subcommands,
};
