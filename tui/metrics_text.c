// SPDX-License-Identifier: GPL-2.0
/*
 * The exposition: one table of metric families (name, type, help, the
 * function that writes its samples), written in the Prometheus text
 * format (0.0.4) or OpenMetrics 1.0. A new metric is one row here and,
 * for a counter, one line in metrics_on_event. Reads the app; changes
 * nothing.
 */
#include "metrics.h"

#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "app.h"
#include "fmt.h"
#include "loader.h"
#include "metrics_int.h"
#include "table.h"
#include "version.h"

struct family {
	const char *name; /* no _total, _info: the writer adds them */
	enum mtype type;
	const char *help;
	void (*samples)(struct mw *w);
};

/* A label value as the formats quote it: \\, \" and \n escaped. Every
 * value here comes from a bounded set; the git describe is the one that
 * is not ours to choose. */
static void put_value(struct mbuf *b, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			mbuf_printf(b, "\\%c", *v);
		else if (*v == '\n')
			mbuf_printf(b, "\\n");
		else
			mbuf_printf(b, "%c", *v);
	}
}

/* name{k="v",...} then the value; labels as NULL-ended key, value pairs */
static void sample_begin(struct mw *w, va_list ap)
{
	const char *k, *sep = "{";

	mbuf_printf(w->b, "%s%s", w->name,
		    w->type == M_COUNTER ? "_total" :
		    w->type == M_INFO	 ? "_info" :
					   "");
	while ((k = va_arg(ap, const char *))) {
		mbuf_printf(w->b, "%s%s=\"", sep, k);
		put_value(w->b, va_arg(ap, const char *));
		mbuf_printf(w->b, "\"");
		sep = ",";
	}
	if (*sep == ',')
		mbuf_printf(w->b, "}");
}

void mw_sample(struct mw *w, uint64_t v, ...)
{
	va_list ap;

	va_start(ap, v);
	sample_begin(w, ap);
	va_end(ap);
	mbuf_printf(w->b, " %llu\n", (unsigned long long)v);
}

void mw_sample_d(struct mw *w, double v, ...)
{
	va_list ap;

	va_start(ap, v);
	sample_begin(w, ap);
	va_end(ap);
	mbuf_printf(w->b, " %.6f\n", v);
}

static void family_begin(struct mw *w, const struct family *f)
{
	/* the text format names a family by its samples' name; OpenMetrics
	 * by the name without the type's suffix */
	const char *suffix = w->om		  ? "" :
			     f->type == M_COUNTER ? "_total" :
			     f->type == M_INFO	  ? "_info" :
						    "";
	const char *type = f->type == M_COUNTER	      ? "counter" :
			   f->type == M_INFO && w->om ? "info" :
							"gauge";

	w->name = f->name;
	w->type = f->type;
	mbuf_printf(w->b, "# HELP %s%s %s\n# TYPE %s%s %s\n", f->name, suffix, f->help, f->name,
		    suffix, type);
}

const char *mw_family_name(int fam)
{
	return fam == 0 ? "ipv4" : "ipv6";
}

void mw_port_label(char *buf, size_t n, uint16_t port)
{
	snprintf(buf, n, "%u", port);
}

static void s_build(struct mw *w)
{
	const char *git = version_git();

	mw_sample(w, 1, "version", SOCKTOP_VERSION, "git", git[0] ? git : "none", NULL);
}

static void s_features(struct mw *w)
{
	for (int f = 0; f < features_count(); f++)
		if (w->a->loader)
			mw_sample(w, loader_feature_on(w->a->loader, f), "feature",
				  loader_feature_name(f), NULL);
}

static void s_transitions(struct mw *w)
{
	for (int o = 0; o < METRICS_STATES; o++)
		for (int n = 0; n < METRICS_STATES; n++)
			if (w->m->transitions[o][n])
				mw_sample(w, w->m->transitions[o][n], "old",
					  tcp_state_name((uint8_t)o), "new",
					  tcp_state_name((uint8_t)n), NULL);
	if (w->m->transitions_other)
		mw_sample(w, w->m->transitions_other, "old", "other", "new", "other", NULL);
}

static const char *result_name(int slot, bool connect)
{
	if (slot == METRICS_ERRNOS)
		return "other";
	return connect ? fmt_connect_result(-slot) : fmt_errno_name(-slot);
}

static void s_connects(struct mw *w)
{
	for (int fam = 0; fam < METRICS_FAMILIES; fam++)
		for (int e = 0; e <= METRICS_ERRNOS; e++)
			/* the usual outcomes always, so their series never vanish */
			if (w->m->connects[fam][e] || !e || e == ECONNREFUSED || e == ETIMEDOUT)
				mw_sample(w, w->m->connects[fam][e], "family", mw_family_name(fam),
					  "result", result_name(e, true), NULL);
}

static void s_binds(struct mw *w)
{
	for (int udp = 0; udp < 2; udp++)
		for (int imp = 0; imp < 2; imp++)
			for (int e = 0; e <= METRICS_ERRNOS; e++)
				if (w->m->binds[udp][imp][e] || (!e && !(udp && imp)) ||
				    (e == EADDRINUSE && !imp))
					mw_sample(w, w->m->binds[udp][imp][e], "protocol",
						  udp ? "udp" : "tcp", "kind",
						  imp ? "implicit" : "explicit", "result",
						  result_name(e, false), NULL);
}

static void per_port(struct mw *w, bool accepts)
{
	const struct metrics *m = w->m;
	uint64_t other = accepts ? m->accepts_other : m->passive_opens_other;
	char port[8];

	for (int i = 0; i < m->nports; i++) {
		mw_port_label(port, sizeof(port), m->ports[i].port);
		mw_sample(w, accepts ? m->ports[i].accepts : m->ports[i].passive_opens, "port",
			  port, NULL);
	}
	if (other)
		mw_sample(w, other, "port", "other", NULL);
}

/* per labelled port, then "other" for every socket on no labelled
 * listening port; each port is given its row even at 0 */
static void per_port_sum(struct mw *w, size_t off, uint64_t other, const char *k, const char *v)
{
	const struct metrics *m = w->m;
	char port[8];

	for (int i = 0; i < m->nports; i++) {
		mw_port_label(port, sizeof(port), m->ports[i].port);
		mw_sample(w, *(const uint64_t *)((const char *)&m->ports[i] + off), "port", port, k,
			  v, NULL);
	}
	mw_sample(w, other, "port", "other", k, v, NULL);
}

static void s_retrans(struct mw *w)
{
	per_port_sum(w, offsetof(struct metrics_port, retrans), w->m->retrans_other, NULL, NULL);
}

static void s_resets(struct mw *w)
{
	per_port_sum(w, offsetof(struct metrics_port, resets[0]), w->m->resets_other[0],
		     "direction", "sent");
	per_port_sum(w, offsetof(struct metrics_port, resets[1]), w->m->resets_other[1],
		     "direction", "received");
}

static void s_tx(struct mw *w)
{
	per_port_sum(w, offsetof(struct metrics_port, tx), w->m->tx_other, NULL, NULL);
}

static void s_rx(struct mw *w)
{
	per_port_sum(w, offsetof(struct metrics_port, rx), w->m->rx_other, NULL, NULL);
}

static void s_accepts(struct mw *w)
{
	per_port(w, true);
}

static void s_passive(struct mw *w)
{
	per_port(w, false);
}

static void s_ports_unlabelled(struct mw *w)
{
	mw_sample(w, w->m->ports_dropped, NULL);
}

static void s_events(struct mw *w)
{
	static const char *const kinds[EV_KIND_MAX] = {
		[EV_STATE] = "state",
		[EV_BIND] = "bind",
		[EV_CONNECT] = "connect",
		[EV_CONNECT_RET] = "connect_ret",
		[EV_ACCEPT] = "accept",
		[EV_SNAP_SOCK] = "snapshot_socket",
		[EV_SNAP_OWNER] = "snapshot_owner",
		[EV_SNAP_END] = "snapshot_end",
		[EV_TRAFFIC] = "traffic",
		[EV_RETRANS] = "retransmit",
		[EV_RESET] = "reset",
		[EV_SNAP_NETNS] = "snapshot_netns",
		[EV_METRIC] = "metric",
	};

	for (int k = 0; k < EV_KIND_MAX; k++)
		if (kinds[k])
			mw_sample(w, w->a->by_kind[k], "kind", kinds[k], NULL);
}

static void s_lost(struct mw *w)
{
	mw_sample(w, w->a->lost, NULL);
}

static void s_emitted(struct mw *w)
{
	if (w->a->loader)
		mw_sample(w, w->a->emitted, NULL);
}

static void s_skipped(struct mw *w)
{
	mw_sample(w, w->a->recursion_misses, NULL);
}

static void s_resync_passes(struct mw *w)
{
	mw_sample(w, w->a->model.rc.st.passes, NULL);
}

static void s_resync_repairs(struct mw *w)
{
	const struct reconcile_stats *rs = &w->a->model.rc.st;

	mw_sample(w, rs->added, "kind", "added", NULL);
	mw_sample(w, rs->closed, "kind", "closed", NULL);
	mw_sample(w, rs->fixed, "kind", "state_fixed", NULL);
}

static void s_evicted(struct mw *w)
{
	mw_sample(w, table_stats(w->a->model.table)->evicted, NULL);
}

static void s_table(struct mw *w)
{
	mw_sample(w, table_count(w->a->model.table), NULL);
}

static void s_cpu(struct mw *w)
{
	mw_sample_d(w, w->pr->cpu_seconds, NULL);
}

static void s_rss(struct mw *w)
{
	if (w->pr->rss_bytes)
		mw_sample(w, w->pr->rss_bytes, NULL);
}

static void s_vsize(struct mw *w)
{
	if (w->pr->vsize_bytes)
		mw_sample(w, w->pr->vsize_bytes, NULL);
}

static void s_start(struct mw *w)
{
	mw_sample_d(w, w->pr->start_time, NULL);
}

static const struct family families[] = {
	{ "socktop_build", M_INFO, "socktop's version and git describe", s_build },
	{ "socktop_feature_enabled", M_GAUGE,
	  "1 when the kernel hook is attached, 0 when it is off (see the log for why)",
	  s_features },
	{ "socktop_sockets", M_GAUGE, "TCP sockets on the host now, by state and family",
	  metrics_sockets },
	{ "socktop_netns_sockets", M_GAUGE,
	  "TCP sockets now by network namespace (its /run/netns name or inode; the 32 "
	  "with the most sockets, the rest as \"other\") and state",
	  metrics_netns },
	{ "socktop_container_sockets", M_GAUGE,
	  "TCP sockets now by container (docker, podman, Kubernetes, nspawn, LXC) or systemd "
	  "service its cgroup names, \"none\" when it names neither; the 32 with the most "
	  "sockets, the rest as \"other\"; and state",
	  metrics_containers },
	{ "socktop_listener_connections", M_GAUGE,
	  "open connections on each local listening port now", metrics_port_conns },
	{ "socktop_transitions", M_COUNTER, "TCP state changes, by old and new state",
	  s_transitions },
	{ "socktop_connects", M_COUNTER, "connect() outcomes, by family and result", s_connects },
	{ "socktop_passive_opens", M_COUNTER,
	  "handshakes begun on each local listening port (LISTEN -> SYN_RECV)", s_passive },
	{ "socktop_accepts", M_COUNTER, "sockets accept() returned, by local listening port",
	  s_accepts },
	{ "socktop_binds", M_COUNTER,
	  "binds by protocol, kind (explicit bind() or a port taken by listen()/connect()) "
	  "and result",
	  s_binds },
	{ "socktop_retransmits", M_COUNTER,
	  "segments retransmitted, by local listening port (\"other\": any other socket)",
	  s_retrans },
	{ "socktop_resets", M_COUNTER, "TCP resets sent and received, by local listening port",
	  s_resets },
	{ "socktop_bytes_acked", M_COUNTER,
	  "bytes sent and acknowledged by the peer, by local listening port (traffic pull)", s_tx },
	{ "socktop_bytes_received", M_COUNTER, "bytes received, by local listening port", s_rx },
	{ "socktop_ports_unlabelled", M_GAUGE,
	  "listening ports past the label cap, counted under port=\"other\"", s_ports_unlabelled },
	{ "socktop_events", M_COUNTER, "events applied, by kind", s_events },
	{ "socktop_events_lost", M_COUNTER, "events the kernel could not queue (ring buffer full)",
	  s_lost },
	{ "socktop_events_emitted", M_COUNTER,
	  "events the kernel's programs tried to send (received + lost)", s_emitted },
	{ "socktop_bpf_runs_skipped", M_COUNTER,
	  "BPF program runs the kernel skipped (recursion misses)", s_skipped },
	{ "socktop_resync_passes", M_COUNTER, "resync passes applied", s_resync_passes },
	{ "socktop_resync_repairs", M_COUNTER, "sockets a resync put right, by kind",
	  s_resync_repairs },
	{ "socktop_table_sockets", M_GAUGE, "entries in socktop's socket table", s_table },
	{ "socktop_table_evicted", M_COUNTER,
	  "sockets pushed out of the full table (--max-sockets)", s_evicted },
	{ "process_cpu_seconds", M_COUNTER, "socktop's user and system CPU time", s_cpu },
	{ "process_resident_memory_bytes", M_GAUGE, "socktop's resident memory", s_rss },
	{ "process_virtual_memory_bytes", M_GAUGE, "socktop's virtual memory", s_vsize },
	{ "process_start_time_seconds", M_GAUGE, "when socktop started, unix time", s_start },
};

int metrics_render(const struct metrics *m, const struct app *a, const struct metrics_proc *pr,
		   bool openmetrics, struct mbuf *b)
{
	struct mw w = { .b = b, .om = openmetrics, .m = m, .a = a, .pr = pr };

	if (metrics_walk(&w)) {
		metrics_walk_free(&w);
		return -ENOMEM;
	}
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		family_begin(&w, &families[i]);
		families[i].samples(&w);
	}
	metrics_walk_free(&w);
	if (openmetrics)
		mbuf_printf(b, "# EOF\n");
	return b->oom ? -ENOMEM : 0;
}
