/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The traffic feature's pull: one iter/tcp pass over the sockets, handing
 * an EV_TRAFFIC to the sink for each one whose counters moved since the
 * pass before, then one EV_TRAFFIC with TRAFFIC_PASS_END (skaddr 0, the
 * pass's end time). Close samples, retransmits and resets come through
 * the ring like every other event.
 */
#ifndef SOCKTOP_TRAFFIC_H
#define SOCKTOP_TRAFFIC_H

#include <stdint.h>

#include "loader.h"

struct traffic;

/* Records handed to the sink (without the end marker), or -errno. With
 * ring set, the loader's ring is drained between the pass's reads, so a
 * long pass under churn does not let the ring fill; that time is not
 * counted in the pass's. */
int traffic_pull(struct traffic *t, struct loader *ring, loader_sink sink, void *ctx);
uint64_t traffic_pass_ns(const struct traffic *t); /* how long the last pass took */
/* Between passes: 1 s, longer where a pass costs more than 3% of a CPU */
uint64_t traffic_interval_ns(const struct traffic *t);
/* The feature's handle inside a loader, NULL when off. */
struct traffic *loader_traffic(const struct loader *l);

#endif
