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
#include "draw.h"
#include "fmt.h"
#include "keys.h"
#include "procinfo.h"
#include "procs.h"
#include "ui.h"
#include "view_procs.h"

struct pcol {
	const char *title;
	int width;
	bool right;
	int prio;		/* lower = kept first on narrow screens */
	enum procs_sort sort;
	bool desc;		/* default direction */
};

static const struct pcol pcols[PS_MAX] = {
	[PS_PID] = { "PID", 7, true, 0, PS_PID, false },
	[PS_USER] = { "USER", 8, false, 9, PS_USER, false },
	[PS_COMM] = { "COMM", 15, false, 1, PS_COMM, false },
	[PS_CGROUP] = { "CGROUP", 18, false, 13, PS_CGROUP, false },
	[PS_LISTEN] = { "LISTEN", 12, false, 5, PS_LISTEN, false },
	[PS_SOCKS] = { "SOCKS", 5, true, 2, PS_SOCKS, true },
	[PS_ESTAB] = { "ESTAB", 5, true, 3, PS_ESTAB, true },
	[PS_SYN] = { "SYN", 4, true, 10, PS_SYN, true },
	[PS_CLOSE_WAIT] = { "CLOSE_W", 7, true, 4, PS_CLOSE_WAIT, true },
	[PS_OTHER] = { "OTHER", 5, true, 11, PS_OTHER, true },
	[PS_CONN_S] = { "CONN/s", 6, true, 6, PS_CONN_S, true },
	[PS_ACC_S] = { "ACC/s", 6, true, 7, PS_ACC_S, true },
	[PS_BINDS] = { "BINDS", 5, true, 12, PS_BINDS, true },
	[PS_ERRORS] = { "ERR", 4, true, 8, PS_ERRORS, true },
};

struct vprocs {
	uint32_t sel_pid;	/* selection, by key */
	size_t sel, top;
	int page;
};

static int vprocs_init(struct ui *u, void **priv)
{
	(void)u;
	*priv = calloc(1, sizeof(struct vprocs));
	return *priv ? 0 : -ENOMEM;
}

static void vprocs_fini(void *priv)
{
	free(priv);
}

static const struct proc_row *procs_refresh(struct ui *u, struct vprocs *v, size_t *n)
{
	struct procs *p = u->app->procs;
	const struct proc_row *rows;

	if (!p) {
		*n = 0;
		return NULL;
	}
	procs_rebuild(p, u->app->table, ui_now(u), &u->filter, u->view_gen);
	rows = procs_rows(p, n);
	/* keep the selected process selected across re-sorts */
	for (size_t i = 0; i < *n; i++)
		if (rows[i].pid == v->sel_pid)
			v->sel = i;
	if (v->sel >= *n)
		v->sel = *n ? *n - 1 : 0;
	if (*n)
		v->sel_pid = rows[v->sel].pid;
	return rows;
}

/* Columns that fit in w, by priority; x and width of each (0 = hidden). */
static void layout(int w, bool cgroups, int cx[PS_MAX], int cw[PS_MAX])
{
	int used = 0, x = 0;

	memset(cw, 0, sizeof(int) * PS_MAX);
	for (int prio = 0; prio < PS_MAX; prio++) {
		for (int c = 0; c < PS_MAX; c++) {
			if (pcols[c].prio != prio || (c == PS_CGROUP && !cgroups))
				continue;
			if (used + pcols[c].width + 1 <= w) {
				cw[c] = pcols[c].width;
				used += cw[c] + 1;
			}
		}
	}
	/* spare width goes to COMM, LISTEN and CGROUP */
	for (int c = PS_COMM; w - used > 0 && c <= PS_LISTEN; c++) {
		int extra = (w - used) / (c == PS_LISTEN ? 1 : 3);

		if (cw[c] && extra > 0) {
			extra = extra > 16 ? 16 : extra;
			cw[c] += extra;
			used += extra;
		}
	}
	for (int c = 0; c < PS_MAX; c++) {
		cx[c] = x;
		if (cw[c])
			x += cw[c] + 1;
	}
}

static void cell(struct ui *u, int y, int x, int c, const int *cw, int role, const char *s)
{
	if (!cw[c])
		return;
	if (pcols[c].right)
		draw_text_right(u, y, x, cw[c], role, s);
	else
		draw_text(u, y, x, cw[c], role, s);
}

static void draw_prow(struct ui *u, int y, const struct rect *r, const int *cx, const int *cw,
		      const struct proc_row *p, bool sel)
{
	int role = sel ? ROLE_SELECTION : ROLE_NORMAL, x = r->x;
	char b[64];
	size_t off = 0;

	draw_fill(u, y, x, r->w, role);
	snprintf(b, sizeof(b), "%u", p->pid);
	cell(u, y, x + cx[PS_PID], PS_PID, cw, role, b);
	if (cw[PS_USER]) { /* a name from the user database: escaped like a comm */
		procinfo_user(p->uid, b, sizeof(b));
		draw_untrusted(u, y, x + cx[PS_USER], cw[PS_USER], role, b, strlen(b));
	}
	if (cw[PS_COMM])
		draw_untrusted(u, y, x + cx[PS_COMM], cw[PS_COMM], role, p->comm, sizeof(p->comm));
	if (cw[PS_CGROUP])
		draw_untrusted(u, y, x + cx[PS_CGROUP], cw[PS_CGROUP], role, p->cgroup,
			       sizeof(p->cgroup));
	b[0] = '\0';
	for (int i = 0; i < p->nlports && off < sizeof(b); i++)
		off += (size_t)snprintf(b + off, sizeof(b) - off, "%s%u", i ? "," : "",
					p->lports[i]);
	if (p->more_lports && off < sizeof(b) - 2)
		strcat(b, ",+");
	cell(u, y, x + cx[PS_LISTEN], PS_LISTEN, cw, role, b);
#define NUM(c, v)                                                      \
	do {                                                           \
		snprintf(b, sizeof(b), "%llu", (unsigned long long)(v)); \
		cell(u, y, x + cx[c], c, cw, role, b);                 \
	} while (0)
	NUM(PS_SOCKS, p->nsocks);
	NUM(PS_ESTAB, p->by_state[TS_ESTABLISHED]);
	NUM(PS_SYN, p->by_state[TS_SYN_SENT] + p->by_state[TS_SYN_RECV]);
	NUM(PS_CLOSE_WAIT, p->by_state[TS_CLOSE_WAIT]);
	NUM(PS_OTHER, procs_row_other(p));
	NUM(PS_CONN_S, p->connects_s);
	NUM(PS_ACC_S, p->accepts_s);
	NUM(PS_BINDS, p->binds);
	NUM(PS_ERRORS, p->errors);
#undef NUM
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
	if (p->cgroup[0] && x + 4 < r->x + r->w) {
		x += draw_text(u, y, x, r->x + r->w - x, ROLE_DIM, "  cgroup ");
		draw_untrusted(u, y, x, r->x + r->w - x, ROLE_DIM, p->cgroup, sizeof(p->cgroup));
	}
}

static void vprocs_draw(struct ui *u, void *priv, const struct rect *r)
{
	struct vprocs *v = priv;
	enum procs_sort key = u->app->procs ? procs_sort_key(u->app->procs) : PS_SOCKS;
	bool desc = u->app->procs && procs_sort_desc(u->app->procs), cgroups = false;
	int cx[PS_MAX], cw[PS_MAX], h = r->h - 2;
	const struct proc_row *rows;
	size_t n;

	rows = procs_refresh(u, v, &n);
	for (size_t i = 0; i < n; i++)
		cgroups |= rows[i].cgroup[0] != '\0';
	layout(r->w, cgroups, cx, cw);
	u->shown = u->total = (uint32_t)n;
	v->page = h > 1 ? h : 1;
	draw_fill(u, r->y, r->x, r->w, ROLE_COLUMNS);
	for (int c = 0; c < PS_MAX; c++) {
		char t[32];

		if (!cw[c])
			continue;
		snprintf(t, sizeof(t), "%s%s", pcols[c].title,
			 c == (int)key ? (desc ? u->g->down : u->g->up) : "");
		cell(u, r->y, r->x + cx[c], c, cw, c == (int)key ? ROLE_COLUMN_SORT : ROLE_COLUMNS,
		     t);
	}
	if (v->sel < v->top)
		v->top = v->sel;
	if (h > 0 && v->sel >= v->top + (size_t)h)
		v->top = v->sel - (size_t)h + 1;
	for (int i = 0; i < h && v->top + (size_t)i < n; i++)
		draw_prow(u, r->y + 1 + i, r, cx, cw, &rows[v->top + i], v->top + i == v->sel);
	if (!n)
		draw_text(u, r->y + 2, r->x + 2, r->w - 2, ROLE_DIM,
			  "no process holds a TCP socket yet");
	draw_cmdline(u, r->y + r->h - 1, r, n ? &rows[v->sel] : NULL);
}

static int k_move(struct ui *u, void *priv, int key)
{
	struct vprocs *v = priv;
	const struct proc_row *rows;
	int64_t s;
	size_t n;

	rows = procs_refresh(u, v, &n);
	s = (int64_t)v->sel;
	switch (key) {
	case KEY_UP: case 'k': s--; break;
	case KEY_DOWN: case 'j': s++; break;
	case KEY_PPAGE: s -= v->page; break;
	case KEY_NPAGE: s += v->page; break;
	case KEY_HOME: case 'g': s = 0; break;
	case KEY_END: case 'G': s = (int64_t)n - 1; break;
	}
	if (s >= (int64_t)n)
		s = (int64_t)n - 1;
	if (s < 0)
		s = 0;
	v->sel = (size_t)s;
	if (n)
		v->sel_pid = rows[v->sel].pid;
	return R_REDRAW;
}

static int k_sort(struct ui *u, void *priv, int key)
{
	struct procs *p = u->app->procs;
	int c;

	(void)priv;
	if (!p)
		return R_NONE;
	c = (int)procs_sort_key(p);
	if (key == 'I') {
		procs_set_sort(p, c, !procs_sort_desc(p));
	} else {
		c = (c + (key == '<' || key == ',' ? PS_MAX - 1 : 1)) % PS_MAX;
		procs_set_sort(p, c, pcols[c].desc);
	}
	ui_note(u, "processes sorted by %s, %s", pcols[procs_sort_key(p)].title,
		procs_sort_desc(p) ? "descending" : "ascending");
	return R_REDRAW;
}

static int k_enter(struct ui *u, void *priv, int key)
{
	struct vprocs *v = priv;
	const struct proc_row *rows;
	struct pconns_arg arg;
	size_t n;

	(void)key;
	rows = procs_refresh(u, v, &n);
	if (!n)
		return R_NONE;
	arg.pid = rows[v->sel].pid;
	arg.comm = rows[v->sel].comm;
	return ui_push(u, &view_proc_conns, &arg);
}

static const struct key_bind procs_keys[] = {
	{ KEY_UP, 'k', 0, "Up k", "select the previous process", k_move },
	{ KEY_DOWN, 'j', 0, "Down j", "select the next process", k_move },
	{ KEY_PPAGE, 0, 0, NULL, "one page up", k_move },
	{ KEY_NPAGE, 0, 0, NULL, "one page down", k_move },
	{ KEY_HOME, 'g', 0, "Home g", "first process", k_move },
	{ KEY_END, 'G', 0, "End G", "last process", k_move },
	{ '\n', '\r', KEY_ENTER, "Enter", "the process's sockets (Connections, filtered)", k_enter },
	{ KEY_F(6), '>', '.', "F6 >", "sort by the next column", k_sort },
	{ '<', ',', 0, "<", "sort by the previous column", k_sort },
	{ 'I', 0, 0, NULL, "invert the sort order", k_sort },
	{ 0, 0, 0, NULL, NULL, NULL },
};

const struct view view_procs = {
	.name = "Processes",
	.pane = true,
	.keys = procs_keys,
	.init = vprocs_init,
	.fini = vprocs_fini,
	.draw = vprocs_draw,
	.hints = "Enter:Sockets,F6:Sort",
};
