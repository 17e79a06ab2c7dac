// SPDX-License-Identifier: GPL-2.0
/*
 * hold: open N loopback TCP connections and hold them (both ends: 2N
 * sockets, and the listener) until told to stop, for the million-socket
 * benchmark. Meant to run inside a network namespace of the benchmark's
 * own, so that its ports and addresses take nothing from the host: each
 * client binds its own source address and port (127.0.1.1 and up, ports
 * 1024-65535), so no 4-tuple is ever searched for. Only the client ends
 * are fds, spread over as many processes as the fd limit asks (a process
 * here may not raise its hard limit); the server ends wait in the
 * listener's accept queue, as a busy server's do (the benchmark raises
 * the namespace's somaxconn).
 *
 * usage: hold N [PORT]
 * prints "held N connections S sockets seconds T" once every connection
 * is open (S: both ends and the listener), then
 * waits for stdin to close (or SIGTERM) and exits, closing them all.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PORT_LO 1024
#define PORTS (65536 - PORT_LO)

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* connection i's client end: 127.0.1.1 + i / PORTS, port PORT_LO + i % PORTS */
static int connect_one(long i, const struct sockaddr_in *srv)
{
	struct sockaddr_in src = { .sin_family = AF_INET };
	int one = 1, c = socket(AF_INET, SOCK_STREAM, 0);

	if (c < 0)
		return -1;
	src.sin_addr.s_addr = htonl(0x7f000101u + (uint32_t)(i / PORTS));
	src.sin_port = htons((uint16_t)(PORT_LO + i % PORTS));
	setsockopt(c, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(c, (const struct sockaddr *)&src, sizeof(src)) ||
	    connect(c, (const struct sockaddr *)srv, sizeof(*srv))) {
		close(c);
		return -1;
	}
	return c;
}

static int worker(long first, long n, const struct sockaddr_in *srv)
{
	for (long i = first; i < first + n; i++) {
		if (connect_one(i, srv) < 0) {
			fprintf(stderr, "hold: connection %ld: %s\n", i, strerror(errno));
			return 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 0, per;
	int port = argc > 2 ? atoi(argv[2]) : 80, workers;
	struct sockaddr_in srv = { .sin_family = AF_INET };
	int one = 1, lfd, ready[2], failed = 0;
	struct rlimit rl;
	pid_t *pids;
	double t0 = now_s();
	char c;

	/* sources up to 127.0.1.1 + 254: 254 * PORTS connections */
	if (n <= 0 || n > 254L * PORTS || port <= 0 || port > 65535 || argc > 3) {
		fprintf(stderr, "usage: hold N [PORT]\n");
		return 2;
	}
	/* as many fds a process as its hard limit allows */
	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_max < 1024) {
		fprintf(stderr, "hold: the fd limit is too low\n");
		return 1;
	}
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl)) {
		fprintf(stderr, "hold: RLIMIT_NOFILE: %s\n", strerror(errno));
		return 1;
	}
	per = rl.rlim_max > 1000000 ? 1000000 : (long)rl.rlim_max - 64;
	workers = (int)((n + per - 1) / per);
	pids = calloc((size_t)workers, sizeof(*pids));
	if (!pids || pipe(ready)) {
		fprintf(stderr, "hold: %s\n", strerror(errno));
		return 1;
	}
	srv.sin_port = htons((uint16_t)port);
	srv.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(lfd, (struct sockaddr *)&srv, sizeof(srv)) ||
	    listen(lfd, n > 0x7fffffff ? 0x7fffffff : (int)n)) {
		fprintf(stderr, "hold: listen on %d: %s\n", port, strerror(errno));
		return 1;
	}
	for (int w = 0; w < workers; w++) {
		long first = n * w / workers, last = n * (w + 1) / workers;

		pids[w] = fork();
		if (pids[w] < 0) {
			fprintf(stderr, "hold: fork: %s\n", strerror(errno));
			return 1;
		}
		if (pids[w] == 0) {
			int rc;

			/* the benchmark's end, or its death, ends the hold */
			if (prctl(PR_SET_PDEATHSIG, SIGTERM) || getppid() == 1)
				_exit(1);
			close(ready[0]);
			rc = worker(first, last - first, &srv);
			c = (char)rc;
			if (write(ready[1], &c, 1) != 1)
				_exit(1);
			if (rc)
				_exit(rc);
			pause(); /* holding, until SIGTERM */
			_exit(0);
		}
	}
	close(ready[1]);
	for (int w = 0; w < workers; w++)
		if (read(ready[0], &c, 1) != 1 || c)
			failed = 1;
	if (!failed) {
		printf("held %ld connections %ld sockets seconds %.1f processes %d\n", n, 2 * n + 1,
		       now_s() - t0, workers);
		fflush(stdout);
		while (read(STDIN_FILENO, &c, 1) > 0) /* until stdin closes */
			;
	}
	for (int w = 0; w < workers; w++)
		kill(pids[w], SIGTERM);
	while (wait(NULL) > 0)
		;
	free(pids);
	return failed;
}
