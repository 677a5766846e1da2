/*
 * The relevance model of prioritised screening (include/winnow/rank.h):
 * TF-IDF features in a compressed sparse row matrix, and a multinomial
 * naive Bayes classifier kept as the sum of each class's vectors, so that
 * a new label costs the record's non-zero features and a new ranking one
 * pass over the matrix.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "util.h"
#include "winnow/rank.h"

/* The text as it comes in: (document, term, count) for each word met,
 * in one list, sorted out by document in wn_rank_finish. */
struct building {
	uint32_t *doc, *term;
	float *count;
	size_t n, cap;
};

/* The words met, by hash: each slot's hash, the word's place in one
 * buffer of all the words, its length and its feature id (0 in `len`
 * marks an empty slot: no word is empty). */
struct vocab_slot {
	uint64_t hash;
	size_t at;
	uint32_t len, id;
};

struct vocab {
	struct vocab_slot *slots;
	struct wn_buf words;
	/* cap: a power of two, at most half full of the nwords words;
	 * n: the features, words and pairs */
	size_t cap, nwords, n;
	/* pairs of words, by their two ids (+1, so that 0 marks an empty
	 * slot): the same feature ids as the words */
	struct pair_slot {
		uint64_t key;
		uint32_t id;
	} *pairs;
	size_t pair_cap, npairs;
};

struct wn_rank {
	struct wn_rank_settings set;
	size_t n;
	struct building in;
	int finished;
	/* one text's words while it is added: folded, with where each starts,
	 * its length, hash and id */
	struct wn_buf folded;
	struct word_at {
		uint64_t hash;
		uint32_t at, len, id;
	} *words;
	size_t words_cap;
	struct vocab vocab;
	/* the TF-IDF matrix */
	size_t *rowptr;
	uint32_t *col;
	float *val;
	size_t nfeatures;
	double *rowsum;     /* each document's vector's sum, every feature */
	/* the classifier: each class's summed vectors */
	double *sum[2], total[2];
	/* the features some labelled document has: the only ones whose
	 * weight is not the same for all (see fit) */
	unsigned char *active;
	uint32_t *active_list;
	size_t nactive;
	/* The model as last fitted: its class weights, and each document's
	 * sum of weighted features (partial), kept up to date label by label
	 * while the class weights stand; refitted when a class has grown by
	 * 5% (or by one, while small). The features by column, to reach the
	 * documents that have one. */
	int live;
	double w1, w0;
	size_t fit_count[2];
	double *partial;
	size_t *colptr;
	uint32_t *rowidx;
	float *cval;
	size_t count[2];
	signed char *label; /* -1 until labelled */
	double *tie;        /* the seeded order, in [0, 1) */
	double *weight;     /* per feature: log P(w|relevant) - log P(w|not) */
};

/* The model's arrays. On a virtual machine a page fault cost 11 us, so
 * the 4 KiB pages of a simulation's 60 MB were half its time: an array
 * of 256 KiB or more is mapped apart, on a 2 MiB boundary, with
 * transparent huge pages asked for (one fault per 2 MiB where the system
 * gives them). Smaller ones come from calloc. A header before each says
 * which, and how much room it has: an array grows in place while the
 * room lasts. All come zeroed. */
enum { BIG_PAGE = 2 << 20, BIG_MAPPED = 256 << 10, BIG_HEAD = 64 };

struct big_head {
	void *map;   /* the mapping, or NULL for calloc's */
	size_t room; /* bytes after the header */
};

static void *big(size_t n, size_t size)
{
	size_t bytes = (n ? n : 1) * size, len, want;
	struct big_head *h;
	char *base, *at;

	/* the product, and the header and page rounding after it, in range */
	if ((size && bytes / size != (n ? n : 1)) || bytes > SIZE_MAX / 2)
		wn_out_of_memory(SIZE_MAX);
	if (bytes < BIG_MAPPED) {
		h = xcalloc(1, BIG_HEAD + bytes);
		h->map = NULL;
		h->room = bytes;
		return (char *)h + BIG_HEAD;
	}
	want = (BIG_HEAD + bytes + BIG_PAGE - 1) & ~(size_t)(BIG_PAGE - 1);
	len = want + BIG_PAGE;
	base = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		wn_out_of_memory(bytes);
	/* keep the aligned part, give back the rest */
	at = (char *)(((uintptr_t)base + BIG_PAGE - 1) & ~(uintptr_t)(BIG_PAGE - 1));
	if (at > base)
		(void)munmap(base, (size_t)(at - base));
	if (base + len > at + want)
		(void)munmap(at + want, (size_t)(base + len - (at + want)));
	(void)madvise(at, want, MADV_HUGEPAGE);
	h = (struct big_head *)at;
	h->map = at;
	h->room = want - BIG_HEAD;
	return at + BIG_HEAD;
}

static void big_free(void *p)
{
	struct big_head *h;

	if (!p)
		return;
	h = (struct big_head *)((char *)p - BIG_HEAD);
	if (h->map)
		(void)munmap(h->map, h->room + BIG_HEAD);
	else
		free(h);
}

/* Room for n; what was there is kept. */
static void *big_grow(void *p, size_t n, size_t size)
{
	const struct big_head *h = p ? (const struct big_head *)((char *)p - BIG_HEAD) : NULL;
	void *q;

	if (h && (!size || n <= h->room / size))
		return p;
	q = big(n, size);
	if (h)
		memcpy(q, p, h->room);
	big_free(p);
	return q;
}

void wn_rank_defaults(struct wn_rank_settings *s)
{
	/* Chosen on the four labelled datasets of `make bench` (mean WSS@95
	 * over 10 seeds, each against ASReview's default): bigrams, a title's
	 * words twice and sublinear counts help on three. The smoothing is
	 * light because the pairs make ten times ASReview's features (it
	 * uses 3.822 on words alone): the mass it adds to each class is of
	 * the same order. Lighter still helps the set whose relevant records
	 * share few words (Bannach-Brown: 25.9% at 1.0, 48.2% at 0.15) and
	 * costs the others; 0.15 keeps all four well ahead. English stop
	 * words, which ASReview leaves out, cost 8 to 20 points on two sets
	 * here, so they stay in. */
	s->alpha = 0.15;
	s->title_weight = 2;
	s->bigrams = 1;
	s->sublinear_tf = 1;
	s->seed = 1;
}

char *wn_rank_describe(const struct wn_rank_settings *s)
{
	return xasprintf("naive-bayes tfidf alpha=%g title=%d bigrams=%s sublinear=%s seed=%llu",
			 s->alpha, s->title_weight, s->bigrams ? "yes" : "no",
			 s->sublinear_tf ? "yes" : "no", (unsigned long long)s->seed);
}

struct wn_rank *wn_rank_new(size_t n, const struct wn_rank_settings *s)
{
	struct wn_rank *r = xcalloc(1, sizeof(*r));

	r->set = *s;
	r->n = n;
	r->label = big(n, 1);
	memset(r->label, -1, n);
	r->tie = big(n, sizeof(*r->tie));
	for (size_t i = 0; i < n; i++)
		r->tie[i] = (double)(wn_splitmix64(s->seed * 0x100000001b3ULL + i) >> 11) * 0x1.0p-53;
	r->vocab.cap = 1024;
	r->vocab.slots = big(r->vocab.cap, sizeof(*r->vocab.slots));
	r->vocab.words = (struct wn_buf)WN_BUF_INIT;
	return r;
}

static uint64_t fnv(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	return h;
}

static void vocab_grow(struct vocab *v)
{
	size_t cap = v->cap * 2;
	struct vocab_slot *slots = big(cap, sizeof(*slots));

	for (size_t i = 0; i < v->cap; i++) {
		size_t j;

		if (!v->slots[i].len)
			continue;
		j = v->slots[i].hash & (cap - 1);
		while (slots[j].len)
			j = (j + 1) & (cap - 1);
		slots[j] = v->slots[i];
	}
	big_free(v->slots);
	v->slots = slots;
	v->cap = cap;
}

static uint32_t vocab_id(struct vocab *v, const char *word, size_t len, uint64_t h)
{
	size_t j;

	if (2 * (v->nwords + 1) > v->cap)
		vocab_grow(v);
	for (j = h & (v->cap - 1); v->slots[j].len; j = (j + 1) & (v->cap - 1)) {
		const struct vocab_slot *e = &v->slots[j];

		if (e->hash == h && e->len == len && !memcmp(v->words.data + e->at, word, len))
			return e->id;
	}
	v->slots[j].hash = h;
	v->slots[j].at = v->words.len;
	v->slots[j].len = (uint32_t)len;
	v->slots[j].id = (uint32_t)v->n++;
	v->nwords++;
	wn_buf_add(&v->words, word, len);
	return v->slots[j].id;
}

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

static void pairs_grow(struct vocab *v)
{
	size_t cap = v->pair_cap ? v->pair_cap * 2 : 4096;
	struct pair_slot *slots = big(cap, sizeof(*slots));

	for (size_t i = 0; i < v->pair_cap; i++) {
		size_t j;

		if (!v->pairs[i].key)
			continue;
		for (j = mix64(v->pairs[i].key) & (cap - 1); slots[j].key; j = (j + 1) & (cap - 1))
			;
		slots[j] = v->pairs[i];
	}
	big_free(v->pairs);
	v->pairs = slots;
	v->pair_cap = cap;
}

static uint32_t pair_id(struct vocab *v, uint32_t first, uint32_t second)
{
	uint64_t key = ((uint64_t)first << 32 | second) + 1;
	size_t j;

	if (2 * (v->npairs + 1) > v->pair_cap)
		pairs_grow(v);
	for (j = mix64(key) & (v->pair_cap - 1); v->pairs[j].key; j = (j + 1) & (v->pair_cap - 1))
		if (v->pairs[j].key == key)
			return v->pairs[j].id;
	v->pairs[j].key = key;
	v->pairs[j].id = (uint32_t)v->n++;
	v->npairs++;
	return v->pairs[j].id;
}

static void add_term(struct building *in, size_t doc, uint32_t term, int weight)
{
	if (in->n == in->cap) {
		in->cap = in->cap ? 2 * in->cap : 4096;
		in->doc = big_grow(in->doc, in->cap, sizeof(*in->doc));
		in->term = big_grow(in->term, in->cap, sizeof(*in->term));
		in->count = big_grow(in->count, in->cap, sizeof(*in->count));
	}
	in->doc[in->n] = (uint32_t)doc;
	in->term[in->n] = term;
	in->count[in->n++] = (float)weight;
}

/* Words as scikit-learn's default finds them: runs of two or more letters
 * or digits, folded to lower case (bytes beyond ASCII count as letters). */
static int word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c >= 0x80;
}

/* Ask for a table's slot before it is needed: the words' and the pairs'
 * tables are larger than the caches, and a text's lookups are known ahead,
 * so their misses overlap instead of following one another. */
#define AHEAD 8

void wn_rank_add_text(struct wn_rank *r, size_t doc, const char *text, int weight)
{
	struct vocab *v = &r->vocab;
	size_t n = 0;

	if (!text || doc >= r->n || r->finished || weight <= 0)
		return;
	/* the words, folded, and their hashes */
	r->folded.len = 0;
	for (const char *p = text; *p;) {
		const char *start;
		size_t len;

		while (*p && !word_byte((unsigned char)*p))
			p++;
		start = p;
		while (*p && word_byte((unsigned char)*p))
			p++;
		len = (size_t)(p - start);
		if (len < 2)
			continue;
		if (len > 256)
			len = 256; /* a "word" that long is not one: its start will do */
		if (n == r->words_cap) {
			r->words_cap = r->words_cap ? 2 * r->words_cap : 256;
			r->words = xrealloc(r->words, r->words_cap * sizeof(*r->words));
		}
		r->words[n].at = (uint32_t)r->folded.len;
		r->words[n].len = (uint32_t)len;
		for (size_t i = 0; i < len; i++)
			wn_buf_addc(&r->folded, (char)((start[i] >= 'A' && start[i] <= 'Z')
						       ? start[i] + 32 : start[i]));
		r->words[n].hash = fnv(r->folded.data + r->words[n].at, len);
		n++;
	}
	for (size_t i = 0; i < n; i++) {
		if (i + AHEAD < n)
			__builtin_prefetch(&v->slots[r->words[i + AHEAD].hash & (v->cap - 1)]);
		r->words[i].id = vocab_id(v, r->folded.data + r->words[i].at, r->words[i].len,
					  r->words[i].hash);
		add_term(&r->in, doc, r->words[i].id, weight);
	}
	for (size_t i = 1; r->set.bigrams && i < n; i++) {
		if (i + AHEAD < n && v->pair_cap) {
			uint64_t key = ((uint64_t)r->words[i + AHEAD - 1].id << 32 |
					r->words[i + AHEAD].id) + 1;

			__builtin_prefetch(&v->pairs[mix64(key) & (v->pair_cap - 1)]);
		}
		add_term(&r->in, doc, pair_id(v, r->words[i - 1].id, r->words[i].id), weight);
	}
}

void wn_rank_finish(struct wn_rank *r)
{
	size_t nnz = 0, *df, *stamp, *pos, *start, *len;
	uint32_t *term;
	float *count;
	double *idf;

	r->finished = 1;
	r->nfeatures = r->vocab.n;
	df = big(r->nfeatures + 1, sizeof(*df));
	r->rowptr = big(r->n + 1, sizeof(*r->rowptr));
	/* the words by document (a counting sort), then each document's
	 * repeated terms merged in place: where each term of the document
	 * went (stamp: the document that last had it) */
	start = big(r->n + 1, sizeof(*start));
	len = big(r->n + 1, sizeof(*len));
	for (size_t i = 0; i < r->in.n; i++)
		start[r->in.doc[i] + 1]++;
	for (size_t d = 0; d < r->n; d++)
		start[d + 1] += start[d];
	term = big(r->in.n, sizeof(*term));
	count = big(r->in.n, sizeof(*count));
	for (size_t i = 0; i < r->in.n; i++) {
		size_t at = start[r->in.doc[i]] + len[r->in.doc[i]]++;

		term[at] = r->in.term[i];
		count[at] = r->in.count[i];
	}
	big_free(r->in.doc);
	big_free(r->in.term);
	big_free(r->in.count);
	memset(&r->in, 0, sizeof(r->in));
	wn_buf_release(&r->folded);
	free(r->words);
	r->words = NULL;
	stamp = big(r->nfeatures + 1, sizeof(*stamp));
	pos = big(r->nfeatures + 1, sizeof(*pos));
	memset(stamp, 0xff, (r->nfeatures + 1) * sizeof(*stamp));
	for (size_t d = 0; d < r->n; d++) {
		uint32_t *t = term + start[d];
		float *c = count + start[d];
		size_t m = 0;

		for (size_t i = 0; i < len[d]; i++) {
			uint32_t id = t[i];
			float ci = c[i];

			if (stamp[id] == d) {
				c[pos[id]] += ci;
			} else {
				stamp[id] = d;
				pos[id] = m;
				t[m] = id;
				c[m++] = ci;
			}
		}
		len[d] = m;
		nnz += m;
		for (size_t i = 0; i < m; i++)
			df[t[i]]++;
	}
	/* smooth idf, as scikit-learn: ln((1 + n) / (1 + df)) + 1 */
	idf = big(r->nfeatures + 1, sizeof(*idf));
	for (size_t j = 0; j < r->nfeatures; j++)
		idf[j] = log((1.0 + (double)r->n) / (1.0 + (double)df[j])) + 1.0;
	r->rowsum = big(r->n + 1, sizeof(*r->rowsum));
	r->col = big(nnz, sizeof(*r->col));
	r->val = big(nnz, sizeof(*r->val));
	nnz = 0;
	for (size_t d = 0; d < r->n; d++) {
		const uint32_t *t = term + start[d];
		const float *c = count + start[d];
		double norm = 0;

		r->rowptr[d] = nnz;
		for (size_t i = 0; i < len[d]; i++) {
			double tf = c[i];
			double v = (r->set.sublinear_tf ? 1.0 + log(tf) : tf) * idf[t[i]];

			r->col[nnz + i] = t[i];
			r->val[nnz + i] = (float)v;
			norm += v * v;
		}
		norm = sqrt(norm);
		r->rowsum[d] = 0;
		for (size_t i = 0; i < len[d] && norm > 0; i++) {
			r->val[nnz + i] = (float)(r->val[nnz + i] / norm);
			r->rowsum[d] += r->val[nnz + i];
		}
		/* a word of this document alone weighs the same in every
		 * ranking while the document is unlabelled, and is in no other
		 * document's score: its share is in rowsum, not in the matrix */
		{
			size_t kept = 0;

			for (size_t i = 0; i < len[d]; i++)
				if (df[t[i]] > 1) {
					r->col[nnz + kept] = r->col[nnz + i];
					r->val[nnz + kept++] = r->val[nnz + i];
				}
			nnz += kept;
		}
	}
	r->rowptr[r->n] = nnz;
	big_free(stamp);
	big_free(pos);
	big_free(start);
	big_free(len);
	big_free(term);
	big_free(count);
	big_free(df);
	big_free(idf);
	for (int c = 0; c < 2; c++)
		r->sum[c] = big(r->nfeatures + 1, sizeof(*r->sum[c]));
	r->weight = big(r->nfeatures + 1, sizeof(*r->weight));
	r->active = big(r->nfeatures + 1, 1);
	r->partial = big(r->n + 1, sizeof(*r->partial));
	r->colptr = big(r->nfeatures + 2, sizeof(*r->colptr));
	r->rowidx = big(nnz, sizeof(*r->rowidx));
	r->cval = big(nnz, sizeof(*r->cval));
	for (size_t i = 0; i < nnz; i++)
		r->colptr[r->col[i] + 1]++;
	for (size_t j = 0; j < r->nfeatures; j++)
		r->colptr[j + 1] += r->colptr[j];
	{
		size_t *fill = big(r->nfeatures + 1, sizeof(*fill));

		memcpy(fill, r->colptr, (r->nfeatures + 1) * sizeof(*fill));
		for (size_t d = 0; d < r->n; d++)
			for (size_t i = r->rowptr[d]; i < r->rowptr[d + 1]; i++) {
				r->rowidx[fill[r->col[i]]] = (uint32_t)d;
				r->cval[fill[r->col[i]]++] = r->val[i];
			}
		big_free(fill);
	}
	r->active_list = big(r->nfeatures + 1, sizeof(*r->active_list));
	big_free(r->vocab.slots);
	wn_buf_release(&r->vocab.words);
	big_free(r->vocab.pairs);
	memset(&r->vocab, 0, sizeof(r->vocab));
}

void wn_rank_free(struct wn_rank *r)
{
	if (!r)
		return;
	big_free(r->in.doc);
	big_free(r->in.term);
	big_free(r->in.count);
	wn_buf_release(&r->folded);
	free(r->words);
	big_free(r->vocab.slots);
	wn_buf_release(&r->vocab.words);
	big_free(r->vocab.pairs);
	big_free(r->rowptr);
	big_free(r->col);
	big_free(r->val);
	big_free(r->sum[0]);
	big_free(r->sum[1]);
	big_free(r->label);
	big_free(r->tie);
	big_free(r->weight);
	big_free(r->rowsum);
	big_free(r->partial);
	big_free(r->colptr);
	big_free(r->rowidx);
	big_free(r->cval);
	big_free(r->active);
	big_free(r->active_list);
	free(r);
}

static void add_doc(struct wn_rank *r, size_t doc, int c, double sign)
{
	for (size_t i = r->rowptr[doc]; i < r->rowptr[doc + 1]; i++) {
		uint32_t j = r->col[i];

		r->sum[c][j] += sign * r->val[i];
		if (!r->active[j]) {
			r->active[j] = 1;
			r->active_list[r->nactive++] = j;
		}
	}
	r->total[c] += sign * r->rowsum[doc];
	r->count[c] = (size_t)((long)r->count[c] + (sign > 0 ? 1 : -1));
}

static double feature_weight(const struct wn_rank *r, uint32_t j)
{
	double s1 = r->sum[1][j], s0 = r->sum[0][j], a = r->set.alpha;

	/* log(w1 s1 + a) - log(w0 s0 + a), as one log: this is most of a
	 * refit's time */
	return log((r->w1 * s1 + a) / (r->w0 * s0 + a));
}

/* Whether a class has grown enough since the fit for its weight to be
 * worked out again. */
static int stale(const struct wn_rank *r)
{
	for (int c = 0; c < 2; c++) {
		size_t grown = r->fit_count[c] / 20;

		if (r->count[c] >= r->fit_count[c] + (grown ? grown : 1))
			return 1;
	}
	return 0;
}

void wn_rank_label(struct wn_rank *r, size_t doc, int relevant)
{
	int c = relevant ? 1 : 0;

	if (doc >= r->n || !r->rowptr || r->label[doc] == c)
		return;
	if (r->label[doc] >= 0) {
		add_doc(r, doc, r->label[doc], -1);
		r->live = 0;
	}
	add_doc(r, doc, c, 1);
	r->label[doc] = (signed char)c;
	if (!r->live || stale(r)) {
		r->live = 0;
		return;
	}
	/* the document's features weigh anew, and so do the documents that
	 * have them */
	for (size_t i = r->rowptr[doc]; i < r->rowptr[doc + 1]; i++) {
		uint32_t j = r->col[i];
		double w = feature_weight(r, j), delta = w - r->weight[j];

		r->weight[j] = w;
		for (size_t k = r->colptr[j]; k < r->colptr[j + 1] && delta != 0; k++)
			r->partial[r->rowidx[k]] += r->cval[k] * delta;
	}
}

int wn_rank_ready(const struct wn_rank *r)
{
	return r->count[0] > 0 && r->count[1] > 0;
}

size_t wn_rank_labelled(const struct wn_rank *r, int relevant)
{
	return r->count[relevant ? 1 : 0];
}

size_t wn_rank_features(const struct wn_rank *r)
{
	return r->nfeatures;
}

/* The weight of each class, as the expectation of ASReview's "double"
 * balance: the relevant records are sampled up as their share falls, the
 * others down a little as the reviewed grow, in a training set of the
 * same size. */
static void class_weights(const struct wn_rank *r, double *w1, double *w0)
{
	double n1 = (double)r->count[1], n0 = (double)r->count[0], n = n1 + n0;
	double one = 2.155 * pow(n1 / n0, -0.94);
	double zero = 1.0 - (1.0 - 0.789) * pow(1.0 + log(n), -1.0);
	double train1 = one * n1 * n / (one * n1 + zero * n0);

	if (train1 > n - 2)
		train1 = n - 2;
	if (train1 < 1)
		train1 = 1;
	*w1 = train1 / n1;
	*w0 = (n - train1) / n0;
}

/* A document's vector times the weights: four sums, so that each add
 * need not wait for the one before (this is most of a refit). */
static double row_dot(const struct wn_rank *r, size_t d)
{
	const uint32_t *col = r->col;
	const float *val = r->val;
	const double *w = r->weight;
	double s[4] = { 0, 0, 0, 0 };
	size_t i = r->rowptr[d], end = r->rowptr[d + 1];

	for (; i + 4 <= end; i += 4) {
		s[0] += val[i] * w[col[i]];
		s[1] += val[i + 1] * w[col[i + 1]];
		s[2] += val[i + 2] * w[col[i + 2]];
		s[3] += val[i + 3] * w[col[i + 3]];
	}
	for (; i < end; i++)
		s[0] += val[i] * w[col[i]];
	return (s[0] + s[1]) + (s[2] + s[3]);
}

/* The weights: a feature's is log P(w|relevant) - log P(w|not), that is
 * log(w1 s1 + a) - log(w0 s0 + a) - (t1 - t0); for a feature no labelled
 * document has, s1 = s0 = 0 and it is t0 - t1 whatever the feature. So
 * only the active features get a weight (the rest 0), and a document's
 * score adds (t0 - t1) times its vector's sum: *offset. Returns the
 * prior log odds, the same for every document. */
static double fit(struct wn_rank *r, double *offset)
{
	double a = r->set.alpha, v = (double)r->nfeatures;

	if (!r->live) {
		class_weights(r, &r->w1, &r->w0);
		for (size_t k = 0; k < r->nactive; k++)
			r->weight[r->active_list[k]] = feature_weight(r, r->active_list[k]);
		/* a labelled document's score is never asked for: not kept */
		for (size_t d = 0; d < r->n; d++)
			if (r->label[d] < 0)
				r->partial[d] = row_dot(r, d);
		r->fit_count[0] = r->count[0];
		r->fit_count[1] = r->count[1];
		r->live = 1;
	}
	*offset = log(r->w0 * r->total[0] + a * v) - log(r->w1 * r->total[1] + a * v);
	return log(r->w1 * (double)r->count[1]) - log(r->w0 * (double)r->count[0]);
}

static double score(const struct wn_rank *r, size_t d, double prior, double offset)
{
	return prior + offset * r->rowsum[d] + r->partial[d];
}

void wn_rank_scores(struct wn_rank *r, double *scores)
{
	double prior, offset;

	if (!wn_rank_ready(r)) {
		for (size_t d = 0; d < r->n; d++)
			scores[d] = -r->tie[d];
		return;
	}
	prior = fit(r, &offset);
	for (size_t d = 0; d < r->n; d++)
		scores[d] = r->label[d] >= 0 ? -HUGE_VAL : score(r, d, prior, offset);
}

static const double *sort_scores;
static const double *sort_tie;

static int best_first(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	if (sort_scores[x] != sort_scores[y])
		return sort_scores[x] > sort_scores[y] ? -1 : 1;
	return sort_tie[x] < sort_tie[y] ? -1 : sort_tie[x] > sort_tie[y];
}

size_t wn_rank_order(struct wn_rank *r, const unsigned char *skip, size_t *order)
{
	double *scores = xmalloc((r->n ? r->n : 1) * sizeof(*scores));
	size_t m = 0;

	wn_rank_scores(r, scores);
	for (size_t d = 0; d < r->n; d++)
		if (r->label[d] < 0 && !(skip && skip[d]))
			order[m++] = d;
	sort_scores = scores;
	sort_tie = r->tie;
	qsort(order, m, sizeof(*order), best_first);
	free(scores);
	return m;
}

size_t wn_rank_best(struct wn_rank *r, const unsigned char *skip)
{
	double best = -HUGE_VAL, prior, offset;
	size_t found = (size_t)-1;

	if (!wn_rank_ready(r)) {
		for (size_t d = 0; d < r->n; d++)
			if (r->label[d] < 0 && !(skip && skip[d]) &&
			    (found == (size_t)-1 || r->tie[d] < r->tie[found]))
				found = d;
		return found;
	}
	prior = fit(r, &offset);
	for (size_t d = 0; d < r->n; d++) {
		double s;

		if (r->label[d] >= 0 || (skip && skip[d]))
			continue;
		s = score(r, d, prior, offset);
		if (found == (size_t)-1 || s > best || (s == best && r->tie[d] < r->tie[found])) {
			best = s;
			found = d;
		}
	}
	return found;
}

/* log C(n, k) */
static double log_choose(long n, long k)
{
	return lgamma((double)n + 1) - lgamma((double)k + 1) - lgamma((double)(n - k) + 1);
}

double wn_hypergeom_cdf(long k, long N, long K, long n)
{
	long lo = n - (N - K) > 0 ? n - (N - K) : 0, hi = k < K ? k : K;
	double total = 0, base;

	if (K < 0 || K > N || n < 0 || n > N)
		return NAN;
	if (hi > n)
		hi = n;
	if (k < lo)
		return 0;
	base = log_choose(N, n);
	for (long i = lo; i <= hi; i++)
		total += exp(log_choose(K, i) + log_choose(N - K, n - i) - base);
	return total > 1 ? 1 : total;
}

/* The test's p for `found` of `drawn`, given K relevant left (NAN when K
 * cannot be: fewer unseen places than it needs). */
static double p_for(const struct wn_stop_test *t, long drawn, long K)
{
	/* the drawn irrelevant ones leave at most remaining - (drawn - found) */
	if (K > t->remaining - (drawn - t->found))
		return 0;
	return wn_hypergeom_cdf(t->found, t->remaining, K, drawn);
}

void wn_stop_test_run(struct wn_stop_test *t)
{
	double alpha = 1 - t->confidence;
	long seen = t->seen_before + t->found + t->found_outside;
	double k = floor((double)seen / t->target - (double)t->seen_before) + 1;

	/* more than the remaining could hold is as good as any more */
	t->k_tar = k > (double)t->remaining + 1 ? t->remaining + 1 : (long)k;
	if (t->k_tar < t->found + t->found_outside + 1)
		t->k_tar = t->found + t->found_outside + 1;
	/* 1 with nothing drawn, unless the remaining cannot hold K_tar */
	t->p = p_for(t, t->drawn, t->k_tar);
	t->met = t->p < alpha;
}

void wn_stop_test_bounds(struct wn_stop_test *t)
{
	double alpha = 1 - t->confidence;
	long seen = t->seen_before + t->found + t->found_outside, lo, hi;

	wn_stop_test_run(t);
	/* the most relevant records the remaining could still hold: the
	 * largest K not rejected (p falls as K grows, so by halving) */
	for (lo = t->found, hi = t->remaining; lo < hi;) {
		long mid = lo + (hi - lo + 1) / 2;

		if (p_for(t, t->drawn, mid) >= alpha)
			lo = mid;
		else
			hi = mid - 1;
	}
	{
		/* of the lo relevant the remaining may hold, those found */
		long unseen = lo - t->found - t->found_outside;

		if (unseen < 0)
			unseen = 0;
		t->recall_low = seen + unseen > 0 ? (double)seen / (double)(seen + unseen) : 1;
	}
	t->more = 0;
	if (!t->met) {
		/* the fewest draws, none relevant, that reject K_tar (p falls
		 * as draws grow), or -1 when even all of them would not */
		for (lo = t->drawn + 1, hi = t->remaining + 1; lo < hi;) {
			long mid = lo + (hi - lo) / 2;

			if (p_for(t, mid, t->k_tar) < alpha)
				hi = mid;
			else
				lo = mid + 1;
		}
		t->more = lo <= t->remaining ? lo - t->drawn : -1;
	}
}
