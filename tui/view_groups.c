// SPDX-License-Identifier: GPL-2.0
/*
 * The Groups pane: connections summed by remote address, by remote port
 * or by local service (m cycles), with counts by state, peers, bytes,
 * rates and retransmits; sortable like the other panes. Enter shows the
 * group's sockets (the Connections pane filtered to it, a page: Esc comes
 * back). The view filter applies, so "state estab" or w narrow the sums.
 */
#include <errno.h>
#include <ncurses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "col_draw.h"
#include "columns.h"
#include "draw.h"
#include "groups.h"
#include "groups_order.h"
#include "list.h"
#include "loop.h"
#include "ui.h"
#include "view_procs.h"

struct vgroups {
	struct groups *g;
	struct gorder o; /* the rows in the pane's order */
	enum group_by by;
	int sort; /* column (enum gcol) */
	bool desc;
	size_t sel, top;
	int page;
	struct group_row sel_key; /* the selection, by its key fields */
	bool have_sel;
	/* shown once: kept up to date from then on, shown or not, so that
	 * coming back costs nothing (a million groups: 0.6 s from scratch) */
	bool visited;
	bool exact;	   /* the rows and their order are the table's now */
	uint64_t fixed_ns; /* the order last kept up to date while hidden */
};

/* Work a frame does on the rows, and a turn of the loop between frames
 * (the rest of a count or a sort goes on there, ui_idle) */
#define FRAME_BUDGET_NS (8ULL * 1000000ULL)
#define HIDDEN_ORDER_NS (100ULL * 1000000ULL) /* the order while hidden: this often */

static int vgroups_init(struct ui *u, void **priv)
{
	struct vgroups *v = calloc(1, sizeof(*v));

	(void)u;
	if (!v)
		return -ENOMEM;
	v->g = groups_new();
	if (!v->g) {
		free(v);
		return -ENOMEM;
	}
	v->sort = GC_CONNS;
	v->desc = true;
	*priv = v;
	return 0;
}

static void vgroups_fini(void *priv)
{
	struct vgroups *v = priv;

	if (!v)
		return;
	groups_free(v->g);
	gorder_free(&v->o);
	free(v);
}

static bool same_group(const struct group_row *a, const struct group_row *b)
{
	return a->netns == b->netns && a->family == b->family && a->port == b->port &&
	       !memcmp(a->addr, b->addr, sizeof(a->addr));
}

/* Keep the selected group selected as the sums move (and the order):
 * found by its key in the groups' index, then its place in the pane's
 * order (a pass over row numbers). */
static void keep_selection(struct vgroups *v)
{
	size_t nrows, row;
	const struct group_row *all = groups_rows(v->g, &nrows);
	size_t n = v->o.n;

	if (v->have_sel && (v->sel >= n || !same_group(&all[v->o.ord[v->sel]], &v->sel_key)) &&
	    groups_find(v->g, &v->sel_key, &row))
		for (size_t i = 0; i < n; i++)
			if (v->o.ord[i] == row) {
				v->sel = i;
				break;
			}
	if (v->sel >= n)
		v->sel = n ? n - 1 : 0;
	v->have_sel = n > 0;
	if (n)
		v->sel_key = all[v->o.ord[v->sel]];
}

/* The rows and their order brought up to date, within budget_ns (0: no
 * limit): true when they are the table's now. */
static bool groups_refresh(struct ui *u, struct vgroups *v, uint64_t budget_ns)
{
	uint64_t t0 = mono_now_ns(), spent;
	int rc;

	v->visited = true;
	rc = groups_sync(v->g, u->app->model.table, &u->app->model.traffic, v->by, &u->filter,
			 u->view_gen, budget_ns);
	if (rc < 0)
		ui_note(u, "out of memory: some groups are missing");
	spent = mono_now_ns() - t0;
	if (rc == 1) {
		rc = gorder_update(&v->o, v->g, v->by, v->sort, v->desc,
				   !budget_ns	     ? 0 :
				   spent < budget_ns ? budget_ns - spent :
						       1);
		if (rc < 0)
			ui_note(u, "out of memory sorting the group rows");
	}
	v->exact = rc == 1;
	keep_selection(v);
	return v->exact;
}

/* Between frames: a count or a sort under way goes on; once shown, the
 * rows follow the table while hidden (the log read, the order now and
 * then). True while work is left. */
static bool vgroups_idle(struct ui *u, void *priv, uint64_t budget_ns)
{
	struct vgroups *v = priv;
	uint64_t now;
	size_t nchg;
	bool all;
	int rc;

	if (!v->visited)
		return false;
	if (!v->exact)
		return !groups_refresh(u, v, budget_ns);
	/* the log read before it overruns; shown, the frames do the rest */
	rc = groups_sync(v->g, u->app->model.table, &u->app->model.traffic, v->by, &u->filter,
			 u->view_gen, budget_ns);
	if (rc != 1) {
		v->exact = false;
		return rc == 0;
	}
	/* hidden, a few rows moved: put back now and then, so that Tab finds
	 * the order made; many (heavy churn): left for when it is shown (a
	 * sort from scratch then), not paid in the background all along */
	now = mono_now_ns();
	groups_changes(v->g, &nchg, &all);
	if (ui_top(u, NULL) != &view_groups && now - v->fixed_ns >= HIDDEN_ORDER_NS && !all &&
	    nchg <= GORDER_FIX_MAX) {
		v->fixed_ns = now;
		return !groups_refresh(u, v, budget_ns);
	}
	return false;
}

static void vgroups_draw(struct ui *u, void *priv, const struct rect *r)
{
	struct vgroups *v = priv;
	struct col_layout l;
	int h = r->h - 2;
	size_t nrows, n, done, of;
	const struct group_row *rows;
	bool counting;

	groups_refresh(u, v, FRAME_BUDGET_NS);
	counting = groups_counting(v->g, &done, &of);
	rows = groups_rows(v->g, &nrows);
	n = counting ? 0 : v->o.n;
	groups_cols_layout(r->w, v->by, n ? groups_key_w(v->g) : 0, &l);
	u->shown = u->total = (uint32_t)n;
	v->page = h > 1 ? h : 1;
	draw_fill(u, r->y, r->x, r->w, ROLE_TITLE);
	if (counting)
		draw_printf(u, r->y, r->x + 1, r->w - 1, ROLE_TITLE,
			    "counting sockets by %s: %zu%%", groups_by_name(v->by),
			    of ? done * 100 / of : 0);
	else
		draw_printf(u, r->y, r->x + 1, r->w - 1, ROLE_TITLE,
			    "%zu group%s by %s%s (m: by %s); Enter: their sockets", n,
			    n == 1 ? "" : "s", groups_by_name(v->by), v->exact ? "" : ", sorting",
			    groups_by_name((v->by + 1) % GROUP_MAX));
	col_draw_titles(u, r->y + 1, r->x, r->w, &groups_cols[v->by], &l, v->sort, v->desc);
	if (v->sel < v->top)
		v->top = v->sel;
	if (h > 0 && v->sel >= v->top + (size_t)h)
		v->top = v->sel - (size_t)h + 1;
	for (int i = 0; i < h && v->top + (size_t)i < n; i++) {
		bool sel = v->top + (size_t)i == v->sel;

		col_draw_row(u, r->y + 2 + i, r->x, r->w, &groups_cols[v->by], &l,
			     &rows[v->o.ord[v->top + i]], ui_now(u),
			     sel ? ROLE_SELECTION : ROLE_NORMAL, sel);
	}
	if (!n && !counting)
		draw_text(u, r->y + 3, r->x + 2, r->w - 2, ROLE_DIM,
			  v->by == GROUP_SERVICE ? "no connection to a local listening port" :
			  v->by == GROUP_RPORT	 ? "no outgoing connection" :
						   "no connection");
}

/* The rows as the last frame showed them */
static size_t shown(const struct vgroups *v)
{
	size_t done, of;

	return groups_counting(v->g, &done, &of) ? 0 : v->o.n;
}

static void list_get(struct ui *u, void *priv, struct list_pos *p)
{
	struct vgroups *v = priv;

	(void)u;
	*p = (struct list_pos){ (int64_t)shown(v), (int64_t)v->sel, v->page };
}

static void list_set(struct ui *u, void *priv, int64_t i)
{
	struct vgroups *v = priv;
	size_t nrows;
	const struct group_row *rows = groups_rows(v->g, &nrows);

	(void)u;
	if (!shown(v))
		return;
	v->sel = (size_t)i < shown(v) ? (size_t)i : shown(v) - 1;
	v->sel_key = rows[v->o.ord[v->sel]];
	v->have_sel = true;
}

void view_groups_state(struct ui *u, struct groups_view *out)
{
	struct vgroups *v = ui_priv(u, &view_groups);

	if (v->visited) /* its work done: a hidden pane's order is kept only now and then */
		groups_refresh(u, v, 0);
	*out = (struct groups_view){ v->g, &v->o, v->by, v->sort, v->desc, v->exact };
}

static const struct list_ops groups_list = { list_get, list_set };

static int k_mode(struct ui *u, void *priv, int key)
{
	struct vgroups *v = priv;

	(void)key;
	v->by = (v->by + 1) % GROUP_MAX;
	v->sel = v->top = 0;
	v->have_sel = false;
	ui_note(u, "grouped by %s", groups_by_name(v->by));
	return R_REDRAW;
}

static int k_sort(struct ui *u, void *priv, int key)
{
	struct vgroups *v = priv;
	const struct column *cols = groups_cols[v->by].col;

	(void)u;
	if (key == 'I') {
		v->desc = !v->desc;
		return R_REDRAW;
	}
	v->sort = (v->sort + (key == '<' || key == ',' ? GC_MAX - 1 : 1)) % GC_MAX;
	if (v->sort == GC_PEERS && v->by == GROUP_RADDR) /* not shown there */
		v->sort = (v->sort + (key == '<' || key == ',' ? GC_MAX - 1 : 1)) % GC_MAX;
	v->desc = cols[v->sort].desc;
	return R_REDRAW;
}

/* The group's sockets: the Connections pane under its filter, a page. */
static int k_enter(struct ui *u, void *priv, int key)
{
	struct vgroups *v = priv;
	char text[128], title[320], what[128];
	struct pconns_arg arg = { 0 };
	size_t nrows;
	const struct group_row *rows = groups_rows(v->g, &nrows);

	(void)key;
	if (!shown(v) || v->sel >= shown(v))
		return R_NONE;
	groups_filter_text(v->by, &rows[v->o.ord[v->sel]], text, sizeof(text));
	/* what the filter says, in words: "remote address 10.0.0.7" */
	snprintf(what, sizeof(what), "%s", strchr(text, ' ') ? strrchr(text, ' ') + 1 : text);
	snprintf(title, sizeof(title), "Sockets of %s %s", groups_by_name(v->by), what);
	arg.filter = text;
	arg.title = title;
	arg.back = "Groups";
	return ui_push(u, &view_proc_conns, &arg);
}

static const struct key_bind groups_keys[] = {
	{ '\n', '\r', KEY_ENTER, "Enter", "the group's sockets (Connections, filtered)", k_enter },
	{ 'm', 0, 0, NULL, "group by remote address, remote port, local service", k_mode },
	{ KEY_F(6), '>', '.', "F6 >", "sort by the next column", k_sort },
	{ '<', ',', 0, "<", "sort by the previous column", k_sort },
	{ 'I', 0, 0, NULL, "invert the sort order", k_sort },
	{ 0, 0, 0, NULL, NULL, NULL },
};

const struct view view_groups = {
	.name = "Groups",
	.pane = true,
	.keys = groups_keys,
	.list = &groups_list,
	.init = vgroups_init,
	.fini = vgroups_fini,
	.draw = vgroups_draw,
	.idle = vgroups_idle,
	.hints = "Enter:Sockets,m:Grouping,F6:Sort",
};
