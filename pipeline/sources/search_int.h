/*
 * What the sources share while a search runs: the run's row and parts in
 * the store, the records already stored (so that a resumed batch stores
 * none twice), the HTTP client, progress. pipeline/search.c owns the SQL;
 * each source (pubmed.c, ...) owns its protocol.
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
	const struct wn_search_options *opts; /* progress and ctx */
	struct wn_search_summary *out;
	struct wn_http *http;
	sqlite3_int64 run_id;
	const char *source;
	long long total;      /* what this run will fetch, for progress */
	long long position;   /* records stored in the run so far */
	/* the source ids stored in this run, sorted, for resumes */
	char **seen;
	size_t nseen, seen_cap;
	int resuming;
	long long batch_stored; /* in the batch being stored */
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

/* What to do after a failed attempt. */
enum wn_verdict { WN_GIVE_UP, WN_RETRY };

/* A response that is not 200: the error set (naming the service, with an
 * HTML page's title or the body's first words), whether another attempt
 * may pass, and how long the service asked to wait (-1: it did not). */
enum wn_verdict wn_search_judge_status(const struct wn_http_service *svc,
				       struct wn_http_stream *r, const char *what,
				       double *retry_after);

/* Wait before attempt `attempt` + 1, saying so; non-zero when there is
 * none left or the user pressed Ctrl-C (the error says which). */
int wn_search_wait_to_retry(struct wn_search *s, int attempt, double retry_after);

/* The sources. */
int wn_pubmed_search(struct wn_search *s, const struct wn_search_options *opts);
int wn_pubmed_resume(struct wn_search *s);
int wn_europepmc_search(struct wn_search *s, const struct wn_search_options *opts);
int wn_europepmc_resume(struct wn_search *s);
int wn_arxiv_search(struct wn_search *s, const struct wn_search_options *opts);
int wn_arxiv_resume(struct wn_search *s);

#endif
