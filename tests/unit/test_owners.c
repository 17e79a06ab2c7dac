// SPDX-License-Identifier: GPL-2.0
/* Owner attribution and per-process rows from event sequences: accept
 * names the acceptor over the listener's inherited owner, a shared
 * listener names nobody, snapshots list every holder, connect outcomes
 * land on the right lifecycle, and the Processes rows count it all. */
#include <string.h>
#include <sys/socket.h>

#include "app.h"
#include "app_fix.h"
#include "check.h"
#include "listeners.h"
#include "filter.h"
#include "owners.h"
#include "procs.h"
#include "table.h"

#define S (1000000000ULL)

static struct event ev(uint16_t kind, uint64_t ts, uint64_t sk, uint32_t pid, const char *comm)
{
	struct event e = { .kind = kind, .ts_ns = ts, .skaddr = sk, .pid = pid, .tid = pid,
			   .uid = 1000, .family = AF_INET, .protocol = 6 };

	strncpy(e.comm, comm, sizeof(e.comm) - 1);
	e.saddr[0] = e.daddr[0] = 127;
	e.saddr[3] = e.daddr[3] = 1;
	return e;
}

static struct event state(uint64_t ts, uint64_t sk, uint32_t pid, const char *comm, uint8_t from,
			  uint8_t to, uint16_t lport, uint16_t rport)
{
	struct event e = ev(EV_STATE, ts, sk, pid, comm);

	e.oldstate = from;
	e.newstate = to;
	e.lport = lport;
	e.rport = rport;
	return e;
}

static void feed(struct fix *f, const struct event *e)
{
	app_on_event(&f->a, e);
}

static void listen_on(struct fix *f, uint64_t sk, uint32_t pid, uint16_t port)
{
	struct event e = state(1 * S, sk, pid, "server", TS_CLOSE, TS_LISTEN, port, 0);

	feed(f, &e);
}

/* a child born of the listener in softirq (comm swapper) */
static void child_born(struct fix *f, uint64_t sk, uint16_t port, uint64_t ts)
{
	struct event e = state(ts, sk, 0, "swapper/0", TS_LISTEN, TS_SYN_RECV, port, 50000);

	feed(f, &e);
	e = state(ts + 1000, sk, 0, "swapper/0", TS_SYN_RECV, TS_ESTABLISHED, port, 50000);
	feed(f, &e);
}

static void test_inherit_then_accept(void)
{
	struct fix f;
	struct sock_entry *e;
	struct event a;

	fix_init(&f, 0);
	listen_on(&f, 0x100, 42, 8080);
	child_born(&f, 0x200, 8080, 2 * S);
	e = table_find(f.a.model.table, 0x200);
	CHECK(e && e->pid == 42 && (e->flags & SOCK_OWNER_LISTENER));
	CHECK(e && !strcmp(entry_comm(f.a.model.table, e), "server"));
	a = ev(EV_ACCEPT, 3 * S, 0x200, 43, "worker");
	a.ret = 7;
	a.newstate = TS_ESTABLISHED;
	feed(&f, &a);
	e = table_find(f.a.model.table, 0x200);
	CHECK(e && e->pid == 43 && !(e->flags & SOCK_OWNER_LISTENER));
	CHECK(e && e->nowners == 1 && e->owners[0].pid == 43 && e->owners[0].fd == 7);
	CHECK(e && (e->flags & SOCK_PASSIVE));
	fix_free(&f);
}

static void test_shared_listener_no_guess(void)
{
	struct fix f;
	struct sock_entry *e;
	struct event s, o;

	fix_init(&f, 0);
	s = ev(EV_SNAP_SOCK, 1 * S, 0x100, 0, "");
	s.newstate = TS_LISTEN;
	s.lport = 80;
	s.flags = SNAP_STARTUP;
	feed(&f, &s);
	o = ev(EV_SNAP_OWNER, 1 * S, 0x100, 10, "nginx");
	o.ret = 6;
	o.flags = SNAP_STARTUP;
	feed(&f, &o);
	o.pid = 11;
	feed(&f, &o);
	child_born(&f, 0x200, 80, 2 * S);
	e = table_find(f.a.model.table, 0x200);
	CHECK(e && e->pid == 0); /* either worker may accept: unknown */
	e = table_find(f.a.model.table, 0x100);
	CHECK(e && e->nowners == 2 && (e->flags & SOCK_SEEN_AT_START));
	fix_free(&f);
}

static void test_two_listening_processes_no_guess(void)
{
	struct fix f;
	struct sock_entry *e;

	fix_init(&f, 0);
	listen_on(&f, 0x100, 20, 443); /* SO_REUSEPORT: two sockets, two pids */
	listen_on(&f, 0x101, 21, 443);
	child_born(&f, 0x200, 443, 2 * S);
	e = table_find(f.a.model.table, 0x200);
	CHECK(e && e->pid == 0);
	/* one of them goes away: the other is the only listener left */
	{
		struct event c = state(3 * S, 0x101, 21, "server", TS_LISTEN, TS_CLOSE, 443, 0);

		feed(&f, &c);
	}
	child_born(&f, 0x300, 443, 4 * S);
	e = table_find(f.a.model.table, 0x300);
	CHECK(e && e->pid == 20 && (e->flags & SOCK_OWNER_LISTENER));
	fix_free(&f);
}

static void test_connect_outcome(void)
{
	struct fix f;
	struct sock_entry *e;
	struct event s, c, r;

	fix_init(&f, 0);
	s = state(1 * S, 0x300, 50, "curl", TS_CLOSE, TS_SYN_SENT, 0, 443);
	feed(&f, &s);
	c = ev(EV_CONNECT, 1 * S + 10, 0x300, 50, "curl");
	c.ret = 5;
	c.aux = 1 * S - 1000;
	c.newstate = TS_SYN_SENT;
	feed(&f, &c);
	s = state(1 * S + 2000000, 0x300, 0, "swapper/1", TS_SYN_SENT, TS_CLOSE, 40000, 443);
	feed(&f, &s);
	r = ev(EV_CONNECT_RET, 1 * S + 2000000, 0x300, 50, "curl");
	r.ret = -111;
	r.oldstate = TS_SYN_SENT;
	r.newstate = TS_CLOSE;
	r.aux = 2001000;
	feed(&f, &r);
	e = table_find(f.a.model.table, 0x300);
	CHECK(e && e->pid == 50 && e->connect_ret == -111);
	CHECK(e && e->connect_ns == 1 * S - 1000);
	CHECK(e && e->nowners == 1 && e->owners[0].fd == 5);
	/* a new lifecycle on the same address is not touched by the old
	 * attempt's late outcome */
	s = state(5 * S, 0x300, 60, "wget", TS_CLOSE, TS_SYN_SENT, 0, 80);
	feed(&f, &s);
	feed(&f, &r);
	e = table_find(f.a.model.table, 0x300);
	CHECK(e && e->pid == 60 && e->connect_ret == 1);
	fix_free(&f);
}

static void test_snapshot_owner_replaced(void)
{
	struct fix f;
	struct sock_entry *e;
	struct event s, o, end = { .kind = EV_SNAP_END, .ts_ns = 2 * S };

	fix_init(&f, 0);
	s = state(1 * S, 0x400, 70, "parent", TS_CLOSE, TS_LISTEN, 9000, 0);
	feed(&f, &s);
	/* the parent forked and exited: only the child holds it now */
	s = ev(EV_SNAP_SOCK, 2 * S, 0x400, 0, "");
	s.newstate = TS_LISTEN;
	s.lport = 9000;
	feed(&f, &s);
	o = ev(EV_SNAP_OWNER, 2 * S, 0x400, 71, "child");
	o.ret = 3;
	feed(&f, &o);
	feed(&f, &end);
	e = table_find(f.a.model.table, 0x400);
	CHECK(e && e->pid == 71 && !strcmp(entry_comm(f.a.model.table, e), "child"));
	CHECK(e && !(e->flags & SOCK_SEEN_AT_START)); /* born during capture */
	fix_free(&f);
}

static void test_procs_rows(void)
{
	struct fix f;
	const struct proc_row *rows, *r;
	size_t n;
	struct event a;

	fix_init(&f, 0);
	listen_on(&f, 0x100, 42, 8080);
	for (int i = 0; i < 3; i++) {
		child_born(&f, 0x200 + i, 8080, 2 * S + i);
		a = ev(EV_ACCEPT, 2 * S + 100 + i, 0x200 + i, 42, "server");
		a.ret = 10 + i;
		a.newstate = TS_ESTABLISHED;
		feed(&f, &a);
	}
	/* one peer closes: CLOSE_WAIT */
	{
		struct event c = state(3 * S, 0x201, 0, "swapper/0", TS_ESTABLISHED,
				       TS_CLOSE_WAIT, 8080, 50000);

		feed(&f, &c);
	}
	procs_rebuild(f.a.procs, f.a.model.table, 3 * S + 1, NULL, 0);
	rows = procs_rows(f.a.procs, &n);
	r = procs_find(f.a.procs, 42);
	CHECK(n == 1 && r && rows == r);
	CHECK(r && r->nsocks == 4 && r->by_state[TS_LISTEN] == 1);
	CHECK(r && r->by_state[TS_ESTABLISHED] == 2 && r->by_state[TS_CLOSE_WAIT] == 1);
	CHECK(r && r->nlports == 1 && r->lports[0] == 8080);
	CHECK(r && r->accepts == 3 && r->accepts_s == 3); /* all in second 2 */
	/* a view filter counts only the sockets it matches */
	{
		struct filter flt = { 0 };
		char err[160];
		int pos;

		CHECK(filter_parse(&flt, "state close_wait", err, sizeof(err), &pos) == 0);
		procs_rebuild(f.a.procs, f.a.model.table, 3 * S + 1, &flt, 1);
		r = procs_find(f.a.procs, 42);
		CHECK(r && r->nsocks == 1 && r->by_state[TS_CLOSE_WAIT] == 1 && r->nlports == 0);
		CHECK(filter_parse(&flt, "port 9", err, sizeof(err), &pos) == 0);
		procs_rebuild(f.a.procs, f.a.model.table, 3 * S + 1, &flt, 2);
		procs_rows(f.a.procs, &n);
		CHECK(n == 0); /* holds nothing that matches: not shown */
		procs_rebuild(f.a.procs, f.a.model.table, 3 * S + 1, NULL, 3);
		r = procs_find(f.a.procs, 42);
		CHECK(r && r->nsocks == 4);
	}
	/* long after, with nothing open any more, the row goes */
	for (uint64_t sk = 0x100; sk <= 0x202; sk += (sk == 0x100 ? 0x100 : 1)) {
		struct sock_entry *e = table_find(f.a.model.table, sk);
		struct event c;

		if (!e)
			continue;
		c = state(4 * S, sk, 0, "x", e->state, TS_CLOSE, e->lport, e->rport);
		feed(&f, &c);
	}
	table_expire(f.a.model.table, 20 * S);
	procs_rebuild(f.a.procs, f.a.model.table, 20 * S, NULL, 0);
	procs_rows(f.a.procs, &n);
	CHECK(n == 0);
	fix_free(&f);
}

/* the header's new/s and closes/s count connections, one per end: a
 * connect, a listener's child; a listener is no connection */
static void test_rates_count_connections(void)
{
	static const struct {
		uint64_t sk;
		uint8_t from, to;
	} seq[] = {
		{ 1, TS_CLOSE, TS_LISTEN },	     { 2, TS_CLOSE, TS_SYN_SENT },
		{ 3, TS_LISTEN, TS_SYN_RECV },	     { 2, TS_SYN_SENT, TS_ESTABLISHED },
		{ 3, TS_SYN_RECV, TS_ESTABLISHED },  { 2, TS_ESTABLISHED, TS_FIN_WAIT1 },
		{ 3, TS_ESTABLISHED, TS_CLOSE_WAIT }, { 2, TS_FIN_WAIT1, TS_FIN_WAIT2 },
		{ 3, TS_CLOSE_WAIT, TS_LAST_ACK },   { 2, TS_FIN_WAIT2, TS_CLOSE },
		{ 3, TS_LAST_ACK, TS_CLOSE },	     { 1, TS_LISTEN, TS_CLOSE },
		{ 4, TS_CLOSE, TS_SYN_SENT },	     { 4, TS_SYN_SENT, TS_CLOSE }, /* refused */
	};
	struct fix f;

	fix_init(&f, 0);
	for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		struct event e = state((i + 1) * S, seq[i].sk, 42, "srv", seq[i].from, seq[i].to,
				       80, 0);

		app_on_event(&f.a, &e);
	}
	CHECK(f.a.model.conns_opened == 3);
	CHECK(f.a.model.conns_closed == 3);
	CHECK(f.a.model.state_changes == 14);
	fix_free(&f);
}

/* a process exits and the kernel gives its pid to a new one (another
 * start time, another name): the owners and the Processes row never
 * merge the two; the exited one's socket still closing counts for nobody */
static void test_pid_reused(void)
{
	struct fix f;
	const struct proc_row *r;
	const struct sock_entry *e;
	size_t n;
	struct event x;

	fix_init(&f, 0);
	/* the old process: a connect and a bind, its socket open */
	x = state(1 * S, 0x300, 500, "old", TS_CLOSE, TS_SYN_SENT, 0, 443);
	x.pstart = 1000;
	feed(&f, &x);
	x = ev(EV_CONNECT, 1 * S + 1, 0x300, 500, "old");
	x.pstart = 1000, x.ret = 3, x.newstate = TS_SYN_SENT, x.aux = 1 * S;
	feed(&f, &x);
	x = ev(EV_BIND, 1 * S + 2, 0x301, 500, "old");
	x.pstart = 1000;
	feed(&f, &x);
	x = state(1 * S + 3, 0x300, 0, "swapper/0", TS_SYN_SENT, TS_ESTABLISHED, 40000, 443);
	feed(&f, &x);
	procs_rebuild(f.a.procs, f.a.model.table, 1 * S + 4, NULL, 0);
	r = procs_find(f.a.procs, 500);
	CHECK(r && r->pstart == 1000 && !strcmp(r->comm, "old") && r->connects == 1 &&
	      r->binds == 1 && r->nsocks == 1);
	/* it exits: its socket closes (FIN_WAIT1, still open, owner gone) */
	x = state(2 * S, 0x300, 0, "swapper/0", TS_ESTABLISHED, TS_FIN_WAIT1, 40000, 443);
	feed(&f, &x);
	/* the new process on pid 500 connects too */
	x = state(3 * S, 0x400, 500, "new", TS_CLOSE, TS_SYN_SENT, 0, 80);
	x.pstart = 5000;
	feed(&f, &x);
	x = ev(EV_CONNECT, 3 * S + 1, 0x400, 500, "new");
	x.pstart = 5000, x.ret = 7, x.newstate = TS_SYN_SENT, x.aux = 3 * S;
	feed(&f, &x);
	procs_rebuild(f.a.procs, f.a.model.table, 3 * S + 2, NULL, 0);
	procs_rows(f.a.procs, &n);
	r = procs_find(f.a.procs, 500);
	CHECK(n == 1 && r && r->pstart == 5000 && !strcmp(r->comm, "new"));
	/* its counts only: not the old one's connect and bind, nor its socket */
	CHECK(r && r->connects == 1 && r->binds == 0 && r->nsocks == 1 &&
	      r->by_state[TS_SYN_SENT] == 1 && r->by_state[TS_FIN_WAIT1] == 0);
	/* each socket keeps its own process */
	e = table_find(f.a.model.table, 0x300);
	CHECK(e && e->pid == 500 && e->pstart == 1000 &&
	      !strcmp(entry_comm(f.a.model.table, e), "old"));
	e = table_find(f.a.model.table, 0x400);
	CHECK(e && e->pid == 500 && e->pstart == 5000 && e->nowners == 1 &&
	      e->owners[0].pstart == 5000 && e->owners[0].fd == 7);
	/* a late event of the old process is counted for nobody */
	x = ev(EV_BIND, 3 * S + 3, 0x302, 500, "old");
	x.pstart = 1000;
	feed(&f, &x);
	procs_rebuild(f.a.procs, f.a.model.table, 3 * S + 4, NULL, 0);
	r = procs_find(f.a.procs, 500);
	CHECK(r && r->binds == 0 && !strcmp(r->comm, "new"));
	/* a snapshot: the new process holds its socket by fd 7; the old one's
	 * holder entry is not confused with it */
	x = ev(EV_SNAP_OWNER, 4 * S, 0x300, 500, "new");
	x.pstart = 5000, x.ret = 9;
	feed(&f, &x); /* (say the new one got the old socket passed: fd 9) */
	e = table_find(f.a.model.table, 0x300);
	CHECK(e && e->nowners == 2 && e->owners[0].pstart == 1000 && e->owners[0].fd == 3 &&
	      sock_owner(e, 1)->pstart == 5000 && sock_owner(e, 1)->fd == 9);
	/* a whole pass lists the holders afresh, and the primary owner moves
	 * to the one that holds it */
	x = ev(EV_SNAP_SOCK, 5 * S, 0x300, 0, "");
	x.newstate = TS_FIN_WAIT1, x.lport = 40000, x.rport = 443;
	feed(&f, &x);
	x = ev(EV_SNAP_OWNER, 5 * S, 0x300, 500, "new");
	x.pstart = 5000, x.ret = 9;
	feed(&f, &x);
	x = ev(EV_SNAP_END, 5 * S, 0, 0, "");
	feed(&f, &x);
	e = table_find(f.a.model.table, 0x300);
	CHECK(e && e->nowners == 1 && e->owners[0].pstart == 5000 && e->owners[0].fd == 9);
	CHECK(e && e->pid == 500 && e->pstart == 5000 &&
	      !strcmp(entry_comm(f.a.model.table, e), "new"));
	{
		struct procs_bounds pb;

		procs_bounds(f.a.procs, &pb);
		CHECK(pb.pids_reused == 1);
	}
	fix_free(&f);
}

/* listeners: the same pid as another process is another holder */
static void test_listener_pid_reused(void)
{
	struct fix f;
	struct listen_owner lo;
	struct event x;

	fix_init(&f, 0);
	x = state(1 * S, 0x500, 600, "srv", TS_CLOSE, TS_LISTEN, 9090, 0);
	x.pstart = 100;
	feed(&f, &x);
	/* a snapshot finds the listening socket held by pid 600 of another
	 * start (the first exited after passing it on to a process that got
	 * its pid): two processes, no guess */
	x = ev(EV_SNAP_OWNER, 2 * S, 0x500, 600, "srv2");
	x.pstart = 200, x.ret = 4;
	feed(&f, &x);
	CHECK(!listeners_owner(f.a.model.listeners, 0, 9090, &lo));
	fix_free(&f);
}

/* Every container listens on its own :8080: a child born in one
 * namespace shows that namespace's listener's owner, never a refusal for
 * "several processes on the port", never the other namespace's. */
static void test_listener_per_netns(void)
{
	struct fix f;
	struct listen_owner lo;
	struct sock_entry *e;
	struct event x;

	fix_init(&f, 0);
	x = state(1 * S, 0x100, 700, "web-a", TS_CLOSE, TS_LISTEN, 8080, 0);
	x.netns = 4026532001u;
	feed(&f, &x);
	x = state(1 * S, 0x200, 800, "web-b", TS_CLOSE, TS_LISTEN, 8080, 0);
	x.netns = 4026532002u;
	feed(&f, &x);
	CHECK(listeners_owner(f.a.model.listeners, 4026532001u, 8080, &lo) && lo.pid == 700);
	CHECK(listeners_owner(f.a.model.listeners, 4026532002u, 8080, &lo) && lo.pid == 800);
	CHECK(!listeners_owner(f.a.model.listeners, 4026532003u, 8080, &lo));
	x = state(2 * S, 0x300, 0, "swapper/0", TS_LISTEN, TS_SYN_RECV, 8080, 50000);
	x.netns = 4026532002u;
	feed(&f, &x);
	e = table_find(f.a.model.table, 0x300);
	CHECK(e && e->pid == 800 && !strcmp(entry_comm(f.a.model.table, e), "web-b") &&
	      e->netns == 4026532002u);
	CHECK(e && (e->flags & SOCK_OWNER_LISTENER));
	/* one namespace's listener closing leaves the other's */
	x = state(3 * S, 0x100, 700, "web-a", TS_LISTEN, TS_CLOSE, 8080, 0);
	x.netns = 4026532001u;
	feed(&f, &x);
	CHECK(!listeners_owner(f.a.model.listeners, 4026532001u, 8080, &lo));
	CHECK(listeners_owner(f.a.model.listeners, 4026532002u, 8080, &lo) && lo.pid == 800);
	fix_free(&f);
}

/* per-process counts with the last process's stat kept: events of two
 * processes in turns land on each one's own row, and a process's stat
 * forgotten (a minute idle) starts afresh, never the one kept before */
static void test_procs_last_kept(void)
{
	const uint32_t pids[] = { 42, 43, 42, 42, 43 };
	const struct proc_row *r;
	struct event b;
	struct fix f;
	size_t n;

	fix_init(&f, 0);
	for (size_t i = 0; i < sizeof(pids) / sizeof(pids[0]); i++) {
		b = ev(EV_BIND, 1 * S + i, 0, pids[i], pids[i] == 42 ? "a" : "b");
		feed(&f, &b);
	}
	procs_rebuild(f.a.procs, f.a.model.table, 1 * S + 10, NULL, 1);
	r = procs_find(f.a.procs, 42);
	CHECK(r && r->binds == 3 && !strcmp(r->comm, "a"));
	r = procs_find(f.a.procs, 43);
	CHECK(r && r->binds == 2 && !strcmp(r->comm, "b"));
	/* both idle past the minute: forgotten; 42 again counts from zero */
	procs_rebuild(f.a.procs, f.a.model.table, 100 * S, NULL, 2);
	procs_rows(f.a.procs, &n);
	CHECK(n == 0);
	b = ev(EV_BIND, 100 * S, 0, 42, "a");
	feed(&f, &b);
	procs_rebuild(f.a.procs, f.a.model.table, 100 * S + 1, NULL, 3);
	r = procs_find(f.a.procs, 42);
	CHECK(r && r->binds == 1);
	procs_rows(f.a.procs, &n);
	CHECK(n == 1);
	fix_free(&f);
}

int main(void)
{
	RUN(test_rates_count_connections);
	RUN(test_listener_per_netns);
	RUN(test_inherit_then_accept);
	RUN(test_shared_listener_no_guess);
	RUN(test_two_listening_processes_no_guess);
	RUN(test_connect_outcome);
	RUN(test_snapshot_owner_replaced);
	RUN(test_procs_rows);
	RUN(test_procs_last_kept);
	RUN(test_pid_reused);
	RUN(test_listener_pid_reused);
	CHECK_EXIT();
}
