/*
 * HTTP for the bibliographic APIs, on libcurl.
 *
 * A response is read as a stream (wn_http_read), so that a parser can take
 * a large EFetch answer as it arrives and memory stays flat. One client
 * keeps one connection per host alive between requests. Politeness is per
 * service: requests to a service start no closer together than its
 * interval (PubMed 3/s, arXiv one per 3 s, ...), and Crossref's interval
 * follows the X-Rate-Limit headers it sends.
 *
 * Retrying is the caller's: what counts as a failure that deserves another
 * try (a 429, a 5xx, a body cut short, an HTML page where XML was due)
 * depends on what the caller checked in the body. wn_http_retry_delay()
 * says how long to wait before the next attempt.
 */
#ifndef WINNOW_SOURCES_HTTP_H
#define WINNOW_SOURCES_HTTP_H

#include <sys/types.h>

struct wn_http;
struct wn_http_stream;

/* One service's politeness. */
struct wn_http_service {
	const char *name;     /* "PubMed E-utilities", for messages */
	double interval;      /* least seconds between request starts */
	double last_start;    /* monotonic seconds; 0 before the first */
	int adapt_to_headers; /* follow X-Rate-Limit-Limit / -Interval */
};

struct wn_http_request {
	const char *url;    /* the whole URL, query string included */
	const char *form;   /* a POST body (form-encoded), or NULL for GET */
	const char *accept; /* an Accept header, or NULL */
	/* A secret (an API key) that must never appear in a message: any
	 * copy of it in the URL or form is written as "***". May be NULL. */
	const char *secret;
};

/* A client with winnow's User-Agent (naming `email` when not NULL). */
int wn_http_new(struct wn_http **out, const char *email);
void wn_http_free(struct wn_http *h);

/* Send the request once, waiting first as the service's interval asks,
 * and read up to the end of the response headers. WN_OK with *out set
 * whatever the status (see wn_http_status); an error (connection refused,
 * timeout, reset before any header) otherwise, its message naming the
 * service and the URL without secrets. */
int wn_http_open(struct wn_http *h, struct wn_http_service *svc,
		 const struct wn_http_request *req, struct wn_http_stream **out);

long wn_http_status(const struct wn_http_stream *s);
/* A response header's value (case-insensitive name), or NULL; valid
 * until the next call. */
const char *wn_http_header(const struct wn_http_stream *s, const char *name);

/* Up to `cap` bytes of the body: the count, 0 at its end, or a negative
 * status when the transfer fails before the end (cut short, timed out),
 * with a message naming the service. */
ssize_t wn_http_read(struct wn_http_stream *s, void *buf, size_t cap);

/* The first bytes of the body (at most cap - 1), NUL-terminated, for a
 * message about a response that is not what was asked for. */
void wn_http_snippet(struct wn_http_stream *s, char *buf, size_t cap);

void wn_http_close(struct wn_http_stream *s);

/* wn_http_read for wn_input_open_stream (ctx: the stream). */
ssize_t wn_http_reader(void *ctx, void *buf, size_t cap);

/* Append "name=value" (value percent-encoded) to a query or form, with
 * "&" between parameters. */
struct wn_buf;
void wn_http_add_param(struct wn_buf *b, const char *name, const char *value);

/* The URL (or any text) with the secret written as "***". Free it. */
char *wn_http_redact(const char *text, const char *secret);

/* Seconds to wait before attempt number `attempt` (1 = the first retry):
 * exponential from the base with jitter, at most the cap, and never less
 * than a Retry-After the service sent (retry_after < 0: none). The base
 * and cap come from WINNOW_RETRY_BASE and WINNOW_RETRY_MAX (seconds) when
 * set, so that tests need not wait as long as a real outage deserves. */
double wn_http_retry_delay(int attempt, double retry_after);

/* How many attempts a request gets (WINNOW_RETRIES when set, else 5). */
int wn_http_attempts(void);

/* Parse a Retry-After value (seconds, or an HTTP date); -1 if none. */
double wn_http_parse_retry_after(const char *value);

/* Sleep, waking early (returning non-zero) when wn_http_interrupted(). */
int wn_http_sleep(double seconds);

/* Ctrl-C: set by the command's signal handler, checked between requests
 * and while reading, so that an interrupted search stops cleanly at a
 * batch boundary. */
void wn_http_interrupt(void);
int wn_http_interrupted(void);

/* Percent-encode for a URL query or a form body (RFC 3986 unreserved
 * characters kept). Free it. */
char *wn_http_escape(const char *s);

/* Monotonic seconds. */
double wn_http_now(void);

#endif
