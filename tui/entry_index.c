// SPDX-License-Identifier: GPL-2.0
/* The table's live entries by hash key: open addressing (entry_index.h). */
#include "entry_index.h"

#include <errno.h>
#include <stdlib.h>

#include "slab.h"
#include "table.h"

#define INDEX_MIN_CAP 1024u

/* Fibonacci hashing: keys are kernel addresses, aligned (low bits zero)
 * and close together; the product's top bits mix all of them. */
static uint32_t hash_of(uint64_t key)
{
	return (uint32_t)((key * 0x9E3779B97F4A7C15ULL) >> 32);
}

static uint32_t home(const struct entry_index *x, uint32_t hash)
{
	return hash >> x->shift;
}

static uint32_t log2_of(uint32_t cap)
{
	uint32_t b = 0;

	while ((1u << b) < cap)
		b++;
	return b;
}

static struct sock_entry *at(const struct entry_index *x, uint32_t h)
{
	return slab_ptr(x->s, h);
}

struct sock_entry *entry_index_slot(const struct entry_index *x, uint32_t i)
{
	return x->slot[i].h ? at(x, x->slot[i].h) : NULL;
}

/* Into a free slot; the key is not there yet and there is room */
static void put(struct entry_index *x, struct entry_slot in)
{
	uint32_t mask = x->cap - 1, i = home(x, in.hash);

	while (x->slot[i].h)
		i = (i + 1) & mask;
	x->slot[i] = in;
}

static int resize(struct entry_index *x, uint32_t cap)
{
	struct entry_slot *old = x->slot;
	uint32_t old_cap = x->cap;

	x->slot = calloc(cap, sizeof(*x->slot));
	if (!x->slot) {
		x->slot = old;
		return -ENOMEM;
	}
	x->cap = cap;
	x->shift = 32 - log2_of(cap);
	for (uint32_t i = 0; i < old_cap; i++)
		if (old[i].h)
			put(x, old[i]);
	free(old);
	return 0;
}

int entry_index_init(struct entry_index *x, const struct slab *s)
{
	*x = (struct entry_index){ .s = s };
	return resize(x, INDEX_MIN_CAP);
}

void entry_index_free(struct entry_index *x)
{
	free(x->slot);
	*x = (struct entry_index){ 0 };
}

struct sock_entry *entry_index_find(const struct entry_index *x, uint64_t key)
{
	uint32_t mask = x->cap - 1, hash = hash_of(key), i = home(x, hash);

	for (; x->slot[i].h; i = (i + 1) & mask) {
		struct sock_entry *e;

		if (x->slot[i].hash != hash)
			continue;
		e = at(x, x->slot[i].h);
		if (sock_hkey(e) == key)
			return e;
	}
	return NULL;
}

int entry_index_add(struct entry_index *x, struct sock_entry *e)
{
	/* past 70% a probe gets long; no memory to grow: fill what is left,
	 * keeping one slot empty (every probe ends at an empty one) */
	if ((uint64_t)(x->n + 1) * 10 > (uint64_t)x->cap * 7 && x->cap < (1u << 31))
		resize(x, x->cap * 2);
	if (x->n + 1 >= x->cap)
		return -ENOMEM;
	put(x, (struct entry_slot){ slab_handle(x->s, e), hash_of(sock_hkey(e)) });
	x->n++;
	return 0;
}

/* Out of its slot (found by key), the run after it shifted back over
 * the hole */
static void unlink_slot(struct entry_index *x, const struct sock_entry *e, uint64_t key)
{
	uint32_t mask = x->cap - 1, i = home(x, hash_of(key)), j, h = slab_handle(x->s, e);

	while (x->slot[i].h && x->slot[i].h != h)
		i = (i + 1) & mask;
	if (!x->slot[i].h)
		return; /* not in it */
	/* backward shift: each later entry of the run that may sit in the
	 * hole (its home is not between the hole and it) moves into it */
	for (j = (i + 1) & mask; x->slot[j].h; j = (j + 1) & mask) {
		uint32_t hj = home(x, x->slot[j].hash);

		if (((j - hj) & mask) >= ((j - i) & mask)) {
			x->slot[i] = x->slot[j];
			i = j;
		}
	}
	x->slot[i] = (struct entry_slot){ 0 };
	x->n--;
}

void entry_index_del(struct entry_index *x, const struct sock_entry *e)
{
	unlink_slot(x, e, sock_hkey(e));
	if (x->cap > INDEX_MIN_CAP && x->n < x->cap / 8)
		resize(x, x->cap / 2); /* no memory: it stays larger */
}

void entry_index_rekey(struct entry_index *x, struct sock_entry *e, uint64_t old_key)
{
	uint32_t n = x->n;

	unlink_slot(x, e, old_key);
	/* its old slot is free: there is room */
	put(x, (struct entry_slot){ slab_handle(x->s, e), hash_of(sock_hkey(e)) });
	x->n = n;
}
