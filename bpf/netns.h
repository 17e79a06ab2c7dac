/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every network namespace on the host, found from what holds one: the
 * processes (/proc/PID/ns/net) and the nsfs files mounted somewhere
 * (/run/netns/NAME made by `ip netns add`, docker's /run/docker/netns/...,
 * found in /proc/self/mountinfo). Each is known by its inode, the number
 * lsns -t net shows, and named where /run/netns has a file for it.
 * Reading other processes' namespaces needs root (ptrace access).
 */
#ifndef SOCKTOP_NETNS_H
#define SOCKTOP_NETNS_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"

struct netns_info {
	uint32_t inode;
	char name[EVENT_NETNS_NAME_LEN]; /* "" when /run/netns has none */
	char path[64];			 /* opens it: /proc/PID/ns/net or a mount */
};

struct netns_set {
	struct netns_info *ns;
	size_t n, cap;
};

/* Fill s (emptied first) with every namespace found now, sorted by
 * inode, the caller's own first among equals. 0 or a negative errno. */
int netns_scan(struct netns_set *s);
void netns_set_free(struct netns_set *s);
/* The calling thread's own network namespace inode, 0 when unknown. */
uint32_t netns_self(void);
/* The name of a namespace: its /run/netns file, or "" (out[0] = 0). */
void netns_name_of(uint32_t inode, char *out, size_t outsz);

/* --netns LIST (names from /run/netns, or inodes) to inodes: 0, or
 * -EINVAL with a message naming the culprit. */
#define NETNS_FILTER_MAX 16
int netns_resolve_list(const char *list, uint32_t ids[NETNS_FILTER_MAX], uint32_t *n, char *err,
		       size_t errsz);
/* Set a skeleton's --netns knobs (common.bpf.h) from a struct capture */
#define NETNS_FILTER_KNOBS(skel, c)                                                        \
	do {                                                                               \
		_Static_assert(sizeof((skel)->rodata->netns_filter) == sizeof((c)->netns), \
			       "NETNS_FILTER_MAX differs from common.bpf.h");              \
		for (uint32_t i_ = 0; i_ < (c)->nnetns; i_++)                              \
			(skel)->rodata->netns_filter[i_] = (c)->netns[i_];                 \
		(skel)->rodata->nnetns_filter = (c)->nnetns;                               \
	} while (0)

#endif
