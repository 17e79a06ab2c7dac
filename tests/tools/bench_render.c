// SPDX-License-Identifier: GPL-2.0
/*
 * bench_render: time of one whole UI frame (ui_draw: the connections
 * pane's rows brought up to date with the filter and the sort, the
 * visible rows, header and status drawn through curses into /dev/null)
 * with the table filled from a recording (mkfixture big N). Before each
 * measured frame the scenario's changes go through app_on_event as live
 * events would, and the clock moves on by one frame (100 ms):
 *
 *   draw     nothing changed: the frame only draws
 *   touch    the table says it changed, no socket says which
 *   states   100 open sockets change state
 *   churn    N sockets are born (SYN_SENT, ESTABLISHED) and N others
 *            close (FIN_WAIT1, FIN_WAIT2, CLOSE) every frame, and those
 *            closed more than the linger ago leave (app_tick): a busy
 *            server at 10*N connections a second (N = 1 or 10 per mille
 *            of the loaded sockets: 100 or 1000 at 100k). Measured after
 *            5 s of the same (the linger), so as many leave as close.
 *
 * Between frames the UI's work left for them (ui_idle: a count of the
 * Groups pane's rows under way, or those rows kept while it is hidden)
 * gets up to IDLE_NS after each frame, as the loop gives it while no
 * event waits; that time is printed apart (idle), not in the frame's.
 *
 *   bench_render FILE.rec [FRAMES] [COLSxLINES]
 * prints one line per scenario: rows shown, sort, filter, median and
 * p95 of the frame time; the housekeeping tick (expiry) is timed apart.
 * After each scenario the rows are compared with a build from scratch.
 * Exit status 0 unless it could not run.
 */
#include <errno.h>
#include <ncurses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "app.h"
#include "fmt.h"
#include "groups.h"
#include "groups_order.h"
#include "loop.h"
#include "prompt.h"
#include "recording.h"
#include "row_search.h"
#include "rows.h"
#include "table.h"
#include "ui.h"
#include "ui_input.h"

#define FRAME_NS (100ULL * 1000000ULL)
#define TARGET_NS 5000000ULL
#define KEY_TARGET_NS 16000000ULL    /* the frame after a key, median (issue 13) */
#define KEY_WORST_NS 50000000ULL     /* and the worst of them */
#define IDLE_NS (50ULL * 1000000ULL) /* of a frame's 100 ms, for ui_idle */

struct bench {
	struct app *a;
	struct ui *u;
	char needle[80]; /* the search scenarios' text, typed a key a frame */
	int typed;	 /* bytes of it typed so far */
	uint64_t *open;	 /* skaddrs of open sockets (churn picks from them) */
	uint32_t nopen;
	uint64_t next_sk;
	uint32_t rng;
	uint64_t tick_med, tick_p95; /* last churn run's app_tick */
	bool page_differs;	     /* a page drawn before its sort was done was wrong */
	uint32_t pages_checked;
	uint64_t turns_ns; /* ui_idle during a frame's events */
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint32_t rnd(struct bench *b)
{
	b->rng ^= b->rng << 13;
	b->rng ^= b->rng >> 17;
	b->rng ^= b->rng << 5;
	return b->rng;
}

static int load(struct app *a, const char *path)
{
	struct rec_header h;
	struct event ev;
	char err[512];
	struct rec_reader *r = rec_open(path, &h, err, sizeof(err));
	int rc;

	if (!r) {
		fprintf(stderr, "bench_render: %s\n", err);
		return -1;
	}
	snprintf(a->host, sizeof(a->host), "%s", h.host);
	a->wall_off_ns = h.wall_off_ns;
	a->start_ns = h.start_mono_ns;
	while ((rc = rec_read(r, &ev, err, sizeof(err))) == 1) {
		app_on_event(a, &ev);
		a->now_ns = ev.ts_ns;
	}
	rec_close_reader(r);
	if (rc < 0) {
		fprintf(stderr, "bench_render: %s\n", err);
		return -1;
	}
	return 0;
}

/* The open sockets of the loaded table, for churn to close. */
static int collect_open(struct bench *b)
{
	uint32_t n = table_count(b->a->model.table);

	b->open = malloc(((size_t)n + 1) * sizeof(*b->open));
	if (!b->open)
		return -ENOMEM;
	for (struct sock_entry *e = table_first(b->a->model.table); e; e = table_next(e))
		if (e->state != TS_LISTEN && !(e->flags & SOCK_CLOSED) && b->nopen < n)
			b->open[b->nopen++] = e->skaddr;
	return 0;
}

static void send_state(struct app *a, const struct sock_entry *e, uint64_t ts, int newstate)
{
	struct event ev = { .kind = EV_STATE,
			    .ts_ns = ts,
			    .skaddr = e->skaddr,
			    .family = e->family,
			    .lport = e->lport,
			    .rport = e->rport,
			    .oldstate = e->state,
			    .newstate = (uint8_t)newstate };

	memcpy(ev.saddr, e->saddr, sizeof(ev.saddr));
	memcpy(ev.daddr, e->daddr, sizeof(ev.daddr));
	app_on_event(a, &ev);
}

/* One socket closes (actively) and a new one is born in its place. */
static void churn_one(struct bench *b, uint64_t ts)
{
	static const char *const comms[] = { "nginx", "envoy", "java", "curl", "haproxy" };
	uint32_t i = rnd(b) % b->nopen, r = rnd(b);
	struct sock_entry *e = table_find(b->a->model.table, b->open[i]);
	struct event ev = { .kind = EV_STATE,
			    .ts_ns = ts,
			    .family = AF_INET,
			    .lport = (uint16_t)(1024 + r % 60000),
			    .rport = r & 1 ? 443 : 5432,
			    .oldstate = TS_CLOSE,
			    .newstate = TS_SYN_SENT,
			    .pid = 2000 + r % 3000,
			    .uid = 33 };

	if (e && !(e->flags & SOCK_CLOSED)) {
		send_state(b->a, e, ts, TS_FIN_WAIT1);
		send_state(b->a, e, ts + 1, TS_FIN_WAIT2);
		send_state(b->a, e, ts + 2, TS_CLOSE);
	}
	ev.skaddr = b->next_sk += 64;
	ev.saddr[0] = 10, ev.saddr[3] = 5;
	ev.daddr[0] = 10, ev.daddr[1] = (uint8_t)(r >> 8), ev.daddr[2] = (uint8_t)(r >> 16);
	ev.daddr[3] = (uint8_t)(1 + (r >> 24) % 254);
	snprintf(ev.comm, sizeof(ev.comm), "%s", comms[(r >> 4) % 5]);
	app_on_event(b->a, &ev);
	ev.ts_ns = ts + 3;
	ev.oldstate = TS_SYN_SENT;
	ev.newstate = TS_ESTABLISHED;
	ev.pid = 0; /* softirq */
	memset(ev.comm, 0, sizeof(ev.comm));
	app_on_event(b->a, &ev);
	b->open[i] = ev.skaddr;
}

enum scenario {
	SC_DRAW,
	SC_TOUCH,
	SC_STATES,
	SC_CHURN,
	SC_SORT,
	SC_INVERT,
	SC_FILTER_ON,
	SC_FILTER_OFF,
	SC_SEARCH_FOUND,
	SC_SEARCH_NONE,
	SC_END,
	SC_PANE,
	SC_GROUPS_SORT,
	SC_GROUPS_FILTER
};

static bool key_press(enum scenario sc)
{
	return sc >= SC_SORT;
}

/* Scenarios whose key goes through ui_key, timed with the frame it
 * draws (a search runs in the key, not in the frame). */
static bool through_ui_key(enum scenario sc)
{
	return sc >= SC_SEARCH_FOUND && sc != SC_GROUPS_FILTER;
}

/* The time between two frames the loop would give the UI's work left
 * (ui_idle), while some is left: the time it took. */
static uint64_t idle(struct bench *b)
{
	uint64_t t0 = mono_now_ns(), t;

	while (ui_idle(b->u, 5000000ULL) && (t = mono_now_ns() - t0) < IDLE_NS)
		;
	return mono_now_ns() - t0;
}

static const char *scenario_name(enum scenario sc, int churn, char *buf, size_t n)
{
	switch (sc) {
	case SC_DRAW: return "nothing changed (draw only)";
	case SC_TOUCH: return "table touched, no socket changed";
	case SC_STATES: return "100 state changes";
	case SC_SORT: return "key: sort by the next column";
	case SC_INVERT: return "key: invert the sort";
	case SC_FILTER_ON: return "key: filter port 443 typed";
	case SC_FILTER_OFF: return "key: filter port 443 cleared";
	case SC_SEARCH_FOUND: return "key: search typed (a row far down)";
	case SC_SEARCH_NONE: return "key: search typed (no such row)";
	case SC_END: return "key: End, Home (scroll to an end)";
	case SC_PANE: return "key: Tab (next pane, all four)";
	case SC_GROUPS_SORT: return "key: Groups, sort by the next column";
	case SC_GROUPS_FILTER: return "key: Groups, filter port 443 on, off";
	case SC_CHURN:
		snprintf(buf, n, "churn: %d born + %d closed + ~%d gone", churn, churn, churn);
		return buf;
	}
	return "?";
}

static int set_filter(struct ui *u, const char *text)
{
	char err[256];
	int pos;

	if (filter_parse(&u->filter, text, err, sizeof(err), &pos)) {
		fprintf(stderr, "bench_render: filter '%s': %s\n", text, err);
		return -1;
	}
	u->view_gen++;
	return 0;
}

/* The changes between two frames, then the housekeeping tick (timed). */
static uint64_t feed(struct bench *b, enum scenario sc, int churn, int frame)
{
	struct app *a = b->a;
	uint64_t t0, start = a->now_ns;
	int k = 0;

	struct rows *r = ui_priv(b->u, &view_conns);

	switch (sc) {
	case SC_DRAW: return 0;
	case SC_SORT:
		r->sort_col = (r->sort_col + 1) % COL_CGROUP;
		r->desc = columns[r->sort_col].desc;
		return 0;
	case SC_INVERT: r->desc = !r->desc; return 0;
	case SC_FILTER_ON:
	case SC_FILTER_OFF:
		/* the other state first, drawn untimed */
		set_filter(b->u, sc == SC_FILTER_ON ? "" : "port 443");
		ui_draw(b->u);
		set_filter(b->u, sc == SC_FILTER_ON ? "port 443" : "");
		return 0;
	case SC_SEARCH_FOUND:
	case SC_SEARCH_NONE:
		/* the whole text typed: Esc, then a new search prompt; F3
		 * would search again for the last text, so it is opened here */
		if (!b->u->prompt.active || !b->needle[b->typed]) {
			prompt_close(&b->u->prompt);
			prompt_open(&b->u->prompt, "Search: ", NULL);
			b->u->prompt.search = true;
			b->typed = 0;
			rows_select(r, 0);
			ui_draw(b->u);
		}
		return 0;
	case SC_END:
	case SC_PANE:
	case SC_GROUPS_SORT: return 0;
	case SC_GROUPS_FILTER: /* typed and cleared by turns */
		set_filter(b->u, frame & 1 ? "" : "port 443");
		return 0;
	case SC_TOUCH: table_touch(a->model.table); return 0;
	case SC_STATES:
		for (struct sock_entry *e = table_first(a->model.table); e && k < 100;
		     e = table_next(e)) {
			/* a different hundred each frame, spread over the table */
			if ((e->serial + (uint64_t)frame) % 997 || (e->flags & SOCK_CLOSED))
				continue;
			send_state(a, e, ++a->now_ns,
				   e->state == TS_ESTABLISHED ? TS_CLOSE_WAIT : TS_ESTABLISHED);
			k++;
		}
		return 0;
	case SC_CHURN:
		/* the loop's turns between frames: events come in batches, the
		 * UI's work after each (ui_idle: the Groups pane's rows, once
		 * shown, follow the table from its log), timed apart */
		for (k = 0; k < churn; k++) {
			churn_one(b, start + (uint64_t)k * (FRAME_NS / (uint64_t)churn));
			if (k % 1000 == 999) {
				t0 = mono_now_ns();
				ui_idle(b->u, 5000000ULL);
				b->turns_ns += mono_now_ns() - t0;
			}
		}
		break;
	}
	a->now_ns = start + FRAME_NS;
	t0 = mono_now_ns();
	app_tick(a, a->now_ns);
	return mono_now_ns() - t0;
}

/* The scenario's key, timed with the frame. */
static void press(struct bench *b, enum scenario sc, int frame)
{
	switch (sc) {
	case SC_SEARCH_FOUND:
	case SC_SEARCH_NONE: ui_key(b->u, (unsigned char)b->needle[b->typed++]); break;
	case SC_END: ui_key(b->u, frame & 1 ? KEY_HOME : KEY_END); break;
	case SC_PANE: ui_key(b->u, '\t'); break;
	case SC_GROUPS_SORT: ui_key(b->u, '>'); break;
	default: break;
	}
}

/* The search scenarios' text: the remote endpoint of the row three
 * quarters down (found after reading most rows), or text no row has. */
static void pick_needle(struct bench *b, enum scenario sc)
{
	struct rows *r = ui_priv(b->u, &view_conns);
	char a[64];

	rows_finish(r);
	b->typed = 0;
	if (sc == SC_SEARCH_NONE || !r->n) {
		snprintf(b->needle, sizeof(b->needle), "nosuchproc");
		return;
	}
	{
		const struct sock_entry *e = r->v[r->n * 3 / 4];

		fmt_addr(a, sizeof(a), e->family, e->daddr);
		snprintf(b->needle, sizeof(b->needle), "%s:%u", a, e->rport);
	}
}

/* A search that went on between frames ended as one done at once would
 * have: on a row holding the text typed so far, or "not found" and no
 * row holds it. */
static bool search_right(struct bench *b, enum scenario sc)
{
	struct rows *r = ui_priv(b->u, &view_conns);
	const struct sock_entry *e;
	char text[sizeof(b->needle)];

	if (sc != SC_SEARCH_FOUND && sc != SC_SEARCH_NONE)
		return true;
	while (ui_idle(b->u, 0))
		;
	snprintf(text, sizeof(text), "%.*s", b->typed, b->needle);
	if (b->u->prompt.busy)
		return false; /* still "searching" with nothing left to do */
	if (!strcmp(b->u->prompt.err, "not found")) {
		rows_finish(r);
		for (uint32_t i = 0; i < r->n; i++)
			if (row_text_has(r->names, r->v[i], text))
				return false;
		return true;
	}
	e = rows_selected(r);
	return e && row_text_has(r->names, e, text);
}

struct result {
	uint64_t med, p95, max;
};

/* The rows the frame could draw while a worker still sorted the rest
 * (rows.h: the page around the selection, and as many either side) are
 * the ones the whole order has there: every other frame, untimed, the
 * sort is waited for and the two compared (the frames between leave it
 * running, so that the next key cancels it as a user's would). */
static void check_page(struct bench *b)
{
	struct rows *r = ui_priv(b->u, &view_conns);
	const struct sock_entry *page[1024];
	uint32_t lo = r->win_lo, n = r->win_n;

	if (!r->job)
		return;
	if (n > sizeof(page) / sizeof(page[0]))
		n = sizeof(page) / sizeof(page[0]);
	rows_need(r, lo, n);
	for (uint32_t i = 0; i < n; i++)
		page[i] = rows_row(r, lo + i);
	rows_finish(r);
	b->pages_checked++;
	for (uint32_t i = 0; i < n; i++)
		b->page_differs |= page[i] != r->v[lo + i];
}

static struct result pick(uint64_t *t, int n)
{
	qsort(t, (size_t)n, sizeof(*t), cmp_u64);
	return (struct result){ t[n / 2], t[n * 95 / 100], t[n - 1] };
}

static uint64_t cpu_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Median and p95 of the frames, each after the scenario's changes: wall
 * time (what a user waits), and the median of this thread's CPU time,
 * which other work on a busy machine does not inflate. */
static int measure(struct bench *b, int frames, int warm, enum scenario sc, int churn,
		   struct result *frame, struct result *tick, struct result *cpu,
		   struct result *idl)
{
	uint64_t *t = calloc((size_t)frames * 4, sizeof(*t));

	if (!t)
		return -ENOMEM;
	for (int i = -warm; i < frames; i++) {
		uint64_t t0, c0, tk = feed(b, sc, churn, i), id;

		t0 = mono_now_ns();
		c0 = cpu_now_ns();
		if (through_ui_key(sc))
			press(b, sc, i);
		ui_draw(b->u);
		if (i >= 0) {
			t[i] = mono_now_ns() - t0;
			t[frames + i] = tk;
			t[2 * frames + i] = cpu_now_ns() - c0;
		}
		if (!(i & 1))
			check_page(b);
		id = idle(b) + b->turns_ns; /* after the frame: a key's frame comes at once */
		b->turns_ns = 0;
		if (i >= 0)
			t[3 * frames + i] = id;
	}
	*frame = pick(t, frames);
	*tick = pick(t + frames, frames);
	*cpu = pick(t + 2 * frames, frames);
	*idl = pick(t + 3 * frames, frames);
	free(t);
	return 0;
}

/* resident memory now, KiB (-1: unknown) */
static long rss_kib(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[128];
	long kib = -1;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return kib;
}

/* What the UI holds a socket, the process's own baseline included: with
 * the rows of the first frame built (what a user sees in top), and with
 * the table alone. Measured before the bench's own arrays. */
static void print_rss(long table_kib, long rows_kib, unsigned loaded)
{
	if (table_kib > 0 && rows_kib > 0 && loaded)
		printf("render: RSS %ld KiB with %u sockets and their rows: %ld bytes a socket "
		       "(target < 400); the table alone %ld\n",
		       rows_kib, loaded, rows_kib * 1024 / (long)loaded,
		       table_kib * 1024 / (long)loaded);
}

struct run {
	enum scenario sc;
	int churn; /* per mille of the loaded sockets, a frame */
	int sort;
	const char *filter;
	bool history; /* finished sockets kept visible (key c) */
};

static const struct run runs[] = {
	{ SC_DRAW, 0, COL_STATE, "", false },
	{ SC_TOUCH, 0, COL_STATE, "", false },
	{ SC_STATES, 0, COL_STATE, "", false },
	{ SC_STATES, 0, COL_AGE, "", false },
	{ SC_SORT, 0, COL_STATE, "", false },
	{ SC_INVERT, 0, COL_STATE, "", false },
	{ SC_FILTER_ON, 0, COL_STATE, "", false },
	{ SC_FILTER_OFF, 0, COL_STATE, "", false },
	{ SC_SEARCH_FOUND, 0, COL_STATE, "", false },
	{ SC_SEARCH_NONE, 0, COL_STATE, "", false },
	{ SC_END, 0, COL_STATE, "", false },
	{ SC_PANE, 0, COL_STATE, "", false },
	{ SC_GROUPS_SORT, 0, COL_STATE, "", false },
	{ SC_GROUPS_FILTER, 0, COL_STATE, "", false },
	{ SC_CHURN, 1, COL_STATE, "", false },
	{ SC_CHURN, 10, COL_STATE, "", false },
	{ SC_CHURN, 10, COL_AGE, "", false },
	{ SC_CHURN, 10, COL_LOCAL, "", false },
	{ SC_CHURN, 10, COL_COMM, "", false },
	{ SC_CHURN, 10, COL_STATE, "port 443", false },
	{ SC_CHURN, 10, COL_TIME, "state estab comm n", false },
	{ SC_CHURN, 10, COL_STATE, "", true },
};

/* The rows the frames kept up to date are the ones a build from scratch
 * gives (nothing skipped for speed). */
static bool rows_exact(struct ui *u, struct rows *r)
{
	struct rows fresh;
	struct rows_source src;
	bool same;

	rows_finish(r);
	ui_rows_source(u, &src);
	rows_init(&fresh, r->sort_col, r->desc);
	same = rows_rebuild(&fresh, &src, &u->filter) == 0 && fresh.n == r->n &&
	       fresh.total == r->total && !memcmp(fresh.v, r->v, r->n * sizeof(*r->v));
	rows_free(&fresh);
	return same;
}

/* The Groups pane's rows, once its work is done, are a count and a sort
 * from scratch (sums, order, the rows with sockets): true when they are,
 * or when it was never shown. */
static bool groups_exact(struct bench *b, uint64_t *settle_ns)
{
	struct groups_view gv;
	struct groups *fresh;
	const struct group_row *a, *f;
	uint32_t *ord;
	size_t na, nf;
	bool same;
	uint64_t t0 = mono_now_ns();

	while (ui_idle(b->u, 5000000ULL))
		;
	*settle_ns = mono_now_ns() - t0;
	view_groups_state(b->u, &gv);
	if (!gv.o->valid)
		return true;
	if (!gv.exact)
		return false;
	fresh = groups_new();
	if (!fresh || groups_rebuild(fresh, b->a->model.table, &b->a->model.traffic, gv.by,
				     &b->u->filter, 0)) {
		groups_free(fresh);
		return false;
	}
	a = groups_rows(gv.g, &na);
	f = groups_rows(fresh, &nf);
	ord = malloc((nf + 1) * sizeof(*ord));
	same = ord && !groups_order(f, nf, gv.by, gv.sort, gv.desc, ord) && gv.o->n == nf;
	for (size_t i = 0; same && i < nf; i++)
		same = !memcmp(&a[gv.o->ord[i]], &f[ord[i]], sizeof(*a));
	free(ord);
	groups_free(fresh);
	return same;
}

static int run_all(struct bench *b, int frames, int cols, int lines, long table_kib, long rows_kib)
{
	struct rows *r = ui_priv(b->u, &view_conns); /* struct conns starts with its rows */
	uint64_t worst = 0, keys_worst = 0, keys_max = 0;
	char worst_at[160] = "", keys_at[160] = "", max_at[160] = "";
	uint32_t loaded = table_count(b->a->model.table);
	const char *only = getenv("RENDER_ONLY"); /* scenario letters a, b, ...: these only */
	char name[96];
	double load = 0;
	FILE *la;

	la = fopen("/proc/loadavg", "r");
	if (la) {
		if (fscanf(la, "%lf", &load) != 1)
			load = 0;
		fclose(la);
	}
	printf("render: %u sockets loaded, %dx%d, %d frames a scenario, 1 frame = 100 ms of events, "
	       "load average %.1f\n",
	       loaded, cols, lines, frames, load);
	print_rss(table_kib, rows_kib, loaded);
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		const struct run *s = &runs[i];
		struct result fr, tk, cpu, idl;
		uint64_t settle = 0;
		int warm = s->sc == SC_CHURN ? 55 : 2;
		int churn = (int)((uint64_t)loaded * (uint64_t)s->churn / 1000);
		bool key = key_press(s->sc);
		const char *what;

		if (only && !strchr(only, 'a' + (int)i))
			continue;
		r->sort_col = s->sort;
		r->desc = columns[s->sort].desc;
		b->u->show_history = s->history;
		if (set_filter(b->u, s->filter))
			return -1;
		if (s->sc >= SC_GROUPS_SORT) { /* Groups shown, its rows counted */
			ui_show_pane(b->u, &view_groups);
			ui_draw(b->u);
			while (ui_idle(b->u, 0))
				;
		}
		ui_draw(b->u); /* the scenario's sort and filter: not a key of the scenario */
		if (s->sc == SC_SORT)
			rows_select(r, r->n / 3); /* a row the sorts move about */
		pick_needle(b, s->sc);
		if (measure(b, frames, warm, s->sc, churn ? churn : 1, &fr, &tk, &cpu, &idl))
			return -1;
		if (!search_right(b, s->sc)) {
			printf("render: the search's answer differs from a scan of every row: "
			       "figures void\n");
			return -1;
		}
		prompt_close(&b->u->prompt);
		if (!groups_exact(b, &settle)) {
			printf("render: the Groups rows differ from a count from scratch: figures void\n");
			return -1;
		}
		if (s->sc == SC_GROUPS_FILTER)
			set_filter(b->u, s->filter);
		ui_show_pane(b->u, &view_conns);
		ui_draw(b->u);
		printf("render %6u rows of %6u  sort %-8s filter %-20s %-36s median %6.2f ms  %s %6.2f ms  (cpu %.2f ms)",
		       r->n, r->total, columns[s->sort].title,
		       s->history ? "- (closed kept: c)" :
		       *s->filter ? s->filter :
				    "-",
		       scenario_name(s->sc, churn ? churn : 1, name, sizeof(name)), fr.med / 1e6,
		       key ? "worst" : "p95", (key ? fr.max : fr.p95) / 1e6, cpu.med / 1e6);
		if (s->sc == SC_CHURN)
			printf("  (tick %.2f ms)", tk.med / 1e6);
		if (idl.max > 100000)
			printf("  (idle median %.2f, most %.2f ms; %.0f ms more to finish)",
			       idl.med / 1e6, idl.max / 1e6, settle / 1e6);
		if (key)
			printf("  (target < %.0f / < %.0f ms: %s)", KEY_TARGET_NS / 1e6,
			       KEY_WORST_NS / 1e6,
			       fr.med > KEY_TARGET_NS || fr.max > KEY_WORST_NS ? "MISSED" : "met");
		printf("\n");
		if (!rows_exact(b->u, r) || b->page_differs) {
			printf("render: rows differ from a build from scratch%s: figures void\n",
			       b->page_differs ? " (a page drawn while the sort ran)" : "");
			return -1;
		}
		what = scenario_name(s->sc, churn ? churn : 1, name, sizeof(name));
		if (fr.med > (key ? keys_worst : worst)) {
			*(key ? &keys_worst : &worst) = fr.med;
			snprintf(key ? keys_at : worst_at, sizeof(worst_at), "%s, sort %s", what,
				 columns[s->sort].title);
		}
		if (key && fr.max > keys_max) {
			keys_max = fr.max;
			snprintf(max_at, sizeof(max_at), "%s, sort %s", what,
				 columns[s->sort].title);
		}
	}
	printf("render %u sockets: rows checked against a build from scratch after every scenario: same "
	       "(and %u pages drawn while a worker sorted, against its order; the Groups pane's "
	       "rows too)\n",
	       table_count(b->a->model.table), b->pages_checked);
	if (rss_kib() > 0 && loaded)
		printf("render: RSS %ld KiB at the end, the Groups pane's rows kept: %ld bytes a socket\n",
		       rss_kib(), rss_kib() * 1024 / (long)loaded);
	printf("render %u sockets: 5 ms median target %s for frames after events (worst %.2f ms: %s)\n",
	       table_count(b->a->model.table), worst > TARGET_NS ? "MISSED" : "met", worst / 1e6,
	       worst_at);
	printf("render %u sockets: frames after a key: worst median %.2f ms (%s; target < %.0f ms %s), "
	       "worst frame %.2f ms (%s; target < %.0f ms %s)\n",
	       table_count(b->a->model.table), keys_worst / 1e6, keys_at, KEY_TARGET_NS / 1e6,
	       keys_worst > KEY_TARGET_NS ? "MISSED" : "met", keys_max / 1e6, max_at,
	       KEY_WORST_NS / 1e6, keys_max > KEY_WORST_NS ? "MISSED" : "met");
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = { .uid = -1 };
	struct app a = { .opts = &o };
	struct table_limits lim = { 0 };
	struct bench b = { .a = &a, .next_sk = 0x7000000000000000ULL, .rng = 2463534242u };
	struct ui *u = calloc(1, sizeof(*u));
	int frames = argc > 2 ? atoi(argv[2]) : 100, cols = 120, lines = 40, rc = 1;
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	char env[32];
	long table_kib, rows_kib;

	if (argc < 2 || frames < 1 || !u || !out || !in ||
	    (argc > 3 && sscanf(argv[3], "%dx%d", &cols, &lines) != 2)) {
		fprintf(stderr, "usage: bench_render FILE.rec [FRAMES] [COLSxLINES]\n");
		rc = 2;
		goto out;
	}
	model_init(&a.model, &lim);
	if (!a.model.table || load(&a, argv[1]))
		goto out;
	table_kib = rss_kib();
	snprintf(env, sizeof(env), "%d", cols);
	setenv("COLUMNS", env, 1);
	snprintf(env, sizeof(env), "%d", lines);
	setenv("LINES", env, 1);
	if (!getenv("TERM") || !strcmp(getenv("TERM"), "dumb"))
		setenv("TERM", "xterm-256color", 1);
	if (ui_init_state(u, &a) || ui_screen_open(u, out, in)) {
		fprintf(stderr, "bench_render: cannot set up curses\n");
		ui_free_state(u);
		goto out;
	}
	a.ui = u;
	b.u = u;
	ui_draw(u); /* the rows built once */
	rows_kib = rss_kib();
	if (collect_open(&b) || !b.nopen)
		goto close;
	rc = run_all(&b, frames, cols, lines, table_kib, rows_kib) ? 1 : 0;
close:
	ui_screen_close(u);
	a.ui = NULL;
	ui_free_state(u);
out:
	free(u);
	free(b.open);
	model_free(&a.model);
	if (out)
		fclose(out);
	if (in)
		fclose(in);
	return rc;
}
