/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Why the kernel refused a program, in a few words, from what libbpf
 * prints of the verifier's log: "bpf_getsockopt is not available to this
 * program type in this kernel", "BPF helper #158 is newer than this
 * kernel", "this kernel has no struct sock.sk_cgrp_data.cgroup".
 */
#ifndef SOCKTOP_REJECTS_H
#define SOCKTOP_REJECTS_H

#include <bpf/libbpf.h>

/* Listen to libbpf's messages (the print function in force still gets
 * every one), until rejects_end() puts it back and forgets. */
void rejects_begin(void);
void rejects_end(void);
/* Forget what was heard (before each feature's start). */
void rejects_reset(void);
/* What the listener does with one of libbpf's messages (for tests) */
void rejects_hear(const char *msg);
/* The last refusal heard, or "" */
const char *rejects_last(void);

#endif
