/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Columns of the panes' tables. A column is one row of its pane's column
 * table: id (for the config file), title, width rule, sort key or
 * compare, the filter term that selects on it, and a cell formatter
 * (text and colour role). Panes draw a row by looping over the columns
 * shown (col_draw.c); a new column is one row here plus its model field.
 *
 * Sort keys are stored facts (times of entry, not durations), so an order
 * changes only when events arrive, never because time passed.
 */
#ifndef SOCKTOP_COLUMNS_H
#define SOCKTOP_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sock_entry;
struct ui;

#define COL_KEY_WORDS 4 /* most significant first; the row's serial breaks ties */
#define COL_TEXT_MAX 128
#define COLS_MAX 32 /* columns of one pane, at most */

/* What a cell formatter is given: where it draws and when. */
struct col_ctx {
	struct ui *u;
	uint64_t now; /* the view clock */
	int w;	      /* the cell's width */
};

/* What it hands back: text (in buf, or bytes the row holds) and a role. */
struct col_cell {
	char buf[COL_TEXT_MAX];
	const char *text; /* NULL: buf */
	size_t len;	  /* raw: bytes at text */
	bool raw;	  /* untrusted bytes (kernel, recording): escaped when drawn */
	int role;	  /* ROLE_* of this cell unless selected; -1: the row's */
};

struct column {
	const char *id; /* lower case, for the config file: "local" */
	const char *title;
	int width;  /* cells; flexible columns: the minimum */
	bool right; /* right-aligned */
	bool flex;  /* takes a share of the spare width */
	bool desc;  /* default direction is descending */
	int prio;   /* narrow screens keep lower first (panes that use it) */
	/* sorting: key words (large tables, radix sorted) or a compare */
	int nwords;
	void (*key)(const void *row, uint64_t k[COL_KEY_WORDS]);
	int (*cmp)(const void *a, const void *b);
	void (*cell)(const struct col_ctx *c, const void *row, struct col_cell *out);
	const char *filter; /* the filter term that selects on it, NULL: none */
	const char *help;   /* what the column shows */
};

/* Where each column of a pane goes on this frame: w 0 = not shown. The
 * order is the pane's (its table order, or the one the user chose). */
struct col_layout {
	int n; /* columns in order[] */
	uint8_t order[COLS_MAX];
	int x[COLS_MAX], w[COLS_MAX]; /* by column index */
};

/* One pane's column table. */
struct col_set {
	const char *pane; /* "conns", "procs", "binds" */
	const struct column *col;
	int n;
};

/* Put x from w along the order; returns the width used. */
int col_place(struct col_layout *l);
/* The layout's order is the table's: 0 .. n-1. */
void col_default_order(struct col_layout *l, int n);
/* Index of the column with this id in s, or -1. */
int col_find(const struct col_set *s, const char *id);
/* The column under screen column x (relative to the pane), or -1. */
int col_at(const struct col_layout *l, int x);

/* ---- the Processes pane (cols_procs.c): columns indexed by enum procs_sort ---- */

extern const struct col_set procs_cols;
/* Lay out the Processes columns; the optional ones only when shown has
 * their bit (some row has one). */
#define PROCS_SHOW_CGROUP (1u << 0)
#define PROCS_SHOW_NETNS (1u << 1)
#define PROCS_SHOW_CONTAINER (1u << 2)
#define PROCS_SHOW_TRAFFIC (1u << 3) /* the run has traffic counters */
int procs_cols_layout(int width, unsigned shown, struct col_layout *l);

/* ---- the Groups pane (cols_groups.c): one table per enum group_by ---- */

enum gcol {
	GC_KEY, GC_CONNS, GC_PEERS, GC_ESTAB, GC_SYN, GC_CLOSE_WAIT, GC_TIME_WAIT, GC_OTHER,
	GC_TX, GC_RX, GC_TX_S, GC_RX_S, GC_RETRANS, GC_MAX
};
extern const struct col_set groups_cols[];
struct group_row;
/* Lay out the Groups columns for grouping by (enum group_by), the key
 * column keyw cells wide when there is room. */
int groups_cols_layout(int width, int by, int keyw, struct col_layout *l);
/* The width the key column's text needs for these rows. */
int groups_key_width(int by, const struct group_row *const *rows, size_t n);

/* ---- the Binds pane (cols_binds.c) ---- */

enum bcol {
	BC_TIME,
	BC_PID,
	BC_UID,
	BC_COMM,
	BC_PROT,
	BC_ADDR,
	BC_PORT,
	BC_OPTS,
	BC_IF,
	BC_RESULT,
	BC_MAX
};
extern const struct col_set binds_cols;
int binds_cols_layout(int width, struct col_layout *l);

/* ---- the Connections pane (cols_conns.c) ---- */

enum col_id {
	COL_PID = 0,
	COL_COMM,
	COL_IPV,
	COL_LOCAL,
	COL_REMOTE,
	COL_STATE,
	COL_TIME,
	COL_AGE,
	/* the kernel's counters (sock_traffic.h): shown as width allows,
	 * most useful first (columns_layout) */
	COL_TX,
	COL_RX,
	COL_TX_RATE,
	COL_RX_RATE,
	COL_RTT,
	COL_RETRANS,
	COL_CWND,
	COL_DELIVERY,
	COL_CGROUP, /* width 0: shown only through columns_show_cgroup() */
	COL_NETNS,  /* width 0: shown through columns_show_extra() */
	COL_CONTAINER,
	COL_MAX
};

extern const struct column columns[COL_MAX];
extern const struct col_set conns_cols;

/* Lay out the Connections columns in width cells; returns used. The
 * traffic columns only when the run has counters (not an old recording,
 * nor with the hook off: help says why). */
int columns_layout(int width, struct col_layout *l);
int columns_layout_traffic(int width, struct col_layout *l, bool traffic);
/* Give CGROUP part of the addresses' spare width (when some row has a
 * cgroup); nothing changes on screens too narrow for it. */
void columns_show_cgroup(struct col_layout *l);
/* The same for another optional column, at most max cells. */
void columns_show_extra(struct col_layout *l, int col, int max);
/* Rank of a TCP state in the STATE sort (listeners, opening, open, closing). */
int columns_state_rank(int state);

#endif
