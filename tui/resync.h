/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The resync driver: when the ring buffer dropped events (or every
 * --resync seconds) it runs a snapshot pass from the iterators and feeds
 * the pass's records to a sink (app_on_event), as the ring does; what the
 * records repair is the model's (reconcile.h). It sits above the app and
 * knows it only as that sink.
 *
 * A live pass drains the ring, collects the pass (the iterator walks run
 * in a helper thread under the UI, resync_start, or here, resync_run),
 * drains again, then feeds the pass to the sink a slice at a time, so it
 * is recorded and replays the same way. The holders (iter/task_file, a
 * walk over every open file) are walked only after lost events or when
 * the sockets' walk finds one new to the table. Passes are spaced by at
 * least RESYNC_COST_FACTOR times the last one's cost: at most 5% of the
 * time.
 */
#ifndef SOCKTOP_RESYNC_H
#define SOCKTOP_RESYNC_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../bpf/event.h"
#include "loader.h"

struct iters;
struct loop;
struct model;

enum resync_phase { RESYNC_IDLE, RESYNC_SOCKETS, RESYNC_OWNERS, RESYNC_APPLYING };

/* a pass bigger than this is not applied (counted as failed) */
#define RESYNC_MAX_RECORDS (1u << 21)
/* first pass after new drops: this long after they were seen ... */
#define RESYNC_SETTLE_NS (200ULL * 1000000ULL)
/* ... and at least this long after the previous pass ends, nor sooner
 * than RESYNC_COST_FACTOR times what the last pass cost */
#define RESYNC_MIN_GAP_NS (1000ULL * 1000000ULL)
#define RESYNC_COST_FACTOR 20
/* records of a live pass applied per drain period: the ring is drained
 * between slices, so a pass over a busy host never stalls the reader */
#define RESYNC_APPLY_SLICE 2048

/* the driver's own figures; the repairs are the model's (reconcile.h) */
struct resync_stats {
	uint64_t failed;	  /* could not run or too big */
	uint64_t last_ns, max_ns; /* cost of a live pass (drain, walk, apply) */
	uint64_t last_walk_ns;	  /* of which the iterators' walk */
	uint64_t owner_walks;	/* passes that walked the holders too */
};

/* What the driver works with. */
struct resync_src {
	struct loader *loader;	   /* its iterators and ring */
	struct loop *loop;	   /* where a walk's end is told; NULL: none */
	const struct model *model; /* what a pass is compared with */
	loader_sink sink;	   /* where the records go (app_on_event) */
	void *ctx;
	void (*log)(void *ctx, bool routine, const char *msg); /* may be NULL */
	uint64_t start_ns; /* capture start: the first period counts from it */
};

struct resync {
	struct resync_stats st;
	struct resync_src src;
	uint32_t max_records; /* a pass's records, 0 = RESYNC_MAX_RECORDS */
	/* live scheduling */
	uint64_t period_ns;	/* --resync: periodic, 0 = never */
	uint64_t last_end_ns;	/* when the last live pass ended */
	uint64_t lost_done;	/* drops already answered by a pass */
	uint64_t drops_seen_ns;	/* new drops first noticed, 0 = none */
	/* a live pass in flight: its walks run in a helper thread that only
	 * reads the iterators into buf; the loop thread does the rest */
	enum resync_phase phase;
	struct iters *it;
	bool owners;		/* walk the holders whatever the sockets say */
	bool owners_walked;
	bool background;	/* resync_start: walks in a helper thread */
	bool threaded;		/* thread running (or ended, not joined) */
	bool notify;		/* the thread writes done_fd when its walk ends */
	pthread_t thread;
	int done_fd;		/* eventfd in the loop: a walk ended */
	struct loop *loop;	/* where done_fd is registered, NULL: none */
	int walk_ret, nsock, last_ret;
	uint64_t t0, walk_ns;
	/* collected records of a live pass */
	struct event *buf;
	size_t nbuf, cap;
	size_t applied;		/* RESYNC_APPLYING: records applied so far */
	uint64_t repaired_before; /* repairs counted when applying began */
	bool overflow;
};

void resync_init(struct resync *r, const struct resync_src *src, uint64_t period_ns);
/* Live: run a pass now, to its end; the holders are walked when owners is
 * true (events were lost) or the pass finds sockets new to the table. 0,
 * or a negative errno (-ENOTSUP: no iterators, -EBUSY: one in flight). */
int resync_run(struct resync *r, bool owners);
/* The same, its walks in a helper thread; the loop (src.loop) applies the
 * pass when they end. Without a loop it is resync_run. */
int resync_start(struct resync *r, bool owners);
/* Live, per drain period: apply the next slice of a pass whose walks
 * have ended. */
void resync_step(struct resync *r);
/* Live, per tick: run a pass when drops (lost, the kernel's count so
 * far) call for one or it is due. */
void resync_tick(struct resync *r, uint64_t now_ns, uint64_t lost);
/* Waits for a walk in flight; a pass not applied is dropped. A zeroed
 * struct resync is safe to free. */
void resync_free(struct resync *r);

#endif
