// SPDX-License-Identifier: GPL-2.0
/*
 * The slab: objects handed out are zeroed, aligned, apart (each one's
 * whole size written and read back intact while the others change),
 * freed ones come back, and chunks left empty are unmapped but one.
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

int main(void)
{
	RUN(test_sizes);
	RUN(test_destroy_with_objects_out);
	CHECK_EXIT();
}
