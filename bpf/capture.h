/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel side's capture config: what every feature's programs filter
 * on (set as rodata knobs before load) and which features a run starts.
 * The user side builds it once from its command line; bpf/ reads only
 * this, never the options themselves.
 */
#ifndef SOCKTOP_CAPTURE_H
#define SOCKTOP_CAPTURE_H

#include <stdbool.h>
#include <stdint.h>

#define CAPTURE_MAX_PORTS 64	/* PORT_LIST_MAX of common.bpf.h */
#define CAPTURE_MAX_NETNS 16	/* NETNS_FILTER_MAX of common.bpf.h */

struct capture_ports {
	int n;
	uint16_t port[CAPTURE_MAX_PORTS];
};

/* Below this memory cgroup limit the optional hooks whose cost grows with
 * the host's sockets (traffic: the kernel keeps a record per socket for
 * it) are off. */
#define MEMLIMIT_FULL_MIB 256

struct capture {
	struct capture_ports lports;	/* local ports: states, connects, iterators */
	struct capture_ports rports;	/* remote ports: states, iterators */
	struct capture_ports conn_rports; /* remote ports of connects */
	struct capture_ports bind_ports; /* ports of binds */
	uint16_t family;	/* AF_INET or AF_INET6 only, 0 = both */
	uint32_t pid;		/* tgid, 0 = any (binds, connects, iterators) */
	bool uid_on;		/* uid filter (binds, connects) */
	uint32_t uid;
	const char *cgroup;	/* cgroup v2 directory, NULL = any */
	uint64_t cgroup_id;	/* its id and depth, resolved once */
	uint32_t cgroup_level;
	uint32_t netns[CAPTURE_MAX_NETNS]; /* network namespace inodes, resolved once */
	uint32_t nnetns;		   /* 0 = every namespace */
	bool bind_errors;	/* keep failed binds */
	bool want_cgroup;	/* read a new socket's cgroup (someone shows it) */
	uint32_t ring_kb;	/* ring buffer size asked for */
	/* features, one bit each (feature_bit()) */
	uint32_t need;		/* must start, else capture cannot */
	uint32_t use;		/* this run loads them; the rest are "not used" */
	uint32_t disabled;	/* turned off by the user */
	uint32_t memory_off;	/* turned off to fit a memory cgroup's limit */
};

/* true when p is empty (no filter) or holds port */
static inline bool capture_port_ok(const struct capture_ports *p, uint16_t port)
{
	if (!p->n)
		return true;
	for (int i = 0; i < p->n; i++)
		if (p->port[i] == port)
			return true;
	return false;
}

#endif
