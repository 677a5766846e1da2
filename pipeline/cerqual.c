/*
 * GRADE-CERQual: confidence in each review finding, judged one component
 * at a time with an explanation (Lewin et al., Implement Sci 2018;13(Suppl
 * 1)). A review finding is a theme's summary statement; the studies that
 * contribute to it are those its findings were coded from.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "store_int.h"
#include "util.h"
#include "winnow/synth.h"

const char *const wn_cerqual_components[WN_CERQUAL_COMPONENTS] = {
	"methodological-limitations", "coherence", "adequacy", "relevance",
};

static const char *const concerns[] = { "none", "minor", "moderate", "serious" };
static const char *const confidences[] = { "high", "moderate", "low", "very low" };

/* The component as stored, accepting "limitations" for the first. */
static const char *component_name(const char *given)
{
	if (!strcasecmp(given, "statement") || !strcasecmp(given, "overall"))
		return !strcasecmp(given, "statement") ? "statement" : "overall";
	if (!strcasecmp(given, "limitations") || !strcasecmp(given, "methodological limitations"))
		return wn_cerqual_components[0];
	for (int i = 0; i < WN_CERQUAL_COMPONENTS; i++)
		if (!strcasecmp(given, wn_cerqual_components[i]))
			return wn_cerqual_components[i];
	return NULL;
}

/* "very-low" and "very low" are one level; "no" and "none" one concern. */
static const char *level_name(const char *component, const char *given)
{
	char buf[32];
	size_t i;

	for (i = 0; given[i] && i + 1 < sizeof(buf); i++)
		buf[i] = given[i] == '-' || given[i] == '_' ? ' ' : given[i];
	buf[i] = '\0';
	if (!strcmp(component, "overall")) {
		for (i = 0; i < 4; i++)
			if (!strcasecmp(buf, confidences[i]))
				return confidences[i];
		return NULL;
	}
	if (!strcasecmp(buf, "no") || !strcasecmp(buf, "no or very minor"))
		return concerns[0];
	for (i = 0; i < 4; i++)
		if (!strcasecmp(buf, concerns[i]))
			return concerns[i];
	return NULL;
}

int wn_cerqual_assess(struct wn_store *store, const char *theme, const char *component,
		      const char *level, const char *why)
{
	const char *comp = component_name(component ? component : "");
	const char *lv = NULL;
	long long id;
	sqlite3_stmt *st;
	char now[21], *details, *qwhy;
	int64_t rowid;
	int rc;

	if (!comp)
		return wn_error_set(WN_EINVALID, "unknown component '%s' (components: statement, "
				    "methodological-limitations, coherence, adequacy, relevance, overall)",
				    component ? component : "");
	if (strcmp(comp, "statement")) {
		if (!level || !(lv = level_name(comp, level)))
			return wn_error_set(WN_EINVALID, !strcmp(comp, "overall")
					    ? "the overall confidence is high, moderate, low or very-low, not '%s'"
					    : "a concern is none, minor, moderate or serious, not '%s'",
					    level ? level : "");
	}
	if (wn_blank(why))
		return wn_error_set(WN_EINVALID, !strcmp(comp, "statement")
				    ? "the statement is empty" : "a judgement needs its explanation (--why)");
	if ((rc = wn_store_begin(store)) != WN_OK)
		return rc;
	if ((rc = wn_theme_find(store, theme, &id)) != WN_OK)
		goto fail;
	if (!(st = wn_store_prepare(store,
		"INSERT INTO cerqual_judgement (theme_id, component, level, why, assessor, assessed_at) "
		"VALUES (?, ?, ?, ?, ?, ?)"))) {
		rc = WN_ERROR;
		goto fail;
	}
	wn_utc_now(now);
	sqlite3_bind_int64(st, 1, id);
	wn_bind_text(st, 2, comp);
	wn_bind_text(st, 3, lv);
	wn_bind_text(st, 4, why);
	wn_bind_text(st, 5, store->actor);
	wn_bind_text(st, 6, now);
	if ((rc = wn_store_insert(store, st, "cannot record the judgement", &rowid)) != WN_OK)
		goto fail;
	qwhy = wn_json_quote(lv);
	details = xasprintf("{\"theme\":%lld,\"component\":\"%s\",\"level\":%s}", id, comp, qwhy);
	rc = wn_audit_append(store, "cerqual", "cerqual_judgement", rowid, details);
	free(qwhy);
	free(details);
	if (rc != WN_OK)
		goto fail;
	return wn_store_commit(store);
fail:
	wn_store_rollback(store);
	return rc;
}

static int rank(const char *const *levels, const char *level)
{
	for (int i = 0; i < 4; i++)
		if (level && !strcmp(levels[i], level))
			return i;
	return -1;
}

/* What is missing from a finding's assessment, or does not fit: the
 * approach starts from high confidence and goes down for concerns, so
 * high beside a serious concern, or very low with none at all, needs a
 * second look. */
static char *problems_of(const struct wn_cerqual_finding *f)
{
	struct wn_buf b = WN_BUF_INIT;
	int worst = -1, overall = rank(confidences, f->overall);

	if (!f->statement || !*f->statement)
		wn_buf_adds(&b, "no summary statement");
	for (int i = 0; i < WN_CERQUAL_COMPONENTS; i++) {
		int r = rank(concerns, f->level[i]);

		if (r < 0)
			wn_buf_addf(&b, "%s%s not assessed", b.len ? "; " : "", wn_cerqual_components[i]);
		if (r > worst)
			worst = r;
	}
	if (overall < 0)
		wn_buf_addf(&b, "%sno overall confidence", b.len ? "; " : "");
	else if (overall == 0 && worst == 3)
		wn_buf_addf(&b, "%shigh confidence despite a serious concern", b.len ? "; " : "");
	else if (overall == 3 && worst == 0)
		wn_buf_addf(&b, "%svery low confidence without any concern above none", b.len ? "; " : "");
	if (!f->nstudies)
		wn_buf_addf(&b, "%sno study contributes (no findings coded to the theme)",
			    b.len ? "; " : "");
	return b.len ? wn_buf_detach(&b) : xstrdup("");
}

static void finding_clear(struct wn_cerqual_finding *f);

int wn_cerqual_profile(struct wn_store *store, struct wn_cerqual_finding **out, size_t *n)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT j.component, j.level, j.why, j.assessor FROM cerqual_judgement j "
		"WHERE j.theme_id = ? AND j.id = (SELECT MAX(x.id) FROM cerqual_judgement x "
		"WHERE x.theme_id = j.theme_id AND x.component = j.component)");
	sqlite3_stmt *studies = wn_store_prepare(store,
		"WITH RECURSIVE sub(id) AS (SELECT ?1 UNION ALL SELECT t.id FROM sub "
		"  JOIN theme t ON t.parent_id = sub.id AND t.merged_into IS NULL) "
		"SELECT s.label FROM study s WHERE s.id IN (SELECT f.study_id FROM finding f "
		"  JOIN finding_theme ft ON ft.finding_id = f.id JOIN sub ON sub.id = ft.theme_id) "
		"ORDER BY s.label");
	struct wn_theme *themes;
	size_t nthemes;
	int rc, step;

	*out = NULL;
	*n = 0;
	if (!st || !studies)
		return WN_ERROR;
	if ((rc = wn_theme_list(store, &themes, &nthemes)) != WN_OK)
		return rc;
	*out = xcalloc(nthemes + 1, sizeof(**out));
	for (size_t t = 0; t < nthemes && rc == WN_OK; t++) {
		struct wn_cerqual_finding *f = &(*out)[*n];
		struct wn_buf who = WN_BUF_INIT, labels = WN_BUF_INIT;
		int any = 0;

		sqlite3_bind_int64(st, 1, themes[t].id);
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			const char *comp = wn_column_text(st, 0), *assessor = wn_column_text(st, 3);
			char *level = sqlite3_column_type(st, 1) == SQLITE_NULL ? NULL
				      : xstrdup(wn_column_text(st, 1));
			char *why = xstrdup(wn_column_text(st, 2));

			any = 1;
			if (!strstr(wn_buf_str(&who), assessor))
				wn_buf_addf(&who, "%s%s", who.len ? ", " : "", assessor);
			if (!strcmp(comp, "statement")) {
				f->statement = why;
				free(level);
				continue;
			}
			if (!strcmp(comp, "overall")) {
				f->overall = level;
				f->overall_why = why;
				continue;
			}
			for (int i = 0; i < WN_CERQUAL_COMPONENTS; i++)
				if (!strcmp(comp, wn_cerqual_components[i])) {
					f->level[i] = level;
					f->why[i] = why;
					level = why = NULL;
				}
			free(level);
			free(why);
		}
		sqlite3_reset(st);
		if (step != SQLITE_DONE)
			rc = wn_store_fail(store, "cannot read the CERQual judgements");
		if (!any || rc != WN_OK) {
			wn_buf_release(&who);
			finding_clear(f);
			continue;
		}
		f->theme_id = themes[t].id;
		f->theme = xstrdup(themes[t].path);
		if (!f->statement && themes[t].description)
			f->statement = xstrdup(themes[t].description);
		sqlite3_bind_int64(studies, 1, themes[t].id);
		while ((step = sqlite3_step(studies)) == SQLITE_ROW) {
			wn_buf_addf(&labels, "%s%s", labels.len ? "; " : "", wn_column_text(studies, 0));
			f->nstudies++;
		}
		sqlite3_reset(studies);
		if (step != SQLITE_DONE)
			rc = wn_store_fail(store, "cannot read the contributing studies");
		f->studies = xstrdup(wn_buf_str(&labels));
		f->assessors = wn_buf_detach(&who);
		if (!f->assessors)
			f->assessors = xstrdup("");
		wn_buf_release(&labels);
		f->problems = problems_of(f);
		(*n)++;
	}
	wn_themes_release(themes, nthemes);
	if (rc != WN_OK) {
		wn_cerqual_release(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

static void finding_clear(struct wn_cerqual_finding *f)
{
	free(f->theme);
	free(f->statement);
	for (int k = 0; k < WN_CERQUAL_COMPONENTS; k++) {
		free(f->level[k]);
		free(f->why[k]);
	}
	free(f->overall);
	free(f->overall_why);
	free(f->studies);
	free(f->assessors);
	free(f->problems);
	memset(f, 0, sizeof(*f));
}

void wn_cerqual_release(struct wn_cerqual_finding *f, size_t n)
{
	for (size_t i = 0; f && i < n; i++)
		finding_clear(&f[i]);
	free(f);
}
