/*
 * Internal helpers shared by every part of libwinnow: error reporting,
 * allocation that aborts on exhaustion, a growable string buffer, hashing and
 * time stamps. Not installed; cmd/ uses the public headers only.
 */
#ifndef WINNOW_UTIL_H
#define WINNOW_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#endif

#include "winnow/winnow.h"

#if defined(__GNUC__)
#define WN_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define WN_NORETURN __attribute__((noreturn))
#else
#define WN_PRINTF(f, a)
#define WN_NORETURN
#endif

/* Record a failure for wn_error_last(); returns `code` so callers can
 * `return wn_error_set(WN_EINVALID, ...)`. */
int wn_error_set(int code, const char *fmt, ...) WN_PRINTF(2, 3);
void wn_error_clear(void);

/* Allocation: a review tool cannot do anything useful without memory, so
 * these print one line and abort rather than make every caller check. */
/* The line and the abort, for allocators of their own. */
WN_NORETURN void wn_out_of_memory(size_t n);
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) WN_PRINTF(1, 2);
/* a + sep + b, newly allocated (without xasprintf's two formatting passes). */
char *wn_join(const char *a, const char *sep, const char *b);

/* Growable NUL-terminated byte buffer. WN_BUF_INIT allocates nothing. */
struct wn_buf {
	char *data;
	size_t len;
	size_t cap;
};
#define WN_BUF_INIT { NULL, 0, 0 }

void wn_buf_grow(struct wn_buf *b, size_t extra);
void wn_buf_adds(struct wn_buf *b, const char *s);
void wn_buf_addf(struct wn_buf *b, const char *fmt, ...) WN_PRINTF(2, 3);
void wn_buf_reset(struct wn_buf *b);
/* A number in decimal, without printf: hashing serialises millions. */
void wn_buf_add_uint(struct wn_buf *b, unsigned long long v);
/* wn_buf_add and wn_buf_addc are inline: parsers call them for every
 * run of text and for single characters. */
static inline void wn_buf_add(struct wn_buf *b, const void *data, size_t len)
{
	if (b->len + len + 1 > b->cap)
		wn_buf_grow(b, len);
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

static inline void wn_buf_addc(struct wn_buf *b, char c)
{
	if (b->len + 2 > b->cap)
		wn_buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

/* Hand the contents to the caller (free() them); the buffer is empty after. */
char *wn_buf_detach(struct wn_buf *b);
void wn_buf_release(struct wn_buf *b);
/* The contents, or "" for a buffer that never grew. */
const char *wn_buf_str(const struct wn_buf *b);

/* For parsers (record.c): wn_strlist_add and wn_record_add_extra for a
 * value the caller allocated and hands over, saving a copy. */
struct wn_strlist;
struct wn_record;
void wn_strlist_take(struct wn_strlist *list, char *value);
void wn_record_take_extra(struct wn_record *rec, const char *tag, char *value);

/* SHA-256 (OpenSSL's, fetched once) for code that hashes incrementally. */
struct evp_md_st;
const struct evp_md_st *wn_sha256_md(void);

/* SHA-256 of `len` bytes as 64 lower-case hex digits plus NUL. */
/* Put n items of `size` bytes in a random order fixed by the seed
 * (Fisher-Yates, SplitMix64). */
void wn_shuffle(void *items, size_t n, size_t size, uint64_t seed);

/* qsort/bsearch order of long long ids. */
int wn_cmp_id(const void *a, const void *b);

/* SplitMix64: a seed and an index into a well-mixed 64-bit number, for
 * orders that one seed fixes. */
uint64_t wn_splitmix64(uint64_t x);

void wn_sha256_hex(const void *data, size_t len, char out[65]);

/* Current UTC time as ISO 8601 "YYYY-MM-DDTHH:MM:SSZ". */
void wn_utc_now(char out[21]);

/* ASCII whitespace: space, tab, newline, carriage return, form feed, VT. */
static inline int wn_is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The index of the first byte of s[0..n) that is a, b, c or d (repeat one
 * to look for fewer), or n: for parsers that copy text in runs up to the
 * next character that means something. Inline, so that the compiler can
 * drop the repeated tests; 16 bytes a step where it offers SSE2. */
static inline size_t wn_scan4(const char *s, size_t n, char a, char b, char c, char d)
{
	size_t i = 0;

#if defined(__SSE2__) && defined(__GNUC__)
	const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b);
	const __m128i vc = _mm_set1_epi8(c), vd = _mm_set1_epi8(d);

	for (; i + 16 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)),
					   _mm_or_si128(_mm_cmpeq_epi8(v, vc), _mm_cmpeq_epi8(v, vd)));
		unsigned mask = (unsigned)_mm_movemask_epi8(hit);

		if (mask)
			return i + (size_t)__builtin_ctz(mask);
	}
	if (i < n) {
		/* the last few bytes through a padded copy, the padding
		 * masked off */
		char pad[16] = { 0 };
		__m128i v, hit;
		unsigned mask;

		memcpy(pad, s + i, n - i);
		v = _mm_loadu_si128((const __m128i *)(const void *)pad);
		hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)),
				   _mm_or_si128(_mm_cmpeq_epi8(v, vc), _mm_cmpeq_epi8(v, vd)));
		mask = (unsigned)_mm_movemask_epi8(hit) & ((1u << (n - i)) - 1);
		return mask ? i + (size_t)__builtin_ctz(mask) : n;
	}
	return n;
#else
	for (; i < n; i++)
		if (s[i] == a || s[i] == b || s[i] == c || s[i] == d)
			break;
	return i;
#endif
}

/* True when s is NULL or holds only whitespace. */
int wn_blank(const char *s);

/* Cut trailing whitespace off s in place and return s past its leading
 * whitespace. */
char *wn_trim(char *s);

/* s as a JSON string literal, quotes included (invalid UTF-8 read as
 * Latin-1); "null" for NULL. For audit details. free() it. */
char *wn_json_quote(const char *s);

/* Read a whole small file (protocol, rules) into memory; *len_out may be
 * NULL. Refuses files over `max` bytes. Sets the error naming the path. */
int wn_read_file(const char *path, size_t max, char **out, size_t *len_out);

#endif
