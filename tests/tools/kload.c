// SPDX-License-Identifier: GPL-2.0
/*
 * Loopback TCP load for the kernel matrix's guests (tests/kernels), where
 * there is no python: each mode makes real connections the smoke suite
 * then looks for in socktop's output.
 *
 * usage: kload conn [-6] PORT N    listen on PORT, connect N times (the
 *                                  client closes first), then close
 *        kload refuse [-6] PORT    one connect to PORT, nothing listening
 *        kload hold [-6] PORT SECS a listener and one connection held
 *                                  SECS seconds (for the snapshot)
 *        kload data [-6] PORT N    one connection: the client sends N
 *                                  bytes, the server N/4 back, then both
 *                                  close (for the traffic counters)
 * Exit status 0 when every call did what the mode says, 1 otherwise.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct addr {
	struct sockaddr_storage ss;
	socklen_t len;
	int family;
};

static void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void loopback(struct addr *a, int v6, int port)
{
	memset(a, 0, sizeof(*a));
	if (v6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&a->ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		s6->sin6_addr = in6addr_loopback;
		a->len = sizeof(*s6);
		a->family = AF_INET6;
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&a->ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		a->len = sizeof(*s4);
		a->family = AF_INET;
	}
}

static int listener(const struct addr *a)
{
	int one = 1, fd = socket(a->family, SOCK_STREAM, 0);

	if (fd < 0) {
		perror("kload: socket");
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (const struct sockaddr *)&a->ss, a->len) || listen(fd, 16)) {
		perror("kload: bind/listen");
		close(fd);
		return -1;
	}
	return fd;
}

/* connect to a; returns the fd, or -errno */
static int dial(const struct addr *a)
{
	int err, fd = socket(a->family, SOCK_STREAM, 0);

	if (fd < 0)
		return -errno;
	if (connect(fd, (const struct sockaddr *)&a->ss, a->len)) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

static int mode_conn(const struct addr *a, int n)
{
	int lfd = listener(a);

	if (lfd < 0)
		return 1;
	for (int i = 0; i < n; i++) {
		int c = dial(a), s;

		if (c < 0) {
			fprintf(stderr, "kload: connect: %s\n", strerror(-c));
			close(lfd);
			return 1;
		}
		s = accept(lfd, NULL, NULL);
		if (s < 0) {
			perror("kload: accept");
			close(c);
			close(lfd);
			return 1;
		}
		msleep(20);
		close(c);
		msleep(40);
		close(s);
	}
	close(lfd);
	msleep(200); /* the last FIN_WAIT2 -> CLOSE and LAST_ACK -> CLOSE */
	return 0;
}

static int mode_refuse(const struct addr *a)
{
	int fd = dial(a);

	if (fd >= 0) {
		fprintf(stderr, "kload: connect succeeded, wanted a refusal\n");
		close(fd);
		return 1;
	}
	if (fd != -ECONNREFUSED) {
		fprintf(stderr, "kload: connect: %s, wanted ECONNREFUSED\n", strerror(-fd));
		return 1;
	}
	return 0;
}

static int mode_hold(const struct addr *a, int secs)
{
	int lfd = listener(a), c, s = -1;

	if (lfd < 0)
		return 1;
	c = dial(a);
	if (c >= 0)
		s = accept(lfd, NULL, NULL);
	if (c < 0 || s < 0) {
		fprintf(stderr, "kload: hold: could not connect\n");
		return 1;
	}
	printf("held %d\n", (int)getpid());
	fflush(stdout);
	sleep((unsigned)secs);
	close(c);
	close(s);
	close(lfd);
	return 0;
}

/* write all n bytes of zeros, or read exactly n: 0 or -1 */
static int xfer(int fd, size_t n, int out)
{
	char buf[16384] = { 0 };

	while (n) {
		size_t k = n < sizeof(buf) ? n : sizeof(buf);
		ssize_t r = out ? write(fd, buf, k) : read(fd, buf, k);

		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			return -1;
		}
		n -= (size_t)r;
	}
	return 0;
}

static int mode_data(const struct addr *a, int n)
{
	int lfd = listener(a), c, s = -1, rc = 1;

	if (lfd < 0)
		return 1;
	c = dial(a);
	if (c >= 0)
		s = accept(lfd, NULL, NULL);
	/* n fits the socket buffers of loopback, so one thread can do both
	 * sides in turn */
	if (c >= 0 && s >= 0 && !xfer(c, (size_t)n, 1) && !xfer(s, (size_t)n, 0) &&
	    !xfer(s, (size_t)n / 4, 1) && !xfer(c, (size_t)n / 4, 0))
		rc = 0;
	else
		fprintf(stderr, "kload: data: %s\n", strerror(errno));
	msleep(20);
	if (c >= 0)
		close(c);
	msleep(40);
	if (s >= 0)
		close(s);
	close(lfd);
	msleep(200);
	return rc;
}

static int usage(void)
{
	fprintf(stderr, "usage: kload conn [-6] PORT N | refuse [-6] PORT | hold [-6] PORT SECS | "
			"data [-6] PORT BYTES\n");
	return 2;
}

static int number(const char *s, int lo, int hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	return (int)v;
}

int main(int argc, char **argv)
{
	struct addr a;
	int i = 2, v6 = 0, port, arg = 0;

	if (argc < 3)
		return usage();
	if (!strcmp(argv[i], "-6")) {
		v6 = 1;
		i++;
	}
	if (i >= argc || (port = number(argv[i], 1, 65535)) < 0)
		return usage();
	if (strcmp(argv[1], "refuse") &&
	    (i + 1 >= argc || (arg = number(argv[i + 1], 1, 1 << 20)) < 0))
		return usage();
	loopback(&a, v6, port);
	if (!strcmp(argv[1], "conn"))
		return mode_conn(&a, arg);
	if (!strcmp(argv[1], "refuse"))
		return mode_refuse(&a);
	if (!strcmp(argv[1], "hold"))
		return mode_hold(&a, arg);
	if (!strcmp(argv[1], "data"))
		return mode_data(&a, arg);
	return usage();
}
