// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* SYN-ACKs retransmitted, counted on the socket that sent them: the
 * listener whose half-open connection the client did not answer (its
 * SYN lost, its ACK lost, a SYN flood), or a Fast Open child. Fires from
 * the SYN-ACK timer and for a SYN the client sent again, never per data
 * packet. */
#include "metric.bpf.h"

SEC("tp_btf/tcp_retransmit_synack")
int BPF_PROG(synack_retransmit, const struct sock *sk, const struct request_sock *req)
{
	metric_emit(sk, M_SYNACK, METRIC_ADD, 1);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
