/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The socket table: the model. Keyed by kernel socket address (skaddr),
 * one entry per socket lifecycle, with its bounded transition list. No
 * curses, no clocks (now is always a parameter), no printing.
 */
#ifndef SOCKTOP_TABLE_H
#define SOCKTOP_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "../bpf/event.h"
#include "slab.h"
#include "sock_metrics.h"
#include "sock_traffic.h"

#define TABLE_MAX_TRANSITIONS 16
#define TABLE_TRANS_FIRST 2 /* the list's first allocation: connected */
#define TABLE_TRANS_LIFE 6  /* its growth: a whole connection's life */
#define TABLE_MAX_OWNERS 4
#define TABLE_OWNERS_INLINE 1
#define TABLE_OWNERS_MORE (TABLE_MAX_OWNERS - TABLE_OWNERS_INLINE)
#define TABLE_LINGER_NS (5ULL * 1000000000ULL)
/* the longest a timewait socket lives (TCP_TIMEWAIT_LEN, and the most
 * tcp_fin_timeout gives an orphan FIN_WAIT2 kept as one) */
#define TABLE_TIMEWAIT_NS (60ULL * 1000000000ULL)

/* sock_entry keeps its counts of these in bytes */
_Static_assert(TABLE_MAX_TRANSITIONS <= UINT8_MAX && TABLE_MAX_OWNERS <= UINT8_MAX,
	       "entry counts are bytes");

/* Kernel TCP state numbers (include/net/tcp_states.h) */
enum tcp_state {
	TS_UNKNOWN = 0, TS_ESTABLISHED = 1, TS_SYN_SENT, TS_SYN_RECV, TS_FIN_WAIT1,
	TS_FIN_WAIT2, TS_TIME_WAIT, TS_CLOSE, TS_CLOSE_WAIT, TS_LAST_ACK,
	TS_LISTEN, TS_CLOSING, TS_NEW_SYN_RECV, TS_MAX
};

/* 16 bytes: the task's name is kept once in the table (comms.h) */
struct transition {
	uint64_t ts_ns;
	uint32_t pid;
	uint16_t comm; /* the task it ran in: table_comm() */
	uint8_t oldstate, newstate;
};

/* 16 bytes: the task's name is kept once in the table, as the entry's */
struct owner {
	uint32_t pid;
	uint32_t pstart;	/* process start (event.h): tells a reused pid apart */
	int32_t fd;		/* -1 when not known */
	uint32_t comm;		/* its task name: owner_comm() */
};
_Static_assert(sizeof(struct owner) == 16, "an owner is 16 bytes");

/* entry flags */
#define SOCK_SEEN_AT_START (1u << 0) /* found by the start-up snapshot */
#define SOCK_ACTIVE	(1u << 1) /* we saw it connect (SYN_SENT) */
#define SOCK_PASSIVE	(1u << 2) /* accepted (SYN_RECV / from a listener) */
#define SOCK_CLOSED	(1u << 3) /* reached CLOSE; lingering */
#define SOCK_REPAIRED	(1u << 4) /* corrected by a resync snapshot */
#define SOCK_OWNER_LISTENER (1u << 5) /* owner inherited from the listener: not accepted yet */
#define SOCK_FOUND_BY_RESYNC (1u << 6) /* its birth was lost: a resync found it */
#define SOCK_DISPLACED	(1u << 7) /* closed, lingering; its skaddr started a new lifecycle */
#define SOCK_OWNERS_FULL (1u << 8) /* more holders than TABLE_MAX_OWNERS */
#define SOCK_TW_INDEXED	(1u << 9) /* in the table's TIME_WAIT index */
#define SOCK_TIMEWAIT_SOCK \
	(1u << 10) /* a timewait sock (also an orphan in FIN_WAIT2):
				       * its substate's change and end have no event */

struct sock_entry {
	/* Everything a row sorts or filters on comes first, in two cache
	 * lines: rebuilding rows reads these from every entry. */
	uint64_t skaddr;
	uint64_t serial;	/* unique per lifecycle: selection key with skaddr */
	uint16_t family, lport, rport;
	uint8_t state;
	uint8_t saddr[16], daddr[16];
	uint32_t flags;
	int32_t connect_ret;	/* connect outcome: 0 or -errno (1: none yet) */
	uint64_t first_ns;	/* first event of this lifecycle */
	uint64_t state_ns;	/* entered the current state */
	/* owner: the process the socket belongs to, not the softirq task */
	uint32_t pid;		/* 0 = owner not known yet */
	uint32_t pstart;	/* its process's start, 0 = unknown (event.h) */
	uint32_t uid;
	uint32_t netns;		/* network namespace inode, 0 = unknown (event.h) */
	/* its task name, kept once in the table (a million sockets repeat a
	 * few dozen names): read with entry_comm(), set with table_set_comm() */
	uint32_t comm;
	/* small counts (at most TABLE_MAX_*: bytes) and a flag, in one word */
	uint8_t nowners;   /* holders */
	uint8_t ntrans;	   /* transitions stored */
	uint8_t trans_cap; /* and room for */
	bool exp_queued;   /* in the expiry queue */
	uint64_t cgroup_id;
	uint64_t last_ns;	/* last event of any kind */
	/* holders: the first in the entry, the rest (most sockets have one)
	 * in owners_more, allocated at the second; read with sock_owner() */
	struct owner owners[TABLE_OWNERS_INLINE];
	struct owner *owners_more; /* TABLE_OWNERS_MORE */
	/* connect outcome (active sockets) */
	uint64_t connect_ns;	/* connect() started */
	uint64_t handshake_ns;	/* SYN_SENT -> ESTABLISHED */
	/* transitions: the first TABLE_MAX_TRANSITIONS-1 and the latest;
	 * read them with sock_trans(). None in the entry: a socket found by
	 * a snapshot makes none (a million held ones would pay 128 bytes
	 * each for nothing), a connection a handful: the list is allocated
	 * at the first for TABLE_TRANS_FIRST, grows to TABLE_TRANS_LIFE,
	 * then to the most. */
	uint32_t trans_dropped; /* overflow: not stored */
	uint32_t resync_pass;	/* last resync pass that saw it (resync.c) */
	struct transition *trans; /* trans_cap of them, NULL before the first */
	/* the kernel's counters (sock_traffic.h), from the table's slab at
	 * the socket's first traffic record: a listener or one that closed
	 * unsampled pays 8 bytes, not 64, an idle one sampled once 72, not
	 * 120 (its rates live apart, from its first move). Read with
	 * entry_traffic(). */
	struct sock_traffic *traffic;
	/* the live entries in the order they came (table_first/_next, the
	 * oldest first: evictions look there); found by key in the table's
	 * entry_index.h, which cost 16 bytes where a uthash handle took 56.
	 * Links are handles into the table's slab of entries (0: none). */
	uint32_t live_prev, live_next;
	/* closed and lingering: the table's expiry queue, oldest close first;
	 * in its TIME_WAIT index (SOCK_TW_INDEXED, never closed): its
	 * TIME_WAIT queue, oldest first. Links are handles into the table's
	 * slab of entries (0: none), half a pointer each */
	uint32_t exp_prev, exp_next;
	/* per-socket metrics (sock_metrics.h), from the first sample on */
	struct sock_metrics *metrics;
};

/* Found by a snapshot rather than born before our eyes: its age is a
 * lower bound. */
/* One process: the same pid and, where both are known, the same start (a
 * pid the kernel gave to a new process after the old one exited is
 * another process). */
static inline bool same_process(uint32_t pid_a, uint32_t start_a, uint32_t pid_b,
				uint32_t start_b)
{
	return pid_a == pid_b && (!start_a || !start_b || start_a == start_b);
}

/* Transition i (< e->ntrans) of an entry, inline or not */
static inline const struct transition *sock_trans(const struct sock_entry *e, uint32_t i)
{
	return &e->trans[i];
}

/* Holder i (< e->nowners, < TABLE_MAX_OWNERS) of an entry */
static inline struct owner *sock_owner(const struct sock_entry *e, int i)
{
	return i < TABLE_OWNERS_INLINE ? (struct owner *)&e->owners[i] :
					 &e->owners_more[i - TABLE_OWNERS_INLINE];
}

/* Its key in the table's index: skaddr, or ~serial once displaced (no
 * kernel address is one) */
static inline uint64_t sock_hkey(const struct sock_entry *e)
{
	return e->flags & SOCK_DISPLACED ? ~e->serial : e->skaddr;
}

/* When it reached CLOSE, 0 while open: state_ns, as a closed entry's
 * state never changes again (an event on it starts a new lifecycle, a
 * resync repairs it only to CLOSE), so no field of its own */
static inline uint64_t sock_closed_ns(const struct sock_entry *e)
{
	return e->flags & SOCK_CLOSED ? e->state_ns : 0;
}

/* An entry's counters; none yet reads as a socket never sampled */
static inline const struct sock_traffic *entry_traffic(const struct sock_entry *e)
{
	return e->traffic ? e->traffic : &traffic_none;
}

static inline bool sock_age_unknown(const struct sock_entry *e)
{
	return e->flags & (SOCK_SEEN_AT_START | SOCK_FOUND_BY_RESYNC);
}

struct table_limits {
	uint32_t max_socks;	/* live + lingering entries */
	uint32_t max_history;	/* finished lifecycles kept */
	uint64_t linger_ns;
	uint32_t max_comms; /* sockets' and holders' task names held (0: COMMS_IDS_MAX) */
};

struct table_stats {
	uint64_t events;	/* state events applied */
	uint64_t lifecycles;	/* entries created */
	uint64_t retired;	/* moved to history */
	uint64_t evicted;	/* dropped because max_socks was reached */
	uint64_t history_dropped; /* oldest finished dropped (bound) */
	uint64_t trans_dropped; /* transitions not stored (per-entry bound) */
	uint64_t oom;		/* allocation failures */
	uint64_t negative_dt;	/* out-of-order timestamps clamped to 0 */
	uint64_t displaced;	/* closed, lingering, skaddr reused: kept apart */
	uint64_t gaps;		/* old state not the one we knew: time in it unknown */
	uint64_t split;		/* other endpoints on a known skaddr: a new lifecycle */
	uint64_t tw_reused;	/* TIME_WAIT ended by a new socket on its 4-tuple */
	uint64_t tw_expired;	/* TIME_WAIT past the longest the kernel keeps one */
	/* task names not kept: a transition's (COMMS_MAX names held), a
	 * socket's or holder's (no memory: then it reads "") */
	uint64_t comms_dropped;
};

/*
 * The change log, for indexes kept over the table (the rows): every entry
 * that changed, was born, left the live set (to history) or was freed,
 * in order. Records [table_log_start(), table_log_seq()) can be read; a
 * reader that stopped at seq < table_log_start() missed some (the log
 * wraps) and must gather everything again. table_touch() names no entry:
 * table_log_touches() counts those, and a reader that sees it move must
 * re-read every entry it holds (the set itself is still in the log).
 * A record names the entry by its handle (table_entry_handle): after a
 * TC_FREED record the handle may be reused by a later TC_BORN one. Its
 * pointer is the entry's address now, stale when the entry was freed
 * since (NULL when its memory was given back): a TC_FREED record's is.
 */
enum table_change_kind { TC_CHANGED, TC_BORN, TC_RETIRED, TC_FREED };

struct table_change {
	const struct sock_entry *e;
	uint32_t h;    /* the entry's handle */
	uint32_t kind; /* enum table_change_kind */
};

#define TABLE_LOG_SIZE (1u << 16)

struct table;

struct table *table_new(const struct table_limits *lim); /* NULL, errno */
void table_free(struct table *t);

/*
 * Apply one EV_STATE event. *prev_ns gets the time spent in the previous
 * state, 0 when not known: a socket seen first, a stamp older than the
 * last one, or an old state other than the one we saw it enter (events
 * lost between). A birth (old state CLOSE) or other endpoints on a known
 * skaddr start a new lifecycle; a new socket on the 4-tuple of a
 * TIME_WAIT entry ends that one (the kernel let the new one reuse it),
 * leaving no history row, like table_forget. Returns the entry (valid until the
 * next table_apply/table_expire) or NULL on allocation failure (counted).
 */
struct sock_entry *table_apply(struct table *t, const struct event *ev, uint64_t *prev_ns);
/* Find or create the entry for a socket known by other means (snapshot). */
struct sock_entry *table_upsert(struct table *t, const struct event *ev);
/* Closed entries older than linger move to history; TIME_WAIT ones
 * (from snapshots: no event says when they end) are forgotten past
 * TABLE_TIMEWAIT_NS. */
void table_expire(struct table *t, uint64_t now_ns);
struct sock_entry *table_find(const struct table *t, uint64_t skaddr);
void table_remove(struct table *t, struct sock_entry *e); /* to history */
/* Gone without a trace in history: a TIME_WAIT row whose end only a
 * resync sees (its connection is in history already). */
void table_forget(struct table *t, struct sock_entry *e);
/* Repairs by a resync (resync.c), marked SOCK_REPAIRED: the kernel says
 * the socket is in state at ts_ns; or it is gone (closed at ts_ns, then
 * lingers as any closed socket). */
void table_repair_state(struct table *t, struct sock_entry *e, uint8_t state, uint64_t ts_ns);
/* A change of state the kernel sends no event for (a timewait sock's
 * FIN_WAIT2 -> TIME_WAIT), learnt from a snapshot: not a repair. */
void table_quiet_state(struct table *t, struct sock_entry *e, uint8_t state, uint64_t ts_ns);
void table_repair_gone(struct table *t, struct sock_entry *e, uint64_t ts_ns);
/* max_socks reached: a new entry would evict one */
bool table_full(const struct table *t);
const struct table_limits *table_limits(const struct table *t); /* with defaults */

/* Iteration over live (and lingering) entries, oldest first (a
 * displaced one counts from when it was displaced). */
struct sock_entry *table_first(const struct table *t);
static inline struct sock_entry *table_next(const struct sock_entry *e)
{
	return e->live_next ? slab_ptr_near(e, e->live_next) : NULL;
}
/* The same entries in no order, at most max into out: the order of the
 * table's index slots. A walk down one array, where the list is a chain
 * of cache misses. Returns how many. */
uint32_t table_collect_live(const struct table *t, const struct sock_entry **out, uint32_t max);
uint32_t table_count(const struct table *t);
/* An entry's handle (never 0) while it is in the table or its history:
 * slab_handle_chunk() and slab_handle_index() of it, the index below
 * table_handle_span(), index a dense array by entry */
uint32_t table_entry_handle(const struct table *t, const struct sock_entry *e);
uint32_t table_handle_span(const struct table *t);
uint32_t table_count_state(const struct table *t, uint8_t state);

/* Finished lifecycles, newest first: i = 0 .. table_history_count()-1 */
uint32_t table_history_count(const struct table *t);
const struct sock_entry *table_history_get(const struct table *t, uint32_t i);

/* A transition's task name: EVENT_COMM_LEN raw kernel bytes, NUL-padded
 * unless full (escape on output) */
const char *table_comm(const struct table *t, uint16_t id);
/* A socket's counters (zeroed), kept in the table's slab and given back
 * with its entry: NULL when no memory is left */
struct sock_traffic *table_traffic_alloc(struct table *t);
/* The socket's owner's task name, and a holder's: the same bytes, ""
 * when not known. Every reader goes through these (the entry holds an
 * id): a copy of an entry kept past the table's change either holds the
 * pin below or copies the text. */
const char *entry_comm(const struct table *t, const struct sock_entry *e);
const char *owner_comm(const struct table *t, const struct owner *o);
/* The writers (the model): the new name's reference taken, the old one's
 * dropped. A name the table cannot keep (no memory) reads "" and is
 * counted (comms_dropped), never another name. */
void table_set_comm(struct table *t, struct sock_entry *e, const char *name);
void table_set_owner_comm(struct table *t, struct owner *o, const char *name);
void table_comm_from_owner(struct table *t, struct sock_entry *e, const struct owner *o);
/* Its holders forgotten (nowners 0), their names with them */
void table_owners_clear(struct table *t, struct sock_entry *e);
/* While pinned (a paused view holds copies of entries and transitions),
 * no name is given back, so the ids of copies keep naming what they did */
void table_comms_pin(struct table *t);
void table_comms_unpin(struct table *t);
uint32_t table_comm_count(const struct table *t);	/* transitions' names kept */
uint32_t table_entry_comm_count(const struct table *t); /* sockets' and holders' */

const struct table_stats *table_stats(const struct table *t);
uint64_t table_generation(const struct table *t); /* bumped on every change */
void table_touch(struct table *t);		 /* bump it from outside */
/* An entry's fields were changed from outside (owners): bump and log it. */
void table_touch_entry(struct table *t, const struct sock_entry *e);
uint64_t table_log_seq(const struct table *t);
uint64_t table_log_start(const struct table *t);
uint64_t table_log_touches(const struct table *t);
/* Record seq into *c; false when it cannot be read (see above) */
bool table_log_get(const struct table *t, uint64_t seq, struct table_change *c);

const char *tcp_state_name(uint8_t state); /* "ESTABLISHED", "?" if unknown */
int tcp_state_parse(const char *s);	   /* prefix, case-insensitive, -1 */

#endif
