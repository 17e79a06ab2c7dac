// SPDX-License-Identifier: GPL-2.0
/* radix_bits and radix_word against a plain stable sort: ties keep their
 * order, keys using every bit, one key, keys all the same. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "radix.h"

#define N 5000

struct pair {
	uint64_t k;
	uint32_t pos;
};

/* by key, then by first position: the stable order */
static int by_key_then_pos(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	if (x->k != y->k)
		return x->k < y->k ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Sort n keys (mask: the bits they may use) both ways; 0 when the
 * result is the stable order. */
static int check_sort(uint32_t n, uint64_t mask, int bits, bool by_bits, uint64_t *seed)
{
	uint64_t *kw = malloc(N * sizeof(*kw)), *kw2 = malloc(N * sizeof(*kw2));
	uint32_t *ord = malloc(N * sizeof(*ord)), *ord2 = malloc(N * sizeof(*ord2));
	struct pair *ref = malloc(N * sizeof(*ref));
	struct radix x = { kw, kw2, ord, ord2 };
	int bad = 0;

	for (uint32_t i = 0; i < n; i++) {
		/* few distinct values in one case in four: many ties */
		uint64_t k = rnd(seed) & mask;

		if (*seed % 4 == 0)
			k &= 7;
		kw[i] = k;
		ord[i] = i;
		ref[i] = (struct pair){ k, i };
	}
	qsort(ref, n, sizeof(*ref), by_key_then_pos);
	if (by_bits)
		radix_bits(&x, n, bits);
	else
		radix_word(&x, n);
	for (uint32_t i = 0; i < n; i++)
		bad += x.ord[i] != ref[i].pos || x.kw[i] != ref[i].k;
	free(x.kw);
	free(x.kw2);
	free(x.ord);
	free(x.ord2);
	free(ref);
	return bad;
}

static void test_bits_stable(void)
{
	static const int widths[] = { 1, 10, 11, 12, 20, 22, 33, 56, 63, 64 };
	uint64_t seed = 88172645463325252ULL;

	for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
		int b = widths[w];
		uint64_t mask = b == 64 ? ~0ULL : (1ULL << b) - 1;

		CHECK(check_sort(N, mask, b, true, &seed) == 0);
		CHECK(check_sort(N, mask, b, false, &seed) == 0);
	}
}

static void test_bits_small(void)
{
	uint64_t seed = 12345;

	CHECK(check_sort(0, 0xff, 8, true, &seed) == 0);
	CHECK(check_sort(1, 0xff, 8, true, &seed) == 0);
	CHECK(check_sort(2, 0xff, 8, true, &seed) == 0);
	CHECK(check_sort(N, 0, 0, true, &seed) == 0); /* every key 0 */
	CHECK(check_sort(N, 0, 40, true, &seed) == 0);
}

int main(void)
{
	RUN(test_bits_stable);
	RUN(test_bits_small);
	CHECK_EXIT();
}
