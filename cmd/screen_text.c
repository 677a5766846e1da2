#include "screen_text.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* Bytes and display width of the character at s; *kind is 0 for a
 * printable character, 1 for a bad byte (one column, drawn as '?'), 2 for
 * a tab, carriage return or single line break (drawn as a space: where a
 * file wrapped its lines says nothing), 3 for the first line break of a
 * blank line (a paragraph ends). */
static size_t char_at(const char *s, int *width, int *kind)
{
	mbstate_t ps;
	wchar_t wc;
	size_t len;

	memset(&ps, 0, sizeof(ps));
	len = mbrtowc(&wc, s, MB_CUR_MAX, &ps);
	*kind = 0;
	*width = 1;
	if (len == (size_t)-1 || len == (size_t)-2 || len == 0) {
		*kind = 1;
		return 1;
	}
	if (wc == '\n') {
		size_t k = 1;

		while (s[k] == ' ' || s[k] == '\t' || s[k] == '\r')
			k++;
		if (s[k] != '\n') {
			*kind = 2;
			return len;
		}
		*kind = 3;
		*width = 0;
		return k + 1; /* the blank line with it */
	}
	if (wc == '\t' || wc == '\r') {
		*kind = 2;
		return len;
	}
	*width = wcwidth(wc);
	if (*width < 0) {
		*kind = 1;
		*width = 1;
	}
	return len;
}

/* Is there anything but white space from s on? */
static int more_after(const char *s)
{
	return s[strspn(s, " \t\r\n")] != '\0';
}

int screen_text(int y, int x, int width, int skip, int max_lines, const char *text,
		const unsigned char *marks, const attr_t *attrs, int draw)
{
	size_t i = 0, len = strlen(text);
	int lines = 0, last = skip + max_lines - 1;

	if (width < 2 || max_lines < 1)
		return 0;
	while (text[i] == ' ')
		i++;
	while (i < len && lines <= last) {
		/* where this line ends: the last space that fits, or a line break */
		size_t j = i, end, brk = 0;
		int used = 0, w, kind, hard = 0;

		while (j < len) {
			size_t n = char_at(text + j, &w, &kind);

			if (kind == 3) {
				hard = 1;
				break;
			}
			if (used + w > width)
				break;
			used += w;
			j += n;
			if (text[j - 1] == ' ' || kind == 2)
				brk = j;
		}
		end = j >= len || hard || !brk ? j : brk;
		if (end == i && !hard)
			end = i + char_at(text + i, &w, &kind); /* wider than the line */
		if (draw && lines == last && end < len && more_after(text + end)) {
			/* the last line shown: room for the '>' that says there is more */
			while (end > i && used > width - 1) {
				size_t back = end - 1;

				while (back > i && ((unsigned char)text[back] & 0xC0) == 0x80)
					back--;
				char_at(text + back, &w, &kind);
				used -= w;
				end = back;
			}
		}
		if (draw && lines >= skip) {
			int row = y + lines - skip, col = x;

			for (size_t k = i; k < end;) {
				size_t n = char_at(text + k, &w, &kind);
				attr_t a = marks && marks[k] && attrs ? attrs[marks[k]] : A_NORMAL;

				if (kind == 3)
					break;
				attron(a);
				if (kind)
					mvaddch(row, col, kind == 2 ? ' ' : '?');
				else
					mvaddnstr(row, col, text + k, (int)n);
				attroff(a);
				col += w;
				k += n;
			}
			if (lines == last && end < len && more_after(text + end))
				mvaddstr(row, col, ">");
		}
		lines++;
		i = end;
		if (hard)
			i += char_at(text + i, &w, &kind);
		else
			while (i < len && (text[i] == ' ' || text[i] == '\r' || text[i] == '\n'))
				i++;
	}
	return lines ? lines : 1;
}

void screen_line(int y, int x, int width, const char *s)
{
	int used = 0, w, kind;

	move(y, x);
	for (size_t k = 0; s[k];) {
		size_t n = char_at(s + k, &w, &kind);

		if (kind == 3)
			w = 1; /* a paragraph break, on one line, is a space */
		if (used + w > width)
			break;
		if (kind)
			addch(kind == 1 ? '?' : ' ');
		else
			addnstr(s + k, (int)n);
		used += w;
		k += n;
	}
}

int screen_read_line(const char *prompt, char *buf, size_t cap, size_t max,
		     void (*redraw)(void *ctx), void *ctx)
{
	wchar_t *text = calloc(max + 1, sizeof(*text));
	size_t len, plen = strlen(prompt);
	char *typed = malloc(cap);
	int kept = 0;

	if (!text || !typed)
		abort();
	/* a text this terminal's character set cannot show, or longer than
	 * the editor takes, is not edited: Enter must never change it */
	len = mbstowcs(NULL, buf, 0);
	if (len == (size_t)-1 || len > max) {
		free(text);
		free(typed);
		return -1;
	}
	mbstowcs(text, buf, max + 1);
	text[len] = L'\0';
	curs_set(1);
	for (;;) {
		wint_t ch;
		int got;

		if (wcstombs(typed, text, cap) == (size_t)-1)
			typed[0] = '\0';
		redraw(ctx);
		move(LINES - 1, 0);
		clrtoeol();
		mvaddstr(LINES - 1, 0, prompt);
		screen_line(LINES - 1, (int)plen, COLS - (int)plen, typed);
		refresh();
		got = get_wch(&ch);
		if (got == ERR)
			break;
		if (got == KEY_CODE_YES) {
			if (ch == KEY_BACKSPACE && len)
				text[--len] = L'\0';
			else if (ch == KEY_ENTER) {
				kept = 1;
				break;
			}
			continue;
		}
		if (ch == 27)
			break;
		if (ch == L'\n' || ch == L'\r') {
			kept = 1;
			break;
		}
		if ((ch == 127 || ch == 8) && len) {
			text[--len] = L'\0';
		} else if (ch >= L' ' && ch != 127 && len < max) {
			text[len++] = (wchar_t)ch;
			text[len] = L'\0';
		}
	}
	curs_set(0);
	if (kept && wcstombs(typed, text, cap) != (size_t)-1)
		memcpy(buf, typed, strlen(typed) + 1);
	free(text);
	free(typed);
	return kept;
}

SCREEN *screen_open(const char *who)
{
	SCREEN *term;

	setlocale(LC_CTYPE, "");
	if (!(term = newterm(NULL, stdout, stdin))) {
		fprintf(stderr, "winnow: %s: cannot drive this terminal (TERM=%s)\n", who,
			getenv("TERM") ? getenv("TERM") : "");
		return NULL;
	}
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	set_escdelay(50);
	curs_set(0);
	return term;
}

void screen_close(SCREEN *term)
{
	endwin();
	delscreen(term);
}
