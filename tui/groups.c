// SPDX-License-Identifier: GPL-2.0
/*
 * Grouped counts, kept up to date from the table's change log: each
 * socket remembers what it counts in (its row, state, traffic and peer,
 * in a map by entry address), and a socket the log names is taken out of
 * its row and counted again; the rest stay put. A new grouping, filter,
 * a log that overran or a listener that came or went count every socket
 * again, in slices of a time budget (groups_sync), the log read between
 * them, so a million sockets never cost one frame 0.6 s. Rows whose
 * sockets all left stay, empty, until so many have that a count from
 * scratch is cheaper; rows point nowhere into the table.
 */
#include "groups.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

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

/* What one socket counts in now. */
struct gent {
	uint32_t row;  /* row + 1; 0: counted nowhere */
	uint32_t tr;   /* its traffic in g->tr, + 1; 0: none counted */
	uint32_t peer; /* its (row, peer address) in g->peer, + 1; 0: none */
	uint8_t state; /* counted in by_state */
	uint8_t flags; /* GE_* */
};

#define GE_LIVE 1     /* the log's last word on the entry: it is live */
#define GE_DIRTY 2    /* on the dirty list: to be counted again */
#define GE_LISTENER 4 /* a listener whose port is counted as listening */

/* entry handle (table_entry_handle) -> gent: open addressing, linear
 * probing, deleted by shifting back (no tombstones); key and value side
 * by side, a cache miss a lookup, not two */
struct eslot {
	uint64_t key;		    /* the handle; 0: empty */
	const struct sock_entry *e; /* its address, as its last record said */
	struct gent v;
};

struct emap {
	struct eslot *s;
	uint32_t cap, n;
};

/* A socket's traffic as counted in its row, to take out again. */
struct gtraffic {
	uint64_t tx, rx, tx_rate, rx_rate, retrans;
};

/* A (row, peer address) pair and how many sockets of the row have it. */
struct gpeer {
	uint32_t row; /* a free one's: the next free + 1 */
	uint16_t family, pad;
	uint8_t addr[16];
	uint32_t count;
};

_Static_assert(offsetof(struct gpeer, count) == 3 * sizeof(uint64_t), "key hashed as three words");

/* A listener, for the service rows' names. */
struct glistener {
	uint64_t serial;
	uint32_t netns;
	uint16_t family, port;
	char comm[EVENT_COMM_LEN];
};

/* sockets gathered in the slice that asks for a count (about 1 ms);
 * more: in a slice of their own (a million: 15-25 ms) */
#define GATHER_AT_ONCE 65536

enum gphase { GP_NONE, GP_GATHER, GP_LISTEN, GP_COUNT, GP_READY };

struct groups {
	struct group_row *rows;
	size_t n, cap;
	size_t nempty; /* rows with no socket */
	enum group_by by;
	uint64_t filter_gen;
	struct filter *filter; /* a copy of the one counted with */
	const struct table *t;
	uint64_t builds; /* moves whenever a sum does */
	uint64_t counts; /* counts from scratch started */
	enum gphase phase;
	bool restart; /* a listener changed: count again */
	/* the log read up to, and its touches then */
	uint64_t seq, touches, movers_dropped;
	/* a count from scratch: the live entries when it began, and how far */
	const struct sock_entry **gath;
	uint32_t *ghandle; /* their handles, as gathered */
	uint32_t ngath, gat;
	/* entries the log named, to count again (handles) */
	uint64_t *dirty;
	uint32_t ndirty, dirty_cap;
	struct emap map;
	struct gtraffic *tr; /* pool; a free one's tx is the next free + 1 */
	uint32_t ntr, tr_cap, tr_free;
	/* (row, peer) pairs: pool, and their index (hash's high half over
	 * the pair + 1, as the rows' index) */
	struct gpeer *peer;
	uint32_t npeer, peer_cap, peer_free;
	uint64_t *pindex;
	size_t picap, pin;
	struct glistener *lst;
	uint32_t nlst, lst_cap;
	/* rows whose sums moved since groups_changes() was last asked */
	uint32_t *chg;
	uint8_t *rchg; /* by row: on chg */
	size_t nchg;
	bool chg_all;	     /* too many, or a new count: every row */
	uint32_t wcount[64]; /* non-empty rows by key cell width */
	/* group key -> row: open addressing, at most half full; a slot is
	 * the key's hash's high half over the row number + 1 (0: empty), so
	 * a probe past another group reads no row and a lookup one word (a
	 * cache miss each: index and tags apart were two); no allocation a
	 * group (a million groups by remote address: 1.2 s with a uthash
	 * node each) */
	uint64_t *index;
	size_t icap;
	uint32_t *lcount; /* listeners by local port (65536; by port only) */
};

struct groups *groups_new(void)
{
	return calloc(1, sizeof(struct groups));
}

static void emap_free(struct emap *m)
{
	free(m->s);
	*m = (struct emap){ 0 };
}

void groups_free(struct groups *g)
{
	if (!g)
		return;
	free(g->rows);
	free(g->index);
	free(g->gath);
	free(g->ghandle);
	free(g->dirty);
	emap_free(&g->map);
	free(g->tr);
	free(g->peer);
	free(g->pindex);
	free(g->lst);
	free(g->chg);
	free(g->rchg);
	free(g->lcount);
	free(g->filter);
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

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* ---- the entry map ---------------------------------------------------- */

static uint32_t addr_hash(uint64_t a)
{
	a ^= a >> 29;
	a *= 0xBF58476D1CE4E5B9ULL;
	return (uint32_t)(a >> 32);
}

static uint32_t emap_find(const struct emap *m, uint32_t handle)
{
	uint64_t k = handle;

	if (!m->cap)
		return UINT32_MAX;
	for (uint32_t h = addr_hash(k) & (m->cap - 1);; h = (h + 1) & (m->cap - 1)) {
		if (m->s[h].key == k)
			return h;
		if (!m->s[h].key)
			return UINT32_MAX;
	}
}

static int emap_grow(struct emap *m, uint32_t want)
{
	struct emap nm = { 0 };
	uint32_t cap = m->cap ? m->cap : 1024;

	if (2ULL * want <= m->cap)
		return 0;
	while (cap < 2ULL * want) {
		if (cap >= 1u << 31)
			return -ENOMEM;
		cap *= 2;
	}
	nm.s = calloc(cap, sizeof(*nm.s));
	if (!nm.s)
		return -ENOMEM;
	nm.cap = cap;
	nm.n = m->n;
	for (uint32_t i = 0; i < m->cap; i++) {
		uint32_t h;

		if (!m->s[i].key)
			continue;
		for (h = addr_hash(m->s[i].key) & (cap - 1); nm.s[h].key; h = (h + 1) & (cap - 1))
			;
		nm.s[h] = m->s[i];
	}
	emap_free(m);
	*m = nm;
	return 0;
}

/* handle's place, added (all zero) when new (*added); UINT32_MAX: no memory */
static uint32_t emap_get(struct emap *m, uint32_t handle, bool *added)
{
	uint64_t k = handle;
	uint32_t h;

	*added = false;
	if (emap_grow(m, m->n + 1))
		return UINT32_MAX;
	for (h = addr_hash(k) & (m->cap - 1); m->s[h].key; h = (h + 1) & (m->cap - 1))
		if (m->s[h].key == k)
			return h;
	m->s[h] = (struct eslot){ .key = k };
	m->n++;
	*added = true;
	return h;
}

/* Slot h out; the slots after it that probed past it move back. */
static void emap_del(struct emap *m, uint32_t h)
{
	uint32_t mask = m->cap - 1, j = h;

	for (;;) {
		j = (j + 1) & mask;
		if (!m->s[j].key)
			break;
		/* j's key may fill h when its home is not in (h, j] */
		uint32_t home = addr_hash(m->s[j].key) & mask;

		if ((j > h && (home <= h || home > j)) || (j < h && home <= h && home > j)) {
			m->s[h] = m->s[j];
			h = j;
		}
	}
	m->s[h].key = 0;
	m->n--;
}

/* ---- rows and their index --------------------------------------------- */

static bool port_listening(const struct groups *g, uint16_t port)
{
	return g->lcount && g->lcount[port];
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

static uint64_t words_hash(const void *p)
{
	uint64_t w[3], h = 0;

	memcpy(w, p, sizeof(w));
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
	uint64_t hash = words_hash(k);
	size_t h = (size_t)hash & (g->icap - 1);

	*tag = hash >> 32 << 32;
	for (;; h = (h + 1) & (g->icap - 1)) {
		uint64_t s = g->index[h];

		if (!s ||
		    ((s & ~0xffffffffULL) == *tag && row_has_key(&g->rows[(uint32_t)s - 1], k)))
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

/* Room for want rows (and their change marks); -ENOMEM. */
static int rows_reserve(struct groups *g, size_t want)
{
	size_t cap = g->cap ? g->cap : 256;
	struct group_row *n;
	uint8_t *c;

	if (want <= g->cap)
		return 0;
	while (cap < want)
		cap *= 2;
	n = realloc(g->rows, cap * sizeof(*n));
	if (!n)
		return -ENOMEM;
	g->rows = n;
	c = realloc(g->rchg, cap);
	if (!c)
		return -ENOMEM;
	memset(c + g->cap, 0, cap - g->cap);
	g->rchg = c;
	g->cap = cap;
	return 0;
}

/* Row r's sums moved: for groups_changes(). */
static void row_changed(struct groups *g, size_t r)
{
	if (g->chg_all || g->rchg[r])
		return;
	if (g->nchg == g->n / 4 + 1024) { /* most rows: sort them all again */
		g->chg_all = true;
		return;
	}
	if (!(g->nchg & 1023)) {
		uint32_t *c = realloc(g->chg, (g->nchg + 1024) * sizeof(*c));

		if (!c) {
			g->chg_all = true;
			return;
		}
		g->chg = c;
	}
	g->rchg[r] = 1;
	g->chg[g->nchg++] = (uint32_t)r;
}

static int key_width(const struct groups *g, const struct group_row *r)
{
	int w = groups_key_width(g->by, r, 1);

	return w < 63 ? w : 63;
}

/* The row of group k, added (key and name filled in) when it is new;
 * NULL: -ENOMEM. */
static struct group_row *group_of(struct groups *g, const struct group_key *k, size_t *row)
{
	struct group_row *r;
	uint64_t tag, best = UINT64_MAX;
	size_t h;

	if (index_reserve(g, g->n + 1) || rows_reserve(g, g->n + 1))
		return NULL;
	h = index_place(g, k, &tag);
	if (g->index[h]) {
		*row = (uint32_t)g->index[h] - 1;
		return &g->rows[*row];
	}
	r = &g->rows[g->n];
	memset(r, 0, sizeof(*r));
	g->rchg[g->n] = 0;
	*row = g->n++;
	g->nempty++;
	g->index[h] = tag | (uint32_t)g->n;
	r->netns = k->netns;
	r->family = k->family;
	r->port = k->port;
	memcpy(r->addr, k->addr, sizeof(r->addr));
	/* a service is named by its oldest listener with a name ("80 nginx") */
	for (uint32_t i = 0; g->by == GROUP_SERVICE && i < g->nlst; i++) {
		const struct glistener *l = &g->lst[i];

		if (l->netns == k->netns && l->family == k->family && l->port == k->port &&
		    l->serial < best) {
			best = l->serial;
			memcpy(r->comm, l->comm, sizeof(r->comm));
		}
	}
	return r;
}

/* ---- peers --------------------------------------------------------------- */

static size_t peer_place(const struct groups *g, const struct gpeer *k, uint64_t *tag)
{
	uint64_t hash = words_hash(k);
	size_t h = (size_t)(hash >> 32) & (g->picap - 1);

	*tag = hash >> 32 << 32;
	for (;; h = (h + 1) & (g->picap - 1)) {
		uint64_t s = g->pindex[h];
		const struct gpeer *p;

		if (!s)
			return h;
		p = &g->peer[(uint32_t)s - 1];
		if ((s & ~0xffffffffULL) == *tag && p->row == k->row && p->family == k->family &&
		    !memcmp(p->addr, k->addr, sizeof(p->addr)))
			return h;
	}
}

static int peer_reserve(struct groups *g)
{
	size_t cap = g->picap ? g->picap : 1024, old_cap = g->picap;
	uint64_t *old = g->pindex;

	if (g->npeer == g->peer_cap) {
		uint32_t pc = g->peer_cap ? 2 * g->peer_cap : 1024;
		struct gpeer *p = realloc(g->peer, pc * sizeof(*p));

		if (!p)
			return -ENOMEM;
		g->peer = p;
		g->peer_cap = pc;
	}
	if (2 * (g->pin + 1) <= g->picap)
		return 0;
	while (cap < 2 * (g->pin + 1))
		cap *= 2;
	g->pindex = calloc(cap, sizeof(*g->pindex));
	if (!g->pindex) {
		g->pindex = old;
		return -ENOMEM;
	}
	g->picap = cap;
	for (size_t i = 0; i < old_cap; i++) {
		uint64_t tag;
		size_t h;

		if (!old[i])
			continue;
		h = peer_place(g, &g->peer[(uint32_t)old[i] - 1], &tag);
		g->pindex[h] = old[i];
	}
	free(old);
	return 0;
}

/* One more socket of row with this peer: its pair + 1, 0 on -ENOMEM. */
static uint32_t peer_add(struct groups *g, uint32_t row, const struct sock_entry *e)
{
	struct gpeer k = { .row = row, .family = e->family };
	uint64_t tag;
	uint32_t id;
	size_t h;

	memcpy(k.addr, e->daddr, sizeof(k.addr));
	if (peer_reserve(g))
		return 0;
	h = peer_place(g, &k, &tag);
	if (g->pindex[h]) {
		id = (uint32_t)g->pindex[h] - 1;
		g->peer[id].count++;
		return id + 1;
	}
	if (g->peer_free) {
		id = g->peer_free - 1;
		g->peer_free = g->peer[id].row;
	} else {
		id = g->npeer++;
	}
	k.count = 1;
	g->peer[id] = k;
	g->pindex[h] = tag | (id + 1);
	g->pin++;
	g->rows[row].peers++;
	return id + 1;
}

/* One socket fewer with pair id + 1; the pair goes with its last. */
static void peer_drop(struct groups *g, uint32_t id1)
{
	struct gpeer *p = &g->peer[id1 - 1];
	size_t mask = g->picap - 1, h, j;
	uint64_t tag;

	if (--p->count)
		return;
	g->rows[p->row].peers--;
	h = peer_place(g, p, &tag);
	/* shift back what probed past it (home: the hash's high half) */
	for (j = h;;) {
		size_t home;

		j = (j + 1) & mask;
		if (!g->pindex[j])
			break;
		home = (size_t)(g->pindex[j] >> 32) & mask;
		if ((j > h && (home <= h || home > j)) || (j < h && home <= h && home > j)) {
			g->pindex[h] = g->pindex[j];
			h = j;
		}
	}
	g->pindex[h] = 0;
	g->pin--;
	p->row = g->peer_free;
	g->peer_free = id1;
}

/* ---- counting a socket in and out --------------------------------------- */

static uint32_t traffic_take(struct groups *g)
{
	uint32_t id;

	if (g->tr_free) {
		id = g->tr_free - 1;
		g->tr_free = (uint32_t)g->tr[id].tx;
		return id + 1;
	}
	if (g->ntr == g->tr_cap) {
		uint32_t cap = g->tr_cap ? 2 * g->tr_cap : 1024;
		struct gtraffic *n = realloc(g->tr, cap * sizeof(*n));

		if (!n)
			return 0;
		g->tr = n;
		g->tr_cap = cap;
	}
	return ++g->ntr;
}

static void row_filled(struct groups *g, struct group_row *r, int delta)
{
	uint32_t *w = &g->wcount[key_width(g, r)];

	*w += (uint32_t)delta;
	g->nempty -= (size_t)delta;
}

/* What x counts in, out of its row. */
static void uncount(struct groups *g, struct gent *x)
{
	struct group_row *r;

	if (!x->row)
		return;
	r = &g->rows[x->row - 1];
	r->nsocks--;
	if (x->state < TS_MAX)
		r->by_state[x->state]--;
	if (x->tr) {
		struct gtraffic *c = &g->tr[x->tr - 1];

		r->tx -= c->tx;
		r->rx -= c->rx;
		r->tx_rate -= c->tx_rate;
		r->rx_rate -= c->rx_rate;
		r->retrans -= c->retrans;
		r->traffic = --r->ntraffic > 0;
		c->tx = g->tr_free;
		g->tr_free = x->tr;
	}
	if (x->peer)
		peer_drop(g, x->peer);
	if (!r->nsocks)
		row_filled(g, r, -1);
	row_changed(g, x->row - 1);
	g->builds++;
	x->row = x->tr = x->peer = 0;
}

/* Live entry e into its row, as x; 0, or -ENOMEM. */
static int count(struct groups *g, const struct filter *f, const struct traffic_state *ts,
		 const struct sock_entry *e, struct gent *x)
{
	const struct sock_traffic *tr = entry_traffic(e);
	struct filter_subject subj;
	struct group_key k;
	struct group_row *r;
	size_t row;

	if (e->state == TS_LISTEN || e->state == TS_CLOSE || (e->flags & SOCK_CLOSED) ||
	    !key_of(g, g->by, e, &k))
		return 0;
	if (f && filter_active(f)) {
		rows_subject(g->t, e, &subj);
		if (!filter_match(f, &subj))
			return 0;
	}
	r = group_of(g, &k, &row);
	if (!r)
		return -ENOMEM;
	if (!r->nsocks)
		row_filled(g, r, 1);
	r->nsocks++;
	x->row = (uint32_t)row + 1;
	x->state = e->state;
	if (e->state < TS_MAX)
		r->by_state[e->state]++;
	if (traffic_known(tr) && (x->tr = traffic_take(g))) {
		struct gtraffic *c = &g->tr[x->tr - 1];

		c->tx = tr->tx;
		c->rx = tr->rx;
		c->retrans = tr->retrans;
		c->tx_rate = ts ? traffic_tx_rate(ts, tr) : 0;
		c->rx_rate = ts ? traffic_rx_rate(ts, tr) : 0;
		r->tx += c->tx;
		r->rx += c->rx;
		r->retrans += c->retrans;
		r->tx_rate += c->tx_rate;
		r->rx_rate += c->rx_rate;
		r->ntraffic++;
		r->traffic = true;
	} else if (traffic_known(tr)) {
		return -ENOMEM;
	}
	if (g->by != GROUP_RADDR && !(x->peer = peer_add(g, (uint32_t)row, e)))
		return -ENOMEM;
	row_changed(g, row);
	g->builds++;
	return 0;
}

/* ---- the log, the dirty list, a count from scratch ---------------------- */

static int dirty_push(struct groups *g, uint64_t addr)
{
	if (g->ndirty == g->dirty_cap) {
		uint32_t cap = g->dirty_cap ? 2 * g->dirty_cap : 1024;
		uint64_t *d = realloc(g->dirty, cap * sizeof(*d));

		if (!d)
			return -ENOMEM;
		g->dirty = d;
		g->dirty_cap = cap;
	}
	g->dirty[g->ndirty++] = addr;
	return 0;
}

/* The log since the last read, into the dirty list: 0, 1 when it
 * overran (count again), -ENOMEM. */
static int read_log(struct groups *g, const struct table *t)
{
	uint64_t end = table_log_seq(t);

	if (g->seq < table_log_start(t) || end < g->seq)
		return 1;
	if (emap_grow(&g->map, g->map.n + (uint32_t)(end - g->seq)))
		return -ENOMEM;
	for (; g->seq < end; g->seq++) {
		struct table_change c;
		uint32_t h;
		struct gent *x;
		bool added;

		if (!table_log_get(t, g->seq, &c))
			return 1;
		h = emap_get(&g->map, c.h, &added);
		if (h == UINT32_MAX)
			return -ENOMEM;
		g->map.s[h].e = c.e; /* where it is now; stale, even NULL, once freed */
		x = &g->map.s[h].v;
		if ((x->flags & GE_LISTENER) && g->by != GROUP_RADDR)
			g->restart = true; /* a listener closed or changed */
		if (c.kind == TC_BORN || c.kind == TC_CHANGED)
			x->flags |= GE_LIVE;
		else
			x->flags &= (uint8_t)~GE_LIVE;
		if (!(x->flags & GE_DIRTY)) {
			if (dirty_push(g, c.h))
				return -ENOMEM;
			x->flags |= GE_DIRTY;
		}
	}
	return 0;
}

/* The entry of handle hd, which the log named, counted again. 0, -ENOMEM. */
static int recount(struct groups *g, const struct table *t, const struct filter *f,
		   const struct traffic_state *ts, uint64_t hd)
{
	uint32_t h = emap_find(&g->map, (uint32_t)hd);
	const struct sock_entry *e;
	struct gent *x;
	int err = 0;

	if (h == UINT32_MAX)
		return 0;
	e = g->map.s[h].e;
	x = &g->map.s[h].v;
	x->flags &= (uint8_t)~GE_DIRTY;
	uncount(g, x);
	/* live by the log, and still the live entry of its address (not one
	 * kept in the history): only then is it read */
	if ((x->flags & GE_LIVE) && e && table_find(t, e->skaddr) == e) {
		if (e->state == TS_LISTEN && g->by != GROUP_RADDR)
			g->restart = true; /* a new listener */
		else
			err = count(g, f, ts, e, x);
	}
	/* while a count from scratch runs, an entry the log named stays
	 * (its place says: not to be counted from the live list) */
	if (!x->row && g->phase == GP_READY)
		emap_del(&g->map, h);
	return err;
}

static void reset(struct groups *g)
{
	g->n = g->nempty = 0;
	if (g->index)
		memset(g->index, 0, g->icap * sizeof(*g->index));
	if (g->pindex)
		memset(g->pindex, 0, g->picap * sizeof(*g->pindex));
	g->npeer = g->peer_free = 0;
	g->pin = 0;
	g->ntr = g->tr_free = 0;
	g->nlst = 0;
	g->ndirty = 0;
	g->nchg = 0;
	g->chg_all = true;
	memset(g->wcount, 0, sizeof(g->wcount));
	if (g->map.cap) {
		memset(g->map.s, 0, g->map.cap * sizeof(*g->map.s));
		g->map.n = 0;
	}
	if (g->lcount)
		memset(g->lcount, 0, 65536 * sizeof(*g->lcount));
}

/* A count from scratch begins (its first slice gathers: a frame that
 * asks for it, after a key, pays nothing of it): the log from now on. */
static void start(struct groups *g, const struct table *t, const struct traffic_state *ts,
		  enum group_by by, const struct filter *f, uint64_t filter_gen)
{
	g->by = by;
	g->filter_gen = filter_gen;
	g->t = t;
	g->counts++;
	g->builds++;
	g->seq = table_log_seq(t);
	g->touches = table_log_touches(t);
	g->movers_dropped = ts ? ts->movers_dropped : 0;
	g->restart = false;
	g->phase = GP_GATHER;
	if (g->filter) {
		if (f)
			memcpy(g->filter, f, sizeof(*f));
		else
			memset(g->filter, 0, sizeof(*g->filter));
	}
}

/* Its first slice: everything counted so far dropped, the live entries
 * gathered. 0, -ENOMEM. */
static int gather(struct groups *g, const struct table *t, const struct filter *f)
{
	uint32_t want = table_count(t);

	reset(g);
	g->ndirty = 0; /* all of it is counted now */
	if (!g->filter && !(g->filter = calloc(1, sizeof(*g->filter))))
		return -ENOMEM;
	if (f)
		memcpy(g->filter, f, sizeof(*f));
	free(g->gath);
	free(g->ghandle);
	g->gath = malloc(((size_t)want + 1) * sizeof(*g->gath));
	g->ghandle = malloc(((size_t)want + 1) * sizeof(*g->ghandle));
	if (!g->gath || !g->ghandle)
		return -ENOMEM;
	/* in the live list's order, which is the entries' in memory mostly
	 * (the index's is at random: a cache miss an entry, the count 0.7-0.9
	 * s instead of 0.4) */
	g->ngath = 0;
	for (const struct sock_entry *e = table_first(t); e && g->ngath < want; e = table_next(e)) {
		g->ghandle[g->ngath] = table_entry_handle(t, e);
		g->gath[g->ngath++] = e;
	}
	g->gat = 0;
	if (g->by != GROUP_RADDR && !g->lcount && !(g->lcount = calloc(65536, sizeof(*g->lcount))))
		return -ENOMEM;
	/* remote addresses can be as many as the sockets: room made at once,
	 * not at every doubling on the way, each time reading every row
	 * again at random (the first count 500-550 -> 315-365 ms) */
	if (g->by == GROUP_RADDR &&
	    (index_reserve(g, want) || rows_reserve(g, want) || emap_grow(&g->map, want)))
		return -ENOMEM;
	g->phase = g->by == GROUP_RADDR ? GP_COUNT : GP_LISTEN;
	return 0;
}

/* A gathered listener: its port listens, its name may name a service. */
static int listener(struct groups *g, const struct sock_entry *e, uint32_t handle)
{
	bool added;
	uint32_t h = emap_get(&g->map, handle, &added);

	if (h == UINT32_MAX)
		return -ENOMEM;
	g->map.s[h].e = e;
	g->map.s[h].v.flags = GE_LIVE | GE_LISTENER;
	g->lcount[e->lport]++;
	if (!entry_comm(g->t, e)[0])
		return 0;
	if (g->nlst == g->lst_cap) {
		uint32_t cap = g->lst_cap ? 2 * g->lst_cap : 64;
		struct glistener *n = realloc(g->lst, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		g->lst = n;
		g->lst_cap = cap;
	}
	g->lst[g->nlst] = (struct glistener){ e->serial, e->netns, e->family, e->lport, { 0 } };
	memcpy(g->lst[g->nlst++].comm, entry_comm(g->t, e), sizeof(g->lst[0].comm));
	return 0;
}

/* Work on until done or out of time: 1 done, 0 not yet, -ENOMEM. */
static int work(struct groups *g, const struct table *t, const struct filter *f,
		const struct traffic_state *ts, uint64_t deadline)
{
	int err = 0;

	for (uint32_t k = 0; !err && !g->restart; k++) {
		if (k && !(k & 255) && deadline && now_ns() >= deadline)
			return 0; /* 256 a slice at least: a budget too small still moves on */
		uint32_t hd;

		if (g->phase == GP_GATHER) {
			err = gather(g, t, f);
			if (!err && deadline && g->ngath > GATHER_AT_ONCE)
				return 0; /* a slice of its own */
		} else if (g->phase == GP_LISTEN) {
			const struct sock_entry *e;

			if (g->gat == g->ngath) {
				g->phase = GP_COUNT;
				g->gat = 0;
				continue;
			}
			/* one the log named since is the dirty list's (and may be
			 * gone): read only the others */
			e = g->gath[g->gat++];
			hd = g->ghandle[g->gat - 1];
			if (emap_find(&g->map, hd) == UINT32_MAX && e->state == TS_LISTEN)
				err = listener(g, e, hd);
		} else if (g->ndirty) {
			err = recount(g, t, f, ts, g->dirty[--g->ndirty]);
		} else if (g->phase == GP_COUNT && g->gat < g->ngath) {
			const struct sock_entry *e = g->gath[g->gat];
			bool added;
			uint32_t h = emap_get(&g->map, g->ghandle[g->gat++], &added);

			/* one the log named since is the dirty list's (and may be
			 * gone: not read), a listener is in the map already */
			if (h == UINT32_MAX)
				return -ENOMEM;
			if (!added)
				continue;
			g->map.s[h].e = e;
			g->map.s[h].v.flags = GE_LIVE;
			if (e->state != TS_LISTEN)
				err = count(g, f, ts, e, &g->map.s[h].v);
			if (!g->map.s[h].v.row)
				emap_del(&g->map, h); /* not counted: nothing to take out */
		} else {
			if (g->phase == GP_COUNT) {
				free(g->gath);
				free(g->ghandle);
				g->gath = NULL;
				g->ghandle = NULL;
				g->ngath = g->gat = 0;
				g->phase = GP_READY;
			}
			return 1;
		}
	}
	return err;
}

int groups_sync(struct groups *g, const struct table *t, const struct traffic_state *ts,
		enum group_by by, const struct filter *f, uint64_t filter_gen, uint64_t budget_ns)
{
	uint64_t deadline = budget_ns ? now_ns() + budget_ns : 0;
	int rc;

	/* a filter_gen that moved for something else: the same filter */
	if (g->filter_gen != filter_gen && g->filter && g->phase != GP_GATHER &&
	    (f ? !memcmp(g->filter, f, sizeof(*f)) : !filter_active(g->filter)))
		g->filter_gen = filter_gen;
	for (int round = 0; round < 8; round++) {
		bool again = g->phase == GP_NONE || g->restart || g->by != by ||
			     g->filter_gen != filter_gen || g->t != t ||
			     g->touches != table_log_touches(t) ||
			     (ts && ts->movers_dropped != g->movers_dropped) ||
			     (g->phase == GP_READY && g->nempty > 4096 && g->nempty > g->n / 2);

		if (!again) {
			rc = read_log(g, t);
			if (rc < 0)
				return rc;
			again = rc > 0;
		}
		if (again) {
			start(g, t, ts, by, f, filter_gen);
			if (budget_ns && table_count(t) > GATHER_AT_ONCE)
				return 0; /* the gathering: the next slice's */
		}
		rc = work(g, t, f, ts, deadline);
		if (rc < 0 || (!g->restart && !rc))
			return rc;
		if (!g->restart && rc == 1)
			return 1;
	}
	return 0;
}

int groups_rebuild(struct groups *g, const struct table *t, const struct traffic_state *ts,
		   enum group_by by, const struct filter *f, uint64_t filter_gen)
{
	int rc = groups_sync(g, t, ts, by, f, filter_gen, 0);

	return rc < 0 ? rc : 0;
}

bool groups_counting(const struct groups *g, size_t *done, size_t *of)
{
	*done = g->phase == GP_COUNT ? g->gat : 0;
	*of = g->ngath;
	return g->phase != GP_READY;
}

const struct group_row *groups_rows(const struct groups *g, size_t *n)
{
	*n = g->n;
	return g->rows;
}

size_t groups_shown(const struct groups *g)
{
	return g->n - g->nempty;
}

uint64_t groups_builds(const struct groups *g)
{
	return g->builds;
}

uint64_t groups_counts(const struct groups *g)
{
	return g->counts;
}

const uint32_t *groups_changes(struct groups *g, size_t *n, bool *all)
{
	*all = g->chg_all;
	*n = g->nchg;
	return g->chg;
}

void groups_changes_taken(struct groups *g)
{
	for (size_t i = 0; i < g->nchg; i++)
		g->rchg[g->chg[i]] = 0;
	g->nchg = 0;
	g->chg_all = false;
}

int groups_key_w(const struct groups *g)
{
	for (int w = 63; w > 0; w--)
		if (g->wcount[w])
			return w;
	return 0;
}

bool groups_find(const struct groups *g, const struct group_row *key, size_t *row)
{
	struct group_key k;
	uint64_t tag;
	uint64_t s;

	if (!g->icap)
		return false;
	row_key(key, &k);
	s = g->index[index_place(g, &k, &tag)];
	if (!s || !g->rows[(uint32_t)s - 1].nsocks)
		return false;
	*row = (uint32_t)s - 1;
	return true;
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
