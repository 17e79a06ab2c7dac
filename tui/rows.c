// SPDX-License-Identifier: GPL-2.0
/*
 * Rows: every entry of the source in a slot, with its sort key and filter
 * result; the shown slots in row order (ord, and v beside it). The order
 * is total (the serial breaks ties), so however the rows are brought up
 * to date they are exactly what a sort from scratch gives:
 *
 *  - full: gather the set, key every slot, stable LSD radix sort, word by
 *    word from the tie-breaker up, skipping bytes the same in every row
 *    (first build, history shown or hidden, pause, the change log overrun);
 *  - re-sort: the same set under a new sort column: key every slot and
 *    sort again (inverted: the same rows reversed, the order being total);
 *  - quick: read the table's change log since the last build: slots of
 *    entries born, gone or changed are re-keyed, the ones whose row moves
 *    are taken out of ord in one pass and merged back at the places found
 *    by binary search; the other rows do not move. A table_touch that
 *    names no entry re-keys every slot first; a new filter reads only
 *    every slot's filter result again (keys change only with what the log
 *    names; no filter: no entry is read). Too many rows to put back:
 *    those alone are sorted and merged with the kept rows in one pass;
 *  - filter cleared: the order of every row, kept when the filter came
 *    on, less the slots the log named since, with those merged back.
 *
 * An entry's address is valid while a slot holds it: the log says when
 * an entry leaves the set (retired, or freed from history) before its
 * memory can be reused, and the slot is emptied then, without reading it.
 */
#include "rows.h"

#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "filter.h"
#include "table.h"

/* key words per slot: the column's, then the serial (tie-breaker) */
#define KSTRIDE (COL_KEY_WORDS + 1)
/* entries read ahead while walking kept pointers (memory latency) */
#define PREFETCH 24
#define NO_SLOT UINT32_MAX
/* rows_basic.state of a slot without an entry (no TCP state is) */
#define BASIC_EMPTY 0xff
/* rows before and after the selection picked for the frame after a
 * re-sort when the last frame's page is not known */
#define WIN_DEFAULT 64
/* fewer rows than this are sorted in the frame (a few ms) */
#define DEFER_MIN 65536
/* slots a worker keys between two looks at its stop flag (stop_at) */
#define KEY_BLOCK 65536

/* mark bits of a slot during a quick build; M_DIRTY lasts from build to
 * build: changed since the unfiltered order was kept */
enum { M_QUEUED = 1, M_OUT = 2, M_DIRTY = 4 };

/* A slot's key words: as many as the sort column has, then the serial
 * (a column of one word takes 16 bytes a row, not room for the widest) */
static void map_clear(struct rows_map *m);
static void job_end(struct rows *r, bool cancel);

static inline uint64_t *slot_key(const struct rows *r, uint32_t s)
{
	return r->keys + (size_t)s * r->kst;
}

void rows_init(struct rows *r, int sort_col, bool desc)
{
	memset(r, 0, sizeof(*r));
	r->sort_col = sort_col;
	r->desc = desc;
	r->sel_slot = NO_SLOT;
	r->defer_min = DEFER_MIN;
}

void rows_free(struct rows *r)
{
	job_end(r, true);
	free(r->win);
	free(r->v);
	free(r->slot);
	free(r->keys);
	free(r->match);
	free(r->mark);
	free(r->basic);
	free(r->ord);
	free(r->ord2);
	free(r->chg);
	free(r->freed);
	map_clear(&r->map);
	free(r->set_filter);
	free(r->all_ord);
	free(r->all_v);
	free(r->dirty);
	memset(r, 0, sizeof(*r));
}

void rows_subject(const struct table *t, const struct sock_entry *e, struct filter_subject *s)
{
	*s = (struct filter_subject){
		.family = e->family,
		.protocol = 6,
		.lport = e->lport,
		.rport = e->rport,
		.state = e->state,
		.pid = e->pid,
		.uid = e->pid ? (int64_t)e->uid : -1,
		.comm = entry_comm(t, e),
		.comm_len = EVENT_COMM_LEN,
		.saddr = e->saddr,
		.daddr = e->daddr,
		.cgroup_id = e->cgroup_id,
		.netns = e->netns,
		.err = e->connect_ret,
		.traffic = e->traffic && traffic_known(e->traffic) ? e->traffic : NULL,
		.metrics = e->metrics,
		.ext = e,
	};
}

/* ---- entry handle -> slot ------------------------------------------------ */

/* Every array given back: they come again with the entries that need them. */
static void map_clear(struct rows_map *m)
{
	for (uint32_t i = 0; i < m->ndir; i++)
		free(m->dir[i]);
	free(m->dir);
	*m = (struct rows_map){ 0 };
}

static uint32_t map_find(const struct rows_map *m, uint32_t h)
{
	uint32_t c = slab_handle_chunk(h), v;

	if (c >= m->ndir || !m->dir[c])
		return NO_SLOT;
	v = m->dir[c][slab_handle_index(h)];
	return v ? v - 1 : NO_SLOT;
}

/* Room for handle h in a map of arrays of span: 0 or -ENOMEM */
static int map_room(struct rows_map *m, uint32_t span, uint32_t h)
{
	uint32_t c = slab_handle_chunk(h);

	if (slab_handle_index(h) >= span || (m->span && m->span != span))
		return -EINVAL; /* not the table's handle */
	m->span = span;
	if (c >= m->ndir) {
		uint32_t n = m->ndir ? m->ndir : 16;
		uint32_t **d;

		while (n <= c)
			n *= 2;
		d = realloc(m->dir, n * sizeof(*d));
		if (!d)
			return -ENOMEM;
		memset(d + m->ndir, 0, (n - m->ndir) * sizeof(*d));
		m->dir = d;
		m->ndir = n;
	}
	if (!m->dir[c]) {
		m->dir[c] = calloc(span, sizeof(**m->dir));
		if (!m->dir[c])
			return -ENOMEM;
	}
	return 0;
}

/* The caller made room (map_room) */
static void map_set(struct rows_map *m, uint32_t h, uint32_t slot)
{
	uint32_t *v = &m->dir[slab_handle_chunk(h)][slab_handle_index(h)];

	m->n += !*v;
	*v = slot + 1;
}

static void map_del(struct rows_map *m, uint32_t h)
{
	uint32_t c = slab_handle_chunk(h), *v;

	if (c >= m->ndir || !m->dir[c])
		return;
	v = &m->dir[c][slab_handle_index(h)];
	m->n -= !!*v;
	*v = 0;
}

/* ---- slots ---------------------------------------------------------------- */

static int grow_u32(uint32_t **p, uint32_t cap)
{
	uint32_t *n = realloc(*p, cap * sizeof(**p));

	if (n)
		*p = n;
	return n ? 0 : -ENOMEM;
}

static int grow_u8(uint8_t **p, uint32_t cap)
{
	uint8_t *n = realloc(*p, cap);

	if (n)
		*p = n;
	return n ? 0 : -ENOMEM;
}

/* Room for need slots and as many rows. On failure what grew stays
 * grown (and cand_cap does not move), so nothing is lost or freed. */
static int grow(struct rows *r, uint64_t need)
{
	uint32_t cap = r->cand_cap ? r->cand_cap : 1024;
	struct rows_slot *slot;
	const struct sock_entry **v;
	struct rows_basic *basic;

	if (need <= r->cand_cap)
		return 0;
	if (need > UINT32_MAX / 2)
		return -ENOMEM;
	while (cap < need)
		cap *= 2;
	slot = realloc(r->slot, cap * sizeof(*slot));
	if (slot)
		r->slot = slot;
	v = realloc(r->v, cap * sizeof(*v));
	if (v)
		r->v = v;
	basic = realloc(r->basic, cap * sizeof(*basic));
	if (basic)
		r->basic = basic;
	if (r->kst) {
		uint64_t *keys = realloc(r->keys, (size_t)cap * r->kst * sizeof(*keys));

		if (!keys)
			return -ENOMEM;
		r->keys = keys;
	}
	if (!slot || !v || !basic || grow_u8(&r->match, cap) || grow_u8(&r->mark, cap) ||
	    grow_u32(&r->ord, cap) || grow_u32(&r->ord2, cap) || grow_u32(&r->chg, cap) ||
	    grow_u32(&r->freed, cap))
		return -ENOMEM;
	memset(r->match + r->cand_cap, 0, cap - r->cand_cap);
	memset(r->mark + r->cand_cap, 0, cap - r->cand_cap);
	r->cand_cap = r->cap = cap;
	return 0;
}

static void queue(struct rows *r, uint32_t s)
{
	if (!(r->mark[s] & M_QUEUED)) {
		r->mark[s] |= M_QUEUED;
		r->chg[r->nchg++] = s;
	}
}

/* A new entry in a free slot (the caller made room); queued for keying. */
static uint32_t slot_new(struct rows *r, const struct sock_entry *e)
{
	uint32_t s = r->nfreed ? r->freed[--r->nfreed] : r->ncand++;

	r->slot[s].e = e;
	r->match[s] = 0;
	r->nset++;
	queue(r, s);
	return s;
}

/* The entry left the set: its row goes, the slot is freed after the
 * build (so no slot is emptied and filled in one build). */
static void slot_gone(struct rows *r, uint32_t s)
{
	if (r->match[s])
		r->mark[s] |= M_OUT;
	queue(r, s);
	r->match[s] = 0;
	r->slot[s].e = NULL;
	r->basic[s].state = BASIC_EMPTY;
	r->nset--;
	if (s == r->sel_slot)
		r->sel_lost = true;
}

/* ---- the unfiltered order, kept while a filter is on ------------------- */

static void unfiltered_forget(struct rows *r)
{
	for (uint32_t i = 0; i < r->ndirty; i++)
		r->mark[r->dirty[i]] &= (uint8_t)~M_DIRTY;
	free(r->all_ord);
	free(r->all_v);
	free(r->dirty);
	r->all_ord = r->dirty = NULL;
	r->all_v = NULL;
	r->all_n = r->ndirty = r->dirty_cap = 0;
}

/* The rows as they are (every row: no filter yet), before a filter
 * narrows them. Without memory nothing is kept: clearing then sorts. */
static void unfiltered_keep(struct rows *r)
{
	uint32_t cap = r->n / 8 + 1024;

	unfiltered_forget(r);
	r->all_ord = malloc(((size_t)r->n + 1) * sizeof(*r->all_ord));
	r->all_v = malloc(((size_t)r->n + 1) * sizeof(*r->all_v));
	r->dirty = malloc(cap * sizeof(*r->dirty));
	if (!r->all_ord || !r->all_v || !r->dirty) {
		unfiltered_forget(r);
		return;
	}
	memcpy(r->all_ord, r->ord, r->n * sizeof(*r->ord));
	memcpy(r->all_v, r->v, r->n * sizeof(*r->v));
	r->all_n = r->n;
	r->dirty_cap = cap;
}

/* Slot s changed (keyed again, emptied or filled): its place in the kept
 * order is no longer known. Too many: putting them back would cost what
 * a sort does, so the kept order goes. */
static void unfiltered_dirty(struct rows *r, uint32_t s)
{
	if (!r->all_ord || (r->mark[s] & M_DIRTY))
		return;
	if (r->ndirty == r->dirty_cap) {
		unfiltered_forget(r);
		return;
	}
	r->mark[s] |= M_DIRTY;
	r->dirty[r->ndirty++] = s;
}

/* After a build: marks cleared, emptied slots free. */
static void settle(struct rows *r)
{
	for (uint32_t i = 0; i < r->nchg; i++) {
		uint32_t s = r->chg[i];

		r->mark[s] &= M_DIRTY;
		if (!r->slot[s].e)
			r->freed[r->nfreed++] = s;
	}
	r->nchg = 0;
}

/* ---- keys and order ------------------------------------------------------ */

/* Row order of two slots: the same order the radix sort gives. */
static int cmp_slot(const struct rows *r, uint32_t a, uint32_t b)
{
	const uint64_t *ka = slot_key(r, a), *kb = slot_key(r, b);

	for (uint32_t i = 0; i < r->kst; i++)
		if (ka[i] != kb[i])
			return (ka[i] < kb[i]) != r->desc ? -1 : 1;
	return 0;
}

static int by_row_order(const void *a, const void *b, void *ctx)
{
	return cmp_slot(ctx, *(const uint32_t *)a, *(const uint32_t *)b);
}

/* First index in ord[0..hi) whose row does not come before slot s. */
static uint32_t lower_bound(const struct rows *r, uint32_t hi, uint32_t s)
{
	uint32_t lo = 0;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (cmp_slot(r, r->ord[mid], s) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Keys and filter result of one slot; true when they differ from before. */
static bool key_slot(struct rows *r, uint32_t i, const struct filter *f, bool filt)
{
	const struct sock_entry *e = r->slot[i].e;
	uint64_t k[KSTRIDE] = { 0 };
	struct filter_subject s;
	uint8_t m = 1;
	bool changed;

	if (filt) {
		rows_subject(r->names, e, &s);
		m = filter_match(f, &s);
	}
	uint64_t *have = slot_key(r, i);
	size_t bytes = r->kst * sizeof(*k);

	col_key(&columns[r->sort_col], r->names, e, k);
	k[r->kst - 1] = e->serial;
	if (r->have_sel && e->serial == r->sel_serial && e->skaddr == r->sel_skaddr) {
		r->sel_slot = i; /* found while the entry is in cache */
		r->sel_lost = false;
	}
	changed = m != r->match[i] || memcmp(k, have, bytes);
	r->match[i] = m;
	memcpy(have, k, bytes);
	/* a family past a byte: 0, which the tables treat as any other */
	r->basic[i] = (struct rows_basic){ e->lport, e->rport,
					   e->family <= 0xff ? (uint8_t)e->family : 0, e->state };
	return changed;
}

/* A slot's key words alone, under a new sort column: its filter result
 * and filter copy stand (the filter is the one they were made with, the
 * entry not named by the log since). */
static void key_words(struct rows *r, uint32_t i)
{
	const struct sock_entry *e = r->slot[i].e;
	uint64_t k[KSTRIDE] = { 0 };

	col_key(&columns[r->sort_col], r->names, e, k);
	k[r->kst - 1] = e->serial;
	memcpy(slot_key(r, i), k, r->kst * sizeof(*k));
}

/* The fields rows read (the first ROW_FIELDS bytes of an entry), on
 * their way to the cache while earlier entries are keyed. */
#define ROW_FIELDS (offsetof(struct sock_entry, cgroup_id) + sizeof(uint64_t))

static void prefetch_entry(const struct sock_entry *e)
{
	__builtin_prefetch(e);
	__builtin_prefetch((const char *)e + 64);
	__builtin_prefetch((const char *)e + ROW_FIELDS - 1);
}

/* Pages of a block from..to mapped now rather than faulted in one at a
 * time by the pass that first writes them (no huge pages: the kernel may
 * compact memory for them, 30-110 ms here for 40 MB). */
static void populate(void *p, size_t from, size_t to)
{
#ifdef MADV_POPULATE_WRITE
	uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t lo = ((uintptr_t)p + from + pg - 1) & ~(pg - 1);
	uintptr_t hi = ((uintptr_t)p + to) & ~(pg - 1);

	if (hi > lo)
		(void)madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE);
#else
	(void)p, (void)from, (void)to;
#endif
}

/* The key array laid out for the sort column's words. A new layout
 * holds nothing: the column changed, so every slot is keyed again. The
 * block is resized, not made anew (nor cleared): fewer words keep pages
 * already there, more fault in only the ones added, and at once (a
 * million rows, 2 -> 5 words: the key pass after took 20 ms more on
 * fresh pages), or, when *had is given, not here: its words held before
 * are put there, for the caller to fill the pages past them as it goes. */
static int keys_fit(struct rows *r, size_t *had)
{
	uint32_t want = (uint32_t)columns[r->sort_col].nwords + 1;
	size_t cap = r->cand_cap ? r->cand_cap : 1, held = r->keys ? cap * r->kst : 0;
	uint64_t *keys;

	if (had)
		*had = held;
	if (want == r->kst && r->keys)
		return 0;
	keys = realloc(r->keys, cap * want * sizeof(*keys));
	if (!keys)
		return -ENOMEM;
	if (cap * want > held && !had)
		populate(keys, held * sizeof(*keys), cap * want * sizeof(*keys));
	r->keys = keys; /* every slot is keyed before a key is read */
	r->kst = want;
	return 0;
}

/* Key every slot that holds an entry. */
static void key_all(struct rows *r, const struct filter *f)
{
	bool filt = filter_active(f);

	for (uint32_t i = 0; i < r->ncand; i++) {
		if (i + PREFETCH < r->ncand && r->slot[i + PREFETCH].e)
			prefetch_entry(r->slot[i + PREFETCH].e);
		if (r->slot[i].e)
			key_slot(r, i, f, filt);
	}
}

/*
 * The radix sort's two key arrays, 16 bytes a row, live only while a
 * full build sorts (a key that re-sorts, a new set): mapped for it and
 * given back after, so a million rows do not keep 16 MB for the next
 * re-sort (malloc would keep so big a block once freed, its threshold
 * moving up). In huge pages, filled in one call where the kernel can
 * (5.14+): 16 MB then costs about 1 ms here, not 7 ms of page faults.
 */
static bool scratch_take(struct rows *r, uint32_t n)
{
	size_t bytes = 2 * (size_t)(n ? n : 1) * sizeof(uint64_t);
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return false;
	/* hints: without them the pages come as they are touched */
	(void)madvise(p, bytes, MADV_HUGEPAGE);
#ifdef MADV_POPULATE_WRITE
	(void)madvise(p, bytes, MADV_POPULATE_WRITE);
#endif
	r->kw = p;
	r->kw2 = r->kw + (n ? n : 1);
	r->scratch_bytes = bytes;
	return true;
}

static void scratch_drop(struct rows *r)
{
	/* the sort may have swapped the two: the mapping starts at the lower */
	munmap(r->kw < r->kw2 ? r->kw : r->kw2, r->scratch_bytes);
	r->kw = r->kw2 = NULL;
	r->scratch_bytes = 0;
}

/* A worker's copy told to give up, looked at every 64k rows of a loop
 * (a newer sort key waits for it: well under a millisecond) */
static bool stop_at(const struct rows *r, uint32_t i)
{
	return !(i & 0xffff) && r->stop && atomic_load_explicit(r->stop, memory_order_relaxed);
}

static int by_address_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t) * (const void *const *)a,
		  y = (uintptr_t) * (const void *const *)b;

	return (x > y) - (x < y);
}

/* Sort the slots in ord[0..n) into row order, word by word: least
 * significant first, the serial, then the column's words. */
static bool radix_words(struct rows *r, uint32_t n)
{
	uint64_t flip = r->desc ? ~0ULL : 0;

	for (int w = (int)r->kst - 1; w >= 0; w--) {
		for (uint32_t i = 0; i < n; i++) {
			if (stop_at(r, i))
				return false;
			r->kw[i] = slot_key(r, r->ord[i])[w] ^ flip;
		}
		if (!rows_radix_word(r, n))
			return false;
	}
	return true;
}

/*
 * Sort the slots in ord[0..n) into row order. The bits of a word that
 * differ between rows lie in one span (those above and below it are the
 * same in every row), so the spans of the column's words and the
 * serial, laid end to end, order the rows as the words do: when they fit
 * in 64 bits they are one key, read in ord's order (the slots' order:
 * no read at random, where a word at a time picked each up at random
 * after the first pass) and sorted 11 bits a pass (1M rows by state: 9
 * byte passes -> 6). Wider: word by word.
 */
static bool radix_keys(struct rows *r, uint32_t n)
{
	/* the column's words, then the serial, least significant */
	int nw = (int)r->kst, lo[KSTRIDE], width[KSTRIDE], total = 0;
	uint64_t flip = r->desc ? ~0ULL : 0, diff[KSTRIDE] = { 0 }, first[KSTRIDE];

	if (n < 2)
		return true;
	for (int j = 0; j < nw; j++)
		first[j] = slot_key(r, r->ord[0])[j];
	for (uint32_t i = 1; i < n; i++) {
		const uint64_t *k = slot_key(r, r->ord[i]);

		if (stop_at(r, i))
			return false;
		for (int j = 0; j < nw; j++)
			diff[j] |= k[j] ^ first[j];
	}
	for (int j = 0; j < nw; j++) {
		lo[j] = diff[j] ? __builtin_ctzll(diff[j]) : 0;
		width[j] = diff[j] ? 64 - __builtin_clzll(diff[j]) - lo[j] : 0;
		total += width[j];
	}
	if (total > 64)
		return radix_words(r, n);
	for (uint32_t i = 0; i < n; i++) {
		const uint64_t *k = slot_key(r, r->ord[i]);
		uint64_t p = 0;

		if (stop_at(r, i))
			return false;
		for (int j = 0; j < nw; j++) {
			if (!width[j])
				continue;
			/* a 64-bit span: total is 64, p is still 0 */
			p = width[j] == 64 ? 0 : p << width[j];
			p |= ((k[j] ^ flip) >> lo[j]) &
			     (width[j] == 64 ? ~0ULL : (1ULL << width[j]) - 1);
		}
		r->kw[i] = p;
	}
	return rows_radix_bits(r, n, total);
}

/* radix_keys in arrays of its own; without the memory, the same order
 * through a comparison sort */
static bool radix_rows(struct rows *r, uint32_t n)
{
	bool done;

	if (n < 2)
		return true;
	if (!scratch_take(r, n)) {
		qsort_r(r->ord, n, sizeof(*r->ord), by_row_order, r);
		return true;
	}
	done = radix_keys(r, n);
	scratch_drop(r);
	return done;
}

/* The matching slots (n of them) into ord[0..n) and v, in row order;
 * false when r->stop was set first (a worker's copy, given up). */
static bool order_rows(struct rows *r, uint32_t n)
{
	uint32_t k = 0;

	for (uint32_t i = 0; i < r->ncand && k < n; i++) {
		if (stop_at(r, i))
			return false;
		if (r->match[i])
			r->ord[k++] = i;
	}
	if (!radix_rows(r, n))
		return false;
	for (uint32_t i = 0; i < n; i++) {
		if (stop_at(r, i))
			return false;
		r->v[i] = r->slot[r->ord[i]].e;
	}
	return true;
}

static void sort_rows(struct rows *r)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < r->ncand; i++)
		n += r->match[i];
	r->n = n;
	order_rows(r, n);
}

/* ---- a re-sort finished by a worker -------------------------------------- */

/*
 * A million rows take ~100 ms to sort here, a pass that keys them all
 * 15-25 ms: the frame after a sort key cannot wait for that. What it
 * shows is the page around the selection, and one pass over the entries
 * can pick those rows: it counts the rows before the selection (its new
 * index) and keeps the page's worth just before and just after it in two
 * bounded heaps, each row's key made on the way and kept in the heap,
 * not stored. A worker thread then lays out the key array for the new
 * column, keys every slot and sorts them all, on a copy of the rows (its
 * own pointers to the keys and the order arrays; the slots and filter
 * results read only, which the main thread leaves alone until it joins).
 * So the frame writes no key and maps no page for wider keys (a million
 * rows, 2 -> 5 words: 24 MB of new pages, 7-60 ms here). Rows are the
 * same as a sort of every row gives at every frame: the page's by the
 * same comparison, the rest once joined.
 */
struct rows_job {
	pthread_t thread;
	atomic_bool stop;
	atomic_bool ended; /* the worker has returned: a join will not wait */
	bool done;	   /* the order is the one the keys give */
	struct rows w;	   /* the worker's copy */
};

/* Row order of two entries' key words (nw of them) */
static int cmp_words(const uint64_t *a, const uint64_t *b, uint32_t nw, bool desc)
{
	for (uint32_t i = 0; i < nw; i++)
		if (a[i] != b[i])
			return (a[i] < b[i]) != desc ? -1 : 1;
	return 0;
}

/* a before b in row order (keys that differ: the serials do), without a
 * branch on the words: the pass asks it of every row, the answer as
 * likely either way, and a branch missed half the time throws away the
 * entries being read ahead (bench_render, 1M rows, the frame after a
 * sort by REMOTE: 38 ms median with branches, 17 ms without) */
static inline bool words_before(const uint64_t *a, const uint64_t *b, uint32_t nw, bool desc)
{
	bool lt = false, gt = false;

	for (uint32_t i = nw; i-- > 0;) {
		bool eq = a[i] == b[i];

		lt = (a[i] < b[i]) | (eq & lt);
		gt = (a[i] > b[i]) | (eq & gt);
	}
	return desc ? gt : lt;
}

/* The key words of an entry under the rows' sort column (kst of them) */
static void entry_words(const struct rows *r, const struct sock_entry *e, uint64_t *k)
{
	memset(k, 0, KSTRIDE * sizeof(*k));
	col_key(&columns[r->sort_col], r->names, e, k);
	k[r->kst - 1] = e->serial;
}

static int by_entry_order(const void *a, const void *b, void *ctx)
{
	const struct rows *r = ctx;
	uint64_t ka[KSTRIDE], kb[KSTRIDE];

	entry_words(r, r->slot[*(const uint32_t *)a].e, ka);
	entry_words(r, r->slot[*(const uint32_t *)b].e, kb);
	return cmp_words(ka, kb, r->kst, r->desc);
}

/* Every slot keyed under the new column, a block at a time (stops as
 * order_rows does), the block's pages past the had words held before
 * mapped first: a worker told to stop waits for no more than one block. */
static bool key_every(struct rows *r, size_t had)
{
	size_t stride = r->kst * sizeof(*r->keys);

	for (uint32_t lo = 0; lo < r->ncand; lo += KEY_BLOCK) {
		uint32_t hi = r->ncand - lo > KEY_BLOCK ? lo + KEY_BLOCK : r->ncand;

		if (stop_at(r, lo))
			return false;
		if ((size_t)hi * r->kst > had)
			populate(r->keys,
				 (size_t)lo * stride > had * sizeof(*r->keys) ?
					 (size_t)lo * stride :
					 had * sizeof(*r->keys),
				 (size_t)hi * stride);
		for (uint32_t i = lo; i < hi; i++)
			if (r->slot[i].e)
				key_words(r, i);
	}
	return true;
}

/* The worker's work: keys laid out and made, then the order. No memory
 * for the keys: the same order by a comparison of keys made anew each
 * time (slow, but the rows are right), and the keys left as they were. */
static void *job_run(void *arg)
{
	struct rows_job *j = arg;
	struct rows *w = &j->w;
	uint32_t k = 0, kst = w->kst;
	size_t had;

	if (!keys_fit(w, &had)) {
		j->done = key_every(w, had) && order_rows(w, w->n);
	} else {
		for (uint32_t i = 0; i < w->ncand && k < w->n; i++)
			if (w->match[i])
				w->ord[k++] = i;
		w->kst = (uint32_t)columns[w->sort_col].nwords + 1;
		qsort_r(w->ord, w->n, sizeof(*w->ord), by_entry_order, w);
		for (uint32_t i = 0; i < w->n; i++)
			w->v[i] = w->slot[w->ord[i]].e;
		w->kst = kst; /* the keys' layout, which did not change */
	}
	atomic_store_explicit(&j->ended, true, memory_order_release);
	return NULL;
}

/* Join the worker: its keys and order taken (keys, ord, ord2 as its
 * passes left them), or, cancelled or given up, no order kept (the next
 * build keys and sorts). */
static void job_end(struct rows *r, bool cancel)
{
	struct rows_job *j = r->job;

	if (!j)
		return;
	if (cancel)
		atomic_store(&j->stop, true);
	pthread_join(j->thread, NULL);
	r->keys = j->w.keys;
	r->kst = j->w.kst;
	r->ord = j->w.ord;
	r->ord2 = j->w.ord2;
	if (!j->done)
		r->order_valid = false;
	free(j);
	r->job = NULL;
}

void rows_finish(struct rows *r)
{
	job_end(r, false);
}

bool rows_sorting(const struct rows *r)
{
	return r->job && !atomic_load_explicit(&r->job->ended, memory_order_acquire);
}

void rows_need(struct rows *r, uint32_t from, uint32_t n)
{
	if (r->job && (from < r->win_lo || from - r->win_lo + (uint64_t)n > r->win_n))
		rows_finish(r);
}

const struct sock_entry *rows_row(const struct rows *r, uint32_t i)
{
	return r->job ? r->slot[r->win[i - r->win_lo]].e : r->v[i];
}

/* A row picked for the window: its slot and key words */
struct pick_row {
	uint64_t k[KSTRIDE];
	uint32_t s;
};

/* A bounded heap of rows: with sign 1 the cap rows latest in row order
 * offered (the root the earliest of them), with -1 the earliest. */
struct pick {
	struct pick_row *h;
	uint32_t n, cap;
	int sign;
	bool in_desc; /* a row offered goes in if before the root in this order */
};

/* The key pass of a re-sort, shared by the main thread and a helper:
 * each takes the next chunk of slots until none is left, makes the keys
 * of its rows and keeps its own count and heaps (a million entries are
 * read in about 13 ms by one CPU, most of it waiting on memory: two read
 * more at once). */
#define KEY_CHUNK 16384

struct key_pass {
	const struct rows *r;
	const struct filter *f;
	bool filt, same_filter, desc;
	uint32_t kst; /* the new column's words + 1 */
	/* the sort column (its key words: col_key), the names' table */
	const struct column *col;
	const struct table *names;
	uint32_t a; /* the selection's slot, keyed first */
	uint64_t ak[KSTRIDE];
	atomic_uint next; /* the next chunk to take */
	uint32_t nchunks;
};

struct key_part {
	struct key_pass *kp;
	struct pick before, after;
	uint32_t n, rank; /* rows shown, and before the selection */
};

static void pick_offer(const struct key_pass *kp, struct pick *p, const struct pick_row *x)
{
	uint32_t i, nw = kp->kst;
	bool desc = kp->desc;

	if (p->n < p->cap) {
		/* sift up */
		for (i = p->n++; i > 0; i = (i - 1) / 2) {
			uint32_t up = (i - 1) / 2;

			if (p->sign * cmp_words(p->h[up].k, x->k, nw, desc) <= 0)
				break;
			p->h[i] = p->h[up];
		}
		p->h[i] = *x;
		return;
	}
	if (!p->cap || !words_before(x->k, p->h[0].k, nw, p->in_desc))
		return;
	/* the root goes, x sifts down from it */
	for (i = 0;;) {
		uint32_t c = 2 * i + 1;

		if (c >= p->n)
			break;
		if (c + 1 < p->n && p->sign * cmp_words(p->h[c + 1].k, p->h[c].k, nw, desc) < 0)
			c++;
		if (p->sign * cmp_words(x->k, p->h[c].k, nw, desc) <= 0)
			break;
		p->h[i] = p->h[c];
		i = c;
	}
	p->h[i] = *x;
}

/* The filter's result of slot i read again (the rows' copy of what the
 * filter tables test with it), its keys not made */
static void match_slot(const struct rows *r, uint32_t i, const struct filter *f, bool filt)
{
	const struct sock_entry *e = r->slot[i].e;
	struct filter_subject s;
	uint8_t m = 1;

	if (filt) {
		rows_subject(r->names, e, &s);
		m = filter_match(f, &s);
	}
	r->match[i] = m;
	r->basic[i] = (struct rows_basic){ e->lport, e->rport,
					   e->family <= 0xff ? (uint8_t)e->family : 0, e->state };
}

static void key_part_run(struct key_part *p)
{
	const struct key_pass *kp = p->kp;
	const struct rows *r = kp->r;
	uint32_t c, nw = kp->kst;
	struct pick *side[2] = { &p->after, &p->before };

	while ((c = atomic_fetch_add(&p->kp->next, 1)) < kp->nchunks) {
		uint32_t lo = c * KEY_CHUNK,
			 hi = r->ncand - lo > KEY_CHUNK ? lo + KEY_CHUNK : r->ncand;

		for (uint32_t i = lo; i < hi; i++) {
			const struct sock_entry *e = r->slot[i].e;
			struct pick_row x = { { 0 }, i };
			bool before;

			if (i + PREFETCH < hi && r->slot[i + PREFETCH].e)
				prefetch_entry(r->slot[i + PREFETCH].e);
			if (!e || i == kp->a)
				continue;
			if (!kp->same_filter || (r->mark[i] & M_QUEUED))
				match_slot(r, i, kp->f, kp->filt);
			if (!r->match[i])
				continue; /* a hidden row: its entry is not read */
			col_key(kp->col, kp->names, e, x.k);
			x.k[nw - 1] = e->serial;
			p->n++;
			before = words_before(x.k, kp->ak, nw, kp->desc);
			p->rank += before;
			pick_offer(kp, side[before], &x);
		}
	}
}

static void *key_part_thread(void *arg)
{
	key_part_run(arg);
	return NULL;
}

static int by_pick_order(const void *a, const void *b, void *ctx)
{
	const struct key_pass *kp = ctx;

	return cmp_words(((const struct pick_row *)a)->k, ((const struct pick_row *)b)->k, kp->kst,
			 kp->desc);
}

/* The parts' heaps into the window: the h rows latest in order of the
 * ones before the selection, the selection, the h earliest after; tmp
 * has room for 2h. Returns how many are before it. */
static uint32_t key_parts_merge(struct rows *r, const struct key_part *p, int np, uint32_t h,
				struct pick_row *tmp)
{
	struct key_pass *kp = p[0].kp;
	uint32_t nb = 0, na = 0, skip;

	for (int k = 0; k < np; k++) {
		memcpy(tmp + nb, p[k].before.h, p[k].before.n * sizeof(*tmp));
		nb += p[k].before.n;
	}
	qsort_r(tmp, nb, sizeof(*tmp), by_pick_order, kp);
	skip = nb > h ? nb - h : 0;
	for (uint32_t i = skip; i < nb; i++)
		r->win[i - skip] = tmp[i].s;
	nb -= skip;
	r->win[nb] = kp->a;
	for (int k = 0; k < np; k++) {
		memcpy(tmp + na, p[k].after.h, p[k].after.n * sizeof(*tmp));
		na += p[k].after.n;
	}
	qsort_r(tmp, na, sizeof(*tmp), by_pick_order, kp);
	if (na > h)
		na = h;
	for (uint32_t i = 0; i < na; i++)
		r->win[nb + 1 + i] = tmp[i].s;
	r->win_n = nb + 1 + na;
	return nb;
}

/*
 * Pick the rows around the selection under a new sort column or
 * direction (the set as it is), then hand keying and the full order to a
 * worker. same_filter: the filter results stand (the filter they were
 * made with, no change the log did not name), but for slots the log
 * named. False, nothing done, when the rows are few, the selection is
 * not a row of the set, or memory or a thread is short: the caller keys
 * and sorts in the frame.
 */
static bool resort_deferred(struct rows *r, const struct filter *f, bool same_filter)
{
	uint32_t a = r->sel_slot, h = r->page ? r->page : WIN_DEFAULT;
	struct key_pass kp = { .r = r,
			       .f = f,
			       .filt = filter_active(f),
			       .same_filter = same_filter,
			       .desc = r->desc,
			       .kst = (uint32_t)columns[r->sort_col].nwords + 1,
			       .col = &columns[r->sort_col],
			       .names = r->names,
			       .a = a };
	struct key_part part[2];
	pthread_t helper;
	bool helped;
	struct pick_row *heaps;
	struct rows_job *j;

	if (r->nset < r->defer_min || !r->have_sel || r->sel_lost || a >= r->ncand ||
	    !r->slot[a].e || !r->keys)
		return false;
	if (r->win_cap < 2 * h + 1) {
		uint32_t *w = realloc(r->win, (2 * (size_t)h + 1) * sizeof(*w));

		if (!w)
			return false;
		r->win = w;
		r->win_cap = 2 * h + 1;
	}
	/* two parts' heaps of h each side, and room to merge them */
	heaps = malloc(6 * (size_t)h * sizeof(*heaps));
	j = calloc(1, sizeof(*j));
	if (!heaps || !j) {
		free(heaps);
		free(j);
		return false;
	}
	match_slot(r, a, f, kp.filt);
	if (!r->match[a]) {
		free(heaps);
		free(j); /* the caller keys it again with the rest */
		return false;
	}
	col_key(kp.col, kp.names, r->slot[a].e, kp.ak);
	kp.ak[kp.kst - 1] = r->slot[a].e->serial;
	atomic_init(&kp.next, 0);
	kp.nchunks = (r->ncand + KEY_CHUNK - 1) / KEY_CHUNK;
	for (int k = 0; k < 2; k++)
		part[k] = (struct key_part){ &kp,
					     { heaps + 2 * k * h, 0, h, 1, !kp.desc },
					     { heaps + (2 * k + 1) * h, 0, h, -1, kp.desc },
					     0,
					     0 };
	/* no helper: the main thread takes every chunk */
	helped = !pthread_create(&helper, NULL, key_part_thread, &part[1]);
	key_part_run(&part[0]);
	if (helped)
		pthread_join(helper, NULL);
	r->n = part[0].n + part[1].n + 1; /* and the selection's own row */
	r->sel = part[0].rank + part[1].rank;
	r->win_lo = r->sel - key_parts_merge(r, part, 2, h, heaps + 4 * h);
	free(heaps);
	r->sel_slot = a;
	r->sel_skaddr = r->slot[a].e->skaddr;
	r->sel_serial = r->slot[a].e->serial;
	r->have_sel = true;
	r->sel_lost = false;
	/* the worker's copy: everything it reads set before it starts */
	atomic_init(&j->stop, false);
	j->w = *r;
	j->w.stop = &j->stop;
	j->w.job = NULL;
	if (pthread_create(&j->thread, NULL, job_run, j)) {
		/* no worker: keyed and sorted now (no memory: the caller
		 * finds none either, and gives up the rows) */
		free(j);
		if (keys_fit(r, NULL))
			return false;
		key_every(r, SIZE_MAX);
		order_rows(r, r->n); /* the window is right; the rest now */
		return true;
	}
	r->job = j;
	r->deferred++;
	return true;
}

/* Re-key slot s; note whether its row leaves ord and whether it goes in. */
static void rekey(struct rows *r, uint32_t s, const struct filter *f, bool filt, uint32_t *nout,
		  uint32_t *nin)
{
	uint8_t was = r->match[s];
	bool changed = key_slot(r, s, f, filt);

	if (was && changed) {
		queue(r, s); /* so that settle() clears the mark */
		r->mark[s] |= M_OUT;
		(*nout)++;
	}
	if (r->match[s] && (changed || !was))
		r->ord2[(*nin)++] = s;
}

/* Only the filter's result of slot s read again (a new filter: its key
 * stays); note whether its row leaves ord and whether it goes in. No
 * filter: every slot shows, and no entry is read. */
static void refilter(struct rows *r, uint32_t s, const struct filter *f, bool filt, uint32_t *nout,
		     uint32_t *nin)
{
	uint8_t was = r->match[s], m = 1;

	if (filt) {
		struct filter_subject subj;

		rows_subject(r->names, r->slot[s].e, &subj);
		m = filter_match(f, &subj);
	}
	r->match[s] = m;
	if (was && !m) {
		/* not queued: leave() clears the mark (half a million rows a
		 * filter hides were as many settle() steps) */
		r->mark[s] |= M_OUT;
		(*nout)++;
	} else if (m && !was) {
		r->ord2[(*nin)++] = s;
	}
}

/* refilter() of every slot not queued, by the filter's tables
 * (filter_table_new): the slots' copies of what it tests read in order,
 * and no branch on the answer (half the rows go either way). 1M rows,
 * "port 443": the pass 20 -> 4 ms (bench_render). */
static void refilter_table(struct rows *r, const struct filter_table *t, uint32_t *nout,
			   uint32_t *nin)
{
	uint32_t out = *nout, in = *nin;

	for (uint32_t i = 0; i < r->ncand; i++) {
		const struct rows_basic *b = &r->basic[i];
		uint8_t was, m;

		if (b->state == BASIC_EMPTY || (r->mark[i] & M_QUEUED))
			continue;
		was = r->match[i];
		m = filter_table_match(t, b->family, b->state, b->lport, b->rport);
		r->match[i] = m;
		r->mark[i] |= (uint8_t)((was & !m) * M_OUT);
		out += was & !m;
		r->ord2[in] = i;
		in += m & !was;
	}
	*nout = out;
	*nin = in;
}

/* Rows marked out (nout of them) leave ord and v (one pass), their mark
 * cleared; the rows kept. Many leaving (a filter hides rows at random):
 * every row is written and only the kept ones counted, as a branch on it
 * missed half the time (1M rows, "port 443": 8 -> 5 ms); a few (churn):
 * only those marks are written. */
static uint32_t leave(struct rows *r, uint32_t nout)
{
	uint32_t k = 0;

	if (nout > r->n / 16) {
		for (uint32_t i = 0; i < r->n; i++) {
			uint32_t s = r->ord[i];
			uint8_t m = r->mark[s];

			r->mark[s] = m & (uint8_t)~M_OUT;
			r->ord[k] = s;
			r->v[k] = r->v[i];
			k += !(m & M_OUT);
		}
		return k;
	}
	for (uint32_t i = 0; i < r->n; i++) {
		uint32_t s = r->ord[i];

		if (r->mark[s] & M_OUT) {
			r->mark[s] &= (uint8_t)~M_OUT;
			continue;
		}
		r->ord[k] = s;
		r->v[k++] = r->v[i];
	}
	return k;
}

/* Rows marked out leave ord (one pass); the nin slots in ord2 go in, each
 * at its place found by binary search, moving the rest from the back. */
static void merge(struct rows *r, uint32_t nout, uint32_t nin)
{
	uint32_t *in = r->ord2, k = nout ? leave(r, nout) : r->n, hi;

	qsort_r(in, nin, sizeof(*in), by_row_order, r);
	hi = k;
	for (uint32_t j = nin; j-- > 0;) {
		uint32_t at = lower_bound(r, hi, in[j]);

		memmove(&r->ord[at + j + 1], &r->ord[at], (hi - at) * sizeof(*r->ord));
		memmove(&r->v[at + j + 1], &r->v[at], (hi - at) * sizeof(*r->v));
		r->ord[at + j] = in[j];
		r->v[at + j] = r->slot[in[j]].e;
		hi = at;
	}
	r->n = k + nin;
}

/* Many rows to put in (a filter cleared, or widened): the rows marked out
 * leave ord, the nin slots in ord2 are sorted on their own and the two
 * ordered lists merged in one pass from the back, rather than every row
 * sorted again. -ENOMEM (nothing moved): the caller sorts them all. */
static int merge_sorted(struct rows *r, uint32_t nout, uint32_t nin)
{
	uint32_t *kept = r->ord, *spare = r->ord2, *in, k = r->n;
	uint32_t *tmp = malloc((size_t)nin * sizeof(*tmp));
	int64_t i, j, w;

	if (!tmp)
		return -ENOMEM;
	if (nout)
		k = leave(r, nout);
	/* the newcomers sorted where the radix passes take them: ord2 and tmp */
	r->ord = spare;
	r->ord2 = tmp;
	radix_rows(r, nin);
	in = r->ord;
	r->ord = kept;
	r->ord2 = spare;
	for (i = (int64_t)k - 1, j = (int64_t)nin - 1, w = (int64_t)k + nin - 1; j >= 0; w--) {
		if (i >= 0 && cmp_slot(r, kept[i], in[j]) > 0) {
			kept[w] = kept[i];
			r->v[w] = r->v[i--];
		} else {
			kept[w] = in[j];
			r->v[w] = r->slot[in[j--]].e;
		}
	}
	r->n = k + nin;
	free(tmp);
	return 0;
}

/* The filter is cleared and the order kept without it is there: that
 * order without the slots changed since, and those merged back in, is the
 * one a sort of every row gives (the same keys, the order being total).
 * False (nothing done) when this build's changes are too many to track. */
static bool unfiltered_restore(struct rows *r, const struct filter *f)
{
	uint32_t n = 0, nin = 0;

	if (!r->all_ord || r->ndirty + r->nchg > r->dirty_cap)
		return false;
	for (uint32_t i = 0; i < r->nchg; i++)
		unfiltered_dirty(r, r->chg[i]);
	for (uint32_t k = 0; k < r->all_n; k++) {
		uint32_t s = r->all_ord[k];

		if (r->mark[s] & M_DIRTY)
			continue;
		r->ord[n] = s;
		r->v[n++] = r->all_v[k];
	}
	r->n = n;
	for (uint32_t k = 0; k < n; k++)
		r->match[r->ord[k]] = 1;
	for (uint32_t i = 0; i < r->ndirty; i++) {
		uint32_t s = r->dirty[i];

		if (!r->slot[s].e)
			continue;
		key_slot(r, s, f, false);
		r->ord2[nin++] = s;
	}
	merge(r, 0, nin);
	unfiltered_forget(r);
	r->restores++;
	r->quick_builds++;
	return true;
}

/* ---- the set ---------------------------------------------------------------- */

/* The gathered entries (v) into slots in address order: the passes over
 * every slot (a new sort or filter) then read memory forward rather than
 * at random, which the hardware prefetcher follows (1M sockets, bench_render:
 * a filter typed 164 -> 93 ms, a re-sort 244 -> 163 ms median). */
static void by_address(struct rows *r)
{
	if (!scratch_take(r, r->ncand)) {
		qsort(r->v, r->ncand, sizeof(*r->v), by_address_cmp);
		for (uint32_t i = 0; i < r->ncand; i++)
			r->slot[i].e = r->v[i];
		return;
	}
	for (uint32_t i = 0; i < r->ncand; i++) {
		r->kw[i] = (uintptr_t)r->v[i];
		r->ord[i] = i;
	}
	rows_radix_word(r, r->ncand);
	for (uint32_t i = 0; i < r->ncand; i++)
		r->slot[i].e = (const struct sock_entry *)(uintptr_t)r->kw[i];
	scratch_drop(r);
}

/* Gather every entry of the source into fresh slots; -ENOMEM. */
static int collect(struct rows *r, const struct rows_source *src)
{
	uint32_t need, hist = 0, span = src->frozen ? 0 : table_handle_span(src->table);

	r->ncand = r->nset = r->nfreed = r->nchg = 0;
	map_clear(&r->map);
	if (src->frozen) {
		need = src->nfrozen;
	} else {
		hist = src->history ? table_history_count(src->table) : 0;
		need = table_count(src->table) + hist;
	}
	if (grow(r, (uint64_t)need + 1))
		return -ENOMEM;
	memset(r->mark, 0, r->cand_cap);
	memset(r->match, 0, r->cand_cap);
	if (src->frozen) {
		for (uint32_t i = 0; i < src->nfrozen; i++)
			r->slot[r->ncand++].e = &src->frozen[i];
	} else {
		/* gathered into v (as long as the slots), then into slots */
		r->ncand = rows_collect_live(src->table, r->v, need);
		for (uint32_t i = 0; i < hist && r->ncand < need; i++)
			r->v[r->ncand++] = table_history_get(src->table, i);
		by_address(r);
		for (uint32_t i = 0; i < r->ncand; i++) {
			uint32_t h = table_entry_handle(src->table, r->slot[i].e);

			if (map_room(&r->map, span, h))
				return -ENOMEM;
			map_set(&r->map, h, i);
		}
		r->set_seq = table_log_seq(src->table);
		r->set_touches = table_log_touches(src->table);
	}
	r->nset = r->ncand;
	return 0;
}

/*
 * The table's log since the last build, into slots: born ones get a slot,
 * gone ones leave theirs, changed ones are queued. 1, or 0 when the set
 * must be gathered again (the log overran, or it makes no sense), or
 * -ENOMEM. With history shown a retired entry stays (finished) until the
 * history ring frees it.
 */
static int read_log(struct rows *r, const struct table *t, bool history)
{
	uint64_t end = table_log_seq(t);

	if (r->set_seq < table_log_start(t) || end < r->set_seq)
		return 0;
	if (grow(r, (uint64_t)r->ncand + (end - r->set_seq) + 1))
		return -ENOMEM;
	for (uint64_t q = r->set_seq; q < end; q++) {
		struct table_change c;
		uint32_t s;

		if (!table_log_get(t, q, &c))
			return 0; /* cannot be: [set_seq, end) was checked */
		s = map_find(&r->map, c.h);

		switch (c.kind) {
		case TC_BORN:
			if (s != NO_SLOT || !c.e)
				return 0;
			if (map_room(&r->map, table_handle_span(t), c.h))
				return -ENOMEM;
			map_set(&r->map, c.h, slot_new(r, c.e));
			break;
		case TC_CHANGED:
			if (s != NO_SLOT)
				queue(r, s);
			break;
		case TC_RETIRED:
		case TC_FREED:
			if (s == NO_SLOT || (history && c.kind == TC_RETIRED))
				break;
			map_del(&r->map, c.h);
			slot_gone(r, s);
			break;
		}
	}
	r->set_seq = end;
	return 1;
}

static bool same_source(const struct rows *r, const struct rows_source *src)
{
	return r->set_valid && r->set_frozen == (const void *)src->frozen &&
	       r->set_nfrozen == src->nfrozen && r->set_history == src->history &&
	       r->set_table == (src->frozen ? NULL : (const void *)src->table);
}

static bool same_order(const struct rows *r, const struct filter *f)
{
	return r->order_valid && r->set_sort == r->sort_col && r->set_desc == r->desc &&
	       r->set_filter && !memcmp(r->set_filter, f, sizeof(*f));
}

static bool same_sort(const struct rows *r)
{
	return r->order_valid && r->set_sort == r->sort_col && r->set_desc == r->desc;
}

static bool same_order_but_direction(const struct rows *r, const struct filter *f)
{
	return r->order_valid && r->set_sort == r->sort_col && r->set_desc != r->desc &&
	       r->set_filter && !memcmp(r->set_filter, f, sizeof(*f));
}

/* No change the table did not name since the last build. */
static bool untouched(const struct rows *r, const struct rows_source *src)
{
	return src->frozen || table_log_touches(src->table) == r->set_touches;
}

static void reverse(struct rows *r)
{
	for (uint32_t i = 0; i < r->n / 2; i++) {
		uint32_t j = r->n - 1 - i, s = r->ord[i];
		const struct sock_entry *e = r->v[i];

		r->ord[i] = r->ord[j];
		r->ord[j] = s;
		r->v[i] = r->v[j];
		r->v[j] = e;
	}
}

static void remember(struct rows *r, const struct rows_source *src, const struct filter *f)
{
	r->set_frozen = src->frozen;
	r->set_nfrozen = src->nfrozen;
	r->set_history = src->history;
	r->set_table = src->frozen ? NULL : src->table;
	r->set_valid = true;
	if (!src->frozen)
		r->set_touches = table_log_touches(src->table);
	if (!r->set_filter)
		r->set_filter = malloc(sizeof(*r->set_filter));
	r->order_valid = r->set_filter != NULL;
	if (r->set_filter)
		memcpy(r->set_filter, f, sizeof(*f));
	r->set_sort = r->sort_col;
	r->set_desc = r->desc;
}

/* The set is kept and so is the order: move only the rows that changed.
 * Changes the table did not name: re-key every slot. new_filter: every
 * slot's filter result is read again, but keys change only with what the
 * log names, so only those slots are re-keyed. */
static void quick(struct rows *r, const struct rows_source *src, const struct filter *f,
		  bool new_filter)
{
	bool filt = filter_active(f);
	/* a filter of ports and state: its tables (NULL: the entries read) */
	struct filter_table *tab = filt && new_filter ? filter_table_new(f) : NULL;
	uint32_t nout = 0, nin = 0;

	if (!src->frozen && table_log_touches(src->table) != r->set_touches) {
		unfiltered_forget(r); /* every key may have changed */
		for (uint32_t i = 0; i < r->ncand; i++) {
			if (i + PREFETCH < r->ncand && r->slot[i + PREFETCH].e)
				prefetch_entry(r->slot[i + PREFETCH].e);
			if (r->slot[i].e)
				rekey(r, i, f, filt, &nout, &nin);
		}
	} else {
		for (uint32_t i = 0; i < r->nchg; i++)
			if (r->slot[r->chg[i]].e)
				rekey(r, r->chg[i], f, filt, &nout, &nin);
		if (tab)
			refilter_table(r, tab, &nout, &nin);
		for (uint32_t i = 0; new_filter && !tab && i < r->ncand; i++) {
			if (filt && i + PREFETCH < r->ncand && r->slot[i + PREFETCH].e)
				prefetch_entry(r->slot[i + PREFETCH].e);
			if (r->slot[i].e && !(r->mark[i] & M_QUEUED))
				refilter(r, i, f, filt, &nout, &nin);
		}
	}
	/* rows of slots emptied by read_log */
	for (uint32_t i = 0; i < r->nchg; i++)
		nout += !r->slot[r->chg[i]].e && (r->mark[r->chg[i]] & M_OUT);
	/* leaving is one pass however many leave; joining is a search each */
	if (nin > r->n / 8 + 64) {
		if (merge_sorted(r, nout, nin)) {
			for (uint32_t i = 0; i < r->ncand; i++)
				r->mark[i] &= (uint8_t)~M_OUT; /* leave() did not run */
			sort_rows(r);
		}
	} else if (nout || nin)
		merge(r, nout, nin);
	free(tab);
	r->quick_builds++;
}

/* The selection's row: by slot (binary search), or by key when only the
 * key is known; else the index stays, and the key follows that row. */
static void find_selection(struct rows *r)
{
	uint32_t s = r->sel_slot, at = NO_SLOT;

	if (r->have_sel && !r->sel_lost && s == NO_SLOT) {
		for (uint32_t i = 0; i < r->n && at == NO_SLOT; i++)
			if (r->v[i]->serial == r->sel_serial && r->v[i]->skaddr == r->sel_skaddr)
				at = i;
	} else if (r->have_sel && !r->sel_lost && s < r->ncand && r->slot[s].e && r->match[s] &&
		   r->slot[s].e->serial == r->sel_serial && r->slot[s].e->skaddr == r->sel_skaddr) {
		at = lower_bound(r, r->n, s);
		if (at >= r->n || r->ord[at] != s)
			at = NO_SLOT;
	}
	if (at != NO_SLOT)
		r->sel = at;
	else if (r->sel >= r->n)
		r->sel = r->n ? r->n - 1 : 0;
	if (r->n) {
		r->sel_skaddr = r->v[r->sel]->skaddr;
		r->sel_serial = r->v[r->sel]->serial;
		r->sel_slot = r->ord[r->sel];
		r->sel_lost = false;
		r->have_sel = true;
	}
}

/* No memory for the rows: emptied, the set gathered again next time */
static int rows_lost(struct rows *r)
{
	r->set_valid = false;
	r->n = r->ncand = r->nset = r->nfreed = r->nchg = 0;
	map_clear(&r->map);
	return -ENOMEM;
}

int rows_rebuild(struct rows *r, const struct rows_source *src, const struct filter *f)
{
	bool resort;
	int rc = 1;

	/* a worker still sorting: wait for it, unless another sort is asked */
	job_end(r, r->sort_col != r->set_sort || r->desc != r->set_desc);
	r->names = src->table;
	/* a re-sort lays out its keys when it makes them (the worker's, if
	 * it hands them over: resort_deferred) */
	resort = same_source(r, src) && !same_order_but_direction(r, f) && !same_sort(r);
	if (!resort && keys_fit(r, NULL))
		return rows_lost(r);
	if (same_source(r, src) && !src->frozen)
		rc = read_log(r, src->table, src->history);
	if (rc < 0 || !same_source(r, src) || !rc) {
		/* gather the set again: the selection is found by key, or lost */
		r->set_valid = false;
		r->sel_slot = NO_SLOT;
		r->sel_lost = r->have_sel;
		unfiltered_forget(r);
		if (rc < 0 || keys_fit(r, NULL) || collect(r, src))
			return rows_lost(r);
		key_all(r, f);
		sort_rows(r);
		r->full_builds++;
	} else if (same_order_but_direction(r, f)) {
		/* every word flips, the serial too: exactly the reverse order */
		unfiltered_forget(r);
		reverse(r);
		quick(r, src, f, false);
	} else if (!same_sort(r)) {
		unfiltered_forget(r);
		if (!resort_deferred(r, f,
				     r->set_filter && !memcmp(r->set_filter, f, sizeof(*f)) &&
					     untouched(r, src))) {
			if (keys_fit(r, NULL))
				return rows_lost(r);
			key_all(r, f);
			sort_rows(r);
		}
		r->full_builds++;
	} else if (!(filter_active(r->set_filter) && !filter_active(f) && untouched(r, src) &&
		     unfiltered_restore(r, f))) {
		/* a new filter leaves the keys and so the order: rows it hides
		 * leave, the ones it shows are merged in (or all sorted) */
		if (!filter_active(r->set_filter) && filter_active(f))
			unfiltered_keep(r);
		/* what the log named (not the rows queued by the filter) */
		for (uint32_t i = 0; i < r->nchg; i++)
			unfiltered_dirty(r, r->chg[i]);
		quick(r, src, f, !same_order(r, f));
	}
	settle(r);
	if (!filter_active(f))
		unfiltered_forget(r);
	remember(r, src, f);
	r->total = r->nset;
	if (!r->job) /* else the selection's row is known (resort_deferred) */
		find_selection(r);
	return 0;
}

void rows_select(struct rows *r, int64_t i)
{
	if (!r->n)
		return;
	if (i < 0)
		i = 0;
	if (i >= (int64_t)r->n)
		i = r->n - 1;
	rows_need(r, (uint32_t)i, 1);
	r->sel = (uint32_t)i;
	r->sel_skaddr = rows_row(r, (uint32_t)i)->skaddr;
	r->sel_serial = rows_row(r, (uint32_t)i)->serial;
	r->sel_slot = r->job ? r->win[i - r->win_lo] : r->ord[i];
	r->sel_lost = false;
	r->have_sel = true;
}

void rows_select_key(struct rows *r, uint64_t skaddr, uint64_t serial)
{
	r->sel_skaddr = skaddr;
	r->sel_serial = serial;
	r->sel_slot = NO_SLOT;
	r->sel_lost = false;
	r->have_sel = true;
}

void rows_scroll(struct rows *r, int h)
{
	if (h <= 0)
		return;
	r->page = (uint32_t)h;
	if (r->sel < r->top)
		r->top = r->sel;
	if (r->sel >= r->top + (uint32_t)h)
		r->top = r->sel - (uint32_t)h + 1;
	if (r->n <= (uint32_t)h)
		r->top = 0;
	else if (r->top + (uint32_t)h > r->n)
		r->top = r->n - (uint32_t)h;
}

void rows_sort_by(struct rows *r, int col)
{
	if (col < 0 || col >= COL_MAX)
		return;
	if (col == r->sort_col)
		r->desc = !r->desc;
	else
		r->desc = columns[col].desc;
	r->sort_col = col;
}

const struct sock_entry *rows_selected(struct rows *r)
{
	if (!r->n)
		return NULL;
	rows_need(r, r->sel, 1);
	return rows_row(r, r->sel);
}
