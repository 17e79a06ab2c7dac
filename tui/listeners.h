/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The listener index: which process listens on a port, so an accepted
 * socket can show its listener's owner until accept() names the real one.
 * Refuses to guess: several processes on one port (SO_REUSEPORT) or one
 * listening socket held by several (pre-fork servers) give no owner.
 * Ports are per network namespace: every container has its own :8080.
 */
#ifndef SOCKTOP_LISTENERS_H
#define SOCKTOP_LISTENERS_H

#include <stdbool.h>
#include <stdint.h>

#include "../bpf/event.h"

struct listen_owner {
	uint32_t pid, uid;
	uint32_t pstart;	/* with pid, which process (event.h) */
	uint64_t cgroup_id;
	char comm[EVENT_COMM_LEN];
};

struct listeners;

struct listeners *listeners_new(void); /* NULL, errno */
void listeners_free(struct listeners *l);
/* A LISTEN socket and one of its holders (add once per holder). */
void listeners_add(struct listeners *l, uint64_t skaddr, uint32_t netns, uint16_t lport,
		   const struct listen_owner *o);
void listeners_del(struct listeners *l, uint64_t skaddr, uint32_t netns, uint16_t lport);
/* The one process listening on lport, or false: none known, or several. */
bool listeners_owner(const struct listeners *l, uint32_t netns, uint16_t lport,
		     struct listen_owner *out);
/* listening sockets not indexed: more than LISTEN_SLOTS on one port
 * (that port then names no owner) */
uint64_t listeners_dropped(const struct listeners *l);

#endif
