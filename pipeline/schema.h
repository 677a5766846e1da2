#ifndef WINNOW_SCHEMA_H
#define WINNOW_SCHEMA_H

/* wn_migrations[i] brings a review from schema version i to i + 1. */
extern const char *const wn_migrations[];
extern const int wn_migration_count;

#endif
