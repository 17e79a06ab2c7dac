// SPDX-License-Identifier: GPL-2.0
/*
 * The rows' two hot loops, kept apart from the bookkeeping in rows.c:
 * gathering the table's live entries without chasing one long pointer
 * chain, and one word of the stable LSD radix sort.
 */
#include "rows.h"

#include "table.h"

/*
 * Live entries straight from the table's index slots rather than its
 * list: the list is one long chain of dependent loads (a cache miss after
 * a cache miss), the slots one array read in order. Order does not
 * matter: rows are sorted after.
 */
uint32_t rows_collect_live(const struct table *t, const struct sock_entry **out, uint32_t max)
{
	uint32_t nslots, n = 0;
	struct sock_entry *const *slot = table_live_slots(t, &nslots);

	for (uint32_t i = 0; i < nslots && n < max; i++)
		if (slot[i])
			out[n++] = slot[i];
	return n;
}

/* Stable sort of ord[0..n) by kw[] (parallel), byte-wise LSD. */
void rows_radix_word(struct rows *r, uint32_t n)
{
	uint64_t diff = 0;
	static const int nb = 256;

	for (uint32_t i = 1; i < n; i++)
		diff |= r->kw[i] ^ r->kw[0];
	for (int shift = 0; shift < 64; shift += 8) {
		uint32_t count[256] = { 0 }, sum = 0;
		uint64_t *tk;
		uint32_t *to;

		if (!((diff >> shift) & 0xff))
			continue;
		for (uint32_t i = 0; i < n; i++)
			count[(r->kw[i] >> shift) & 0xff]++;
		for (int b = 0; b < nb; b++) {
			uint32_t c = count[b];

			count[b] = sum;
			sum += c;
		}
		for (uint32_t i = 0; i < n; i++) {
			uint32_t d = count[(r->kw[i] >> shift) & 0xff]++;

			r->kw2[d] = r->kw[i];
			r->ord2[d] = r->ord[i];
		}
		tk = r->kw, r->kw = r->kw2, r->kw2 = tk;
		to = r->ord, r->ord = r->ord2, r->ord2 = to;
	}
}
