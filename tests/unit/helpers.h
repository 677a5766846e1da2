/* Shared by the unit tests: a fresh temporary directory per test. */
#ifndef WINNOW_TEST_HELPERS_H
#define WINNOW_TEST_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Who the audit trail names for changes a test makes. */
#define WHO(command) (&(const struct wn_who){ "tester", (command) })

struct tmpdir {
	char path[64];
};

static inline void tmpdir_make(struct tmpdir *t)
{
	snprintf(t->path, sizeof(t->path), "/tmp/winnow-unit.XXXXXX");
	if (!mkdtemp(t->path))
		abort();
}

static inline void tmpdir_remove(struct tmpdir *t)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->path);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", t->path);
}

static inline char *tmpdir_file(struct tmpdir *t, const char *name)
{
	static char buf[4][256];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", t->path, name);
	return buf[i];
}

static inline void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, len, f) != len)
		abort();
	fclose(f);
}

#endif
