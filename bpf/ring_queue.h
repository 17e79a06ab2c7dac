/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ring records read out of the kernel's rings and not handed on yet: a
 * queue in user space between one writer (the reader thread of
 * ring_pump.h, or the main thread while it holds the rings) and one
 * reader (the main thread), in the order written. Records are kept as
 * the rings gave them (a short state record stays 40 bytes) in chunks of
 * a MiB mapped as needed and given back once read, so a backlog costs
 * memory only while it lasts.
 *
 * The writer keeps to a bound of bytes (rq_put refuses beyond it) unless
 * it is told to go past it; what it refuses stays in the kernel's rings,
 * where a full ring drops and counts, so nothing is lost here unseen.
 */
#ifndef SOCKTOP_RING_QUEUE_H
#define SOCKTOP_RING_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ring_queue;

/* NULL with errno set; max_bytes: the bound rq_put keeps to */
struct ring_queue *rq_new(size_t max_bytes);
void rq_free(struct ring_queue *q);

/* The writer's. Append one record of ring: false when it does not fit
 * the bound (past_bound: ignore it) or no memory was left for a chunk.
 * It is seen by the reader only after rq_publish. */
bool rq_put(struct ring_queue *q, int ring, const void *data, size_t len, bool past_bound);
void rq_publish(struct ring_queue *q);

/* The reader's: up to max records (0: every one published), in order,
 * to fn: the number handed on. */
typedef void (*rq_fn)(void *ctx, int ring, const void *data, size_t len);
size_t rq_take(struct ring_queue *q, size_t max, rq_fn fn, void *ctx);

/* Published and not taken yet; either side may ask */
uint64_t rq_records(const struct ring_queue *q);
uint64_t rq_bytes(const struct ring_queue *q);
/* the most bytes ever queued at once */
uint64_t rq_peak_bytes(const struct ring_queue *q);

#endif
