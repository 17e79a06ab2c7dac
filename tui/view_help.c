// SPDX-License-Identifier: GPL-2.0
/*
 * Help page, generated from the key tables that dispatch keys (global,
 * every pane, the pushed pages) and from the filter term table, so the
 * help cannot drift from the bindings.
 */
#include <errno.h>
#include <ncurses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "draw.h"
#include "columns.h"
#include "fmt.h"
#include "traffic.h"
#include "keys.h"
#include "list.h"
#include "loader.h"
#include "ui.h"
#include "ui_input.h"

struct help {
	int scroll, page, lines;
};

static int help_init(struct ui *u, void **priv)
{
	(void)u;
	*priv = calloc(1, sizeof(struct help));
	return *priv ? 0 : -ENOMEM;
}

static void help_fini(void *priv)
{
	free(priv);
}

static int help_enter(struct ui *u, void *priv, const void *arg)
{
	(void)u, (void)arg;
	((struct help *)priv)->scroll = 0;
	return R_REDRAW;
}

/* A cursor over the page: lines before scroll are counted, not drawn. */
struct pen {
	struct ui *u;
	const struct rect *r;
	int line, scroll;
};

static int pen_y(struct pen *p)
{
	int y = p->line++ - p->scroll;

	return y >= 0 && y < p->r->h ? p->r->y + y : -1;
}

static void title(struct pen *p, const char *t)
{
	int y;

	if (p->line)
		pen_y(p);
	y = pen_y(p);
	if (y >= 0)
		draw_text(p->u, y, p->r->x + 1, p->r->w - 1, ROLE_TITLE, t);
}

static void entry(struct pen *p, const char *a, const char *b)
{
	int y = pen_y(p), kw = p->r->w >= 80 ? 18 : 14;

	if (y < 0)
		return;
	/* a label as wide as its column gets a line of its own, so it never
	 * runs into the text beside it */
	if ((int)strlen(a) >= kw) {
		draw_text(p->u, y, p->r->x + 3, p->r->w - 3, ROLE_HEADER_VALUE, a);
		y = pen_y(p);
		if (y < 0)
			return;
	} else {
		draw_text(p->u, y, p->r->x + 3, kw, ROLE_HEADER_VALUE, a);
	}
	draw_text(p->u, y, p->r->x + 3 + kw, p->r->w - 3 - kw, ROLE_NORMAL, b);
}

/* An entry whose text wraps at spaces over as many lines as it needs. */
static void entry_wrapped(struct pen *p, const char *a, const char *b)
{
	int kw = p->r->w >= 80 ? 18 : 14, room = p->r->w - 3 - kw;
	char line[256];

	if (room < 20) {
		entry(p, a, b);
		return;
	}
	do {
		int n = (int)strlen(b), cut = n;

		if (n > room) {
			for (cut = room; cut > room / 2 && b[cut] != ' '; cut--)
				;
			if (b[cut] != ' ')
				cut = room;
		}
		if (cut >= (int)sizeof(line))
			cut = (int)sizeof(line) - 1;
		memcpy(line, b, (size_t)cut);
		line[cut] = '\0';
		entry(p, a, line);
		a = "";
		b += cut;
		while (*b == ' ')
			b++;
	} while (*b);
}

/* Live capture: each hook, on or off with the reason (kernel lockdown,
 * missing hook, --disable ...), so a lost feature is explained here. */
static void hooks_section(struct pen *p, const struct app *a)
{
	char why[256], esc[FMT_ESC_MAX(sizeof(why))];

	if (!a->loader)
		return;
	title(p, "Capture hooks (--disable LIST turns hooks off)");
	for (int f = 0; f < features_count(); f++) {
		if (!loader_feature_used(a->loader, f))
			continue;
		if (loader_feature_on(a->loader, f)) {
			entry(p, loader_feature_name(f), "on");
			continue;
		}
		/* the reason may quote a path or libbpf's words: escaped */
		snprintf(why, sizeof(why), "off: %s", loader_feature_why(a->loader, f));
		entry_wrapped(p, loader_feature_name(f), fmt_escape(esc, sizeof(esc), why,
								  strlen(why), ESC_TEXT));
	}
}

/* The traffic columns: what each shows, and why they are empty or "-" */
static void traffic_section(struct pen *p, const struct app *a)
{
	const struct traffic_state *ts = &a->model.traffic;
	char why[200], esc[FMT_ESC_MAX(sizeof(why))];

	title(p, "Traffic columns (the kernel's own tcp_sock counters, read once a second)");
	if (loader_traffic(a->loader)) {
		const struct traffic *t = loader_traffic(a->loader);

		snprintf(why, sizeof(why),
			 "every %.1f s (a pass takes %.1f ms; passes are spaced "
			 "so they cost at most 3%% of a CPU)",
			 (double)traffic_interval_ns(t) / 1e9, (double)traffic_pass_ns(t) / 1e6);
		entry_wrapped(p, "refresh", why);
	}
	if (ts->why[0]) {
		snprintf(why, sizeof(why), "none: %s", ts->why);
		entry_wrapped(p, "counters",
			      fmt_escape(esc, sizeof(esc), why, strlen(why), ESC_TEXT));
	}
	for (int c = COL_TX; c <= COL_DELIVERY; c++)
		entry_wrapped(p, columns[c].title, columns[c].help);
	entry_wrapped(p, "-",
		      "no counters for this socket yet (a listener, a TIME_WAIT, one not "
		      "sampled yet), or this kernel's tcp_sock lacks the field (bytes_acked "
		      "and bytes_received before 4.1, bytes_sent before 4.19, the delivery "
		      "rate before 4.9)");
	entry_wrapped(p, "widths",
		      "the columns show as the terminal's width allows: RX/s and "
		      "TX/s first, all of them from about 200 columns; sort with < > "
		      "like any other");
}

static void keys_section(struct pen *p, const char *name, const struct view *v)
{
	char label[48];

	title(p, name);
	/* a view with rows: the shared list keys first, then its own */
	for (const struct key_bind *t = v->list ? list_keys : NULL; t && t->fn; t++)
		entry(p, keys_label(t, label, sizeof(label)), t->help);
	for (const struct key_bind *t = v->keys; t && t->fn; t++)
		entry(p, keys_label(t, label, sizeof(label)), t->help);
}

static void help_draw(struct ui *u, void *priv, const struct rect *r)
{
	struct help *h = priv;
	struct pen p = { u, r, 0, h->scroll };
	char sec[64], arg[64], names[32][THEME_NAME_LEN], list[512];
	int n, off = 0;

	hooks_section(&p, u->app);
	keys_section(&p, "Keys everywhere", &(const struct view){ .keys = ui_global_keys });
	for (int i = 0; i < u->npanes; i++) {
		snprintf(sec, sizeof(sec), "%s pane", u->slot[i].v->name);
		keys_section(&p, sec, u->slot[i].v);
	}
	for (int i = u->npanes; i < u->nslots; i++) {
		snprintf(sec, sizeof(sec), "%s page", u->slot[i].v->name);
		keys_section(&p, sec, u->slot[i].v);
	}
	title(&p, "Filter terms (after / or F4; terms are ANDed; Enter applies, Esc clears)");
	for (const struct filter_term_def *d = filter_terms; d->name; d++) {
		snprintf(arg, sizeof(arg), "%s %s", d->name, d->arg ? d->arg : "");
		entry_wrapped(&p, arg, d->help);
	}
	traffic_section(&p, u->app);
	entry(&p, "example", "port 443 state estab addr 10.0.0.0/8");
	title(&p, "Themes (t cycles; --theme NAME; NO_COLOR means mono)");
	n = theme_list(names, 32);
	list[0] = '\0';
	for (int i = 0; i < n && off < (int)sizeof(list); i++) {
		char esc[FMT_ESC_MAX(THEME_NAME_LEN)];

		/* file names are not ours: escaped like every outside string */
		fmt_escape(esc, sizeof(esc), names[i], strlen(names[i]), ESC_TEXT);
		off += snprintf(list + off, sizeof(list) - (size_t)off, "%s%s%s", i ? "  " : "",
				esc, !strcmp(names[i], u->theme.name) ? "*" : "");
	}
	entry(&p, "available", n ? list : "(no theme files found)");
	title(&p, "Coming from htop: where the keys differ");
	entry_wrapped(&p, "Space", "pauses the view (htop: tags a process)");
	entry_wrapped(&p, "t", "next colour theme (htop: tree view)");
	entry_wrapped(&p, "c F5", "keep closed sockets visible (htop: tag children, tree)");
	entry_wrapped(&p, "Tab", "next pane: Connections, Binds, Processes, Groups");
	entry_wrapped(&p, "Esc", "clears the filter (Up in the prompt brings it back)");
	entry_wrapped(&p, "L", "socktop's messages (htop: l lists open files)");
	entry_wrapped(&p, "w 4 6", "hide TIME_WAIT, IPv4, IPv6 (htop: no such rows)");
	entry_wrapped(&p, "F9 k", "kill, as htop: Up and Down move (no j/k in lists)");
	entry_wrapped(&p, "u P M T", "none: filter with uid N, sort with < > or a click");
	title(&p, "Rows");
	entry(&p, "highlighted", "new in the last 3 seconds");
	entry(&p, "dimmed", "closed: stays a few seconds (c keeps finished sockets)");
	title(&p, "Header");
	entry_wrapped(&p, "open", "sockets in a TCP state now; the state counts beside it add up to it");
	entry_wrapped(&p, "closed", "closed sockets still shown (dimmed), not counted in open");
	entry_wrapped(&p, "running", "how long socktop has run (not the host's uptime)");
	entry_wrapped(&p, "lost", "events the kernel could not hand over (its ring was full)");
	entry_wrapped(&p, "repaired", "sockets a resync from the kernel's own lists put right "
				      "after lost events");
	entry_wrapped(&p, "missed", "BPF program runs the kernel skipped (recursion_misses)");
	entry_wrapped(&p, "evicted", "sockets dropped to stay within --max-sockets or memory");
	entry(&p, u->utf8 ? "\u2265 before a time" : "> before a time",
	      "at least: found by a snapshot (start-up, resync)");
	h->lines = p.line;
	h->page = r->h;
}

static int k_back(struct ui *u, void *priv, int key)
{
	(void)u, (void)priv, (void)key;
	return R_POP | R_REDRAW;
}

static int k_scroll(struct ui *u, void *priv, int key)
{
	struct help *h = priv;
	int max;

	(void)u;
	switch (key) {
	case KEY_UP: case 'k': h->scroll--; break;
	case KEY_DOWN: case 'j': h->scroll++; break;
	case KEY_PPAGE: h->scroll -= h->page; break;
	case KEY_NPAGE: case ' ': h->scroll += h->page; break;
	case KEY_HOME: h->scroll = 0; break;
	case KEY_END: h->scroll = h->lines; break;
	}
	max = h->lines - h->page;
	if (h->scroll > max)
		h->scroll = max;
	if (h->scroll < 0)
		h->scroll = 0;
	return R_REDRAW;
}

static const struct key_bind help_keys[] = {
	{ 27, 'q', KEY_F(1), "Esc q F1", "close help", k_back },
	{ KEY_UP, 'k', 0, "Up k", "scroll up", k_scroll },
	{ KEY_DOWN, 'j', 0, "Down j", "scroll down", k_scroll },
	{ KEY_PPAGE, 0, 0, NULL, "page up", k_scroll },
	{ KEY_NPAGE, ' ', 0, "PgDn Space", "page down", k_scroll },
	{ KEY_HOME, KEY_END, 0, "Home End", "top / bottom", k_scroll },
	{ 0, 0, 0, NULL, NULL, NULL },
};

const struct view view_help = {
	.name = "Help",
	.keys = help_keys,
	.init = help_init,
	.fini = help_fini,
	.enter = help_enter,
	.draw = help_draw,
	.hints = "Esc:Back,PgDn:More",
};
