/*
 * The appraisal form in the terminal (winnow appraise STUDY): one item of
 * the checklist at a time, answered with its key letter and saved at once,
 * each answer its own change in the review. Answer keys are lower-case
 * letters from the instrument; the form's own keys are not letters, so
 * they never collide (q quits only where no answer has that key).
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "screen_text.h"
#include "winnow/appraisal.h"
#include "winnow/synth.h"

#define MIN_COLS 60
#define MIN_LINES 16
#define TEXT_MAX 2000 /* characters in a comment or an answer in words */

int appraise_form(struct wn_store *store, const char *study, const char *instrument,
		  const char *reviewer, const char *category);

struct form {
	struct wn_store *store;
	const char *study, *reviewer;
	const char *instrument;      /* as given (a name, a file, or NULL) */
	char *title;                 /* "Hartley 2020" */
	long long study_id;
	struct wn_instrument in;
	struct wn_appraisal_current cur;
	char *category;              /* as chosen or stored; NULL if none yet */
	size_t *asked;               /* the items asked of the category, in order */
	size_t nasked, at;           /* and the one shown */
	long stored;                 /* answers stored in this session */
	char message[256];
};

static int reload(struct form *f)
{
	wn_appraisal_current_release(&f->cur);
	if (wn_appraisal_current(f->store, f->study_id, &f->in, f->reviewer, &f->cur) < 0)
		return -1;
	if (f->cur.category && !f->category)
		f->category = strdup(f->cur.category);
	f->nasked = 0;
	for (size_t i = 0; i < f->in.nitems; i++)
		if (wn_instrument_applies(&f->in.items[i], f->category))
			f->asked[f->nasked++] = i;
	if (f->at >= f->nasked)
		f->at = f->nasked ? f->nasked - 1 : 0;
	return 0;
}

/* Items numbered 1, 2, ... are shown as Q1, Q2; codes such as S1 or 1.2
 * as they are. */
static const char *prefix(const struct wn_instrument_item *it)
{
	return strspn(it->code, "0123456789") == strlen(it->code) ? "Q" : "";
}

static size_t answered(const struct form *f)
{
	size_t n = 0;

	for (size_t k = 0; k < f->nasked; k++)
		n += f->cur.answers[f->asked[k]] != NULL;
	return n;
}

static void draw(void *ctx)
{
	struct form *f = ctx;
	const struct wn_instrument_item *it = f->nasked ? &f->in.items[f->asked[f->at]] : NULL;
	const char *mine = it ? f->cur.answers[f->asked[f->at]] : NULL;
	char line[512];
	int y = 0;

	erase();
	attron(A_BOLD);
	snprintf(line, sizeof(line), "Appraise %s with %s%s%s%s", f->title, f->in.title,
		 strstr(f->in.title, f->in.version) ? "" : " (", strstr(f->in.title, f->in.version) ? ""
		 : f->in.version, strstr(f->in.title, f->in.version) ? "" : ")");
	screen_line(y++, 0, COLS, line);
	attroff(A_BOLD);
	snprintf(line, sizeof(line), "Reviewer: %s   %s%s%sAnswered: %zu of %zu", f->reviewer,
		 f->category ? "Category: " : "", f->category ? f->category : "",
		 f->category ? "   " : "", answered(f), f->nasked);
	screen_line(y++, 0, COLS, line);
	mvhline(y++, 0, ACS_HLINE, COLS);
	if (!it)
		return;
	if (it->section) {
		attron(A_DIM);
		screen_line(y++, 0, COLS, it->section);
		attroff(A_DIM);
	}
	snprintf(line, sizeof(line), "%s%s (%zu of %zu): %s", prefix(it), it->code, f->at + 1,
		 f->nasked, it->text);
	attron(A_BOLD);
	y += screen_text(y, 0, COLS, 0, 3, line, NULL, NULL, 1);
	attroff(A_BOLD);
	if (it->hint) {
		attron(A_DIM);
		y += screen_text(y, 2, COLS - 2, 0, 3, it->hint, NULL, NULL, 1);
		attroff(A_DIM);
	}
	y++;
	if (it->free_text) {
		screen_line(y++, 2, COLS - 2, "Answered in words: Enter to write it.");
		y += screen_text(y, 4, COLS - 4, 0, 3, mine ? mine : "(not answered)", NULL, NULL, 1);
	} else {
		int x = 2;

		for (size_t j = 0; j < it->nanswers; j++) {
			int chosen = mine && !strcmp(mine, it->answers[j].label);

			snprintf(line, sizeof(line), "[%c] %s", it->answers[j].key, it->answers[j].label);
			if ((int)strlen(line) + x >= COLS) {
				y++;
				x = 2;
			}
			if (chosen)
				attron(A_REVERSE);
			mvaddstr(y, x, line);
			if (chosen)
				attroff(A_REVERSE);
			x += (int)strlen(line) + 3;
		}
		y += 2;
	}
	snprintf(line, sizeof(line), "Comment: %s", f->cur.comments[f->asked[f->at]]
		 ? f->cur.comments[f->asked[f->at]] : "-");
	y += screen_text(y, 2, COLS - 2, 0, 2, line, NULL, NULL, 1);
	y++;
	/* every item at a glance: its code and answer's initials */
	{
		int x = 0;

		for (size_t k = 0; k < f->nasked && y < LINES - 2; k++) {
			const struct wn_instrument_item *o = &f->in.items[f->asked[k]];
			const char *a = f->cur.answers[f->asked[k]];
			char cell[32], ab[8] = "_";

			if (a && o->free_text)
				strcpy(ab, "...");
			else if (a) {
				size_t n = 0;
				int start = 1;

				for (const char *p = a; *p && n + 1 < sizeof(ab); p++) {
					if (start && *p != ' ')
						ab[n++] = *p >= 'a' && *p <= 'z' ? (char)(*p - 32) : *p;
					start = *p == ' ';
				}
				ab[n] = '\0';
			}
			snprintf(cell, sizeof(cell), "%s%s:%s", prefix(o), o->code, ab);
			if (x + (int)strlen(cell) >= COLS) {
				y++;
				x = 0;
				if (y >= LINES - 2)
					break;
			}
			if (k == f->at)
				attron(A_REVERSE);
			mvaddstr(y, x, cell);
			if (k == f->at)
				attroff(A_REVERSE);
			x += (int)strlen(cell) + 2;
		}
	}
	if (*f->message)
		screen_line(LINES - 2, 0, COLS, f->message);
	attron(A_DIM);
	screen_line(LINES - 1, 0, COLS, it->free_text
		    ? "Enter write the answer  Down/Tab next  Up back  # comment  q quit (saved as you go)"
		    : "letter answers  Enter/Down next  Up back  # comment  q quit (saved as you go)");
	attroff(A_DIM);
}

/* Store one answer (or, with answer NULL, a comment on the answer in force). */
static void save(struct form *f, const char *answer, const char *comment)
{
	const struct wn_instrument_item *it = &f->in.items[f->asked[f->at]];
	struct wn_answer_input a = { it->code, answer, comment };
	struct wn_appraisal_input in = {
		.study = f->study, .instrument = f->instrument, .reviewer = f->reviewer,
		.category = f->category, .answers = &a, .nanswers = 1,
	};
	struct wn_appraisal_result res;

	f->message[0] = '\0';
	if (wn_appraise(f->store, &in, &res) < 0) {
		snprintf(f->message, sizeof(f->message), "Not saved: %s", wn_error_last());
		return;
	}
	f->stored += res.stored;
	if (reload(f) < 0)
		snprintf(f->message, sizeof(f->message), "%s", wn_error_last());
}

/* An instrument of several study categories asks which one first. */
static int choose_category(struct form *f)
{
	for (;;) {
		int y = 4, ch;

		erase();
		attron(A_BOLD);
		screen_line(0, 0, COLS, f->title);
		attroff(A_BOLD);
		screen_line(2, 0, COLS, "Which kind of study is it? (its criteria follow the screening questions)");
		for (size_t c = 0; c < f->in.ncategories && c < 9; c++) {
			char line[256];

			snprintf(line, sizeof(line), "[%zu] %s", c + 1, f->in.categories[c].label);
			screen_line(y++, 2, COLS - 2, line);
		}
		screen_line(LINES - 1, 0, COLS, "a number chooses  q quits");
		refresh();
		ch = getch();
		if (ch == 'q' || ch == 'Q' || ch == 27 || ch == ERR)
			return 0;
		if (ch >= '1' && ch < '1' + (int)f->in.ncategories) {
			f->category = strdup(f->in.categories[ch - '1'].code);
			return 1;
		}
	}
}

static int is_answer_key(const struct wn_instrument_item *it, int ch)
{
	for (size_t j = 0; j < it->nanswers; j++)
		if (it->answers[j].key == ch)
			return (int)j + 1;
	return 0;
}

static void form_loop(struct form *f)
{
	for (;;) {
		const struct wn_instrument_item *it;
		int ch, j;

		if (LINES < MIN_LINES || COLS < MIN_COLS) {
			char line[128];

			erase();
			snprintf(line, sizeof(line), "The terminal is too small: %dx%d, at least %dx%d is needed.",
				 COLS, LINES, MIN_COLS, MIN_LINES);
			screen_line(0, 0, COLS, line);
			screen_line(1, 0, COLS, "Make it larger, or press q to quit.");
			refresh();
			ch = getch();
			if (ch == 'q' || ch == 'Q' || ch == ERR)
				return;
			continue;
		}
		draw(f);
		refresh();
		it = &f->in.items[f->asked[f->at]];
		ch = getch();
		if (ch == ERR)
			return;
		if (!it->free_text && (j = is_answer_key(it, ch))) {
			save(f, it->answers[j - 1].label, NULL);
			/* on to the next item still to answer, if any is after */
			if (!*f->message && f->at + 1 < f->nasked)
				f->at++;
			continue;
		}
		switch (ch) {
		case 'q': case 'Q': case 27:
			return;
		case KEY_DOWN: case '\t': case KEY_NPAGE:
			if (f->at + 1 < f->nasked)
				f->at++;
			break;
		case KEY_UP: case KEY_BTAB: case KEY_PPAGE:
			if (f->at)
				f->at--;
			break;
		case KEY_HOME:
			f->at = 0;
			break;
		case '\n': case '\r': case KEY_ENTER:
			if (it->free_text) {
				char text[TEXT_MAX * 4 + 1];

				snprintf(text, sizeof(text), "%s", f->cur.answers[f->asked[f->at]]
					 ? f->cur.answers[f->asked[f->at]] : "");
				int got = strlen(text) + 1 >= sizeof(text) ? -1
					  : screen_read_line("Answer (Enter keeps it, Esc cancels): ", text,
							     sizeof(text), TEXT_MAX, draw, f);

				if (got < 0)
					snprintf(f->message, sizeof(f->message), "This answer cannot be "
						 "edited here (too long, or not in this terminal's "
						 "characters): use --answer");
				else if (got && *text)
					save(f, text, NULL);
			} else if (f->at + 1 < f->nasked) {
				f->at++;
			}
			break;
		case '#': {
			char text[TEXT_MAX * 4 + 1];

			if (!f->cur.answers[f->asked[f->at]]) {
				snprintf(f->message, sizeof(f->message), "Answer the item first, then comment on it.");
				break;
			}
			snprintf(text, sizeof(text), "%s", f->cur.comments[f->asked[f->at]]
				 ? f->cur.comments[f->asked[f->at]] : "");
			/* one cut short to fit would be saved short */
			switch (strlen(text) + 1 >= sizeof(text) ? -1
				: screen_read_line("Comment (Enter keeps it, Esc cancels): ", text,
						   sizeof(text), TEXT_MAX, draw, f)) {
			case 1:
				save(f, NULL, text);
				break;
			case -1:
				snprintf(f->message, sizeof(f->message), "This comment cannot be edited "
					 "here (too long, or not in this terminal's characters): use "
					 "--comment");
				break;
			}
			break;
		}
		default:
			break; /* KEY_RESIZE and the rest: redraw */
		}
	}
}

int appraise_form(struct wn_store *store, const char *study, const char *instrument,
		  const char *reviewer, const char *category)
{
	struct form f;
	struct wn_study s;
	SCREEN *term;
	int status = EXIT_OK;

	memset(&f, 0, sizeof(f));
	f.store = store;
	f.study = study;
	f.reviewer = reviewer;
	f.instrument = instrument;
	if (wn_study_find(store, study, &f.study_id) < 0 || wn_study_get(store, f.study_id, &s) < 0)
		return cmd_fail_lib();
	f.title = strdup(s.label);
	wn_study_release(&s);
	if (wn_appraisal_instrument(store, instrument, &f.in) < 0) {
		free(f.title);
		return cmd_fail_lib();
	}
	if (category) {
		const struct wn_instrument_category *c = wn_instrument_category(&f.in, category);

		if (!c) {
			status = cmd_fail("appraise: %s has no category '%s'", f.in.name, category);
			goto done;
		}
		f.category = strdup(c->code);
	}
	f.asked = calloc(f.in.nitems + 1, sizeof(*f.asked));
	if (!f.asked)
		abort();
	if (reload(&f) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	if (!(term = screen_open("appraise"))) {
		status = EXIT_FAIL;
		goto done;
	}
	if (!f.in.ncategories || f.category || choose_category(&f)) {
		if (reload(&f) == 0)
			form_loop(&f);
	}
	screen_close(term);
	printf("%s, %s: %zu of %zu items answered, %ld answer%s stored in this session\n", f.title,
	       reviewer, answered(&f), f.nasked, f.stored, f.stored == 1 ? "" : "s");
done:
	wn_appraisal_current_release(&f.cur);
	wn_instrument_release(&f.in);
	free(f.asked);
	free(f.category);
	free(f.title);
	return status;
}
