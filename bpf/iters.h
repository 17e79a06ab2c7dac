/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Snapshots of the sockets that exist now, on demand (start-up, resync):
 * the BPF iterators iter/tcp + iter/task_file, or, where those cannot
 * load, sock_diag netlink + /proc/PID/fd. Both produce the same records:
 * EV_SNAP_SOCK for every socket, then EV_SNAP_OWNER for every holder
 * (pid, comm, fd), then one EV_SNAP_END, handed to a sink in that order.
 */
#ifndef SOCKTOP_ITERS_H
#define SOCKTOP_ITERS_H

#include <stddef.h>
#include <stdint.h>

#include "loader.h"

struct iters;

/* Load the iterator programs with the capture filters of c (not
 * attached: each snapshot makes its own links). With a loader, the
 * object shares its ring and counters; l may be NULL. NULL on failure
 * with the reason in why. */
struct iters *iters_open(struct loader *l, const struct capture *c, char *why, size_t whysz);
void iters_close(struct iters *it);

/*
 * One pass: every socket, every owner, then EV_SNAP_END. flags (e.g.
 * SNAP_STARTUP) are or-ed into every record. Returns the number of
 * sockets or a negative errno (nothing half-delivered is repaired: the
 * sink has seen what it has seen, without an EV_SNAP_END).
 */
int iters_snapshot(struct iters *it, loader_sink sink, void *ctx, uint32_t flags);
/* The two halves of a pass, for a caller that decides between them and
 * sends its own EV_SNAP_END: the sockets (returns how many), the holders
 * (returns how many records). Negative errno on failure. */
int iters_sockets(struct iters *it, loader_sink sink, void *ctx, uint32_t flags);
int iters_owners(struct iters *it, loader_sink sink, void *ctx, uint32_t flags);

/* The fallback: sock_diag netlink for the sockets, /proc/PID/fd inodes
 * for the owners. Same records, same order, same return. skaddr is the
 * kernel's socket cookie address as sock_diag reports it (idiag_cookie
 * is not an address: it is used only when the kernel hides addresses). */
int diag_snapshot(const struct capture *c, loader_sink sink, void *ctx, uint32_t flags);

/* The feature's iters handle inside a loader, NULL when off. */
struct iters *loader_iters(const struct loader *l);

#endif
