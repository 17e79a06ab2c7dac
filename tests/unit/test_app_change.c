// SPDX-License-Identifier: GPL-2.0
/* The app's before_change hook: called before every model change, so a
 * re-sort's worker that reads the entries is joined before any of them
 * is written or freed. */
#include <sys/socket.h>

#include "app_fix.h"
#include "check.h"
#include "filter.h"
#include "rows.h"

#define S (1000000000ULL)

struct watch {
	struct app *a;
	struct rows *rows;
	uint32_t calls, count_then;
	bool job_then;
};

/* as the Connections view's: the worker ends before the change */
static void before(void *ctx)
{
	struct watch *w = ctx;

	w->calls++;
	w->count_then = table_count(w->a->model.table);
	w->job_then = w->rows->job != NULL;
	if (w->rows->job)
		rows_finish(w->rows);
}

static void born(struct fix *f, uint64_t sk, uint64_t ts)
{
	struct event e = { .kind = EV_STATE,
			   .ts_ns = ts,
			   .skaddr = sk,
			   .pid = 100,
			   .family = AF_INET,
			   .protocol = 6,
			   .oldstate = TS_CLOSE,
			   .newstate = TS_SYN_SENT,
			   .lport = (uint16_t)(1024 + sk % 60000),
			   .rport = 80 };

	e.saddr[0] = e.daddr[0] = 127;
	e.saddr[3] = e.daddr[3] = 1;
	app_on_event(&f->a, &e);
}

static void test_change_waits_for_worker(void)
{
	struct fix f;
	struct rows r;
	struct filter flt = { 0 };
	struct rows_source src;
	struct watch w = { 0 };
	uint32_t n = 3 * 16384;

	fix_init(&f, 0);
	for (uint32_t i = 0; i < n; i++)
		born(&f, 0x10000 + i, S + i);
	src = (struct rows_source){ .table = f.a.model.table };
	rows_init(&r, COL_STATE, false);
	r.defer_min = 0; /* a re-sort goes to the worker, as a million's would */
	CHECK(rows_rebuild(&r, &src, &flt) == 0);
	rows_select(&r, n / 2);
	rows_scroll(&r, 40);
	w.a = &f.a;
	w.rows = &r;
	f.a.before_change = before;
	f.a.before_change_ctx = &w;
	/* an event: the hook first, the table as it was */
	born(&f, 0x900000, 2 * S);
	CHECK(w.calls == 1 && w.count_then == n && table_count(f.a.model.table) == n + 1);
	/* a new sort column: the worker keys and sorts; the next event joins it */
	r.sort_col = COL_PID;
	CHECK(rows_rebuild(&r, &src, &flt) == 0 && r.job);
	born(&f, 0x900001, 3 * S);
	CHECK(w.calls == 2 && w.job_then && !r.job);
	/* expiry is a change too */
	CHECK(rows_rebuild(&r, &src, &flt) == 0);
	r.sort_col = COL_LOCAL;
	CHECK(rows_rebuild(&r, &src, &flt) == 0 && r.job);
	app_tick(&f.a, 4 * S);
	CHECK(w.calls == 3 && w.job_then && !r.job);
	rows_free(&r);
	fix_free(&f);
}

int main(void)
{
	RUN(test_change_waits_for_worker);
	CHECK_EXIT();
}
