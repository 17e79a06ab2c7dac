// SPDX-License-Identifier: GPL-2.0
/* tcpconnect-compatible output, one line per connect once its outcome is
 * known: [TIME] [TIME(s)] [UID] PID COMM IP SADDR [LPORT] DADDR DPORT plus
 * LAT(ms) and RESULT; -c counts per source, destination and port at exit,
 * as tcpconnect -c does. */
#include "stream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <uthash.h>

#include "app.h"
#include "fmt.h"
#include "opts.h"

static void connects_header(struct stream_out *f, const struct app *a)
{
	const struct opts *o = a->opts;

	if (o->json)
		return;
	if (o->count)
		return; /* the counts' own header comes at exit */
	if (o->csv) {
		stream_printf(f, "%s%s%sPID,COMM,IP,SADDR,%sDADDR,DPORT,LAT(ms),RESULT\n",
			      o->ts_wall ? "TIME," : "", o->ts_rel ? "TIME(s)," : "",
			      o->uid_col ? "UID," : "", o->lport_col ? "LPORT," : "");
		return;
	}
	if (o->ts_wall)
		stream_printf(f, "%-8s ", "TIME");
	if (o->ts_rel)
		stream_printf(f, "%-9s ", "TIME(s)");
	if (o->uid_col)
		stream_printf(f, "%-6s ", "UID");
	stream_printf(f, "%-7s %-12s %-2s %-16s ", "PID", "COMM", "IP", "SADDR");
	if (o->lport_col)
		stream_printf(f, "%-6s ", "LPORT");
	stream_printf(f, "%-16s %-5s %8s %s\n", "DADDR", "DPORT", "LAT(ms)", "RESULT");
}

/* -c: one row per source address, destination address and port */
#define CONNECT_COUNTS_MAX 65536

struct connect_key {
	uint16_t family, dport;
	uint8_t saddr[16], daddr[16];
};

struct connect_count {
	struct connect_key key;
	uint64_t connects, failed;
	UT_hash_handle hh;
};

struct connect_counts {
	struct connect_count *by_key;
	uint32_t n;
	uint64_t dropped; /* table full */
};

static void count_connect(const struct app *a, const struct event *ev)
{
	void **priv = stream_priv(a);
	struct connect_counts *t;
	struct connect_count *c;
	struct connect_key k;

	if (!priv)
		return;
	if (!*priv && !(*priv = calloc(1, sizeof(struct connect_counts))))
		return;
	t = *priv;
	memset(&k, 0, sizeof(k));
	k.family = ev->family;
	k.dport = ev->rport;
	memcpy(k.saddr, ev->saddr, sizeof(k.saddr));
	memcpy(k.daddr, ev->daddr, sizeof(k.daddr));
	HASH_FIND(hh, t->by_key, &k, sizeof(k), c);
	if (!c) {
		if (t->n >= CONNECT_COUNTS_MAX || !(c = calloc(1, sizeof(*c)))) {
			t->dropped++;
			return;
		}
		c->key = k;
		HASH_ADD(hh, t->by_key, key, sizeof(c->key), c);
		t->n++;
	}
	c->connects++;
	if (ev->ret)
		c->failed++;
}

static int count_cmp(const void *pa, const void *pb)
{
	const struct connect_count *x = *(struct connect_count *const *)pa;
	const struct connect_count *y = *(struct connect_count *const *)pb;

	if (x->connects != y->connects)
		return x->connects > y->connects ? -1 : 1;
	return memcmp(&x->key, &y->key, sizeof(x->key)); /* stable between runs */
}

/* tcpconnect -c's table (LADDR RADDR RPORT CONNECTS), plus FAILED: the
 * attempts that did not end ESTABLISHED */
static void connects_finish(struct stream_out *f, const struct app *a)
{
	const struct opts *o = a->opts;
	void **priv = stream_priv(a);
	struct connect_counts *t = priv ? *priv : NULL;
	struct connect_count **rows, *c, *tmp;
	char saddr[64], daddr[64];
	uint32_t n = 0;

	if (!o->count)
		return;
	rows = calloc(t ? t->n + 1 : 1, sizeof(*rows));
	if (!rows) {
		fprintf(stderr, "socktop: --count: out of memory\n");
		return;
	}
	if (t)
		HASH_ITER(hh, t->by_key, c, tmp)
			rows[n++] = c;
	qsort(rows, n, sizeof(*rows), count_cmp);
	if (o->csv)
		stream_printf(f, "LADDR,RADDR,RPORT,CONNECTS,FAILED\n");
	else if (!o->json)
		stream_printf(f, "%-39s %-39s %-6s %-10s %s\n", "LADDR", "RADDR", "RPORT",
			      "CONNECTS", "FAILED");
	for (uint32_t i = 0; i < n; i++) {
		c = rows[i];
		fmt_addr(saddr, sizeof(saddr), c->key.family, c->key.saddr);
		fmt_addr(daddr, sizeof(daddr), c->key.family, c->key.daddr);
		if (o->json)
			stream_printf(f,
				      "{\"saddr\":\"%s\",\"daddr\":\"%s\",\"dport\":%u,"
				      "\"connects\":%llu,\"failed\":%llu}\n",
				      saddr, daddr, c->key.dport, (unsigned long long)c->connects,
				      (unsigned long long)c->failed);
		else
			stream_printf(f,
				      o->csv ? "%s,%s,%u,%llu,%llu\n" :
					       "%-39s %-39s %-6u %-10llu %llu\n",
				      saddr, daddr, c->key.dport, (unsigned long long)c->connects,
				      (unsigned long long)c->failed);
	}
	if (t && t->dropped)
		fprintf(stderr, "socktop: --count: %llu connects not counted (table full)\n",
			(unsigned long long)t->dropped);
	free(rows);
}

static void connects_cleanup(void *priv)
{
	struct connect_counts *t = priv;
	struct connect_count *c, *tmp;

	if (!t)
		return;
	HASH_ITER(hh, t->by_key, c, tmp) {
		HASH_DEL(t->by_key, c);
		free(c);
	}
	free(t);
}

/* The kernel filters too; this keeps replays and recordings consistent. */
static bool wanted(const struct opts *o, const struct event *ev)
{
	if (o->pid > 0 && ev->pid != (uint32_t)o->pid)
		return false;
	if (o->uid >= 0 && ev->uid != (uint32_t)o->uid)
		return false;
	if (o->bind_ports.n && !port_list_has(&o->bind_ports, ev->rport))
		return false;
	if ((o->only4 && ev->family != AF_INET) || (o->only6 && ev->family != AF_INET6))
		return false;
	return true;
}

static void connects_json(struct stream_out *f, const struct app *a, const struct event *ev,
			  const char *saddr, const char *daddr)
{
	char comm[FMT_ESC_MAX(EVENT_COMM_LEN)], hms[16];

	fmt_escape(comm, sizeof(comm), ev->comm, sizeof(ev->comm), ESC_JSON);
	fmt_hms(hms, sizeof(hms), stream_wall_ns(a, ev->ts_ns));
	stream_printf(
		f,
		"{\"ts_ns\":%llu,\"time\":\"%s\",\"time_s\":%.6f,\"skaddr\":\"%llx\","
		"\"pid\":%u,\"tid\":%u,\"uid\":%u,\"comm\":\"%s\",\"ip\":%d,"
		"\"saddr\":\"%s\",\"sport\":%u,\"daddr\":\"%s\",\"dport\":%u,"
		"\"lat_ms\":%.3f,\"ret\":%d,\"result\":\"%s\",\"cgroup_id\":%llu,\"netns\":%u}\n",
		(unsigned long long)ev->ts_ns, hms, stream_rel_seconds(a, ev->ts_ns),
		(unsigned long long)ev->skaddr, ev->pid, ev->tid, ev->uid, comm,
		ev->family == AF_INET6 ? 6 : 4, saddr, ev->lport, daddr, ev->rport,
		(double)ev->aux / 1e6, ev->ret, fmt_connect_result(ev->ret),
		(unsigned long long)ev->cgroup_id, ev->netns);
}

static void connects_event(struct stream_out *f, const struct app *a, const struct event *ev,
			   uint64_t prev_ns)
{
	const struct opts *o = a->opts;
	char saddr[64], daddr[64], comm[FMT_ESC_MAX(EVENT_COMM_LEN)], hms[16];
	double lat = (double)ev->aux / 1e6;

	(void)prev_ns;
	if (ev->kind != EV_CONNECT_RET || !wanted(o, ev))
		return;
	if (o->count) {
		count_connect(a, ev);
		return;
	}
	fmt_addr(saddr, sizeof(saddr), ev->family, ev->saddr);
	fmt_addr(daddr, sizeof(daddr), ev->family, ev->daddr);
	if (o->json) {
		connects_json(f, a, ev, saddr, daddr);
		return;
	}
	/* the text column holds 12 bytes: cut while escaping, never inside a
	 * UTF-8 character or an escape */
	fmt_escape(comm, o->csv ? sizeof(comm) : 13, ev->comm, sizeof(ev->comm),
		   o->csv ? ESC_CSV : ESC_TEXT);
	if (o->ts_wall)
		stream_printf(f, o->csv ? "%s," : "%-8s ",
			      fmt_hms(hms, sizeof(hms), stream_wall_ns(a, ev->ts_ns)));
	if (o->ts_rel)
		stream_printf(f, o->csv ? "%.6f," : "%-9.3f ", stream_rel_seconds(a, ev->ts_ns));
	if (o->uid_col)
		stream_printf(f, o->csv ? "%u," : "%-6u ", ev->uid);
	stream_printf(f, o->csv ? "%u,%s,%d,%s," : "%-7u %-12s %-2d %-16s ", ev->pid, comm,
		      ev->family == AF_INET6 ? 6 : 4, saddr);
	if (o->lport_col)
		stream_printf(f, o->csv ? "%u," : "%-6u ", ev->lport);
	stream_printf(f, o->csv ? "%s,%u,%.3f,%s\n" : "%-16s %-5u %8.3f %s\n", daddr, ev->rport,
		      lat, fmt_connect_result(ev->ret));
}

const struct stream_ops stream_connects_ops = {
	.kind = EV_CONNECT_RET,
	.header = connects_header,
	.event = connects_event,
	.finish = connects_finish,
	.cleanup = connects_cleanup,
};
