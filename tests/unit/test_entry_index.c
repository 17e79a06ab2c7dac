// SPDX-License-Identifier: GPL-2.0
/*
 * The table's open-addressing index: every key added is found, every key
 * removed is not, through growth, shrinking and deletions inside long
 * probe runs (the backward shift must leave no entry behind a hole).
 */
#include <stdlib.h>

#include "check.h"
#include "entry_index.h"
#include "slab.h"
#include "table.h"

#define N 20000

/* Every entry in the index is found and every other one is not */
static int agrees(const struct entry_index *x, struct sock_entry **v, const bool *in, uint32_t n)
{
	uint32_t count = 0;

	for (uint32_t i = 0; i < n; i++) {
		struct sock_entry *f = entry_index_find(x, sock_hkey(v[i]));

		if (f != (in[i] ? v[i] : NULL))
			return 0;
		count += in[i];
	}
	return count == x->n;
}

/* n zeroed entries from the slab the index takes them from */
static struct sock_entry **entries(struct slab *s, uint32_t n)
{
	struct sock_entry **v = calloc(n, sizeof(*v));

	slab_init(s, sizeof(struct sock_entry));
	for (uint32_t i = 0; v && i < n; i++) {
		v[i] = slab_alloc(s);
		if (!v[i]) {
			free(v);
			return NULL;
		}
	}
	return v;
}

/* Kernel-like keys: one slab's objects, a fixed stride apart */
static void test_add_find_del(void)
{
	struct slab s;
	struct sock_entry **v = entries(&s, N);
	bool *in = calloc(N, sizeof(*in));
	struct entry_index x;
	uint32_t cap_full;

	CHECK(v && in && !entry_index_init(&x, &s));
	if (!v || !in)
		goto out;
	for (uint32_t i = 0; i < N; i++) {
		v[i]->skaddr = 0xffff888100000000ULL + (uint64_t)i * 2304;
		CHECK(!entry_index_add(&x, v[i]));
		in[i] = true;
	}
	CHECK(x.n == N && (uint64_t)x.n * 10 <= (uint64_t)x.cap * 7);
	CHECK(agrees(&x, v, in, N));
	cap_full = x.cap;
	/* every third out, then most of the rest: it shrinks, all still found */
	for (uint32_t i = 0; i < N; i += 3) {
		entry_index_del(&x, v[i]);
		in[i] = false;
	}
	CHECK(agrees(&x, v, in, N));
	for (uint32_t i = 0; i < N - 100; i++) {
		if (in[i])
			entry_index_del(&x, v[i]);
		in[i] = false;
	}
	CHECK(x.cap < cap_full);
	CHECK(agrees(&x, v, in, N));
	entry_index_free(&x);
out:
	slab_destroy(&s);
	free(v);
	free(in);
}

/* Keys whose hashes share their top bits: one long run. Removing from
 * its middle in random order must keep every later member reachable. */
static void test_one_run(void)
{
	enum { M = 300 };
	struct slab s;
	struct sock_entry **v = entries(&s, M);
	bool in[M];
	struct entry_index x;
	uint32_t seed = 1;

	CHECK(v && !entry_index_init(&x, &s));
	if (!v)
		return;
	/* keys whose Fibonacci hash (entry_index.c) puts them on four homes
	 * of the first 1024 slots, around the end: one run that wraps */
	for (uint64_t key = 1, i = 0; i < M; key++) {
		uint32_t h = (uint32_t)((key * 0x9E3779B97F4A7C15ULL) >> 54);

		if (h != 1021 && h != 1023 && h != 3 && h != 4)
			continue;
		v[i]->skaddr = key;
		CHECK(!entry_index_add(&x, v[i]));
		in[i++] = true;
	}
	CHECK(x.cap == 1024);
	CHECK(agrees(&x, v, in, M));
	for (uint32_t k = 0; k < 4 * M; k++) {
		uint32_t i;

		seed = seed * 1103515245u + 12345u;
		i = (seed >> 8) % M;
		if (in[i])
			entry_index_del(&x, v[i]);
		else
			CHECK(!entry_index_add(&x, v[i]));
		in[i] = !in[i];
		if (!agrees(&x, v, in, M)) {
			CHECK(0);
			break;
		}
	}
	entry_index_free(&x);
	slab_destroy(&s);
	free(v);
}

/* Displaced, an entry is found by its new key, not by the old one */
static void test_rekey(void)
{
	struct slab s;
	struct sock_entry **v = entries(&s, 3);
	bool in[3] = { true, true, true };
	struct entry_index x;

	CHECK(v && !entry_index_init(&x, &s));
	if (!v)
		return;
	for (int i = 0; i < 3; i++) {
		v[i]->skaddr = 10 * (uint64_t)(i + 1);
		v[i]->serial = (uint64_t)i + 1;
		CHECK(!entry_index_add(&x, v[i]));
	}
	v[1]->flags |= SOCK_DISPLACED;
	entry_index_rekey(&x, v[1], 20);
	CHECK(sock_hkey(v[1]) == ~2ULL && x.n == 3);
	CHECK(!entry_index_find(&x, 20));
	CHECK(agrees(&x, v, in, 3));
	entry_index_free(&x);
	slab_destroy(&s);
	free(v);
}

int main(void)
{
	RUN(test_add_find_del);
	RUN(test_one_run);
	RUN(test_rekey);
	CHECK_EXIT();
}
