/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An iter/tcp walk sees only the network namespace of the task that
 * creates its iterator fd (bpf_iter_create). To walk them all, the fd is
 * created inside each namespace: setns(CLONE_NEWNET) there, create, come
 * back. setns needs CAP_SYS_ADMIN, which socktop drops once it runs, so a
 * small helper process forked before the drop keeps it and does only
 * this: asked over a socket pair, it finds every namespace (netns.h) and
 * sends back one iterator fd per namespace (SCM_RIGHTS) with its inode
 * and name. It has no other input, holds no other fd, is not dumpable,
 * and dies with socktop.
 */
#ifndef SOCKTOP_NSWALK_H
#define SOCKTOP_NSWALK_H

#include <stdbool.h>
#include <stdint.h>

struct nswalk;

/* called once per namespace found, with an iterator fd made inside it
 * (the callee reads and closes it), or with -errno when it could not be
 * entered: it exists, but was not walked. partial: this walk could not
 * find every namespace (no privilege to read other processes' or enter
 * their namespaces), so one it did not report may still exist. */
typedef int (*nswalk_cb)(void *ctx, uint32_t inode, const char *name, int iter_fd, bool partial);

/* May this process enter other network namespaces (CAP_SYS_ADMIN)? A
 * helper is worth forking only then. */
bool nswalk_may_enter(void);
/* Fork the helper for the iter/tcp link link_fd. NULL (errno) when it
 * cannot: walks are then made in the calling thread (nswalk_run). */
struct nswalk *nswalk_start(int link_fd);
void nswalk_stop(struct nswalk *w);
/*
 * One walk: cb for every namespace found. With w NULL (or its helper
 * gone) the calling thread enters each namespace itself, which works
 * while it is privileged; a namespace it cannot enter is not walked (the
 * own one always is). Returns the namespaces walked or a negative errno.
 * flags: NSWALK_ESTABLISHED or 0. With it a namespace whose Tcp CurrEstab
 * is 0 (no connection to read) is skipped: cb gets -ENOENT for it.
 */
#define NSWALK_ESTABLISHED 1u
int nswalk_run(struct nswalk *w, int link_fd, unsigned flags, nswalk_cb cb, void *ctx);

#endif
