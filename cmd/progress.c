/*
 * Progress of a long network command (search, resume, enrich) on stderr:
 * a bar redrawn in place on a terminal (done of total, rate, time left),
 * a plain line per step when stderr is a file or a pipe, nothing with
 * --quiet; the service's notes ("trying again in 2 s") on lines of their
 * own. And Ctrl-C, which the library turns into a clean stop at the next
 * batch boundary.
 */
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "winnow/search.h"

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cmd_progress_start(struct cmd_progress *pr, int quiet)
{
	memset(pr, 0, sizeof(*pr));
	pr->quiet = quiet;
	pr->tty = isatty(STDERR_FILENO);
	pr->start = now_seconds();
}

void cmd_progress_clear(struct cmd_progress *pr)
{
	if (pr->shown)
		fputs("\r\033[K", stderr);
	pr->shown = 0;
}

static void format_duration(double s, char *out, size_t cap)
{
	long t = (long)(s + 0.5);

	if (t >= 3600)
		snprintf(out, cap, "%ldh%02ldm", t / 3600, t / 60 % 60);
	else if (t >= 60)
		snprintf(out, cap, "%ldm%02lds", t / 60, t % 60);
	else
		snprintf(out, cap, "%lds", t);
}

void cmd_progress_show(void *ctx, const struct wn_search_progress *p)
{
	struct cmd_progress *pr = ctx;
	double elapsed = now_seconds() - pr->start;
	double rate = elapsed > 0 ? (double)p->retrieved / elapsed : 0;
	const char *unit = p->unit ? p->unit : "records";
	char left[32] = "?";
	int width = 30, fill = 0;

	if (pr->quiet)
		return;
	if (p->note) {
		cmd_progress_clear(pr);
		fprintf(stderr, "winnow: %s\n", p->note);
		return;
	}
	if (!pr->tty) {
		fprintf(stderr, "winnow: %s: %lld", p->source, p->retrieved);
		if (p->total >= 0)
			fprintf(stderr, " of %lld", p->total);
		fprintf(stderr, " %s (%.0f/s)\n", unit, rate);
		return;
	}
	if (p->total > 0) {
		fill = (int)((double)width * (double)p->retrieved / (double)p->total);
		if (fill > width)
			fill = width;
		if (rate > 0)
			format_duration((double)(p->total - p->retrieved) / rate, left, sizeof(left));
	}
	fprintf(stderr, "\r%s [%.*s%*s] %lld", p->source, fill, "##############################",
		width - fill, "", p->retrieved);
	if (p->total >= 0)
		fprintf(stderr, "/%lld", p->total);
	fprintf(stderr, " %s, %.0f/s, %s left\033[K", unit, rate, left);
	pr->shown = 1;
}

static void on_interrupt(int sig)
{
	(void)sig;
	wn_search_interrupt();
}

void cmd_catch_interrupts(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_interrupt;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}
