// SPDX-License-Identifier: GPL-2.0
/*
 * The page over the Processes pane (or the Groups pane): the Connections
 * pane filtered to one process (or to one group). Its draw and keys are the Connections pane's own; entering
 * sets the view filter to "pid N", Esc (or leaving) puts the previous
 * filter back and returns to the Processes pane.
 */
#include <errno.h>
#include <ncurses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "columns.h"
#include "draw.h"
#include "keys.h"
#include "list.h"
#include "ui.h"
#include "view_procs.h"

struct vpconns {
	uint32_t pid;
	char comm[EVENT_COMM_LEN];
	char title[160]; /* "" for a process's page */
	char back[24];
	struct filter saved;	/* the filter to put back on Esc */
};

static int pconns_init(struct ui *u, void **priv)
{
	(void)u;
	*priv = calloc(1, sizeof(struct vpconns));
	return *priv ? 0 : -ENOMEM;
}

static int pconns_enter(struct ui *u, void *priv, const void *arg)
{
	const struct pconns_arg *a = arg;
	struct vpconns *c = priv;
	char text[160], err[160];
	int pos;

	if (!a)
		return R_REDRAW;
	c->pid = a->pid;
	if (a->comm)
		memcpy(c->comm, a->comm, sizeof(c->comm));
	snprintf(c->title, sizeof(c->title), "%s", a->filter && a->title ? a->title : "");
	snprintf(c->back, sizeof(c->back), "%s", a->back ? a->back : "Processes");
	c->saved = u->filter;
	if (a->filter)
		snprintf(text, sizeof(text), "%s", a->filter);
	else
		snprintf(text, sizeof(text), "pid %u", a->pid);
	if (filter_parse(&u->filter, text, err, sizeof(err), &pos))
		ui_note(u, "%s", err);
	return R_REBUILD;
}

static void pconns_leave(struct ui *u, void *priv)
{
	struct vpconns *c = priv;

	u->filter = c->saved;
	u->view_gen++;
}

static void pconns_draw(struct ui *u, void *priv, const struct rect *r)
{
	struct vpconns *c = priv;
	struct rect rr = { r->y + 1, r->x, r->h - 1, r->w };
	int x = r->x;

	draw_fill(u, r->y, r->x, r->w, ROLE_TITLE);
	if (c->title[0]) {
		x += draw_untrusted(u, r->y, x, r->w, ROLE_TITLE, c->title, strlen(c->title));
		draw_printf(u, r->y, x, r->x + r->w - x, ROLE_TITLE, "; Esc: back to %s", c->back);
	} else {
		x += draw_printf(u, r->y, x, r->w, ROLE_TITLE, "Sockets of process %u (", c->pid);
		x += draw_untrusted(u, r->y, x, r->x + r->w - x, ROLE_TITLE, c->comm,
				    sizeof(c->comm));
		draw_printf(u, r->y, x, r->x + r->w - x, ROLE_TITLE, "); Esc: back to %s", c->back);
	}
	if (rr.h > 1)
		view_conns.draw(u, ui_priv(u, &view_conns), &rr);
}

/* Everything but Esc is the Connections pane's own key. */
static int k_conns(struct ui *u, void *priv, int key)
{
	(void)priv;
	return keys_dispatch(view_conns.keys, u, ui_priv(u, &view_conns), key);
}

static int k_back(struct ui *u, void *priv, int key)
{
	(void)u, (void)priv, (void)key;
	return R_POP | R_REBUILD;
}

/* The rows are the Connections pane's. */
static void list_get(struct ui *u, void *priv, struct list_pos *p)
{
	(void)priv;
	view_conns.list->get(u, ui_priv(u, &view_conns), p);
}

static void list_set(struct ui *u, void *priv, int64_t i)
{
	(void)priv;
	view_conns.list->set(u, ui_priv(u, &view_conns), i);
}

static const struct list_ops pconns_list = { list_get, list_set };

static const struct key_bind pconns_keys[] = {
	{ 27, KEY_BACKSPACE, 0, "Esc", "back to the pane below (filter as before)", k_back },
	{ '\n', '\r', KEY_ENTER, "Enter", "socket detail", k_conns },
	{ KEY_F(6), '>', '.', "F6 >", "sort by the next column", k_conns },
	{ '<', ',', 0, "<", "sort by the previous column", k_conns },
	{ 'I', 0, 0, NULL, "invert the sort order", k_conns },
	{ 0, 0, 0, NULL, NULL, NULL },
};

const struct view view_proc_conns = {
	.name = "Sockets",
	.pane = false,
	.keys = pconns_keys,
	.list = &pconns_list,
	.cols = &conns_cols,
	.init = pconns_init,
	.fini = free,
	.enter = pconns_enter,
	.leave = pconns_leave,
	.draw = pconns_draw,
	.hints = "Esc:Back,Enter:Detail",
};
