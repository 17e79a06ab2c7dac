/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model's traffic fields: each socket's counters as the kernel keeps
 * them (EV_TRAFFIC samples from the pull and at CLOSE), rates over the
 * last pull interval and smoothed, retransmit and reset events, and a
 * small history of the socket's life for the detail chart. No clocks:
 * time is the samples' own.
 */
#ifndef SOCKTOP_SOCK_TRAFFIC_H
#define SOCKTOP_SOCK_TRAFFIC_H

#include <stdbool.h>
#include <stdint.h>

#include "../bpf/event.h"

struct table;
struct sock_entry;

#define TRAFFIC_HIST_POINTS 48
#define TRAFFIC_MAX_MARKS 8

/* One point of a socket's life: counters at a sample */
struct traffic_point {
	uint64_t ts_ns;
	uint64_t tx, rx;
	uint32_t srtt_us;
	uint32_t retrans;
};

/* A retransmit or reset seen on the socket (EV_RETRANS, EV_RESET) */
struct traffic_mark {
	uint64_t ts_ns;
	uint16_t kind;	/* EV_RETRANS or EV_RESET */
	uint16_t flags; /* RESET_SENT, RESET_RECEIVED */
};

/* Points thin out as the life grows (every other one dropped when full),
 * so they always span it; marks keep the first ones. Allocated at a
 * socket's first sample: idle and short sockets cost nothing. */
struct traffic_hist {
	uint32_t npoints, step; /* every step-th sample is kept */
	uint32_t skipped;	/* samples since the last kept one */
	uint32_t nmarks, marks_dropped;
	struct traffic_point point[TRAFFIC_HIST_POINTS];
	struct traffic_mark mark[TRAFFIC_MAX_MARKS];
};

/* What only a socket that moves or misbehaves needs: rates, their
 * smoothing, retransmit and reset events, the chart's history. Allocated
 * when one is first not zero, so the many idle sockets a pull samples
 * once (a million held: 48 bytes each) keep the counters alone. */
struct traffic_more {
	uint64_t tx_rate, rx_rate; /* bytes/s over the last interval */
	float tx_avg, rx_avg;	   /* smoothed (EWMA over the pull intervals) */
	uint32_t rate_pass;	   /* the pull pass the rates belong to */
	uint32_t retrans_events, resets;
	struct traffic_hist *hist;
};

/* 64 bytes, in the table's slab (table_traffic_alloc) */
struct sock_traffic {
	uint64_t tx, rx, sent;	/* bytes_acked, bytes_received, bytes_sent */
	uint64_t delivery_rate; /* bytes/s, the kernel's figure */
	uint64_t sample_ns;	/* last sample, 0: none yet */
	uint32_t retrans;	/* total_retrans: segments retransmitted */
	uint32_t srtt_us, cwnd;
	uint32_t flags;		   /* TRAFFIC_* of the last sample */
	struct traffic_more *more; /* NULL: never moved (read with traffic_more_of) */
};

/* The counters of a socket without any (all zero: never sampled) */
extern const struct sock_traffic traffic_none;
extern const struct traffic_more traffic_more_none;

static inline const struct traffic_more *traffic_more_of(const struct sock_traffic *tr)
{
	return tr->more ? tr->more : &traffic_more_none;
}

/* A socket whose rates are not zero: the end of a pass zeroes those it
 * did not sample (kept by key: the entry may be gone by then) */
struct traffic_mover {
	uint64_t skaddr, serial;
};

struct traffic_movers {
	struct traffic_mover *v;
	uint32_t n, cap;
};

/* The pull's own state: passes seen, and what could not be applied */
struct traffic_state {
	uint32_t pass;			/* PASS_END records seen */
	uint64_t pass_ns, prev_pass_ns; /* the last two passes' end */
	uint64_t samples, finals, unmatched, stale;
	uint64_t retrans_events, resets;
	uint64_t oom;  /* records lost: no memory for a socket's counters */
	bool any;      /* a traffic record was seen: the columns mean something */
	char why[160]; /* why there are no counters ("" when there are) */
	struct traffic_movers moving, moved; /* this pass's, the last pass's */
	uint64_t movers_dropped;	     /* no memory to remember one: its rate lingers */
};

/*
 * Apply an EV_TRAFFIC, EV_RETRANS or EV_RESET to the socket at ev->skaddr
 * (entry already found by the caller, may be NULL: counted unmatched).
 * The entry's counters are allocated at its first record, from t (no
 * memory: counted in oom, the record is lost; a rate or a mark that finds
 * none: counted in oom, the counters kept).
 * A sample older than the entry's last, or whose counters went backwards
 * (another lifecycle on the address), is stale and ignored; a final one
 * fixes the totals. Returns true when the entry changed.
 */
bool traffic_apply(struct traffic_state *ts, struct table *t, struct sock_entry *e,
		   const struct event *ev);
/* Rates as shown now: 0 once a whole pass went by without the socket
 * moving. */
uint64_t traffic_tx_rate(const struct traffic_state *ts, const struct sock_traffic *tr);
uint64_t traffic_rx_rate(const struct traffic_state *ts, const struct sock_traffic *tr);
/* Smoothed rates, decayed for each pass without a sample */
double traffic_tx_avg(const struct traffic_state *ts, const struct sock_traffic *tr);
double traffic_rx_avg(const struct traffic_state *ts, const struct sock_traffic *tr);
static inline bool traffic_known(const struct sock_traffic *tr)
{
	return tr->sample_ns != 0;
}
/* What hangs off tr (its more and history), not tr: the table gives that
 * back to its slab. NULL is fine. */
void traffic_release(struct sock_traffic *tr);
/* After a TRAFFIC_PASS_END: the sockets that moved in the pass before
 * and not in this one get rates of 0 (and are touched in the table, so
 * rows sorted by a rate see it). */
void traffic_settle(struct traffic_state *ts, struct table *t);
void traffic_state_free(struct traffic_state *ts);

#endif
