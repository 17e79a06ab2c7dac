// SPDX-License-Identifier: GPL-2.0
/*
 * The gauges read from the socket table at each scrape: sockets by state
 * and family, by network namespace, and open connections per listening
 * port. One walk each over the table; reads only.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "app.h"
#include "fmt.h"
#include "metrics_int.h"
#include "table.h"

void metrics_sockets(struct mw *w)
{
	uint64_t n[METRICS_STATES][METRICS_FAMILIES] = { { 0 } };

	for (const struct sock_entry *e = table_first(w->a->model.table); e; e = table_next(e)) {
		int fam = e->family == AF_INET ? 0 : e->family == AF_INET6 ? 1 : -1;

		/* closed ones linger for the UI: not sockets any more */
		if (fam >= 0 && !(e->flags & SOCK_CLOSED) && e->state < METRICS_STATES)
			n[e->state][fam]++;
	}
	for (int s = TS_ESTABLISHED; s < METRICS_STATES; s++)
		for (int fam = 0; fam < METRICS_FAMILIES; fam++)
			if (s <= TS_CLOSING || n[s][fam])
				mw_sample(w, n[s][fam], "state", tcp_state_name((uint8_t)s),
					  "family", mw_family_name(fam), NULL);
}

/* namespaces counted one by one in a scrape (an open-addressed table of
 * twice as many slots), and how many get a label: those with the most
 * sockets; the rest are "other" */
#define NETNS_SEEN 1024
#define NETNS_SLOTS (2 * NETNS_SEEN)
#define NETNS_LABELLED 32

struct ns_count {
	uint32_t inode;
	bool used;
	uint64_t total;
	uint64_t n[METRICS_STATES];
};

static int ns_cmp(const void *x, const void *y)
{
	const struct ns_count *a = x, *b = y;

	if (a->used != b->used)
		return a->used ? -1 : 1;
	return a->total != b->total ? (a->total < b->total ? 1 : -1) :
				      (a->inode > b->inode) - (a->inode < b->inode);
}

static void ns_samples(struct mw *w, const struct ns_count *c, const char *label)
{
	for (int s = TS_ESTABLISHED; s < METRICS_STATES; s++)
		if (c->n[s])
			mw_sample(w, c->n[s], "netns", label, "state", tcp_state_name((uint8_t)s),
				  NULL);
}

static struct ns_count *ns_slot(struct ns_count *ns, int *nns, uint32_t inode)
{
	uint32_t h = inode * 2654435761u;

	for (uint32_t i = 0; i < NETNS_SLOTS; i++) {
		struct ns_count *c = &ns[(h + i) % NETNS_SLOTS];

		if (c->used && c->inode == inode)
			return c;
		if (!c->used) {
			if (*nns >= NETNS_SEEN)
				return NULL;
			(*nns)++;
			c->used = true;
			c->inode = inode;
			return c;
		}
	}
	return NULL;
}

void metrics_netns(struct mw *w)
{
	struct ns_count *ns = calloc(NETNS_SLOTS + 1, sizeof(*ns)), *other;
	char raw[32], label[FMT_ESC_MAX(EVENT_NETNS_NAME_LEN)];
	int nns = 0;

	if (!ns) {
		w->b->oom = true;
		return;
	}
	other = &ns[NETNS_SLOTS];
	for (const struct sock_entry *e = table_first(w->a->model.table); e; e = table_next(e)) {
		struct ns_count *c;

		if ((e->flags & SOCK_CLOSED) || e->state >= METRICS_STATES)
			continue;
		c = ns_slot(ns, &nns, e->netns);
		if (!c)
			c = other;
		c->n[e->state]++;
		c->total++;
	}
	qsort(ns, NETNS_SLOTS, sizeof(ns[0]), ns_cmp); /* used ones first, biggest first */
	for (int i = NETNS_LABELLED; i < nns; i++)
		for (int s = 0; s < METRICS_STATES; s++)
			other->n[s] += ns[i].n[s];
	for (int i = 0; i < nns && i < NETNS_LABELLED; i++) {
		const char *name =
			ns[i].inode ? nsnames_label(&w->a->nsnames, ns[i].inode, raw, sizeof(raw)) :
				      "unknown";

		/* a /run/netns name is any file name: shown escaped, as everywhere */
		fmt_escape(label, sizeof(label), name, strlen(name), ESC_TEXT);
		ns_samples(w, &ns[i], label);
	}
	ns_samples(w, other, "other");
	free(ns);
}

void metrics_port_conns(struct mw *w)
{
	const struct metrics *m = w->m;
	uint64_t n[METRICS_MAX_PORTS] = { 0 };
	char port[8];

	for (const struct sock_entry *e = table_first(w->a->model.table); e; e = table_next(e))
		if (m->slot[e->lport] && e->state != TS_LISTEN && e->state != TS_UNKNOWN &&
		    !(e->flags & SOCK_CLOSED) &&
		    (e->flags & SOCK_PASSIVE || !(e->flags & SOCK_ACTIVE)))
			n[m->slot[e->lport] - 1]++;
	for (int i = 0; i < m->nports; i++) {
		mw_port_label(port, sizeof(port), m->ports[i].port);
		mw_sample(w, n[i], "port", port, NULL);
	}
}
