// SPDX-License-Identifier: GPL-2.0
/*
 * The gauges read from the socket table at each scrape: sockets by state
 * and family, by network namespace, by container, and open connections
 * per listening port. One walk over the table for them all (metrics_walk,
before the families are written); reads the model only
 * (the container names come through the Processes pane's cgroup cache).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "app.h"
#include "container.h"
#include "fmt.h"
#include "metrics_int.h"
#include "procs.h"
#include "table.h"

/* Sockets grouped by a key (a namespace's inode, a cgroup's id) in one
 * scrape: an open-addressed table of twice KEYS_SEEN slots; keys past
 * KEYS_SEEN count in the extra last slot, "other". Only the KEYS_LABELLED
 * groups with the most sockets get a label of their own. */
#define KEYS_SEEN 1024
#define KEYS_SLOTS (2 * KEYS_SEEN)
#define KEYS_LABELLED 32

struct key_count {
	uint64_t key;
	bool used;
	uint64_t total;
	uint64_t n[METRICS_STATES];
};

/* a group's label (raw bytes: key_samples escapes them) */
typedef const char *(*label_fn)(const struct key_count *c, void *ctx, char *buf, size_t n);

static int count_cmp(const void *x, const void *y)
{
	const struct key_count *a = x, *b = y;

	if (a->used != b->used)
		return a->used ? -1 : 1;
	if (a->total != b->total)
		return a->total < b->total ? 1 : -1;
	return (a->key > b->key) - (a->key < b->key);
}

static struct key_count *count_slot(struct key_count *kc, int *n, uint64_t key)
{
	uint64_t h = key * 0x9e3779b97f4a7c15ull;

	for (uint32_t i = 0; i < KEYS_SLOTS; i++) {
		struct key_count *c = &kc[(h + i) % KEYS_SLOTS];

		if (c->used && c->key == key)
			return c;
		if (!c->used) {
			if (*n >= KEYS_SEEN)
				return NULL;
			(*n)++;
			c->used = true;
			c->key = key;
			return c;
		}
	}
	return NULL;
}

static void add_counts(struct key_count *to, const struct key_count *from)
{
	for (int s = 0; s < METRICS_STATES; s++)
		to->n[s] += from->n[s];
	to->total += from->total;
}

struct table_walk {
	uint64_t sockets[METRICS_STATES][METRICS_FAMILIES];
	uint64_t port_conns[METRICS_MAX_PORTS];
	struct key_count *netns, *cgroups; /* KEYS_SLOTS + 1 each */
	int nnetns, ncgroups;
};

static void count_key(struct key_count *kc, int *n, uint64_t key, uint8_t state)
{
	struct key_count *c = count_slot(kc, n, key);

	if (!c)
		c = &kc[KEYS_SLOTS];
	c->n[state]++;
	c->total++;
}

/* Everything the table gauges need, in one walk over the table. */
int metrics_walk(struct mw *w)
{
	const struct metrics *m = w->m;
	struct table_walk *t = calloc(1, sizeof(*t));

	if (t) {
		t->netns = calloc(KEYS_SLOTS + 1, sizeof(*t->netns));
		t->cgroups = calloc(KEYS_SLOTS + 1, sizeof(*t->cgroups));
	}
	w->walk = t;
	if (!t || !t->netns || !t->cgroups)
		return -ENOMEM;
	for (const struct sock_entry *e = table_first(w->a->model.table); e; e = table_next(e)) {
		int fam = e->family == AF_INET ? 0 : e->family == AF_INET6 ? 1 : -1;

		/* closed ones linger for the UI: not sockets any more */
		if ((e->flags & SOCK_CLOSED) || e->state >= METRICS_STATES)
			continue;
		if (fam >= 0)
			t->sockets[e->state][fam]++;
		count_key(t->netns, &t->nnetns, e->netns, e->state);
		count_key(t->cgroups, &t->ncgroups, e->cgroup_id, e->state);
		/* a listener's accepted ends (or ends found on its port) */
		if (m->slot[e->lport] && e->state != TS_LISTEN && e->state != TS_UNKNOWN &&
		    (e->flags & SOCK_PASSIVE || !(e->flags & SOCK_ACTIVE)))
			t->port_conns[m->slot[e->lport] - 1]++;
	}
	return 0;
}

void metrics_walk_free(struct mw *w)
{
	if (w->walk) {
		free(w->walk->netns);
		free(w->walk->cgroups);
		free(w->walk);
		w->walk = NULL;
	}
}

void metrics_sockets(struct mw *w)
{
	const struct table_walk *t = w->walk;

	for (int s = TS_ESTABLISHED; s < METRICS_STATES; s++)
		for (int fam = 0; fam < METRICS_FAMILIES; fam++)
			if (s <= TS_CLOSING || t->sockets[s][fam])
				mw_sample(w, t->sockets[s][fam], "state",
					  tcp_state_name((uint8_t)s), "family", mw_family_name(fam),
					  NULL);
}

/* the biggest KEYS_LABELLED of n groups (sorted first) with their label,
 * the rest and the overflow slot as "other" */
static void key_samples(struct mw *w, struct key_count *kc, int n, const char *name, label_fn label,
			void *ctx)
{
	struct key_count *other = &kc[KEYS_SLOTS];
	char raw[CONTAINER_NAME_MAX + 32], esc[FMT_ESC_MAX(CONTAINER_NAME_MAX + 32)];

	qsort(kc, KEYS_SLOTS, sizeof(kc[0]), count_cmp); /* used first, biggest first */
	for (int i = KEYS_LABELLED; i < n; i++)
		add_counts(other, &kc[i]);
	for (int i = 0; i <= KEYS_LABELLED; i++) {
		const struct key_count *c = i < n && i < KEYS_LABELLED ? &kc[i] : other;
		const char *l = c == other ? "other" : label(c, ctx, raw, sizeof(raw));

		/* names come from file names and cgroup paths: escaped, as everywhere */
		fmt_escape(esc, sizeof(esc), l, strlen(l), ESC_TEXT);
		for (int s = TS_ESTABLISHED; s < METRICS_STATES; s++)
			if (c->n[s])
				mw_sample(w, c->n[s], name, esc, "state",
					  tcp_state_name((uint8_t)s), NULL);
		if (c == other)
			break;
	}
}

static const char *netns_label(const struct key_count *c, void *ctx, char *buf, size_t n)
{
	const struct mw *w = ctx;

	return c->key ? nsnames_label(&w->a->nsnames, (uint32_t)c->key, buf, n) : "unknown";
}

void metrics_netns(struct mw *w)
{
	key_samples(w, w->walk->netns, w->walk->nnetns, "netns", netns_label, w);
}

/* By container: the cgroups' names (the Processes pane's cache) told as
 * containers or services (container.h), groups of one name merged; a
 * merged group's key is its index in names. */
static const char *name_label(const struct key_count *c, void *ctx, char *buf, size_t n)
{
	const char(*names)[CONTAINER_NAME_MAX] = ctx;

	(void)buf;
	(void)n;
	return names[c->key][0] ? names[c->key] : "none";
}

void metrics_containers(struct mw *w)
{
	char(*names)[CONTAINER_NAME_MAX] = calloc(KEYS_SEEN, CONTAINER_NAME_MAX);
	struct key_count *kc = w->walk->cgroups,
			 *by_name = calloc(KEYS_SLOTS + 1, sizeof(*by_name));
	int nn = 0;

	if (!by_name || !names) {
		w->b->oom = true;
		goto out;
	}
	add_counts(&by_name[KEYS_SLOTS], &kc[KEYS_SLOTS]);
	for (int i = 0; i < KEYS_SLOTS; i++) {
		char name[CONTAINER_NAME_MAX];
		const char *path;
		int j;

		if (!kc[i].used)
			continue;
		path = kc[i].key > 1 && w->a->procs ? procs_cgroup_name(w->a->procs, kc[i].key) :
						      NULL;
		container_of_cgroup(path ? path : "", name, sizeof(name));
		for (j = 0; j < nn && strcmp(names[j], name); j++)
			;
		if (j == nn) { /* at most KEYS_SEEN cgroups, so names never overflow */
			by_name[nn].used = true;
			by_name[nn].key = (uint64_t)nn;
			memcpy(names[nn++], name, sizeof(name));
		}
		add_counts(&by_name[j], &kc[i]);
	}
	key_samples(w, by_name, nn, "container", name_label, names);
out:
	free(by_name);
	free(names);
}

void metrics_port_conns(struct mw *w)
{
	const struct metrics *m = w->m;
	char port[8];

	for (int i = 0; i < m->nports; i++) {
		mw_port_label(port, sizeof(port), m->ports[i].port);
		mw_sample(w, w->walk->port_conns[i], "port", port, NULL);
	}
}
