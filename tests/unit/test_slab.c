// SPDX-License-Identifier: GPL-2.0
/*
 * The slab: objects handed out are zeroed, aligned, apart (each one's
 * whole size written and read back intact while the others change),
 * freed ones come back, chunks left empty are unmapped but one, and
 * every object's handle leads back to it.
 */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "slab.h"

#define N 20000 /* objects: several chunks of each size tried */

static int all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* object i filled with its own byte, and still so */
static void fill(unsigned char *p, size_t n, uint32_t i)
{
	memset(p, (int)(i * 131 + 7) & 0xff, n);
}

static int filled(const unsigned char *p, size_t n, uint32_t i)
{
	for (size_t k = 0; k < n; k++)
		if (p[k] != ((i * 131 + 7) & 0xff))
			return 0;
	return 1;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* n objects out: each handle not 0, its own, and back to its object */
static int handles_agree(const struct slab *s, unsigned char **v, uint32_t n)
{
	uint32_t *h = calloc(n, sizeof(*h));
	int ok = h != NULL;

	for (uint32_t i = 0; ok && i < n; i++) {
		h[i] = slab_handle(s, v[i]);
		ok = h[i] && slab_ptr(s, h[i]) == v[i] && slab_ptr_near(v[n - 1 - i], h[i]) == v[i];
	}
	if (ok)
		qsort(h, n, sizeof(*h), cmp_u32);
	for (uint32_t i = 1; ok && i < n; i++)
		ok = h[i] != h[i - 1];
	free(h);
	return ok;
}

static void try_size(size_t size)
{
	struct slab s;
	unsigned char **v = calloc(N, sizeof(*v));
	uint32_t bad = 0, peak;

	CHECK(v);
	if (!v)
		return;
	slab_init(&s, size);
	CHECK(s.size >= size && s.size % 8 == 0 && s.per_chunk > 1);
	for (uint32_t i = 0; i < N; i++) {
		v[i] = slab_alloc(&s);
		if (!v[i] || (uintptr_t)v[i] % 8 || !all_zero(v[i], size))
			bad++;
		else
			fill(v[i], size, i);
	}
	CHECK(!bad);
	CHECK(handles_agree(&s, v, N));
	peak = s.nchunks;
	CHECK(peak >= (N + s.per_chunk - 1) / s.per_chunk);
	/* every other one out, the rest intact; back in, zeroed */
	for (uint32_t i = 0; i < N; i += 2) {
		slab_free(&s, v[i]);
		v[i] = NULL;
	}
	for (uint32_t i = 1; i < N; i += 2)
		bad += !filled(v[i], size, i);
	CHECK(!bad);
	for (uint32_t i = 0; i < N; i += 2) {
		v[i] = slab_alloc(&s);
		if (!v[i] || !all_zero(v[i], size))
			bad++;
		else
			fill(v[i], size, i);
	}
	CHECK(!bad);
	CHECK(s.nchunks == peak); /* the freed ones were taken again */
	CHECK(handles_agree(&s, v, N));
	for (uint32_t i = 0; i < N; i++)
		bad += !filled(v[i], size, i);
	CHECK(!bad);
	/* all out: every chunk unmapped but the spare */
	for (uint32_t i = 0; i < N; i++)
		slab_free(&s, v[i]);
	CHECK(s.nchunks == 1 && !s.all && !s.avail && s.spare);
	/* and the spare serves the next, zeroed */
	v[0] = slab_alloc(&s);
	CHECK(v[0] && all_zero(v[0], size) && s.nchunks == 1);
	slab_free(&s, v[0]);
	slab_free(&s, NULL);
	slab_destroy(&s);
	CHECK(!s.nchunks && !s.all && !s.spare);
	free(v);
}

static void test_sizes(void)
{
	try_size(1);
	try_size(64);
	try_size(192);
	try_size(264);
	try_size(1000);
}

/* Destroyed with objects still out: nothing left mapped */
static void test_destroy_with_objects_out(void)
{
	struct slab s;

	slab_init(&s, 256);
	for (int i = 0; i < 5000; i++)
		CHECK(slab_alloc(&s));
	CHECK(s.nchunks > 1);
	slab_destroy(&s);
	CHECK(!s.nchunks && !s.all && !s.avail && !s.spare);
	CHECK(slab_alloc(&s)); /* usable again */
	slab_destroy(&s);
}

/* Chunks unmapped in the middle: their ids go to the next ones mapped,
 * and every handle still leads to its object */
static void test_ids_reused(void)
{
	enum { M = 6000 };
	unsigned char *v[M];
	struct slab s;
	uint32_t per, n = 0, ids;

	slab_init(&s, 256);
	per = s.per_chunk;
	for (uint32_t i = 0; i < M; i++)
		v[i] = slab_alloc(&s);
	ids = s.nids;
	CHECK(ids >= M / per);
	/* the second and third chunks' objects out: one kept, one unmapped */
	for (uint32_t i = 0; i < M; i++)
		if (i < per || i >= 3 * per)
			v[n++] = v[i];
		else
			slab_free(&s, v[i]);
	CHECK(s.nchunks == ids - 1);
	for (uint32_t i = 0; i < 2 * per; i++)
		v[n++] = slab_alloc(&s);
	CHECK(n == M && s.nids == ids && s.nchunks == ids);
	CHECK(handles_agree(&s, v, n));
	slab_destroy(&s);
}

int main(void)
{
	RUN(test_sizes);
	RUN(test_destroy_with_objects_out);
	RUN(test_ids_reused);
	CHECK_EXIT();
}
