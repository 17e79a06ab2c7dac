// SPDX-License-Identifier: GPL-2.0
/*
 * What --metrics costs (no root): the counting each event pays, and one
 * scrape (metrics_render, text and OpenMetrics) over a table of N sockets
 * spread over 200 listening ports, 50 network namespaces and 300 cgroups,
 * as a busy host would give it. Prints figures: ns an event, and the
 * median and p95 ms and bytes of a scrape.
 *
 * usage: bench_metrics N [SCRAPES]
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "app.h"
#include "loop.h"
#include "metrics.h"
#include "model.h"
#include "procs.h"
#include "table.h"

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

static void feed(struct app *a, struct event *e)
{
	app_on_event(a, e);
}

/* N sockets: listeners first, then each connection's server end in a
 * state of the usual mix (most established, some closing) */
static void fill(struct app *a, uint32_t n)
{
	static const uint8_t mix[] = { TS_ESTABLISHED, TS_ESTABLISHED, TS_ESTABLISHED,
				       TS_ESTABLISHED, TS_CLOSE_WAIT,  TS_FIN_WAIT2 };
	struct event e = { .kind = EV_STATE, .family = AF_INET, .protocol = 6 };

	inet_pton(AF_INET, "127.0.0.1", e.saddr);
	inet_pton(AF_INET, "127.0.0.1", e.daddr);
	for (uint32_t i = 0; i < 200; i++) {
		e.ts_ns = 1000 + i;
		e.skaddr = 0xffff888000000000ULL + i * 64;
		e.lport = (uint16_t)(8000 + i);
		e.rport = 0;
		e.oldstate = TS_CLOSE;
		e.newstate = TS_LISTEN;
		e.netns = 4026531000u + i % 50;
		e.cgroup_id = 1000 + i % 300;
		feed(a, &e);
	}
	for (uint32_t i = 200; i < n; i++) {
		e.ts_ns = 1000 + i;
		e.skaddr = 0xffff888000000000ULL + (uint64_t)i * 64;
		e.lport = (uint16_t)(8000 + i % 200);
		e.rport = (uint16_t)(10000 + i % 50000);
		e.oldstate = TS_LISTEN;
		e.newstate = TS_SYN_RECV;
		e.netns = 4026531000u + i % 50;
		e.cgroup_id = 1000 + i % 300;
		feed(a, &e);
		e.oldstate = TS_SYN_RECV;
		e.newstate = mix[i % sizeof(mix)];
		feed(a, &e);
	}
}

static void scrape(struct app *a, bool om, int k)
{
	uint64_t *t = calloc((size_t)k, sizeof(*t));
	struct metrics_proc pr;
	size_t bytes = 0;

	if (!t)
		return;
	metrics_proc_read(&pr, 0);
	for (int i = 0; i < k; i++) {
		struct mbuf b = { 0 };
		uint64_t t0 = mono_now_ns();

		if (metrics_render(a->metrics, a, &pr, om, &b))
			fprintf(stderr, "bench_metrics: render failed\n");
		t[i] = mono_now_ns() - t0;
		bytes = b.len;
		mbuf_free(&b);
	}
	qsort(t, (size_t)k, sizeof(*t), cmp_u64);
	printf("  scrape %-11s median %7.2f ms  p95 %7.2f ms  %zu bytes\n",
	       om ? "OpenMetrics" : "text", (double)t[k / 2] / 1e6, (double)t[k * 95 / 100] / 1e6,
	       bytes);
	free(t);
}

int main(int argc, char **argv)
{
	uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 100000;
	int k = argc > 2 ? atoi(argv[2]) : 20;
	struct table_limits lim = { .max_socks = n + 1000 };
	struct opts o = { .uid = -1 };
	struct app a = { .opts = &o };
	struct event e = { .kind = EV_STATE,
			   .family = AF_INET,
			   .lport = 8000,
			   .rport = 9,
			   .oldstate = TS_ESTABLISHED,
			   .newstate = TS_ESTABLISHED };
	uint64_t t0, per_event;
	const int reps = 2000000;

	if (n < 300 || k < 1 || model_init(&a.model, &lim) || !(a.procs = procs_new(false)) ||
	    !(a.metrics = metrics_new())) {
		fprintf(stderr, "usage: bench_metrics N (>= 300) [SCRAPES]\n");
		return 2;
	}
	/* the counting alone, as app_on_event pays it per event */
	t0 = mono_now_ns();
	for (int i = 0; i < reps; i++) {
		e.oldstate = (uint8_t)(1 + i % 11);
		metrics_on_event(a.metrics, &e);
	}
	per_event = (mono_now_ns() - t0) * 1000 / reps;
	t0 = mono_now_ns();
	fill(&a, n);
	printf("--metrics with %u sockets (200 listening ports, 50 netns, 300 cgroups; table "
	       "filled in %.1f s)\n  counting: %.1f ns an event\n",
	       table_count(a.model.table), (double)(mono_now_ns() - t0) / 1e9,
	       (double)per_event / 1000);
	scrape(&a, false, k);
	scrape(&a, true, k);
	metrics_free(a.metrics);
	procs_free(a.procs);
	model_free(&a.model);
	return 0;
}
