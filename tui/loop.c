// SPDX-License-Identifier: GPL-2.0
/* The one epoll loop: fds with callbacks, plus timerfd and clock helpers. */
#include "loop.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define LOOP_MAX_FDS 32

struct loop_src {
	int fd;
	loop_fn fn;
	void *ctx;
};

struct loop {
	int epfd;
	struct loop_src src[LOOP_MAX_FDS];
};

struct loop *loop_new(void)
{
	struct loop *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0) {
		int err = errno;

		free(l);
		errno = err;
		return NULL;
	}
	for (int i = 0; i < LOOP_MAX_FDS; i++)
		l->src[i].fd = -1;
	return l;
}

void loop_free(struct loop *l)
{
	if (!l)
		return;
	close(l->epfd);
	free(l);
}

int loop_add(struct loop *l, int fd, loop_fn fn, void *ctx)
{
	return loop_add_events(l, fd, EPOLLIN, fn, ctx);
}

int loop_add_events(struct loop *l, int fd, uint32_t events, loop_fn fn, void *ctx)
{
	struct epoll_event ev = { .events = events };

	for (int i = 0; i < LOOP_MAX_FDS; i++) {
		if (l->src[i].fd >= 0)
			continue;
		ev.data.u32 = (uint32_t)i;
		if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
			return -errno;
		l->src[i] = (struct loop_src){ fd, fn, ctx };
		return 0;
	}
	return -ENOSPC;
}

int loop_del(struct loop *l, int fd)
{
	for (int i = 0; i < LOOP_MAX_FDS; i++) {
		if (l->src[i].fd != fd)
			continue;
		l->src[i].fd = -1;
		if (epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL) < 0)
			return -errno;
		return 0;
	}
	return -ENOENT;
}

int loop_once(struct loop *l, int timeout_ms)
{
	struct epoll_event evs[LOOP_MAX_FDS];
	int n, done = 0;

	n = epoll_wait(l->epfd, evs, LOOP_MAX_FDS, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (int i = 0; i < n; i++) {
		struct loop_src *s = &l->src[evs[i].data.u32];
		int err;

		if (s->fd < 0) /* removed by an earlier callback */
			continue;
		err = s->fn(s->ctx, evs[i].events);
		if (err < 0)
			return err;
		done++;
	}
	return done;
}

int timer_set(int fd, uint64_t first_ns, uint64_t period_ns)
{
	struct itimerspec its = {
		.it_value = { (time_t)(first_ns / 1000000000ULL), (long)(first_ns % 1000000000ULL) },
		.it_interval = { (time_t)(period_ns / 1000000000ULL),
				 (long)(period_ns % 1000000000ULL) },
	};

	return timerfd_settime(fd, 0, &its, NULL) < 0 ? -errno : 0;
}

int timer_open(uint64_t period_ns)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	int err;

	if (fd < 0)
		return -errno;
	err = timer_set(fd, period_ns, period_ns);
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

uint64_t timer_ack(int fd)
{
	uint64_t n = 0;

	if (read(fd, &n, sizeof(n)) != sizeof(n))
		return 0;
	return n;
}

static uint64_t clock_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t mono_now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

uint64_t wall_now_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}
