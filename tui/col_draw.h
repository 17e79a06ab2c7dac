/* SPDX-License-Identifier: GPL-2.0 */
/* Drawing a pane's table through its column set: the titles line (with
 * the sort arrow) and one row as a loop over the columns shown. */
#ifndef SOCKTOP_COL_DRAW_H
#define SOCKTOP_COL_DRAW_H

#include <stdbool.h>
#include <stdint.h>

#include "columns.h"

struct ui;

/* Lay out the pane's chosen columns (u's column choice for s) in width
 * cells, fitted to the n rows on the page (row(ctx, i) gives each). */
int col_layout_page(struct ui *u, const struct col_set *s, int width,
		    const void *(*row)(const void *ctx, uint32_t i), const void *ctx, uint32_t n,
		    uint64_t now, struct col_layout *l);
/* Cells the column's text takes in this row (escapes counted). */
int col_cell_width(struct ui *u, const struct column *k, const void *row, uint64_t now);
/* Titles at (y, x0) over w cells; sort: the sorted column or -1. */
void col_draw_titles(struct ui *u, int y, int x0, int w, const struct col_set *s,
		     const struct col_layout *l, int sort, bool desc);
/* One row: filled in role, each shown cell in its own role unless sel. */
void col_draw_row(struct ui *u, int y, int x0, int w, const struct col_set *s,
		  const struct col_layout *l, const void *row, uint64_t now, int role, bool sel);

#endif
