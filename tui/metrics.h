/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --metrics: what socktop counts for Prometheus, and the exposition text.
 * metrics_on_event counts each event where the outputs are fed (app.c);
 * metrics_render writes every family, the counters kept here and the
 * gauges read from the app (table, loader counts, resync) at that moment,
 * in the Prometheus text format or OpenMetrics. Labels have bounded sets
 * only: state, family, protocol, result (errno names, the rarest folded
 * into "other") and the local listening port (the first
 * METRICS_MAX_PORTS ports seen listening; later ones count as "other").
 * No HTTP here (metrics_http.c), no clocks: the caller passes what it read.
 */
#ifndef SOCKTOP_METRICS_H
#define SOCKTOP_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../bpf/event.h"

struct app;
struct sock_entry;
struct sock_traffic;

#define METRICS_MAX_PORTS 128
/* errno values counted one by one; larger ones fold into "other" */
#define METRICS_ERRNOS 140
#define METRICS_FAMILIES 2 /* AF_INET, AF_INET6 */
#define METRICS_STATES 13  /* TCP states as the kernel numbers them, 0..12 */

struct metrics_port {
	uint16_t port;
	uint64_t accepts;	/* accept() returned a socket of this listener */
	uint64_t passive_opens;	/* LISTEN -> SYN_RECV: a handshake began */
	uint64_t retrans;	/* retransmits on its connections */
	uint64_t resets[2];	/* [received]: resets sent and received */
	uint64_t tx, rx;	/* bytes acknowledged by peers, received */
};

struct metrics {
	uint64_t transitions[METRICS_STATES][METRICS_STATES];
	uint64_t transitions_other; /* a state number no kernel uses (bad recording) */
	uint64_t connects[METRICS_FAMILIES][METRICS_ERRNOS + 1]; /* by -ret */
	uint64_t binds[2][2][METRICS_ERRNOS + 1]; /* [udp][implicit][-ret] */
	uint64_t accepts_other, passive_opens_other; /* ports past the cap */
	/* sockets not on a labelled listening port (clients, ports past the
	 * cap), under port="other" */
	uint64_t retrans_other, resets_other[2], tx_other, rx_other;
	uint64_t ports_dropped;	/* listening ports not given a label */
	uint8_t unlabelled[65536 / 8]; /* which: each counted once */
	int nports;
	struct metrics_port ports[METRICS_MAX_PORTS];
	uint8_t slot[65536];	/* port -> index + 1 in ports, 0 = none */
};

/* What the caller read outside the model for this scrape. */
struct metrics_proc {
	double cpu_seconds;	/* user + system */
	uint64_t rss_bytes, vsize_bytes; /* 0: not known */
	double start_time;	/* unix seconds */
};

/* A growing text buffer; oom set when it could not grow. */
struct mbuf {
	char *p;
	size_t len, cap;
	bool oom;
};

struct metrics *metrics_new(void); /* NULL, errno */
void metrics_free(struct metrics *m);
void metrics_on_event(struct metrics *m, const struct event *ev);
/* After an EV_TRAFFIC was applied to e, whose counters were *before:
 * count the bytes it moved since its last sample (or since its birth; a
 * socket that was there before socktop only sets its baseline). */
void metrics_traffic_moved(struct metrics *m, const struct sock_entry *e,
			   const struct sock_traffic *before);
/* The whole exposition into b (appended). 0, or -ENOMEM. */
int metrics_render(const struct metrics *m, const struct app *a, const struct metrics_proc *pr,
		   bool openmetrics, struct mbuf *b);
/* CPU and memory of this process, from getrusage and /proc/self/statm */
void metrics_proc_read(struct metrics_proc *pr, double start_time);

void mbuf_printf(struct mbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void mbuf_free(struct mbuf *b);

#endif
