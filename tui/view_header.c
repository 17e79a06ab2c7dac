// SPDX-License-Identifier: GPL-2.0
/*
 * The header (host, capture time, counts by state, rates with a one-minute
 * sparkline, drops, pause mark, panes and the active filter) and the two
 * bottom lines (status or prompt, and the key bar).
 */
#include "view_header.h"

#include <ncurses.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "draw.h"
#include "fmt.h"
#include "loader.h"
#include "replay.h"
#include "stream.h"
#include "table.h"
#include "ui.h"

static const struct {
	uint8_t state;
	const char *full, *mid, *tiny;
} header_states[] = {
	{ TS_ESTABLISHED, "ESTABLISHED", "ESTAB", "EST" }, { TS_LISTEN, "LISTEN", "LISTEN", "LSN" },
	{ TS_SYN_SENT, "SYN_SENT", "SYN_S", "SS" },	    { TS_SYN_RECV, "SYN_RECV", "SYN_R", "SR" },
	{ TS_FIN_WAIT1, "FIN_WAIT1", "FIN_W1", "FW1" },	    { TS_FIN_WAIT2, "FIN_WAIT2", "FIN_W2", "FW2" },
	{ TS_TIME_WAIT, "TIME_WAIT", "TIME_W", "TW" },	    { TS_CLOSE_WAIT, "CLOSE_WAIT", "CLOSE_W", "CW" },
	{ TS_LAST_ACK, "LAST_ACK", "LAST_A", "LA" },	    { TS_CLOSING, "CLOSING", "CLOSING", "CLG" },
};
#define NSTATES (int)(sizeof(header_states) / sizeof(header_states[0]))

/* label then value; returns the next x */
static int pair(struct ui *u, int y, int x, int end, int lrole, const char *label, int vrole,
		const char *val)
{
	if (x >= end)
		return x;
	x += draw_text(u, y, x, end - x, lrole, label);
	if (x < end && *label)
		x += draw_text(u, y, x, end - x, lrole, " ");
	x += draw_text(u, y, x, end - x, vrole, val);
	return x + 2;
}

/* Capture hooks that are off, with the reason in a word ("binds off
 * (lockdown)"), or only their names when that does not fit in room. */
static void hooks_off(const struct app *a, char *buf, size_t bufsz, int room)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int pass = 0; pass < 2; pass++) {
		off = 0;
		buf[0] = '\0';
		for (int f = 0; a->loader && f < features_count() && off < bufsz; f++) {
			if (loader_feature_on(a->loader, f) || !loader_feature_used(a->loader, f))
				continue;
			if (pass == 0)
				off += (size_t)snprintf(buf + off, bufsz - off, "%s%s off (%s)",
							off ? "  " : "", loader_feature_name(f),
							loader_feature_tag(a->loader, f));
			else
				off += (size_t)snprintf(buf + off, bufsz - off, "%s%s",
							off ? "," : "off: ", loader_feature_name(f));
		}
		if ((int)strlen(buf) <= room)
			return;
	}
}

static void line_title(struct ui *u, int y, int w)
{
	struct app *a = u->app;
	char clock[32], up[32], mode[64], off[160];
	uint64_t now = ui_now(u);
	int x = 0, right;

	fmt_hms(clock, sizeof(clock), stream_wall_ns(a, now));
	fmt_duration(up, sizeof(up), now > a->start_ns ? now - a->start_ns : 0);
	if (a->replay && a->opts && a->opts->no_pace)
		snprintf(mode, sizeof(mode), "replay unpaced%s", replay_done(a->replay) ? " (end)" : "");
	else if (a->replay)
		snprintf(mode, sizeof(mode), "replay x%g%s", replay_speed(a->replay),
			 replay_done(a->replay) ? " (end)" : "");
	else if (a->rec && a->opts && a->opts->record)
		snprintf(mode, sizeof(mode), "live, recording");
	else
		snprintf(mode, sizeof(mode), "live");
	x += draw_text(u, y, x, w, ROLE_TITLE, "socktop ");
	x += draw_untrusted(u, y, x, w - x - 30 > 8 ? w - x - 30 : 8, ROLE_HEADER_VALUE, a->host,
			    strnlen(a->host, sizeof(a->host)));
	x += 2;
	if (w >= 100 && a->kernel[0]) {
		x += draw_text(u, y, x, w - x, ROLE_HEADER, "kernel ");
		/* Debian's releases run to 28 ("6.12.95+deb12-cloud-amd64") */
		x += draw_untrusted(u, y, x, w >= 140 ? 40 : 28, ROLE_HEADER, a->kernel,
				    strnlen(a->kernel, sizeof(a->kernel)));
		x += 2;
	}
	x = pair(u, y, x, w, ROLE_HEADER, "", ROLE_HEADER_VALUE, clock);
	if (w >= 80) /* narrower, the hooks that are off need the room more */
		x = pair(u, y, x, w, ROLE_HEADER, "running", ROLE_HEADER_VALUE, up);
	right = (int)strlen(mode) + (u->paused ? 9 : 0);
	hooks_off(a, off, sizeof(off), w - right - 2 - x);
	if (off[0] && (int)strlen(off) <= w - right - 2 - x)
		draw_text(u, y, w - right - 3 - (int)strlen(off), (int)strlen(off), ROLE_WARN, off);
	if (w - right - 1 > x)
		x = w - right - 1;
	x += draw_text(u, y, x, w - x, ROLE_HEADER, mode);
	if (u->paused)
		draw_text(u, y, x + 1, w - x - 1, ROLE_PAUSED, " PAUSED ");
}

static void line_states(struct ui *u, int y, int w)
{
	const struct table *t = u->app->model.table;
	char val[NSTATES][16], tot[16], cl[16];
	int need[3] = { 0 }, set = 2, x = 0;
	uint32_t open = 0, all;

	for (int i = 0; i < NSTATES; i++) {
		int vl = snprintf(val[i], sizeof(val[i]), "%u",
				  table_count_state(t, header_states[i].state));

		need[0] += (int)strlen(header_states[i].full) + vl + 3;
		need[1] += (int)strlen(header_states[i].mid) + vl + 3;
		need[2] += (int)strlen(header_states[i].tiny) + vl + 3;
	}
	/* open is the sum of the counts shown beside it; closed rows still on
	 * screen are counted apart, so the numbers add up */
	for (int i = 0; i < NSTATES; i++)
		open += table_count_state(t, header_states[i].state);
	all = table_count(t);
	snprintf(tot, sizeof(tot), "%u", open);
	snprintf(cl, sizeof(cl), "%u", all > open ? all - open : 0);
	for (int s = 0; s < 3; s++)
		if (need[s] + 7 + (int)strlen(tot) + (all > open ? 9 + (int)strlen(cl) : 0) <= w) {
			set = s;
			break;
		}
	x = pair(u, y, x, w, ROLE_HEADER, "open", ROLE_HEADER_VALUE, tot);
	for (int i = 0; i < NSTATES; i++) {
		const char *l = set == 0 ? header_states[i].full :
				set == 1 ? header_states[i].mid : header_states[i].tiny;
		int n = (int)table_count_state(t, header_states[i].state);

		x = pair(u, y, x, w, role_for_state(header_states[i].state), l,
			 n ? ROLE_HEADER_VALUE : ROLE_DIM, val[i]);
		x -= set == 2; /* one space between pairs when tight */
	}
	if (all > open)
		pair(u, y, x + (set == 2), w, ROLE_HEADER, "closed", ROLE_DIM, cl);
}

static void line_rates(struct ui *u, int y, int w)
{
	struct app *a = u->app;
	const struct table_stats *ts = table_stats(a->model.table);
	uint32_t spark[STATS_SAMPLES];
	char v[32];
	int x = 0, n, room;
	bool wide = w >= 100;

	snprintf(v, sizeof(v), "%u", u->stats.last[STAT_CHANGES]);
	x = pair(u, y, x, w, ROLE_HEADER, wide ? "changes/s" : "chg/s", ROLE_HEADER_VALUE, v);
	snprintf(v, sizeof(v), "%u", u->stats.last[STAT_OPENED]);
	x = pair(u, y, x, w, ROLE_HEADER, "new/s", ROLE_HEADER_VALUE, v);
	snprintf(v, sizeof(v), "%u", u->stats.last[STAT_CLOSED]);
	x = pair(u, y, x, w, ROLE_HEADER, wide ? "closes/s" : "cls/s", ROLE_HEADER_VALUE, v);
	/* the drops go on the right; the sparkline takes what is left */
	{
		char lost[24], miss[24], ev[24], rep[24];
		uint64_t repaired = reconcile_repaired(&a->model.rc.st);
		int rw;

		snprintf(lost, sizeof(lost), "%llu", (unsigned long long)a->lost);
		snprintf(miss, sizeof(miss), "%llu", (unsigned long long)a->recursion_misses);
		snprintf(ev, sizeof(ev), "%llu",
			 (unsigned long long)(ts->evicted + ts->history_dropped + ts->oom));
		snprintf(rep, sizeof(rep), "%llu", (unsigned long long)repaired);
		rw = 5 + (int)strlen(lost) + (a->recursion_misses ? 9 + (int)strlen(miss) : 0) +
		     (ts->evicted + ts->oom ? 10 + (int)strlen(ev) : 0) +
		     (repaired ? 11 + (int)strlen(rep) : 0);
		room = w - x - rw - 2;
		n = stats_series(&u->stats, STAT_CHANGES, spark, room < STATS_SAMPLES ?
				 (room > 0 ? room : 0) : STATS_SAMPLES);
		if (n > 0)
			draw_spark(u, y, x, spark, n, 0, ROLE_SPARK);
		x = w - rw;
		if (x < 0)
			x = 0;
		x = pair(u, y, x, w, ROLE_HEADER, "lost", a->lost ? ROLE_WARN : ROLE_HEADER_VALUE,
			 lost);
		/* sockets a resync put right after lost events */
		if (repaired)
			x = pair(u, y, x, w, ROLE_HEADER, "repaired", ROLE_HEADER_VALUE, rep);
		if (a->recursion_misses)
			x = pair(u, y, x, w, ROLE_HEADER, "missed", ROLE_WARN, miss);
		if (ts->evicted + ts->oom)
			pair(u, y, x, w, ROLE_HEADER, "evicted", ROLE_WARN, ev);
	}
}

static void line_tabs(struct ui *u, int y, int w)
{
	char desc[FILTER_TEXT_LEN + 32];
	int x = 0;

	for (int i = 0; i < u->npanes; i++) {
		bool on = i == u->pane;

		x += draw_text(u, y, x, w - x, on ? ROLE_TAB_ACTIVE : ROLE_TAB, " ");
		x += draw_text(u, y, x, w - x, on ? ROLE_TAB_ACTIVE : ROLE_TAB, u->slot[i].v->name);
		x += draw_text(u, y, x, w - x, on ? ROLE_TAB_ACTIVE : ROLE_TAB, " ");
		x++;
	}
	if (u->depth) {
		x += draw_text(u, y, x, w - x, ROLE_DIM, "> ");
		x += draw_text(u, y, x, w - x, ROLE_TITLE, ui_top(u, NULL)->name);
		x += 2;
	}
	if (!u->depth && u->shown != u->total) /* what the filter left */
		x += draw_printf(u, y, x, w - x, ROLE_DIM, "%u of %u", u->shown, u->total) + 2;
	if (filter_active(&u->filter)) {
		int fw;

		desc[0] = '\0';
		if (u->filter.text[0])
			snprintf(desc, sizeof(desc), "%s", u->filter.text);
		if (u->filter.hide4 || u->filter.hide6)
			snprintf(desc + strlen(desc), sizeof(desc) - strlen(desc), "%s%s",
				 desc[0] ? "  " : "",
				 u->filter.hide4 && u->filter.hide6 ? "IPv4+IPv6 hidden" :
				 u->filter.hide4 ? "IPv6 only" : "IPv4 only");
		if (u->filter.hide_tw)
			snprintf(desc + strlen(desc), sizeof(desc) - strlen(desc), "%sno TIME_WAIT",
				 desc[0] ? "  " : "");
		fw = draw_width(desc) + 8;
		if (w - fw > x)
			x = w - fw;
		x += draw_text(u, y, x, w - x, ROLE_HEADER, "Filter: ");
		draw_untrusted(u, y, x, w - x, ROLE_WARN, desc, strlen(desc));
	}
}

int header_draw(struct ui *u, int y, int w)
{
	line_title(u, y, w);
	line_states(u, y + 1, w);
	line_rates(u, y + 2, w);
	line_tabs(u, y + 3, w);
	u->header_lines = 4;
	return 4;
}

/* ---- bottom: status / prompt, then the key bar ----------------------- */

/* display width of buf[from..to) as the prompt shows it (escaped) */
static int shown_width(const char *buf, int from, int to)
{
	char esc[FMT_ESC_MAX(PROMPT_LEN)];

	fmt_escape(esc, sizeof(esc), buf + from, (size_t)(to - from), ESC_TEXT);
	return draw_width(esc);
}

static void draw_prompt(struct ui *u, int y, int w)
{
	struct prompt *p = &u->prompt;
	int x, cx, room, start = 0;

	draw_fill(u, y, 0, w, ROLE_NORMAL);
	x = draw_text(u, y, 0, w, ROLE_PROMPT, p->label);
	room = w - x - 2;
	if (p->err[0]) { /* keep room for the error: up to half the line */
		int ew = draw_width(p->err) + 2;

		room -= ew < (w - x) / 2 ? ew : (w - x) / 2;
	}
	/* long input scrolls so that the cursor stays on screen */
	while (start < p->cur && shown_width(p->buf, start, p->cur) > room) {
		start++;
		while (start < p->cur && ((unsigned char)p->buf[start] & 0xc0) == 0x80)
			start++;
	}
	if (start)
		x += draw_text(u, y, x, w - x, ROLE_DIM, u->g->ellipsis);
	cx = x + shown_width(p->buf, start, p->cur);
	x += draw_untrusted(u, y, x, p->err[0] ? room + 1 : w - x, ROLE_NORMAL, p->buf + start,
			    (size_t)(p->len - start));
	if (p->err[0]) {
		x += 2;
		draw_untrusted(u, y, x, w - x, p->busy ? ROLE_DIM : ROLE_ERROR, p->err,
			       strlen(p->err));
	}
	if (cx < w) {
		curs_set(1);
		move(y, cx);
	}
}

static void status_line(struct ui *u, int y, int w)
{
	struct app *a = u->app;
	const char *msg = NULL;
	int role = ROLE_STATUS;

	draw_fill(u, y, 0, w, ROLE_STATUS);
	if (u->note[0]) {
		msg = u->note;
	} else if (a->log.head && u->log_since_ns) {
		/* the newest message for a while, then only how many there are */
		msg = a->log.line[(a->log.head - 1) % APP_LOG_LINES];
		role = a->log.head != u->log_seen &&
		       !a->log.routine[(a->log.head - 1) % APP_LOG_LINES] ? ROLE_WARN : ROLE_DIM;
	} else if (a->log.head) {
		draw_printf(u, y, 0, w, ROLE_DIM, "%u message%s (L shows them)", a->log.head,
			    a->log.head == 1 ? "" : "s");
	}
	if (msg) {
		int n = draw_untrusted(u, y, 0, w - 12, role, msg, strlen(msg));

		if (a->log.head > 1 && !u->note[0])
			draw_printf(u, y, n + 2, w - n - 2, ROLE_DIM, "(L: %u)", a->log.head);
	}
}

void statusbar_draw(struct ui *u, int y, int w)
{
	static const char *const global[] = { "F1", "Help", "/", "Filter", "Spc", "Pause",
					      "t", "Theme", "q", "Quit" };
	const char *hints = ui_top(u, NULL)->hints;
	int x = 0;

	curs_set(0);
	if (u->prompt.active)
		draw_prompt(u, y, w);
	else
		status_line(u, y, w);
	draw_fill(u, y + 1, 0, w, ROLE_KEY_LABEL);
	/* view hints first ("Enter:Detail,F6:Sort"), then the global ones */
	while (hints && *hints && x < w) {
		char key[16], label[32];
		int n = 0;

		if (sscanf(hints, "%15[^:]:%31[^,]%n", key, label, &n) != 2 || !n)
			break;
		x += draw_text(u, y + 1, x, w - x, ROLE_KEY, key);
		x += draw_text(u, y + 1, x, w - x, ROLE_KEY_LABEL, label);
		x++;
		hints += n + (hints[n] == ',');
	}
	for (size_t i = 0; i + 1 < sizeof(global) / sizeof(global[0]) && x < w; i += 2) {
		x += draw_text(u, y + 1, x, w - x, ROLE_KEY, global[i]);
		x += draw_text(u, y + 1, x, w - x, ROLE_KEY_LABEL, global[i + 1]);
		x++;
	}
	if (u->prompt.active) /* the cursor goes back to the prompt */
		draw_prompt(u, y, w);
}
