/* Fuzz target: decisions CSV import (wn_decisions_import) on arbitrary
 * bytes, against a review made once per process with two stages and two
 * records; every row that checks out is stored, so later inputs meet
 * earlier decisions (supersession, conflicts, reasons). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "winnow/import.h"
#include "winnow/protocol.h"
#include "winnow/screening.h"
#include "winnow/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct wn_store *store;
static char dir[] = "/tmp/fuzz-decisions-XXXXXX";
static char csv_path[64];

static void remove_review(void)
{
	char p[96];

	wn_store_close(store);
	store = NULL;
	for (const char *const *s = (const char *const[]){ "/r.db", "/r.db-wal", "/r.db-shm",
							   "/in.csv", "/r.ris", NULL }; *s; s++) {
		snprintf(p, sizeof(p), "%s%s", dir, *s);
		unlink(p);
	}
	rmdir(dir);
}

static int setup(void)
{
	static const char protocol[] =
		"[review]\ntitle = Fuzz\nquestion = Q?\n"
		"[stage title-abstract]\nreviewers = 2\n"
		"[stage full-text]\nreviewers = 1\nreason = Wrong design\n";
	static const char ris[] =
		"TY  - JOUR\nTI  - One\nDO  - 10.1/one\nER  - \n"
		"TY  - JOUR\nTI  - Two\nAN  - 123\nER  - \n";
	struct wn_who who = { "fuzz", "fuzz" };
	struct wn_diagnostics d = { 0 };
	struct wn_import_options opts;
	struct wn_import_summary res;
	struct wn_protocol p;
	char path[96];
	FILE *f;
	int version, unchanged;

	if (!mkdtemp(dir))
		return -1;
	atexit(remove_review);
	snprintf(csv_path, sizeof(csv_path), "%s/in.csv", dir);
	snprintf(path, sizeof(path), "%s/r.ris", dir);
	if (!(f = fopen(path, "w")))
		return -1;
	fputs(ris, f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/r.db", dir);
	if (wn_store_create(&store, path, &who) < 0 ||
	    wn_protocol_parse(&p, "fuzz.ini", protocol, sizeof(protocol) - 1, &d) < 0 ||
	    wn_protocol_store(store, &p, &version, &unchanged) < 0)
		return -1;
	wn_protocol_release(&p);
	wn_diagnostics_release(&d);
	memset(&opts, 0, sizeof(opts));
	snprintf(path, sizeof(path), "%s/r.ris", dir);
	opts.source = "fuzz";
	return wn_import_file(store, path, &opts, NULL, NULL, &res) < 0 ? -1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f;
	long count, rules;

	if (!store && setup() < 0)
		abort();
	if (!(f = fopen(csv_path, "wb")))
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	(void)wn_decisions_import(store, csv_path, &count, &rules);
	return 0;
}
