/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Kernel side of a metric hook: the capture filters every metric program
 * honours (set by METRIC_FEATURE, feat_metric.h) and metric_emit, which
 * sends one EV_METRIC for a socket. A hook's .bpf.c is then its program
 * and one metric_emit call.
 */
#ifndef SOCKTOP_METRIC_BPF_H
#define SOCKTOP_METRIC_BPF_H

#include <bpf/bpf_endian.h>
#include "common.bpf.h"

const volatile __u16 lports[PORT_LIST_MAX] = {};
const volatile __u32 nlports = 0;
const volatile __u16 rports[PORT_LIST_MAX] = {};
const volatile __u32 nrports = 0;
const volatile __u16 only_family = 0;

/* One sample of metric id for socket sk, when the capture keeps it. No
 * task is read: these hooks run in softirq and timers as often as not. */
static __always_inline void metric_emit(const struct sock *sk, __u32 id, __u32 op, __u64 value)
{
	const struct sock_common *skc = &sk->__sk_common;
	__u16 family = BPF_CORE_READ(skc, skc_family);
	__u16 lport = BPF_CORE_READ(skc, skc_num);
	__u16 rport = bpf_ntohs(BPF_CORE_READ(skc, skc_dport));
	struct event *e;

	if (family != AF_INET && family != AF_INET6)
		return;
	if (only_family && family != only_family)
		return;
	if (!port_in(lports, nlports, lport) || !port_in(rports, nrports, rport))
		return;
	if (!sk_cgroup_ok(sk))
		return;
	e = ring_reserve(1);
	if (!e)
		return;
	e->kind = EV_METRIC;
	e->skaddr = (__u64)sk;
	e->family = family;
	e->protocol = 6; /* IPPROTO_TCP */
	e->lport = lport;
	e->rport = rport;
	e->newstate = BPF_CORE_READ(skc, skc_state);
	e->netns = sk_netns(sk);
	if (family == AF_INET) {
		BPF_CORE_READ_INTO((__u32 *)e->saddr, skc, skc_rcv_saddr);
		BPF_CORE_READ_INTO((__u32 *)e->daddr, skc, skc_daddr);
	} else {
		BPF_CORE_READ_INTO((struct in6_addr *)e->saddr, skc, skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO((struct in6_addr *)e->daddr, skc, skc_v6_daddr);
	}
	e->metric.id = id;
	e->metric.op = op;
	e->metric.value = value;
	event_submit(e);
}

#endif
