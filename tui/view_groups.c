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
#include "list.h"
#include "ui.h"
#include "view_procs.h"

struct vgroups {
	struct groups *g;
	enum group_by by;
	int sort; /* column (enum gcol) */
	bool desc;
	size_t sel, top;
	int page;
	const struct group_row **v; /* the rows in the pane's order */
	uint32_t *order;	    /* row numbers in that order (groups_order) */
	size_t cap;
	struct group_row sel_key; /* the selection, by its key fields */
	/* what v's order was sorted for: a frame that changed none of it
	 * does not sort again (a million groups: 0.8 s a qsort) */
	bool sorted;
	uint64_t sorted_builds;
	int sorted_sort;
	bool sorted_desc;
};

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
	free(v->v);
	free(v->order);
	free(v);
}

static bool same_group(const struct group_row *a, const struct group_row *b)
{
	return a->netns == b->netns && a->family == b->family && a->port == b->port &&
	       !memcmp(a->addr, b->addr, sizeof(a->addr));
}

/* Keep the selected group selected as the sums move (and the order):
 * looked for in the rows' own order, then its place in the pane's (a
 * million groups in the pane's order: a cache miss each). */
static const struct group_row **keep_selection(struct vgroups *v, const struct group_row *all,
					       size_t n)
{
	if (v->sel >= n || !same_group(v->v[v->sel], &v->sel_key)) {
		size_t row = n;

		for (size_t i = 0; i < n && row == n; i++)
			if (same_group(&all[i], &v->sel_key))
				row = i;
		for (size_t i = 0; i < n && row < n; i++)
			if (v->order[i] == row) {
				v->sel = i;
				break;
			}
	}
	if (v->sel >= n)
		v->sel = n ? n - 1 : 0;
	if (n)
		v->sel_key = *v->v[v->sel];
	return v->v;
}

static const struct group_row **groups_refresh(struct ui *u, struct vgroups *v, size_t *n)
{
	const struct group_row *all;

	*n = 0;
	if (groups_rebuild(v->g, u->app->model.table, &u->app->model.traffic, v->by, &u->filter,
			   u->view_gen))
		ui_note(u, "out of memory: some groups are missing");
	all = groups_rows(v->g, n);
	if (v->sorted && v->sorted_builds == groups_builds(v->g) && v->sorted_sort == v->sort &&
	    v->sorted_desc == v->desc)
		return keep_selection(v, all, *n);
	v->sorted = false;
	if (*n > v->cap) {
		const struct group_row **nv = realloc(v->v, *n * sizeof(*nv));
		uint32_t *no = nv ? realloc(v->order, *n * sizeof(*no)) : NULL;

		if (nv)
			v->v = nv;
		if (no)
			v->order = no;
		if (!no) {
			*n = 0;
			ui_note(u, "out of memory building the group rows");
			return NULL;
		}
		v->cap = *n;
	}
	if (groups_order(all, *n, v->by, v->sort, v->desc, v->order)) {
		*n = 0;
		ui_note(u, "out of memory sorting the group rows");
		return NULL;
	}
	for (size_t i = 0; i < *n; i++)
		v->v[i] = &all[v->order[i]];
	v->sorted = true;
	v->sorted_builds = groups_builds(v->g);
	v->sorted_sort = v->sort;
	v->sorted_desc = v->desc;
	return keep_selection(v, all, *n);
}

static void vgroups_draw(struct ui *u, void *priv, const struct rect *r)
{
	struct vgroups *v = priv;
	struct col_layout l;
	int h = r->h - 2;
	const struct group_row **rows;
	size_t n;

	rows = groups_refresh(u, v, &n);
	groups_cols_layout(r->w, v->by, rows ? groups_key_w(v->g) : 0, &l);
	u->shown = u->total = (uint32_t)n;
	v->page = h > 1 ? h : 1;
	draw_fill(u, r->y, r->x, r->w, ROLE_TITLE);
	draw_printf(u, r->y, r->x + 1, r->w - 1, ROLE_TITLE,
		    "%zu group%s by %s (m: by %s); Enter: their sockets", n, n == 1 ? "" : "s",
		    groups_by_name(v->by), groups_by_name((v->by + 1) % GROUP_MAX));
	col_draw_titles(u, r->y + 1, r->x, r->w, &groups_cols[v->by], &l, v->sort, v->desc);
	if (v->sel < v->top)
		v->top = v->sel;
	if (h > 0 && v->sel >= v->top + (size_t)h)
		v->top = v->sel - (size_t)h + 1;
	for (int i = 0; i < h && v->top + (size_t)i < n; i++) {
		bool sel = v->top + (size_t)i == v->sel;

		col_draw_row(u, r->y + 2 + i, r->x, r->w, &groups_cols[v->by], &l, rows[v->top + i],
			     ui_now(u), sel ? ROLE_SELECTION : ROLE_NORMAL, sel);
	}
	if (!n)
		draw_text(u, r->y + 3, r->x + 2, r->w - 2, ROLE_DIM,
			  v->by == GROUP_SERVICE ? "no connection to a local listening port" :
			  v->by == GROUP_RPORT	 ? "no outgoing connection" :
						   "no connection");
}

static void list_get(struct ui *u, void *priv, struct list_pos *p)
{
	struct vgroups *v = priv;
	size_t n;

	groups_refresh(u, v, &n);
	*p = (struct list_pos){ (int64_t)n, (int64_t)v->sel, v->page };
}

static void list_set(struct ui *u, void *priv, int64_t i)
{
	struct vgroups *v = priv;
	const struct group_row **rows;
	size_t n;

	rows = groups_refresh(u, v, &n);
	v->sel = (size_t)i;
	if (n)
		v->sel_key = *rows[v->sel];
}

static const struct list_ops groups_list = { list_get, list_set };

static int k_mode(struct ui *u, void *priv, int key)
{
	struct vgroups *v = priv;

	(void)key;
	v->by = (v->by + 1) % GROUP_MAX;
	v->sel = v->top = 0;
	memset(&v->sel_key, 0, sizeof(v->sel_key));
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
	const struct group_row **rows;
	char text[128], title[320], what[128];
	struct pconns_arg arg = { 0 };
	size_t n;

	(void)key;
	rows = groups_refresh(u, v, &n);
	if (!n)
		return R_NONE;
	groups_filter_text(v->by, rows[v->sel], text, sizeof(text));
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
	.hints = "Enter:Sockets,m:Grouping,F6:Sort",
};
