/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Columns of the panes' tables. A column is one row of its pane's column
 * table: id (for the config file), title, width rule, sort key or
 * compare, the filter term that selects on it, and a cell formatter
 * (text and colour role). Panes draw a row by looping over the columns
 * shown (col_draw.c); a new column is one row here plus its model field.
 *
 * Widths fit the content: a column is as wide as its title (with room
 * for the sort arrow) and its widest cell on the page, within its min and
 * max; when the screen is too narrow, optional columns go first, then the
 * shrinkable ones shorten (widest first), then the rest go by priority.
 *
 * Sort keys are stored facts (times of entry, not durations), so an order
 * changes only when events arrive, never because time passed.
 */
#ifndef SOCKTOP_COLUMNS_H
#define SOCKTOP_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../bpf/metric_ids.h"

struct sock_entry;
struct table;
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

/* prio at or above this: dropped before any column is shortened */
#define COL_OPTIONAL 10

struct column {
	const char *id; /* lower case, for the config file: "local" */
	const char *title;
	int width;	 /* cells when there is nothing to measure */
	int min;	 /* shortened down to this on narrow screens; 0: never */
	int max;	 /* never wider than this; 0: no bound */
	bool right;	 /* right-aligned */
	bool desc;	 /* default direction is descending */
	bool hide_empty; /* not shown when no cell on the page has text */
	bool hide_same;	 /* not shown when every cell on the page reads the same */
	bool keep_width; /* never narrower than width, but down to min (a pid: pid_max's digits) */
	bool off_by_default; /* not in the default choice: F2 (or the columns file) shows it */
	/* whether the run can fill it: -1 never (no traffic counters in this
	 * run), 1 always, 0 as the page says (hide_empty, hide_same); NULL: 0 */
	int (*shown)(const struct ui *u);
	int prio; /* narrow screens drop higher first; 0: never dropped */
	/* sorting: key words (large tables, radix sorted) or a compare */
	int nwords;
	void (*key)(const void *row, uint64_t k[COL_KEY_WORDS]);
	/* or key words that read the row's task name (entry_comm: the table
	 * keeps it, the entry its id) */
	void (*key_names)(const struct table *t, const void *row, uint64_t k[COL_KEY_WORDS]);
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

/* The columns a pane shows, in order (the user's choice, colconf.h). */
struct col_choice {
	int n;
	uint8_t order[COLS_MAX]; /* indexes in the pane's table */
};

/* Widths seen on earlier frames: a column does not shrink back as soon
 * as its widest cell scrolls away, but COL_FIT_HOLD_NS later (view
 * clock), or when the screen, the choice or the view (a new sort or
 * filter: another page) changes. */
#define COL_FIT_HOLD_NS (2ULL * 1000000000ULL)
struct col_fit {
	int seen[COLS_MAX];
	uint64_t seen_ns[COLS_MAX];
	uint64_t gen;	   /* the view (sort, filter) the widths were seen in */
	bool on[COLS_MAX]; /* on the screen at the last fit */
	int width;
	struct col_choice choice;
};

/* One pane's column table. */
struct col_set {
	const char *pane; /* "conns", "procs", "binds": its name in the columns file */
	const char *name; /* "Connections": as the pane's tab says */
	const struct column *col;
	int n;
};

/* content[c] for a column the run cannot fill (col_fit hides it) */
#define COL_HIDDEN (-2)

/* Put x from w along the order; returns the width used. */
int col_place(struct col_layout *l);
/* The layout's order is the table's: 0 .. n-1. */
void col_default_order(struct col_layout *l, int n);
/* Index of the column with this id in s, or -1. */
int col_find(const struct col_set *s, const char *id);
/* The column under screen column x (relative to the pane), or -1. */
int col_at(const struct col_layout *l, int x);
/* Whether the column sorts (it has a key or a compare). */
bool col_sorts(const struct column *c);
/* Its key words for row, whose task names t keeps */
static inline void col_key(const struct column *c, const struct table *t, const void *row,
			   uint64_t k[COL_KEY_WORDS])
{
	if (c->key_names)
		c->key_names(t, row, k);
	else
		c->key(row, k);
}
/* Lay out the chosen columns in width cells, from the widest cell of
 * each on this page (content[c], -1: not measured) and what f has seen;
 * returns the width used. */
int col_fit(struct col_layout *l, const struct col_set *s, const struct col_choice *ch, int width,
	    const int *content, struct col_fit *f, uint64_t now);
/* The next (dir 1) or previous (-1) shown column after cur, for the sort
 * keys; cur itself when none is shown. */
int col_next_shown(const struct col_layout *l, int cur, int dir);

/* ---- the Processes pane (cols_procs.c): columns indexed by enum procs_sort ---- */

extern const struct col_set procs_cols;

/* ---- the Groups pane (cols_groups.c): one table per enum group_by ---- */

enum gcol {
	GC_KEY,
	GC_CONNS,
	GC_PEERS,
	GC_ESTAB,
	GC_SYN,
	GC_CLOSE_WAIT,
	GC_TIME_WAIT,
	GC_OTHER,
	GC_TX,
	GC_RX,
	GC_TX_S,
	GC_RX_S,
	GC_RETRANS,
	GC_MAX
};
extern const struct col_set groups_cols[];
struct group_row;
/* Lay out the Groups columns for grouping by (enum group_by), the key
 * column keyw cells wide when there is room. */
int groups_cols_layout(int width, int by, int keyw, struct col_layout *l);
/* The width the key column's text needs for rows[0..n) (read in their
 * own order, whatever the pane's: a million groups in the pane's order
 * were a cache miss each). */
int groups_key_width(int by, const struct group_row *rows, size_t n);

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
	/* the kernel's counters (sock_traffic.h): when the run has them,
	 * the most useful kept longest on narrow screens */
	COL_TX,
	COL_RX,
	COL_TX_RATE,
	COL_RX_RATE,
	COL_RTT,
	COL_RETRANS,
	COL_CWND,
	COL_DELIVERY,
	COL_CGROUP,    /* shown when a row on the page has a cgroup */
	COL_NETNS,     /* shown when there is more than one namespace */
	COL_CONTAINER, /* shown when a row on the page is in a container */
		       /* one per metric (bpf/metric_ids.h), its row made with METRIC_COLUMN */
#define METRIC_COL_ENUM(id, ...) COL_METRIC_##id,
	METRICS(METRIC_COL_ENUM)
#undef METRIC_COL_ENUM
		COL_MAX
};

extern const struct column columns[COL_MAX];
extern const struct col_set conns_cols;

/* Rank of a TCP state in the STATE sort (listeners, opening, open, closing). */
int columns_state_rank(int state);

#endif
