/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The table's live entries by hash key (sock_hkey): open
 * addressing with linear probing in a power-of-two array of the entries'
 * slab handles (slab.h), backward-shift deletion (no tombstones), grown
 * past 70% load and shrunk below 1/8. Beside each handle, the top 32 bits
 * of its key's hash: a probe past another key, and the backward shift's
 * look at each later slot's home, read the slot, not the entry (each
 * entry read was a cache miss under churn: 8-12% of the UI's CPU). A slot
 * is 8 bytes, 12 to 24 a socket; uthash cost a 56-byte handle in every
 * entry plus its buckets.
 */
#ifndef SOCKTOP_ENTRY_INDEX_H
#define SOCKTOP_ENTRY_INDEX_H

#include <stdint.h>

struct sock_entry;
struct slab;

struct entry_slot {
	uint32_t h;    /* the entry's slab handle, 0: empty */
	uint32_t hash; /* the top 32 bits of its key's hash */
};

struct entry_index {
	struct entry_slot *slot; /* cap of them */
	uint32_t cap, n;	 /* cap: a power of two */
	uint32_t shift;		 /* 32 - log2(cap): a home is hash >> shift */
	const struct slab *s;	 /* the entries' */
};

/* Entries from slab s only. 0 or -ENOMEM */
int entry_index_init(struct entry_index *x, const struct slab *s);
/* The entry in slot i (< cap), NULL: empty */
struct sock_entry *entry_index_slot(const struct entry_index *x, uint32_t i);
void entry_index_free(struct entry_index *x);
struct sock_entry *entry_index_find(const struct entry_index *x, uint64_t key);
/* e's key (sock_hkey) must not be in the index yet. 0, or -ENOMEM when full and it
 * could not grow. */
int entry_index_add(struct entry_index *x, struct sock_entry *e);
/* e (in the index under its current key) out */
void entry_index_del(struct entry_index *x, const struct sock_entry *e);
/* e (in the index under old_key) has a new key, no other entry's: never
 * fails */
void entry_index_rekey(struct entry_index *x, struct sock_entry *e, uint64_t old_key);

#endif
