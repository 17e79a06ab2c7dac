/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-second rates (state changes, new connections, closes) sampled from
 * the app's counters on the event clock, with the last minute kept for
 * the header's sparkline.
 */
#ifndef SOCKTOP_STATS_H
#define SOCKTOP_STATS_H

#include <stdint.h>

struct app;

#define STATS_SAMPLES 60
#define STATS_SERIES 3

enum stats_series { STAT_CHANGES = 0, STAT_OPENED, STAT_CLOSED };

struct stats {
	uint64_t sec;		/* event-clock second of the current bucket */
	uint64_t base[STATS_SERIES];	/* counter values when it began */
	uint32_t hist[STATS_SERIES][STATS_SAMPLES]; /* completed seconds, ring */
	uint32_t head;		/* seconds completed so far */
	uint32_t last[STATS_SERIES];	/* the last completed second */
	int started;
};

/* Start counting from zero at the capture's start (event clock), so a
 * replay's rates do not depend on when the UI took its first sample. */
void stats_start(struct stats *s, uint64_t start_ns);
/* Read the app counters at now_ns; close as many seconds as passed. */
void stats_sample(struct stats *s, const struct app *a, uint64_t now_ns);
/* Oldest-first copy of up to n samples of one series; returns count. */
int stats_series(const struct stats *s, int series, uint32_t *out, int n);

#endif
