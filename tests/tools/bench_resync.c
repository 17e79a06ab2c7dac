// SPDX-License-Identifier: GPL-2.0
/*
 * What a resync pass costs (root, live BPF): holds N loopback connections
 * on PORT, loads the capture with -L PORT, takes the start-up snapshot,
 * then times PASSES resync passes (drain, iterator walk, apply) of each
 * kind: full (after lost events: sockets and holders) and sockets only (a
 * periodic pass finding nothing new skips the holders). The walks visit
 * every TCP socket (iter/tcp) and every open file (iter/task_file) on the
 * host, whatever the filter: the host's counts are printed with them;
 * iter/tcp is walked once in each network namespace (tests/bench/netns.sh
 * makes 20 of 1000 sockets each around it).
 *
 * usage: bench_resync N [PORT] [PASSES]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "app.h"
#include "binds.h"
#include "loader.h"
#include "loop.h"
#include "procs.h"
#include "resync.h"
#include "snapshot.h"
#include "table.h"

static void sink(void *ctx, const struct event *ev)
{
	app_on_event(ctx, ev);
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

/* listener + n connected pairs on 127.0.0.1:port; fds in out (2n + 1) */
static int hold(int n, int port, int *out)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int one = 1, l = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(l, (struct sockaddr *)&sa, sizeof(sa)) || listen(l, 4096))
		return -errno;
	out[0] = l;
	for (int i = 0; i < n; i++) {
		int c = socket(AF_INET, SOCK_STREAM, 0);

		if (c < 0 || connect(c, (struct sockaddr *)&sa, sizeof(sa)))
			return -errno;
		out[1 + 2 * i] = c;
		out[2 + 2 * i] = accept(l, NULL, NULL);
		if (out[2 + 2 * i] < 0)
			return -errno;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000, port = argc > 2 ? atoi(argv[2]) : 22098;
	int passes = argc > 3 ? atoi(argv[3]) : 5, rc = 1, *fds;
	char portarg[16], err[512];
	char *av[] = { "bench_resync", "-L", portarg, "--disable", "binds,connects", NULL };
	struct rlimit rl = { (rlim_t)(2 * n + 256), (rlim_t)(2 * n + 256) }, hard;
	struct table_limits lim = { 0 };
	struct opts o;
	struct capture cap;
	struct resync rs = { 0 };
	struct app a = { .opts = &o };
	uint64_t *cost, *walk;
	FILE *f;
	long host = -1, files = -1;

	if (n < 1 || n > 500000 || port < 1 || port > 65535 || passes < 1 || passes > 1000) {
		fprintf(stderr, "usage: bench_resync N [PORT] [PASSES]\n");
		return 2;
	}
	snprintf(portarg, sizeof(portarg), "%d", port);
	if (!getrlimit(RLIMIT_NOFILE, &hard) && hard.rlim_max != RLIM_INFINITY &&
	    rl.rlim_max > hard.rlim_max)
		rl.rlim_cur = rl.rlim_max = hard.rlim_max; /* enough or not: hold() says */
	if (opts_parse(&o, 5, av) || setrlimit(RLIMIT_NOFILE, &rl)) {
		fprintf(stderr, "bench_resync: setup: %s\n", strerror(errno));
		return 1;
	}
	fds = calloc((size_t)(2 * n + 1), sizeof(*fds));
	cost = calloc((size_t)passes, sizeof(*cost));
	walk = calloc((size_t)passes, sizeof(*walk));
	model_init(&a.model, &lim);
	a.procs = procs_new(true);
	a.binds = binds_new(0);
	if (!fds || !cost || !walk || !a.model.table || !a.procs || !a.binds)
		goto out;
	if ((rc = hold(n, port, fds))) {
		fprintf(stderr, "bench_resync: holding %d connections: %s\n", n, strerror(-rc));
		rc = 1;
		goto out;
	}
	rc = 1;
	a.cap = &cap;
	a.loader = opts_capture(&o, &cap, err, sizeof(err)) ? NULL :
						    loader_open(&cap, sink, &a, err, sizeof(err));
	if (!a.loader) {
		fprintf(stderr, "bench_resync: %s\n", err);
		goto out;
	}
	a.start_ns = a.now_ns = mono_now_ns();
	{
		struct resync_src src = { .loader = a.loader,
					  .model = &a.model,
					  .sink = sink,
					  .ctx = &a,
					  .start_ns = a.start_ns };

		resync_init(&rs, &src, 0);
		a.resync = &rs;
	}
	snapshot_startup(&a);
	f = popen("ss -Htan | wc -l; cat /proc/sys/fs/file-nr", "r");
	if (f) {
		if (fscanf(f, "%ld %ld", &host, &files) != 2)
			host = files = -1;
		pclose(f);
	}
	printf("resync: %d connections held, host %ld TCP sockets, %ld open files, %zu network "
	       "namespaces\n",
	       n, host, files, a.nsnames.n);
	for (int kind = 0; kind < 2; kind++) {
		for (int i = 0; i < passes; i++) {
			if (resync_run(&rs, kind == 0)) {
				fprintf(stderr, "bench_resync: resync failed\n");
				goto out;
			}
			cost[i] = rs.st.last_ns;
			walk[i] = rs.st.last_walk_ns;
		}
		qsort(cost, (size_t)passes, sizeof(*cost), cmp_u64);
		qsort(walk, (size_t)passes, sizeof(*walk), cmp_u64);
		printf("  %-14s %u sockets in the pass: median %.1f ms (walk %.1f ms), max %.1f "
		       "ms\n",
		       kind == 0 ? "full:" : "sockets only:", a.model.rc.st.last_socks,
		       (double)cost[passes / 2] / 1e6, (double)walk[passes / 2] / 1e6,
		       (double)cost[passes - 1] / 1e6);
	}
	printf("  repaired %llu (the table was right: 0 expected), holder walks %llu\n",
	       (unsigned long long)reconcile_repaired(&a.model.rc.st),
	       (unsigned long long)rs.st.owner_walks);
	rc = 0;
out:
	resync_free(&rs);
	loader_close(a.loader);
	procs_free(a.procs);
	binds_free(a.binds);
	model_free(&a.model);
	if (fds)
		for (int i = 0; i < 2 * n + 1; i++)
			if (fds[i] > 0)
				close(fds[i]);
	free(fds);
	free(cost);
	free(walk);
	return rc;
}
