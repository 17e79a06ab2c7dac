// SPDX-License-Identifier: GPL-2.0
/*
 * tcplife-compatible output: one line per connection that ends, at its
 * final counters (EV_TRAFFIC with TRAFFIC_FINAL, taken at the transition
 * to CLOSE): PID COMM LADDR LPORT RADDR RPORT TX_KB RX_KB MS. The owner is
 * the table's (the process the socket belongs to), not the task that
 * happened to run the close in softirq; the span is from the first event
 * of the socket's lifecycle.
 */
#include "stream.h"

#include <sys/socket.h>

#include "app.h"
#include "fmt.h"
#include "opts.h"
#include "table.h"

static void life_header(struct stream_out *f, const struct app *a)
{
	const struct opts *o = a->opts;
	int w = o->wide ? 39 : 15;

	if (o->json)
		return;
	if (o->csv) {
		stream_printf(f, "%s%sPID,COMM,IP,LADDR,LPORT,RADDR,RPORT,TX_KB,RX_KB,MS\n",
			      o->ts_wall ? "TIME," : "", o->ts_rel ? "TIME(s)," : "");
		return;
	}
	if (o->ts_wall)
		stream_printf(f, "%-8s ", "TIME");
	if (o->ts_rel)
		stream_printf(f, "%-9s ", "TIME(s)");
	stream_printf(f, "%-7s %-16s %-*s %-5s %-*s %-5s %-6s %-6s %s\n", "PID", "COMM", w, "LADDR",
		      "LPORT", w, "RADDR", "RPORT", "TX_KB", "RX_KB", "MS");
}

/* The kernel filters ports and families too; this keeps replays of a
 * wider recording consistent. -p is the owner's pid. */
static bool wanted(const struct opts *o, const struct event *ev, uint32_t pid)
{
	if (o->pid > 0 && pid != (uint32_t)o->pid)
		return false;
	if ((o->only4 && ev->family != AF_INET) || (o->only6 && ev->family != AF_INET6))
		return false;
	return (!o->lports.n || port_list_has(&o->lports, ev->lport)) &&
	       (!o->rports.n || port_list_has(&o->rports, ev->rport));
}

static void life_json(struct stream_out *f, const struct app *a, const struct event *ev,
		      const struct sock_entry *e, const char *comm, const char *laddr,
		      const char *raddr, double ms)
{
	char hms[16];

	fmt_hms(hms, sizeof(hms), stream_wall_ns(a, ev->ts_ns));
	stream_printf(f,
		      "{\"ts_ns\":%llu,\"time\":\"%s\",\"time_s\":%.6f,\"skaddr\":\"%llx\","
		      "\"pid\":%u,\"comm\":\"%s\",\"uid\":%u,\"family\":%d,\"laddr\":\"%s\","
		      "\"lport\":%u,\"raddr\":\"%s\",\"rport\":%u,\"tx_bytes\":%llu,"
		      "\"rx_bytes\":%llu,\"bytes_sent\":%llu,\"retrans\":%u,\"srtt_us\":%u,"
		      "\"ms\":%.3f,\"span_known\":%s,\"netns\":%u}\n",
		      (unsigned long long)ev->ts_ns, hms, stream_rel_seconds(a, ev->ts_ns),
		      (unsigned long long)ev->skaddr, e ? e->pid : 0, comm, e ? e->uid : 0,
		      ev->family == AF_INET6 ? 6 : 4, laddr, ev->lport, raddr, ev->rport,
		      (unsigned long long)ev->tcpi.bytes_acked,
		      (unsigned long long)ev->tcpi.bytes_received,
		      (unsigned long long)ev->tcpi.bytes_sent, ev->tcpi.total_retrans,
		      ev->tcpi.srtt_us, ms, e && !sock_age_unknown(e) ? "true" : "false",
		      ev->netns ? ev->netns :
		      e		? e->netns :
				  0);
}

static void life_event(struct stream_out *f, const struct app *a, const struct event *ev,
		       uint64_t prev_ns)
{
	const struct opts *o = a->opts;
	char laddr[64], raddr[64], comm[FMT_ESC_MAX(EVENT_COMM_LEN)], hms[16];
	const struct sock_entry *e;
	int w = o->wide ? 39 : 15;
	uint32_t pid;
	double ms;

	(void)prev_ns;
	if (ev->kind != EV_TRAFFIC || !(ev->tcpi.tr_flags & TRAFFIC_FINAL))
		return;
	e = table_find(a->model.table, ev->skaddr);
	pid = e ? e->pid : 0;
	if (!wanted(o, ev, pid))
		return;
	ms = e && ev->ts_ns > e->first_ns ? (double)(ev->ts_ns - e->first_ns) / 1e6 : 0;
	fmt_addr(laddr, sizeof(laddr), ev->family, ev->saddr);
	fmt_addr(raddr, sizeof(raddr), ev->family, ev->daddr);
	if (o->json) {
		fmt_escape(comm, sizeof(comm), e ? entry_comm(a->model.table, e) : "",
			   e ? EVENT_COMM_LEN : 0, ESC_JSON);
		life_json(f, a, ev, e, comm, laddr, raddr, ms);
		return;
	}
	/* the text column holds 16 bytes: cut while escaping */
	fmt_escape(comm, o->csv ? sizeof(comm) : 17, e ? entry_comm(a->model.table, e) : "",
		   e ? EVENT_COMM_LEN : 0, o->csv ? ESC_CSV : ESC_TEXT);
	if (!comm[0])
		comm[0] = '-', comm[1] = '\0';
	if (o->ts_wall)
		stream_printf(f, o->csv ? "%s," : "%-8s ",
			      fmt_hms(hms, sizeof(hms), stream_wall_ns(a, ev->ts_ns)));
	if (o->ts_rel)
		stream_printf(f, o->csv ? "%.6f," : "%-9.3f ", stream_rel_seconds(a, ev->ts_ns));
	if (o->csv)
		stream_printf(f, "%u,%s,%d,%s,%u,%s,%u,%.2f,%.2f,%.2f\n", pid, comm,
			      ev->family == AF_INET6 ? 6 : 4, laddr, ev->lport, raddr, ev->rport,
			      (double)ev->tcpi.bytes_acked / 1024,
			      (double)ev->tcpi.bytes_received / 1024, ms);
	else
		stream_printf(f, "%-7u %-16s %-*s %-5u %-*s %-5u %-6.2f %-6.2f %.2f\n", pid, comm,
			      w, laddr, ev->lport, w, raddr, ev->rport,
			      (double)ev->tcpi.bytes_acked / 1024,
			      (double)ev->tcpi.bytes_received / 1024, ms);
}

const struct stream_ops stream_life_ops = {
	.kind = EV_TRAFFIC,
	.flags = TRAFFIC_FINAL,
	.header = life_header,
	.event = life_event,
};
