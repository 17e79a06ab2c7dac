// SPDX-License-Identifier: GPL-2.0
/*
 * Resync: repair the socket table from an iterator snapshot after the
 * ring buffer dropped events, and every --resync seconds. See resync.h
 * for the order of a live pass and why a record never overrides newer
 * events.
 */
#include "resync.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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
	return e->family == ev->family && e->lport == ev->lport && e->rport == ev->rport &&
	       !memcmp(e->saddr, ev->saddr, sizeof(e->saddr)) &&
	       !memcmp(e->daddr, ev->daddr, sizeof(e->daddr));
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

	if (!r->in_pass)
		r->pass++; /* no socket at all */
	for (e = table_first(a->table); e; e = next) {
		next = table_next(e);
		if (e->resync_pass == r->pass || (e->flags & SOCK_CLOSED) ||
		    e->last_ns >= start || e->first_ns >= start)
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

	if (ev->kind == EV_SNAP_SOCK)
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

		if (cap > RESYNC_MAX_RECORDS ||
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

		if (ev->newstate == TS_CLOSE || ev->newstate == TS_TIME_WAIT)
			continue; /* nobody holds those */
		e = table_find(a->table, ev->skaddr);
		if (!e || (e->flags & SOCK_CLOSED) || !same_endpoints(e, ev))
			return true;
	}
	return false;
}

int resync_run(struct app *a, bool owners)
{
	struct resync *r = &a->resync;
	struct iters *it = loader_iters(a->loader);
	uint64_t t0 = mono_now_ns(), before = resync_repaired(&r->st), cost, walk;
	struct event end = { .kind = EV_SNAP_END, .flags = SNAP_RESYNC };
	int n, nown = 0;

	if (!it)
		return -ENOTSUP;
	r->nbuf = 0;
	r->overflow = false;
	drain_ring(a);
	walk = mono_now_ns();
	n = iters_sockets(it, collect, r, SNAP_RESYNC);
	/* the holders cost a walk over every open file: only when some
	 * socket is new to the table, or events (accepts...) were lost */
	if (n >= 0 && (owners || finds_new(a, r))) {
		nown = iters_owners(it, collect, r, SNAP_RESYNC | SNAP_OWNERS);
		for (size_t i = 0; i < r->nbuf; i++)
			r->buf[i].flags |= SNAP_OWNERS;
		end.flags |= SNAP_OWNERS;
		r->st.owner_walks++;
	}
	end.ts_ns = mono_now_ns();
	walk = end.ts_ns - walk;
	end.aux = n > 0 ? (uint64_t)n : 0;
	collect(r, &end);
	/* what happened while the pass ran is older than what follows it */
	drain_ring(a);
	if (n >= 0 && nown < 0)
		n = nown;
	if (n >= 0 && r->overflow)
		n = -E2BIG;
	if (n >= 0)
		for (size_t i = 0; i < r->nbuf; i++)
			app_on_event(a, &r->buf[i]);
	/* the buffer is as big as the host's sockets: do not keep it */
	free(r->buf);
	r->buf = NULL;
	r->nbuf = r->cap = 0;
	r->last_end_ns = mono_now_ns();
	cost = r->last_end_ns - t0;
	if (n < 0) {
		r->st.failed++;
		app_log(a, "resync failed: %s", strerror(-n));
		return n;
	}
	r->st.last_ns = cost;
	r->st.last_walk_ns = walk;
	if (cost > r->st.max_ns)
		r->st.max_ns = cost;
	if (resync_repaired(&r->st) != before)
		app_log(a, "resync: %d sockets in %.1f ms, %llu repaired (lost events)", n,
			(double)cost / 1e6,
			(unsigned long long)(resync_repaired(&r->st) - before));
	return 0;
}

void resync_tick(struct app *a, uint64_t now_ns)
{
	struct resync *r = &a->resync;
	uint64_t gap = r->st.last_ns * RESYNC_COST_FACTOR, since;
	bool due = false, owners;

	if (!r->period_ns || !a->loader || !loader_iters(a->loader))
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
	resync_run(a, owners);
}

void resync_free(struct resync *r)
{
	free(r->buf);
	r->buf = NULL;
	r->nbuf = r->cap = 0;
}
