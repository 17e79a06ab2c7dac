// SPDX-License-Identifier: GPL-2.0
/*
 * mkbinds: a deterministic recording of bind events for the Binds pane
 * tests: TCP and UDP, IPv4 and IPv6, a port-0 bind, options, a device,
 * failures (EADDRINUSE, EACCES), implicit binds, another uid, a process
 * name holding terminal escapes, and a TCP listener that lives on (its
 * state events too), so Enter can find its row in Connections.
 *
 *   mkbinds OUT.rec
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "recording.h"
#include "table.h"

#define SEC 1000000000ULL
#define T0 (1000 * SEC)

struct bind_spec {
	uint64_t dt_ms;
	uint32_t pid, uid;
	const char *comm;
	int proto;		/* 6, 17 */
	const char *addr;
	uint16_t req, port;	/* requested, assigned (0: none) */
	uint32_t flags, ifindex;
	int ret;
	uint64_t sk;
};

static const struct bind_spec specs[] = {
	{ 100, 901, 0, "nginx", 6, "0.0.0.0", 80, 80, BIND_OPT_REUSEADDR, 0, 0, 0xffff888004a10000 },
	{ 200, 901, 0, "nginx", 6, "::", 443, 443, BIND_OPT_REUSEADDR | BIND_OPT_REUSEPORT, 0, 0,
	  0xffff888004a10840 },
	{ 300, 1202, 1000, "dnsmasq", 17, "127.0.0.1", 53, 0, 0, 0, -EACCES, 0xffff888004a11080 },
	{ 400, 1202, 0, "dnsmasq", 17, "10.0.0.5", 5353, 5353, BIND_OPT_FREEBIND, 2, 0,
	  0xffff888004a118c0 },
	{ 500, 1301, 1000, "curl", 6, "0.0.0.0", 0, 51234, BIND_IMPLICIT, 0, 0, 0xffff888004a12100 },
	{ 600, 1402, 1000, "redis-server", 6, "127.0.0.1", 6379, 0, 0, 0, -EADDRINUSE,
	  0xffff888004a12940 },
	{ 700, 1503, 1000, "\x1b[31mevil\x1b[0m", 17, "::1", 0, 40001, 0, 0, 0,
	  0xffff888004a13180 },
	{ 800, 1601, 0, "envoy", 6, "127.0.0.1", 0, 0, BIND_OPT_NO_PORT | BIND_OPT_TRANSPARENT, 0,
	  0, 0xffff888004a139c0 },
	{ 900, 1402, 1000, "redis-server", 6, "127.0.0.1", 6379, 0, 0, 0, -EADDRINUSE,
	  0xffff888004a14200 },
};

static int put(struct rec_writer *w, const struct event *ev)
{
	return rec_write(w, ev) ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct rec_header h = { .version = REC_VERSION, .event_size = sizeof(struct event) };
	struct rec_writer *w;
	struct event ev;
	int err = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: mkbinds OUT.rec\n");
		return 2;
	}
	h.start_mono_ns = T0;
	h.wall_off_ns = (int64_t)(1768469400ULL * SEC) - (int64_t)T0; /* 2026-01-15 09:30 UTC */
	snprintf(h.host, sizeof(h.host), "web-01");
	snprintf(h.kernel, sizeof(h.kernel), "6.18.0-fixture");
	w = rec_create(argv[1], &h);
	if (!w) {
		fprintf(stderr, "mkbinds: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		const struct bind_spec *s = &specs[i];

		memset(&ev, 0, sizeof(ev));
		ev.kind = EV_BIND;
		ev.ts_ns = T0 + s->dt_ms * 1000000ULL;
		ev.skaddr = s->sk;
		ev.pid = ev.tid = s->pid;
		ev.uid = s->uid;
		memcpy(ev.comm, s->comm, strnlen(s->comm, EVENT_COMM_LEN));
		ev.family = strchr(s->addr, ':') ? AF_INET6 : AF_INET;
		inet_pton(ev.family, s->addr, ev.saddr);
		ev.protocol = (uint16_t)s->proto;
		ev.aux = s->req;
		ev.lport = s->port;
		ev.flags = s->flags;
		ev.ifindex = s->ifindex;
		ev.ret = s->ret;
		ev.cgroup_id = 1;
		err |= put(w, &ev);
		/* nginx's port 80 socket goes on to listen: a row in Connections,
		 * next to sshd's listener (bound before the recording began) */
		if (i == 0) {
			struct event l = ev;

			l.kind = EV_STATE;
			l.skaddr = 0xffff888004a0f7c0;
			l.pid = l.tid = 700;
			memset(l.comm, 0, sizeof(l.comm));
			memcpy(l.comm, "sshd", 4);
			l.lport = 22;
			l.oldstate = TS_CLOSE;
			l.newstate = TS_LISTEN;
			l.flags = 0;
			l.aux = 0;
			err |= put(w, &l);

			ev.kind = EV_STATE;
			ev.ts_ns += 1000000ULL;
			ev.oldstate = TS_CLOSE;
			ev.newstate = TS_LISTEN;
			ev.flags = 0;
			ev.aux = 0;
			err |= put(w, &ev);
		}
	}
	if (rec_close(w) || err) {
		fprintf(stderr, "mkbinds: writing %s failed\n", argv[1]);
		return 1;
	}
	return 0;
}
