/*
 * Eligibility rules: a plain-text file reviewers read, keep under version
 * control and cite in their protocol (syntax in docs/rules.md), one rule a
 * line:
 *
 *   exclude "Published before 2000" if year < 2000
 *   exclude "Animal study" if tiab ~ /\b(rats?|mice)\b/i and tiab !~ /\bpatients?\b/i
 *   highlight include /social prescri\w* /i
 *
 * Patterns are PCRE2, compiled with JIT. A rule only ever excludes: a
 * record no rule excludes is left for people. A condition on a field the
 * record lacks is unknown, and an unknown condition never excludes
 * (missing data is not evidence); `FIELD is missing` asks for it.
 *
 * wn_rules_test counts what a rule set would exclude at a stage, and
 * wn_rules_apply records those exclusions as decisions (reviewer
 * "rule:<line>"), counted by PRISMA as marked ineligible by automation
 * tools when no person has screened at that stage yet.
 */
#ifndef WINNOW_RULES_H
#define WINNOW_RULES_H

#include <stddef.h>

#include "winnow/protocol.h"
#include "winnow/store.h"

enum wn_rule_action {
	WN_RULE_EXCLUDE,
	WN_RULE_HIGHLIGHT_INCLUDE,
	WN_RULE_HIGHLIGHT_EXCLUDE,
};

/* One rule as written. */
struct wn_rule_info {
	int line;
	enum wn_rule_action action;
	const char *label;      /* the exclusion's reason; NULL for a highlight */
	const char *expression; /* the condition, or the highlight's pattern, as written */
};

/* A parsed and compiled rule set. */
struct wn_rules;

/* Parse rules text. On problems, returns WN_EINVALID with each one in
 * diags as "column C: message" at its line (all of them, not just the
 * first); *out is NULL then. */
int wn_rules_parse(struct wn_rules **out, const char *path, const char *text, size_t len,
		   struct wn_diagnostics *diags);
/* Read and parse a rules file. */
int wn_rules_parse_file(struct wn_rules **out, const char *path, struct wn_diagnostics *diags);
void wn_rules_free(struct wn_rules *rules);

size_t wn_rules_count(const struct wn_rules *rules);
const struct wn_rule_info *wn_rules_get(const struct wn_rules *rules, size_t i);
/* The file's path, text and SHA-256, as read. */
const char *wn_rules_path(const struct wn_rules *rules);
const char *wn_rules_text(const struct wn_rules *rules);
const char *wn_rules_sha256(const struct wn_rules *rules);

/* The fields of one report that rules read. Lists are arrays of n
 * strings; a NULL string or an empty list is a missing field. Languages
 * are a list too ("English; French"), each given by its ISO 639-2 code
 * when the record names it ("English" is "eng"). */
struct wn_rule_fields {
	const char *title, *abstract, *journal, *doi, *source;
	int year; /* 0: missing */
	const char *const *authors, *const *keywords, *const *mesh, *const *pubtypes,
		*const *languages;
	size_t nauthors, nkeywords, nmesh, npubtypes, nlanguages;
};

/* Does any rule read this field ("authors", "keywords", ...)? Callers
 * need not fill the fields no rule reads. */
int wn_rules_use(const struct wn_rules *rules, const char *field);

/* Does rule i hold for these fields? 1 yes; 0 no or unknown. For a
 * highlight rule: does its pattern occur in the title or abstract. */
int wn_rules_match(struct wn_rules *rules, size_t i, const struct wn_rule_fields *fields);

/* What a rule set does at a stage, per rule (in file order). */
struct wn_rule_count {
	long matched;  /* reports the rule excludes (or highlights) */
	long only;     /* excluded by this rule and by no other */
	long long examples[3]; /* report ids, 0 past the last */
};

struct wn_rules_summary {
	char *stage;
	long reports;        /* reports at the stage (eligible for it) */
	long excluded;       /* by at least one rule */
	long already;        /* of those, excluded by rules applied before */
	long people;         /* of those, already screened by a person at the
			      * stage: left to them, never overruled */
	long recorded;       /* decisions recorded (wn_rules_apply) */
	int before_human;    /* no person had screened at the stage */
	long long application_id; /* the rule_application row (wn_rules_apply) */
	struct wn_rule_count *counts; /* wn_rules_count() of them */
};

void wn_rules_summary_release(struct wn_rules_summary *s);

/* Count, storing nothing. stage NULL: the protocol's [rules] stage, else
 * its first stage. */
int wn_rules_test(struct wn_store *store, struct wn_rules *rules, const char *stage,
		  struct wn_rules_summary *out);

/* Record each exclusion not already recorded by a rule at the stage (nor
 * of a report a person has screened there: rules never overrule people),
 * in one transaction with the rule set's text, its rules, the application
 * and an audit entry. */
int wn_rules_apply(struct wn_store *store, struct wn_rules *rules, const char *stage,
		   struct wn_rules_summary *out);

/* Mark in marks[0..strlen(text)) the bytes that the highlight rules
 * match: WN_MARK_INCLUDE or WN_MARK_EXCLUDE (where both match, exclude),
 * else 0. Returns 1 when anything was marked. */
enum { WN_MARK_NONE, WN_MARK_INCLUDE, WN_MARK_EXCLUDE };
int wn_rules_mark(struct wn_rules *rules, const char *text, unsigned char *marks);

/* The rules whose highlights screening shows: the file the protocol in
 * force names ([rules] file), as it is now, when it can be read and
 * parses; else the rule set last applied in the review, as stored. *out
 * is NULL when there are none; *where (to free) says which was used. */
int wn_rules_in_force(struct wn_store *store, struct wn_rules **out, char **where);

#endif
