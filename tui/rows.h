/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The connections pane's index: the filtered, sorted array of entry
 * pointers over the table (plus finished history when asked), rebuilt only
 * when the table generation, the filter or the sort changed: from the
 * table's change log, only the rows that changed move (binary search into
 * the kept order); a new sort or filter is a stable LSD radix sort on
 * per-column key words. The result is always the one a sort from scratch
 * gives. The selection is a key (skaddr, serial) re-found after every
 * rebuild.
 * Pointers are valid until the next table_apply/table_expire.
 */
#ifndef SOCKTOP_ROWS_H
#define SOCKTOP_ROWS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "columns.h"

struct sock_entry;
struct table;
struct filter;
struct filter_subject;

/* One entry of the set. Its key words are in rows.keys; the two bytes a
 * slot also has (filter result, build mark) are arrays of their own:
 * passes over every row read them alone (a dense byte array, not a 56-byte
 * stride: with them in the slot the quick build's one pass cost 1.17 ms
 * instead of 0.28 ms at 100k rows, make bench's render figures). */
struct rows_slot {
	const struct sock_entry *e; /* NULL: a free slot */
};

/* What filters of ports, state and family read of a slot's entry, kept
 * beside its key (written whenever the slot is keyed): a new such filter
 * (filter_table_new) reads 6 bytes a row in order, not the entries all
 * over memory. state 0xff: no entry in the slot. */
struct rows_basic {
	uint16_t lport, rport;
	uint8_t family, state;
};

/* entry -> slot, by the entry's handle in the table (table_entry_handle):
 * an array of slots + 1 (0: none) for each chunk of entries that has
 * rows, 4 bytes an entry, no hashing (rows.c) */
struct rows_map {
	uint32_t **dir; /* by slab_handle_chunk(): NULL until needed */
	uint32_t ndir;	/* dir's length */
	uint32_t span;	/* each array's length: table_handle_span() */
	uint32_t n;	/* entries mapped */
};

struct rows_job;

struct rows {
	const struct sock_entry **v; /* shown rows, sorted */
	uint32_t n, cap;
	uint32_t total; /* candidates before filtering */
	int sort_col;	/* enum col_id */
	bool desc;
	/* selection, by key */
	uint64_t sel_skaddr, sel_serial;
	bool have_sel;
	uint32_t sel; /* index in v (valid when n > 0) */
	uint32_t top; /* first row shown */
	/* The whole set the rows come from (every entry, filtered or not) in
	 * slots, with their keys and filter results, kept between rebuilds
	 * and brought up to date from the table's change log: entries born,
	 * gone or changed are taken out and put back; the rest stay put. */
	struct rows_slot *slot;	  /* by slot number */
	uint64_t *keys;		  /* by slot, kst words: the column's, then the serial */
	uint32_t kst;		  /* the sort column's words + 1 (0: none yet) */
	uint8_t *match;		  /* by slot: passes the filter (and is shown) */
	uint8_t *mark;		  /* by slot: scratch during a build (rows.c) */
	struct rows_basic *basic; /* by slot: for filter_table_new() filters */
	uint32_t ncand;		  /* slots in use or freed (high mark) */
	uint32_t nset;		  /* slots holding an entry */
	/* by position (a row, or an item of a list): cap each */
	uint32_t *ord;	/* ord[0..n): shown slots in row order */
	uint32_t *ord2; /* scratch: the next order, rows to put in */
	uint32_t *chg;	/* slots to put back */
	uint32_t nchg;
	uint32_t *freed; /* free slots */
	uint32_t nfreed;
	uint64_t *kw, *kw2;   /* radix sort: one key word per row (while it runs) */
	size_t scratch_bytes; /* their mapping's length */
	uint32_t cand_cap;    /* slots and positions allocated */
	struct rows_map map;  /* live table sources only */
	/* what the set and the order were built from */
	bool set_valid, order_valid;
	uint64_t set_seq, set_touches; /* table log read up to */
	const void *set_table;
	const void *set_frozen;
	uint32_t set_nfrozen;
	bool set_history;
	int set_sort;
	bool set_desc;
	struct filter *set_filter; /* the filter it was built with */
	/* While a filter is on: the order of every row as it was without
	 * it, and the slots changed since (mark bit, rows.c), so that
	 * clearing the filter puts that order back rather than sorting the
	 * hidden rows again. */
	uint32_t *all_ord; /* slots in row order, all_n of them */
	const struct sock_entry **all_v;
	uint32_t all_n;
	uint32_t *dirty; /* slots changed since all_ord was kept */
	uint32_t ndirty, dirty_cap;
	uint64_t full_builds, quick_builds; /* for the benchmark and tests */
	uint64_t restores;		    /* filter cleared: the kept order put back */
	uint32_t sel_slot;		    /* slot of the selection, UINT32_MAX: unknown */
	bool sel_lost;			    /* the selected entry left the set */
	/* A re-sort of many rows is finished by a worker (rows.c): the frame
	 * after the key has the rows around the selection (win: the slots
	 * of rows win_lo.., in order, picked in a pass over the entries),
	 * the keys (keys, kst) and the whole order (ord, v) come later,
	 * from the worker. While job is set, read rows through
	 * rows_need/rows_row; any rebuild waits for it, or cancels it for
	 * another sort. */
	struct rows_job *job;
	const atomic_bool *stop; /* the worker's copy: give up when set */
	uint32_t *win;
	uint32_t win_lo, win_n, win_cap;
	uint32_t page;	    /* rows in the window the last frame showed */
	uint32_t defer_min; /* fewer rows: sorted in the frame itself */
	uint64_t deferred;  /* re-sorts handed to a worker (tests, bench) */
	/* the source's table, which keeps its entries' task names */
	const struct table *names;
};

/* Where rows come from: the live table (+ history), or a frozen copy
 * (the table still set: it keeps the copies' task names, pinned). */
struct rows_source {
	const struct table *table;
	bool history;			 /* include finished lifecycles */
	const struct sock_entry *frozen; /* when non-NULL: these instead */
	uint32_t nfrozen;
};

void rows_init(struct rows *r, int sort_col, bool desc);
void rows_free(struct rows *r);
/* Rebuild: 0 or -ENOMEM (rows then keep the old content, emptied). */
int rows_rebuild(struct rows *r, const struct rows_source *src, const struct filter *f);
/* Move the selection to index i (clamped) and remember its key. */
void rows_select(struct rows *r, int64_t i);
/* Wait for a re-sort the worker has not finished: v and ord whole. */
void rows_finish(struct rows *r);
/* A worker is still sorting (rows_finish would wait for it). */
bool rows_sorting(const struct rows *r);
/* Rows from..from+n are about to be read with rows_row: waits for the
 * worker unless they are all in the window it left. */
void rows_need(struct rows *r, uint32_t from, uint32_t n);
/* Row i (< n), after rows_need covered it. */
const struct sock_entry *rows_row(const struct rows *r, uint32_t i);
/* Select the row of this socket lifecycle at the next rebuild. */
void rows_select_key(struct rows *r, uint64_t skaddr, uint64_t serial);
/* Keep the selection visible in a window of h rows. */
void rows_scroll(struct rows *r, int h);
/* Set the sort column; same column again flips the direction. */
void rows_sort_by(struct rows *r, int col);
const struct sock_entry *rows_selected(struct rows *r);
/* rows_scan.c, for rows.c: the live entries' addresses (any order) into
 * out; one stable radix pass set over kw/ord[0..n) (false: r->stop
 * was set, the order undefined). */
uint32_t rows_collect_live(const struct table *t, const struct sock_entry **out, uint32_t max);
bool rows_radix_word(struct rows *r, uint32_t n);
bool rows_radix_bits(struct rows *r, uint32_t n, int bits);
/* Fill a filter subject from an entry of t (shared by every socket view). */
void rows_subject(const struct table *t, const struct sock_entry *e, struct filter_subject *s);

#endif
