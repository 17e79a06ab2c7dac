// SPDX-License-Identifier: GPL-2.0
/* TIME_WAIT entries by tuple hash: open addressing (tw_index.h). */
#include "tw_index.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#define TW_MIN_CAP 64u

/* keys are hashes already: their top bits are as good as any */
static uint32_t home(const struct tw_index *x, uint64_t key)
{
	return (uint32_t)(key >> 32) & (x->cap - 1);
}

void tw_index_free(struct tw_index *x)
{
	free(x->key);
	free(x->h);
	*x = (struct tw_index){ 0 };
}

static void put(struct tw_index *x, uint64_t key, uint32_t h)
{
	uint32_t mask = x->cap - 1, i = home(x, key);

	while (x->h[i])
		i = (i + 1) & mask;
	x->key[i] = key;
	x->h[i] = h;
}

static int resize(struct tw_index *x, uint32_t cap)
{
	struct tw_index old = *x;

	x->key = malloc(cap * sizeof(*x->key));
	x->h = calloc(cap, sizeof(*x->h));
	if (!x->key || !x->h) {
		free(x->key);
		free(x->h);
		*x = old;
		return -ENOMEM;
	}
	x->cap = cap;
	for (uint32_t i = 0; i < old.cap; i++)
		if (old.h[i])
			put(x, old.key[i], old.h[i]);
	free(old.key);
	free(old.h);
	return 0;
}

uint32_t tw_index_find(const struct tw_index *x, uint64_t key)
{
	uint32_t mask = x->cap - 1;

	if (!x->n)
		return 0;
	for (uint32_t i = home(x, key); x->h[i]; i = (i + 1) & mask)
		if (x->key[i] == key)
			return x->h[i];
	return 0;
}

int tw_index_add(struct tw_index *x, uint64_t key, uint32_t h)
{
	/* past 70% a probe gets long */
	if ((uint64_t)(x->n + 1) * 10 > (uint64_t)x->cap * 7 &&
	    resize(x, x->cap ? 2 * x->cap : TW_MIN_CAP) && x->n + 1 >= x->cap)
		return -ENOMEM; /* no memory to grow, and no room left */
	put(x, key, h);
	x->n++;
	return 0;
}

/* Slot i emptied: each later member of the run that may sit in the hole
 * (its home is not between the hole and it) moves back into it */
static void unlink_at(struct tw_index *x, uint32_t i)
{
	uint32_t mask = x->cap - 1;

	for (uint32_t j = (i + 1) & mask; x->h[j]; j = (j + 1) & mask) {
		if (((j - home(x, x->key[j])) & mask) >= ((j - i) & mask)) {
			x->key[i] = x->key[j];
			x->h[i] = x->h[j];
			i = j;
		}
	}
	x->h[i] = 0;
	x->n--;
}

bool tw_index_del(struct tw_index *x, uint64_t key, uint32_t h)
{
	uint32_t mask = x->cap - 1, i;

	if (!x->n)
		return false;
	for (i = home(x, key); x->h[i] && x->h[i] != h; i = (i + 1) & mask)
		;
	if (!x->h[i]) { /* its tuple changed since: a walk */
		for (i = 0; i < x->cap && x->h[i] != h; i++)
			;
		if (i == x->cap)
			return false;
	}
	unlink_at(x, i);
	if (x->cap > TW_MIN_CAP && x->n < x->cap / 8)
		resize(x, x->cap / 2); /* no memory: it stays larger */
	return true;
}
