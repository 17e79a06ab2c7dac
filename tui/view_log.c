// SPDX-License-Identifier: GPL-2.0
/*
 * Messages page: every line in the app's log ring (libbpf output,
 * warnings, replay faults) that would otherwise have printed behind
 * curses, newest last, escaped. main() prints them to stderr after exit.
 */
#include <errno.h>
#include <ncurses.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "draw.h"
#include "ui.h"

struct logv {
	int scroll;	/* lines up from the newest */
	int page;
};

static int log_init(struct ui *u, void **priv)
{
	(void)u;
	*priv = calloc(1, sizeof(struct logv));
	return *priv ? 0 : -ENOMEM;
}

static void log_fini(void *priv)
{
	free(priv);
}

static int log_enter(struct ui *u, void *priv, const void *arg)
{
	(void)arg;
	((struct logv *)priv)->scroll = 0;
	u->log_seen = u->app->log.head;
	return R_REDRAW;
}

static void log_draw(struct ui *u, void *priv, const struct rect *r)
{
	struct logv *l = priv;
	const struct app_log *lg = &u->app->log;
	uint32_t have = lg->head < APP_LOG_LINES ? lg->head : APP_LOG_LINES;
	int rows = r->h - 1, shown;

	draw_printf(u, r->y, r->x, r->w, ROLE_TITLE, "Messages (%u logged, the last %u kept)",
		    lg->head, have);
	if (!have) {
		draw_text(u, r->y + 2, r->x + 2, r->w - 2, ROLE_DIM, "no messages");
		return;
	}
	l->page = rows;
	if (l->scroll > (int)have - rows)
		l->scroll = (int)have - rows;
	if (l->scroll < 0)
		l->scroll = 0;
	shown = (int)have - l->scroll < rows ? (int)have - l->scroll : rows;
	for (int i = 0; i < shown; i++) {
		/* oldest of the window first */
		uint32_t idx = lg->head - (uint32_t)l->scroll - (uint32_t)shown + (uint32_t)i;
		const char *s = lg->line[idx % APP_LOG_LINES];

		draw_untrusted(u, r->y + 1 + i, r->x, r->w, ROLE_NORMAL, s, strlen(s));
	}
}

static int k_back(struct ui *u, void *priv, int key)
{
	(void)u, (void)priv, (void)key;
	return R_POP | R_REDRAW;
}

static int k_scroll(struct ui *u, void *priv, int key)
{
	struct logv *l = priv;

	(void)u;
	if (key == KEY_UP || key == 'k')
		l->scroll++;
	else if (key == KEY_DOWN || key == 'j')
		l->scroll--;
	else if (key == KEY_PPAGE)
		l->scroll += l->page;
	else
		l->scroll -= l->page;
	if (l->scroll < 0)
		l->scroll = 0;
	return R_REDRAW;
}

static const struct key_bind log_keys[] = {
	{ 27, 'q', 'L', "Esc q L", "close the messages", k_back },
	{ KEY_UP, 'k', 0, "Up k", "older", k_scroll },
	{ KEY_DOWN, 'j', 0, "Down j", "newer", k_scroll },
	{ KEY_PPAGE, KEY_NPAGE, 0, "PgUp PgDn", "a page older / newer", k_scroll },
	{ 0, 0, 0, NULL, NULL, NULL },
};

const struct view view_log = {
	.name = "Messages",
	.keys = log_keys,
	.init = log_init,
	.fini = log_fini,
	.enter = log_enter,
	.draw = log_draw,
	.hints = "Esc:Back",
};
