/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model: the socket table plus what it takes to keep it true, with
 * one door in. model_apply() takes every event, live or replayed: the
 * table's lifecycles (table.c), who owns each socket and who listens
 * where (owners.c, listeners.c), a resync pass's repairs (reconcile.c)
 * and the sockets' own counters (sock_traffic.c) and metrics
 * (sock_metrics.c, one generic EV_METRIC). Nothing else writes a
 * struct sock_entry. After it, the app hands the event and what the model
 * made of it (struct model_out) to every output: recording, stream,
 * per-process counts, metrics, panes. No curses, no clocks, no printing.
 */
#ifndef SOCKTOP_MODEL_H
#define SOCKTOP_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "../bpf/event.h"
#include "reconcile.h"
#include "sock_traffic.h"
#include "table.h"

struct listeners;

struct model {
	struct table *table;
	struct listeners *listeners;  /* who listens on which port */
	struct reconcile rc;	      /* resync passes applied (reconcile.h) */
	struct traffic_state traffic; /* the traffic pull's passes (sock_traffic.h) */
	uint64_t owners_dropped;      /* sockets with more holders than kept */
	uint64_t conns_opened;	      /* CLOSE -> SYN_SENT, LISTEN -> SYN_RECV */
	uint64_t conns_closed;	      /* into CLOSE, listeners' excepted */
	uint64_t state_changes;	      /* EV_STATE applied */
	uint64_t metrics_unmatched;   /* EV_METRIC for a socket not in the table */
	uint64_t metrics_oom;	      /* EV_METRIC not kept: no memory */
};

/* What one event did, for the outputs that follow the model. */
struct model_out {
	uint64_t prev_ns;	    /* EV_STATE: time in the old state, 0 unknown */
	struct sock_entry *entry;   /* EV_STATE/TRAFFIC/RETRANS/RESET/METRIC: its socket or NULL */
	struct sock_traffic before; /* the entry's counters before the event:
				     * set for EV_TRAFFIC/RETRANS/RESET only;
				     * without its more (rates) */
};

/* 0 or a negative errno; a zeroed struct model is safe to free. */
int model_init(struct model *m, const struct table_limits *lim);
void model_free(struct model *m);
/* The one door: apply ev, say what it did in out. */
void model_apply(struct model *m, const struct event *ev, struct model_out *out);
/* listening sockets not indexed (listeners.h) */
uint64_t model_listeners_dropped(const struct model *m);

#endif
