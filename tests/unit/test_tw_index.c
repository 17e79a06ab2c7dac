// SPDX-License-Identifier: GPL-2.0
/*
 * The TIME_WAIT index: every handle added is found under its key until
 * deleted, through growth, shrinking and backward-shift deletion (keys
 * crowded into few homes); a handle whose key is not the one it went in
 * under is still found and deleted by a walk.
 */
#include <stdlib.h>

#include "check.h"
#include "tw_index.h"

#define N 20000

static uint64_t key_of(uint32_t i, int crowded)
{
	uint64_t k = (uint64_t)i * 0x9E3779B97F4A7C15ULL;

	return crowded ? (k & 0xffffffffULL) | ((uint64_t)(i % 7) << 32) : k;
}

static void run(int crowded)
{
	struct tw_index x = { 0 };
	uint8_t *in = calloc(N, 1);
	uint32_t r = 99, n = 0;

	for (int step = 0; in && step < 8 * N; step++) {
		uint32_t i;

		r ^= r << 13, r ^= r >> 17, r ^= r << 5;
		i = r % N;
		if (in[i]) {
			CHECK(tw_index_del(&x, key_of(i, crowded), i + 1));
			in[i] = 0, n--;
		} else {
			CHECK(tw_index_add(&x, key_of(i, crowded), i + 1) == 0);
			in[i] = 1, n++;
		}
		if (step % 997 == 0)
			for (uint32_t k = 0; k < N; k++)
				CHECK(tw_index_find(&x, key_of(k, crowded)) == (in[k] ? k + 1 : 0));
	}
	CHECK(x.n == n);
	/* deleted under another key: found by the walk */
	for (uint32_t k = 0; in && k < N; k++)
		if (in[k]) {
			CHECK(tw_index_del(&x, key_of(k + 1, crowded) ^ 0x5555, k + 1));
			n--;
		}
	CHECK(x.n == 0 && n == 0 && !tw_index_del(&x, 1, 1) && !tw_index_find(&x, 1));
	tw_index_free(&x);
	free(in);
}

static void test_random(void)
{
	run(0);
}

static void test_crowded(void)
{
	run(1);
}

int main(void)
{
	RUN(test_random);
	RUN(test_crowded);
	CHECK_EXIT();
}
