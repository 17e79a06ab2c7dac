// SPDX-License-Identifier: GPL-2.0
/*
 * The per-CPU rings and their reader (rings.h). The reader maps each ring
 * as the kernel lays it out (linux/bpf.h: a consumer page, a producer
 * page, then the data twice over; each record an 8-byte header whose
 * length word carries the busy and discard bits) and merges the rings by
 * the records' timestamps.
 *
 * Why the merge is safe: a program stamps its record just after reserving
 * it, so a record reserved after this drain read a ring's producer
 * position is stamped later than the drain's start (now_ns). A ring read
 * up to that position therefore can give nothing older than now_ns; a
 * ring whose next record is still being written can give anything, so
 * the drain stops there (it is committed within a program's run: the
 * drain waits that long, then leaves the rest to the next one).
 */
#include "rings.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* how long a record being written may keep the drain waiting */
#define BUSY_WAIT_NS 20000

struct ring {
	int fd;
	void *cons_page;
	void *prod_map; /* the producer page, then the data twice */
};

struct rings {
	int n;
	int map_fd;
	int epoll_fd;
	size_t page;
	uint32_t bytes;
	struct ring *ring;
	struct ring_view *view;
};

enum head { HEAD_NONE, HEAD_BUSY, HEAD_READY };

/* the merge's look at a ring's next record */
struct head_state {
	enum head state;
	const char *rec;
	uint32_t len;
	uint64_t ts;
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static unsigned long record_span(uint32_t len)
{
	return (len + BPF_RINGBUF_HDR_SZ + 7ul) & ~7ul;
}

/* Hand the space read so far back to the kernel. Every program reads the
 * consumer position as it reserves and submits, so a store after each
 * record would take that cache line from the producing CPU once an
 * event: stored once a drain, or once an eighth of the ring was read */
static void publish(struct ring_view *v)
{
	if (v->cons != v->told) {
		__atomic_store_n(v->consumer_pos, v->cons, __ATOMIC_RELEASE);
		v->told = v->cons;
	}
}

static void consume(struct ring_view *v, uint32_t len)
{
	v->cons += record_span(len);
	if (v->cons - v->told > v->mask / 8)
		publish(v);
}

/* The ring's next record before v->prod; discarded ones are passed over */
static enum head head_of(struct ring_view *v, struct head_state *h)
{
	while (v->cons < v->prod) {
		const char *hdr = v->data + (v->cons & v->mask);
		uint32_t word = __atomic_load_n((const uint32_t *)hdr, __ATOMIC_ACQUIRE);
		uint32_t len = word & ~(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT);

		if (word & BPF_RINGBUF_BUSY_BIT)
			return HEAD_BUSY;
		if (!(word & BPF_RINGBUF_DISCARD_BIT)) {
			h->rec = hdr + BPF_RINGBUF_HDR_SZ;
			h->len = len;
			h->ts = 0; /* a record too short to be an event goes at once */
			if (len >= sizeof(h->ts))
				memcpy(&h->ts, h->rec, sizeof(h->ts));
			return HEAD_READY;
		}
		consume(v, len);
	}
	return HEAD_NONE;
}

/* head_of, waiting a little for a record being written */
static enum head head_wait(struct ring_view *v, struct head_state *h)
{
	uint64_t until = 0;

	h->state = head_of(v, h);
	while (h->state == HEAD_BUSY) {
		uint64_t t = mono_ns();

		if (!until)
			until = t + BUSY_WAIT_NS;
		else if (t > until)
			break;
		h->state = head_of(v, h);
	}
	return h->state;
}

static int merge(struct ring_view *v, struct head_state *h, int n, uint64_t now_ns, int budget,
		 rings_fn fn, void *ctx)
{
	int done = 0;

	for (int i = 0; i < n; i++)
		v[i].cons = v[i].told = *v[i].consumer_pos;
	for (int i = 0; i < n; i++)
		if (head_wait(&v[i], &h[i]) == HEAD_BUSY)
			goto out;
	while (!budget || done < budget) {
		bool empty = false;
		int best = -1;

		for (int i = 0; i < n; i++) {
			if (h[i].state == HEAD_NONE)
				empty = true;
			else if (best < 0 || h[i].ts < h[best].ts)
				best = i;
		}
		/* an empty ring's next record is stamped after now_ns */
		if (best < 0 || (empty && h[best].ts > now_ns))
			break;
		if (!fn(ctx, best, h[best].rec, h[best].len))
			break; /* not taken: it stays in its ring */
		consume(&v[best], h[best].len);
		done++;
		if (head_wait(&v[best], &h[best]) == HEAD_BUSY)
			break;
	}
out:
	for (int i = 0; i < n; i++)
		publish(&v[i]);
	return done;
}

int rings_merge(struct ring_view *v, int n, uint64_t now_ns, int budget, rings_fn fn, void *ctx)
{
	struct head_state *h = calloc(n > 0 ? n : 1, sizeof(*h));
	int done;

	if (!h)
		return -ENOMEM;
	done = merge(v, h, n, now_ns, budget, fn, ctx);
	free(h);
	return done;
}

int rings_drain(struct rings *r, int budget, rings_fn fn, void *ctx)
{
	uint64_t now = mono_ns();
	struct head_state h[r->n];

	for (int i = 0; i < r->n; i++)
		r->view[i].prod = __atomic_load_n(r->view[i].producer_pos, __ATOMIC_ACQUIRE);
	return merge(r->view, h, r->n, now, budget, fn, ctx);
}

static int ring_map(struct rings *r, struct ring *g, struct ring_view *v)
{
	g->fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "ring", 0, 0, r->bytes, NULL);
	if (g->fd < 0)
		return -errno;
	g->cons_page = mmap(NULL, r->page, PROT_READ | PROT_WRITE, MAP_SHARED, g->fd, 0);
	if (g->cons_page == MAP_FAILED) {
		g->cons_page = NULL;
		return -errno;
	}
	g->prod_map = mmap(NULL, r->page + 2 * (size_t)r->bytes, PROT_READ, MAP_SHARED, g->fd,
			   (off_t)r->page);
	if (g->prod_map == MAP_FAILED) {
		g->prod_map = NULL;
		return -errno;
	}
	v->consumer_pos = g->cons_page;
	v->producer_pos = g->prod_map;
	v->data = (const char *)g->prod_map + r->page;
	v->mask = r->bytes - 1;
	return 0;
}

static int rings_fill(struct rings *r)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts);
	struct epoll_event ev = { .events = EPOLLIN };
	int err;

	for (int i = 0; i < r->n; i++)
		r->ring[i].fd = -1;
	for (int i = 0; i < r->n; i++)
		if ((err = ring_map(r, &r->ring[i], &r->view[i])))
			return err;
	opts.inner_map_fd = r->ring[0].fd;
	r->map_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY_OF_MAPS, "rings", sizeof(__u32),
				   sizeof(__u32), r->n, &opts);
	if (r->map_fd < 0)
		return -errno;
	r->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (r->epoll_fd < 0)
		return -errno;
	for (__u32 i = 0; i < (__u32)r->n; i++) {
		if (bpf_map_update_elem(r->map_fd, &i, &r->ring[i].fd, BPF_ANY))
			return -errno;
		if (epoll_ctl(r->epoll_fd, EPOLL_CTL_ADD, r->ring[i].fd, &ev))
			return -errno;
	}
	return 0;
}

struct rings *rings_open(int nrings, uint32_t ring_bytes)
{
	struct rings *r;
	int err;

	if (nrings <= 0 || ring_bytes & (ring_bytes - 1)) {
		errno = EINVAL;
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->n = nrings;
	r->map_fd = r->epoll_fd = -1;
	r->page = (size_t)sysconf(_SC_PAGESIZE);
	r->bytes = ring_bytes;
	r->ring = calloc(nrings, sizeof(*r->ring));
	r->view = calloc(nrings, sizeof(*r->view));
	err = r->ring && r->view ? rings_fill(r) : -ENOMEM;
	if (err) {
		rings_close(r);
		errno = -err;
		return NULL;
	}
	return r;
}

void rings_close(struct rings *r)
{
	if (!r)
		return;
	for (int i = 0; r->ring && i < r->n; i++) {
		struct ring *g = &r->ring[i];

		if (g->prod_map)
			munmap(g->prod_map, r->page + 2 * (size_t)r->bytes);
		if (g->cons_page)
			munmap(g->cons_page, r->page);
		if (g->fd >= 0)
			close(g->fd);
	}
	if (r->map_fd >= 0)
		close(r->map_fd);
	if (r->epoll_fd >= 0)
		close(r->epoll_fd);
	free(r->ring);
	free(r->view);
	free(r);
}

int rings_map_fd(const struct rings *r)
{
	return r->map_fd;
}

int rings_epoll_fd(const struct rings *r)
{
	return r->epoll_fd;
}
