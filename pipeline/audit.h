/*
 * Appending to the audit trail. Every change a command makes is described by
 * an entry written in the same transaction, chained by SHA-256 to the entry
 * before it. (Verification and reading the log come with `winnow audit`.)
 */
#ifndef WINNOW_AUDIT_INT_H
#define WINNOW_AUDIT_INT_H

#include <stddef.h>

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

/* Seals (audit_seal.c): the tables whose rows are never changed once
 * written, and the columns of them an entry vouches for. */
struct wn_sealed_table {
	const char *name;    /* as the seal names it */
	const char *columns;
	/* the table the rows are in, when it is not `name` */
	const char *from;
	/* record fields a Crossref look-up may fill: hashed as they were
	 * before it filled them, so that a seal made at import still holds */
	int unfilled;
};
/* The table a sealed_table's rows are in. */
#define WN_SEALED_FROM(t) ((t)->from ? (t)->from : (t)->name)
extern const struct wn_sealed_table wn_sealed_tables[];
extern const size_t wn_sealed_ntables;

/* The synthesis tables, whose rows change in place: each seal records
 * their state (each table's SHA-256, and row by row when it changed). */
extern const struct wn_sealed_table wn_state_tables[];
extern const size_t wn_state_ntables;

/* A range of up to this many rows is sealed row by row; a larger one in
 * blocks of WN_SEAL_BLOCK rows. */
#define WN_SEAL_PER_ROW 4096
#define WN_SEAL_BLOCK 256

/* The store's error for a covered table that cannot be read, naming it. */
int wn_seal_read_fail(struct wn_store *store, const char *table);

/* The hashes of a table's rows after..upto (rowids): their SHA-256 over
 * each row's, and a short hash (16 hex digits) of each row (per_row) or
 * block, with the rowid it starts at. */
struct wn_seal_range {
	long long after, upto, n;
	int per_row;
	char sha256[65];
	char (*parts)[17];
	long long *ids;
	size_t nparts;
};

int wn_seal_range(struct wn_store *store, const struct wn_sealed_table *t, long long after,
		  long long upto, int per_row, struct wn_seal_range *out);
void wn_seal_range_release(struct wn_seal_range *r);
/* Note that a statement changed a row of `table` (the store's update
 * hook), so that the next seal hashes that state table again. */
void wn_audit_touched(struct wn_store *store, const char *table);

/* A state table as it stands: every row with its short hash (by blocks
 * of rows when it has more than WN_SEAL_PER_ROW). */
int wn_state_digest(struct wn_store *store, const struct wn_sealed_table *t,
		    struct wn_seal_range *out);
/* The rowid each sealed table had reached at the last seal (0s before
 * the first); upto has wn_sealed_ntables slots. */
int wn_seal_last(struct wn_store *store, long long upto[]);
/* Append a seal for the rows added since the last one (nothing when none
 * were). Called by the store as a transaction that wrote audit entries
 * commits. */
int wn_audit_seal(struct wn_store *store);

#endif
