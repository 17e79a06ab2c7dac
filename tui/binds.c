// SPDX-License-Identifier: GPL-2.0
/*
 * Bind events model: a ring of the last cap EV_BIND events and counts per
 * address and port. Bounds are counted (dropped, counts_dropped) so views
 * can show them. Nothing here reads a clock or prints.
 *
 * The counts' index is open addressing (linear probing) over an array of
 * pointers, grown past 70% load; counts are never removed one by one, so
 * it needs no deletion. Under churn every connect binds a new ephemeral
 * port: a uthash walked a chain of cache misses at each (7% of the UI's
 * CPU), a probe here is mostly one.
 */
#include "binds.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct binds {
	uint32_t cap;
	uint32_t len;  /* stored, <= cap */
	uint32_t head; /* next slot to write */
	struct event *ring;
	struct bind_count **slot; /* the counts' index: cap_slots, NULL empty */
	uint32_t *tag;		  /* the top half of each slot's key's hash */
	uint32_t cap_slots;	  /* a power of two, 0 before the first count */
	uint32_t ncounts;
	struct binds_stats st;
	uint64_t gen;
};

struct binds *binds_new(uint32_t cap)
{
	struct binds *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->cap = cap ? cap : BINDS_DEFAULT_CAP;
	b->ring = calloc(b->cap, sizeof(*b->ring));
	if (!b->ring) {
		free(b);
		errno = ENOMEM;
		return NULL;
	}
	return b;
}

void binds_free(struct binds *b)
{
	if (!b)
		return;
	for (uint32_t i = 0; i < b->cap_slots; i++)
		free(b->slot[i]);
	free(b->slot);
	free(b->tag);
	free(b->ring);
	free(b);
}

uint16_t binds_req_port(const struct event *ev)
{
	return (uint16_t)ev->aux;
}

uint16_t binds_port(const struct event *ev)
{
	return ev->lport ? ev->lport : binds_req_port(ev);
}

static uint64_t key_mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 31);
}

/* The key's hash: its low bits pick the home slot, its top half is the tag */
static uint64_t key_hash(const struct bind_count_key *k)
{
	uint64_t w[2], h;

	memcpy(w, k->addr, sizeof(w));
	h = key_mix(0xcbf29ce484222325ULL,
		    (uint64_t)k->family | (uint64_t)k->protocol << 16 | (uint64_t)k->port << 32);
	return key_mix(key_mix(h, w[0]), w[1]);
}

/* The index of the slot holding k (of hash h), else of the empty one
 * where it goes. */
static uint32_t find_slot(struct bind_count *const *slot, const uint32_t *tag, uint32_t cap,
			  const struct bind_count_key *k, uint64_t h)
{
	uint32_t i = (uint32_t)h & (cap - 1), t = (uint32_t)(h >> 32);

	while (slot[i] && (tag[i] != t || memcmp(&slot[i]->key, k, sizeof(*k))))
		i = (i + 1) & (cap - 1);
	return i;
}

/* Twice the slots (the first 1024), every count moved over. -ENOMEM
 * leaves the index as it was. */
static int grow(struct binds *b)
{
	uint32_t cap = b->cap_slots ? b->cap_slots * 2 : 1024;
	struct bind_count **slot = calloc(cap, sizeof(*slot));
	uint32_t *tag = malloc(cap * sizeof(*tag));

	if (!slot || !tag) {
		free(slot);
		free(tag);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < b->cap_slots; i++) {
		if (b->slot[i]) {
			uint64_t h = key_hash(&b->slot[i]->key);
			uint32_t j = find_slot(slot, tag, cap, &b->slot[i]->key, h);

			slot[j] = b->slot[i];
			tag[j] = (uint32_t)(h >> 32);
		}
	}
	free(b->slot);
	free(b->tag);
	b->slot = slot;
	b->tag = tag;
	b->cap_slots = cap;
	return 0;
}

static void count_bind(struct binds *b, const struct event *ev)
{
	struct bind_count_key k;
	struct bind_count *c;
	uint64_t h;
	uint32_t i;

	memset(&k, 0, sizeof(k));
	k.family = ev->family;
	k.protocol = ev->protocol;
	k.port = binds_port(ev);
	memcpy(k.addr, ev->saddr, ev->family == AF_INET ? 4 : 16);
	/* room for one more under 70% load, so a probe always ends */
	if ((uint64_t)(b->ncounts + 1) * 10 > (uint64_t)b->cap_slots * 7 && grow(b)) {
		b->st.counts_dropped++;
		return;
	}
	h = key_hash(&k);
	i = find_slot(b->slot, b->tag, b->cap_slots, &k, h);
	c = b->slot[i];
	if (!c) {
		if (b->ncounts >= BINDS_MAX_COUNTS || !(c = calloc(1, sizeof(*c)))) {
			b->st.counts_dropped++;
			return;
		}
		c->key = k;
		b->slot[i] = c;
		b->tag[i] = (uint32_t)(h >> 32);
		b->ncounts++;
	}
	c->binds++;
	if (ev->ret)
		c->failed++;
	c->last_ns = ev->ts_ns;
}

void binds_apply(struct binds *b, const struct event *ev)
{
	if (ev->kind != EV_BIND)
		return;
	if (b->len == b->cap)
		b->st.dropped++;
	else
		b->len++;
	b->ring[b->head] = *ev;
	b->head = (b->head + 1) % b->cap;
	b->st.total++;
	if (ev->ret)
		b->st.failed++;
	if (ev->flags & BIND_IMPLICIT)
		b->st.implicit++;
	count_bind(b, ev);
	b->gen++;
}

uint32_t binds_len(const struct binds *b)
{
	return b->len;
}

const struct event *binds_get(const struct binds *b, uint32_t i)
{
	if (i >= b->len)
		return NULL;
	return &b->ring[(b->head + b->cap - 1 - i) % b->cap];
}

const struct binds_stats *binds_stats(const struct binds *b)
{
	return &b->st;
}

uint64_t binds_generation(const struct binds *b)
{
	return b->gen;
}

uint32_t binds_ncounts(const struct binds *b)
{
	return b->ncounts;
}

static int count_cmp(const void *pa, const void *pb)
{
	const struct bind_count *a = *(const struct bind_count *const *)pa;
	const struct bind_count *b = *(const struct bind_count *const *)pb;
	int r;

	if (a->binds != b->binds)
		return a->binds > b->binds ? -1 : 1;
	if (a->key.family != b->key.family)
		return a->key.family < b->key.family ? -1 : 1;
	r = memcmp(a->key.addr, b->key.addr, sizeof(a->key.addr));
	if (r)
		return r;
	if (a->key.port != b->key.port)
		return a->key.port < b->key.port ? -1 : 1;
	return a->key.protocol < b->key.protocol ? -1 : a->key.protocol > b->key.protocol;
}

/* every count, in no order: n of them fit in out */
static void all_counts(const struct binds *b, const struct bind_count **out)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < b->cap_slots; i++)
		if (b->slot[i])
			out[n++] = b->slot[i];
}

uint32_t binds_counts(const struct binds *b, const struct bind_count **out, uint32_t max)
{
	uint32_t n = b->ncounts;

	if (n <= max) {
		all_counts(b, out);
		qsort(out, n, sizeof(*out), count_cmp);
		return n;
	}
	/* more counts than room: sort them all, keep the top max */
	const struct bind_count **all = malloc(n * sizeof(*all));

	if (!all)
		return 0;
	all_counts(b, all);
	qsort(all, n, sizeof(*all), count_cmp);
	memcpy(out, all, max * sizeof(*out));
	free(all);
	return max;
}

char *binds_opts_str(char *out, uint32_t flags)
{
	static const char letters[] = "FTNRr";

	for (int i = 0; i < 5; i++)
		out[i] = flags & (1u << i) ? letters[i] : '.';
	out[5] = '\0';
	return out;
}

const char *binds_proto_name(uint16_t protocol, char *buf, size_t bufsz)
{
	if (protocol == 6)
		return "TCP";
	if (protocol == 17)
		return "UDP";
	snprintf(buf, bufsz, "IP%u", protocol);
	return buf;
}
