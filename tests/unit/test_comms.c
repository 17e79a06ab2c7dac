// SPDX-License-Identifier: GPL-2.0
/*
 * Task names kept once: one id a name while referenced, the empty name
 * id 0, a name given back at its last reference (not while pinned), ids
 * reused, the bound of COMMS_MAX names held, and the table's transitions
 * giving their names back as entries go. The sockets' and holders' names
 * (entry_comm, owner_comm): shared, counted exactly through owners
 * replaced, cleared and freed, a full set counted and read as no name
 * (never another), and a paused copy naming what it did after its entry
 * is gone.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "comms.h"
#include "model.h"
#include "table.h"

static const char *name_of(char *buf, uint32_t i)
{
	memset(buf, 0, EVENT_COMM_LEN);
	snprintf(buf, EVENT_COMM_LEN, "task-%u", i);
	return buf;
}

static void test_refs(void)
{
	struct comms c;
	char full[EVENT_COMM_LEN], zero[EVENT_COMM_LEN] = { 0 }, a[EVENT_COMM_LEN] = "nginx";
	uint32_t x, y, z;

	comms_init(&c, COMMS_MAX);
	memset(full, 'q', sizeof(full)); /* 16 bytes, no NUL */
	CHECK(comms_get(&c, zero) == 0 && comms_count(&c) == 0);
	CHECK(comms_name(&c, 0)[0] == '\0');
	x = comms_get(&c, a);
	y = comms_get(&c, a);
	z = comms_get(&c, full);
	CHECK(x && x == y && z && z != x && comms_count(&c) == 2);
	CHECK(!memcmp(comms_name(&c, z), full, sizeof(full)));
	CHECK(!strcmp(comms_name(&c, x), "nginx"));
	comms_put(&c, x);
	CHECK(comms_count(&c) == 2 && !strcmp(comms_name(&c, y), "nginx"));
	comms_put(&c, y);
	CHECK(comms_count(&c) == 1);
	/* pinned: a name no one holds stays until the last unpin */
	comms_pin(&c);
	comms_pin(&c);
	comms_put(&c, z);
	CHECK(comms_count(&c) == 1 && !memcmp(comms_name(&c, z), full, sizeof(full)));
	CHECK(comms_get(&c, full) == z); /* found again while kept */
	comms_put(&c, z);
	comms_unpin(&c);
	CHECK(comms_count(&c) == 1);
	comms_unpin(&c);
	CHECK(comms_count(&c) == 0);
	comms_put(&c, 0);
	comms_free(&c);
}

/* Many names in and out in a shuffled order: each id names its own
 * name while held, freed ones come back, none is lost. */
static void test_many(void)
{
	enum { N = 5000 };
	struct comms c;
	uint32_t *id = calloc(N, sizeof(*id));
	char buf[EVENT_COMM_LEN];
	uint32_t x = 7, held = 0;

	comms_init(&c, COMMS_MAX);
	for (int round = 0; id && round < 20; round++) {
		for (uint32_t k = 0; k < N; k++) {
			uint32_t i;

			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			i = x % N;
			if (id[i]) {
				comms_put(&c, id[i]);
				id[i] = 0;
				held--;
			} else {
				id[i] = comms_get(&c, name_of(buf, i));
				CHECK(id[i]);
				held++;
			}
		}
		CHECK(comms_count(&c) == held);
		for (uint32_t i = 0; i < N; i++)
			if (id[i])
				CHECK(!strcmp(comms_name(&c, id[i]), name_of(buf, i)));
	}
	CHECK(c.nv <= N); /* ids reused */
	comms_free(&c);
	free(id);
}

/* Past COMMS_MAX names held a new one is not kept: id 0 */
static void test_bound(void)
{
	struct comms c;
	char buf[EVENT_COMM_LEN];
	uint32_t ok = 0;

	comms_init(&c, COMMS_MAX);
	for (uint32_t i = 0; i < COMMS_MAX + 10; i++)
		ok += comms_get(&c, name_of(buf, i)) != 0;
	CHECK(ok == COMMS_MAX && comms_count(&c) == COMMS_MAX);
	comms_put(&c, 77);
	CHECK(comms_get(&c, name_of(buf, 999999)) == 77);
	comms_free(&c);
}

static void apply(struct table *t, uint64_t sk, uint64_t ts, int o, int n, const char *comm)
{
	struct event ev = { .kind = EV_STATE,
			    .ts_ns = ts,
			    .skaddr = sk,
			    .family = 2,
			    .lport = (uint16_t)(1000 + sk % 5000),
			    .rport = 80,
			    .oldstate = (uint8_t)o,
			    .newstate = (uint8_t)n,
			    .pid = 5 };
	uint64_t prev;

	memcpy(ev.comm, comm, strnlen(comm, sizeof(ev.comm)));
	table_apply(t, &ev, &prev);
}

/* Transitions hold their names; the names go with the entries. */
static void test_table_names(void)
{
	struct table_limits lim = { .max_history = 4, .linger_ns = 1 };
	struct table *t = table_new(&lim);
	char buf[EVENT_COMM_LEN];
	struct sock_entry *e;

	for (uint32_t i = 0; t && i < 100; i++) {
		apply(t, 0x1000 + i * 64, 10 + i, TS_CLOSE, TS_SYN_SENT, name_of(buf, i % 7));
		apply(t, 0x1000 + i * 64, 11 + i, TS_SYN_SENT, TS_ESTABLISHED, "");
	}
	e = t ? table_find(t, 0x1000 + 3 * 64) : NULL;
	CHECK(e && e->ntrans == 2 && !strcmp(table_comm(t, e->trans[0].comm), "task-3"));
	CHECK(e && e->trans[1].comm == 0 && table_comm(t, 0)[0] == '\0');
	CHECK(t && table_comm_count(t) == 7);
	/* every socket closes and leaves: history keeps 4, their names only */
	for (uint32_t i = 0; t && i < 100; i++)
		apply(t, 0x1000 + i * 64, 200 + i, TS_ESTABLISHED, TS_CLOSE, "closer");
	if (t)
		table_expire(t, 1000);
	CHECK(t && table_count(t) == 0 && table_history_count(t) == 4);
	/* sockets 96-99: task-5, -6, -0, -1, and "closer" */
	CHECK(t && table_comm_count(t) == 5);
	table_free(t);
}

/* Past a set's own max (a socket's names: COMMS_IDS_MAX) the same */
static void test_small_max(void)
{
	struct comms c;
	char buf[EVENT_COMM_LEN];
	uint32_t a, b;

	comms_init(&c, 2);
	a = comms_get(&c, name_of(buf, 1));
	b = comms_get(&c, name_of(buf, 2));
	CHECK(a && b && a != b && !comms_get(&c, name_of(buf, 3)));
	comms_hold(&c, a);
	comms_put(&c, a);
	CHECK(comms_count(&c) == 2 && !strcmp(comms_name(&c, a), "task-1"));
	comms_put(&c, a);
	CHECK(comms_get(&c, name_of(buf, 3)) == a && !strcmp(comms_name(&c, a), "task-3"));
	comms_free(&c);
}

static void model_event(struct model *m, const struct event *ev)
{
	struct model_out out;

	model_apply(m, ev, &out);
}

static struct event sock_event(uint16_t kind, uint64_t sk, uint64_t ts, uint32_t pid,
			       const char *comm)
{
	struct event ev = { .kind = kind,
			    .ts_ns = ts,
			    .skaddr = sk,
			    .family = 2,
			    .lport = (uint16_t)(1000 + sk % 5000),
			    .rport = 80,
			    .pid = pid,
			    .tid = pid,
			    .ret = 3 };

	memcpy(ev.comm, comm, strnlen(comm, sizeof(ev.comm)));
	return ev;
}

/* A connect (its SYN_SENT in the caller names the socket), an extra
 * holder of it; then an accepted socket named by its acceptor */
static void connect_and_accept(struct model *m, uint64_t sk, uint64_t ts, const char *client,
			       const char *other, const char *server)
{
	struct event ev = sock_event(EV_STATE, sk, ts, 10, client);

	ev.oldstate = TS_CLOSE;
	ev.newstate = TS_SYN_SENT;
	model_event(m, &ev);
	ev = sock_event(EV_CONNECT, sk, ts + 1, 10, client);
	model_event(m, &ev);
	ev = sock_event(EV_SNAP_OWNER, sk, ts + 2, 11, other);
	ev.ret = 4;
	model_event(m, &ev);
	ev = sock_event(EV_ACCEPT, sk + 8, ts + 3, 20, server);
	ev.newstate = TS_ESTABLISHED;
	model_event(m, &ev);
}

/* Sockets and holders share their names; every path that drops one
 * (an owner replaced, holders listed afresh, entries freed) gives its
 * reference back: none is left when the sockets are gone. */
static void test_entry_names(void)
{
	struct table_limits lim = { .max_history = 2, .linger_ns = 1 };
	struct model m = { 0 };
	struct sock_entry *e;
	struct event ev;
	char c[EVENT_COMM_LEN], o[EVENT_COMM_LEN];

	CHECK(model_init(&m, &lim) == 0);
	if (!m.table)
		return;
	for (uint32_t i = 0; i < 60; i++)
		connect_and_accept(&m, 0x10000 + i * 64, 10 + i * 10, name_of(c, i % 3),
				   name_of(o, 3 + i % 2), i % 2 ? "srv-a" : "srv-b");
	/* 3 clients, 2 other holders, 2 servers: once each */
	CHECK(table_entry_comm_count(m.table) == 7);
	e = table_find(m.table, 0x10000 + 4 * 64);
	CHECK(e && e->nowners == 2 && !strcmp(entry_comm(m.table, e), "task-1"));
	CHECK(e && !strcmp(owner_comm(m.table, sock_owner(e, 0)), "task-1") &&
	      !strcmp(owner_comm(m.table, sock_owner(e, 1)), "task-3"));
	e = table_find(m.table, 0x10000 + 4 * 64 + 8);
	CHECK(e && e->pid == 20 && e->nowners == 1 && !strcmp(entry_comm(m.table, e), "srv-b"));
	/* a snapshot lists socket 0's holders afresh: its two names go,
	 * "late" comes (and names the socket, its owner no longer a holder) */
	ev = sock_event(EV_SNAP_SOCK, 0x10000, 5000, 0, "");
	ev.newstate = TS_SYN_SENT;
	model_event(&m, &ev);
	ev = sock_event(EV_SNAP_OWNER, 0x10000, 5001, 30, "late");
	model_event(&m, &ev);
	ev = sock_event(EV_SNAP_END, 0, 5002, 0, "");
	model_event(&m, &ev);
	e = table_find(m.table, 0x10000);
	CHECK(e && e->nowners == 1 && e->pid == 30 && !strcmp(entry_comm(m.table, e), "late"));
	CHECK(table_entry_comm_count(m.table) == 8);
	/* a name replaced gives the old one back ("late" is the holder's too) */
	if (e) {
		memset(c, 0, sizeof(c));
		memcpy(c, "renamed", 7);
		table_set_comm(m.table, e, c);
		CHECK(table_entry_comm_count(m.table) == 9);
		table_set_owner_comm(m.table, sock_owner(e, 0), c);
		CHECK(table_entry_comm_count(m.table) == 8 &&
		      !strcmp(owner_comm(m.table, sock_owner(e, 0)), "renamed"));
	}
	/* every socket closes and is freed but history's last two */
	for (uint32_t i = 0; i < 60; i++)
		for (uint64_t sk = 0x10000 + i * 64; sk <= 0x10000 + i * 64 + 8; sk += 8) {
			ev = sock_event(EV_STATE, sk, 6000 + i, 0, "softirq");
			ev.oldstate = sk & 8 ? TS_ESTABLISHED : TS_SYN_SENT;
			ev.newstate = TS_CLOSE;
			model_event(&m, &ev);
		}
	table_expire(m.table, 100000);
	CHECK(table_count(m.table) == 0 && table_history_count(m.table) == 2);
	/* the last two: 59's client (task-2, holder task-4) and its server srv-a */
	CHECK(table_entry_comm_count(m.table) == 3);
	model_free(&m);
}

/* A full set: the socket keeps its pid, reads as no name, and the loss
 * is counted; a name given back makes room again. */
static void test_entry_names_full(void)
{
	struct table_limits lim = { .max_history = 1, .linger_ns = 1, .max_comms = 2 };
	struct table *t = table_new(&lim);
	struct sock_entry *e;
	char buf[EVENT_COMM_LEN];
	uint64_t prev;

	for (uint32_t i = 0; t && i < 4; i++) {
		struct event ev =
			sock_event(EV_STATE, 0x100 + i * 64, 10 + i, 50 + i, name_of(buf, i));

		ev.oldstate = TS_CLOSE;
		ev.newstate = TS_SYN_SENT;
		table_apply(t, &ev, &prev);
	}
	e = t ? table_find(t, 0x100 + 64) : NULL;
	CHECK(e && !strcmp(entry_comm(t, e), "task-1"));
	e = t ? table_find(t, 0x100 + 3 * 64) : NULL;
	CHECK(e && e->pid == 53 && entry_comm(t, e)[0] == '\0');
	CHECK(t && table_stats(t)->comms_dropped == 2 && table_entry_comm_count(t) == 2);
	/* socket 0 ends (history keeps 1: the next one ending frees it) */
	if (t) {
		struct event ev = sock_event(EV_STATE, 0x100, 100, 0, "");

		ev.oldstate = TS_SYN_SENT;
		ev.newstate = TS_CLOSE;
		table_apply(t, &ev, &prev);
		ev.skaddr = 0x100 + 2 * 64;
		table_apply(t, &ev, &prev);
		table_expire(t, 1000);
		CHECK(table_entry_comm_count(t) == 1);
		table_set_comm(t, table_find(t, 0x100 + 3 * 64), name_of(buf, 3));
		CHECK(!strcmp(entry_comm(t, table_find(t, 0x100 + 3 * 64)), "task-3"));
		CHECK(table_stats(t)->comms_dropped == 2);
	}
	table_free(t);
}

/* A paused view's copy of an entry names its task after the entry is
 * freed and a new name could have taken its id; not past the unpin. */
static void test_paused_copy(void)
{
	struct table_limits lim = { .max_history = 1, .linger_ns = 1 };
	struct table *t = table_new(&lim);
	struct sock_entry *e, copy;
	struct event ev;
	uint64_t prev;

	if (!t)
		return;
	ev = sock_event(EV_STATE, 0x100, 10, 7, "paused-one");
	ev.oldstate = TS_CLOSE;
	ev.newstate = TS_SYN_SENT;
	e = table_apply(t, &ev, &prev);
	CHECK(e != NULL);
	if (!e) {
		table_free(t);
		return;
	}
	copy = *e;
	table_comms_pin(t);
	/* it closes and is freed (history keeps one: the next's) */
	ev.oldstate = TS_SYN_SENT;
	ev.newstate = TS_CLOSE;
	memset(ev.comm, 0, sizeof(ev.comm));
	table_apply(t, &ev, &prev);
	ev.skaddr = 0x200;
	ev.oldstate = TS_CLOSE;
	ev.newstate = TS_SYN_SENT;
	memcpy(ev.comm, "newcomer", 8);
	table_apply(t, &ev, &prev);
	ev.oldstate = TS_SYN_SENT;
	ev.newstate = TS_CLOSE;
	table_apply(t, &ev, &prev);
	table_expire(t, 1000);
	CHECK(!table_find(t, 0x100) && table_history_count(t) == 1);
	CHECK(table_history_get(t, 0)->skaddr == 0x200);
	CHECK(!strcmp(entry_comm(t, &copy), "paused-one"));
	CHECK(table_entry_comm_count(t) == 2);
	table_comms_unpin(t);
	CHECK(table_entry_comm_count(t) == 1); /* the newcomer's, in history */
	table_free(t);
}

int main(void)
{
	RUN(test_refs);
	RUN(test_many);
	RUN(test_bound);
	RUN(test_small_max);
	RUN(test_table_names);
	RUN(test_entry_names);
	RUN(test_entry_names_full);
	RUN(test_paused_copy);
	CHECK_EXIT();
}
