// SPDX-License-Identifier: GPL-2.0
/*
 * What the traffic pull costs (root, live BPF): holds N loopback
 * connections (2N sockets; holder processes of 9000 on ports PORT..,
 * under the fd limit), loads the
 * capture (states and traffic), then times PASSES iter/tcp passes applied
 * to the model as socktop applies them: idle (no counter moved: the pass
 * visits every socket and sends nothing) and moving (one byte written on
 * every connection before each pass: every socket is sent). The pass
 * visits every TCP socket of the namespace, whatever the filter. With
 * HOLD > 0 it then holds the connections HOLD seconds, idle, for a
 * measurement of the UI beside it (tests/bench/traffic.sh).
 *
 * usage: bench_traffic N [PORT] [PASSES] [HOLD]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app.h"
#include "binds.h"
#include "loader.h"
#include "loop.h"
#include "procs.h"
#include "table.h"
#include "traffic.h"

#define PER_CHILD 9000 /* pairs a holder keeps: 18000 fds, under a 20000 limit */

static void sink(void *ctx, const struct event *ev)
{
	app_on_event(ctx, ev);
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

/* n connected pairs on 127.0.0.1:port; fds[0] the listener */
static int hold(int n, int port, int *fds)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int one = 1, l = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(l, (struct sockaddr *)&sa, sizeof(sa)) || listen(l, 4096))
		return -errno;
	fds[0] = l;
	for (int i = 0; i < n; i++) {
		int c = socket(AF_INET, SOCK_STREAM, 0);

		if (c < 0 || connect(c, (struct sockaddr *)&sa, sizeof(sa)))
			return -errno;
		fds[1 + 2 * i] = c;
		fds[2 + 2 * i] = accept(l, NULL, NULL);
		if (fds[2 + 2 * i] < 0)
			return -errno;
	}
	return 0;
}

/* one byte each way on every connection: every socket's counters move */
static int nudge(int *fds, int n)
{
	char b = 'x';

	for (int i = 1; i < 1 + 2 * n; i++)
		if (write(fds[i], &b, 1) != 1)
			return -errno;
	for (int i = 1; i < 1 + 2 * n; i++)
		if (read(fds[i], &b, 1) != 1)
			return -errno;
	return 0;
}

/* A holder process (the fd limit caps one process's sockets): holds its
 * pairs, answers each byte on cmd by a nudge and a byte on done, ends
 * when cmd closes. */
struct holder {
	pid_t pid;
	int cmd, done;
};

static int holder_start(struct holder *h, int n, int port, struct holder *older, int nolder)
{
	int c[2], d[2];
	struct rlimit rl = { (rlim_t)(2 * n + 64), (rlim_t)(2 * n + 64) };

	if (pipe(c) || pipe(d))
		return -errno;
	h->pid = fork();
	if (h->pid < 0)
		return -errno;
	if (!h->pid) {
		int *fds = calloc((size_t)(2 * n + 1), sizeof(*fds));
		char b = 0;

		close(c[1]);
		close(d[0]);
		/* not the older holders' pipes: each must see its own end */
		for (int i = 0; i < nolder; i++) {
			close(older[i].cmd);
			close(older[i].done);
		}
		if (!fds || setrlimit(RLIMIT_NOFILE, &rl) || hold(n, port, fds))
			_exit(1);
		if (write(d[1], &b, 1) != 1)
			_exit(1);
		while (read(c[0], &b, 1) == 1)
			if (nudge(fds, n) || write(d[1], &b, 1) != 1)
				_exit(1);
		_exit(0);
	}
	close(c[0]);
	close(d[1]);
	h->cmd = c[1];
	h->done = d[0];
	return 0;
}

static int holders_wait(struct holder *h, int nh)
{
	char b;

	for (int i = 0; i < nh; i++)
		if (read(h[i].done, &b, 1) != 1)
			return -EIO;
	return 0;
}

static int holders_nudge(struct holder *h, int nh)
{
	char b = 'n';

	for (int i = 0; i < nh; i++)
		if (write(h[i].cmd, &b, 1) != 1)
			return -EIO;
	return holders_wait(h, nh);
}

static long host_socks = -1;

static int passes_of(struct app *a, struct traffic *t, int passes, bool moving, struct holder *h,
		     int nh, const char *what)
{
	uint64_t *cost = calloc((size_t)passes, sizeof(*cost)), recs = 0;

	if (!cost)
		return -ENOMEM;
	for (int i = 0; i < passes; i++) {
		uint64_t t0;
		int got;

		if (moving && holders_nudge(h, nh)) {
			free(cost);
			return -EIO;
		}
		loader_drain(a->loader, 0);
		t0 = mono_now_ns();
		got = traffic_pull(t, NULL, sink, a);
		cost[i] = mono_now_ns() - t0;
		if (got < 0) {
			free(cost);
			return got;
		}
		recs += (uint64_t)got;
	}
	qsort(cost, (size_t)passes, sizeof(*cost), cmp_u64);
	printf("  %-8s median %.2f ms a pass (max %.2f), %.0f sockets sent a pass, %.0f ns for "
	       "each TCP socket of the host\n",
	       what, (double)cost[passes / 2] / 1e6, (double)cost[passes - 1] / 1e6,
	       (double)recs / passes,
	       (double)cost[passes / 2] / (double)(host_socks > 0 ? host_socks : 1));
	fflush(stdout);
	free(cost);
	return 0;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10000, port = argc > 2 ? atoi(argv[2]) : 23500;
	int passes = argc > 3 ? atoi(argv[3]) : 5, hold_s = argc > 4 ? atoi(argv[4]) : 0;
	int nh = (n + PER_CHILD - 1) / PER_CHILD, rc = 1;
	char err[512];
	char *av[] = { "bench_traffic", "--disable", "binds,connects,iters", NULL };
	struct table_limits lim = { 0 };
	struct holder *h;
	struct opts o;
	struct capture cap;
	struct app a = { .opts = &o };
	struct traffic *t;
	FILE *f;

	if (n < 1 || n > 500000 || port < 1 || port + nh > 65535 || passes < 1 || passes > 1000 ||
	    hold_s < 0) {
		fprintf(stderr, "usage: bench_traffic N [PORT] [PASSES] [HOLD]\n");
		return 2;
	}
	if (opts_parse(&o, 3, av)) {
		fprintf(stderr, "bench_traffic: setup: %s\n", strerror(errno));
		return 1;
	}
	h = calloc((size_t)nh, sizeof(*h));
	model_init(&a.model, &lim);
	a.procs = procs_new(true);
	a.binds = binds_new(0);
	if (!h || !a.model.table || !a.procs || !a.binds)
		goto out;
	for (int i = 0; i < nh; i++) {
		int k = i + 1 < nh ? PER_CHILD : n - PER_CHILD * (nh - 1);

		if (holder_start(&h[i], k, port + i, h, i)) {
			fprintf(stderr, "bench_traffic: holder: %s\n", strerror(errno));
			goto out;
		}
	}
	if (holders_wait(h, nh)) {
		fprintf(stderr, "bench_traffic: holding %d connections failed\n", n);
		goto out;
	}
	a.cap = &cap;
	a.loader = opts_capture(&o, &cap, err, sizeof(err)) ?
			   NULL :
			   loader_open(&cap, sink, &a, err, sizeof(err));
	if (!a.loader || !(t = loader_traffic(a.loader))) {
		fprintf(stderr, "bench_traffic: %s\n", a.loader ? "traffic feature off" : err);
		goto out;
	}
	a.start_ns = a.now_ns = mono_now_ns();
	f = popen("ss -Htan | wc -l", "r");
	if (f) {
		if (fscanf(f, "%ld", &host_socks) != 1)
			host_socks = -1;
		pclose(f);
	}
	printf("traffic pull: %d connections held (%d sockets), host %ld TCP sockets\n", n, 2 * n,
	       host_socks);
	/* the first pass sends every socket (nothing remembered yet) */
	if (passes_of(&a, t, 1, false, h, nh, "first:") ||
	    passes_of(&a, t, passes, false, h, nh, "idle:") ||
	    passes_of(&a, t, passes, true, h, nh, "moving:"))
		goto out;
	if (hold_s) {
		printf("holding %d s\n", hold_s);
		fflush(stdout);
		sleep((unsigned)hold_s);
	}
	rc = 0;
out:
	loader_close(a.loader);
	procs_free(a.procs);
	binds_free(a.binds);
	model_free(&a.model);
	for (int i = 0; h && i < nh; i++) {
		if (h[i].pid > 0) {
			close(h[i].cmd);
			close(h[i].done);
			waitpid(h[i].pid, NULL, 0);
		}
	}
	free(h);
	return rc;
}
