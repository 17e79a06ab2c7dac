/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names of network namespaces, by inode, as the snapshot passes tell them
 * (EV_SNAP_NETNS: the /run/netns name, live and in a replay alike). A
 * namespace without a name is shown by its inode.
 */
#ifndef SOCKTOP_NSNAMES_H
#define SOCKTOP_NSNAMES_H

#include <stddef.h>
#include <stdint.h>

#include "../bpf/event.h"

#define NSNAMES_MAX 4096

struct nsname {
	uint32_t inode;
	char name[EVENT_NETNS_NAME_LEN]; /* raw bytes, NUL-terminated: escape on output */
};

struct nsnames {
	struct nsname *v;	/* sorted by inode */
	size_t n, cap;
	uint64_t dropped;	/* not kept: NSNAMES_MAX reached */
};

/* Learn (or rename) a namespace from an EV_SNAP_NETNS record. */
void nsnames_learn(struct nsnames *s, const struct event *ev);
/* Live: a namespace an event names that no pass has told of yet (it
 * came after the last one) is looked up in /run/netns now, once. */
void nsnames_note_live(struct nsnames *s, uint32_t inode);
/* Its name, or NULL when it has none or is not known. */
const char *nsnames_get(const struct nsnames *s, uint32_t inode);
/* The inode of the namespace of that name, 0 when none. */
uint32_t nsnames_find(const struct nsnames *s, const char *name);
/* "NAME" or the inode in decimal ("-" for 0), raw (escape it) */
const char *nsnames_label(const struct nsnames *s, uint32_t inode, char *buf, size_t bufsz);
void nsnames_free(struct nsnames *s);

#endif
