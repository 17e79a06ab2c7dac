// SPDX-License-Identifier: GPL-2.0
/* The listener index: a uthash by network namespace and local port, a few
 * sockets per port. */
#include "listeners.h"

#include <errno.h>
#include <stdlib.h>
#include <uthash.h>

/* 1,024 buckets from the start (16 KiB), not uthash's 32: it doubles
 * only when a chain passes 10, so a hundred listening ports sat four to
 * a chain, and every accepted connection's lookup walked the chain's
 * ports, a cache miss each (5% of --stream's CPU in perf under churn on
 * 128 ports) */
#undef HASH_INITIAL_NUM_BUCKETS_LOG2
#undef HASH_INITIAL_NUM_BUCKETS
#define HASH_INITIAL_NUM_BUCKETS_LOG2 10U
#define HASH_INITIAL_NUM_BUCKETS (1U << HASH_INITIAL_NUM_BUCKETS_LOG2)

#include "table.h"

#define LISTEN_SLOTS 8

struct port_key {
	uint32_t netns;
	uint16_t lport;
	uint16_t pad; /* zeroed: the key is hashed as bytes */
};

struct listen_port {
	struct port_key key;
	int n;
	bool crowded;	/* more sockets than slots: owner unknown */
	struct {
		uint64_t skaddr;
		bool shared;
		struct listen_owner o;
	} s[LISTEN_SLOTS];
	UT_hash_handle hh;
};

struct listeners {
	struct listen_port *ports;
	uint64_t dropped;
};

struct listeners *listeners_new(void)
{
	return calloc(1, sizeof(struct listeners));
}

void listeners_free(struct listeners *l)
{
	struct listen_port *p, *tp;

	if (!l)
		return;
	HASH_ITER(hh, l->ports, p, tp) {
		HASH_DEL(l->ports, p);
		free(p);
	}
	free(l);
}

void listeners_add(struct listeners *l, uint64_t skaddr, uint32_t netns, uint16_t lport,
		   const struct listen_owner *o)
{
	struct port_key k = { netns, lport, 0 };
	struct listen_port *p;
	int i;

	HASH_FIND(hh, l->ports, &k, sizeof(k), p);
	if (!p) {
		p = calloc(1, sizeof(*p));
		if (!p)
			return;
		p->key = k;
		HASH_ADD(hh, l->ports, key, sizeof(p->key), p);
	}
	for (i = 0; i < p->n && p->s[i].skaddr != skaddr; i++)
		;
	if (i == p->n) {
		if (p->n == LISTEN_SLOTS) {
			p->crowded = true;
			l->dropped++;
			return;
		}
		p->n++;
		p->s[i].shared = false;
		p->s[i].o.pid = 0;
	}
	/* one listening socket held by several processes (pre-fork
	 * servers): any of them may accept, so nobody is named */
	if (p->s[i].o.pid && !same_process(p->s[i].o.pid, p->s[i].o.pstart, o->pid, o->pstart))
		p->s[i].shared = true;
	p->s[i].skaddr = skaddr;
	p->s[i].o = *o;
}

void listeners_del(struct listeners *l, uint64_t skaddr, uint32_t netns, uint16_t lport)
{
	struct port_key k = { netns, lport, 0 };
	struct listen_port *p;

	HASH_FIND(hh, l->ports, &k, sizeof(k), p);
	if (!p)
		return;
	for (int i = 0; i < p->n; i++) {
		if (p->s[i].skaddr == skaddr) {
			p->s[i] = p->s[--p->n];
			break;
		}
	}
	if (!p->n) {
		HASH_DEL(l->ports, p);
		free(p);
	}
}

bool listeners_owner(const struct listeners *l, uint32_t netns, uint16_t lport,
		     struct listen_owner *out)
{
	struct port_key k = { netns, lport, 0 };
	struct listen_port *p;
	bool found = false;

	HASH_FIND(hh, l->ports, &k, sizeof(k), p);
	if (p && p->crowded)
		return false;
	for (int i = 0; p && i < p->n; i++) {
		if (p->s[i].shared)
			return false;
		if (!p->s[i].o.pid)
			continue;
		if (found && !same_process(p->s[i].o.pid, p->s[i].o.pstart, out->pid, out->pstart))
			return false; /* several processes: do not guess */
		*out = p->s[i].o;
		found = true;
	}
	return found;
}

uint64_t listeners_dropped(const struct listeners *l)
{
	return l->dropped;
}
