// SPDX-License-Identifier: GPL-2.0
/*
 * The rings' reader thread (ring_pump.h). It sleeps on the rings' own
 * epoll fd, nested edge-triggered in one of its own (a ring wakes it when
 * a quarter of it is used, the programs' wakeup_bytes; a level-triggered
 * wait would return at once while any record is there), at most
 * PUMP_PERIOD_MS at a time, and on an eventfd that stops it.
 *
 * The main thread is told through another eventfd, written only when it
 * was not told already (armed): the thread publishes its records, then
 * arms; the main thread disarms, then reads the queue. Each side's store
 * is followed by a full fence before its load, so either the main thread
 * sees the records or the thread sees it disarmed and writes again.
 */
#include "ring_pump.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "rings.h"

struct ring_pump {
	struct rings *rb;
	struct ring_queue *q;
	pthread_mutex_t lock; /* one drain of the rings at a time */
	pthread_t thread;
	bool running;
	int notify_fd, stop_fd, ep;
	bool armed, stop; /* atomic */
	uint64_t bounded; /* atomic */
};

struct pull {
	struct ring_queue *q;
	bool past_bound, refused;
};

static bool enqueue(void *ctx, int ring, const void *data, size_t size)
{
	struct pull *c = ctx;

	if (rq_put(c->q, ring, data, size, c->past_bound))
		return true;
	c->refused = true;
	return false;
}

static int pull(struct ring_pump *p, bool past_bound, bool wait)
{
	struct pull c = { p->q, past_bound, false };
	int n;

	if (!wait && pthread_mutex_trylock(&p->lock))
		return -EBUSY;
	if (wait)
		pthread_mutex_lock(&p->lock);
	n = rings_drain(p->rb, 0, enqueue, &c);
	rq_publish(p->q);
	pthread_mutex_unlock(&p->lock);
	if (c.refused && !past_bound)
		__atomic_fetch_add(&p->bounded, 1, __ATOMIC_RELAXED);
	return n;
}

static void notify(struct ring_pump *p)
{
	uint64_t one = 1;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!__atomic_exchange_n(&p->armed, true, __ATOMIC_SEQ_CST) &&
	    write(p->notify_fd, &one, sizeof(one)) != sizeof(one))
		__atomic_store_n(&p->armed, false, __ATOMIC_SEQ_CST); /* cannot fill */
}

static void *pump_thread(void *arg)
{
	struct ring_pump *p = arg;
	struct epoll_event ev[2];

	while (!__atomic_load_n(&p->stop, __ATOMIC_ACQUIRE)) {
		if (pull(p, false, true) > 0)
			notify(p);
		if (epoll_wait(p->ep, ev, 2, PUMP_PERIOD_MS) < 0 && errno != EINTR) {
			struct timespec nap = { 0, PUMP_PERIOD_MS * 1000000L };

			nanosleep(&nap, NULL); /* cannot happen: the fds are ours */
		}
	}
	return NULL;
}

static int watch(int ep, int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

struct ring_pump *pump_new(struct rings *rb, size_t max_bytes)
{
	struct ring_pump *p = calloc(1, sizeof(*p));
	int err = 0;

	if (!p)
		return NULL;
	p->rb = rb;
	p->notify_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	p->stop_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	p->ep = epoll_create1(EPOLL_CLOEXEC);
	pthread_mutex_init(&p->lock, NULL);
	if (p->notify_fd < 0 || p->stop_fd < 0 || p->ep < 0)
		err = -errno;
	if (!err)
		err = watch(p->ep, rings_epoll_fd(rb), EPOLLIN | EPOLLET);
	if (!err)
		err = watch(p->ep, p->stop_fd, EPOLLIN);
	if (!err && !(p->q = rq_new(max_bytes)))
		err = -errno;
	if (err) {
		pump_free(p);
		errno = -err;
		return NULL;
	}
	return p;
}

void pump_free(struct ring_pump *p)
{
	if (!p)
		return;
	pump_halt(p);
	if (p->notify_fd >= 0)
		close(p->notify_fd);
	if (p->stop_fd >= 0)
		close(p->stop_fd);
	if (p->ep >= 0)
		close(p->ep);
	rq_free(p->q);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

int pump_run(struct ring_pump *p)
{
	int err;

	if (p->running)
		return 0;
	__atomic_store_n(&p->stop, false, __ATOMIC_RELEASE);
	err = pthread_create(&p->thread, NULL, pump_thread, p);
	if (err)
		return -err;
	p->running = true;
	return 0;
}

void pump_halt(struct ring_pump *p)
{
	uint64_t one = 1;
	ssize_t quiet;

	if (!p->running)
		return;
	__atomic_store_n(&p->stop, true, __ATOMIC_RELEASE);
	/* should the write fail, the flag alone stops it within a period */
	quiet = write(p->stop_fd, &one, sizeof(one));
	pthread_join(p->thread, NULL);
	quiet = read(p->stop_fd, &one, sizeof(one)); /* for the next run */
	(void)quiet;
	p->running = false;
}

bool pump_running(const struct ring_pump *p)
{
	return p->running;
}

int pump_pull(struct ring_pump *p)
{
	return pull(p, true, true);
}

int pump_help(struct ring_pump *p)
{
	return pull(p, false, false);
}

size_t pump_take(struct ring_pump *p, size_t max, rq_fn fn, void *ctx)
{
	uint64_t n;
	size_t got;

	/* read each time: a thread that armed may write just after a read */
	if (read(p->notify_fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		return 0; /* cannot happen: an eventfd of ours */
	__atomic_store_n(&p->armed, false, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	got = rq_take(p->q, max, fn, ctx);
	if (rq_records(p->q))
		notify(p); /* the loop comes back for the rest */
	return got;
}

int pump_fd(const struct ring_pump *p)
{
	return p->notify_fd;
}

uint64_t pump_backlog(const struct ring_pump *p)
{
	return rq_records(p->q);
}

uint64_t pump_bounded(const struct ring_pump *p)
{
	return __atomic_load_n(&p->bounded, __ATOMIC_RELAXED);
}

uint64_t pump_peak_bytes(const struct ring_pump *p)
{
	return rq_peak_bytes(p->q);
}
