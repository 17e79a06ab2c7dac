// SPDX-License-Identifier: GPL-2.0
/* Rows: filtering hides without dropping, every column sorts both ways
 * (checked against a plain comparison), selection kept across rebuilds,
 * history and frozen sources. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "check.h"
#include "filter.h"
#include "rows.h"
#include "table.h"

static void ev_state(struct table *t, uint64_t ts, uint64_t sk, uint32_t pid, const char *comm,
		     int fam, const char *src, uint16_t lp, const char *dst, uint16_t rp, int o, int n)
{
	struct event ev = { .ts_ns = ts, .skaddr = sk, .pid = pid, .kind = EV_STATE,
			    .family = (uint16_t)fam, .lport = lp, .rport = rp,
			    .oldstate = (uint8_t)o, .newstate = (uint8_t)n };
	uint64_t prev;

	inet_pton(fam, src, ev.saddr);
	inet_pton(fam, dst, ev.daddr);
	memcpy(ev.comm, comm, strnlen(comm, sizeof(ev.comm)));
	table_apply(t, &ev, &prev);
}

static struct table *fill(int n)
{
	struct table_limits lim = { 0 };
	struct table *t = table_new(&lim);
	static const char *const comms[] = { "nginx", "curl", "zeta", "alpha", "postgres" };
	uint32_t x = 12345;

	for (int i = 0; i < n; i++) {
		char src[64], dst[64];
		int fam = i % 4 == 0 ? AF_INET6 : AF_INET;

		x = x * 1103515245 + 12345;
		if (fam == AF_INET6) {
			snprintf(src, sizeof(src), "2001:db8::%x", x % 50);
			snprintf(dst, sizeof(dst), "2001:db8:1::%x", (x >> 8) % 50);
		} else {
			snprintf(src, sizeof(src), "10.0.%u.%u", (x >> 4) % 3, x % 200);
			snprintf(dst, sizeof(dst), "192.168.%u.%u", (x >> 9) % 3, (x >> 2) % 200);
		}
		ev_state(t, 1000 + (uint64_t)(x % 5000), 0x1000 + (uint64_t)i * 64, 100 + (x >> 3) % 40,
			 comms[(x >> 5) % 5], fam, src, (uint16_t)(1000 + x % 7), dst,
			 (uint16_t)(80 + (x >> 11) % 3), TS_CLOSE, TS_SYN_SENT);
		if (x % 3)
			ev_state(t, 6000 + (uint64_t)(x % 777), 0x1000 + (uint64_t)i * 64, 0, "swapper",
				 fam, src, (uint16_t)(1000 + x % 7), dst, (uint16_t)(80 + (x >> 11) % 3),
				 TS_SYN_SENT, x % 5 ? TS_ESTABLISHED : TS_CLOSE);
	}
	return t;
}

/* a comparison written the plain way, to check the radix sort against */
static int cmp_words(const struct sock_entry *a, const struct sock_entry *b, int col)
{
	uint64_t ka[COL_KEY_WORDS] = { 0 }, kb[COL_KEY_WORDS] = { 0 };

	columns[col].key(a, ka);
	columns[col].key(b, kb);
	for (int w = 0; w < COL_KEY_WORDS; w++)
		if (ka[w] != kb[w])
			return ka[w] < kb[w] ? -1 : 1;
	return a->serial < b->serial ? -1 : a->serial > b->serial;
}

static void test_sort_every_column(void)
{
	struct table *t = fill(3000);
	struct filter f = { 0 };
	struct rows r;
	struct rows_source src = { .table = t };

	rows_init(&r, COL_STATE, false);
	for (int c = 0; c < COL_MAX; c++) {
		for (int d = 0; d < 2; d++) {
			int bad = 0;

			r.sort_col = c;
			r.desc = d;
			CHECK(rows_rebuild(&r, &src, &f) == 0);
			CHECK(r.n == table_count(t));
			for (uint32_t i = 1; i < r.n; i++) {
				int k = cmp_words(r.v[i - 1], r.v[i], c);

				if (d ? k <= 0 : k >= 0)
					bad++;
			}
			if (bad)
				fprintf(stderr, "  column %s %s: %d out of order\n", columns[c].title,
					d ? "desc" : "asc", bad);
			CHECK(bad == 0);
		}
	}
	rows_free(&r);
	table_free(t);
}

static void test_comm_order(void)
{
	struct table *t = fill(50);
	struct filter f = { 0 };
	struct rows r;
	struct rows_source src = { .table = t };

	rows_init(&r, COL_COMM, false);
	CHECK(rows_rebuild(&r, &src, &f) == 0);
	for (uint32_t i = 1; i < r.n; i++)
		CHECK(strncmp(r.v[i - 1]->comm, r.v[i]->comm, 16) <= 0);
	CHECK(!strcmp(r.v[0]->comm, "alpha"));
	rows_free(&r);
	table_free(t);
}

static void test_filter_hides(void)
{
	struct table *t = fill(400);
	struct filter f = { 0 };
	struct rows r;
	struct rows_source src = { .table = t };
	char err[128];
	int pos;
	uint32_t all;

	rows_init(&r, COL_PID, false);
	CHECK(rows_rebuild(&r, &src, &f) == 0);
	all = r.n;
	f.hide6 = true;
	CHECK(rows_rebuild(&r, &src, &f) == 0);
	CHECK(r.n == all - 100);
	for (uint32_t i = 0; i < r.n; i++)
		CHECK(r.v[i]->family == AF_INET);
	CHECK(filter_parse(&f, "comm nginx", err, sizeof(err), &pos) == 0);
	CHECK(rows_rebuild(&r, &src, &f) == 0);
	CHECK(r.n > 0 && r.n < all);
	for (uint32_t i = 0; i < r.n; i++)
		CHECK(!strcmp(r.v[i]->comm, "nginx") && r.v[i]->family == AF_INET);
	CHECK(r.total == all);
	/* the table is untouched */
	CHECK(table_count(t) == all);
	f.hide6 = false;
	filter_clear(&f);
	CHECK(rows_rebuild(&r, &src, &f) == 0);
	CHECK(r.n == all);
	rows_free(&r);
	table_free(t);
}

static void test_selection_kept(void)
{
	struct table *t = fill(200);
	struct filter f = { 0 };
	struct rows r;
	struct rows_source src = { .table = t };
	uint64_t sk, serial;

	rows_init(&r, COL_PID, false);
	CHECK(rows_rebuild(&r, &src, &f) == 0);
	rows_select(&r, 37);
	sk = rows_selected(&r)->skaddr;
	serial = rows_selected(&r)->serial;
	rows_sort_by(&r, COL_LOCAL);
	CHECK(rows_rebuild(&r, &src, &f) == 0);
	CHECK(rows_selected(&r)->skaddr == sk && rows_selected(&r)->serial == serial);
	/* new sockets arrive in front of it: still the same one */
	ev_state(t, 1, 0x1, 1, "aaa", AF_INET, "0.0.0.0", 1, "0.0.0.0", 0, TS_CLOSE, TS_LISTEN);
	ev_state(t, 1, 0x2, 1, "aaa", AF_INET, "0.0.0.0", 2, "0.0.0.0", 0, TS_CLOSE, TS_LISTEN);
	CHECK(rows_rebuild(&r, &src, &f) == 0);
	CHECK(rows_selected(&r)->skaddr == sk && rows_selected(&r)->serial == serial);
	/* same column again flips the direction */
	rows_sort_by(&r, COL_LOCAL);
	CHECK(r.desc);
	CHECK(rows_rebuild(&r, &src, &f) == 0);
	CHECK(rows_selected(&r)->skaddr == sk);
	/* scrolling keeps the cursor in the window */
	rows_select(&r, 150);
	r.top = 0;
	rows_scroll(&r, 20);
	CHECK(r.top == 131);
	rows_select(&r, 5);
	rows_scroll(&r, 20);
	CHECK(r.top == 5);
	rows_free(&r);
	table_free(t);
}

static void test_history_and_frozen(void)
{
	struct table_limits lim = { .linger_ns = 10 };
	struct table *t = table_new(&lim);
	struct filter f = { 0 };
	struct rows r;
	struct rows_source src = { .table = t };
	struct sock_entry copy[2];

	ev_state(t, 100, 0xa, 5, "x", AF_INET, "1.1.1.1", 1, "2.2.2.2", 2, TS_CLOSE, TS_SYN_SENT);
	ev_state(t, 110, 0xa, 5, "x", AF_INET, "1.1.1.1", 1, "2.2.2.2", 2, TS_SYN_SENT, TS_CLOSE);
	ev_state(t, 120, 0xb, 6, "y", AF_INET, "1.1.1.1", 3, "2.2.2.2", 2, TS_CLOSE, TS_SYN_SENT);
	table_expire(t, 1000);
	rows_init(&r, COL_PID, false);
	CHECK(rows_rebuild(&r, &src, &f) == 0);
	CHECK(r.n == 1);
	src.history = true;
	CHECK(rows_rebuild(&r, &src, &f) == 0);
	CHECK(r.n == 2);
	CHECK(r.v[0]->pid == 5 && r.v[0]->state == TS_CLOSE);
	copy[0] = *r.v[0];
	copy[1] = *r.v[1];
	src = (struct rows_source){ .frozen = copy, .nfrozen = 2 };
	CHECK(rows_rebuild(&r, &src, &f) == 0);
	CHECK(r.n == 2 && r.v[0] == &copy[0]);
	rows_free(&r);
	table_free(t);
}

/* state changes on existing sockets (no socket created or retired) */
static void change_states(struct table *t, int every, uint64_t ts)
{
	uint32_t i = 0;

	for (struct sock_entry *e = table_first(t); e; e = table_next(e), i++) {
		struct event ev = { .ts_ns = ts + i, .skaddr = e->skaddr, .kind = EV_STATE,
				    .family = e->family, .lport = e->lport, .rport = e->rport,
				    .oldstate = e->state };
		uint64_t prev;

		if (i % (uint32_t)every || e->state == TS_CLOSE)
			continue;
		ev.newstate = e->state == TS_ESTABLISHED ? TS_CLOSE_WAIT : TS_ESTABLISHED;
		memcpy(ev.saddr, e->saddr, 16);
		memcpy(ev.daddr, e->daddr, 16);
		table_apply(t, &ev, &prev);
	}
}

static bool same_rows(const struct rows *a, const struct rows *b)
{
	if (a->n != b->n)
		return false;
	for (uint32_t i = 0; i < a->n; i++)
		if (a->v[i] != b->v[i])
			return false;
	return true;
}

static void test_quick_matches_full(void)
{
	static const int cols[] = { COL_STATE, COL_TIME, COL_PID, COL_LOCAL };
	char err[128];
	int pos;

	for (size_t c = 0; c < sizeof(cols) / sizeof(cols[0]); c++) {
		for (int filtered = 0; filtered < 2; filtered++) {
			struct table *t = fill(3000);
			struct filter f = { 0 };
			struct rows a, b;
			struct rows_source src = { .table = t };
			uint64_t q;

			if (filtered)
				CHECK(filter_parse(&f, "state estab,syn", err, sizeof(err), &pos) == 0);
			rows_init(&a, cols[c], c % 2);
			CHECK(rows_rebuild(&a, &src, &f) == 0);
			rows_select(&a, 17);
			/* a few changes: taken out and merged back */
			change_states(t, 97, 100000);
			q = a.quick_builds;
			CHECK(rows_rebuild(&a, &src, &f) == 0);
			CHECK(a.quick_builds == q + 1);
			rows_init(&b, cols[c], c % 2);
			CHECK(rows_rebuild(&b, &src, &f) == 0);
			CHECK(same_rows(&a, &b));
			/* nothing changed: same rows, still quick */
			CHECK(rows_rebuild(&a, &src, &f) == 0);
			CHECK(a.quick_builds == q + 2 && same_rows(&a, &b));
			/* many changes: sorted again, same result as from scratch */
			change_states(t, 2, 200000);
			CHECK(rows_rebuild(&a, &src, &f) == 0);
			rows_free(&b);
			rows_init(&b, cols[c], c % 2);
			CHECK(rows_rebuild(&b, &src, &f) == 0);
			CHECK(same_rows(&a, &b));
			/* a new socket: the set changed, full rebuild */
			q = a.full_builds;
			ev_state(t, 300000, 0x7, 9, "new", AF_INET, "1.2.3.4", 5, "5.6.7.8", 6, TS_CLOSE,
				 TS_SYN_SENT);
			CHECK(rows_rebuild(&a, &src, &f) == 0);
			CHECK(a.full_builds == q + 1);
			rows_free(&a);
			rows_free(&b);
			table_free(t);
		}
	}
}

int main(void)
{
	RUN(test_sort_every_column);
	RUN(test_comm_order);
	RUN(test_filter_hides);
	RUN(test_selection_kept);
	RUN(test_history_and_frozen);
	RUN(test_quick_matches_full);
	CHECK_EXIT();
}
