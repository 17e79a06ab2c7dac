// SPDX-License-Identifier: GPL-2.0
/* One stable LSD radix pass set over a key word (radix.h). */
#include "radix.h"

#include <string.h>

void radix_word(struct radix *x, uint32_t n)
{
	uint64_t diff = 0;
	static const int nb = 256;

	for (uint32_t i = 1; i < n; i++)
		diff |= x->kw[i] ^ x->kw[0];
	for (int shift = 0; shift < 64; shift += 8) {
		uint32_t count[256] = { 0 }, sum = 0;
		uint64_t *tk;
		uint32_t *to;

		if (!((diff >> shift) & 0xff))
			continue;
		for (uint32_t i = 0; i < n; i++)
			count[(x->kw[i] >> shift) & 0xff]++;
		for (int b = 0; b < nb; b++) {
			uint32_t c = count[b];

			count[b] = sum;
			sum += c;
		}
		for (uint32_t i = 0; i < n; i++) {
			uint32_t d = count[(x->kw[i] >> shift) & 0xff]++;

			x->kw2[d] = x->kw[i];
			x->ord2[d] = x->ord[i];
		}
		tk = x->kw, x->kw = x->kw2, x->kw2 = tk;
		to = x->ord, x->ord = x->ord2, x->ord2 = to;
	}
}

#define DIGIT 11

void radix_bits(struct radix *x, uint32_t n, int bits)
{
	const uint32_t nb = 1u << DIGIT;
	uint32_t count[1u << DIGIT];

	for (int shift = 0; shift < bits; shift += DIGIT) {
		uint32_t sum = 0;
		uint64_t *tk;
		uint32_t *to;

		memset(count, 0, sizeof(count));
		for (uint32_t i = 0; i < n; i++)
			count[(x->kw[i] >> shift) & (nb - 1)]++;
		if (n && count[(x->kw[0] >> shift) & (nb - 1)] == n)
			continue; /* the same digit in every key */
		for (uint32_t b = 0; b < nb; b++) {
			uint32_t c = count[b];

			count[b] = sum;
			sum += c;
		}
		for (uint32_t i = 0; i < n; i++) {
			uint32_t d = count[(x->kw[i] >> shift) & (nb - 1)]++;

			x->kw2[d] = x->kw[i];
			x->ord2[d] = x->ord[i];
		}
		tk = x->kw, x->kw = x->kw2, x->kw2 = tk;
		to = x->ord, x->ord = x->ord2, x->ord2 = to;
	}
}
