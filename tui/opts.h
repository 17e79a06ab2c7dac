/* SPDX-License-Identifier: GPL-2.0 */
/* Command-line options: one struct, filled by opts_parse, read everywhere. */
#ifndef SOCKTOP_OPTS_H
#define SOCKTOP_OPTS_H

#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>

#define OPTS_MAX_PORTS 64

enum stream_kind {
	STREAM_NONE = 0, /* full-screen UI */
	STREAM_STATES,	 /* tcpstates */
	STREAM_BINDS,	 /* bindsnoop */
	STREAM_CONNECTS, /* tcpconnect */
	STREAM_LIFE,	 /* tcplife */
	STREAM_RETRANS,	 /* tcpretrans */
};

struct port_list {
	int n;
	uint16_t port[OPTS_MAX_PORTS];
};

struct opts {
	enum stream_kind stream;
	bool snapshot;		/* --snapshot: print the socket table once */
	/* capture filters, applied in the kernel */
	struct port_list lports; /* -L */
	struct port_list rports; /* -D */
	struct port_list bind_ports; /* -P */
	bool only4, only6;	/* -4, -6 (both given: neither, so both families) */
	int pid;		/* -p, 0 = any */
	long uid;		/* -u, -1 = any */
	const char *cgroup;	/* --cgroup PATH */
	const char *netns;	/* --netns LIST: names or inodes (netns.h) */
	bool errors;		/* -E: include failed binds (stream) */
	/* output */
	bool ts_rel;		/* -t */
	bool ts_wall;		/* -T */
	bool wide;		/* -w */
	bool csv;		/* -s */
	bool json;		/* --json */
	bool journal;		/* -Y */
	bool uid_col;		/* -U */
	bool count;		/* -c, --count: binds or connects counts at exit */
	bool lport_col;		/* --stream=connects -L, --lport: LPORT column */
	double duration;	/* --duration seconds, 0 = until stopped */
	/* recordings */
	const char *record;	/* --record FILE */
	const char *replay;	/* --replay FILE */
	double speed;		/* --speed N (replay), 0 = as fast as possible */
	bool no_pace;		/* --no-pace: apply replay at once, freeze clock */
	/* UI */
	const char *theme;	/* --theme NAME */
	unsigned ringbuf_kb;	/* --ringbuf-kb: ring buffer size */
	double resync;		/* --resync seconds: repair period, 0 = never */
	uint32_t max_sockets;	/* --max-sockets: socket table bound */
	uint32_t disabled;	/* --disable FEAT[,FEAT]: features off (feature_bit) */
	uint32_t memory_off;	/* not a flag: features main turns off to fit a
				 * memory cgroup's limit (memlimit.h) */
	/* exporter */
	const char *metrics;	/* --metrics ADDR:PORT: serve GET /metrics */
	bool headless;		/* --headless: neither UI nor stream */
};

/* 0 on success, -EINVAL after printing the error and usage to stderr;
 * 1 when --help or --version printed and the program should exit 0. */
int opts_parse(struct opts *o, int argc, char **argv);
void opts_usage(FILE *f);
bool port_list_has(const struct port_list *l, uint16_t port);
int port_list_parse(struct port_list *l, const char *s);

struct capture;
/* The kernel side's capture config for o (capture_opts.c): 0, or a
 * negative errno with the message in err (a --cgroup that is not one). */
int opts_capture(const struct opts *o, struct capture *c, char *err, size_t errsz);

#endif
