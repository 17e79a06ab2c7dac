// SPDX-License-Identifier: GPL-2.0
/* The shared list keys: one movement decoder for every pane with rows. */
#include "list.h"

#include <ncurses.h>

#include "ui.h"

static int k_move(struct ui *u, void *priv, int key)
{
	const struct view *v = ui_top(u, NULL);
	struct list_pos p;
	int64_t s;

	if (!v->list)
		return R_UNHANDLED;
	v->list->get(u, priv, &p);
	s = p.sel;
	switch (key) {
	case KEY_UP: s--; break;
	case KEY_DOWN: s++; break;
	case KEY_PPAGE: s -= p.page; break;
	case KEY_NPAGE: s += p.page; break;
	case KEY_HOME:
	case 'g': s = 0; break;
	case KEY_END:
	case 'G': s = p.n - 1; break;
	}
	if (s >= p.n)
		s = p.n - 1;
	if (s < 0)
		s = 0;
	v->list->set(u, priv, s);
	return R_REDRAW;
}

const struct key_bind list_keys[] = {
	/* no j/k: k kills, as in htop (view_kill.c) */
	{ KEY_UP, 0, 0, "Up", "select the previous row", k_move },
	{ KEY_DOWN, 0, 0, "Down", "select the next row", k_move },
	{ KEY_PPAGE, 0, 0, NULL, "one page up", k_move },
	{ KEY_NPAGE, 0, 0, NULL, "one page down", k_move },
	{ KEY_HOME, 'g', 0, "Home g", "first row", k_move },
	{ KEY_END, 'G', 0, "End G", "last row", k_move },
	{ 0, 0, 0, NULL, NULL, NULL },
};
