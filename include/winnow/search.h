/*
 * Searching the bibliographic APIs (PubMed E-utilities; Europe PMC and
 * arXiv to come) and keeping what came back.
 *
 * A search is a search_run row with the query as sent and as the service
 * translated it, the limits, the count the service reported and what was
 * retrieved: the PRISMA-S items a tool can record. Its records are stored
 * batch by batch, each batch in its own transaction, so that an interrupted
 * search keeps everything up to its last whole batch and `resume` goes on
 * from there without fetching a batch twice or storing a record twice.
 */
#ifndef WINNOW_SEARCH_H
#define WINNOW_SEARCH_H

#include "winnow/store.h"

struct wn_search_progress {
	const char *source;     /* "pubmed" */
	long long total;        /* records the search will fetch (-1: unknown) */
	long long retrieved;    /* stored so far */
	const char *note;       /* a one-off message ("split into 3 date slices"), or NULL */
	const char *unit;       /* what is counted: "records", "DOIs" */
};

/* Stop the search or look-up under way at its next batch boundary, as
 * far as its last stored batch (for a Ctrl-C handler: async-signal-safe). */
void wn_search_interrupt(void);

struct wn_search_options {
	const char *source;   /* "pubmed" or "europepmc" */
	const char *query;
	const char *from;     /* YYYY, YYYY-MM or YYYY-MM-DD; NULL: no lower bound */
	const char *to;       /* the same; NULL: no upper bound */
	const char *datetype; /* pubmed: "edat" (default), "pdat" or "mdat" */
	long long max;        /* fetch at most this many (0: all) */
	int synonym;          /* europepmc: expand the query with synonyms */
	/* Called after each stored batch and for notes; may be NULL. */
	void (*progress)(void *ctx, const struct wn_search_progress *p);
	void *ctx;
};

struct wn_search_summary {
	long long run_id;
	long long count_reported; /* what the service said it has */
	long long retrieved;      /* records stored by this run */
	long long records_new;    /* not in the previous run of the same search */
	long long previous_run;   /* that run, or 0 */
	const char *status;       /* "complete" or "partial" */
	char translation[2048];   /* the query as the service ran it */
	char message[1024];       /* why it is partial, or a caveat; "" if none */
};

/* Are the options sound (a known source, a query, dates written YYYY,
 * YYYY-MM or YYYY-MM-DD, a known date type, no negative --max)? WN_OK, or
 * WN_EINVALID saying what is wrong. wn_search_run checks them too. */
int wn_search_check_options(const struct wn_search_options *opts);

/* Run a new search. WN_OK when it completed (status "complete", or
 * "partial" with the reason in message when the service cannot give
 * every record, such as more than 9,999 on one day); on an error the run
 * stays in the review as far as its last stored batch, marked so, and the
 * message names the service and what was retrieved (out->run_id is set
 * as soon as the run exists). */
int wn_search_run(struct wn_store *store, const struct wn_search_options *opts,
		  struct wn_search_summary *out);

/* Go on with an interrupted or failed run. Only opts->progress and ctx
 * are used. */
int wn_search_resume(struct wn_store *store, long long run_id,
		     const struct wn_search_options *opts, struct wn_search_summary *out);

/* Every search run, oldest first, for `winnow search list`. */
struct wn_search_row {
	long long id;
	const char *source, *database_name, *platform, *base_url;
	const char *query, *query_translation, *limits;
	const char *started_at, *finished_at, *status, *message;
	long long count_reported; /* -1 when unknown */
	long long count_retrieved, records_new, previous_run_id;
};

int wn_search_list(struct wn_store *store,
		   int (*row)(void *ctx, const struct wn_search_row *r), void *ctx);

/* ---- Crossref look-ups ---- */

struct wn_record;

struct wn_lookup_options {
	/* `lookup doi`: these DOIs; NULL: every stored record with a DOI that
	 * lacks an abstract, a journal or a year and was not looked up yet
	 * (`enrich --crossref`) */
	const char *const *dois;
	size_t ndois;
	long long max; /* at most this many DOIs (0: all) */
	/* Each record Crossref gave (lookup prints them); may be NULL. */
	int (*record)(void *ctx, const char *doi, const struct wn_record *rec);
	void (*progress)(void *ctx, const struct wn_search_progress *p);
	void *ctx;
};

struct wn_lookup_summary {
	long dois;           /* asked for */
	long found;          /* Crossref knew */
	long not_found;
	long records_filled; /* stored records that gained a field */
	long fields_filled;
};

/* Fetch Crossref metadata (unixsd XML, by content negotiation) for each DOI
 * and fill, in every stored record with that DOI, only the fields it lacks,
 * keeping Crossref's XML and the fields filled in record_enrichment with an
 * audit entry. One transaction per DOI: an interrupted run keeps what it
 * did. */
int wn_crossref_lookup(struct wn_store *store, const struct wn_lookup_options *opts,
		       struct wn_lookup_summary *out);

#endif
