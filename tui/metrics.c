// SPDX-License-Identifier: GPL-2.0
/*
 * --metrics counting: what each event adds to the counters Prometheus
 * reads, with every label kept to a bounded set; the text buffer the
 * exposition is written into; this process's CPU and memory. The families
 * and their text are in metrics_text.c.
 */
#include "metrics.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "table.h"

struct metrics *metrics_new(void)
{
	return calloc(1, sizeof(struct metrics));
}

void metrics_free(struct metrics *m)
{
	free(m);
}

/* 0 for success, -ret for an errno counted alone, METRICS_ERRNOS for the
 * rest (a positive or absurd value from a bad recording among them) */
static int err_slot(int32_t ret)
{
	if (!ret)
		return 0;
	if (ret < 0 && ret > -METRICS_ERRNOS)
		return -ret;
	return METRICS_ERRNOS;
}

static int family_slot(uint16_t family)
{
	return family == AF_INET ? 0 : family == AF_INET6 ? 1 : -1;
}

/* The port's counters, given a label the first time it is seen listening;
 * NULL past the cap (counted as "other"). */
static struct metrics_port *port_get(struct metrics *m, uint16_t port, bool listening)
{
	if (m->slot[port])
		return &m->ports[m->slot[port] - 1];
	if (!listening)
		return NULL;
	if (m->nports >= METRICS_MAX_PORTS) {
		if (!(m->unlabelled[port / 8] & (1u << (port % 8)))) {
			m->unlabelled[port / 8] |= (uint8_t)(1u << (port % 8));
			m->ports_dropped++;
		}
		return NULL;
	}
	m->ports[m->nports] = (struct metrics_port){ .port = port };
	m->slot[port] = (uint8_t)++m->nports;
	return &m->ports[m->nports - 1];
}

static void on_state(struct metrics *m, const struct event *ev)
{
	struct metrics_port *p;

	if (ev->oldstate < METRICS_STATES && ev->newstate < METRICS_STATES)
		m->transitions[ev->oldstate][ev->newstate]++;
	else
		m->transitions_other++;
	if (ev->newstate == TS_LISTEN && !m->slot[ev->lport])
		port_get(m, ev->lport, true);
	if (ev->oldstate == TS_LISTEN && ev->newstate == TS_SYN_RECV) {
		/* a child of a listener: its local port is the listener's */
		p = port_get(m, ev->lport, true);
		if (p)
			p->passive_opens++;
		else
			m->passive_opens_other++;
	}
}

void metrics_on_event(struct metrics *m, const struct event *ev)
{
	struct metrics_port *p;
	int fam;

	switch (ev->kind) {
	case EV_STATE:
		on_state(m, ev);
		break;
	case EV_CONNECT_RET:
		fam = family_slot(ev->family);
		if (fam >= 0)
			m->connects[fam][err_slot(ev->ret)]++;
		break;
	case EV_ACCEPT:
		p = port_get(m, ev->lport, true);
		if (p)
			p->accepts++;
		else
			m->accepts_other++;
		break;
	case EV_BIND:
		m->binds[ev->protocol == IPPROTO_UDP][!!(ev->flags & BIND_IMPLICIT)]
			[err_slot(ev->ret)]++;
		break;
	case EV_RETRANS:
		p = port_get(m, ev->lport, false);
		if (p)
			p->retrans++;
		else
			m->retrans_other++;
		break;
	case EV_RESET: {
		int rcvd = !!(ev->flags & RESET_RECEIVED);

		p = port_get(m, ev->lport, false);
		if (p)
			p->resets[rcvd]++;
		else
			m->resets_other[rcvd]++;
		break;
	}
	case EV_SNAP_SOCK:
		/* listeners that were there before socktop get their label too */
		if (ev->newstate == TS_LISTEN && !m->slot[ev->lport])
			port_get(m, ev->lport, true);
		break;
	default:
		break;
	}
}

void metrics_traffic_moved(struct metrics *m, const struct sock_entry *e,
			   const struct sock_traffic *before)
{
	const struct sock_traffic *now = entry_traffic(e);
	bool had = traffic_known(before);
	struct metrics_port *p;
	uint64_t tx, rx;

	if (now->sample_ns == before->sample_ns || (!had && sock_age_unknown(e)))
		return; /* stale, or what it moved before we looked */
	tx = now->tx - (had ? before->tx : 0);
	rx = now->rx - (had ? before->rx : 0);
	if (now->tx < (had ? before->tx : 0) || now->rx < (had ? before->rx : 0))
		return; /* never backwards (the model refuses those anyway) */
	p = port_get(m, e->lport, false);
	if (p) {
		p->tx += tx;
		p->rx += rx;
	} else {
		m->tx_other += tx;
		m->rx_other += rx;
	}
}

void metrics_proc_read(struct metrics_proc *pr, double start_time)
{
	struct rusage ru;
	unsigned long long vsize, rss;
	FILE *f;

	memset(pr, 0, sizeof(*pr));
	pr->start_time = start_time;
	if (!getrusage(RUSAGE_SELF, &ru))
		pr->cpu_seconds = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
				  (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	/* statm stays readable (0444) after the privilege drop, which makes
	 * the rest of /proc/self root's */
	f = fopen("/proc/self/statm", "re");
	if (!f)
		return;
	if (fscanf(f, "%llu %llu", &vsize, &rss) == 2) {
		long page = sysconf(_SC_PAGESIZE);

		pr->vsize_bytes = vsize * (unsigned long long)page;
		pr->rss_bytes = rss * (unsigned long long)page;
	}
	fclose(f);
}

void mbuf_printf(struct mbuf *b, const char *fmt, ...)
{
	va_list ap;
	size_t cap;
	char *p;
	int n;

	if (b->oom)
		return;
	for (;;) {
		size_t room = b->cap - b->len;

		va_start(ap, fmt);
		n = vsnprintf(b->p ? b->p + b->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = true;
			return;
		}
		if ((size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		cap = b->cap ? b->cap * 2 : 16384;
		while (cap - b->len <= (size_t)n)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
}

void mbuf_free(struct mbuf *b)
{
	free(b->p);
	*b = (struct mbuf){ 0 };
}
