// SPDX-License-Identifier: GPL-2.0
/* The Binds pane's columns (bindsnoop's, plus TIME and RESULT): one row
 * each. Bind events are shown newest first;
 * the columns do not sort. */
#include "columns.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "binds.h"
#include "fmt.h"
#include "stream.h"
#include "theme.h"
#include "ui.h"

#define EV(p) ((const struct event *)(p))

static void c_time(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	fmt_hms(out->buf, sizeof(out->buf), stream_wall_ns(c->u->app, EV(row)->ts_ns));
}

static void c_pid(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	(void)c;
	snprintf(out->buf, sizeof(out->buf), "%u", EV(row)->pid);
}

static void c_uid(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	(void)c;
	snprintf(out->buf, sizeof(out->buf), "%u", EV(row)->uid);
}

static void c_comm(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	(void)c;
	out->raw = true;
	out->text = EV(row)->comm;
	out->len = sizeof(EV(row)->comm);
}

static void c_prot(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	(void)c;
	/* a constant name, or one written in buf */
	out->text = binds_proto_name(EV(row)->protocol, out->buf, sizeof(out->buf));
}

static void c_addr(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	fmt_addr_fit(out->buf, sizeof(out->buf), EV(row)->family, EV(row)->saddr, c->w, c->u->utf8);
}

static void c_port(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	(void)c;
	snprintf(out->buf, sizeof(out->buf), "%u", binds_port(EV(row)));
}

static void c_opts(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	(void)c;
	binds_opts_str(out->buf, EV(row)->flags);
}

static void c_if(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	(void)c;
	snprintf(out->buf, sizeof(out->buf), "%u", EV(row)->ifindex);
}

static void c_result(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	const struct event *ev = row;

	(void)c;
	if (ev->ret) {
		snprintf(out->buf, sizeof(out->buf), "%s", fmt_errno_name(ev->ret));
		out->role = ROLE_ERROR;
	} else {
		snprintf(out->buf, sizeof(out->buf), "%s",
			 ev->flags & BIND_IMPLICIT ? "ok implicit" : "ok");
		if (ev->flags & BIND_IMPLICIT)
			out->role = ROLE_DIM;
	}
}

/* prio: dropped on narrow screens, higher first, when even the shortened
 * ADDR and COMM do not fit; 0 never. */
static const struct column bcols[BC_MAX] = {
	[BC_TIME] = { .id = "time",
		      .title = "TIME",
		      .width = 8,
		      .prio = 2,
		      .cell = c_time,
		      .help = "wall clock of the bind" },
	[BC_PID] = { .id = "pid",
		     .title = "PID",
		     .width = 7,
		     .keep_width = true,
		     .min = 5,
		     .right = true,
		     .cell = c_pid,
		     .filter = "pid",
		     .help = "process id" },
	[BC_UID] = { .id = "uid",
		     .title = "UID",
		     .width = 5,
		     .right = true,
		     .prio = 3,
		     .cell = c_uid,
		     .filter = "uid",
		     .help = "user id" },
	[BC_COMM] = { .id = "comm",
		      .title = "COMM",
		      .width = 8,
		      .min = 5,
		      .max = 24,
		      .cell = c_comm,
		      .filter = "comm",
		      .help = "process name" },
	[BC_PROT] = { .id = "prot",
		      .title = "PROT",
		      .width = 4,
		      .cell = c_prot,
		      .filter = "proto",
		      .help = "protocol" },
	[BC_ADDR] = { .id = "addr",
		      .title = "ADDR",
		      .width = 15,
		      .min = 9,
		      .cell = c_addr,
		      .filter = "addr",
		      .help = "address bound" },
	[BC_PORT] = { .id = "port",
		      .title = "PORT",
		      .width = 5,
		      .right = true,
		      .cell = c_port,
		      .filter = "lport",
		      .help = "port bound (given for port 0)" },
	[BC_OPTS] = { .id = "opts",
		      .title = "OPTS",
		      .width = 5,
		      .prio = 1,
		      .cell = c_opts,
		      .help = "F freebind, T transparent, N no port, R reuseaddr, r reuseport" },
	[BC_IF] = { .id = "if",
		    .title = "IF",
		    .width = 2,
		    .right = true,
		    .prio = 1,
		    .cell = c_if,
		    .help = "interface index (SO_BINDTODEVICE)" },
	[BC_RESULT] = { .id = "result",
			.title = "RESULT",
			.width = 6,
			.min = 6,
			.cell = c_result,
			.filter = "errors",
			.help = "ok, ok implicit (by listen/connect), or the error" },
};

const struct col_set binds_cols = { "binds", "Binds", bcols, BC_MAX };
