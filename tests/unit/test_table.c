// SPDX-License-Identifier: GPL-2.0
/*
 * The socket table: event sequences to lifecycles, time in state, skaddr
 * reuse, out-of-order stamps, linger and history, every bound and its
 * counter, by-state counts and who owns a socket.
 */
#include <sys/socket.h>

#include "check.h"
#include "table.h"

#define MS 1000000ULL
#define SK1 0xffff888001000000ULL
#define SK2 0xffff888002000000ULL

static struct event ev_state(uint64_t sk, uint64_t ts, uint8_t old, uint8_t new, uint32_t pid,
			     const char *comm)
{
	struct event ev = { .ts_ns = ts, .skaddr = sk, .pid = pid, .tid = pid, .uid = 1000,
			    .kind = EV_STATE, .family = AF_INET, .protocol = 6,
			    .lport = 40000, .rport = 443, .oldstate = old, .newstate = new };

	ev.saddr[0] = 127, ev.saddr[3] = 1;
	ev.daddr[0] = 127, ev.daddr[3] = 2;
	snprintf(ev.comm, sizeof(ev.comm), "%s", comm);
	return ev;
}

static struct sock_entry *apply(struct table *t, uint64_t sk, uint64_t ts, uint8_t old,
				uint8_t new, uint32_t pid, const char *comm, uint64_t *prev)
{
	struct event ev = ev_state(sk, ts, old, new, pid, comm);

	return table_apply(t, &ev, prev);
}

/* by-state counts must always agree with the live entries themselves */
static int counts_agree(const struct table *t)
{
	uint32_t n[TS_MAX] = { 0 }, total = 0, sum = 0;

	for (struct sock_entry *e = table_first(t); e; e = table_next(e)) {
		if (e->state >= TS_MAX)
			return 0;
		n[e->state]++;
		total++;
	}
	for (int s = 0; s < TS_MAX; s++) {
		if (table_count_state(t, (uint8_t)s) != n[s])
			return 0;
		sum += n[s];
	}
	return total == table_count(t) && sum == total;
}

static struct table *new_table(uint32_t socks, uint32_t hist, uint64_t linger)
{
	struct table_limits lim = { .max_socks = socks, .max_history = hist, .linger_ns = linger };

	return table_new(&lim);
}

static void test_active_close(void)
{
	struct table *t = new_table(0, 0, 0);
	struct sock_entry *e;
	uint64_t prev = 99;

	e = apply(t, SK1, 1000 * MS, TS_CLOSE, TS_SYN_SENT, 4242, "curl", &prev);
	CHECK(e && prev == 0);
	CHECK(e && e->state == TS_SYN_SENT && (e->flags & SOCK_ACTIVE));
	CHECK(table_count_state(t, TS_SYN_SENT) == 1 && counts_agree(t));
	e = apply(t, SK1, 1003 * MS, TS_SYN_SENT, TS_ESTABLISHED, 0, "swapper/3", &prev);
	CHECK(prev == 3 * MS);
	CHECK(e && e->handshake_ns == 3 * MS);
	CHECK(table_count_state(t, TS_ESTABLISHED) == 1 && table_count_state(t, TS_SYN_SENT) == 0);
	e = apply(t, SK1, 1503 * MS, TS_ESTABLISHED, TS_FIN_WAIT1, 4242, "curl", &prev);
	CHECK(prev == 500 * MS);
	e = apply(t, SK1, 1504 * MS, TS_FIN_WAIT1, TS_FIN_WAIT2, 0, "ksoftirqd/0", &prev);
	CHECK(prev == 1 * MS);
	e = apply(t, SK1, 1510 * MS, TS_FIN_WAIT2, TS_CLOSE, 0, "ksoftirqd/0", &prev);
	CHECK(prev == 6 * MS);
	CHECK(e && e->state == TS_CLOSE && (e->flags & SOCK_CLOSED));
	CHECK(e && sock_closed_ns(e) == 1510 * MS && e->first_ns == 1000 * MS);
	CHECK(e && e->ntrans == 5 && e->trans_dropped == 0);
	CHECK(e && sock_trans(e, 0)->oldstate == TS_CLOSE &&
	      sock_trans(e, 0)->newstate == TS_SYN_SENT);
	CHECK(e && sock_trans(e, 4)->oldstate == TS_FIN_WAIT2 &&
	      sock_trans(e, 4)->newstate == TS_CLOSE);
	CHECK(e && e->pid == 4242 && !strcmp(entry_comm(t, e), "curl"));
	CHECK(e && !(e->flags & SOCK_PASSIVE));
	CHECK(table_count(t) == 1 && table_count_state(t, TS_CLOSE) == 1 && counts_agree(t));
	CHECK(table_stats(t)->events == 5 && table_stats(t)->lifecycles == 1);
	CHECK(table_stats(t)->negative_dt == 0);
	table_free(t);
}

static void test_passive_close(void)
{
	struct table *t = new_table(0, 0, 0);
	struct sock_entry *e;
	uint64_t prev = 99;

	/* the listener itself: owner from listen() */
	e = apply(t, SK2, 10 * MS, TS_CLOSE, TS_LISTEN, 77, "nginx", &prev);
	CHECK(e && e->pid == 77 && prev == 0);
	/* the child, whose transitions all run in softirq context */
	e = apply(t, SK1, 100 * MS, TS_LISTEN, TS_SYN_RECV, 555, "curl", &prev);
	CHECK(e && prev == 0 && (e->flags & SOCK_PASSIVE));
	e = apply(t, SK1, 101 * MS, TS_SYN_RECV, TS_ESTABLISHED, 555, "curl", &prev);
	CHECK(prev == 1 * MS);
	e = apply(t, SK1, 200 * MS, TS_ESTABLISHED, TS_CLOSE_WAIT, 555, "curl", &prev);
	CHECK(prev == 99 * MS);
	CHECK(table_count_state(t, TS_CLOSE_WAIT) == 1 && counts_agree(t));
	e = apply(t, SK1, 210 * MS, TS_CLOSE_WAIT, TS_LAST_ACK, 77, "nginx", &prev);
	CHECK(prev == 10 * MS);
	e = apply(t, SK1, 211 * MS, TS_LAST_ACK, TS_CLOSE, 0, "swapper/0", &prev);
	CHECK(prev == 1 * MS);
	CHECK(e && e->state == TS_CLOSE && (e->flags & SOCK_CLOSED) && !(e->flags & SOCK_ACTIVE));
	CHECK(e && e->ntrans == 5);
	/* never the softirq task as the owner */
	CHECK(e && e->pid == 0);
	CHECK(table_count(t) == 2 && table_count_state(t, TS_LISTEN) == 1);
	CHECK(table_count_state(t, TS_CLOSE) == 1 && counts_agree(t));
	table_free(t);
}

static void test_rst_close(void)
{
	struct table *t = new_table(0, 0, 0);
	struct sock_entry *e;
	uint64_t prev;

	apply(t, SK1, 1 * MS, TS_CLOSE, TS_SYN_SENT, 9, "app", &prev);
	apply(t, SK1, 2 * MS, TS_SYN_SENT, TS_ESTABLISHED, 0, "swapper/1", &prev);
	e = apply(t, SK1, 50 * MS, TS_ESTABLISHED, TS_CLOSE, 0, "swapper/1", &prev);
	CHECK(prev == 48 * MS);
	CHECK(e && (e->flags & SOCK_CLOSED) && sock_closed_ns(e) == 50 * MS && e->ntrans == 3);
	CHECK(table_count_state(t, TS_ESTABLISHED) == 0 && table_count_state(t, TS_CLOSE) == 1);
	CHECK(counts_agree(t));
	/* a connect refused: SYN_SENT straight to CLOSE */
	e = apply(t, SK2, 60 * MS, TS_CLOSE, TS_SYN_SENT, 9, "app", &prev);
	e = apply(t, SK2, 61 * MS, TS_SYN_SENT, TS_CLOSE, 0, "swapper/1", &prev);
	CHECK(prev == 1 * MS && e && (e->flags & SOCK_CLOSED) && e->handshake_ns == 0);
	CHECK(table_count_state(t, TS_CLOSE) == 2 && counts_agree(t));
	table_free(t);
}

static void test_reuse(void)
{
	struct table *t = new_table(0, 0, 0);
	struct sock_entry *e, *d = NULL;
	const struct sock_entry *h;
	uint64_t prev, serial1;

	e = apply(t, SK1, 1 * MS, TS_CLOSE, TS_SYN_SENT, 10, "first", &prev);
	serial1 = e ? e->serial : 0;
	apply(t, SK1, 2 * MS, TS_SYN_SENT, TS_ESTABLISHED, 0, "x", &prev);
	apply(t, SK1, 3 * MS, TS_ESTABLISHED, TS_CLOSE, 0, "x", &prev);
	/* the kernel hands the same memory to a new socket: a new lifecycle */
	e = apply(t, SK1, 4 * MS, TS_CLOSE, TS_SYN_SENT, 20, "second", &prev);
	CHECK(prev == 0);
	CHECK(e && e->serial != serial1 && e->pid == 20 && e->ntrans == 1);
	CHECK(e && e->first_ns == 4 * MS && !(e->flags & SOCK_CLOSED));
	CHECK(table_find(t, SK1) == e);
	/* the first one still lingers, closed, apart from the new one */
	CHECK(table_count(t) == 2 && table_history_count(t) == 0);
	for (struct sock_entry *x = table_first(t); x; x = table_next(x))
		if (x != e)
			d = x;
	CHECK(d && d->serial == serial1 && d->skaddr == SK1 && (d->flags & SOCK_DISPLACED));
	CHECK(d && d->pid == 10 && d->ntrans == 3 && d->state == TS_CLOSE);
	CHECK(table_stats(t)->displaced == 1 && table_stats(t)->retired == 0);
	CHECK(table_count_state(t, TS_CLOSE) == 1 && table_count_state(t, TS_SYN_SENT) == 1);
	CHECK(counts_agree(t));
	/* its linger over, it goes to history; the new lifecycle stays */
	table_expire(t, 3 * MS + TABLE_LINGER_NS);
	CHECK(table_count(t) == 1 && table_history_count(t) == 1 && table_find(t, SK1) == e);
	h = table_history_get(t, 0);
	CHECK(h && h->serial == serial1 && h->pid == 10 && h->ntrans == 3);
	CHECK(h && h->state == TS_CLOSE);
	CHECK(table_stats(t)->lifecycles == 2 && table_stats(t)->retired == 1);
	CHECK(table_count_state(t, TS_CLOSE) == 0 && table_count_state(t, TS_SYN_SENT) == 1);
	CHECK(counts_agree(t));
	/* reused after its linger (no tick in between): straight to history */
	apply(t, SK1, 10 * MS + 2 * TABLE_LINGER_NS, TS_SYN_SENT, TS_CLOSE, 0, "x", &prev);
	e = apply(t, SK1, 20 * MS + 3 * TABLE_LINGER_NS, TS_CLOSE, TS_LISTEN, 30, "third", &prev);
	CHECK(e && e->pid == 30 && table_count(t) == 1 && table_history_count(t) == 2);
	CHECK(table_stats(t)->displaced == 1 && counts_agree(t));
	table_free(t);
}

/* a recording's skaddr equal to a displaced entry's key: they never share
 * it, and the displaced one is never taken for the socket */
static void test_displaced_key_clash(void)
{
	struct table *t = new_table(0, 0, 0);
	struct sock_entry *e;
	uint64_t prev, key;

	apply(t, SK1, 1 * MS, TS_CLOSE, TS_SYN_SENT, 10, "first", &prev);
	apply(t, SK1, 2 * MS, TS_SYN_SENT, TS_CLOSE, 0, "x", &prev);
	apply(t, SK1, 3 * MS, TS_CLOSE, TS_SYN_SENT, 11, "second", &prev);
	CHECK(table_count(t) == 2 && table_stats(t)->displaced == 1);
	key = ~table_find(t, SK1)->serial + 1; /* ~serial of the first */
	CHECK(table_find(t, key) == NULL);
	e = apply(t, key, 4 * MS, TS_SYN_SENT, TS_ESTABLISHED, 12, "wild", &prev);
	CHECK(e && e->skaddr == key && e->ntrans == 1 && prev == 0);
	CHECK(table_count(t) == 2 && table_history_count(t) == 1 && counts_agree(t));
	table_free(t);
}

/* the CLOSE of the first lifecycle was lost: the birth still retires it */
static void test_missed_close(void)
{
	struct table *t = new_table(0, 0, 0);
	struct sock_entry *e;
	const struct sock_entry *h;
	uint64_t prev;

	apply(t, SK1, 1 * MS, TS_CLOSE, TS_SYN_SENT, 10, "old", &prev);
	apply(t, SK1, 2 * MS, TS_SYN_SENT, TS_ESTABLISHED, 0, "x", &prev);
	CHECK(table_count_state(t, TS_ESTABLISHED) == 1);
	e = apply(t, SK1, 900 * MS, TS_CLOSE, TS_LISTEN, 30, "server", &prev);
	CHECK(prev == 0); /* not 898 ms of a merged lifecycle */
	CHECK(e && e->ntrans == 1 && e->pid == 30 && e->state == TS_LISTEN);
	CHECK(table_count(t) == 1 && table_history_count(t) == 1);
	h = table_history_get(t, 0);
	CHECK(h && h->state == TS_ESTABLISHED && h->pid == 10 && h->ntrans == 2);
	CHECK(table_count_state(t, TS_ESTABLISHED) == 0 && table_count_state(t, TS_LISTEN) == 1);
	CHECK(counts_agree(t));
	/* and an accepted child born on an skaddr we thought still open */
	apply(t, SK2, 5 * MS, TS_CLOSE, TS_SYN_SENT, 11, "c", &prev);
	e = apply(t, SK2, 6 * MS, TS_LISTEN, TS_SYN_RECV, 0, "x", &prev);
	CHECK(prev == 0 && e && e->ntrans == 1 && (e->flags & SOCK_PASSIVE));
	CHECK(e && e->pid == 0);
	CHECK(table_history_count(t) == 2 && counts_agree(t));
	table_free(t);
}

static void test_out_of_order(void)
{
	struct table *t = new_table(0, 0, 0);
	struct sock_entry *e;
	uint64_t prev;

	apply(t, SK1, 1000 * MS, TS_CLOSE, TS_SYN_SENT, 10, "a", &prev);
	/* another CPU stamped the next transition a little earlier */
	e = apply(t, SK1, 999 * MS, TS_SYN_SENT, TS_ESTABLISHED, 0, "x", &prev);
	CHECK(prev == 0);
	CHECK(table_stats(t)->negative_dt == 1);
	CHECK(e && e->state == TS_ESTABLISHED && e->state_ns == 1000 * MS);
	CHECK(e && e->handshake_ns == 0);
	/* the clock does not go backwards: the next span counts from 1000 */
	e = apply(t, SK1, 1010 * MS, TS_ESTABLISHED, TS_FIN_WAIT1, 10, "a", &prev);
	CHECK(prev == 10 * MS);
	e = apply(t, SK1, 1 * MS, TS_FIN_WAIT1, TS_CLOSE, 0, "x", &prev);
	CHECK(prev == 0 && table_stats(t)->negative_dt == 2);
	CHECK(e && sock_closed_ns(e) == 1010 * MS && e->last_ns == 1010 * MS);
	CHECK(e && e->state_ns >= e->first_ns);
	/* linger counts from the latest stamp, and now < closed never retires */
	table_expire(t, 500 * MS);
	CHECK(table_count(t) == 1);
	CHECK(counts_agree(t));
	table_free(t);
}

/* events lost between: the old state is not the one we saw it enter, so
 * the time in it is unknown (0), never the span since our last event */
static void test_gap(void)
{
	struct table *t = new_table(0, 0, 0);
	struct sock_entry *e;
	uint64_t prev = 99, serial;

	e = apply(t, SK1, 1 * MS, TS_CLOSE, TS_SYN_SENT, 10, "a", &prev);
	serial = e ? e->serial : 0;
	apply(t, SK1, 2 * MS, TS_SYN_SENT, TS_ESTABLISHED, 0, "x", &prev);
	/* ESTABLISHED>FIN_WAIT1 lost: FIN_WAIT1 was not entered at 2 ms */
	e = apply(t, SK1, 3600000 * MS, TS_FIN_WAIT1, TS_FIN_WAIT2, 0, "x", &prev);
	CHECK(prev == 0 && table_stats(t)->gaps == 1);
	CHECK(e && e->serial == serial && e->state == TS_FIN_WAIT2 && e->ntrans == 3);
	CHECK(e && e->state_ns == 3600000 * MS);
	/* the next span is measured from the transition we saw */
	e = apply(t, SK1, 3600005 * MS, TS_FIN_WAIT2, TS_CLOSE, 0, "x", &prev);
	CHECK(prev == 5 * MS && table_stats(t)->gaps == 1);
	CHECK(table_stats(t)->negative_dt == 0 && counts_agree(t));
	/* a snapshot's state is known too: LISTEN>CLOSE on a socket it found
	 * listening is 5 ms of LISTEN since then, FIN_WAIT1>FIN_WAIT2 on one
	 * it found ESTABLISHED is a gap */
	{
		struct event s = ev_state(SK2, 10 * MS, TS_UNKNOWN, TS_LISTEN, 0, "");
		struct event s2 = ev_state(SK2 + 64, 10 * MS, TS_UNKNOWN, TS_ESTABLISHED, 0, "");

		s.rport = 0;
		memset(s.daddr, 0, sizeof(s.daddr));
		table_upsert(t, &s);
		table_upsert(t, &s2);
	}
	e = apply(t, SK2, 15 * MS, TS_LISTEN, TS_CLOSE, 0, "x", &prev);
	CHECK(prev == 5 * MS && table_stats(t)->gaps == 1);
	e = apply(t, SK2 + 64, 20 * MS, TS_FIN_WAIT1, TS_FIN_WAIT2, 0, "x", &prev);
	CHECK(prev == 0 && table_stats(t)->gaps == 2 && e && e->state == TS_FIN_WAIT2);
	/* after a gap the new state began at this stamp, even an older one
	 * than the last (events from before a snapshot drained after it) */
	e = apply(t, SK2 + 64, 40 * MS, TS_CLOSE_WAIT, TS_LAST_ACK, 0, "x", &prev);
	CHECK(prev == 0 && table_stats(t)->gaps == 3 && e && e->state_ns == 40 * MS);
	e = apply(t, SK2 + 64, 35 * MS, TS_LAST_ACK, TS_CLOSE, 0, "x", &prev);
	CHECK(prev == 0 && e && e->state_ns == 40 * MS && table_stats(t)->negative_dt == 1);
	{
		struct event s3 = ev_state(SK1 + 64, 50 * MS, TS_UNKNOWN, TS_FIN_WAIT2, 0, "");

		table_upsert(t, &s3);
	}
	e = apply(t, SK1 + 64, 45 * MS, TS_FIN_WAIT1, TS_FIN_WAIT2, 0, "x", &prev);
	CHECK(prev == 0 && e && e->state_ns == 50 * MS && e->state_ns >= e->first_ns);
	e = apply(t, SK1 + 64, 52 * MS, TS_FIN_WAIT2, TS_CLOSE, 0, "x", &prev);
	CHECK(prev == 2 * MS);
	CHECK(counts_agree(t));
	table_free(t);
}

/* the CLOSE of one socket and the birth of the next on the same skaddr
 * were both lost: other endpoints say it is another lifecycle */
static void test_other_endpoints(void)
{
	struct table *t = new_table(0, 0, 0);
	struct sock_entry *e;
	const struct sock_entry *h;
	struct event ev;
	uint64_t prev, serial;

	/* a connect: the local port fills in after SYN_SENT; same lifecycle */
	ev = ev_state(SK1, 1 * MS, TS_CLOSE, TS_SYN_SENT, 10, "old");
	ev.lport = 0;
	e = table_apply(t, &ev, &prev);
	serial = e ? e->serial : 0;
	e = apply(t, SK1, 3 * MS, TS_SYN_SENT, TS_ESTABLISHED, 0, "x", &prev);
	CHECK(e && e->serial == serial && prev == 2 * MS && e->lport == 40000);
	CHECK(table_stats(t)->split == 0 && table_stats(t)->lifecycles == 1);
	/* then another socket's events on this address, other ports */
	ev = ev_state(SK1, 900 * MS, TS_ESTABLISHED, TS_CLOSE_WAIT, 0, "x");
	ev.lport = 8080, ev.rport = 51000;
	e = table_apply(t, &ev, &prev);
	CHECK(prev == 0 && e && e->serial != serial && e->ntrans == 1);
	CHECK(e && e->pid == 0 && e->first_ns == 900 * MS && e->lport == 8080);
	CHECK(table_stats(t)->split == 1 && table_stats(t)->lifecycles == 2);
	CHECK(table_history_count(t) == 1);
	h = table_history_get(t, 0);
	CHECK(h && h->serial == serial && h->pid == 10 && h->state == TS_ESTABLISHED &&
	      h->ntrans == 2 && h->lport == 40000);
	/* another remote address, same ports */
	ev = ev_state(SK1, 901 * MS, TS_CLOSE_WAIT, TS_LAST_ACK, 0, "x");
	ev.lport = 8080, ev.rport = 51000, ev.daddr[3] = 9;
	e = table_apply(t, &ev, &prev);
	CHECK(prev == 0 && table_stats(t)->split == 2 && e && e->ntrans == 1);
	/* another family */
	ev = ev_state(SK1, 902 * MS, TS_LAST_ACK, TS_CLOSE, 0, "x");
	ev.family = AF_INET6, ev.lport = 8080, ev.rport = 51000;
	e = table_apply(t, &ev, &prev);
	CHECK(prev == 0 && table_stats(t)->split == 3);
	CHECK(table_count(t) == 1 && table_history_count(t) == 3 && counts_agree(t));
	table_free(t);
}

static struct event tw_snap(uint64_t sk, uint64_t ts, uint16_t lport, uint16_t rport)
{
	struct event ev = ev_state(sk, ts, TS_UNKNOWN, TS_TIME_WAIT, 0, "");

	ev.kind = EV_SNAP_SOCK;
	ev.lport = lport;
	ev.rport = rport;
	return ev;
}

/* a snapshot's TIME_WAIT ends, without any event, when a new socket takes
 * its 4-tuple (tcp_tw_reuse, or a SYN to a TIME_WAIT server side) */
static void test_timewait_reused(void)
{
	struct table *t = new_table(0, 0, 0);
	struct event tw = tw_snap(SK1, 10 * MS, 40000, 443);
	struct event other = tw_snap(SK1 + 64, 10 * MS, 40001, 443);
	struct sock_entry *e;
	struct event ev;
	uint64_t prev;

	CHECK(table_upsert(t, &tw) && table_upsert(t, &other));
	CHECK(table_count_state(t, TS_TIME_WAIT) == 2);
	/* the client side connects again from the same port */
	ev = ev_state(SK2, 20 * MS, TS_CLOSE, TS_SYN_SENT, 7, "curl");
	ev.lport = 0;
	table_apply(t, &ev, &prev);
	CHECK(table_find(t, SK1) != NULL); /* no tuple yet */
	e = apply(t, SK2, 21 * MS, TS_SYN_SENT, TS_ESTABLISHED, 0, "x", &prev);
	CHECK(e && prev == 1 * MS && e->state == TS_ESTABLISHED);
	CHECK(table_find(t, SK1) == NULL && table_find(t, SK1 + 64) != NULL);
	CHECK(table_stats(t)->tw_reused == 1 && table_count_state(t, TS_TIME_WAIT) == 1);
	/* no history row: its connection's lifecycle is where history has it */
	CHECK(table_history_count(t) == 0 && table_count(t) == 2);
	/* the server side: a child of a listener on a TIME_WAIT tuple */
	tw = tw_snap(SK1 + 128, 30 * MS, 8080, 51000);
	CHECK(table_upsert(t, &tw));
	ev = ev_state(SK2 + 64, 31 * MS, TS_LISTEN, TS_SYN_RECV, 0, "x");
	ev.lport = 8080, ev.rport = 51000;
	table_apply(t, &ev, &prev);
	CHECK(table_find(t, SK1 + 128) == NULL && table_stats(t)->tw_reused == 2);
	/* a later snapshot finds a TIME_WAIT on a tuple an older entry has:
	 * the older one is stale */
	tw = tw_snap(SK2 + 128, 40 * MS, 40001, 443);
	CHECK(table_upsert(t, &tw));
	CHECK(table_find(t, SK1 + 64) == NULL && table_find(t, SK2 + 128) != NULL);
	CHECK(table_stats(t)->tw_reused == 3 && table_count_state(t, TS_TIME_WAIT) == 1);
	/* other tuples are left alone */
	ev = ev_state(SK2 + 192, 41 * MS, TS_LISTEN, TS_SYN_RECV, 0, "x");
	ev.lport = 40001, ev.rport = 444;
	table_apply(t, &ev, &prev);
	CHECK(table_find(t, SK2 + 128) != NULL && table_stats(t)->tw_reused == 3);
	CHECK(counts_agree(t));
	table_free(t);
}

/* Every namespace has its own 127.0.0.1:8080: the same 4-tuple in two
 * namespaces is two sockets, two rows; a TIME_WAIT in one is not ended by
 * a new socket on its tuple in another, and a kernel address seen in
 * another namespace is another socket (its end and birth were lost). */
static void test_netns_key(void)
{
	struct table *t = new_table(0, 0, 0);
	struct event a = ev_state(SK1, 10 * MS, TS_LISTEN, TS_SYN_RECV, 0, "x");
	struct event b = ev_state(SK2, 10 * MS, TS_LISTEN, TS_SYN_RECV, 0, "x");
	struct event tw = tw_snap(SK1 + 64, 20 * MS, 8080, 51000);
	struct sock_entry *ea, *eb;
	uint64_t prev;

	a.netns = 4026532001u, b.netns = 4026532002u;
	a.lport = b.lport = 8080, a.rport = b.rport = 51000;
	ea = table_apply(t, &a, &prev);
	eb = table_apply(t, &b, &prev);
	CHECK(ea && eb && ea != eb && table_count(t) == 2);
	CHECK(table_find(t, SK1)->netns == 4026532001u && table_find(t, SK2)->netns == 4026532002u);
	CHECK(table_stats(t)->split == 0 && table_stats(t)->tw_reused == 0);
	/* a TIME_WAIT on the tuple in namespace 1 ... */
	tw.netns = 4026532001u;
	CHECK(table_upsert(t, &tw) && table_count_state(t, TS_TIME_WAIT) == 1);
	/* ... outlives a new socket on the same tuple in namespace 2 */
	b = ev_state(SK2 + 64, 30 * MS, TS_LISTEN, TS_SYN_RECV, 0, "x");
	b.lport = 8080, b.rport = 51000, b.netns = 4026532002u;
	table_apply(t, &b, &prev);
	CHECK(table_find(t, SK1 + 64) != NULL && table_stats(t)->tw_reused == 0);
	/* ... and a TIME_WAIT snapshot of namespace 2 does not end it either */
	tw = tw_snap(SK2 + 128, 31 * MS, 8080, 51000);
	tw.netns = 4026532002u;
	CHECK(table_upsert(t, &tw) && table_count_state(t, TS_TIME_WAIT) == 2);
	CHECK(table_find(t, SK1 + 64) != NULL && table_stats(t)->tw_reused == 0);
	/* in its own namespace, a new socket on the tuple ends it */
	a = ev_state(SK1 + 192, 40 * MS, TS_LISTEN, TS_SYN_RECV, 0, "x");
	a.lport = 8080, a.rport = 51000, a.netns = 4026532001u;
	table_apply(t, &a, &prev);
	CHECK(table_find(t, SK1 + 64) == NULL && table_stats(t)->tw_reused == 1);
	CHECK(table_find(t, SK2 + 128) != NULL);
	/* the same kernel address, the same tuple, another namespace: the
	 * memory was reused; a new lifecycle, never the old one continued */
	a = ev_state(SK1, 50 * MS, TS_SYN_RECV, TS_ESTABLISHED, 0, "x");
	a.lport = 8080, a.rport = 51000, a.netns = 4026532009u;
	ea = table_apply(t, &a, &prev);
	CHECK(ea && ea->netns == 4026532009u && ea->ntrans == 1 && prev == 0);
	CHECK(table_stats(t)->split == 1);
	/* a record without a namespace (ABI 1) fills nothing in, splits nothing */
	a = ev_state(SK1, 60 * MS, TS_ESTABLISHED, TS_CLOSE_WAIT, 0, "x");
	a.lport = 8080, a.rport = 51000;
	ea = table_apply(t, &a, &prev);
	CHECK(ea && ea->netns == 4026532009u && ea->ntrans == 2 && table_stats(t)->split == 1);
	CHECK(counts_agree(t));
	table_free(t);
}

/* The TIME_WAIT index finds an entry's node by its tuple: one whose tuple
 * changed after it was indexed (the model fills in a connect's port) is
 * still taken out when it leaves, and the index never hands back an entry
 * that is gone. */
static void test_timewait_tuple_changed(void)
{
	struct table *t = new_table(0, 0, 0);
	struct event tw = tw_snap(SK1, 10 * MS, 0, 443);
	struct event other = tw_snap(SK1 + 64, 10 * MS, 40001, 443);
	struct sock_entry *e;
	uint64_t prev;

	e = table_upsert(t, &tw);
	CHECK(e && table_upsert(t, &other) && table_count_state(t, TS_TIME_WAIT) == 2);
	if (!e)
		goto out;
	e->lport = 40000; /* indexed under port 0 */
	/* it closes: out of the index too, then out of the table */
	e = apply(t, SK1, 20 * MS, TS_TIME_WAIT, TS_CLOSE, 0, "", &prev);
	CHECK(e && e->state == TS_CLOSE && table_count_state(t, TS_TIME_WAIT) == 1);
	table_expire(t, 20 * MS + TABLE_LINGER_NS);
	CHECK(table_find(t, SK1) == NULL && table_history_count(t) == 1);
	/* a new socket on its tuple ends nothing: the index has no node of it */
	tw = ev_state(SK2 + 64, 31 * MS, TS_SYN_SENT, TS_ESTABLISHED, 0, "x");
	table_apply(t, &tw, &prev);
	CHECK(table_stats(t)->tw_reused == 0 && table_find(t, SK1 + 64) != NULL);
	/* the other one still is there: its tuple's new socket ends it */
	tw.skaddr = SK2 + 128, tw.lport = 40001;
	table_apply(t, &tw, &prev);
	CHECK(table_stats(t)->tw_reused == 1 && table_find(t, SK1 + 64) == NULL);
	CHECK(table_count_state(t, TS_TIME_WAIT) == 0 && counts_agree(t));
	/* and past a TIME_WAIT's longest life nothing is forgotten: no node
	 * was left of the closed one (now in history) */
	table_expire(t, 20 * MS + TABLE_TIMEWAIT_NS);
	CHECK(table_stats(t)->tw_expired == 0 && table_count(t) == 2);
	CHECK(table_history_count(t) == 1 && table_history_get(t, 0)->skaddr == SK1);
out:
	table_free(t);
}

/* a TIME_WAIT found by a snapshot lives at most 60 s from then */
static void test_timewait_expires(void)
{
	struct table *t = new_table(0, 0, 0);
	struct event tw = tw_snap(SK1, 10 * MS, 40000, 443);
	uint64_t prev;

	CHECK(table_upsert(t, &tw));
	apply(t, SK2, 10 * MS, TS_CLOSE, TS_LISTEN, 1, "srv", &prev);
	table_expire(t, 10 * MS + TABLE_TIMEWAIT_NS - 1);
	CHECK(table_find(t, SK1) != NULL);
	table_expire(t, 10 * MS + TABLE_TIMEWAIT_NS);
	CHECK(table_find(t, SK1) == NULL && table_find(t, SK2) != NULL);
	CHECK(table_stats(t)->tw_expired == 1 && table_history_count(t) == 0);
	CHECK(table_count_state(t, TS_TIME_WAIT) == 0 && counts_agree(t));
	/* the index forgot it: a socket on its tuple retires nothing */
	apply(t, SK1 + 64, 70000 * MS, TS_CLOSE, TS_SYN_SENT, 2, "c", &prev);
	apply(t, SK1 + 64, 70001 * MS, TS_SYN_SENT, TS_ESTABLISHED, 0, "x", &prev);
	CHECK(table_stats(t)->tw_reused == 0 && table_count(t) == 2);
	table_free(t);
}

/* a transition after CLOSE that is not a birth: a socket first seen
 * mid-life (its birth lost), never appended to the closed lifecycle */
static void test_after_close(void)
{
	struct table *t = new_table(0, 0, 100 * MS); /* past its linger at 500 ms */
	struct sock_entry *e;
	const struct sock_entry *h;
	uint64_t prev;

	apply(t, SK1, 1 * MS, TS_CLOSE, TS_SYN_SENT, 10, "a", &prev);
	apply(t, SK1, 2 * MS, TS_SYN_SENT, TS_ESTABLISHED, 0, "x", &prev);
	apply(t, SK1, 3 * MS, TS_ESTABLISHED, TS_CLOSE, 0, "x", &prev);
	e = apply(t, SK1, 500 * MS, TS_ESTABLISHED, TS_FIN_WAIT1, 20, "b", &prev);
	CHECK(prev == 0 && e && e->ntrans == 1 && e->first_ns == 500 * MS);
	CHECK(e && !(e->flags & SOCK_CLOSED) && e->state == TS_FIN_WAIT1 && e->pid == 0);
	h = table_history_get(t, 0);
	CHECK(h && h->ntrans == 3 && h->state == TS_CLOSE && sock_closed_ns(h) == 3 * MS);
	/* a listener's close: the time it listened, then it is gone */
	apply(t, SK2, 10 * MS, TS_CLOSE, TS_LISTEN, 30, "srv", &prev);
	e = apply(t, SK2, 70 * MS, TS_LISTEN, TS_CLOSE, 30, "srv", &prev);
	CHECK(prev == 60 * MS && e && (e->flags & SOCK_CLOSED));
	CHECK(table_count_state(t, TS_LISTEN) == 0 && counts_agree(t));
	table_free(t);
}

/* the stamps jump ahead, then back (a recording's wild values): every
 * span is what the stamps say or 0, never negative or wrapped */
static void test_timestamp_jump(void)
{
	struct table *t = new_table(0, 0, 0);
	struct sock_entry *e;
	uint64_t prev;
	const uint64_t far = 1ULL << 62;

	apply(t, SK1, 1000 * MS, TS_CLOSE, TS_SYN_SENT, 10, "a", &prev);
	e = apply(t, SK1, far, TS_SYN_SENT, TS_ESTABLISHED, 0, "x", &prev);
	CHECK(prev == far - 1000 * MS);
	e = apply(t, SK1, 1001 * MS, TS_ESTABLISHED, TS_FIN_WAIT1, 10, "a", &prev);
	CHECK(prev == 0 && table_stats(t)->negative_dt == 1);
	CHECK(e && e->state_ns == far && e->last_ns == far && e->first_ns == 1000 * MS);
	e = apply(t, SK1, 0, TS_FIN_WAIT1, TS_CLOSE, 0, "x", &prev);
	CHECK(prev == 0 && e && sock_closed_ns(e) == far);
	/* expiry counts from the latest stamp, and now before it never
	 * retires */
	table_expire(t, 2000 * MS);
	CHECK(table_count(t) == 1);
	table_expire(t, UINT64_MAX);
	CHECK(table_count(t) == 0 && counts_agree(t));
	table_free(t);
}

static void test_linger_expire(void)
{
	struct table *t = new_table(0, 0, 2000 * MS);
	uint64_t prev;

	apply(t, SK1, 100 * MS, TS_CLOSE, TS_SYN_SENT, 10, "a", &prev);
	apply(t, SK1, 200 * MS, TS_SYN_SENT, TS_CLOSE, 0, "x", &prev);
	apply(t, SK2, 100 * MS, TS_CLOSE, TS_LISTEN, 10, "a", &prev);
	table_expire(t, 200 * MS + 1999 * MS);
	CHECK(table_count(t) == 2 && table_history_count(t) == 0);
	CHECK(table_find(t, SK1) != NULL);
	table_expire(t, 200 * MS + 2000 * MS);
	CHECK(table_count(t) == 1 && table_history_count(t) == 1);
	CHECK(table_find(t, SK1) == NULL && table_find(t, SK2) != NULL);
	CHECK(table_history_get(t, 0) && table_history_get(t, 0)->skaddr == SK1);
	CHECK(table_history_get(t, 1) == NULL);
	/* an open socket never expires */
	table_expire(t, 1000000 * MS);
	CHECK(table_count(t) == 1 && table_count_state(t, TS_LISTEN) == 1);
	CHECK(table_count_state(t, TS_CLOSE) == 0 && counts_agree(t));
	table_free(t);
}

/* Expiry takes only closes old enough, in any arrival order of their
 * stamps (another CPU's may be older), the same set as checking all. */
static void test_expire_out_of_order(void)
{
	struct table *t = new_table(0, 0, 100 * MS);
	static const uint64_t closed_at[] = { 50, 10, 30, 70, 20, 60 }; /* ms */
	const int n = (int)(sizeof(closed_at) / sizeof(closed_at[0]));
	uint64_t prev;

	for (int i = 0; i < n; i++) {
		apply(t, SK1 + (uint64_t)i * 64, 1 * MS, TS_CLOSE, TS_SYN_SENT, 1, "a", &prev);
		apply(t, SK1 + (uint64_t)i * 64, closed_at[i] * MS, TS_SYN_SENT, TS_CLOSE, 0, "x",
		      &prev);
	}
	apply(t, SK2, 5 * MS, TS_CLOSE, TS_LISTEN, 2, "b", &prev);
	for (uint64_t now = 100; now <= 200; now += 5) {
		uint32_t due = 0;

		table_expire(t, now * MS);
		for (int i = 0; i < n; i++)
			due += now >= closed_at[i] + 100;
		CHECK(table_history_count(t) == due);
		CHECK(table_count(t) == (uint32_t)n - due + 1);
		for (int i = 0; i < n; i++)
			CHECK((table_find(t, SK1 + (uint64_t)i * 64) == NULL) ==
			      (now >= closed_at[i] + 100));
	}
	/* a closed entry retired another way leaves the queue too */
	apply(t, SK1, 300 * MS, TS_CLOSE, TS_SYN_SENT, 1, "a", &prev);
	apply(t, SK1, 310 * MS, TS_SYN_SENT, TS_CLOSE, 0, "x", &prev);
	table_remove(t, table_find(t, SK1));
	table_expire(t, 1000 * MS);
	CHECK(table_count(t) == 1 && table_find(t, SK2) != NULL && counts_agree(t));
	/* closed again by a repair (the last one closed): it waits anew */
	apply(t, SK1, 400 * MS, TS_CLOSE, TS_SYN_SENT, 1, "a", &prev);
	apply(t, SK1 + 64, 400 * MS, TS_CLOSE, TS_SYN_SENT, 1, "a", &prev);
	apply(t, SK1, 410 * MS, TS_SYN_SENT, TS_CLOSE, 0, "x", &prev);
	apply(t, SK1 + 64, 420 * MS, TS_SYN_SENT, TS_CLOSE, 0, "x", &prev);
	table_repair_gone(t, table_find(t, SK1 + 64), 440 * MS);
	table_expire(t, 535 * MS);
	CHECK(table_find(t, SK1) == NULL && table_find(t, SK1 + 64) != NULL);
	table_expire(t, 540 * MS);
	CHECK(table_find(t, SK1 + 64) == NULL && table_count(t) == 1 && counts_agree(t));
	table_free(t);
}

/* The change log names every entry born, changed, retired and freed. */
static void test_change_log(void)
{
	struct table *t = new_table(0, 1, 1 * MS);
	uint64_t prev, seq = table_log_seq(t), touches = table_log_touches(t);
	struct sock_entry *a, *b;
	struct table_change c;

	uint32_t ha;

	a = apply(t, SK1, 1 * MS, TS_CLOSE, TS_SYN_SENT, 1, "a", &prev);
	ha = table_entry_handle(t, a);
	CHECK(ha && slab_handle_index(ha) < table_handle_span(t));
	CHECK(table_log_get(t, seq, &c) && c.e == a && c.h == ha && c.kind == TC_BORN);
	apply(t, SK1, 2 * MS, TS_SYN_SENT, TS_ESTABLISHED, 0, "x", &prev);
	CHECK(table_log_get(t, seq + 1, &c) && c.e == a && c.kind == TC_CHANGED);
	table_touch_entry(t, a);
	CHECK(table_log_get(t, seq + 2, &c) && c.e == a && c.kind == TC_CHANGED);
	apply(t, SK1, 3 * MS, TS_ESTABLISHED, TS_CLOSE, 0, "x", &prev);
	table_expire(t, 10 * MS);
	CHECK(table_log_get(t, seq + 4, &c) && c.e == a && c.kind == TC_RETIRED);
	/* the history holds one: the next retire frees a */
	b = apply(t, SK2, 11 * MS, TS_CLOSE, TS_LISTEN, 1, "b", &prev);
	table_remove(t, b);
	CHECK(table_log_get(t, seq + 6, &c) && c.e == b && c.kind == TC_RETIRED);
	CHECK(table_log_get(t, seq + 6, &c) && c.h == table_entry_handle(t, b));
	/* a freed entry is named by its handle */
	CHECK(table_log_get(t, seq + 7, &c) && c.h == ha && c.kind == TC_FREED);
	CHECK(table_log_seq(t) == seq + 8 && table_log_start(t) == 0);
	CHECK(!table_log_get(t, seq + 8, &c));
	/* a touch that names nothing is counted */
	table_touch(t);
	CHECK(table_log_touches(t) == touches + 1 && table_log_seq(t) == seq + 8);
	/* the log wraps: the oldest records can no longer be read */
	for (uint32_t i = 0; i < TABLE_LOG_SIZE; i++)
		table_touch_entry(t, b);
	CHECK(table_log_start(t) == table_log_seq(t) - TABLE_LOG_SIZE);
	CHECK(!table_log_get(t, seq, &c));
	table_free(t);
}

static void test_history_bound(void)
{
	struct table *t = new_table(0, 3, 1 * MS);
	uint64_t prev;

	for (uint64_t i = 0; i < 5; i++) {
		apply(t, SK1 + i * 64, i * MS, TS_CLOSE, TS_SYN_SENT, (uint32_t)(100 + i), "a",
		      &prev);
		apply(t, SK1 + i * 64, i * MS + 10, TS_SYN_SENT, TS_CLOSE, 0, "x", &prev);
		table_expire(t, i * MS + 10 + 1 * MS);
	}
	CHECK(table_count(t) == 0);
	CHECK(table_history_count(t) == 3);
	CHECK(table_stats(t)->history_dropped == 2 && table_stats(t)->retired == 5);
	/* newest first */
	CHECK(table_history_get(t, 0) && table_history_get(t, 0)->pid == 104);
	CHECK(table_history_get(t, 1) && table_history_get(t, 1)->pid == 103);
	CHECK(table_history_get(t, 2) && table_history_get(t, 2)->pid == 102);
	CHECK(table_history_get(t, 3) == NULL);
	CHECK(counts_agree(t));
	table_free(t);
}

static void test_max_socks(void)
{
	struct table *t = new_table(4, 100, 0);
	uint64_t prev;

	/* one closed (lingering) entry goes first, then the least recently active */
	apply(t, SK1, 1 * MS, TS_CLOSE, TS_SYN_SENT, 1, "a", &prev);
	apply(t, SK1, 2 * MS, TS_SYN_SENT, TS_CLOSE, 0, "x", &prev);
	for (uint32_t i = 1; i < 4; i++)
		apply(t, SK1 + i * 64, (10 + i) * MS, TS_CLOSE, TS_LISTEN, 10 + i, "b", &prev);
	CHECK(table_count(t) == 4 && table_stats(t)->evicted == 0);
	apply(t, SK2, 20 * MS, TS_CLOSE, TS_LISTEN, 20, "c", &prev);
	CHECK(table_count(t) == 4 && table_stats(t)->evicted == 1);
	CHECK(table_find(t, SK1) == NULL);
	CHECK(table_history_count(t) == 1 && table_history_get(t, 0)->skaddr == SK1);
	apply(t, SK2 + 64, 21 * MS, TS_CLOSE, TS_LISTEN, 21, "c", &prev);
	CHECK(table_count(t) == 4 && table_stats(t)->evicted == 2);
	CHECK(table_find(t, SK1 + 64) == NULL); /* oldest activity at 11 ms */
	CHECK(table_find(t, SK2) && table_find(t, SK2 + 64));
	CHECK(table_count_state(t, TS_LISTEN) == 4 && table_count_state(t, TS_CLOSE) == 0);
	CHECK(counts_agree(t));
	table_free(t);
}

static void test_transition_bound(void)
{
	struct table *t = new_table(0, 0, 0);
	struct sock_entry *e = NULL;
	const uint32_t total = TABLE_MAX_TRANSITIONS + 9;
	uint64_t prev;

	apply(t, SK1, 1 * MS, TS_CLOSE, TS_SYN_SENT, 1, "a", &prev);
	/* a long simultaneous-open-ish churn: many transitions on one socket */
	for (uint32_t i = 1; i < total; i++) {
		uint8_t from = i % 2 ? TS_SYN_SENT : TS_SYN_RECV;
		uint8_t to = i % 2 ? TS_SYN_RECV : TS_SYN_SENT;

		e = apply(t, SK1, (1 + i) * MS, from, to, 0, "x", &prev);
		CHECK(prev == 1 * MS);
	}
	e = apply(t, SK1, (1 + total) * MS, TS_SYN_SENT, TS_ESTABLISHED, 0, "last", &prev);
	CHECK(e && e->ntrans == TABLE_MAX_TRANSITIONS);
	CHECK(e && e->ntrans + e->trans_dropped == total + 1);
	CHECK(table_stats(t)->trans_dropped == total + 1 - TABLE_MAX_TRANSITIONS);
	/* the first one and the latest one are kept, in time order */
	CHECK(e && sock_trans(e, 0)->oldstate == TS_CLOSE && sock_trans(e, 0)->ts_ns == 1 * MS);
	CHECK(e && sock_trans(e, TABLE_MAX_TRANSITIONS - 1)->newstate == TS_ESTABLISHED);
	CHECK(e && sock_trans(e, TABLE_MAX_TRANSITIONS - 1)->ts_ns == (1 + total) * MS);
	CHECK(e && !strcmp(table_comm(t, sock_trans(e, TABLE_MAX_TRANSITIONS - 1)->comm), "last"));
	/* the first TABLE_MAX_TRANSITIONS-1 are exactly the first ones, so
	 * the gap is between the last two slots (where the detail view marks it) */
	for (int i = 0; e && i < TABLE_MAX_TRANSITIONS - 1; i++)
		CHECK(sock_trans(e, i)->ts_ns == (uint64_t)(1 + i) * MS);
	for (int i = 1; e && i < TABLE_MAX_TRANSITIONS; i++)
		CHECK(sock_trans(e, i)->ts_ns > sock_trans(e, i - 1)->ts_ns);
	CHECK(table_count_state(t, TS_ESTABLISHED) == 1 && counts_agree(t));
	table_free(t);
}

static void test_owner_context(void)
{
	struct table *t = new_table(0, 0, 0);
	struct sock_entry *e;
	uint64_t prev;

	/* first seen mid-life: no owner can be inferred from softirq */
	e = apply(t, SK1, 1 * MS, TS_ESTABLISHED, TS_CLOSE_WAIT, 999, "ksoftirqd/2", &prev);
	CHECK(e && e->pid == 0 && entry_comm(t, e)[0] == '\0' && prev == 0);
	e = apply(t, SK1, 2 * MS, TS_CLOSE_WAIT, TS_LAST_ACK, 123, "app", &prev);
	CHECK(e && e->pid == 0);
	/* connect() sets it; later transitions in other tasks never change it */
	e = apply(t, SK2, 3 * MS, TS_CLOSE, TS_SYN_SENT, 321, "wget", &prev);
	CHECK(e && e->pid == 321 && e->uid == 1000 && !strcmp(entry_comm(t, e), "wget"));
	e = apply(t, SK2, 4 * MS, TS_SYN_SENT, TS_ESTABLISHED, 888, "other", &prev);
	CHECK(e && e->pid == 321 && !strcmp(entry_comm(t, e), "wget"));
	e = apply(t, SK2, 5 * MS, TS_ESTABLISHED, TS_FIN_WAIT1, 888, "other", &prev);
	CHECK(e && e->pid == 321);
	/* the transition list keeps who was current, raw */
	CHECK(e && sock_trans(e, 1)->pid == 888 &&
	      !strcmp(table_comm(t, sock_trans(e, 1)->comm), "other"));
	CHECK(counts_agree(t));
	table_free(t);
}

static void test_upsert_remove_names(void)
{
	struct table *t = new_table(0, 0, 0);
	struct event ev = ev_state(SK1, 5 * MS, TS_UNKNOWN, TS_ESTABLISHED, 0, "");
	struct sock_entry *e;
	uint64_t gen = table_generation(t), prev;

	e = table_upsert(t, &ev);
	CHECK(e && e->state == TS_ESTABLISHED && table_count_state(t, TS_ESTABLISHED) == 1);
	CHECK(table_generation(t) != gen);
	CHECK(table_upsert(t, &ev) == e && table_count(t) == 1);
	e = apply(t, SK1, 6 * MS, TS_ESTABLISHED, TS_FIN_WAIT1, 1, "a", &prev);
	CHECK(prev == 1 * MS && counts_agree(t));
	table_remove(t, e);
	CHECK(table_count(t) == 0 && table_history_count(t) == 1 && counts_agree(t));
	CHECK_STR(tcp_state_name(TS_ESTABLISHED), "ESTABLISHED");
	CHECK_STR(tcp_state_name(TS_NEW_SYN_RECV), "NEW_SYN_RECV");
	CHECK_STR(tcp_state_name(200), "?");
	CHECK(tcp_state_parse("est") == TS_ESTABLISHED);
	CHECK(tcp_state_parse("TIME_WAIT") == TS_TIME_WAIT);
	CHECK(tcp_state_parse("listen") == TS_LISTEN);
	CHECK(tcp_state_parse("") == -1 && tcp_state_parse("bogus") == -1);
	table_free(t);
}

int main(void)
{
	RUN(test_active_close);
	RUN(test_passive_close);
	RUN(test_rst_close);
	RUN(test_reuse);
	RUN(test_displaced_key_clash);
	RUN(test_missed_close);
	RUN(test_out_of_order);
	RUN(test_gap);
	RUN(test_other_endpoints);
	RUN(test_timewait_reused);
	RUN(test_netns_key);
	RUN(test_timewait_expires);
	RUN(test_timewait_tuple_changed);
	RUN(test_after_close);
	RUN(test_timestamp_jump);
	RUN(test_linger_expire);
	RUN(test_expire_out_of_order);
	RUN(test_change_log);
	RUN(test_history_bound);
	RUN(test_max_socks);
	RUN(test_transition_bound);
	RUN(test_owner_context);
	RUN(test_upsert_remove_names);
	CHECK_EXIT();
}
