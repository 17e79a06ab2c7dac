/* SPDX-License-Identifier: GPL-2.0 */
/* What the Processes pane reads from the system about one process or
 * cgroup: command line, user name, cgroup path (cached by id). */
#ifndef SOCKTOP_PROCINFO_H
#define SOCKTOP_PROCINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True unless pid now belongs to another process than the one that
 * started at pstart (event.h: boot-time ms, mod 2^32; 0 = unknown), read
 * from /proc/PID/stat to the clock tick. False when it is gone. */
bool procinfo_is(uint32_t pid, uint32_t pstart);
/* Command line with NULs as spaces (raw bytes: escape on output). */
int procinfo_cmdline(uint32_t pid, char *out, size_t outsz);
/* User name of a uid, or the number. Returns out. */
char *procinfo_user(uint32_t uid, char *out, size_t outsz);
/* The process's cgroup v2 path ("" for the root or unknown); long paths
 * keep their tail. */
void procinfo_cgroup(uint32_t pid, char *out, size_t outsz);

struct cg_names;
struct cg_names *cg_names_new(void); /* NULL, errno */
void cg_names_free(struct cg_names *c);
/* Path below the cgroup2 root of a cgroup id, resolved once: "" for the
 * root or unknown (0, 1), "#ID" when it cannot be resolved or when not
 * live (a replay's ids name another host's cgroups), "?" without memory.
 * At most CG_CACHE_MAX names are kept: a full cache is emptied, so the
 * name is valid until the next call. */
const char *cg_names_get(struct cg_names *c, uint64_t id, bool live);
/* times the cache was full and emptied to make room */
uint64_t cg_names_flushes(const struct cg_names *c);

#endif
