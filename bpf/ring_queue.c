// SPDX-License-Identifier: GPL-2.0
/*
 * The queue of ring records (ring_queue.h): a list of mapped chunks, the
 * writer appending at the tail, the reader reading from the head. A
 * chunk's fill is how far the reader may read in it; the writer stores it
 * (release) after the records and the counts, and a chunk's final fill
 * before its next, so a reader that sees a next and has read up to the
 * fill it sees after has read the whole chunk. Chunks are mapped, not
 * malloc'd, so a backlog's hundred MB goes back to the system once read
 * (the one spare kept saves a map a chunk under steady churn).
 */
#include "ring_queue.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define CHUNK_BYTES (1u << 20)

struct chunk {
	struct chunk *next; /* the writer's next chunk (atomic) */
	size_t fill;	    /* bytes the reader may read (atomic) */
	size_t size;	    /* bytes of data */
	char data[];
};

/* a record's head in a chunk; its data follows, padded to 8 bytes */
struct rq_head {
	uint32_t ring;
	uint32_t len;
};

struct ring_queue {
	size_t max_bytes;
	/* the writer's */
	struct chunk *tail;
	size_t wpos;
	uint64_t w_records, w_bytes; /* written, not published yet */
	/* the reader's */
	struct chunk *head;
	size_t rpos;
	/* both */
	uint64_t records, bytes, peak; /* atomic */
	pthread_mutex_t spare_lock;
	struct chunk *spare;
};

static size_t span(size_t len)
{
	return sizeof(struct rq_head) + ((len + 7) & ~(size_t)7);
}

static struct chunk *chunk_map(void)
{
	struct chunk *c =
		mmap(NULL, CHUNK_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (c == MAP_FAILED)
		return NULL;
	c->next = NULL;
	c->fill = 0;
	c->size = CHUNK_BYTES - sizeof(*c);
	return c;
}

static struct chunk *chunk_get(struct ring_queue *q)
{
	struct chunk *c;

	pthread_mutex_lock(&q->spare_lock);
	c = q->spare;
	q->spare = NULL;
	pthread_mutex_unlock(&q->spare_lock);
	if (!c)
		return chunk_map();
	c->next = NULL;
	c->fill = 0;
	return c;
}

static void chunk_put(struct ring_queue *q, struct chunk *c)
{
	pthread_mutex_lock(&q->spare_lock);
	if (!q->spare) {
		q->spare = c;
		c = NULL;
	}
	pthread_mutex_unlock(&q->spare_lock);
	if (c)
		munmap(c, CHUNK_BYTES);
}

struct ring_queue *rq_new(size_t max_bytes)
{
	struct ring_queue *q = calloc(1, sizeof(*q));

	if (!q)
		return NULL;
	q->max_bytes = max_bytes;
	q->head = q->tail = chunk_map();
	if (!q->head) {
		free(q);
		errno = ENOMEM;
		return NULL;
	}
	pthread_mutex_init(&q->spare_lock, NULL);
	return q;
}

void rq_free(struct ring_queue *q)
{
	struct chunk *c, *next;

	if (!q)
		return;
	for (c = q->head; c; c = next) {
		next = c->next;
		munmap(c, CHUNK_BYTES);
	}
	if (q->spare)
		munmap(q->spare, CHUNK_BYTES);
	pthread_mutex_destroy(&q->spare_lock);
	free(q);
}

void rq_publish(struct ring_queue *q)
{
	uint64_t bytes;

	if (q->w_records) {
		__atomic_fetch_add(&q->records, q->w_records, __ATOMIC_RELAXED);
		bytes = __atomic_add_fetch(&q->bytes, q->w_bytes, __ATOMIC_RELAXED);
		if (bytes > __atomic_load_n(&q->peak, __ATOMIC_RELAXED))
			__atomic_store_n(&q->peak, bytes, __ATOMIC_RELAXED);
		q->w_records = q->w_bytes = 0;
	}
	__atomic_store_n(&q->tail->fill, q->wpos, __ATOMIC_RELEASE);
}

bool rq_put(struct ring_queue *q, int ring, const void *data, size_t len, bool past_bound)
{
	size_t need = span(len);
	struct rq_head h = { (uint32_t)ring, (uint32_t)len };

	if (need > q->tail->size)
		return false; /* no record is near a chunk's size */
	if (!past_bound &&
	    __atomic_load_n(&q->bytes, __ATOMIC_RELAXED) + q->w_bytes + need > q->max_bytes)
		return false;
	if (q->wpos + need > q->tail->size) {
		struct chunk *c = chunk_get(q);

		if (!c)
			return false;
		rq_publish(q); /* the old tail's final fill, before its next */
		__atomic_store_n(&q->tail->next, c, __ATOMIC_RELEASE);
		q->tail = c;
		q->wpos = 0;
	}
	memcpy(q->tail->data + q->wpos, &h, sizeof(h));
	memcpy(q->tail->data + q->wpos + sizeof(h), data, len);
	q->wpos += need;
	q->w_records++;
	q->w_bytes += need;
	return true;
}

size_t rq_take(struct ring_queue *q, size_t max, rq_fn fn, void *ctx)
{
	size_t n = 0, bytes = 0;

	while (!max || n < max) {
		size_t fill = __atomic_load_n(&q->head->fill, __ATOMIC_ACQUIRE);
		struct chunk *next;

		while (q->rpos < fill && (!max || n < max)) {
			struct rq_head h;

			memcpy(&h, q->head->data + q->rpos, sizeof(h));
			fn(ctx, (int)h.ring, q->head->data + q->rpos + sizeof(h), h.len);
			q->rpos += span(h.len);
			bytes += span(h.len);
			n++;
		}
		if (q->rpos < fill)
			break; /* max reached */
		next = __atomic_load_n(&q->head->next, __ATOMIC_ACQUIRE);
		if (!next)
			break;
		if (q->rpos < __atomic_load_n(&q->head->fill, __ATOMIC_ACQUIRE))
			continue; /* written before the next: read it first */
		chunk_put(q, q->head);
		q->head = next;
		q->rpos = 0;
	}
	if (n) {
		__atomic_fetch_sub(&q->records, n, __ATOMIC_RELAXED);
		__atomic_fetch_sub(&q->bytes, bytes, __ATOMIC_RELAXED);
	}
	return n;
}

uint64_t rq_records(const struct ring_queue *q)
{
	return __atomic_load_n(&q->records, __ATOMIC_RELAXED);
}

uint64_t rq_bytes(const struct ring_queue *q)
{
	return __atomic_load_n(&q->bytes, __ATOMIC_RELAXED);
}

uint64_t rq_peak_bytes(const struct ring_queue *q)
{
	return __atomic_load_n(&q->peak, __ATOMIC_RELAXED);
}
