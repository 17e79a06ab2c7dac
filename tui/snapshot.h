/* SPDX-License-Identifier: GPL-2.0 */
/* Snapshots into the app: the start-up pass of the live UI, periodic
 * resyncs, and --snapshot (modes.h: snapshot_run prints the table once). */
#ifndef SOCKTOP_SNAPSHOT_H
#define SOCKTOP_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>

struct app;

/*
 * One pass of the sockets that exist now, fed through app_on_event
 * (EV_SNAP_SOCK..., EV_SNAP_OWNER..., EV_SNAP_END; flags such as
 * SNAP_STARTUP or-ed into each). Uses the loader's iterators; when they
 * are not loaded and fallback is true, sock_diag netlink + /proc. Returns
 * the number of sockets, or a negative errno (-ENOTSUP: no iterators and
 * no fallback wanted).
 */
int snapshot_collect(struct app *a, uint32_t flags, bool fallback);
/* The live UI's start-up pass (SNAP_STARTUP), with the fallback unless
 * the user said --disable iters; a failure is logged, never fatal. */
void snapshot_startup(struct app *a);

#endif
