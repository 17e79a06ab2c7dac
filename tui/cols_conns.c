// SPDX-License-Identifier: GPL-2.0
/*
 * The Connections pane's columns: one row each (title, width, sort key,
 * filter term, cell), and the pane's width rule. Cells only format; the
 * row's colour (new, closed, selected) is the pane's.
 */
#include "columns.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "app.h"
#include "container.h"
#include "fmt.h"
#include "procs.h"
#include "sock_metrics.h"
#include "table.h"
#include "theme.h"
#include "ui.h"

/* n (<= 8) bytes as a big-endian number, zero-padded: byte order sorts */
static uint64_t be64(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	memcpy(&v, p, n < 8 ? n : 8);
	return __builtin_bswap64(v);
}

int columns_state_rank(int state)
{
	static const int8_t rank[TS_MAX] = {
		[TS_LISTEN] = 1,       [TS_SYN_SENT] = 2,    [TS_SYN_RECV] = 3,
		[TS_NEW_SYN_RECV] = 3, [TS_ESTABLISHED] = 4, [TS_FIN_WAIT1] = 5,
		[TS_FIN_WAIT2] = 6,    [TS_CLOSE_WAIT] = 7,  [TS_CLOSING] = 8,
		[TS_LAST_ACK] = 9,     [TS_TIME_WAIT] = 10,  [TS_CLOSE] = 11,
	};

	return state >= 0 && state < TS_MAX ? rank[state] : 12;
}

static bool closed(const struct sock_entry *e)
{
	return (e->flags & SOCK_CLOSED) || e->state == TS_CLOSE;
}

/* The end of the socket's times: its close, or now. */
static uint64_t end_ns(const struct sock_entry *e, uint64_t now)
{
	return closed(e) && sock_closed_ns(e) ? sock_closed_ns(e) : now;
}

/* "≥": found by a snapshot (start-up, resync), at least this old */
static const char *at_least(const struct col_ctx *c, const struct sock_entry *e)
{
	return sock_age_unknown(e) ? (c->u->utf8 ? "\u2265" : ">") : "";
}

/* ---- PID ---- */

static void k_pid(const void *row, uint64_t k[COL_KEY_WORDS])
{
	k[0] = ((const struct sock_entry *)row)->pid;
}

static void c_pid(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	const struct sock_entry *e = row;

	(void)c;
	/* "~pid": the listener's owner, until accept() names the real one */
	if (e->pid)
		snprintf(out->buf, sizeof(out->buf), "%s%u",
			 e->flags & SOCK_OWNER_LISTENER ? "~" : "", e->pid);
	else
		snprintf(out->buf, sizeof(out->buf), "-");
	if (e->flags & SOCK_OWNER_LISTENER)
		out->role = ROLE_DIM;
}

/* ---- COMM ---- */

static void k_comm(const struct table *t, const void *row, uint64_t k[COL_KEY_WORDS])
{
	const uint8_t *comm = (const uint8_t *)entry_comm(t, row);

	/* the kernel pads comm with NULs, so the 16 bytes sort as the name */
	k[0] = be64(comm, 8);
	k[1] = be64(comm + 8, 8);
}

static void c_comm(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	const char *comm = entry_comm(c->u->app->model.table, row);

	if (!comm[0]) {
		snprintf(out->buf, sizeof(out->buf), "-");
		out->role = ROLE_DIM;
		return;
	}
	out->raw = true;
	out->text = comm;
	out->len = EVENT_COMM_LEN;
}

/* ---- IP ---- */

static void k_ipv(const void *row, uint64_t k[COL_KEY_WORDS])
{
	k[0] = ((const struct sock_entry *)row)->family;
}

static void c_ipv(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	uint16_t f = ((const struct sock_entry *)row)->family;

	(void)c;
	/* a family not known yet is not shown as IPv4 (4 would not hide it) */
	snprintf(out->buf, sizeof(out->buf), "%s", f == AF_INET6 ? "6" : f == AF_INET ? "4" : "?");
	if (f != AF_INET && f != AF_INET6)
		out->role = ROLE_DIM;
}

/* ---- LOCAL, REMOTE ---- */

static void k_addr(uint16_t family, const uint8_t *a, uint16_t port, uint64_t k[COL_KEY_WORDS])
{
	k[0] = family;
	k[1] = be64(a, 8);
	k[2] = be64(a + 8, 8);
	k[3] = port;
}

static void k_local(const void *row, uint64_t k[COL_KEY_WORDS])
{
	const struct sock_entry *e = row;

	k_addr(e->family, e->saddr, e->lport, k);
}

static void k_remote(const void *row, uint64_t k[COL_KEY_WORDS])
{
	const struct sock_entry *e = row;

	k_addr(e->family, e->daddr, e->rport, k);
}

/* addr:port in w cells, the address shortened in the middle to fit */
static void endpoint(const struct col_ctx *c, struct col_cell *out, uint16_t family,
		     const uint8_t *addr, uint16_t port)
{
	char a[64], p[8];
	int pl = snprintf(p, sizeof(p), "%u", port);
	bool brackets = family == AF_INET6;
	int aw = c->w - pl - 1 - (brackets ? 2 : 0);

	if (aw < 6 && brackets) { /* very narrow: the brackets go first */
		brackets = false;
		aw += 2;
	}
	fmt_addr_fit(a, sizeof(a), family, addr, aw < 6 ? 6 : aw, c->u->utf8);
	snprintf(out->buf, sizeof(out->buf), "%s%s%s:%s", brackets ? "[" : "", a,
		 brackets ? "]" : "", p);
}

static void c_local(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	const struct sock_entry *e = row;

	endpoint(c, out, e->family, e->saddr, e->lport);
}

static void c_remote(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	const struct sock_entry *e = row;

	if (e->rport) {
		endpoint(c, out, e->family, e->daddr, e->rport);
		return;
	}
	/* a listener, or a socket closed before it had a peer */
	snprintf(out->buf, sizeof(out->buf), "*");
	out->role = ROLE_DIM;
}

/* ---- STATE ---- */

static void k_state(const void *row, uint64_t k[COL_KEY_WORDS])
{
	const struct sock_entry *e = row;

	k[0] = (uint64_t)columns_state_rank(e->state);
	k[1] = ~e->state_ns; /* then longest in state first */
}

static void c_state(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	const struct sock_entry *e = row;

	(void)c;
	snprintf(out->buf, sizeof(out->buf), "%s", tcp_state_name(e->state));
	if (!closed(e))
		out->role = role_for_state(e->state);
}

/* ---- IN-STATE ---- */

static void k_time(const void *row, uint64_t k[COL_KEY_WORDS])
{
	/* ascending time in state = latest entry first */
	k[0] = ~((const struct sock_entry *)row)->state_ns;
}

static void c_time(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	const struct sock_entry *e = row;
	uint64_t end = end_ns(e, c->now);
	char d[32];

	if (closed(e)) {
		snprintf(out->buf, sizeof(out->buf), "-");
		return;
	}
	fmt_duration(d, sizeof(d), end > e->state_ns ? end - e->state_ns : 0);
	snprintf(out->buf, sizeof(out->buf), "%s%s",
		 e->state_ns == e->first_ns ? at_least(c, e) : "", d);
}

/* ---- AGE ---- */

static void k_age(const void *row, uint64_t k[COL_KEY_WORDS])
{
	k[0] = ~((const struct sock_entry *)row)->first_ns;
}

static void c_age(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	const struct sock_entry *e = row;
	uint64_t end = end_ns(e, c->now);
	char d[32];

	fmt_duration(d, sizeof(d), end > e->first_ns ? end - e->first_ns : 0);
	snprintf(out->buf, sizeof(out->buf), "%s%s", at_least(c, e), d);
}

/* ---- TX RX TX/s RX/s RTT RETRANS CWND DLVR: the kernel's counters ---- */

static const struct traffic_state *tstate(const struct col_ctx *c)
{
	return &c->u->app->model.traffic;
}

/* "-" (dim): no sample of this socket (none yet, a listener, the hook
 * off, an old recording), or this kernel lacks the field (help says) */
static bool no_traffic(const struct sock_traffic *tr, struct col_cell *out, uint32_t missing)
{
	if (traffic_known(tr) && !(tr->flags & missing))
		return false;
	snprintf(out->buf, sizeof(out->buf), "-");
	out->role = ROLE_DIM;
	return true;
}

static void bytes_cell(struct col_cell *out, uint64_t v, bool zero_dim)
{
	fmt_bytes(out->buf, sizeof(out->buf), v);
	if (!v && zero_dim)
		out->role = ROLE_DIM;
}

/* sockets never sampled sort after every sampled one, either way round */
static uint64_t known_key(const struct sock_traffic *tr, uint64_t v)
{
	return traffic_known(tr) ? v + 1 : 0;
}

static void k_tx(const void *row, uint64_t k[COL_KEY_WORDS])
{
	const struct sock_traffic *tr = entry_traffic(row);

	k[0] = known_key(tr, tr->tx);
}

static void c_tx(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	const struct sock_traffic *tr = entry_traffic(row);

	(void)c;
	if (!no_traffic(tr, out, TRAFFIC_NO_BYTES))
		bytes_cell(out, tr->tx, false);
}

static void k_rx(const void *row, uint64_t k[COL_KEY_WORDS])
{
	const struct sock_traffic *tr = entry_traffic(row);

	k[0] = known_key(tr, tr->rx);
}

static void c_rx(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	const struct sock_traffic *tr = entry_traffic(row);

	(void)c;
	if (!no_traffic(tr, out, TRAFFIC_NO_BYTES))
		bytes_cell(out, tr->rx, false);
}

/* rates: the model zeroes a socket's at the end of a pass it did not
 * move in, so the stored figure is the one shown and sorted */
static void k_tx_rate(const void *row, uint64_t k[COL_KEY_WORDS])
{
	const struct sock_traffic *tr = entry_traffic(row);

	k[0] = known_key(tr, traffic_more_of(tr)->tx_rate);
	k[1] = tr->tx;
}

static void c_tx_rate(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	const struct sock_traffic *tr = entry_traffic(row);

	if (!no_traffic(tr, out, TRAFFIC_NO_BYTES))
		bytes_cell(out, traffic_tx_rate(tstate(c), tr), true);
}

static void k_rx_rate(const void *row, uint64_t k[COL_KEY_WORDS])
{
	const struct sock_traffic *tr = entry_traffic(row);

	k[0] = known_key(tr, traffic_more_of(tr)->rx_rate);
	k[1] = tr->rx;
}

static void c_rx_rate(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	const struct sock_traffic *tr = entry_traffic(row);

	if (!no_traffic(tr, out, TRAFFIC_NO_BYTES))
		bytes_cell(out, traffic_rx_rate(tstate(c), tr), true);
}

static void k_rtt(const void *row, uint64_t k[COL_KEY_WORDS])
{
	const struct sock_traffic *tr = entry_traffic(row);

	k[0] = known_key(tr, tr->srtt_us);
}

static void c_rtt(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	const struct sock_traffic *tr = entry_traffic(row);

	(void)c;
	if (!no_traffic(tr, out, 0))
		fmt_duration(out->buf, sizeof(out->buf), (uint64_t)tr->srtt_us * 1000);
}

static void k_retrans(const void *row, uint64_t k[COL_KEY_WORDS])
{
	const struct sock_traffic *tr = entry_traffic(row);

	k[0] = known_key(tr, tr->retrans);
	k[1] = traffic_more_of(tr)->retrans_events;
}

static void c_retrans(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	const struct sock_traffic *tr = entry_traffic(row);

	(void)c;
	if (no_traffic(tr, out, 0))
		return;
	snprintf(out->buf, sizeof(out->buf), "%u", tr->retrans);
	out->role = tr->retrans ? ROLE_WARN : ROLE_DIM;
}

static void k_cwnd(const void *row, uint64_t k[COL_KEY_WORDS])
{
	const struct sock_traffic *tr = entry_traffic(row);

	k[0] = known_key(tr, tr->cwnd);
}

static void c_cwnd(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	const struct sock_traffic *tr = entry_traffic(row);

	(void)c;
	if (!no_traffic(tr, out, 0))
		snprintf(out->buf, sizeof(out->buf), "%u", tr->cwnd);
}

static void k_delivery(const void *row, uint64_t k[COL_KEY_WORDS])
{
	const struct sock_traffic *tr = entry_traffic(row);

	k[0] = known_key(tr, tr->delivery_rate);
}

static void c_delivery(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	const struct sock_traffic *tr = entry_traffic(row);

	(void)c;
	if (!no_traffic(tr, out, TRAFFIC_NO_RATE))
		bytes_cell(out, tr->delivery_rate, true);
}

/* ---- CGROUP ---- */

static void k_cgroup(const void *row, uint64_t k[COL_KEY_WORDS])
{
	k[0] = ((const struct sock_entry *)row)->cgroup_id;
}

static void c_cgroup(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	const struct sock_entry *e = row;

	if (!c->u->app->procs || e->cgroup_id <= 1)
		return; /* the root cgroup (or none known): empty, so the column may hide */
	out->raw = true;
	out->text = procs_cgroup_name(c->u->app->procs, e->cgroup_id);
	out->len = strlen(out->text);
}

/* ---- NETNS ---- */

static void k_netns(const void *row, uint64_t k[COL_KEY_WORDS])
{
	k[0] = ((const struct sock_entry *)row)->netns;
}

static void c_netns(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	const struct sock_entry *e = row;
	const char *name = nsnames_get(&c->u->app->nsnames, e->netns);

	if (name) { /* a /run/netns name: outside bytes */
		out->raw = true;
		out->text = name;
		out->len = strlen(name);
		return;
	}
	nsnames_label(NULL, e->netns, out->buf, sizeof(out->buf));
	if (!e->netns)
		out->role = ROLE_DIM;
}

/* ---- CONTAINER ---- */

static void c_container(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	const struct sock_entry *e = row;

	out->buf[0] = '\0';
	if (!c->u->app->procs || !e->cgroup_id)
		return;
	container_of_cgroup(procs_cgroup_name(c->u->app->procs, e->cgroup_id), out->buf,
			    sizeof(out->buf));
	out->raw = true; /* from a cgroup path: outside bytes */
	out->len = strlen(out->buf);
}

/* ---- metrics (bpf/metric_ids.h): one key and one cell for all, by id ---- */

/* sockets without a sample sort after every sampled one, either way round
 * (unused: with an empty list no row calls these) */
static __attribute__((unused)) void metric_key(const struct sock_entry *e, int id,
					       uint64_t k[COL_KEY_WORDS])
{
	uint64_t v;

	k[0] = sock_metric(e->metrics, id, &v) ? v + 1 : 0;
}

/* "-" (dim): no sample of it on this socket (none happened, or the hook
 * is off: help and the header say which features are) */
static __attribute__((unused)) void metric_cell(const struct sock_entry *e, int id,
						struct col_cell *out)
{
	uint64_t v;

	if (!sock_metric(e->metrics, id, &v)) {
		snprintf(out->buf, sizeof(out->buf), "-");
		out->role = ROLE_DIM;
		return;
	}
	metric_format(id, v, out->buf, sizeof(out->buf));
	if (!v)
		out->role = ROLE_DIM;
}

#define METRIC_FNS(id, ...)                                                                       \
	static void k_metric_##id(const void *row, uint64_t k[COL_KEY_WORDS])                     \
	{                                                                                         \
		metric_key(row, M_##id, k);                                                       \
	}                                                                                         \
	static void c_metric_##id(const struct col_ctx *c, const void *row, struct col_cell *out) \
	{                                                                                         \
		(void)c;                                                                          \
		metric_cell(row, M_##id, out);                                                    \
	}
METRICS(METRIC_FNS)
#undef METRIC_FNS

/* The traffic columns: only in a run that has the counters (not an old
 * recording, nor with the hook off: help says why). */
static int traffic_shown(const struct ui *u)
{
	return u->app->model.traffic.why[0] ? -1 : 0;
}

/* NETNS: always on a host with more than one namespace, else only when
 * the page mixes them. */
static int netns_shown(const struct ui *u)
{
	return u->app->nsnames.n > 1 ? 1 : 0;
}

/* One row a column. A new column: its key and cell above, one row here;
 * a metric's (bpf/metric_ids.h) comes from its entry in the list. */
const struct column columns[COL_MAX] = {
	[COL_PID] = { .id = "pid",
		      .title = "PID",
		      .width = 7,
		      .keep_width = true,
		      .min = 5,
		      .right = true,
		      .nwords = 1,
		      .key = k_pid,
		      .cell = c_pid,
		      .filter = "pid",
		      .help = "owning process id (~: the listener's, until accept)" },
	[COL_COMM] = { .id = "comm",
		       .title = "COMM",
		       .width = 8,
		       .min = 5,
		       .max = 24,
		       .nwords = 2,
		       .key_names = k_comm,
		       .cell = c_comm,
		       .filter = "comm",
		       .help = "owning process name" },
	[COL_IPV] = { .id = "ip",
		      .title = "IP",
		      .width = 1,
		      .prio = COL_OPTIONAL + 10,
		      .nwords = 1,
		      .key = k_ipv,
		      .cell = c_ipv,
		      .help = "IP version (keys 4 and 6 hide one)" },
	[COL_LOCAL] = { .id = "local",
			.title = "LOCAL",
			.width = 21,
			.min = 12,
			.nwords = 4,
			.key = k_local,
			.cell = c_local,
			.filter = "lport",
			.help = "local address:port" },
	[COL_REMOTE] = { .id = "remote",
			 .title = "REMOTE",
			 .width = 21,
			 .min = 12,
			 .nwords = 4,
			 .key = k_remote,
			 .cell = c_remote,
			 .filter = "rport",
			 .help = "remote address:port (* none)" },
	[COL_STATE] = { .id = "state",
			.title = "STATE",
			.width = 11,
			.nwords = 2,
			.key = k_state,
			.cell = c_state,
			.filter = "state",
			.help = "TCP state" },
	[COL_TIME] = { .id = "in-state",
		       .title = "IN-STATE",
		       .width = 6,
		       .right = true,
		       .prio = 3,
		       .nwords = 1,
		       .key = k_time,
		       .cell = c_time,
		       .help = "time in the state" },
	[COL_AGE] = { .id = "age",
		      .title = "AGE",
		      .width = 6,
		      .right = true,
		      .desc = true,
		      .prio = 4,
		      .nwords = 1,
		      .key = k_age,
		      .cell = c_age,
		      .help = "time since first seen (at least, when a snapshot found it)" },
	[COL_TX] = { .id = "tx",
		     .title = "TX",
		     .prio = COL_OPTIONAL + 8,
		     .shown = traffic_shown,
		     .width = 7,
		     .right = true,
		     .desc = true,
		     .nwords = 1,
		     .key = k_tx,
		     .cell = c_tx,
		     .filter = "tx",
		     .help = "bytes sent and acknowledged (tcp_sock bytes_acked)" },
	[COL_RX] = { .id = "rx",
		     .title = "RX",
		     .prio = COL_OPTIONAL + 7,
		     .shown = traffic_shown,
		     .width = 7,
		     .right = true,
		     .desc = true,
		     .nwords = 1,
		     .key = k_rx,
		     .cell = c_rx,
		     .filter = "rx",
		     .help = "bytes received (tcp_sock bytes_received)" },
	[COL_TX_RATE] = { .id = "tx/s",
			  .title = "TX/s",
			  .prio = COL_OPTIONAL + 4,
			  .shown = traffic_shown,
			  .width = 7,
			  .right = true,
			  .desc = true,
			  .nwords = 2,
			  .key = k_tx_rate,
			  .cell = c_tx_rate,
			  .filter = "txrate",
			  .help = "bytes/s sent over the last refresh (1 s)" },
	[COL_RX_RATE] = { .id = "rx/s",
			  .title = "RX/s",
			  .prio = COL_OPTIONAL + 3,
			  .shown = traffic_shown,
			  .width = 7,
			  .right = true,
			  .desc = true,
			  .nwords = 2,
			  .key = k_rx_rate,
			  .cell = c_rx_rate,
			  .filter = "rxrate",
			  .help = "bytes/s received over the last refresh (1 s)" },
	[COL_RTT] = { .id = "rtt",
		      .title = "RTT",
		      .prio = COL_OPTIONAL + 5,
		      .shown = traffic_shown,
		      .width = 6,
		      .right = true,
		      .desc = true,
		      .nwords = 1,
		      .key = k_rtt,
		      .cell = c_rtt,
		      .filter = "rtt",
		      .help = "smoothed round-trip time (tcp_sock srtt_us)" },
	[COL_RETRANS] = { .id = "retrans",
			  .title = "RETR",
			  .prio = COL_OPTIONAL + 6,
			  .shown = traffic_shown,
			  .width = 5,
			  .right = true,
			  .desc = true,
			  .nwords = 2,
			  .key = k_retrans,
			  .cell = c_retrans,
			  .filter = "retrans",
			  .help = "segments retransmitted (tcp_sock total_retrans)" },
	[COL_CWND] = { .id = "cwnd",
		       .title = "CWND",
		       .prio = COL_OPTIONAL + 11,
		       .shown = traffic_shown,
		       .width = 5,
		       .right = true,
		       .desc = true,
		       .nwords = 1,
		       .key = k_cwnd,
		       .cell = c_cwnd,
		       .filter = "cwnd",
		       .help = "congestion window, segments (tcp_sock snd_cwnd)" },
	[COL_DELIVERY] = { .id = "dlvr/s",
			   .title = "DLVR/s",
			   .prio = COL_OPTIONAL + 12,
			   .shown = traffic_shown,
			   .width = 7,
			   .right = true,
			   .desc = true,
			   .nwords = 1,
			   .key = k_delivery,
			   .cell = c_delivery,
			   .filter = "delivery",
			   .help = "delivery rate, bytes/s, as ss -ti computes it" },
	[COL_CGROUP] = { .id = "cgroup",
			 .title = "CGROUP",
			 .width = 8,
			 .min = 8,
			 .max = 24,
			 .hide_empty = true,
			 .prio = COL_OPTIONAL + 9,
			 .nwords = 1,
			 .key = k_cgroup,
			 .cell = c_cgroup,
			 .filter = "cgroup",
			 .help = "cgroup v2 of the socket, when not the root" },
	[COL_NETNS] = { .id = "netns",
			.title = "NETNS",
			.width = 10,
			.min = 8,
			.max = 16,
			.hide_same = true,
			.shown = netns_shown,
			.prio = COL_OPTIONAL + 1,
			.nwords = 1,
			.key = k_netns,
			.cell = c_netns,
			.filter = "netns",
			.help = "network namespace: its /run/netns name, else its inode" },
	[COL_CONTAINER] = { .id = "container",
			    .title = "CONTAINER",
			    .width = 12,
			    .min = 8,
			    .max = 28,
			    .hide_empty = true,
			    .prio = COL_OPTIONAL + 2,
			    .nwords = 1,
			    .key = k_cgroup,
			    .cell = c_container,
			    .filter = "container",
			    .help = "container its cgroup names (docker, k8s pod, podman, "
				    "nspawn, lxc) or systemd service; sorts by cgroup" },
/* a metric's row, made from its entry in the list: hidden until
	 * chosen (F2), dropped first on narrow screens */
#define METRIC_ROW(ID, NAME, TITLE, KIND, FEATURE, HELP)                                   \
	[COL_METRIC_##ID] = { .id = NAME,                                                  \
			      .title = TITLE,                                              \
			      .width = sizeof(TITLE) - 1 > 5 ? (int)sizeof(TITLE) - 1 : 5, \
			      .right = true,                                               \
			      .desc = true,                                                \
			      .off_by_default = true,                                      \
			      .prio = COL_OPTIONAL + 13,                                   \
			      .nwords = 1,                                                 \
			      .key = k_metric_##ID,                                        \
			      .cell = c_metric_##ID,                                       \
			      .filter = NAME,                                              \
			      .help = HELP },
	METRICS(METRIC_ROW)
#undef METRIC_ROW
};

const struct col_set conns_cols = { "conns", "Connections", columns, COL_MAX };
