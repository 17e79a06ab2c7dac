// SPDX-License-Identifier: GPL-2.0
/*
 * The Processes pane: one row per process holding sockets or recently
 * active (pid, user, comm, cgroup, listening ports, sockets by state,
 * connects/s, accepts/s, binds, errors), sortable; the selected process's
 * command line at the bottom. Enter shows the Connections pane filtered
 * to that process (view_proc_conns.c, a page over this pane: Esc comes
 * back here). Rows come from procs.c; nothing here writes
 * the model.
 */
#include <errno.h>
#include <ncurses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "col_draw.h"
#include "columns.h"
#include "container.h"
#include "draw.h"
#include "fmt.h"
#include "keys.h"
#include "list.h"
#include "procinfo.h"
#include "procs.h"
#include "ui.h"
#include "view_kill.h"
#include "view_procs.h"

struct vprocs {
	uint32_t sel_pid;	/* selection, by key */
	size_t sel, top;
	int page;
	int sort; /* column (enum procs_sort) */
	bool desc;
	bool show_idle;			   /* also processes holding no socket now (exited ones) */
	size_t total;			   /* rows before hiding those */
	const struct proc_row **v;	   /* the rows in the pane's order */
	const struct proc_row **page_rows; /* the first on the page (drawing) */
	struct col_layout lay;		   /* the last frame's columns */
	size_t cap;
};

static int vprocs_init(struct ui *u, void **priv)
{
	struct vprocs *v = calloc(1, sizeof(*v));

	(void)u;
	if (!v)
		return -ENOMEM;
	v->sort = PS_SOCKS;
	v->desc = true;
	*priv = v;
	return 0;
}

static void vprocs_fini(void *priv)
{
	struct vprocs *v = priv;

	if (v)
		free(v->v);
	free(v);
}

/* Row order: the sort column's compare, then the pid, then the model's
 * order (rows point into one array), so the order is total. */
static int row_cmp(const void *pa, const void *pb, void *ctx)
{
	const struct proc_row *a = *(const struct proc_row *const *)pa;
	const struct proc_row *b = *(const struct proc_row *const *)pb;
	const struct vprocs *v = ctx;
	int c = procs_cols.col[v->sort].cmp(a, b);

	if (c)
		return v->desc ? -c : c;
	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* The pane's rows, sorted by the pane's column. */
static const struct proc_row **procs_refresh(struct ui *u, struct vprocs *v, size_t *n)
{
	struct procs *p = u->app->procs;
	const struct proc_row *all, **rows;

	*n = 0;
	if (!p)
		return NULL;
	procs_rebuild(p, u->app->model.table, ui_now(u), &u->filter, u->view_gen);
	all = procs_rows(p, n);
	if (*n > v->cap) {
		const struct proc_row **nv = realloc(v->v, *n * sizeof(*nv));

		if (!nv) {
			*n = 0;
			ui_note(u, "out of memory building the process rows");
			return NULL;
		}
		v->v = nv;
		v->cap = *n;
	}
	rows = v->v;
	v->total = *n;
	/* a process holding no socket (most often one that exited: a loop
	 * of curls) pads the pane: hidden unless asked for */
	*n = 0;
	for (size_t i = 0; i < v->total; i++)
		if (v->show_idle || all[i].nsocks)
			rows[(*n)++] = &all[i];
	qsort_r(rows, *n, sizeof(*rows), row_cmp, v);
	/* keep the selected process selected across re-sorts */
	for (size_t i = 0; i < *n; i++)
		if (rows[i]->pid == v->sel_pid)
			v->sel = i;
	if (v->sel >= *n)
		v->sel = *n ? *n - 1 : 0;
	if (*n)
		v->sel_pid = rows[v->sel]->pid;
	return rows;
}

static void draw_cmdline(struct ui *u, int y, const struct rect *r, const struct proc_row *p)
{
	char cmd[1024];
	int x = r->x;

	draw_fill(u, y, x, r->w, ROLE_STATUS);
	if (!p)
		return;
	if (u->app->replay || !procinfo_is(p->pid, p->pstart) ||
	    procinfo_cmdline(p->pid, cmd, sizeof(cmd)) || !cmd[0])
		snprintf(cmd, sizeof(cmd), "%s", u->app->replay ? "(replay: no command line)" :
				 "(exited or kernel thread)");
	x += draw_printf(u, y, x, r->w, ROLE_STATUS, "%u: ", p->pid);
	x += draw_untrusted(u, y, x, r->x + r->w - x, ROLE_STATUS, cmd, sizeof(cmd));
	if (p->netns && x + 4 < r->x + r->w) {
		const char *ns = nsnames_get(&u->app->nsnames, p->netns);
		char ino[16];

		x += draw_text(u, y, x, r->x + r->w - x, ROLE_DIM, "  netns ");
		if (!ns)
			ns = nsnames_label(NULL, p->netns, ino, sizeof(ino));
		x += draw_untrusted(u, y, x, r->x + r->w - x, ROLE_DIM, ns, strlen(ns));
	}
	if (p->cgroup[0] && x + 4 < r->x + r->w) {
		if (p->container[0]) {
			x += draw_text(u, y, x, r->x + r->w - x, ROLE_DIM, "  container ");
			x += draw_untrusted(u, y, x, r->x + r->w - x, ROLE_DIM, p->container,
					    strlen(p->container));
		}
		x += draw_text(u, y, x, r->x + r->w - x, ROLE_DIM, "  cgroup ");
		draw_untrusted(u, y, x, r->x + r->w - x, ROLE_DIM, p->cgroup, sizeof(p->cgroup));
	}
}

/* The i-th row on the page, for the width fit. */
static const void *page_row(const void *ctx, uint32_t i)
{
	return ((const struct vprocs *)ctx)->page_rows[i];
}

static void vprocs_draw(struct ui *u, void *priv, const struct rect *r)
{
	struct vprocs *v = priv;
	struct col_layout *l = &v->lay;
	int h = r->h - 2;
	const struct proc_row **rows;
	size_t n, on_page;

	rows = procs_refresh(u, v, &n);
	u->shown = (uint32_t)n;
	u->total = (uint32_t)v->total;
	v->page = h > 1 ? h : 1;
	if (v->sel < v->top)
		v->top = v->sel;
	if (h > 0 && v->sel >= v->top + (size_t)h)
		v->top = v->sel - (size_t)h + 1;
	on_page = n > v->top ? n - v->top : 0;
	if (h <= 0 || on_page > (size_t)h)
		on_page = h > 0 ? (size_t)h : 0;
	v->page_rows = rows + v->top;
	col_layout_page(u, &procs_cols, r->w, page_row, v, (uint32_t)on_page, ui_now(u), l);
	col_draw_titles(u, r->y, r->x, r->w, &procs_cols, l, v->sort, v->desc);
	for (int i = 0; i < h && v->top + (size_t)i < n; i++) {
		bool sel = v->top + (size_t)i == v->sel;

		col_draw_row(u, r->y + 1 + i, r->x, r->w, &procs_cols, l, rows[v->top + i],
			     ui_now(u), sel ? ROLE_SELECTION : ROLE_NORMAL, sel);
	}
	if (!n && v->total)
		draw_printf(u, r->y + 2, r->x + 2, r->w - 2, ROLE_DIM,
			    "no process holds a TCP socket now (a shows the %zu that did)",
			    v->total);
	else if (!n)
		draw_text(u, r->y + 2, r->x + 2, r->w - 2, ROLE_DIM,
			  "no process holds a TCP socket yet");
	draw_cmdline(u, r->y + r->h - 1, r, n ? rows[v->sel] : NULL);
}

static void list_get(struct ui *u, void *priv, struct list_pos *p)
{
	struct vprocs *v = priv;
	size_t n;

	procs_refresh(u, v, &n);
	*p = (struct list_pos){ (int64_t)n, (int64_t)v->sel, v->page };
}

static void list_set(struct ui *u, void *priv, int64_t i)
{
	struct vprocs *v = priv;
	const struct proc_row **rows;
	size_t n;

	rows = procs_refresh(u, v, &n);
	v->sel = (size_t)i;
	if (n)
		v->sel_pid = rows[v->sel]->pid;
}

static const struct list_ops procs_list = { list_get, list_set };

static int k_sort(struct ui *u, void *priv, int key)
{
	struct vprocs *v = priv;

	if (!u->app->procs)
		return R_NONE;
	if (key == 'I') {
		v->desc = !v->desc;
	} else {
		/* through the columns on the screen, in their order */
		v->sort = col_next_shown(&v->lay, v->sort, key == '<' || key == ',' ? -1 : 1);
		v->desc = procs_cols.col[v->sort].desc;
	}
	ui_note(u, "processes sorted by %s, %s", procs_cols.col[v->sort].title,
		v->desc ? "descending" : "ascending");
	return R_REDRAW;
}

static int k_enter(struct ui *u, void *priv, int key)
{
	struct vprocs *v = priv;
	const struct proc_row **rows;
	struct pconns_arg arg = { 0 }; /* no filter, title or back: the process's page */
	size_t n;

	(void)key;
	rows = procs_refresh(u, v, &n);
	if (!n)
		return R_NONE;
	arg.pid = rows[v->sel]->pid;
	arg.comm = rows[v->sel]->comm;
	return ui_push(u, &view_proc_conns, &arg);
}

static int k_kill(struct ui *u, void *priv, int key)
{
	struct vprocs *v = priv;
	const struct proc_row **rows;
	struct kill_target t = { 0 };
	size_t n;

	(void)key;
	rows = procs_refresh(u, v, &n);
	if (!n)
		return R_NONE;
	t.pid = rows[v->sel]->pid;
	t.pstart = rows[v->sel]->pstart;
	memcpy(t.comm, rows[v->sel]->comm, sizeof(t.comm));
	return ui_push(u, &view_kill, &t);
}

static int k_idle(struct ui *u, void *priv, int key)
{
	struct vprocs *v = priv;

	(void)key;
	v->show_idle = !v->show_idle;
	ui_note(u, "processes holding no socket %s", v->show_idle ? "shown" : "hidden");
	return R_REDRAW;
}

static const struct key_bind procs_keys[] = {
	{ '\n', '\r', KEY_ENTER, "Enter", "the process's sockets (Connections, filtered)",
	  k_enter },
	{ KEY_F(6), '>', '.', "F6 >", "sort by the next column", k_sort },
	{ '<', ',', 0, "<", "sort by the previous column", k_sort },
	{ 'I', 0, 0, NULL, "invert the sort order", k_sort },
	{ KEY_F(9), 'k', 0, "F9 k", "kill: send a signal to the process (asks first)", k_kill },
	{ 'a', 0, 0, NULL, "also show processes holding no socket now (exited ones among them)",
	  k_idle },
	{ 0, 0, 0, NULL, NULL, NULL },
};

const struct view view_procs = {
	.name = "Processes",
	.pane = true,
	.keys = procs_keys,
	.list = &procs_list,
	.cols = &procs_cols,
	.init = vprocs_init,
	.fini = vprocs_fini,
	.draw = vprocs_draw,
	.hints = "Enter:Sockets,F6:Sort",
};
