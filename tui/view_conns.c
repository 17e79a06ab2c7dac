// SPDX-License-Identifier: GPL-2.0
/*
 * The Connections pane: one row per socket (PID, COMM, IP version, local,
 * remote, STATE, time in state, age), sorted by any column, filtered by
 * the view filter, new sockets highlighted, closed ones dimmed. The rows
 * index is rebuilt only when the table, the filter or the sort changed.
 */
#include <errno.h>
#include <ncurses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "app.h"
#include "columns.h"
#include "col_draw.h"
#include "draw.h"
#include "fmt.h"
#include "list.h"
#include "loop.h"
#include "procs.h"
#include "row_search.h"
#include "rows.h"
#include "table.h"
#include "ui.h"
#include "view_kill.h"

#define NEW_NS (3ULL * 1000000000ULL) /* "new" highlight */

struct conns {
	struct rows rows;
	struct app *app; /* whose before_change waits for the rows' worker */
	uint64_t built_gen, built_view;
	int built_sort;
	bool built_desc, built;
	int page;	       /* rows on the last frame */
	struct rect area;      /* where the last frame drew (for the mouse) */
	struct col_layout lay; /* the last frame's columns */
	/* the last search: its needle, and the rows it found without it */
	struct row_needle needle;
	struct {
		uint64_t builds; /* the rows' builds then (rows.h) */
		uint32_t n, from, count;
	} seek;
	/* the rows an earlier needle was not in, which this one holds: passed
	 * over (typing on narrows a search) */
	struct {
		uint32_t from, count;
	} skip;
	/* a search under way: from row start, k rows read, left to read */
	struct {
		bool on;
		uint32_t start, k, left;
		unsigned int opens; /* the prompt it was typed in */
	} hunt;
};

/* The model is about to change: a re-sort's worker, which reads the
 * entries, ends first (the events wait that long; the frame after the key
 * was drawn already). */
static void conns_before_change(void *priv)
{
	struct conns *c = priv;

	if (c->rows.job)
		rows_finish(&c->rows);
}

static int conns_init(struct ui *u, void **priv)
{
	struct conns *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	rows_init(&c->rows, COL_STATE, false);
	c->app = u->app;
	if (c->app && !c->app->before_change) {
		c->app->before_change = conns_before_change;
		c->app->before_change_ctx = c;
	}
	*priv = c;
	return 0;
}

static void conns_fini(void *priv)
{
	struct conns *c = priv;

	if (!c)
		return;
	if (c->app && c->app->before_change_ctx == c) {
		c->app->before_change = NULL;
		c->app->before_change_ctx = NULL;
	}
	rows_free(&c->rows);
	free(c);
}

/* Rebuild the rows when anything they depend on changed. */
static void conns_refresh(struct ui *u, struct conns *c)
{
	struct rows_source src;
	uint64_t gen = table_generation(u->app->model.table);

	if (c->built && c->built_view == u->view_gen && c->built_sort == c->rows.sort_col &&
	    c->built_desc == c->rows.desc && (u->frozen || c->built_gen == gen))
		return;
	ui_rows_source(u, &src);
	if (rows_rebuild(&c->rows, &src, &u->filter))
		ui_note(u, "out of memory building the rows");
	c->built = true;
	c->built_gen = gen;
	c->built_view = u->view_gen;
	c->built_sort = c->rows.sort_col;
	c->built_desc = c->rows.desc;
}

/* The row's colour: selected, closed (dimmed), new (bold), or plain. */
static int row_role(const struct sock_entry *e, bool sel, uint64_t now)
{
	bool closed = (e->flags & SOCK_CLOSED) || e->state == TS_CLOSE;
	bool fresh = !closed && now >= e->first_ns && now - e->first_ns < NEW_NS;

	return sel ? ROLE_SELECTION : closed ? ROLE_CLOSED : fresh ? ROLE_NEW : ROLE_NORMAL;
}

/* The i-th row on the page, for the width fit (rows_need covered it). */
static const void *page_row(const void *ctx, uint32_t i)
{
	const struct rows *rows = ctx;

	return rows_row(rows, rows->top + i);
}

static void conns_draw(struct ui *u, void *priv, const struct rect *r)
{
	struct conns *c = priv;
	struct rows *rows = &c->rows;
	struct col_layout *l = &c->lay;
	int h = r->h - 1;
	uint32_t on_page;
	uint64_t now = ui_now(u);

	conns_refresh(u, c);
	u->shown = rows->n;
	u->total = rows->total;
	c->page = h > 1 ? h : 1;
	c->area = *r;
	rows_scroll(rows, h);
	on_page = rows->n > rows->top ? rows->n - rows->top : 0;
	if (h <= 0 || on_page > (uint32_t)h)
		on_page = h > 0 ? (uint32_t)h : 0;
	rows_need(rows, rows->top, on_page);
	col_layout_page(u, &conns_cols, r->w, page_row, rows, on_page, now, l);
	col_draw_titles(u, r->y, r->x, r->w, &conns_cols, l, rows->sort_col, rows->desc);
	for (int i = 0; i < h && rows->top + (uint32_t)i < rows->n; i++) {
		uint32_t k = rows->top + (uint32_t)i;
		const struct sock_entry *e = rows_row(rows, k);
		bool sel = k == rows->sel;

		col_draw_row(u, r->y + 1 + i, r->x, r->w, &conns_cols, l, e, now,
			     row_role(e, sel, now), sel);
	}
	if (!rows->n)
		draw_text(u, r->y + 2, r->x + 2, r->w - 2, ROLE_DIM,
			  rows->total ? "no socket matches the filter (Esc clears it)" :
					"no TCP sockets seen yet");
}

static void list_get(struct ui *u, void *priv, struct list_pos *p)
{
	struct conns *c = priv;

	conns_refresh(u, c);
	*p = (struct list_pos){ c->rows.n, c->rows.sel, c->page };
}

static void list_set(struct ui *u, void *priv, int64_t i)
{
	(void)u;
	rows_select(&((struct conns *)priv)->rows, i);
}

static const struct list_ops conns_list = { list_get, list_set };

static int k_enter(struct ui *u, void *priv, int key)
{
	struct conns *c = priv;
	const struct sock_entry *e;
	struct sock_key k;

	(void)key;
	conns_refresh(u, c);
	e = rows_selected(&c->rows);
	if (!e)
		return R_NONE;
	k = (struct sock_key){ e->skaddr, e->serial };
	return ui_push(u, &view_detail, &k);
}

static int k_sort(struct ui *u, void *priv, int key)
{
	struct conns *c = priv;
	int col = c->rows.sort_col;

	if (key == 'I') {
		c->rows.desc = !c->rows.desc;
	} else {
		/* through the columns on the screen, in their order */
		col = col_next_shown(&c->lay, col, key == '<' || key == ',' ? -1 : 1);
		c->rows.sort_col = col;
		c->rows.desc = columns[col].desc;
	}
	ui_note(u, "sorted by %s, %s", columns[c->rows.sort_col].title,
		c->rows.desc ? "descending" : "ascending");
	return R_REBUILD;
}

/* Click a title to sort by it (again: invert), click a row to select it,
 * double-click for its detail, the wheel scrolls. */
static int k_mouse(struct ui *u, void *priv, int key)
{
	struct conns *c = priv;
	MEVENT m;
	int y;

	(void)key;
	if (getmouse(&m) != OK)
		return R_NONE;
	conns_refresh(u, c);
	if (m.bstate & BUTTON4_PRESSED) {
		rows_select(&c->rows, (int64_t)c->rows.sel - 3);
		return R_REDRAW;
	}
	if (m.bstate & BUTTON5_PRESSED) {
		rows_select(&c->rows, (int64_t)c->rows.sel + 3);
		return R_REDRAW;
	}
	if (!(m.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_DOUBLE_CLICKED)))
		return R_NONE;
	y = m.y - c->area.y;
	if (y < 0 || y >= c->area.h || m.x < c->area.x || m.x >= c->area.x + c->area.w)
		return R_NONE;
	if (y == 0) {
		int col = col_at(&c->lay, m.x - c->area.x);

		if (col < 0)
			return R_NONE;
		rows_sort_by(&c->rows, col);
		return R_REBUILD;
	}
	if (c->rows.top + (uint32_t)y - 1 >= c->rows.n)
		return R_NONE;
	rows_select(&c->rows, c->rows.top + (uint32_t)y - 1);
	if (m.bstate & BUTTON1_DOUBLE_CLICKED)
		return k_enter(u, priv, '\n');
	return R_REDRAW;
}

static int k_history(struct ui *u, void *priv, int key)
{
	(void)priv, (void)key;
	u->show_history = !u->show_history;
	ui_note(u, "finished sockets %s",
		u->show_history ? "kept visible" : "hidden after a few seconds");
	return R_REBUILD;
}

void view_conns_select(struct ui *u, uint64_t skaddr, uint64_t serial)
{
	struct conns *c = ui_priv(u, &view_conns);

	if (!c)
		return;
	rows_select_key(&c->rows, skaddr, serial);
	c->built = false; /* the rebuild finds the row by this key */
}

/* Rows read ahead of the search (their entries on the way to the cache). */
#define SEARCH_AHEAD 16
/* The search's share of a key's frame; the rest is read between frames
 * (a million rows without the text take 60-300 ms here) */
#define SEARCH_KEY_NS (6ULL * 1000000ULL)
/* rows read between two looks at the clock */
#define SEARCH_CLOCK_EVERY 1024

static uint64_t rows_builds(const struct conns *c)
{
	return c->rows.full_builds + c->rows.quick_builds;
}

/* Whether row i of n lies in the rows passed over (from, and count
 * after it, wrapping). */
static bool skipped(const struct conns *c, uint32_t i, uint32_t n)
{
	return c->skip.count && (i + n - c->skip.from) % n < c->skip.count;
}

/* Read rows of the search under way for up to budget_ns: FOUND (the row
 * selected), NONE (every row read), or GOING. Rows rebuilt between two
 * slices (events, a sort) are read on from the same place, as many as
 * were left: a row that moved may be passed over or read twice, as it
 * would if it had moved just before the search. */
static enum search_result hunt_slice(struct conns *c, uint64_t budget_ns)
{
	uint64_t t0 = mono_now_ns();
	uint32_t n = c->rows.n, reads = 0;

	if (!c->hunt.on)
		return SEARCH_NONE;
	if (rows_sorting(&c->rows))
		return SEARCH_GOING; /* the order is the worker's until it is done */
	rows_finish(&c->rows);	     /* ended: joined at once, v whole */
	n = c->rows.n;
	if (c->seek.builds != rows_builds(c) || c->seek.n != n) {
		c->hunt.start = n ? (c->hunt.start + c->hunt.k) % n : 0;
		c->hunt.left = c->hunt.left < n ? c->hunt.left : n;
		c->hunt.k = 0;
		c->skip.count = 0;
		c->seek.builds = rows_builds(c);
		c->seek.n = n;
		c->seek.from = c->hunt.start;
	}
	while (c->hunt.k < c->hunt.left) {
		uint32_t i = (c->hunt.start + c->hunt.k) % n;

		if (skipped(c, i, n)) {
			/* jump to the end of the stretch */
			c->hunt.k += c->skip.count - (i + n - c->skip.from) % n;
			continue;
		}
		if (c->hunt.k + SEARCH_AHEAD < c->hunt.left) {
			/* the two lines a row's text comes from */
			uint32_t a = (c->hunt.start + c->hunt.k + SEARCH_AHEAD) % n;
			const char *ahead = (const char *)c->rows.v[a];

			__builtin_prefetch(ahead);
			__builtin_prefetch(ahead + 64);
		}
		if (row_needle_match(&c->needle, c->rows.names, c->rows.v[i])) {
			rows_select(&c->rows, i);
			c->hunt.on = false;
			break;
		}
		c->hunt.k++;
		if (++reads % SEARCH_CLOCK_EVERY == 0 && mono_now_ns() - t0 >= budget_ns)
			break;
	}
	/* every row from start up to the one found (or all) lacks it */
	c->seek.from = c->hunt.start;
	c->seek.count = c->hunt.k < c->hunt.left ? c->hunt.k : c->hunt.left;
	if (!c->hunt.on)
		return SEARCH_FOUND;
	if (c->hunt.k < c->hunt.left)
		return SEARCH_GOING;
	c->hunt.on = false;
	return SEARCH_NONE;
}

/*
 * From the selection (next: the row after it) on, wrapping, to the first
 * row whose text holds the needle. Typing on narrows: a needle that holds
 * the last one is not in rows the last search passed over without it, as
 * long as the rows have not been rebuilt since, so those are skipped.
 * What the key's frame cannot read goes on between frames (conns_idle).
 */
static enum search_result conns_search(struct ui *u, void *priv, const char *needle, bool next)
{
	struct conns *c = priv;
	uint32_t n;
	bool narrows;

	if (!needle) {
		c->hunt.on = false; /* what it read so far stays known (seek) */
		return SEARCH_NONE;
	}
	conns_refresh(u, c);
	n = c->rows.n;
	narrows = c->seek.count && c->seek.builds == rows_builds(c) && c->seek.n == n &&
		  strcasestr(needle, c->needle.text);
	row_needle_init(&c->needle, needle);
	c->skip.from = c->seek.from;
	c->skip.count = narrows ? c->seek.count : 0;
	c->hunt.on = n > 0;
	c->hunt.start = n ? (c->rows.sel + (next ? 1 : 0)) % n : 0;
	c->hunt.k = 0;
	c->hunt.left = n;
	c->hunt.opens = u->prompt.opens;
	c->seek.builds = rows_builds(c);
	c->seek.n = n;
	c->seek.from = c->hunt.start;
	c->seek.count = 0;
	return hunt_slice(c, SEARCH_KEY_NS);
}

/* Between frames: the rest of a search under way. */
static bool conns_idle(struct ui *u, void *priv, uint64_t budget_ns)
{
	struct conns *c = priv;
	enum search_result r;

	if (!c->hunt.on)
		return false;
	conns_refresh(u, c); /* the rows point into the table: as it is now */
	r = hunt_slice(c, budget_ns);
	if (r == SEARCH_GOING)
		return true;
	ui_search_ended(u, r, c->hunt.opens);
	return false;
}

static int k_kill(struct ui *u, void *priv, int key)
{
	struct conns *c = priv;
	const struct sock_entry *e;
	struct kill_target t = { 0 };

	(void)key;
	conns_refresh(u, c);
	e = rows_selected(&c->rows);
	if (!e)
		return R_NONE;
	t.pid = e->pid;
	t.pstart = e->pstart;
	memcpy(t.comm, entry_comm(u->app->model.table, e), sizeof(t.comm));
	return ui_push(u, &view_kill, &t);
}

static const struct key_bind conns_keys[] = {
	{ '\n', '\r', KEY_ENTER, "Enter", "socket detail: addresses, owner, state timeline",
	  k_enter },
	{ KEY_F(6), '>', 0, "F6 >", "sort by the next column", k_sort },
	{ '<', ',', 0, "<", "sort by the previous column", k_sort },
	{ 'I', 0, 0, NULL, "invert the sort order", k_sort },
	{ 'c', KEY_F(5), 0, "c F5", "keep finished (closed) sockets visible", k_history },
	{ KEY_F(9), 'k', 0, "F9 k", "kill: send a signal to the socket's owner (asks first)",
	  k_kill },
	{ KEY_MOUSE, 0, 0, "Mouse",
	  "click: sort by a title, select a row; double-click: detail; wheel", k_mouse },
	{ 0, 0, 0, NULL, NULL, NULL },
};

const struct view view_conns = {
	.name = "Connections",
	.pane = true,
	.keys = conns_keys,
	.list = &conns_list,
	.cols = &conns_cols,
	.init = conns_init,
	.fini = conns_fini,
	.draw = conns_draw,
	.hints = "Enter:Detail,F3:Search,F6:Sort,c:Closed",
	.search = conns_search,
	.idle = conns_idle,
};
