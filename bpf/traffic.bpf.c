// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Traffic and health of each connection from the kernel's own per-socket
 * counters (struct tcp_sock: what ss -ti prints), never from a program per
 * packet or per sendmsg:
 *  - iter/tcp, run by user space once a refresh: one EV_TRAFFIC for each
 *    socket whose counters moved since the pass before (socket storage
 *    remembers what the last pass sent);
 *  - the final counters at the transition to CLOSE come from the state
 *    program (states.bpf.c), which runs there anyway: feat_traffic.c turns
 *    them on once these programs are in;
 *  - tcp_retransmit_skb, tcp_send_reset, tcp_receive_reset: EV_RETRANS and
 *    EV_RESET, one record each (they are rare).
 * Capture filters apply as they do to state events.
 */
#include "common.bpf.h"
#include <bpf/bpf_endian.h>
#include "tcp_counters.bpf.h"

const volatile __u16 lports[PORT_LIST_MAX] = {};
const volatile __u32 nlports = 0;
const volatile __u16 rports[PORT_LIST_MAX] = {};
const volatile __u32 nrports = 0;
const volatile __u16 only_family = 0;

/* What the last pass sent for a socket: a pass sends only what moved. */
struct last_sent {
	__u64 acked, received;
	__u32 retrans, srtt_us, cwnd, _pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct last_sent);
} last SEC(".maps");

/* false where an iterator may not use socket storage (before 5.11): each
 * pass then sends every socket, moved or not */
const volatile bool use_storage = true;

static __always_inline void fill_endpoints(struct event *e, const struct sock_common *skc)
{
	e->family = BPF_CORE_READ(skc, skc_family);
	e->protocol = IPPROTO_TCP;
	e->lport = BPF_CORE_READ(skc, skc_num);
	e->rport = bpf_ntohs(BPF_CORE_READ(skc, skc_dport));
	e->newstate = BPF_CORE_READ(skc, skc_state);
	e->netns = BPF_CORE_READ(skc, skc_net.net, ns.inum);
	/* a full socket's own source port: at CLOSE the port is already
	 * given back and skc_num reads 0 */
	if (e->newstate != TCP_TIME_WAIT && e->newstate != TCP_NEW_SYN_RECV)
		e->lport = bpf_ntohs(BPF_CORE_READ((struct inet_sock *)skc, inet_sport));
	if (e->family == AF_INET) {
		bpf_core_read(e->saddr, 4, &skc->skc_rcv_saddr);
		bpf_core_read(e->daddr, 4, &skc->skc_daddr);
	} else {
		bpf_core_read(e->saddr, 16, &skc->skc_v6_rcv_saddr);
		bpf_core_read(e->daddr, 16, &skc->skc_v6_daddr);
	}
}

static __always_inline bool endpoints_ok(const struct event *e)
{
	if (e->family != AF_INET && e->family != AF_INET6)
		return false;
	if (only_family && e->family != only_family)
		return false;
	return port_in(lports, nlports, e->lport) && port_in(rports, nrports, e->rport);
}

/* A pull pass: the sockets that carry data (not listeners, not the
 * timewait objects, which have no tcp_sock) whose counters moved. */
SEC("iter/tcp")
int traffic_pull(struct bpf_iter__tcp *ctx)
{
	struct sock_common *skc = ctx->sk_common;
	struct last_sent *seen;
	struct tcp_sock *tp;
	struct event e = {};
	__u8 state;

	if (!skc)
		return 0;
	/* most of a busy host's sockets are TIME_WAIT: out before any call */
	state = skc->skc_state;
	if (state == TCP_LISTEN || state == TCP_CLOSE || state == TCP_TIME_WAIT ||
	    state == TCP_NEW_SYN_RECV)
		return 0;
	tp = bpf_skc_to_tcp_sock(skc);
	if (!tp)
		return 0;
	fill_counters(&e, tp);
	seen = use_storage ? bpf_sk_storage_get(&last, tp, 0, BPF_SK_STORAGE_GET_F_CREATE) : NULL;
	if (seen) {
		if (seen->acked == e.tcpi.bytes_acked && seen->received == e.tcpi.bytes_received &&
		    seen->retrans == e.tcpi.total_retrans && seen->srtt_us == e.tcpi.srtt_us &&
		    seen->cwnd == e.tcpi.snd_cwnd)
			return 0; /* idle since the last pass: nothing to send */
		seen->acked = e.tcpi.bytes_acked;
		seen->received = e.tcpi.bytes_received;
		seen->retrans = e.tcpi.total_retrans;
		seen->srtt_us = e.tcpi.srtt_us;
		seen->cwnd = e.tcpi.snd_cwnd;
	}
	fill_endpoints(&e, skc);
	if (!endpoints_ok(&e) || !sk_cgroup_ok(tp))
		return 0;
	e.kind = EV_TRAFFIC;
	e.ts_ns = bpf_ktime_get_ns();
	e.skaddr = (__u64)skc;
	bpf_seq_write(ctx->meta->seq, &e, sizeof(e));
	return 0;
}

/* A record without the task stamp: these fields belong to the socket. */
static __always_inline struct event *reserve_sock_event(__u16 kind, const struct sock *sk)
{
	struct event *e;

	e = ring_reserve(1);
	if (!e)
		return NULL;
	e->kind = kind;
	e->skaddr = (__u64)sk;
	fill_endpoints(e, &sk->__sk_common);
	return e;
}

/* Capture filters on a socket the hook names. A reset or a retransmit of
 * a SYN-ACK may name a request or timewait sock, which has only the
 * common part: its cgroup cannot be tested. */
static __always_inline bool sock_wanted(const struct sock *sk)
{
	__u16 family;
	__u8 state;

	if (!sk)
		return false;
	family = sk->__sk_common.skc_family;
	if ((family != AF_INET && family != AF_INET6) || (only_family && family != only_family))
		return false;
	if (!port_in(lports, nlports, sk->__sk_common.skc_num) ||
	    !port_in(rports, nrports, bpf_ntohs(sk->__sk_common.skc_dport)))
		return false;
	state = sk->__sk_common.skc_state;
	if (state == TCP_TIME_WAIT || state == TCP_NEW_SYN_RECV)
		return !cgroup_filter_id;
	return sk_cgroup_ok(sk);
}

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(traffic_retrans, const struct sock *sk)
{
	struct event *e;

	if (!sock_wanted(sk))
		return 0;
	e = reserve_sock_event(EV_RETRANS, sk);
	if (e)
		event_submit(e);
	return 0;
}

static __always_inline int on_reset(const struct sock *sk, __u32 which)
{
	struct event *e;

	/* a reset answering a segment for no socket names none: skipped */
	if (!sock_wanted(sk))
		return 0;
	e = reserve_sock_event(EV_RESET, sk);
	if (!e)
		return 0;
	e->flags = which;
	event_submit(e);
	return 0;
}

SEC("tp_btf/tcp_send_reset")
int BPF_PROG(traffic_send_reset, const struct sock *sk)
{
	return on_reset(sk, RESET_SENT);
}

SEC("tp_btf/tcp_receive_reset")
int BPF_PROG(traffic_recv_reset, struct sock *sk)
{
	return on_reset(sk, RESET_RECEIVED);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
