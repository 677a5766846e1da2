/*
 * Why a record is where it is: where it came from, the duplicates it was
 * merged with (or kept apart from) and who decided, on what evidence, and
 * where its report stands at each screening stage.
 */
#ifndef WINNOW_WHY_H
#define WINNOW_WHY_H

struct wn_store;
struct json_t;

/* The trail of a record (ref: its id, pmid:N or doi:X) as a JSON object
 * (the caller owns it):
 *   record:    id, title, year, source, origin {kind, name, line, position}
 *   report:    the record standing for it (the cluster's primary, or itself)
 *   cluster:   null, or {id, primary, members: [{id, title, source}]}
 *   pairs:     every candidate pair with the record, strongest first:
 *              {pair, other, score, rule, evidence, decisions: [{decision,
 *              actor, reason, at}] oldest first; the last is in force}
 *   related:   [{kind, record, direction: "of"|"by", actor}]
 *   screening: [{stage, outcome}] for the report
 *   decisions: every decision on the report's records, by stage, oldest
 *              first: {id, record, stage, reviewer, kind (human, rule,
 *              resolution), decision, reason, note, at, superseded_by, rule:
 *              {line, label} for a rule's}
 *   fulltext:  retrieval entries: {status, file, sha256, note, actor, at, superseded}
 *   study:     null, or {id, label, role}
 *   findings:  [{id, kind, text, where, themes}] coded from the report
 *   status:    where it ends up, in words ("excluded at title-abstract by
 *              rule (line 3: Not English)", "included, in study 'X'")
 * WN_ENOTFOUND when there is no such record. */
int wn_why(struct wn_store *store, const char *ref, struct json_t **out);

#endif
