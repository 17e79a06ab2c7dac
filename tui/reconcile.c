// SPDX-License-Identifier: GPL-2.0
/*
 * Reconciliation: a resync pass's records applied to the model (see
 * reconcile.h); the namespaces walked decide what a pass may close.
 */
#include "reconcile.h"

#include <stdlib.h>
#include <string.h>

#include "listeners.h"
#include "model.h"
#include "table.h"

bool reconcile_same_endpoints(const struct sock_entry *e, const struct event *ev)
{
	return (!e->netns || !ev->netns || e->netns == ev->netns) && e->family == ev->family &&
	       e->lport == ev->lport && e->rport == ev->rport &&
	       !memcmp(e->saddr, ev->saddr, sizeof(e->saddr)) &&
	       !memcmp(e->daddr, ev->daddr, sizeof(e->daddr));
}

/* The same connect but for the local port (and address) it was not
 * given yet. */
static bool port_unknown_same(const struct sock_entry *e, const struct event *ev)
{
	return (!e->netns || !ev->netns || e->netns == ev->netns) && e->family == ev->family &&
	       e->rport == ev->rport && !memcmp(e->daddr, ev->daddr, sizeof(e->daddr));
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
static bool ns_covered(const struct reconcile *r, uint32_t ino)
{
	if (!r->ns_walked.n && !r->ns_skipped.n)
		return true; /* ABI 1: the one namespace */
	if (ns_has(&r->ns_walked, ino))
		return true;
	/* walked before, neither walked nor found now: it is gone (unless
	 * this pass could not look everywhere) */
	return ino && !r->ns_partial && !ns_has(&r->ns_skipped, ino) && ns_has(&r->ns_known, ino);
}

/* EV_SNAP_NETNS: this namespace exists; walked unless ret < 0 */
void reconcile_netns(struct reconcile *r, const struct event *ev)
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
		r->ns_partial = false;
	}
	if (ev->ts_ns < r->pass_start_ns)
		r->pass_start_ns = ev->ts_ns;
	if (ev->flags & SNAP_NETNS_PARTIAL)
		r->ns_partial = true;
	if (ev->ret < 0) {
		ns_add(&r->ns_skipped, ev->netns);
		return;
	}
	ns_add(&r->ns_walked, ev->netns);
	ns_add(&r->ns_known, ev->netns);
}

/* EV_SNAP_SOCK: the kernel has this socket in this state at ev->ts_ns. */
void reconcile_sock(struct model *m, const struct event *ev)
{
	struct reconcile *r = &m->rc;
	struct sock_entry *e = table_find(m->table, ev->skaddr);

	if (!r->in_pass || ev->ts_ns < r->pass_start_ns)
		r->pass_start_ns = ev->ts_ns;
	if (!r->in_pass) {
		r->in_pass = true;
		r->pass++;
		r->ns_walked.n = r->ns_skipped.n = 0;
		r->ns_partial = false;
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
		table_remove(m->table, e);
		e = NULL;
	} else if (e && e->state == TS_TIME_WAIT && !reconcile_same_endpoints(e, ev)) {
		/* TIME_WAIT ends without an event, and the kernel reuses its
		 * memory at once: a socket ended, nothing was missed */
		table_forget(m->table, e);
		r->st.timewait_ended++;
		e = NULL;
	} else if (e && e->state == TS_SYN_SENT && !e->lport && ev->lport &&
		   ev->newstate == TS_SYN_SENT && port_unknown_same(e, ev)) {
		/* the connect's first event came before the kernel picked its
		 * port, and its return (CONNECT_PORT) not yet: the same
		 * socket, now known better; nothing was missed */
		e->lport = ev->lport;
		memcpy(e->saddr, ev->saddr, sizeof(e->saddr));
	} else if (e && !reconcile_same_endpoints(e, ev)) {
		if (e->state == TS_LISTEN)
			listeners_del(m->listeners, e->skaddr, e->netns, e->lport);
		table_repair_gone(m->table, e, ev->ts_ns);
		table_remove(m->table, e);
		r->st.closed++;
		e = NULL;
	}
	if (!e) {
		if (ev->newstate == TS_CLOSE)
			return;
		if (table_full(m->table)) {
			r->st.skipped_full++;
			return;
		}
		e = table_upsert(m->table, ev);
		if (!e)
			return;
		if (ev->newstate == TS_TIME_WAIT || (ev->flags & SNAP_TIMEWAIT)) {
			/* an orphan's FIN_WAIT2 too: no event was missed */
			if (ev->flags & SNAP_TIMEWAIT)
				e->flags |= SOCK_TIMEWAIT_SOCK;
			r->st.timewait_found++;
		} else {
			e->flags |= SOCK_FOUND_BY_RESYNC | SOCK_REPAIRED;
			r->st.added++;
		}
	} else if (e->state != ev->newstate && e->last_ns <= ev->ts_ns &&
		   (e->flags & SOCK_TIMEWAIT_SOCK) && (ev->flags & SNAP_TIMEWAIT)) {
		table_quiet_state(m->table, e, ev->newstate,
				  ev->ts_ns); /* FIN_WAIT2 -> TIME_WAIT */
	} else if (e->state != ev->newstate && e->last_ns <= ev->ts_ns) {
		if (e->state == TS_LISTEN)
			listeners_del(m->listeners, e->skaddr, e->netns, e->lport);
		table_repair_state(m->table, e, ev->newstate, ev->ts_ns);
		r->st.fixed++;
	}
	e->resync_pass = r->pass;
}

/* EV_SNAP_END: what the table holds open and the pass did not see is gone,
 * unless the table heard of it after the pass began. */
void reconcile_end(struct model *m, const struct event *ev)
{
	struct reconcile *r = &m->rc;
	uint64_t start = r->in_pass ? r->pass_start_ns : ev->ts_ns;
	struct sock_entry *e, *next;

	if (!r->in_pass) {
		r->pass++; /* no socket at all */
		r->ns_walked.n = r->ns_skipped.n = 0;
		r->ns_partial = false;
	}
	for (e = table_first(m->table); e; e = next) {
		next = table_next(e);
		if (e->resync_pass == r->pass || (e->flags & SOCK_CLOSED) || e->last_ns >= start ||
		    e->first_ns >= start || !ns_covered(r, e->netns))
			continue;
		if (e->state == TS_TIME_WAIT || (e->flags & SOCK_TIMEWAIT_SOCK)) {
			/* its end has no event */
			table_forget(m->table, e);
			r->st.timewait_ended++;
			continue;
		}
		if (e->state == TS_LISTEN)
			listeners_del(m->listeners, e->skaddr, e->netns, e->lport);
		table_repair_gone(m->table, e, ev->ts_ns);
		r->st.closed++;
	}
	r->st.last_socks = (uint32_t)ev->aux;
	r->in_pass = false;
	r->st.passes++;
	table_touch(m->table);
}

void reconcile_free(struct reconcile *r)
{
	ns_free(&r->ns_walked);
	ns_free(&r->ns_skipped);
	ns_free(&r->ns_known);
	r->in_pass = false;
}
