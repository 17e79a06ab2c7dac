// SPDX-License-Identifier: GPL-2.0
/* tcpstates-compatible output: one line per TCP state change. */
#include "stream.h"

#include <arpa/inet.h>

#include "app.h"
#include "fmt.h"
#include "journal.h"
#include "table.h"

static void states_header(FILE *f, const struct app *a)
{
	const struct opts *o = a->opts;

	if (o->json)
		return;
	if (o->csv) {
		fprintf(f, "%s%sSKADDR,C-PID,C-COMM,IP,LADDR,LPORT,RADDR,RPORT,OLDSTATE,NEWSTATE,MS\n",
			o->ts_wall ? "TIME," : "", o->ts_rel ? "TIME(s)," : "");
		return;
	}
	if (o->ts_wall)
		fprintf(f, "%-8s ", "TIME");
	if (o->ts_rel)
		fprintf(f, "%-9s ", "TIME(s)");
	if (o->wide)
		fprintf(f, "%-16s %-7s %-16s %-2s %-39s %-5s %-39s %-5s %-11s -> %-11s %s\n",
			"SKADDR", "C-PID", "C-COMM", "IP", "LADDR", "LPORT", "RADDR", "RPORT",
			"OLDSTATE", "NEWSTATE", "MS");
	else
		fprintf(f, "%-16s %-5s %-10s %-15s %-5s %-15s %-5s %-11s -> %-11s %s\n", "SKADDR",
			"C-PID", "C-COMM", "LADDR", "LPORT", "RADDR", "RPORT", "OLDSTATE",
			"NEWSTATE", "MS");
}

static void states_json(FILE *f, const struct app *a, const struct event *ev, double ms,
			const char *laddr, const char *raddr)
{
	char comm[FMT_ESC_MAX(EVENT_COMM_LEN)], hms[16];
	uint64_t wall = stream_wall_ns(a, ev->ts_ns);

	fmt_escape(comm, sizeof(comm), ev->comm, sizeof(ev->comm), ESC_JSON);
	fmt_hms(hms, sizeof(hms), wall);
	fprintf(f,
		"{\"ts_ns\":%llu,\"time\":\"%s\",\"time_s\":%.6f,\"skaddr\":\"%llx\","
		"\"pid\":%u,\"tid\":%u,\"uid\":%u,\"comm\":\"%s\",\"family\":%d,"
		"\"laddr\":\"%s\",\"lport\":%u,\"raddr\":\"%s\",\"rport\":%u,"
		"\"oldstate\":\"%s\",\"newstate\":\"%s\",\"ms\":%.3f}\n",
		(unsigned long long)ev->ts_ns, hms, stream_rel_seconds(a, ev->ts_ns),
		(unsigned long long)ev->skaddr, ev->pid, ev->tid, ev->uid, comm,
		ev->family == AF_INET6 ? 6 : 4, laddr, ev->lport, raddr, ev->rport,
		tcp_state_name(ev->oldstate), tcp_state_name(ev->newstate), ms);
}

static void states_event(FILE *f, const struct app *a, const struct event *ev, uint64_t prev_ns)
{
	const struct opts *o = a->opts;
	char laddr[64], raddr[64], comm[FMT_ESC_MAX(EVENT_COMM_LEN)], hms[16];
	double ms = (double)prev_ns / 1e6;

	if (ev->kind != EV_STATE)
		return;
	fmt_addr(laddr, sizeof(laddr), ev->family, ev->saddr);
	fmt_addr(raddr, sizeof(raddr), ev->family, ev->daddr);
	if (o->journal)
		journal_send_state(a, ev, prev_ns, laddr, raddr);
	if (o->json) {
		states_json(f, a, ev, ms, laddr, raddr);
		return;
	}
	/* the text columns cut the name at 10 (16 with -w) bytes: cut it while
	 * escaping, never inside an escape or a UTF-8 character */
	fmt_escape(comm, o->csv ? sizeof(comm) : o->wide ? 17 : 11, ev->comm, sizeof(ev->comm),
		   o->csv ? ESC_CSV : ESC_TEXT);
	if (o->ts_wall)
		fprintf(f, o->csv ? "%s," : "%-8s ",
			fmt_hms(hms, sizeof(hms), stream_wall_ns(a, ev->ts_ns)));
	if (o->ts_rel)
		fprintf(f, o->csv ? "%.6f," : "%-9.6f ", stream_rel_seconds(a, ev->ts_ns));
	if (o->csv)
		fprintf(f, "%llx,%u,%s,%d,%s,%u,%s,%u,%s,%s,%.3f\n", (unsigned long long)ev->skaddr,
			ev->pid, comm, ev->family == AF_INET6 ? 6 : 4, laddr, ev->lport, raddr,
			ev->rport, tcp_state_name(ev->oldstate), tcp_state_name(ev->newstate), ms);
	else if (o->wide)
		fprintf(f, "%-16llx %-7u %-16s %-2d %-39s %-5u %-39s %-5u %-11s -> %-11s %.3f\n",
			(unsigned long long)ev->skaddr, ev->pid, comm,
			ev->family == AF_INET6 ? 6 : 4, laddr, ev->lport, raddr, ev->rport,
			tcp_state_name(ev->oldstate), tcp_state_name(ev->newstate), ms);
	else
		fprintf(f, "%-16llx %-5u %-10s %-15s %-5u %-15s %-5u %-11s -> %-11s %.3f\n",
			(unsigned long long)ev->skaddr, ev->pid, comm, laddr, ev->lport, raddr,
			ev->rport, tcp_state_name(ev->oldstate), tcp_state_name(ev->newstate), ms);
}

const struct stream_ops stream_states_ops = {
	.kind = EV_STATE,
	.header = states_header,
	.event = states_event,
};
