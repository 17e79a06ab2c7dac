// SPDX-License-Identifier: GPL-2.0
/*
 * The start-up pass read on a thread of its own (snapshot.h). Reading the
 * iterators is kernel time (walking every namespace's share of the TCP
 * hash, the task files), applying the records is the table's: with a
 * million sockets each took seconds, one after the other. Here a reader
 * thread fills chunks of records while the calling thread applies them,
 * in the order read, and keeps draining the ring into the hold: the same
 * records, the same order, the same table, in about the longer of the two
 * times. Only the reader thread touches the iterators during the pass; it
 * touches nothing of the app but what snapshot_collect reads.
 */
#include "snapshot.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "event.h"
#include "loader.h"

#define CHUNK_EVENTS 1024
/* chunks in flight: the reader waits beyond (about 7 MB of records) */
#define CHUNKS 32
/* the applier drains the ring at least this often while it waits */
#define WAIT_NS (5 * 1000000L)

struct chunk {
	struct chunk *next;
	size_t n;
	struct event ev[CHUNK_EVENTS];
};

struct pipe {
	pthread_mutex_t lock;
	pthread_cond_t filled, freed;
	struct chunk *full, **full_tail; /* read, not applied yet, in order */
	struct chunk *free;		 /* for the reader to fill */
	struct chunk *cur;		 /* the reader's, being filled */
	bool done;
	int result; /* snapshot_collect's */
	struct app *a;
	uint32_t flags;
	bool fallback;
};

/* the reader's: hand the filled chunk over and, unless the pass is
 * over, take an empty one */
static void pipe_push(struct pipe *p, bool take)
{
	pthread_mutex_lock(&p->lock);
	if (p->cur && p->cur->n) {
		p->cur->next = NULL;
		*p->full_tail = p->cur;
		p->full_tail = &p->cur->next;
		p->cur = NULL;
		pthread_cond_signal(&p->filled);
	}
	while (take && !p->cur) {
		if (p->free) {
			p->cur = p->free;
			p->free = p->cur->next;
			p->cur->next = NULL;
			p->cur->n = 0;
			break;
		}
		pthread_cond_wait(&p->freed, &p->lock);
	}
	pthread_mutex_unlock(&p->lock);
}

static void pipe_sink(void *ctx, const struct event *ev)
{
	struct pipe *p = ctx;

	if (!p->cur || p->cur->n == CHUNK_EVENTS)
		pipe_push(p, true);
	p->cur->ev[p->cur->n++] = *ev;
}

static void *reader(void *arg)
{
	struct pipe *p = arg;
	int n = snapshot_collect_into(p->a, pipe_sink, p, p->flags, p->fallback);

	pipe_push(p, false); /* the last records */
	pthread_mutex_lock(&p->lock);
	p->result = n;
	p->done = true;
	pthread_cond_signal(&p->filled);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* the applier's: the next chunk read, NULL at the end of the pass; the
 * ring is drained meanwhile (a walk over other namespaces' sockets sends
 * no record for a while) */
static struct chunk *pipe_pop(struct pipe *p)
{
	struct chunk *c;

	pthread_mutex_lock(&p->lock);
	while (!p->full && !p->done) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += WAIT_NS;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		/* a->held: the ring is read here (no reader thread of its own) */
		if (pthread_cond_timedwait(&p->filled, &p->lock, &ts) == ETIMEDOUT &&
		    p->a->loader && p->a->held) {
			pthread_mutex_unlock(&p->lock);
			loader_drain(p->a->loader, 0); /* into a->held */
			pthread_mutex_lock(&p->lock);
		}
	}
	c = p->full;
	if (c) {
		p->full = c->next;
		if (!p->full)
			p->full_tail = &p->full;
	}
	pthread_mutex_unlock(&p->lock);
	return c;
}

static void pipe_recycle(struct pipe *p, struct chunk *c)
{
	pthread_mutex_lock(&p->lock);
	c->next = p->free;
	p->free = c;
	pthread_cond_signal(&p->freed);
	pthread_mutex_unlock(&p->lock);
}

static void free_chunks(struct chunk *c)
{
	while (c) {
		struct chunk *next = c->next;

		free(c);
		c = next;
	}
}

int snapshot_piped(struct app *a, uint32_t flags, bool fallback, loader_sink apply)
{
	struct pipe p = { .a = a, .flags = flags, .fallback = fallback };
	struct chunk *c;
	pthread_t t;
	int err;

	for (int i = 0; i < CHUNKS; i++) {
		c = malloc(sizeof(*c));
		if (!c) {
			free_chunks(p.free);
			return -EAGAIN;
		}
		c->next = p.free;
		p.free = c;
	}
	p.full_tail = &p.full;
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.filled, NULL);
	pthread_cond_init(&p.freed, NULL);
	err = pthread_create(&t, NULL, reader, &p);
	if (err) {
		free_chunks(p.free);
		p.result = -EAGAIN;
		goto out;
	}
	while ((c = pipe_pop(&p))) {
		for (size_t i = 0; i < c->n; i++)
			apply(a, &c->ev[i]);
		pipe_recycle(&p, c);
	}
	pthread_join(t, NULL);
	free_chunks(p.free);
	free_chunks(p.cur);
out:
	pthread_cond_destroy(&p.freed);
	pthread_cond_destroy(&p.filled);
	pthread_mutex_destroy(&p.lock);
	return p.result;
}
