// SPDX-License-Identifier: GPL-2.0
/*
 * Resync: repair the socket table from an iterator snapshot after the
 * ring buffer dropped events, and every --resync seconds. See resync.h
 * for the order of a live pass and why a record never overrides newer
 * events.
 */
#include "resync.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "app.h"
#include "iters.h"
#include "loader.h"
#include "loop.h"
#include "procs.h"
#include "table.h"

/* Same endpoints: the same socket, or a new one at a reused address
 * whose birth was lost. */
static bool same_endpoints(const struct sock_entry *e, const struct event *ev)
{
	return (!e->netns || !ev->netns || e->netns == ev->netns) &&
	       e->family == ev->family && e->lport == ev->lport && e->rport == ev->rport &&
	       !memcmp(e->saddr, ev->saddr, sizeof(e->saddr)) &&
	       !memcmp(e->daddr, ev->daddr, sizeof(e->daddr));
}

static bool ns_has(const struct ns_set *s, uint32_t ino)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->v[mid] == ino)
			return true;
		if (s->v[mid] < ino)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static void ns_add(struct ns_set *s, uint32_t ino)
{
	size_t i;

	if (!ino || ns_has(s, ino))
		return;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		uint32_t *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return; /* not known: its sockets are only kept longer */
		s->v = v;
		s->cap = cap;
	}
	for (i = s->n; i > 0 && s->v[i - 1] > ino; i--)
		s->v[i] = s->v[i - 1];
	s->v[i] = ino;
	s->n++;
}

static void ns_free(struct ns_set *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* May this pass close a socket of namespace ino it did not see? */
static bool ns_covered(const struct resync *r, uint32_t ino)
{
	if (!r->ns_walked.n && !r->ns_skipped.n)
		return true; /* ABI 1: the one namespace */
	if (ns_has(&r->ns_walked, ino))
		return true;
	/* walked before, neither walked nor found now: it is gone */
	return ino && !ns_has(&r->ns_skipped, ino) && ns_has(&r->ns_known, ino);
}

/* EV_SNAP_NETNS: this namespace exists; walked unless ret < 0 */
static void on_netns(struct resync *r, const struct event *ev)
{
	if (!(ev->flags & SNAP_RESYNC)) { /* the start-up pass: known only */
		if (ev->ret >= 0)
			ns_add(&r->ns_known, ev->netns);
		return;
	}
	if (!r->in_pass) {
		r->in_pass = true;
		r->pass++;
		r->pass_start_ns = ev->ts_ns;
		r->ns_walked.n = r->ns_skipped.n = 0;
	}
	if (ev->ts_ns < r->pass_start_ns)
		r->pass_start_ns = ev->ts_ns;
	if (ev->ret < 0) {
		ns_add(&r->ns_skipped, ev->netns);
		return;
	}
	ns_add(&r->ns_walked, ev->netns);
	ns_add(&r->ns_known, ev->netns);
}

/* EV_SNAP_SOCK: the kernel has this socket in this state at ev->ts_ns. */
static void on_sock(struct app *a, struct resync *r, const struct event *ev)
{
	struct sock_entry *e = table_find(a->table, ev->skaddr);

	if (!r->in_pass || ev->ts_ns < r->pass_start_ns)
		r->pass_start_ns = ev->ts_ns;
	if (!r->in_pass) {
		r->in_pass = true;
		r->pass++;
		r->ns_walked.n = r->ns_skipped.n = 0;
	}
	/* a lifecycle born after the record: the record is about an older
	 * socket at this address, and the table knows better */
	if (e && e->first_ns > ev->ts_ns) {
		e->resync_pass = r->pass;
		return;
	}
	/* closed in the table, open in the kernel, or other endpoints: the
	 * address was reused and the new socket's birth was lost (and, if
	 * the table had it open, the old one's end) */
	if (e && (e->flags & SOCK_CLOSED) && ev->newstate != TS_CLOSE) {
		table_remove(a->table, e);
		e = NULL;
	} else if (e && e->state == TS_TIME_WAIT && !same_endpoints(e, ev)) {
		/* TIME_WAIT ends without an event, and the kernel reuses its
		 * memory at once: a socket ended, nothing was missed */
		table_forget(a->table, e);
		r->st.timewait_ended++;
		e = NULL;
	} else if (e && !same_endpoints(e, ev)) {
		if (e->state == TS_LISTEN && a->procs)
			procs_listener_del(a->procs, e->skaddr, e->lport);
		table_repair_gone(a->table, e, ev->ts_ns);
		table_remove(a->table, e);
		r->st.closed++;
		e = NULL;
	}
	if (!e) {
		if (ev->newstate == TS_CLOSE)
			return;
		if (table_full(a->table)) {
			r->st.skipped_full++;
			return;
		}
		e = table_upsert(a->table, ev);
		if (!e)
			return;
		if (ev->newstate == TS_TIME_WAIT) {
			r->st.timewait_found++;
		} else {
			e->flags |= SOCK_FOUND_BY_RESYNC | SOCK_REPAIRED;
			r->st.added++;
		}
	} else if (e->state != ev->newstate && e->last_ns <= ev->ts_ns) {
		if (e->state == TS_LISTEN && a->procs)
			procs_listener_del(a->procs, e->skaddr, e->lport);
		table_repair_state(a->table, e, ev->newstate, ev->ts_ns);
		r->st.fixed++;
	}
	e->resync_pass = r->pass;
}

/* EV_SNAP_END: what the table holds open and the pass did not see is gone,
 * unless the table heard of it after the pass began. */
static void on_end(struct app *a, struct resync *r, const struct event *ev)
{
	uint64_t start = r->in_pass ? r->pass_start_ns : ev->ts_ns;
	struct sock_entry *e, *next;

	if (!r->in_pass) {
		r->pass++; /* no socket at all */
		r->ns_walked.n = r->ns_skipped.n = 0;
	}
	for (e = table_first(a->table); e; e = next) {
		next = table_next(e);
		if (e->resync_pass == r->pass || (e->flags & SOCK_CLOSED) ||
		    e->last_ns >= start || e->first_ns >= start || !ns_covered(r, e->netns))
			continue;
		if (e->state == TS_TIME_WAIT) { /* its end has no event */
			table_forget(a->table, e);
			r->st.timewait_ended++;
			continue;
		}
		if (e->state == TS_LISTEN && a->procs)
			procs_listener_del(a->procs, e->skaddr, e->lport);
		table_repair_gone(a->table, e, ev->ts_ns);
		r->st.closed++;
	}
	r->st.last_socks = (uint32_t)ev->aux;
	r->in_pass = false;
	r->st.passes++;
	table_touch(a->table);
}

void resync_on_event(struct app *a, const struct event *ev)
{
	struct resync *r = &a->resync;

	if (ev->kind == EV_SNAP_NETNS)
		on_netns(r, ev);
	else if (ev->kind == EV_SNAP_SOCK)
		on_sock(a, r, ev);
	else if (ev->kind == EV_SNAP_END)
		on_end(a, r, ev);
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
static void drain_ring(struct app *a)
{
	for (int i = 0; i < 4 && loader_drain(a->loader, 0) > 0; i++)
		;
}

/* A socket in the pass that the table lacks, or holds as another: its
 * holders are worth the walk over every open file on the host. */
static bool finds_new(struct app *a, const struct resync *r)
{
	for (size_t i = 0; i < r->nbuf; i++) {
		const struct event *ev = &r->buf[i];
		struct sock_entry *e;

		if (ev->kind != EV_SNAP_SOCK || ev->newstate == TS_CLOSE ||
		    ev->newstate == TS_TIME_WAIT)
			continue; /* nobody holds those */
		e = table_find(a->table, ev->skaddr);
		if (!e || (e->flags & SOCK_CLOSED) || !same_endpoints(e, ev))
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

static void step_done(struct app *a);

/* Run the phase's walk: in a helper thread when the loop can be told of
 * its end (a walk takes hundreds of ms on a busy host; the UI keeps
 * answering meanwhile), else here. */
static void start_walk(struct app *a)
{
	struct resync *r = &a->resync;

	r->notify = r->background && r->loop; /* the thread reads it: set it first */
	if (r->notify && !pthread_create(&r->thread, NULL, walk, r)) {
		r->threaded = true;
		return;
	}
	r->notify = false;
	walk(r);
	step_done(a);
}

/* The pass is applied: account for it and let go of its buffer. */
static void complete(struct app *a, int n, uint64_t before)
{
	struct resync *r = &a->resync;
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
		app_log(a, "resync failed: %s", strerror(-n));
		return;
	}
	r->st.last_ns = cost;
	r->st.last_walk_ns = r->walk_ns;
	if (cost > r->st.max_ns)
		r->st.max_ns = cost;
	if (resync_repaired(&r->st) != before)
		app_log_routine(a, "resync: %d sockets in %.1f ms, %llu repaired", n,
			(double)cost / 1e6,
			(unsigned long long)(resync_repaired(&r->st) - before));
}

/* Apply up to max records of the pass; the last one ends it. Events the
 * ring brings between slices are newer than the records, and the pass
 * never lets a record override a newer event, so slicing changes nothing
 * but how long the loop is away from the ring. */
static void apply_some(struct app *a, size_t max)
{
	struct resync *r = &a->resync;
	size_t end = r->applied + max < r->nbuf ? r->applied + max : r->nbuf;

	while (r->applied < end)
		app_on_event(a, &r->buf[r->applied++]);
	if (r->applied == r->nbuf)
		complete(a, r->nsock, r->repaired_before);
}

void resync_step(struct app *a)
{
	if (a->resync.phase == RESYNC_APPLYING)
		apply_some(a, RESYNC_APPLY_SLICE);
}

static void finish(struct app *a)
{
	struct resync *r = &a->resync;
	struct event end = { .kind = EV_SNAP_END, .flags = SNAP_RESYNC };
	int n = r->nsock;

	r->repaired_before = resync_repaired(&r->st);
	end.ts_ns = mono_now_ns();
	end.aux = n > 0 ? (uint64_t)n : 0;
	if (r->owners_walked) {
		end.flags |= SNAP_OWNERS;
		for (size_t i = 0; i < r->nbuf; i++)
			r->buf[i].flags |= SNAP_OWNERS;
	}
	collect(r, &end);
	/* what happened while the pass ran is older than what follows it */
	drain_ring(a);
	if (n >= 0 && r->overflow)
		n = -E2BIG;
	if (n < 0) {
		complete(a, n, r->repaired_before);
		return;
	}
	r->nsock = n;
	r->applied = 0;
	r->phase = RESYNC_APPLYING;
	if (!r->background) /* resync_run: to its end, now */
		apply_some(a, r->nbuf);
}

/* A walk ended (its thread joined): the holders next, or the end. */
static void step_done(struct app *a)
{
	struct resync *r = &a->resync;

	if (r->phase == RESYNC_SOCKETS) {
		r->nsock = r->walk_ret;
		/* the holders cost a walk over every open file: only when
		 * some socket is new to the table, or events were lost */
		if (r->nsock >= 0 && !r->overflow && (r->owners || finds_new(a, r))) {
			r->phase = RESYNC_OWNERS;
			r->owners_walked = true;
			r->st.owner_walks++;
			start_walk(a);
			return;
		}
	} else if (r->walk_ret < 0 && r->nsock >= 0) {
		r->nsock = r->walk_ret;
	}
	finish(a);
}

static int on_walk_done(void *ctx, uint32_t events)
{
	struct app *a = ctx;
	struct resync *r = &a->resync;
	uint64_t n;

	(void)events;
	if (read(r->done_fd, &n, sizeof(n)) != sizeof(n) || !r->threaded)
		return 0;
	pthread_join(r->thread, NULL);
	r->threaded = false;
	step_done(a);
	return 0;
}

static int begin(struct app *a, bool owners, bool in_background)
{
	struct resync *r = &a->resync;

	r->it = loader_iters(a->loader);
	if (!r->it)
		return -ENOTSUP;
	if (r->phase != RESYNC_IDLE)
		return -EBUSY;
	if (in_background && !r->loop && a->loop) {
		r->done_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (r->done_fd >= 0 && loop_add(a->loop, r->done_fd, on_walk_done, a))
			close(r->done_fd);
		else if (r->done_fd >= 0)
			r->loop = a->loop;
	}
	r->nbuf = 0;
	r->overflow = false;
	r->owners = owners;
	r->owners_walked = false;
	r->walk_ns = 0;
	r->t0 = mono_now_ns();
	drain_ring(a);
	r->phase = RESYNC_SOCKETS;
	r->background = in_background;
	start_walk(a);
	return in_background ? 0 : r->last_ret;
}

int resync_run(struct app *a, bool owners)
{
	return begin(a, owners, false);
}

int resync_start(struct app *a, bool owners)
{
	return begin(a, owners, true);
}

void resync_tick(struct app *a, uint64_t now_ns)
{
	struct resync *r = &a->resync;
	uint64_t gap = r->st.last_ns * RESYNC_COST_FACTOR, since;
	bool due = false, owners;

	if (!r->period_ns || !a->loader || !loader_iters(a->loader) || r->phase != RESYNC_IDLE)
		return;
	if (gap < RESYNC_MIN_GAP_NS)
		gap = RESYNC_MIN_GAP_NS;
	since = r->last_end_ns ? r->last_end_ns : a->start_ns;
	if (a->lost > r->lost_done) {
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
	owners = a->lost > r->lost_done;
	r->lost_done = a->lost;
	r->drops_seen_ns = 0;
	resync_start(a, owners);
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
	ns_free(&r->ns_walked);
	ns_free(&r->ns_skipped);
	ns_free(&r->ns_known);
}
