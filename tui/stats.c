// SPDX-License-Identifier: GPL-2.0
/* Per-second rates from the app counters, on the event clock. */
#include "stats.h"

#include "app.h"

#define NS 1000000000ULL

static void counters(const struct app *a, uint64_t v[STATS_SERIES])
{
	v[STAT_CHANGES] = a->model.state_changes;
	v[STAT_OPENED] = a->model.conns_opened;
	v[STAT_CLOSED] = a->model.conns_closed;
}

void stats_start(struct stats *s, uint64_t start_ns)
{
	*s = (struct stats){ .sec = start_ns / NS, .started = 1 };
}

void stats_sample(struct stats *s, const struct app *a, uint64_t now_ns)
{
	uint64_t v[STATS_SERIES], sec = now_ns / NS;

	counters(a, v);
	if (!s->started) {
		s->started = 1;
		s->sec = sec;
		for (int i = 0; i < STATS_SERIES; i++)
			s->base[i] = v[i];
		return;
	}
	if (sec <= s->sec)
		return;
	/* close the current second with everything counted so far; seconds
	 * skipped without a sample were quiet */
	for (uint64_t k = 0; k < sec - s->sec && k < STATS_SAMPLES; k++) {
		for (int i = 0; i < STATS_SERIES; i++) {
			uint64_t d = k ? 0 : v[i] - s->base[i];

			s->hist[i][s->head % STATS_SAMPLES] = d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
			s->last[i] = (uint32_t)(d > UINT32_MAX ? UINT32_MAX : d);
		}
		s->head++;
	}
	s->sec = sec;
	for (int i = 0; i < STATS_SERIES; i++)
		s->base[i] = v[i];
}

int stats_series(const struct stats *s, int series, uint32_t *out, int n)
{
	uint32_t have = s->head < STATS_SAMPLES ? s->head : STATS_SAMPLES;
	int k = (int)have < n ? (int)have : n;

	for (int i = 0; i < k; i++)
		out[i] = s->hist[series][(s->head - (uint32_t)k + (uint32_t)i) % STATS_SAMPLES];
	return k;
}
