/*
 * The audit trail, read: verifying that nobody rewrote history, and the
 * log of who changed what. Every change a command makes is an entry,
 * hash-chained to the one before (docs/audit.md); a seal entry after each
 * change vouches for the rows it added to the tables that are never
 * changed once written.
 */
#ifndef WINNOW_AUDIT_H
#define WINNOW_AUDIT_H

#include <stddef.h>

#include "winnow/store.h"

/* One thing found wrong: the entry it concerns (0 when none does), and
 * the table and row (NULL and 0 when it is the trail itself). */
struct wn_audit_problem {
	long long entry;
	char *table;
	long long row;
	char *message;
};

struct wn_audit_report {
	long long entries;      /* in the trail */
	long long rows;         /* rows checked against their seals */
	char head[65];          /* the last entry's hash ("" for an empty trail) */
	struct wn_audit_problem *problems;
	size_t nproblems;       /* at most WN_AUDIT_MAX_PROBLEMS are kept */
	size_t more;            /* how many more were found */
	int unsealed;           /* the trail has no seal yet: a review written by a
				 * winnow before seals; its rows are sealed by the
				 * next change, and only the chain is checked now */
};
#define WN_AUDIT_MAX_PROBLEMS 100

/* Recompute the chain and every seal. WN_OK when it ran (the report says
 * whether anything is wrong), an error when the review cannot be read. */
int wn_audit_verify(struct wn_store *store, struct wn_audit_report *out);
void wn_audit_report_release(struct wn_audit_report *r);

/* One entry of the log. */
struct wn_audit_entry {
	long long id;
	const char *at, *actor, *command, *action, *entity, *details, *hash;
	long long entity_id;
};

/* The entries (seals aside unless wanted), oldest first, filtered by time
 * (since: a date or time, UTC), actor and record (a record id, pmid:N or
 * doi:X: the entries about it, its report or its decisions); NULL for no
 * filter. fn's non-zero return stops. */
struct wn_audit_filter {
	const char *since;
	const char *actor;
	const char *record;
	int seals;
};
int wn_audit_log(struct wn_store *store, const struct wn_audit_filter *f,
		 int (*fn)(void *ctx, const struct wn_audit_entry *e), void *ctx);

#endif
