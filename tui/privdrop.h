/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Least privilege. socktop needs its capabilities only to load and attach
 * the BPF programs and take the start-up snapshot; the fds it then holds
 * (ring, maps, program and iterator links) are enough for the rest. So
 * once that is done it drops every capability, sets no-new-privs and,
 * started through sudo, becomes the invoking user; the process is then
 * not dumpable, so that user cannot ptrace it or read its memory.
 */
#ifndef SOCKTOP_PRIVDROP_H
#define SOCKTOP_PRIVDROP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct privdrop {
	bool switch_user;	/* become uid/gid below (sudo, or a set-uid start) */
	uid_t uid;
	gid_t gid;
	gid_t *groups;		/* the user's supplementary groups */
	int ngroups;
	bool dropped;
	uint64_t kept;		/* capabilities kept (CAP_BPF on kernels before 6.5) */
	char note[200];		/* why something was kept, for the log */
};

/* Decide whom to run as after the drop, while the user database can
 * still be read: the invoking user when euid is 0 and SUDO_UID/SUDO_GID
 * say who ran sudo (or the real uid when only the effective one is 0);
 * otherwise the same uid. 0, or -errno with a message in err. */
int privdrop_init(struct privdrop *p, char *err, size_t errsz);

/* open(2) with the file-system identity of the user privdrop_apply will
 * switch to, so a file socktop creates (--record) is that user's, made
 * where that user may write. fd or -errno. */
int privdrop_open(const struct privdrop *p, const char *path, int flags, mode_t mode);

/* Drop everything, then check that nothing is left. Any failure is fatal
 * for the caller: -errno with a message in err, never a half drop. On a
 * kernel that refuses bpf() on held fds without CAP_BPF (before 6.5, with
 * kernel.unprivileged_bpf_disabled) CAP_BPF alone is kept, said in note. */
int privdrop_apply(struct privdrop *p, char *err, size_t errsz);

void privdrop_free(struct privdrop *p);

#endif
