#include "audit.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

/* The hashed content is a format tag, then each field in a fixed order,
 * each preceded by its length, so that no two different entries serialise
 * to the same bytes. The tag lets a later winnow change what is hashed and
 * still verify entries written under this format. */
#define AUDIT_FORMAT "winnow-audit-1"
static void add_field(struct wn_buf *b, const char *s)
{
	size_t n;

	s = s ? s : "";
	n = strlen(s);
	wn_buf_add_uint(b, n);
	wn_buf_addc(b, ':');
	wn_buf_add(b, s, n);
	wn_buf_addc(b, '\n');
}

void wn_audit_hash(const char *prev_hash, sqlite3_int64 id, const char *at,
		   const char *actor, const char *command, const char *action,
		   const char *entity, sqlite3_int64 entity_id, const char *details,
		   char out[65])
{
	struct wn_buf b = WN_BUF_INIT;
	char num[32];

	add_field(&b, AUDIT_FORMAT);
	add_field(&b, prev_hash);
	snprintf(num, sizeof(num), "%lld", (long long)id);
	add_field(&b, num);
	add_field(&b, at);
	add_field(&b, actor);
	add_field(&b, command);
	add_field(&b, action);
	add_field(&b, entity);
	snprintf(num, sizeof(num), "%lld", (long long)entity_id);
	add_field(&b, num);
	add_field(&b, details);
	wn_sha256_hex(b.data, b.len, out);
	wn_buf_release(&b);
}

int wn_audit_append(struct wn_store *store, const char *action, const char *entity,
		    sqlite3_int64 entity_id, const char *details)
{
	char prev[65] = WN_AUDIT_GENESIS, hash[65], now[21];
	sqlite3_int64 id = 1;
	sqlite3_stmt *st;
	int rc;

	if ((rc = wn_store_require_transaction(store)) < 0)
		return rc;
	st = wn_store_prepare(store, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
	if (!st)
		return wn_error_code();
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0) + 1;
		snprintf(prev, sizeof(prev), "%s", wn_column_text(st, 1));
	} else if (rc != SQLITE_DONE) {
		return wn_store_fail(store, "cannot read the audit trail");
	}
	sqlite3_reset(st);

	details = details ? details : "{}";
	if (strcmp(action, "seal"))
		store->audit_pending = 1;
	wn_utc_now(now);
	wn_audit_hash(prev, id, now, store->actor, store->command_line, action, entity,
		      entity_id, details, hash);

	st = wn_store_prepare(store,
			      "INSERT INTO audit_log(id, at, actor, command, action, entity, "
			      "entity_id, details, prev_hash, hash) "
			      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
	if (!st)
		return wn_error_code();
	sqlite3_bind_int64(st, 1, id);
	wn_bind_text(st, 2, now);
	wn_bind_text(st, 3, store->actor);
	wn_bind_text(st, 4, store->command_line);
	wn_bind_text(st, 5, action);
	wn_bind_text(st, 6, entity);
	sqlite3_bind_int64(st, 7, entity_id);
	wn_bind_text(st, 8, details);
	wn_bind_text(st, 9, prev);
	wn_bind_text(st, 10, hash);
	if (sqlite3_step(st) != SQLITE_DONE)
		return wn_store_fail(store, "cannot write the audit trail");
	return WN_OK;
}
