/* SPDX-License-Identifier: GPL-2.0 */
/* Snapshots into the app: the start-up pass of the live UI, periodic
 * resyncs, and --snapshot (modes.h: snapshot_run prints the table once). */
#ifndef SOCKTOP_SNAPSHOT_H
#define SOCKTOP_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loader.h"

struct app;
struct event;

/* What the ring brings while the start-up pass runs: drained into memory
 * between the pass's records (the ring would fill and drop under churn:
 * 8 MiB hold about 65k records, a tenth of a second of a busy host) and
 * applied after the pass, the order they would have had. */
struct snap_held {
	struct event *ev;
	size_t n, cap;
	uint32_t since_drain; /* pass records since the last drain */
	bool oom;	      /* could not grow: the rest went straight in */
};

/* The start-up pass, for the exit summary */
struct snap_startup {
	bool ran;
	int socks;     /* sockets seen, or a negative errno */
	uint64_t ns;   /* from its first record to the last applied */
	uint64_t held; /* ring records held back meanwhile (events without the
			* rings' reader thread) */
};

/* The loader's sink while a start-up pass runs: true when it kept ev */
bool snapshot_hold(struct app *a, const struct event *ev);

/*
 * One pass of the sockets that exist now, fed through app_on_event
 * (EV_SNAP_SOCK..., EV_SNAP_OWNER..., EV_SNAP_END; flags such as
 * SNAP_STARTUP or-ed into each). Uses the loader's iterators; when they
 * are not loaded and fallback is true, sock_diag netlink + /proc. Returns
 * the number of sockets, or a negative errno (-ENOTSUP: no iterators and
 * no fallback wanted).
 */
int snapshot_collect(struct app *a, uint32_t flags, bool fallback);
/* The same pass into another sink (ctx its own); reads only a->loader and
 * a->cap, so it may run on another thread (snapshot_pipe.c) */
int snapshot_collect_into(struct app *a, loader_sink sink, void *ctx, uint32_t flags,
			  bool fallback);
/* snapshot_collect read on a thread of its own while the calling thread
 * hands each record, in the order read, to apply (the start-up pass's
 * sink, which drains the ring into the hold); also drains the ring while
 * it waits for records. -EAGAIN: it could not start (no thread, no
 * memory): nothing was read, collect the other way. */
int snapshot_piped(struct app *a, uint32_t flags, bool fallback, loader_sink apply);
/* The live UI's start-up pass (SNAP_STARTUP), with the fallback unless
 * the user said --disable iters; a failure is logged, never fatal. */
void snapshot_startup(struct app *a);

#endif
