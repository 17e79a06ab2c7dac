/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-process data for the Processes pane: rows derived from the socket
 * table (sockets by state, listening ports), plus per-process event
 * counts (connects, accepts, binds, errors): an output of the app, fed
 * after the model. No curses; now is always a parameter.
 */
#ifndef SOCKTOP_PROCS_H
#define SOCKTOP_PROCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../bpf/event.h"
#include "table.h"

#define PROCS_MAX_LPORTS 6
#define PROCS_LINGER_NS (5ULL * 1000000000ULL) /* idle rows without sockets */
#define PROCS_CGROUP_LEN 96
#define PROCS_CONTAINER_LEN 48
#define PROCS_MAX_STATS 65536	/* processes with counts kept */
#define PROCS_EXPIRE_NS (10ULL * 1000000000ULL) /* idle ones go this often */

struct proc_row {
	uint32_t pid, uid;
	uint32_t pstart;		/* process start (event.h), 0 = unknown */
	char comm[EVENT_COMM_LEN];	/* raw kernel bytes: escape on output */
	char cgroup[PROCS_CGROUP_LEN];	/* "" = root cgroup or unknown */
	char container[PROCS_CONTAINER_LEN]; /* container.h's name, "" = none */
	uint32_t netns;			     /* network namespace of its first socket, 0 = none */
	uint32_t nsocks;		/* open sockets it holds */
	uint32_t by_state[TS_MAX];
	int nlports;			/* listening ports (first few) */
	uint16_t lports[PROCS_MAX_LPORTS];
	bool more_lports;
	uint32_t connects_s, accepts_s;	/* in the last full second */
	uint64_t connects, accepts, binds, errors; /* since start */
	uint64_t last_ns;		/* last event of this process */
	/* traffic: its open sockets' counters plus the final ones of those
	 * that ended (the kernel's, sock_traffic.h); rates of the open ones */
	bool has_traffic;
	uint64_t tx, rx, tx_rate, rx_rate;
	uint64_t retrans;
};

enum procs_sort {
	PS_PID,
	PS_USER,
	PS_COMM,
	PS_CGROUP,
	PS_LISTEN,
	PS_SOCKS,
	PS_ESTAB,
	PS_SYN,
	PS_CLOSE_WAIT,
	PS_OTHER,
	PS_CONN_S,
	PS_ACC_S,
	PS_BINDS,
	PS_ERRORS,
	PS_NETNS,
	PS_CONTAINER,
	PS_TX,
	PS_RX,
	PS_TX_S,
	PS_RX_S,
	PS_RETRANS,
	PS_MAX
};

struct procs;

/* live: read /proc for cgroups (not when replaying). NULL, errno. */
struct procs *procs_new(bool live);
void procs_free(struct procs *p);

/* Bounds: processes with counts kept (PROCS_MAX_STATS), those refused
 * because the bound was reached, cgroup-name cache flushes. */
struct procs_bounds {
	uint32_t nstats;
	uint64_t stats_dropped;
	uint64_t cgroup_flushes;
	uint64_t pids_reused;		/* a pid seen again as another process */
};
void procs_bounds(const struct procs *p, struct procs_bounds *out);
/* Forget processes idle for a minute and holding nothing, whether or not
 * the pane is shown; does the work at most every PROCS_EXPIRE_NS. */
void procs_expire(struct procs *p, const struct table *t, uint64_t now_ns);

/* Per-process counters: EV_CONNECT, EV_CONNECT_RET (errors), EV_ACCEPT,
 * EV_BIND. Those and the other events that name a socket's owner
 * (EV_SNAP_OWNER, connect() and listen() transitions) say which process
 * a pid is now: a later start on a known pid is another process, whose
 * row starts afresh; the exited one's sockets count for nobody. */
void procs_count(struct procs *p, const struct event *ev);
/* A socket's final counters (EV_TRAFFIC with TRAFFIC_FINAL; e is its
 * entry): they count for its owner after the socket leaves the table. */
void procs_traffic_final(struct procs *p, const struct sock_entry *e);

struct filter;
/* Rebuild the rows from the table (cheap to call every frame: does work
 * only when the table, the second or filter_gen changed). With an active
 * view filter f, only sockets it matches are counted and only processes
 * holding one are shown. */
void procs_rebuild(struct procs *p, const struct table *t, uint64_t now_ns,
		   const struct filter *f, uint64_t filter_gen);
void procs_set_sort(struct procs *p, enum procs_sort key, bool desc);
enum procs_sort procs_sort_key(const struct procs *p);
bool procs_sort_desc(const struct procs *p);
const struct proc_row *procs_rows(const struct procs *p, size_t *n);
const struct proc_row *procs_find(const struct procs *p, uint32_t pid);
/* sockets in states without their own column */
uint32_t procs_row_other(const struct proc_row *r);

/* True when pid is among the entry's owners (or its primary owner). */
bool sock_owned_by(const struct sock_entry *e, uint32_t pid, uint32_t pstart);

/* Path of a socket's cgroup id below the cgroup2 root, cached (see
 * cg_names_get in procinfo.h). */
const char *procs_cgroup_name(struct procs *p, uint64_t id);

#endif
