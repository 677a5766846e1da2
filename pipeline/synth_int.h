/*
 * The synthesis store's working parts shared by studies, appraisal and
 * coding: a report named on the command line that must be included, and
 * how a report is cited in lists.
 */
#ifndef WINNOW_SYNTH_INT_H
#define WINNOW_SYNTH_INT_H

#include "winnow/record.h"
#include "winnow/store.h"

/* The record named (id, pmid:N, doi:X) and its report, which must be
 * included (WN_EINVALID saying where it stands otherwise). */
int wn_synth_report(struct wn_store *store, const char *ref, long long *record, long long *report);

/* "Wildman 2019": the first author's family name (or the title's first
 * word) and the year. free() it. */
char *wn_report_citation(const struct wn_record *rec);

#endif
