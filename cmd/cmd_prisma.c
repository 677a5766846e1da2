#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "winnow/prisma.h"
#include "winnow/store.h"

enum {
	OPT_FORMAT = 'f', OPT_OUTPUT = 'o', OPT_STRICT = 1000, OPT_PREV_STUDIES, OPT_PREV_REPORTS,
	OPT_NOTE, OPT_PREVIOUS, OPT_SEARCH_REPORT, OPT_SCREENING_REASONS,
};

static const struct cmd_option options[] = {
	{ "format", OPT_FORMAT, "F", "text (default), json, csv (the PRISMA2020 template), svg (the diagram) or dot (Graphviz)", 0 },
	{ "output", OPT_OUTPUT, "FILE", "write to FILE (replaced only when all was written)", 0 },
	{ "strict", OPT_STRICT, NULL, "fail (exit 1) when the boxes contradict each other", 0 },
	{ "previous-studies", OPT_PREV_STUDIES, "N", "an updated review: studies included in the previous version", 0 },
	{ "previous-reports", OPT_PREV_REPORTS, "N", "an updated review: their reports", 0 },
	{ "screening-reasons", OPT_SCREENING_REASONS, NULL, "show why records were excluded at title and abstract too (text and svg)", 0 },
	{ "search-report", OPT_SEARCH_REPORT, NULL, "the PRISMA-S summary of the searches instead (--format markdown or json)", 0 },
	{ "previous", OPT_PREVIOUS, "FILE", "an updated review: the previous version's review file, which gives both", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

extern const struct cmd cmd_prisma;

/* ---- text ----------------------------------------------------------------- */

static void print_counts(FILE *fp, const struct wn_prisma_counts *c, const char *indent)
{
	for (size_t i = 0; i < c->n; i++)
		fprintf(fp, "%s%s: %ld\n", indent, c->items[i].name, c->items[i].n);
}

static void print_arm_reports(FILE *fp, const struct wn_prisma_reports *r)
{
	fprintf(fp, "  Reports sought for retrieval: %ld\n", r->sought);
	fprintf(fp, "  Reports not retrieved: %ld\n", r->not_retrieved);
	fprintf(fp, "  Reports assessed for eligibility: %ld\n", r->assessed);
	fprintf(fp, "  Reports excluded: %ld\n", r->excluded);
	print_counts(fp, &r->excluded_by_reason, "    ");
}

static void print_text(FILE *fp, const struct wn_prisma *p, int screening_reasons)
{
	fprintf(fp, "PRISMA 2020 flow%s%s\n", p->title ? ": " : "", p->title ? p->title : "");
	fprintf(fp, "\nIdentification of new studies via databases and registers\n");
	fprintf(fp, "  Records identified from databases: %ld\n", p->database_results);
	print_counts(fp, &p->databases, "    ");
	fprintf(fp, "  Records identified from registers: %ld\n", p->register_results);
	print_counts(fp, &p->registers, "    ");
	fprintf(fp, "  Records removed before screening:\n");
	fprintf(fp, "    Duplicate records: %ld\n", p->duplicates);
	fprintf(fp, "    Records marked as ineligible by automation tools: %ld\n", p->excluded_automatic);
	fprintf(fp, "    Records removed for other reasons: %ld%s%s%s\n", p->excluded_other,
		p->excluded_other_note ? " (" : "", p->excluded_other_note ? p->excluded_other_note : "",
		p->excluded_other_note ? ")" : "");
	if (strcmp(p->first_stage, p->last_stage))
		fprintf(fp, "\nScreening (%s, then %s)\n", p->first_stage, p->last_stage);
	else
		fprintf(fp, "\nScreening (%s)\n", p->first_stage);
	fprintf(fp, "  Records screened: %ld\n", p->records_screened);
	fprintf(fp, "  Records excluded: %ld", p->records_excluded);
	if (p->records_excluded_automatic)
		fprintf(fp, " (%ld by reviewers, %ld by automation tools)", p->records_excluded_human,
			p->records_excluded_automatic);
	fprintf(fp, "\n");
	if (screening_reasons)
		print_counts(fp, &p->records_excluded_by_reason, "    ");
	print_arm_reports(fp, &p->dbr);
	if (p->website_results + p->organisation_results + p->citations_results + p->other_results) {
		fprintf(fp, "\nIdentification of new studies via other methods\n");
		fprintf(fp, "  Records identified from websites: %ld\n", p->website_results);
		fprintf(fp, "  Records identified from organisations: %ld\n", p->organisation_results);
		fprintf(fp, "  Records identified from citation searching: %ld\n", p->citations_results);
		if (p->other_results)
			fprintf(fp, "  Records identified otherwise: %ld\n", p->other_results);
		print_counts(fp, &p->other_sources, "    ");
		print_arm_reports(fp, &p->other);
	}
	fprintf(fp, "\nIncluded\n");
	if (p->previous_studies >= 0) {
		fprintf(fp, "  Studies included in previous version of review: %ld\n", p->previous_studies);
		fprintf(fp, "  Reports of studies included in previous version of review: %ld\n",
			p->previous_reports);
	}
	fprintf(fp, "  %s included in review: %ld%s\n",
		p->previous_studies >= 0 ? "New studies" : "Studies", p->new_studies,
		p->studies_linked ? "" : " (no studies are recorded yet: each included report counts "
					 "as its own study)");
	fprintf(fp, "  Reports of %s included studies: %ld\n",
		p->previous_studies >= 0 ? "new" : "the", p->new_reports);
	if (p->previous_studies >= 0) {
		fprintf(fp, "  Total studies included in review: %ld\n", p->total_studies);
		fprintf(fp, "  Reports of total included studies: %ld\n", p->total_reports);
	}
	if (p->nmethods) {
		fprintf(fp, "\nFor the methods:\n");
		for (size_t i = 0; i < p->nmethods; i++)
			fprintf(fp, "  - %s\n", p->methods[i]);
	}
	fprintf(fp, "\nChecks: %s\n", !p->nissues ? "the boxes add up"
				     : wn_prisma_violations(p) ? "the boxes do not add up" : "warnings only");
	for (size_t i = 0; i < p->nissues; i++) {
		const struct wn_prisma_issue *is = &p->issues[i];

		fprintf(fp, "  %s [%s]: %s", is->violation ? "CONTRADICTION" : "warning", is->boxes,
			is->message);
		if (is->nreports) {
			fprintf(fp, "; report%s", is->count == 1 ? "" : "s");
			for (size_t k = 0; k < is->nreports; k++)
				fprintf(fp, " %lld", is->reports[k]);
			if ((long)is->nreports < is->count)
				fprintf(fp, " and %ld more", is->count - (long)is->nreports);
		}
		fprintf(fp, "\n");
	}
}

/* ---- JSON: the PRISMA2020 template's names ------------------------------- */

static json_t *counts_json(const struct wn_prisma_counts *c)
{
	json_t *o = json_object();

	for (size_t i = 0; i < c->n; i++)
		json_object_set_new(o, c->items[i].name, json_integer(c->items[i].n));
	return o;
}

static json_t *to_json(const struct wn_prisma *p)
{
	json_t *o = json_object(), *checks = json_array();

	json_object_set_new(o, "title", p->title ? cmd_json_text(p->title) : json_null());
	json_object_set_new(o, "database_results", json_integer(p->database_results));
	json_object_set_new(o, "database_specific_results", counts_json(&p->databases));
	json_object_set_new(o, "register_results", json_integer(p->register_results));
	json_object_set_new(o, "register_specific_results", counts_json(&p->registers));
	json_object_set_new(o, "duplicates", json_integer(p->duplicates));
	json_object_set_new(o, "excluded_automatic", json_integer(p->excluded_automatic));
	json_object_set_new(o, "excluded_other", json_integer(p->excluded_other));
	json_object_set_new(o, "excluded_other_note",
			    p->excluded_other_note ? cmd_json_text(p->excluded_other_note) : json_null());
	json_object_set_new(o, "records_screened", json_integer(p->records_screened));
	json_object_set_new(o, "records_excluded", json_integer(p->records_excluded));
	json_object_set_new(o, "records_excluded_human", json_integer(p->records_excluded_human));
	json_object_set_new(o, "records_excluded_automatic",
			    json_integer(p->records_excluded_automatic));
	json_object_set_new(o, "records_excluded_reasons", counts_json(&p->records_excluded_by_reason));
	json_object_set_new(o, "dbr_sought_reports", json_integer(p->dbr.sought));
	json_object_set_new(o, "dbr_notretrieved_reports", json_integer(p->dbr.not_retrieved));
	json_object_set_new(o, "dbr_assessed", json_integer(p->dbr.assessed));
	json_object_set_new(o, "dbr_excluded", counts_json(&p->dbr.excluded_by_reason));
	json_object_set_new(o, "dbr_excluded_total", json_integer(p->dbr.excluded));
	json_object_set_new(o, "website_results", json_integer(p->website_results));
	json_object_set_new(o, "organisation_results", json_integer(p->organisation_results));
	json_object_set_new(o, "citations_results", json_integer(p->citations_results));
	json_object_set_new(o, "other_results", json_integer(p->other_results));
	json_object_set_new(o, "other_specific_results", counts_json(&p->other_sources));
	json_object_set_new(o, "other_sought_reports", json_integer(p->other.sought));
	json_object_set_new(o, "other_notretrieved_reports", json_integer(p->other.not_retrieved));
	json_object_set_new(o, "other_assessed", json_integer(p->other.assessed));
	json_object_set_new(o, "other_excluded", counts_json(&p->other.excluded_by_reason));
	json_object_set_new(o, "other_excluded_total", json_integer(p->other.excluded));
	json_object_set_new(o, "new_studies", json_integer(p->new_studies));
	json_object_set_new(o, "new_reports", json_integer(p->new_reports));
	json_object_set_new(o, "studies_from", json_string(p->studies_linked ? "studies" : "reports"));
	json_object_set_new(o, "previous_studies",
			    p->previous_studies >= 0 ? json_integer(p->previous_studies) : json_null());
	json_object_set_new(o, "previous_reports",
			    p->previous_reports >= 0 ? json_integer(p->previous_reports) : json_null());
	json_object_set_new(o, "total_studies", json_integer(p->total_studies));
	json_object_set_new(o, "total_reports", json_integer(p->total_reports));
	json_object_set_new(o, "stages", json_pack("{s:o, s:o}", "screening",
						     cmd_json_text(p->first_stage), "assessment",
						     cmd_json_text(p->last_stage)));
	for (size_t i = 0; i < p->nissues; i++) {
		const struct wn_prisma_issue *is = &p->issues[i];
		json_t *reports = json_array();

		for (size_t k = 0; k < is->nreports; k++)
			json_array_append_new(reports, json_integer(is->reports[k]));
		json_array_append_new(checks, json_pack("{s:s, s:o, s:o, s:o, s:I}", "kind",
							is->violation ? "contradiction" : "warning",
							"boxes", cmd_json_text(is->boxes), "message",
							cmd_json_text(is->message), "reports", reports,
							"count", (json_int_t)is->count));
	}
	json_object_set_new(o, "checks", checks);
	{
		json_t *methods = json_array();

		for (size_t i = 0; i < p->nmethods; i++)
			json_array_append_new(methods, cmd_json_text(p->methods[i]));
		json_object_set_new(o, "methods", methods);
	}
	return o;
}

/* ---- CSV: the PRISMA2020 package's template, n filled in ------------------- */

/* The template's rows: data, node, box, description, boxtext, tooltips,
 * url (as the PRISMA2020 R package and Shiny app read them). */
static const char *const template_rows[][7] = {
	{ "NA", "node4", "prevstud", "Grey title box; Previous studies", "Previous studies", "Grey title box; Previous studies", "prevstud.html" },
	{ "previous_studies", "node5", "box1", "Studies included in previous version of review", "Studies included in previous version of review", "Studies included in previous version of review", "previous_studies.html" },
	{ "previous_reports", "NA", "box1", "Reports of studies included in previous version of review", "Reports of studies included in previous version of review", "NA", "previous_reports.html" },
	{ "NA", "node6", "newstud", "Yellow title box; Identification of new studies via databases and registers", "Identification of new studies via databases and registers", "Yellow title box; Identification of new studies via databases and registers", "newstud.html" },
	{ "database_results", "node7", "box2", "Records identified from: Databases", "Databases", "Records identified from: Databases and Registers", "database_results.html" },
	{ "database_specific_results", "NA", "box2", "Records identified from: specific databases", "Specific Databases", "NA", "database_results.html" },
	{ "register_results", "NA", "box2", "Records identified from: Registers", "Registers", "NA", "NA" },
	{ "register_specific_results", "NA", "box2", "Records identified from: specific registers", "Specific Registers", "NA", "database_results.html" },
	{ "NA", "node16", "othstud", "Grey title box; Identification of new studies via other methods", "Identification of new studies via other methods", "Grey title box; Identification of new studies via other methods", "othstud.html" },
	{ "website_results", "node17", "box11", "Records identified from: Websites", "Websites", "Records identified from: Websites, Organisations and Citation Searching", "website_results.html" },
	{ "organisation_results", "", "box11", "Records identified from: Organisations", "Organisations", "NA", "NA" },
	{ "citations_results", "NA", "box11", "Records identified from: Citation searching", "Citation searching", "NA", "NA" },
	{ "duplicates", "node8", "box3", "Duplicate records", "Duplicate records", "Duplicate records", "duplicates.html" },
	{ "excluded_automatic", "NA", "box3", "Records marked as ineligible by automation tools", "Records marked as ineligible by automation tools", "NA", "NA" },
	{ "excluded_other", "NA", "box3", "Records removed for other reasons", "Records removed for other reasons", "NA", "NA" },
	{ "records_screened", "node9", "box4", "Records screened (databases and registers)", "Records screened", "Records screened (databases and registers)", "records_screened.html" },
	{ "records_excluded", "node10", "box5", "Records excluded (databases and registers)", "Records excluded", "Records excluded (databases and registers)", "records_excluded.html" },
	{ "dbr_sought_reports", "node11", "box6", "Reports sought for retrieval (databases and registers)", "Reports sought for retrieval", "Reports sought for retrieval (databases and registers)", "dbr_sought_reports.html" },
	{ "dbr_notretrieved_reports", "node12", "box7", "Reports not retrieved (databases and registers)", "Reports not retrieved", "Reports not retrieved (databases and registers)", "dbr_notretrieved_reports.html" },
	{ "other_sought_reports", "node18", "box12", "Reports sought for retrieval (other)", "Reports sought for retrieval", "Reports sought for retrieval (other)", "other_sought_reports.html" },
	{ "other_notretrieved_reports", "node19", "box13", "Reports not retrieved (other)", "Reports not retrieved", "Reports not retrieved (other)", "other_notretrieved_reports.html" },
	{ "dbr_assessed", "node13", "box8", "Reports assessed for eligibility (databases and registers)", "Reports assessed for eligibility", "Reports assessed for eligibility (databases and registers)", "dbr_assessed.html" },
	{ "dbr_excluded", "node14", "box9", "Reports excluded (databases and registers): [separate reasons and numbers using ; e.g. Reason1, xxx; Reason2, xxx; Reason3, xxx]", "Reports excluded", "Reports excluded (databases and registers)", "dbrexcludedrecords.html" },
	{ "other_assessed", "node20", "box14", "Reports assessed for eligibility (other)", "Reports assessed for eligibility", "Reports assessed for eligibility (other)", "other_assessed.html" },
	{ "other_excluded", "node21", "box15", "Reports excluded (other): [separate reasons and numbers using ; e.g. Reason1, xxx; Reason2, xxx; Reason3, xxx]", "Reports excluded", "Reports excluded (other)", "other_excluded.html" },
	{ "new_studies", "node15", "box10", "New studies included in review", "New studies included in review", "New studies included in review", "new_studies.html" },
	{ "new_reports", "NA", "box10", "Reports of new included studies", "Reports of new included studies", "NA", "NA" },
	{ "total_studies", "node22", "box16", "Total studies included in review", "Total studies included in review", "Total studies included in review", "total_studies.html" },
	{ "total_reports", "NA", "box16", "Reports of total included studies", "Reports of total included studies", "NA", "NA" },
	{ "identification", "node1", "identification", "Blue identification box", "Identification", "Blue identification box", "identification.html" },
	{ "screening", "node2", "screening", "Blue screening box", "Screening", "Blue screening box", "screening.html" },
	{ "included", "node3", "included", "Blue included box", "Included", "Blue included box", "included.html" },
};

static void csv_field(FILE *fp, const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

/* "Name, n; Name, n", as the template writes a box's list; a comma or
 * semicolon inside a name would split it there, so it becomes a space. */
static char *counts_list(const struct wn_prisma_counts *c)
{
	size_t cap = 1;
	char *out, *w;

	for (size_t i = 0; i < c->n; i++)
		cap += strlen(c->items[i].name) + 32;
	out = w = malloc(cap);
	if (!out)
		abort();
	*w = '\0';
	for (size_t i = 0; i < c->n; i++) {
		if (i)
			w += sprintf(w, "; ");
		for (const char *s = c->items[i].name; *s; s++)
			*w++ = *s == ',' || *s == ';' ? ' ' : *s;
		w += sprintf(w, ", %ld", c->items[i].n);
	}
	*w = '\0';
	return out;
}

static void print_csv(FILE *fp, const struct wn_prisma *p)
{
	const struct {
		const char *data;
		long n;
	} numbers[] = {
		{ "previous_studies", p->previous_studies > 0 ? p->previous_studies : 0 },
		{ "previous_reports", p->previous_reports > 0 ? p->previous_reports : 0 },
		{ "database_results", p->database_results },
		{ "register_results", p->register_results },
		{ "website_results", p->website_results },
		{ "organisation_results", p->organisation_results },
		{ "citations_results", p->citations_results + p->other_results },
		{ "duplicates", p->duplicates },
		{ "excluded_automatic", p->excluded_automatic },
		{ "excluded_other", p->excluded_other },
		{ "records_screened", p->records_screened },
		{ "records_excluded", p->records_excluded },
		{ "dbr_sought_reports", p->dbr.sought },
		{ "dbr_notretrieved_reports", p->dbr.not_retrieved },
		{ "other_sought_reports", p->other.sought },
		{ "other_notretrieved_reports", p->other.not_retrieved },
		{ "dbr_assessed", p->dbr.assessed },
		{ "other_assessed", p->other.assessed },
		{ "new_studies", p->new_studies },
		{ "new_reports", p->new_reports },
		{ "total_studies", p->total_studies },
		{ "total_reports", p->total_reports },
	};

	fputs("data,node,box,description,boxtext,tooltips,url,n\n", fp);
	for (size_t r = 0; r < sizeof(template_rows) / sizeof(template_rows[0]); r++) {
		const char *data = template_rows[r][0];
		char *list = NULL, number[32] = "0";
		long total = 0;

		for (int c = 0; c < 7; c++) {
			csv_field(fp, template_rows[r][c]);
			fputc(',', fp);
		}
		for (size_t k = 0; k < sizeof(numbers) / sizeof(numbers[0]); k++)
			if (!strcmp(numbers[k].data, data))
				snprintf(number, sizeof(number), "%ld", numbers[k].n);
		if (!strcmp(data, "database_specific_results"))
			list = counts_list(&p->databases), total = p->database_results;
		else if (!strcmp(data, "register_specific_results"))
			list = counts_list(&p->registers), total = p->register_results;
		else if (!strcmp(data, "dbr_excluded"))
			list = counts_list(&p->dbr.excluded_by_reason), total = p->dbr.excluded;
		else if (!strcmp(data, "other_excluded"))
			list = counts_list(&p->other.excluded_by_reason), total = p->other.excluded;
		/* an empty list would read as "n = NA" in the package: the total
		 * (a number alone) is what its reader takes instead */
		if (list && !*list) {
			free(list);
			list = NULL;
			snprintf(number, sizeof(number), "%ld", total);
		}
		csv_field(fp, list ? list : number);
		fputc('\n', fp);
		free(list);
	}
}

/* ---- the PRISMA-S search summary, as Markdown ------------------------------ */

static const char *jtext(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static void md_item(FILE *fp, const char *label, const char *value)
{
	if (!value || !*value)
		return;
	fprintf(fp, "- %s: ", label);
	for (; *value; value++) {
		fputc(*value, fp);
		if (*value == '\n')
			fputs("  ", fp); /* the item goes on */
	}
	fputc('\n', fp);
}

/* A query or strategy, kept exactly: in a fenced block, its lines as they are. */
static void md_block(FILE *fp, const char *label, const char *text)
{
	if (!text || !*text)
		return;
	fprintf(fp, "- %s:\n\n  ```\n  ", label);
	for (const char *c = text; *c; c++) {
		fputc(*c, fp);
		if (*c == '\n')
			fputs("  ", fp);
	}
	fputs("\n  ```\n\n", fp);
}

static void print_search_report(FILE *fp, json_t *r)
{
	json_t *sources = json_object_get(r, "sources"), *d = json_object_get(r, "deduplication");
	json_t *runs = json_object_get(d, "runs"), *v;
	size_t i;

	fprintf(fp, "# Search summary (PRISMA-S)%s%s\n\n", jtext(r, "title") ? ": " : "",
		jtext(r, "title") ? jtext(r, "title") : "");
	if (!json_array_size(sources))
		fprintf(fp, "No searches were run or files imported.\n\n");
	json_array_foreach(sources, i, v) {
		int search = !strcmp(jtext(v, "kind"), "search");
		char *limits = json_is_null(json_object_get(v, "limits")) ? NULL
			: json_dumps(json_object_get(v, "limits"), JSON_COMPACT | JSON_SORT_KEYS);
		json_t *reported = json_object_get(v, "records_reported");

		fprintf(fp, "## %s%s%s\n\n", jtext(v, "database"), jtext(v, "platform") ? " via " : "",
			jtext(v, "platform") ? jtext(v, "platform") : "");
		if (search)
			fprintf(fp, "- How: searched by winnow through the %s API%s%s (search run %lld)\n",
				jtext(v, "service"), jtext(v, "base_url") ? " at " : "",
				jtext(v, "base_url") ? jtext(v, "base_url") : "",
				(long long)json_integer_value(json_object_get(v, "id")));
		else
			fprintf(fp, "- How: searched by hand and exported; file %s (%s%s%s, SHA-256 %s)\n",
				jtext(v, "file"), jtext(v, "format"), jtext(v, "dialect") ? ", " : "",
				jtext(v, "dialect") ? jtext(v, "dialect") : "", jtext(v, "sha256"));
		md_item(fp, "Route in the PRISMA flow", jtext(v, "via"));
		md_item(fp, "Service version", jtext(v, "service_version"));
		md_item(fp, "Date searched", jtext(v, "searched") ? jtext(v, "searched")
				: "not recorded (give --date-searched, or 'searched' in the protocol)");
		md_block(fp, search ? "Query as sent" : "Search strategy", jtext(v, "query"));
		md_block(fp, "Query as the service ran it", jtext(v, "query_translation"));
		md_item(fp, "Limits (as sent)", limits);
		md_item(fp, "Limits (protocol)", jtext(v, "protocol_limits"));
		if (search) {
			fprintf(fp, "- Records: ");
			if (json_is_integer(reported))
				fprintf(fp, "%lld reported, ", (long long)json_integer_value(reported));
			fprintf(fp, "%lld retrieved, %lld stored (%s)\n",
				(long long)json_integer_value(json_object_get(v, "records_retrieved")),
				(long long)json_integer_value(json_object_get(v, "records_stored")),
				jtext(v, "status") ? jtext(v, "status") : "status unknown");
			if (json_is_integer(json_object_get(v, "update_of")))
				fprintf(fp, "- Update of search run %lld: %lld new records\n",
					(long long)json_integer_value(json_object_get(v, "update_of")),
					(long long)json_integer_value(json_object_get(v, "records_new")));
		} else {
			fprintf(fp, "- Records: %lld in the file\n",
				(long long)json_integer_value(json_object_get(v, "records_stored")));
		}
		fprintf(fp, "- Removed as duplicates: %lld\n",
			(long long)json_integer_value(json_object_get(v, "duplicates_removed")));
		md_item(fp, "Notes", jtext(v, "notes"));
		fputc('\n', fp);
		free(limits);
	}
	fprintf(fp, "## Deduplication\n\n");
	fprintf(fp, "- Software: %s, automatic rules with doubtful pairs decided by people "
		"(%lld pair decisions by people)\n", jtext(d, "software"),
		(long long)json_integer_value(json_object_get(d, "pair_decisions_by_people")));
	if (json_is_integer(json_object_get(d, "duplicates_removed")))
		fprintf(fp, "- Duplicate records removed: %lld\n",
			(long long)json_integer_value(json_object_get(d, "duplicates_removed")));
	if (!json_array_size(runs))
		fprintf(fp, "- Not run yet\n");
	json_array_foreach(runs, i, v) {
		char *settings = json_dumps(json_object_get(v, "settings"),
					    JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(6));

		fprintf(fp, "- Run %lld (%s, method %s): %lld records compared, %lld new; %lld candidate "
			"pairs; %lld merged, %lld sent to people, %lld linked as related; settings %s\n",
			(long long)json_integer_value(json_object_get(v, "id")),
			jtext(v, "started") ? jtext(v, "started") : "?",
			jtext(v, "method") ? jtext(v, "method") : "?",
			(long long)json_integer_value(json_object_get(v, "records_compared")),
			(long long)json_integer_value(json_object_get(v, "records_new")),
			(long long)json_integer_value(json_object_get(v, "candidate_pairs")),
			(long long)json_integer_value(json_object_get(v, "merged")),
			(long long)json_integer_value(json_object_get(v, "sent_to_people")),
			(long long)json_integer_value(json_object_get(v, "related")),
			settings ? settings : "{}");
		free(settings);
	}
}

/* ---- the commands -------------------------------------------------------- */

/* A count of zero or more (a box may hold none): EXIT_OK, or a usage
 * error naming `what`. */
static int parse_count0(const struct cmd *c, const char *what, const char *v, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(v, &end, 10);
	if (!*v || *end || errno || *out < 0)
		return cmd_usage_error(c, "%s: %s takes a whole number of 0 or more, not '%s'",
				       cmd_full_name(c), what, v);
	return EXIT_OK;
}

static int run_prisma(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct wn_store *store = NULL;
	struct cmd_output out = { NULL, NULL, NULL };
	enum cmd_format format = FORMAT_TEXT;
	const char *output = NULL, *diagram = NULL, *previous_file = NULL;
	struct wn_store *previous = NULL;
	struct cmd_args args;
	struct wn_prisma p;
	long prev_studies = -1, prev_reports = -1;
	int status, strict = 0, have = 0, search_report = 0, markdown = 0, screening_reasons = 0;

	memset(&p, 0, sizeof(p));
	if (!cmd_parse_args(ctx, &cmd_prisma, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts; i++) {
		const char *v = args.opts[i].value;

		switch (args.opts[i].id) {
		case OPT_FORMAT:
			if (!strcmp(v, "markdown")) {
				markdown = 1;
				format = FORMAT_TEXT;
			} else if (!strcmp(v, "svg") || !strcmp(v, "dot")) {
				diagram = v;
				format = FORMAT_TEXT;
			} else if ((status = cmd_parse_format(&cmd_prisma, v,
							      FORMATS_TEXT_JSON | (1u << FORMAT_CSV),
							      &format))) {
				goto done;
			} else {
				diagram = NULL;
			}
			break;
		case OPT_OUTPUT: output = v; break;
		case OPT_STRICT: strict = 1; break;
		case OPT_SEARCH_REPORT: search_report = 1; break;
		case OPT_SCREENING_REASONS: screening_reasons = 1; break;
		case OPT_PREV_STUDIES:
			if ((status = parse_count0(&cmd_prisma, "--previous-studies", v, &prev_studies)))
				goto done;
			break;
		case OPT_PREVIOUS: previous_file = v; break;
		case OPT_PREV_REPORTS:
			if ((status = parse_count0(&cmd_prisma, "--previous-reports", v, &prev_reports)))
				goto done;
			break;
		}
	}
	status = EXIT_OK;
	if (args.npos) {
		status = cmd_usage_error(&cmd_prisma, "prisma: unknown subcommand '%s'", args.pos[0]);
		goto done;
	}
	if (search_report && (format == FORMAT_CSV || diagram)) {
		status = cmd_usage_error(&cmd_prisma, "prisma: the search report is markdown or json");
		goto done;
	}
	if (!search_report && markdown) {
		status = cmd_usage_error(&cmd_prisma, "prisma: markdown is for --search-report; the "
					 "flow is text, json, csv, svg or dot");
		goto done;
	}
	if (search_report) {
		json_t *report = NULL;

		if (wn_store_open(&store, ctx->db_path, WN_OPEN_READ, &ctx->who) < 0 ||
		    wn_prisma_search_report(store, &report) < 0) {
			status = cmd_fail_lib();
			goto done;
		}
		if ((status = cmd_output_open(&out, output)) == EXIT_OK) {
			if (format == FORMAT_JSON) {
				char *text = json_dumps(report, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

				if (text)
					fprintf(out.fp, "%s\n", text);
				free(text);
			} else {
				print_search_report(out.fp, report);
			}
			status = cmd_output_close(&out, !ferror(out.fp));
		}
		json_decref(report);
		goto done;
	}
	if ((prev_studies < 0) != (prev_reports < 0)) {
		status = cmd_usage_error(&cmd_prisma, "prisma: an updated review gives both "
					 "--previous-studies and --previous-reports");
		goto done;
	}
	if (previous_file && prev_studies >= 0) {
		status = cmd_usage_error(&cmd_prisma, "prisma: give the previous version as a file "
					 "(--previous) or as numbers (--previous-studies and "
					 "--previous-reports), not both");
		goto done;
	}
	if (wn_store_open(&store, ctx->db_path, WN_OPEN_READ, &ctx->who) < 0 ||
	    wn_prisma_compute(store, prev_studies, prev_reports, &p) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	have = 1;
	if (previous_file &&
	    (wn_store_open(&previous, previous_file, WN_OPEN_READ, &ctx->who) < 0 ||
	     wn_prisma_use_previous(store, previous, &p) < 0)) {
		status = cmd_fail("prisma: the previous version, %s: %s", previous_file,
				  wn_error_last());
		goto done;
	}
	if ((status = cmd_output_open(&out, output)) != EXIT_OK)
		goto done;
	if (format == FORMAT_JSON) {
		json_t *j = to_json(&p);
		char *text = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;

		if (text)
			fprintf(out.fp, "%s\n", text);
		free(text);
		json_decref(j);
	} else if (format == FORMAT_CSV) {
		print_csv(out.fp, &p);
	} else if (diagram) {
		if (wn_prisma_write_diagram(&p, diagram, screening_reasons, out.fp) < 0) {
			cmd_output_close(&out, 0);
			status = cmd_fail_lib();
			goto done;
		}
	} else {
		print_text(out.fp, &p, screening_reasons);
	}
	if ((status = cmd_output_close(&out, !ferror(out.fp))) != EXIT_OK)
		goto done;
	if (wn_prisma_violations(&p)) {
		if (format != FORMAT_TEXT || output)
			for (size_t i = 0; i < p.nissues; i++)
				if (p.issues[i].violation)
					fprintf(stderr, "winnow: prisma: [%s] %s\n", p.issues[i].boxes,
						p.issues[i].message);
		if (strict)
			status = cmd_fail("prisma: the boxes contradict each other (--strict)");
	}
done:
	if (have)
		wn_prisma_release(&p);
	wn_store_close(previous);
	wn_store_close(store);
	free(args.pos);
	return status;
}

static const struct cmd_option set_options[] = {
	{ "note", OPT_NOTE, "TEXT", "why (required): what was removed, and how", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

extern const struct cmd cmd_prisma_set;

static int run_set(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct wn_store *store = NULL;
	struct cmd_args args;
	const char *note = NULL;
	long value;
	int status;

	if (!cmd_parse_args(ctx, &cmd_prisma_set, argc, argv, &args, &status))
		return status;
	for (int i = 0; i < args.nopts; i++)
		if (args.opts[i].id == OPT_NOTE)
			note = args.opts[i].value;
	if (args.npos != 2) {
		status = cmd_usage_error(&cmd_prisma_set, "prisma set: give the box and its number "
					 "(excluded_other N)");
		goto done;
	}
	if (strcmp(args.pos[0], "excluded_other")) {
		status = cmd_usage_error(&cmd_prisma_set, "prisma set: '%s' is not a box people set; "
					 "the one there is excluded_other (records removed for other "
					 "reasons): every other number comes from the review", args.pos[0]);
		goto done;
	}
	if ((status = parse_count0(&cmd_prisma_set, args.pos[0], args.pos[1], &value)))
		goto done;
	if (!note || !*note) {
		status = cmd_usage_error(&cmd_prisma_set, "prisma set: say why with --note TEXT");
		goto done;
	}
	if (wn_store_open(&store, ctx->db_path, WN_OPEN_WRITE, &ctx->who) < 0 ||
	    wn_prisma_set(store, args.pos[0], value, note) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	printf("Records removed for other reasons: %ld (%s)\n", value, note);
	status = EXIT_OK;
done:
	wn_store_close(store);
	free(args.pos);
	return status;
}

const struct cmd cmd_prisma_set = {
	.name = "set",
	.parent = "prisma",
	.summary = "record the one PRISMA number people supply, with a note",
	.usage = "excluded_other N --note TEXT",
	.description =
		"Records removed before screening for reasons no query can know (for\n"
		"example, found to be out of scope by the information specialist before\n"
		"screening began). The latest value stands; every value is kept with its\n"
		"note, who set it and when.",
	.options = set_options,
	.run = run_set,
	.uses_review = 1,
};

static const struct cmd *const prisma_subcommands[] = { &cmd_prisma_set, NULL };

const struct cmd cmd_prisma = {
	.name = "prisma",
	.summary = "the PRISMA 2020 flow, every number derived from the review",
	.usage = "[--format text|json|csv|svg|dot] [-o FILE] [--strict] | --search-report "
		 "[--format markdown|json] "
		 "[--previous FILE | --previous-studies N --previous-reports N] | "
		 "set excluded_other N --note TEXT",
	.description =
		"Counts every box of the PRISMA 2020 flow diagram from the review: records per\n"
		"database, register and other method (how each import or search came in),\n"
		"duplicates from the clusters, records marked ineligible by rules applied\n"
		"before anyone screened, screening and full-text outcomes, reports not\n"
		"retrieved, full-text exclusions per reason, and the included studies (from\n"
		"the synthesis store, else one per included report, as the output says).\n"
		"The arithmetic between the boxes is checked every time; a contradiction is\n"
		"reported with the reports that cause it, and --strict makes it an error.\n"
		"--format json uses the PRISMA2020 template's names; --format csv is the\n"
		"template itself, which the PRISMA2020 R package and Shiny app read;\n"
		"--format svg draws the diagram (laid out like the template; it opens in a\n"
		"browser and converts with rsvg-convert), --format dot writes it for Graphviz.\n"
		"--search-report gives the PRISMA-S summary of the searches instead: per search\n"
		"and imported file its database and platform, the date searched, the query as\n"
		"sent and as the service ran it, limits, records reported and retrieved, and\n"
		"how duplicates were removed.",
	.options = options,
	.run = run_prisma,
	.subcommands = prisma_subcommands,
	.uses_review = 1,
};
