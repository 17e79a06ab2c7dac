// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* TCP state changes from the stable tracepoint sock/inet_sock_set_state,
 * using tracepoint fields only. Capture filters (-L, -D, -4, -6) are
 * applied here, before anything is reserved in the ring. */
#include "common.bpf.h"

#define IPPROTO_TCP 6

const volatile __u16 lports[PORT_LIST_MAX] = {};
const volatile __u32 nlports = 0;
const volatile __u16 rports[PORT_LIST_MAX] = {};
const volatile __u32 nrports = 0;
const volatile __u16 only_family = 0;
/* the socket's cgroup: for the UI's column and recordings, not streams */
const volatile bool want_cgroup = true;

/* saddr sits at offset 32 of this tracepoint record (its format file; the
 * layout has been stable since Linux 4.16) */
#define CTX_LOAD64(dst, doff, ctx, off)                                              \
	do {                                                                         \
		__u64 v_;                                                            \
		asm volatile("%0 = *(u64 *)(%1 + " #off ")" : "=r"(v_) : "r"(ctx));  \
		__builtin_memcpy((dst) + (doff), &v_, 8);                            \
	} while (0)

SEC("tracepoint/sock/inet_sock_set_state")
int handle_set_state(struct trace_event_raw_inet_sock_set_state *ctx)
{
	__u8 addrs[40]; /* saddr[4] daddr[4] saddr_v6[16] daddr_v6[16] */
	__u16 family = ctx->family;
	struct event *e;

	if (ctx->protocol != IPPROTO_TCP)
		return 0;
	if (only_family && family != only_family)
		return 0;
	if (!port_in(lports, nlports, ctx->sport) || !port_in(rports, nrports, ctx->dport))
		return 0;
	if (!sk_cgroup_ok(ctx->skaddr)) /* --cgroup: the socket's cgroup, softirq too */
		return 0;

	/* the verifier refuses loads through a moved ctx pointer, which
	 * clang makes of a plain memcpy: load at fixed offsets instead */
	CTX_LOAD64(addrs, 0, ctx, 32);
	CTX_LOAD64(addrs, 8, ctx, 40);
	CTX_LOAD64(addrs, 16, ctx, 48);
	CTX_LOAD64(addrs, 24, ctx, 56);
	CTX_LOAD64(addrs, 32, ctx, 64);
	e = event_reserve(EV_STATE);
	if (!e)
		return 0;
	e->skaddr = (__u64)ctx->skaddr;
	e->family = family;
	e->protocol = IPPROTO_TCP;
	e->lport = ctx->sport;
	e->rport = ctx->dport;
	e->oldstate = (__u8)ctx->oldstate;
	e->newstate = (__u8)ctx->newstate;
	e->netns = sk_netns(ctx->skaddr);
	/* a lifecycle's first event names its cgroup (for the column and
	 * the cgroup filter term); later ones need not pay the reads */
	if (want_cgroup && (ctx->oldstate == TCP_CLOSE || ctx->newstate == TCP_SYN_RECV))
		e->cgroup_id = sk_cgroup_id(ctx->skaddr);
	if (family == AF_INET) {
		__builtin_memcpy(e->saddr, addrs, 4);
		__builtin_memcpy(e->daddr, addrs + 4, 4);
	} else {
		__builtin_memcpy(e->saddr, addrs + 8, 16);
		__builtin_memcpy(e->daddr, addrs + 24, 16);
	}
	event_submit(e);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
