/*
 * Parsing on a second thread (see wn_format_parse_threaded in format.h).
 *
 * Reading a file and storing its records each take about half the time of
 * an import; on two cores they can overlap. The parser runs on a worker
 * thread and hands each record (moved, not copied) and each warning to a
 * bounded queue; the caller's thread takes them off in order and calls the
 * parser's own callbacks, so the store is only ever touched from the
 * thread that opened it. A callback's non-zero return stops the worker at
 * its next record or warning; what it had queued is dropped.
 *
 * A record's strings are allocated by the worker; freeing them on the
 * other thread would make the two fight over the worker's malloc arena
 * (glibc locks an arena for a free from another thread). So stored
 * records go back to the worker, which frees them as it queues new ones.
 *
 * With build_on_caller, a parser that can (wn_parser_emit_job) queues
 * entries read but not built, and this thread builds them: reading and
 * building then overlap when there is no storing to overlap with. The
 * entries go back to the worker to be freed, as records do.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "formats_int.h"
#include "util.h"

/* The queue holds at most this many items, and at most QUEUE_BYTES of
 * raw text (but always one item, however large): memory stays bounded
 * when storing is slower than reading. */
#define QUEUE_ITEMS 256
#define QUEUE_BYTES (8u << 20)
/* Each side wakes the other only when it is waiting and there is a batch
 * of work for it: the worker when the queue is down to half, the caller
 * when this many items (or half the bytes) are queued. Waking on every
 * item cost more than the work itself on small records. */
#define QUEUE_BATCH 32

enum item_kind { ITEM_RECORD, ITEM_JOB, ITEM_WARNING };

struct item {
	enum item_kind kind;
	struct wn_record rec;
	struct wn_record_job *job;
	long line;
	char *message;
};

struct queue {
	pthread_mutex_t lock;
	pthread_cond_t room;  /* the worker waits on it */
	pthread_cond_t ready; /* the caller waits on it */
	int worker_waits, caller_waits;
	int caller_behind; /* the worker's own: the queue was long at its last push */
	struct item items[QUEUE_ITEMS];
	size_t head, count, bytes;
	/* records and jobs the caller is done with, for the worker to free;
	 * `bytes` counts their text until then, so memory stays bounded */
	struct item spent_a[QUEUE_ITEMS], spent_b[QUEUE_ITEMS];
	struct item *spent;
	size_t spent_count;
	int done;      /* the worker has finished */
	int stopped;   /* the consumer wants no more */
	/* the worker's result */
	const struct wn_format_info *fmt;
	struct wn_parser worker;
	int rc;
	int error_code;
	char error[1024];
};

static size_t item_bytes(const struct item *it)
{
	return it->kind == ITEM_RECORD ? it->rec.raw_len
	     : it->kind == ITEM_JOB ? it->job->bytes : 0;
}

/* Free what an item holds. */
static void item_release(struct item *it)
{
	if (it->kind == ITEM_RECORD)
		wn_record_clear(&it->rec);
	else if (it->kind == ITEM_JOB && it->job)
		it->job->release(it->job);
	it->job = NULL;
	free(it->message);
	it->message = NULL;
}

/* Worker side, lock held: free what the caller is done with. The lock
 * is let go while freeing. */
static void free_spent(struct queue *q)
{
	while (q->spent_count) {
		struct item *mine = q->spent;
		size_t n = q->spent_count, bytes = 0;

		q->spent = mine == q->spent_a ? q->spent_b : q->spent_a;
		q->spent_count = 0;
		pthread_mutex_unlock(&q->lock);
		for (size_t i = 0; i < n; i++) {
			bytes += item_bytes(&mine[i]);
			item_release(&mine[i]);
		}
		pthread_mutex_lock(&q->lock);
		q->bytes -= bytes;
	}
}

/* Worker side: wait for room, then append. Non-zero when the consumer
 * has stopped (the parser then stops too). */
static int push(struct queue *q, struct item *it)
{
	int stopped;

	pthread_mutex_lock(&q->lock);
	for (;;) {
		free_spent(q);
		if (q->stopped || q->count == 0 ||
		    (q->count < QUEUE_ITEMS && q->bytes + item_bytes(it) <= QUEUE_BYTES))
			break;
		if (q->caller_waits)
			pthread_cond_signal(&q->ready);
		q->worker_waits = 1;
		pthread_cond_wait(&q->room, &q->lock);
		q->worker_waits = 0;
	}
	stopped = q->stopped;
	if (!stopped) {
		q->items[(q->head + q->count) % QUEUE_ITEMS] = *it;
		q->count++;
		q->bytes += item_bytes(it);
		if (q->caller_waits && (q->count >= QUEUE_BATCH || q->bytes >= QUEUE_BYTES / 2))
			pthread_cond_signal(&q->ready);
		q->caller_behind = q->count >= QUEUE_ITEMS / 4;
	}
	pthread_mutex_unlock(&q->lock);
	if (stopped) {
		item_release(it);
		return WN_ERROR;
	}
	return 0;
}

static int queue_record(void *ctx, struct wn_record *rec)
{
	struct item it = { .kind = ITEM_RECORD };

	it.rec = *rec;
	wn_record_init(rec); /* the parser's clear now frees nothing */
	return push(ctx, &it);
}

static int queue_job(void *ctx, struct wn_record_job *job)
{
	struct queue *q = ctx;
	struct item it = { .kind = ITEM_JOB, .job = job };

	if (q->caller_behind) {
		/* the caller has more than it can build: build this one
		 * here, so that both threads build while it catches up */
		wn_record_job_build(job, q->fmt, &it.rec);
		job->release(job);
		it.kind = ITEM_RECORD;
		it.job = NULL;
	}
	return push(q, &it);
}

static int queue_warning(void *ctx, long line, const char *message)
{
	struct item it = { .kind = ITEM_WARNING, .line = line };

	it.message = xstrdup(message);
	return push(ctx, &it);
}

static void *work(void *arg)
{
	struct queue *q = arg;
	int rc;

	/* named, so that perf and gdb tell the reader from the storer */
	pthread_setname_np(pthread_self(), "winnow-read");
	rc = wn_format_parse(q->fmt, &q->worker);

	pthread_mutex_lock(&q->lock);
	q->rc = rc;
	if (rc < 0) {
		/* errors are per thread: carry the message over */
		q->error_code = wn_error_code();
		snprintf(q->error, sizeof(q->error), "%s", wn_error_last());
	}
	q->done = 1;
	pthread_cond_signal(&q->ready);
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

/* Consumer side: the next item, or 0 when the worker is done and the
 * queue empty. */
static int pop(struct queue *q, struct item *it)
{
	int got = 0;

	pthread_mutex_lock(&q->lock);
	while (q->count == 0 && !q->done) {
		q->caller_waits = 1;
		pthread_cond_wait(&q->ready, &q->lock);
		q->caller_waits = 0;
	}
	if (q->count) {
		*it = q->items[q->head];
		q->head = (q->head + 1) % QUEUE_ITEMS;
		q->count--;
		got = 1;
		/* a worker held back by bytes frees them from the spent list */
		if (q->worker_waits && (q->count <= QUEUE_ITEMS / 2 ||
					q->spent_count >= QUEUE_BATCH || q->bytes >= QUEUE_BYTES))
			pthread_cond_signal(&q->room);
	}
	pthread_mutex_unlock(&q->lock);
	return got;
}

/* Consumer side: hand a record or job back to the worker to free (or
 * free it here when the worker is gone or the list is full). */
static void spend(struct queue *q, struct item *it)
{
	int mine = 0;

	pthread_mutex_lock(&q->lock);
	if (!q->done && q->spent_count < QUEUE_ITEMS) {
		q->spent[q->spent_count++] = *it;
	} else {
		q->bytes -= item_bytes(it);
		mine = 1;
	}
	pthread_mutex_unlock(&q->lock);
	if (mine)
		item_release(it);
}

/* Consumer side: build a queued job into a record and hand it to the
 * sink, as wn_parser_emit_job would have on the worker. The job goes
 * back to the worker (spend). */
static int build_job(struct wn_parser *p, const struct wn_format_info *fmt,
		     struct wn_record_job *job)
{
	struct wn_record rec;
	int rc;

	wn_record_job_build(job, fmt, &rec);
	rc = p->record ? p->record(p->ctx, &rec) : 0;
	wn_record_clear(&rec);
	return rc;
}

static void stop_worker(struct queue *q)
{
	pthread_mutex_lock(&q->lock);
	q->stopped = 1;
	pthread_cond_signal(&q->room);
	pthread_mutex_unlock(&q->lock);
}

int wn_format_parse_threaded(const struct wn_format_info *fmt, struct wn_parser *p)
{
	struct queue *q = xcalloc(1, sizeof(*q));
	struct item it;
	pthread_t thread;
	int rc = 0;

	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->room, NULL);
	pthread_cond_init(&q->ready, NULL);
	q->spent = q->spent_a;
	q->fmt = fmt;
	q->worker = *p;
	q->worker.record = queue_record;
	q->worker.warning = queue_warning;
	q->worker.job = p->build_on_caller ? queue_job : NULL;
	q->worker.ctx = q;
	if (pthread_create(&thread, NULL, work, q) != 0) {
		pthread_cond_destroy(&q->room);
		pthread_cond_destroy(&q->ready);
		pthread_mutex_destroy(&q->lock);
		free(q);
		return wn_format_parse(fmt, p); /* no thread to be had: read here */
	}
	while (pop(q, &it)) {
		if (!rc) {
			if (it.kind == ITEM_RECORD)
				rc = p->record ? p->record(p->ctx, &it.rec) : 0;
			else if (it.kind == ITEM_JOB)
				rc = build_job(p, fmt, it.job);
			else
				rc = p->warning ? p->warning(p->ctx, it.line, it.message) : 0;
			if (rc)
				stop_worker(q);
		}
		if (it.kind == ITEM_WARNING)
			item_release(&it);
		else
			spend(q, &it);
	}
	pthread_join(thread, NULL);
	for (size_t i = 0; i < q->spent_count; i++)
		item_release(&q->spent[i]);
	p->format = fmt;
	p->dialect = q->worker.dialect;
	p->records = q->worker.records;
	p->warnings = q->worker.warnings;
	if (!rc && q->rc) {
		rc = q->rc;
		if (rc < 0)
			wn_error_set(q->error_code ? q->error_code : rc, "%s", q->error);
	}
	pthread_cond_destroy(&q->room);
	pthread_cond_destroy(&q->ready);
	pthread_mutex_destroy(&q->lock);
	free(q);
	return rc;
}
