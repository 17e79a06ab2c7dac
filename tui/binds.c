// SPDX-License-Identifier: GPL-2.0
/*
 * Bind events model: a ring of the last cap EV_BIND events and a uthash of
 * counts per address and port. Bounds are counted (dropped, counts_dropped)
 * so views can show them. Nothing here reads a clock or prints.
 */
/* before uthash.h (via binds.h): allocation failure is counted, not fatal */
#define HASH_NONFATAL_OOM 1
#define uthash_nonfatal_oom(obj) (binds_oom = true)
#include "binds.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct binds {
	uint32_t cap;
	uint32_t len;		/* stored, <= cap */
	uint32_t head;		/* next slot to write */
	struct event *ring;
	struct bind_count *counts; /* uthash */
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
	struct bind_count *c, *tmp;

	if (!b)
		return;
	HASH_ITER(hh, b->counts, c, tmp) {
		HASH_DEL(b->counts, c);
		free(c);
	}
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

static void count_bind(struct binds *b, const struct event *ev)
{
	struct bind_count_key k;
	struct bind_count *c;
	bool binds_oom = false;

	memset(&k, 0, sizeof(k));
	k.family = ev->family;
	k.protocol = ev->protocol;
	k.port = binds_port(ev);
	memcpy(k.addr, ev->saddr, ev->family == AF_INET ? 4 : 16);
	HASH_FIND(hh, b->counts, &k, sizeof(k), c);
	if (!c) {
		if (b->ncounts >= BINDS_MAX_COUNTS || !(c = calloc(1, sizeof(*c)))) {
			b->st.counts_dropped++;
			return;
		}
		c->key = k;
		HASH_ADD(hh, b->counts, key, sizeof(k), c);
		if (binds_oom) {
			free(c);
			b->st.counts_dropped++;
			return;
		}
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

uint32_t binds_counts(const struct binds *b, const struct bind_count **out, uint32_t max)
{
	const struct bind_count *c;
	uint32_t n = 0;

	if (b->ncounts <= max) {
		for (c = b->counts; c; c = c->hh.next)
			out[n++] = c;
		qsort(out, n, sizeof(*out), count_cmp);
		return n;
	}
	/* more counts than room: sort them all, keep the top max */
	const struct bind_count **all = malloc(b->ncounts * sizeof(*all));

	if (!all)
		return 0;
	for (c = b->counts; c; c = c->hh.next)
		all[n++] = c;
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
