/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The connections pane's columns: title, width rule, alignment and sort
 * key. Sort keys are stored facts (times of entry, not durations), so an
 * order changes only when events arrive, never because time passed.
 */
#ifndef SOCKTOP_COLUMNS_H
#define SOCKTOP_COLUMNS_H

#include <stdbool.h>
#include <stdint.h>

struct sock_entry;

enum col_id {
	COL_PID = 0, COL_COMM, COL_IPV, COL_LOCAL, COL_REMOTE, COL_STATE, COL_TIME, COL_AGE,
	COL_CGROUP,	/* width 0: shown only through columns_show_cgroup() */
	COL_MAX
};

#define COL_KEY_WORDS 4	/* most significant first; the row's serial breaks ties */

struct column {
	const char *title;
	int width;		/* cells; flexible columns: the minimum */
	bool right;		/* right-aligned */
	bool flex;		/* takes a share of the spare width */
	bool desc;		/* default direction is descending */
	int nwords;		/* key words used */
	void (*key)(const struct sock_entry *e, uint64_t k[COL_KEY_WORDS]);
	const char *help;	/* what the column shows */
};

extern const struct column columns[COL_MAX];

/* Lay out columns in width cells: x and w per column; returns used. */
int columns_layout(int width, int x[COL_MAX], int w[COL_MAX]);
/* Give CGROUP part of the addresses' spare width (when some row has a
 * cgroup); nothing changes on screens too narrow for it. */
void columns_show_cgroup(int x[COL_MAX], int w[COL_MAX]);
/* Rank of a TCP state in the STATE sort (listeners, opening, open, closing). */
int columns_state_rank(int state);

#endif
