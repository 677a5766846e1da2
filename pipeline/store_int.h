/*
 * Inside the store: what other parts of libwinnow need to talk SQL to the
 * review. Only pipeline/ includes this; SQL never leaves pipeline/.
 */
#ifndef WINNOW_STORE_INT_H
#define WINNOW_STORE_INT_H

#include <sqlite3.h>

#include <stdint.h>

#include "winnow/store.h"

struct wn_stmt_cache_entry {
	const char *sql;
	sqlite3_stmt *stmt;
};

struct wn_store {
	sqlite3 *db;
	char *path;
	char *actor;
	char *command_line;
	char created_at[32];
	int version;
	int writable;
	int in_transaction;
	int created; /* this handle created the file */
	int creating; /* it is creating it now: migrations are part of "init" */
	int audit_pending; /* this transaction wrote audit entries: seal them at commit */
	unsigned touched;  /* state tables changed since the last seal (audit_seal.c) */
	struct wn_stmt_cache_entry *stmts;
	int nstmts;
	/* the protocol in force, parsed once per version (wn_protocol_in_force) */
	struct wn_protocol *protocol;
	long long protocol_id; /* its version; 0: none parsed yet */
};

/* The protocol in force, parsed once per handle and version: borrowed,
 * valid until the next call; NULL when the review has none or it no
 * longer parses. Each call checks which version is latest, so a protocol
 * loaded meanwhile (by another process) is seen. */
const struct wn_protocol *wn_protocol_in_force(struct wn_store *store);

/* A prepared statement for `sql`, compiled once per handle and reset with
 * its bindings cleared on every call. `sql` should be a string literal (the
 * cache compares pointers first). NULL on failure, with the error set. */
sqlite3_stmt *wn_store_prepare(struct wn_store *store, const char *sql);

/* Set the error for a failed SQLite call from the connection's state,
 * prefixed by `what`; returns the matching enum wn_status. */
int wn_store_fail(struct wn_store *store, const char *what);

/* Step a prepared statement that returns no rows (INSERT, UPDATE,
 * DELETE) and reset it: WN_OK, or the error set as "<what>: <SQLite's
 * message>". wn_store_insert also gives the new row's id (id may be NULL). */
int wn_store_run(struct wn_store *store, sqlite3_stmt *st, const char *what);
int wn_store_insert(struct wn_store *store, sqlite3_stmt *st, const char *what,
		    int64_t *id);

/* Run SQL with no results (used for DDL and pragmas). */
int wn_store_exec(struct wn_store *store, const char *sql);

/* Bind text, or NULL when s is NULL. */
int wn_bind_text(sqlite3_stmt *st, int i, const char *s);

/* Column text as a C string ("" for NULL). */
const char *wn_column_text(sqlite3_stmt *st, int i);

/* Fail with WN_EREADONLY unless the handle was opened for writing and a
 * transaction is open; every change must happen inside one. */
int wn_store_require_transaction(struct wn_store *store);

#endif
