/*
 * The matrix of themes against studies, with each study's appraisal, and
 * the sensitivity analysis that leaves out studies by an appraisal answer
 * (include/winnow/synth.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "appraisal_int.h"
#include "store_int.h"
#include "util.h"
#include "winnow/appraisal.h"
#include "winnow/synth.h"

/* "Can't tell" -> "CT": how a profile is written compactly. */
static void initials(const char *label, struct wn_buf *b)
{
	int start = 1;

	for (const char *p = label; *p; p++) {
		if (isalpha((unsigned char)*p) && start)
			wn_buf_addc(b, (char)toupper((unsigned char)*p));
		start = *p == ' ' || *p == '-' || *p == '/';
	}
}

/* A study's appraisal in a few characters: the overall judgement where the
 * instrument has one, else the tally, else the profile. */
static char *appraisal_text(const struct wn_appraisal_summary *s, const struct wn_appraisal_row *row)
{
	const struct wn_instrument *in = &s->instrument;
	struct wn_buf b = WN_BUF_INIT;

	for (size_t i = 0; i < in->nitems; i++)
		if (in->items[i].overall && (row->states[i] == WN_CELL_AGREED ||
					     row->states[i] == WN_CELL_CONSENSUS))
			return xstrdup(row->cells[i]);
	if (in->tally)
		return xasprintf("%ld/%ld %s", row->tally, row->tally_of, in->tally);
	for (size_t i = 0; i < in->nitems; i++) {
		if (row->states[i] == WN_CELL_NA || in->items[i].free_text)
			continue;
		if (b.len)
			wn_buf_addc(&b, ' ');
		if (row->states[i] == WN_CELL_AGREED || row->states[i] == WN_CELL_CONSENSUS)
			initials(row->cells[i], &b);
		else
			wn_buf_addc(&b, row->states[i] == WN_CELL_CONFLICT ? '?' : '-');
	}
	return wn_buf_detach(&b);
}

/* The instrument an exclusion names: its name, or a prefix only it has. */
static int instrument_named(struct wn_store *store, const char *given, char **name)
{
	sqlite3_stmt *st = wn_store_prepare(store, "SELECT DISTINCT name FROM instrument ORDER BY name");
	int step, matches = 0;

	*name = NULL;
	if (!st)
		return WN_ERROR;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *n = wn_column_text(st, 0);

		if (!strcasecmp(n, given)) {
			free(*name);
			*name = xstrdup(n);
			matches = 1;
			break;
		}
		if (!strncasecmp(n, given, strlen(given))) {
			matches++;
			free(*name);
			*name = xstrdup(n);
		}
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE && step != SQLITE_ROW)
		return wn_store_fail(store, "cannot read the instruments");
	if (matches == 1)
		return WN_OK;
	free(*name);
	*name = NULL;
	return wn_error_set(matches ? WN_EINVALID : WN_ENOTFOUND, matches
			    ? "'%s' names several instruments: write it in full"
			    : "no study has been appraised with an instrument named '%s'", given);
}

/* Leave out the studies an exclusion picks: "casp:Q8=No|Can't tell". */
static int apply_exclusion(struct wn_store *store, const char *spec, struct wn_synth_matrix *m)
{
	struct wn_appraisal_summary s;
	const struct wn_instrument_item *it;
	char *copy = xstrdup(spec), *colon = strchr(copy, ':'), *eq, *name = NULL;
	int rc;

	if (!colon || !(eq = strchr(colon, '=')) || colon == copy || eq == colon + 1 || !eq[1]) {
		free(copy);
		return wn_error_set(WN_EINVALID, "an exclusion is INSTRUMENT:ITEM=ANSWER (e.g. "
				    "casp:Q8=No), not '%s'", spec);
	}
	*colon = *eq = '\0';
	if ((rc = instrument_named(store, wn_trim(copy), &name)) != WN_OK ||
	    (rc = wn_appraisal_summary(store, name, &s)) != WN_OK) {
		free(name);
		free(copy);
		return rc;
	}
	it = wn_instrument_item(&s.instrument, wn_trim(colon + 1));
	if (!it && toupper((unsigned char)wn_trim(colon + 1)[0]) == 'Q')
		it = wn_instrument_item(&s.instrument, wn_trim(colon + 1) + 1);
	if (!it) {
		rc = wn_error_set(WN_EINVALID, "%s has no item '%s'", name, colon + 1);
		goto done;
	}
	{
		/* each answer named must be one the item allows */
		char *answers = xstrdup(eq + 1), *save = NULL;

		for (char *a = strtok_r(answers, "|", &save); a && rc == WN_OK; a = strtok_r(NULL, "|", &save)) {
			int known = 0;

			a = wn_trim(a);
			for (size_t j = 0; j < it->nanswers && !known; j++)
				known = !strcasecmp(a, it->answers[j].label) ||
					(strlen(a) == 1 && tolower((unsigned char)a[0]) == it->answers[j].key);
			if (!known)
				rc = wn_error_set(WN_EINVALID, "%s item %s has no answer '%s'%s", name,
						  it->code, a, it->free_text ? " (it is answered in words)" : "");
		}
		free(answers);
		if (rc != WN_OK)
			goto done;
	}
	for (size_t r = 0; r < s.nrows; r++) {
		const struct wn_appraisal_row *row = &s.rows[r];
		size_t i = (size_t)(it - s.instrument.items);
		char *answers = xstrdup(eq + 1), *save = NULL;
		int hit = 0;

		if (row->states[i] != WN_CELL_AGREED && row->states[i] != WN_CELL_CONSENSUS) {
			free(answers);
			continue;
		}
		for (char *a = strtok_r(answers, "|", &save); a && !hit; a = strtok_r(NULL, "|", &save)) {
			a = wn_trim(a);
			hit = !strcasecmp(a, row->cells[i]);
			for (size_t j = 0; j < it->nanswers && !hit; j++)
				hit = strlen(a) == 1 && tolower((unsigned char)a[0]) == it->answers[j].key &&
				      !strcmp(it->answers[j].label, row->cells[i]);
		}
		free(answers);
		for (size_t k = 0; hit && k < m->nstudies; k++)
			if (m->studies[k].id == row->study_id && !m->studies[k].excluded)
				m->studies[k].excluded = xasprintf("%s %s = %s", name, it->code,
								   row->cells[i]);
	}
done:
	wn_appraisal_summary_release(&s);
	free(name);
	free(copy);
	return rc;
}

static int load_studies(struct wn_store *store, struct wn_synth_matrix *m)
{
	struct wn_study *studies;
	size_t n;
	int rc = wn_study_list(store, &studies, &n);

	if (rc != WN_OK)
		return rc;
	m->studies = xcalloc(n + 1, sizeof(*m->studies));
	m->nstudies = n;
	for (size_t i = 0; i < n; i++) {
		m->studies[i].id = studies[i].id;
		m->studies[i].label = xstrdup(studies[i].label);
		m->studies[i].appraisal = xstrdup("");
	}
	wn_studies_release(studies, n);
	return WN_OK;
}

/* Each study's appraisal, from the instrument the protocol names (or the
 * one the review holds), when any study has been appraised. */
static int load_appraisals(struct wn_store *store, struct wn_synth_matrix *m)
{
	struct wn_appraisal_summary s;
	int rc = wn_appraisal_summary(store, NULL, &s);

	if (rc == WN_ENOTFOUND || rc == WN_EINVALID) {
		wn_error_clear();
		return WN_OK;
	}
	if (rc != WN_OK)
		return rc;
	m->instrument = xstrdup(s.instrument.name);
	for (size_t r = 0; r < s.nrows; r++)
		for (size_t k = 0; k < m->nstudies; k++)
			if (m->studies[k].id == s.rows[r].study_id) {
				free(m->studies[k].appraisal);
				m->studies[k].appraisal = appraisal_text(&s, &s.rows[r]);
			}
	wn_appraisal_summary_release(&s);
	return WN_OK;
}

static int load_cells(struct wn_store *store, struct wn_synth_matrix *m)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"WITH RECURSIVE sub(root, id) AS (SELECT id, id FROM theme WHERE merged_into IS NULL "
		"  UNION ALL SELECT sub.root, t.id FROM sub JOIN theme t ON t.parent_id = sub.id "
		"  AND t.merged_into IS NULL) "
		"SELECT sub.root, f.study_id, COUNT(DISTINCT f.id) FROM sub "
		"JOIN finding_theme ft ON ft.theme_id = sub.id JOIN finding f ON f.id = ft.finding_id "
		"GROUP BY sub.root, f.study_id");
	int step;

	m->cells = xcalloc(m->nthemes * m->nstudies + 1, sizeof(*m->cells));
	m->support = xcalloc(m->nthemes + 1, sizeof(*m->support));
	m->support_after = xcalloc(m->nthemes + 1, sizeof(*m->support_after));
	if (!st)
		return WN_ERROR;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		long long theme = sqlite3_column_int64(st, 0), study = sqlite3_column_int64(st, 1);
		size_t t, k;

		for (t = 0; t < m->nthemes && m->themes[t].id != theme; t++)
			;
		for (k = 0; k < m->nstudies && m->studies[k].id != study; k++)
			;
		if (t < m->nthemes && k < m->nstudies)
			m->cells[t * m->nstudies + k] = (long)sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? WN_OK : wn_store_fail(store, "cannot read the coding");
}

int wn_synth_matrix(struct wn_store *store, const char *const *exclude, size_t nexclude,
		    struct wn_synth_matrix *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = wn_theme_list(store, &out->themes, &out->nthemes)) != WN_OK ||
	    (rc = load_studies(store, out)) != WN_OK ||
	    (rc = load_appraisals(store, out)) != WN_OK ||
	    (rc = load_cells(store, out)) != WN_OK)
		goto fail;
	for (size_t i = 0; i < nexclude; i++)
		if ((rc = apply_exclusion(store, exclude[i], out)) != WN_OK)
			goto fail;
	for (size_t t = 0; t < out->nthemes; t++)
		for (size_t k = 0; k < out->nstudies; k++)
			if (out->cells[t * out->nstudies + k]) {
				out->support[t]++;
				out->support_after[t] += !out->studies[k].excluded;
			}
	return WN_OK;
fail:
	wn_synth_matrix_release(out);
	return rc;
}

void wn_synth_matrix_release(struct wn_synth_matrix *m)
{
	wn_themes_release(m->themes, m->nthemes);
	for (size_t k = 0; k < m->nstudies; k++) {
		free(m->studies[k].label);
		free(m->studies[k].appraisal);
		free(m->studies[k].excluded);
	}
	free(m->studies);
	free(m->cells);
	free(m->support);
	free(m->support_after);
	free(m->instrument);
	memset(m, 0, sizeof(*m));
}
