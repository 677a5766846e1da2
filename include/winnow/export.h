/*
 * Exporting records: every record, or those a screening stage included,
 * excluded or has still to decide, in RIS, BibTeX, CSV or JSON.
 */
#ifndef WINNOW_EXPORT_H
#define WINNOW_EXPORT_H

#include <stdio.h>

#include "winnow/store.h"

enum wn_export_where {
	WN_EXPORT_ALL,
	WN_EXPORT_INCLUDED, /* included at the stage (default: the last) */
	WN_EXPORT_EXCLUDED, /* excluded at the stage or before (default: any) */
	WN_EXPORT_PENDING,  /* reached the stage and not decided there */
};

struct wn_export_options {
	const char *format;  /* ris, bibtex, csv, json */
	enum wn_export_where where;
	const char *stage;   /* NULL: see enum wn_export_where */
	int reports;         /* one per report: each cluster's primary record,
			      * what it lacks filled in from the others */
};

/* Write the records (or reports) to fp, in record order, streaming. *count
 * gets the number written. WN_ENOTFOUND when the stage does not exist. */
int wn_export(struct wn_store *store, const struct wn_export_options *opts, FILE *fp,
	      long *count);

#endif
