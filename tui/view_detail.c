// SPDX-License-Identifier: GPL-2.0
/*
 * Socket detail page: one lifecycle's addresses, owner and flags, its
 * state history as bars scaled to the socket's life, and the same data as
 * a transition table (time, task context, time spent in the old state).
 * It follows the socket live; when the socket leaves the table the last
 * copy stays on screen, marked as gone.
 */
#include <errno.h>
#include <ncurses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "app.h"
#include "container.h"
#include "detail_traffic.h"
#include "draw.h"
#include "fmt.h"
#include "procs.h"
#include "stream.h"
#include "table.h"
#include "ui.h"
#include "view_kill.h"

struct detail {
	struct sock_key key;
	struct sock_entry last;		/* copy of the last frame's entry */
	struct transition more[TABLE_MAX_TRANSITIONS]; /* and of its transitions */
	struct owner omore[TABLE_OWNERS_MORE];	       /* and holders past the first */
	struct sock_traffic traffic;		       /* and of its counters */
	struct traffic_more traffic_more;	       /* and of their more */
	struct traffic_hist hist;		       /* and of its traffic history (the entry's
					 * own may be freed once it is gone) */
	/* the transitions' task names (the table's ids of them go with the
	 * entry) */
	char tasks[TABLE_MAX_TRANSITIONS][EVENT_COMM_LEN];
	/* the owner's and the holders' names, for the same reason (the copy's
	 * ids are cleared: they would outlive what they name) */
	char comm[EVENT_COMM_LEN];
	char holders[TABLE_MAX_OWNERS][EVENT_COMM_LEN];
	bool have_hist;
	bool have, gone;
	int scroll;			/* first transition row shown */
	int page;
};

static int detail_init(struct ui *u, void **priv)
{
	(void)u;
	*priv = calloc(1, sizeof(struct detail));
	return *priv ? 0 : -ENOMEM;
}

static void detail_fini(void *priv)
{
	free(priv);
}

static int detail_enter(struct ui *u, void *priv, const void *arg)
{
	struct detail *d = priv;

	(void)u;
	if (arg)
		d->key = *(const struct sock_key *)arg;
	d->have = false;
	d->scroll = 0;
	return R_REDRAW;
}

/* durations here go below a millisecond: loopback handshakes take µs */
static char *dur(char *out, size_t outsz, uint64_t ns)
{
	if (ns && ns < 1000000)
		snprintf(out, outsz, "%lluus", (unsigned long long)ns / 1000);
	else
		fmt_duration(out, outsz, ns);
	return out;
}

static void hms_ms(struct ui *u, char *out, size_t outsz, uint64_t ts)
{
	uint64_t wall = stream_wall_ns(u->app, ts);
	char hms[16];

	fmt_hms(hms, sizeof(hms), wall);
	snprintf(out, outsz, "%s.%03llu", hms, (unsigned long long)(wall % 1000000000ULL) / 1000000);
}

static int info_lines(struct ui *u, const struct detail *d, const struct rect *r, uint64_t end)
{
	const struct sock_entry *e = &d->last;
	bool gone = d->gone;
	char a[64], b[64], d1[32], d2[32];
	int y = r->y, x;

	x = draw_printf(u, y, r->x, r->w, ROLE_TITLE, "Socket 0x%llx  ", (unsigned long long)e->skaddr);
	x += draw_text(u, y, r->x + x, r->w - x, role_for_state(e->state), tcp_state_name(e->state));
	fmt_duration(d1, sizeof(d1), end > e->state_ns ? end - e->state_ns : 0);
	fmt_duration(d2, sizeof(d2), end > e->first_ns ? end - e->first_ns : 0);
	{
		/* found by a snapshot: older than we can tell */
		const char *ge = sock_age_unknown(e) ? (u->utf8 ? "\u2265" : ">") : "";

		x += draw_printf(u, y, r->x + x, r->w - x, ROLE_NORMAL, "  for %s%s, life %s%s",
				 e->state_ns == e->first_ns ? ge : "", d1, ge, d2);
	}
	if (e->flags & SOCK_CLOSED || e->state == TS_CLOSE)
		x += draw_text(u, y, r->x + x + 2, r->w - x - 2, ROLE_CLOSED, "[closed]") + 2;
	if (gone)
		draw_text(u, y, r->x + x + 2, r->w - x - 2, ROLE_WARN, "[gone from the table]");
	y++;
	fmt_addr(a, sizeof(a), e->family, e->saddr);
	fmt_addr(b, sizeof(b), e->family, e->daddr);
	{
		char l[80], rm[80];
		bool v6 = e->family == AF_INET6;
		int need;

		snprintf(l, sizeof(l), "%s%s%s:%u", v6 ? "[" : "", a, v6 ? "]" : "", e->lport);
		snprintf(rm, sizeof(rm), "%s%s%s:%u", v6 ? "[" : "", b, v6 ? "]" : "", e->rport);
		need = 7 + (int)strlen(l) + 3 + 8 + (int)strlen(rm);
		x = draw_text(u, y, r->x, r->w, ROLE_HEADER, "local  ");
		x += draw_text(u, y, r->x + x, r->w - x, ROLE_HEADER_VALUE, l);
		if (need > r->w) { /* long IPv6 pairs: one line each */
			y++;
			x = 0;
		} else {
			x += 3;
		}
		x += draw_text(u, y, r->x + x, r->w - x, ROLE_HEADER, "remote ");
		draw_text(u, y, r->x + x, r->w - x, ROLE_HEADER_VALUE, rm);
		y++;
	}
	x = draw_printf(u, y, r->x, r->w, ROLE_HEADER, "family %s  owner pid ",
			e->family == AF_INET6 ? "IPv6" : "IPv4");
	if (e->pid) {
		x += draw_printf(u, y, r->x + x, r->w - x, ROLE_HEADER_VALUE, "%u", e->pid);
		x += draw_text(u, y, r->x + x, r->w - x, ROLE_HEADER, "  comm ");
		x += draw_untrusted(u, y, r->x + x, r->w - x, ROLE_HEADER_VALUE, d->comm,
				    sizeof(d->comm));
		x += draw_printf(u, y, r->x + x, r->w - x, ROLE_HEADER, "  uid %u", e->uid);
		if (e->flags & SOCK_OWNER_LISTENER)
			x += draw_text(u, y, r->x + x, r->w - x, ROLE_WARN,
				       "  (the listener's: not accepted yet)");
	} else {
		x += draw_text(u, y, r->x + x, r->w - x, ROLE_DIM,
			       e->flags & SOCK_PASSIVE ? "not known yet (not accepted)" :
							 "unknown");
	}
	draw_printf(u, y, r->x + x, r->w - x, ROLE_DIM, "  %s%s%s%s%s",
		    e->flags & SOCK_ACTIVE ? "active open " : "",
		    e->flags & SOCK_PASSIVE ? "passive open " : "",
		    e->flags & SOCK_SEEN_AT_START ? "seen at start " : "",
		    e->flags & SOCK_FOUND_BY_RESYNC ? "found by resync " : "",
		    e->flags & SOCK_REPAIRED ? "resynced " : "");
	y++;
	if (e->nowners > 1 || (e->nowners == 1 && e->owners[0].pid != e->pid)) {
		/* other processes holding the socket (fork, passed fds) */
		x = draw_text(u, y, r->x, r->w, ROLE_HEADER, "held by ");
		for (int i = 0; i < e->nowners && i < TABLE_MAX_OWNERS && x < r->w; i++) {
			const struct owner *o = sock_owner(e, i);

			x += draw_printf(u, y, r->x + x, r->w - x, ROLE_HEADER_VALUE, "%s%u ",
					 i ? " " : "", o->pid);
			x += draw_untrusted(u, y, r->x + x, r->w - x, ROLE_NORMAL, d->holders[i],
					    sizeof(d->holders[i]));
			if (o->fd >= 0)
				x += draw_printf(u, y, r->x + x, r->w - x, ROLE_DIM, " fd %d", o->fd);
		}
		y++;
	}
	{ /* where it lives: its network namespace, its container */
		const char *ns = nsnames_get(&u->app->nsnames, e->netns);
		char cont[CONTAINER_NAME_MAX] = "";

		x = draw_text(u, y, r->x, r->w, ROLE_HEADER, "netns ");
		if (ns) {
			x += draw_untrusted(u, y, r->x + x, r->w - x, ROLE_HEADER_VALUE, ns,
					    strlen(ns));
			x += draw_printf(u, y, r->x + x, r->w - x, ROLE_DIM, " (%u)", e->netns);
		} else if (e->netns) {
			x += draw_printf(u, y, r->x + x, r->w - x, ROLE_HEADER_VALUE, "%u",
					 e->netns);
		} else {
			x += draw_text(u, y, r->x + x, r->w - x, ROLE_DIM, "unknown");
		}
		if (u->app->procs && e->cgroup_id)
			container_of_cgroup(procs_cgroup_name(u->app->procs, e->cgroup_id), cont,
					    sizeof(cont));
		if (cont[0]) {
			x += draw_text(u, y, r->x + x, r->w - x, ROLE_HEADER, "  container ");
			draw_untrusted(u, y, r->x + x, r->w - x, ROLE_HEADER_VALUE, cont,
				       strlen(cont));
		}
		y++;
	}
	if (e->flags & SOCK_ACTIVE) {
		/* connect_ret > 0: no outcome seen yet */
		dur(d1, sizeof(d1), e->handshake_ns);
		draw_printf(u, y, r->x, r->w, e->connect_ret < 0 ? ROLE_WARN : ROLE_HEADER,
			    "connect: handshake %s%s%s", e->handshake_ns ? d1 : "-",
			    e->connect_ret <= 0 ? "  result " : "",
			    e->connect_ret < 0 ? fmt_errno_name(e->connect_ret) :
			    e->connect_ret == 0 ? "ok" : "");
		y++;
	}
	return y - r->y;
}

/* one bar per state interval, scaled to the socket's life */
static int timeline(struct ui *u, const struct sock_entry *e, int y, const struct rect *r,
		    uint64_t end, int maxrows)
{
	uint64_t life = end > e->first_ns ? end - e->first_ns : 1;
	int lw = 12, dw = 10, bx = r->x + lw + 1, bw = r->w - lw - dw - 3, rows = 0;
	uint32_t n = e->ntrans;
	char d[32];

	if (bw < 10 || maxrows < 2)
		return 0;
	fmt_duration(d, sizeof(d), life);
	draw_text(u, y, r->x, r->w, ROLE_TITLE, "Timeline");
	draw_hline(u, y, r->x + 9, bw + lw - 8, ROLE_BORDER);
	/* the same life, and the same mark, as the title line */
	draw_printf(u, y, bx + bw + 1, dw + 2, ROLE_DIM, "life %s%s",
		    sock_age_unknown(e) ? (u->utf8 ? "\u2265" : ">") : "", d);
	rows++;
	for (uint32_t i = 0; i <= n && rows < maxrows; i++) {
		uint64_t a, b;
		int state, x0, x1;

		if (n == 0) {
			a = e->first_ns, b = end, state = e->state;
		} else if (i == n) {
			break;
		} else {
			a = sock_trans(e, i)->ts_ns;
			b = i + 1 < n ? sock_trans(e, i + 1)->ts_ns : end;
			state = sock_trans(e, i)->newstate;
		}
		if (state == TS_CLOSE && i + 1 == n)
			break; /* the end, not a state it stayed in */
		a = a < e->first_ns ? e->first_ns : a;
		b = b < a ? a : b;
		x0 = (int)((double)(a - e->first_ns) / (double)life * bw);
		x1 = (int)((double)(b - e->first_ns) / (double)life * bw + 0.5);
		if (x1 <= x0)
			x1 = x0 + 1;
		if (x1 > bw)
			x1 = bw, x0 = x0 >= bw ? bw - 1 : x0;
		draw_text(u, y + rows, r->x, lw, role_for_state(state), tcp_state_name((uint8_t)state));
		draw_text(u, y + rows, bx - 1, 1, ROLE_BORDER, u->g->vline);
		draw_bar(u, y + rows, bx + x0, x1 - x0, 1.0, role_for_state(state));
		draw_text(u, y + rows, bx + bw, 1, ROLE_BORDER, u->g->vline);
		dur(d, sizeof(d), b - a);
		/* the next transition leaves another state: the ones between
		 * were not seen, this one lasted at most that long */
		if (n && i + 1 < n && sock_trans(e, i + 1)->oldstate != state) {
			char at_most[sizeof(d)];

			snprintf(at_most, sizeof(at_most), "%s%.24s", u->utf8 ? "\u2264" : "<", d);
			memcpy(d, at_most, sizeof(d));
		}
		draw_text_right(u, y + rows, bx + bw + 1, dw, ROLE_NORMAL, d);
		rows++;
		if (e->trans_dropped && i + 2 == n && rows < maxrows) {
			draw_printf(u, y + rows, bx, bw, ROLE_WARN, "... %u transitions not stored",
				    e->trans_dropped);
			rows++;
		}
	}
	return rows;
}

static int transitions(struct ui *u, struct detail *dt, const struct sock_entry *e, int y,
		       const struct rect *r, int maxrows)
{
	int rows = 0, shown = 0, tw;
	char t[32], off[32], in_old[32];

	if (maxrows < 2)
		return 0;
	tw = r->w - (12 + 1 + 7 + 2 + 25 + 1 + 7 + 1 + 1 + 7);
	tw = tw > 16 ? 16 : tw < 6 ? 6 : tw;
	draw_fill(u, y, r->x, r->w, ROLE_COLUMNS);
	draw_printf(u, y, r->x, r->w, ROLE_COLUMNS, "%-12s %7s  %-25s %7s %-*s %7s", "TIME",
		    "+START", "OLD -> NEW", "PID", tw, "TASK", "IN OLD");
	rows++;
	dt->page = maxrows - 1;
	if (dt->scroll > (int)e->ntrans - dt->page)
		dt->scroll = (int)e->ntrans - dt->page;
	if (dt->scroll < 0)
		dt->scroll = 0;
	for (uint32_t i = (uint32_t)dt->scroll; i < e->ntrans && rows < maxrows; i++, shown++) {
		const struct transition *tr = sock_trans(e, i);
		uint64_t since = 0;
		char states[40];
		int x;

		/* as the table counts it: from the latest stamp before (another
		 * CPU's may be older), unknown ("-") across lost transitions */
		for (uint32_t j = 0; j < i; j++)
			since = sock_trans(e, j)->ts_ns > since ? sock_trans(e, j)->ts_ns : since;
		hms_ms(u, t, sizeof(t), tr->ts_ns);
		dur(off, sizeof(off), tr->ts_ns > e->first_ns ? tr->ts_ns - e->first_ns : 0);
		if (i > 0 && !(e->trans_dropped && i + 1 == e->ntrans) &&
		    tr->oldstate == sock_trans(e, i - 1)->newstate)
			dur(in_old, sizeof(in_old), tr->ts_ns > since ? tr->ts_ns - since : 0);
		else
			snprintf(in_old, sizeof(in_old), "-");
		snprintf(states, sizeof(states), "%s -> %s", tcp_state_name(tr->oldstate),
			 tcp_state_name(tr->newstate));
		x = draw_printf(u, y + rows, r->x, r->w, ROLE_NORMAL, "%-12s %7s  ", t, off);
		x += draw_printf(u, y + rows, r->x + x, r->w - x, role_for_state(tr->newstate), "%-25s", states);
		x += draw_printf(u, y + rows, r->x + x, r->w - x, ROLE_NORMAL, " %7u ", tr->pid);
		draw_untrusted(u, y + rows, r->x + x, tw, ROLE_NORMAL, dt->tasks[i],
			       sizeof(dt->tasks[i]));
		x += tw + 1;
		draw_text_right(u, y + rows, r->x + x, 7, ROLE_NORMAL, in_old);
		rows++;
	}
	if (!e->ntrans)
		draw_text(u, y + rows++, r->x + 2, r->w - 2, ROLE_DIM,
			  "no transitions seen: known from a snapshot");
	return rows;
}

static void detail_draw(struct ui *u, void *priv, const struct rect *r)
{
	struct detail *d = priv;
	const struct sock_entry *e = ui_find_sock(u, d->key.skaddr, d->key.serial);
	const struct traffic_hist *hist;
	uint64_t now = ui_now(u), end;
	int y, left, tl;

	if (e) {
		d->last = *e;
		if (e->trans) { /* the entry's own goes when it does */
			memcpy(d->more, e->trans, e->ntrans * sizeof(*e->trans));
			d->last.trans = d->more;
			for (uint32_t i = 0; i < e->ntrans; i++)
				memcpy(d->tasks[i],
				       table_comm(u->app->model.table, e->trans[i].comm),
				       sizeof(d->tasks[i]));
		}
		if (e->owners_more) {
			memcpy(d->omore, e->owners_more, sizeof(d->omore));
			d->last.owners_more = d->omore;
		}
		memcpy(d->comm, entry_comm(u->app->model.table, e), sizeof(d->comm));
		d->last.comm = 0;
		for (int i = 0; i < e->nowners && i < TABLE_MAX_OWNERS; i++) {
			memcpy(d->holders[i], owner_comm(u->app->model.table, sock_owner(e, i)),
			       sizeof(d->holders[i]));
			sock_owner(&d->last, i)->comm = 0;
		}
		hist = e->traffic ? traffic_more_of(e->traffic)->hist : NULL;
		if (hist) {
			d->hist = *hist;
			d->have_hist = true;
		} else if (!u->frozen) {
			d->have_hist = false; /* a paused copy has none: the last frame's stays */
		}
		if (e->traffic) {
			d->traffic = *e->traffic;
			d->last.traffic = &d->traffic;
			if (e->traffic->more) {
				d->traffic_more = *e->traffic->more;
				d->traffic_more.hist = NULL; /* not ours: the copy above is */
				d->traffic.more = &d->traffic_more;
			}
		}
		d->have = true;
		d->gone = false;
	} else {
		d->gone = true;
	}
	if (!d->have) {
		draw_text(u, r->y + 1, r->x + 2, r->w - 2, ROLE_DIM, "this socket is no longer known (Esc)");
		return;
	}
	e = &d->last;
	end = (e->flags & SOCK_CLOSED || e->state == TS_CLOSE) && sock_closed_ns(e) ?
		      sock_closed_ns(e) :
		      now;
	y = r->y + info_lines(u, d, r, end);
	if (e->state != TS_LISTEN)
		y += detail_traffic(u, &u->app->model.traffic, e, d->have_hist ? &d->hist : NULL, y,
				    r, end, (r->y + r->h - y) / 3);
	y++;
	left = r->y + r->h - y;
	/* bars get up to half the room, the table the rest */
	tl = timeline(u, e, y, r, end, left / 2 > 3 ? left / 2 : left - 3);
	y += tl + (tl ? 1 : 0);
	transitions(u, d, e, y, r, r->y + r->h - y);
}

static int k_back(struct ui *u, void *priv, int key)
{
	(void)u, (void)priv, (void)key;
	return R_POP | R_REDRAW;
}

static int k_scroll(struct ui *u, void *priv, int key)
{
	struct detail *d = priv;

	(void)u;
	if (key == KEY_UP)
		d->scroll--;
	else if (key == KEY_DOWN)
		d->scroll++;
	else if (key == KEY_PPAGE)
		d->scroll -= d->page;
	else
		d->scroll += d->page;
	if (d->scroll < 0)
		d->scroll = 0;
	return R_REDRAW;
}

static int k_kill(struct ui *u, void *priv, int key)
{
	struct detail *d = priv;
	struct kill_target t = { 0 };

	(void)key;
	if (!d->have)
		return R_NONE;
	t.pid = d->last.pid;
	t.pstart = d->last.pstart;
	memcpy(t.comm, d->comm, sizeof(t.comm));
	return ui_push(u, &view_kill, &t);
}

static const struct key_bind detail_keys[] = {
	{ 27, KEY_LEFT, KEY_BACKSPACE, "Esc Left", "back to the list", k_back },
	{ 'q', 0, 0, NULL, "back to the list", k_back },
	{ KEY_UP, 0, 0, "Up", "scroll the transitions up", k_scroll },
	{ KEY_DOWN, 0, 0, "Down", "scroll the transitions down", k_scroll },
	{ KEY_PPAGE, KEY_NPAGE, 0, "PgUp PgDn", "scroll a page", k_scroll },
	{ KEY_F(9), 'k', 0, "F9 k", "kill: send a signal to the socket's owner (asks first)",
	  k_kill },
	{ 0, 0, 0, NULL, NULL, NULL },
};

const struct view view_detail = {
	.name = "Socket detail",
	.keys = detail_keys,
	.init = detail_init,
	.fini = detail_fini,
	.enter = detail_enter,
	.draw = detail_draw,
	.hints = "Esc:Back",
};
