// SPDX-License-Identifier: GPL-2.0
/* Column layouts: placing shown columns along a pane's order, finding a
 * column by id or by screen position. The tables live with each pane's
 * columns (cols_conns.c, cols_procs.c, cols_binds.c). */
#include "columns.h"

#include <string.h>

int col_place(struct col_layout *l)
{
	int pos = 0;

	for (int i = 0; i < l->n; i++) {
		int c = l->order[i];

		l->x[c] = pos;
		if (l->w[c])
			pos += l->w[c] + 1;
	}
	return pos - 1;
}

void col_default_order(struct col_layout *l, int n)
{
	l->n = n < COLS_MAX ? n : COLS_MAX;
	for (int i = 0; i < l->n; i++)
		l->order[i] = (uint8_t)i;
}

int col_find(const struct col_set *s, const char *id)
{
	for (int c = 0; c < s->n; c++)
		if (!strcmp(s->col[c].id, id))
			return c;
	return -1;
}

int col_at(const struct col_layout *l, int x)
{
	for (int i = 0; i < l->n; i++) {
		int c = l->order[i];

		if (l->w[c] && x >= l->x[c] && x <= l->x[c] + l->w[c])
			return c;
	}
	return -1;
}
