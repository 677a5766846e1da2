/*
 * Records in the store: the one place that knows the record table's
 * columns. Imports and searches insert through it; exports, screening and
 * dedupe read records back through it.
 */
#ifndef WINNOW_RECORD_STORE_H
#define WINNOW_RECORD_STORE_H

#include <sqlite3.h>

#include "store_int.h"
#include "winnow/record.h"

/* Insert one record from an import file (import_file_id > 0) or a search
 * run (search_run_id > 0), with its match keys. Must run inside a
 * transaction. *id (may be NULL) gets the new row id. */
int wn_record_insert(struct wn_store *store, const struct wn_record *rec,
		     sqlite3_int64 import_file_id, sqlite3_int64 search_run_id,
		     sqlite3_int64 *id);

/* The column list that wn_record_from_row reads, for SELECTs over
 * `record r` (prefix every name with "r."). */
#define WN_RECORD_COLUMNS \
	"r.id, r.position, r.line, r.source_id, r.type, r.title, r.abstract, " \
	"r.authors, r.year, r.date, r.journal, r.journal_abbrev, r.volume, " \
	"r.issue, r.pages, r.doi, r.pmid, r.pmcid, r.issn, r.isbn, r.language, " \
	"r.keywords, r.mesh, r.pubtypes, r.url, r.publisher, r.extra, r.raw, " \
	"r.raw_format"
#define WN_RECORD_NCOLUMNS 29

/* Add the strings of a stored JSON list ("authors", "keywords") to l. */
void wn_strlist_from_json(struct wn_strlist *l, const char *text);

/* Where record r came from: its import file as f or its search as s
 * (one of them is NULL); WN_RECORD_SOURCE names the database. */
#define WN_RECORD_ORIGIN_JOIN \
	"LEFT JOIN import_file f ON f.id = r.import_file_id " \
	"LEFT JOIN search_run s ON s.id = r.search_run_id "
#define WN_RECORD_SOURCE "COALESCE(f.database_name, s.database_name)"

/* Fill rec (initialised by the caller) from a row whose first columns are
 * WN_RECORD_COLUMNS. raw_format points into a static string table. */
void wn_record_from_row(sqlite3_stmt *st, struct wn_record *rec);

/* What a report's primary record took from the others in its cluster. */
struct wn_filled {
	size_t n;
	const char *field[WN_RECORD_FILLABLE];
	long long from[WN_RECORD_FILLABLE];
};

/* Fill what the primary record of a report lacks from the other records
 * of its cluster, earliest first, saying what came from where. */
int wn_report_fill(struct wn_store *store, struct wn_record *rec, long long primary,
		   struct wn_filled *filled);

#endif
