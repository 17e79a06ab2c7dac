// SPDX-License-Identifier: GPL-2.0
/*
 * The resync driver: when to run a pass, its walks (in a helper thread
 * under the UI), and feeding its records to the sink a slice at a time.
 * See resync.h for the order of a live pass; what a record does to the
 * table is reconcile.c's.
 */
#include "resync.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <stdarg.h>
#include <stdio.h>

#include "iters.h"
#include "loader.h"
#include "loop.h"
#include "model.h"
#include "table.h"

static void say(struct resync *r, bool routine, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(struct resync *r, bool routine, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	if (!r->src.log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->src.log(r->src.ctx, routine, msg);
}

static uint64_t repaired(const struct resync *r)
{
	return reconcile_repaired(&r->src.model->rc.st);
}

/* iters sink: keep the pass until the ring has been drained */
static void collect(void *ctx, const struct event *ev)
{
	struct resync *r = ctx;

	if (r->overflow)
		return;
	if (r->nbuf == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 4096;
		struct event *n;

		if (cap > (r->max_records ? r->max_records : RESYNC_MAX_RECORDS) ||
		    !(n = realloc(r->buf, cap * sizeof(*n)))) {
			r->overflow = true;
			return;
		}
		r->buf = n;
		r->cap = cap;
	}
	r->buf[r->nbuf++] = *ev;
}

/* Everything the ring holds now; bounded, as producers keep adding. */
static void drain_ring(struct resync *r)
{
	for (int i = 0; i < 4 && loader_drain(r->src.loader, 0) > 0; i++)
		;
}

/* A socket in the pass that the table lacks, or holds as another: its
 * holders are worth the walk over every open file on the host. */
static bool finds_new(const struct resync *r)
{
	for (size_t i = 0; i < r->nbuf; i++) {
		const struct event *ev = &r->buf[i];
		struct sock_entry *e;

		if (ev->kind != EV_SNAP_SOCK || ev->newstate == TS_CLOSE ||
		    ev->newstate == TS_TIME_WAIT)
			continue; /* nobody holds those */
		e = table_find(r->src.model->table, ev->skaddr);
		if (!e || (e->flags & SOCK_CLOSED) || !reconcile_same_endpoints(e, ev))
			return true;
	}
	return false;
}

/* The walk of the current phase; in the helper thread when threaded. */
static void *walk(void *arg)
{
	struct resync *r = arg;
	uint64_t t = mono_now_ns(), one = 1;

	if (r->phase == RESYNC_SOCKETS)
		r->walk_ret = iters_sockets(r->it, collect, r, SNAP_RESYNC);
	else
		r->walk_ret = iters_owners(r->it, collect, r, SNAP_RESYNC | SNAP_OWNERS);
	r->walk_ns += mono_now_ns() - t;
	if (r->notify && write(r->done_fd, &one, sizeof(one)) != sizeof(one))
		r->walk_ret = -EIO; /* cannot happen: the counter is far from full */
	return NULL;
}

static void step_done(struct resync *r);

/* Run the phase's walk: in a helper thread when the loop can be told of
 * its end (a walk takes hundreds of ms on a busy host; the UI keeps
 * answering meanwhile), else here. */
static void start_walk(struct resync *r)
{
	r->notify = r->background && r->loop; /* the thread reads it: set it first */
	if (r->notify && !pthread_create(&r->thread, NULL, walk, r)) {
		r->threaded = true;
		return;
	}
	r->notify = false;
	walk(r);
	step_done(r);
}

/* The pass is applied: account for it and let go of its buffer. */
static void complete(struct resync *r, int n, uint64_t before)
{
	uint64_t cost;

	/* the buffer is as big as the host's sockets: do not keep it */
	free(r->buf);
	r->buf = NULL;
	r->nbuf = r->cap = r->applied = 0;
	r->phase = RESYNC_IDLE;
	r->last_end_ns = mono_now_ns();
	r->last_ret = n < 0 ? n : 0;
	cost = r->last_end_ns - r->t0;
	if (n < 0) {
		r->st.failed++;
		say(r, false, "resync failed: %s", strerror(-n));
		return;
	}
	r->st.last_ns = cost;
	r->st.last_walk_ns = r->walk_ns;
	if (cost > r->st.max_ns)
		r->st.max_ns = cost;
	if (repaired(r) != before)
		say(r, true, "resync: %d sockets in %.1f ms, %llu repaired", n, (double)cost / 1e6,
		    (unsigned long long)(repaired(r) - before));
}

/* Apply up to max records of the pass; the last one ends it. Events the
 * ring brings between slices are newer than the records, and the pass
 * never lets a record override a newer event, so slicing changes nothing
 * but how long the loop is away from the ring. */
static void apply_some(struct resync *r, size_t max)
{
	size_t end = r->applied + max < r->nbuf ? r->applied + max : r->nbuf;

	while (r->applied < end)
		r->src.sink(r->src.ctx, &r->buf[r->applied++]);
	if (r->applied == r->nbuf)
		complete(r, r->nsock, r->repaired_before);
}

void resync_step(struct resync *r)
{
	if (r->phase == RESYNC_APPLYING)
		apply_some(r, RESYNC_APPLY_SLICE);
}

static void finish(struct resync *r)
{
	struct event end = { .kind = EV_SNAP_END, .flags = SNAP_RESYNC };
	int n = r->nsock;

	r->repaired_before = repaired(r);
	end.ts_ns = mono_now_ns();
	end.aux = n > 0 ? (uint64_t)n : 0;
	if (r->owners_walked) {
		end.flags |= SNAP_OWNERS;
		for (size_t i = 0; i < r->nbuf; i++)
			r->buf[i].flags |= SNAP_OWNERS;
	}
	collect(r, &end);
	/* what happened while the pass ran is older than what follows it */
	drain_ring(r);
	if (n >= 0 && r->overflow)
		n = -E2BIG;
	if (n < 0) {
		complete(r, n, r->repaired_before);
		return;
	}
	r->nsock = n;
	r->applied = 0;
	r->phase = RESYNC_APPLYING;
	if (!r->background) /* resync_run: to its end, now */
		apply_some(r, r->nbuf);
}

/* A walk ended (its thread joined): the holders next, or the end. */
static void step_done(struct resync *r)
{
	if (r->phase == RESYNC_SOCKETS) {
		r->nsock = r->walk_ret;
		/* the holders cost a walk over every open file: only when
		 * some socket is new to the table, or events were lost */
		if (r->nsock >= 0 && !r->overflow && (r->owners || finds_new(r))) {
			r->phase = RESYNC_OWNERS;
			r->owners_walked = true;
			r->st.owner_walks++;
			start_walk(r);
			return;
		}
	} else if (r->walk_ret < 0 && r->nsock >= 0) {
		r->nsock = r->walk_ret;
	}
	finish(r);
}

static int on_walk_done(void *ctx, uint32_t events)
{
	struct resync *r = ctx;
	uint64_t n;

	(void)events;
	if (read(r->done_fd, &n, sizeof(n)) != sizeof(n) || !r->threaded)
		return 0;
	pthread_join(r->thread, NULL);
	r->threaded = false;
	step_done(r);
	return 0;
}

static int begin(struct resync *r, bool owners, bool in_background)
{
	r->it = loader_iters(r->src.loader);
	if (!r->it)
		return -ENOTSUP;
	if (r->phase != RESYNC_IDLE)
		return -EBUSY;
	if (in_background && !r->loop && r->src.loop) {
		r->done_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (r->done_fd >= 0 && loop_add(r->src.loop, r->done_fd, on_walk_done, r))
			close(r->done_fd);
		else if (r->done_fd >= 0)
			r->loop = r->src.loop;
	}
	r->nbuf = 0;
	r->overflow = false;
	r->owners = owners;
	r->owners_walked = false;
	r->walk_ns = 0;
	r->t0 = mono_now_ns();
	drain_ring(r);
	r->phase = RESYNC_SOCKETS;
	r->background = in_background;
	start_walk(r);
	return in_background ? 0 : r->last_ret;
}

void resync_init(struct resync *r, const struct resync_src *src, uint64_t period_ns)
{
	memset(r, 0, sizeof(*r));
	r->src = *src;
	r->period_ns = period_ns;
	r->done_fd = -1;
}

int resync_run(struct resync *r, bool owners)
{
	return begin(r, owners, false);
}

int resync_start(struct resync *r, bool owners)
{
	return begin(r, owners, true);
}

void resync_tick(struct resync *r, uint64_t now_ns, uint64_t lost)
{
	uint64_t gap = r->st.last_ns * RESYNC_COST_FACTOR, since;
	bool due = false, owners;

	if (!r->period_ns || !r->src.loader || !loader_iters(r->src.loader) ||
	    r->phase != RESYNC_IDLE)
		return;
	/* a pass drains the ring to its end first: not while a backlog is
	 * being applied a slice at a time */
	if (loader_backlog(r->src.loader) > LOADER_POLL_BACKLOG)
		return;
	if (gap < RESYNC_MIN_GAP_NS)
		gap = RESYNC_MIN_GAP_NS;
	since = r->last_end_ns ? r->last_end_ns : r->src.start_ns;
	if (lost > r->lost_done) {
		if (!r->drops_seen_ns)
			r->drops_seen_ns = now_ns;
		due = now_ns - r->drops_seen_ns >= RESYNC_SETTLE_NS &&
		      (!r->last_end_ns || now_ns - r->last_end_ns >= gap);
	}
	if (now_ns - since >= r->period_ns && now_ns - since >= gap)
		due = true;
	if (!due)
		return;
	/* drops during the pass call for another one */
	owners = lost > r->lost_done;
	r->lost_done = lost;
	r->drops_seen_ns = 0;
	resync_start(r, owners);
}

void resync_free(struct resync *r)
{
	if (r->threaded) /* a walk in flight: it ends on its own */
		pthread_join(r->thread, NULL);
	r->threaded = false;
	if (r->loop) {
		loop_del(r->loop, r->done_fd);
		close(r->done_fd);
		r->loop = NULL;
	}
	r->phase = RESYNC_IDLE;
	free(r->buf);
	r->buf = NULL;
	r->nbuf = r->cap = 0;
}
