/*
 * Which included reports may be one study, for a person to confirm
 * (winnow study suggest). Reports of one study share a trial or review
 * registration number, or several authors, often with a similar title
 * (the protocol, the main paper and a follow-up of one project), or name
 * the same setting. Nothing is linked here: a wrong grouping would change
 * PRISMA's count of studies.
 *
 * Included reports are few (tens to hundreds), so every pair is compared.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "screening_int.h"
#include "store_int.h"
#include "synth_int.h"
#include "util.h"
#include "winnow/record.h"
#include "winnow/screening.h"
#include "winnow/synth.h"

/* Registers' identifiers: ClinicalTrials.gov, ISRCTN, PROSPERO, ANZCTR,
 * DRKS, the Netherlands, UMIN, Iran, China, and EudraCT numbers. */
static const char registration_pattern[] =
	"\\b(NCT\\d{8}|ISRCTN\\d{8}|CRD\\d{11}|ACTRN\\d{14}|DRKS\\d{8}|NTR\\d{3,5}"
	"|NL\\d{4,6}|UMIN\\d{9}|IRCT\\d+N\\d+|ChiCTR[-A-Z0-9]{6,}|\\d{4}-\\d{6}-\\d{2})\\b";

struct report_facts {
	long long report, study;
	char *label, *setting, *citation, *title, *text; /* text: title, abstract, extra */
	struct wn_strlist authors; /* keys, sorted, each once */
	struct wn_strlist shown;   /* the same authors as written, in key order */
	struct wn_strlist words;   /* title words of four letters or more, sorted */
	struct wn_strlist registrations;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort a list and drop repeats. */
static void sort_unique(struct wn_strlist *l)
{
	size_t w = 0;

	if (l->n < 2)
		return;
	qsort(l->items, l->n, sizeof(*l->items), cmp_str);
	for (size_t r = 0; r < l->n; r++) {
		if (w && !strcmp(l->items[w - 1], l->items[r]))
			free(l->items[r]);
		else
			l->items[w++] = l->items[r];
	}
	l->n = w;
}

static void find_registrations(pcre2_code *re, pcre2_match_data *md, const char *text,
			       struct wn_strlist *out)
{
	size_t len = strlen(text), at = 0;

	while (at < len && pcre2_match(re, (PCRE2_SPTR)text, len, at, 0, md, NULL) > 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);

		wn_strlist_take(out, xstrndup(text + ov[0], ov[1] - ov[0]));
		at = ov[1] > at ? ov[1] : at + 1;
	}
	sort_unique(out);
}

static void facts_from_report(struct report_facts *f, const struct wn_record *rec)
{
	struct wn_buf text = WN_BUF_INIT;
	char *folded;
	struct {
		char *key, *shown;
	} *pairs = xcalloc(rec->authors.n + 1, sizeof(*pairs));
	size_t np = 0;

	f->citation = wn_report_citation(rec);
	f->title = xstrdup(rec->title ? rec->title : "");
	for (size_t i = 0; i < rec->authors.n; i++) {
		char *key = wn_author_key(rec->authors.items[i]);

		if (key) {
			pairs[np].key = key;
			pairs[np++].shown = wn_author_display(rec->authors.items[i]);
		}
	}
	/* keys sorted, with the name as written beside each */
	qsort(pairs, np, sizeof(*pairs), cmp_str);
	for (size_t i = 0; i < np; i++) {
		if (i && !strcmp(pairs[i].key, pairs[i - 1].key)) {
			free(pairs[i].key);
			free(pairs[i].shown);
			continue;
		}
		wn_strlist_take(&f->authors, pairs[i].key);
		wn_strlist_take(&f->shown, pairs[i].shown ? pairs[i].shown : xstrdup(pairs[i].key));
	}
	free(pairs);
	if ((folded = wn_fold(f->title))) {
		for (char *w = strtok(folded, " "); w; w = strtok(NULL, " "))
			if (strlen(w) >= 4)
				wn_strlist_add(&f->words, w);
		free(folded);
	}
	sort_unique(&f->words);
	wn_buf_adds(&text, f->title);
	wn_buf_addc(&text, '\n');
	wn_buf_adds(&text, rec->abstract ? rec->abstract : "");
	for (size_t i = 0; i < rec->nextra; i++) {
		wn_buf_addc(&text, '\n');
		wn_buf_adds(&text, rec->extra[i].value ? rec->extra[i].value : "");
	}
	f->text = wn_buf_detach(&text);
}

static void facts_release(struct report_facts *f)
{
	free(f->label);
	free(f->setting);
	free(f->citation);
	free(f->title);
	free(f->text);
	wn_strlist_clear(&f->authors);
	wn_strlist_clear(&f->shown);
	wn_strlist_clear(&f->words);
	wn_strlist_clear(&f->registrations);
}

/* How many items two sorted lists share; the first few shared from a's
 * `shown` list are written to out. */
static size_t shared(const struct wn_strlist *a, const struct wn_strlist *b,
		     const struct wn_strlist *shown, struct wn_buf *out)
{
	size_t i = 0, j = 0, n = 0;

	while (i < a->n && j < b->n) {
		int c = strcmp(a->items[i], b->items[j]);

		if (c == 0) {
			if (out && n < 4)
				wn_buf_addf(out, "%s%s", n ? "; " : "", shown->items[i]);
			n++;
			i++;
			j++;
		} else if (c < 0) {
			i++;
		} else {
			j++;
		}
	}
	if (out && n > 4)
		wn_buf_addf(out, "; and %zu more", n - 4);
	return n;
}

/* The setting of a's study named in b's text. */
static int mentions_setting(const struct report_facts *a, const struct report_facts *b)
{
	return a->setting && strlen(a->setting) >= 4 && strcasestr(b->text, a->setting);
}

/* Why a and b may be one study into ev; 0 when there is not enough. */
static int compare(const struct report_facts *a, const struct report_facts *b, struct wn_buf *ev)
{
	struct wn_buf names = WN_BUF_INIT;
	size_t regs = 0, authors, words, all_words;
	double alike;
	int setting, suggest;

	for (size_t i = 0, j = 0; i < a->registrations.n && j < b->registrations.n;) {
		int c = strcmp(a->registrations.items[i], b->registrations.items[j]);

		if (c == 0) {
			wn_buf_addf(ev, "%ssame registration %s", ev->len ? "; " : "",
				    a->registrations.items[i]);
			regs++;
			i++;
			j++;
		} else if (c < 0) {
			i++;
		} else {
			j++;
		}
	}
	authors = shared(&a->authors, &b->authors, &a->shown, &names);
	words = shared(&a->words, &b->words, NULL, NULL);
	all_words = a->words.n + b->words.n - words;
	alike = all_words ? (double)words / (double)all_words : 0;
	setting = mentions_setting(a, b) || mentions_setting(b, a);
	suggest = regs || authors >= 3 || (authors >= 2 && alike >= 0.2) ||
		  (authors >= 1 && (alike >= 0.5 || setting)) || alike >= 0.6;
	if (suggest) {
		if (authors)
			wn_buf_addf(ev, "%s%zu shared author%s (%s)", ev->len ? "; " : "", authors,
				    authors == 1 ? "" : "s", names.data);
		if (alike >= 0.2)
			wn_buf_addf(ev, "%stitles %d%% alike", ev->len ? "; " : "",
				    (int)(alike * 100 + 0.5));
		if (setting)
			wn_buf_addf(ev, "%sthe same setting (%s)", ev->len ? "; " : "",
				    mentions_setting(a, b) ? a->setting : b->setting);
	}
	wn_buf_release(&names);
	return suggest;
}

static int load_facts(struct wn_store *store, long long report, pcre2_code *re,
		      pcre2_match_data *md, struct report_facts *f)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT s.id, s.label, s.setting, s.registration FROM study_report sr "
		"JOIN study s ON s.id = sr.study_id WHERE sr.record_id IN " MEMBERS " LIMIT 1");
	struct wn_report_view v;
	int step, rc;

	memset(f, 0, sizeof(*f));
	f->report = report;
	if ((rc = wn_report_load(store, report, &v)) != WN_OK)
		return rc;
	facts_from_report(f, &v.rec);
	wn_report_view_release(&v);
	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, report);
	if ((step = sqlite3_step(st)) == SQLITE_ROW) {
		f->study = sqlite3_column_int64(st, 0);
		f->label = xstrdup(wn_column_text(st, 1));
		if (sqlite3_column_type(st, 2) != SQLITE_NULL)
			f->setting = xstrdup(wn_column_text(st, 2));
		/* the study's own registration counts as the report's */
		if (sqlite3_column_type(st, 3) != SQLITE_NULL) {
			char *both = wn_join(f->text, "\n", wn_column_text(st, 3));

			free(f->text);
			f->text = both;
		}
	}
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return wn_store_fail(store, "cannot read the study links");
	find_registrations(re, md, f->text, &f->registrations);
	return WN_OK;
}

int wn_study_suggest(struct wn_store *store,
		     int (*fn)(void *ctx, const struct wn_study_suggestion *s), void *ctx)
{
	struct report_facts *facts = NULL;
	long long *reports = NULL;
	pcre2_match_data *md = NULL;
	pcre2_code *re;
	size_t n = 0, loaded = 0;
	PCRE2_SIZE erroff;
	int err, rc;

	re = pcre2_compile((PCRE2_SPTR)registration_pattern, PCRE2_ZERO_TERMINATED, 0, &err,
			   &erroff, NULL);
	if (!re)
		return wn_error_set(WN_ERROR, "cannot compile the registration pattern");
	md = pcre2_match_data_create_from_pattern(re, NULL);
	if ((rc = wn_included_reports(store, &reports, &n)) != WN_OK)
		goto done;
	facts = xcalloc(n + 1, sizeof(*facts));
	for (; loaded < n; loaded++)
		if ((rc = load_facts(store, reports[loaded], re, md, &facts[loaded])) != WN_OK) {
			loaded++;
			goto done;
		}
	for (size_t i = 0; i < n && rc == WN_OK; i++) {
		for (size_t j = i + 1; j < n && rc == WN_OK; j++) {
			struct wn_buf ev = WN_BUF_INIT;
			struct wn_study_suggestion s;

			if (facts[i].study && facts[i].study == facts[j].study)
				continue;
			if (compare(&facts[i], &facts[j], &ev)) {
				const struct report_facts *p[2] = { &facts[i], &facts[j] };

				for (int k = 0; k < 2; k++) {
					s.report[k] = p[k]->report;
					s.study[k] = p[k]->study;
					s.label[k] = p[k]->label;
					s.citation[k] = p[k]->citation;
					s.title[k] = p[k]->title;
				}
				s.evidence = ev.data;
				if (fn(ctx, &s))
					j = i = n;
			}
			wn_buf_release(&ev);
		}
	}
done:
	for (size_t i = 0; i < loaded; i++)
		facts_release(&facts[i]);
	free(facts);
	free(reports);
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	return rc;
}
