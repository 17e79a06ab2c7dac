// SPDX-License-Identifier: GPL-2.0
/*
 * Input: the global key table and the dispatch order (prompt, the top
 * view, global keys), pause (live: freeze a copy; replay: pause it),
 * theme cycling and the filter prompt's submit.
 */
#include "ui_input.h"

#include <errno.h>
#include <ncurses.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "keys.h"
#include "list.h"
#include "replay.h"
#include "table.h"
#include "ui.h"

static void unfreeze(struct ui *u)
{
	if (u->frozen) /* the copies' task names may go now */
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
	u->nfrozen = 0;
}

/* The copies' own transitions, holders past the inline ones or counters (the
 * pointer at offset off of each, lists of at most size bytes, used(copy)
 * of them in use, all when used is NULL): the entries' go when they do,
 * while the view still shows the copies. One block, NULL when no copy
 * has a list. */
static int freeze_lists(struct sock_entry *c, uint32_t k, size_t off, size_t size,
			size_t (*used)(const struct sock_entry *), void **block)
{
	uint32_t n = 0, j = 0;

	for (uint32_t i = 0; i < k; i++)
		n += *(void **)((char *)&c[i] + off) != NULL;
	*block = NULL;
	if (!n)
		return 0;
	*block = malloc((size_t)n * size);
	if (!*block)
		return -ENOMEM;
	for (uint32_t i = 0; i < k; i++) {
		void **list = (void **)((char *)&c[i] + off);

		if (!*list)
			continue;
		memcpy((char *)*block + (size_t)j * size, *list, used ? used(&c[i]) : size);
		*list = (char *)*block + (size_t)j++ * size;
	}
	return 0;
}

/* The copied counters' more (their rates), in one block: the entries'
 * go when they do. Not their history: no copy reads it. */
static int freeze_more(struct sock_entry *c, uint32_t k, struct traffic_more **block)
{
	uint32_t n = 0, j = 0;

	for (uint32_t i = 0; i < k; i++)
		n += c[i].traffic && c[i].traffic->more;
	*block = NULL;
	if (!n)
		return 0;
	*block = malloc((size_t)n * sizeof(**block));
	if (!*block)
		return -ENOMEM;
	for (uint32_t i = 0; i < k; i++) {
		struct sock_traffic *tr = c[i].traffic;

		if (!tr || !tr->more)
			continue;
		(*block)[j] = *tr->more;
		(*block)[j].hist = NULL;
		tr->more = &(*block)[j++];
	}
	return 0;
}

static size_t trans_used(const struct sock_entry *e)
{
	return e->ntrans * sizeof(*e->trans);
}

/* Copy live (and finished) sockets so the paused view holds still. */
static int freeze(struct ui *u)
{
	const struct table *t = u->app->model.table;
	uint32_t n = table_count(t), h = table_history_count(t), k = 0;
	struct sock_entry *c = malloc(((size_t)n + h + 1) * sizeof(*c));
	void *more, *owners, *traffic;
	struct traffic_more *traffic_more;

	if (!c)
		return -ENOMEM;
	for (const struct sock_entry *e = table_first(t); e && k < n; e = table_next(e))
		c[k++] = *e;
	u->nfrozen_live = k;
	for (uint32_t i = 0; i < h; i++)
		c[k++] = *table_history_get(t, i);
	for (uint32_t i = 0; i < k; i++)
		c[i].live_prev = c[i].live_next = 0; /* not in the table's list */
	if (freeze_lists(c, k, offsetof(struct sock_entry, trans),
			 TABLE_MAX_TRANSITIONS * sizeof(struct transition), trans_used, &more)) {
		free(c);
		return -ENOMEM;
	}
	if (freeze_lists(c, k, offsetof(struct sock_entry, owners_more),
			 TABLE_OWNERS_MORE * sizeof(struct owner), NULL, &owners)) {
		free(more);
		free(c);
		return -ENOMEM;
	}
	if (freeze_lists(c, k, offsetof(struct sock_entry, traffic), sizeof(struct sock_traffic),
			 NULL, &traffic)) {
		free(owners);
		free(more);
		free(c);
		return -ENOMEM;
	}
	if (freeze_more(c, k, &traffic_more)) {
		free(traffic);
		free(owners);
		free(more);
		free(c);
		return -ENOMEM;
	}
	unfreeze(u);
	table_comms_pin(u->app->model.table); /* the copies name tasks by id */
	u->frozen = c;
	u->frozen_more = more;
	u->frozen_owners = owners;
	u->frozen_traffic = traffic;
	u->frozen_traffic_more = traffic_more;
	u->nfrozen = k;
	u->view_now_ns = u->app->now_ns;
	return 0;
}

static int k_quit(struct ui *u, void *priv, int key)
{
	(void)u, (void)priv, (void)key;
	return R_QUIT;
}

static int k_help(struct ui *u, void *priv, int key)
{
	(void)priv, (void)key;
	if (ui_top(u, NULL) == &view_help)
		return R_NONE;
	return ui_push(u, &view_help, NULL);
}

static int k_tab(struct ui *u, void *priv, int key)
{
	int to = (u->pane + (key == KEY_BTAB ? u->npanes - 1 : 1)) % (u->npanes ? u->npanes : 1);

	(void)priv;
	if (u->npanes < 2)
		return R_NONE;
	return ui_show_pane(u, u->slot[to].v);
}

void ui_search_ended(struct ui *u, enum search_result r, unsigned int opens)
{
	bool shown = u->prompt.active && u->prompt.search && u->prompt.opens == opens;

	if (r == SEARCH_GOING) {
		if (shown)
			prompt_set_busy(&u->prompt, "searching");
	} else if (shown) {
		if (r == SEARCH_NONE)
			prompt_set_error(&u->prompt, "not found", -1);
		else if (u->prompt.busy)
			prompt_set_error(&u->prompt, "", -1);
	} else if (r == SEARCH_NONE) {
		ui_note(u, "search: not found"); /* ended after its prompt closed */
	}
}

static int k_filter(struct ui *u, void *priv, int key)
{
	(void)priv, (void)key;
	prompt_open(&u->prompt, "Filter: ", u->filter.text);
	return R_REDRAW;
}

static int k_search(struct ui *u, void *priv, int key)
{
	const char *last;
	void *vp;
	const struct view *v = ui_top(u, &vp);

	(void)priv, (void)key;
	if (!v->search) {
		ui_note(u, "no search here");
		return R_REDRAW;
	}
	/* after a search, F3 goes on to the next match of the same text
	 * (htop); the prompt opens with it, ready to be changed */
	last = prompt_last(&u->prompt, true);
	prompt_open(&u->prompt, "Search: ", last);
	u->prompt.search = true;
	if (last)
		ui_search_ended(u, v->search(u, vp, last, true), u->prompt.opens);
	return R_REDRAW;
}

static int k_clear(struct ui *u, void *priv, int key)
{
	(void)priv, (void)key;
	if (!filter_active(&u->filter))
		return R_NONE;
	filter_clear(&u->filter);
	u->filter.hide4 = u->filter.hide6 = u->filter.hide_tw = false;
	ui_note(u, "filter cleared");
	return R_REBUILD;
}

static int k_family(struct ui *u, void *priv, int key)
{
	bool *hide = key == '4' ? &u->filter.hide4 : &u->filter.hide6;

	(void)priv;
	*hide = !*hide;
	ui_note(u, "IPv%c rows %s", key, *hide ? "hidden" : "shown");
	return R_REBUILD;
}

static int k_time_wait(struct ui *u, void *priv, int key)
{
	(void)priv, (void)key;
	u->filter.hide_tw = !u->filter.hide_tw;
	ui_note(u, "TIME_WAIT sockets %s", u->filter.hide_tw ? "hidden" : "shown");
	return R_REBUILD;
}

static int k_pause(struct ui *u, void *priv, int key)
{
	struct app *a = u->app;

	(void)priv, (void)key;
	u->paused = !u->paused;
	if (a->replay) {
		replay_set_paused(a->replay, u->paused);
	} else if (u->paused) {
		if (freeze(u)) {
			u->paused = false;
			ui_note(u, "cannot pause: out of memory");
		}
	} else {
		unfreeze(u);
	}
	return R_REBUILD;
}

static int k_step(struct ui *u, void *priv, int key)
{
	(void)priv, (void)key;
	if (!u->app->replay) {
		ui_note(u, "step: only when replaying a recording");
		return R_REDRAW;
	}
	if (!u->paused) {
		u->paused = true;
		replay_set_paused(u->app->replay, true);
	}
	replay_step(u->app->replay);
	return R_REBUILD;
}

static int k_speed(struct ui *u, void *priv, int key)
{
	struct replay *r = u->app->replay;
	double s;

	(void)priv;
	if (!r) {
		ui_note(u, "speed: only when replaying a recording");
		return R_REDRAW;
	}
	s = replay_speed(r) * (key == '+' || key == '=' ? 2.0 : 0.5);
	replay_set_speed(r, s);
	ui_note(u, "replay speed x%g", replay_speed(r));
	return R_REDRAW;
}

static int k_theme(struct ui *u, void *priv, int key)
{
	char names[32][THEME_NAME_LEN], err[256];
	int n = theme_list(names, 32), cur = -1;

	(void)priv, (void)key;
	if (!n) {
		ui_note(u, "no theme files found");
		return R_REDRAW;
	}
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], u->theme.name))
			cur = i;
	cur = (cur + 1) % n;
	if (theme_load(&u->theme, names[cur], err, sizeof(err)))
		ui_note(u, "%s", err);
	else
		ui_note(u, "theme %s%s", names[cur], u->colours ? "" : " (no colour: attributes only)");
	theme_activate(&u->theme, u->colours);
	clearok(curscr, TRUE);
	return R_REDRAW;
}

/* F2: the columns of the view on top (or of the pane under a page). */
static int k_setup(struct ui *u, void *priv, int key)
{
	const struct view *v = ui_top(u, NULL);

	(void)priv, (void)key;
	if (v == &view_setup)
		return R_NONE;
	if (!v->cols)
		v = u->slot[u->pane].v;
	if (!v->cols) {
		ui_note(u, "no columns to set up here");
		return R_REDRAW;
	}
	return ui_push(u, &view_setup, v->cols);
}

static int k_log(struct ui *u, void *priv, int key)
{
	(void)priv, (void)key;
	if (ui_top(u, NULL) == &view_log)
		return R_NONE;
	return ui_push(u, &view_log, NULL);
}

static int k_redraw(struct ui *u, void *priv, int key)
{
	(void)u, (void)priv, (void)key;
	clearok(curscr, TRUE);
	return R_REDRAW;
}

const struct key_bind ui_global_keys[] = {
	{ KEY_F(1), '?', 'h', "F1 ? h", "help: this page", k_help },
	{ '\t', KEY_BTAB, 0, "Tab S-Tab", "next / previous pane", k_tab },
	{ KEY_F(2), 0, 0, "F2", "setup: which columns this pane shows, in which order (kept)",
	  k_setup },
	{ '/', KEY_F(4), '\\', "/ F4 \\", "filter prompt: port 443 state estab ...", k_filter },
	{ KEY_F(3), 0, 0, "F3", "search: jump to a row by name, address or pid (F3 again: next)",
	  k_search },
	{ 27, 0, 0, "Esc", "clear the filter", k_clear },
	{ '4', 0, 0, NULL, "show / hide IPv4 sockets", k_family },
	{ '6', 0, 0, NULL, "show / hide IPv6 sockets", k_family },
	{ 'w', 0, 0, NULL, "show / hide TIME_WAIT sockets (a busy host has many)", k_time_wait },
	{ ' ', 0, 0, "Space", "pause (live: freeze the view; replay: pause it)", k_pause },
	{ 'n', 0, 0, NULL, "replay: next event, one at a time (pauses)", k_step },
	{ '+', '=', 0, "+", "replay: twice as fast", k_speed },
	{ '-', 0, 0, NULL, "replay: half as fast", k_speed },
	{ 't', 0, 0, NULL, "next colour theme", k_theme },
	{ 'L', 0, 0, NULL, "messages: warnings and libbpf output kept while the UI runs", k_log },
	{ KEY_CTRL('l'), 0, 0, NULL, "redraw the screen", k_redraw },
	{ 'q', KEY_F(10), 0, "q F10", "quit", k_quit },
	{ 0, 0, 0, NULL, NULL, NULL },
};

static int submit_filter(struct ui *u)
{
	char err[160];
	int pos;

	if (filter_parse(&u->filter, u->prompt.buf, err, sizeof(err), &pos)) {
		prompt_set_error(&u->prompt, err, pos);
		return R_REDRAW;
	}
	prompt_close(&u->prompt);
	return R_REBUILD;
}

int ui_key(struct ui *u, int key)
{
	void *priv;
	const struct view *v;
	int r;

	if (u->prompt.active && u->prompt.search) {
		void *vp;
		const struct view *v = ui_top(u, &vp);
		bool next = key == KEY_F(3);
		enum prompt_result pr = next ? PROMPT_EDITING : prompt_key(&u->prompt, key);

		r = R_REDRAW;
		if (pr == PROMPT_CANCEL && v->search)
			v->search(u, vp, NULL, false); /* Esc: no jump later */
		if (pr != PROMPT_EDITING)
			prompt_close(&u->prompt);
		else if (v->search && u->prompt.len)
			ui_search_ended(u, v->search(u, vp, u->prompt.buf, next), u->prompt.opens);
	} else if (u->prompt.active) {
		switch (prompt_key(&u->prompt, key)) {
		case PROMPT_SUBMIT:
			r = submit_filter(u);
			break;
		case PROMPT_CANCEL:
			prompt_close(&u->prompt);
			filter_clear(&u->filter);
			r = R_REBUILD;
			break;
		default:
			r = R_REDRAW;
			break;
		}
	} else if (u->too_small) {
		r = key == 'q' || key == KEY_F(10) ? R_QUIT : R_NONE;
	} else {
		v = ui_top(u, &priv);
		r = keys_dispatch(v->keys, u, priv, key);
		if ((r & R_UNHANDLED) && v->list)
			r = keys_dispatch(list_keys, u, priv, key);
		if (r & R_UNHANDLED)
			r = keys_dispatch(ui_global_keys, u, NULL, key);
		if (r & R_UNHANDLED)
			r = R_NONE;
	}
	if (r & R_POP && u->depth) {
		int s = u->stack[--u->depth];

		if (u->slot[s].v->leave)
			u->slot[s].v->leave(u, u->slot[s].priv);
	}
	if (r & R_REBUILD)
		u->view_gen++;
	return r;
}
