// SPDX-License-Identifier: GPL-2.0
/* Objects of one size in chunks mapped apart (slab.h). */
#include "slab.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* A chunk is aligned to its size, so an object's chunk is its address
 * with the low bits cleared. Its pages are touched as objects are first
 * handed out: a fresh chunk costs no memory it does not use. */
#define CHUNK_SIZE (256u << 10)
/* the objects start a cache line after the header: entries whose size is
 * a multiple of 64 keep their fields in the lines table.h says */
#define OBJS_AT 64u

struct slab_chunk {
	struct slab_chunk *prev, *next;	  /* s->all */
	struct slab_chunk *aprev, *anext; /* s->avail, while in it */
	void *free;			  /* freed objects, each one's first word the next */
	uint32_t used;			  /* objects handed out */
	uint32_t fresh;			  /* objects [fresh, per_chunk) never handed out */
	int in_avail;
	uint32_t id; /* s->byid[id] is this chunk */
	const struct slab *s;
};

_Static_assert(sizeof(struct slab_chunk) <= OBJS_AT, "the header fits before the objects");

/* A handle is the chunk's id over the object's index + 1: a shift and a
 * mask to undo, no division. 32,760 objects of 8 bytes fit in 15 bits;
 * 17 bits of ids are 32 GiB of chunks. */
#define IDX_BITS SLAB_IDX_BITS
#define MAX_IDS (1u << (32 - IDX_BITS))
_Static_assert((CHUNK_SIZE - OBJS_AT) / 8 < (1u << IDX_BITS), "an index + 1 fits its bits");
_Static_assert(CHUNK_SIZE <= (1u << 20), "an offset times inv fits 64 bits, its error under 1");

void slab_init(struct slab *s, size_t size)
{
	*s = (struct slab){ 0 };
	s->size = (uint32_t)((size + 7) & ~(size_t)7);
	if (s->size < sizeof(void *))
		s->size = sizeof(void *);
	s->per_chunk = (CHUNK_SIZE - OBJS_AT) / s->size;
	s->inv = ((1ULL << 40) + s->size - 1) / s->size;
}

/* The lowest free id (a new chunk is rare: one in per_chunk objects) */
static int id_take(struct slab *s, uint32_t *id)
{
	struct slab_chunk **v;
	uint32_t i;

	for (i = 0; i < s->nids; i++)
		if (!s->byid[i])
			break;
	if (i == s->nids) {
		if (i + 1 >= MAX_IDS)
			return -1; /* no handle left */
		v = realloc(s->byid, (size_t)(i + 1) * sizeof(*v));
		if (!v)
			return -1;
		s->byid = v;
		s->byid[s->nids++] = NULL;
	}
	*id = i;
	return 0;
}

static void chunk_unmap(struct slab *s, struct slab_chunk *c)
{
	s->byid[c->id] = NULL;
	munmap(c, CHUNK_SIZE);
	s->nchunks--;
}

static void list_push(struct slab_chunk **head, struct slab_chunk *c)
{
	c->prev = NULL;
	c->next = *head;
	if (*head)
		(*head)->prev = c;
	*head = c;
}

static void list_del(struct slab_chunk **head, struct slab_chunk *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		*head = c->next;
	if (c->next)
		c->next->prev = c->prev;
}

static void avail_push(struct slab *s, struct slab_chunk *c)
{
	c->aprev = NULL;
	c->anext = s->avail;
	if (s->avail)
		s->avail->aprev = c;
	s->avail = c;
	c->in_avail = 1;
}

static void avail_del(struct slab *s, struct slab_chunk *c)
{
	if (c->aprev)
		c->aprev->anext = c->anext;
	else
		s->avail = c->anext;
	if (c->anext)
		c->anext->aprev = c->aprev;
	c->in_avail = 0;
}

/* CHUNK_SIZE bytes aligned to CHUNK_SIZE: twice that mapped, the ends
 * around the aligned middle given back */
static struct slab_chunk *chunk_map(void)
{
	size_t len = 2 * (size_t)CHUNK_SIZE, head, tail;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *at;

	if (p == MAP_FAILED)
		return NULL;
	at = (char *)(((uintptr_t)p + CHUNK_SIZE - 1) & ~(uintptr_t)(CHUNK_SIZE - 1));
	head = (size_t)(at - p);
	tail = len - head - CHUNK_SIZE;
	if (head)
		munmap(p, head);
	if (tail)
		munmap(at + CHUNK_SIZE, tail);
	return (struct slab_chunk *)at;
}

static struct slab_chunk *chunk_of(const void *p)
{
	return (struct slab_chunk *)((uintptr_t)p & ~(uintptr_t)(CHUNK_SIZE - 1));
}

void *slab_alloc(struct slab *s)
{
	struct slab_chunk *c = s->avail;
	void *p;

	if (!c) {
		uint32_t id;

		c = s->spare;
		s->spare = NULL;
		if (c) {
			id = c->id;
		} else {
			if (id_take(s, &id))
				return NULL;
			c = chunk_map();
			if (!c)
				return NULL;
			s->byid[id] = c;
			s->nchunks++;
		}
		*c = (struct slab_chunk){ .id = id, .s = s };
		list_push(&s->all, c);
		avail_push(s, c);
	}
	if (c->free) {
		p = c->free;
		memcpy(&c->free, p, sizeof(void *));
	} else {
		p = (char *)c + OBJS_AT + (size_t)c->fresh++ * s->size;
	}
	if (++c->used == s->per_chunk)
		avail_del(s, c);
	memset(p, 0, s->size); /* a spare chunk's fresh objects were used */
	return p;
}

void slab_free(struct slab *s, void *p)
{
	struct slab_chunk *c;

	if (!p)
		return;
	c = chunk_of(p);
	memcpy(p, &c->free, sizeof(void *));
	c->free = p;
	if (!c->in_avail)
		avail_push(s, c);
	if (--c->used)
		return;
	/* empty: kept as the spare, or given back */
	avail_del(s, c);
	list_del(&s->all, c);
	if (!s->spare) {
		s->spare = c;
		return;
	}
	chunk_unmap(s, c);
}

uint32_t slab_handle(const struct slab *s, const void *p)
{
	const struct slab_chunk *c = chunk_of(p);
	/* an object's offset is a multiple of the size below 2^18: the
	 * product's error is under one index */
	uint64_t off = (uint64_t)((const char *)p - (const char *)c - OBJS_AT);
	uint32_t i = (uint32_t)((off * s->inv) >> 40);

	return c->id << IDX_BITS | (i + 1);
}

void *slab_ptr(const struct slab *s, uint32_t h)
{
	uint32_t i = (h & ((1u << IDX_BITS) - 1)) - 1;

	return (char *)s->byid[h >> IDX_BITS] + OBJS_AT + (size_t)i * s->size;
}

void *slab_ptr_maybe(const struct slab *s, uint32_t h)
{
	uint32_t id = h >> IDX_BITS;

	return id < s->nids && s->byid[id] ? slab_ptr(s, h) : NULL;
}

void *slab_ptr_near(const void *p, uint32_t h)
{
	return slab_ptr(chunk_of(p)->s, h);
}

void slab_destroy(struct slab *s)
{
	while (s->all) {
		struct slab_chunk *c = s->all;

		s->all = c->next;
		chunk_unmap(s, c);
	}
	if (s->spare)
		chunk_unmap(s, s->spare);
	free(s->byid);
	*s = (struct slab){ .size = s->size, .per_chunk = s->per_chunk, .inv = s->inv };
}
