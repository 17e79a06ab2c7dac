// SPDX-License-Identifier: GPL-2.0
/*
 * The queue between the rings' reader thread and the main thread
 * (ring_queue.h): records come out in the order put, with their ring and
 * size, across chunks; the bound refuses (unless told to go past it) and
 * frees as records are taken; nothing is seen before it is published; a
 * writer thread and a reader at once lose and reorder nothing.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "ring_queue.h"

struct seen {
	uint64_t next; /* the sequence number expected */
	uint64_t bad;
	size_t bytes;
};

/* a record: its sequence number, then as many bytes as its size says */
static size_t rec_len(uint64_t seq)
{
	return 40 + (seq % 3) * 136;
}

static bool put_seq(struct ring_queue *q, uint64_t seq, bool past)
{
	char rec[40 + 2 * 136];

	memset(rec, (int)(seq & 0xff), sizeof(rec));
	memcpy(rec, &seq, sizeof(seq));
	return rq_put(q, (int)(seq % 7), rec, rec_len(seq), past);
}

static void check_rec(void *ctx, int ring, const void *data, size_t len)
{
	struct seen *s = ctx;
	uint64_t seq;

	memcpy(&seq, data, sizeof(seq));
	if (seq != s->next || ring != (int)(seq % 7) || len != rec_len(seq) ||
	    ((const unsigned char *)data)[len - 1] != (seq & 0xff))
		s->bad++;
	s->next = seq + 1;
	s->bytes += len;
}

static void test_order_across_chunks(void)
{
	struct ring_queue *q = rq_new(64u << 20);
	struct seen s = { 0 };
	uint64_t n = 100000; /* about 13 MB: a dozen chunks */

	CHECK(q);
	for (uint64_t i = 0; i < 100; i++)
		CHECK(put_seq(q, i, false));
	/* not published yet (a full chunk is published as the next begins) */
	CHECK(rq_records(q) == 0 && rq_take(q, 0, check_rec, &s) == 0);
	for (uint64_t i = 100; i < n; i++)
		CHECK(put_seq(q, i, false));
	rq_publish(q);
	CHECK(rq_records(q) == n);
	CHECK(rq_take(q, 10, check_rec, &s) == 10);
	CHECK(rq_take(q, 0, check_rec, &s) == n - 10);
	CHECK(s.next == n && !s.bad);
	CHECK(rq_records(q) == 0 && rq_bytes(q) == 0);
	CHECK(rq_peak_bytes(q) > 12u << 20);
	CHECK(rq_take(q, 0, check_rec, &s) == 0);
	rq_free(q);
}

static void test_bound(void)
{
	struct ring_queue *q = rq_new(4096);
	struct seen s = { 0 };
	uint64_t i = 0;

	CHECK(q);
	while (put_seq(q, i, false))
		i++;
	CHECK(i > 10 && rq_bytes(q) == 0);
	rq_publish(q);
	CHECK(rq_bytes(q) <= 4096 && rq_records(q) == i);
	CHECK(put_seq(q, i, true)); /* past the bound when told */
	i++;
	rq_publish(q);
	CHECK(!put_seq(q, i, false));
	CHECK(rq_take(q, 0, check_rec, &s) == i);
	CHECK(put_seq(q, i, false)); /* taken: room again */
	rq_publish(q);
	CHECK(rq_take(q, 0, check_rec, &s) == 1);
	CHECK(s.next == i + 1 && !s.bad);
	rq_free(q);
}

struct writer {
	struct ring_queue *q;
	uint64_t n;
};

static void *write_all(void *arg)
{
	struct writer *w = arg;

	for (uint64_t i = 0; i < w->n;) {
		if (put_seq(w->q, i, false))
			i++;
		else
			rq_publish(w->q); /* full: let the reader catch up */
		if (i % 1000 == 0)
			rq_publish(w->q);
	}
	rq_publish(w->q);
	return NULL;
}

static void test_two_threads(void)
{
	struct writer w = { rq_new(1u << 20), 2000000 };
	struct seen s = { 0 };
	pthread_t t;

	CHECK(w.q);
	CHECK(!pthread_create(&t, NULL, write_all, &w));
	while (s.next < w.n)
		rq_take(w.q, 512, check_rec, &s);
	pthread_join(t, NULL);
	CHECK(s.next == w.n && !s.bad);
	CHECK(rq_records(w.q) == 0 && rq_bytes(w.q) == 0);
	CHECK(rq_peak_bytes(w.q) <= 1u << 20);
	rq_free(w.q);
}

int main(void)
{
	RUN(test_order_across_chunks);
	RUN(test_bound);
	RUN(test_two_threads);
	CHECK_EXIT();
}
