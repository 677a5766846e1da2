/*
 * Readers for the answers of the live search services (arXiv API, Europe
 * PMC REST, NCBI ESearch), for `winnow search` and the look-ups.
 *
 * A search command fetches a page, then must know more than its records:
 * how many hits there are in all and where the next page starts (to page
 * on or stop), and whether the service answered with an error instead of
 * results. These services report many errors in band, with HTTP 200 (an
 * arXiv feed whose one entry is an error, a Europe PMC wrapper holding
 * errMsg, an eSearchResult holding ERROR), and a page that cannot be read
 * (truncated, HTML from a proxy, JSON) must never pass for "no results".
 * So each reader returns the page's own figures alongside the records and
 * turns an in-band error into WN_EINVALID with the service's message.
 *
 * They run on the XML readers' streaming walk (xml_common.h), so the same
 * safety rules hold: no DTD, no entity substitution, no network access,
 * bounded memory per record.
 */
#ifndef WINNOW_API_RESPONSES_H
#define WINNOW_API_RESPONSES_H

#include "formats_int.h"

/* ---- arXiv API (export.arxiv.org/api/query): an Atom feed ---- */

struct wn_arxiv_feed {
	long long total, start, per_page; /* opensearch values, -1 when absent */
	long entries;                     /* entries emitted */
};

/* Parse p->in as an arXiv API feed: each entry emitted through p->record,
 * the opensearch values into *feed. A feed whose single entry is an
 * error (id http://arxiv.org/api/errors#..., title "Error") returns
 * WN_EINVALID with "arXiv API error: <summary>" and emits nothing.
 * The arxiv-atom file format is this same reader. */
int wn_arxiv_parse_feed(struct wn_parser *p, struct wn_arxiv_feed *feed);

/* ---- Europe PMC REST search (format=xml) ---- */

struct wn_europepmc_page {
	long long hit_count; /* -1 when absent */
	char *next_cursor;   /* nextCursorMark, or NULL (always NULL on failure); free it */
	long results;        /* results emitted */
};

/* Parse p->in as one page of a Europe PMC search (lite or core results,
 * each emitted through p->record), with its hitCount and nextCursorMark.
 * A wrapper carrying errMsg (and errCode) instead of a resultList returns
 * WN_EINVALID with "Europe PMC error: <message>". */
int wn_europepmc_parse_page(struct wn_parser *p, struct wn_europepmc_page *page);

/* ---- NCBI E-utilities ESearch ---- */

struct wn_esearch_result {
	long long count;             /* -1 when absent */
	long long retmax, retstart;  /* -1 when absent */
	char *webenv, *query_key, *query_translation; /* NULL when absent */
	struct wn_strlist ids;
	char *error;                 /* the text of an <ERROR> element, or NULL */
	/* ErrorList / WarningList items as "PhraseNotFound: term" */
	struct wn_strlist errors, warnings;
};

/* Parse an ESearch answer held in memory (it is small); `name` labels
 * messages. WN_OK when it is an eSearchResult, even one holding ERROR
 * (the caller decides what that means for the search); WN_EINVALID when
 * it is anything else (an HTML page, a JSON error body, another
 * E-utility's answer, not XML, truncated), with a message saying what it
 * is. *out is cleared first and must be cleared by the caller after. */
int wn_esearch_parse(const char *name, const char *body, size_t len,
		     struct wn_esearch_result *out);
void wn_esearch_result_clear(struct wn_esearch_result *r);

#endif
