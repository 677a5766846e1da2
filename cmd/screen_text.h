/*
 * Text on the curses screens (dedupe review, screening): UTF-8 laid out in
 * lines of a given width, broken at spaces and at line breaks, with marked
 * bytes drawn in an attribute of their own (differing words, highlight
 * terms). Needs setlocale(LC_ALL, "") and an ncursesw screen.
 */
#ifndef WINNOW_SCREEN_TEXT_H
#define WINNOW_SCREEN_TEXT_H

#include <curses.h>

/* Lay text out in lines of at most `width` columns. With draw set, lines
 * skip .. skip + max_lines - 1 are drawn from (y, x): a byte whose mark
 * (marks may be NULL) is m is drawn with attrs[m]; an invalid byte as
 * '?'. When text remains after the last line drawn, that line ends in
 * '>'. Returns the lines laid out, at most skip + max_lines (without
 * draw, pass skip 0 and a large max_lines to count them all). */
int screen_text(int y, int x, int width, int skip, int max_lines, const char *text,
		const unsigned char *marks, const attr_t *attrs, int draw);

/* Draw s at (y, x), cut to `width` columns (UTF-8 aware). */
void screen_line(int y, int x, int width, const char *s);

/* Edit buf (UTF-8, cap bytes, at most max characters) on the bottom line
 * after prompt; redraw(ctx) repaints the screen above it first. 1 when
 * Enter keeps the text, 0 when Esc (or an error) cancels and buf is left
 * as it was, -1 (nothing shown) when buf is longer than max or not in
 * the terminal's character set. */
int screen_read_line(const char *prompt, char *buf, size_t cap, size_t max,
		     void (*redraw)(void *ctx), void *ctx);

/* Take the terminal for a screen: its character set (numbers stay as
 * winnow writes them: a protocol's "0.3" must not become unreadable in a
 * locale with decimal commas), keys one at a time without echo, arrows as
 * keys, a short wait after Esc, no cursor. NULL, with "winnow: WHO:
 * cannot drive this terminal" printed, when curses cannot. */
SCREEN *screen_open(const char *who);
/* Give it back. */
void screen_close(SCREEN *term);

#endif
