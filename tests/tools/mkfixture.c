// SPDX-License-Identifier: GPL-2.0
/*
 * mkfixture: write deterministic recordings for the UI tests, screenshots
 * and the render benchmark, through the project's own recording writer.
 *
 *   mkfixture basic OUT.rec     a minute of a small server: listeners,
 *                               inbound and outbound connections in every
 *                               kind of close, IPv4 and IPv6, one process
 *                               whose name holds terminal escape sequences
 *   mkfixture hostile OUT.rec   the same with escape sequences in the
 *                               header's host and kernel strings
 *   mkfixture big N OUT.rec     N open sockets (plus listeners), for the
 *                               render benchmark
 *   mkfixture netns OUT.rec     three network namespaces (the host's, one
 *                               named web-a, one whose name holds escapes),
 *                               each with the same 127.0.0.1:8080 listener
 *                               and the same 4-tuple connected
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "recording.h"
#include "table.h"

#define SEC 1000000000ULL
#define MS 1000000ULL
#define T0 (1000 * SEC)	/* event clock of the recording's start */

struct gen {
	struct rec_writer *w;
	uint64_t next_sk;
	uint32_t rng;
	int err;
	/* events are generated lifecycle by lifecycle, then written in time
	 * order, as a capture would have seen them */
	struct event *ev;
	size_t nev, cap;
	uint32_t netns; /* the namespace events are made in */
};

struct end {
	uint16_t family;
	uint8_t addr[16];
	uint16_t port;
};

struct proc {
	uint32_t pid;
	const char *comm;
};

static const struct proc softirq = { 0, "swapper/1" };

static uint32_t rnd(struct gen *g)
{
	g->rng ^= g->rng << 13;
	g->rng ^= g->rng >> 17;
	g->rng ^= g->rng << 5;
	return g->rng;
}

static struct end ep(const char *ip, uint16_t port)
{
	struct end e = { .port = port };

	if (inet_pton(AF_INET, ip, e.addr) == 1) {
		e.family = AF_INET;
	} else if (inet_pton(AF_INET6, ip, e.addr) == 1) {
		e.family = AF_INET6;
	} else {
		fprintf(stderr, "mkfixture: bad address %s\n", ip);
		exit(2);
	}
	return e;
}

static void emit(struct gen *g, uint64_t ts, uint64_t sk, const struct proc *p,
		 const struct end *l, const struct end *r, int old, int new)
{
	struct event ev;

	memset(&ev, 0, sizeof(ev));
	ev.ts_ns = ts;
	ev.skaddr = sk;
	ev.pid = p->pid;
	ev.tid = p->pid;
	ev.uid = p->pid ? 1000 : 0;
	ev.kind = EV_STATE;
	ev.family = l->family;
	ev.protocol = IPPROTO_TCP;
	ev.lport = l->port;
	ev.rport = r ? r->port : 0;
	ev.oldstate = (uint8_t)old;
	ev.newstate = (uint8_t)new;
	ev.netns = g->netns;
	memcpy(ev.saddr, l->addr, 16);
	if (r)
		memcpy(ev.daddr, r->addr, 16);
	/* comm is a fixed 16-byte field: copy without requiring a NUL */
	memcpy(ev.comm, p->comm, strnlen(p->comm, EVENT_COMM_LEN));
	if (g->nev == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 4096;
		struct event *n = realloc(g->ev, cap * sizeof(*n));

		if (!n) {
			g->err = 1;
			return;
		}
		g->ev = n;
		g->cap = cap;
	}
	g->ev[g->nev++] = ev;
}

/* by time; equal times keep the order they were made in */
static int ev_cmp(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	if (x->ts_ns != y->ts_ns)
		return x->ts_ns < y->ts_ns ? -1 : 1;
	return x->aux < y->aux ? -1 : x->aux > y->aux;
}

static uint64_t new_sk(struct gen *g)
{
	g->next_sk += 0x840;
	return g->next_sk;
}

static uint64_t listener(struct gen *g, uint64_t t, const struct proc *p, const struct end *l)
{
	uint64_t sk = new_sk(g);

	emit(g, t, sk, p, l, NULL, TS_CLOSE, TS_LISTEN);
	return sk;
}

enum close_kind { OPEN, ACTIVE_CLOSE, PASSIVE_CLOSE, RESET, REFUSED, STUCK_CLOSE_WAIT };

/* an outgoing connection from p: l -> r */
static void outbound(struct gen *g, uint64_t t, const struct proc *p, const struct end *l,
		     const struct end *r, uint64_t rtt, uint64_t life, enum close_kind k)
{
	uint64_t sk = new_sk(g);

	emit(g, t, sk, p, l, r, TS_CLOSE, TS_SYN_SENT);
	if (k == REFUSED) {
		emit(g, t + rtt, sk, &softirq, l, r, TS_SYN_SENT, TS_CLOSE);
		return;
	}
	emit(g, t + rtt, sk, &softirq, l, r, TS_SYN_SENT, TS_ESTABLISHED);
	t += rtt + life;
	switch (k) {
	case ACTIVE_CLOSE:
		emit(g, t, sk, p, l, r, TS_ESTABLISHED, TS_FIN_WAIT1);
		emit(g, t + rtt, sk, &softirq, l, r, TS_FIN_WAIT1, TS_FIN_WAIT2);
		emit(g, t + rtt + 2 * MS, sk, &softirq, l, r, TS_FIN_WAIT2, TS_CLOSE);
		break;
	case PASSIVE_CLOSE:
		emit(g, t, sk, &softirq, l, r, TS_ESTABLISHED, TS_CLOSE_WAIT);
		emit(g, t + 3 * MS, sk, p, l, r, TS_CLOSE_WAIT, TS_LAST_ACK);
		emit(g, t + 3 * MS + rtt, sk, &softirq, l, r, TS_LAST_ACK, TS_CLOSE);
		break;
	case STUCK_CLOSE_WAIT:
		emit(g, t, sk, &softirq, l, r, TS_ESTABLISHED, TS_CLOSE_WAIT);
		break;
	case RESET:
		emit(g, t, sk, &softirq, l, r, TS_ESTABLISHED, TS_CLOSE);
		break;
	default:
		break;
	}
}

/* an accepted connection on listener l from client c */
static void inbound(struct gen *g, uint64_t t, const struct proc *owner, const struct end *l,
		    const struct end *c, uint64_t rtt, uint64_t life, enum close_kind k)
{
	uint64_t sk = new_sk(g);

	emit(g, t, sk, &softirq, l, c, TS_LISTEN, TS_SYN_RECV);
	emit(g, t + rtt, sk, &softirq, l, c, TS_SYN_RECV, TS_ESTABLISHED);
	t += rtt + life;
	if (k == ACTIVE_CLOSE) {
		emit(g, t, sk, owner, l, c, TS_ESTABLISHED, TS_FIN_WAIT1);
		emit(g, t + rtt, sk, &softirq, l, c, TS_FIN_WAIT1, TS_FIN_WAIT2);
		emit(g, t + rtt + MS, sk, &softirq, l, c, TS_FIN_WAIT2, TS_CLOSE);
	} else if (k == PASSIVE_CLOSE) {
		emit(g, t, sk, &softirq, l, c, TS_ESTABLISHED, TS_CLOSE_WAIT);
		emit(g, t + MS, sk, owner, l, c, TS_CLOSE_WAIT, TS_LAST_ACK);
		emit(g, t + MS + rtt, sk, &softirq, l, c, TS_LAST_ACK, TS_CLOSE);
	} else if (k == RESET) {
		emit(g, t, sk, &softirq, l, c, TS_ESTABLISHED, TS_CLOSE);
	}
}

static int open_gen_with(struct gen *g, const char *path, const char *host, const char *kernel,
			 uint32_t features)
{
	struct rec_header h = { .version = REC_VERSION,
				.event_size = sizeof(struct event),
				.features = features };

	h.start_mono_ns = T0;
	/* 2026-01-15 09:30:00 UTC at T0 */
	h.wall_off_ns = (int64_t)(1768469400ULL * SEC) - (int64_t)T0;
	snprintf(h.host, sizeof(h.host), "%s", host);
	snprintf(h.kernel, sizeof(h.kernel), "%s", kernel);
	memset(g, 0, sizeof(*g));
	g->next_sk = 0xffff888004a00000ULL;
	g->rng = 2463534242u;
	g->w = rec_create(path, &h);
	if (!g->w) {
		fprintf(stderr, "mkfixture: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int open_gen(struct gen *g, const char *path, const char *host, const char *kernel)
{
	return open_gen_with(g, path, host, kernel, 0);
}

static int close_gen(struct gen *g, const char *path)
{
	for (size_t i = 0; i < g->nev; i++)
		g->ev[i].aux = i; /* sequence, for a stable sort; cleared below */
	qsort(g->ev, g->nev, sizeof(*g->ev), ev_cmp);
	for (size_t i = 0; i < g->nev && !g->err; i++) {
		struct event *e = &g->ev[i];

		e->aux = 0;
		/* EV_TRAFFIC: aux was the delivery rate (tcpi overlays it):
		 * cwnd segments of 1448 bytes a round trip, as the kernel's */
		if (e->kind == EV_TRAFFIC && e->tcpi.srtt_us)
			e->tcpi.delivery_rate =
				(uint64_t)e->tcpi.snd_cwnd * 1448 * 1000000ULL / e->tcpi.srtt_us;
		if (rec_write(g->w, &g->ev[i]))
			g->err = 1;
	}
	free(g->ev);
	if (rec_close(g->w) || g->err) {
		fprintf(stderr, "mkfixture: writing %s failed\n", path);
		return 1;
	}
	return 0;
}

static struct event *push(struct gen *g)
{
	if (g->nev == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 4096;
		struct event *n = realloc(g->ev, cap * sizeof(*n));

		if (!n) {
			g->err = 1;
			return NULL;
		}
		g->ev = n;
		g->cap = cap;
	}
	memset(&g->ev[g->nev], 0, sizeof(g->ev[0]));
	return &g->ev[g->nev++];
}

/* One established stretch of a socket, from the states made so far */
struct life {
	struct event at; /* its ESTABLISHED event: skaddr, endpoints */
	uint64_t est, end;
	uint64_t tx_rate, rx_rate; /* bytes/s */
	uint32_t rtt_us, cwnd, retrans;
};

/* Bytes moved in the first dt of a life at rate: fast and slow stretches
 * of 5 s (1.6 and 0.4 times the rate), so the charts have a shape */
static uint64_t moved(uint64_t rate, uint64_t dt)
{
	uint64_t b = 0, s;

	for (s = 0; (s + 1) * SEC <= dt; s++)
		b += (s / 5) % 2 ? rate * 2 / 5 : rate * 8 / 5;
	return b + ((s / 5) % 2 ? rate * 2 / 5 : rate * 8 / 5) * (dt - s * SEC) / SEC;
}

static struct event *sample(struct gen *g, const struct life *f, uint64_t ts, uint32_t flags)
{
	uint64_t dt = ts - f->est;
	struct event *e = push(g);

	if (!e)
		return NULL;
	*e = f->at;
	e->kind = EV_TRAFFIC;
	e->ts_ns = ts;
	e->oldstate = 0;
	e->pid = e->tid = e->uid = 0;
	memset(e->comm, 0, sizeof(e->comm)); /* tcpi overlays it */
	e->ret = 0;
	e->pstart = 0;
	e->cgroup_id = 0;
	e->tcpi.bytes_acked = 1 + moved(f->tx_rate, dt);
	e->tcpi.bytes_received = 1 + moved(f->rx_rate, dt);
	e->tcpi.bytes_sent = e->tcpi.bytes_acked + f->retrans * 1448ULL;
	e->tcpi.total_retrans = (uint32_t)(f->retrans * dt / (60 * SEC));
	e->tcpi.srtt_us = f->rtt_us + (uint32_t)(dt / SEC % 7) * f->rtt_us / 10;
	e->tcpi.snd_cwnd = f->cwnd;
	e->tcpi.tr_flags = flags;
	return e;
}

/*
 * The traffic a capture would have pulled for every socket made so far:
 * a pass each second (a sample of each established socket, then the
 * pass's end), the final counters at each close, and retransmits and
 * resets on a few. Rates by role: servers send more than they receive.
 */
static void add_traffic(struct gen *g, uint64_t t0, uint64_t t_end)
{
	struct life lives[256];
	size_t nl = 0, made = g->nev;

	for (size_t i = 0; i < made; i++) {
		const struct event *e = &g->ev[i];
		size_t k;

		if (e->kind != EV_STATE)
			continue;
		for (k = 0; k < nl && !(lives[k].at.skaddr == e->skaddr && !lives[k].end); k++)
			;
		if (e->newstate == TS_ESTABLISHED && k == nl && nl < 256) {
			struct life *f = &lives[nl++];
			bool server = e->oldstate == TS_SYN_RECV;

			memset(f, 0, sizeof(*f));
			f->at = *e;
			f->est = e->ts_ns;
			f->tx_rate = (server ? 90 : 6) * 1024ULL * (1 + rnd(g) % 12);
			f->rx_rate = (server ? 4 : 60) * 1024ULL * (1 + rnd(g) % 9);
			f->rtt_us = 80 + rnd(g) % 30000;
			f->cwnd = 10 + rnd(g) % 60;
			f->retrans = rnd(g) % 5 == 0 ? 3 + rnd(g) % 40 : 0;
		} else if (e->newstate == TS_CLOSE && k < nl && lives[k].est) {
			lives[k].end = e->ts_ns;
		}
	}
	for (uint64_t t = t0 + 500 * MS; t < t_end; t += SEC) {
		struct event *end;

		for (size_t k = 0; k < nl; k++)
			if (lives[k].est < t && (!lives[k].end || lives[k].end > t))
				sample(g, &lives[k], t, 0);
		end = push(g);
		if (end) {
			end->kind = EV_TRAFFIC;
			end->ts_ns = t + 2 * MS;
			end->tcpi.tr_flags = TRAFFIC_PASS_END;
		}
	}
	for (size_t k = 0; k < nl; k++) {
		const struct life *f = &lives[k];
		struct event *m;

		if (f->retrans) { /* retransmits seen, spread over its life */
			for (int r = 1; r <= 3; r++) {
				uint64_t at = f->est + (uint64_t)r * 700 * MS;

				if ((f->end && at >= f->end) || at >= t_end ||
				    !(m = sample(g, f, at, 0)))
					continue;
				m->kind = EV_RETRANS;
				memset(&m->tcpi, 0, sizeof(m->tcpi));
			}
		}
		if (!f->end)
			continue;
		sample(g, f, f->end, TRAFFIC_FINAL);
		if (k % 4 == 2 && (m = sample(g, f, f->end, 0))) { /* an RST close */
			m->kind = EV_RESET;
			memset(&m->tcpi, 0, sizeof(m->tcpi));
			m->flags = RESET_RECEIVED;
		}
	}
}

static int basic_fixture(const char *path, bool hostile, bool traffic);

static int basic(const char *path, bool hostile)
{
	return basic_fixture(path, hostile, false);
}

static int basic_fixture(const char *path, bool hostile, bool traffic)
{
	static const struct proc nginx = { 812, "nginx" }, pg = { 901, "postgres" },
				 sshd = { 640, "sshd" }, curl = { 4242, "curl" },
				 py = { 5120, "python3" }, redis = { 733, "redis-server" },
				 evil = { 6666, "\x1b[31mEVIL\x1b]0;pwn\x07" },
				 longname = { 7001, "kworker/u16:3-events_unbound" };
	struct gen g;
	struct end l80 = ep("0.0.0.0", 80), l443 = ep("::", 443), l5432 = ep("127.0.0.1", 5432),
		   l22 = ep("0.0.0.0", 22), l22v6 = ep("::", 22), l6379 = ep("10.0.0.5", 6379);
	uint64_t t = T0;

	/* hostile: a recording whose header strings carry terminal escapes */
	if (open_gen_with(&g, path, hostile ? "evil\x1b[2J\x1b]0;owned\x07host" : "web-01",
			  hostile ? "6.18\x1b[31m\x9b"
				    "1m-x" :
				    "6.18.0-fixture",
			  traffic ? REC_HAS_TRAFFIC : 0))
		return 1;
	listener(&g, t, &sshd, &l22);
	listener(&g, t + 1 * MS, &sshd, &l22v6);
	listener(&g, t + 40 * MS, &nginx, &l80);
	listener(&g, t + 41 * MS, &nginx, &l443);
	listener(&g, t + 90 * MS, &pg, &l5432);
	listener(&g, t + 95 * MS, &redis, &l6379);
	/* an ssh session that stays */
	{
		struct end me = ep("10.0.0.5", 22), them = ep("192.168.1.20", 50522);

		inbound(&g, t + 2 * SEC, &sshd, &me, &them, 900 * 1000, 0, OPEN);
	}
	/* web traffic over the minute: v4 on :80, v6 on :443 */
	for (int i = 0; i < 24; i++) {
		uint64_t at = t + 3 * SEC + (uint64_t)i * 2300 * MS + (rnd(&g) % 700) * MS;
		char ip[64];
		struct end me, them;
		enum close_kind k = (enum close_kind[]){ ACTIVE_CLOSE, PASSIVE_CLOSE, RESET,
							 ACTIVE_CLOSE, OPEN }[i % 5];

		if (i % 3 == 2) {
			snprintf(ip, sizeof(ip), "2001:db8:4a1:%x::%x", 16 + i, 100 + i);
			them = ep(ip, (uint16_t)(40000 + rnd(&g) % 20000));
			me = ep("2001:db8:4a1::5", 443);
		} else {
			snprintf(ip, sizeof(ip), "203.0.113.%d", 10 + i * 7);
			them = ep(ip, (uint16_t)(40000 + rnd(&g) % 20000));
			me = ep("10.0.0.5", 80);
		}
		inbound(&g, at, &nginx, &me, &them, (200 + rnd(&g) % 900) * 1000,
			(300 + rnd(&g) % 4000) * MS, k);
	}
	/* nginx to postgres over loopback, short-lived; one pool connection open */
	for (int i = 0; i < 6; i++) {
		struct end c = ep("127.0.0.1", (uint16_t)(51000 + i)), s = ep("127.0.0.1", 5432);
		uint64_t at = t + 5 * SEC + (uint64_t)i * 8 * SEC;

		outbound(&g, at, &nginx, &c, &s, 80 * 1000, i == 5 ? 0 : 900 * MS,
			 i == 5 ? OPEN : ACTIVE_CLOSE);
		inbound(&g, at + 40 * 1000, &pg, &s, &c, 40 * 1000, i == 5 ? 0 : 900 * MS,
			i == 5 ? OPEN : PASSIVE_CLOSE);
	}
	/* outbound from a client: refused, a hanging SYN, a stuck CLOSE_WAIT */
	{
		struct end c1 = ep("10.0.0.5", 43210), r1 = ep("10.0.0.9", 8080);
		struct end c2 = ep("10.0.0.5", 43300), r2 = ep("198.51.100.77", 5432);
		struct end c3 = ep("2001:db8:4a1::5", 55123),
			   r3 = ep("2001:db8:ffff:1234:5678:9abc:def0:1", 443);
		struct end c4 = ep("10.0.0.5", 39001), r4 = ep("10.0.0.7", 6379);

		outbound(&g, t + 11 * SEC, &curl, &c1, &r1, 300 * 1000, 0, REFUSED);
		outbound(&g, t + 57 * SEC, &curl, &c2, &r2, 0, 0, OPEN);
		/* a SYN with no answer yet: only the first event */
		outbound(&g, t + 20 * SEC, &py, &c3, &r3, 31 * MS, 12 * SEC, STUCK_CLOSE_WAIT);
		outbound(&g, t + 25 * SEC, &evil, &c4, &r4, 150 * 1000, 0, OPEN);
	}
	{
		struct end c = ep("10.0.0.5", 47000), s = ep("10.0.0.5", 6379);
		uint64_t sk = new_sk(&g);

		/* a connect still in SYN_SENT at the end */
		emit(&g, t + 59 * SEC, sk, &longname, &c, &s, TS_CLOSE, TS_SYN_SENT);
	}
	/* a lifecycle with many transitions would be unusual for TCP; instead a
	 * socket that closes just before the end, to show a dimmed row */
	{
		struct end c = ep("10.0.0.5", 48000), s = ep("93.184.216.34", 443);

		outbound(&g, t + 56 * SEC, &curl, &c, &s, 12 * MS, 2 * SEC, ACTIVE_CLOSE);
	}
	if (traffic)
		add_traffic(&g, t, t + 60 * SEC);
	return close_gen(&g, path);
}

/* a snapshot's record of a socket that exists (TIME_WAIT has no events) */
static void snap_sock(struct gen *g, uint64_t ts, uint64_t sk, const struct end *l,
		      const struct end *r, int state)
{
	emit(g, ts, sk, &softirq, l, r, state, state);
	g->ev[g->nev - 1].kind = EV_SNAP_SOCK;
	g->ev[g->nev - 1].flags = SNAP_STARTUP;
	g->ev[g->nev - 1].pid = 0;
	g->ev[g->nev - 1].comm[0] = '\0';
}

/* A busy web host: a listener, a few live connections and many TIME_WAIT
 * sockets found by the start-up snapshot (the kernel reports no event
 * into TIME_WAIT). */
static int timewait(const char *path)
{
	static const struct proc nginx = { 812, "nginx" }, curl = { 4242, "curl" },
				 wget = { 4300, "wget" };
	struct end l80 = ep("0.0.0.0", 80);
	uint64_t t = T0;
	struct gen g;

	if (open_gen(&g, path, "web-02", "6.18.0-fixture"))
		return 1;
	for (int i = 0; i < 30; i++) {
		char ip[32];
		struct end me = ep("10.0.0.5", 80), them;

		snprintf(ip, sizeof(ip), "198.51.100.%d", 1 + i);
		them = ep(ip, (uint16_t)(30000 + i));
		snap_sock(&g, t, new_sk(&g), &me, &them, TS_TIME_WAIT);
	}
	emit(&g, t, 0, &softirq, &l80, NULL, 0, 0);
	g.ev[g.nev - 1].kind = EV_SNAP_END;
	g.ev[g.nev - 1].flags = SNAP_STARTUP;
	g.ev[g.nev - 1].aux = 30;
	listener(&g, t + MS, &nginx, &l80);
	for (int i = 0; i < 4; i++) {
		char ip[32];
		struct end me = ep("10.0.0.5", 80), them;

		snprintf(ip, sizeof(ip), "203.0.113.%d", 50 + i);
		them = ep(ip, (uint16_t)(41000 + i));
		inbound(&g, t + SEC + (uint64_t)i * SEC, &nginx, &me, &them, 300 * 1000, 0, OPEN);
	}
	{
		struct end c = ep("10.0.0.5", 43300), r = ep("192.0.2.10", 443);
		struct end c2 = ep("10.0.0.5", 43310), r2 = ep("192.0.2.11", 80);

		outbound(&g, t + 3 * SEC, &curl, &c, &r, 20 * MS, 0, OPEN);
		/* a process whose one connection ended: it holds no socket */
		outbound(&g, t + 2 * SEC, &wget, &c2, &r2, 10 * MS, 200 * MS, ACTIVE_CLOSE);
		/* its connect() as the connects hook reports it */
		emit(&g, t + 2 * SEC + 1, g.ev[g.nev - 5].skaddr, &wget, &c2, &r2, 0, TS_SYN_SENT);
		g.ev[g.nev - 1].kind = EV_CONNECT;
	}
	return close_gen(&g, path);
}

/* the start-up pass names a namespace */
static void snap_netns(struct gen *g, uint64_t ts, uint32_t ino, const char *name)
{
	struct end any = ep("0.0.0.0", 0);

	emit(g, ts, 0, &softirq, &any, NULL, 0, 0);
	g->ev[g->nev - 1].kind = EV_SNAP_NETNS;
	g->ev[g->nev - 1].flags = SNAP_STARTUP;
	g->ev[g->nev - 1].netns = ino;
	memset(event_netns_name(&g->ev[g->nev - 1]), 0, EVENT_NETNS_NAME_LEN);
	memcpy(event_netns_name(&g->ev[g->nev - 1]), name, strlen(name));
}

static int netns(const char *path)
{
	static const struct {
		uint32_t ino;
		const char *name;
		struct proc p;
	} ns[] = {
		{ 4026531840u, "", { 900, "nginx" } },
		{ 4026532101u, "web-a", { 901, "nginx" } },
		{ 4026532102u, "\x1b]0;pwn\x07ns", { 902, "nginx" } },
	};
	struct end l = ep("127.0.0.1", 8080), c = ep("127.0.0.1", 50000);
	uint64_t t = T0;
	struct gen g;

	if (open_gen(&g, path, "node-1", "6.18.0-fixture"))
		return 1;
	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
		snap_netns(&g, t, ns[i].ino, ns[i].name);
	emit(&g, t, 0, &softirq, &l, NULL, 0, 0);
	g.ev[g.nev - 1].kind = EV_SNAP_END;
	g.ev[g.nev - 1].flags = SNAP_STARTUP;
	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		struct end me = ep("127.0.0.1", 50000);

		g.netns = ns[i].ino;
		listener(&g, t + MS, &ns[i].p, &l);
		inbound(&g, t + SEC + i * MS, &ns[i].p, &l, &c, 100 * 1000, 0, OPEN);
		outbound(&g, t + SEC + i * MS, &ns[i].p, &me, &l, 100 * 1000, 0, OPEN);
	}
	return close_gen(&g, path);
}

/* Long-lived connections found by the start-up snapshot, on a host the
 * recording then watches for 18 minutes: their ages read "≥17m5xs", the
 * widest a time gets in the AGE column (tests/tui/columns.sh). */
static int aged(const char *path)
{
	static const struct proc sshd = { 640, "sshd" };
	struct end l22 = ep("0.0.0.0", 22);
	uint64_t t = T0;
	struct gen g;

	if (open_gen(&g, path, "db-01", "6.18.0-fixture"))
		return 1;
	for (int i = 0; i < 3; i++) {
		char ip[32];
		struct end me = ep("10.0.0.9", 5432), them;

		snprintf(ip, sizeof(ip), "10.0.0.%d", 20 + i);
		them = ep(ip, (uint16_t)(50000 + i));
		snap_sock(&g, t, new_sk(&g), &me, &them, TS_ESTABLISHED);
	}
	emit(&g, t, 0, &softirq, &l22, NULL, 0, 0);
	g.ev[g.nev - 1].kind = EV_SNAP_END;
	g.ev[g.nev - 1].flags = SNAP_STARTUP;
	g.ev[g.nev - 1].aux = 3;
	listener(&g, t + 17 * 60 * SEC + 56 * SEC + 500 * MS, &sshd, &l22);
	return close_gen(&g, path);
}

static int big(long n, const char *path)
{
	static const char *const comms[] = { "nginx", "envoy", "java", "node", "postgres",
					     "redis-server", "python3", "curl", "haproxy", "sshd" };
	struct gen g;
	uint64_t t = T0;
	struct end l = ep("0.0.0.0", 443);

	if (open_gen(&g, path, "web-01", "6.18.0-fixture"))
		return 1;
	listener(&g, t, &(struct proc){ 100, "haproxy" }, &l);
	for (long i = 0; i < n; i++) {
		struct proc p = { 1000 + (uint32_t)(rnd(&g) % 5000), comms[rnd(&g) % 10] };
		char ip[64];
		struct end me, them;
		uint64_t at = t + (uint64_t)i * (50 * SEC / (uint64_t)n) + MS;
		int k = (int)(rnd(&g) % 10);

		if (k < 2) {
			snprintf(ip, sizeof(ip), "2001:db8:%x:%x::%x", (unsigned)(rnd(&g) % 65536),
				 (unsigned)(rnd(&g) % 65536), (unsigned)(i % 65536));
			me = ep("2001:db8::5", (uint16_t)(1024 + i % 60000));
		} else {
			snprintf(ip, sizeof(ip), "10.%u.%u.%u", (unsigned)(rnd(&g) % 256),
				 (unsigned)(rnd(&g) % 256), (unsigned)(1 + rnd(&g) % 254));
			me = ep("10.0.0.5", (uint16_t)(1024 + i % 60000));
		}
		them = ep(ip, (uint16_t)(k < 5 ? 443 : 1024 + rnd(&g) % 60000));
		outbound(&g, at, &p, &me, &them, (50 + rnd(&g) % 500) * 1000, 0,
			 k == 9 ? STUCK_CLOSE_WAIT : OPEN);
	}
	return close_gen(&g, path);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "basic"))
		return basic(argv[2], false);
	if (argc == 3 && !strcmp(argv[1], "hostile"))
		return basic(argv[2], true);
	if (argc == 3 && !strcmp(argv[1], "traffic")) /* basic, with its counters */
		return basic_fixture(argv[2], false, true);
	if (argc == 3 && !strcmp(argv[1], "aged"))
		return aged(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "timewait"))
		return timewait(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "netns"))
		return netns(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "big")) {
		long n = strtol(argv[2], NULL, 10);

		if (n > 0 && n <= 10000000)
			return big(n, argv[3]);
	}
	fprintf(stderr,
		"usage: mkfixture basic|hostile|traffic|timewait|netns|aged OUT.rec | mkfixture big N OUT.rec\n");
	return 2;
}
