/*
 * winnow: the library behind the `winnow` command (libwinnow).
 *
 * Conventions across the public API:
 *   - functions that can fail return 0 (WN_OK) or a negative enum wn_status;
 *     the one-line message describing the failure is set once, where it
 *     happened, and read with wn_error_last();
 *   - objects returned through an `out` pointer belong to the caller and are
 *     released with the matching *_release() or *_close() function,
 *     which accepts NULL;
 *   - the library never exits and never prints; cmd/ decides what to say.
 */
#ifndef WINNOW_WINNOW_H
#define WINNOW_WINNOW_H

#define WINNOW_VERSION "0.1.0"

enum wn_status {
	WN_OK = 0,
	WN_ERROR = -1,      /* unexpected failure (I/O, SQLite, out of memory) */
	WN_ENOTFOUND = -2,  /* a file, record or object does not exist */
	WN_EEXISTS = -3,    /* refusing to overwrite something that exists */
	WN_EINVALID = -4,   /* bad input data: a file, value or argument */
	WN_ENOTREVIEW = -5, /* the file is not a winnow review */
	WN_ETOONEW = -6,    /* the review was written by a newer winnow */
	WN_EREADONLY = -7,  /* the review cannot be written */
	WN_EBUSY = -8,      /* another process holds the review */
	WN_ENETWORK = -9,   /* a service did not answer, or not with what was asked */
	WN_EINTERRUPTED = -10, /* stopped by the user (Ctrl-C) */
};

/* The message for the most recent failure in this thread ("" if none). */
const char *wn_error_last(void);

/* The status code of the most recent failure in this thread. */
int wn_error_code(void);

/* Is `date` a real calendar date written YYYY-MM-DD (or, unless
 * day_required, YYYY or YYYY-MM), as protocols and search records give
 * them? */
int wn_date_valid(const char *date, int day_required);

/* A copy of s that is valid UTF-8: valid sequences as they are, each byte
 * of an invalid one read as Latin-1. For showing file names and text from
 * files in JSON, which must be UTF-8. free() it. */
char *wn_utf8_lossy(const char *s);

/* SHA-256 of a file as 64 hex digits, read in pieces; *size gets its
 * length (may be NULL). Sets the error naming the path. */
int wn_file_sha256(const char *path, char out[65], long long *size);

#endif
