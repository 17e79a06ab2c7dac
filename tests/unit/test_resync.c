// SPDX-License-Identifier: GPL-2.0
/* Resync passes fed through app_on_event, as live capture and replay do:
 * what the table lacks is added (marked), wrong states corrected, what the
 * kernel no longer has closed, reused addresses split into two lifecycles,
 * TIME_WAIT's comings and goings not counted as repairs, and a record
 * never overrides what the table learnt after it. A second identical pass
 * repairs nothing. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "app.h"
#include "app_fix.h"
#include "check.h"
#include "listeners.h"
#include "procs.h"
#include "reconcile.h"
#include "table.h"

#define S (1000000000ULL)

static struct event mk(uint16_t kind, uint64_t ts, uint64_t sk, uint8_t from, uint8_t to,
		       uint16_t lport, uint16_t rport)
{
	struct event e = { .kind = kind, .ts_ns = ts, .skaddr = sk, .family = AF_INET,
			   .protocol = 6, .oldstate = from, .newstate = to, .lport = lport,
			   .rport = rport };

	e.saddr[0] = e.daddr[0] = 127;
	e.saddr[3] = e.daddr[3] = 1;
	return e;
}

static void state(struct fix *f, uint64_t ts, uint64_t sk, uint8_t from, uint8_t to,
		  uint16_t lport, uint16_t rport)
{
	struct event e = mk(EV_STATE, ts, sk, from, to, lport, rport);

	e.pid = 42; /* listen() runs in the owner's context */
	strcpy(e.comm, "server");
	app_on_event(&f->a, &e);
}

static void snap(struct fix *f, uint64_t ts, uint64_t sk, uint8_t st, uint16_t lport,
		 uint16_t rport)
{
	struct event e = mk(EV_SNAP_SOCK, ts, sk, 0, st, lport, rport);

	e.flags = SNAP_RESYNC;
	app_on_event(&f->a, &e);
}

static void owner(struct fix *f, uint64_t ts, uint64_t sk, uint32_t pid, int fd)
{
	struct event e = mk(EV_SNAP_OWNER, ts, sk, 0, 0, 0, 0);

	e.flags = SNAP_RESYNC;
	e.pid = pid;
	e.ret = fd;
	strcpy(e.comm, "holder");
	app_on_event(&f->a, &e);
}

static void end(struct fix *f, uint64_t ts, uint64_t nsocks)
{
	struct event e = { .kind = EV_SNAP_END, .ts_ns = ts, .flags = SNAP_RESYNC,
			   .aux = nsocks };

	app_on_event(&f->a, &e);
}

static uint8_t state_of(struct fix *f, uint64_t sk)
{
	struct sock_entry *e = table_find(f->a.model.table, sk);

	return e ? e->state : 0xff;
}

/* The table after lost events, then one pass of what the kernel has. */
static void scenario(struct fix *f)
{
	struct event tw = mk(EV_SNAP_SOCK, 1 * S, 0x700, 0, TS_TIME_WAIT, 80, 40000);

	/* a TIME_WAIT seen at start-up (only iterators see those) */
	tw.flags = SNAP_STARTUP;
	app_on_event(&f->a, &tw);
	/* 0x100 listens, 0x200 established: both still there */
	state(f, 1 * S, 0x100, TS_CLOSE, TS_LISTEN, 80, 0);
	state(f, 2 * S, 0x200, TS_LISTEN, TS_SYN_RECV, 80, 50000);
	state(f, 2 * S, 0x200, TS_SYN_RECV, TS_ESTABLISHED, 80, 50000);
	/* 0x300: its move to CLOSE_WAIT was lost */
	state(f, 2 * S, 0x300, TS_LISTEN, TS_SYN_RECV, 80, 50001);
	state(f, 2 * S, 0x300, TS_SYN_RECV, TS_ESTABLISHED, 80, 50001);
	/* 0x400: a listener whose close was lost */
	state(f, 1 * S, 0x400, TS_CLOSE, TS_LISTEN, 81, 0);
	/* 0x500: closed; its address now holds a new socket (birth lost) */
	state(f, 2 * S, 0x500, TS_LISTEN, TS_SYN_RECV, 80, 50002);
	state(f, 2 * S, 0x500, TS_SYN_RECV, TS_ESTABLISHED, 80, 50002);
	state(f, 3 * S, 0x500, TS_ESTABLISHED, TS_CLOSE, 80, 50002);
	/* 0x600: open in the table, the address holds another socket now */
	state(f, 2 * S, 0x600, TS_LISTEN, TS_SYN_RECV, 80, 50003);
	state(f, 2 * S, 0x600, TS_SYN_RECV, TS_ESTABLISHED, 80, 50003);
	/* 0x800: born after the pass began: not the pass's to judge */
	state(f, 11 * S, 0x800, TS_LISTEN, TS_SYN_RECV, 80, 50004);
	/* 0xa00: changed after the record was taken: the table is newer */
	state(f, 2 * S, 0xa00, TS_LISTEN, TS_SYN_RECV, 80, 50006);
	state(f, 2 * S, 0xa00, TS_SYN_RECV, TS_ESTABLISHED, 80, 50006);
	state(f, 12 * S, 0xa00, TS_ESTABLISHED, TS_CLOSE_WAIT, 80, 50006);

	/* the pass, taken at 10 s */
	snap(f, 10 * S, 0x100, TS_LISTEN, 80, 0);
	snap(f, 10 * S, 0x200, TS_ESTABLISHED, 80, 50000);
	snap(f, 10 * S, 0x300, TS_CLOSE_WAIT, 80, 50001);
	snap(f, 10 * S, 0x500, TS_ESTABLISHED, 80, 50010);
	snap(f, 10 * S, 0x600, TS_ESTABLISHED, 80, 50011);
	snap(f, 10 * S, 0x900, TS_ESTABLISHED, 80, 50012); /* birth lost */
	snap(f, 10 * S, 0xa00, TS_ESTABLISHED, 80, 50006);
	snap(f, 10 * S, 0xb00, TS_TIME_WAIT, 80, 40001);
	owner(f, 10 * S + 1, 0x900, 77, 5);
	end(f, 10 * S + 2, 8);
}

static void test_repairs(void)
{
	struct fix f;
	const struct reconcile_stats *st = &f.a.model.rc.st;
	struct sock_entry *e;
	struct listen_owner lo;

	fix_init(&f, 0);
	scenario(&f);
	CHECK(st->passes == 1);
	CHECK(st->added == 3);	/* 0x500, 0x600, 0x900 */
	CHECK(st->closed == 2); /* 0x400, the old 0x600 */
	CHECK(st->fixed == 1);	/* 0x300 */
	CHECK(reconcile_repaired(st) == 6);
	CHECK(st->timewait_found == 1 && st->timewait_ended == 1); /* 0xb00 in, 0x700 out */
	CHECK(state_of(&f, 0x100) == TS_LISTEN && state_of(&f, 0x200) == TS_ESTABLISHED);
	CHECK(state_of(&f, 0x300) == TS_CLOSE_WAIT);
	e = table_find(f.a.model.table, 0x300);
	CHECK(e && (e->flags & SOCK_REPAIRED) && !(e->flags & SOCK_FOUND_BY_RESYNC));
	e = table_find(f.a.model.table, 0x400);
	CHECK(e && e->state == TS_CLOSE && (e->flags & SOCK_CLOSED) && (e->flags & SOCK_REPAIRED));
	CHECK(listeners_owner(f.a.model.listeners, 0, 80, &lo) && lo.pid == 42);
	CHECK(!listeners_owner(f.a.model.listeners, 0, 81, &lo)); /* gone from the index */
	e = table_find(f.a.model.table, 0x500);
	CHECK(e && e->rport == 50010 && e->state == TS_ESTABLISHED && !(e->flags & SOCK_CLOSED));
	CHECK(e && (e->flags & SOCK_FOUND_BY_RESYNC) && sock_age_unknown(e));
	e = table_find(f.a.model.table, 0x600);
	CHECK(e && e->rport == 50011 && (e->flags & SOCK_FOUND_BY_RESYNC));
	e = table_find(f.a.model.table, 0x900);
	CHECK(e && (e->flags & SOCK_FOUND_BY_RESYNC) && e->pid == 77 && e->nowners == 1);
	CHECK(state_of(&f, 0x800) == TS_SYN_RECV);   /* newer than the pass */
	CHECK(state_of(&f, 0xa00) == TS_CLOSE_WAIT); /* newer than its record */
	CHECK(state_of(&f, 0xb00) == TS_TIME_WAIT);
	CHECK(!table_find(f.a.model.table, 0x700));
	e = table_find(f.a.model.table, 0xb00);
	CHECK(e && !(e->flags & SOCK_REPAIRED));
	fix_free(&f);
}

/* The same kernel state again: nothing left to repair. */
static void test_second_pass_idle(void)
{
	struct fix f;
	const struct reconcile_stats *st = &f.a.model.rc.st;
	uint64_t before;

	fix_init(&f, 0);
	scenario(&f);
	before = reconcile_repaired(st);
	snap(&f, 20 * S, 0x100, TS_LISTEN, 80, 0);
	snap(&f, 20 * S, 0x200, TS_ESTABLISHED, 80, 50000);
	snap(&f, 20 * S, 0x300, TS_CLOSE_WAIT, 80, 50001);
	snap(&f, 20 * S, 0x500, TS_ESTABLISHED, 80, 50010);
	snap(&f, 20 * S, 0x600, TS_ESTABLISHED, 80, 50011);
	snap(&f, 20 * S, 0x800, TS_SYN_RECV, 80, 50004);
	snap(&f, 20 * S, 0x900, TS_ESTABLISHED, 80, 50012);
	snap(&f, 20 * S, 0xa00, TS_CLOSE_WAIT, 80, 50006);
	snap(&f, 20 * S, 0xb00, TS_TIME_WAIT, 80, 40001);
	end(&f, 20 * S + 2, 9);
	CHECK(st->passes == 2 && reconcile_repaired(st) == before);
	CHECK(st->timewait_found == 1);
	fix_free(&f);
}

/* A connect still in SYN_SENT: its first transition has no local port
 * (the kernel picks it after), connect()'s EINPROGRESS return brings it
 * (CONNECT_PORT), so a pass that sees the same socket repairs nothing. */
static void syn_sent_pass(bool port_told, uint16_t pass_rport, uint64_t *repaired, uint16_t *lport)
{
	struct fix f;
	struct event c = mk(EV_CONNECT, 1 * S + 10, 0x400, 0, TS_SYN_SENT, 38816, 80);

	fix_init(&f, 0);
	state(&f, 1 * S, 0x400, TS_CLOSE, TS_SYN_SENT, 0, 80);
	if (port_told) {
		c.flags = CONNECT_PORT;
		c.pid = 42;
		app_on_event(&f.a, &c);
	}
	snap(&f, 5 * S, 0x400, TS_SYN_SENT, 38816, pass_rport);
	end(&f, 5 * S + 1, 1);
	*repaired = reconcile_repaired(&f.a.model.rc.st);
	*lport = table_find(f.a.model.table, 0x400) ? table_find(f.a.model.table, 0x400)->lport : 0;
	fix_free(&f);
}

static void test_syn_sent_port(void)
{
	uint64_t rep;
	uint16_t lport;

	syn_sent_pass(true, 80, &rep, &lport);
	CHECK(rep == 0 && lport == 38816);
	/* a pass that comes between the SYN and connect()'s return: the
	 * same socket, its port filled in, nothing repaired */
	syn_sent_pass(false, 80, &rep, &lport);
	CHECK(rep == 0 && lport == 38816);
	/* another destination on that address is another socket: the test
	 * can fail */
	syn_sent_pass(false, 443, &rep, &lport);
	CHECK(rep == 2 && lport == 38816); /* closed and added again */
}

/* An orphaned active closer waits in FIN_WAIT2 as a timewait sock: a pass
 * that finds one, then sees it in TIME_WAIT, then not at all, missed
 * nothing (its birth as a timewait sock, its move and its end have no
 * event). Without the timewait mark the same passes count repairs. */
static uint64_t orphan_passes(bool marked, struct fix *f)
{
	struct event tw = mk(EV_SNAP_SOCK, 2 * S, 0x900, 0, TS_FIN_WAIT2, 41000, 80);

	fix_init(f, 0);
	tw.flags = SNAP_RESYNC | (marked ? SNAP_TIMEWAIT : 0);
	app_on_event(&f->a, &tw);
	end(f, 2 * S + 1, 1);
	tw.ts_ns = 4 * S;
	tw.newstate = TS_TIME_WAIT;
	app_on_event(&f->a, &tw);
	end(f, 4 * S + 1, 1);
	end(f, 6 * S, 0);
	return reconcile_repaired(&f->a.model.rc.st);
}

static void test_orphan_fin_wait2(void)
{
	struct fix f;

	CHECK(orphan_passes(true, &f) == 0);
	CHECK(f.a.model.rc.st.timewait_found == 1 && f.a.model.rc.st.timewait_ended == 1);
	CHECK(!table_find(f.a.model.table, 0x900));
	fix_free(&f);
	CHECK(orphan_passes(false, &f) == 2); /* added, then fixed */
	fix_free(&f);
}

/* An empty pass closes everything open and older than it. */
static void test_empty_pass(void)
{
	struct fix f;

	fix_init(&f, 0);
	state(&f, 1 * S, 0x100, TS_CLOSE, TS_LISTEN, 80, 0);
	state(&f, 5 * S, 0x200, TS_CLOSE, TS_SYN_SENT, 50000, 80);
	end(&f, 3 * S, 0);
	CHECK(f.a.model.rc.st.closed == 1 && state_of(&f, 0x100) == TS_CLOSE);
	CHECK(state_of(&f, 0x200) == TS_SYN_SENT); /* born after the pass */
	fix_free(&f);
}

/* A full table does not grow: what a pass would add is counted. */
static void test_full_table(void)
{
	struct fix f;

	fix_init(&f, 2);
	state(&f, 1 * S, 0x100, TS_CLOSE, TS_LISTEN, 80, 0);
	state(&f, 1 * S, 0x200, TS_CLOSE, TS_LISTEN, 81, 0);
	snap(&f, 10 * S, 0x100, TS_LISTEN, 80, 0);
	snap(&f, 10 * S, 0x200, TS_LISTEN, 81, 0);
	snap(&f, 10 * S, 0x300, TS_LISTEN, 82, 0);
	end(&f, 10 * S, 3);
	CHECK(f.a.model.rc.st.skipped_full == 1 && f.a.model.rc.st.added == 0);
	CHECK(table_count(f.a.model.table) == 2 && table_stats(f.a.model.table)->evicted == 0);
	fix_free(&f);
}

/* Start-up records are no resync: nothing counted as repaired. */
static void test_startup_not_counted(void)
{
	struct fix f;
	struct event e = mk(EV_SNAP_SOCK, 1 * S, 0x100, 0, TS_LISTEN, 80, 0);
	struct event end_ev = { .kind = EV_SNAP_END, .ts_ns = 1 * S, .flags = SNAP_STARTUP };

	fix_init(&f, 0);
	e.flags = SNAP_STARTUP;
	app_on_event(&f.a, &e);
	app_on_event(&f.a, &end_ev);
	CHECK(reconcile_repaired(&f.a.model.rc.st) == 0 && f.a.model.rc.st.passes == 0);
	CHECK(state_of(&f, 0x100) == TS_LISTEN);
	fix_free(&f);
}

/* The kernel hands an ended TIME_WAIT socket's memory to the next one at
 * once: a pass finding another tuple there counts a TIME_WAIT ended, not
 * a repair (nothing was missed). */
static void test_timewait_address_reused(void)
{
	struct fix f;
	const struct reconcile_stats *st = &f.a.model.rc.st;

	fix_init(&f, 0);
	snap(&f, 1 * S, 0xb00, TS_TIME_WAIT, 40001, 80);
	end(&f, 1 * S + 1, 1);
	snap(&f, 9 * S, 0xb00, TS_TIME_WAIT, 40002, 80);
	end(&f, 9 * S + 1, 1);
	CHECK(st->passes == 2 && reconcile_repaired(st) == 0);
	CHECK(st->timewait_found == 2 && st->timewait_ended == 1);
	CHECK(state_of(&f, 0xb00) == TS_TIME_WAIT && table_count(f.a.model.table) == 1);
	CHECK(table_find(f.a.model.table, 0xb00)->lport == 40002);
	fix_free(&f);
}

/* Repairs stamped long before the newest close (a pass applied behind
 * many closes) cost no walk over the closes, and still expire. */
static void test_repairs_behind_many_closes(void)
{
	struct fix f;
	const uint64_t n = 200000;

	fix_init(&f, 0);
	for (uint64_t i = 0; i < n; i++)
		state(&f, 1 * S, 0x10000 + i, TS_CLOSE, TS_SYN_SENT, 1024 + i % 60000, 80);
	for (uint64_t i = 0; i < n; i++)
		state(&f, 2 * S + i, 0x10000 + i, TS_SYN_SENT, TS_CLOSE, 1024 + i % 60000, 80);
	/* a listener the pass does not see: closed, stamped at the pass */
	state(&f, 1 * S, 0x100, TS_CLOSE, TS_LISTEN, 80, 0);
	end(&f, 1 * S + 5, 0);
	CHECK(f.a.model.rc.st.closed == 1 && state_of(&f, 0x100) == TS_CLOSE);
	app_tick(&f.a, 2 * S + n + TABLE_LINGER_NS);
	CHECK(table_count(f.a.model.table) == 0);
	fix_free(&f);
}

static void netns_rec(struct fix *f, uint64_t ts, uint32_t ino, const char *name, int ret,
		      uint32_t flags)
{
	struct event e = {
		.kind = EV_SNAP_NETNS, .ts_ns = ts, .netns = ino, .ret = ret, .flags = flags
	};

	snprintf(event_netns_name(&e), EVENT_NETNS_NAME_LEN, "%s", name);
	app_on_event(&f->a, &e);
}

static void state_ns(struct fix *f, uint64_t ts, uint64_t sk, uint8_t from, uint8_t to,
		     uint16_t lport, uint16_t rport, uint32_t ino)
{
	struct event e = mk(EV_STATE, ts, sk, from, to, lport, rport);

	e.netns = ino;
	app_on_event(&f->a, &e);
}

static void snap_ns(struct fix *f, uint64_t ts, uint64_t sk, uint8_t st, uint16_t lport,
		    uint16_t rport, uint32_t ino)
{
	struct event e = mk(EV_SNAP_SOCK, ts, sk, 0, st, lport, rport);

	e.flags = SNAP_RESYNC;
	e.netns = ino;
	app_on_event(&f->a, &e);
}

#define NS_H 4026531840u
#define NS_A 4026532100u
#define NS_B 4026532200u
#define NS_C 4026532300u

/* A pass closes only what the namespaces it walked no longer hold: a
 * namespace it found but could not enter, or never walked, keeps its
 * sockets; one walked before and now gone takes its sockets with it. */
static void test_netns_walked(void)
{
	struct fix f;
	const struct reconcile_stats *st = &f.a.model.rc.st;

	fix_init(&f, 0);
	/* the start-up pass met H, A, B and C */
	netns_rec(&f, 1 * S, NS_H, "", 0, SNAP_STARTUP);
	netns_rec(&f, 1 * S, NS_A, "a", 0, SNAP_STARTUP);
	netns_rec(&f, 1 * S, NS_B, "b", 0, SNAP_STARTUP);
	netns_rec(&f, 1 * S, NS_C, "c", 0, SNAP_STARTUP);
	CHECK(!strcmp(nsnames_get(&f.a.nsnames, NS_A), "a") && !nsnames_get(&f.a.nsnames, NS_H));
	CHECK(nsnames_find(&f.a.nsnames, "c") == NS_C);
	/* the same listener in every namespace, and one of a namespace no
	 * pass ever walked */
	state_ns(&f, 2 * S, 0x100, TS_CLOSE, TS_LISTEN, 8080, 0, NS_H);
	state_ns(&f, 2 * S, 0x200, TS_CLOSE, TS_LISTEN, 8080, 0, NS_A);
	state_ns(&f, 2 * S, 0x300, TS_CLOSE, TS_LISTEN, 8080, 0, NS_B);
	state_ns(&f, 2 * S, 0x400, TS_CLOSE, TS_LISTEN, 8080, 0, NS_C);
	state_ns(&f, 2 * S, 0x500, TS_CLOSE, TS_LISTEN, 8080, 0, 4026539999u);
	state_ns(&f, 2 * S, 0x600, TS_CLOSE, TS_LISTEN, 8081, 0, NS_A); /* its close lost */
	/* a pass: H and A walked, B there but not entered, C gone */
	netns_rec(&f, 10 * S, NS_H, "", 0, SNAP_RESYNC);
	snap_ns(&f, 10 * S, 0x100, TS_LISTEN, 8080, 0, NS_H);
	netns_rec(&f, 10 * S, NS_A, "a", 0, SNAP_RESYNC);
	snap_ns(&f, 10 * S, 0x200, TS_LISTEN, 8080, 0, NS_A);
	netns_rec(&f, 10 * S, NS_B, "b", -EPERM, SNAP_RESYNC);
	end(&f, 10 * S + 1, 2);
	CHECK(state_of(&f, 0x100) == TS_LISTEN && state_of(&f, 0x200) == TS_LISTEN);
	CHECK(state_of(&f, 0x300) == TS_LISTEN); /* not walked: kept */
	CHECK(state_of(&f, 0x400) == TS_CLOSE);	 /* its namespace is gone */
	CHECK(state_of(&f, 0x500) == TS_LISTEN); /* never walked: kept */
	CHECK(state_of(&f, 0x600) == TS_CLOSE);	 /* walked, not there */
	CHECK(st->closed == 2 && st->added == 0 && st->fixed == 0);
	/* the next pass walks B: what it holds stays, and nothing else moves */
	netns_rec(&f, 20 * S, NS_H, "", 0, SNAP_RESYNC);
	snap_ns(&f, 20 * S, 0x100, TS_LISTEN, 8080, 0, NS_H);
	netns_rec(&f, 20 * S, NS_A, "a", 0, SNAP_RESYNC);
	snap_ns(&f, 20 * S, 0x200, TS_LISTEN, 8080, 0, NS_A);
	netns_rec(&f, 20 * S, NS_B, "b", 0, SNAP_RESYNC);
	snap_ns(&f, 20 * S, 0x300, TS_LISTEN, 8080, 0, NS_B);
	end(&f, 20 * S + 1, 3);
	CHECK(st->closed == 2 && reconcile_repaired(st) == 2 && st->passes == 2);
	CHECK(state_of(&f, 0x300) == TS_LISTEN && state_of(&f, 0x500) == TS_LISTEN);
	fix_free(&f);
}

/* A pass that could not look everywhere (no privilege to find or enter
 * other namespaces) infers nothing gone: a namespace it did not report
 * keeps its sockets; what its walked namespace lost still closes. */
static void test_netns_partial_pass(void)
{
	struct fix f;

	fix_init(&f, 0);
	netns_rec(&f, 1 * S, NS_H, "", 0, SNAP_STARTUP);
	netns_rec(&f, 1 * S, NS_A, "a", 0, SNAP_STARTUP);
	state_ns(&f, 2 * S, 0x100, TS_CLOSE, TS_LISTEN, 8080, 0, NS_H);
	state_ns(&f, 2 * S, 0x200, TS_CLOSE, TS_LISTEN, 8080, 0, NS_A);
	state_ns(&f, 2 * S, 0x300, TS_CLOSE, TS_LISTEN, 8081, 0, NS_H);
	netns_rec(&f, 10 * S, NS_H, "", 0, SNAP_RESYNC | SNAP_NETNS_PARTIAL);
	snap_ns(&f, 10 * S, 0x100, TS_LISTEN, 8080, 0, NS_H);
	end(&f, 10 * S + 1, 1);
	CHECK(state_of(&f, 0x200) == TS_LISTEN); /* A not seen: not gone either */
	CHECK(state_of(&f, 0x300) == TS_CLOSE);	 /* walked, not there */
	CHECK(f.a.model.rc.st.closed == 1);
	/* the next full pass sees A gone */
	netns_rec(&f, 20 * S, NS_H, "", 0, SNAP_RESYNC);
	snap_ns(&f, 20 * S, 0x100, TS_LISTEN, 8080, 0, NS_H);
	end(&f, 20 * S + 1, 1);
	CHECK(state_of(&f, 0x200) == TS_CLOSE && f.a.model.rc.st.closed == 2);
	fix_free(&f);
}

/* A pass of ABI 1 (no EV_SNAP_NETNS) walked the one namespace there was:
 * what it did not see is gone, whatever the table's namespaces. */
static void test_netns_abi1_pass(void)
{
	struct fix f;

	fix_init(&f, 0);
	state_ns(&f, 2 * S, 0x100, TS_CLOSE, TS_LISTEN, 8080, 0, 0);
	state_ns(&f, 2 * S, 0x200, TS_CLOSE, TS_LISTEN, 8081, 0, 0);
	snap_ns(&f, 10 * S, 0x100, TS_LISTEN, 8080, 0, 0);
	end(&f, 10 * S + 1, 1);
	CHECK(state_of(&f, 0x100) == TS_LISTEN && state_of(&f, 0x200) == TS_CLOSE);
	CHECK(f.a.model.rc.st.closed == 1);
	fix_free(&f);
}

int main(void)
{
	RUN(test_repairs);
	RUN(test_second_pass_idle);
	RUN(test_empty_pass);
	RUN(test_syn_sent_port);
	RUN(test_orphan_fin_wait2);
	RUN(test_full_table);
	RUN(test_startup_not_counted);
	RUN(test_timewait_address_reused);
	RUN(test_repairs_behind_many_closes);
	RUN(test_netns_walked);
	RUN(test_netns_abi1_pass);
	RUN(test_netns_partial_pass);
	CHECK_EXIT();
}
