// SPDX-License-Identifier: GPL-2.0
/*
 * The socket table. Owns every sock_entry: live ones in an index keyed by
 * skaddr (entry_index.h) and a list in the order they came, finished ones
 * in a bounded ring (newest first). Applies state events, retires a
 * lifecycle when its skaddr starts a new one, moves closed entries to
 * history after a linger. A closed entry whose skaddr
 * the kernel hands to a new socket while it lingers (the slab reuses
 * freed sockets at once) stays for the rest of its linger under the key
 * ~serial, which no kernel address takes. Never reads a clock.
 */
#include "table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "comms.h"
#include "entry_index.h"
#include "slab.h"
#include "tw_index.h"

struct table {
	/* the live entries by key (sock_hkey), and in a list oldest first */
	struct entry_index live;
	struct sock_entry *live_head, *live_tail;
	/* TIME_WAIT entries by netns and 4-tuple, and in a queue oldest
	 * first (through their expiry links: such an entry is not closed) */
	struct tw_index tw;
	struct sock_entry *tw_head, *tw_tail;
	uint32_t nlive;
	struct sock_entry **hist;	/* ring of finished entries */
	uint32_t hist_head;		/* next slot to write */
	uint32_t nhist;
	struct table_limits lim;
	struct table_stats st;
	uint64_t serial;
	uint64_t gen;
	uint32_t by_state[TS_MAX];
	struct sock_entry *exp_head, *exp_tail; /* closed, by sock_closed_ns */
	/* ring of TABLE_LOG_SIZE records, each an entry's handle with its
	 * kind above: 8 bytes, not 16 */
	uint64_t *log;
	uint64_t log_seq, log_start, log_touches;
	/* Entries and the usual transition lists (TABLE_TRANS_FIRST, _LIFE)
	 * in slabs: no malloc header each (8 bytes an entry, 16 a list), and
	 * at full churn a socket is born and one retired for every
	 * connection, each closed lifecycle filling two lists: malloc and
	 * free of those were a tenth of the stream's CPU. */
	struct slab entries;
	struct slab trans[2];
	/* the sockets' counters: 64 bytes, not 80 with malloc's header */
	struct slab traffic;
	struct comms comms; /* the transitions' task names (16-bit ids) */
	struct comms names; /* the sockets' and their holders' */
};

static const char *const state_names[TS_MAX] = {
	[TS_UNKNOWN] = "UNKNOWN",	[TS_ESTABLISHED] = "ESTABLISHED",
	[TS_SYN_SENT] = "SYN_SENT",	[TS_SYN_RECV] = "SYN_RECV",
	[TS_FIN_WAIT1] = "FIN_WAIT1",	[TS_FIN_WAIT2] = "FIN_WAIT2",
	[TS_TIME_WAIT] = "TIME_WAIT",	[TS_CLOSE] = "CLOSE",
	[TS_CLOSE_WAIT] = "CLOSE_WAIT", [TS_LAST_ACK] = "LAST_ACK",
	[TS_LISTEN] = "LISTEN",		[TS_CLOSING] = "CLOSING",
	[TS_NEW_SYN_RECV] = "NEW_SYN_RECV",
};

const char *tcp_state_name(uint8_t state)
{
	return state < TS_MAX ? state_names[state] : "?";
}

int tcp_state_parse(const char *s)
{
	size_t n = strlen(s);

	if (!n)
		return -1;
	for (int i = 1; i < TS_MAX; i++)
		if (!strncasecmp(state_names[i], s, n))
			return i;
	return -1;
}

struct table *table_new(const struct table_limits *lim)
{
	struct table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->lim = *lim;
	if (!t->lim.max_socks)
		t->lim.max_socks = 1000000;
	if (!t->lim.max_history)
		t->lim.max_history = 10000;
	if (!t->lim.linger_ns)
		t->lim.linger_ns = TABLE_LINGER_NS;
	slab_init(&t->entries, sizeof(struct sock_entry));
	slab_init(&t->trans[0], TABLE_TRANS_FIRST * sizeof(struct transition));
	slab_init(&t->trans[1], TABLE_TRANS_LIFE * sizeof(struct transition));
	slab_init(&t->traffic, sizeof(struct sock_traffic));
	comms_init(&t->comms, COMMS_MAX);
	comms_init(&t->names, lim->max_comms ? lim->max_comms : COMMS_IDS_MAX);
	t->hist = calloc(t->lim.max_history, sizeof(*t->hist));
	t->log = malloc(TABLE_LOG_SIZE * sizeof(*t->log));
	if (!t->hist || !t->log || entry_index_init(&t->live, &t->entries)) {
		entry_index_free(&t->live);
		free(t->hist);
		free(t->log);
		free(t);
		errno = ENOMEM;
		return NULL;
	}
	return t;
}

/* The slab of transition lists of cap, NULL for the largest (a socket
 * that makes more than a connection's life is rare: malloc) */
static struct slab *trans_slab(struct table *t, uint32_t cap)
{
	return cap == TABLE_TRANS_FIRST ? &t->trans[0] :
	       cap == TABLE_TRANS_LIFE	? &t->trans[1] :
					  NULL;
}

static void trans_put(struct table *t, struct transition *v, uint32_t cap)
{
	struct slab *sl = trans_slab(t, cap);

	if (sl)
		slab_free(sl, v);
	else
		free(v);
}

/* An entry and what it owns */
static void entry_free(struct table *t, struct sock_entry *e)
{
	if (!e)
		return;
	traffic_release(e->traffic);
	slab_free(&t->traffic, e->traffic);
	free(e->metrics);
	for (uint32_t i = 0; i < e->ntrans; i++)
		comms_put(&t->comms, e->trans[i].comm);
	trans_put(t, e->trans, e->trans_cap);
	comms_put(&t->names, e->comm);
	table_owners_clear(t, e);
	free(e->owners_more);
	slab_free(&t->entries, e);
}

void table_free(struct table *t)
{
	struct sock_entry *e, *next;

	if (!t)
		return;
	tw_index_free(&t->tw);
	for (e = t->live_head; e; e = next) {
		next = table_next(e);
		entry_free(t, e);
	}
	entry_index_free(&t->live);
	for (uint32_t i = 0; i < t->lim.max_history; i++)
		entry_free(t, t->hist[i]);
	slab_destroy(&t->entries);
	slab_destroy(&t->trans[0]);
	slab_destroy(&t->trans[1]);
	slab_destroy(&t->traffic);
	comms_free(&t->comms);
	comms_free(&t->names);
	free(t->hist);
	free(t->log);
	free(t);
}

/* No merging with the record before: a reader may have read that one.
 * The handle, not the address: a reader names a freed entry by it
 * without reading the chunk it was in, which may be gone. */
static void log_add(struct table *t, const struct sock_entry *e, uint32_t kind)
{
	t->log[t->log_seq % TABLE_LOG_SIZE] = slab_handle(&t->entries, e) | (uint64_t)kind << 32;
	t->log_seq++;
	if (t->log_seq - t->log_start > TABLE_LOG_SIZE)
		t->log_start = t->log_seq - TABLE_LOG_SIZE;
}

/* The entry of an expiry link (a slab handle, 0: none), and e's handle */
static struct sock_entry *exp_entry(const struct table *t, uint32_t h)
{
	return h ? slab_ptr(&t->entries, h) : NULL;
}

static uint32_t exp_link(const struct table *t, const struct sock_entry *e)
{
	return e ? slab_handle(&t->entries, e) : 0;
}

static void expiry_del(struct table *t, struct sock_entry *e)
{
	struct sock_entry *prev, *next;

	if (!e->exp_queued)
		return;
	prev = exp_entry(t, e->exp_prev);
	next = exp_entry(t, e->exp_next);
	if (prev)
		prev->exp_next = e->exp_next;
	else
		t->exp_head = next;
	if (next)
		next->exp_prev = e->exp_prev;
	else
		t->exp_tail = prev;
	e->exp_prev = e->exp_next = 0;
	e->exp_queued = false;
}

/* Closed entries wait in sock_closed_ns order; a close stamped a little
 * earlier than the last (another CPU's clock) walks back from the tail,
 * a few steps at most. A close much older than the newest (a resync's
 * repair, stamped when the kernel was walked, seconds before it is
 * applied behind hundreds of thousands of closes) goes that far and
 * no further: it lingers a little longer, and a pass costs O(n), not
 * O(n^2). */
#define EXPIRY_WALK_MAX 64
static void expiry_add(struct table *t, struct sock_entry *e)
{
	struct sock_entry *after, *next;
	uint32_t self;
	int steps = 0;

	expiry_del(t, e); /* closed again (a repair): placed anew */
	after = t->exp_tail;
	while (after && sock_closed_ns(after) > sock_closed_ns(e) && steps++ < EXPIRY_WALK_MAX)
		after = exp_entry(t, after->exp_prev);
	next = after ? exp_entry(t, after->exp_next) : t->exp_head;
	self = exp_link(t, e);
	e->exp_prev = exp_link(t, after);
	e->exp_next = exp_link(t, next);
	if (next)
		next->exp_prev = self;
	else
		t->exp_tail = e;
	if (after)
		after->exp_next = self;
	else
		t->exp_head = e;
	e->exp_queued = true;
}

/* A hash of the namespace and the 4-tuple: the TIME_WAIT index key (equal
 * tuples checked field by field on lookup). Every namespace has its own
 * 127.0.0.1:8080: a tuple is one socket only within one namespace. Mixed
 * a word at a time: a byte-wise FNV over the 42 bytes was a chain of 42
 * multiplies, paid at every connection's ESTABLISHED and SYN_RECV. */
static uint64_t tuple_mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 31);
}

static uint64_t tuple_key(uint32_t netns, uint16_t family, uint16_t lport, uint16_t rport,
			  const uint8_t *saddr, const uint8_t *daddr)
{
	uint64_t h = 0xcbf29ce484222325ULL, w[4];

	memcpy(w, saddr, 16);
	memcpy(w + 2, daddr, 16);
	h = tuple_mix(h, (uint64_t)lport | (uint64_t)rport << 16 | (uint64_t)family << 32);
	h = tuple_mix(h, netns);
	for (size_t i = 0; i < 4; i++)
		h = tuple_mix(h, w[i]);
	return h;
}

static bool same_tuple(const struct sock_entry *a, uint32_t netns, uint16_t family,
		       uint16_t lport, uint16_t rport, const uint8_t *saddr, const uint8_t *daddr)
{
	return a->netns == netns && a->family == family && a->lport == lport && a->rport == rport &&
	       !memcmp(a->saddr, saddr, sizeof(a->saddr)) && !memcmp(a->daddr, daddr, sizeof(a->daddr));
}

/* e out of the TIME_WAIT index and queue. Found under its tuple's key,
 * the entry holding no pointer to a node (8 bytes in every entry for the
 * few in TIME_WAIT); a tuple that changed since (a recording's connect
 * event filling in a port the model takes) is found by a walk. */
static void tw_del(struct table *t, struct sock_entry *e)
{
	struct sock_entry *prev, *next;

	if (!(e->flags & SOCK_TW_INDEXED))
		return;
	tw_index_del(&t->tw, tuple_key(e->netns, e->family, e->lport, e->rport, e->saddr, e->daddr),
		     slab_handle(&t->entries, e));
	prev = exp_entry(t, e->exp_prev);
	next = exp_entry(t, e->exp_next);
	if (prev)
		prev->exp_next = e->exp_next;
	else
		t->tw_head = next;
	if (next)
		next->exp_prev = e->exp_prev;
	else
		t->tw_tail = prev;
	e->exp_prev = e->exp_next = 0;
	e->flags &= ~SOCK_TW_INDEXED;
}

static void forget(struct table *t, struct sock_entry *e);

/* The TIME_WAIT entry on this 4-tuple ended, a new socket took the tuple
 * (the kernel keeps one socket a tuple): forget it. Returns the entry
 * still under key (another tuple with this hash, or this socket's), else
 * NULL. */
static struct sock_entry *tw_end(struct table *t, uint64_t key, uint32_t netns, uint16_t family,
				 uint16_t lport, uint16_t rport, const uint8_t *saddr,
				 const uint8_t *daddr, uint64_t skaddr)
{
	uint32_t h = tw_index_find(&t->tw, key);
	struct sock_entry *w = h ? slab_ptr(&t->entries, h) : NULL;

	if (!w || w->skaddr == skaddr ||
	    !same_tuple(w, netns, family, lport, rport, saddr, daddr))
		return w;
	forget(t, w);
	t->st.tw_reused++;
	return NULL;
}

static void set_state(struct table *t, struct sock_entry *e, uint8_t state)
{
	uint64_t key;

	tw_del(t, e);
	if (e->state < TS_MAX && t->by_state[e->state])
		t->by_state[e->state]--;
	e->state = state < TS_MAX ? state : TS_UNKNOWN;
	t->by_state[e->state]++;
	/* closed already (a resync's repair): the linger bounds it, and its
	 * expiry links are the expiry queue's */
	if (e->state != TS_TIME_WAIT || e->exp_queued)
		return;
	/* one entry per tuple in the index: an older one on it is stale */
	key = tuple_key(e->netns, e->family, e->lport, e->rport, e->saddr, e->daddr);
	/* one lookup: what tw_end leaves under key is another tuple's */
	if (tw_end(t, key, e->netns, e->family, e->lport, e->rport, e->saddr, e->daddr, e->skaddr))
		return; /* another tuple with this hash: left out, never confused */
	if (tw_index_add(&t->tw, key, slab_handle(&t->entries, e))) {
		t->st.oom++; /* not indexed: it stays until a resync sees it gone */
		return;
	}
	e->exp_prev = exp_link(t, t->tw_tail);
	e->exp_next = 0;
	if (t->tw_tail)
		t->tw_tail->exp_next = exp_link(t, e);
	else
		t->tw_head = e;
	t->tw_tail = e;
	e->flags |= SOCK_TW_INDEXED;
}

/* At the end of the live list (the index has it already) */
static void list_append(struct table *t, struct sock_entry *e)
{
	uint32_t self = slab_handle(&t->entries, e);

	e->live_next = 0;
	e->live_prev = t->live_tail ? slab_handle(&t->entries, t->live_tail) : 0;
	if (t->live_tail)
		t->live_tail->live_next = self;
	else
		t->live_head = e;
	t->live_tail = e;
}

static void list_del(struct table *t, struct sock_entry *e)
{
	struct sock_entry *prev = e->live_prev ? slab_ptr(&t->entries, e->live_prev) : NULL;
	struct sock_entry *next = table_next(e);

	if (prev)
		prev->live_next = e->live_next;
	else
		t->live_head = next;
	if (next)
		next->live_prev = e->live_prev;
	else
		t->live_tail = prev;
	e->live_prev = e->live_next = 0;
}

/* Out of the live set: index and list */
static void live_del(struct table *t, struct sock_entry *e)
{
	entry_index_del(&t->live, e);
	list_del(t, e);
}

/* Unlink from the live set and push onto the history ring. */
static void retire(struct table *t, struct sock_entry *e)
{
	struct sock_entry **slot;

	live_del(t, e);
	expiry_del(t, e);
	tw_del(t, e);
	t->nlive--;
	if (e->state < TS_MAX && t->by_state[e->state])
		t->by_state[e->state]--;
	slot = &t->hist[t->hist_head];
	log_add(t, e, TC_RETIRED);
	if (*slot) {
		log_add(t, *slot, TC_FREED);
		entry_free(t, *slot);
		t->st.history_dropped++;
	} else {
		t->nhist++;
	}
	*slot = e;
	t->hist_head = (t->hist_head + 1) % t->lim.max_history;
	t->st.retired++;
	t->gen++;
}

void table_remove(struct table *t, struct sock_entry *e)
{
	retire(t, e);
}

static void forget(struct table *t, struct sock_entry *e)
{
	live_del(t, e);
	expiry_del(t, e);
	tw_del(t, e);
	t->nlive--;
	if (e->state < TS_MAX && t->by_state[e->state])
		t->by_state[e->state]--;
	log_add(t, e, TC_FREED); /* the rows' slot of it goes now */
	entry_free(t, e);
	t->st.retired++; /* it left the live set */
	t->gen++;
}

void table_forget(struct table *t, struct sock_entry *e)
{
	forget(t, e);
}

/* Entries an eviction looks at, oldest first: a full table must not cost
 * a walk over a million entries for every new socket. */
#define EVICT_SCAN 64

/* The table is full: make room by retiring, among the EVICT_SCAN oldest
 * entries (the live list's), a closed one, or failing that the one
 * with the oldest activity. Counted as evicted. */
static void evict_one(struct table *t)
{
	struct sock_entry *e, *victim = NULL;
	int n = 0;

	for (e = t->live_head; e && n < EVICT_SCAN; e = table_next(e), n++) {
		if (!victim || ((e->flags & SOCK_CLOSED) && !(victim->flags & SOCK_CLOSED)) ||
		    (!!(e->flags & SOCK_CLOSED) == !!(victim->flags & SOCK_CLOSED) &&
		     e->last_ns < victim->last_ns))
			victim = e;
	}
	if (victim) {
		retire(t, victim);
		t->st.evicted++;
	}
}

static struct sock_entry *entry_new(struct table *t, const struct event *ev)
{
	struct sock_entry *e;

	if (t->nlive >= t->lim.max_socks)
		evict_one(t);
	e = slab_alloc(&t->entries);
	if (!e) {
		t->st.oom++;
		return NULL;
	}
	e->skaddr = ev->skaddr;
	if (entry_index_add(&t->live, e)) {
		slab_free(&t->entries, e);
		t->st.oom++;
		return NULL;
	}
	list_append(t, e);
	e->serial = ++t->serial;
	e->first_ns = e->state_ns = e->last_ns = ev->ts_ns;
	e->state = TS_UNKNOWN;
	t->by_state[TS_UNKNOWN]++;
	e->connect_ret = 1; /* no outcome yet */
	log_add(t, e, TC_BORN);
	t->nlive++;
	t->st.lifecycles++;
	return e;
}

static void mark_closed(struct table *t, struct sock_entry *e)
{
	e->flags |= SOCK_CLOSED; /* at state_ns: sock_closed_ns() */
	expiry_add(t, e);
}

static void copy_endpoints(struct sock_entry *e, const struct event *ev)
{
	if (ev->netns)
		e->netns = ev->netns;
	e->family = ev->family;
	e->lport = ev->lport;
	e->rport = ev->rport;
	memcpy(e->saddr, ev->saddr, sizeof(e->saddr));
	memcpy(e->daddr, ev->daddr, sizeof(e->daddr));
}

/* Room for one more transition: the list's first allocation (a socket
 * seen connecting or accepted), its growth to a whole connection's life,
 * then to the most kept. false when there is none (full, or no memory:
 * counted). */
static bool trans_room(struct table *t, struct sock_entry *e)
{
	uint32_t cap = TABLE_MAX_TRANSITIONS;
	struct slab *sl;
	struct transition *v;

	if (e->ntrans < e->trans_cap)
		return true;
	if (e->trans_cap >= TABLE_MAX_TRANSITIONS)
		return false;
	if (e->trans_cap < TABLE_TRANS_LIFE)
		cap = e->trans_cap ? TABLE_TRANS_LIFE : TABLE_TRANS_FIRST;
	sl = trans_slab(t, cap);
	v = sl ? slab_alloc(sl) : malloc(cap * sizeof(*v));
	if (!v) {
		t->st.oom++;
		return false;
	}
	if (e->ntrans)
		memcpy(v, e->trans, e->ntrans * sizeof(*v));
	trans_put(t, e->trans, e->trans_cap);
	e->trans = v;
	e->trans_cap = cap;
	return true;
}

static void add_transition(struct table *t, struct sock_entry *e, const struct event *ev)
{
	struct transition *tr;

	/* keep the first ones and always the latest in the last slot: the gap
	 * of dropped ones is between the last two slots, as table.h says */
	if (trans_room(t, e)) {
		tr = &e->trans[e->ntrans++];
	} else if (e->trans_cap) {
		e->trans_dropped++;
		t->st.trans_dropped++;
		tr = &e->trans[e->trans_cap - 1];
		comms_put(&t->comms, tr->comm); /* the latest replaced */
	} else {
		e->trans_dropped++; /* no memory for the first: none kept */
		t->st.trans_dropped++;
		return;
	}
	tr->ts_ns = ev->ts_ns;
	tr->pid = ev->pid;
	tr->oldstate = ev->oldstate;
	tr->newstate = ev->newstate;
	tr->comm = (uint16_t)comms_get(&t->comms, ev->comm); /* COMMS_MAX: 16 bits */
	if (!tr->comm && !comms_empty(ev->comm))
		t->st.comms_dropped++;
}

/* Transitions made in the owner's own process context: connect(), listen(),
 * close()/shutdown() from ESTABLISHED or CLOSE_WAIT. Softirq transitions
 * run in whatever task was current and say nothing about the owner. */
static bool owner_context(const struct event *ev)
{
	if (ev->oldstate == TS_CLOSE)
		return ev->newstate == TS_SYN_SENT || ev->newstate == TS_LISTEN;
	return false;
}

/* The entry the kernel socket at skaddr belongs to. A displaced entry
 * found here was keyed by a recording's wild skaddr: it gives way, so no
 * two entries ever share a key. */
static struct sock_entry *lookup(struct table *t, uint64_t skaddr)
{
	struct sock_entry *e;

	e = entry_index_find(&t->live, skaddr);
	if (e && (e->flags & SOCK_DISPLACED)) {
		retire(t, e);
		e = NULL;
	}
	return e;
}

/* A closed entry still lingering whose skaddr starts a new lifecycle:
 * keep it visible, keyed by ~serial, until its linger ends. */
static void displace(struct table *t, struct sock_entry *e)
{
	e->flags |= SOCK_DISPLACED; /* its key becomes ~serial */
	entry_index_rekey(&t->live, e, e->skaddr);
	list_del(t, e); /* counts as new from here, as it always has */
	list_append(t, e);
	log_add(t, e, TC_CHANGED);
	t->st.displaced++;
}

static bool lingering(const struct table *t, const struct sock_entry *e, uint64_t now_ns)
{
	return (e->flags & SOCK_CLOSED) && !(e->flags & SOCK_DISPLACED) &&
	       now_ns >= sock_closed_ns(e) && now_ns - sock_closed_ns(e) < t->lim.linger_ns;
}

static bool is_birth(const struct event *ev)
{
	return ev->oldstate == TS_CLOSE ||
	       (ev->oldstate == TS_LISTEN && ev->newstate == TS_SYN_RECV);
}

/* Both addresses known (not all zero) and different; n is 4 or 16, each
 * a constant here so the compares are inlined loads, not libc calls (six
 * a state change) */
static bool addr_conflict(const uint8_t *a, const uint8_t *b, size_t n)
{
	static const uint8_t zero[16];

	if (n == 4)
		return memcmp(a, zero, 4) && memcmp(b, zero, 4) && memcmp(a, b, 4);
	return memcmp(a, zero, 16) && memcmp(b, zero, 16) && memcmp(a, b, 16);
}

/* Other endpoints than the entry's: a port or address both know and that
 * differ, or another family. A socket's own endpoints only fill in (the
 * local port at connect(), the local address at bind or connect), so this
 * is another socket on the address: its CLOSE and its birth were lost. */
static bool other_endpoints(const struct sock_entry *e, const struct event *ev)
{
	size_t n = ev->family == AF_INET6 ? 16 : 4;

	if (e->family && ev->family && e->family != ev->family)
		return true;
	if (e->netns && ev->netns && e->netns != ev->netns)
		return true; /* a kernel address is one socket at a time */
	if ((e->lport && ev->lport && e->lport != ev->lport) ||
	    (e->rport && ev->rport && e->rport != ev->rport))
		return true;
	return addr_conflict(e->saddr, ev->saddr, n) || addr_conflict(e->daddr, ev->daddr, n);
}

/* A new socket with a whole 4-tuple (connected, or a child of a listener)
 * means the kernel reused the tuple of any TIME_WAIT socket on it: the
 * timewait sock is gone, though no event says so. */
static void tw_reuse(struct table *t, const struct event *ev)
{
	if (!t->tw.n || !ev->lport || !ev->rport ||
	    (ev->newstate != TS_ESTABLISHED && ev->newstate != TS_SYN_RECV))
		return;
	/* a listener's child: its SYN_RECV looked already, and no timewait
	 * sock can take a tuple a socket holds */
	if (ev->kind == EV_STATE && ev->oldstate == TS_SYN_RECV)
		return;
	tw_end(t, tuple_key(ev->netns, ev->family, ev->lport, ev->rport, ev->saddr, ev->daddr),
	       ev->netns, ev->family, ev->lport, ev->rport, ev->saddr, ev->daddr, ev->skaddr);
}

struct sock_entry *table_apply(struct table *t, const struct event *ev, uint64_t *prev_ns)
{
	struct sock_entry *e;
	bool born = false, gap = false;

	*prev_ns = 0;
	t->st.events++;
	tw_reuse(t, ev);
	e = lookup(t, ev->skaddr);
	/* a birth (old state CLOSE, or LISTEN>SYN_RECV: an accepted child is
	 * born a clone of its listener) on a reused skaddr ends whatever was
	 * there, so two lifecycles are never merged; so do other endpoints
	 * (the old one's CLOSE and the new one's birth were lost) */
	if (e && (is_birth(ev) || (e->flags & SOCK_CLOSED) || other_endpoints(e, ev))) {
		if (!is_birth(ev) && !(e->flags & SOCK_CLOSED))
			t->st.split++;
		if (lingering(t, e, ev->ts_ns))
			displace(t, e);
		else
			retire(t, e);
		e = NULL;
	}
	if (!e) {
		e = entry_new(t, ev);
		if (!e)
			return NULL;
		born = true;
	} else if (ev->oldstate != e->state && e->state != TS_UNKNOWN) {
		t->st.gaps++; /* we never saw it enter the old state */
		gap = true;
	} else if (ev->ts_ns >= e->state_ns) {
		*prev_ns = ev->ts_ns - e->state_ns;
	} else {
		t->st.negative_dt++; /* another CPU's older stamp */
	}
	/* ports and addresses fill in as the socket binds/connects */
	copy_endpoints(e, ev);
	if (owner_context(ev)) {
		e->pid = ev->pid;
		e->pstart = ev->pstart;
		e->uid = ev->uid;
		table_set_comm(t, e, ev->comm);
	}
	if (ev->oldstate == TS_CLOSE && ev->newstate == TS_SYN_SENT)
		e->flags |= SOCK_ACTIVE;
	if (ev->oldstate == TS_SYN_SENT && ev->newstate == TS_ESTABLISHED)
		e->handshake_ns = *prev_ns;
	if (ev->newstate == TS_SYN_RECV || ev->oldstate == TS_SYN_RECV ||
	    ev->oldstate == TS_NEW_SYN_RECV)
		e->flags |= SOCK_PASSIVE;
	add_transition(t, e, ev);
	set_state(t, e, ev->newstate);
	/* stamps keep the clock from going back within a run of transitions
	 * we saw; after a gap only this stamp says when the state began */
	if (gap)
		e->state_ns = ev->ts_ns > e->first_ns ? ev->ts_ns : e->first_ns;
	else if (ev->ts_ns > e->state_ns)
		e->state_ns = ev->ts_ns;
	if (ev->ts_ns > e->last_ns)
		e->last_ns = ev->ts_ns;
	if (ev->newstate == TS_CLOSE)
		mark_closed(t, e);
	if (!born)
		log_add(t, e, TC_CHANGED);
	t->gen++;
	return e;
}

struct sock_entry *table_upsert(struct table *t, const struct event *ev)
{
	struct sock_entry *e = lookup(t, ev->skaddr);

	if (!e) {
		e = entry_new(t, ev);
		if (!e)
			return NULL;
		copy_endpoints(e, ev);
		set_state(t, e, ev->newstate);
	} else {
		log_add(t, e, TC_CHANGED); /* the caller changes it next */
	}
	t->gen++;
	return e;
}

/* Only the queue's head can be due: the rest closed later. */
void table_expire(struct table *t, uint64_t now_ns)
{
	while (t->exp_head && now_ns >= sock_closed_ns(t->exp_head) &&
	       now_ns - sock_closed_ns(t->exp_head) >= t->lim.linger_ns)
		retire(t, t->exp_head);
	/* the queue is in the order they entered TIME_WAIT: the oldest first */
	while (t->tw_head && now_ns >= t->tw_head->state_ns &&
	       now_ns - t->tw_head->state_ns >= TABLE_TIMEWAIT_NS) {
		forget(t, t->tw_head);
		t->st.tw_expired++;
	}
}

void table_repair_state(struct table *t, struct sock_entry *e, uint8_t state, uint64_t ts_ns)
{
	set_state(t, e, state);
	if (ts_ns > e->state_ns)
		e->state_ns = ts_ns;
	if (ts_ns > e->last_ns)
		e->last_ns = ts_ns;
	e->flags |= SOCK_REPAIRED;
	if (e->state == TS_CLOSE)
		mark_closed(t, e);
	log_add(t, e, TC_CHANGED);
	t->gen++;
}

void table_quiet_state(struct table *t, struct sock_entry *e, uint8_t state, uint64_t ts_ns)
{
	set_state(t, e, state);
	if (ts_ns > e->state_ns)
		e->state_ns = ts_ns;
	if (ts_ns > e->last_ns)
		e->last_ns = ts_ns;
	log_add(t, e, TC_CHANGED);
	t->gen++;
}

void table_repair_gone(struct table *t, struct sock_entry *e, uint64_t ts_ns)
{
	table_repair_state(t, e, TS_CLOSE, ts_ns);
}

bool table_full(const struct table *t)
{
	return t->nlive >= t->lim.max_socks;
}

const struct table_limits *table_limits(const struct table *t)
{
	return &t->lim;
}

struct sock_entry *table_find(const struct table *t, uint64_t skaddr)
{
	struct sock_entry *e = entry_index_find(&t->live, skaddr);

	return e && !(e->flags & SOCK_DISPLACED) ? e : NULL;
}

struct sock_entry *table_first(const struct table *t)
{
	return t->live_head;
}

uint32_t table_collect_live(const struct table *t, const struct sock_entry **out, uint32_t max)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < t->live.cap && n < max; i++) {
		const struct sock_entry *e = entry_index_slot(&t->live, i);

		if (e)
			out[n++] = e;
	}
	return n;
}

uint32_t table_entry_handle(const struct table *t, const struct sock_entry *e)
{
	return slab_handle(&t->entries, e);
}

uint32_t table_handle_span(const struct table *t)
{
	return t->entries.per_chunk;
}

uint32_t table_count(const struct table *t)
{
	return t->nlive;
}

uint32_t table_count_state(const struct table *t, uint8_t state)
{
	return state < TS_MAX ? t->by_state[state] : 0;
}

uint32_t table_history_count(const struct table *t)
{
	return t->nhist;
}

const struct sock_entry *table_history_get(const struct table *t, uint32_t i)
{
	uint32_t n = t->lim.max_history;

	if (i >= t->nhist)
		return NULL;
	return t->hist[(t->hist_head + n - 1 - i) % n];
}

const char *table_comm(const struct table *t, uint16_t id)
{
	return comms_name(&t->comms, id);
}

const char *entry_comm(const struct table *t, const struct sock_entry *e)
{
	return comms_name(&t->names, e->comm);
}

const char *owner_comm(const struct table *t, const struct owner *o)
{
	return comms_name(&t->names, o->comm);
}

/* The id of name in the sockets' set, its reference taken; 0 counted
 * when a name was there to keep */
static uint32_t name_get(struct table *t, const char *name)
{
	uint32_t id = comms_get(&t->names, name);

	if (!id && !comms_empty(name))
		t->st.comms_dropped++;
	return id;
}

/* Taken before the old one is dropped: the same name is found, not
 * given back and made again */
void table_set_comm(struct table *t, struct sock_entry *e, const char *name)
{
	uint32_t id = name_get(t, name);

	comms_put(&t->names, e->comm);
	e->comm = id;
}

void table_set_owner_comm(struct table *t, struct owner *o, const char *name)
{
	uint32_t id = name_get(t, name);

	comms_put(&t->names, o->comm);
	o->comm = id;
}

void table_comm_from_owner(struct table *t, struct sock_entry *e, const struct owner *o)
{
	comms_hold(&t->names, o->comm);
	comms_put(&t->names, e->comm);
	e->comm = o->comm;
}

void table_owners_clear(struct table *t, struct sock_entry *e)
{
	for (int i = 0; i < e->nowners && i < TABLE_MAX_OWNERS; i++) {
		struct owner *o = sock_owner(e, i);

		comms_put(&t->names, o->comm);
		o->comm = 0;
	}
	e->nowners = 0;
}

void table_comms_pin(struct table *t)
{
	comms_pin(&t->comms);
	comms_pin(&t->names);
}

void table_comms_unpin(struct table *t)
{
	comms_unpin(&t->comms);
	comms_unpin(&t->names);
}

uint32_t table_comm_count(const struct table *t)
{
	return comms_count(&t->comms);
}

uint32_t table_entry_comm_count(const struct table *t)
{
	return comms_count(&t->names);
}

const struct table_stats *table_stats(const struct table *t)
{
	return &t->st;
}

uint64_t table_generation(const struct table *t)
{
	return t->gen;
}

void table_touch(struct table *t)
{
	t->gen++;
	t->log_touches++;
}

void table_touch_entry(struct table *t, const struct sock_entry *e)
{
	t->gen++;
	log_add(t, e, TC_CHANGED);
}

uint64_t table_log_seq(const struct table *t)
{
	return t->log_seq;
}

uint64_t table_log_start(const struct table *t)
{
	return t->log_start;
}

uint64_t table_log_touches(const struct table *t)
{
	return t->log_touches;
}

bool table_log_get(const struct table *t, uint64_t seq, struct table_change *c)
{
	uint64_t r;

	if (seq < t->log_start || seq >= t->log_seq)
		return false;
	r = t->log[seq % TABLE_LOG_SIZE];
	c->h = (uint32_t)r;
	c->kind = (uint32_t)(r >> 32);
	c->e = slab_ptr_maybe(&t->entries, c->h);
	return true;
}

struct sock_traffic *table_traffic_alloc(struct table *t)
{
	return slab_alloc(&t->traffic);
}
