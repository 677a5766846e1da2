/*
 * `winnow screen`: a reviewer screens one stage on the terminal, a report
 * at a time: title, authors, year, journal, the databases it came from and
 * the abstract, with the rules' highlight terms in colour. One key decides;
 * each decision is committed as it is made (wn_decide), so quitting, or
 * losing the terminal, keeps everything decided. The queue is the
 * reviewer's own: what they have not decided, in report order, so the next
 * start goes on where they stopped. Nothing shows what another reviewer
 * decided (screening is blind) unless the protocol says "blind = no" for
 * the stage.
 */
#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "cmd.h"
#include "screen_text.h"
#include "winnow/protocol.h"
#include "winnow/rules.h"
#include "winnow/screening.h"
#include "winnow/store.h"

#define LABEL_WIDTH 10
#define MIN_COLS 60
#define MIN_LINES 16
#define NOTE_MAX 500 /* characters */

enum { OPT_STAGE = 's', OPT_REVIEWER = 'r', OPT_RULES = 1000, OPT_ORDER, OPT_SEED };

static const struct cmd_option options[] = {
	{ "stage", OPT_STAGE, "S", "the stage to screen (default: the first)", 0 },
	{ "reviewer", OPT_REVIEWER, "NAME", "who screens (default: $WINNOW_REVIEWER)", 0 },
	{ "rules", OPT_RULES, "FILE", "highlight terms from this rules file (default: the protocol's)", 0 },
	{ "order", OPT_ORDER, "O", "report (default), relevance (best first, learning as you "
	  "decide) or sample (the stopping rule's random sample)", 0 },
	{ "seed", OPT_SEED, "N", "with relevance: the order before there is a model (default 1)", 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

/* Where each report of the queue stands in this session. */
enum slot { WAITING, DECIDED, SKIPPED, GONE };

/* A decision made in this session, for going back to it. */
struct made {
	long long report;
	char decision[16];
};

struct screen {
	struct wn_store *store;
	const char *stage, *reviewer;
	const char *label;                 /* the stage as the protocol labels it */
	const struct wn_strlist *reasons;  /* the stage's exclusion reasons */
	int first_stage;
	int open_review;                   /* blind = no: others' decisions shown */
	struct wn_protocol proto;
	struct wn_rules *rules;
	char *rules_where;
	attr_t mark_attrs[3];

	struct wn_screen_queue queue;
	unsigned char *slot;  /* enum slot, per queue entry */
	size_t scan;          /* queue entries before this are not waiting */
	size_t done, total;   /* for the progress shown */
	struct made *made;    /* one entry per report decided this session, in order */
	size_t nmade, made_cap;
	size_t back;          /* > 0: made[nmade - back] is taken back, on screen */

	long long current;    /* the report shown, 0 when none is left */
	size_t current_index; /* its queue entry, or (size_t)-1 when taken back */
	struct wn_report_view view;
	int have_view;
	char mine[16];        /* the reviewer's decision on it, when taken back */
	unsigned char *marks_title, *marks_abstract, *marks_keywords;
	char *keywords;
	char *others;         /* others' decisions, when the stage is not blind */
	int scroll, abstract_lines, abstract_rows;
	char note[NOTE_MAX * 4 + 1];

	/* --order relevance: the model, learning as decisions are made;
	 * --order sample: where the stopping test stands */
	const char *order;
	struct wn_screen_ranker *ranker;
	struct wn_stop_status stop;

	char message[512];
	long included, excluded, maybes, changed;
	FILE *times; /* $WINNOW_SCREEN_TIMES: milliseconds per record shown */
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void release_view(struct screen *s)
{
	if (s->have_view)
		wn_report_view_release(&s->view);
	s->have_view = 0;
	free(s->marks_title);
	free(s->marks_abstract);
	free(s->marks_keywords);
	free(s->keywords);
	free(s->others);
	s->marks_title = s->marks_abstract = s->marks_keywords = NULL;
	s->keywords = s->others = NULL;
}

/* Take a stored note back into the note being edited, cut (at a
 * character's start) to what the editor holds. */
static void copy_note(struct screen *s, const char *note)
{
	size_t n = strlen(note);

	if (n >= sizeof(s->note)) {
		n = sizeof(s->note) - 1;
		while (n && ((unsigned char)note[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(s->note, note, n);
	s->note[n] = '\0';
}

static unsigned char *marks_for(struct screen *s, const char *text)
{
	unsigned char *m = calloc(strlen(text) + 1, 1);

	if (!m)
		abort();
	if (s->rules)
		wn_rules_mark(s->rules, text, m);
	return m;
}

/* Load the report to show, with its highlight marks. */
static int show(struct screen *s, long long report)
{
	const struct wn_record *r;
	size_t len = 0;

	release_view(s);
	if (wn_report_load(s->store, report, &s->view) < 0) {
		wn_report_view_release(&s->view);
		return -1;
	}
	s->have_view = 1;
	r = &s->view.rec;
	for (size_t i = 0; i < r->keywords.n; i++)
		len += strlen(r->keywords.items[i]) + 2;
	s->keywords = calloc(len + 1, 1);
	if (!s->keywords)
		abort();
	for (size_t i = 0; i < r->keywords.n; i++) {
		if (i)
			strcat(s->keywords, "; ");
		strcat(s->keywords, r->keywords.items[i]);
	}
	s->marks_title = marks_for(s, r->title ? r->title : "");
	s->marks_abstract = marks_for(s, r->abstract ? r->abstract : "");
	s->marks_keywords = marks_for(s, s->keywords);
	if (s->open_review &&
	    wn_screen_others(s->store, s->stage, s->reviewer, report, &s->others) < 0)
		return -1;
	s->current = report;
	s->scroll = 0;
	s->note[0] = '\0';
	return 0;
}

/* The next report to show: the first waiting in the queue that this
 * session has not decided or skipped (checked again now: another process
 * may have settled it); when only skipped ones are left, round again.
 * Sets s->current to 0 when nothing is left. */
static int next_report(struct screen *s)
{
	for (int round = 0; round < 2; round++) {
		for (size_t i = s->scan; i < s->queue.n; i++) {
			struct wn_screen_standing st;

			if (s->slot[i] != WAITING) {
				if (i == s->scan && s->slot[i] != SKIPPED)
					s->scan++;
				continue;
			}
			if (wn_screen_standing(s->store, s->stage, s->reviewer, s->queue.reports[i],
					       &st) < 0)
				return -1;
			if (!st.waiting) {
				/* settled elsewhere; decided by this reviewer elsewhere counts */
				s->slot[i] = GONE;
				if (st.mine[0])
					s->done++;
				else
					s->total--;
				wn_screen_standing_release(&st);
				continue;
			}
			wn_screen_standing_release(&st);
			s->current_index = i;
			s->mine[0] = '\0';
			return show(s, s->queue.reports[i]);
		}
		/* only skipped ones left: they come round again */
		{
			int any = 0;

			for (size_t i = 0; i < s->queue.n; i++)
				if (s->slot[i] == SKIPPED) {
					s->slot[i] = WAITING;
					any = 1;
				}
			if (!any)
				break;
			s->scan = 0;
			snprintf(s->message, sizeof(s->message),
				 "Every record left was skipped; here they are again.");
		}
	}
	release_view(s);
	s->current = 0;
	return 0;
}

static void reload_protocol(struct screen *s);

/* ---- drawing ------------------------------------------------------------ */

static void draw_field(struct screen *s, int *y, int bottom, const char *label, const char *text,
		       const unsigned char *marks, int most, attr_t attr)
{
	int width = COLS - LABEL_WIDTH - 1, room = bottom - *y;

	if (room <= 0 || !text || !*text)
		return;
	if (most > room)
		most = room;
	attron(A_BOLD);
	mvaddstr(*y, 0, label);
	attroff(A_BOLD);
	attron(attr);
	*y += screen_text(*y, LABEL_WIDTH, width, 0, most, text, marks, s->mark_attrs, 1);
	attroff(attr);
}

static void draw_header(struct screen *s)
{
	char left[384], order[192], right[96], pct[24];
	int rlen;
	size_t rel, irr;

	order[0] = '\0';
	if (s->ranker && wn_screen_ranker_ready(s->ranker, &rel, &irr))
		snprintf(order, sizeof(order), "by relevance (learned from %zu relevant, %zu not)",
			 rel, irr);
	else if (s->ranker)
		snprintf(order, sizeof(order), "random order until one relevant and one not");
	else if (s->stop.stage && s->stop.test.met)
		snprintf(order, sizeof(order), "sample: you may stop (%ld drawn, %ld relevant; recall "
			 ">= %s shown)", s->stop.test.drawn, s->stop.test.found,
			 cmd_percent(pct, s->stop.test.target));
	else if (s->stop.stage)
		snprintf(order, sizeof(order), "sample: %ld drawn, %ld relevant; recall >= %.1f%% so "
			 "far", s->stop.test.drawn, s->stop.test.found,
			 100 * s->stop.test.recall_low);
	snprintf(right, sizeof(right), "%zu of %zu screened", s->done, s->total);
	rlen = (int)strlen(right);
	/* where the order stands matters most: the stage's label, then the
	 * reviewer, give way to it on a narrow terminal */
	snprintf(left, sizeof(left), "%s  -  %s%s%s", s->label, s->reviewer, order[0] ? "  -  " : "",
		 order);
	if (order[0] && (int)strlen(left) > COLS - rlen - 2)
		snprintf(left, sizeof(left), "%s  -  %s", s->reviewer, order);
	if (order[0] && (int)strlen(left) > COLS - rlen - 2)
		snprintf(left, sizeof(left), "%s", order);
	attron(A_BOLD);
	screen_line(0, 0, COLS - rlen - 2, left);
	mvaddstr(0, COLS - rlen, right);
	attroff(A_BOLD);
}

static void draw_report(struct screen *s)
{
	const struct wn_record *r = &s->view.rec;
	char line[1024], year[16];
	int y = 3, bottom = LINES - 2 - (s->note[0] ? 1 : 0);
	/* the fields above give way so that the abstract keeps a rule and at
	 * least four lines */
	int fields = bottom - 5;

	snprintf(line, sizeof(line), "Record %lld  -  %zu record%s from %s%s%s", s->current,
		 s->view.nrecords, s->view.nrecords == 1 ? "" : "s", s->view.sources,
		 s->mine[0] ? "  -  your decision: " : "", s->mine);
	screen_line(1, 0, COLS, line);
	mvhline(2, 0, ACS_HLINE, COLS);
	draw_field(s, &y, fields, "Title", r->title ? r->title : "(no title)", s->marks_title, 4,
		   A_BOLD);
	{
		size_t len = 0;
		char *authors;

		for (size_t i = 0; i < r->authors.n; i++)
			len += strlen(r->authors.items[i]) + 2;
		authors = calloc(len + 1, 1);
		if (!authors)
			abort();
		for (size_t i = 0; i < r->authors.n; i++) {
			if (i)
				strcat(authors, "; ");
			strcat(authors, r->authors.items[i]);
		}
		draw_field(s, &y, fields, "Authors", authors, NULL, 2, A_NORMAL);
		free(authors);
	}
	snprintf(year, sizeof(year), "%d", r->year);
	snprintf(line, sizeof(line), "%s%s%s%s%s%s%s%s", r->year ? year : "", r->year ? "  " : "",
		 r->journal ? r->journal : r->journal_abbrev ? r->journal_abbrev : "",
		 r->volume ? " " : "", r->volume ? r->volume : "",
		 r->issue ? "(" : "", r->issue ? r->issue : "", r->issue ? ")" : "");
	if (r->pages)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), ":%s", r->pages);
	draw_field(s, &y, fields, "Published", line, NULL, 1, A_NORMAL);
	line[0] = '\0';
	if (r->type)
		snprintf(line, sizeof(line), "%s", r->type);
	for (size_t i = 0; i < r->pubtypes.n && strlen(line) < 600; i++)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s%s",
			 line[0] ? "; " : "", r->pubtypes.items[i]);
	if (r->language)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), "%slanguage %s",
			 line[0] ? "  -  " : "", r->language);
	draw_field(s, &y, fields, "Type", line, NULL, 1, A_NORMAL);
	line[0] = '\0';
	if (r->doi)
		snprintf(line, sizeof(line), "doi:%s", r->doi);
	if (r->pmid)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), "%spmid:%s",
			 line[0] ? "  " : "", r->pmid);
	draw_field(s, &y, fields, "Ids", line, NULL, 1, A_NORMAL);
	draw_field(s, &y, fields, "Keywords", s->keywords, s->marks_keywords, 2, A_NORMAL);
	if (s->open_review)
		draw_field(s, &y, fields, "Others", s->others ? s->others : "nobody has decided yet",
			   NULL, 2, A_NORMAL);
	if (y < bottom) {
		const char *abstract = r->abstract && *r->abstract ? r->abstract : "(no abstract)";
		int width = COLS - 2;

		mvhline(y, 0, ACS_HLINE, COLS);
		attron(A_BOLD);
		mvaddstr(y, 2, " Abstract ");
		attroff(A_BOLD);
		y++;
		s->abstract_rows = bottom - y;
		s->abstract_lines = screen_text(0, 0, width, 0, 1 << 30, abstract, NULL, NULL, 0);
		if (s->scroll > s->abstract_lines - s->abstract_rows)
			s->scroll = s->abstract_lines - s->abstract_rows;
		if (s->scroll < 0)
			s->scroll = 0;
		if (s->abstract_rows > 0)
			screen_text(y, 1, width, s->scroll, s->abstract_rows, abstract,
				    s->marks_abstract, s->mark_attrs, 1);
		if (s->scroll > 0)
			mvaddstr(y - 1, COLS - 12, " more above ");
	}
	if (s->note[0]) {
		attron(A_BOLD);
		mvaddstr(LINES - 3, 0, "Note");
		attroff(A_BOLD);
		screen_line(LINES - 3, LABEL_WIDTH, COLS - LABEL_WIDTH, s->note);
	}
}

static const char *keys_help(const struct screen *s)
{
	if (!s->current)
		return "u back to your last decision   q quit";
	if (COLS < 92)
		return s->first_stage ? "i incl e excl x +why m maybe s skip u back n note c ? q quit"
				      : "i incl e excl m maybe s skip u back n note c crit q quit";
	return s->first_stage
		? "i include  e exclude  x exclude+reason  m maybe  s skip  u undo  n note  c criteria  q quit"
		: "i include  e exclude (reason)  m maybe  s skip  u undo  n note  c criteria  q quit";
}

static void draw(struct screen *s)
{
	erase();
	if (COLS < MIN_COLS || LINES < MIN_LINES) {
		char line[128];

		snprintf(line, sizeof(line), "The terminal is too small: %dx%d, at least %dx%d is needed.",
			 COLS, LINES, MIN_COLS, MIN_LINES);
		screen_text(0, 0, COLS, 0, LINES - 1, line, NULL, NULL, 1);
		mvaddstr(LINES - 1, 0, "q quits");
		refresh();
		return;
	}
	draw_header(s);
	if (s->current) {
		draw_report(s);
	} else {
		mvhline(2, 0, ACS_HLINE, COLS);
		attron(A_BOLD);
		mvprintw(4, 2, "Nothing is left for you to screen at %s.", s->stage);
		attroff(A_BOLD);
		mvprintw(6, 2, "You have screened %zu record%s here.", s->done, s->done == 1 ? "" : "s");
	}
	mvhline(LINES - 2, 0, ACS_HLINE, COLS);
	screen_line(LINES - 1, 0, COLS, s->message[0] ? s->message : keys_help(s));
	refresh();
}

/* The protocol's eligibility criteria, the stage's reasons and the rules
 * in use, until a key is pressed. */
static void show_criteria(struct screen *s)
{
	int y = 2, width = COLS - 4;

	reload_protocol(s);
again:
	y = 2;
	width = COLS - 4;
	erase();
	attron(A_BOLD);
	screen_line(0, 0, COLS, "Eligibility criteria (any key goes back)");
	attroff(A_BOLD);
	mvhline(1, 0, ACS_HLINE, COLS);
	for (size_t i = 0; i < s->proto.nentries && y < LINES - 1; i++) {
		const struct wn_protocol_entry *e = &s->proto.entries[i];
		char *text;
		size_t n;

		if (e->invalid || strcmp(e->section, "eligibility"))
			continue;
		n = strlen(e->key) + strlen(e->value) + 4;
		text = malloc(n);
		if (!text)
			abort();
		snprintf(text, n, "%s: %s", e->key, e->value);
		y += screen_text(y, 2, width, 0, LINES - 1 - y, text, NULL, NULL, 1);
		free(text);
	}
	if (y == 2 && y < LINES - 1)
		mvaddstr(y++, 2, "(the protocol has no [eligibility] section)");
	if (s->reasons && s->reasons->n && y < LINES - 2) {
		y++;
		attron(A_BOLD);
		mvprintw(y++, 2, "Reasons to exclude at %s:", s->stage);
		attroff(A_BOLD);
		for (size_t i = 0; i < s->reasons->n && y < LINES - 1; i++) {
			mvprintw(y, 4, "%zu  ", i + 1);
			screen_line(y++, 7, width - 5, s->reasons->items[i]);
		}
	}
	if (y < LINES - 2) {
		char line[600];

		snprintf(line, sizeof(line), "Highlights: %s", s->rules_where ? s->rules_where : "none (no rules file)");
		y++;
		screen_line(y, 2, width, line);
	}
	refresh();
	if (getch() == KEY_RESIZE)
		goto again;
}

/* Pick one of the stage's reasons: its index, or -1 when cancelled. The
 * reasons are those of the protocol in force now (it may have been loaded
 * again since the screen started). Keys 1-9 and a-p pick the first 25; the
 * arrows reach them all, the list scrolling. */
static int pick_reason(struct screen *s)
{
	size_t n, at = 0, top = 0;

	reload_protocol(s);
	n = s->reasons ? s->reasons->n : 0;

	if (!n)
		return -1;
	for (;;) {
		int key, y;

		erase();
		attron(A_BOLD);
		screen_line(0, 0, COLS, "Exclude: why? (a number, or arrows and Enter; Esc cancels)");
		attroff(A_BOLD);
		mvhline(1, 0, ACS_HLINE, COLS);
		y = 2;
		if (at < top)
			top = at;
		if (at >= top + (size_t)(LINES - 3))
			top = at - (size_t)(LINES - 3) + 1;
		for (size_t i = top; i < n && y < LINES - 1; i++, y++) {
			char line[512];

			snprintf(line, sizeof(line), "%c  %s",
				 i < 9 ? (char)('1' + i) : i < 25 ? (char)('a' + i - 9) : ' ',
				 s->reasons->items[i]);
			if (i == at)
				attron(A_REVERSE);
			screen_line(y, 2, COLS - 4, line);
			if (i == at)
				attroff(A_REVERSE);
		}
		refresh();
		key = getch();
		if (key >= '1' && key <= '9' && (size_t)(key - '1') < n)
			return key - '1';
		if (key >= 'a' && key <= 'p' && (size_t)(key - 'a' + 9) < n)
			return key - 'a' + 9;
		switch (key) {
		case KEY_UP: at = at ? at - 1 : n - 1; break;
		case KEY_DOWN: at = (at + 1) % n; break;
		case '\n': case '\r': case KEY_ENTER: return (int)at;
		case 27: case 'q': case ERR: return -1;
		default: break;
		}
	}
}

static void redraw(void *ctx)
{
	draw(ctx);
}

/* Read a note on the bottom line: 1 when Enter saved it, 0 when Esc
 * cancelled. */
static int read_note(struct screen *s)
{
	return screen_read_line("Note (Enter keeps it, Esc cancels): ", s->note, sizeof(s->note),
				NOTE_MAX, redraw, s);
}

/* ---- deciding ------------------------------------------------------------ */

static long *tally(struct screen *s, const char *decision)
{
	return !strcmp(decision, "include") ? &s->included
	       : !strcmp(decision, "exclude") ? &s->excluded : &s->maybes;
}

/* A note typed on the report shown goes with a decision; leaving the
 * report without one drops it, and says so. */
static void drop_note(struct screen *s, const char *why)
{
	if (s->note[0] && s->current)
		snprintf(s->message, sizeof(s->message), "Record %lld: %s; the note was not kept "
			 "(a note goes with a decision).", s->current, why);
	s->note[0] = '\0';
}

/* Leave a report taken back (or just decided) for the queue again. */
static void back_to_queue(struct screen *s)
{
	s->back = 0;
	s->mine[0] = '\0';
	s->current = 0;
}

/* The reports still waiting, ordered again by what the model knows now
 * (the ones skipped keep their place: they come round at the end). */
static void rerank(struct screen *s)
{
	long long *ids = malloc((s->queue.n + 1) * sizeof(*ids));
	size_t *at = malloc((s->queue.n + 1) * sizeof(*at)), n = 0;

	if (!ids || !at)
		abort();
	for (size_t i = s->scan; i < s->queue.n; i++)
		if (s->slot[i] == WAITING) {
			at[n] = i;
			ids[n++] = s->queue.reports[i];
		}
	wn_screen_ranker_order(s->ranker, ids, n, NULL);
	for (size_t k = 0; k < n; k++)
		s->queue.reports[at[k]] = ids[k];
	free(ids);
	free(at);
}

/* Where the stopping test stands, for the header (the message says when
 * it cannot be worked out). */
static void stop_status(struct screen *s)
{
	struct wn_stop_status now;

	if (wn_stop_check(s->store, s->stage, 0, 0, &now) < 0) {
		snprintf(s->message, sizeof(s->message), "The stopping test: %s", wn_error_last());
		return;
	}
	wn_stop_status_release(&s->stop);
	s->stop = now;
}

static void decide(struct screen *s, const char *decision, const char *reason)
{
	struct wn_decision_input in = { 0 };
	struct wn_decision_result res;
	char id[32];
	int again = s->back > 0;

	snprintf(id, sizeof(id), "%lld", s->current);
	in.record = id;
	in.stage = s->stage;
	in.reviewer = s->reviewer;
	in.decision = decision;
	in.reason = reason;
	in.note = s->note[0] ? s->note : NULL;
	if (wn_decide(s->store, &in, &res) < 0) {
		snprintf(s->message, sizeof(s->message), "Record %lld: not recorded: %s", s->current,
			 wn_error_last());
		return;
	}
	(*tally(s, decision))++;
	if (again) {
		/* the history keeps one entry per report: its decision now */
		snprintf(s->made[s->nmade - s->back].decision, sizeof(s->made[0].decision), "%s",
			 decision);
		s->changed++;
	} else {
		if (s->nmade == s->made_cap) {
			s->made_cap = s->made_cap ? s->made_cap * 2 : 64;
			s->made = realloc(s->made, s->made_cap * sizeof(*s->made));
			if (!s->made)
				abort();
		}
		s->made[s->nmade].report = s->current;
		snprintf(s->made[s->nmade++].decision, sizeof(s->made[0].decision), "%s", decision);
		s->done++;
		if (s->current_index != (size_t)-1)
			s->slot[s->current_index] = DECIDED;
	}
	snprintf(s->message, sizeof(s->message), "Record %lld: %s%s%s%s.  u goes back to it",
		 s->current, again ? "changed to " : "", decision, reason ? ": " : "", reason ? reason : "");
	s->note[0] = '\0';
	if (s->ranker) {
		wn_screen_ranker_learn(s->ranker, s->current, decision);
		rerank(s);
	}
	if (s->stop.stage)
		stop_status(s);
	back_to_queue(s);
}

/* One step further back through this session's decisions, newest first,
 * to change one (or keep it). What was on screen stays where it was: a
 * report from the queue still waits there, a decision taken back stands. */
static int go_back(struct screen *s)
{
	struct made *m;

	if (s->back >= s->nmade) {
		snprintf(s->message, sizeof(s->message), s->nmade
			 ? "Nothing further back: that was the first decision of this session."
			 : "Nothing to go back to: no record was decided in this session.");
		return 0;
	}
	drop_note(s, "left without a decision");
	m = &s->made[s->nmade - ++s->back];
	if (show(s, m->report) < 0)
		return -1;
	{
		/* its note comes back with it, to keep or change */
		struct wn_screen_standing st;

		if (wn_screen_standing(s->store, s->stage, s->reviewer, m->report, &st) < 0)
			return -1;
		if (st.mine_note)
			copy_note(s, st.mine_note);
		wn_screen_standing_release(&st);
	}
	s->current_index = (size_t)-1;
	snprintf(s->mine, sizeof(s->mine), "%s", m->decision);
	if (!s->message[0])
		snprintf(s->message, sizeof(s->message),
			 "Record %lld: back to your decision (%s); i, e or m replaces it, s keeps it.",
			 m->report, m->decision);
	return 0;
}

static void skip(struct screen *s)
{
	if (s->back) {
		snprintf(s->message, sizeof(s->message), "Record %lld: kept as %s.", s->current, s->mine);
		s->note[0] = '\0';
	} else {
		drop_note(s, "skipped");
		s->slot[s->current_index] = SKIPPED;
	}
	back_to_queue(s);
}

/* s->times gets, for the first record, the milliseconds from the
 * command's start to it on screen, and for each record after, from the
 * key press before it. */
static int screen_loop(struct screen *s, double start)
{

	for (;;) {
		int key;

		if (!s->current && next_report(s) < 0)
			return -1;
		draw(s);
		if (s->times)
			fprintf(s->times, "%.3f\n", now_ms() - start), fflush(s->times);
		key = getch();
		start = now_ms();
		if (key != KEY_RESIZE)
			s->message[0] = '\0';
		if (key == 'q' || key == ERR) /* ERR: the terminal is gone */
			return 0;
		if (COLS < MIN_COLS || LINES < MIN_LINES)
			continue; /* nothing is decided on a screen that cannot show the record */
		if (key == 'u') {
			if (go_back(s) < 0)
				return -1;
			continue;
		}
		if (!s->current)
			continue;
		switch (key) {
		case 'i': decide(s, "include", NULL); break;
		case 'm': decide(s, "maybe", NULL); break;
		case 'e':
		case 'x':
			if ((key == 'x' || !s->first_stage) && s->reasons && s->reasons->n) {
				int r = pick_reason(s);

				if (r >= 0)
					decide(s, "exclude", s->reasons->items[r]);
			} else {
				decide(s, "exclude", NULL);
			}
			break;
		case 's':
		case KEY_RIGHT: skip(s); break;
		case 'n': read_note(s); break;
		case 'c':
		case '?': show_criteria(s); break;
		case KEY_DOWN: s->scroll++; break;
		case KEY_UP: s->scroll--; break;
		case KEY_NPAGE:
		case ' ': s->scroll += s->abstract_rows > 1 ? s->abstract_rows - 1 : 1; break;
		case KEY_PPAGE: s->scroll -= s->abstract_rows > 1 ? s->abstract_rows - 1 : 1; break;
		default: break;
		}
	}
}

extern const struct cmd cmd_screen;

/* The stage's label, reasons and place, from the protocol in force
 * (already read into s->proto, or empty). */
static void stage_from_protocol(struct screen *s)
{
	s->label = s->stage;
	s->first_stage = 1;
	for (size_t i = 0; i < s->proto.nstages; i++) {
		const struct wn_protocol_stage *ps = &s->proto.stages[i];
		const char *label = wn_protocol_get(&s->proto, "stage", ps->name, "label");
		const char *blind = wn_protocol_get(&s->proto, "stage", ps->name, "blind");

		if (strcmp(ps->name, s->stage))
			continue;
		s->reasons = &ps->reasons;
		s->first_stage = i == 0;
		if (label)
			s->label = label;
		s->open_review = blind && !strcmp(blind, "no");
	}
}

/* Read the protocol in force again: reasons and labels as they are now. */
static void reload_protocol(struct screen *s)
{
	wn_protocol_release(&s->proto);
	s->reasons = NULL;
	wn_protocol_current(s->store, &s->proto);
	stage_from_protocol(s);
}

static void set_colours(struct screen *s)
{
	s->mark_attrs[0] = A_NORMAL;
	s->mark_attrs[WN_MARK_INCLUDE] = A_BOLD | A_UNDERLINE;
	s->mark_attrs[WN_MARK_EXCLUDE] = A_REVERSE;
	if (has_colors() && start_color() == OK) {
		use_default_colors();
		init_pair(1, COLOR_GREEN, -1);
		init_pair(2, COLOR_RED, -1);
		s->mark_attrs[WN_MARK_INCLUDE] = A_BOLD | COLOR_PAIR(1);
		s->mark_attrs[WN_MARK_EXCLUDE] = A_BOLD | COLOR_PAIR(2);
	}
}

static int run_screen(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct screen s;
	struct cmd_args args;
	const char *rules_file = NULL, *times;
	char *stage_copy = NULL;
	SCREEN *term;
	long long seed = 1;
	int status, rc;

	double started = now_ms();

	memset(&s, 0, sizeof(s));
	if (!cmd_parse_args(ctx, &cmd_screen, argc, argv, &args, &status))
		return status;
	s.reviewer = getenv("WINNOW_REVIEWER");
	for (int i = 0; i < args.nopts; i++) {
		switch (args.opts[i].id) {
		case OPT_STAGE: s.stage = args.opts[i].value; break;
		case OPT_REVIEWER: s.reviewer = args.opts[i].value; break;
		case OPT_RULES: rules_file = args.opts[i].value; break;
		case OPT_ORDER: s.order = args.opts[i].value; break;
		case OPT_SEED:
			if ((status = cmd_parse_count(&cmd_screen, "--seed", args.opts[i].value,
						      &seed)) != EXIT_OK)
				goto done;
			break;
		}
	}
	if (!s.order)
		s.order = "report";
	if (strcmp(s.order, "report") && strcmp(s.order, "relevance") && strcmp(s.order, "sample")) {
		status = cmd_usage_error(&cmd_screen, "screen: --order is report, relevance or sample, "
					 "not '%s'", s.order);
		goto done;
	}
	if (args.npos) {
		status = cmd_usage_error(&cmd_screen, "screen: unexpected argument '%s'", args.pos[0]);
		goto done;
	}
	if (!s.reviewer || !*s.reviewer) {
		status = cmd_usage_error(&cmd_screen,
					 "screen: say who screens (--reviewer NAME, or $WINNOW_REVIEWER)");
		goto done;
	}
	if (wn_store_open(&s.store, ctx->db_path, WN_OPEN_WRITE, &ctx->who) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	wn_protocol_current(s.store, &s.proto);
	if (!s.stage) {
		if (!s.proto.nstages) {
			status = cmd_fail("screen: the review has no screening stages yet (load a protocol)");
			goto done;
		}
		s.stage = s.proto.stages[0].name;
	}
	/* the screen's own copy: the protocol is read again while it runs */
	if (!(s.stage = stage_copy = strdup(s.stage))) {
		status = cmd_fail("out of memory");
		goto done;
	}
	stage_from_protocol(&s);
	if (rules_file) {
		struct wn_diagnostics diags = { 0 };

		if (wn_rules_parse_file(&s.rules, rules_file, &diags) < 0) {
			status = diags.n ? cmd_print_diagnostics(rules_file, &diags) : cmd_fail_lib();
			wn_diagnostics_release(&diags);
			goto done;
		}
		s.rules_where = strdup(rules_file);
	} else if (wn_rules_in_force(s.store, &s.rules, &s.rules_where) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	times = getenv("WINNOW_SCREEN_TIMES");
	if (!strcmp(s.order, "relevance")) {
		struct wn_rank_settings rs;

		wn_rank_defaults(&rs);
		rs.seed = (uint64_t)seed;
		rc = wn_screen_ranker_open(s.store, s.stage, s.reviewer, &rs, &s.queue, &s.ranker);
		if (rc == 0) {
			char *settings = wn_rank_describe(&rs);

			wn_screen_ranker_order(s.ranker, s.queue.reports, s.queue.n, NULL);
			/* PRISMA and the audit trail say that the order was used */
			rc = s.queue.n ? wn_screen_record_order(s.store, s.stage, s.reviewer, "relevance",
								settings) : 0;
			free(settings);
		}
	} else if (!strcmp(s.order, "sample")) {
		rc = wn_stop_sample_queue(s.store, s.stage, s.reviewer, &s.queue);
		if (rc == 0 && s.queue.n)
			rc = wn_screen_record_order(s.store, s.stage, s.reviewer, "sample", NULL);
		if (rc == 0)
			stop_status(&s);
	} else {
		rc = wn_screen_queue(s.store, s.stage, s.reviewer, &s.queue);
	}
	if (rc < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	s.done = s.queue.done;
	s.total = s.queue.done + s.queue.n;
	if (!s.queue.n) {
		printf("Nothing %sis waiting for %s at %s: %zu record%s screened.\n",
		       s.stop.stage ? "in the random sample " : "", s.reviewer, s.stage, s.done,
		       s.done == 1 ? "" : "s");
		if (s.stop.newcomers)
			printf("%ld report(s) not screened reached the stage after the sample was drawn, "
			       "so are not in it: winnow screen --stage %s\n", s.stop.newcomers, s.stage);
		status = EXIT_OK;
		goto done;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		status = cmd_fail("screen: %zu record%s waiting for %s at %s, but this is not a "
				  "terminal; scripts use 'decide' or 'decisions import'",
				  s.queue.n, s.queue.n == 1 ? "" : "s", s.reviewer, s.stage);
		goto done;
	}
	s.slot = calloc(s.queue.n, 1);
	if (!s.slot)
		abort();
	if (times && !(s.times = fopen(times, "a"))) {
		status = cmd_fail("screen: cannot write %s", times);
		goto done;
	}
	if (!(term = screen_open("screen"))) {
		status = EXIT_FAIL;
		goto done;
	}
	set_colours(&s);
	rc = screen_loop(&s, started);
	screen_close(term);
	if (rc < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	printf("%s at %s: %ld decision%s in this session (%ld include, %ld exclude, %ld maybe)",
	       s.reviewer, s.stage, s.included + s.excluded + s.maybes,
	       s.included + s.excluded + s.maybes == 1 ? "" : "s", s.included, s.excluded, s.maybes);
	if (s.changed)
		printf(", %ld of them changing an earlier one", s.changed);
	printf("; %zu of %zu screened\n", s.done, s.total);
	status = EXIT_OK;
done:
	release_view(&s);
	if (s.times)
		fclose(s.times);
	wn_screen_queue_release(&s.queue);
	wn_screen_ranker_close(s.ranker);
	wn_stop_status_release(&s.stop);
	free(s.slot);
	free(s.made);
	free(s.rules_where);
	wn_rules_free(s.rules);
	wn_protocol_release(&s.proto);
	wn_store_close(s.store);
	free(stage_copy);
	free(args.pos);
	return status;
}

const struct cmd cmd_screen = {
	.name = "screen",
	.summary = "screen a stage on the terminal, one record at a time",
	.usage = "[--stage S] [--reviewer NAME] [--rules FILE] [--order report|relevance|sample] "
		 "[--seed N]",
	.description =
		"Shows each report waiting for you at the stage (the first, unless --stage\n"
		"says): title, authors, year and journal, the databases its records came\n"
		"from, keywords and the abstract, with the rules file's highlight terms in\n"
		"colour (green: include; red: exclude). Keys:\n"
		"  i include   e exclude   m maybe   s skip (it comes back at the end)\n"
		"  x exclude with a reason from the protocol's list (at the first stage;\n"
		"    after it, e always asks for one)\n"
		"  u back through this session's decisions, to change or keep one\n"
		"  n a note, kept with your decision   c the eligibility criteria\n"
		"  arrows, space, PgUp/PgDn scroll the abstract   q quit\n"
		"Every decision is saved as it is made; starting again goes on with what is\n"
		"still waiting for you. Screening is blind: nothing shows what anybody else\n"
		"decided, unless the protocol says 'blind = no' for the stage.\n"
		"--order relevance shows the reports most likely to be relevant first, the\n"
		"model learning from each decision (see `winnow next`); --order sample goes\n"
		"through the stopping rule's random sample in its order, the header showing\n"
		"where the test stands (see `winnow stop-check`). The order changes nothing a\n"
		"decision means; the review records that it was used.",
	.options = options,
	.run = run_screen,
	.uses_review = 1,
};
