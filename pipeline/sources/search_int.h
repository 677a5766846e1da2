/*
 * What the sources share while a search runs: the run's row and parts in
 * the store, the records already stored (so that a resumed batch stores
 * none twice), the HTTP client, progress. pipeline/search.c owns the SQL;
 * fetch.c how any source asks, reads, retries and pages; each source
 * (pubmed.c, europepmc.c, arxiv.c, crossref.c) only its own protocol.
 */
#ifndef WINNOW_SOURCES_SEARCH_INT_H
#define WINNOW_SOURCES_SEARCH_INT_H

#include <sqlite3.h>

#include "sources/http.h"
#include "store_int.h"
#include "winnow/format.h"
#include "winnow/search.h"

/* One part of a search: a PubMed date slice (or the whole search). */
struct wn_search_part {
	sqlite3_int64 id;
	int seq;
	char label[64];
	char mindate[11], maxdate[11]; /* YYYY/MM/DD, "" for none */
	long long count_reported;      /* -1 when not known yet */
	long long count_retrieved;
	char cursor[1024];             /* where to go on: a Europe PMC cursorMark,
				        * an arXiv offset; "" for none */
	int complete;
};

struct wn_search {
	struct wn_store *store;
	/* what is searched (for a resume: as the run stored it) */
	const struct wn_search_options *opts;
	struct wn_search_summary *out;
	struct wn_http *http;
	struct wn_http_service svc; /* its name and pace */
	char *base;                 /* the service's base URL, ending in '/' */
	const char *email;          /* WINNOW_EMAIL, or NULL */
	sqlite3_int64 run_id;
	const char *source;
	const char *unit;     /* what progress counts: NULL for "records" */
	long long total;      /* what this run will fetch, for progress */
	long long position;   /* records stored in the run so far */
	/* the source ids stored in this run, sorted, for resumes */
	char **seen;
	size_t nseen, seen_cap;
	int resuming;
	long long batch_stored; /* in the batch being stored */
	long page_got;          /* records in the answer last read */
};

/* The run's row, in its own transaction with an audit entry. */
int wn_search_create_run(struct wn_search *s, const char *database_name,
			 const char *platform, const char *base_url, const char *query,
			 const char *limits_json);
int wn_search_set_reported(struct wn_search *s, long long count, const char *translation);
int wn_search_add_part(struct wn_search *s, struct wn_search_part *part);
/* The run's parts, in order; free the array. */
int wn_search_load_parts(struct wn_search *s, struct wn_search_part **parts, size_t *n);
/* Record a stored batch of a part (inside the batch's transaction). */
int wn_search_part_progress(struct wn_search *s, struct wn_search_part *part,
			    long long retrieved, int complete);
/* The records of the run so far (for a resume), into s->seen. */
int wn_search_load_seen(struct wn_search *s);
int wn_search_has_seen(const struct wn_search *s, const char *source_id);

/* Store one record of the run (skipped when its source id is stored
 * already). Inside the batch's transaction. */
int wn_search_store_record(struct wn_search *s, struct wn_record *rec);

/* Mark the run finished ("complete", "partial" or "failed") with a
 * message, count what is new since the previous run of the same search,
 * and write the summary. */
int wn_search_finish(struct wn_search *s, const char *status, const char *message);

void wn_search_note(struct wn_search *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void wn_search_report_progress(struct wn_search *s);

/* ---- talking to the service (fetch.c) ---- */

/* The base URL from the environment variable, else the fallback, ending
 * in '/'. Free it. */
char *wn_search_base_url(const char *env, const char *fallback);

/* What to do after a failed attempt. */
enum wn_verdict { WN_GIVE_UP, WN_RETRY };

/* Send a request: WN_OK with *r for a 200 answer (or an `also_ok` status,
 * 0 for none); otherwise the error (naming the service and `what`), with
 * whether another attempt may pass and how long the service asked to
 * wait (-1: it did not). */
int wn_search_request(struct wn_search *s, const struct wn_http_request *req, const char *what,
		      long also_ok, struct wn_http_stream **r, enum wn_verdict *v,
		      double *retry_after);

/* How an answer's body is read: by a format reader whose records are
 * stored in the run (none past --max), or handed to `record` instead. */
struct wn_search_reader {
	const char *what; /* "EFetch", for messages and the input's name */
	int (*parse)(struct wn_parser *p, void *arg);
	void *arg;
	int (*record)(void *ctx, struct wn_record *rec); /* NULL: store it */
	void *record_ctx;
};

/* Read r's body; s->page_got counts the records it held. An answer that
 * is not what was asked for (another format, an in-band error, a body
 * cut short) is a failure of the service (WN_ENETWORK) that may pass. */
int wn_search_read(struct wn_search *s, struct wn_http_stream *r,
		   const struct wn_search_reader *rd);

/* One request and what is done with its answer, tried until it succeeds,
 * a failure may not pass (the store's, a 4xx, Ctrl-C) or the attempts run
 * out, waiting between as wn_http_retry_delay says and saying so. */
struct wn_search_attempt {
	int transact; /* each attempt in its own transaction, kept only whole */
	int (*attempt)(void *ctx, enum wn_verdict *v, double *retry_after);
	void (*undo)(void *ctx);  /* after a rolled-back attempt; may be NULL */
	int (*again)(void *ctx);  /* before each retry; may be NULL */
	void *ctx;
};

int wn_search_retry(struct wn_search *s, const struct wn_search_attempt *a);

/* A service paged by cursor (Europe PMC's cursorMark, arXiv's offset). */
struct wn_paged_source {
	const char *first_cursor;
	/* The page at part->cursor, its records stored: *total the service's
	 * count, part->cursor moved to the next page, *done when there is
	 * none after it. One attempt (see wn_search_retry). */
	int (*page)(struct wn_search *s, struct wn_search_part *part, long long *total,
		    int *done, enum wn_verdict *v, double *retry_after);
};

/* The whole search, one page per transaction, or (resume) on from the
 * stored cursor; then the run is finished. */
int wn_search_paged(struct wn_search *s, const struct wn_paged_source *src, int resume);

/* ---- the sources: search, or go on with s->run_id (resume) ---- */
int wn_pubmed_run(struct wn_search *s, int resume);
int wn_europepmc_run(struct wn_search *s, int resume);
int wn_arxiv_run(struct wn_search *s, int resume);

#endif
