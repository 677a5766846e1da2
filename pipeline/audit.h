/*
 * Appending to the audit trail. Every change a command makes is described by
 * an entry written in the same transaction, chained by SHA-256 to the entry
 * before it. (Verification and reading the log come with `winnow audit`.)
 */
#ifndef WINNOW_AUDIT_H
#define WINNOW_AUDIT_H

#include <sqlite3.h>

#include "store_int.h"

/* Hash of the entry before the first: 64 zeros. */
#define WN_AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* Append an entry for `action` on row `entity_id` of table `entity`, with
 * `details` a JSON object (text). Must be called inside a transaction. The
 * actor and command line come from the store handle. */
int wn_audit_append(struct wn_store *store, const char *action, const char *entity,
		    sqlite3_int64 entity_id, const char *details);

/* The hash that an entry with these fields gets; exposed for verification. */
void wn_audit_hash(const char *prev_hash, sqlite3_int64 id, const char *at,
		   const char *actor, const char *command, const char *action,
		   const char *entity, sqlite3_int64 entity_id, const char *details,
		   char out[65]);

#endif
