// SPDX-License-Identifier: GPL-2.0
/*
 * mkstreams: a deterministic recording holding every kind a stream prints,
 * for the flag-combination test: state changes (IPv4 and IPv6, a listener,
 * both closers, a reset), binds (TCP and UDP, both families, options, a
 * device, a failure, an implicit bind), and connect outcomes (established,
 * refused, timed out, IPv6), from two users and a process whose name holds
 * a comma and a quote (CSV must quote it).
 *
 *   mkstreams OUT.rec
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "recording.h"
#include "table.h"

#define MS 1000000ULL
#define SEC (1000 * MS)
#define T0 (2000 * SEC)

struct proc {
	uint32_t pid, uid;
	const char *comm;
};

static const struct proc web = { 812, 33, "nginx" }, cli = { 4242, 1000, "curl" },
			 odd = { 5150, 1000, "a,b\"c" }, db = { 901, 112, "postgres" };

struct gen {
	struct rec_writer *w;
	int err;
};

static void base(struct event *ev, uint16_t kind, uint64_t ms, const struct proc *p,
		 const char *laddr, uint16_t lport, const char *raddr, uint16_t rport)
{
	memset(ev, 0, sizeof(*ev));
	ev->kind = kind;
	ev->ts_ns = T0 + ms * MS;
	ev->pid = ev->tid = p->pid;
	ev->uid = p->uid;
	memcpy(ev->comm, p->comm, strnlen(p->comm, EVENT_COMM_LEN));
	ev->family = strchr(laddr, ':') ? AF_INET6 : AF_INET;
	ev->protocol = IPPROTO_TCP;
	inet_pton(ev->family, laddr, ev->saddr);
	if (raddr)
		inet_pton(ev->family, raddr, ev->daddr);
	ev->lport = lport;
	ev->rport = rport;
	ev->cgroup_id = 1;
}

static void put(struct gen *g, const struct event *ev)
{
	if (rec_write(g->w, ev))
		g->err = 1;
}

/* one socket's transitions, 1 ms apart from at_ms */
static void states(struct gen *g, uint64_t sk, uint64_t at_ms, const struct proc *p,
		   const char *laddr, uint16_t lport, const char *raddr, uint16_t rport,
		   const uint8_t *path, int n)
{
	struct event ev;

	for (int i = 0; i + 1 < n; i++) {
		base(&ev, EV_STATE, at_ms + (uint64_t)i, p, laddr, lport, raddr, rport);
		ev.skaddr = sk;
		ev.oldstate = path[i];
		ev.newstate = path[i + 1];
		put(g, &ev);
	}
}

static void bind_ev(struct gen *g, uint64_t sk, uint64_t at_ms, const struct proc *p,
		    int proto, const char *addr, uint16_t req, uint16_t got, uint32_t flags,
		    uint32_t ifindex, int ret)
{
	struct event ev;

	base(&ev, EV_BIND, at_ms, p, addr, got, NULL, 0);
	ev.skaddr = sk;
	ev.protocol = (uint16_t)proto;
	ev.aux = req;
	ev.flags = flags;
	ev.ifindex = ifindex;
	ev.ret = ret;
	put(g, &ev);
}

static void connect_ev(struct gen *g, uint64_t sk, uint64_t at_ms, const struct proc *p,
		       const char *laddr, uint16_t lport, const char *raddr, uint16_t rport,
		       uint64_t lat_us, int ret)
{
	struct event ev;

	base(&ev, EV_CONNECT_RET, at_ms, p, laddr, lport, raddr, rport);
	ev.skaddr = sk;
	ev.aux = lat_us * 1000;
	ev.ret = ret;
	ev.oldstate = TS_SYN_SENT;
	ev.newstate = ret ? TS_CLOSE : TS_ESTABLISHED;
	put(g, &ev);
}

static void scenario(struct gen *g)
{
	static const uint8_t listen[] = { TS_CLOSE, TS_LISTEN };
	static const uint8_t active[] = { TS_CLOSE, TS_SYN_SENT, TS_ESTABLISHED, TS_FIN_WAIT1,
					  TS_FIN_WAIT2, TS_CLOSE };
	static const uint8_t passive[] = { TS_LISTEN, TS_SYN_RECV, TS_ESTABLISHED,
					   TS_CLOSE_WAIT, TS_LAST_ACK, TS_CLOSE };
	static const uint8_t reset[] = { TS_CLOSE, TS_SYN_SENT, TS_ESTABLISHED, TS_CLOSE };
	static const uint8_t refused[] = { TS_CLOSE, TS_SYN_SENT, TS_CLOSE };

	bind_ev(g, 0xffff888010000000, 10, &web, IPPROTO_TCP, "0.0.0.0", 80, 80,
		BIND_OPT_REUSEADDR, 0, 0);
	states(g, 0xffff888010000000, 11, &web, "0.0.0.0", 80, "0.0.0.0", 0, listen, 2);
	bind_ev(g, 0xffff888010000800, 20, &web, IPPROTO_TCP, "::", 443, 443,
		BIND_OPT_REUSEADDR | BIND_OPT_REUSEPORT, 0, 0);
	states(g, 0xffff888010000800, 21, &web, "::", 443, "::", 0, listen, 2);
	bind_ev(g, 0xffff888010001000, 30, &db, IPPROTO_UDP, "10.0.0.5", 5353, 5353,
		BIND_OPT_FREEBIND, 2, 0);
	bind_ev(g, 0xffff888010001800, 40, &cli, IPPROTO_TCP, "127.0.0.1", 80, 0, 0, 0,
		-EADDRINUSE);
	bind_ev(g, 0xffff888010002000, 50, &odd, IPPROTO_TCP, "0.0.0.0", 0, 51234, BIND_IMPLICIT, 0,
		0);
	bind_ev(g, 0xffff888010002800, 60, &odd, IPPROTO_UDP, "::1", 0, 40001, 0, 0, 0);

	/* a client connects out and closes first; the server side closes
	 * passively; one v6 connect is reset; one is refused */
	states(g, 0xffff888010003000, 100, &cli, "10.0.0.5", 43210, "10.0.0.9", 80, active, 6);
	connect_ev(g, 0xffff888010003000, 101, &cli, "10.0.0.5", 43210, "10.0.0.9", 80, 310, 0);
	states(g, 0xffff888010003800, 200, &web, "10.0.0.5", 80, "203.0.113.7", 40001, passive,
	       6);
	states(g, 0xffff888010004000, 300, &odd, "2001:db8::5", 55123, "2001:db8::1", 443, reset,
	       4);
	connect_ev(g, 0xffff888010004000, 301, &odd, "2001:db8::5", 55123, "2001:db8::1", 443, 45,
		   0);
	states(g, 0xffff888010004800, 400, &cli, "127.0.0.1", 51000, "127.0.0.1", 5432, refused,
	       3);
	connect_ev(g, 0xffff888010004800, 401, &cli, "127.0.0.1", 51000, "127.0.0.1", 5432, 20,
		   -ECONNREFUSED);
	connect_ev(g, 0xffff888010005000, 2400, &db, "10.0.0.5", 39001, "198.51.100.77", 5432,
		   2000000, -ETIMEDOUT);
	states(g, 0xffff888010005800, 2499, &cli, "10.0.0.5", 43211, "10.0.0.9", 80, active, 3);
	connect_ev(g, 0xffff888010005800, 2500, &cli, "10.0.0.5", 43211, "10.0.0.9", 80, 290, 0);
}

int main(int argc, char **argv)
{
	struct rec_header h = { .version = REC_VERSION, .event_size = sizeof(struct event) };
	struct gen g = { 0 };

	if (argc != 2) {
		fprintf(stderr, "usage: mkstreams OUT.rec\n");
		return 2;
	}
	h.start_mono_ns = T0;
	h.wall_off_ns = (int64_t)(1768469400ULL * SEC) - (int64_t)T0; /* 2026-01-15 09:30 UTC */
	snprintf(h.host, sizeof(h.host), "web-01");
	snprintf(h.kernel, sizeof(h.kernel), "6.18.0-fixture");
	g.w = rec_create(argv[1], &h);
	if (!g.w) {
		fprintf(stderr, "mkstreams: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	scenario(&g);
	if (rec_close(g.w) || g.err) {
		fprintf(stderr, "mkstreams: writing %s failed\n", argv[1]);
		return 1;
	}
	return 0;
}
