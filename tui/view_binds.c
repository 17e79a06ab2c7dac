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
#include "binds.h"
#include "draw.h"
#include "fmt.h"
#include "loader.h"
#include "rows.h"
#include "stream.h"
#include "table.h"
#include "ui.h"

#define COUNTS_SHOWN 1024

enum bcol { BC_TIME, BC_PID, BC_UID, BC_COMM, BC_PROT, BC_ADDR, BC_PORT, BC_OPTS, BC_IF,
	    BC_RESULT, BC_MAX };

static const struct {
	const char *title;
	int width;		/* 0: takes the rest */
	bool right;
	int drop;		/* dropped first on narrow screens: higher first */
} bcols[BC_MAX] = {
	[BC_TIME] = { "TIME", 8, false, 2 },  [BC_PID] = { "PID", 7, true, 0 },
	[BC_UID] = { "UID", 5, true, 3 },     [BC_COMM] = { "COMM", 10, false, 0 },
	[BC_PROT] = { "PROT", 4, false, 0 },  [BC_ADDR] = { "ADDR", 0, false, 0 },
	[BC_PORT] = { "PORT", 5, true, 0 },   [BC_OPTS] = { "OPTS", 5, false, 1 },
	[BC_IF] = { "IF", 2, true, 1 },       [BC_RESULT] = { "RESULT", 13, false, 0 },
};

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

/* Every column at 80 cells; wider screens give COMM up to 16 cells (as
 * bindsnoop -w) and the rest to ADDR; narrower ones drop UID, TIME, then
 * OPTS and IF. */
static void layout(int w, int *cx, int *cw)
{
	int fixed = 0, x = 0, avail, extra;
	bool on[BC_MAX];

	for (int c = 0; c < BC_MAX; c++) {
		on[c] = true;
		fixed += bcols[c].width + 1;
	}
	for (int lvl = 3; lvl >= 1 && w - fixed < 9; lvl--)
		for (int c = 0; c < BC_MAX; c++)
			if (bcols[c].drop == lvl && on[c]) {
				on[c] = false;
				fixed -= bcols[c].width + 1;
			}
	avail = w - fixed > 9 ? w - fixed : 9;
	extra = avail > 15 ? avail - 15 : 0;
	for (int c = 0; c < BC_MAX; c++)
		cw[c] = on[c] ? bcols[c].width : 0;
	cw[BC_COMM] += extra > 6 ? 6 : extra;
	cw[BC_ADDR] = avail - (extra > 6 ? 6 : extra);
	for (int c = 0; c < BC_MAX; c++) {
		cx[c] = x;
		x += cw[c] ? cw[c] + 1 : 0;
	}
}

static void draw_titles(struct ui *u, const struct rect *r, const int *cx, const int *cw)
{
	draw_fill(u, r->y, r->x, r->w, ROLE_COLUMNS);
	for (int c = 0; c < BC_MAX; c++) {
		if (!cw[c])
			continue;
		if (bcols[c].right)
			draw_text_right(u, r->y, r->x + cx[c], cw[c], ROLE_COLUMNS, bcols[c].title);
		else
			draw_text_pad(u, r->y, r->x + cx[c], cw[c], ROLE_COLUMNS, bcols[c].title);
	}
}

static void draw_event(struct ui *u, int y, const struct rect *r, const int *cx, const int *cw,
		       const struct event *ev, bool sel)
{
	char buf[96];
	int role = sel ? ROLE_SELECTION : ev->ret ? ROLE_ERROR : ROLE_NORMAL;
	int x0 = r->x;

	draw_fill(u, y, x0, r->w, role);
	if (cw[BC_TIME])
		draw_text(u, y, x0 + cx[BC_TIME], cw[BC_TIME], role,
			  fmt_hms(buf, sizeof(buf),
				  stream_wall_ns(u->app, ev->ts_ns)));
	snprintf(buf, sizeof(buf), "%u", ev->pid);
	draw_text_right(u, y, x0 + cx[BC_PID], cw[BC_PID], role, buf);
	if (cw[BC_UID]) {
		snprintf(buf, sizeof(buf), "%u", ev->uid);
		draw_text_right(u, y, x0 + cx[BC_UID], cw[BC_UID], role, buf);
	}
	draw_untrusted(u, y, x0 + cx[BC_COMM], cw[BC_COMM], role, ev->comm, sizeof(ev->comm));
	draw_text(u, y, x0 + cx[BC_PROT], cw[BC_PROT], role,
		  binds_proto_name(ev->protocol, buf, sizeof(buf)));
	fmt_addr_fit(buf, sizeof(buf), ev->family, ev->saddr, cw[BC_ADDR], u->utf8);
	draw_text(u, y, x0 + cx[BC_ADDR], cw[BC_ADDR], role, buf);
	snprintf(buf, sizeof(buf), "%u", binds_port(ev));
	draw_text_right(u, y, x0 + cx[BC_PORT], cw[BC_PORT], role, buf);
	if (cw[BC_OPTS])
		draw_text(u, y, x0 + cx[BC_OPTS], cw[BC_OPTS], role, binds_opts_str(buf, ev->flags));
	if (cw[BC_IF]) {
		snprintf(buf, sizeof(buf), "%u", ev->ifindex);
		draw_text_right(u, y, x0 + cx[BC_IF], cw[BC_IF], role, buf);
	}
	if (ev->ret)
		snprintf(buf, sizeof(buf), "%s", fmt_errno_name(ev->ret));
	else
		snprintf(buf, sizeof(buf), "%s", ev->flags & BIND_IMPLICIT ? "ok implicit" : "ok");
	draw_text(u, y, x0 + cx[BC_RESULT], cw[BC_RESULT],
		  sel ? role : ev->ret ? ROLE_ERROR : ev->flags & BIND_IMPLICIT ? ROLE_DIM : role,
		  buf);
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

static void bv_draw(struct ui *u, void *priv, const struct rect *r)
{
	struct bview *b = priv;
	int cx[BC_MAX], cw[BC_MAX], h = r->h - 1;
	const struct binds_stats *st = u->app->binds ? binds_stats(u->app->binds) : NULL;

	if (b->counts) {
		draw_counts(u, b, r);
		return;
	}
	bv_refresh(u, b);
	u->shown = b->n;
	u->total = u->app->binds ? binds_len(u->app->binds) : 0;
	b->page = h > 1 ? h : 1;
	layout(r->w, cx, cw);
	draw_titles(u, r, cx, cw);
	if (b->sel < b->top)
		b->top = b->sel;
	if (b->sel >= b->top + (uint32_t)b->page)
		b->top = b->sel - (uint32_t)b->page + 1;
	if (b->top + (uint32_t)b->page > b->n)
		b->top = b->n > (uint32_t)b->page ? b->n - (uint32_t)b->page : 0;
	for (int i = 0; i < h && b->top + (uint32_t)i < b->n; i++) {
		uint32_t k = b->top + (uint32_t)i;

		draw_event(u, r->y + 1 + i, r, cx, cw, &b->v[k], k == b->sel);
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

static int k_move(struct ui *u, void *priv, int key)
{
	struct bview *b = priv;
	int64_t s = b->sel, page = b->page;

	if (b->counts) {
		int64_t t = b->ctop;

		t += key == KEY_UP || key == 'k' ? -1 : key == KEY_DOWN || key == 'j' ? 1 :
		     key == KEY_PPAGE ? -page : key == KEY_NPAGE ? page :
		     key == KEY_HOME || key == 'g' ? -t : 1 << 30;
		b->ctop = t < 0 ? 0 : (uint32_t)(t > 1 << 30 ? 1 << 30 : t);
		return R_REDRAW;
	}
	bv_refresh(u, b);
	switch (key) {
	case KEY_UP: case 'k': s--; break;
	case KEY_DOWN: case 'j': s++; break;
	case KEY_PPAGE: s -= page; break;
	case KEY_NPAGE: s += page; break;
	case KEY_HOME: case 'g': s = 0; break;
	case KEY_END: case 'G': s = (int64_t)b->n - 1; break;
	}
	if (s >= (int64_t)b->n)
		s = (int64_t)b->n - 1;
	if (s < 0)
		s = 0;
	b->sel = (uint32_t)s;
	/* back on the newest row: follow new binds again (as tail -f) */
	b->have_sel = b->n > 0 && s > 0;
	if (b->have_sel)
		b->sel_key = b->v[b->sel];
	return R_REDRAW;
}

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
	e = table_find(u->app->table, ev->skaddr);
	if (!e) {
		ui_note(u, "that socket is gone or never listened/connected (no row)");
		return R_REDRAW;
	}
	rows_subject(e, &s);
	if (!filter_match(&u->filter, &s)) {
		ui_note(u, "that socket is hidden by the filter (Esc clears it)");
		return R_REDRAW;
	}
	for (int i = 0; i < u->npanes; i++) {
		if (u->slot[i].v != &view_conns)
			continue;
		view_conns_select(u, e->skaddr, e->serial);
		u->pane = i;
		return R_REBUILD | R_REDRAW |
		       (view_conns.enter ? view_conns.enter(u, u->slot[i].priv, NULL) : 0);
	}
	return R_NONE;
}

static const struct key_bind binds_keys[] = {
	{ KEY_UP, 'k', 0, "Up k", "select the previous bind", k_move },
	{ KEY_DOWN, 'j', 0, "Down j", "select the next (older) bind", k_move },
	{ KEY_PPAGE, 0, 0, NULL, "one page up", k_move },
	{ KEY_NPAGE, 0, 0, NULL, "one page down", k_move },
	{ KEY_HOME, 'g', 0, "Home g", "newest bind, and follow new ones", k_move },
	{ KEY_END, 'G', 0, "End G", "oldest bind kept", k_move },
	{ '\n', '\r', KEY_ENTER, "Enter", "show the bound TCP socket in Connections", k_enter },
	{ 'c', 0, 0, NULL, "bind counts per address and port (bindsnoop --count)", k_counts },
	{ 0, 0, 0, NULL, NULL, NULL },
};

const struct view view_binds = {
	.name = "Binds",
	.pane = true,
	.keys = binds_keys,
	.init = bv_init,
	.fini = bv_fini,
	.draw = bv_draw,
	.hints = "Enter:Socket,c:Counts",
};
