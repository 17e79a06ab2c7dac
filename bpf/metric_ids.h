/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The per-socket metrics: counters a hook of their own feeds through one
 * generic record (EV_METRIC, event.h), kept per socket by the model and
 * shown by a Connections column that reads its metric by id. A new one is
 * one entry of METRICS here (the model field and the column row: the
 * model, the column, its filter term and help all come from it), its
 * .bpf.c (metric.bpf.h: metric_emit) and its feat_NAME.c (feat_metric.h:
 * METRIC_FEATURE). Shared by both sides: no vmlinux.h types, no user
 * headers.
 */
#ifndef SOCKTOP_METRIC_IDS_H
#define SOCKTOP_METRIC_IDS_H

/* how a value reads: a count, bytes, or nanoseconds */
#define METRIC_COUNT 0
#define METRIC_BYTES 1
#define METRIC_NS 2

/* EV_METRIC op: what the sample does to the socket's value */
#define METRIC_ADD 0 /* add value (an event counted in the kernel) */
#define METRIC_SET 1 /* value is the current figure */

/*
 * X(ID, name, title, kind, feature, help): ID names M_ID and the column's
 * COL_METRIC_ID; name is the column id (the columns file) and the filter
 * term (name>N); title the column's; feature the feat_NAME.c that feeds
 * it (--disable NAME); help one line for help and the setup page.
 */
#define METRICS(X)                                                                      \
	X(SYNACK, "synack", "SYNACK", METRIC_COUNT, "synack",                           \
	  "SYN-ACKs retransmitted: a listener's handshakes the client left unanswered " \
	  "(tcp:tcp_retransmit_synack)")

enum metric_id {
#define METRIC_ENUM(id, ...) M_##id,
	METRICS(METRIC_ENUM)
#undef METRIC_ENUM
		METRIC_MAX
};

#endif
