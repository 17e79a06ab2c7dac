/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reconciliation: the model's side of a resync. Record by record, a pass
 * (EV_SNAP_NETNS, EV_SNAP_SOCK, EV_SNAP_END with SNAP_RESYNC) repairs the
 * socket table: sockets the kernel has and the table lacks are added
 * (SOCK_FOUND_BY_RESYNC), states that differ are corrected, and at the
 * pass's end what the table holds open and the pass did not see is
 * closed; every repair is counted. A record never overrides what the
 * table learnt after it (its event times are newer). What runs a pass,
 * and when, is the resync driver's business (resync.h), not this one's.
 */
#ifndef SOCKTOP_RECONCILE_H
#define SOCKTOP_RECONCILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../bpf/event.h"

struct model;

struct reconcile_stats {
	uint64_t passes;	 /* applied */
	uint64_t added;		 /* repairs: sockets the table lacked */
	uint64_t closed;	 /* repairs: sockets the kernel no longer has */
	uint64_t fixed;		 /* repairs: wrong state corrected */
	uint64_t timewait_found; /* TIME_WAIT is seen only by iterators: not */
	uint64_t timewait_ended; /* repairs, its ends neither */
	uint64_t skipped_full;	 /* not added: the table is at its cap */
	uint32_t last_socks;	 /* sockets in the last pass */
};

static inline uint64_t reconcile_repaired(const struct reconcile_stats *s)
{
	return s->added + s->closed + s->fixed;
}

/* network namespaces by inode: a small sorted set */
struct ns_set {
	uint32_t *v;
	size_t n, cap;
};

struct reconcile {
	struct reconcile_stats st;
	/* namespaces: walked by the pass being applied (EV_SNAP_NETNS), found
	 * there but not entered, and walked by any pass so far. A socket is
	 * closed only when its namespace was walked and did not hold it, or
	 * was walked before and is now gone. A pass without EV_SNAP_NETNS
	 * (ABI 1) walked the one namespace there was. */
	struct ns_set ns_walked, ns_skipped, ns_known;
	bool ns_partial; /* the pass could not look everywhere: nothing is gone */
	uint32_t pass;	 /* the pass being applied */
	bool in_pass;
	uint64_t pass_start_ns; /* oldest record time of the pass */
};

/* model.c, before attribution: EV_SNAP_NETNS (any), and EV_SNAP_SOCK and
 * EV_SNAP_END of a resync pass */
void reconcile_netns(struct reconcile *r, const struct event *ev);
void reconcile_sock(struct model *m, const struct event *ev);
void reconcile_end(struct model *m, const struct event *ev);
/* Same endpoints: the same socket, or a new one at a reused address
 * whose birth was lost. */
struct sock_entry;
bool reconcile_same_endpoints(const struct sock_entry *e, const struct event *ev);
void reconcile_free(struct reconcile *r);

#endif
