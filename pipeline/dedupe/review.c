/*
 * What a person needs to decide a queued pair: the queue in order, both
 * records field by field, and the words where they differ.
 */
#include <stdlib.h>
#include <string.h>

#include "dedupe/dedupe_int.h"
#include "record_store.h"
#include "store_int.h"
#include "util.h"
#include "winnow/dedupe.h"
#include "winnow/record.h"

const char *const wn_pair_field_names[WN_FIELD_COUNT] = {
	"Title", "Authors", "Year", "Journal", "Volume", "Issue", "Pages",
	"DOI", "PMID", "Type", "Source", "Abstract",
};

int wn_dedupe_pending(struct wn_store *store, long long **ids, size_t *n)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT p.id FROM dedupe_pair p "
		WN_PAIR_DECISION_IN_FORCE
		"WHERE d.decision = 'queued' ORDER BY p.score DESC, p.id");
	size_t cap = 0;
	int step;

	*ids = NULL;
	*n = 0;
	if (!st)
		return WN_ERROR;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*ids = xrealloc(*ids, cap * sizeof(**ids));
		}
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return wn_store_fail(store, "cannot read the review queue");
	}
	return WN_OK;
}

/* A word: letters and digits, any byte of a multibyte character included. */
static int word_byte(unsigned char c)
{
	return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

struct words {
	size_t n;
	size_t *start, *len;
	char **folded;
};

/* More words than this on a side are compared as all different: a
 * reviewer reads the start, and the table stays small. */
#define DIFF_MAX_WORDS 1500

static void split_words(const char *s, struct words *w)
{
	size_t cap = 0;

	memset(w, 0, sizeof(*w));
	for (size_t i = 0; s[i] && w->n < DIFF_MAX_WORDS;) {
		size_t j = i;

		while (s[j] && word_byte((unsigned char)s[j]))
			j++;
		if (j == i) {
			i++;
			continue;
		}
		if (w->n == cap) {
			cap = cap ? cap * 2 : 32;
			w->start = xrealloc(w->start, cap * sizeof(*w->start));
			w->len = xrealloc(w->len, cap * sizeof(*w->len));
			w->folded = xrealloc(w->folded, cap * sizeof(*w->folded));
		}
		char *word = xstrndup(s + i, j - i);

		w->start[w->n] = i;
		w->len[w->n] = j - i;
		w->folded[w->n] = wn_fold(word);
		free(word);
		w->n++;
		i = j;
	}
}

static void free_words(struct words *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->folded[i]);
	free(w->start);
	free(w->len);
	free(w->folded);
}

static void mark_word(unsigned char *mark, const struct words *w, size_t i)
{
	memset(mark + w->start[i], 1, w->len[i]);
}

void wn_diff_words(const char *a, const char *b, unsigned char *mark_a, unsigned char *mark_b)
{
	struct words wa, wb;
	size_t n, m;
	unsigned short *table; /* lengths fit: at most DIFF_MAX_WORDS words */

	memset(mark_a, 0, strlen(a));
	memset(mark_b, 0, strlen(b));
	split_words(a, &wa);
	split_words(b, &wb);
	n = wa.n;
	m = wb.n;
	/* table[i][j]: the longest common run of words of a from i and b from j */
	table = xcalloc((n + 1) * (m + 1), sizeof(*table));
	for (size_t i = n; i-- > 0;)
		for (size_t j = m; j-- > 0;) {
			unsigned short *cell = &table[i * (m + 1) + j];

			if (!strcmp(wa.folded[i], wb.folded[j]))
				*cell = table[(i + 1) * (m + 1) + j + 1] + 1;
			else
				*cell = table[(i + 1) * (m + 1) + j] > table[i * (m + 1) + j + 1]
						? table[(i + 1) * (m + 1) + j]
						: table[i * (m + 1) + j + 1];
		}
	size_t i = 0, j = 0;

	while (i < n && j < m) {
		if (!strcmp(wa.folded[i], wb.folded[j])) {
			i++;
			j++;
		} else if (table[(i + 1) * (m + 1) + j] >= table[i * (m + 1) + j + 1]) {
			mark_word(mark_a, &wa, i++);
		} else {
			mark_word(mark_b, &wb, j++);
		}
	}
	while (i < n)
		mark_word(mark_a, &wa, i++);
	while (j < m)
		mark_word(mark_b, &wb, j++);
	free(table);
	free_words(&wa);
	free_words(&wb);
}

static char *authors_text(const char *json)
{
	struct wn_strlist names = { NULL, 0, 0 };
	struct wn_buf out = WN_BUF_INIT;

	wn_buf_adds(&out, "");
	wn_strlist_from_json(&names, json);
	for (size_t i = 0; i < names.n; i++) {
		if (i)
			wn_buf_adds(&out, "; ");
		wn_buf_adds(&out, names.items[i]);
	}
	wn_strlist_clear(&names);
	return out.data;
}

static const char record_sql[] =
	"SELECT r.title, r.authors, r.year, r.journal, r.journal_abbrev, r.volume, r.issue, "
	"r.pages, r.doi, r.pmid, r.type, " WN_RECORD_SOURCE ", f.path, "
	"r.line, r.search_run_id, r.source_id, r.abstract FROM record r "
	WN_RECORD_ORIGIN_JOIN "WHERE r.id = ?";

static int load_side(struct wn_store *store, long long id, char **text)
{
	sqlite3_stmt *st = wn_store_prepare(store, record_sql);
	int step;

	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, id);
	step = sqlite3_step(st);
	if (step != SQLITE_ROW) {
		sqlite3_reset(st);
		return step == SQLITE_DONE ? wn_error_set(WN_ENOTFOUND, "there is no record %lld", id)
					   : wn_store_fail(store, "cannot read a record");
	}
	const char *journal = wn_column_text(st, 3), *abbrev = wn_column_text(st, 4);
	const char *path = wn_column_text(st, 12), *base = strrchr(path, '/');

	text[WN_FIELD_TITLE] = xstrdup(wn_column_text(st, 0));
	text[WN_FIELD_AUTHORS] = authors_text(wn_column_text(st, 1));
	text[WN_FIELD_YEAR] = xstrdup(wn_column_text(st, 2));
	if (!*journal || !strcmp(abbrev, journal))
		text[WN_FIELD_JOURNAL] = xstrdup(*journal ? journal : abbrev);
	else if (*abbrev)
		text[WN_FIELD_JOURNAL] = xasprintf("%s (%s)", journal, abbrev);
	else
		text[WN_FIELD_JOURNAL] = xstrdup(journal);
	text[WN_FIELD_VOLUME] = xstrdup(wn_column_text(st, 5));
	text[WN_FIELD_ISSUE] = xstrdup(wn_column_text(st, 6));
	text[WN_FIELD_PAGES] = xstrdup(wn_column_text(st, 7));
	text[WN_FIELD_DOI] = xstrdup(wn_column_text(st, 8));
	text[WN_FIELD_PMID] = xstrdup(wn_column_text(st, 9));
	text[WN_FIELD_TYPE] = xstrdup(wn_column_text(st, 10));
	if (*path)
		text[WN_FIELD_SOURCE] = xasprintf("%s, %s line %lld", wn_column_text(st, 11),
						  base ? base + 1 : path,
						  (long long)sqlite3_column_int64(st, 13));
	else
		text[WN_FIELD_SOURCE] = xasprintf("%s, search %lld %s", wn_column_text(st, 11),
						  (long long)sqlite3_column_int64(st, 14),
						  wn_column_text(st, 15));
	text[WN_FIELD_ABSTRACT] = xstrdup(wn_column_text(st, 16));
	sqlite3_reset(st);
	return WN_OK;
}

int wn_dedupe_pair_view(struct wn_store *store, long long pair_id, struct wn_pair_view *out)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT p.record_a, p.record_b, p.score, d.decision, d.reason FROM dedupe_pair p "
		WN_PAIR_DECISION_IN_FORCE
		"WHERE p.id = ?");
	int rc, step;

	memset(out, 0, sizeof(*out));
	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, pair_id);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		const char *status = wn_pair_status_of(wn_column_text(st, 3));

		out->pair_id = pair_id;
		out->record[0] = sqlite3_column_int64(st, 0);
		out->record[1] = sqlite3_column_int64(st, 1);
		out->score = sqlite3_column_double(st, 2);
		out->rule = xstrdup(wn_column_text(st, 4));
		out->status = status ? status : "pending";
	}
	sqlite3_reset(st);
	if (step != SQLITE_ROW)
		return step == SQLITE_DONE ? wn_error_set(WN_ENOTFOUND, "there is no pair %lld", pair_id)
					   : wn_store_fail(store, "cannot read the pair");
	for (int side = 0; side < 2; side++)
		if ((rc = load_side(store, out->record[side], out->text[side])) < 0) {
			wn_pair_view_release(out);
			return rc;
		}
	for (int f = 0; f < WN_FIELD_COUNT; f++) {
		out->differs[0][f] = xcalloc(strlen(out->text[0][f]) + 1, 1);
		out->differs[1][f] = xcalloc(strlen(out->text[1][f]) + 1, 1);
		/* where a record came from always differs and never tells */
		if (f != WN_FIELD_SOURCE)
			wn_diff_words(out->text[0][f], out->text[1][f], out->differs[0][f],
				      out->differs[1][f]);
	}
	return WN_OK;
}

void wn_pair_view_release(struct wn_pair_view *view)
{
	for (int side = 0; side < 2; side++)
		for (int f = 0; f < WN_FIELD_COUNT; f++) {
			free(view->text[side][f]);
			free(view->differs[side][f]);
		}
	free(view->rule);
	memset(view, 0, sizeof(*view));
}
