/*
 * A deduplication run, and the changes people make to clusters.
 *
 * A run loads every record as a profile (compare.c), proposes candidate
 * pairs by blocking (records that share a key: DOI, PMID, the title, its
 * first or last 30 letters, first author and year, volume and first page,
 * first author and first page), judges each pair, and merges the certain
 * duplicates strongest first. Before two clusters join, every pair across
 * them is checked: if any two records would be judged different (other
 * PMIDs, DOIs, pages, kinds of document...), the clusters stay apart and
 * the pair goes to a person, so that no cluster chains two papers through
 * a third record.
 *
 * Only records that no earlier run compared are compared (with every
 * record); clusters and people's decisions stand. Blocking sorts keys, so
 * the cost grows as n log n; a key shared by very many records (a common
 * surname and a year) is compared within a sliding window over the titles
 * instead of all pairs.
 */
#include "winnow/dedupe.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "dedupe/dedupe_int.h"
#include "record_store.h"
#include "store_int.h"
#include "util.h"
#include "winnow/protocol.h"

#define METHOD "rules-3"
#define KEY_SPAN 30     /* letters of a title in its head and tail keys */
#define BLOCK_ALL 64    /* a key shared by up to this many: every pair */
#define BLOCK_WINDOW 16 /* beyond it: each record with the next ones by title */
#define CROSS_CHECK_MAX 4096 /* cross pairs checked before two clusters join */

struct human_pair {
	int64_t a, b; /* a < b */
	int duplicate;
};

struct hit {
	uint32_t i, j;
	struct wn_evidence evidence;
	struct wn_judgement judgement;
	/* a duplicate kept out of a cluster it would corrupt: the rule that
	 * judged two of the records different */
	const char *held_apart;
	int settled; /* a doubtful pair whose records a cluster joined */
};

struct run {
	struct wn_store *store;
	struct wn_profile *p;
	size_t n, cap;
	char *preference; /* ",medline,scopus," from the protocol */
	struct wn_dedupe_thresholds thresholds;
	struct human_pair *human;
	size_t nhuman, human_cap;
	uint32_t *parent, *next, *size;
	const struct wn_dedupe_options *opts;
	long numbered_issue_files; /* imports whose issues are record numbers */
};

static void progress(struct run *r, const char *phase, long done, long total)
{
	if (r->opts && r->opts->progress)
		r->opts->progress(r->opts->ctx, phase, done, total);
}

/* ---- settings ---------------------------------------------------------- */

/* The protocol's [dedupe] source_preference, as ",a,b," (lower case). */
char *wn_dedupe_source_preference(struct wn_store *store)
{
	struct wn_protocol proto;
	struct wn_buf b = WN_BUF_INIT;
	const char *list;

	wn_buf_addc(&b, ',');
	if (wn_protocol_current(store, &proto) &&
	    (list = wn_protocol_get(&proto, "dedupe", NULL, "source_preference"))) {
		for (const char *s = list; *s;) {
			size_t n = strcspn(s, ", \t");

			for (size_t i = 0; i < n; i++)
				wn_buf_addc(&b, (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]));
			if (n)
				wn_buf_addc(&b, ',');
			s += n;
			s += strspn(s, ", \t");
		}
	}
	wn_protocol_release(&proto);
	return wn_buf_detach(&b);
}

void wn_dedupe_load_thresholds(struct wn_store *store, struct wn_dedupe_thresholds *t)
{
	struct wn_protocol proto;
	const char *v;

	*t = wn_dedupe_default_thresholds;
	if (wn_protocol_current(store, &proto)) {
		/* the protocol checked them: numbers from 0.5 to 1 */
		if ((v = wn_protocol_get(&proto, "dedupe", NULL, "merge_title")))
			t->merge_title = strtod(v, NULL);
		if ((v = wn_protocol_get(&proto, "dedupe", NULL, "review_title")))
			t->review_title = strtod(v, NULL);
	}
	wn_protocol_release(&proto);
}

static const char *const blocking_passes[] = {
	"DOI", "PMID or PMCID", "normalised title", "first 30 letters of the title",
	"last 30 letters of the title", "first author and year", "volume and first page",
	"first author and first page",
};

/* What a run is recorded with (dedupe_run.settings). */
static char *settings_json(const struct run *r)
{
	size_t n = strlen(r->preference);
	json_t *o = json_pack("{s:s, s:s%, s:f, s:f, s:i, s:i, s:i, s:I}", "method", METHOD,
			      "source_preference", n > 2 ? r->preference + 1 : "",
			      n > 2 ? n - 2 : 0, "merge_title", r->thresholds.merge_title,
			      "review_title", r->thresholds.review_title, "block_all_up_to",
			      BLOCK_ALL, "window", BLOCK_WINDOW, "title_key_letters", KEY_SPAN,
			      "files_with_record_numbers_as_issues",
			      (json_int_t)r->numbered_issue_files);
	char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);

	json_decref(o);
	return text;
}

void wn_dedupe_explain(struct wn_store *store, FILE *out)
{
	char *pref = wn_dedupe_source_preference(store);
	struct wn_dedupe_thresholds t;

	wn_dedupe_load_thresholds(store, &t);
	fprintf(out, "Deduplication method %s.\n\n", METHOD);
	fprintf(out, "Candidate pairs: records that share any of these keys:\n");
	for (size_t i = 0; i < sizeof(blocking_passes) / sizeof(blocking_passes[0]); i++)
		fprintf(out, "  - %s\n", blocking_passes[i]);
	fprintf(out, "A key shared by more than %d records pairs each with the next %d by title.\n"
		     "Only records not compared by an earlier run are compared (with all).\n\n",
		BLOCK_ALL, BLOCK_WINDOW);
	fputs("Never merged (left apart, or linked as related reports):\n"
	      "  - records with different PMIDs, or different DOIs (unless all else agrees: review)\n"
	      "  - an erratum, retraction, comment, preprint or meeting abstract and an article\n"
	      "    (linked as related when their titles are alike; two records their sources\n"
	      "    both call conference papers are one kind, and so are a journal's meeting\n"
	      "    abstract and the same volume's supplement record of it, and a meeting's\n"
	      "    record with no volume, issue or pages and the journal's article record of\n"
	      "    the same title, authors and year, unpaged without a DOI or on one page\n"
	      "    given as a range of one, \"507-507\")\n"
	      "  - a correction notice is known by its words, by Web of Science's \"(vol 360,\n"
	      "    pg 542, 2009)\" and by Embase's \"(N Engl J Med (2009) 360 (542-544))\"\n"
	      "  - titles that carry different numbers (part 1 and part 2; HPV16 is HPV 16) or\n"
	      "    differ in a telling word (protocol, rats/mice, women/men, children/adults,\n"
	      "    pilot, ...)\n"
	      "  - page ranges that do not overlap; two of volume, issue, pages different;\n"
	      "    different journals (similarity < 0.5) and volumes; years more than 1 apart;\n"
	      "    Cochrane reviews with different DOIs (updates)\n"
	      "  An imported file whose issues are nearly all different (50 or more, 90%)\n"
	      "  holds record numbers there (EndNote's), not issues: they are not compared.\n\n"
	      "Merged automatically (similarities 0-1; nothing else may contradict):\n"
	      "  - same PMID, titles >= 0.8\n"
	      "  - same DOI, titles >= 0.9, authors >= 0.5\n"
	      "  - same DOI, titles >= 0.95, journal >= 0.9, same year and volume, same pages or\n"
	      "    issue (names garbled)\n"
	      "  - both titles known, authors >= 0.9, journal >= 0.9, same year, volume and the\n"
	      "    same whole page range (a translated title or a subtitle dropped; for\n"
	      "    proceedings without volumes, the same meeting), even under one DOI\n", out);
	fprintf(out,
		"  - title >= %.2f, journal >= 0.9, same year, volume and whole page range\n"
		"    (names garbled past matching)\n"
		"  - title >= %.2f, authors >= 0.9, journal >= 0.75 and the same year, volume or pages\n"
		"  - title >= 0.9, authors >= 0.8, same pages and the same volume or year\n"
		"  - title >= 0.7, authors >= 0.95, journal >= 0.9, same volume, pages and year\n"
		"  - no authors: title >= %.2f, journal >= 0.9, same year and volume or pages\n"
		"  - identical titles, authors >= 0.9, same year\n"
		"  - identical titles, authors >= 0.75 (all there, another order or names\n"
		"    swapped), journal >= 0.9, same year\n"
		"  - identical titles, authors >= 0.9, same year, volume and issue (the\n"
		"    journal named otherwise)\n"
		"  - identical titles, authors >= 0.9, journal >= 0.9, years at most 1 apart\n"
		"  - identical titles, authors >= 0.9, journal >= 0.9, same year, volume and\n"
		"    issue, the first pages at most 10 apart (ranges that do not meet stay apart)\n"
		"  - identical titles, journal >= 0.9, same year, volume and issue, one a\n"
		"    meeting's record and one the journal's article, authors >= 0.9 (or none in\n"
		"    both, with a title of 15 letters or more)\n"
		"  Titles shorter than 25 letters also need the same pages and volume or issue,\n"
		"  except in the rule just above. A supplement (\"Suppl 1\", \"S2\", a journal's\n"
		"  \"Supplements\") and an ordinary issue of the same number are not one issue.\n"
		"  Titles lose databases' marks ([Review], (Structured abstract)); an article\n"
		"  number (e12724, a1754), a page inside the other's range, or an online-first\n"
		"  range from page 1 with no volume neither agrees nor disagrees with a page\n"
		"  range; a meeting's initials match its name (ICIS). A volume \"1)\" (the end of\n"
		"  \"50 (Suppl 1)\") is unknown; a lost volume with issue and pages moved up a\n"
		"  place (-, 26, 9 for 26, 9, 1746) agrees.\n\n"
		"Sent to review: title >= %.2f and authors >= 0.7 (or unknown), years at most 1 apart;\n"
		"or title >= %.2f, authors >= 0.9, journal >= 0.8; and duplicates that would join\n"
		"two clusters holding records judged different.\n\n",
		t.merge_title, t.merge_title, wn_dedupe_merge_bare(&t), wn_dedupe_review_authors(&t),
		t.review_title);
	fprintf(out, "Settings ([dedupe] in the protocol):\n"
		     "  merge_title = %.2f%s\n  review_title = %.2f%s\n\n",
		t.merge_title, t.merge_title == wn_dedupe_default_thresholds.merge_title
				       ? " (the default)" : "",
		t.review_title, t.review_title == wn_dedupe_default_thresholds.review_title
					? " (the default)" : "");
	{
		/* ",a,b," as "a, b" */
		struct wn_buf shown = WN_BUF_INIT;

		for (const char *c = pref + 1; *c; c++)
			if (*c != ',')
				wn_buf_addc(&shown, *c);
			else if (c[1])
				wn_buf_adds(&shown, ", ");
		fprintf(out, "Primary record of a cluster: the most complete; ties go to the source\n"
			     "preference (%s), then to the earliest record.\n",
			shown.len ? wn_buf_str(&shown)
				  : "none set: [dedupe] source_preference in the protocol");
		wn_buf_release(&shown);
	}
	free(pref);
}

/* ---- loading ------------------------------------------------------------ */

int wn_dedupe_find_numbered_issues(struct wn_store *store, long *files)
{
	sqlite3_stmt *st;
	int rc, fresh;

	/* worked out again only when a file has been imported since: the
	 * review screen asks for it at every decision */
	rc = wn_store_exec(store,
		"CREATE TEMP TABLE IF NOT EXISTS numbered_issues (id INTEGER PRIMARY KEY);"
		"CREATE TEMP TABLE IF NOT EXISTS numbered_issues_upto (last_import INTEGER);");
	if (rc < 0 || !(st = wn_store_prepare(store,
		"SELECT (SELECT last_import FROM temp.numbered_issues_upto) IS "
		"(SELECT coalesce(max(id), 0) FROM import_file), "
		"(SELECT count(*) FROM temp.numbered_issues)")))
		return rc < 0 ? rc : WN_ERROR;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return wn_store_fail(store, "cannot look up imports");
	}
	fresh = sqlite3_column_int(st, 0);
	if (files)
		*files = (long)sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	if (fresh)
		return WN_OK;
	rc = wn_store_exec(store,
		"DELETE FROM temp.numbered_issues;"
		"INSERT INTO temp.numbered_issues SELECT import_file_id FROM record "
		"WHERE import_file_id IS NOT NULL AND issue IS NOT NULL GROUP BY import_file_id "
		"HAVING count(*) >= 50 AND count(DISTINCT issue) >= 0.9 * count(*);"
		"DELETE FROM temp.numbered_issues_upto;"
		"INSERT INTO temp.numbered_issues_upto SELECT coalesce(max(id), 0) FROM import_file;");
	return rc < 0 ? rc : wn_dedupe_find_numbered_issues(store, files);
}

void wn_profile_from_row(sqlite3_stmt *st, struct wn_profile *p)
{
	struct wn_profile_source src;

	memset(&src, 0, sizeof(src));
	src.id = sqlite3_column_int64(st, 0);
	src.title = (const char *)sqlite3_column_text(st, 1);
	src.authors_json = (const char *)sqlite3_column_text(st, 2);
	src.year = sqlite3_column_int(st, 3);
	src.journal = (const char *)sqlite3_column_text(st, 4);
	src.journal_abbrev = (const char *)sqlite3_column_text(st, 5);
	src.volume = (const char *)sqlite3_column_text(st, 6);
	src.issue = (const char *)sqlite3_column_text(st, 7);
	src.pages = (const char *)sqlite3_column_text(st, 8);
	src.doi = (const char *)sqlite3_column_text(st, 9);
	src.pmid = (const char *)sqlite3_column_text(st, 10);
	src.pmcid = (const char *)sqlite3_column_text(st, 11);
	src.issn = (const char *)sqlite3_column_text(st, 12);
	src.abstract = (const char *)sqlite3_column_text(st, 13);
	src.type = (const char *)sqlite3_column_text(st, 14);
	src.pubtypes_json = (const char *)sqlite3_column_text(st, 15);
	wn_profile_build(p, &src);
}

static int load_profiles(struct run *r)
{
	sqlite3_stmt *st = wn_store_prepare(r->store,
		"SELECT " WN_PROFILE_COLUMNS ", m.cluster_id, d.record_id IS NULL "
		"FROM record r LEFT JOIN cluster_member m ON m.record_id = r.id "
		"LEFT JOIN dedupe_seen d ON d.record_id = r.id ORDER BY r.id");
	int step;

	if (!st)
		return WN_ERROR;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct wn_profile *p;

		if (r->n == r->cap) {
			r->cap = r->cap ? r->cap * 2 : 1024;
			r->p = xrealloc(r->p, r->cap * sizeof(*r->p));
		}
		p = &r->p[r->n++];
		wn_profile_from_row(st, p);
		p->cluster = sqlite3_column_int64(st, 16);
		p->is_new = sqlite3_column_int(st, 17);
		if (r->n % 50000 == 0)
			progress(r, "loading", (long)r->n, 0);
	}
	if (step != SQLITE_DONE)
		return wn_store_fail(r->store, "cannot read the records");
	return WN_OK;
}

static int human_cmp(const void *x, const void *y)
{
	const struct human_pair *a = x, *b = y;

	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return (a->b > b->b) - (a->b < b->b);
}

/* Pairs a person decided, as they stand (the latest decision on each). */
static int load_human(struct run *r)
{
	sqlite3_stmt *st = wn_store_prepare(r->store,
		"SELECT p.record_a, p.record_b, d.decision FROM dedupe_pair p "
		WN_PAIR_DECISION_IN_FORCE
		"WHERE d.actor <> 'auto' AND d.decision IN ('duplicate', 'not_duplicate', 'related')");
	int step;

	if (!st)
		return WN_ERROR;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (r->nhuman == r->human_cap) {
			r->human_cap = r->human_cap ? r->human_cap * 2 : 64;
			r->human = xrealloc(r->human, r->human_cap * sizeof(*r->human));
		}
		r->human[r->nhuman].a = sqlite3_column_int64(st, 0);
		r->human[r->nhuman].b = sqlite3_column_int64(st, 1);
		r->human[r->nhuman].duplicate =
			!strcmp((const char *)sqlite3_column_text(st, 2), "duplicate");
		r->nhuman++;
	}
	if (step != SQLITE_DONE)
		return wn_store_fail(r->store, "cannot read the decided pairs");
	if (r->nhuman > 1)
		qsort(r->human, r->nhuman, sizeof(*r->human), human_cmp);
	return WN_OK;
}

/* A person's decision on two records: 1 duplicate, 0 not, -1 none. */
static int human_says(const struct run *r, int64_t x, int64_t y)
{
	struct human_pair key = { x < y ? x : y, x < y ? y : x, 0 };
	const struct human_pair *h;

	if (!r->nhuman)
		return -1;
	h = bsearch(&key, r->human, r->nhuman, sizeof(key), human_cmp);

	return h ? h->duplicate : -1;
}

/* ---- blocking ----------------------------------------------------------- */

struct block_key {
	uint64_t key;
	uint32_t idx;
};

struct keys {
	struct block_key *k;
	size_t n, cap;
};

static uint64_t hash_bytes(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void add_key(struct keys *k, unsigned pass, const char *a, size_t na, const char *b,
		    size_t nb, uint32_t idx)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ ((uint64_t)pass << 56);

	h = hash_bytes(h, a, na);
	h = hash_bytes(h, "\x1f", 1);
	h = hash_bytes(h, b, nb);
	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 4096;
		k->k = xrealloc(k->k, k->cap * sizeof(*k->k));
	}
	k->k[k->n].key = h;
	k->k[k->n].idx = idx;
	k->n++;
}

static void record_keys(struct keys *k, const struct wn_profile *p, uint32_t idx)
{
	char num[32], num2[32];

	if (p->doi)
		add_key(k, 1, p->doi, strlen(p->doi), "", 0, idx);
	if (p->pmid)
		add_key(k, 2, p->pmid, strlen(p->pmid), "", 0, idx);
	if (p->pmcid)
		add_key(k, 2, p->pmcid, strlen(p->pmcid), "", 0, idx);
	if (p->title_tight) {
		size_t n = strlen(p->title_tight);

		add_key(k, 3, p->title_tight, n, "", 0, idx);
		if (n > KEY_SPAN) {
			add_key(k, 4, p->title_tight, KEY_SPAN, "", 0, idx);
			add_key(k, 5, p->title_tight + n - KEY_SPAN, KEY_SPAN, "", 0, idx);
		}
	}
	if (p->first_author && p->year) {
		snprintf(num, sizeof(num), "%d", p->year);
		add_key(k, 6, p->first_author, strlen(p->first_author), num, strlen(num), idx);
	}
	if (p->page_first) {
		snprintf(num, sizeof(num), "%ld", p->page_first);
		if (p->volume) {
			const char *v = p->volume;

			while (*v && (*v < '0' || *v > '9'))
				v++;
			snprintf(num2, sizeof(num2), "%.*s", (int)strspn(v, "0123456789"), v);
			if (*num2)
				add_key(k, 7, num2, strlen(num2), num, strlen(num), idx);
		}
		if (p->first_author)
			add_key(k, 8, p->first_author, strlen(p->first_author), num, strlen(num),
				idx);
	}
}

static int key_cmp(const void *x, const void *y)
{
	const struct block_key *a = x, *b = y;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return (a->idx > b->idx) - (a->idx < b->idx);
}

static int u64_cmp(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return (a > b) - (a < b);
}

struct pairs {
	uint64_t *v;
	size_t n, cap;
};

static void add_pair(struct run *r, struct pairs *ps, uint32_t i, uint32_t j)
{
	const struct wn_profile *a = &r->p[i], *b = &r->p[j];

	if (i == j || (!a->is_new && !b->is_new))
		return;
	if (a->cluster && a->cluster == b->cluster)
		return;
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 4096;
		ps->v = xrealloc(ps->v, ps->cap * sizeof(*ps->v));
	}
	ps->v[ps->n++] = i < j ? ((uint64_t)i << 32) | j : ((uint64_t)j << 32) | i;
}

static int by_title(const void *x, const void *y, void *profiles)
{
	const struct wn_profile *a = (const struct wn_profile *)profiles + *(const uint32_t *)x;
	const struct wn_profile *b = (const struct wn_profile *)profiles + *(const uint32_t *)y;

	return strcmp(a->title_tight ? a->title_tight : "", b->title_tight ? b->title_tight : "");
}

static void block(struct run *r, struct pairs *ps)
{
	struct keys k = { 0 };
	uint32_t *group = NULL;
	size_t group_cap = 0;

	for (size_t i = 0; i < r->n; i++)
		record_keys(&k, &r->p[i], (uint32_t)i);
	if (k.n > 1)
		qsort(k.k, k.n, sizeof(*k.k), key_cmp);
	for (size_t s = 0, e; s < k.n; s = e) {
		size_t g;
		int any_new = 0;

		for (e = s; e < k.n && k.k[e].key == k.k[s].key; e++)
			any_new |= r->p[k.k[e].idx].is_new;
		g = e - s;
		if (g < 2 || !any_new)
			continue;
		if (g <= BLOCK_ALL) {
			for (size_t x = s; x < e; x++)
				for (size_t y = x + 1; y < e; y++)
					add_pair(r, ps, k.k[x].idx, k.k[y].idx);
			continue;
		}
		if (g > group_cap) {
			group_cap = g;
			group = xrealloc(group, g * sizeof(*group));
		}
		for (size_t x = 0; x < g; x++)
			group[x] = k.k[s + x].idx;
		qsort_r(group, g, sizeof(*group), by_title, r->p);
		for (size_t x = 0; x < g; x++)
			for (size_t y = x + 1; y < g && y <= x + BLOCK_WINDOW; y++)
				add_pair(r, ps, group[x], group[y]);
	}
	free(group);
	free(k.k);
	if (ps->n > 1)
		qsort(ps->v, ps->n, sizeof(*ps->v), u64_cmp);
	{
		size_t w = 0;

		for (size_t i = 0; i < ps->n; i++)
			if (!w || ps->v[i] != ps->v[w - 1])
				ps->v[w++] = ps->v[i];
		ps->n = w;
	}
}

/* ---- clustering --------------------------------------------------------- */

static uint32_t find(struct run *r, uint32_t x)
{
	while (r->parent[x] != x) {
		r->parent[x] = r->parent[r->parent[x]];
		x = r->parent[x];
	}
	return x;
}

static void join(struct run *r, uint32_t a, uint32_t b)
{
	uint32_t t;

	a = find(r, a);
	b = find(r, b);
	if (a == b)
		return;
	if (r->size[a] < r->size[b])
		t = a, a = b, b = t;
	r->parent[b] = a;
	r->size[a] += r->size[b];
	/* splice the two circular member lists */
	t = r->next[a];
	r->next[a] = r->next[b];
	r->next[b] = t;
}

/* Would joining the clusters of x and y put together two records judged
 * different? Returns the rule that says so, or NULL. */
static const char *conflict(struct run *r, uint32_t x, uint32_t y)
{
	uint32_t a = find(r, x), b = find(r, y);
	uint32_t i = a;

	if ((size_t)r->size[a] * r->size[b] > CROSS_CHECK_MAX)
		return "clusters too large to check";
	do {
		uint32_t j = b;

		do {
			struct wn_evidence e;
			struct wn_judgement jd;
			int says = human_says(r, r->p[i].id, r->p[j].id);

			if (says == 0)
				return "a person judged two of them different";
			if (says < 0) {
				wn_evidence_collect(&r->p[i], &r->p[j], &e);
				wn_judge(&r->p[i], &r->p[j], &e, &r->thresholds, &jd);
				if (jd.verdict == WN_VERDICT_RELATED ||
				    (jd.verdict == WN_VERDICT_DIFFERENT && jd.contradiction))
					return jd.rule;
			}
			j = r->next[j];
		} while (j != b);
		i = r->next[i];
	} while (i != a);
	return NULL;
}

struct cluster_index {
	int64_t cluster;
	uint32_t idx;
};

static int cluster_cmp(const void *x, const void *y)
{
	const struct cluster_index *a = x, *b = y;

	if (a->cluster != b->cluster)
		return a->cluster < b->cluster ? -1 : 1;
	return (a->idx > b->idx) - (a->idx < b->idx);
}

static int hit_cmp(const void *x, const void *y)
{
	const struct hit *a = x, *b = y;

	if (a->judgement.score != b->judgement.score)
		return a->judgement.score > b->judgement.score ? -1 : 1;
	if (a->i != b->i)
		return a->i < b->i ? -1 : 1;
	return (a->j > b->j) - (a->j < b->j);
}

/* ---- storing ------------------------------------------------------------ */

/* The member to show: the most complete, then the preferred source, then
 * the earliest record. */
static const char primary_sql[] =
	"SELECT r.id FROM cluster_member m JOIN record r ON r.id = m.record_id "
	WN_RECORD_ORIGIN_JOIN "WHERE m.cluster_id = ?1 "
	"ORDER BY (r.title IS NOT NULL) + (r.authors <> '[]') + (r.year IS NOT NULL) + "
	"(r.journal IS NOT NULL) + (r.volume IS NOT NULL) + (r.issue IS NOT NULL) + "
	"(r.pages IS NOT NULL) + (r.doi IS NOT NULL) + (r.pmid IS NOT NULL) + "
	"(r.issn IS NOT NULL) + 2 * (r.abstract IS NOT NULL) DESC, "
	"COALESCE(NULLIF(instr(?2, ',' || lower(COALESCE(f.database_name, s.database_name)) "
	"|| ','), 0), 1000000) ASC, r.id ASC LIMIT 1";

int wn_dedupe_choose_primary(struct wn_store *store, int64_t cluster, const char *preference)
{
	sqlite3_stmt *st = wn_store_prepare(store, primary_sql);
	sqlite3_stmt *up;
	int64_t primary = 0;
	int step;

	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, cluster);
	wn_bind_text(st, 2, preference);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		primary = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (step != SQLITE_ROW)
		return wn_store_fail(store, "cannot choose a cluster's primary record");
	up = wn_store_prepare(store, "UPDATE dedupe_cluster SET primary_record_id = ? WHERE id = ?");
	if (!up)
		return WN_ERROR;
	sqlite3_bind_int64(up, 1, primary);
	sqlite3_bind_int64(up, 2, cluster);
	return wn_store_run(store, up, "cannot set the primary record");
}

static int new_cluster(struct wn_store *store, int64_t first, int64_t *id)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"INSERT INTO dedupe_cluster (primary_record_id, created_at) VALUES (?, ?)");
	char now[21];

	if (!st)
		return WN_ERROR;
	wn_utc_now(now);
	sqlite3_bind_int64(st, 1, first);
	wn_bind_text(st, 2, now);
	return wn_store_insert(store, st, "cannot create a cluster", id);
}

static int set_member(struct wn_store *store, int64_t record, int64_t cluster)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"INSERT INTO cluster_member (record_id, cluster_id, added_at) VALUES (?1, ?2, ?3) "
		"ON CONFLICT (record_id) DO UPDATE SET cluster_id = ?2, added_at = ?3 "
		"WHERE cluster_id <> ?2");
	char now[21];

	if (!st)
		return WN_ERROR;
	wn_utc_now(now);
	sqlite3_bind_int64(st, 1, record);
	sqlite3_bind_int64(st, 2, cluster);
	wn_bind_text(st, 3, now);
	return wn_store_run(store, st, "cannot add a cluster member");
}

int wn_dedupe_drop_empty(struct wn_store *store, int64_t cluster)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"DELETE FROM dedupe_cluster WHERE id = ? AND NOT EXISTS "
		"(SELECT 1 FROM cluster_member WHERE cluster_id = dedupe_cluster.id)");
	int rc;

	if (!st)
		return WN_ERROR;
	sqlite3_bind_int64(st, 1, cluster);
	rc = wn_store_run(store, st, "cannot remove a cluster");
	return rc < 0 ? rc : sqlite3_changes(store->db) > 0;
}

/* Put all of `members` into one cluster: the lowest cluster id they have,
 * or a new one; emptied clusters go; the primary is chosen again. */
int wn_dedupe_unite(struct wn_store *store, const int64_t *members, const int64_t *clusters,
		 size_t n, const char *preference, int64_t *out)
{
	int64_t target = 0;
	int rc = WN_OK;

	for (size_t i = 0; i < n; i++)
		if (clusters[i] && (!target || clusters[i] < target))
			target = clusters[i];
	if (!target && (rc = new_cluster(store, members[0], &target)) < 0)
		return rc;
	for (size_t i = 0; i < n && rc == WN_OK; i++)
		if (clusters[i] != target)
			rc = set_member(store, members[i], target);
	for (size_t i = 0; i < n && rc == WN_OK; i++)
		if (clusters[i] && clusters[i] != target)
			rc = wn_dedupe_drop_empty(store, clusters[i]) < 0 ? WN_ERROR : WN_OK;
	if (rc == WN_OK)
		rc = wn_dedupe_choose_primary(store, target, preference);
	if (out)
		*out = target;
	return rc;
}

static const char *decision_of(const struct hit *h)
{
	if (h->settled)
		return "duplicate";
	if (h->held_apart)
		return "queued";
	switch (h->judgement.verdict) {
	case WN_VERDICT_DUPLICATE: return "duplicate";
	case WN_VERDICT_RELATED: return "related";
	case WN_VERDICT_REVIEW: return "queued";
	case WN_VERDICT_DIFFERENT: break;
	}
	return "not_duplicate";
}

/* A pair row (created when new) and, when it is new, its decision. */
int wn_dedupe_store_pair(struct wn_store *store, int64_t run, int64_t a, int64_t b, double score,
		      const char *evidence, const char *decision, const char *actor,
		      const char *reason, int64_t *pair_id)
{
	sqlite3_stmt *ins = wn_store_prepare(store,
		"INSERT INTO dedupe_pair (record_a, record_b, run_id, score, evidence) "
		"VALUES (?, ?, ?, ?, ?) ON CONFLICT (record_a, record_b) DO NOTHING");
	sqlite3_stmt *get = wn_store_prepare(store,
		"SELECT id, (SELECT max(id) FROM pair_decision WHERE pair_id = dedupe_pair.id) "
		"FROM dedupe_pair WHERE record_a = ? AND record_b = ?");
	sqlite3_stmt *dec = wn_store_prepare(store,
		"INSERT INTO pair_decision (pair_id, decision, actor, reason, decided_at, supersedes) "
		"VALUES (?, ?, ?, ?, ?, ?)");
	int64_t lo = a < b ? a : b, hi = a < b ? b : a, id = 0, last = 0;
	char now[21];
	int rc;

	if (!ins || !get || !dec)
		return WN_ERROR;
	sqlite3_bind_int64(ins, 1, lo);
	sqlite3_bind_int64(ins, 2, hi);
	sqlite3_bind_int64(ins, 3, run);
	sqlite3_bind_double(ins, 4, score);
	wn_bind_text(ins, 5, evidence ? evidence : "{}");
	if ((rc = wn_store_insert(store, ins, "cannot store a pair", &id)) < 0)
		return rc;
	if (!sqlite3_changes(store->db)) {
		/* the pair was there: find it and its last decision */
		sqlite3_bind_int64(get, 1, lo);
		sqlite3_bind_int64(get, 2, hi);
		id = 0;
		if (sqlite3_step(get) == SQLITE_ROW) {
			id = sqlite3_column_int64(get, 0);
			last = sqlite3_column_int64(get, 1);
		}
		sqlite3_reset(get);
		if (!id)
			return wn_store_fail(store, "cannot find a stored pair");
	}
	if (pair_id)
		*pair_id = id;
	if (last && !strcmp(actor, "auto"))
		return WN_OK; /* decided before; a run does not decide again */
	wn_utc_now(now);
	sqlite3_bind_int64(dec, 1, id);
	wn_bind_text(dec, 2, decision);
	wn_bind_text(dec, 3, actor);
	wn_bind_text(dec, 4, reason);
	wn_bind_text(dec, 5, now);
	if (last)
		sqlite3_bind_int64(dec, 6, last);
	else
		sqlite3_bind_null(dec, 6);
	return wn_store_run(store, dec, "cannot store a pair decision");
}

int wn_dedupe_store_relation(struct wn_store *store, int64_t record, int64_t related,
			  const char *kind, const char *actor, const char *evidence)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"INSERT INTO record_relation (record_id, related_id, kind, actor, evidence, created_at) "
		"VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
	char now[21];

	if (!st)
		return WN_ERROR;
	wn_utc_now(now);
	sqlite3_bind_int64(st, 1, record);
	sqlite3_bind_int64(st, 2, related);
	wn_bind_text(st, 3, kind);
	wn_bind_text(st, 4, actor);
	wn_bind_text(st, 5, evidence);
	wn_bind_text(st, 6, now);
	return wn_store_run(store, st, "cannot link related records");
}

static int store_hits(struct run *r, int64_t run_id, struct hit *hits, size_t nhits)
{
	int rc = WN_OK;

	for (size_t k = 0; k < nhits && rc == WN_OK; k++) {
		struct hit *h = &hits[k];
		const struct wn_profile *a = &r->p[h->i], *b = &r->p[h->j];
		char *evidence = wn_evidence_json(&h->evidence, &h->judgement), *reason = NULL;

		if (h->held_apart)
			reason = xasprintf("%s; held apart: %s", h->judgement.rule, h->held_apart);
		else if (h->settled)
			reason = xasprintf("in one cluster through other records (alone: %s)",
					   h->judgement.rule);
		rc = wn_dedupe_store_pair(r->store, run_id, a->id, b->id, h->judgement.score, evidence,
				decision_of(h), "auto", reason ? reason : h->judgement.rule, NULL);
		if (rc == WN_OK && h->judgement.verdict == WN_VERDICT_RELATED && !h->held_apart) {
			int a_first = a->kind != WN_KIND_ARTICLE;

			rc = wn_dedupe_store_relation(r->store, a_first ? a->id : b->id,
					    a_first ? b->id : a->id, h->judgement.relation, "auto",
					    evidence);
		}
		free(reason);
		free(evidence);
		if (k % 20000 == 0)
			progress(r, "storing", (long)k, (long)nhits);
	}
	return rc;
}

static int store_clusters(struct run *r)
{
	int64_t *members = NULL, *clusters = NULL;
	size_t cap = 0;
	int rc = WN_OK;

	for (uint32_t x = 0; x < r->n && rc == WN_OK; x++) {
		size_t n = 0;
		int changed = 0;
		uint32_t i = x;

		if (find(r, x) != x || r->size[x] < 2)
			continue;
		if (r->size[x] > cap) {
			cap = r->size[x];
			members = xrealloc(members, cap * sizeof(*members));
			clusters = xrealloc(clusters, cap * sizeof(*clusters));
		}
		do {
			members[n] = r->p[i].id;
			clusters[n] = r->p[i].cluster;
			if (!clusters[n] || clusters[n] != clusters[0])
				changed = 1;
			n++;
			i = r->next[i];
		} while (i != x);
		if (changed)
			rc = wn_dedupe_unite(r->store, members, clusters, n, r->preference, NULL);
	}
	free(members);
	free(clusters);
	return rc;
}

static int mark_seen(struct run *r, int64_t run_id)
{
	sqlite3_stmt *st = wn_store_prepare(r->store,
		"INSERT INTO dedupe_seen (record_id, run_id) VALUES (?, ?)");

	if (!st)
		return WN_ERROR;
	int rc = WN_OK;

	for (size_t i = 0; i < r->n && rc == WN_OK; i++) {
		if (!r->p[i].is_new)
			continue;
		sqlite3_bind_int64(st, 1, r->p[i].id);
		sqlite3_bind_int64(st, 2, run_id);
		rc = wn_store_run(r->store, st, "cannot mark records compared");
	}
	return rc;
}

static int count_clusters(struct wn_store *store, long *clusters, long *duplicates)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"SELECT (SELECT count(*) FROM dedupe_cluster), (SELECT count(*) FROM cluster_member)");
	int step;

	if (!st)
		return WN_ERROR;
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*clusters = sqlite3_column_int(st, 0);
		*duplicates = sqlite3_column_int(st, 1) - *clusters;
	}
	sqlite3_reset(st);
	return step == SQLITE_ROW ? WN_OK : wn_store_fail(store, "cannot count clusters");
}

static int begin_run(struct wn_store *store, const char *method, const char *settings,
		     int64_t *id)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"INSERT INTO dedupe_run (started_at, method, settings) VALUES (?, ?, ?)");
	char now[21];

	if (!st)
		return WN_ERROR;
	wn_utc_now(now);
	wn_bind_text(st, 1, now);
	wn_bind_text(st, 2, method);
	wn_bind_text(st, 3, settings);
	return wn_store_insert(store, st, "cannot start a dedupe run", id);
}

static int finish_run(struct wn_store *store, const struct wn_dedupe_summary *s)
{
	sqlite3_stmt *st = wn_store_prepare(store,
		"UPDATE dedupe_run SET finished_at = ?, pairs_scored = ?, merged = ?, queued = ?, "
		"records_compared = ?, records_new = ?, candidates = ?, related = ? WHERE id = ?");
	char now[21], *details;
	int rc;

	if (!st)
		return WN_ERROR;
	wn_utc_now(now);
	wn_bind_text(st, 1, now);
	sqlite3_bind_int64(st, 2, s->candidates);
	sqlite3_bind_int64(st, 3, s->merged);
	sqlite3_bind_int64(st, 4, s->queued);
	sqlite3_bind_int64(st, 5, s->records);
	sqlite3_bind_int64(st, 6, s->records_new);
	sqlite3_bind_int64(st, 7, s->candidates);
	sqlite3_bind_int64(st, 8, s->related);
	sqlite3_bind_int64(st, 9, s->run_id);
	if ((rc = wn_store_run(store, st, "cannot finish the dedupe run")) < 0)
		return rc;
	details = xasprintf("{\"records\":%ld,\"new\":%ld,\"candidates\":%ld,\"merged\":%ld,"
			    "\"queued\":%ld,\"related\":%ld,\"held_apart\":%ld,\"clusters\":%ld,"
			    "\"duplicates\":%ld}",
			    s->records, s->records_new, s->candidates, s->merged, s->queued,
			    s->related, s->held_apart, s->clusters, s->duplicates);
	rc = wn_audit_append(store, "dedupe", "dedupe_run", s->run_id, details);
	free(details);
	return rc;
}

static void run_release(struct run *r)
{
	for (size_t i = 0; i < r->n; i++)
		wn_profile_release(&r->p[i]);
	free(r->p);
	free(r->preference);
	free(r->human);
	free(r->parent);
	free(r->next);
	free(r->size);
}

/* Judge every candidate pair; keep those that are not plainly different. */
static void judge_pairs(struct run *r, const struct pairs *ps, struct hit **out, size_t *nout)
{
	struct hit *hits = NULL;
	size_t n = 0, cap = 0;

	for (size_t k = 0; k < ps->n; k++) {
		uint32_t i = (uint32_t)(ps->v[k] >> 32), j = (uint32_t)ps->v[k];
		struct hit *h;

		if (k % 100000 == 0)
			progress(r, "comparing", (long)k, (long)ps->n);
		if (human_says(r, r->p[i].id, r->p[j].id) >= 0 ||
		    wn_plainly_different(&r->p[i], &r->p[j]))
			continue; /* a person decided it, or the titles alone do */
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			hits = xrealloc(hits, cap * sizeof(*hits));
		}
		h = &hits[n];
		memset(h, 0, sizeof(*h));
		h->i = i;
		h->j = j;
		wn_evidence_collect(&r->p[i], &r->p[j], &h->evidence);
		if (wn_judge(&r->p[i], &r->p[j], &h->evidence, &r->thresholds, &h->judgement) !=
		    WN_VERDICT_DIFFERENT)
			n++;
	}
	*out = hits;
	*nout = n;
}

int wn_dedupe_run(struct wn_store *store, const struct wn_dedupe_options *opts,
		  struct wn_dedupe_summary *s)
{
	struct run r;
	struct pairs ps = { 0 };
	struct hit *hits = NULL;
	size_t nhits = 0;
	char *settings = NULL;
	int64_t run_id = 0;
	int rc;

	memset(s, 0, sizeof(*s));
	memset(&r, 0, sizeof(r));
	r.store = store;
	r.opts = opts;
	if ((rc = wn_store_begin(store)) < 0)
		return rc;
	r.preference = wn_dedupe_source_preference(store);
	wn_dedupe_load_thresholds(store, &r.thresholds);
	if ((rc = wn_dedupe_find_numbered_issues(store, &r.numbered_issue_files)) < 0)
		goto done;
	settings = settings_json(&r);
	if ((rc = begin_run(store, METHOD, settings, &run_id)) < 0 ||
	    (rc = load_profiles(&r)) < 0 || (rc = load_human(&r)) < 0)
		goto done;
	s->run_id = run_id;
	s->records = (long)r.n;
	for (size_t i = 0; i < r.n; i++)
		s->records_new += r.p[i].is_new;

	progress(&r, "blocking", 0, 0);
	block(&r, &ps);
	s->candidates = (long)ps.n;
	judge_pairs(&r, &ps, &hits, &nhits);

	/* clusters as they stand, then the new duplicates, strongest first */
	r.parent = xmalloc((r.n ? r.n : 1) * sizeof(uint32_t));
	r.next = xmalloc((r.n ? r.n : 1) * sizeof(uint32_t));
	r.size = xmalloc((r.n ? r.n : 1) * sizeof(uint32_t));
	for (uint32_t i = 0; i < r.n; i++) {
		r.parent[i] = r.next[i] = i;
		r.size[i] = 1;
	}
	{
		/* records of one stored cluster: join each to the first seen */
		struct cluster_index *seen;
		size_t nseen = 0;

		seen = xmalloc((r.n ? r.n : 1) * sizeof(*seen));
		for (uint32_t i = 0; i < r.n; i++)
			if (r.p[i].cluster) {
				seen[nseen].cluster = r.p[i].cluster;
				seen[nseen++].idx = i;
			}
		if (nseen > 1)
			qsort(seen, nseen, sizeof(*seen), cluster_cmp);
		for (size_t k = 1; k < nseen; k++)
			if (seen[k].cluster == seen[k - 1].cluster)
				join(&r, seen[k - 1].idx, seen[k].idx);
		free(seen);
	}
	if (nhits > 1)
		qsort(hits, nhits, sizeof(*hits), hit_cmp);
	for (size_t k = 0; k < nhits; k++) {
		struct hit *h = &hits[k];
		const char *why;

		switch (h->judgement.verdict) {
		case WN_VERDICT_DUPLICATE:
			if (find(&r, h->i) == find(&r, h->j)) {
				s->merged++;
				break;
			}
			why = conflict(&r, h->i, h->j);
			if (why) {
				h->held_apart = why;
				s->held_apart++;
				s->queued++;
			} else {
				join(&r, h->i, h->j);
				s->merged++;
			}
			break;
		case WN_VERDICT_REVIEW: break; /* counted once clusters are known */
		case WN_VERDICT_RELATED: s->related++; break;
		case WN_VERDICT_DIFFERENT: break;
		}
	}
	/* a doubtful pair whose records ended up in one cluster through other
	 * pairs is settled: it is recorded with the cluster, not queued */
	for (size_t k = 0; k < nhits; k++) {
		struct hit *h = &hits[k];

		if (h->judgement.verdict == WN_VERDICT_REVIEW && !h->held_apart) {
			if (find(&r, h->i) == find(&r, h->j))
				h->settled = 1;
			else
				s->queued++;
		}
	}
	progress(&r, "storing", 0, (long)nhits);
	if ((rc = store_hits(&r, run_id, hits, nhits)) < 0 || (rc = store_clusters(&r)) < 0 ||
	    (rc = mark_seen(&r, run_id)) < 0 ||
	    (rc = count_clusters(store, &s->clusters, &s->duplicates)) < 0 ||
	    (rc = finish_run(store, s)) < 0)
		goto done;
	rc = wn_store_commit(store);
done:
	if (rc < 0)
		wn_store_rollback(store);
	free(ps.v);
	free(hits);
	free(settings);
	run_release(&r);
	return rc;
}
