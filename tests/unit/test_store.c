/* Creating, recognising and refusing review files; the audit chain. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/stat.h>

#include "audit.h"
#include "helpers.h"
#include "store_int.h"
#include "util.h"
#include "winnow/store.h"

static int setup(void **state)
{
	struct tmpdir *t = malloc(sizeof(*t));

	tmpdir_make(t);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	tmpdir_remove(*state);
	free(*state);
	return 0;
}

static void test_create_then_open(void **state)
{
	const char *path = tmpdir_file(*state, "r.db");
	struct wn_store *s;
	int app = 0, ver = 0;
	sqlite3_stmt *st;

	assert_int_equal(wn_store_create(&s, path, WHO("winnow init")), WN_OK);
	assert_int_equal(wn_store_schema_version(s), WN_SCHEMA_VERSION);
	assert_int_equal(strlen(wn_store_created_at(s)), 20);
	wn_store_close(s);

	assert_int_equal(wn_store_open(&s, path, WN_OPEN_WRITE, WHO("t")), WN_OK);
	st = wn_store_prepare(s, "PRAGMA application_id");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	app = sqlite3_column_int(st, 0);
	st = wn_store_prepare(s, "PRAGMA user_version");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	ver = sqlite3_column_int(st, 0);
	assert_int_equal((unsigned)app, WN_APPLICATION_ID);
	assert_int_equal(ver, WN_SCHEMA_VERSION);
	st = wn_store_prepare(s, "PRAGMA journal_mode");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal(wn_column_text(st, 0), "wal");
	st = wn_store_prepare(s, "PRAGMA foreign_keys");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	wn_store_close(s);
}

static void test_create_never_overwrites(void **state)
{
	const char *path = tmpdir_file(*state, "exists.db");
	struct wn_store *s;
	struct stat st;

	write_file(path, "", 0);
	assert_int_equal(wn_store_create(&s, path, WHO("t")), WN_EEXISTS);
	assert_null(s);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 0);
	assert_int_equal(wn_store_create(&s, ((struct tmpdir *)*state)->path, WHO("t")), WN_EEXISTS);
	assert_int_equal(wn_store_create(&s, tmpdir_file(*state, "no/such/dir.db"), WHO("t")), WN_ERROR);
	assert_non_null(strstr(wn_error_last(), "cannot create"));
}

static void test_refuses_strangers(void **state)
{
	const char *garbage = tmpdir_file(*state, "garbage.db");
	const char *other = tmpdir_file(*state, "other.db");
	const char *missing = tmpdir_file(*state, "missing.db");
	char before[65], after[65], *data;
	struct wn_store *s;
	sqlite3 *db;
	size_t len;

	write_file(garbage, "this is not a database, just some text that is long enough\n", 60);
	assert_int_equal(wn_store_open(&s, garbage, WN_OPEN_WRITE, WHO("t")), WN_ENOTREVIEW);
	assert_non_null(strstr(wn_error_last(), garbage));

	assert_int_equal(sqlite3_open(other, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(a); INSERT INTO t VALUES (1)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(wn_read_file(other, 1 << 20, &data, &len), WN_OK);
	wn_sha256_hex(data, len, before);
	free(data);
	assert_int_equal(wn_store_open(&s, other, WN_OPEN_WRITE, WHO("t")), WN_ENOTREVIEW);
	assert_non_null(strstr(wn_error_last(), "not a winnow review"));
	assert_int_equal(wn_read_file(other, 1 << 20, &data, &len), WN_OK);
	wn_sha256_hex(data, len, after);
	free(data);
	assert_string_equal(before, after);

	assert_int_equal(wn_store_open(&s, missing, WN_OPEN_READ, WHO("t")), WN_ENOTFOUND);
	assert_non_null(strstr(wn_error_last(), "winnow init"));
	assert_int_equal(wn_store_open(&s, ((struct tmpdir *)*state)->path, WN_OPEN_READ, WHO("t")),
			 WN_EINVALID);
}

static void test_refuses_newer_schema(void **state)
{
	const char *path = tmpdir_file(*state, "newer.db");
	struct wn_store *s;
	sqlite3 *db;

	assert_int_equal(wn_store_create(&s, path, WHO("t")), WN_OK);
	wn_store_close(s);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 42", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(wn_store_open(&s, path, WN_OPEN_READ, WHO("t")), WN_ETOONEW);
	assert_non_null(strstr(wn_error_last(), "newer winnow"));
	assert_int_equal(wn_store_open(&s, path, WN_OPEN_WRITE, WHO("t")), WN_ETOONEW);
}

static void test_read_only(void **state)
{
	const char *path = tmpdir_file(*state, "ro.db");
	struct wn_store *s;

	assert_int_equal(wn_store_create(&s, path, WHO("t")), WN_OK);
	wn_store_close(s);
	/* a reader may not start a transaction, nor write behind one */
	assert_int_equal(wn_store_open(&s, path, WN_OPEN_READ, WHO("t")), WN_OK);
	assert_int_equal(wn_store_begin(s), WN_EREADONLY);
	assert_true(wn_store_exec(s, "INSERT INTO meta VALUES ('x', 'y')") < 0);
	wn_store_close(s);
	/* a file marked read-only opens for reading only */
	assert_int_equal(chmod(path, 0444), 0);
	assert_int_equal(wn_store_open(&s, path, WN_OPEN_WRITE, WHO("t")), WN_EREADONLY);
	assert_int_equal(wn_store_open(&s, path, WN_OPEN_READ, WHO("t")), WN_OK);
	wn_store_close(s);
	assert_int_equal(access(tmpdir_file(*state, "ro.db-wal"), F_OK), -1);
	assert_int_equal(access(tmpdir_file(*state, "ro.db-shm"), F_OK), -1);
}

static void test_audit_chain(void **state)
{
	const char *path = tmpdir_file(*state, "audit.db");
	char prev[65] = WN_AUDIT_GENESIS, want[65];
	struct wn_store *s;
	sqlite3_stmt *st;
	int rows = 0;

	assert_int_equal(wn_store_create(&s, path, WHO("winnow init")), WN_OK);
	wn_store_set_actor(s, "alice");
	assert_int_equal(wn_store_begin(s), WN_OK);
	assert_int_equal(wn_audit_append(s, "test.one", "meta", 1, "{\"a\":1}"), WN_OK);
	assert_int_equal(wn_audit_append(s, "test.two", "meta", 2, NULL), WN_OK);
	assert_int_equal(wn_store_commit(s), WN_OK);
	/* outside a transaction nothing is appended */
	assert_true(wn_audit_append(s, "test.three", "meta", 3, NULL) < 0);

	st = wn_store_prepare(s, "SELECT id, at, actor, command, action, entity, entity_id, "
				 "details, prev_hash, hash FROM audit_log ORDER BY id");
	while (sqlite3_step(st) == SQLITE_ROW) {
		rows++;
		assert_string_equal(wn_column_text(st, 8), prev);
		wn_audit_hash(prev, sqlite3_column_int64(st, 0), wn_column_text(st, 1),
			      wn_column_text(st, 2), wn_column_text(st, 3), wn_column_text(st, 4),
			      wn_column_text(st, 5), sqlite3_column_int64(st, 6),
			      wn_column_text(st, 7), want);
		assert_string_equal(wn_column_text(st, 9), want);
		snprintf(prev, sizeof(prev), "%s", want);
	}
	/* init and its seal, then the two entries (which added no rows to seal) */
	assert_int_equal(rows, 4);
	/* the trail cannot be edited through SQL either */
	assert_true(wn_store_exec(s, "UPDATE audit_log SET actor = 'mallory'") < 0);
	assert_non_null(strstr(wn_error_last(), "append-only"));
	wn_store_close(s);
}

static void test_rollback_leaves_nothing(void **state)
{
	const char *path = tmpdir_file(*state, "rb.db");
	struct wn_store *s;
	sqlite3_stmt *st;

	assert_int_equal(wn_store_create(&s, path, WHO("t")), WN_OK);
	assert_int_equal(wn_store_begin(s), WN_OK);
	assert_int_equal(wn_audit_append(s, "x", "meta", 0, NULL), WN_OK);
	wn_store_rollback(s);
	st = wn_store_prepare(s, "SELECT COUNT(*) FROM audit_log");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 2); /* init and its seal */
	wn_store_close(s);
}

static void test_nested_transactions(void **state)
{
	const char *path = tmpdir_file(*state, "nest.db");
	struct wn_store *s;
	sqlite3_stmt *st;

	assert_int_equal(wn_store_create(&s, path, WHO("t")), WN_OK);
	assert_int_equal(wn_store_begin(s), WN_OK);
	assert_int_equal(wn_audit_append(s, "outer", "meta", 0, NULL), WN_OK);
	assert_int_equal(wn_store_begin(s), WN_OK);
	assert_int_equal(wn_audit_append(s, "inner-undone", "meta", 0, NULL), WN_OK);
	wn_store_rollback(s);
	assert_int_equal(wn_store_begin(s), WN_OK);
	assert_int_equal(wn_audit_append(s, "inner-kept", "meta", 0, NULL), WN_OK);
	assert_int_equal(wn_store_commit(s), WN_OK);
	assert_int_equal(wn_store_commit(s), WN_OK);
	assert_true(wn_store_commit(s) < 0);
	st = wn_store_prepare(s, "SELECT group_concat(action, ',') FROM audit_log");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal(wn_column_text(st, 0), "init,seal,outer,inner-kept");
	sqlite3_reset(st);

	/* an outer rollback undoes committed inner work too */
	assert_int_equal(wn_store_begin(s), WN_OK);
	assert_int_equal(wn_store_begin(s), WN_OK);
	assert_int_equal(wn_audit_append(s, "gone", "meta", 0, NULL), WN_OK);
	assert_int_equal(wn_store_commit(s), WN_OK);
	wn_store_rollback(s);
	st = wn_store_prepare(s, "SELECT COUNT(*) FROM audit_log");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 4); /* init, seal, outer, inner-kept */
	wn_store_close(s);
}

static void test_discard_new(void **state)
{
	const char *path = tmpdir_file(*state, "gone.db");
	struct wn_store *s;

	assert_int_equal(wn_store_create(&s, path, WHO("t")), WN_OK);
	wn_store_discard_new(s);
	assert_int_equal(access(path, F_OK), -1);
	/* an opened (not created) review is never deleted */
	assert_int_equal(wn_store_create(&s, path, WHO("t")), WN_OK);
	wn_store_close(s);
	assert_int_equal(wn_store_open(&s, path, WN_OPEN_WRITE, WHO("t")), WN_OK);
	wn_store_discard_new(s);
	assert_int_equal(access(path, F_OK), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_then_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_never_overwrites, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_strangers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_newer_schema, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_transactions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_discard_new, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
