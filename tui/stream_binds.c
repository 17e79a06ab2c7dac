// SPDX-License-Identifier: GPL-2.0
/*
 * bindsnoop-compatible output: [TIME(s)] [UID] [RC] PID COMM PROT ADDR PORT
 * OPTS IF, one line per bind; -w widens (IPv6, RC as the errno name); -s
 * CSV and --json carry every field; --count prints only the counts per
 * address and port, at exit. PORT is the port the socket got: for a port-0
 * bind the one the kernel chose. Implicit binds (listen() or connect()
 * took a port) are in -s (IMPLICIT) and --json only: bindsnoop never shows
 * them, and the text lines keep exactly its columns, so a script reading
 * them by position or count never meets an extra word.
 */
#include "stream.h"

#include <stdlib.h>
#include <sys/socket.h>

#include "app.h"
#include "binds.h"
#include "fmt.h"
#include "opts.h"

/* The kernel filters too; this keeps replays of recordings consistent. */
static bool wanted(const struct opts *o, const struct event *ev)
{
	if (ev->kind != EV_BIND)
		return false;
	if (ev->ret && !o->errors)
		return false;
	if (o->pid > 0 && ev->pid != (uint32_t)o->pid)
		return false;
	if (o->uid >= 0 && ev->uid != (uint32_t)o->uid)
		return false;
	if ((o->only4 && ev->family != AF_INET) || (o->only6 && ev->family != AF_INET6))
		return false;
	if (o->bind_ports.n && !port_list_has(&o->bind_ports, binds_req_port(ev)) &&
	    !port_list_has(&o->bind_ports, ev->lport))
		return false;
	return true;
}

static void binds_header(struct stream_out *f, const struct app *a)
{
	const struct opts *o = a->opts;

	if (o->json || o->count)
		return;
	if (o->csv) {
		stream_printf(f, "%s%sPID,UID,COMM,PROT,ADDR,PORT,REQPORT,OPTS,IF,RC,IMPLICIT\n",
			      o->ts_wall ? "TIME," : "", o->ts_rel ? "TIME(s)," : "");
		return;
	}
	if (o->ts_wall)
		stream_printf(f, "%-8s ", "TIME");
	if (o->ts_rel)
		stream_printf(f, "%-9s ", "TIME(s)");
	if (o->uid_col)
		stream_printf(f, "%6s ", "UID");
	if (o->errors)
		stream_printf(f, o->wide ? "%-13s " : "%3s ", "RC");
	if (o->wide)
		stream_printf(f, "%10s %-16s %-4s %-39s %5s %-5s %2s\n", "PID", "COMM", "PROT",
			      "ADDR", "PORT", "OPTS", "IF");
	else
		stream_printf(f, "%8s %-12s %-4s %-15s %5s %-5s %2s\n", "PID", "COMM", "PROT",
			      "ADDR", "PORT", "OPTS", "IF");
}

static void binds_json(struct stream_out *f, const struct app *a, const struct event *ev)
{
	char comm[FMT_ESC_MAX(EVENT_COMM_LEN)], hms[16], addr[64], opts[6], pbuf[12];

	fmt_escape(comm, sizeof(comm), ev->comm, sizeof(ev->comm), ESC_JSON);
	fmt_hms(hms, sizeof(hms), stream_wall_ns(a, ev->ts_ns));
	fmt_addr(addr, sizeof(addr), ev->family, ev->saddr);
	stream_printf(
		f,
		"{\"ts_ns\":%llu,\"time\":\"%s\",\"time_s\":%.6f,\"skaddr\":\"%llx\","
		"\"pid\":%u,\"tid\":%u,\"uid\":%u,\"comm\":\"%s\",\"family\":%d,"
		"\"proto\":\"%s\",\"addr\":\"%s\",\"port\":%u,\"req_port\":%u,"
		"\"bound_port\":%u,\"opts\":\"%s\",\"flags\":%u,\"ifindex\":%u,"
		"\"ret\":%d,\"error\":\"%s\",\"implicit\":%s,\"cgroup_id\":%llu,\"netns\":%u}\n",
		(unsigned long long)ev->ts_ns, hms, stream_rel_seconds(a, ev->ts_ns),
		(unsigned long long)ev->skaddr, ev->pid, ev->tid, ev->uid, comm,
		ev->family == AF_INET6 ? 6 : 4, binds_proto_name(ev->protocol, pbuf, sizeof(pbuf)),
		addr, binds_port(ev), binds_req_port(ev), ev->lport,
		binds_opts_str(opts, ev->flags), ev->flags, ev->ifindex, ev->ret,
		ev->ret ? fmt_errno_name(ev->ret) : "",
		ev->flags & BIND_IMPLICIT ? "true" : "false", (unsigned long long)ev->cgroup_id,
		ev->netns);
}

static void binds_csv(struct stream_out *f, const struct event *ev, const char *comm,
		      const char *addr)
{
	char opts[6], pbuf[12];

	stream_printf(f, "%u,%u,%s,%s,%s,%u,%u,%s,%u,%lld,%d\n", ev->pid, ev->uid, comm,
		      binds_proto_name(ev->protocol, pbuf, sizeof(pbuf)), addr, binds_port(ev),
		      binds_req_port(ev), binds_opts_str(opts, ev->flags), ev->ifindex,
		      -(long long)ev->ret, ev->flags & BIND_IMPLICIT ? 1 : 0);
}

static void binds_event(struct stream_out *f, const struct app *a, const struct event *ev,
			uint64_t prev_ns)
{
	const struct opts *o = a->opts;
	char comm[FMT_ESC_MAX(EVENT_COMM_LEN)], addr[64], hms[16], opts[6], pbuf[12];

	(void)prev_ns;
	if (!wanted(o, ev) || o->count)
		return;
	if (o->json) {
		binds_json(f, a, ev);
		return;
	}
	if (!o->csv && (ev->flags & BIND_IMPLICIT))
		return;
	/* the text column holds 12 (16 with -w) bytes: cut while escaping,
	 * never inside a UTF-8 character or an escape */
	fmt_escape(comm,
		   o->csv  ? sizeof(comm) :
		   o->wide ? 17 :
			     13,
		   ev->comm, sizeof(ev->comm), o->csv ? ESC_CSV : ESC_TEXT);
	fmt_addr(addr, sizeof(addr), ev->family, ev->saddr);
	if (o->ts_wall)
		stream_printf(f, o->csv ? "%s," : "%-8s ",
			      fmt_hms(hms, sizeof(hms), stream_wall_ns(a, ev->ts_ns)));
	if (o->ts_rel)
		stream_printf(f, o->csv ? "%.6f," : "%-9.6f ", stream_rel_seconds(a, ev->ts_ns));
	if (o->csv) {
		binds_csv(f, ev, comm, addr);
		return;
	}
	if (o->uid_col)
		stream_printf(f, "%6u ", ev->uid);
	if (o->errors) {
		if (o->wide)
			stream_printf(f, "%-13s ", ev->ret ? fmt_errno_name(ev->ret) : "0");
		else
			stream_printf(f, "%3lld ", -(long long)ev->ret); /* INT_MIN-safe */
	}
	stream_printf(f,
		      o->wide ? "%10u %-16s %-4s %-39s %5u %-5s %2u\n" :
				"%8u %-12s %-4s %-15s %5u %-5s %2u\n",
		      ev->pid, comm, binds_proto_name(ev->protocol, pbuf, sizeof(pbuf)), addr,
		      binds_port(ev), binds_opts_str(opts, ev->flags), ev->ifindex);
}

struct count_row {
	const struct bind_count *c;
	uint64_t binds, failed; /* as this run's options count them */
};

static int row_cmp(const void *pa, const void *pb)
{
	const struct count_row *x = pa, *y = pb;

	if (x->binds != y->binds)
		return x->binds > y->binds ? -1 : 1;
	return x < y ? -1 : x > y; /* binds_counts' order otherwise */
}

/* What the options can still say of a count (a replay was not filtered by
 * the kernel): family, port, and failures only with -E. */
static uint32_t count_rows(const struct app *a, struct count_row *rows, const struct bind_count **c,
			   uint32_t n)
{
	const struct opts *o = a->opts;
	uint32_t k = 0;

	for (uint32_t i = 0; i < n; i++) {
		uint64_t binds = c[i]->binds - (o->errors ? 0 : c[i]->failed);

		if (!binds || (o->only4 && c[i]->key.family != AF_INET) ||
		    (o->only6 && c[i]->key.family != AF_INET6) ||
		    (o->bind_ports.n && !port_list_has(&o->bind_ports, c[i]->key.port)))
			continue;
		rows[k++] = (struct count_row){ c[i], binds, o->errors ? c[i]->failed : 0 };
	}
	qsort(rows, k, sizeof(*rows), row_cmp);
	return k;
}

/* --count: bindsnoop's table (LADDR LPORT BINDS), plus PROT and FAILED */
static void binds_finish(struct stream_out *f, const struct app *a)
{
	const struct opts *o = a->opts;
	const struct bind_count **c;
	struct count_row *rows;
	char addr[64], pbuf[12];
	uint32_t n, total;

	if (!o->count)
		return;
	if (!a->binds) {
		fprintf(stderr, "socktop: --count: no bind counts were kept\n");
		return;
	}
	total = binds_ncounts(a->binds);
	c = calloc(total + 1, sizeof(*c));
	rows = calloc(total + 1, sizeof(*rows));
	if (!c || !rows) {
		fprintf(stderr, "socktop: --count: out of memory\n");
		goto out;
	}
	n = count_rows(a, rows, c, binds_counts(a->binds, c, total));
	if (!o->json && !o->csv)
		stream_printf(f, "%-39s %6s %10s %-4s %s\n", "LADDR", "LPORT", "BINDS", "PROT",
			      "FAILED");
	else if (o->csv)
		stream_printf(f, "LADDR,LPORT,BINDS,PROT,FAILED\n");
	for (uint32_t i = 0; i < n; i++) {
		const struct bind_count *k = rows[i].c;
		const char *proto = binds_proto_name(k->key.protocol, pbuf, sizeof(pbuf));

		fmt_addr(addr, sizeof(addr), k->key.family, k->key.addr);
		if (o->json)
			stream_printf(
				f,
				"{\"addr\":\"%s\",\"port\":%u,\"binds\":%llu,\"proto\":\"%s\","
				"\"failed\":%llu}\n",
				addr, k->key.port, (unsigned long long)rows[i].binds, proto,
				(unsigned long long)rows[i].failed);
		else
			stream_printf(
				f, o->csv ? "%s,%u,%llu,%s,%llu\n" : "%-39s %6u %10llu %-4s %llu\n",
				addr, k->key.port, (unsigned long long)rows[i].binds, proto,
				(unsigned long long)rows[i].failed);
	}
	if (binds_stats(a->binds)->counts_dropped)
		fprintf(stderr, "socktop: --count: %llu binds not counted (table full)\n",
			(unsigned long long)binds_stats(a->binds)->counts_dropped);
out:
	free(c);
	free(rows);
}

const struct stream_ops stream_binds_ops = {
	.kind = EV_BIND,
	.header = binds_header,
	.event = binds_event,
	.finish = binds_finish,
};
