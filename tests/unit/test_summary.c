// SPDX-License-Identifier: GPL-2.0
/*
 * The exit summary: the bounds line, row by row, with each bound's size,
 * cap and what it pushed out; the lifecycles line only when the table
 * inferred something, its last row after a semicolon; the resync line
 * only after a pass.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_fix.h"
#include "check.h"
#include "summary.h"

#define S 1000000000ULL

static char *capture(void (*fn)(const struct app *, FILE *), const struct app *a)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	fn(a, f);
	fclose(f);
	return text;
}

static void state(struct fix *f, uint64_t ts, uint64_t sk, uint8_t from, uint8_t to)
{
	struct event ev = { .kind = EV_STATE,
			    .ts_ns = ts,
			    .skaddr = sk,
			    .family = 2,
			    .lport = 80,
			    .rport = 5000,
			    .oldstate = from,
			    .newstate = to };

	app_on_event(&f->a, &ev);
}

static void test_bounds(void)
{
	struct fix f;
	char *s;

	fix_init(&f, 0);
	state(&f, 1 * S, 0x100, TS_CLOSE, TS_SYN_SENT);
	state(&f, 2 * S, 0x200, TS_CLOSE, TS_LISTEN);
	f.a.map_full = 3;
	f.a.log.head = APP_LOG_LINES + 5;
	s = capture(summary_bounds, &f.a);
	CHECK(s);
	if (s)
		CHECK_STR(
			s,
			"socktop: bounds: sockets 2 of 1000000 (0 evicted, 0 no memory), "
			"history 0 of 10000 (0 dropped), 0 transitions, 0 task names and "
			"0 holders not kept, processes 0 of 65536 (0 not counted), 0 listeners not "
			"indexed, binds log 0 dropped, bind counts 0 dropped, cgroup names "
			"flushed 0 times, kernel tables full 3 times, log 5 lines dropped\n");
	free(s);
	fix_free(&f);
}

static void test_lifecycles(void)
{
	struct fix f;
	char *s;

	fix_init(&f, 0);
	state(&f, 1 * S, 0x100, TS_CLOSE, TS_SYN_SENT);
	s = capture(summary_lifecycles, &f.a);
	CHECK(s && !s[0]); /* nothing inferred: no line */
	free(s);
	/* ESTABLISHED -> FIN_WAIT1 on a socket last seen in SYN_SENT: a gap */
	state(&f, 2 * S, 0x100, TS_ESTABLISHED, TS_FIN_WAIT1);
	s = capture(summary_lifecycles, &f.a);
	CHECK(s);
	if (s)
		CHECK_STR(s, "socktop: lifecycles: 1 transitions from a state not seen entered "
			     "(time in it unknown), 0 new on a known address (other endpoints), 0 "
			     "stamps older than the last, 0 TIME_WAIT ended by reuse, 0 by age; 0 "
			     "pids taken by a new process\n");
	free(s);
	fix_free(&f);
}

static void test_resync_line(void)
{
	struct fix f;
	struct event end = { .kind = EV_SNAP_END, .ts_ns = 5 * S, .flags = SNAP_RESYNC, .aux = 1 };
	struct event sock = { .kind = EV_SNAP_SOCK,
			      .ts_ns = 5 * S,
			      .skaddr = 0x300,
			      .family = 2,
			      .lport = 22,
			      .newstate = TS_LISTEN,
			      .flags = SNAP_RESYNC };
	char *s;

	fix_init(&f, 0);
	s = capture(summary_print, &f.a);
	CHECK(s && !strstr(s, "resync:") && strstr(s, "socktop: 0 events received + 0 lost"));
	free(s);
	app_on_event(&f.a, &sock);
	app_on_event(&f.a, &end);
	s = capture(summary_print, &f.a);
	CHECK(s && strstr(s, "\nsocktop: resync: 1 passes (0 failed), 1 repaired (1 added, 0 "
			     "closed, 0 state fixed), 0 TIME_WAIT found; last 1 sockets in 0.0 "
			     "ms (0.0 ms walking the kernel), max 0.0 ms\n"));
	free(s);
	fix_free(&f);
}

int main(void)
{
	RUN(test_bounds);
	RUN(test_lifecycles);
	RUN(test_resync_line);
	CHECK_EXIT();
}
