// SPDX-License-Identifier: GPL-2.0
/* Feature "synack": synack.bpf.c, SYN-ACK retransmits per socket. */
#include "feat_metric.h"
#include "synack.skel.h"

METRIC_FEATURE(synack, 50, "5.10", "tp_btf tcp_retransmit_synack (5.5), BPF ring buffer (5.8)",
	       "SYN-ACK retransmits", "tcp_retransmit_synack program");
