/*
 * Importing export files into a review.
 *
 * Each file becomes one import_file row with its provenance (the database
 * it came from, platform, date searched, search string, file name, SHA-256,
 * encoding, record count) for PRISMA and PRISMA-S, and one record row per
 * entry, with the entry's raw text and line. A file is imported whole or
 * not at all.
 */
#ifndef WINNOW_IMPORT_H
#define WINNOW_IMPORT_H

#include "winnow/store.h"

struct wn_import_options {
	const char *format;        /* a format name; NULL to detect it */
	const char *source;        /* the database, as the protocol names it;
				    * NULL to work it out from the file */
	const char *platform;      /* NULL: from the protocol */
	const char *date_searched; /* YYYY-MM-DD; NULL: from the protocol */
	const char *query;         /* NULL: from the protocol */
	const char *via;           /* database, register, website, organisation,
				    * citation; NULL: from the protocol, else
				    * database */
	int again;                 /* import a file already imported */
	int strict;                /* any warning aborts the import */
	int dry_run;               /* read and check everything, store nothing */
	/* Called (with the warning callback's ctx) after every
	 * WN_IMPORT_PROGRESS_EVERY records of a file; may be NULL. */
	void (*progress)(void *ctx, const char *path, long records);
};

#define WN_IMPORT_PROGRESS_EVERY 10000

struct wn_import_summary {
	long long import_id;
	long read;      /* entries the parser found */
	long stored;    /* records written */
	long warnings;
	const char *format;
	const char *dialect;       /* NULL if none recognised */
	char encoding[16];
	char line_endings[8];
	char sha256[65];
	char database[128];
	char via[16];
	long long previous_import; /* an earlier import of the same bytes */
};

/* Called for each warning; `line` is 0 when it is about the whole file. */
typedef void (*wn_import_warning_fn)(void *ctx, const char *path, long line,
				     const char *message);

/* Import one file, inside its own (nested) transaction. On failure nothing
 * of this file is kept and the error names the file (and line). */
int wn_import_file(struct wn_store *store, const char *path,
		   const struct wn_import_options *opts, wn_import_warning_fn warn,
		   void *ctx, struct wn_import_summary *out);

/* Is `via` one of the PRISMA routes a person can name for an import
 * (database, register, website, organisation, citation)? A protocol may
 * also say 'other', which the import then records. */
int wn_import_via_valid(const char *via);

#endif
