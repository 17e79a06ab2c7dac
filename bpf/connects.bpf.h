/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the connects feature's programs share: a connect() in flight on a
 * thread (filled at the syscall's entry, conns.bpf.c) and an attempt
 * whose outcome is still open (by socket, filled and decided on
 * sock/inet_sock_set_state by the state program, states.bpf.c: one
 * program on that tracepoint, not two, each paying its call on every
 * transition of the host). The state program's object makes the maps;
 * conns.bpf.c's reuses them (feat_conns.c).
 */
#ifndef SOCKTOP_CONNECTS_BPF_H
#define SOCKTOP_CONNECTS_BPF_H

#include <bpf/bpf_endian.h>
#include "common.bpf.h"

/* a connect() in flight on this thread: its socket, and where the
 * caller's sockaddr is (read only if the call fails before the SYN) */
struct pending {
	__u32 tid; /* the owner (thread_slot, common.bpf.h); first */
	__u32 _pad;
	__u64 sk;
	__u64 ts_ns;
	__s32 fd;
	__u32 started; /* the SYN went out: the state change decides */
	__u64 uaddr;
};

/* a connect attempt whose outcome is not known yet, by socket */
struct attempt {
	__u64 ts_ns;
	__u32 pid, tid, uid, pstart;
	__s32 fd;
	__u32 _pad;
	char comm[EVENT_COMM_LEN];
};

/* Threads' slots (thread_slot, common.bpf.h), and a plain preallocated
 * hash of attempts: an LRU update costs several times more on this hot
 * path. Entries cannot leak: every connect() returns (its slot is freed
 * or taken by the thread's next one) and every SYN_SENT socket leaves
 * SYN_SENT; when full, attribution degrades, nothing else. Sized down to
 * one entry where the connects feature does not run. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, THREAD_SLOTS);
	__type(key, __u32);
	__type(value, struct pending);
} pending SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, struct attempt);
} attempts SEC(".maps");

/* Addresses, ports, state and namespace of a socket as the state
 * tracepoint reports them, from its sock_common (skc_get) */
static __always_inline void skc_endpoints(struct event *e, struct sock *sk,
					  const struct sock_common *c)
{
	e->family = c->skc_family;
	/* inet_sport outlives skc_num, which unhashing clears before the
	 * move to CLOSE is traced (6.18) */
	e->lport = bpf_ntohs(KREAD(inet_of(sk), inet_sport));
	if (!e->lport)
		e->lport = c->skc_num;
	e->rport = bpf_ntohs(c->skc_dport);
	e->newstate = c->skc_state;
	if (e->family == AF_INET) {
		__builtin_memcpy(e->saddr, &c->skc_rcv_saddr, 4);
		__builtin_memcpy(e->daddr, &c->skc_daddr, 4);
	} else {
		__builtin_memcpy(e->saddr, &c->skc_v6_rcv_saddr, 16);
		__builtin_memcpy(e->daddr, &c->skc_v6_daddr, 16);
	}
	e->netns = skc_netns(c);
}

static __always_inline void sk_endpoints(struct event *e, struct sock *sk)
{
	struct skc_copy buf;
	const struct sock_common *c = skc_get(&buf, sk);

	if (c)
		skc_endpoints(e, sk, c);
}

#endif
