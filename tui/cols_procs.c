// SPDX-License-Identifier: GPL-2.0
/*
 * The Processes pane's columns (one row each, indexed by enum
 * procs_sort): title, width bounds, narrow-screen priority, compare and
 * cell. Counts are optional columns: on narrow screens they go, least
 * useful first, before a name is shortened.
 */
#include "columns.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "container.h"
#include "fmt.h"
#include "nsnames.h"
#include "procinfo.h"
#include "procs.h"
#include "theme.h"
#include "ui.h"

#define ROW(p) ((const struct proc_row *)(p))

static int num_cmp(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static void num_cell(struct col_cell *out, uint64_t v)
{
	snprintf(out->buf, sizeof(out->buf), "%llu", (unsigned long long)v);
}

static uint32_t syn(const struct proc_row *r)
{
	return r->by_state[TS_SYN_SENT] + r->by_state[TS_SYN_RECV];
}

static uint32_t first_lport(const struct proc_row *r)
{
	return r->nlports ? r->lports[0] : 0;
}

/* Numeric columns: a compare and a cell from one accessor. */
#define NUM_COLUMN(name, expr)                                                               \
	static uint64_t v_##name(const struct proc_row *r)                                   \
	{                                                                                    \
		return (expr);                                                               \
	}                                                                                    \
	static int cmp_##name(const void *a, const void *b)                                  \
	{                                                                                    \
		return num_cmp(v_##name(ROW(a)), v_##name(ROW(b)));                          \
	}                                                                                    \
	static void c_##name(const struct col_ctx *c, const void *row, struct col_cell *out) \
	{                                                                                    \
		(void)c;                                                                     \
		num_cell(out, v_##name(ROW(row)));                                           \
	}

/* Traffic columns: "-" for a process none of whose sockets has counters */
#define BYTES_COLUMN(name, field)                                                            \
	static int cmp_##name(const void *a, const void *b)                                  \
	{                                                                                    \
		return num_cmp(ROW(a)->field, ROW(b)->field);                                \
	}                                                                                    \
	static void c_##name(const struct col_ctx *c, const void *row, struct col_cell *out) \
	{                                                                                    \
		(void)c;                                                                     \
		if (!ROW(row)->has_traffic) {                                                \
			snprintf(out->buf, sizeof(out->buf), "-");                           \
			out->role = ROLE_DIM;                                                \
			return;                                                              \
		}                                                                            \
		fmt_bytes(out->buf, sizeof(out->buf), ROW(row)->field);                      \
	}

BYTES_COLUMN(tx, tx)
BYTES_COLUMN(rx, rx)
BYTES_COLUMN(tx_s, tx_rate)
BYTES_COLUMN(rx_s, rx_rate)

static int cmp_retrans(const void *a, const void *b)
{
	return num_cmp(ROW(a)->retrans, ROW(b)->retrans);
}

static void c_retrans(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	(void)c;
	if (!ROW(row)->has_traffic) {
		snprintf(out->buf, sizeof(out->buf), "-");
		out->role = ROLE_DIM;
		return;
	}
	num_cell(out, ROW(row)->retrans);
	if (ROW(row)->retrans)
		out->role = ROLE_WARN;
}

NUM_COLUMN(pid, r->pid)
NUM_COLUMN(socks, r->nsocks)
NUM_COLUMN(estab, r->by_state[TS_ESTABLISHED])
NUM_COLUMN(syn, syn(r))
NUM_COLUMN(close_wait, r->by_state[TS_CLOSE_WAIT])
NUM_COLUMN(other, procs_row_other(r))
NUM_COLUMN(conn_s, r->connects_s)
NUM_COLUMN(acc_s, r->accepts_s)
NUM_COLUMN(binds, r->binds)
NUM_COLUMN(errors, r->errors)

static int cmp_user(const void *a, const void *b)
{
	return num_cmp(ROW(a)->uid, ROW(b)->uid);
}

static void c_user(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	(void)c;
	/* a name from the user database: escaped like a comm */
	procinfo_user(ROW(row)->uid, out->buf, sizeof(out->buf));
	out->raw = true;
	out->len = strlen(out->buf);
}

static int cmp_comm(const void *a, const void *b)
{
	return strncmp(ROW(a)->comm, ROW(b)->comm, sizeof(ROW(a)->comm));
}

static void c_comm(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	(void)c;
	out->raw = true;
	out->text = ROW(row)->comm;
	out->len = sizeof(ROW(row)->comm);
}

static int cmp_cgroup(const void *a, const void *b)
{
	return strcmp(ROW(a)->cgroup, ROW(b)->cgroup);
}

static void c_cgroup(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	(void)c;
	out->raw = true;
	out->text = ROW(row)->cgroup;
	out->len = sizeof(ROW(row)->cgroup);
}

static int cmp_netns(const void *a, const void *b)
{
	return num_cmp(ROW(a)->netns, ROW(b)->netns);
}

static void c_netns(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	const char *name = nsnames_get(&c->u->app->nsnames, ROW(row)->netns);

	if (name) {
		out->raw = true;
		out->text = name;
		out->len = strlen(name);
	} else {
		nsnames_label(NULL, ROW(row)->netns, out->buf, sizeof(out->buf));
	}
}

static int cmp_container(const void *a, const void *b)
{
	return strcmp(ROW(a)->container, ROW(b)->container);
}

static void c_container(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	(void)c;
	out->raw = true;
	out->text = ROW(row)->container;
	out->len = strlen(ROW(row)->container);
}

static int cmp_listen(const void *a, const void *b)
{
	return num_cmp(first_lport(ROW(a)), first_lport(ROW(b)));
}

static void c_listen(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	const struct proc_row *p = row;
	size_t off = 0, room = 64; /* as many ports as a short list holds */

	(void)c;
	out->buf[0] = '\0';
	for (int i = 0; i < p->nlports && off < room; i++)
		off += (size_t)snprintf(out->buf + off, room - off, "%s%u", i ? "," : "",
					p->lports[i]);
	if (p->more_lports && off < room - 2)
		strcat(out->buf, ",+");
}

/* The traffic columns: only in a run that has the counters. */
static int traffic_shown(const struct ui *u)
{
	return u->app->model.traffic.why[0] ? -1 : 0;
}

/* NETNS: always on a host with more than one namespace, else only when
 * the page mixes them. */
static int netns_shown(const struct ui *u)
{
	return u->app->nsnames.n > 1 ? 1 : 0;
}

static const struct column pcols[PS_MAX] = {
	[PS_PID] = { .id = "pid",
		     .title = "PID",
		     .width = 7,
		     .keep_width = true,
		     .min = 5,
		     .right = true,
		     .prio = 0,
		     .cmp = cmp_pid,
		     .cell = c_pid,
		     .filter = "pid",
		     .help = "process id" },
	[PS_USER] = { .id = "user",
		      .title = "USER",
		      .width = 4,
		      .max = 16,
		      .prio = COL_OPTIONAL + 9,
		      .cmp = cmp_user,
		      .cell = c_user,
		      .filter = "uid",
		      .help = "user (sorted by uid)" },
	[PS_COMM] = { .id = "comm",
		      .title = "COMM",
		      .width = 8,
		      .min = 5,
		      .max = 24,
		      .prio = 0,
		      .cmp = cmp_comm,
		      .cell = c_comm,
		      .filter = "comm",
		      .help = "process name" },
	[PS_CGROUP] = { .id = "cgroup",
			.title = "CGROUP",
			.width = 6,
			.min = 8,
			.max = 32,
			.hide_empty = true,
			.prio = COL_OPTIONAL + 13,
			.cmp = cmp_cgroup,
			.cell = c_cgroup,
			.filter = "cgroup",
			.help = "cgroup v2 of the process" },
	[PS_LISTEN] = { .id = "listen",
			.title = "LISTEN",
			.width = 6,
			.min = 6,
			.max = 40,
			.prio = COL_OPTIONAL + 5,
			.cmp = cmp_listen,
			.cell = c_listen,
			.filter = "lport",
			.help = "ports it listens on" },
	[PS_SOCKS] = { .id = "socks",
		       .title = "SOCKS",
		       .width = 5,
		       .right = true,
		       .desc = true,
		       .prio = COL_OPTIONAL + 2,
		       .cmp = cmp_socks,
		       .cell = c_socks,
		       .help = "open sockets held" },
	[PS_ESTAB] = { .id = "estab",
		       .title = "ESTAB",
		       .width = 5,
		       .right = true,
		       .desc = true,
		       .prio = COL_OPTIONAL + 3,
		       .cmp = cmp_estab,
		       .cell = c_estab,
		       .help = "sockets ESTABLISHED" },
	[PS_SYN] = { .id = "syn",
		     .title = "SYN",
		     .width = 4,
		     .right = true,
		     .desc = true,
		     .prio = COL_OPTIONAL + 10,
		     .cmp = cmp_syn,
		     .cell = c_syn,
		     .help = "sockets in SYN_SENT or SYN_RECV" },
	[PS_CLOSE_WAIT] = { .id = "close-wait",
			    .title = "CLOSE_W",
			    .width = 7,
			    .right = true,
			    .desc = true,
			    .prio = COL_OPTIONAL + 4,
			    .cmp = cmp_close_wait,
			    .cell = c_close_wait,
			    .help = "sockets in CLOSE_WAIT (the peer closed, this one not yet)" },
	[PS_OTHER] = { .id = "other",
		       .title = "OTHER",
		       .width = 5,
		       .right = true,
		       .desc = true,
		       .prio = COL_OPTIONAL + 11,
		       .cmp = cmp_other,
		       .cell = c_other,
		       .help = "sockets in the other states" },
	[PS_CONN_S] = { .id = "conn-s",
			.title = "CONN/s",
			.width = 6,
			.right = true,
			.desc = true,
			.prio = COL_OPTIONAL + 6,
			.cmp = cmp_conn_s,
			.cell = c_conn_s,
			.help = "connects in the last second" },
	[PS_ACC_S] = { .id = "acc-s",
		       .title = "ACC/s",
		       .width = 6,
		       .right = true,
		       .desc = true,
		       .prio = COL_OPTIONAL + 7,
		       .cmp = cmp_acc_s,
		       .cell = c_acc_s,
		       .help = "accepts in the last second" },
	[PS_BINDS] = { .id = "binds",
		       .title = "BINDS",
		       .width = 5,
		       .right = true,
		       .desc = true,
		       .prio = COL_OPTIONAL + 12,
		       .cmp = cmp_binds,
		       .cell = c_binds,
		       .help = "binds since start" },
	[PS_ERRORS] = { .id = "errors",
			.title = "ERR",
			.width = 4,
			.right = true,
			.desc = true,
			.prio = COL_OPTIONAL + 8,
			.cmp = cmp_errors,
			.cell = c_errors,
			.filter = "errors",
			.help = "failed connects and binds since start" },
	[PS_NETNS] = { .id = "netns",
		       .title = "NETNS",
		       .width = 10,
		       .min = 8,
		       .max = 16,
		       .hide_same = true,
		       .shown = netns_shown,
		       .prio = COL_OPTIONAL + 14,
		       .cmp = cmp_netns,
		       .cell = c_netns,
		       .filter = "netns",
		       .help = "network namespace of its sockets: name or inode" },
	[PS_CONTAINER] = { .id = "container",
			   .title = "CONTAINER",
			   .width = 12,
			   .min = 8,
			   .max = 28,
			   .hide_empty = true,
			   .prio = COL_OPTIONAL + 15,
			   .cmp = cmp_container,
			   .cell = c_container,
			   .filter = "container",
			   .help = "container (or service) its cgroup names" },
	[PS_TX] = { .id = "tx",
		    .title = "TX",
		    .width = 7,
		    .right = true,
		    .desc = true,
		    .prio = COL_OPTIONAL + 9,
		    .shown = traffic_shown,
		    .cmp = cmp_tx,
		    .cell = c_tx,
		    .help = "bytes its sockets sent (acknowledged), ended ones included" },
	[PS_RX] = { .id = "rx",
		    .title = "RX",
		    .width = 7,
		    .right = true,
		    .desc = true,
		    .prio = COL_OPTIONAL + 9,
		    .shown = traffic_shown,
		    .cmp = cmp_rx,
		    .cell = c_rx,
		    .help = "bytes its sockets received, ended ones included" },
	[PS_TX_S] = { .id = "tx/s",
		      .title = "TX/s",
		      .width = 7,
		      .right = true,
		      .desc = true,
		      .prio = COL_OPTIONAL + 5,
		      .shown = traffic_shown,
		      .cmp = cmp_tx_s,
		      .cell = c_tx_s,
		      .help = "bytes/s its open sockets sent over the last second" },
	[PS_RX_S] = { .id = "rx/s",
		      .title = "RX/s",
		      .width = 7,
		      .right = true,
		      .desc = true,
		      .prio = COL_OPTIONAL + 5,
		      .shown = traffic_shown,
		      .cmp = cmp_rx_s,
		      .cell = c_rx_s,
		      .help = "bytes/s its open sockets received over the last second" },
	[PS_RETRANS] = { .id = "retrans",
			 .title = "RETR",
			 .width = 5,
			 .right = true,
			 .desc = true,
			 .prio = COL_OPTIONAL + 9,
			 .shown = traffic_shown,
			 .cmp = cmp_retrans,
			 .cell = c_retrans,
			 .help = "segments its sockets retransmitted" },
};

const struct col_set procs_cols = { "procs", "Processes", pcols, PS_MAX };
