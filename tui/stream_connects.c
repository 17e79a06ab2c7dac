// SPDX-License-Identifier: GPL-2.0
/* tcpconnect-compatible output, one line per connect once its outcome is
 * known: PID COMM IP SADDR DADDR DPORT plus LAT(ms) and RESULT. */
#include "stream.h"

#include <errno.h>
#include <sys/socket.h>

#include "app.h"
#include "fmt.h"
#include "opts.h"

/* "ESTABLISHED", "REFUSED", "TIMEDOUT", "ABORTED" or the errno name */
static const char *connect_result(int32_t ret)
{
	switch (ret) { /* not -ret: INT_MIN from a recording would overflow */
	case 0:
		return "ESTABLISHED";
	case -ECONNREFUSED:
		return "REFUSED";
	case -ETIMEDOUT:
		return "TIMEDOUT";
	case -ECONNABORTED:
		return "ABORTED";
	default:
		return fmt_errno_name(ret);
	}
}

static void connects_header(FILE *f, const struct app *a)
{
	const struct opts *o = a->opts;

	if (o->json)
		return;
	if (o->csv) {
		fprintf(f, "%s%s%sPID,COMM,IP,SADDR,DADDR,DPORT,LAT(ms),RESULT\n",
			o->ts_wall ? "TIME," : "", o->ts_rel ? "TIME(s)," : "",
			o->uid_col ? "UID," : "");
		return;
	}
	if (o->ts_wall)
		fprintf(f, "%-8s ", "TIME");
	if (o->ts_rel)
		fprintf(f, "%-9s ", "TIME(s)");
	if (o->uid_col)
		fprintf(f, "%-6s ", "UID");
	fprintf(f, "%-7s %-12s %-2s %-16s %-16s %-5s %8s %s\n", "PID", "COMM", "IP", "SADDR",
		"DADDR", "DPORT", "LAT(ms)", "RESULT");
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

static void connects_json(FILE *f, const struct app *a, const struct event *ev,
			  const char *saddr, const char *daddr)
{
	char comm[FMT_ESC_MAX(EVENT_COMM_LEN)], hms[16];

	fmt_escape(comm, sizeof(comm), ev->comm, sizeof(ev->comm), ESC_JSON);
	fmt_hms(hms, sizeof(hms), stream_wall_ns(a, ev->ts_ns));
	fprintf(f,
		"{\"ts_ns\":%llu,\"time\":\"%s\",\"time_s\":%.6f,\"skaddr\":\"%llx\","
		"\"pid\":%u,\"tid\":%u,\"uid\":%u,\"comm\":\"%s\",\"ip\":%d,"
		"\"saddr\":\"%s\",\"sport\":%u,\"daddr\":\"%s\",\"dport\":%u,"
		"\"lat_ms\":%.3f,\"ret\":%d,\"result\":\"%s\",\"cgroup_id\":%llu}\n",
		(unsigned long long)ev->ts_ns, hms, stream_rel_seconds(a, ev->ts_ns),
		(unsigned long long)ev->skaddr, ev->pid, ev->tid, ev->uid, comm,
		ev->family == AF_INET6 ? 6 : 4, saddr, ev->lport, daddr, ev->rport,
		(double)ev->aux / 1e6, ev->ret, connect_result(ev->ret),
		(unsigned long long)ev->cgroup_id);
}

static void connects_event(FILE *f, const struct app *a, const struct event *ev, uint64_t prev_ns)
{
	const struct opts *o = a->opts;
	char saddr[64], daddr[64], comm[FMT_ESC_MAX(EVENT_COMM_LEN)], hms[16];
	double lat = (double)ev->aux / 1e6;

	(void)prev_ns;
	if (ev->kind != EV_CONNECT_RET || !wanted(o, ev))
		return;
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
		fprintf(f, o->csv ? "%s," : "%-8s ",
			fmt_hms(hms, sizeof(hms), stream_wall_ns(a, ev->ts_ns)));
	if (o->ts_rel)
		fprintf(f, o->csv ? "%.6f," : "%-9.3f ", stream_rel_seconds(a, ev->ts_ns));
	if (o->uid_col)
		fprintf(f, o->csv ? "%u," : "%-6u ", ev->uid);
	if (o->csv)
		fprintf(f, "%u,%s,%d,%s,%s,%u,%.3f,%s\n", ev->pid, comm,
			ev->family == AF_INET6 ? 6 : 4, saddr, daddr, ev->rport, lat,
			connect_result(ev->ret));
	else
		fprintf(f, "%-7u %-12s %-2d %-16s %-16s %-5u %8.3f %s\n", ev->pid, comm,
			ev->family == AF_INET6 ? 6 : 4, saddr, daddr, ev->rport, lat,
			connect_result(ev->ret));
}

const struct stream_ops stream_connects_ops = {
	.kind = EV_CONNECT_RET,
	.header = connects_header,
	.event = connects_event,
};
