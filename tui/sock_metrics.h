/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model's per-socket metrics (bpf/metric_ids.h): EV_METRIC samples
 * applied with no case per metric. Out of line: a socket pays for them
 * only once it has a sample (most never do). Readers ask by id.
 */
#ifndef SOCKTOP_SOCK_METRICS_H
#define SOCKTOP_SOCK_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../bpf/event.h"

_Static_assert(METRIC_MAX <= 32, "struct sock_metrics keeps a 32-bit mask");

struct sock_metrics {
	uint32_t have; /* bit id: a sample was applied */
	uint64_t v[METRIC_MAX ? METRIC_MAX : 1];
};

/* What the list says of each metric, by id */
struct metric_def {
	const char *name;    /* column id, filter term */
	const char *title;   /* column title */
	int kind;	     /* METRIC_COUNT, METRIC_BYTES, METRIC_NS */
	const char *feature; /* the feature that feeds it */
	const char *help;
};
extern const struct metric_def metric_defs[];

/* Apply one EV_METRIC to *m (allocated at the first sample). 1: changed,
 * 0: not (an id this build does not know), -ENOMEM. */
int sock_metrics_apply(struct sock_metrics **m, const struct event *ev);
/* The value of metric id, false when the socket has no sample of it */
static inline bool sock_metric(const struct sock_metrics *m, int id, uint64_t *v)
{
	if (!m || id < 0 || id >= METRIC_MAX || !(m->have & (1u << id)))
		return false;
	*v = m->v[id];
	return true;
}
/* The id of a metric by name (n bytes), -1 if none */
int metric_find(const char *name, size_t n);
/* v as its kind reads: 12, 1.5M, 120ms */
void metric_format(int id, uint64_t v, char *buf, size_t bufsz);

#endif
