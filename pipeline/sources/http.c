/*
 * HTTP on libcurl (see http.h). A response is read through curl's multi
 * interface, so that the caller pulls the body at its own pace: the write
 * callback pauses the transfer when a megabyte is waiting unread, which
 * keeps memory flat however large the answer.
 */
#include "sources/http.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util.h"
#include "winnow/winnow.h"

/* Unread body beyond this pauses the transfer. */
#define BODY_HIGH_WATER (1u << 20)
/* Seconds with no byte arriving before a transfer is given up. */
#define DEFAULT_STALL_SECONDS 60
#define CONNECT_SECONDS 15

struct wn_http {
	CURL *easy;
	CURLM *multi;
	char *user_agent;
};

struct wn_http_stream {
	struct wn_http *h;
	struct wn_http_service *svc;
	char *shown_url; /* without secrets */
	struct curl_slist *req_headers;
	struct wn_buf headers; /* the last response's header lines */
	struct wn_buf body;
	size_t body_pos;
	long status;
	int paused;
	int done;
	CURLcode result;
	double stall;         /* seconds of silence before giving up */
	double last_activity; /* when a byte last arrived (or the request left) */
	char header_value[512];
};

/* libcurl is loaded on the first request, not when winnow starts: it and
 * the 32 libraries it needs took half the start of every command (20 ms
 * against 10 without them), and only search, fetch and lookup go on the
 * network. */
static struct {
	CURLcode (*global_init)(long flags);
	CURL *(*easy_init)(void);
	void (*easy_cleanup)(CURL *e);
	void (*easy_reset)(CURL *e);
	CURLcode (*easy_setopt)(CURL *e, CURLoption option, ...);
	CURLcode (*easy_getinfo)(CURL *e, CURLINFO info, ...);
	const char *(*easy_strerror)(CURLcode code);
	CURLcode (*easy_pause)(CURL *e, int bitmask);
	time_t (*getdate)(const char *p, const time_t *unused);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_cleanup)(CURLM *m);
	CURLMcode (*multi_add_handle)(CURLM *m, CURL *e);
	CURLMcode (*multi_remove_handle)(CURLM *m, CURL *e);
	CURLMcode (*multi_perform)(CURLM *m, int *running);
	CURLMcode (*multi_poll)(CURLM *m, struct curl_waitfd fds[], unsigned n, int timeout_ms,
				int *ret);
	CURLMsg *(*multi_info_read)(CURLM *m, int *queued);
	struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
	void (*slist_free_all)(struct curl_slist *list);
} curl;
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static char curl_problem[512]; /* why libcurl cannot be used, if it cannot */

static void load_curl(void)
{
	/* $WINNOW_LIBCURL names another build of it, alone */
	const char *chosen = getenv("WINNOW_LIBCURL");
	const char *names[] = { "libcurl.so.4", "libcurl.so" };
	size_t count = 2;
	void *so = NULL;
	const char *missing = NULL;
	char first_error[256] = "";

	if (chosen && *chosen)
		names[0] = chosen, count = 1;
	for (size_t i = 0; !so && i < count; i++) {
		/* the first name's failure is the one worth telling */
		if (!(so = dlopen(names[i], RTLD_NOW | RTLD_LOCAL)) && !first_error[0])
			snprintf(first_error, sizeof(first_error), "%s", dlerror());
	}
	if (!so) {
		snprintf(curl_problem, sizeof(curl_problem),
			 "cannot go on the network without libcurl (on Debian: apt-get "
			 "install libcurl4): %s", first_error);
		return;
	}
#define LOAD(field, symbol)                                                   \
	do {                                                                  \
		curl.field = (__typeof__(curl.field))dlsym(so, symbol);        \
		if (!curl.field && !missing)                                  \
			missing = symbol;                                     \
	} while (0)
	LOAD(global_init, "curl_global_init");
	LOAD(easy_init, "curl_easy_init");
	LOAD(easy_cleanup, "curl_easy_cleanup");
	LOAD(easy_reset, "curl_easy_reset");
	LOAD(easy_setopt, "curl_easy_setopt");
	LOAD(easy_getinfo, "curl_easy_getinfo");
	LOAD(easy_strerror, "curl_easy_strerror");
	LOAD(easy_pause, "curl_easy_pause");
	LOAD(getdate, "curl_getdate");
	LOAD(multi_init, "curl_multi_init");
	LOAD(multi_cleanup, "curl_multi_cleanup");
	LOAD(multi_add_handle, "curl_multi_add_handle");
	LOAD(multi_remove_handle, "curl_multi_remove_handle");
	LOAD(multi_perform, "curl_multi_perform");
	LOAD(multi_poll, "curl_multi_poll");
	LOAD(multi_info_read, "curl_multi_info_read");
	LOAD(slist_append, "curl_slist_append");
	LOAD(slist_free_all, "curl_slist_free_all");
#undef LOAD
	if (missing)
		snprintf(curl_problem, sizeof(curl_problem),
			 "the libcurl found lacks %s (libcurl 7.85 or later is needed)", missing);
	else if (curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		snprintf(curl_problem, sizeof(curl_problem), "cannot start libcurl");
	if (curl_problem[0])
		dlclose(so);
	/* else the library stays loaded: its handles live until exit */
}

/* Whether libcurl is there to use, loading it the first time. */
static int curl_usable(void)
{
	pthread_once(&curl_once, load_curl);
	return !curl_problem[0];
}

/* WN_OK when libcurl is there to use; else an error saying why. */
static int curl_loaded(void)
{
	return curl_usable() ? WN_OK : wn_error_set(WN_ERROR, "%s", curl_problem);
}

static volatile sig_atomic_t interrupted;

void wn_http_interrupt(void)
{
	interrupted = 1;
}

int wn_http_interrupted(void)
{
	return interrupted != 0;
}

double wn_http_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int wn_http_sleep(double seconds)
{
	double until = wn_http_now() + seconds;

	while (!interrupted) {
		double left = until - wn_http_now();
		struct timespec ts;

		if (left <= 0)
			return 0;
		if (left > 0.1)
			left = 0.1; /* wake now and then to see Ctrl-C */
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
		nanosleep(&ts, NULL);
	}
	return 1;
}

static double env_seconds(const char *name, double fallback)
{
	const char *v = getenv(name);
	char *end;
	double d;

	if (!v || !*v)
		return fallback;
	d = strtod(v, &end);
	return (*end || d < 0 || !isfinite(d)) ? fallback : d;
}

int wn_http_attempts(void)
{
	double n = env_seconds("WINNOW_RETRIES", 5);

	return n < 1 ? 1 : n > 20 ? 20 : (int)n;
}

static pthread_once_t jitter_once = PTHREAD_ONCE_INIT;

static void seed_jitter(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	srand48((long)ts.tv_nsec ^ (long)ts.tv_sec);
}

double wn_http_retry_delay(int attempt, double retry_after)
{
	double base = env_seconds("WINNOW_RETRY_BASE", 1.0);
	double cap = env_seconds("WINNOW_RETRY_MAX", 60.0);
	double d = base * pow(2.0, attempt > 1 ? attempt - 1 : 0);

	pthread_once(&jitter_once, seed_jitter);
	if (d > cap)
		d = cap;
	/* "full jitter" between half and all of it, so that clients that
	 * failed together do not come back together */
	d = d / 2 + drand48() * d / 2;
	if (retry_after >= 0 && d < retry_after)
		d = retry_after;
	return d;
}

double wn_http_parse_retry_after(const char *value)
{
	char *end;
	double d;
	time_t when;

	if (!value)
		return -1;
	while (*value == ' ')
		value++;
	d = strtod(value, &end);
	if (end != value && (*end == '\0' || *end == ' ' || *end == '\r'))
		return d < 0 ? 0 : d > 3600 ? 3600 : d;
	if (!curl_usable())
		return -1;
	when = curl.getdate(value, NULL);
	if (when == (time_t)-1)
		return -1;
	d = difftime(when, time(NULL));
	return d < 0 ? 0 : d > 3600 ? 3600 : d;
}

char *wn_http_redact(const char *text, const char *secret)
{
	struct wn_buf b = WN_BUF_INIT;
	size_t n = secret ? strlen(secret) : 0;
	const char *p = text, *hit;

	if (!text)
		return NULL;
	if (n == 0)
		return xstrdup(text);
	while ((hit = strstr(p, secret))) {
		wn_buf_add(&b, p, (size_t)(hit - p));
		wn_buf_adds(&b, "***");
		p = hit + n;
	}
	wn_buf_adds(&b, p);
	return wn_buf_detach(&b);
}

char *wn_http_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	struct wn_buf b = WN_BUF_INIT;

	wn_buf_grow(&b, strlen(s));
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' || *p == '~') {
			wn_buf_addc(&b, (char)*p);
		} else {
			wn_buf_addc(&b, '%');
			wn_buf_addc(&b, hex[*p >> 4]);
			wn_buf_addc(&b, hex[*p & 15]);
		}
	}
	return wn_buf_detach(&b);
}

int wn_http_new(struct wn_http **out, const char *email)
{
	struct wn_http *h;
	int rc;

	*out = NULL;
	if ((rc = curl_loaded()) < 0)
		return rc;
	h = xcalloc(1, sizeof(*h));
	h->easy = curl.easy_init();
	h->multi = curl.multi_init();
	if (!h->easy || !h->multi) {
		wn_http_free(h);
		return wn_error_set(WN_ERROR, "cannot start libcurl");
	}
	/* the services ask to be told who is calling and how to reach them */
	h->user_agent = email && *email
		? xasprintf("winnow/%s (systematic review tool; mailto:%s)", WINNOW_VERSION, email)
		: xasprintf("winnow/%s (systematic review tool)", WINNOW_VERSION);
	*out = h;
	return WN_OK;
}

void wn_http_free(struct wn_http *h)
{
	if (!h)
		return;
	if (h->multi)
		curl.multi_cleanup(h->multi);
	if (h->easy)
		curl.easy_cleanup(h->easy);
	free(h->user_agent);
	free(h);
}

static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
	struct wn_http_stream *s = arg;
	size_t len = size * n;

	/* a new status line (after a redirect or a 100 Continue) starts the
	 * headers of the response that counts */
	s->last_activity = wn_http_now();
	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0)
		wn_buf_reset(&s->headers);
	if (s->headers.len + len < 64 * 1024)
		wn_buf_add(&s->headers, data, len);
	return len;
}

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct wn_http_stream *s = arg;
	size_t len = size * n;

	if (s->body.len - s->body_pos >= BODY_HIGH_WATER) {
		s->paused = 1;
		return CURL_WRITEFUNC_PAUSE;
	}
	s->last_activity = wn_http_now();
	if (s->body_pos && s->body_pos == s->body.len) {
		wn_buf_reset(&s->body);
		s->body_pos = 0;
	} else if (s->body_pos > BODY_HIGH_WATER) {
		memmove(s->body.data, s->body.data + s->body_pos, s->body.len - s->body_pos);
		s->body.len -= s->body_pos;
		s->body_pos = 0;
	}
	wn_buf_add(&s->body, data, len);
	return len;
}

static const char *describe(CURLcode rc)
{
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		return "timed out";
	case CURLE_PARTIAL_FILE:
		return "the answer was cut short";
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
		return "the connection was closed before the answer was complete";
	case CURLE_COULDNT_CONNECT:
		return "could not connect";
	case CURLE_COULDNT_RESOLVE_HOST:
		return "could not resolve the host name";
	default:
		return curl.easy_strerror(rc);
	}
}

/* Run the transfer a step: WN_OK (maybe with nothing new yet), or an
 * error for Ctrl-C. */
static int step(struct wn_http_stream *s)
{
	int running = 0, queued;
	CURLMsg *m;

	if (interrupted)
		return wn_error_set(WN_EINTERRUPTED, "interrupted");
	if (curl.multi_perform(s->h->multi, &running) != CURLM_OK)
		return wn_error_set(WN_ERROR, "%s: libcurl failed", s->svc->name);
	while ((m = curl.multi_info_read(s->h->multi, &queued))) {
		if (m->msg == CURLMSG_DONE && m->easy_handle == s->h->easy) {
			s->done = 1;
			s->result = m->data.result;
		}
	}
	return WN_OK;
}

/* Wait for the socket a moment; a service silent for longer than the
 * stall time is given up on here (libcurl's low-speed check does not
 * cover the wait for the first byte of an answer). */
static int wait_a_little(struct wn_http_stream *s)
{
	if (curl.multi_poll(s->h->multi, NULL, 0, 100, NULL) != CURLM_OK)
		return wn_error_set(WN_ERROR, "%s: libcurl failed", s->svc->name);
	if (!s->paused && wn_http_now() - s->last_activity > s->stall)
		return wn_error_set(WN_ENETWORK, "%s: no answer for %.0f s (timed out) (%s)",
				    s->svc->name, s->stall, s->shown_url);
	return WN_OK;
}

static int transfer_error(struct wn_http_stream *s)
{
	return wn_error_set(WN_ENETWORK, "%s: %s (%s)", s->svc->name, describe(s->result),
			    s->shown_url);
}

static void pace(struct wn_http_service *svc)
{
	if (svc->last_start > 0) {
		double wait = svc->last_start + svc->interval - wn_http_now();

		if (wait > 0)
			wn_http_sleep(wait);
	}
	svc->last_start = wn_http_now();
}

/* Crossref says how fast it may be called in every answer. */
static void adapt(struct wn_http_stream *s)
{
	const char *limit = wn_http_header(s, "X-Rate-Limit-Limit");
	/* read before the next wn_http_header, which reuses the buffer */
	double n = limit ? strtod(limit, NULL) : 0, secs;
	const char *interval = n > 0 ? wn_http_header(s, "X-Rate-Limit-Interval") : NULL;

	if (!interval)
		return;
	secs = strtod(interval, NULL); /* "1s" */
	if (secs <= 0)
		return;
	/* a tenth to spare: requests paced at exactly the limit arrive
	 * bunched by network and scheduling jitter, and one too many in the
	 * server's window costs a 429 and a back-off */
	s->svc->interval = 1.1 * secs / n;
}

int wn_http_open(struct wn_http *h, struct wn_http_service *svc,
		 const struct wn_http_request *req, struct wn_http_stream **out)
{
	struct wn_http_stream *s;
	CURL *e = h->easy;
	double stall = env_seconds("WINNOW_HTTP_TIMEOUT", DEFAULT_STALL_SECONDS);
	int rc;

	*out = NULL;
	if (interrupted)
		return wn_error_set(WN_EINTERRUPTED, "interrupted");
	s = xcalloc(1, sizeof(*s));
	s->h = h;
	s->svc = svc;
	s->shown_url = wn_http_redact(req->url, req->secret);
	curl.easy_reset(e);
	curl.easy_setopt(e, CURLOPT_URL, req->url);
	curl.easy_setopt(e, CURLOPT_USERAGENT, h->user_agent);
	curl.easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl.easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl.easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
	/* only http and https, redirects too: a libcurl too old to be told
	 * so (before 7.85) is not used */
	if (curl.easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK ||
	    curl.easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") != CURLE_OK) {
		wn_http_close(s);
		return wn_error_set(WN_ERROR, "%s: this libcurl cannot be limited to http and "
				    "https (libcurl 7.85 or later is needed)", svc->name);
	}
	curl.easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl.easy_setopt(e, CURLOPT_CONNECTTIMEOUT, (long)CONNECT_SECONDS);
	/* a service that sends nothing for this long is given up on (and
	 * the request retried); a slow but moving answer is not */
	curl.easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl.easy_setopt(e, CURLOPT_LOW_SPEED_TIME, (long)(stall < 1 ? 1 : stall + 0.5));
	curl.easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl.easy_setopt(e, CURLOPT_HEADERDATA, s);
	curl.easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl.easy_setopt(e, CURLOPT_WRITEDATA, s);
	if (req->form) {
		curl.easy_setopt(e, CURLOPT_POST, 1L);
		curl.easy_setopt(e, CURLOPT_POSTFIELDS, req->form);
	}
	if (req->accept) {
		char *line = xasprintf("Accept: %s", req->accept);

		s->req_headers = curl.slist_append(NULL, line);
		free(line);
		curl.easy_setopt(e, CURLOPT_HTTPHEADER, s->req_headers);
	}
	pace(svc);
	s->stall = stall < 0.1 ? 0.1 : stall;
	s->last_activity = wn_http_now();
	if (curl.multi_add_handle(h->multi, e) != CURLM_OK) {
		wn_http_close(s);
		return wn_error_set(WN_ERROR, "%s: libcurl failed", svc->name);
	}
	/* until the first byte of the body, or the end */
	while (!s->done && s->body.len == 0) {
		if ((rc = step(s)) < 0 || (!s->done && s->body.len == 0 && (rc = wait_a_little(s)) < 0)) {
			wn_http_close(s);
			return rc;
		}
	}
	curl.easy_getinfo(e, CURLINFO_RESPONSE_CODE, &s->status);
	if (s->done && s->result != CURLE_OK && (s->status == 0 || s->body.len == 0)) {
		/* libcurl may have sent the request again on a fresh connection
		 * after a dead one: pace the next request from now */
		svc->last_start = wn_http_now();
		rc = transfer_error(s);
		wn_http_close(s);
		return rc;
	}
	if (svc->adapt_to_headers)
		adapt(s);
	*out = s;
	return WN_OK;
}

long wn_http_status(const struct wn_http_stream *s)
{
	return s->status;
}

const char *wn_http_header(const struct wn_http_stream *s, const char *name)
{
	struct wn_http_stream *w = (struct wn_http_stream *)s;
	size_t n = strlen(name);
	const char *p = wn_buf_str(&s->headers);

	while (*p) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len > n && strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1;
			size_t vlen = len - n - 1;

			while (vlen && (*v == ' ' || *v == '\t')) {
				v++;
				vlen--;
			}
			while (vlen && (v[vlen - 1] == '\r' || v[vlen - 1] == ' '))
				vlen--;
			if (vlen >= sizeof(w->header_value))
				vlen = sizeof(w->header_value) - 1;
			memcpy(w->header_value, v, vlen);
			w->header_value[vlen] = '\0';
			return w->header_value;
		}
		if (!end)
			break;
		p = end + 1;
	}
	return NULL;
}

ssize_t wn_http_read(struct wn_http_stream *s, void *buf, size_t cap)
{
	int rc;

	while (s->body_pos == s->body.len) {
		if (s->done)
			return s->result == CURLE_OK ? 0 : transfer_error(s);
		if (s->paused) {
			s->paused = 0;
			curl.easy_pause(s->h->easy, CURLPAUSE_CONT);
		}
		if ((rc = step(s)) < 0)
			return rc;
		if (s->body_pos == s->body.len && !s->done && (rc = wait_a_little(s)) < 0)
			return rc;
	}
	if (cap > s->body.len - s->body_pos)
		cap = s->body.len - s->body_pos;
	memcpy(buf, s->body.data + s->body_pos, cap);
	s->body_pos += cap;
	return (ssize_t)cap;
}

void wn_http_snippet(struct wn_http_stream *s, char *buf, size_t cap)
{
	size_t len = 0;

	if (cap == 0)
		return;
	while (len + 1 < cap) {
		ssize_t n = wn_http_read(s, buf + len, cap - 1 - len);

		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
}

void wn_http_close(struct wn_http_stream *s)
{
	if (!s)
		return;
	curl.multi_remove_handle(s->h->multi, s->h->easy);
	curl.slist_free_all(s->req_headers);
	wn_buf_release(&s->headers);
	wn_buf_release(&s->body);
	free(s->shown_url);
	free(s);
}

ssize_t wn_http_reader(void *ctx, void *buf, size_t cap)
{
	return wn_http_read(ctx, buf, cap);
}

void wn_http_add_param(struct wn_buf *b, const char *name, const char *value)
{
	char *v = wn_http_escape(value);

	/* parameters after the first, not straight after the '?' */
	if (b->len && b->data[b->len - 1] != '?')
		wn_buf_addc(b, '&');
	wn_buf_adds(b, name);
	wn_buf_addc(b, '=');
	wn_buf_adds(b, v);
	free(v);
}
