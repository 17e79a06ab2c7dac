// SPDX-License-Identifier: GPL-2.0
/*
 * Reads the memory cgroup limit this process runs under, v2 or v1, and
 * sizes socktop's bounded tables to what is left of it after what
 * socktop needs whatever the host holds. Without this, a host with
 * more sockets than the limit holds gets socktop OOM-killed during its
 * start-up snapshot (100k sockets under 64 MB: killed within a second).
 */
#include "memlimit.h"

#include <errno.h>
#include <inttypes.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"

/* The cgroup path of this process in the hierarchy whose controllers
 * field is ctrl ("" = the v2 one), from /proc/self/cgroup. */
static int own_cgroup(const char *ctrl, char *out, size_t outsz)
{
	FILE *f = fopen("/proc/self/cgroup", "r");
	char line[512];
	int rc = -ENOENT;

	if (!f)
		return -errno;
	while (rc && fgets(line, sizeof(line), f)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		char *tok, *save = NULL;

		if (!c2)
			continue;
		*c2 = '\0';
		line[strcspn(line, "\n")] = '\0';
		c2[1 + strcspn(c2 + 1, "\n")] = '\0';
		if (!*ctrl) {
			if (!c1[1])
				rc = 0;
		} else {
			for (tok = strtok_r(c1 + 1, ",", &save); tok && rc;
			     tok = strtok_r(NULL, ",", &save))
				if (!strcmp(tok, ctrl))
					rc = 0;
		}
		if (!rc)
			snprintf(out, outsz, "%s", c2 + 1);
	}
	fclose(f);
	return rc;
}

/* A number of bytes from a file; "max" and absurd values are no limit. */
static uint64_t read_limit(const char *path, const char *key)
{
	FILE *f = fopen(path, "r");
	char line[256];
	uint64_t v = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *p = line;

		if (key) {
			size_t n = strlen(key);

			if (strncmp(line, key, n) || line[n] != ' ')
				continue;
			p += n + 1;
		}
		if (strncmp(p, "max", 3))
			v = strtoull(p, NULL, 10);
		break;
	}
	fclose(f);
	/* v1 says "no limit" as a page-rounded 2^63 */
	return v >= (1ULL << 62) ? 0 : v;
}

/* v2: memory.max of the cgroup and of every ancestor below the root. */
static uint64_t v2_limit(char *where, size_t wsz)
{
	char root[256], rel[512], path[1024];
	uint64_t best = 0;

	if (!probe_cgroup2_root(root, sizeof(root)) || own_cgroup("", rel, sizeof(rel)))
		return 0;
	for (;;) {
		uint64_t v;
		char *slash;

		snprintf(path, sizeof(path), "%s%s/memory.max", root, rel);
		v = read_limit(path, NULL);
		if (v && (!best || v < best)) {
			best = v;
			snprintf(where, wsz, "%s", path);
		}
		slash = strrchr(rel, '/');
		if (!slash || slash == rel)
			break;
		*slash = '\0';
	}
	return best;
}

/* v1: the memory hierarchy's own mount, and memory.stat's
 * hierarchical_memory_limit (the tightest of the cgroup and ancestors). */
static uint64_t v1_limit(char *where, size_t wsz)
{
	FILE *m = setmntent("/proc/self/mounts", "r");
	struct mntent *e;
	char mnt[256] = "", rel[512], path[1024];
	uint64_t v;

	if (!m)
		return 0;
	while ((e = getmntent(m)))
		if (!strcmp(e->mnt_type, "cgroup") && hasmntopt(e, "memory")) {
			snprintf(mnt, sizeof(mnt), "%s", e->mnt_dir);
			break;
		}
	endmntent(m);
	if (!*mnt || own_cgroup("memory", rel, sizeof(rel)))
		return 0;
	snprintf(path, sizeof(path), "%s%s/memory.stat", mnt, strcmp(rel, "/") ? rel : "");
	v = read_limit(path, "hierarchical_memory_limit");
	if (v)
		snprintf(where, wsz, "%s", path);
	return v;
}

int memlimit_plan(struct memplan *p)
{
	char w2[1024] = "", w1[1024] = "";
	uint64_t l2, l1, socks;

	memset(p, 0, sizeof(*p));
	l2 = v2_limit(w2, sizeof(w2));
	l1 = v1_limit(w1, sizeof(w1));
	if (l2 && (!l1 || l2 <= l1)) {
		p->limit = l2;
		snprintf(p->where, sizeof(p->where), "%s", w2);
	} else if (l1) {
		p->limit = l1;
		snprintf(p->where, sizeof(p->where), "%s", w1);
	}
	if (!p->limit)
		return 0;
	/* the ring buffer is the kernel's, charged here: a 64th of the
	 * limit, a power of two, 64 KiB .. 8 MiB */
	p->ringbuf_kb = 64;
	while (p->ringbuf_kb < 8192 && (uint64_t)p->ringbuf_kb * 2 * 1024 * 64 <= p->limit)
		p->ringbuf_kb *= 2;
	/* what does not grow with the sockets kept: the kernel's programs
	 * and maps, libbpf's, the program itself (about 45 MiB measured with
	 * every hook but traffic on) */
	socks = p->limit > MEMLIMIT_FIXED_BYTES ?
			(p->limit - MEMLIMIT_FIXED_BYTES) / MEMLIMIT_SOCKET_BYTES :
			0;
	p->max_sockets = socks < 100 ? 100 : socks > 100000000 ? 100000000 : (uint32_t)socks;
	p->max_history = p->max_sockets / 4 < 16 ? 16 : p->max_sockets / 4;
	/* a pass holds every kernel socket and open socket file it walks */
	p->max_resync = p->max_sockets * 4;
	return 0;
}
