#include <stdio.h>

#include "cmd.h"
#include "winnow/appraisal.h"

int appraise_form(struct wn_store *store, const char *study, const char *instrument,
		  const char *reviewer, const char *category);

int appraise_form(struct wn_store *store, const char *study, const char *instrument,
		  const char *reviewer, const char *category)
{
	(void)store; (void)study; (void)instrument; (void)reviewer; (void)category;
	return cmd_fail("appraise: the terminal form is not built yet; give --answers or --from");
}
