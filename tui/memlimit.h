/* SPDX-License-Identifier: GPL-2.0 */
/* Sizes that fit a memory cgroup's limit: under one (a container, a
 * service with MemoryMax=) socktop bounds what grows with the host's
 * sockets, and evicts beyond, rather than be killed by the OOM killer. */
#ifndef SOCKTOP_MEMLIMIT_H
#define SOCKTOP_MEMLIMIT_H

#include <stddef.h>
#include <stdint.h>

/* What one kept socket costs, all told (table entry, its owners, the
 * views' indexes, the process counts): about 2.6 KiB measured at 135k. */
#define MEMLIMIT_SOCKET_BYTES 3072u
/* What does not grow with them, with a margin. */
#define MEMLIMIT_FIXED_BYTES (48ull << 20)

struct memplan {
	uint64_t limit;	      /* bytes, 0 = none found */
	char where[1024];     /* the file that set it */
	unsigned ringbuf_kb;  /* at most this ring buffer */
	uint32_t max_sockets; /* sockets kept */
	uint32_t max_history; /* finished connections kept */
	uint32_t max_resync;  /* records a resync pass may hold */
};

/*
 * The tightest memory limit over this process's cgroup and its ancestors
 * (cgroup v2 memory.max, or v1 hierarchical_memory_limit), and the sizes
 * that fit in it beside the kernel's maps and buffers (charged to the
 * cgroup too) and the program. 0 with p->limit 0 when there is no limit;
 * the plan is then unused.
 */
int memlimit_plan(struct memplan *p);

#endif
