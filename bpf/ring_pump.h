/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rings' reader thread: it drains every CPU's ring (rings.h, the
 * timestamp merge) into a queue in user space (ring_queue.h) every
 * PUMP_PERIOD_MS and whenever a ring wakes it, so the kernel's rings never
 * wait on the main thread (a start-up pass, the first rows of a million
 * sockets, a frame). The main thread takes the records from the queue, in
 * the merge's order, when it has time. The queue is bounded: beyond, the
 * records stay in the kernel's rings, which drop and count what does not
 * fit, so every record is either handed on or counted lost.
 *
 * Only one drain of the rings runs at a time (a lock): the thread's, or
 * the main thread's own, when it wants everything up to now (pump_pull)
 * or finds the lock free as it takes (pump_help: on a loaded host the
 * thread may wait tens of ms for a CPU while the main thread has one).
 */
#ifndef SOCKTOP_RING_PUMP_H
#define SOCKTOP_RING_PUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ring_queue.h"

#define PUMP_PERIOD_MS 10

struct rings;
struct ring_pump;

/* A queue of at most max_bytes for rb's records, no thread yet: NULL with
 * errno set */
struct ring_pump *pump_new(struct rings *rb, size_t max_bytes);
/* the queue's records first: free only once nothing reads it */
void pump_free(struct ring_pump *p);
/* Start the thread (0 or -errno); pump_halt stops it and waits for it
 * (the queue stays: a thread must not outlive dropped privileges) */
int pump_run(struct ring_pump *p);
void pump_halt(struct ring_pump *p);
bool pump_running(const struct ring_pump *p);

/* Drain the rings into the queue now, past its bound: the records read */
int pump_pull(struct ring_pump *p);
/* The same within the bound, unless a drain runs already (-EBUSY): the
 * main thread's turn at it, should the thread wait long for a CPU */
int pump_help(struct ring_pump *p);
/* The main thread's: up to max records (0: all) from the queue to fn, in
 * order; the fd stays readable while records wait */
size_t pump_take(struct ring_pump *p, size_t max, rq_fn fn, void *ctx);
int pump_fd(const struct ring_pump *p);
uint64_t pump_backlog(const struct ring_pump *p); /* records queued */
/* times the bound left records in the kernel's rings; the queue's peak */
uint64_t pump_bounded(const struct ring_pump *p);
uint64_t pump_peak_bytes(const struct ring_pump *p);

#endif
