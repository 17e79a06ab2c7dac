/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Kernel side only: a socket's own counters (struct tcp_sock, what ss -ti
 * prints) into an EV_TRAFFIC record, for the pull pass (traffic.bpf.c) and
 * the final counters at CLOSE (states.bpf.c).
 */
#ifndef SOCKTOP_TCP_COUNTERS_BPF_H
#define SOCKTOP_TCP_COUNTERS_BPF_H

#include "common.bpf.h"

#define USEC_PER_SEC 1000000ULL

/* tcp_sock fields older kernels lack: the column shows "-" for them */
static __always_inline __u32 missing_fields(void)
{
	__u32 f = 0;

	if (!bpf_core_field_exists(struct tcp_sock, bytes_sent))
		f |= TRAFFIC_NO_SENT;
	if (!bpf_core_field_exists(struct tcp_sock, rate_delivered) ||
	    !bpf_core_field_exists(struct tcp_sock, rate_interval_us))
		f |= TRAFFIC_NO_RATE;
	if (!bpf_core_field_exists(struct tcp_sock, bytes_acked) ||
	    !bpf_core_field_exists(struct tcp_sock, bytes_received))
		f |= TRAFFIC_NO_BYTES;
	return f;
}

/* The counters as tcp_get_info() reports them. tp is a BTF pointer (from
 * bpf_skc_to_tcp_sock): plain loads, relocated by CO-RE (tcp_sock moves
 * between kernels), no helper call per field. */
static __always_inline void fill_counters(struct event *e, const struct tcp_sock *tp)
{
	__u32 missing = missing_fields();

	if (!(missing & TRAFFIC_NO_BYTES)) {
		e->tcpi.bytes_acked = tp->bytes_acked;
		e->tcpi.bytes_received = tp->bytes_received;
	}
	if (!(missing & TRAFFIC_NO_SENT))
		e->tcpi.bytes_sent = tp->bytes_sent;
	e->tcpi.total_retrans = tp->total_retrans;
	e->tcpi.srtt_us = tp->srtt_us >> 3;
	e->tcpi.snd_cwnd = tp->snd_cwnd;
	if (!(missing & TRAFFIC_NO_RATE)) {
		__u64 rate = tp->rate_delivered;
		__u32 intv = tp->rate_interval_us;

		if (rate && intv)
			e->tcpi.delivery_rate = rate * tp->mss_cache * USEC_PER_SEC / intv;
	}
	e->tcpi.tr_flags |= missing;
}

#endif
