/*
 * The review store: one review is one SQLite file.
 *
 * Every stage of the pipeline reads and writes the review through the handle
 * opened here. The file is recognised by its SQLite application id; its
 * schema version is PRAGMA user_version and is brought forward by migrations
 * when a review is opened for writing. A file that is not a winnow review, or
 * that was written by a newer winnow, is refused without being modified.
 */
#ifndef WINNOW_STORE_H
#define WINNOW_STORE_H

#include "winnow/winnow.h"

/* The schema this build writes. See docs/schema.md. */
#define WN_SCHEMA_VERSION 6

/* SQLite application id of a winnow review: "WNOW". */
#define WN_APPLICATION_ID 0x574e4f57

struct wn_store;

/* Who is changing the review, for the audit trail: a reviewer's name (or
 * the login name) and the command line, with secrets already removed. */
struct wn_who {
	const char *actor;
	const char *command_line;
};

enum wn_open_mode {
	WN_OPEN_READ,  /* never writes; works on read-only files */
	WN_OPEN_WRITE, /* migrates an older schema forward if needed */
};

/* Create a new, empty review at `path`. Fails with WN_EEXISTS if anything
 * (even an empty file) is already there; on any failure nothing is left
 * behind. */
int wn_store_create(struct wn_store **out, const char *path, const struct wn_who *who);

/* Open an existing review. */
int wn_store_open(struct wn_store **out, const char *path, enum wn_open_mode mode,
		  const struct wn_who *who);

/* Close a handle returned by wn_store_create and delete the review it
 * created: for a command whose later step failed, so that nothing partial
 * is left behind. On any other handle it only closes. */
void wn_store_discard_new(struct wn_store *store);

/* Close the handle (NULL is fine). Rolls back an unfinished transaction. */
void wn_store_close(struct wn_store *store);

/* Transactions: every change a command makes happens between begin and
 * commit, together with its audit entries. They nest (inner ones are
 * savepoints), so a library function can own its transaction and still be
 * part of a caller's. rollback undoes the innermost one and is safe to call
 * when none is open. */
int wn_store_begin(struct wn_store *store);
int wn_store_commit(struct wn_store *store);
void wn_store_rollback(struct wn_store *store);

const char *wn_store_path(const struct wn_store *store);
int wn_store_schema_version(const struct wn_store *store);

/* Change who the audit trail names from now on (e.g. the reviewer a
 * screening session is for). The string is copied. */
void wn_store_set_actor(struct wn_store *store, const char *actor);

/* Check every page of the file (SQLite's quick_check): WN_OK, or WN_ERROR
 * with a message saying the review is damaged and how. It reads the whole
 * file, so it runs where the whole review is reported on (status, audit)
 * and before migrations, not on every command. */
int wn_store_check_integrity(struct wn_store *store);

/* When the review was created (UTC, ISO 8601); "" if unknown. */
const char *wn_store_created_at(const struct wn_store *store);

#endif
