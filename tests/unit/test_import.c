/*
 * The import library: progress on long files, and the record count it
 * reports against what it stored.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "winnow/import.h"
#include "winnow/store.h"
#include "winnow/winnow.h"

struct seen {
	long calls[8];
	int n;
};

static void note_progress(void *ctx, const char *path, long records)
{
	struct seen *s = ctx;

	(void)path;
	if (s->n < 8)
		s->calls[s->n++] = records;
}

/* A long import says how far it has got, every WN_IMPORT_PROGRESS_EVERY
 * records, and only then. */
static void test_progress(void **state)
{
	struct tmpdir t;
	struct wn_store *store;
	struct wn_import_options opts = { 0 };
	struct wn_import_summary sum;
	struct seen seen = { { 0 }, 0 };
	const long n = 2 * WN_IMPORT_PROGRESS_EVERY + 500;
	FILE *f;

	(void)state;
	tmpdir_make(&t);
	f = fopen(tmpdir_file(&t, "big.ris"), "w");
	assert_non_null(f);
	for (long i = 0; i < n; i++)
		fprintf(f, "TY  - JOUR\nTI  - Record %ld\nER  - \n", i);
	fclose(f);
	assert_int_equal(wn_store_create(&store, tmpdir_file(&t, "r.db"), WHO("test")), 0);
	opts.source = "test";
	opts.progress = note_progress;
	assert_int_equal(wn_import_file(store, tmpdir_file(&t, "big.ris"), &opts, NULL, &seen,
					&sum), 0);
	assert_int_equal(sum.stored, n);
	assert_int_equal(seen.n, 2);
	assert_int_equal(seen.calls[0], WN_IMPORT_PROGRESS_EVERY);
	assert_int_equal(seen.calls[1], 2 * WN_IMPORT_PROGRESS_EVERY);
	wn_store_close(store);
	tmpdir_remove(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_progress),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
