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

/* a connect() in flight on this thread: its socket and destination */
struct pending {
	__u64 sk;
	__u64 ts_ns;
	__s32 fd;
	__u32 started; /* the SYN went out: the state change decides */
	__u16 family, dport;
	__u8 daddr[16];
};

/* a connect attempt whose outcome is not known yet, by socket */
struct attempt {
	__u64 ts_ns;
	__u32 pid, tid, uid;
	__s32 fd;
	char comm[EVENT_COMM_LEN];
};

/* Plain preallocated hashes: an LRU update costs several times more on
 * this hot path. Entries cannot leak: every connect() returns (its entry
 * is deleted or overwritten by the thread's next one) and every SYN_SENT
 * socket leaves SYN_SENT; when full, attribution degrades, nothing else.
 * Sized down to one entry where the connects feature does not run. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct pending);
} pending SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, struct attempt);
} attempts SEC(".maps");

/* Addresses and ports of a socket as the state tracepoint reports them. */
static __always_inline void sk_endpoints(struct event *e, struct sock *sk)
{
	e->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	/* inet_sport outlives skc_num, which unhashing clears before the
	 * move to CLOSE is traced (6.18) */
	e->lport = bpf_ntohs(BPF_CORE_READ((struct inet_sock *)sk, inet_sport));
	if (!e->lport)
		e->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	e->rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	e->newstate = BPF_CORE_READ(sk, __sk_common.skc_state);
	if (e->family == AF_INET) {
		bpf_core_read(e->saddr, 4, &sk->__sk_common.skc_rcv_saddr);
		bpf_core_read(e->daddr, 4, &sk->__sk_common.skc_daddr);
	} else {
		bpf_core_read(e->saddr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_core_read(e->daddr, 16, &sk->__sk_common.skc_v6_daddr);
	}
}

#endif
