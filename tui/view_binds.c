// SPDX-License-Identifier: GPL-2.0
/*
 * The Binds pane: bind events newest first (TIME PID UID COMM PROT ADDR
 * PORT OPTS IF RESULT), failures in the error colour, implicit binds
 * marked; 'c' toggles the counts per address and port (bindsnoop
 * --count); Enter on a TCP bind whose socket is still in the table shows
 * it in the Connections pane. Reads the bind model only; keeps its own
 * filtered copy of the rows so a paused view holds still.
 */
#include <errno.h>
#include <ncurses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "app.h"
#include "col_draw.h"
#include "columns.h"
#include "binds.h"
#include "draw.h"
#include "fmt.h"
#include "list.h"
#include "loader.h"
#include "rows.h"
#include "stream.h"
#include "table.h"
#include "ui.h"

#define COUNTS_SHOWN 1024

struct bview {
	struct event *v;	/* shown events, newest first (copies) */
	uint32_t n, cap;
	uint32_t sel, top;
	struct event sel_key;	/* selection kept by (ts, skaddr, tid) */
	bool have_sel;
	bool counts;		/* 'c': counts per address and port */
	uint32_t ctop;
	uint64_t built_gen, built_view;
	bool built;
	int page;
};

static int bv_init(struct ui *u, void **priv)
{
	(void)u;
	*priv = calloc(1, sizeof(struct bview));
	return *priv ? 0 : -ENOMEM;
}

static void bv_fini(void *priv)
{
	struct bview *b = priv;

	if (b)
		free(b->v);
	free(b);
}

static void subject(const struct event *ev, struct filter_subject *s)
{
	*s = (struct filter_subject){
		.family = ev->family, .protocol = ev->protocol, .lport = binds_port(ev),
		.state = -1, .pid = ev->pid, .uid = ev->uid, .comm = ev->comm,
		.comm_len = sizeof(ev->comm), .saddr = ev->saddr, .cgroup_id = ev->cgroup_id,
		.err = ev->ret, .ext = ev,
	};
}

static bool same_event(const struct event *a, const struct event *b)
{
	return a->ts_ns == b->ts_ns && a->skaddr == b->skaddr && a->tid == b->tid;
}

/* Copy the matching events when the model, the filter or pause changed. */
static void bv_refresh(struct ui *u, struct bview *b)
{
	const struct binds *m = u->app->binds;
	uint32_t len;

	if (!m || (b->built && b->built_view == u->view_gen &&
		   (u->paused || b->built_gen == binds_generation(m))))
		return;
	len = binds_len(m);
	if (len > b->cap) {
		struct event *nv = realloc(b->v, len * sizeof(*nv));

		if (!nv) {
			ui_note(u, "out of memory building the bind rows");
			return;
		}
		b->v = nv;
		b->cap = len;
	}
	b->n = 0;
	for (uint32_t i = 0; i < len; i++) {
		const struct event *ev = binds_get(m, i);
		struct filter_subject s;

		subject(ev, &s);
		if (filter_match(&u->filter, &s))
			b->v[b->n++] = *ev;
	}
	/* keep the selected event selected as new ones arrive on top; with
	 * nothing picked the cursor follows the newest */
	if (!b->have_sel)
		b->sel = b->top = 0;
	if (b->have_sel) {
		for (uint32_t i = 0; i < b->n; i++)
			if (same_event(&b->v[i], &b->sel_key)) {
				uint32_t shift = i > b->sel ? i - b->sel : 0;

				b->sel = i;
				b->top += shift;
				break;
			}
	}
	if (b->sel >= b->n)
		b->sel = b->n ? b->n - 1 : 0;
	b->built = true;
	b->built_gen = binds_generation(m);
	b->built_view = u->view_gen;
}

/* The view filter's terms that a count (protocol, address, port) can
 * answer; pid, uid and comm are not kept per count and are left out. */
static void counts_filter(const struct filter *f, struct filter *cf)
{
	static const char *const keep[] = { "port", "lport", "addr", "laddr", "proto", "errors" };

	*cf = (struct filter){ .hide4 = f->hide4, .hide6 = f->hide6 };
	for (int i = 0; i < f->nterms; i++)
		for (size_t k = 0; k < sizeof(keep) / sizeof(keep[0]); k++)
			if (!strcmp(f->term[i].def->name, keep[k]))
				cf->term[cf->nterms++] = f->term[i];
}

/* Filter the sorted counts in place; returns how many are left. */
static uint32_t counts_match(const struct filter *cf, const struct bind_count **c, uint32_t n)
{
	uint32_t k = 0;

	for (uint32_t i = 0; i < n; i++) {
		struct filter_subject s = {
			.family = c[i]->key.family, .protocol = c[i]->key.protocol,
			.lport = c[i]->key.port, .state = -1, .uid = -1, .saddr = c[i]->key.addr,
			.err = c[i]->failed ? -1 : 0, .ext = c[i],
		};

		if (filter_match(cf, &s))
			c[k++] = c[i];
	}
	return k;
}

/* bindsnoop --count: one row per protocol, address and port */
static void draw_counts(struct ui *u, struct bview *b, const struct rect *r)
{
	const struct bind_count *c[COUNTS_SHOWN];
	uint32_t n = u->app->binds ? binds_counts(u->app->binds, c, COUNTS_SHOWN) : 0;
	int h = r->h - 1, aw = r->w - 34 > 15 ? r->w - 34 : 15;
	char addr[64], pbuf[12];
	struct filter cf;

	counts_filter(&u->filter, &cf);
	u->total = n;
	n = counts_match(&cf, c, n);

	draw_fill(u, r->y, r->x, r->w, ROLE_COLUMNS);
	draw_printf(u, r->y, r->x, r->w, ROLE_COLUMNS, "%-4s %-*s %5s %10s %10s", "PROT", aw,
		    "LADDR", "LPORT", "BINDS", "FAILED");
	if (b->ctop + (uint32_t)h > n)
		b->ctop = n > (uint32_t)h ? n - (uint32_t)h : 0;
	for (int i = 0; i < h && b->ctop + (uint32_t)i < n; i++) {
		const struct bind_count *k = c[b->ctop + (uint32_t)i];

		fmt_addr_fit(addr, sizeof(addr), k->key.family, k->key.addr, aw, u->utf8);
		draw_printf(u, r->y + 1 + i, r->x, r->w, k->failed ? ROLE_ERROR : ROLE_NORMAL,
			    "%-4s %-*s %5u %10llu %10llu",
			    binds_proto_name(k->key.protocol, pbuf, sizeof(pbuf)), aw, addr,
			    k->key.port, (unsigned long long)k->binds,
			    (unsigned long long)k->failed);
	}
	if (!n)
		draw_text(u, r->y + 2, r->x + 2, r->w - 2, ROLE_DIM,
			  u->total ? "no count matches the filter (port, addr, proto, errors)" :
				     "no binds counted yet");
	u->shown = n;
}

/* The i-th row on the page, for the width fit. */
static const void *page_row(const void *ctx, uint32_t i)
{
	const struct bview *b = ctx;

	return &b->v[b->top + i];
}

static void bv_draw(struct ui *u, void *priv, const struct rect *r)
{
	struct bview *b = priv;
	struct col_layout l;
	int h = r->h - 1;
	uint32_t on_page;
	const struct binds_stats *st = u->app->binds ? binds_stats(u->app->binds) : NULL;

	if (b->counts) {
		draw_counts(u, b, r);
		return;
	}
	bv_refresh(u, b);
	u->shown = b->n;
	u->total = u->app->binds ? binds_len(u->app->binds) : 0;
	b->page = h > 1 ? h : 1;
	if (b->sel < b->top)
		b->top = b->sel;
	if (b->sel >= b->top + (uint32_t)b->page)
		b->top = b->sel - (uint32_t)b->page + 1;
	if (b->top + (uint32_t)b->page > b->n)
		b->top = b->n > (uint32_t)b->page ? b->n - (uint32_t)b->page : 0;
	on_page = b->n > b->top ? b->n - b->top : 0;
	if (on_page > (uint32_t)b->page)
		on_page = (uint32_t)b->page;
	col_layout_page(u, &binds_cols, r->w, page_row, b, on_page, ui_now(u), &l);
	col_draw_titles(u, r->y, r->x, r->w, &binds_cols, &l, -1, false);
	for (int i = 0; i < h && b->top + (uint32_t)i < b->n; i++) {
		uint32_t k = b->top + (uint32_t)i;

		const struct event *ev = &b->v[k];
		bool sel = k == b->sel;
		int role = sel ? ROLE_SELECTION : ev->ret ? ROLE_ERROR : ROLE_NORMAL;

		col_draw_row(u, r->y + 1 + i, r->x, r->w, &binds_cols, &l, ev, ui_now(u), role,
			     sel);
	}
	if (!b->n && u->app->loader && !loader_feature_on(u->app->loader, feature_index("binds"))) {
		const char *why = loader_feature_why(u->app->loader, feature_index("binds"));
		int x = draw_text(u, r->y + 2, r->x + 2, r->w - 2, ROLE_WARN, "binds off: ");

		/* the reason may quote a path or libbpf's words */
		draw_untrusted(u, r->y + 2, r->x + 2 + x, r->w - 2 - x, ROLE_WARN, why, strlen(why));
	} else if (!b->n)
		draw_text(u, r->y + 2, r->x + 2, r->w - 2, ROLE_DIM,
			  !u->app->binds || !binds_len(u->app->binds) ?
				  "no bind events yet" :
				  "no bind matches the filter (Esc clears it)");
	if (st && st->dropped && h > 2)
		draw_printf(u, r->y + r->h - 1, r->x, r->w, ROLE_WARN,
			    "%llu older binds dropped (log holds %u)",
			    (unsigned long long)st->dropped, binds_len(u->app->binds));
}

static void list_get(struct ui *u, void *priv, struct list_pos *p)
{
	struct bview *b = priv;

	if (b->counts) { /* the counts scroll; the draw clamps the top */
		*p = (struct list_pos){ (1 << 30) + 1, b->ctop, b->page };
		return;
	}
	bv_refresh(u, b);
	*p = (struct list_pos){ b->n, b->sel, b->page };
}

static void list_set(struct ui *u, void *priv, int64_t i)
{
	struct bview *b = priv;

	(void)u;
	if (b->counts) {
		b->ctop = (uint32_t)i;
		return;
	}
	b->sel = (uint32_t)i;
	/* back on the newest row: follow new binds again (as tail -f) */
	b->have_sel = b->n > 0 && i > 0;
	if (b->have_sel)
		b->sel_key = b->v[b->sel];
}

static const struct list_ops binds_list = { list_get, list_set };

static int k_counts(struct ui *u, void *priv, int key)
{
	struct bview *b = priv;

	(void)key;
	b->counts = !b->counts;
	ui_note(u, "%s", b->counts ? "bind counts per address and port (c: back to events)" :
				    "bind events, newest first");
	return R_REDRAW;
}

/* Enter: the socket this bind made, in the Connections pane */
static int k_enter(struct ui *u, void *priv, int key)
{
	struct bview *b = priv;
	const struct event *ev;
	const struct sock_entry *e;
	struct filter_subject s;

	(void)key;
	bv_refresh(u, b);
	if (b->counts || b->sel >= b->n)
		return R_NONE;
	ev = &b->v[b->sel];
	if (ev->protocol != 6 || ev->ret) {
		ui_note(u, "only a TCP socket that was bound has a row in Connections");
		return R_REDRAW;
	}
	e = table_find(u->app->model.table, ev->skaddr);
	if (!e) {
		ui_note(u, "that socket is gone or never listened/connected (no row)");
		return R_REDRAW;
	}
	rows_subject(u->app->model.table, e, &s);
	if (!filter_match(&u->filter, &s)) {
		ui_note(u, "that socket is hidden by the filter (Esc clears it)");
		return R_REDRAW;
	}
	view_conns_select(u, e->skaddr, e->serial);
	return R_REBUILD | ui_show_pane(u, &view_conns);
}

static const struct key_bind binds_keys[] = {
	{ '\n', '\r', KEY_ENTER, "Enter", "show the bound TCP socket in Connections", k_enter },
	{ 'c', 0, 0, NULL, "bind counts per address and port (bindsnoop --count)", k_counts },
	{ 0, 0, 0, NULL, NULL, NULL },
};

const struct view view_binds = {
	.name = "Binds",
	.pane = true,
	.keys = binds_keys,
	.list = &binds_list,
	.cols = &binds_cols,
	.init = bv_init,
	.fini = bv_fini,
	.draw = bv_draw,
	.hints = "Enter:Socket,c:Counts",
};
