// SPDX-License-Identifier: GPL-2.0
/*
 * The rows' two hot loops, kept apart from the bookkeeping in rows.c:
 * gathering the table's live entries without chasing one long pointer
 * chain, and one word of the stable LSD radix sort (radix.c).
 */
#include "rows.h"

#include "radix.h"
#include "table.h"

/*
 * Live entries straight from the table's index slots rather than its
 * list: the list is one long chain of dependent loads (a cache miss after
 * a cache miss), the slots one array read in order. Order does not
 * matter: rows are sorted after.
 */
uint32_t rows_collect_live(const struct table *t, const struct sock_entry **out, uint32_t max)
{
	return table_collect_live(t, out, max);
}

/* Stable sort of ord[0..n) by kw[] (parallel): radix.c on the rows'
 * arrays, which it may swap. */
bool rows_radix_word(struct rows *r, uint32_t n)
{
	struct radix x = { r->kw, r->kw2, r->ord, r->ord2 };
	bool done = radix_word_until(&x, n, r->stop);

	r->kw = x.kw, r->kw2 = x.kw2, r->ord = x.ord, r->ord2 = x.ord2;
	return done;
}

bool rows_radix_bits(struct rows *r, uint32_t n, int bits)
{
	struct radix x = { r->kw, r->kw2, r->ord, r->ord2 };
	bool done = radix_bits_until(&x, n, bits, r->stop);

	r->kw = x.kw, r->kw2 = x.kw2, r->ord = x.ord, r->ord2 = x.ord2;
	return done;
}
