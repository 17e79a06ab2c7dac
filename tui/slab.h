/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Objects of one size, packed in chunks mapped apart: no malloc header a
 * socket entry or transition list (8 to 16 bytes each), and freed ones
 * reused at once, as the table's churn wants. A chunk whose objects are
 * all freed is unmapped, but for one kept for the next. An object also
 * has a 32-bit handle, for links half the size of a pointer.
 */
#ifndef SOCKTOP_SLAB_H
#define SOCKTOP_SLAB_H

#include <stddef.h>
#include <stdint.h>

struct slab_chunk;

struct slab {
	uint32_t size;		  /* an object, rounded up to 8 bytes */
	uint32_t per_chunk;	  /* objects a chunk */
	uint64_t inv;		  /* 2^40 / size rounded up: an offset's index, no division */
	struct slab_chunk *avail; /* chunks with room (a free or fresh object) */
	struct slab_chunk *all;	  /* every chunk mapped but the spare */
	struct slab_chunk *spare; /* one empty chunk kept, or NULL */
	uint32_t nchunks;	  /* mapped, the spare included */
	struct slab_chunk **byid; /* chunks by id (NULL: a free id), for handles */
	uint32_t nids;		  /* ids in use or freed: byid's length */
};

/* A handle is a chunk's id over an object's index + 1 in its chunk */
#define SLAB_IDX_BITS 15u

static inline uint32_t slab_handle_chunk(uint32_t h)
{
	return h >> SLAB_IDX_BITS;
}

static inline uint32_t slab_handle_index(uint32_t h)
{
	return (h & ((1u << SLAB_IDX_BITS) - 1)) - 1;
}

/* size: at most a quarter of a chunk (64 KiB) */
void slab_init(struct slab *s, size_t size);
/* Every chunk unmapped, objects still out with them */
void slab_destroy(struct slab *s);
void *slab_alloc(struct slab *s);	 /* zeroed; NULL when no memory */
void slab_free(struct slab *s, void *p); /* from slab_alloc of s, or NULL */
/* An object's handle (never 0) while it is out, and the object of one */
uint32_t slab_handle(const struct slab *s, const void *p);
void *slab_ptr(const struct slab *s, uint32_t h);
/* The same, NULL when the handle's chunk was given back (the object was
 * freed: what the handle names then is stale) */
void *slab_ptr_maybe(const struct slab *s, uint32_t h);
/* The object of handle h of the slab p is an object of: links from one
 * object to another of its slab, followed with no slab at hand */
void *slab_ptr_near(const void *p, uint32_t h);

#endif
