/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Resync: when the ring buffer dropped events (or every --resync seconds)
 * a snapshot pass from the iterators repairs the socket table. Sockets the
 * kernel has and the table lacks are added (SOCK_FOUND_BY_RESYNC), states
 * that differ are corrected, sockets the table holds open and the kernel
 * no longer has are closed; every repair is counted.
 *
 * A live pass drains the ring, collects the pass (the iterator walks run
 * in a helper thread under the UI, resync_start, or here, resync_run),
 * drains again, then feeds the pass through app_on_event, so it is
 * recorded and replays the same way. The holders (iter/task_file, a walk
 * over every open file) are walked only after lost events or when the
 * sockets' walk finds one new to the table. Passes are spaced by at least
 * RESYNC_COST_FACTOR times the last one's cost: at most 5% of the time. resync_on_event reconciles, record by record, and
 * at EV_SNAP_END closes what the pass did not see. A record never
 * overrides what the table learnt after it (its event times are newer).
 */
#ifndef SOCKTOP_RESYNC_H
#define SOCKTOP_RESYNC_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../bpf/event.h"

struct app;
struct iters;
struct loop;

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

struct resync_stats {
	uint64_t passes;	/* applied */
	uint64_t failed;	/* could not run or too big */
	uint64_t added;		/* repairs: sockets the table lacked */
	uint64_t closed;	/* repairs: sockets the kernel no longer has */
	uint64_t fixed;		/* repairs: wrong state corrected */
	uint64_t timewait_found; /* TIME_WAIT is seen only by iterators: not */
	uint64_t timewait_ended; /* repairs, its ends neither */
	uint64_t skipped_full;	/* not added: the table is at its cap */
	uint64_t last_ns, max_ns; /* cost of a live pass (drain, walk, apply) */
	uint64_t last_walk_ns;	/* of which the iterators' walk */
	uint32_t last_socks;	/* sockets in the last pass */
	uint64_t owner_walks;	/* passes that walked the holders too */
};

/* network namespaces by inode: a small sorted set */
struct ns_set {
	uint32_t *v;
	size_t n, cap;
};

struct resync {
	struct resync_stats st;
	/* namespaces: walked by the pass being applied (EV_SNAP_NETNS), found
	 * there but not entered, and walked by any pass so far. A socket is
	 * closed only when its namespace was walked and did not hold it, or
	 * was walked before and is now gone. A pass without EV_SNAP_NETNS
	 * (ABI 1) walked the one namespace there was. */
	struct ns_set ns_walked, ns_skipped, ns_known;
	uint32_t max_records;	/* a pass's records, 0 = RESYNC_MAX_RECORDS */
	/* the pass being applied */
	uint32_t pass;
	bool in_pass;
	uint64_t pass_start_ns;	/* oldest record time of the pass */
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

static inline uint64_t resync_repaired(const struct resync_stats *s)
{
	return s->added + s->closed + s->fixed;
}

/* A record of a resync pass (flags & SNAP_RESYNC), before owners_apply. */
void resync_on_event(struct app *a, const struct event *ev);
/* Live: run a pass now, to its end; the holders are walked when owners is
 * true (events were lost) or the pass finds sockets new to the table. 0,
 * or a negative errno (-ENOTSUP: no iterators, -EBUSY: one in flight). */
int resync_run(struct app *a, bool owners);
/* The same, its walks in a helper thread; the loop (a->loop) applies the
 * pass when they end. Without a loop it is resync_run. */
int resync_start(struct app *a, bool owners);
/* Live, per drain period: apply the next slice of a pass whose walks
 * have ended. */
void resync_step(struct app *a);
/* Live, per tick: run a pass when drops call for one or it is due. */
void resync_tick(struct app *a, uint64_t now_ns);
/* Waits for a walk in flight; a pass not applied is dropped. A zeroed
 * struct resync is ready for use. */
void resync_free(struct resync *r);

#endif
