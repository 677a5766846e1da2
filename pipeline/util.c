#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <utf8proc.h>

static _Thread_local char error_message[1024];
static _Thread_local int error_code;

int wn_error_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(error_message, sizeof(error_message), fmt, ap);
	va_end(ap);
	error_code = code;
	return code;
}

void wn_error_clear(void)
{
	error_message[0] = '\0';
	error_code = WN_OK;
}

const char *wn_error_last(void)
{
	return error_message;
}

int wn_error_code(void)
{
	return error_code;
}

void wn_out_of_memory(size_t n)
{
	fprintf(stderr, "winnow: out of memory (allocating %zu bytes)\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		wn_out_of_memory(n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		wn_out_of_memory(n * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		wn_out_of_memory(n);
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	struct wn_buf b = WN_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	{
		va_list cp;
		int n;

		va_copy(cp, ap);
		n = vsnprintf(NULL, 0, fmt, cp);
		va_end(cp);
		wn_buf_grow(&b, (size_t)n);
		vsnprintf(b.data, (size_t)n + 1, fmt, ap);
		b.len = (size_t)n;
	}
	va_end(ap);
	return wn_buf_detach(&b);
}

char *wn_join(const char *a, const char *sep, const char *b)
{
	size_t na = strlen(a), ns = strlen(sep), nb = strlen(b);
	char *s = xmalloc(na + ns + nb + 1);

	memcpy(s, a, na);
	memcpy(s + na, sep, ns);
	memcpy(s + na + ns, b, nb + 1);
	return s;
}

void wn_buf_grow(struct wn_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void wn_buf_adds(struct wn_buf *b, const char *s)
{
	wn_buf_add(b, s, strlen(s));
}

void wn_buf_addf(struct wn_buf *b, const char *fmt, ...)
{
	va_list ap, cp;
	int n;

	va_start(ap, fmt);
	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n > 0) {
		wn_buf_grow(b, (size_t)n);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
		b->len += (size_t)n;
	}
	va_end(ap);
}

void wn_buf_add_uint(struct wn_buf *b, unsigned long long v)
{
	char digits[24];
	size_t n = sizeof(digits);

	do {
		digits[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	wn_buf_add(b, digits + n, sizeof(digits) - n);
}

void wn_buf_reset(struct wn_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

char *wn_buf_detach(struct wn_buf *b)
{
	char *p = b->data ? b->data : xstrdup("");

	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void wn_buf_release(struct wn_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

const char *wn_buf_str(const struct wn_buf *b)
{
	return b->data ? b->data : "";
}

const EVP_MD *wn_sha256_md(void)
{
	/* fetched once: an implicit fetch on every digest takes locks that
	 * cost more than hashing a short audit entry */
	static EVP_MD *md;

	if (!md)
		md = EVP_MD_fetch(NULL, "SHA256", NULL);
	return md ? md : EVP_sha256();
}

void wn_sha256_hex(const void *data, size_t len, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	EVP_Digest(data, len, md, &mdlen, wn_sha256_md(), NULL);
	for (unsigned int i = 0; i < mdlen && i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
}

char *wn_utf8_lossy(const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	struct wn_buf b = WN_BUF_INIT;
	utf8proc_int32_t cp;

	while (*p) {
		utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);

		if (n > 0) {
			wn_buf_add(&b, p, (size_t)n);
			p += n;
		} else {
			/* a byte of an invalid sequence: taken as Latin-1, which is
			 * what a mislabelled file almost always is */
			utf8proc_uint8_t enc[4];
			utf8proc_ssize_t m = utf8proc_encode_char(*p, enc);

			wn_buf_add(&b, enc, (size_t)m);
			p++;
		}
	}
	return wn_buf_detach(&b);
}

void wn_utc_now(char out[21])
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int wn_blank(const char *s)
{
	if (!s)
		return 1;
	for (; *s; s++)
		if (!wn_is_space((unsigned char)*s))
			return 0;
	return 1;
}

char *wn_trim(char *s)
{
	char *e;

	while (wn_is_space((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && wn_is_space((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int wn_read_file(const char *path, size_t max, char **out, size_t *len_out)
{
	struct wn_buf b = WN_BUF_INIT;
	struct stat st;
	char chunk[65536];
	size_t n;
	FILE *f;

	*out = NULL;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return wn_error_set(WN_EINVALID, "'%s' is a directory", path);
	f = fopen(path, "rb");
	if (!f)
		return wn_error_set(errno == ENOENT ? WN_ENOTFOUND : WN_ERROR,
				    "cannot read '%s': %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b.len + n > max) {
			fclose(f);
			wn_buf_release(&b);
			return wn_error_set(WN_EINVALID, "'%s' is larger than %zu bytes",
					    path, max);
		}
		wn_buf_add(&b, chunk, n);
	}
	if (ferror(f)) {
		int e = errno;

		fclose(f);
		wn_buf_release(&b);
		return wn_error_set(WN_ERROR, "cannot read '%s': %s", path, strerror(e));
	}
	fclose(f);
	if (len_out)
		*len_out = b.len;
	*out = wn_buf_detach(&b);
	return WN_OK;
}

char *wn_json_quote(const char *s)
{
	char *clean, *out;
	json_t *v;

	if (!s)
		return xstrdup("null");
	clean = wn_utf8_lossy(s);
	v = json_string(clean);
	out = v ? json_dumps(v, JSON_ENCODE_ANY) : NULL;
	json_decref(v);
	free(clean);
	return out ? out : xstrdup("null");
}

int wn_date_valid(const char *s, int day_required)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m = 1, d = 1, n = 0, len = (int)strlen(s);

	if (len == 4 && !day_required)
		n = sscanf(s, "%4d", &y) == 1 ? 4 : 0;
	else if (len == 7 && !day_required)
		n = sscanf(s, "%4d-%2d", &y, &m) == 2 ? 7 : 0;
	else if (len == 10)
		n = sscanf(s, "%4d-%2d-%2d", &y, &m, &d) == 3 ? 10 : 0;
	if (!n)
		return 0;
	for (int i = 0; i < len; i++)
		if (!(isdigit((unsigned char)s[i]) || ((i == 4 || i == 7) && s[i] == '-')))
			return 0;
	if (y < 1800 || y > 2999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return 1;
}

int wn_file_sha256(const char *path, char out[65], long long *size)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char md[32], buf[65536];
	unsigned int len = 32;
	long long total = 0;
	FILE *fp = fopen(path, "rb");
	size_t n;

	if (!ctx)
		abort();
	if (!fp) {
		EVP_MD_CTX_free(ctx);
		return wn_error_set(WN_ENOTFOUND, "cannot read %s: %s", path, strerror(errno));
	}
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		EVP_DigestUpdate(ctx, buf, n);
		total += (long long)n;
	}
	EVP_DigestFinal_ex(ctx, md, &len);
	EVP_MD_CTX_free(ctx);
	if (ferror(fp)) {
		fclose(fp);
		return wn_error_set(WN_ERROR, "cannot read %s", path);
	}
	fclose(fp);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	if (size)
		*size = total;
	return WN_OK;
}

uint64_t wn_splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

int wn_cmp_id(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

void wn_shuffle(void *items, size_t n, size_t size, uint64_t seed)
{
	unsigned char *a = items, tmp[64];

	if (size > sizeof(tmp))
		abort();
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)(wn_splitmix64(seed * 0x9e3779b97f4a7c15ULL + i) % i);

		memcpy(tmp, a + (i - 1) * size, size);
		memmove(a + (i - 1) * size, a + j * size, size);
		memcpy(a + j * size, tmp, size);
	}
}
