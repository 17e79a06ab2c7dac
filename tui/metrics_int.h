/* SPDX-License-Identifier: GPL-2.0 */
/* The exposition writer, shared by metrics_text.c (the families) and
 * metrics_table.c (the gauges that walk the table). Not for elsewhere. */
#ifndef SOCKTOP_METRICS_INT_H
#define SOCKTOP_METRICS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "metrics.h"

enum mtype { M_COUNTER, M_GAUGE, M_INFO };

/* the writer: the family being written and the format */
struct mw {
	struct mbuf *b;
	bool om;
	const char *name;
	enum mtype type;
	const struct metrics *m;
	const struct app *a;
	const struct metrics_proc *pr;
	struct table_walk *walk; /* metrics_walk's counts for the table gauges */
};

/* one sample: labels as NULL-ended key, value pairs */
void mw_sample(struct mw *w, uint64_t v, ...);
void mw_sample_d(struct mw *w, double v, ...);
const char *mw_family_name(int fam); /* 0: ipv4, 1: ipv6 */
void mw_port_label(char *buf, size_t n, uint16_t port);

/* metrics_table.c: metrics_walk first (0 or -ENOMEM), then the gauges */
struct table_walk;
int metrics_walk(struct mw *w);
void metrics_walk_free(struct mw *w);
void metrics_sockets(struct mw *w);
void metrics_netns(struct mw *w);
void metrics_containers(struct mw *w);
void metrics_port_conns(struct mw *w);

#endif
