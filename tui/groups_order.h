/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Groups pane's order kept between frames (groups_order.c): the rows
 * with sockets, sorted; the rows whose sums moved since are put back in
 * their places, and a new sort runs in slices of a time budget.
 */
#ifndef SOCKTOP_GROUPS_ORDER_H
#define SOCKTOP_GROUPS_ORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "groups.h"

#define GORDER_FIX_MAX 4096 /* rows put back in their places at most, a call */

struct gsort;

struct gorder {
	uint32_t *ord; /* ord[0..n): row numbers, in the pane's order */
	size_t n, cap;
	uint32_t *tmp, *put; /* scratch, cap each */
	uint8_t *mark;	     /* by row: changed (scratch) */
	enum group_by by;    /* what ord is sorted for */
	int sort;
	bool desc;
	uint64_t counts;   /* groups_counts() it was sorted after */
	bool valid;	   /* a sort was begun */
	bool exact;	   /* ord is the order of the rows now */
	struct gsort *job; /* a sort from scratch under way */
};

/* Bring o up to date with g's rows (up to date themselves: groups_sync
 * said 1) for this sort, within budget_ns (0: no limit). 1: ord is the
 * order now; 0: a sort still runs (ord: the last order, or empty);
 * -EINVAL, -ENOMEM. Takes g's changes (groups_changes_taken). With a
 * budget, more than GORDER_FIX_MAX rows changed sort again from scratch. */
int gorder_update(struct gorder *o, struct groups *g, enum group_by by, int sort, bool desc,
		  uint64_t budget_ns);
void gorder_free(struct gorder *o);

struct ui;

/* The Groups pane's rows as it keeps them (view_groups.c), brought up to
 * date to the end (no budget), for the benchmark's check against a count
 * and a sort from scratch. */
struct groups_view {
	struct groups *g;
	const struct gorder *o;
	enum group_by by;
	int sort;
	bool desc;
	bool exact;
};

void view_groups_state(struct ui *u, struct groups_view *out);

#endif
