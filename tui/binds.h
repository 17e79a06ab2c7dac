/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bind model: a bounded log of EV_BIND events (newest first; what the
 * bound pushes out is counted, never hidden) and bind counts per
 * (protocol, family, address, port), bindsnoop --count's table. No
 * curses, no clocks, no printing.
 */
#ifndef SOCKTOP_BINDS_H
#define SOCKTOP_BINDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../bpf/event.h"

#define BINDS_DEFAULT_CAP 4096
#define BINDS_MAX_COUNTS 65536

struct bind_count_key {
	uint16_t family;
	uint16_t protocol;
	uint16_t port; /* binds_port() of the event */
	uint16_t _pad;
	uint8_t addr[16];
};

struct bind_count {
	struct bind_count_key key;
	uint64_t binds;	 /* every bind to this address and port */
	uint64_t failed; /* of which failed */
	uint64_t last_ns;
};

struct binds_stats {
	uint64_t total;		 /* EV_BIND applied */
	uint64_t failed;	 /* ret != 0 */
	uint64_t implicit;	 /* BIND_IMPLICIT */
	uint64_t dropped;	 /* pushed out of the log by its bound */
	uint64_t counts_dropped; /* not counted: the counts table was full */
};

struct binds;

/* cap: events kept (0: BINDS_DEFAULT_CAP). NULL and errno on failure. */
struct binds *binds_new(uint32_t cap);
void binds_free(struct binds *b);
/* Apply one event; kinds other than EV_BIND are ignored. */
void binds_apply(struct binds *b, const struct event *ev);

/* The log, newest first: i = 0 .. binds_len()-1. */
uint32_t binds_len(const struct binds *b);
const struct event *binds_get(const struct binds *b, uint32_t i);
const struct binds_stats *binds_stats(const struct binds *b);
uint64_t binds_generation(const struct binds *b); /* bumped on every change */

/* Counts, most binds first (ties: address, then port). Fills up to max
 * pointers, valid until the next binds_apply; returns how many. */
uint32_t binds_counts(const struct binds *b, const struct bind_count **out, uint32_t max);
uint32_t binds_ncounts(const struct binds *b);

/* Event helpers shared by the stream and the pane. */
/* The port the socket got: the assigned one, else the requested one. */
uint16_t binds_port(const struct event *ev);
uint16_t binds_req_port(const struct event *ev);
/* "FTNRr" letters or '.', as bindsnoop; out needs 6 bytes. */
char *binds_opts_str(char *out, uint32_t flags);
/* "TCP", "UDP", else "IP<n>" in buf. */
const char *binds_proto_name(uint16_t protocol, char *buf, size_t bufsz);

#endif
