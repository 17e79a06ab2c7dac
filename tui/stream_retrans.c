// SPDX-License-Identifier: GPL-2.0
/*
 * tcpretrans-compatible output: one line per retransmitted segment
 * (T = R) and, beyond tcpretrans, per reset sent (T = S) or received
 * (T = V): TIME PID IP LADDR:LPORT T> RADDR:RPORT STATE. PID is the
 * socket's owner from the table (a retransmit runs in a timer or softirq,
 * in no process of its own), 0 when not known.
 */
#include "stream.h"

#include <stdio.h>
#include <sys/socket.h>

#include "app.h"
#include "fmt.h"
#include "opts.h"
#include "table.h"

static void retrans_header(struct stream_out *f, const struct app *a)
{
	const struct opts *o = a->opts;

	if (o->json)
		return;
	if (o->csv) {
		stream_printf(f, "TIME,%sPID,COMM,IP,LADDR,LPORT,T,RADDR,RPORT,STATE\n",
			      o->ts_rel ? "TIME(s)," : "");
		return;
	}
	stream_printf(f, "%-8s ", "TIME");
	if (o->ts_rel)
		stream_printf(f, "%-9s ", "TIME(s)");
	stream_printf(f, "%-7s %-2s %-*s %1s> %-*s %s\n", "PID", "IP", o->wide ? 46 : 20,
		      "LADDR:LPORT", "T", o->wide ? 46 : 20, "RADDR:RPORT", "STATE");
}

static char type_letter(const struct event *ev)
{
	if (ev->kind == EV_RETRANS)
		return 'R';
	return ev->flags & RESET_SENT ? 'S' : 'V';
}

static bool wanted(const struct opts *o, const struct event *ev, uint32_t pid)
{
	if (o->pid > 0 && pid != (uint32_t)o->pid)
		return false;
	if ((o->only4 && ev->family != AF_INET) || (o->only6 && ev->family != AF_INET6))
		return false;
	return (!o->lports.n || port_list_has(&o->lports, ev->lport)) &&
	       (!o->rports.n || port_list_has(&o->rports, ev->rport));
}

static void retrans_event(struct stream_out *f, const struct app *a, const struct event *ev,
			  uint64_t prev_ns)
{
	const struct opts *o = a->opts;
	char laddr[64], raddr[64], l[80], r[80], hms[16], comm[FMT_ESC_MAX(EVENT_COMM_LEN)];
	const struct sock_entry *e;
	const char *state;
	uint32_t pid;
	int w = o->wide ? 46 : 20;

	(void)prev_ns;
	if (ev->kind != EV_RETRANS && ev->kind != EV_RESET)
		return;
	e = ev->skaddr ? table_find(a->model.table, ev->skaddr) : NULL;
	pid = e ? e->pid : 0;
	if (!wanted(o, ev, pid))
		return;
	fmt_addr(laddr, sizeof(laddr), ev->family, ev->saddr);
	fmt_addr(raddr, sizeof(raddr), ev->family, ev->daddr);
	fmt_hms(hms, sizeof(hms), stream_wall_ns(a, ev->ts_ns));
	state = tcp_state_name(ev->newstate);
	fmt_escape(comm, sizeof(comm), e ? entry_comm(a->model.table, e) : "",
		   e ? EVENT_COMM_LEN : 0, o->json ? ESC_JSON : ESC_CSV);
	if (o->json) {
		stream_printf(f,
			      "{\"ts_ns\":%llu,\"time\":\"%s\",\"time_s\":%.6f,\"skaddr\":\"%llx\","
			      "\"pid\":%u,\"comm\":\"%s\",\"ip\":%d,\"laddr\":\"%s\",\"lport\":%u,"
			      "\"type\":\"%s\",\"raddr\":\"%s\",\"rport\":%u,\"state\":\"%s\","
			      "\"netns\":%u}\n",
			      (unsigned long long)ev->ts_ns, hms, stream_rel_seconds(a, ev->ts_ns),
			      (unsigned long long)ev->skaddr, pid, comm,
			      ev->family == AF_INET6 ? 6 : 4, laddr, ev->lport,
			      ev->kind == EV_RETRANS ? "retransmit" :
			      ev->flags & RESET_SENT ? "reset_sent" :
						       "reset_received",
			      raddr, ev->rport, state,
			      ev->netns ? ev->netns :
			      e		? e->netns :
					  0);
		return;
	}
	if (o->csv) {
		stream_printf(f, "%s,", hms);
		if (o->ts_rel)
			stream_printf(f, "%.6f,", stream_rel_seconds(a, ev->ts_ns));
		stream_printf(f, "%u,%s,%d,%s,%u,%c,%s,%u,%s\n", pid, comm,
			      ev->family == AF_INET6 ? 6 : 4, laddr, ev->lport, type_letter(ev),
			      raddr, ev->rport, state);
		return;
	}
	snprintf(l, sizeof(l), "%s:%u", laddr, ev->lport);
	snprintf(r, sizeof(r), "%s:%u", raddr, ev->rport);
	stream_printf(f, "%-8s ", hms);
	if (o->ts_rel)
		stream_printf(f, "%-9.3f ", stream_rel_seconds(a, ev->ts_ns));
	stream_printf(f, "%-7u %-2d %-*s %c> %-*s %s\n", pid, ev->family == AF_INET6 ? 6 : 4, w, l,
		      type_letter(ev), w, r, state);
}

const struct stream_ops stream_retrans_ops = {
	.kind = EV_RETRANS,
	.header = retrans_header,
	.event = retrans_event,
};
