// SPDX-License-Identifier: GPL-2.0
/*
 * The column setup page (F2, as htop's): the columns of the pane it was
 * opened over, shown ones first in their order, then the hidden ones.
 * Space shows or hides one, F7/F8 (or [ ]) move it, d puts the defaults
 * back; the pane follows at once, and leaving the page writes the choice
 * to the columns file (colconf.h), so the next start has it too.
 */
#include <errno.h>
#include <ncurses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colconf.h"
#include "draw.h"
#include "fmt.h"
#include "list.h"
#include "ui.h"

struct setup {
	const struct col_set *set;
	struct col_choice *ch;
	int item[COLS_MAX]; /* shown columns in order, then the hidden ones */
	int nitem;
	int sel, top, page;
	bool dirty;
	char pane[32];
};

static int setup_init(struct ui *u, void **priv)
{
	(void)u;
	*priv = calloc(1, sizeof(struct setup));
	return *priv ? 0 : -ENOMEM;
}

static void items(struct setup *s)
{
	s->nitem = 0;
	for (int i = 0; i < s->ch->n; i++)
		s->item[s->nitem++] = s->ch->order[i];
	for (int c = 0; c < s->set->n && s->nitem < COLS_MAX; c++)
		if (!colconf_shown(s->ch, c))
			s->item[s->nitem++] = c;
}

/* Keep the selection on column c after the items moved. */
static void select_col(struct setup *s, int c)
{
	for (int i = 0; i < s->nitem; i++)
		if (s->item[i] == c)
			s->sel = i;
}

static int setup_enter(struct ui *u, void *priv, const void *arg)
{
	struct setup *s = priv;
	s->set = arg;
	s->ch = s->set ? colconf_choice(&u->colconf, s->set) : NULL;
	if (!s->ch)
		return R_POP | R_REDRAW;
	snprintf(s->pane, sizeof(s->pane), "%s", s->set->name);
	s->sel = s->top = 0;
	s->dirty = false;
	items(s);
	return R_REDRAW;
}

static void setup_leave(struct ui *u, void *priv)
{
	struct setup *s = priv;
	int err;

	if (!s->dirty)
		return;
	s->dirty = false;
	err = colconf_save(&u->colconf);
	if (err)
		ui_note(u, "columns kept for this run, not saved to %s: %s",
			u->colconf.path[0] ? u->colconf.path : "(no home directory)",
			err == -EPERM ? "still root (sudo without the privilege drop)" :
					strerror(-err));
	else
		ui_note(u, "columns saved to %s", u->colconf.path);
}

static void setup_draw(struct ui *u, void *priv, const struct rect *r)
{
	struct setup *s = priv;
	const struct col_fit *fit = NULL;
	char line[320];
	int h = r->h - 2;

	if (!s->ch)
		return;
	for (int i = 0; i < COLCONF_PANES; i++)
		if (colconf_sets[i] == s->set)
			fit = &u->colfit[i];
	draw_fill(u, r->y, r->x, r->w, ROLE_TITLE);
	draw_printf(u, r->y, r->x, r->w, ROLE_TITLE,
		    " Columns of the %s pane: Space show/hide, F7 F8 move, d defaults, Esc done",
		    s->pane);
	draw_fill(u, r->y + 1, r->x, r->w, ROLE_COLUMNS);
	draw_printf(u, r->y + 1, r->x, r->w, ROLE_COLUMNS, " %-4s %-10s %-10s %s", "SHOW", "COLUMN",
		    "FILTER", "WHAT IT SHOWS");
	s->page = h > 1 ? h : 1;
	if (s->sel < s->top)
		s->top = s->sel;
	if (s->sel >= s->top + s->page)
		s->top = s->sel - s->page + 1;
	for (int i = 0; i < h && s->top + i < s->nitem; i++) {
		int k = s->top + i, c = s->item[k];
		const struct column *col = &s->set->col[c];
		bool on = colconf_shown(s->ch, c), sel = k == s->sel;
		int role = sel ? ROLE_SELECTION : on ? ROLE_NORMAL : ROLE_DIM;

		const char *why = "";

		if (on && fit && !fit->on[c])
			why = col->hide_empty ? " (shown when a row has one)" :
						" (no room at this width now)";
		snprintf(line, sizeof(line), " [%c]  %-10s %-10s %s%s%s", on ? 'x' : ' ',
			 col->title, col->filter ? col->filter : "-", col->help,
			 col_sorts(col) ? "" : " (does not sort)", why);
		draw_fill(u, r->y + 2 + i, r->x, r->w, role);
		draw_text(u, r->y + 2 + i, r->x, r->w, role, line);
	}
}

static void list_get(struct ui *u, void *priv, struct list_pos *p)
{
	struct setup *s = priv;

	(void)u;
	*p = (struct list_pos){ s->nitem, s->sel, s->page };
}

static void list_set(struct ui *u, void *priv, int64_t i)
{
	(void)u;
	((struct setup *)priv)->sel = (int)i;
}

static const struct list_ops setup_list = { list_get, list_set };

static int k_toggle(struct ui *u, void *priv, int key)
{
	struct setup *s = priv;
	struct col_choice *ch = s->ch;
	int c;

	(void)key;
	if (!ch || s->sel >= s->nitem)
		return R_NONE;
	c = s->item[s->sel];
	if (colconf_shown(ch, c)) {
		int k = 0;

		if (ch->n == 1) {
			ui_note(u, "the last column shown stays");
			return R_REDRAW;
		}
		for (int i = 0; i < ch->n; i++)
			if (ch->order[i] != c)
				ch->order[k++] = ch->order[i];
		ch->order[k] = 0; /* the tail stays zero: choices are compared whole */
		ch->n = k;
	} else if (ch->n < COLS_MAX) {
		ch->order[ch->n++] = (uint8_t)c;
	}
	s->dirty = true;
	items(s);
	select_col(s, c);
	return R_REBUILD;
}

static int k_move(struct ui *u, void *priv, int key)
{
	struct setup *s = priv;
	struct col_choice *ch = s->ch;
	int at = s->sel, to = at + (key == KEY_F(7) || key == '[' ? -1 : 1);
	uint8_t t;

	if (!ch || at >= ch->n) {
		ui_note(u, "only a column shown has a place: Space shows it");
		return R_REDRAW;
	}
	if (to < 0 || to >= ch->n)
		return R_NONE;
	t = ch->order[at];
	ch->order[at] = ch->order[to];
	ch->order[to] = t;
	s->dirty = true;
	items(s);
	s->sel = to;
	return R_REBUILD;
}

static int k_defaults(struct ui *u, void *priv, int key)
{
	struct setup *s = priv;

	(void)key;
	if (!s->ch)
		return R_NONE;
	colconf_default(s->set, s->ch);
	s->dirty = true;
	items(s);
	s->sel = 0;
	ui_note(u, "the %s pane's default columns", s->pane);
	return R_REBUILD;
}

static int k_done(struct ui *u, void *priv, int key)
{
	(void)u, (void)priv, (void)key;
	return R_POP | R_REBUILD;
}

static const struct key_bind setup_keys[] = {
	{ ' ', '\n', '\r', "Space Enter", "show or hide the column", k_toggle },
	{ KEY_F(7), '[', 0, "F7 [", "move the column left (up the list)", k_move },
	{ KEY_F(8), ']', 0, "F8 ]", "move the column right (down the list)", k_move },
	{ 'd', 0, 0, NULL, "the pane's default columns", k_defaults },
	{ 27, KEY_F(2), 'q', "Esc F2 q", "done: back to the pane, the choice saved", k_done },
	{ 0, 0, 0, NULL, NULL, NULL },
};

const struct view view_setup = {
	.name = "Column setup",
	.keys = setup_keys,
	.list = &setup_list,
	.init = setup_init,
	.fini = free,
	.enter = setup_enter,
	.leave = setup_leave,
	.draw = setup_draw,
	.hints = "Space:Show,F7:Left,F8:Right,Esc:Done",
};
