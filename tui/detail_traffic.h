/* SPDX-License-Identifier: GPL-2.0 */
/* The socket detail page's traffic part: the kernel's counters now (final
 * totals once closed) and the socket's life as small charts of TX/s, RX/s
 * and RTT, with its retransmits and resets marked on the same time axis. */
#ifndef SOCKTOP_DETAIL_TRAFFIC_H
#define SOCKTOP_DETAIL_TRAFFIC_H

#include <stdint.h>

struct ui;
struct rect;
struct sock_entry;
struct traffic_hist;
struct traffic_state;

/* Rows drawn from y (at most maxrows); h may be NULL (no history kept). */
int detail_traffic(struct ui *u, const struct traffic_state *ts, const struct sock_entry *e,
		   const struct traffic_hist *h, int y, const struct rect *r, uint64_t end,
		   int maxrows);

#endif
