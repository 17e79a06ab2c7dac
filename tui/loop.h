/* SPDX-License-Identifier: GPL-2.0 */
/* One epoll loop: fds with callbacks (the redis aeCreateFileEvent shape). */
#ifndef SOCKTOP_LOOP_H
#define SOCKTOP_LOOP_H

#include <stdint.h>

struct loop;
/* Return 0, or a negative errno to stop the loop with that error. */
typedef int (*loop_fn)(void *ctx, uint32_t epoll_events);

struct loop *loop_new(void); /* NULL, errno */
void loop_free(struct loop *l);
int loop_add(struct loop *l, int fd, loop_fn fn, void *ctx); /* readable */
/* events as epoll's (0: only EPOLLERR and EPOLLHUP, always reported) */
int loop_add_events(struct loop *l, int fd, uint32_t events, loop_fn fn, void *ctx);
int loop_del(struct loop *l, int fd);
/* Wait up to timeout_ms (-1 = forever) and dispatch ready fds once.
 * Returns the number dispatched or a negative errno from a callback. */
int loop_once(struct loop *l, int timeout_ms);

/* A periodic timerfd (CLOCK_MONOTONIC); read it with timer_ack. */
int timer_open(uint64_t period_ns); /* fd or -errno */
int timer_set(int fd, uint64_t first_ns, uint64_t period_ns);
uint64_t timer_ack(int fd);	    /* expirations since last read */
uint64_t mono_now_ns(void);
uint64_t wall_now_ns(void);

#endif
