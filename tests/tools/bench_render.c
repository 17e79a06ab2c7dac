// SPDX-License-Identifier: GPL-2.0
/*
 * bench_render: frame render time of the connections pane with the table
 * filled from a recording (mkfixture big N). Each measured frame follows
 * changes fed through app_on_event (or a bare table_touch), so the rows
 * are rebuilt (keys, filter, sort) and the whole screen is drawn through
 * curses into /dev/null: after state changes of existing sockets (the
 * kept set is re-read and the changed rows merged back) and after new
 * sockets (the set is gathered and sorted again).
 *
 *   bench_render FILE.rec [FRAMES] [COLSxLINES]
 * prints one line per sort column tried, then whether the 5 ms median
 * target was met at every sort. Exit status 0 unless it could not run.
 */
#include <errno.h>
#include <ncurses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "loop.h"
#include "recording.h"
#include "rows.h"
#include "table.h"
#include "ui.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
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

enum scenario {
	SC_DRAW,	/* nothing changed: draw only */
	SC_TOUCH,	/* the table says it changed, no socket did */
	SC_STATES,	/* 100 sockets change state */
	SC_NEW,		/* 20 new sockets appear (the set changes: full rebuild) */
};

/* Events between two frames, applied through app_on_event as live ones. */
static void feed(struct app *a, enum scenario sc, int frame)
{
	static uint64_t next_sk = 0x7000000000000000ULL;
	struct event ev = { .kind = EV_STATE, .family = 2, .lport = 40000, .rport = 443 };
	int k = 0;

	if (sc == SC_TOUCH) {
		table_touch(a->table);
	} else if (sc == SC_STATES) {
		for (struct sock_entry *e = table_first(a->table); e && k < 100; e = table_next(e)) {
			/* a different hundred each frame, spread over the table */
			if ((e->serial + (uint64_t)frame) % 997)
				continue;
			ev.ts_ns = ++a->now_ns;
			ev.skaddr = e->skaddr;
			ev.lport = e->lport;
			ev.rport = e->rport;
			ev.family = e->family;
			ev.oldstate = e->state;
			ev.newstate = e->state == TS_ESTABLISHED ? TS_CLOSE_WAIT : TS_ESTABLISHED;
			app_on_event(a, &ev);
			k++;
		}
	} else if (sc == SC_NEW) {
		for (k = 0; k < 20; k++) {
			ev.ts_ns = ++a->now_ns;
			ev.skaddr = next_sk += 64;
			ev.oldstate = TS_CLOSE;
			ev.newstate = TS_SYN_SENT;
			app_on_event(a, &ev);
		}
	}
}

/* median and p95 of frames, each after the scenario's changes */
static void measure(struct ui *u, int frames, enum scenario sc, uint64_t *med, uint64_t *p95)
{
	uint64_t *t = calloc((size_t)frames, sizeof(*t));

	if (!t)
		exit(1);
	for (int i = 0; i < frames; i++) {
		uint64_t t0;

		feed(u->app, sc, i);
		t0 = mono_now_ns();
		ui_draw(u);
		t[i] = mono_now_ns() - t0;
	}
	qsort(t, (size_t)frames, sizeof(*t), cmp_u64);
	*med = t[frames / 2];
	*p95 = t[frames * 95 / 100];
	free(t);
}

int main(int argc, char **argv)
{
	struct opts o = { .uid = -1 };
	struct app a = { .opts = &o };
	struct table_limits lim = { 0 };
	struct ui *u = calloc(1, sizeof(*u));
	int frames = argc > 2 ? atoi(argv[2]) : 200, cols = 120, lines = 40, fail = 0;
	static const int sorts[] = { COL_STATE, COL_LOCAL, COL_COMM, COL_AGE };
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	char env[32];
	uint64_t med, p95, full_med;
	unsigned nsocks;

	if (argc < 2 || frames < 1 || !u || !out || !in ||
	    (argc > 3 && sscanf(argv[3], "%dx%d", &cols, &lines) != 2)) {
		fprintf(stderr, "usage: bench_render FILE.rec [FRAMES] [COLSxLINES]\n");
		free(u);
		if (out)
			fclose(out);
		if (in)
			fclose(in);
		return 2;
	}
	a.table = table_new(&lim);
	if (!a.table || load(&a, argv[1])) {
		table_free(a.table);
		free(u);
		fclose(out);
		fclose(in);
		return 1;
	}
	snprintf(env, sizeof(env), "%d", cols);
	setenv("COLUMNS", env, 1);
	snprintf(env, sizeof(env), "%d", lines);
	setenv("LINES", env, 1);
	if (!getenv("TERM") || !strcmp(getenv("TERM"), "dumb"))
		setenv("TERM", "xterm-256color", 1);
	if (ui_init_state(u, &a) || ui_screen_open(u, out, in)) {
		fprintf(stderr, "bench_render: cannot set up curses\n");
		return 1;
	}
	a.ui = u;
	for (size_t s = 0; s < sizeof(sorts) / sizeof(sorts[0]); s++) {
		struct rows *r = ui_priv(u, &view_conns);

		r->sort_col = sorts[s]; /* struct conns starts with its rows */
		r->desc = false;
		uint64_t q0 = r->quick_builds;

		measure(u, frames, SC_TOUCH, &med, &p95);
		printf("render %u sockets %dx%d sort %-8s table changed, no socket did: median %.2f ms  p95 %.2f ms (%llu of %d quick)\n",
		       table_count(a.table), cols, lines, columns[sorts[s]].title, med / 1e6, p95 / 1e6,
		       (unsigned long long)(r->quick_builds - q0), frames);
		fail |= med > 5000000;
	}
	measure(u, frames, SC_STATES, &med, &p95);
	printf("render %u sockets %dx%d sort AGE      100 state changes a frame: median %.2f ms  p95 %.2f ms\n",
	       table_count(a.table), cols, lines, med / 1e6, p95 / 1e6);
	fail |= med > 5000000;
	measure(u, frames, SC_NEW, &med, &p95);
	printf("render %u sockets %dx%d sort AGE      20 new sockets a frame (full rebuild): median %.2f ms  p95 %.2f ms\n",
	       table_count(a.table), cols, lines, med / 1e6, p95 / 1e6);
	full_med = med;
	measure(u, frames, SC_DRAW, &med, &p95);
	printf("render %u sockets %dx%d nothing changed (draw only): median %.2f ms  p95 %.2f ms\n",
	       table_count(a.table), cols, lines, med / 1e6, p95 / 1e6);
	nsocks = table_count(a.table);
	ui_screen_close(u);
	a.ui = NULL;
	ui_free_state(u);
	free(u);
	table_free(a.table);
	fclose(out);
	fclose(in);
	printf("render %u sockets: 5 ms median target %s for frames after state changes; "
	       "%s for frames after new sockets (%.1f ms)\n", nsocks, fail ? "MISSED" : "met",
	       full_med > 5000000 ? "missed" : "met", full_med / 1e6);
	return 0;
}
