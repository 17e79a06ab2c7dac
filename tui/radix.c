// SPDX-License-Identifier: GPL-2.0
/* One stable LSD radix pass set over a key word (radix.h). */
#include "radix.h"

#include <string.h>

/* keys between two looks at the stop flag: about 0.1-0.3 ms of a pass */
#define RADIX_BLOCK (1u << 16)

static bool stopped(const atomic_bool *stop)
{
	return stop && atomic_load_explicit(stop, memory_order_relaxed);
}

static void tally(const struct radix *x, uint32_t n, int shift, uint64_t mask, uint32_t *count)
{
	for (uint32_t i = 0; i < n; i++)
		count[(x->kw[i] >> shift) & mask]++;
}

/* Scatter by the digit at shift (mask: the digit's values less one,
 * count: the tally of each); false when stopped. */
static bool pass(struct radix *x, uint32_t n, int shift, uint64_t mask, uint32_t *count,
		 const atomic_bool *stop)
{
	uint32_t sum = 0;
	uint64_t *tk;
	uint32_t *to;

	for (uint64_t b = 0; b <= mask; b++) {
		uint32_t c = count[b];

		count[b] = sum;
		sum += c;
	}
	for (uint32_t lo = 0; lo < n; lo += RADIX_BLOCK) {
		uint32_t hi = n - lo > RADIX_BLOCK ? lo + RADIX_BLOCK : n;

		if (stopped(stop))
			return false;
		for (uint32_t i = lo; i < hi; i++) {
			uint32_t d = count[(x->kw[i] >> shift) & mask]++;

			x->kw2[d] = x->kw[i];
			x->ord2[d] = x->ord[i];
		}
	}
	tk = x->kw, x->kw = x->kw2, x->kw2 = tk;
	to = x->ord, x->ord = x->ord2, x->ord2 = to;
	return true;
}

bool radix_word_until(struct radix *x, uint32_t n, const atomic_bool *stop)
{
	uint64_t diff = 0;

	for (uint32_t i = 1; i < n; i++)
		diff |= x->kw[i] ^ x->kw[0];
	for (int shift = 0; shift < 64; shift += 8) {
		uint32_t count[256] = { 0 };

		if (!((diff >> shift) & 0xff))
			continue;
		if (stopped(stop))
			return false;
		tally(x, n, shift, 0xff, count);
		if (!pass(x, n, shift, 0xff, count, stop))
			return false;
	}
	return true;
}

void radix_word(struct radix *x, uint32_t n)
{
	radix_word_until(x, n, NULL);
}

#define DIGIT 11

bool radix_bits_until(struct radix *x, uint32_t n, int bits, const atomic_bool *stop)
{
	const uint32_t nb = 1u << DIGIT;
	uint32_t count[1u << DIGIT];

	for (int shift = 0; shift < bits; shift += DIGIT) {
		if (stopped(stop))
			return false;
		memset(count, 0, sizeof(count));
		tally(x, n, shift, nb - 1, count);
		if (n && count[(x->kw[0] >> shift) & (nb - 1)] == n)
			continue; /* the same digit in every key */
		if (!pass(x, n, shift, nb - 1, count, stop))
			return false;
	}
	return true;
}

void radix_bits(struct radix *x, uint32_t n, int bits)
{
	radix_bits_until(x, n, bits, NULL);
}
