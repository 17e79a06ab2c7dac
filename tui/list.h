/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The list keys every pane with rows shares (Up/Down/k/j, PgUp/PgDn,
 * Home/End/g/G): one key table, one handler. A view with rows gives
 * struct view a list_ops; the dispatch tries the view's own keys, then
 * these, and help lists them with the view's.
 */
#ifndef SOCKTOP_LIST_H
#define SOCKTOP_LIST_H

#include <stdint.h>

#include "view.h"

struct list_pos {
	int64_t n;    /* rows */
	int64_t sel;  /* selected row */
	int64_t page; /* rows on a page */
};

struct list_ops {
	/* Where the list is, brought up to date first. */
	void (*get)(struct ui *u, void *priv, struct list_pos *p);
	/* Select row i (0 <= i < n, or 0 when empty). */
	void (*set)(struct ui *u, void *priv, int64_t i);
};

extern const struct key_bind list_keys[];

#endif
