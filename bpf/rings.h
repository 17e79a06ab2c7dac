/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-CPU rings: one BPF ring buffer a possible CPU, found by the
 * programs in one BPF_MAP_TYPE_ARRAY_OF_MAPS ("rings", common.bpf.h), so
 * a CPU never writes to another's ring (one shared ring's lock and
 * producer position bounced between the CPUs: 440-470 ns a state program
 * run with both CPUs producing, 300 with a ring each).
 *
 * The reader hands the records of all rings on in the order of their
 * timestamps (a record's first 8 bytes, taken just after its
 * reservation), so the events of one socket, which may come from any
 * CPU, keep their order. A record is held back while another ring could
 * still give an older one: a ring whose next record is not committed
 * yet, or, for a ring that was empty, a record stamped after the drain
 * began.
 */
#ifndef SOCKTOP_RINGS_H
#define SOCKTOP_RINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rings;

/* One ring as the reader sees it: the kernel's positions and its data
 * (mapped twice over, so a record that wraps reads on) */
struct ring_view {
	unsigned long *consumer_pos;
	const unsigned long *producer_pos;
	const char *data;
	unsigned long mask; /* ring size - 1 */
	unsigned long prod; /* where this drain stops */
	unsigned long cons; /* where this drain has read to */
	unsigned long told; /* ... and what the kernel was told of it */
};

/* a record's data and size, and the ring (the CPU) it came from: true
 * when it was taken, false to leave it (and the rest) in the rings */
typedef bool (*rings_fn)(void *ctx, int ring, const void *data, size_t size);

/* nrings rings of ring_bytes each (a power of two, a page at least) and
 * the map of them; NULL with errno set */
struct rings *rings_open(int nrings, uint32_t ring_bytes);
void rings_close(struct rings *r);
int rings_map_fd(const struct rings *r);   /* the ARRAY_OF_MAPS */
int rings_epoll_fd(const struct rings *r); /* readable when woken */
/* Hand up to budget records (0: all there are) to fn, oldest first:
 * the number taken. Not thread-safe: one drain at a time. */
int rings_drain(struct rings *r, int budget, rings_fn fn, void *ctx);

/* The merge itself, on n rings' views, now_ns (CLOCK_MONOTONIC) taken
 * before their producer positions were read into prod: for tests. */
int rings_merge(struct ring_view *v, int n, uint64_t now_ns, int budget, rings_fn fn, void *ctx);

#endif
