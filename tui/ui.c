// SPDX-License-Identifier: GPL-2.0
/*
 * The full-screen UI: curses lifecycle, the view registry and stack, and
 * the frame pacing inside the one event loop. Handlers only set flags;
 * after each dispatch a frame is drawn when something changed: at once
 * after keys, at most every 100 ms for data, never when nothing changed.
 */
#include "ui.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <ncurses.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "app.h"
#include "draw.h"
#include "fmt.h"
#include "loop.h"
#include "modes.h"
#include "rows.h"
#include "table.h"
#include "tty.h"
#include "ui_input.h"
#include "view_header.h"

#define FRAME_NS (100ULL * 1000000ULL)
#define FRAME_SHARE 10 /* data frames take at most 1/FRAME_SHARE of the time */
#define NS 1000000000ULL
#define IDLE_BUDGET_NS (5ULL * 1000000ULL) /* a slice of a view's work between frames */

static const struct view *const all_views[] = {
#define PANE(v) &v,
#define PAGE(v) &v,
#include "panes.h"
#undef PANE
#undef PAGE
};

int ui_init_state(struct ui *u, struct app *a)
{
	char err[256];
	int n = (int)(sizeof(all_views) / sizeof(all_views[0]));

	memset(u, 0, sizeof(*u));
	u->app = a;
	u->filter.names = &a->nsnames; /* "netns NAME": the names the passes told */
	u->frame_fd = -1;
	u->err_saved = u->err_pipe = -1;
	u->g = draw_glyphs(false);
	for (int i = 0; i < n && i < UI_MAX_VIEWS; i++) {
		u->slot[i].v = all_views[i];
		if (all_views[i]->pane)
			u->npanes = i + 1;
		if (all_views[i]->init && all_views[i]->init(u, &u->slot[i].priv) < 0)
			return -ENOMEM;
		u->nslots = i + 1;
	}
	if (theme_load(&u->theme, a->opts && a->opts->theme ? a->opts->theme : "default", err,
		       sizeof(err)))
		ui_note(u, "%s", err);
	colconf_load(&u->colconf, NULL, NULL); /* no path yet: the defaults */
	return 0;
}

/* A problem in the columns file: on the status line and the messages page. */
static void colconf_warn(void *ctx, const char *msg)
{
	struct ui *u = ctx;
	char esc[FMT_ESC_MAX(640)];

	/* the file's name and text are the user's: escaped like every outside string */
	fmt_escape(esc, sizeof(esc), msg, strlen(msg), ESC_TEXT);
	app_log(u->app, "columns: %s (that pane's defaults used)", esc);
	ui_note(u, "columns: %s (defaults used)", esc);
}

/* The user's column choices (F2), from the file that keeps them. */
static void ui_load_columns(struct ui *u)
{
	if (colconf_path(u->colconf.path, sizeof(u->colconf.path)))
		app_log(u->app, "columns: no home directory known: F2 choices are not kept");
	colconf_load(&u->colconf, colconf_warn, u);
}

void ui_free_state(struct ui *u)
{
	for (int i = 0; i < u->nslots; i++)
		if (u->slot[i].v->fini)
			u->slot[i].v->fini(u->slot[i].priv);
	if (u->frozen && u->app && u->app->model.table)
		table_comms_unpin(u->app->model.table);
	free(u->frozen);
	free(u->frozen_more);
	free(u->frozen_owners);
	free(u->frozen_traffic);
	free(u->frozen_traffic_more);
	u->frozen_traffic_more = NULL;
	u->frozen_owners = NULL;
	u->frozen_traffic = NULL;
	u->frozen = NULL;
	u->frozen_more = NULL;
	u->nslots = 0;
}

const struct view *ui_top(const struct ui *u, void **priv)
{
	int s = u->depth ? u->stack[u->depth - 1] : u->pane;

	if (priv)
		*priv = u->slot[s].priv;
	return u->slot[s].v;
}

void *ui_priv(const struct ui *u, const struct view *v)
{
	for (int i = 0; i < u->nslots; i++)
		if (u->slot[i].v == v)
			return u->slot[i].priv;
	return NULL;
}

int ui_push(struct ui *u, const struct view *v, const void *arg)
{
	for (int i = 0; i < u->nslots; i++) {
		if (u->slot[i].v != v)
			continue;
		if (u->depth == UI_STACK)
			return R_NONE;
		u->stack[u->depth++] = i;
		return R_REDRAW | (v->enter ? v->enter(u, u->slot[i].priv, arg) : 0);
	}
	return R_NONE;
}

/* The one door between panes: pushed pages leave (a page may restore
 * state), then the pane, then the new one enters. */
int ui_show_pane(struct ui *u, const struct view *v)
{
	const struct view *cur;
	int to = -1;

	for (int i = 0; i < u->npanes && to < 0; i++)
		if (u->slot[i].v == v)
			to = i;
	if (to < 0)
		return R_NONE;
	while (u->depth) {
		int s = u->stack[--u->depth];

		if (u->slot[s].v->leave)
			u->slot[s].v->leave(u, u->slot[s].priv);
	}
	cur = u->slot[u->pane].v;
	if (cur->leave)
		cur->leave(u, u->slot[u->pane].priv);
	u->pane = to;
	return R_REDRAW | (v->enter ? v->enter(u, u->slot[to].priv, NULL) : 0);
}

void ui_note(struct ui *u, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(u->note, sizeof(u->note), fmt, ap);
	va_end(ap);
	u->note_until_ns = mono_now_ns() + 4 * NS;
	u->note_view = ui_top(u, NULL);
}

void ui_pop_note(struct ui *u, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(u->note, sizeof(u->note), fmt, ap);
	va_end(ap);
	u->note_until_ns = mono_now_ns() + 4 * NS;
	u->note_view = NULL; /* the screen on top after the pop: see after_dispatch */
}

uint64_t ui_now(const struct ui *u)
{
	return u->frozen ? u->view_now_ns : u->app->now_ns;
}

void ui_rows_source(const struct ui *u, struct rows_source *src)
{
	*src = (struct rows_source){ .table = u->app->model.table,
				     .history = u->show_history,
				     .frozen = u->frozen,
				     .nfrozen = u->show_history ? u->nfrozen : u->nfrozen_live };
}

const struct sock_entry *ui_find_sock(const struct ui *u, uint64_t skaddr, uint64_t serial)
{
	const struct table *t = u->app->model.table;
	const struct sock_entry *e;
	uint32_t n;

	if (u->frozen) {
		for (uint32_t i = 0; i < u->nfrozen; i++)
			if (u->frozen[i].skaddr == skaddr && u->frozen[i].serial == serial)
				return &u->frozen[i];
		return NULL;
	}
	e = table_find(t, skaddr);
	if (e && e->serial == serial)
		return e;
	n = table_history_count(t);
	for (uint32_t i = 0; i < n; i++) {
		e = table_history_get(t, i);
		if (e->skaddr == skaddr && e->serial == serial)
			return e;
	}
	return NULL;
}

/* ---- curses screen ---------------------------------------------------- */

static int clamp(int v, int max)
{
	return v > max ? max : v;
}

/* The terminal's size (0 when unknown) and what of it is drawn. */
static bool term_size(int fd, int *lines, int *cols)
{
	struct winsize ws;

	if (ioctl(fd, TIOCGWINSZ, &ws) || !ws.ws_row || !ws.ws_col)
		return false;
	*lines = ws.ws_row;
	*cols = ws.ws_col;
	return true;
}

/* curses sizes its screens at newterm from LINES and COLUMNS when they
 * are set: set them, for newterm alone, when the terminal is too big. */
static SCREEN *newterm_clamped(FILE *out, FILE *in)
{
	char *old_lines = getenv("LINES"), *old_cols = getenv("COLUMNS");
	char l[16], c[16], *sl = NULL, *sc = NULL;
	int lines, cols;
	SCREEN *s;

	if (!term_size(fileno(out), &lines, &cols) ||
	    (lines <= UI_MAX_LINES && cols <= UI_MAX_COLS))
		return newterm(NULL, out, in);
	sl = old_lines ? strdup(old_lines) : NULL;
	sc = old_cols ? strdup(old_cols) : NULL;
	snprintf(l, sizeof(l), "%d", clamp(lines, UI_MAX_LINES));
	snprintf(c, sizeof(c), "%d", clamp(cols, UI_MAX_COLS));
	setenv("LINES", l, 1);
	setenv("COLUMNS", c, 1);
	s = newterm(NULL, out, in);
	if (sl)
		setenv("LINES", sl, 1);
	else
		unsetenv("LINES");
	if (sc)
		setenv("COLUMNS", sc, 1);
	else
		unsetenv("COLUMNS");
	free(sl);
	free(sc);
	return s;
}

int ui_screen_open(struct ui *u, FILE *out, FILE *in)
{
	const char *nc = getenv("NO_COLOR");
	SCREEN *s;

	setlocale(LC_ALL, "");
	u->utf8 = !strcmp(nl_langinfo(CODESET), "UTF-8");
	u->g = draw_glyphs(u->utf8);
	set_escdelay(25);
	tty_save_modes(fileno(out));
	s = newterm_clamped(out, in);
	if (!s)
		return -ENOTTY;
	u->screen = s;
	set_term(s);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	typeahead(-1); /* a frame is drawn whole, never cut short by input */
	mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED,
		  NULL);
	mouseinterval(250);
	curs_set(0);
	u->colours = has_colors() && !(nc && *nc);
	if (u->colours && (start_color() != OK || use_default_colors() != OK))
		u->colours = has_colors() && COLORS >= 8;
	if (!u->colours && strcmp(u->theme.name, "mono")) {
		char err[256];

		/* NO_COLOR or a colourless terminal: attributes only */
		if (theme_load(&u->theme, "mono", err, sizeof(err)))
			ui_note(u, "%s", err);
	}
	theme_activate(&u->theme, u->colours);
	getmaxyx(stdscr, u->lines, u->cols);
	if (!term_size(fileno(out), &u->term_lines, &u->term_cols)) {
		u->term_lines = u->lines;
		u->term_cols = u->cols;
	}
	tty_fatal_install(fileno(out));
	return 0;
}

void ui_screen_close(struct ui *u)
{
	if (!u->screen)
		return;
	curs_set(1);
	endwin();
	tty_fatal_remove();
	delscreen(u->screen);
	u->screen = NULL;
}

void ui_resize(struct ui *u)
{
	int lines, cols;

	if (term_size(STDOUT_FILENO, &lines, &cols)) {
		u->term_lines = lines;
		u->term_cols = cols;
		resizeterm(clamp(lines, UI_MAX_LINES), clamp(cols, UI_MAX_COLS));
	}
	getmaxyx(stdscr, u->lines, u->cols);
	clearok(curscr, TRUE);
}

/* A terminal larger than what is drawn: say so at the right end of the
 * key bar, so the blank beyond is not taken for a fault. */
static void draw_clamped(struct ui *u)
{
	char msg[80];
	int len;

	if (u->term_lines <= u->lines && u->term_cols <= u->cols)
		return;
	len = snprintf(msg, sizeof(msg), " terminal %dx%d: drawn %dx%d (the most socktop draws) ",
		       u->term_cols, u->term_lines, u->cols, u->lines);
	if (len < u->cols)
		draw_text(u, u->lines - 1, u->cols - len, len, ROLE_WARN, msg);
}

static void draw_too_small(struct ui *u)
{
	char msg[80];
	int len;

	len = snprintf(msg, sizeof(msg), "socktop needs %dx%d (now %dx%d)", UI_MIN_COLS,
		       UI_MIN_LINES, u->cols, u->lines);
	draw_text(u, u->lines / 2, len < u->cols ? (u->cols - len) / 2 : 0, u->cols, ROLE_WARN,
		  msg);
	if (u->lines > u->lines / 2 + 1)
		draw_text(u, u->lines / 2 + 1, 0, u->cols, ROLE_DIM, "enlarge, or press q to quit");
}

void ui_draw(struct ui *u)
{
	void *priv;
	const struct view *v;
	struct rect body;
	int y;

	bkgdset(' ' | (chtype)u->theme.attr[ROLE_NORMAL]);
	erase();
	getmaxyx(stdscr, u->lines, u->cols);
	u->too_small = u->cols < UI_MIN_COLS || u->lines < UI_MIN_LINES;
	if (u->too_small) {
		draw_too_small(u);
		curs_set(0);
		refresh();
		return;
	}
	/* the body first: the header shows what it counted */
	y = UI_HEADER_LINES;
	body = (struct rect){ y, 0, u->lines - y - 2, u->cols };
	v = ui_top(u, &priv);
	u->shown = u->total = 0; /* a pane that filters rows sets them */
	v->draw(u, priv, &body);
	header_draw(u, 0, u->cols);
	statusbar_draw(u, u->lines - 2, u->cols); /* leaves the cursor for the prompt */
	draw_clamped(u);
	refresh();
	u->frames++;
}

/* ---- the loop ------------------------------------------------------------ */

static int on_stdin(void *ctx, uint32_t events)
{
	struct ui *u = ctx;
	int key, n = 0;

	while (n++ < 512 && (key = getch()) != ERR) {
		if (key == KEY_RESIZE) {
			u->app->resized = true;
			continue;
		}
		if (ui_key(u, key) & R_QUIT)
			u->app->quit = true;
		u->key_dirty = true;
	}
	if (n == 1 && (events & (EPOLLHUP | EPOLLERR)))
		u->app->quit = true; /* the terminal went away */
	return 0;
}

static int on_frame(void *ctx, uint32_t events)
{
	struct ui *u = ctx;

	(void)events;
	timer_ack(u->frame_fd);
	u->frame_armed = false;
	return 0;
}

/* The size changed without a SIGWINCH reaching us (resized while
 * stopped with ^Z, then fg): noticed on the next loop turn. */
static bool size_changed(const struct ui *u)
{
	int lines, cols;

	return term_size(STDOUT_FILENO, &lines, &cols) &&
	       (lines != u->term_lines || cols != u->term_cols);
}

bool ui_idle(struct ui *u, uint64_t budget_ns)
{
	bool more = false;

	for (int i = 0; i < u->nslots; i++)
		if (u->slot[i].v->idle && u->slot[i].v->idle(u, u->slot[i].priv, budget_ns))
			more = true;
	return more;
}

static void after_dispatch(struct ui *u)
{
	struct app *a = u->app;
	bool was_busy = u->busy;
	uint64_t now = mono_now_ns(), since = now - u->last_frame_ns;
	/* frames for data at most every 100 ms, and never more than a tenth
	 * of the time (huge tables, heavy churn: the CPU is the workload's):
	 * keys still draw at once */
	uint64_t gap = u->frame_cost_ns * FRAME_SHARE > FRAME_NS ? u->frame_cost_ns * FRAME_SHARE :
								   FRAME_NS;

	if (a->resized || size_changed(u)) {
		a->resized = false;
		ui_resize(u);
		u->key_dirty = true;
	}
	stats_sample(&u->stats, a, a->now_ns);
	/* work a view left for between frames: a slice a turn, the loop not
	 * waiting while some is left; what it did is drawn at the next frame */
	u->busy = ui_idle(u, IDLE_BUDGET_NS);
	if (was_busy || u->busy)
		a->dirty = true;
	if (ui_now(u) / NS != u->last_second)
		a->dirty = true; /* durations on screen moved */
	/* a note speaks of the screen it was said on: another screen drops it */
	if (u->note[0] && !u->note_view)
		u->note_view = ui_top(u, NULL);
	if (u->note[0] && u->note_view != ui_top(u, NULL))
		u->note_until_ns = now;
	if (a->log.head != u->log_head) {
		u->log_head = a->log.head;
		u->log_since_ns = now;
	}
	if (u->log_since_ns && now - u->log_since_ns >= UI_LOG_SHOWN_S * NS) {
		u->log_since_ns = 0; /* the status line now only counts them */
		a->dirty = true;
	}
	if (u->note_until_ns && now >= u->note_until_ns) {
		u->note_until_ns = 0;
		u->note[0] = '\0';
		a->dirty = true;
	}
	if (u->key_dirty || (a->dirty && since >= gap)) {
		u->key_dirty = false;
		a->dirty = false;
		u->last_second = ui_now(u) / NS;
		ui_draw(u);
		u->last_frame_ns = mono_now_ns();
		u->frame_cost_ns = u->last_frame_ns - now;
		u->busy = true; /* the frame may have left work (a count begun): a turn to see */
	} else if (a->dirty && !u->frame_armed) {
		if (!timer_set(u->frame_fd, gap - since, 0))
			u->frame_armed = true;
	}
}

int ui_run(struct app *a)
{
	struct ui *u = calloc(1, sizeof(*u));
	int err, rc = 0;

	if (!u)
		return 1;
	if (ui_init_state(u, a) < 0) {
		ui_free_state(u);
		free(u);
		fprintf(stderr, "socktop: out of memory\n");
		return 1;
	}
	if (ui_screen_open(u, stdout, stdin)) {
		ui_free_state(u);
		free(u);
		fprintf(stderr, "socktop: cannot start the terminal UI\n");
		return 2;
	}
	a->ui = (struct ui *)u;
	u->log_seen = a->log.head;
	ui_load_columns(u);
	stats_start(&u->stats, a->start_ns);
	if (ui_stderr_capture(u))
		app_log(a, "stderr stays on the terminal: %s", strerror(errno));
	u->frame_fd = timer_open(FRAME_NS);
	if (u->frame_fd >= 0)
		timer_set(u->frame_fd, 0, 0); /* disarmed until needed */
	err = u->frame_fd < 0 ? u->frame_fd : loop_add(a->loop, u->frame_fd, on_frame, u);
	if (!err)
		err = loop_add(a->loop, STDIN_FILENO, on_stdin, u);
	if (!err) {
		void *priv;
		const struct view *v = ui_top(u, &priv);

		if (v->enter)
			v->enter(u, priv, NULL);
		u->key_dirty = true;
		after_dispatch(u);
	}
	while (!err && !a->quit) {
		err = loop_once(a->loop, u->busy ? 0 : -1);
		if (err > 0)
			err = 0;
		after_dispatch(u);
	}
	if (err < 0) {
		app_log(a, "event loop: %s", strerror(-err));
		rc = 1;
	}
	loop_del(a->loop, STDIN_FILENO);
	if (u->frame_fd >= 0) {
		loop_del(a->loop, u->frame_fd);
		close(u->frame_fd);
	}
	ui_screen_close(u);
	ui_stderr_release(u);
	a->ui = NULL;
	ui_free_state(u);
	free(u);
	return rc;
}
