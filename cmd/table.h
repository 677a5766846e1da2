/*
 * A table that list-like commands fill row by row and then write in the
 * format asked for: text (aligned columns, long cells cut to a width),
 * tsv, csv (RFC 4180), markdown (a pipe table) or html (a <table>). The
 * synthesis tables that papers publish (appraisal summary, theme matrix,
 * CERQual profile) and plain lists share it.
 */
#ifndef WINNOW_CMD_TABLE_H
#define WINNOW_CMD_TABLE_H

#include <stdio.h>

#include "cmd.h"

struct cmd_table;

/* A table with these column headings (copied). */
struct cmd_table *cmd_table_new(size_t ncols, const char *const *headers);
/* The next cell, left to right; a row ends after the last column. NULL
 * is an empty cell. */
void cmd_table_add(struct cmd_table *t, const char *cell);
void cmd_table_addf(struct cmd_table *t, const char *fmt, ...) CMD_PRINTF(2, 3);
/* In text, cut the cells of a column to at most `width` characters
 * (default 48). */
void cmd_table_width(struct cmd_table *t, size_t col, size_t width);
/* Write it; EXIT_OK or EXIT_FAIL when writing failed. A title, when not
 * NULL, comes first (a heading in markdown and html). */
int cmd_table_print(const struct cmd_table *t, FILE *fp, enum cmd_format format,
		    const char *title);
void cmd_table_free(struct cmd_table *t);

#endif
