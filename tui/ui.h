/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct ui: the full-screen UI's state, shared by the views: the app
 * (read-only for views), theme, glyphs, the view filter, the view stack,
 * the prompt, the frame clock. ui.c owns the curses lifecycle and the
 * frame pacing; views draw through draw.h.
 */
#ifndef SOCKTOP_UI_H
#define SOCKTOP_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "app.h"
#include "colconf.h"
#include "filter.h"
#include "prompt.h"
#include "stats.h"
#include "theme.h"
#include "view.h"

struct app;
struct sock_entry;

#define UI_MAX_VIEWS 16
#define UI_STACK 8
#define UI_MIN_COLS 60
#define UI_MIN_LINES 15
/* Larger terminals are drawn in their top-left corner, and the screen
 * says so: curses keeps three copies of every cell (a 10000x10000 one
 * would take gigabytes and seconds a frame). */
#define UI_MAX_COLS 1000
#define UI_MAX_LINES 500
#define UI_HEADER_LINES 4 /* title, states, rates, panes and filter */
#define UI_LOG_SHOWN_S 10 /* a new message stays on the status line */

struct glyphs {
	const char *hline, *vline, *ellipsis, *up, *down, *mark;
	const char *eighths[9]; /* bar: 0..8 eighths of a cell */
	const char *spark[9];	/* sparkline: 0..8 levels */
};

/* A socket lifecycle, as views pass it around (detail's push argument). */
struct sock_key {
	uint64_t skaddr, serial;
};

struct view_slot {
	const struct view *v;
	void *priv;
};

struct ui {
	struct app *app; /* views: read only */
	struct theme theme;
	const struct glyphs *g;
	bool utf8;		   /* the locale is UTF-8 */
	bool colours;		   /* colour usable (no NO_COLOR, terminal has it) */
	int lines, cols;	   /* what is drawn: the terminal, at most UI_MAX_* */
	int term_lines, term_cols; /* the terminal's own size */

	struct filter filter;		      /* view filter, shared by every pane */
	struct colconf colconf;		      /* the columns each pane shows (F2) */
	struct col_fit colfit[COLCONF_PANES]; /* widths seen, per pane */
	struct stats stats;
	struct prompt prompt;

	struct view_slot slot[UI_MAX_VIEWS];
	int nslots, npanes;  /* panes first: slot[0 .. npanes-1] */
	int pane;	     /* current pane (slot index) */
	int stack[UI_STACK]; /* pushed pages (slot indexes) over the pane */
	int depth;

	bool paused;	      /* live: view frozen; replay: replay paused */
	uint64_t view_now_ns; /* the clock views draw with */
	bool show_history;    /* keep finished sockets visible */
	uint64_t view_gen;    /* bumped when filter/pause/history change */

	char note[160];		      /* transient status message */
	uint64_t note_until_ns;	      /* monotonic */
	const struct view *note_view; /* the screen it was said on: only there */
	uint32_t log_seen;	      /* app log lines already shown */
	uint32_t log_head;	      /* app log lines when the newest was first drawn */
	uint64_t log_since_ns;	      /* monotonic: when that was */

	/* live pause: a private copy of the sockets, so the view holds still
	 * while the table moves on underneath */
	struct sock_entry *frozen;
	struct transition *frozen_more;	     /* their transitions */
	struct owner *frozen_owners;	     /* their holders past the first */
	struct sock_traffic *frozen_traffic; /* their counters */
	uint32_t nfrozen;		     /* live ones first, then finished ones */
	uint32_t nfrozen_live;
	struct traffic_more *frozen_traffic_more; /* the copied counters' more */

	void *screen; /* curses SCREEN */
	bool too_small;
	uint32_t shown, total; /* the pane's rows after / before filtering */
	int header_lines;      /* this frame's header height */
	uint64_t frames;       /* drawn so far */
	uint64_t last_frame_ns;
	uint64_t frame_cost_ns; /* how long the last frame took */
	uint64_t last_second;	/* event-clock second of the last frame */
	bool key_dirty;		/* a key changed something: draw now */
	bool busy;		/* a view has work left between frames (ui_idle) */
	int frame_fd;		/* one-shot frame timer */
	/* stderr while curses runs: fd 2 is a pipe read into the app log */
	int err_saved, err_pipe;
	char err_buf[APP_LOG_LEN];
	size_t err_len;
	bool frame_armed;
};

/* Current top view and its state. */
const struct view *ui_top(const struct ui *u, void **priv);
/* A slot's state by view (NULL if that view is not registered). */
void *ui_priv(const struct ui *u, const struct view *v);
/* Transient message in the status line. */
void ui_note(struct ui *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* What a search said (view.search), at once or when its rows were read:
 * on the search prompt it was typed in (opens: prompt.opens then), or as
 * a note once that prompt has closed. */
void ui_search_ended(struct ui *u, enum search_result r, unsigned int opens);
/* A note for the screen a page returns to (said as the page pops). */
void ui_pop_note(struct ui *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Draw one whole frame (used by ui_run and the render benchmark). */
void ui_draw(struct ui *u);
/* Set up/tear down the state (views, theme, filter) and the curses screen
 * on out/in; ui_run uses them, and so does the render benchmark. */
int ui_init_state(struct ui *u, struct app *a);
void ui_free_state(struct ui *u);
int ui_screen_open(struct ui *u, FILE *out, FILE *in);
void ui_screen_close(struct ui *u);
/* Send stderr to the app log while the UI runs (ui_stderr.c). */
int ui_stderr_capture(struct ui *u);
void ui_stderr_release(struct ui *u);
/* Re-read the terminal size (after SIGWINCH). */
void ui_resize(struct ui *u);
/* A socket by key: the frozen copy while paused, else live or history. */
const struct sock_entry *ui_find_sock(const struct ui *u, uint64_t skaddr, uint64_t serial);
/* Where rows come from now (live table or the frozen copy). */
struct rows_source;
void ui_rows_source(const struct ui *u, struct rows_source *src);
/* The view clock: replay or live "now", held while paused. */
uint64_t ui_now(const struct ui *u);
/* Every view's work between frames (view.idle), budget_ns each: true
 * while some is left. */
bool ui_idle(struct ui *u, uint64_t budget_ns);

#endif
