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

enum item_kind { ITEM_RECORD, ITEM_WARNING };

struct item {
	enum item_kind kind;
	struct wn_record rec;
	long line;
	char *message;
};

struct queue {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct item items[QUEUE_ITEMS];
	size_t head, count, bytes;
	/* records the caller is done with, for the worker to free; `bytes`
	 * counts their raw text until then, so memory stays bounded */
	struct wn_record spent_a[QUEUE_ITEMS], spent_b[QUEUE_ITEMS];
	struct wn_record *spent;
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
	return it->kind == ITEM_RECORD ? it->rec.raw_len : 0;
}

/* Worker side: wait for room, then append. Non-zero when the consumer
 * has stopped (the parser then stops too). */
/* Worker side, lock held: free the records the caller is done with.
 * The lock is let go while freeing. */
static void free_spent(struct queue *q)
{
	while (q->spent_count) {
		struct wn_record *mine = q->spent;
		size_t n = q->spent_count, bytes = 0;

		q->spent = mine == q->spent_a ? q->spent_b : q->spent_a;
		q->spent_count = 0;
		pthread_mutex_unlock(&q->lock);
		for (size_t i = 0; i < n; i++) {
			bytes += mine[i].raw_len;
			wn_record_clear(&mine[i]);
		}
		pthread_mutex_lock(&q->lock);
		q->bytes -= bytes;
		pthread_cond_broadcast(&q->changed);
	}
}

static int push(struct queue *q, struct item *it)
{
	int stopped;

	pthread_mutex_lock(&q->lock);
	for (;;) {
		free_spent(q);
		if (q->stopped || q->count == 0 ||
		    (q->count < QUEUE_ITEMS && q->bytes + item_bytes(it) <= QUEUE_BYTES))
			break;
		pthread_cond_wait(&q->changed, &q->lock);
	}
	stopped = q->stopped;
	if (!stopped) {
		q->items[(q->head + q->count) % QUEUE_ITEMS] = *it;
		q->count++;
		q->bytes += item_bytes(it);
		pthread_cond_broadcast(&q->changed);
	}
	pthread_mutex_unlock(&q->lock);
	if (stopped) {
		if (it->kind == ITEM_RECORD)
			wn_record_clear(&it->rec);
		free(it->message);
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
	pthread_cond_broadcast(&q->changed);
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

/* Consumer side: the next item, or 0 when the worker is done and the
 * queue empty. */
static int pop(struct queue *q, struct item *it)
{
	int got = 0;

	pthread_mutex_lock(&q->lock);
	while (q->count == 0 && !q->done)
		pthread_cond_wait(&q->changed, &q->lock);
	if (q->count) {
		*it = q->items[q->head];
		q->head = (q->head + 1) % QUEUE_ITEMS;
		q->count--;
		got = 1;
		pthread_cond_broadcast(&q->changed);
	}
	pthread_mutex_unlock(&q->lock);
	return got;
}

/* Consumer side: hand a record back to the worker to free (or free it
 * here when the worker is gone or the list is full). */
static void spend(struct queue *q, struct wn_record *rec)
{
	int mine = 0;

	pthread_mutex_lock(&q->lock);
	if (!q->done && q->spent_count < QUEUE_ITEMS) {
		q->spent[q->spent_count++] = *rec;
		pthread_cond_broadcast(&q->changed);
	} else {
		q->bytes -= rec->raw_len;
		mine = 1;
	}
	pthread_mutex_unlock(&q->lock);
	if (mine)
		wn_record_clear(rec);
	else
		wn_record_init(rec);
}

static void stop_worker(struct queue *q)
{
	pthread_mutex_lock(&q->lock);
	q->stopped = 1;
	pthread_cond_broadcast(&q->changed);
	pthread_mutex_unlock(&q->lock);
}

int wn_format_parse_threaded(const struct wn_format_info *fmt, struct wn_parser *p)
{
	struct queue *q = xcalloc(1, sizeof(*q));
	struct item it;
	pthread_t thread;
	int rc = 0;

	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->changed, NULL);
	q->spent = q->spent_a;
	q->fmt = fmt;
	q->worker = *p;
	q->worker.record = queue_record;
	q->worker.warning = queue_warning;
	q->worker.ctx = q;
	if (pthread_create(&thread, NULL, work, q) != 0) {
		pthread_cond_destroy(&q->changed);
		pthread_mutex_destroy(&q->lock);
		free(q);
		return wn_format_parse(fmt, p); /* no thread to be had: read here */
	}
	while (pop(q, &it)) {
		if (!rc) {
			if (it.kind == ITEM_RECORD)
				rc = p->record ? p->record(p->ctx, &it.rec) : 0;
			else
				rc = p->warning ? p->warning(p->ctx, it.line, it.message) : 0;
			if (rc)
				stop_worker(q);
		}
		if (it.kind == ITEM_RECORD)
			spend(q, &it.rec);
		free(it.message);
	}
	pthread_join(thread, NULL);
	for (size_t i = 0; i < q->spent_count; i++)
		wn_record_clear(&q->spent[i]);
	p->format = fmt;
	p->dialect = q->worker.dialect;
	p->records = q->worker.records;
	p->warnings = q->worker.warnings;
	if (!rc && q->rc) {
		rc = q->rc;
		if (rc < 0)
			wn_error_set(q->error_code ? q->error_code : rc, "%s", q->error);
	}
	pthread_cond_destroy(&q->changed);
	pthread_mutex_destroy(&q->lock);
	free(q);
	return rc;
}
