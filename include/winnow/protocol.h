/*
 * The review protocol: a plain-text file people read, edit, cite and keep
 * under version control (format in docs/protocol.md). It is parsed and
 * checked here; a review stores every version loaded, verbatim, with its
 * SHA-256, and the latest is the one in force.
 */
#ifndef WINNOW_PROTOCOL_H
#define WINNOW_PROTOCOL_H

#include <stddef.h>

#include "winnow/record.h"
#include "winnow/store.h"

/* One problem found in a protocol file, with the line it is on (0 when it
 * concerns the file as a whole). */
struct wn_diagnostic {
	int line;
	char *message;
};

struct wn_diagnostics {
	struct wn_diagnostic *items;
	size_t n;
	size_t cap;
};

void wn_diagnostics_release(struct wn_diagnostics *d);
/* Add one problem at a line (0: the whole file). */
void wn_diagnostics_add(struct wn_diagnostics *d, int line, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

/* Every `key = value` in file order, for display and for settings that
 * later parts of winnow read. `name` is the section's name for [stage NAME]
 * and [database NAME], else NULL. */
struct wn_protocol_entry {
	char *section;
	char *name;
	char *key;
	char *value;
	int line;
	int invalid; /* reported as a problem; wn_protocol_get skips it */
};

struct wn_protocol_stage {
	char *name;
	int reviewers;              /* independent reviewers per record */
	struct wn_strlist reasons;  /* exclusion reasons allowed here */
	int line;
	double dual_sample;         /* > 0: a second reviewer on this share of reports */
	unsigned long sample_seed;  /* which share: the sample is drawn from it */
	int dual_line, seed_line;   /* where they were given, 0 if not */
};

/* A stage's dual-review sample: a report is in it when the hash of its id
 * plus `key` is below `below`. key is the hash of the seed and below is
 * the share times 2^32, both kept in the stage table, so that SQL draws
 * the same sample (docs/screening.md gives the hash). */
struct wn_dual_sample {
	long long key, below;
};

void wn_dual_sample_init(struct wn_dual_sample *ds, unsigned long seed, double fraction);
/* 1 when the report is in the sample, and so needs two reviewers. */
int wn_dual_sampled(const struct wn_dual_sample *ds, long long report);

struct wn_protocol {
	char *path;
	char *text; /* the file as read (BOM removed), NUL-terminated */
	size_t text_len;
	char sha256[65];
	const char *title;    /* borrowed from entries */
	const char *question;
	struct wn_protocol_entry *entries;
	size_t nentries;
	struct wn_protocol_stage *stages; /* in file order; defaults if none */
	size_t nstages;
	int stages_defaulted;
	size_t ndatabases; /* [database NAME] sections */
};

/* Parse and check protocol text. `path` names the file in messages and
 * locates files it refers to (the rules file); may be a label for text
 * that did not come from a file. Returns WN_OK, or WN_EINVALID with every
 * problem in `diags` (each with its line). */
int wn_protocol_parse(struct wn_protocol *out, const char *path, const char *text,
		      size_t len, struct wn_diagnostics *diags);

/* Parse a protocol as stored in a review: the same, except that files it
 * names are not looked for (they were there when it was loaded; where the
 * command now runs from, or whether they moved since, does not matter). */
int wn_protocol_parse_stored(struct wn_protocol *out, const char *path, const char *text,
			     size_t len, struct wn_diagnostics *diags);

/* Read and parse a protocol file. */
int wn_protocol_parse_file(struct wn_protocol *out, const char *path,
			   struct wn_diagnostics *diags);

void wn_protocol_release(struct wn_protocol *p);

/* The first value of section/key ("stage"/"database" sections need name). */
const char *wn_protocol_get(const struct wn_protocol *p, const char *section,
			    const char *name, const char *key);

/* A stored version of the protocol. */
struct wn_protocol_version {
	int id;
	char loaded_at[32];
	char actor[128];
	char sha256[65];
	char *path;
	char *text;
};

void wn_protocol_version_release(struct wn_protocol_version *v);

/* Store a parsed protocol as the one in force, in its own transaction with
 * its audit entry. When it is byte-for-byte the one already in force,
 * nothing is written and *unchanged is set. *version gets its id. */
int wn_protocol_store(struct wn_store *store, const struct wn_protocol *p,
		      int *version, int *unchanged);

/* The version in force (latest), or a given version id (> 0). Returns
 * WN_ENOTFOUND when the review has none. */
int wn_protocol_load_version(struct wn_store *store, int id,
			     struct wn_protocol_version *out);

/* Parse the version in force into *out: 1, or 0 when the review has none
 * or it no longer parses (then *out is empty, and no error is set; the
 * caller falls back to its defaults). Release *out either way. */
int wn_protocol_current(struct wn_store *store, struct wn_protocol *out);

/* Call fn for every stored version, oldest first (text not filled). */
int wn_protocol_each_version(struct wn_store *store,
			     int (*fn)(const struct wn_protocol_version *v, void *arg),
			     void *arg);

#endif
