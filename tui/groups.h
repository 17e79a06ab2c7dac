/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Grouped counts for the Groups pane (iftop's and ss -s's questions):
 * the table's sockets summed by remote address, by remote port (the
 * services this host talks to) or by local listening port (who talks to
 * this host's services), with counts by state, distinct peers, bytes,
 * rates and retransmits. Derived from the table on demand, like the
 * Processes rows; no curses, now is a parameter.
 */
#ifndef SOCKTOP_GROUPS_H
#define SOCKTOP_GROUPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "table.h"

struct filter;
struct traffic_state;

enum group_by {
	GROUP_RADDR,   /* remote address */
	GROUP_RPORT,   /* remote port of outgoing connections */
	GROUP_SERVICE, /* local listening port of incoming connections */
	GROUP_MAX
};

struct group_row {
	uint32_t netns;
	uint16_t family;
	uint16_t port;		   /* RPORT, SERVICE */
	uint8_t addr[16];	   /* RADDR */
	char comm[EVENT_COMM_LEN]; /* SERVICE: the listener's owner (raw) */
	uint32_t nsocks;
	uint32_t by_state[TS_MAX];
	uint32_t peers;		   /* distinct remote addresses */
	uint64_t tx, rx;	   /* bytes, the kernel's counters summed */
	uint64_t tx_rate, rx_rate; /* bytes/s, last pull interval */
	uint64_t retrans;
	bool traffic;	   /* some socket of it had counters */
	uint32_t ntraffic; /* how many */
};

struct groups;

struct groups *groups_new(void); /* NULL, errno */
void groups_free(struct groups *g);
/* Bring the rows up to date with the table (from its change log: only
 * the sockets it names are counted again), the grouping and the filter
 * (filter_gen: it changed). A new grouping or filter, or a log that
 * overran, counts every socket again: within budget_ns a call (0: no
 * limit), the rest at the next calls. Sockets f hides are not counted;
 * listeners and closed sockets never are. 1: the rows are the table's
 * now; 0: still counting (groups_counting); -ENOMEM. */
int groups_sync(struct groups *g, const struct table *t, const struct traffic_state *ts,
		enum group_by by, const struct filter *f, uint64_t filter_gen, uint64_t budget_ns);
/* groups_sync to the end: 0 or -ENOMEM (then rows are what fitted). */
int groups_rebuild(struct groups *g, const struct table *t, const struct traffic_state *ts,
		   enum group_by by, const struct filter *f, uint64_t filter_gen);
/* Counting from scratch under way: sockets counted so far, of how many. */
bool groups_counting(const struct groups *g, size_t *done, size_t *of);
/* Every row made, the empty ones (nsocks 0: their sockets left) too. */
const struct group_row *groups_rows(const struct groups *g, size_t *n);
size_t groups_shown(const struct groups *g); /* the rows with sockets */
/* Moves whenever a sum does. */
uint64_t groups_builds(const struct groups *g);
uint64_t groups_counts(const struct groups *g); /* counts from scratch begun */
/* Rows whose sums moved (or were made) since groups_changes_taken; *all:
 * too many to say, or a new count: take every row as changed. */
const uint32_t *groups_changes(struct groups *g, size_t *n, bool *all);
void groups_changes_taken(struct groups *g);
/* The widest key cell of the rows with sockets (groups_key_width), kept
 * as rows fill and empty: a pass over a million took 35-45 ms a frame. */
int groups_key_w(const struct groups *g);
/* The row of key's group (its key fields), when it has sockets. */
bool groups_find(const struct groups *g, const struct group_row *key, size_t *row);
/* The pane's order of rows[0..n) into order[0..n) (row numbers): by
 * column sort of groups_cols[by] (enum gcol; desc flips it), then the key
 * column, then the namespace, then the family (a group's whole key);
 * rows equal in all keep their order (groups_order.c). 0, -EINVAL or
 * -ENOMEM. */
int groups_order(const struct group_row *rows, size_t n, enum group_by by, int sort, bool desc,
		 uint32_t *order);
/* The filter text that selects a group's sockets: "raddr 10.0.0.7". */
char *groups_filter_text(enum group_by by, const struct group_row *r, char *out, size_t outsz);
const char *groups_by_name(enum group_by by); /* "remote address" */

#endif
