#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "table.h"
#include "winnow/appraisal.h"
#include "winnow/store.h"

enum {
	OPT_FORMAT = 'f',
	OPT_INSTRUMENT = 1000, OPT_REVIEWER, OPT_CATEGORY, OPT_ANSWERS, OPT_ANSWER, OPT_COMMENT,
	OPT_FROM, OPT_NOTE,
};

extern const struct cmd cmd_appraise, cmd_appraise_summary, cmd_appraise_conflicts,
	cmd_appraise_resolve, cmd_appraise_instruments;

/* The interactive form (cmd/appraise_form.c). */
int appraise_form(struct wn_store *store, const char *study, const char *instrument,
		  const char *reviewer, const char *category);

/* appraise STUDY */

static const struct cmd_option options[] = {
	{ "instrument", OPT_INSTRUMENT, "NAME", "the checklist (default: the protocol's [appraisal] instrument)", 0 },
	{ "reviewer", OPT_REVIEWER, "NAME", "who appraises (default: $WINNOW_REVIEWER or your login)", 0 },
	{ "category", OPT_CATEGORY, "C", "the study's category, for an instrument that has them (MMAT)", 0 },
	{ "answers", OPT_ANSWERS, "LIST", "answers: \"1=y, 2=Yes, 3=c\", or in item order \"y,y,c,n\"", 0 },
	{ "answer", OPT_ANSWER, "ITEM=TEXT", "one answer (for words with commas)", 1 },
	{ "comment", OPT_COMMENT, "ITEM=TEXT", "a comment on an item's answer", 1 },
	{ "from", OPT_FROM, "FILE.csv", "answers from a file: columns study, item, answer, comment, category, reviewer", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

struct answers {
	struct wn_answer_input *a;
	size_t n;
	char **owned;
	size_t nowned;
};

static char *own(struct answers *as, char *s)
{
	as->owned = realloc(as->owned, (as->nowned + 1) * sizeof(*as->owned));
	if (!as->owned)
		abort();
	return as->owned[as->nowned++] = s;
}

static struct wn_answer_input *answer_for(struct answers *as, const char *item)
{
	for (size_t i = 0; i < as->n; i++)
		if (as->a[i].item && !strcmp(as->a[i].item, item))
			return &as->a[i];
	as->a = realloc(as->a, (as->n + 1) * sizeof(*as->a));
	if (!as->a)
		abort();
	memset(&as->a[as->n], 0, sizeof(*as->a));
	as->a[as->n].item = item;
	return &as->a[as->n++];
}

static char *trimmed(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* "ITEM=TEXT" into item and text (pointing into a copy kept in as). */
static int split_pair(const struct cmd *c, struct answers *as, const char *option, const char *v,
		      char **item, char **text)
{
	char *copy = own(as, strdup(v)), *eq = copy ? strchr(copy, '=') : NULL;

	if (!eq)
		return cmd_usage_error(c, "appraise: %s takes ITEM=TEXT, not '%s'", option, v);
	*eq = '\0';
	*item = trimmed(copy);
	*text = trimmed(eq + 1);
	return EXIT_OK;
}

/* "1=y, 2=Yes" or "y,y,c" (the items in the order they are asked). */
static int parse_answers(const struct cmd *c, struct answers *as, const char *v)
{
	char *copy = own(as, strdup(v)), *save = NULL;
	int named = -1;

	for (char *part = strtok_r(copy, ",;", &save); part; part = strtok_r(NULL, ",;", &save)) {
		char *eq = strchr(part, '=');
		struct wn_answer_input *a;

		if (named >= 0 && named != (eq != NULL))
			return cmd_usage_error(c, "appraise: --answers is all ITEM=ANSWER or all "
					       "answers in item order, not both");
		named = eq != NULL;
		if (eq) {
			*eq = '\0';
			a = answer_for(as, trimmed(part));
			if (a->answer)
				return cmd_usage_error(c, "appraise: item %s is answered twice", a->item);
			a->answer = trimmed(eq + 1);
		} else {
			/* no item: the library answers the items in order */
			as->a = realloc(as->a, (as->n + 1) * sizeof(*as->a));
			if (!as->a)
				abort();
			a = &as->a[as->n++];
			memset(a, 0, sizeof(*a));
			a->answer = trimmed(part);
		}
	}
	return EXIT_OK;
}

static void answers_release(struct answers *as)
{
	for (size_t i = 0; i < as->nowned; i++)
		free(as->owned[i]);
	free(as->owned);
	free(as->a);
}

static int run_appraise(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *instrument = NULL, *reviewer = NULL, *category = NULL, *from = NULL;
	const char *reviewer_given = NULL;
	struct answers as = { 0 };
	struct wn_store *store = NULL;
	struct cmd_args args;
	int status, have_answers = 0;

	if (!cmd_parse_args(ctx, &cmd_appraise, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts && status == EXIT_OK; i++) {
		const char *v = args.opts[i].value;
		char *item, *text;

		switch (args.opts[i].id) {
		case OPT_INSTRUMENT: instrument = v; break;
		case OPT_REVIEWER: reviewer = reviewer_given = v; break;
		case OPT_CATEGORY: category = v; break;
		case OPT_FROM: from = v; break;
		case OPT_ANSWERS:
			have_answers = 1;
			status = parse_answers(&cmd_appraise, &as, v);
			break;
		case OPT_ANSWER:
			have_answers = 1;
			if ((status = split_pair(&cmd_appraise, &as, "--answer", v, &item, &text)) != EXIT_OK)
				break;
			if (answer_for(&as, item)->answer)
				status = cmd_usage_error(&cmd_appraise, "appraise: item %s is answered twice",
							 item);
			answer_for(&as, item)->answer = text;
			break;
		case OPT_COMMENT:
			have_answers = 1;
			if ((status = split_pair(&cmd_appraise, &as, "--comment", v, &item, &text)) == EXIT_OK)
				answer_for(&as, item)->comment = text;
			break;
		}
	}
	if (status != EXIT_OK)
		goto done;
	if (from ? args.npos > 1 || have_answers : args.npos != 1) {
		status = cmd_usage_error(&cmd_appraise, from
			? "appraise: --from takes the answers from the file (and at most one study)"
			: "appraise: give one study (its label or id)");
		goto done;
	}
	if (!reviewer)
		reviewer = ctx->who.actor;
	if ((status = cmd_open_review(ctx, WN_OPEN_WRITE, &store)) != EXIT_OK)
		goto done;
	wn_store_set_actor(store, reviewer);
	if (from) {
		long answers, studies;

		if (wn_appraise_csv(store, from, instrument, args.npos ? args.pos[0] : NULL,
				    reviewer_given, &answers, &studies) < 0) {
			status = cmd_fail_lib();
			goto done;
		}
		printf("Stored %ld answer%s on %ld stud%s from %s\n", answers, answers == 1 ? "" : "s",
		       studies, studies == 1 ? "y" : "ies", from);
		goto done;
	}
	if (!have_answers) {
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
			status = cmd_usage_error(&cmd_appraise, "appraise: the form needs a terminal; "
						 "give --answers or --from FILE.csv to script it");
			goto done;
		}
		status = appraise_form(store, args.pos[0], instrument, reviewer, category);
		goto done;
	}
	{
		struct wn_appraisal_input in = {
			.study = args.pos[0], .instrument = instrument, .reviewer = reviewer,
			.category = category, .nanswers = as.n,
		};
		struct wn_appraisal_result res;

		in.answers = as.a;
		if (wn_appraise(store, &in, &res) < 0) {
			status = cmd_fail_lib();
			goto done;
		}
		printf("Study '%s', %s: %ld answer%s stored", args.pos[0], reviewer, res.stored,
		       res.stored == 1 ? "" : "s");
		if (res.unchanged)
			printf(", %ld as before", res.unchanged);
		if (res.remaining)
			printf("; %ld item%s still to answer", res.remaining, res.remaining == 1 ? "" : "s");
		else
			printf("; every item answered");
		printf("\n");
	}
done:
	answers_release(&as);
	wn_store_close(store);
	free(args.pos);
	return status;
}

/* appraise summary */

static const struct cmd_option summary_options[] = {
	{ "instrument", OPT_INSTRUMENT, "NAME", "the checklist (default: the protocol's)", 0 },
	{ "format", OPT_FORMAT, "F", "text (default), csv, tsv, markdown, html or json", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

/* "Y" for Yes, "CT" for Can't tell, "NA" for Not applicable: the
 * initials papers print in these tables. */
static void initials(const char *label, char *out, size_t cap)
{
	size_t n = 0;
	int start = 1;

	for (const char *p = label; *p && n + 1 < cap; p++) {
		if (isalpha((unsigned char)*p) && start)
			out[n++] = (char)toupper((unsigned char)*p);
		start = *p == ' ' || *p == '-' || *p == '/';
	}
	out[n] = '\0';
}

static const char *column_name(const struct wn_instrument_item *it, char *buf, size_t cap)
{
	if (it->overall)
		return "Overall";
	snprintf(buf, cap, "%s%s", isdigit((unsigned char)it->code[0]) &&
		 !strchr(it->code, '.') ? "Q" : "", it->code);
	return buf;
}

/* What a row still lacks, or "complete". */
static void row_status(const struct wn_appraisal_summary *s, const struct wn_appraisal_row *row,
		       char *out, size_t cap)
{
	size_t n = 0;

	out[0] = '\0';
	if (row->category_conflict)
		n += (size_t)snprintf(out + n, cap - n, "category disputed (%s)", row->category_conflict);
	if (row->nreviewers < (size_t)s->required_reviewers && n < cap)
		n += (size_t)snprintf(out + n, cap - n, "%s%zu of %d reviewers finished", n ? "; " : "",
				      row->nreviewers, s->required_reviewers);
	for (int pass = 0; pass < 2; pass++) {
		enum wn_cell_state want = pass ? WN_CELL_EMPTY : WN_CELL_CONFLICT;
		int first = 1;

		for (size_t i = 0; i < s->instrument.nitems && n < cap; i++) {
			if (row->states[i] != want)
				continue;
			n += (size_t)snprintf(out + n, cap - n, "%s%s%s", first ? (n ? "; " : "") : ",",
					      first ? (pass ? "unanswered " : "conflict on ") : "",
					      s->instrument.items[i].code);
			first = 0;
		}
	}
	if (n >= cap)
		strcpy(out + cap - 4, "...");
	if (!out[0])
		snprintf(out, cap, "%s", s->instrument.ncategories && !row->category ? "no category"
					 : "complete");
}

/* One table: the rows of a category (NULL: all), with the items asked. */
static int print_summary_table(const struct wn_appraisal_summary *s, enum cmd_format format,
			       const char *category, const char *title)
{
	const struct wn_instrument *in = &s->instrument;
	const char **headers = calloc(in->nitems + 6, sizeof(*headers));
	size_t *cols = calloc(in->nitems + 1, sizeof(*cols)), ncols = 0, nh = 0;
	char (*names)[24] = calloc(in->nitems + 1, sizeof(*names));
	int full = format == FORMAT_CSV || format == FORMAT_TSV, status;
	struct cmd_table *t;
	char tally_head[64];

	if (!headers || !cols || !names)
		abort();
	headers[nh++] = "Study";
	if (in->ncategories && full)
		headers[nh++] = "Category";
	for (size_t i = 0; i < in->nitems; i++) {
		if (category && !wn_instrument_applies(&in->items[i], category))
			continue;
		cols[ncols++] = i;
		headers[nh++] = column_name(&in->items[i], names[i], sizeof(names[i]));
	}
	if (in->tally) {
		snprintf(tally_head, sizeof(tally_head), "%s", in->tally);
		headers[nh++] = tally_head;
	}
	headers[nh++] = "Reviewers";
	headers[nh++] = "Status";
	t = cmd_table_new(nh, headers);
	for (size_t r = 0; r < s->nrows; r++) {
		const struct wn_appraisal_row *row = &s->rows[r];
		char st[160];

		if (category && (!row->category || strcmp(row->category, category)))
			continue;
		cmd_table_add(t, row->study);
		if (in->ncategories && full)
			cmd_table_add(t, row->category);
		for (size_t c = 0; c < ncols; c++) {
			size_t i = cols[c];
			const char *cell = row->cells[i];
			char ab[16];

			if (full || in->items[i].free_text || row->states[i] == WN_CELL_EMPTY) {
				cmd_table_add(t, cell);
				continue;
			}
			if (row->states[i] == WN_CELL_CONFLICT) {
				cmd_table_add(t, "??");
				continue;
			}
			initials(cell, ab, sizeof(ab));
			cmd_table_addf(t, "%s%s", ab, row->states[i] == WN_CELL_CONSENSUS ? "*" : "");
		}
		if (in->tally)
			cmd_table_addf(t, "%ld/%ld", row->tally, row->tally_of);
		cmd_table_add(t, row->reviewers);
		row_status(s, row, st, sizeof(st));
		cmd_table_add(t, st);
		if (format == FORMAT_TEXT)
			for (size_t c = 0; c < ncols; c++)
				if (in->items[cols[c]].free_text)
					cmd_table_width(t, c + 1, 24);
	}
	status = cmd_table_print(t, stdout, format, title);
	cmd_table_free(t);
	free(headers);
	free(cols);
	free(names);
	return status;
}

static void print_legend(const struct wn_appraisal_summary *s, enum cmd_format format)
{
	const struct wn_instrument *in = &s->instrument;
	struct { char ab[16]; const char *label; } seen[32];
	size_t n = 0;

	for (size_t i = 0; i < in->nitems; i++)
		for (size_t j = 0; j < in->items[i].nanswers; j++) {
			char ab[16];
			size_t k;

			initials(in->items[i].answers[j].label, ab, sizeof(ab));
			for (k = 0; k < n && strcmp(seen[k].ab, ab); k++)
				;
			if (k == n && n < 32) {
				strcpy(seen[n].ab, ab);
				seen[n++].label = in->items[i].answers[j].label;
			}
		}
	printf(format == FORMAT_HTML ? "<p>" : "\n");
	for (size_t k = 0; k < n; k++)
		printf("%s%s = %s", k ? "; " : "", seen[k].ab, seen[k].label);
	printf("; * = settled by consensus; ?? = reviewers disagree\n");
	for (size_t i = 0; i < in->nitems; i++) {
		char buf[24];
		int shown = !in->items[i].category;

		/* the criteria of the categories in the tables */
		for (size_t r = 0; r < s->nrows && !shown; r++)
			shown = wn_instrument_applies(&in->items[i], s->rows[r].category);
		if (!shown)
			continue;
		printf("%s%s: %s\n", format == FORMAT_MARKDOWN ? "- " : format == FORMAT_HTML ? "<br>" : "",
		       column_name(&in->items[i], buf, sizeof(buf)), in->items[i].text);
	}
	if (in->note)
		printf("%s%s\n", format == FORMAT_HTML ? "<br>" : "\n", in->note);
	if (format == FORMAT_HTML)
		printf("</p>\n");
}

static json_t *summary_json(const struct wn_appraisal_summary *s)
{
	static const char *const states[] = { "empty", "agreed", "consensus", "conflict", "n/a" };
	const struct wn_instrument *in = &s->instrument;
	json_t *root = json_object(), *ins = json_object(), *studies = json_array();

	json_object_set_new(ins, "name", json_string(in->name));
	json_object_set_new(ins, "version", cmd_json_text(in->version));
	json_object_set_new(ins, "title", cmd_json_text(in->title));
	json_object_set_new(ins, "sha256", json_string(in->sha256));
	json_object_set_new(root, "instrument", ins);
	json_object_set_new(root, "required_reviewers", json_integer(s->required_reviewers));
	for (size_t r = 0; r < s->nrows; r++) {
		const struct wn_appraisal_row *row = &s->rows[r];
		json_t *o = json_object(), *answers = json_object();
		char st[160];

		json_object_set_new(o, "study", cmd_json_text(row->study));
		json_object_set_new(o, "study_id", json_integer(row->study_id));
		json_object_set_new(o, "category", row->category ? json_string(row->category) : json_null());
		json_object_set_new(o, "reviewers", cmd_json_text(row->reviewers));
		for (size_t i = 0; i < in->nitems; i++) {
			json_t *a = json_object();

			json_object_set_new(a, "answer", row->states[i] == WN_CELL_EMPTY ||
					    row->states[i] == WN_CELL_CONFLICT || row->states[i] == WN_CELL_NA
					    ? json_null() : cmd_json_text(row->cells[i]));
			json_object_set_new(a, "state", json_string(states[row->states[i]]));
			if (row->comments[i])
				json_object_set_new(a, "comments", cmd_json_text(row->comments[i]));
			json_object_set_new(answers, in->items[i].code, a);
		}
		json_object_set_new(o, "answers", answers);
		if (in->tally) {
			json_t *t = json_object();

			json_object_set_new(t, "answer", json_string(in->tally));
			json_object_set_new(t, "count", json_integer(row->tally));
			json_object_set_new(t, "of", json_integer(row->tally_of));
			json_object_set_new(o, "tally", t);
		}
		json_object_set_new(o, "complete", json_boolean(row->complete));
		row_status(s, row, st, sizeof(st));
		json_object_set_new(o, "status", json_string(st));
		json_array_append_new(studies, o);
	}
	json_object_set_new(root, "studies", studies);
	return root;
}

static int run_summary(struct cmd_ctx *ctx, int argc, char **argv)
{
	enum cmd_format format = FORMAT_TEXT;
	struct wn_appraisal_summary s = { 0 };
	const char *instrument = NULL;
	struct wn_store *store = NULL;
	struct cmd_args args;
	int status;

	if (!cmd_parse_args(ctx, &cmd_appraise_summary, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts && status == EXIT_OK; i++) {
		if (args.opts[i].id == OPT_INSTRUMENT)
			instrument = args.opts[i].value;
		else if (args.opts[i].id == OPT_FORMAT)
			status = cmd_parse_format(&cmd_appraise_summary, args.opts[i].value,
						  FORMATS_TABLE | FORMATS_TEXT_JSON, &format);
	}
	if (status != EXIT_OK)
		goto done;
	if (args.npos) {
		status = cmd_usage_error(&cmd_appraise_summary, "appraise summary: unexpected argument '%s'",
					 args.pos[0]);
		goto done;
	}
	if ((status = cmd_open_review(ctx, WN_OPEN_READ, &store)) != EXIT_OK)
		goto done;
	if (wn_appraisal_summary(store, instrument, &s) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	if (format == FORMAT_JSON) {
		status = cmd_print_json(summary_json(&s));
		goto done;
	}
	if (format == FORMAT_CSV || format == FORMAT_TSV || !s.instrument.ncategories) {
		char title[256];

		snprintf(title, sizeof(title), "%s (%s)", s.instrument.title, s.instrument.version);
		status = print_summary_table(&s, format, NULL,
					     format == FORMAT_CSV || format == FORMAT_TSV ? NULL : title);
	} else {
		/* one table per category of design, each with its own criteria */
		for (size_t c = 0; c < s.instrument.ncategories && status == EXIT_OK; c++) {
			int any = 0;

			for (size_t r = 0; r < s.nrows; r++)
				any |= s.rows[r].category &&
				       !strcmp(s.rows[r].category, s.instrument.categories[c].code);
			if (any) {
				char title[256];

				snprintf(title, sizeof(title), "%s: %s", s.instrument.title,
					 s.instrument.categories[c].label);
				if (c)
					printf("\n");
				status = print_summary_table(&s, format, s.instrument.categories[c].code,
							     title);
			}
		}
	}
	if (status == EXIT_OK && format != FORMAT_CSV && format != FORMAT_TSV)
		print_legend(&s, format);
done:
	wn_appraisal_summary_release(&s);
	wn_store_close(store);
	free(args.pos);
	return status;
}

/* appraise conflicts */

static const struct cmd_option conflicts_options[] = {
	{ "instrument", OPT_INSTRUMENT, "NAME", "the checklist (default: the protocol's)", 0 },
	{ "format", OPT_FORMAT, "F", "text (default) or json", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

struct conflicts_out {
	enum cmd_format format;
	json_t *arr;
	long n;
};

static int one_conflict(void *ctx, const struct wn_appraisal_conflict *c)
{
	struct conflicts_out *o = ctx;

	o->n++;
	if (o->format == FORMAT_JSON) {
		json_t *j = json_object(), *answers = json_object();

		json_object_set_new(j, "study", cmd_json_text(c->study));
		json_object_set_new(j, "item", json_string(c->item));
		for (size_t i = 0; i < c->n; i++)
			json_object_set_new(answers, c->reviewers[i], cmd_json_text(c->answers[i]));
		json_object_set_new(j, "answers", answers);
		json_array_append_new(o->arr, j);
		return 0;
	}
	printf("%s, item %s (%s)\n", c->study, c->item, c->text);
	for (size_t i = 0; i < c->n; i++)
		printf("  %s: %s\n", c->reviewers[i], c->answers[i]);
	return 0;
}

static int run_conflicts(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct conflicts_out o = { FORMAT_TEXT, NULL, 0 };
	const char *instrument = NULL;
	struct wn_store *store = NULL;
	struct cmd_args args;
	int status;

	if (!cmd_parse_args(ctx, &cmd_appraise_conflicts, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts && status == EXIT_OK; i++) {
		if (args.opts[i].id == OPT_INSTRUMENT)
			instrument = args.opts[i].value;
		else if (args.opts[i].id == OPT_FORMAT)
			status = cmd_parse_format(&cmd_appraise_conflicts, args.opts[i].value,
						  FORMATS_TEXT_JSON, &o.format);
	}
	if (status != EXIT_OK)
		goto done;
	if (args.npos) {
		status = cmd_usage_error(&cmd_appraise_conflicts,
					 "appraise conflicts: unexpected argument '%s'", args.pos[0]);
		goto done;
	}
	if ((status = cmd_open_review(ctx, WN_OPEN_READ, &store)) != EXIT_OK)
		goto done;
	if (o.format == FORMAT_JSON)
		o.arr = json_array();
	if (wn_appraisal_conflicts(store, instrument, one_conflict, &o) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	if (o.format == FORMAT_JSON) {
		status = cmd_print_json(o.arr);
		o.arr = NULL;
	} else if (!o.n) {
		printf("No disagreements between appraisers\n");
	}
done:
	json_decref(o.arr);
	wn_store_close(store);
	free(args.pos);
	return status;
}

/* appraise resolve */

static const struct cmd_option resolve_options[] = {
	{ "instrument", OPT_INSTRUMENT, "NAME", "the checklist (default: the protocol's)", 0 },
	{ "reviewer", OPT_REVIEWER, "NAME", "who settles it (default: $WINNOW_REVIEWER or your login)", 0 },
	{ "category", OPT_CATEGORY, "C", "settle the study's category (MMAT)", 0 },
	{ "note", OPT_NOTE, "TEXT", "why", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

static int run_resolve(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *instrument = NULL, *reviewer = NULL, *note = NULL, *category = NULL;
	struct wn_store *store = NULL;
	struct cmd_args args;
	int status;

	if (!cmd_parse_args(ctx, &cmd_appraise_resolve, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts; i++) {
		switch (args.opts[i].id) {
		case OPT_INSTRUMENT: instrument = args.opts[i].value; break;
		case OPT_REVIEWER: reviewer = args.opts[i].value; break;
		case OPT_NOTE: note = args.opts[i].value; break;
		case OPT_CATEGORY: category = args.opts[i].value; break;
		}
	}
	if (args.npos != 3 && !(args.npos == 1 && category)) {
		status = cmd_usage_error(&cmd_appraise_resolve,
					 "appraise resolve: give the study, the item and the answer");
		goto done;
	}
	if (!reviewer)
		reviewer = ctx->who.actor;
	if ((status = cmd_open_review(ctx, WN_OPEN_WRITE, &store)) != EXIT_OK)
		goto done;
	wn_store_set_actor(store, reviewer);
	{
		struct wn_answer_input a = { args.npos == 3 ? args.pos[1] : NULL,
					     args.npos == 3 ? args.pos[2] : NULL, note };
		struct wn_appraisal_input in = {
			.study = args.pos[0], .instrument = instrument, .reviewer = reviewer,
			.category = category, .answers = &a, .nanswers = args.npos == 3,
			.consensus = 1,
		};
		struct wn_appraisal_result res;

		if (wn_appraise(store, &in, &res) < 0) {
			status = cmd_fail_lib();
			goto done;
		}
		if (args.npos == 3)
			printf("Study '%s', item %s settled as %s by %s\n", args.pos[0], args.pos[1],
			       args.pos[2], reviewer);
		else
			printf("Study '%s' settled as category %s by %s\n", args.pos[0], category,
			       reviewer);
	}
done:
	wn_store_close(store);
	free(args.pos);
	return status;
}

/* appraise instruments */

static int run_instruments(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct wn_instrument_info *list = NULL;
	struct wn_store *store = NULL;
	struct cmd_args args;
	size_t n = 0;
	int status;

	if (!cmd_parse_args(ctx, &cmd_appraise_instruments, argc, argv, &args, &status))
		return status;
	if (args.npos) {
		status = cmd_usage_error(&cmd_appraise_instruments,
					 "appraise instruments: unexpected argument '%s'", args.pos[0]);
		goto done;
	}
	/* without a review, the files alone */
	if (access(ctx->db_path, F_OK) == 0 &&
	    (status = cmd_open_review(ctx, WN_OPEN_READ, &store)) != EXIT_OK)
		goto done;
	if (wn_instrument_list(store, &list, &n) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		printf("%-18s %-6s %s\n%18s        %s\n", list[i].name, list[i].version, list[i].title,
		       "", list[i].where);
	if (!n)
		printf("No instruments found (looked in %s)\n", wn_instrument_path());
done:
	wn_instrument_infos_release(list, n);
	wn_store_close(store);
	free(args.pos);
	return status;
}

/* appraise check FILE: is a team's own instrument file right? */
static int run_check(struct cmd_ctx *ctx, int argc, char **argv);
extern const struct cmd cmd_appraise_check;

static int run_check(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct wn_diagnostics d = { 0 };
	struct wn_instrument in;
	struct cmd_args args;
	int status;

	if (!cmd_parse_args(ctx, &cmd_appraise_check, argc, argv, &args, &status))
		return status;
	if (args.npos != 1) {
		status = cmd_usage_error(&cmd_appraise_check, "appraise check: give one instrument file");
		goto done;
	}
	if (wn_instrument_find(NULL, args.pos[0], &in, &d, NULL) < 0) {
		status = d.n ? cmd_print_diagnostics(args.pos[0], &d) : cmd_fail_lib();
		goto done;
	}
	printf("%s: instrument %s version %s, %zu items%s%s\n", args.pos[0], in.name, in.version,
	       in.nitems, in.ncategories ? ", study categories: " : "", "");
	for (size_t c = 0; c < in.ncategories; c++)
		printf("%s%s", c ? ", " : "", in.categories[c].code);
	if (in.ncategories)
		printf("\n");
	wn_instrument_release(&in);
done:
	wn_diagnostics_release(&d);
	free(args.pos);
	return status;
}

const struct cmd cmd_appraise_summary = {
	.name = "summary",
	.parent = "appraise",
	.summary = "the studies-by-items table of the appraisals",
	.usage = "[--db FILE] [--instrument NAME] [--format text|csv|tsv|markdown|html|json]",
	.description =
		"A row per appraised study, a column per item: the answer the reviewers agree\n"
		"on (or the only reviewer's), the consensus answer where they did not (marked\n"
		"*), ?? where they still disagree. Text, markdown and html print initials (Y,\n"
		"CT, N) with a legend; csv, tsv and json the answers in full. With a tally\n"
		"(CASP, JBI) the count of Yes answers is shown beside them as a profile, not a\n"
		"score; MMAT has none, and prints a table per study category. The status says\n"
		"what each study still lacks.",
	.options = summary_options,
	.run = run_summary,
	.uses_review = 1,
};

const struct cmd cmd_appraise_conflicts = {
	.name = "conflicts",
	.parent = "appraise",
	.summary = "items on which appraisers disagree",
	.usage = "[--db FILE] [--instrument NAME] [--format text|json]",
	.options = conflicts_options,
	.run = run_conflicts,
	.uses_review = 1,
};

const struct cmd cmd_appraise_resolve = {
	.name = "resolve",
	.parent = "appraise",
	.summary = "settle a disagreement with a consensus answer",
	.usage = "[--db FILE] STUDY ITEM ANSWER [--note TEXT] [--reviewer NAME] | STUDY --category C",
	.description =
		"The consensus answer stands for the item in the summary; each reviewer's\n"
		"own answer stays on record.",
	.options = resolve_options,
	.run = run_resolve,
	.uses_review = 1,
};

const struct cmd cmd_appraise_instruments = {
	.name = "instruments",
	.parent = "appraise",
	.summary = "list the instruments a review can use",
	.usage = "[--db FILE]",
	.description =
		"Those the review holds, and the files NAME.ini found in $WINNOW_INSTRUMENTS\n"
		"(directories separated by colons), then winnow's own (corpus/instruments).",
	.run = run_instruments,
	.uses_review = 1,
};

const struct cmd cmd_appraise_check = {
	.name = "check",
	.parent = "appraise",
	.summary = "check an instrument file",
	.usage = "FILE",
	.description = "Every problem is reported with its line (format: docs/synthesis.md).",
	.run = run_check,
};

static const struct cmd *const appraise_subcommands[] = {
	&cmd_appraise_summary, &cmd_appraise_conflicts, &cmd_appraise_resolve,
	&cmd_appraise_instruments, &cmd_appraise_check, NULL,
};

const struct cmd cmd_appraise = {
	.name = "appraise",
	.summary = "appraise a study's quality with a checklist",
	.usage = "STUDY [--instrument NAME] [--reviewer NAME] [--category C] "
		 "[--answers LIST] [--answer ITEM=TEXT]... [--comment ITEM=TEXT]... | "
		 "--from FILE.csv | summary|conflicts|resolve|instruments|check [ARGS]",
	.description =
		"Without answers, a form in the terminal asks each item in turn: the answer's\n"
		"letter answers and moves on (saved at once), Enter writes an answer in\n"
		"words, Up and Down move, # comments, q quits. --answers gives\n"
		"them on the command line, --from from a CSV file (all or nothing). Each\n"
		"reviewer appraises on their own; 'appraise conflicts' lists disagreements and\n"
		"'appraise resolve' settles them. Instruments: CASP qualitative, JBI\n"
		"qualitative, MMAT 2018, or a team's own file (docs/synthesis.md).",
	.options = options,
	.run = run_appraise,
	.subcommands = appraise_subcommands,
	.uses_review = 1,
};
