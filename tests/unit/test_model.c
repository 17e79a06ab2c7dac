// SPDX-License-Identifier: GPL-2.0
/*
 * The model on its own, without an app or any output: model_apply takes
 * a listener, a child born of it in softirq (owned by the listener's
 * process, from the model's own listener index), the time in the old
 * state for the stream, a counter sample's socket, and a resync pass's
 * repair; the listener leaves the index when it closes.
 */
#include <string.h>
#include <sys/socket.h>

#include "check.h"
#include "listeners.h"
#include "model.h"

#define S 1000000000ULL

static struct event state(uint64_t ts, uint64_t sk, uint32_t pid, uint8_t from, uint8_t to,
			  uint16_t lport, uint16_t rport)
{
	struct event e = { .kind = EV_STATE,
			   .ts_ns = ts,
			   .skaddr = sk,
			   .pid = pid,
			   .tid = pid,
			   .family = AF_INET,
			   .oldstate = from,
			   .newstate = to,
			   .lport = lport,
			   .rport = rport };

	strcpy(e.comm, pid ? "server" : "swapper/0");
	e.saddr[0] = e.daddr[0] = 127;
	e.saddr[3] = e.daddr[3] = 1;
	return e;
}

static void test_listener_and_child(void)
{
	struct table_limits lim = { 0 };
	struct listen_owner lo;
	struct model m;
	struct model_out out;
	struct sock_entry *e;
	struct event ev;

	CHECK(!model_init(&m, &lim));
	ev = state(1 * S, 0x100, 42, TS_CLOSE, TS_LISTEN, 80, 0);
	model_apply(&m, &ev, &out);
	CHECK(out.prev_ns == 0 && out.entry && out.entry == table_find(m.table, 0x100));
	CHECK(listeners_owner(m.listeners, 0, 80, &lo) && lo.pid == 42);
	ev = state(2 * S, 0x200, 0, TS_LISTEN, TS_SYN_RECV, 80, 50000);
	model_apply(&m, &ev, &out);
	ev = state(2 * S + 5000, 0x200, 0, TS_SYN_RECV, TS_ESTABLISHED, 80, 50000);
	model_apply(&m, &ev, &out);
	CHECK(out.prev_ns == 5000); /* in SYN_RECV since its birth */
	e = table_find(m.table, 0x200);
	CHECK(e && e->pid == 42 && (e->flags & SOCK_OWNER_LISTENER));
	CHECK(m.conns_opened == 1 && m.state_changes == 3);
	/* a counter sample names its socket for the outputs */
	ev = (struct event){ .kind = EV_RETRANS, .ts_ns = 3 * S, .skaddr = 0x200 };
	model_apply(&m, &ev, &out);
	CHECK(out.entry == e);
	ev = state(4 * S, 0x100, 42, TS_LISTEN, TS_CLOSE, 80, 0);
	model_apply(&m, &ev, &out);
	CHECK(!listeners_owner(m.listeners, 0, 80, &lo) && m.conns_closed == 0);
	CHECK(model_listeners_dropped(&m) == 0);
	model_free(&m);
}

static void test_resync_repair(void)
{
	struct table_limits lim = { 0 };
	struct model m;
	struct model_out out;
	struct event sock = { .kind = EV_SNAP_SOCK,
			      .ts_ns = 5 * S,
			      .skaddr = 0x300,
			      .family = AF_INET,
			      .lport = 22,
			      .newstate = TS_LISTEN,
			      .flags = SNAP_RESYNC };
	struct event end = { .kind = EV_SNAP_END, .ts_ns = 5 * S, .flags = SNAP_RESYNC, .aux = 1 };
	struct sock_entry *e;

	CHECK(!model_init(&m, &lim));
	model_apply(&m, &sock, &out);
	model_apply(&m, &end, &out);
	e = table_find(m.table, 0x300);
	CHECK(e && e->state == TS_LISTEN && (e->flags & SOCK_FOUND_BY_RESYNC));
	CHECK(m.rc.st.passes == 1 && m.rc.st.added == 1 && reconcile_repaired(&m.rc.st) == 1);
	/* the same record outside a pass (start-up) repairs nothing */
	sock.flags = SNAP_STARTUP;
	sock.skaddr = 0x400;
	model_apply(&m, &sock, &out);
	CHECK(table_find(m.table, 0x400) && m.rc.st.added == 1);
	model_free(&m);
}

int main(void)
{
	RUN(test_listener_and_child);
	RUN(test_resync_repair);
	CHECK_EXIT();
}
