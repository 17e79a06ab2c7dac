/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct view: one screen region's behaviour (a pane in the Tab cycle, or
 * a page pushed on top of one: detail, help). Views draw from the app,
 * read-only; key handlers change view state only and return reaction
 * flags. Each key table carries its help text: the help page is generated
 * from the same tables that dispatch keys, so the two cannot drift.
 *
 * Adding a pane: write tui/view_NAME.c defining `const struct view
 * view_NAME`, and add one line PANE(view_NAME) to tui/panes.h (a page
 * that is only pushed: PAGE(view_NAME)).
 */
#ifndef SOCKTOP_VIEW_H
#define SOCKTOP_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "prompt.h" /* enum search_result */

struct ui;
struct list_ops;
struct col_set;

/* Reactions returned by key handlers and enter (bit flags). */
#define R_NONE 0
#define R_REDRAW (1 << 0)  /* redraw the screen */
#define R_REBUILD (1 << 1) /* filter/sort/data view changed: rebuild rows */
#define R_QUIT (1 << 2)
#define R_POP (1 << 3)	     /* leave this pushed view */
#define R_UNHANDLED (1 << 4) /* not mine: try the next table */

/* Key codes: curses KEY_* values, plain characters, or these. */
#define KEY_CTRL(c) ((c)&0x1f)
#define KEY_ESCAPE 27
#define KEY_ENTER_LF '\n'

struct key_bind {
	int key;	   /* primary key code */
	int alt;	   /* another key for the same action, 0 = none */
	int alt2;	   /* a third one, 0 = none */
	const char *label; /* as shown in help: "F6 <": NULL = derived */
	const char *help;  /* one line, shown in the help page */
	int (*fn)(struct ui *u, void *priv, int key);
};

struct rect {
	int y, x, h, w;
};

struct view {
	const char *name;	     /* tab title: "Connections" */
	bool pane;		     /* in the Tab cycle (else only pushed) */
	const struct key_bind *keys; /* terminated by an entry with fn == NULL */
	/* Per-UI state: init allocates *priv (may stay NULL); fini frees it. */
	int (*init)(struct ui *u, void **priv);
	void (*fini)(void *priv);
	/* Called when the view becomes the top one; arg is the push argument
	 * (NULL for panes). Returns reaction flags. May be NULL. */
	int (*enter)(struct ui *u, void *priv, const void *arg);
	void (*leave)(struct ui *u, void *priv); /* may be NULL */
	/* Optional: work between frames, within budget_ns (a count or a
	 * sort under way, an index kept while hidden): called on every turn
	 * of the loop, shown or not. True while work is left. */
	bool (*idle)(struct ui *u, void *priv, uint64_t budget_ns);
	/* Draw into r (below the header, above the status line). */
	void (*draw)(struct ui *u, void *priv, const struct rect *r);
	/* One-line hints for the function-key bar, e.g. "Enter Detail". */
	const char *hints;
	/* Optional: a list of rows the shared list keys move through
	 * (list.h); tried after keys. */
	const struct list_ops *list;
	/* Optional: the view's table columns, for the column setup (F2). */
	const struct col_set *cols;
	/* Optional: move the selection to the first row from the current one
	 * (next: after it) whose text contains s. A search over many rows
	 * may go on between frames (SEARCH_GOING): the view's idle hook
	 * finishes it and tells ui_search_ended. s NULL: stop one under way. */
	enum search_result (*search)(struct ui *u, void *priv, const char *s, bool next);
};

/* The view registry, from panes.h. */
#define PANE(v) extern const struct view v;
#define PAGE(v) extern const struct view v;
#include "panes.h"
#undef PANE
#undef PAGE
/* Select the socket (skaddr, serial) in the Connections pane (view_conns.c). */
void view_conns_select(struct ui *u, uint64_t skaddr, uint64_t serial);

/* Make v the current pane: pushed pages and the pane leave, v enters.
 * Every pane switch goes through here. */
int ui_show_pane(struct ui *u, const struct view *v);
/* Push a page on top (detail, help). arg is passed to its enter. */
int ui_push(struct ui *u, const struct view *v, const void *arg);

#endif
