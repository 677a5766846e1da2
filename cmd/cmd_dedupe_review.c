/*
 * `winnow dedupe review`: the queue of uncertain pairs on a terminal, the
 * two records side by side with the words that differ in reverse video.
 * Each key press is one decision, committed at once, so quitting (or losing
 * the terminal) keeps every decision made; the next start goes on with the
 * pairs still waiting. Undo takes back this session's decisions, newest
 * first.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "screen_text.h"
#include "winnow/dedupe.h"
#include "winnow/store.h"

#define LABEL_WIDTH 9
#define MIN_COLS 60
#define MIN_LINES 16

struct id_list {
	long long *ids;
	size_t n, cap;
};

static void id_push(struct id_list *l, long long id)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->ids = realloc(l->ids, l->cap * sizeof(*l->ids));
		if (!l->ids)
			abort();
	}
	l->ids[l->n++] = id;
}

static int id_has(const struct id_list *l, long long id)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->ids[i] == id)
			return 1;
	return 0;
}

static void id_remove(struct id_list *l, long long id)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->ids[i] == id) {
			memmove(l->ids + i, l->ids + i + 1, (l->n - i - 1) * sizeof(*l->ids));
			l->n--;
			return;
		}
}

struct review {
	struct wn_store *store;
	long long *queue;
	size_t nqueue;
	struct id_list skipped;   /* this session's */
	struct {
		long long pair;
		long *count; /* same, different or related below */
	} *decided;               /* this session's decisions, the undo stack */
	size_t ndecided, decided_cap;
	long long current;
	int have_view;
	struct wn_pair_view view;
	char message[512];
	long same, different, related, undone;
};

/* Words that differ between the two records, in reverse video. */
static const attr_t differs_attrs[] = { A_NORMAL, A_REVERSE };

static void draw_header(struct review *r, size_t position)
{
	char line[512];

	attron(A_BOLD);
	snprintf(line, sizeof(line), "Pair %lld  (%zu of %zu waiting)  score %.2f",
		 r->view.pair_id, position, r->nqueue, r->view.score);
	mvaddnstr(0, 0, line, COLS);
	attroff(A_BOLD);
	snprintf(line, sizeof(line), "Queued because: %s", r->view.rule);
	mvaddnstr(1, 0, line, COLS);
}

static void draw_pair(struct review *r, size_t position)
{
	static const int most_lines[WN_FIELD_COUNT] = {
		[WN_FIELD_TITLE] = 4, [WN_FIELD_AUTHORS] = 3, [WN_FIELD_JOURNAL] = 2,
		[WN_FIELD_SOURCE] = 2,
	};
	int width = (COLS - LABEL_WIDTH - 3) / 2;
	int left = LABEL_WIDTH, right = LABEL_WIDTH + width + 3;
	int y = 4, bottom = LINES - 2;
	char head[64];

	draw_header(r, position);
	for (int side = 0; side < 2; side++) {
		snprintf(head, sizeof(head), "record %lld", r->view.record[side]);
		attron(A_BOLD);
		mvaddnstr(2, side ? right : left, head, width);
		attroff(A_BOLD);
	}
	mvhline(3, 0, ACS_HLINE, COLS);
	for (int f = 0; f < WN_FIELD_COUNT && y < bottom; f++) {
		int room = bottom - y;
		int cap = f == WN_FIELD_ABSTRACT ? room : most_lines[f] ? most_lines[f] : 1;
		int rows = 0;

		if (cap > room)
			cap = room;
		/* the taller side sets the field's height */
		for (int side = 0; side < 2; side++) {
			int n = screen_text(y, side ? right : left, width, 0, cap,
					    r->view.text[side][f], r->view.differs[side][f],
					    differs_attrs, 0);

			rows = n > rows ? n : rows;
		}
		attron(A_BOLD);
		mvaddstr(y, 0, wn_pair_field_names[f]);
		attroff(A_BOLD);
		for (int side = 0; side < 2; side++) {
			const char *text = r->view.text[side][f];

			if (*text)
				screen_text(y, side ? right : left, width, 0, cap, text,
					    r->view.differs[side][f], differs_attrs, 1);
			else
				mvaddstr(y, side ? right : left, "-");
		}
		mvvline(y, left + width + 1, ACS_VLINE, rows);
		y += rows;
	}
	mvhline(LINES - 2, 0, ACS_HLINE, COLS);
}

static const char keys_help[] =
	"s same   d different   r related   k skip   u undo   q quit";

static void draw(struct review *r, size_t position)
{
	erase();
	if (COLS < MIN_COLS || LINES < MIN_LINES) {
		mvprintw(0, 0, "The terminal is too small: %dx%d, at least %dx%d is needed.", COLS,
			 LINES, MIN_COLS, MIN_LINES);
		mvaddstr(1, 0, "q quits");
	} else {
		draw_pair(r, position);
		mvaddnstr(LINES - 1, 0, r->message[0] ? r->message : keys_help, COLS);
	}
	refresh();
}

/* The pair to show: the one taken back, else the first waiting that was
 * not skipped; when every pair left was skipped, round again. 0 when none
 * is waiting. */
static int next_pair(struct review *r, size_t *position)
{
	long long pick = 0;

	free(r->queue);
	if (wn_dedupe_pending(r->store, &r->queue, &r->nqueue) < 0)
		return -1;
	for (size_t i = 0; i < r->nqueue && !pick; i++)
		if (r->queue[i] == r->current)
			pick = r->current;
	for (size_t i = 0; i < r->nqueue && !pick; i++)
		if (!id_has(&r->skipped, r->queue[i]))
			pick = r->queue[i];
	if (!pick && r->nqueue) {
		r->skipped.n = 0;
		snprintf(r->message, sizeof(r->message),
			 "Every pair left was skipped; here they are again.  %s", keys_help);
		pick = r->queue[0];
	}
	for (size_t i = 0; i < r->nqueue; i++)
		if (r->queue[i] == pick)
			*position = i + 1;
	if (r->have_view && (!pick || r->view.pair_id != pick)) {
		wn_pair_view_release(&r->view);
		r->have_view = 0;
	}
	r->current = pick;
	if (pick && !r->have_view) {
		if (wn_dedupe_pair_view(r->store, pick, &r->view) < 0)
			return -1;
		r->have_view = 1;
	}
	return pick != 0;
}

static void decide(struct review *r, const char *decision, const char *word, long *count)
{
	long long id = r->current;

	if (wn_dedupe_decide(r->store, id, decision, NULL) < 0) {
		snprintf(r->message, sizeof(r->message), "Pair %lld: not recorded: %s", id,
			 wn_error_last());
		return;
	}
	(*count)++;
	if (r->ndecided == r->decided_cap) {
		r->decided_cap = r->decided_cap ? r->decided_cap * 2 : 16;
		r->decided = realloc(r->decided, r->decided_cap * sizeof(*r->decided));
		if (!r->decided)
			abort();
	}
	r->decided[r->ndecided].pair = id;
	r->decided[r->ndecided++].count = count;
	id_remove(&r->skipped, id);
	snprintf(r->message, sizeof(r->message), "Pair %lld: %s (records %lld and %lld).  u undoes",
		 id, word, r->view.record[0], r->view.record[1]);
	r->current = 0;
	wn_pair_view_release(&r->view);
	r->have_view = 0;
}

static void undo(struct review *r)
{
	long long id;

	if (!r->ndecided) {
		snprintf(r->message, sizeof(r->message),
			 "Nothing to undo: no pair was decided in this session.");
		return;
	}
	id = r->decided[r->ndecided - 1].pair;
	if (wn_dedupe_undo(r->store, id, "undone in dedupe review") < 0) {
		snprintf(r->message, sizeof(r->message), "Pair %lld: cannot undo: %s", id,
			 wn_error_last());
		return;
	}
	(*r->decided[--r->ndecided].count)--;
	r->undone++;
	r->current = id;
	if (r->have_view) {
		wn_pair_view_release(&r->view);
		r->have_view = 0;
	}
	snprintf(r->message, sizeof(r->message), "Pair %lld: decision taken back; decide again.",
		 id);
}

/* The screen: returns EXIT_OK, or EXIT_FAIL when the review cannot be read. */
static int review_loop(struct review *r)
{
	size_t position = 0;
	int got;

	while ((got = next_pair(r, &position)) > 0) {
		int key;

		draw(r, position);
		key = getch();
		if (key != KEY_RESIZE)
			r->message[0] = '\0';
		switch (key) {
		case 's': decide(r, "duplicate", "same", &r->same); break;
		case 'd': decide(r, "not_duplicate", "different", &r->different); break;
		case 'r': decide(r, "related", "related", &r->related); break;
		case 'k':
		case ' ':
		case KEY_RIGHT:
			id_push(&r->skipped, r->current);
			r->current = 0;
			break;
		case 'u': undo(r); break;
		case 'q':
		case ERR: /* the terminal is gone */
			return EXIT_OK;
		default: break;
		}
	}
	return got < 0 ? EXIT_FAIL : EXIT_OK;
}

extern const struct cmd cmd_dedupe_review;

static int run_review(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct review r;
	struct cmd_args args;
	long long *waiting = NULL;
	size_t nwaiting = 0;
	SCREEN *screen;
	int status;

	memset(&r, 0, sizeof(r));
	if (!cmd_parse_args(ctx, &cmd_dedupe_review, argc, argv, &args, &status))
		return status;
	if (args.npos) {
		status = cmd_usage_error(&cmd_dedupe_review, "dedupe review: unexpected argument '%s'",
					 args.pos[0]);
		goto done;
	}
	if (wn_store_open(&r.store, ctx->db_path, WN_OPEN_WRITE, &ctx->who) < 0 ||
	    wn_dedupe_pending(r.store, &waiting, &nwaiting) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	free(waiting);
	if (!nwaiting) {
		printf("No pairs are waiting for review.\n");
		status = EXIT_OK;
		goto done;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		status = cmd_fail("dedupe review: %zu pair%s waiting, but this is not a terminal; "
				  "scripts use 'dedupe pairs --status pending' and 'dedupe decide'",
				  nwaiting, nwaiting == 1 ? "" : "s");
		goto done;
	}
	if (!(screen = screen_open("dedupe review"))) {
		status = EXIT_FAIL;
		goto done;
	}
	status = review_loop(&r);
	screen_close(screen);
	if (status != EXIT_OK) {
		status = cmd_fail_lib();
		goto done;
	}
	printf("Decided %ld pair%s: %ld same, %ld different, %ld related",
	       r.same + r.different + r.related, r.same + r.different + r.related == 1 ? "" : "s",
	       r.same, r.different, r.related);
	if (r.undone)
		printf(" (%ld taken back)", r.undone);
	printf("; %zu still waiting\n", r.nqueue);
done:
	if (r.have_view)
		wn_pair_view_release(&r.view);
	free(r.queue);
	free(r.skipped.ids);
	free(r.decided);
	wn_store_close(r.store);
	free(args.pos);
	return status;
}

const struct cmd cmd_dedupe_review = {
	.name = "review",
	.parent = "dedupe",
	.summary = "decide the queued pairs on the terminal, side by side",
	.usage = "",
	.description =
		"Shows each pair waiting for a person, strongest first: the two records field\n"
		"by field, the words one has and the other lacks in reverse video, and why the\n"
		"pair was queued. Keys: s same (merge), d different, r related reports,\n"
		"k skip (it comes back at the end), u undo this session's last decision,\n"
		"q quit. Every decision is saved as it is made, under $WINNOW_REVIEWER;\n"
		"starting again goes on with the pairs still waiting.",
	.run = run_review,
	.uses_review = 1,
};
