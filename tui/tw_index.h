/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The table's TIME_WAIT entries by the hash of their namespace and
 * 4-tuple: open addressing with linear probing over two arrays (the
 * 64-bit key, the entry's slab handle), backward-shift deletion, grown
 * past 70% full and shrunk below 1/8: 12 bytes a slot, 17-34 a TIME_WAIT
 * socket, where uthash's node took 72 and its buckets more.
 * One entry a key (the table leaves a second tuple of the same hash out).
 */
#ifndef SOCKTOP_TW_INDEX_H
#define SOCKTOP_TW_INDEX_H

#include <stdbool.h>
#include <stdint.h>

struct tw_index {
	uint64_t *key;
	uint32_t *h; /* 0: an empty slot */
	uint32_t cap, n;
};

void tw_index_free(struct tw_index *x);
/* The handle under key, 0: none */
uint32_t tw_index_find(const struct tw_index *x, uint64_t key);
/* key must not be in it: 0 or -ENOMEM */
int tw_index_add(struct tw_index *x, uint64_t key, uint32_t h);
/* Handle h out, found under key or, when its tuple changed since, by a
 * walk; false when it was not in it */
bool tw_index_del(struct tw_index *x, uint64_t key, uint32_t h);

#endif
