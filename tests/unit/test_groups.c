// SPDX-License-Identifier: GPL-2.0
/* Groups: every grouping's rows against a plain count over the table
 * (thousands of groups, so the index grows and is rebuilt), and a second
 * rebuild after a change gives the same sums. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "check.h"
#include "columns.h"
#include "fmt.h"
#include "filter.h"
#include "groups.h"
#include "groups_order.h"
#include "sock_traffic.h"
#include "table.h"

#define NSOCKS 6000
#define NADDRS 3000

static void ev_state(struct table *t, uint64_t ts, uint64_t sk, int fam, const char *comm,
		     const char *dst, uint16_t lp, uint16_t rp, int o, int n)
{
	struct event ev = { .ts_ns = ts,
			    .skaddr = sk,
			    .pid = 100,
			    .kind = EV_STATE,
			    .family = (uint16_t)fam,
			    .lport = lp,
			    .rport = rp,
			    .oldstate = (uint8_t)o,
			    .newstate = (uint8_t)n };
	uint64_t prev;

	inet_pton(fam, fam == AF_INET ? "10.0.0.1" : "2001:db8::1", ev.saddr);
	inet_pton(fam, dst, ev.daddr);
	memcpy(ev.comm, comm, strnlen(comm, sizeof(ev.comm)));
	table_apply(t, &ev, &prev);
}

/* NSOCKS connections to NADDRS remote addresses (v4 and v6), five
 * remote ports; every 100th to the local service 8080, which listens. */
static struct table *fill(void)
{
	struct table_limits lim = { 0 };
	struct table *t = table_new(&lim);

	ev_state(t, 10, 0x10, AF_INET, "srv", "0.0.0.0", 8080, 0, TS_CLOSE, TS_LISTEN);
	for (int i = 0; i < NSOCKS; i++) {
		int a = i % NADDRS, fam = a % 2 ? AF_INET6 : AF_INET;
		uint16_t lp = i % 100 ? (uint16_t)(40000 + i % 20000) : 8080;
		uint64_t sk = 0x1000 + (uint64_t)i * 64;
		char dst[64];

		if (fam == AF_INET)
			snprintf(dst, sizeof(dst), "192.168.%d.%d", a / 200, a % 200);
		else
			snprintf(dst, sizeof(dst), "2001:db8:1::%x", a);
		ev_state(t, 100 + (uint64_t)i, sk, fam, "cli", dst, lp, (uint16_t)(80 + i % 5),
			 TS_CLOSE, TS_SYN_SENT);
		ev_state(t, 20000 + (uint64_t)i, sk, fam, "", dst, lp, (uint16_t)(80 + i % 5),
			 TS_SYN_SENT, i % 7 ? TS_ESTABLISHED : TS_CLOSE_WAIT);
	}
	return t;
}

/* The plain rule: which sockets a row counts (groups.h) */
static bool counts_in(const struct sock_entry *e, enum group_by by, const struct group_row *r)
{
	bool passive = (e->flags & SOCK_PASSIVE) || e->lport == 8080;

	if (e->state == TS_LISTEN || e->state == TS_CLOSE || (e->flags & SOCK_CLOSED) ||
	    e->family != r->family || e->netns != r->netns)
		return false;
	switch (by) {
	case GROUP_RADDR: return !memcmp(e->daddr, r->addr, sizeof(r->addr));
	case GROUP_RPORT: return !passive && e->rport && e->rport == r->port;
	case GROUP_SERVICE: return passive && e->lport == r->port;
	default: return false;
	}
}

/* Distinct remote addresses among a row's sockets, the plain way. */
static uint32_t peers_of(const struct table *t, enum group_by by, const struct group_row *r)
{
	uint32_t n = 0;

	for (const struct sock_entry *e = table_first(t); e; e = table_next(e)) {
		bool seen = false;

		if (!counts_in(e, by, r))
			continue;
		for (const struct sock_entry *o = table_first(t); o != e && !seen;
		     o = table_next(o))
			seen = counts_in(o, by, r) && !memcmp(o->daddr, e->daddr, sizeof(e->daddr));
		n += !seen;
	}
	return n;
}

static void check_rows(struct groups *g, const struct table *t, enum group_by by, size_t want_rows)
{
	const struct group_row *rows;
	uint32_t sum = 0, counted = 0;
	size_t n;
	int bad = 0;

	CHECK(groups_rebuild(g, t, NULL, by, NULL, 0) == 0);
	rows = groups_rows(g, &n);
	CHECK(n == want_rows);
	for (size_t i = 0; i < n; i++) {
		uint32_t socks = 0, estab = 0;

		for (const struct sock_entry *e = table_first(t); e; e = table_next(e))
			if (counts_in(e, by, &rows[i])) {
				socks++;
				estab += e->state == TS_ESTABLISHED;
			}
		if (rows[i].nsocks != socks || rows[i].by_state[TS_ESTABLISHED] != estab) {
			if (bad++ < 5) /* the first few said */
				fprintf(stderr,
					"  by %d, row %zu: %u sockets (%u established), counted %u (%u)\n",
					by, i, rows[i].nsocks, rows[i].by_state[TS_ESTABLISHED],
					socks, estab);
		}
		sum += rows[i].nsocks;
		counted += socks;
		if (by != GROUP_RADDR && rows[i].peers != peers_of(t, by, &rows[i]) && bad++ < 5)
			fprintf(stderr, "  by %d, row %zu: %u peers, counted %u\n", by, i,
				rows[i].peers, peers_of(t, by, &rows[i]));
		if (by == GROUP_SERVICE)
			CHECK_STR(rows[i].comm, "srv");
	}
	CHECK(bad == 0);
	/* each socket in one row at most: no group split in two */
	CHECK(sum == counted);
}

static void test_groups_counted(void)
{
	struct table *t = fill();
	struct groups *g = groups_new();

	CHECK(t && g);
	check_rows(g, t, GROUP_RADDR, NADDRS);
	check_rows(g, t, GROUP_RPORT, 10); /* five ports, two families */
	check_rows(g, t, GROUP_SERVICE, 1);
	/* more sockets to the same addresses: the rows are rebuilt */
	for (int i = 0; i < 50; i++) {
		char dst[64];

		snprintf(dst, sizeof(dst), "192.168.0.%d", 2 * i);
		ev_state(t, 90000 + (uint64_t)i, 0x900000 + (uint64_t)i * 64, AF_INET, "late", dst,
			 50000, 443, TS_CLOSE, TS_SYN_SENT);
	}
	check_rows(g, t, GROUP_RADDR, NADDRS);
	check_rows(g, t, GROUP_RPORT, 11);
	groups_free(g);
	table_free(t);
}

/* The pane's order, the plain way: the sort column (desc flips it),
 * then the key column, then the namespace, the family, then the rows'
 * own order. */
static int plain_cmp(const struct group_row *rows, enum group_by by, int sort, bool desc,
		     uint32_t a, uint32_t b)
{
	const struct column *cols = groups_cols[by].col;
	int c = cols[sort].cmp(&rows[a], &rows[b]);

	if (c)
		return desc ? -c : c;
	c = cols[GC_KEY].cmp(&rows[a], &rows[b]);
	if (c)
		return c;
	if (rows[a].netns != rows[b].netns)
		return rows[a].netns < rows[b].netns ? -1 : 1;
	if (rows[a].family != rows[b].family)
		return rows[a].family < rows[b].family ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* groups_order against that, every grouping, column and direction, on
 * rows with many ties (few distinct counts, both families at one port,
 * namespaces, big byte counts) */
static void test_groups_order(void)
{
	enum { N = 3000 };
	struct group_row *rows = calloc(N, sizeof(*rows));
	uint32_t *order = malloc(N * sizeof(*order));
	uint32_t x = 99;

	CHECK(rows && order);
	for (int i = 0; rows && order && i < N; i++) {
		struct group_row *r = &rows[i];

		x = x * 1103515245 + 12345;
		r->netns = x % 3 ? 4026531840u : 4026532000u + x % 2;
		r->family = x % 5 ? AF_INET : AF_INET6;
		r->port = (uint16_t)(80 + (x >> 8) % 4);
		r->addr[0] = r->family == AF_INET ? 10 : 0x20;
		r->addr[3] = (uint8_t)(x >> 12);
		if (r->family == AF_INET6) {
			r->addr[9] = (uint8_t)(x >> 20) % 3;
			r->addr[15] = (uint8_t)(x >> 16);
		}
		r->nsocks = 1 + (x >> 4) % 4;
		r->by_state[TS_ESTABLISHED] = r->nsocks - (x >> 6) % 2;
		r->by_state[TS_TIME_WAIT] = r->nsocks - r->by_state[TS_ESTABLISHED];
		r->peers = (x >> 9) % 3;
		r->tx = (uint64_t)(x >> 10) % 5 << 40;
		r->rx = (x >> 3) % 7;
		r->tx_rate = r->rx_rate = (x >> 5) % 2 ? ~0ULL : 0;
		r->retrans = (x >> 7) % 3;
	}
	for (int by = 0; rows && order && by < GROUP_MAX; by++)
		for (int sort = 0; sort < GC_MAX; sort++)
			for (int desc = 0; desc < 2; desc++) {
				int bad = 0;
				bool seen[N] = { false };

				CHECK(groups_order(rows, N, by, sort, desc, order) == 0);
				for (uint32_t i = 0; i < N; i++) {
					bad += order[i] >= N || seen[order[i]];
					if (order[i] < N)
						seen[order[i]] = true;
					if (i && plain_cmp(rows, by, sort, desc, order[i - 1],
							   order[i]) >= 0)
						bad++;
				}
				if (bad)
					fprintf(stderr, "  by %d, column %d %s: %d out of order\n",
						by, sort, desc ? "desc" : "asc", bad);
				CHECK(bad == 0);
			}
	CHECK(groups_order(rows, 0, GROUP_RADDR, GC_CONNS, true, order) == 0);
	free(rows);
	free(order);
}

/* The key column's width, counted for IPv4 without formatting, is the
 * length of the text the cell shows, octet by octet of every width. */
static void test_key_width(void)
{
	static const uint8_t octets[] = { 0, 7, 9, 10, 42, 99, 100, 199, 255 };
	struct group_row rows[2] = { { .family = AF_INET }, { .family = AF_INET6 } };
	int bad = 0;

	for (size_t i = 0; i < sizeof(octets) * sizeof(octets); i++) {
		char text[64];

		rows[0].addr[0] = octets[i % sizeof(octets)];
		rows[0].addr[1] = octets[i / sizeof(octets)];
		rows[0].addr[2] = octets[(i + 3) % sizeof(octets)];
		rows[0].addr[3] = octets[(i * 7) % sizeof(octets)];
		fmt_addr(text, sizeof(text), AF_INET, rows[0].addr);
		bad += groups_key_width(GROUP_RADDR, rows, 1) != (int)strlen(text);
	}
	CHECK(bad == 0);
	/* the widest of the rows: here the IPv6 one, formatted */
	inet_pton(AF_INET6, "2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff", rows[1].addr);
	CHECK(groups_key_width(GROUP_RADDR, rows, 2) == 38);
}

/* g and o (kept through the changes) against a count and a sort from
 * scratch: the same rows with sockets, the same sums, in the same order */
static int compare_fresh(struct groups *g, struct gorder *o, const struct table *t,
			 const struct traffic_state *ts, enum group_by by, const struct filter *f,
			 int sort, bool desc)
{
	struct groups *fresh = groups_new();
	const struct group_row *a, *b;
	uint32_t *ord;
	size_t na, nb;
	int bad = 0;

	while (groups_sync(g, t, ts, by, f, 1, 0) != 1)
		;
	CHECK(gorder_update(o, g, by, sort, desc, 0) == 1);
	CHECK(fresh && groups_rebuild(fresh, t, ts, by, f, 1) == 0);
	a = groups_rows(g, &na);
	b = groups_rows(fresh, &nb);
	ord = malloc((nb + 1) * sizeof(*ord));
	CHECK(ord && groups_order(b, nb, by, sort, desc, ord) == 0);
	CHECK(o->n == nb && groups_shown(g) == nb && groups_shown(fresh) == nb);
	for (size_t i = 0; i < nb && i < o->n; i++)
		if (memcmp(&a[o->ord[i]], &b[ord[i]], sizeof(*a)) && bad++ < 3)
			fprintf(stderr, "  by %d sort %d: row %zu differs (%u vs %u sockets)\n", by,
				sort, i, a[o->ord[i]].nsocks, b[ord[i]].nsocks);
	CHECK(groups_key_w(g) == groups_key_w(fresh));
	free(ord);
	groups_free(fresh);
	return bad;
}

static void ev_traffic(struct table *t, struct traffic_state *ts, uint64_t now, uint64_t sk,
		       uint64_t bytes, bool pass_end)
{
	struct event ev = { .ts_ns = now, .skaddr = sk, .kind = EV_TRAFFIC };
	struct sock_entry *e = table_find(t, sk);

	ev.tcpi.bytes_acked = bytes;
	ev.tcpi.bytes_received = bytes / 2;
	ev.tcpi.total_retrans = (uint32_t)(bytes % 3);
	if (e) {
		ev.family = e->family;
		ev.lport = e->lport;
		ev.rport = e->rport;
	}
	if (pass_end)
		ev.tcpi.tr_flags = TRAFFIC_PASS_END;
	if (traffic_apply(ts, t, e, &ev) && e)
		table_touch_entry(t, e);
	if (pass_end)
		traffic_settle(ts, t);
}

/* The rows kept from the change log while sockets are born, change
 * state, move bytes, close and leave (their addresses reused), listeners
 * come and go and the log overruns, counted in slices of a tiny budget
 * with changes between, are a count from scratch at every look. */
/* An established socket of the table goes to another state. */
static void ev_leave_established(struct table *t, uint64_t now, const struct sock_entry *e,
				 uint8_t newstate)
{
	struct event ev = { .ts_ns = now,
			    .skaddr = e->skaddr,
			    .kind = EV_STATE,
			    .family = e->family,
			    .lport = e->lport,
			    .rport = e->rport,
			    .oldstate = TS_ESTABLISHED,
			    .newstate = newstate };
	uint64_t prev;

	memcpy(ev.saddr, e->saddr, 16);
	memcpy(ev.daddr, e->daddr, 16);
	table_apply(t, &ev, &prev);
}

static void test_groups_kept(void)
{
	struct traffic_state ts = { 0 };
	struct filter estab;
	char err[128];
	int pos, bad = 0;
	uint32_t x = 7;
	uint64_t now = 100000, next_sk = 0x800000;

	CHECK(filter_parse(&estab, "state estab,close_wait", err, sizeof(err), &pos) == 0);
	for (int by = 0; by < GROUP_MAX; by++)
		for (int filt = 0; filt < 2; filt++) {
			struct table *t = fill();
			struct groups *g = groups_new();
			struct gorder o = { 0 };
			const struct filter *f = filt ? &estab : NULL;
			int sort = filt ? GC_TX : GC_CONNS;

			CHECK(t && g);
			for (int round = 0; round < 40; round++) {
				/* a few steps of the count, the sort, then changes */
				for (int k = 0; k < 3; k++) {
					if (groups_sync(g, t, &ts, by, f, 1, 1) == 1)
						gorder_update(&o, g, by, sort, true, 1);
				}
				for (int k = 0; k < (round == 20 ? 70000 : 60); k++) {
					uint64_t sk = 0x1000 + (uint64_t)(x % NSOCKS) * 64;
					struct sock_entry *e = table_find(t, sk);
					char dst[64];

					x = x * 1103515245 + 12345;
					now += 10;
					if (round == 20 && e) { /* the log overruns */
						table_touch_entry(t, e);
						continue;
					}
					switch ((x >> 16) % 5) {
					case 0: /* a new one to an address seen or not */
						snprintf(dst, sizeof(dst), "192.168.%u.%u",
							 (x >> 8) % 20, (x >> 4) % 250);
						ev_state(t, now, next_sk += 64, AF_INET, "new", dst,
							 (uint16_t)(30000 + x % 100),
							 (uint16_t)(80 + (x >> 3) % 7), TS_CLOSE,
							 TS_SYN_SENT);
						ev_state(t, now + 1, next_sk, AF_INET, "", dst,
							 (uint16_t)(30000 + x % 100),
							 (uint16_t)(80 + (x >> 3) % 7), TS_SYN_SENT,
							 TS_ESTABLISHED);
						break;
					case 1: /* one closes */
						if (e && e->state == TS_ESTABLISHED)
							ev_leave_established(t, now, e, TS_CLOSE);
						break;
					case 2: /* bytes move; now and then a pass ends */
						if (e)
							ev_traffic(t, &ts, now, sk,
								   (uint64_t)round * 1000 + x % 977,
								   !(x % 13));
						break;
					case 3: /* a state change */
						if (e && e->state == TS_ESTABLISHED)
							ev_leave_established(t, now, e,
									     TS_CLOSE_WAIT);
						break;
					default: /* closed ones leave: addresses reused */
						table_expire(t, now + 60ULL * 1000000000ULL);
						break;
					}
				}
				/* a listener on a port sockets use comes, then goes */
				if (round == 10)
					ev_state(t, now, 0x20, AF_INET, "late", "0.0.0.0", 30005, 0,
						 TS_CLOSE, TS_LISTEN);
				if (round == 30)
					ev_state(t, now, 0x20, AF_INET, "late", "0.0.0.0", 30005, 0,
						 TS_LISTEN, TS_CLOSE);
				if (round % 8 == 7)
					bad += compare_fresh(g, &o, t, &ts, by, f, sort, true);
			}
			bad += compare_fresh(g, &o, t, &ts, by, f, sort, true);
			/* another sort: from scratch, then kept */
			bad += compare_fresh(g, &o, t, &ts, by, f, GC_KEY, false);
			CHECK(groups_counts(g) >=
			      2); /* the overrun and the listeners counted again */
			gorder_free(&o);
			groups_free(g);
			table_free(t);
		}
	traffic_state_free(&ts);
	CHECK(bad == 0);
}

int main(void)
{
	RUN(test_groups_counted);
	RUN(test_groups_order);
	RUN(test_key_width);
	RUN(test_groups_kept);
	CHECK_EXIT();
}
