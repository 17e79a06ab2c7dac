// SPDX-License-Identifier: GPL-2.0
/*
 * Load generator for the benchmark: opens and closes loopback TCP
 * connections as fast as the machine allows, for a given time, in one
 * worker process per CPU. Each worker owns LISTENERS listening ports (64
 * unless told) and rotates over them so TIME_WAIT never exhausts the
 * 4-tuples.
 *
 * usage: churn SECONDS [BASE_PORT] [WORKERS] [LISTENERS]
 * prints: "connections N seconds S rate R listeners L", then "cpu C"
 * C is the CPU seconds the workers used (their own, exact: loopback's
 * softirq work and tracers' BPF programs run in their context), which a
 * busy machine's other load disturbs far less than the rate.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LISTENERS_MAX 64

static int nlisteners = LISTENERS_MAX;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int listen_on(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 128)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* One worker: connect, accept, close both, as fast as possible. */
static long worker(double seconds, int base)
{
	int lfd[LISTENERS_MAX];
	struct sockaddr_in sa = { .sin_family = AF_INET };
	double end;
	long n = 0, fails = 0;

	for (int i = 0; i < nlisteners; i++) {
		lfd[i] = listen_on(base + i);
		if (lfd[i] < 0) {
			fprintf(stderr, "churn: listen on %d: %s\n", base + i, strerror(errno));
			return -1;
		}
	}
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	end = now_s() + seconds;
	for (int i = 0;; i = (i + 1) % nlisteners) {
		int c, a;

		if ((n & 255) == 0 && now_s() >= end)
			break;
		sa.sin_port = htons((uint16_t)(base + i));
		c = socket(AF_INET, SOCK_STREAM, 0);
		if (c < 0 || connect(c, (struct sockaddr *)&sa, sizeof(sa))) {
			if (c >= 0)
				close(c);
			if (++fails > 1000) {
				fprintf(stderr, "churn: connect: %s\n", strerror(errno));
				break;
			}
			continue;
		}
		a = accept(lfd[i], NULL, NULL);
		close(c); /* the client closes first: FIN_WAIT1/2 and TIME_WAIT */
		if (a >= 0)
			close(a);
		n++;
	}
	for (int i = 0; i < nlisteners; i++)
		close(lfd[i]);
	return n;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 5, t0;
	int base = argc > 2 ? atoi(argv[2]) : 28000;
	int workers = argc > 3 ? atoi(argv[3]) : (int)sysconf(_SC_NPROCESSORS_ONLN);
	int pipefd[2];
	long total = 0, cpu_ns = 0;

	if (argc > 4)
		nlisteners = atoi(argv[4]);
	if (seconds <= 0 || base <= 0 || workers < 1 || workers > 64 || nlisteners < 1 ||
	    nlisteners > LISTENERS_MAX || base + workers * nlisteners > 65535 || pipe(pipefd)) {
		fprintf(stderr, "usage: churn SECONDS [BASE_PORT] [WORKERS] [LISTENERS]\n");
		return 2;
	}
	t0 = now_s();
	for (int w = 0; w < workers; w++) {
		pid_t p = fork();

		if (p == 0) {
			long r[2]; /* connections, CPU ns */
			struct timespec cpu;

			/* a test that kills churn must not leave its load behind */
			if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() == 1)
				_exit(1);
			r[0] = worker(seconds, base + w * nlisteners);
			if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu))
				_exit(1);
			r[1] = (long)cpu.tv_sec * 1000000000L + cpu.tv_nsec;
			if (write(pipefd[1], r, sizeof(r)) != sizeof(r))
				_exit(1);
			_exit(r[0] < 0);
		}
	}
	close(pipefd[1]);
	for (int w = 0; w < workers; w++) {
		long r[2];

		if (read(pipefd[0], r, sizeof(r)) == sizeof(r) && r[0] > 0) {
			total += r[0];
			cpu_ns += r[1];
		}
	}
	while (wait(NULL) > 0)
		;
	t0 = now_s() - t0;
	printf("connections %ld seconds %.3f rate %.0f listeners %d\ncpu %.3f\n", total, t0,
	       (double)total / seconds, workers * nlisteners, (double)cpu_ns / 1e9);
	return 0;
}
