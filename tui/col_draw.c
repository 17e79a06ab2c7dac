// SPDX-License-Identifier: GPL-2.0
/* A pane's titles and rows, drawn column by column from its column set. */
#include "col_draw.h"

#include <stdio.h>

#include "draw.h"
#include "theme.h"
#include "ui.h"

void col_draw_titles(struct ui *u, int y, int x0, int w, const struct col_set *s,
		     const struct col_layout *l, int sort, bool desc)
{
	draw_fill(u, y, x0, w, ROLE_COLUMNS);
	for (int i = 0; i < l->n; i++) {
		int c = l->order[i], role = c == sort ? ROLE_COLUMN_SORT : ROLE_COLUMNS;
		char t[48];

		if (!l->w[c])
			continue;
		snprintf(t, sizeof(t), "%s%s", s->col[c].title,
			 c == sort ? (desc ? u->g->down : u->g->up) : "");
		if (s->col[c].right)
			draw_text_right(u, y, x0 + l->x[c], l->w[c], role, t);
		else
			draw_text_pad(u, y, x0 + l->x[c], l->w[c], role, t);
	}
}

void col_draw_row(struct ui *u, int y, int x0, int w, const struct col_set *s,
		  const struct col_layout *l, const void *row, uint64_t now, int role, bool sel)
{
	struct col_ctx ctx = { .u = u, .now = now };

	draw_fill(u, y, x0, w, role);
	for (int i = 0; i < l->n; i++) {
		int c = l->order[i], r;
		struct col_cell cell;
		const char *text;

		if (!l->w[c])
			continue;
		cell.buf[0] = '\0';
		cell.text = NULL;
		cell.len = 0;
		cell.raw = false;
		cell.role = -1;
		ctx.w = l->w[c];
		s->col[c].cell(&ctx, row, &cell);
		r = cell.role >= 0 && !sel ? cell.role : role;
		text = cell.text ? cell.text : cell.buf;
		if (cell.raw)
			draw_untrusted(u, y, x0 + l->x[c], l->w[c], r, text, cell.len);
		else if (s->col[c].right)
			draw_text_right(u, y, x0 + l->x[c], l->w[c], r, text);
		else
			draw_text(u, y, x0 + l->x[c], l->w[c], r, text);
	}
}
