// SPDX-License-Identifier: GPL-2.0
/*
 * Owner attribution. The table sets the owner for connect() and listen()
 * (process context); everything else lands here: accept() (the acceptor),
 * connects (fd, start time, outcome), snapshots (every holder with its
 * fd), and the listener's owner for accepted sockets not yet accepted.
 * Never guesses: several listeners from different processes on one port
 * leave the owner unknown (pid 0).
 */
#include "owners.h"

#include <stdlib.h>
#include <string.h>

#include "listeners.h"
#include "model.h"
#include "table.h"

/* Another holder; beyond TABLE_MAX_OWNERS the entry is marked and the
 * app counts it once (holders not stored). */
static void owner_add(struct model *m, struct sock_entry *e, const struct event *ev)
{
	int32_t fd = ev->ret;
	struct owner *o;
	int i;

	for (i = 0; i < e->nowners && i < TABLE_MAX_OWNERS; i++) {
		o = sock_owner(e, i);

		if (same_process(o->pid, o->pstart, ev->pid, ev->pstart) &&
		    (o->fd == fd || o->fd < 0)) {
			o->fd = fd;
			if (ev->pstart)
				o->pstart = ev->pstart;
			return;
		}
	}
	if (e->nowners == TABLE_OWNERS_INLINE && !e->owners_more)
		e->owners_more = calloc(TABLE_OWNERS_MORE, sizeof(*e->owners_more));
	if (e->nowners >= TABLE_MAX_OWNERS ||
	    (e->nowners >= TABLE_OWNERS_INLINE && !e->owners_more)) {
		if (!(e->flags & SOCK_OWNERS_FULL))
			m->owners_dropped++; /* no room, or no memory for it */
		e->flags |= SOCK_OWNERS_FULL;
		return;
	}
	o = sock_owner(e, e->nowners++);
	o->pid = ev->pid;
	o->pstart = ev->pstart;
	o->fd = fd;
	o->comm = 0; /* a slot past nowners holds no name */
	table_set_owner_comm(m->table, o, ev->comm);
}

static void owner_set(struct model *m, struct sock_entry *e, const struct event *ev)
{
	e->pid = ev->pid;
	e->pstart = ev->pstart;
	e->uid = ev->uid;
	table_set_comm(m->table, e, ev->comm);
	e->flags &= ~SOCK_OWNER_LISTENER;
}

static void listener_add(struct model *m, const struct sock_entry *e, uint32_t pid, uint32_t pstart,
			 uint32_t uid, const char *comm)
{
	struct listen_owner o = { .pid = pid, .pstart = pstart, .uid = uid,
				  .cgroup_id = e->cgroup_id };

	memcpy(o.comm, comm, sizeof(o.comm));
	listeners_add(m->listeners, e->skaddr, e->netns, e->lport, &o);
}

/* After table_apply, with the entry it returned (the one under
 * ev->skaddr now: looking it up again was a cache miss an event): listeners
 * in and out of the index; a child born of a listener shows the
 * listener's owner, marked, until accept(). */
static void on_state(struct model *m, const struct event *ev, struct sock_entry *e)
{
	struct listen_owner lo;

	if (ev->newstate == TS_CLOSE && ev->oldstate == TS_LISTEN)
		listeners_del(m->listeners, ev->skaddr, ev->netns, ev->lport);
	if (!e)
		return;
	if (ev->cgroup_id && !e->cgroup_id) {
		e->cgroup_id = ev->cgroup_id;
		table_touch_entry(m->table, e);
	}
	if (ev->oldstate == TS_CLOSE && ev->newstate == TS_LISTEN && e->pid)
		listener_add(m, e, e->pid, e->pstart, e->uid, entry_comm(m->table, e));
	if (ev->oldstate == TS_LISTEN && ev->newstate == TS_SYN_RECV && !e->pid &&
	    listeners_owner(m->listeners, ev->netns, ev->lport, &lo)) {
		e->pid = lo.pid;
		e->pstart = lo.pstart;
		e->uid = lo.uid;
		table_set_comm(m->table, e, lo.comm);
		if (!e->cgroup_id)
			e->cgroup_id = lo.cgroup_id;
		e->flags |= SOCK_OWNER_LISTENER;
		table_touch_entry(m->table, e);
	}
}

/* The entry of this lifecycle for a connect event, or NULL. */
static struct sock_entry *active_entry(struct model *m, const struct event *ev)
{
	struct sock_entry *e = table_find(m->table, ev->skaddr);

	if (!e || !(e->flags & SOCK_ACTIVE) || e->first_ns > ev->ts_ns)
		return NULL;
	return e;
}

static void on_connect(struct model *m, const struct event *ev)
{
	struct sock_entry *e = active_entry(m, ev);

	if (!e || (e->flags & SOCK_CLOSED))
		return;
	/* the port the SYN_SENT transition could not know yet */
	if (ev->flags & CONNECT_PORT && !e->lport && ev->lport && ev->family == e->family) {
		e->lport = ev->lport;
		memcpy(e->saddr, ev->saddr, sizeof(e->saddr));
	}
	if (!e->pid)
		owner_set(m, e, ev);
	owner_add(m, e, ev);
	e->connect_ns = ev->aux;
	if (ev->cgroup_id)
		e->cgroup_id = ev->cgroup_id;
	table_touch_entry(m->table, e);
}

static void on_connect_ret(struct model *m, const struct event *ev)
{
	struct sock_entry *e;

	if (ev->oldstate != TS_SYN_SENT || !(e = active_entry(m, ev)))
		return;
	e->connect_ret = ev->ret;
	if (!e->connect_ns && ev->ts_ns >= ev->aux)
		e->connect_ns = ev->ts_ns - ev->aux;
	if (!ev->ret && !e->handshake_ns)
		e->handshake_ns = ev->aux;
	table_touch_entry(m->table, e);
}

static void on_accept(struct model *m, const struct event *ev)
{
	struct sock_entry *e = table_find(m->table, ev->skaddr);

	/* a closed lifecycle on this address is over: this is a new one */
	if (e && (e->flags & SOCK_CLOSED) && ev->newstate != TS_CLOSE) {
		table_remove(m->table, e);
		e = NULL;
	}
	/* not seen being born (capture started late, or lost): it exists */
	if (!e)
		e = table_upsert(m->table, ev);
	if (!e)
		return;
	owner_set(m, e, ev);
	table_owners_clear(m->table, e);
	owner_add(m, e, ev);
	e->flags |= SOCK_PASSIVE;
	if (ev->cgroup_id)
		e->cgroup_id = ev->cgroup_id;
	table_touch_entry(m->table, e);
}

static bool born_during_capture(const struct sock_entry *e)
{
	const struct transition *t = e->ntrans ? sock_trans(e, 0) : NULL;

	return t && (t->oldstate == TS_CLOSE ||
		     (t->oldstate == TS_LISTEN && t->newstate == TS_SYN_RECV));
}

/* A snapshot record says nothing of a lifecycle born after it. */
static bool record_older(const struct sock_entry *e, const struct event *ev)
{
	return e->first_ns > ev->ts_ns;
}

static void on_snap_sock(struct model *m, const struct event *ev)
{
	struct sock_entry *e = table_find(m->table, ev->skaddr);

	if (e && record_older(e, ev))
		return;
	/* a resync pass (reconcile.c) has decided already what the table holds */
	if (ev->flags & SNAP_RESYNC) {
		if (!e)
			return;
	} else if (e && (e->flags & SOCK_CLOSED) && ev->newstate != TS_CLOSE) {
		table_remove(m->table, e); /* the address was reused since */
		e = NULL;
	}
	if (!e)
		e = table_upsert(m->table, ev);
	if (!e)
		return;
	if ((ev->flags & SNAP_STARTUP) && !born_during_capture(e))
		e->flags |= SOCK_SEEN_AT_START;
	if (ev->flags & SNAP_TIMEWAIT)
		e->flags |= SOCK_TIMEWAIT_SOCK;
	if (!e->ntrans && !e->uid)
		e->uid = ev->uid;
	if (ev->cgroup_id && !e->cgroup_id)
		e->cgroup_id = ev->cgroup_id;
	/* this pass lists the holders afresh (a resync may not walk them) */
	if (!(ev->flags & SNAP_RESYNC) || (ev->flags & SNAP_OWNERS))
		table_owners_clear(m->table, e);
}

static void on_snap_owner(struct model *m, const struct event *ev)
{
	struct sock_entry *e = table_find(m->table, ev->skaddr);

	if (!e || record_older(e, ev))
		return;
	owner_add(m, e, ev);
	if (!e->pid || (e->flags & SOCK_OWNER_LISTENER))
		owner_set(m, e, ev);
	if (!e->cgroup_id)
		e->cgroup_id = ev->cgroup_id;
	table_touch_entry(m->table, e);
	if (e->state == TS_LISTEN)
		listener_add(m, e, ev->pid, ev->pstart, ev->uid, ev->comm);
}

/* End of a pass: an owner that no longer holds the socket (exited after
 * fork, or passed it on) gives way to one that does. */
static void on_snap_end(struct model *m)
{
	for (struct sock_entry *e = table_first(m->table); e; e = table_next(e)) {
		bool held = false;

		if (!e->nowners)
			continue;
		for (int i = 0; i < e->nowners && i < TABLE_MAX_OWNERS; i++)
			held |= same_process(sock_owner(e, i)->pid, sock_owner(e, i)->pstart,
					     e->pid, e->pstart);
		if (!held) {
			e->pid = e->owners[0].pid;
			e->pstart = e->owners[0].pstart;
			table_comm_from_owner(m->table, e, &e->owners[0]);
		}
	}
	table_touch(m->table);
}

void owners_apply(struct model *m, const struct event *ev, struct sock_entry *state_entry)
{
	switch (ev->kind) {
	case EV_STATE: on_state(m, ev, state_entry); break;
	case EV_CONNECT: on_connect(m, ev); break;
	case EV_CONNECT_RET: on_connect_ret(m, ev); break;
	case EV_ACCEPT: on_accept(m, ev); break;
	case EV_SNAP_SOCK: on_snap_sock(m, ev); break;
	case EV_SNAP_OWNER: on_snap_owner(m, ev); break;
	case EV_SNAP_END: on_snap_end(m); break;
	default:
		break;
	}
}
