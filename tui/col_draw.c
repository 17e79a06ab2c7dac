// SPDX-License-Identifier: GPL-2.0
/* A pane's titles and rows, drawn column by column from its column set. */
#include "col_draw.h"

#include <stdio.h>
#include <string.h>

#include "colconf.h"
#include "draw.h"
#include "fmt.h"
#include "theme.h"
#include "ui.h"

static void cell_of(const struct column *k, struct col_ctx *ctx, const void *row,
		    struct col_cell *cell)
{
	cell->buf[0] = '\0';
	cell->text = NULL;
	cell->len = 0;
	cell->raw = false;
	cell->role = -1;
	k->cell(ctx, row, cell);
}

/* The column's text in this row as drawn (escaped), into out; its cells. */
static int cell_text(struct ui *u, const struct column *k, const void *row, uint64_t now, char *out,
		     size_t outsz)
{
	struct col_ctx ctx = { .u = u, .now = now, .w = COL_TEXT_MAX - 1 };
	struct col_cell cell;
	const char *text;

	cell_of(k, &ctx, row, &cell);
	text = cell.text ? cell.text : cell.buf;
	if (cell.raw)
		fmt_escape(out, outsz, text, cell.len > COL_TEXT_MAX ? COL_TEXT_MAX : cell.len,
			   ESC_TEXT);
	else
		snprintf(out, outsz, "%s", text);
	return draw_width(out);
}

int col_cell_width(struct ui *u, const struct column *k, const void *row, uint64_t now)
{
	char esc[FMT_ESC_MAX(COL_TEXT_MAX)];

	return cell_text(u, k, row, now, esc, sizeof(esc));
}

int col_layout_page(struct ui *u, const struct col_set *s, int width,
		    const void *(*row)(const void *ctx, uint32_t i), const void *ctx, uint32_t n,
		    uint64_t now, struct col_layout *l)
{
	const struct col_choice *ch = colconf_choice_c(&u->colconf, s);
	struct col_fit *fit = NULL;
	struct col_choice all;
	int content[COLS_MAX];
	char first[FMT_ESC_MAX(COL_TEXT_MAX)];

	for (int i = 0; i < COLCONF_PANES; i++)
		if (colconf_sets[i] == s)
			fit = &u->colfit[i];
	if (!ch) {
		colconf_default(s, &all);
		ch = &all;
	}
	if (fit && fit->gen != u->view_gen) { /* a key made another page */
		memset(fit->seen, 0, sizeof(fit->seen));
		fit->gen = u->view_gen;
	}
	for (int c = 0; c < COLS_MAX; c++)
		content[c] = n ? 0 : -1;
	for (int k = 0; k < ch->n; k++) {
		int c = ch->order[k], avail;
		/* a column that reads the same on every row says nothing here */
		bool same = c < s->n && s->col[c].hide_same;

		if (c >= s->n)
			continue;
		avail = s->col[c].shown ? s->col[c].shown(u) : 0;
		if (avail < 0) {
			content[c] = COL_HIDDEN;
			continue;
		}
		same = same && avail == 0;
		for (uint32_t i = 0; i < n; i++) {
			char text[FMT_ESC_MAX(COL_TEXT_MAX)];
			int w = cell_text(u, &s->col[c], row(ctx, i), now, text, sizeof(text));

			if (w > content[c])
				content[c] = w;
			if (same && i == 0)
				snprintf(first, sizeof(first), "%s", text);
			else if (same && strcmp(first, text))
				same = false;
		}
		if (same)
			content[c] = 0;
	}
	return col_fit(l, s, ch, width, content, fit, now);
}

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
		ctx.w = l->w[c];
		cell_of(&s->col[c], &ctx, row, &cell);
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
