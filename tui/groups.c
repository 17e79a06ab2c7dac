// SPDX-License-Identifier: GPL-2.0
/*
 * Grouped counts: one pass over the table's sockets into the group rows
 * (found by an open-addressing index of row numbers), and a small hash
 * to count each group's distinct peers. The rows are rebuilt only when
 * the table, the grouping or the filter changed; they point nowhere into
 * the table.
 */
#include "groups.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <uthash.h>

#include "columns.h"
#include "filter.h"
#include "fmt.h"
#include "rows.h"
#include "sock_traffic.h"

struct group_key {
	uint32_t netns;
	uint16_t family, port;
	uint8_t addr[16];
};

_Static_assert(sizeof(struct group_key) == 3 * sizeof(uint64_t), "hashed as three words");

/* (group, peer address): seen once, counted once */
struct peer_node {
	struct {
		size_t row;
		uint16_t family;
		uint8_t addr[16];
	} key;
	UT_hash_handle hh;
};

struct groups {
	struct group_row *rows;
	size_t n, cap;
	bool built;
	enum group_by by;
	uint64_t gen, filter_gen;
	uint64_t builds;
	uint32_t pass; /* the traffic pull's, for the rates */
	int key_w;     /* the widest key cell of the rows */
	/* group key -> row: open addressing, at most half full; a slot is
	 * the key's hash's high half over the row number + 1 (0: empty), so
	 * a probe past another group reads no row and a lookup one word (a
	 * cache miss each: index and tags apart were two); no allocation a
	 * group (a million groups by remote address: 1.2 s with a uthash
	 * node each) */
	uint64_t *index;
	size_t icap;
	uint8_t listening[65536 / 8]; /* local ports some socket listens on */
};


struct groups *groups_new(void)
{
	return calloc(1, sizeof(struct groups));
}

void groups_free(struct groups *g)
{
	if (!g)
		return;
	free(g->rows);
	free(g->index);
	free(g);
}

const char *groups_by_name(enum group_by by)
{
	static const char *const names[GROUP_MAX] = {
		[GROUP_RADDR] = "remote address",
		[GROUP_RPORT] = "remote port",
		[GROUP_SERVICE] = "local service",
	};

	return by < GROUP_MAX ? names[by] : "?";
}

static bool port_listening(const struct groups *g, uint16_t port)
{
	return g->listening[port / 8] & (1u << (port % 8));
}

/* The group a socket counts in, false when it counts in none: remote
 * ports are those of connections this host made, services those of
 * connections made to it (its local port listens). */
static bool key_of(const struct groups *g, enum group_by by, const struct sock_entry *e,
		   struct group_key *k)
{
	bool passive = (e->flags & SOCK_PASSIVE) || port_listening(g, e->lport);

	memset(k, 0, sizeof(*k));
	k->netns = e->netns;
	k->family = e->family;
	switch (by) {
	case GROUP_RADDR: memcpy(k->addr, e->daddr, sizeof(k->addr)); return true;
	case GROUP_RPORT: k->port = e->rport; return !passive && e->rport;
	case GROUP_SERVICE: k->port = e->lport; return passive;
	default: return false;
	}
}

static uint64_t key_hash(const struct group_key *k)
{
	uint64_t w[3], h = 0;

	memcpy(w, k, sizeof(w));
	for (int i = 0; i < 3; i++)
		h = (h ^ w[i]) * 0x9E3779B97F4A7C15ULL;
	return h ^ (h >> 32);
}

static bool row_has_key(const struct group_row *r, const struct group_key *k)
{
	return r->netns == k->netns && r->family == k->family && r->port == k->port &&
	       !memcmp(r->addr, k->addr, sizeof(r->addr));
}

static void row_key(const struct group_row *r, struct group_key *k)
{
	memset(k, 0, sizeof(*k));
	k->netns = r->netns;
	k->family = r->family;
	k->port = r->port;
	memcpy(k->addr, r->addr, sizeof(k->addr));
}

/* Where key k is in the index, or the empty place it would go; *tag:
 * its hash's high half, for that place. */
static size_t index_place(const struct groups *g, const struct group_key *k, uint64_t *tag)
{
	uint64_t hash = key_hash(k);
	size_t h = (size_t)hash & (g->icap - 1);

	*tag = hash >> 32 << 32;
	for (;; h = (h + 1) & (g->icap - 1)) {
		uint64_t s = g->index[h];

		if (!s || ((s & ~0xffffffffULL) == *tag &&
			   row_has_key(&g->rows[(uint32_t)s - 1], k)))
			return h;
	}
}

/* Room for want rows at most half full; -ENOMEM. */
static int index_reserve(struct groups *g, size_t want)
{
	size_t cap = g->icap ? g->icap : 1024;
	uint64_t *old = g->index;

	if (2 * want <= g->icap)
		return 0;
	if (want >= UINT32_MAX)
		return -ENOMEM;
	while (cap < 2 * want)
		cap *= 2;
	g->index = calloc(cap, sizeof(*g->index));
	if (!g->index) {
		g->index = old;
		return -ENOMEM;
	}
	free(old);
	g->icap = cap;
	for (size_t i = 0; i < g->n; i++) {
		struct group_key k;
		uint64_t tag;
		size_t h;

		row_key(&g->rows[i], &k);
		h = index_place(g, &k, &tag);
		g->index[h] = tag | (uint32_t)(i + 1);
	}
	return 0;
}

/* Room for want rows; -ENOMEM. */
static int rows_reserve(struct groups *g, size_t want)
{
	size_t cap = g->cap ? g->cap : 256;
	struct group_row *n;

	if (want <= g->cap)
		return 0;
	while (cap < want)
		cap *= 2;
	n = realloc(g->rows, cap * sizeof(*n));
	if (!n)
		return -ENOMEM;
	g->rows = n;
	g->cap = cap;
	return 0;
}

static struct group_row *row_add(struct groups *g)
{
	if (g->n == g->cap && rows_reserve(g, g->n + 1))
		return NULL;
	memset(&g->rows[g->n], 0, sizeof(g->rows[0]));
	return &g->rows[g->n++];
}

static void add_traffic(const struct traffic_state *ts, struct group_row *r,
			const struct sock_entry *e)
{
	const struct sock_traffic *tr = entry_traffic(e);

	if (!traffic_known(tr))
		return;
	r->traffic = true;
	r->tx += tr->tx;
	r->rx += tr->rx;
	r->retrans += tr->retrans;
	if (ts) {
		r->tx_rate += traffic_tx_rate(ts, tr);
		r->rx_rate += traffic_rx_rate(ts, tr);
	}
}

static void find_listeners(struct groups *g, const struct table *t)
{
	memset(g->listening, 0, sizeof(g->listening));
	for (const struct sock_entry *e = table_first(t); e; e = table_next(e))
		if (e->state == TS_LISTEN)
			g->listening[e->lport / 8] |= (uint8_t)(1u << (e->lport % 8));
}

/* The listener's owner names a service row ("80 nginx"). */
static void service_names(struct groups *g, const struct table *t)
{
	for (const struct sock_entry *e = table_first(t); e && g->icap; e = table_next(e)) {
		struct group_key k = { .netns = e->netns, .family = e->family, .port = e->lport };
		uint64_t tag;
		uint32_t at;

		if (e->state != TS_LISTEN || !e->comm[0])
			continue;
		at = (uint32_t)g->index[index_place(g, &k, &tag)];
		if (at && !g->rows[at - 1].comm[0])
			memcpy(g->rows[at - 1].comm, e->comm, sizeof(e->comm));
	}
}

/* The row of group k, added (key filled in) when it is new; NULL: -ENOMEM. */
static struct group_row *group_of(struct groups *g, const struct group_key *k, size_t *row)
{
	struct group_row *r;
	uint64_t tag;
	size_t h;

	if (index_reserve(g, g->n + 1))
		return NULL;
	h = index_place(g, k, &tag);
	if (g->index[h]) {
		*row = (uint32_t)g->index[h] - 1;
		return &g->rows[*row];
	}
	r = row_add(g);
	if (!r)
		return NULL;
	*row = g->n - 1;
	g->index[h] = tag | (uint32_t)g->n;
	r->netns = k->netns;
	r->family = k->family;
	r->port = k->port;
	memcpy(r->addr, k->addr, sizeof(r->addr));
	if (g->by != GROUP_SERVICE) { /* a service's cell has its owner: known later */
		int w = groups_key_width(g->by, r, 1);

		if (w > g->key_w)
			g->key_w = w;
	}
	return r;
}

int groups_rebuild(struct groups *g, const struct table *t, const struct traffic_state *ts,
		   enum group_by by, const struct filter *f, uint64_t filter_gen)
{
	struct peer_node *peers = NULL, *p, *ptmp;
	bool filtering = f && filter_active(f);
	struct filter_subject subj;
	int err = 0;

	if (g->built && g->by == by && g->gen == table_generation(t) &&
	    g->filter_gen == filter_gen && (!ts || g->pass == ts->pass))
		return 0;
	g->built = true;
	g->builds++;
	g->by = by;
	g->gen = table_generation(t);
	g->filter_gen = filter_gen;
	g->pass = ts ? ts->pass : 0;
	g->n = 0;
	g->key_w = 0;
	if (g->index)
		memset(g->index, 0, g->icap * sizeof(*g->index));
	/* remote addresses can be as many as the sockets: the index made
	 * that big at once, not rehashed at every doubling on the way, each
	 * time reading every row again at random (1M sockets, 981k groups:
	 * the first build 500-550 -> 315-365 ms); it grows as needed if
	 * this fails */
	if (by == GROUP_RADDR) {
		index_reserve(g, table_count(t));
		rows_reserve(g, table_count(t));
	}
	else /* only ports ask whether they listen */
		find_listeners(g, t);
	for (const struct sock_entry *e = table_first(t); e && !err; e = table_next(e)) {
		struct group_key k;
		struct group_row *r;
		size_t row;

		if (e->state == TS_LISTEN || e->state == TS_CLOSE || (e->flags & SOCK_CLOSED) ||
		    !key_of(g, by, e, &k))
			continue;
		if (filtering) {
			rows_subject(e, &subj);
			if (!filter_match(f, &subj))
				continue;
		}
		r = group_of(g, &k, &row);
		if (!r) {
			err = -ENOMEM;
			break;
		}
		r->nsocks++;
		if (e->state < TS_MAX)
			r->by_state[e->state]++;
		add_traffic(ts, r, e);
		if (by != GROUP_RADDR) {
			struct peer_node pk;

			memset(&pk, 0, sizeof(pk));
			pk.key.row = row;
			pk.key.family = e->family;
			memcpy(pk.key.addr, e->daddr, sizeof(pk.key.addr));
			HASH_FIND(hh, peers, &pk.key, sizeof(pk.key), p);
			if (!p && (p = malloc(sizeof(*p)))) {
				memcpy(p, &pk, sizeof(*p)); /* the key's padding too */
				HASH_ADD(hh, peers, key, sizeof(p->key), p);
				r->peers++;
			}
		}
	}
	if (by == GROUP_SERVICE) {
		service_names(g, t);
		g->key_w = groups_key_width(by, g->rows, g->n);
	}
	HASH_ITER(hh, peers, p, ptmp) {
		HASH_DEL(peers, p);
		free(p);
	}
	return err;
}

const struct group_row *groups_rows(const struct groups *g, size_t *n)
{
	*n = g->n;
	return g->rows;
}

uint64_t groups_builds(const struct groups *g)
{
	return g->builds;
}

int groups_key_w(const struct groups *g)
{
	return g->key_w;
}

char *groups_filter_text(enum group_by by, const struct group_row *r, char *out, size_t outsz)
{
	char a[64], ns[24] = "";

	if (r->netns)
		snprintf(ns, sizeof(ns), "netns %u ", r->netns);
	switch (by) {
	case GROUP_RADDR:
		snprintf(out, outsz, "%sraddr %s", ns, fmt_addr(a, sizeof(a), r->family, r->addr));
		break;
	case GROUP_RPORT: snprintf(out, outsz, "%srport %u", ns, r->port); break;
	default: snprintf(out, outsz, "%slport %u", ns, r->port); break;
	}
	return out;
}
