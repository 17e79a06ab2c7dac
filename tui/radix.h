/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One word of a stable LSD radix sort: positions (ord) sorted by a 64-bit
 * key each (kw, parallel), byte by byte, bytes the same in every key
 * skipped. Sorting by several words is one call a word, least
 * significant first (the rows index, the Groups pane's order).
 */
#ifndef SOCKTOP_RADIX_H
#define SOCKTOP_RADIX_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct radix {
	uint64_t *kw, *kw2; /* keys, and scratch as long */
	uint32_t *ord, *ord2;
};

/* Stable sort of ord[0..n) by kw[0..n); the pairs of arrays may swap
 * (the result is in x->kw and x->ord after). */
void radix_word(struct radix *x, uint32_t n);
/* The same by the low bits of kw[0..n) alone (the rest: 0), 11 bits a
 * pass: keys packed tight (the rows' words' varying bits) take fewer
 * passes than by bytes. */
void radix_bits(struct radix *x, uint32_t n, int bits);
/* The same, given up (false: the arrays' order then undefined) as soon
 * as *stop is seen set: a sort run by a worker that a newer one cancels. */
bool radix_word_until(struct radix *x, uint32_t n, const atomic_bool *stop);
bool radix_bits_until(struct radix *x, uint32_t n, int bits, const atomic_bool *stop);

#endif
