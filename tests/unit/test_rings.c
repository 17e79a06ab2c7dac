// SPDX-License-Identifier: GPL-2.0
/*
 * The per-CPU rings' merge (rings.h) on rings laid out in memory as the
 * kernel lays them out: records come out in timestamp order across the
 * rings, nothing is handed on while a ring could still give an older
 * one (a record being written, or, for an empty ring, one stamped after
 * the drain began), discarded records are passed over, a budget is kept.
 */
#include <linux/bpf.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "rings.h"

#define SIZE 4096

struct fake {
	unsigned long cons, prod;
	char data[2 * SIZE] __attribute__((aligned(8)));
	struct ring_view *v;
};

/* a record of a timestamp and an id, at the producer position */
static uint32_t *put(struct fake *f, uint64_t ts, uint32_t id, uint32_t bits)
{
	char rec[BPF_RINGBUF_HDR_SZ + 16] = { 0 };
	uint32_t len = 16 | bits;
	size_t off = f->prod & (SIZE - 1);

	memcpy(rec, &len, sizeof(len));
	memcpy(rec + BPF_RINGBUF_HDR_SZ, &ts, sizeof(ts));
	memcpy(rec + BPF_RINGBUF_HDR_SZ + 8, &id, sizeof(id));
	memcpy(f->data + off, rec, sizeof(rec));
	if (off + sizeof(rec) > SIZE) /* the kernel maps the data twice */
		memcpy(f->data, f->data + SIZE, off + sizeof(rec) - SIZE);
	f->prod += sizeof(rec);
	return (uint32_t *)(f->data + off);
}

static void commit(uint32_t *hdr, uint64_t ts)
{
	*hdr &= ~BPF_RINGBUF_BUSY_BIT;
	memcpy((char *)hdr + BPF_RINGBUF_HDR_SZ, &ts, sizeof(ts));
}

static void setup(struct fake *f, struct ring_view *v, int n)
{
	memset(f, 0, n * sizeof(*f));
	memset(v, 0, n * sizeof(*v));
	for (int i = 0; i < n; i++) {
		v[i].consumer_pos = &f[i].cons;
		v[i].producer_pos = &f[i].prod;
		v[i].data = f[i].data;
		v[i].mask = SIZE - 1;
		f[i].v = &v[i];
	}
}

struct got {
	uint32_t id[64];
	int ring[64];
	int n;
	int room; /* > 0: records taken before the taker refuses */
};

static bool take(void *ctx, int ring, const void *data, size_t size)
{
	struct got *g = ctx;
	uint32_t id;

	if (g->room && g->n >= g->room)
		return false;
	if (size != 16 || g->n >= 64)
		return true;
	memcpy(&id, (const char *)data + 8, sizeof(id));
	g->ring[g->n] = ring;
	g->id[g->n++] = id;
	return true;
}

/* what a drain at now_ns hands on */
static int drain(struct ring_view *v, int n, uint64_t now_ns, int budget, struct got *g)
{
	for (int i = 0; i < n; i++)
		v[i].prod = *v[i].producer_pos;
	return rings_merge(v, n, now_ns, budget, take, g);
}

static void test_timestamp_order(void)
{
	struct fake f[3];
	struct ring_view v[3];
	struct got g = { 0 };

	setup(f, v, 3);
	put(&f[0], 10, 1, 0);
	put(&f[0], 30, 3, 0);
	put(&f[0], 50, 5, 0);
	put(&f[1], 20, 2, 0);
	put(&f[1], 40, 4, 0);
	put(&f[2], 45, 6, 0);
	CHECK(drain(v, 3, 100, 0, &g) == 6);
	CHECK(g.n == 6 && g.id[0] == 1 && g.id[1] == 2 && g.id[2] == 3 && g.id[3] == 4 &&
	      g.id[4] == 6 && g.id[5] == 5);
	/* each with the ring it came from */
	CHECK(g.ring[0] == 0 && g.ring[1] == 1 && g.ring[2] == 0 && g.ring[3] == 1 &&
	      g.ring[4] == 2 && g.ring[5] == 0);
	CHECK(f[0].cons == f[0].prod && f[1].cons == f[1].prod && f[2].cons == f[2].prod);
}

/* An empty ring may still give a record stamped after the drain began:
 * younger ones wait for the next drain */
static void test_holds_newer_than_drain(void)
{
	struct fake f[2];
	struct ring_view v[2];
	struct got g = { 0 };

	setup(f, v, 2);
	put(&f[0], 10, 1, 0);
	put(&f[0], 60, 3, 0);
	put(&f[1], 20, 2, 0);
	CHECK(drain(v, 2, 50, 0, &g) == 2);
	CHECK(g.n == 2 && g.id[0] == 1 && g.id[1] == 2);
	put(&f[1], 55, 4, 0); /* stamped before the held one */
	CHECK(drain(v, 2, 70, 0, &g) == 2);
	CHECK(g.n == 4 && g.id[2] == 4 && g.id[3] == 3);
}

/* A record being written may be older than any other ring's next one */
static void test_stops_at_busy(void)
{
	struct fake f[2];
	struct ring_view v[2];
	struct got g = { 0 };
	uint32_t *busy;

	setup(f, v, 2);
	put(&f[0], 10, 1, 0);
	put(&f[0], 30, 3, 0);
	put(&f[1], 20, 2, 0);
	busy = put(&f[1], 0, 4, BPF_RINGBUF_BUSY_BIT);
	CHECK(drain(v, 2, 100, 0, &g) == 2);
	CHECK(g.n == 2 && g.id[0] == 1 && g.id[1] == 2);
	commit(busy, 25);
	CHECK(drain(v, 2, 100, 0, &g) == 2);
	CHECK(g.n == 4 && g.id[2] == 4 && g.id[3] == 3);
}

static void test_discarded_passed_over(void)
{
	struct fake f[2];
	struct ring_view v[2];
	struct got g = { 0 };

	setup(f, v, 2);
	put(&f[0], 5, 9, BPF_RINGBUF_DISCARD_BIT);
	put(&f[0], 30, 2, 0);
	put(&f[1], 20, 1, 0);
	CHECK(drain(v, 2, 100, 0, &g) == 2);
	CHECK(g.n == 2 && g.id[0] == 1 && g.id[1] == 2 && f[0].cons == f[0].prod);
}

static void test_budget_and_wrap(void)
{
	struct fake f[2];
	struct ring_view v[2];
	struct got g = { 0 };
	int n = 0;

	setup(f, v, 2);
	/* near the end of the data: records wrap */
	f[0].cons = f[0].prod = SIZE - 40;
	for (uint32_t i = 0; i < 6; i++)
		put(&f[i % 2], 10 + i, i, 0);
	CHECK(drain(v, 2, 100, 4, &g) == 4);
	n = drain(v, 2, 100, 4, &g);
	CHECK(n == 2 && g.n == 6);
	for (int i = 0; i < g.n; i++)
		CHECK(g.id[i] == (uint32_t)i);
}

/* A record the taker refuses stays in its ring, first for the next drain */
static void test_refused_stays(void)
{
	struct fake f[2];
	struct ring_view v[2];
	struct got g = { .room = 2 };

	setup(f, v, 2);
	for (uint32_t i = 0; i < 5; i++)
		put(&f[i % 2], 10 + i, i, 0);
	CHECK(drain(v, 2, 100, 0, &g) == 2);
	CHECK(f[0].cons + f[1].cons == 2 * (BPF_RINGBUF_HDR_SZ + 16));
	g.room = 0;
	CHECK(drain(v, 2, 100, 0, &g) == 3);
	CHECK(g.n == 5);
	for (int i = 0; i < g.n; i++)
		CHECK(g.id[i] == (uint32_t)i);
}

/* With one ring there is nothing to wait for */
static void test_one_ring(void)
{
	struct fake f[1];
	struct ring_view v[1];
	struct got g = { 0 };

	setup(f, v, 1);
	put(&f[0], 90, 1, 0);
	put(&f[0], 80, 2, 0);
	CHECK(drain(v, 1, 50, 0, &g) == 2);
	CHECK(g.n == 2 && g.id[0] == 1 && g.id[1] == 2);
}

int main(void)
{
	RUN(test_timestamp_order);
	RUN(test_holds_newer_than_drain);
	RUN(test_stops_at_busy);
	RUN(test_discarded_passed_over);
	RUN(test_budget_and_wrap);
	RUN(test_one_ring);
	RUN(test_refused_stays);
	CHECK_EXIT();
}
