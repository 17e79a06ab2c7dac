// SPDX-License-Identifier: GPL-2.0
/* Per-socket metrics: one generic apply, one formatter per kind. */
#include "sock_metrics.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

const struct metric_def metric_defs[METRIC_MAX ? METRIC_MAX : 1] = {
#define METRIC_DEF(id, name, title, kind, feature, help) \
	[M_##id] = { name, title, kind, feature, help },
	METRICS(METRIC_DEF)
#undef METRIC_DEF
};

int sock_metrics_apply(struct sock_metrics **mp, const struct event *ev)
{
	int64_t id = ev->metric.id;
	struct sock_metrics *m = *mp;
	uint32_t bit;
	uint64_t v;

	if (id >= (int64_t)METRIC_MAX)
		return 0; /* a later build's metric, in a recording */
	if (!m) {
		m = *mp = calloc(1, sizeof(*m));
		if (!m)
			return -ENOMEM;
	}
	bit = 1u << id;
	v = ev->metric.op == METRIC_SET || !(m->have & bit) ? ev->metric.value :
							      m->v[id] + ev->metric.value;
	if ((m->have & bit) && m->v[id] == v)
		return 0;
	m->have |= bit;
	m->v[id] = v;
	return 1;
}

int metric_find(const char *name, size_t n)
{
	for (int i = 0; i < METRIC_MAX; i++)
		if (strlen(metric_defs[i].name) == n && !strncmp(metric_defs[i].name, name, n))
			return i;
	return -1;
}

void metric_format(int id, uint64_t v, char *buf, size_t bufsz)
{
	int kind = id >= 0 && id < METRIC_MAX ? metric_defs[id].kind : METRIC_COUNT;

	if (kind == METRIC_BYTES)
		fmt_bytes(buf, bufsz, v);
	else if (kind == METRIC_NS)
		fmt_duration(buf, bufsz, v);
	else
		snprintf(buf, bufsz, "%llu", (unsigned long long)v);
}
