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
		     int fam, const char *src, uint16_t lp, const char *dst, uint16_t rp, int o,
		     int n)
{
	struct event ev = { .ts_ns = ts,
			    .skaddr = sk,
			    .pid = pid,
			    .kind = EV_STATE,
			    .family = (uint16_t)fam,
			    .lport = lp,
			    .rport = rp,
			    .oldstate = (uint8_t)o,
			    .newstate = (uint8_t)n };
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
		ev_state(t, 1000 + (uint64_t)(x % 5000), 0x1000 + (uint64_t)i * 64,
			 100 + (x >> 3) % 40, comms[(x >> 5) % 5], fam, src,
			 (uint16_t)(1000 + x % 7), dst, (uint16_t)(80 + (x >> 11) % 3), TS_CLOSE,
			 TS_SYN_SENT);
		if (x % 3)
			ev_state(t, 6000 + (uint64_t)(x % 777), 0x1000 + (uint64_t)i * 64, 0,
				 "swapper", fam, src, (uint16_t)(1000 + x % 7), dst,
				 (uint16_t)(80 + (x >> 11) % 3), TS_SYN_SENT,
				 x % 5 ? TS_ESTABLISHED : TS_CLOSE);
	}
	return t;
}

/* a comparison written the plain way, to check the radix sort against */
static int cmp_words(const struct table *t, const struct sock_entry *a, const struct sock_entry *b,
		     int col)
{
	uint64_t ka[COL_KEY_WORDS] = { 0 }, kb[COL_KEY_WORDS] = { 0 };

	col_key(&columns[col], t, a, ka);
	col_key(&columns[col], t, b, kb);
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
				int k = cmp_words(t, r.v[i - 1], r.v[i], c);

				if (d ? k <= 0 : k >= 0)
					bad++;
			}
			if (bad)
				fprintf(stderr, "  column %s %s: %d out of order\n",
					columns[c].title, d ? "desc" : "asc", bad);
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
		CHECK(strncmp(entry_comm(t, r.v[i - 1]), entry_comm(t, r.v[i]), 16) <= 0);
	CHECK(!strcmp(entry_comm(t, r.v[0]), "alpha"));
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
		CHECK(!strcmp(entry_comm(t, r.v[i]), "nginx") && r.v[i]->family == AF_INET);
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
	/* selected by key (as from another view): found at the next rebuild */
	{
		const struct sock_entry *e = r.v[r.n / 3];

		rows_select_key(&r, e->skaddr, e->serial);
		CHECK(rows_rebuild(&r, &src, &f) == 0);
		CHECK(rows_selected(&r) == e);
		sk = e->skaddr;
		serial = e->serial;
	}
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
	src = (struct rows_source){ .table = t, .frozen = copy, .nfrozen = 2 };
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
		struct event ev = { .ts_ns = ts + i,
				    .skaddr = e->skaddr,
				    .kind = EV_STATE,
				    .family = e->family,
				    .lport = e->lport,
				    .rport = e->rport,
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
				CHECK(filter_parse(&f, "state estab,syn_sent", err, sizeof(err),
						   &pos) == 0);
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
			/* a new socket: merged in from the table's log */
			q = a.full_builds;
			ev_state(t, 300000, 0x7, 9, "new", AF_INET, "1.2.3.4", 5, "5.6.7.8", 6,
				 TS_CLOSE, TS_SYN_SENT);
			CHECK(rows_rebuild(&a, &src, &f) == 0);
			CHECK(a.full_builds == q);
			rows_free(&b);
			rows_init(&b, cols[c], c % 2);
			CHECK(rows_rebuild(&b, &src, &f) == 0);
			CHECK(same_rows(&a, &b));
			rows_free(&a);
			rows_free(&b);
			table_free(t);
		}
	}
}

/* The rows a from-scratch build gives; a fresh rows each time. */
static bool matches_full(const struct rows *a, const struct rows_source *src,
			 const struct filter *f)
{
	struct rows b;
	bool same;

	rows_init(&b, a->sort_col, a->desc);
	same = rows_rebuild(&b, src, f) == 0 && same_rows(a, &b) && a->total == b.total;
	rows_free(&b);
	return same;
}

static uint32_t rnd(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* One random step of a busy host: births (some reusing a closed socket's
 * address), state changes, closes, owners changing, removals, expiry;
 * an owner change sometimes without naming the entry (touches). */
static void churn_step_opt(struct table *t, uint32_t *x, uint64_t *now, uint64_t *next_sk,
			   bool touches)
{
	static const char *const comms[] = { "nginx", "curl", "zeta", "alpha", "postgres" };
	uint32_t r = rnd(x), k = r % 100;
	struct sock_entry *e = NULL;
	uint32_t skip = rnd(x) % 64;
	char src[32], dst[32];

	*now += 1 + r % 1000;
	for (e = table_first(t); e && skip; e = table_next(e))
		skip--;
	snprintf(src, sizeof(src), "10.0.%u.%u", r % 3, (r >> 8) % 200);
	snprintf(dst, sizeof(dst), "192.168.%u.%u", (r >> 4) % 3, (r >> 12) % 200);
	if (k < 30 || !e) {
		/* born: a fresh address, or one of a closed socket */
		uint64_t sk = e && (e->flags & SOCK_CLOSED) && k < 5 ? e->skaddr : (*next_sk += 64);

		ev_state(t, *now, sk, 100 + r % 7, comms[(r >> 3) % 5], AF_INET, src,
			 (uint16_t)(1000 + r % 9), dst, (uint16_t)(80 + (r >> 9) % 3), TS_CLOSE,
			 k % 3 ? TS_SYN_SENT : TS_LISTEN);
	} else if (k < 60) {
		if (!(e->flags & SOCK_CLOSED))
			ev_state(t, *now - (r % 3 ? 0 : 5000), e->skaddr, 0, "", e->family, src,
				 e->lport, dst, e->rport, e->state,
				 e->state == TS_ESTABLISHED ? TS_FIN_WAIT1 : TS_ESTABLISHED);
	} else if (k < 80) {
		if (!(e->flags & SOCK_CLOSED))
			ev_state(t, *now, e->skaddr, 0, "", e->family, src, e->lport, dst, e->rport,
				 e->state, TS_CLOSE);
	} else if (k < 88) {
		/* an owner learnt from outside the table: named, or not */
		char name[EVENT_COMM_LEN] = { 0 };

		e->pid = 200 + r % 5;
		memcpy(name, comms[r % 5], strlen(comms[r % 5]));
		table_set_comm(t, e, name);
		if (k < 85 || !touches)
			table_touch_entry(t, e);
		else
			table_touch(t);
	} else if (k < 92) {
		table_remove(t, e);
	} else if (k < 95) {
		/* a resync corrects it: another state, or gone */
		table_repair_state(t, e, k < 94 ? TS_CLOSE_WAIT : TS_CLOSE, *now);
	} else {
		table_expire(t, *now);
	}
}

static void churn_step(struct table *t, uint32_t *x, uint64_t *now, uint64_t *next_sk)
{
	churn_step_opt(t, x, now, next_sk, true);
}

/* Quick builds from the change log give exactly the full build's rows,
 * under churn, with sort and filter changes, history, touches, pause, and
 * a log that overran; the selection stays on its socket while it lives. */
static void test_quick_matches_churn(void)
{
	/* the last three: the filter's tables (filter_table_new) */
	static const char *const filters[] = {
		"",	      "state estab,syn_sent", "port 80 comm a",
		"lport 1003", "port 0,80,1003",	      "state estab rport 0,80"
	};
	struct table_limits lim = { .max_history = 50, .linger_ns = 20000 };
	struct table *t = table_new(&lim);
	struct filter f = { 0 };
	struct rows a;
	struct rows_source src = { .table = t };
	uint64_t now = 1000, next_sk = 0x100000, quick = 0;
	uint32_t x = 777;
	char err[128];
	int pos, bad = 0;

	for (int i = 0; i < 400; i++)
		churn_step(t, &x, &now, &next_sk);
	rows_init(&a, COL_STATE, false);
	CHECK(rows_rebuild(&a, &src, &f) == 0);
	for (int round = 0; round < 600 && !bad; round++) {
		uint32_t r = rnd(&x);
		int steps = (int)(r % 40);
		const struct sock_entry *sel;
		uint64_t sel_sk, sel_serial, q = a.quick_builds;
		bool kept = true;

		/* as the UI does: select right after a rebuild, before events */
		if (r % 41 == 0)
			rows_select(&a, (int64_t)((r >> 6) % (a.n + 1)));
		sel = rows_selected(&a);
		sel_sk = sel ? sel->skaddr : 0;
		sel_serial = sel ? sel->serial : 0;

		if (round == 150 || round == 450)
			steps = 2 * TABLE_LOG_SIZE; /* more than the log holds */
		for (int i = 0; i < steps; i++)
			churn_step(t, &x, &now, &next_sk);
		if (r % 23 == 0)
			rows_sort_by(&a, (int)((r >> 8) % COL_MAX));
		if (r % 19 == 0)
			a.desc = !a.desc; /* I: the same rows reversed */
		if (r % 29 == 0)
			CHECK(filter_parse(
				      &f,
				      filters[(r >> 4) % (sizeof(filters) / sizeof(filters[0]))],
				      err, sizeof(err), &pos) == 0);
		if (r % 31 == 0)
			f.hide6 = !f.hide6;
		if (r % 37 == 0)
			src.history = !src.history;
		if (rows_rebuild(&a, &src, &f)) {
			bad++;
			break;
		}
		quick += a.quick_builds - q;
		if (!matches_full(&a, &src, &f)) {
			fprintf(stderr, "  round %d: quick rows differ from a full build\n", round);
			bad++;
		}
		/* the selected socket, if still shown, is still selected */
		if (sel) {
			for (uint32_t i = 0; i < a.n; i++)
				if (a.v[i]->skaddr == sel_sk && a.v[i]->serial == sel_serial)
					kept = rows_selected(&a) == a.v[i];
			if (!kept) {
				fprintf(stderr, "  round %d: selection moved\n", round);
				bad++;
			}
		}
	}
	CHECK(bad == 0);
	CHECK(quick > 300); /* most were quick */
	/* paused: a frozen copy, then live again */
	{
		uint32_t n = table_count(t);
		struct sock_entry *copy = malloc(((size_t)n + 1) * sizeof(*copy));
		struct rows_source fz = { .table = t, .frozen = copy };

		CHECK(copy != NULL);
		for (const struct sock_entry *e = table_first(t); copy && e; e = table_next(e))
			copy[fz.nfrozen++] = *e;
		CHECK(copy && rows_rebuild(&a, &fz, &f) == 0 && matches_full(&a, &fz, &f));
		CHECK(copy && rows_rebuild(&a, &fz, &f) == 0 && matches_full(&a, &fz, &f));
		for (int i = 0; i < 30; i++)
			churn_step(t, &x, &now, &next_sk);
		CHECK(rows_rebuild(&a, &src, &f) == 0 && matches_full(&a, &src, &f));
		free(copy);
	}
	rows_free(&a);
	table_free(t);
}

/* Clearing a filter puts back the order kept without it, brought up to
 * date with what changed while the filter was on (born, gone, changed,
 * a slot emptied and filled again), and gives a full build's rows; a
 * change the table did not name, or too many, sort again instead. */
static void test_filter_cleared_restores(void)
{
	static const int cols[] = { COL_STATE, COL_LOCAL, COL_AGE };
	struct table_limits lim = { .max_history = 50, .linger_ns = 20000 };
	char err[128];
	int pos;

	for (size_t c = 0; c < sizeof(cols) / sizeof(cols[0]); c++) {
		for (int steps = 0; steps <= 300; steps += 100) {
			struct table *t = table_new(&lim);
			struct filter none = { 0 }, f = { 0 };
			struct rows_source src = { .table = t };
			uint64_t now = 1000, next_sk = 0x100000, r0;
			uint32_t x = 4242 + (uint32_t)steps;
			struct rows a;

			for (int i = 0; i < 2000; i++)
				churn_step_opt(t, &x, &now, &next_sk, false);
			CHECK(filter_parse(&f, "port 80", err, sizeof(err), &pos) == 0);
			rows_init(&a, cols[c], c == 1);
			CHECK(rows_rebuild(&a, &src, &none) == 0);
			CHECK(rows_rebuild(&a, &src, &f) == 0 && matches_full(&a, &src, &f));
			/* churn while filtered, a frame at a time; the filter
			 * changed too: the kept order stays */
			for (int i = 0; i < steps; i++) {
				churn_step_opt(t, &x, &now, &next_sk, false);
				if (i % 10 == 0)
					CHECK(rows_rebuild(&a, &src, &f) == 0);
				if (i == 150)
					CHECK(filter_parse(&f, "state estab", err, sizeof(err),
							   &pos) == 0);
			}
			r0 = a.restores;
			CHECK(rows_rebuild(&a, &src, &none) == 0 && matches_full(&a, &src, &none));
			CHECK(a.restores == r0 + 1);
			CHECK(a.all_ord == NULL);
			/* once more, with a touch the table names no entry for */
			CHECK(rows_rebuild(&a, &src, &f) == 0 && a.all_ord != NULL);
			table_touch(t);
			r0 = a.restores;
			CHECK(rows_rebuild(&a, &src, &none) == 0 && matches_full(&a, &src, &none));
			CHECK(a.restores == r0);
			rows_free(&a);
			table_free(t);
		}
	}
}

/* A TIME_WAIT socket whose 4-tuple a new socket takes is forgotten by
 * the table (no history row): its row goes too, and nothing reads it. */
static void test_forgotten_leave(void)
{
	struct table_limits lim = { 0 };
	struct table *t = table_new(&lim);
	struct rows_source src = { .table = t };
	struct filter f = { 0 };
	struct rows r;

	rows_init(&r, COL_STATE, false);
	for (int i = 0; i < 40; i++)
		ev_state(t, 100 + (uint64_t)i, 0x9000 + (uint64_t)i * 64, 7, "web", AF_INET,
			 "10.0.0.1", (uint16_t)(2000 + i), "10.0.0.2", 80, TS_CLOSE, TS_SYN_SENT);
	ev_state(t, 200, 0x9000, 0, "", AF_INET, "10.0.0.1", 2000, "10.0.0.2", 80, TS_SYN_SENT,
		 TS_ESTABLISHED);
	ev_state(t, 201, 0x9000, 7, "web", AF_INET, "10.0.0.1", 2000, "10.0.0.2", 80,
		 TS_ESTABLISHED, TS_FIN_WAIT1);
	ev_state(t, 202, 0x9000, 0, "", AF_INET, "10.0.0.1", 2000, "10.0.0.2", 80, TS_FIN_WAIT1,
		 TS_FIN_WAIT2);
	ev_state(t, 203, 0x9000, 0, "", AF_INET, "10.0.0.1", 2000, "10.0.0.2", 80, TS_FIN_WAIT2,
		 TS_TIME_WAIT);
	CHECK(rows_rebuild(&r, &src, &f) == 0 && r.n == 40);
	/* a new socket elsewhere connects on the same 4-tuple */
	ev_state(t, 300, 0x20000, 8, "web", AF_INET, "10.0.0.1", 2000, "10.0.0.2", 80, TS_CLOSE,
		 TS_SYN_SENT);
	ev_state(t, 301, 0x20000, 0, "", AF_INET, "10.0.0.1", 2000, "10.0.0.2", 80, TS_SYN_SENT,
		 TS_ESTABLISHED);
	CHECK(table_stats(t)->tw_reused == 1 && table_count(t) == 40);
	CHECK(rows_rebuild(&r, &src, &f) == 0 && r.n == 40);
	CHECK(matches_full(&r, &src, &f));
	r.sort_col = COL_AGE; /* a new sort reads every row's entry */
	CHECK(rows_rebuild(&r, &src, &f) == 0 && r.n == 40 && matches_full(&r, &src, &f));
	rows_free(&r);
	table_free(t);
}

/* A re-sort handed to a worker (rows.h): the frame's page around the
 * selection, read before the worker is done, is the page of a sort from
 * scratch; a new sort key cancels a worker not done, a change of the
 * table waits for it, and the rows are then the full build's. The key
 * pass is shared by two threads (rows.c). */
static void test_resort_deferred(void)
{
	struct table *t = fill(3 * 16384 + 100); /* more than two chunks of the key pass */
	struct filter f = { 0 };
	struct rows a;
	struct rows_source src = { .table = t };
	uint32_t x = 4242;
	uint64_t now = 100000, next_sk = 0x9000000, deferred;

	rows_init(&a, COL_STATE, false);
	a.defer_min = 0; /* as many rows as a million would */
	CHECK(rows_rebuild(&a, &src, &f) == 0 && !a.job);
	for (int c = 0; c < 2 * COL_MAX; c++) {
		{
			/* every column in turn, twice, either way (each a new column:
			 * the same one inverted is the same rows reversed) */
			int d = (int)(rnd(&x) % 2);
			uint32_t h = 1 + rnd(&x) % 40, on_page;
			const struct sock_entry *sel;
			struct rows b;

			rows_select(&a, rnd(&x) % a.n);
			rows_scroll(&a, (int)h);
			sel = rows_selected(&a);
			if (rnd(&x) % 4 == 0)
				f.hide6 = !f.hide6; /* the filter changes in the same frame */
			if (f.hide6 && sel->family == AF_INET6)
				f.hide6 = false;
			deferred = a.deferred;
			a.sort_col = c % COL_MAX;
			a.desc = d;
			CHECK(rows_rebuild(&a, &src, &f) == 0);
			CHECK(a.job && a.deferred == deferred + 1);
			rows_init(&b, c % COL_MAX, d);
			CHECK(rows_rebuild(&b, &src, &f) == 0);
			CHECK(a.n == b.n && a.total == b.total);
			CHECK(rows_selected(&a) == sel && b.v[a.sel] == sel);
			rows_scroll(&a, (int)h);
			on_page = a.n - a.top < h ? a.n - a.top : h;
			rows_need(&a, a.top, on_page);
			CHECK(a.job != NULL); /* the page was there without the worker */
			for (uint32_t i = a.top; i < a.top + on_page; i++) {
				CHECK(rows_row(&a, i) == b.v[i]);
			}
			switch (rnd(&x) % 3) {
			case 0: {
				/* a row off the page: the worker is waited for */
				uint32_t far = (a.sel + a.n / 2) % a.n;

				rows_need(&a, far, 1);
				CHECK(!a.job && rows_row(&a, far) == b.v[far]);
				CHECK(same_rows(&a, &b));
				break;
			}
			case 1:
				/* the table changes: the next build waits, then moves
				 * only the rows that changed */
				for (int k = 0; k < 20; k++)
					churn_step(t, &x, &now, &next_sk);
				CHECK(rows_rebuild(&a, &src, &f) == 0 && !a.job);
				CHECK(matches_full(&a, &src, &f));
				break;
			default: break;
			}
			/* else left running: the next sort key cancels it */
			rows_free(&b);
		}
	}
	rows_finish(&a);
	CHECK(matches_full(&a, &src, &f));
	/* few rows: sorted in the frame */
	a.defer_min = 100000;
	rows_sort_by(&a, COL_PID);
	CHECK(rows_rebuild(&a, &src, &f) == 0 && !a.job);
	CHECK(matches_full(&a, &src, &f));
	rows_free(&a);
	table_free(t);
}

/* A re-sort in the frame the table changed in (the filter the same): the
 * slots the log named are filtered again by the pass that picks the page
 * (their keys made by the worker with the rest), so the rows counted, the
 * page and then every row are the full build's. Fails when the pass reads
 * those slots' old filter results. */
static void test_resort_deferred_changed(void)
{
	struct table *t = fill(2 * 16384 + 100);
	struct filter f;
	struct rows a;
	struct rows_source src = { .table = t };
	uint32_t x = 777, deferred = 0;
	uint64_t now = 100000, next_sk = 0x9000000;
	char err[128];
	int pos;

	CHECK(!filter_parse(&f, "state estab", err, sizeof(err), &pos));
	rows_init(&a, COL_STATE, false);
	a.defer_min = 0;
	CHECK(rows_rebuild(&a, &src, &f) == 0 && !a.job);
	for (int c = 0; c < 2 * COL_MAX; c++) {
		struct rows b;
		uint32_t h = 1 + rnd(&x) % 30, on_page;

		rows_select(&a, rnd(&x) % a.n);
		rows_scroll(&a, (int)h);
		for (int k = 0; k < 200; k++) /* names each change: no touch */
			churn_step_opt(t, &x, &now, &next_sk, false);
		a.sort_col = c % COL_MAX;
		a.desc = c / COL_MAX;
		CHECK(rows_rebuild(&a, &src, &f) == 0);
		rows_init(&b, a.sort_col, a.desc);
		CHECK(rows_rebuild(&b, &src, &f) == 0);
		CHECK(a.n == b.n && a.total == b.total);
		if (a.job) {
			deferred++;
			rows_scroll(&a, (int)h);
			on_page = a.n - a.top < h ? a.n - a.top : h;
			rows_need(&a, a.top, on_page);
			CHECK(a.job != NULL);
			for (uint32_t i = a.top; i < a.top + on_page; i++)
				CHECK(rows_row(&a, i) == b.v[i]);
		}
		rows_finish(&a);
		CHECK(same_rows(&a, &b));
		rows_free(&b);
	}
	CHECK(deferred > COL_MAX); /* most were handed over (else the test tests little) */
	rows_free(&a);
	table_free(t);
}

int main(void)
{
	RUN(test_sort_every_column);
	RUN(test_comm_order);
	RUN(test_filter_hides);
	RUN(test_selection_kept);
	RUN(test_history_and_frozen);
	RUN(test_quick_matches_full);
	RUN(test_quick_matches_churn);
	RUN(test_filter_cleared_restores);
	RUN(test_forgotten_leave);
	RUN(test_resort_deferred);
	RUN(test_resort_deferred_changed);
	CHECK_EXIT();
}
