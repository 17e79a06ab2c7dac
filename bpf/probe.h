/* SPDX-License-Identifier: GPL-2.0 */
/* Start-up checks that turn a missing piece into a message a person can
 * act on: privilege, BTF, tracefs, the state tracepoint, cgroup2 root. */
#ifndef SOCKTOP_PROBE_H
#define SOCKTOP_PROBE_H

#include <stdbool.h>
#include <stddef.h>

/* 0, or -1 with a message in err naming what is missing and the fix. */
int probe_basics(char *err, size_t errsz);
/* 0 when the capabilities to load the programs are there (tracefs: the
 * tracepoints too, not only the iterators), else -EPERM and the one line
 * naming what is missing (part of probe_basics). */
int probe_caps(bool tracefs, char *err, size_t errsz);
/* true when tracepoint group/name exists (mounting tracefs if needed) */
bool probe_tracepoint(const char *group, const char *name);
/* The cgroup v2 root mount point, or NULL. */
const char *probe_cgroup2_root(char *buf, size_t bufsz);
/* true when cgroup/bind4 programs may call bpf_getsockopt (Linux 5.19
 * and later; a program that calls it earlier is refused) */
bool probe_bind_getsockopt(void);
/* true when the kernel has the kfunc bpf_rdonly_cast (Linux 6.2 and
 * later): the programs' kernel_cast knob (common.bpf.h) */
bool probe_rdonly_cast(void);
/* Kernel lockdown in force: "none", "integrity" or "confidentiality". */
const char *probe_lockdown(void);

#endif
