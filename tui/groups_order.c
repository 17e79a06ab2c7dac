// SPDX-License-Identifier: GPL-2.0
/*
 * The Groups pane's order: the sort column, then the key column, then
 * the namespace, ties kept in the rows' order. A stable LSD radix sort on
 * the columns' key words, least significant first: a million groups by
 * remote address took 0.8-1 s as a qsort with a compare function.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "groups.h"
#include "radix.h"

/* Sort x by the words of column c, least significant first: every word
 * of every row's key computed in one read of the rows (word[w * n + i],
 * flipped), then each picked up in the sort's order (reading the rows
 * themselves in that order: a cache miss a row, 0.1 s a word at a
 * million rows; reading them once a word: 60-70 ms a word). A word the
 * same in every row sorts nothing. */
static void by_column(struct radix *x, uint64_t *word, const struct group_row *rows, uint32_t n,
		      const struct column *c, uint64_t flip)
{
	uint64_t diff[COL_KEY_WORDS] = { 0 };
	int nw = c->nwords;

	for (uint32_t i = 0; i < n; i++) {
		uint64_t k[COL_KEY_WORDS] = { 0 };

		c->key(&rows[i], k);
		for (int w = 0; w < nw; w++) {
			word[(size_t)w * n + i] = k[w] ^ flip;
			diff[w] |= word[(size_t)w * n + i] ^ word[(size_t)w * n];
		}
	}
	for (int w = nw - 1; w >= 0; w--) {
		const uint64_t *ww = word + (size_t)w * n;

		if (!diff[w])
			continue;
		for (uint32_t i = 0; i < n; i++)
			x->kw[i] = ww[x->ord[i]];
		radix_word(x, n);
	}
}

int groups_order(const struct group_row *rows, size_t n, enum group_by by, int sort, bool desc,
		 uint32_t *order)
{
	const struct column *cols = groups_cols[by].col;
	uint64_t *kw, *kw2, *word;
	uint32_t *ord2;
	struct radix x;

	if (!n)
		return 0;
	if (n > UINT32_MAX || sort < 0 || sort >= GC_MAX)
		return -EINVAL;
	kw = malloc(n * sizeof(*kw));
	kw2 = malloc(n * sizeof(*kw2));
	ord2 = malloc(n * sizeof(*ord2));
	word = malloc(n * COL_KEY_WORDS * sizeof(*word));
	if (!kw || !kw2 || !ord2 || !word) {
		free(kw);
		free(kw2);
		free(ord2);
		free(word);
		return -ENOMEM;
	}
	x = (struct radix){ kw, kw2, order, ord2 };
	for (uint32_t i = 0; i < n; i++) {
		order[i] = i;
		kw[i] = rows[i].netns;
	}
	radix_word(&x, (uint32_t)n); /* in order still: no word to pick up */
	/* by the key column, the key column again breaks no tie */
	if (sort != GC_KEY)
		by_column(&x, word, rows, (uint32_t)n, &cols[GC_KEY], 0);
	by_column(&x, word, rows, (uint32_t)n, &cols[sort], desc ? ~0ULL : 0);
	if (x.ord != order)
		memcpy(order, x.ord, n * sizeof(*order));
	free(kw);
	free(kw2);
	free(ord2);
	free(word);
	return 0;
}
