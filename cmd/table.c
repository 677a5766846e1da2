#include <csv.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

struct cmd_table {
	size_t ncols, ncells, cap;
	char **headers;
	char **cells;
	size_t *width; /* text: the most a cell of each column shows */
};

struct cmd_table *cmd_table_new(size_t ncols, const char *const *headers)
{
	struct cmd_table *t = calloc(1, sizeof(*t));

	if (!t)
		abort();
	t->ncols = ncols;
	t->headers = calloc(ncols, sizeof(*t->headers));
	t->width = calloc(ncols, sizeof(*t->width));
	if (!t->headers || !t->width)
		abort();
	for (size_t i = 0; i < ncols; i++) {
		t->headers[i] = strdup(headers[i] ? headers[i] : "");
		t->width[i] = 48;
		if (!t->headers[i])
			abort();
	}
	return t;
}

void cmd_table_add(struct cmd_table *t, const char *cell)
{
	if (t->ncells == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		if (!(t->cells = realloc(t->cells, t->cap * sizeof(*t->cells))))
			abort();
	}
	if (!(t->cells[t->ncells++] = strdup(cell ? cell : "")))
		abort();
}

void cmd_table_addf(struct cmd_table *t, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	cmd_table_add(t, s);
	free(s);
}

void cmd_table_width(struct cmd_table *t, size_t col, size_t width)
{
	if (col < t->ncols)
		t->width[col] = width;
}

/* Characters (UTF-8 sequences) in s, and the byte length of its first n. */
static size_t chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static size_t prefix_bytes(const char *s, size_t n)
{
	size_t i = 0;

	for (; s[i]; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80 && n-- == 0)
			break;
	return i;
}

static const char *cell(const struct cmd_table *t, size_t row, size_t col)
{
	size_t i = row * t->ncols + col;

	return row == 0 ? t->headers[col] : i - t->ncols < t->ncells ? t->cells[i - t->ncols] : "";
}

static size_t nrows(const struct cmd_table *t)
{
	return 1 + (t->ncells + t->ncols - 1) / t->ncols;
}

/* A text cell on one line: line breaks and tabs as spaces. */
static void put_flat(FILE *fp, const char *s, size_t len, char bad)
{
	for (size_t i = 0; i < len; i++)
		fputc(s[i] == '\n' || s[i] == '\r' || s[i] == '\t' || s[i] == bad ? ' ' : s[i], fp);
}

static void print_text(const struct cmd_table *t, FILE *fp)
{
	size_t *w = calloc(t->ncols, sizeof(*w)), rows = nrows(t);

	if (!w)
		abort();
	for (size_t r = 0; r < rows; r++)
		for (size_t c = 0; c < t->ncols; c++) {
			size_t n = chars(cell(t, r, c));

			if (n > t->width[c])
				n = t->width[c];
			if (n > w[c])
				w[c] = n;
		}
	for (size_t r = 0; r < rows; r++) {
		size_t pad = 0;

		for (size_t c = 0; c < t->ncols; c++) {
			const char *s = cell(t, r, c);
			size_t n = chars(s), shown = n > w[c] ? w[c] - 1 : n;

			if (n && pad)
				fprintf(fp, "%*s", (int)pad, "");
			if (n)
				pad = 0;
			put_flat(fp, s, prefix_bytes(s, shown), 0);
			if (n > w[c])
				fputs("\xe2\x80\xa6", fp); /* … */
			/* padding only before a cell that has something */
			if (c + 1 < t->ncols)
				pad += w[c] - (n > w[c] ? w[c] : n) + 2;
		}
		fputc('\n', fp);
		if (r == 0) {
			for (size_t c = 0; c < t->ncols; c++) {
				for (size_t i = 0; i < w[c]; i++)
					fputc('-', fp);
				if (c + 1 < t->ncols)
					fputs("  ", fp);
			}
			fputc('\n', fp);
		}
	}
	free(w);
}

static void put_html(FILE *fp, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '&': fputs("&amp;", fp); break;
		case '"': fputs("&quot;", fp); break;
		case '\n': fputs("<br>", fp); break;
		default: fputc(*s, fp);
		}
	}
}

static void put_markdown(FILE *fp, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", fp);
		else if (*s == '\n')
			fputs("<br>", fp);
		else if (*s != '\r')
			fputc(*s, fp);
	}
}

int cmd_table_print(const struct cmd_table *t, FILE *fp, enum cmd_format format,
		    const char *title)
{
	size_t rows = nrows(t);

	switch (format) {
	case FORMAT_MARKDOWN:
		if (title)
			fprintf(fp, "### %s\n\n", title);
		for (size_t r = 0; r < rows; r++) {
			for (size_t c = 0; c < t->ncols; c++) {
				fputs("| ", fp);
				put_markdown(fp, cell(t, r, c));
				fputc(' ', fp);
			}
			fputs("|\n", fp);
			if (r == 0) {
				for (size_t c = 0; c < t->ncols; c++)
					fputs("| --- ", fp);
				fputs("|\n", fp);
			}
		}
		break;
	case FORMAT_HTML:
		if (title) {
			fputs("<h3>", fp);
			put_html(fp, title);
			fputs("</h3>\n", fp);
		}
		fputs("<table>\n", fp);
		for (size_t r = 0; r < rows; r++) {
			fputs(r == 0 ? "<thead><tr>" : "<tr>", fp);
			for (size_t c = 0; c < t->ncols; c++) {
				fputs(r == 0 ? "<th>" : "<td>", fp);
				put_html(fp, cell(t, r, c));
				fputs(r == 0 ? "</th>" : "</td>", fp);
			}
			fputs(r == 0 ? "</tr></thead>\n<tbody>\n" : "</tr>\n", fp);
		}
		fputs("</tbody>\n</table>\n", fp);
		break;
	case FORMAT_CSV:
		for (size_t r = 0; r < rows; r++) {
			for (size_t c = 0; c < t->ncols; c++) {
				const char *s = cell(t, r, c);

				if (c)
					fputc(',', fp);
				/* quoted only when it must be (RFC 4180) */
				if (s[strcspn(s, ",\"\r\n")])
					csv_fwrite(fp, s, strlen(s));
				else
					fputs(s, fp);
			}
			fputc('\n', fp);
		}
		break;
	case FORMAT_TSV:
		for (size_t r = 0; r < rows; r++)
			for (size_t c = 0; c < t->ncols; c++) {
				const char *s = cell(t, r, c);

				put_flat(fp, s, strlen(s), 0);
				fputc(c + 1 < t->ncols ? '\t' : '\n', fp);
			}
		break;
	default:
		if (title)
			fprintf(fp, "%s\n\n", title);
		print_text(t, fp);
	}
	return ferror(fp) ? cmd_fail("cannot write the table") : EXIT_OK;
}

void cmd_table_free(struct cmd_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->ncols; i++)
		free(t->headers[i]);
	for (size_t i = 0; i < t->ncells; i++)
		free(t->cells[i]);
	free(t->headers);
	free(t->cells);
	free(t->width);
	free(t);
}
