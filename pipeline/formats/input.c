/*
 * Input files as UTF-8 text.
 *
 * Exports come in whatever the database or the reviewer's operating system
 * wrote: UTF-8 with or without a BOM, UTF-16 with a BOM (EndNote, Excel),
 * Windows-1252 (older RIS and CSV from Windows tools), and CR, LF or CRLF
 * line endings. The file is read once on open to hash it and to decide the
 * encoding from the whole content (a file is UTF-8 only if every byte of it
 * is), then read again, converted with iconv, as the parser asks. A large
 * file is hashed on a second thread, which goes on through the second pass
 * until the hash is asked for. Lines are handed out in place in the decoded
 * text, not copied.
 */
#include "formats_int.h"

#include <errno.h>
#include <iconv.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#endif

enum encoding { ENC_UTF8, ENC_UTF16LE, ENC_UTF16BE, ENC_CP1252 };

#define RAW_CHUNK 65536

struct hash_job;

struct wn_input {
	char *name;
	FILE *fp;                  /* a file, or */
	const unsigned char *mem;  /* bytes in memory, or */
	size_t mem_len, mem_pos;
	wn_input_reader reader;    /* a stream (an HTTP response) */
	void *reader_ctx;
	int reader_status;         /* the reader's failure, 0 if none */
	int reader_used;           /* bytes have been taken from it */

	enum encoding enc;
	int bom;                   /* bytes of BOM to skip */
	char sha256[65];
	struct hash_job *hashing;  /* a hash still being computed, or NULL */
	long long size;
	const char *endings;

	iconv_t cd;
	unsigned char raw[RAW_CHUNK];
	size_t raw_len, raw_pos;
	int raw_eof;
	int started;               /* BOM skipped */

	char *text;                /* decoded, not yet handed out */
	size_t text_len, text_pos, text_cap;

	long lineno;
	int skip_lf;               /* the last line ended with CR */
};

static size_t read_raw_bytes(struct wn_input *in, void *buf, size_t cap)
{
	size_t n;

	if (in->fp)
		return fread(buf, 1, cap, in->fp);
	if (in->reader) {
		ssize_t got = in->reader_status ? 0 : in->reader(in->reader_ctx, buf, cap);

		in->reader_used = 1;
		if (got < 0) {
			in->reader_status = (int)got;
			return 0;
		}
		return (size_t)got;
	}
	n = in->mem_len - in->mem_pos;
	if (n > cap)
		n = cap;
	memcpy(buf, in->mem + in->mem_pos, n);
	in->mem_pos += n;
	return n;
}

static int read_failed(struct wn_input *in)
{
	return (in->fp && ferror(in->fp)) || in->reader_status;
}

/* The error for a failed read: a stream's reader has set its own. */
static int read_error(struct wn_input *in)
{
	if (in->reader_status)
		return in->reader_status;
	return wn_error_set(WN_ERROR, "cannot read '%s': %s", in->name, strerror(errno));
}

/* A streaming check that bytes are well-formed UTF-8: `need` is how many
 * continuation bytes the current sequence still wants. */
struct utf8_check {
	int need;
	int bad;
	unsigned char lead;
	int first;
};

static void utf8_check(struct utf8_check *u, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n && !u->bad; i++) {
		unsigned char c;

		/* most text is ASCII: skip it 16 (SSE2) or eight bytes at a time */
		if (!u->need) {
			uint64_t w;

#if defined(__SSE2__) && defined(__GNUC__)
			while (i + 16 <= n &&
			       !_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + i))))
				i += 16;
#endif
			while (i + 8 <= n && (memcpy(&w, p + i, 8), !(w & 0x8080808080808080ULL)))
				i += 8;
			if (i >= n)
				break;
		}
		c = p[i];
		if (u->need) {
			if ((c & 0xC0) != 0x80)
				u->bad = 1;
			/* overlong forms and surrogates show in the second byte */
			else if (u->first && ((u->lead == 0xE0 && c < 0xA0) ||
					      (u->lead == 0xED && c > 0x9F) ||
					      (u->lead == 0xF0 && c < 0x90) ||
					      (u->lead == 0xF4 && c > 0x8F)))
				u->bad = 1;
			u->first = 0;
			u->need--;
			continue;
		}
		if (c < 0x80)
			continue;
		if (c >= 0xC2 && c <= 0xDF)
			u->need = 1;
		else if (c >= 0xE0 && c <= 0xEF)
			u->need = 2;
		else if (c >= 0xF0 && c <= 0xF4)
			u->need = 3;
		else
			u->bad = 1;
		u->lead = c;
		u->first = 1;
	}
}

/* A regular file at least this large is hashed on a thread of its own
 * (hash_file) while survey() reads it for the rest. */
#define HASH_THREAD_MIN (1 << 20)

/* SHA-256 of a whole file, read with pread so that the file position
 * survey() reads from is not disturbed. */
struct hash_job {
	pthread_t thread;
	int fd;
	long long size; /* bytes hashed */
	int err;        /* errno of a failed read, or 0 */
	int ok;         /* the digest is computed */
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int dlen;
};

static void *hash_file(void *arg)
{
	struct hash_job *job = arg;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char *buf = xmalloc(RAW_CHUNK);

	job->size = 0;
	if (md && EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
		for (;;) {
			ssize_t n = pread(job->fd, buf, RAW_CHUNK, (off_t)job->size);

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				job->err = errno;
				break;
			}
			if (n == 0) {
				job->ok = EVP_DigestFinal_ex(md, job->digest, &job->dlen);
				break;
			}
			EVP_DigestUpdate(md, buf, (size_t)n);
			job->size += n;
		}
	}
	EVP_MD_CTX_free(md);
	free(buf);
	return NULL;
}

static void set_digest(struct wn_input *in, const unsigned char *digest, unsigned int dlen)
{
	for (unsigned int i = 0; i < dlen && i < 32; i++)
		snprintf(in->sha256 + 2 * i, 3, "%02x", digest[i]);
}

/* Wait for the hash thread, if there is one, and take its result. */
static int finish_hashing(struct wn_input *in)
{
	struct hash_job *job = in->hashing;
	int rc = WN_OK;

	if (!job)
		return WN_OK;
	pthread_join(job->thread, NULL);
	in->hashing = NULL;
	if (job->err)
		rc = wn_error_set(WN_ERROR, "cannot read '%s': %s", in->name, strerror(job->err));
	else if (!job->ok)
		rc = wn_error_set(WN_ERROR, "%s: cannot start SHA-256", in->name);
	else if (job->size != in->size)
		rc = wn_error_set(WN_ERROR, "cannot read '%s': it changed while being read",
				  in->name);
	else
		set_digest(in, job->digest, job->dlen);
	free(job);
	return rc;
}

/* First pass: size, encoding and line endings; the hash, or for a large
 * file a thread computing it. */
static int survey(struct wn_input *in)
{
	EVP_MD_CTX *md = NULL;
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	struct hash_job *job = NULL;
	struct stat st;
	struct utf8_check u = { 0, 0, 0, 0 };
	long long crlf = 0, lf = 0, cr = 0, lf_total = 0, cr_total = 0;
	int prev_cr = 0, at_start = 1;
	unsigned char head[3] = { 0, 0, 0 };
	size_t nhead = 0;
	int utf16 = 0, have_half = 0; /* 1 little-endian, 2 big-endian */
	unsigned char half = 0;
	size_t n;

	if (in->fp && fstat(fileno(in->fp), &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size >= HASH_THREAD_MIN) {
		/* hashing is most of this pass: it runs beside the rest, and
		 * beside the parse after it */
		job = xcalloc(1, sizeof(*job));
		job->fd = fileno(in->fp);
		if (pthread_create(&job->thread, NULL, hash_file, job) == 0) {
			in->hashing = job;
		} else {
			free(job);
			job = NULL;
		}
	}
	if (!job) {
		md = EVP_MD_CTX_new();
		if (!md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
			EVP_MD_CTX_free(md);
			return wn_error_set(WN_ERROR, "%s: cannot start SHA-256", in->name);
		}
	}
	in->size = 0;
	while ((n = read_raw_bytes(in, in->raw, sizeof(in->raw))) > 0) {
		const unsigned char *p = in->raw;
		size_t skip = 0;

		if (!job)
			EVP_DigestUpdate(md, p, n);
		in->size += (long long)n;
		while (nhead < 3 && skip < n)
			head[nhead++] = p[skip++];
		if (at_start && nhead >= 3 && head[0] == 0xEF && head[1] == 0xBB &&
		    head[2] == 0xBF) {
			at_start = 0;
			utf8_check(&u, p + skip, n - skip);
		} else {
			if (at_start && nhead >= 3)
				at_start = 0;
			utf8_check(&u, p, n);
		}
		if (!utf16 && nhead >= 2 && in->size == (long long)n)
			utf16 = (head[0] == 0xFF && head[1] == 0xFE) ? 1
			      : (head[0] == 0xFE && head[1] == 0xFF) ? 2 : 0;
		if (!utf16) {
			/* memchr runs through a file at memory speed */
			const unsigned char *q, *end = p + n;

			if (prev_cr && p[0] == '\n')
				crlf++;
			for (q = p; (q = memchr(q, '\n', (size_t)(end - q))); q++)
				lf_total++;
			for (q = p; (q = memchr(q, '\r', (size_t)(end - q))); q++) {
				cr_total++;
				if (q + 1 < end && q[1] == '\n')
					crlf++;
			}
			prev_cr = p[n - 1] == '\r';
			continue;
		}
		for (size_t i = 0; i < n; i++) {
			unsigned c;

			/* count line breaks on whole UTF-16 code units */
			if (!have_half) {
				half = p[i];
				have_half = 1;
				continue;
			}
			have_half = 0;
			c = utf16 == 1 ? (unsigned)half | (unsigned)p[i] << 8
				       : (unsigned)half << 8 | p[i];
			if (c == '\n') {
				lf_total++;
				crlf += prev_cr;
			}
			cr_total += c == '\r';
			prev_cr = c == '\r';
		}
	}
	lf = lf_total - crlf;
	cr = cr_total - crlf;
	if (read_failed(in)) {
		int e = errno;

		finish_hashing(in);
		EVP_MD_CTX_free(md);
		return wn_error_set(WN_ERROR, "cannot read '%s': %s", in->name, strerror(e));
	}
	if (!job) {
		EVP_DigestFinal_ex(md, digest, &dlen);
		EVP_MD_CTX_free(md);
		set_digest(in, digest, dlen);
	}

	if (nhead >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF) {
		in->enc = ENC_UTF8;
		in->bom = 3;
	} else if (nhead >= 2 && head[0] == 0xFF && head[1] == 0xFE) {
		in->enc = ENC_UTF16LE;
		in->bom = 2;
	} else if (nhead >= 2 && head[0] == 0xFE && head[1] == 0xFF) {
		in->enc = ENC_UTF16BE;
		in->bom = 2;
	} else {
		in->enc = (u.bad || u.need) ? ENC_CP1252 : ENC_UTF8;
		in->bom = 0;
	}
	if (crlf + lf + cr == 0)
		in->endings = "none";
	else if (crlf && !lf && !cr)
		in->endings = "crlf";
	else if (lf && !crlf && !cr)
		in->endings = "lf";
	else if (cr && !crlf && !lf)
		in->endings = "cr";
	else
		in->endings = "mixed";
	return WN_OK;
}

static int open_common(struct wn_input *in)
{
	int rc = survey(in);

	if (rc)
		return rc;
	if (in->enc != ENC_UTF8) {
		const char *from = in->enc == ENC_UTF16LE ? "UTF-16LE"
				 : in->enc == ENC_UTF16BE ? "UTF-16BE" : "WINDOWS-1252";

		in->cd = iconv_open("UTF-8", from);
		if (in->cd == (iconv_t)-1)
			return wn_error_set(WN_ERROR, "%s: cannot convert from %s: %s",
					    in->name, from, strerror(errno));
	}
	return wn_input_rewind(in);
}

int wn_input_open_file(struct wn_input **out, const char *path)
{
	struct wn_input *in;
	struct stat st;
	int rc;

	*out = NULL;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return wn_error_set(WN_EINVALID, "'%s' is a directory", path);
	in = xcalloc(1, sizeof(*in));
	in->cd = (iconv_t)-1;
	in->name = xstrdup(path);
	in->fp = fopen(path, "rb");
	if (!in->fp) {
		rc = wn_error_set(errno == ENOENT ? WN_ENOTFOUND : WN_ERROR,
				  "cannot read '%s': %s", path, strerror(errno));
		wn_input_close(in);
		return rc;
	}
	rc = open_common(in);
	if (rc) {
		wn_input_close(in);
		return rc;
	}
	*out = in;
	return WN_OK;
}

int wn_input_open_memory(struct wn_input **out, const void *data, size_t len,
			 const char *name)
{
	struct wn_input *in = xcalloc(1, sizeof(*in));
	int rc;

	in->cd = (iconv_t)-1;
	in->name = xstrdup(name ? name : "(memory)");
	in->mem = data;
	in->mem_len = len;
	rc = open_common(in);
	if (rc) {
		wn_input_close(in);
		return rc;
	}
	*out = in;
	return WN_OK;
}

int wn_input_open_stream(struct wn_input **out, const char *name, wn_input_reader reader,
			 void *ctx)
{
	struct wn_input *in = xcalloc(1, sizeof(*in));

	/* read once, as it comes: no survey, no hash; the text is taken as
	 * UTF-8 (XML parsers read the bytes and the declared encoding) */
	in->cd = (iconv_t)-1;
	in->name = xstrdup(name);
	in->reader = reader;
	in->reader_ctx = ctx;
	in->enc = ENC_UTF8;
	in->endings = "none";
	in->size = -1;
	*out = in;
	return WN_OK;
}

void wn_input_close(struct wn_input *in)
{
	if (!in)
		return;
	finish_hashing(in); /* the thread reads the file: it must end first */
	if (in->fp)
		fclose(in->fp);
	if (in->cd != (iconv_t)-1)
		iconv_close(in->cd);
	free(in->text);
	free(in->name);
	free(in);
}

const char *wn_input_name(const struct wn_input *in)
{
	return in->name;
}

const char *wn_input_encoding(const struct wn_input *in)
{
	switch (in->enc) {
	case ENC_UTF8:
		return in->bom ? "utf-8-bom" : "utf-8";
	case ENC_UTF16LE:
		return "utf-16le";
	case ENC_UTF16BE:
		return "utf-16be";
	case ENC_CP1252:
		break;
	}
	return "windows-1252";
}

const char *wn_input_line_endings(const struct wn_input *in)
{
	return in->endings;
}

const char *wn_input_sha256(struct wn_input *in)
{
	return finish_hashing(in) == WN_OK ? in->sha256 : NULL;
}

long long wn_input_size(const struct wn_input *in)
{
	return in->size;
}

int wn_input_rewind(struct wn_input *in)
{
	if (in->reader && in->reader_used)
		return wn_error_set(WN_ERROR, "'%s' is a stream: it cannot be read again", in->name);
	if (in->fp) {
		clearerr(in->fp);
		if (fseek(in->fp, 0, SEEK_SET) != 0)
			return wn_error_set(WN_ERROR, "cannot re-read '%s': %s", in->name,
					    strerror(errno));
	}
	in->mem_pos = 0;
	in->raw_len = in->raw_pos = 0;
	in->raw_eof = 0;
	in->started = 0;
	in->text_len = in->text_pos = 0;
	in->lineno = 0;
	in->skip_lf = 0;
	if (in->cd != (iconv_t)-1)
		iconv(in->cd, NULL, NULL, NULL, NULL);
	return WN_OK;
}

/* Top up the raw buffer; returns bytes available. */
static int fill_raw(struct wn_input *in)
{
	size_t n;

	if (in->raw_pos > 0) {
		memmove(in->raw, in->raw + in->raw_pos, in->raw_len - in->raw_pos);
		in->raw_len -= in->raw_pos;
		in->raw_pos = 0;
	}
	if (in->raw_eof)
		return WN_OK;
	n = read_raw_bytes(in, in->raw + in->raw_len, sizeof(in->raw) - in->raw_len);
	if (n == 0) {
		if (read_failed(in))
			return read_error(in);
		in->raw_eof = 1;
	}
	in->raw_len += n;
	if (!in->started && (in->raw_len >= (size_t)in->bom || in->raw_eof)) {
		in->raw_pos = (size_t)in->bom <= in->raw_len ? (size_t)in->bom : in->raw_len;
		in->started = 1;
	}
	return WN_OK;
}

static void text_reserve(struct wn_input *in, size_t extra)
{
	if (in->text_pos > 0) {
		memmove(in->text, in->text + in->text_pos, in->text_len - in->text_pos);
		in->text_len -= in->text_pos;
		in->text_pos = 0;
	}
	/* one byte spare: wn_input_getline ends a last line there */
	if (in->text_len + extra + 1 > in->text_cap) {
		in->text_cap = in->text_len + extra + 1;
		in->text = xrealloc(in->text, in->text_cap);
	}
}

static void text_add(struct wn_input *in, const char *s, size_t n)
{
	text_reserve(in, n);
	memcpy(in->text + in->text_len, s, n);
	in->text_len += n;
}

/* Decode the next stretch of raw bytes into the text buffer. Returns the
 * number of text bytes added (0 only at the end) or a negative status. */
static ssize_t decode_more(struct wn_input *in)
{
	size_t before = in->text_len - in->text_pos;

	if (in->cd == (iconv_t)-1 && in->started && in->raw_pos == in->raw_len) {
		/* UTF-8 past its BOM needs no decoding: read straight into
		 * the text, saving a copy of every byte */
		size_t n;

		if (in->raw_eof)
			return 0;
		text_reserve(in, RAW_CHUNK);
		n = read_raw_bytes(in, in->text + in->text_len, RAW_CHUNK);
		if (n == 0) {
			if (read_failed(in))
				return read_error(in);
			in->raw_eof = 1;
			return 0;
		}
		in->text_len += n;
		return (ssize_t)n;
	}
	for (;;) {
		int rc = fill_raw(in);
		size_t avail;

		if (rc)
			return rc;
		avail = in->raw_len - in->raw_pos;
		if (avail == 0)
			return 0;
		if (in->cd == (iconv_t)-1) {
			text_add(in, (const char *)in->raw + in->raw_pos, avail);
			in->raw_pos += avail;
		} else {
			char *src = (char *)in->raw + in->raw_pos;
			size_t srcleft = avail;
			char *dst;
			size_t dstleft;
			size_t r;

			text_reserve(in, avail * 3 + 8);
			dst = in->text + in->text_len;
			dstleft = in->text_cap - in->text_len;
			r = iconv(in->cd, &src, &srcleft, &dst, &dstleft);
			in->text_len = (size_t)(dst - in->text);
			in->raw_pos += avail - srcleft;
			if (r == (size_t)-1 && errno == EILSEQ) {
				/* Windows-1252 leaves five bytes undefined: read
				 * them as Latin-1. Broken UTF-16 becomes U+FFFD. */
				if (in->enc == ENC_CP1252) {
					unsigned char c = in->raw[in->raw_pos++];
					char two[2] = { (char)(0xC0 | (c >> 6)),
							(char)(0x80 | (c & 0x3F)) };

					text_add(in, two, 2);
				} else {
					in->raw_pos += srcleft >= 2 ? 2 : srcleft;
					text_add(in, "\xEF\xBF\xBD", 3);
				}
			} else if (r == (size_t)-1 && errno == EINVAL && in->raw_eof) {
				/* a truncated last character */
				in->raw_pos = in->raw_len;
				text_add(in, "\xEF\xBF\xBD", 3);
			}
		}
		if (in->text_len - in->text_pos > before)
			return (ssize_t)(in->text_len - in->text_pos - before);
		if (in->raw_eof && in->raw_pos >= in->raw_len)
			return 0;
	}
}

ssize_t wn_input_read(struct wn_input *in, char *buf, size_t cap)
{
	size_t n;

	if (in->text_pos == in->text_len) {
		ssize_t r = decode_more(in);

		if (r <= 0)
			return r;
	}
	n = in->text_len - in->text_pos;
	if (n > cap)
		n = cap;
	memcpy(buf, in->text + in->text_pos, n);
	in->text_pos += n;
	return (ssize_t)n;
}

ssize_t wn_input_read_bytes(struct wn_input *in, char *buf, size_t cap)
{
	size_t n = read_raw_bytes(in, buf, cap);

	if (n == 0 && read_failed(in))
		return read_error(in);
	return (ssize_t)n;
}

/* The line is handed out where it lies in the decoded text: its line
 * break (or the byte after the text, which text_reserve keeps) becomes
 * its NUL. A line that runs past the decoded text stays at the front of
 * the buffer while more is decoded behind it. */
int wn_input_getline(struct wn_input *in, const char **line, size_t *len)
{
	size_t done = 0; /* bytes of the line already scanned */
	char *text;

	for (;;) {
		if (in->text_pos == in->text_len) {
			ssize_t r = decode_more(in);

			if (r < 0)
				return (int)r;
			if (r == 0) {
				*line = "";
				*len = 0;
				return 0;
			}
		}
		if (in->skip_lf) {
			in->skip_lf = 0;
			if (in->text[in->text_pos] == '\n') {
				in->text_pos++;
				continue;
			}
		}
		break;
	}
	for (;;) {
		size_t from = in->text_pos + done, i;

		i = from + wn_scan4(in->text + from, in->text_len - from, '\n', '\r', '\0', '\0');
		if (i < in->text_len && in->text[i] == '\0') {
			/* a NUL in the text is read as a space */
			in->text[i] = ' ';
			done = i + 1 - in->text_pos;
			continue;
		}
		done = i - in->text_pos;
		if (i < in->text_len) {
			in->skip_lf = in->text[i] == '\r';
			break;
		}
		{
			ssize_t r = decode_more(in);

			if (r < 0)
				return (int)r;
			if (r == 0)
				break;
		}
	}
	text = in->text + in->text_pos;
	text[done] = '\0';
	in->text_pos += done + (in->text_pos + done < in->text_len);
	in->lineno++;
	*line = text;
	*len = done;
	return 1;
}

long wn_input_lineno(const struct wn_input *in)
{
	return in->lineno;
}
