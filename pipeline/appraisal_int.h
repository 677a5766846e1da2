/*
 * Appraisal's working parts: storing an instrument in a review.
 */
#ifndef WINNOW_APPRAISAL_INT_H
#define WINNOW_APPRAISAL_INT_H

#include "winnow/appraisal.h"
#include "winnow/store.h"

/* Store the instrument in the review unless it is there already (same
 * name, version and text): *id gets its row, *added whether it was
 * stored now. The same name and version with another text is refused.
 * Inside a transaction. */
int wn_instrument_store(struct wn_store *store, const struct wn_instrument *in, long long *id,
			int *added);

/* The instrument the review holds by this name (the one stored last):
 * WN_ENOTFOUND when none; *id its row. */
int wn_instrument_from_review(struct wn_store *store, const char *name, struct wn_instrument *out,
			      long long *id);

#endif
