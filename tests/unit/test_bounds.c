// SPDX-License-Identifier: GPL-2.0
/* Every table keyed by what processes or the kernel control has a bound
 * and counts what the bound refused: per-process counts, the listener
 * index, a socket's holders, the cgroup-name cache; idle processes are
 * forgotten whether or not the Processes pane is shown. */
#include <string.h>
#include <sys/socket.h>

#include "app.h"
#include "check.h"
#include "listeners.h"
#include "procinfo.h"
#include "procs.h"
#include "table.h"

#define S (1000000000ULL)

static struct event bind_ev(uint32_t pid, uint64_t ts)
{
	struct event e = { .kind = EV_BIND, .ts_ns = ts, .pid = pid, .family = AF_INET,
			   .protocol = 6 };

	strcpy(e.comm, "binder");
	return e;
}

static void test_procs_cap(void)
{
	struct procs *p = procs_new(false);
	struct procs_bounds b;
	struct event e;

	for (uint32_t pid = 1; pid <= PROCS_MAX_STATS + 10; pid++) {
		e = bind_ev(pid, 1 * S);
		procs_count(p, &e);
	}
	procs_bounds(p, &b);
	CHECK(b.nstats == PROCS_MAX_STATS && b.stats_dropped == 10);
	procs_free(p);
}

/* Idle a minute, holding nothing: forgotten by procs_expire alone. */
static void test_procs_expire_without_pane(void)
{
	struct table_limits lim = { 0 };
	struct table *t = table_new(&lim);
	struct procs *p = procs_new(false);
	struct procs_bounds b;
	struct event e;

	for (uint32_t pid = 1; pid <= 100; pid++) {
		e = bind_ev(pid, 1 * S);
		procs_count(p, &e);
	}
	e = bind_ev(500, 60 * S); /* still busy */
	procs_count(p, &e);
	procs_expire(p, t, 30 * S);
	procs_bounds(p, &b);
	CHECK(b.nstats == 101);
	procs_expire(p, t, 35 * S); /* not yet: at most every PROCS_EXPIRE_NS */
	procs_expire(p, t, 90 * S);
	procs_bounds(p, &b);
	CHECK(b.nstats == 1);
	procs_free(p);
	table_free(t);
}

static void test_listeners_crowded(void)
{
	struct listeners *l = listeners_new();
	struct listen_owner o = { .pid = 7 }, out;

	for (uint64_t sk = 1; sk <= 8; sk++)
		listeners_add(l, sk, 0, 80, &o); /* one process, eight sockets */
	CHECK(listeners_owner(l, 0, 80, &out) && out.pid == 7 && listeners_dropped(l) == 0);
	listeners_add(l, 9, 0, 80, &o);
	CHECK(listeners_dropped(l) == 1);
	CHECK(!listeners_owner(l, 0, 80, &out)); /* not all known: no guess */
	listeners_free(l);
}

static void test_cgroup_names_flush(void)
{
	struct cg_names *c = cg_names_new();
	const char *n = NULL;

	for (uint64_t id = 2; id < 2 + 4096 + 1; id++)
		n = cg_names_get(c, id, false);
	CHECK(n && !strcmp(n, "#4098"));
	CHECK(cg_names_flushes(c) == 1);
	CHECK(!strcmp(cg_names_get(c, 4098, false), "#4098"));
	cg_names_free(c);
}

static void test_holders_bound(void)
{
	struct table_limits lim = { 0 };
	struct opts o = { .uid = -1 };
	struct app a = { .opts = &o };
	struct event s = { .kind = EV_SNAP_SOCK, .ts_ns = 1 * S, .skaddr = 0x100,
			   .family = AF_INET, .newstate = TS_LISTEN, .lport = 80,
			   .flags = SNAP_STARTUP };
	struct event h = s;
	struct sock_entry *e;

	model_init(&a.model, &lim);
	app_on_event(&a, &s);
	h.kind = EV_SNAP_OWNER;
	for (int i = 0; i < TABLE_MAX_OWNERS + 3; i++) {
		h.pid = 100 + (uint32_t)i;
		h.ret = 3;
		app_on_event(&a, &h);
	}
	e = table_find(a.model.table, 0x100);
	CHECK(e && e->nowners == TABLE_MAX_OWNERS && (e->flags & SOCK_OWNERS_FULL));
	CHECK(a.model.owners_dropped == 1); /* one socket, counted once */
	model_free(&a.model);
}

/* At its cap the table keeps taking new sockets, each eviction looking
 * at a few of the oldest entries only (a whole-table walk per socket would
 * make this loop take minutes). */
static void test_table_full_churn(void)
{
	struct table_limits lim = { .max_socks = 50000, .max_history = 100 };
	struct table *t = table_new(&lim);
	uint64_t prev;

	for (uint64_t i = 0; i < 150000; i++) {
		struct event e = { .kind = EV_STATE, .ts_ns = (i + 1) * 1000, .skaddr = 0x1000 + i * 64,
				   .family = AF_INET, .oldstate = TS_CLOSE, .newstate = TS_SYN_SENT,
				   .lport = 40000, .rport = 80 };

		table_apply(t, &e, &prev);
	}
	CHECK(table_count(t) == 50000 && table_stats(t)->evicted == 100000);
	CHECK(table_history_count(t) == 100 && table_stats(t)->history_dropped == 100000 - 100);
	/* the oldest went first */
	CHECK(!table_find(t, 0x1000) && table_find(t, 0x1000 + 149999 * 64));
	table_free(t);
}

int main(void)
{
	RUN(test_procs_cap);
	RUN(test_procs_expire_without_pane);
	RUN(test_listeners_crowded);
	RUN(test_cgroup_names_flush);
	RUN(test_holders_bound);
	RUN(test_table_full_churn);
	CHECK_EXIT();
}
