// SPDX-License-Identifier: GPL-2.0
/*
 * The Groups pane's order: the sort column, then the key column, then
 * the namespace, then the family (a group's whole key: no two rows tie).
 * A stable LSD radix sort on the columns' key words, least significant
 * first (a million groups by remote address took 0.8-1 s as a qsort with
 * a compare function); kept after (gorder): the rows whose sums moved
 * are taken out and put back where a binary search says, and a sort
 * from scratch runs in slices of a time budget, a byte pass a slice.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "columns.h"
#include "groups.h"
#include "groups_order.h"
#include "radix.h"

/* the least significant word: the namespace, then the family */
static uint64_t ns_word(const struct group_row *r)
{
	return (uint64_t)r->netns << 16 | r->family;
}

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
		kw[i] = ns_word(&rows[i]);
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

/* ---- the kept order ------------------------------------------------------- */

/* A sort from scratch in slices: the words of every row (the namespace's,
 * the key column's, the sort column's: least significant first), then
 * byte passes over them. */
struct gsort {
	void *mem; /* one mapping for the arrays below, given back after */
	size_t bytes;
	uint32_t n;	/* rows [0, n) as they were when it began */
	int nw;		/* words a row */
	uint64_t *word; /* word[w * n + i] */
	uint64_t diff[1 + 2 * COL_KEY_WORDS];
	uint32_t at;  /* rows whose words are made */
	int w, shift; /* the pass: word w, its byte at shift; -8: pick the word up */
	struct radix x;
	uint32_t *ord_mem, *ord2_mem;
	uint64_t *kw_mem, *kw2_mem;
};

static void sort_free(struct gsort *s)
{
	if (!s)
		return;
	if (s->mem)
		munmap(s->mem, s->bytes);
	free(s);
}

void gorder_free(struct gorder *o)
{
	sort_free(o->job);
	free(o->ord);
	free(o->tmp);
	free(o->mark);
	free(o->put);
	*o = (struct gorder){ 0 };
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* row a before row b in the pane's order: <0; the radix sort's order */
static int row_cmp(const struct gorder *o, const struct group_row *rows, uint32_t a, uint32_t b)
{
	const struct column *cols = groups_cols[o->by].col;
	const struct group_row *x = &rows[a], *y = &rows[b];
	int c = cols[o->sort].cmp(x, y);

	if (c)
		return o->desc ? -c : c;
	if (o->sort != GC_KEY && (c = cols[GC_KEY].cmp(x, y)))
		return c;
	if (x->netns != y->netns)
		return x->netns < y->netns ? -1 : 1;
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	return a < b ? -1 : a > b;
}

static int sort_begin(struct gorder *o, const struct group_row *rows, size_t n)
{
	const struct column *cols = groups_cols[o->by].col;
	struct gsort *s = calloc(1, sizeof(*s));
	size_t m = n ? n : 1;

	if (!s)
		return -ENOMEM;
	s->n = (uint32_t)n;
	s->nw = 1 + (o->sort != GC_KEY ? cols[GC_KEY].nwords : 0) + cols[o->sort].nwords;
	/* mapped for the sort and given back after: a million groups' 64 MB
	 * kept by malloc once freed (its threshold moves up) would stay in
	 * the RSS for nothing */
	s->bytes = m * ((size_t)s->nw + 2) * sizeof(uint64_t) + 2 * m * sizeof(uint32_t);
	s->mem = mmap(NULL, s->bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s->mem == MAP_FAILED) {
		s->mem = NULL;
		sort_free(s);
		return -ENOMEM;
	}
	s->word = s->mem;
	s->kw_mem = s->word + m * (size_t)s->nw;
	s->kw2_mem = s->kw_mem + m;
	s->ord_mem = (uint32_t *)(s->kw2_mem + m);
	s->ord2_mem = s->ord_mem + m;
	s->x = (struct radix){ s->kw_mem, s->kw2_mem, s->ord_mem, s->ord2_mem };
	for (uint32_t i = 0; i < s->n; i++)
		s->x.ord[i] = i;
	s->w = 0;
	s->shift = -8;
	sort_free(o->job);
	o->job = s;
	(void)rows;
	return 0;
}

/* The words of rows [at, end): word 0 the namespace's, then the key
 * column's least significant first, then the sort column's. */
static void sort_words(struct gorder *o, struct gsort *s, const struct group_row *rows,
		       uint32_t end)
{
	const struct column *cols = groups_cols[o->by].col;
	int nk = o->sort != GC_KEY ? cols[GC_KEY].nwords : 0, ns = cols[o->sort].nwords;
	uint64_t flip = o->desc ? ~0ULL : 0;

	for (uint32_t i = s->at; i < end; i++) {
		uint64_t k[COL_KEY_WORDS] = { 0 }, *w = s->word;
		int at = 0;

		w[i] = ns_word(&rows[i]);
		if (nk) {
			cols[GC_KEY].key(&rows[i], k);
			for (int j = nk - 1; j >= 0; j--)
				w[(size_t)++at * s->n + i] = k[j];
		}
		memset(k, 0, sizeof(k));
		cols[o->sort].key(&rows[i], k);
		for (int j = ns - 1; j >= 0; j--)
			w[(size_t)++at * s->n + i] = k[j] ^ flip;
		for (int j = 0; j <= at; j++)
			s->diff[j] |= w[(size_t)j * s->n + i] ^ w[(size_t)j * s->n];
	}
	s->at = end;
}

/* One pass of the radix sort: a word picked up in the order so far, or
 * one byte of it. */
static void radix_step(struct gsort *s)
{
	const uint64_t *ww = s->word + (size_t)s->w * s->n;

	if (s->shift < 0) {
		for (uint32_t i = 0; i < s->n; i++)
			s->x.kw[i] = ww[s->x.ord[i]];
	} else {
		uint32_t count[256] = { 0 }, sum = 0;
		uint64_t *tk;
		uint32_t *to;

		for (uint32_t i = 0; i < s->n; i++)
			count[(s->x.kw[i] >> s->shift) & 0xff]++;
		for (int b = 0; b < 256; b++) {
			uint32_t c = count[b];

			count[b] = sum;
			sum += c;
		}
		for (uint32_t i = 0; i < s->n; i++) {
			uint32_t d = count[(s->x.kw[i] >> s->shift) & 0xff]++;

			s->x.kw2[d] = s->x.kw[i];
			s->x.ord2[d] = s->x.ord[i];
		}
		tk = s->x.kw, s->x.kw = s->x.kw2, s->x.kw2 = tk;
		to = s->x.ord, s->x.ord = s->x.ord2, s->x.ord2 = to;
	}
}

/* Onto the pass to do next, past bytes the same in every row (a word
 * the same in every row sorts nothing): false when none is left. */
static bool find_step(struct gsort *s)
{
	for (; s->w < s->nw; s->w++, s->shift = -8) {
		if (!s->diff[s->w])
			continue;
		if (s->shift < 0)
			return true;
		while (s->shift < 64 && !((s->diff[s->w] >> s->shift) & 0xff))
			s->shift += 8;
		if (s->shift < 64)
			return true;
	}
	return false;
}

static int room(struct gorder *o, size_t n)
{
	if (n <= o->cap)
		return 0;
	size_t cap = o->cap ? o->cap : 1024;

	while (cap < n)
		cap *= 2;
	uint32_t *a = realloc(o->ord, cap * sizeof(*a));

	if (!a)
		return -ENOMEM;
	o->ord = a;
	a = realloc(o->tmp, cap * sizeof(*a));
	if (!a)
		return -ENOMEM;
	o->tmp = a;
	a = realloc(o->put, cap * sizeof(*a));
	if (!a)
		return -ENOMEM;
	o->put = a;
	uint8_t *m = realloc(o->mark, cap);

	if (!m)
		return -ENOMEM;
	memset(m + o->cap, 0, cap - o->cap);
	o->mark = m;
	o->cap = cap;
	return 0;
}

struct cmp_ctx {
	const struct gorder *o;
	const struct group_row *rows;
};

static int qcmp(const void *a, const void *b, void *arg)
{
	const struct cmp_ctx *c = arg;

	return row_cmp(c->o, c->rows, *(const uint32_t *)a, *(const uint32_t *)b);
}

/* The rows that changed out of the order and back in their places. */
static int fix(struct gorder *o, const struct group_row *rows, size_t nrows, const uint32_t *chg,
	       size_t nchg)
{
	size_t m = 0, k = 0, out = 0, at = 0;

	if (room(o, nrows + 1))
		return -ENOMEM;
	for (size_t i = 0; i < nchg; i++)
		o->mark[chg[i]] = 1;
	for (size_t i = 0; i < o->n; i++)
		if (!o->mark[o->ord[i]] && rows[o->ord[i]].nsocks)
			o->ord[m++] = o->ord[i];
	for (size_t i = 0; i < nchg; i++) {
		o->mark[chg[i]] = 0;
		if (rows[chg[i]].nsocks)
			o->put[k++] = chg[i];
	}
	qsort_r(o->put, k, sizeof(*o->put), qcmp, &(struct cmp_ctx){ o, rows });
	/* each put in after the last row before it (a binary search in
	 * what is left of the kept order), the kept runs copied between */
	for (size_t i = 0; i < k; i++) {
		size_t lo = at, hi = m;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (row_cmp(o, rows, o->ord[mid], o->put[i]) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		memcpy(o->tmp + out, o->ord + at, (lo - at) * sizeof(*o->tmp));
		out += lo - at;
		at = lo;
		o->tmp[out++] = o->put[i];
	}
	memcpy(o->tmp + out, o->ord + at, (m - at) * sizeof(*o->tmp));
	out += m - at;
	uint32_t *t = o->ord;

	o->ord = o->tmp;
	o->tmp = t;
	o->n = out;
	return 0;
}

int gorder_update(struct gorder *o, struct groups *g, enum group_by by, int sort, bool desc,
		  uint64_t budget_ns)
{
	uint64_t deadline = budget_ns ? now_ns() + budget_ns : 0;
	size_t nrows, nchg;
	const struct group_row *rows = groups_rows(g, &nrows);
	const uint32_t *chg;
	bool all, first = true;
	int err;

	if (sort < 0 || sort >= GC_MAX)
		return -EINVAL;
	chg = groups_changes(g, &nchg, &all);
	/* more rows moved than a frame puts back (a binary search each, a
	 * cache miss a step): sorted again, in slices */
	if (budget_ns && !o->job && nchg > GORDER_FIX_MAX)
		all = true;
	if (o->by != by || o->sort != sort || o->desc != desc || o->counts != groups_counts(g) ||
	    (all && !o->job) || !o->valid) {
		/* a sort from scratch, of the rows as they are now; what
		 * changes while it runs is put right after */
		o->by = by;
		o->sort = sort;
		o->desc = desc;
		o->counts = groups_counts(g);
		o->valid = true;
		o->exact = false;
		groups_changes_taken(g);
		if ((err = sort_begin(o, rows, nrows)))
			return err;
		chg = groups_changes(g, &nchg, &all);
	}
	if (o->job && all) {
		/* too much moved while it ran: again, from now */
		groups_changes_taken(g);
		if ((err = sort_begin(o, rows, nrows)))
			return err;
		chg = groups_changes(g, &nchg, &all);
	}
	for (struct gsort *s = o->job; s; first = false) {
		if (!first && deadline && now_ns() >= deadline)
			return 0; /* a step a call at least */
		if (s->at < s->n) {
			sort_words(o, s, rows, s->at + 65536 < s->n ? s->at + 65536 : s->n);
			continue;
		}
		if (find_step(s)) {
			radix_step(s);
			s->shift += 8;
			continue;
		}
		/* sorted: the rows with sockets, in that order */
		if (room(o, nrows + 1))
			return -ENOMEM;
		o->n = 0;
		for (uint32_t i = 0; i < s->n; i++)
			if (rows[s->x.ord[i]].nsocks)
				o->ord[o->n++] = s->x.ord[i];
		sort_free(s);
		o->job = s = NULL;
	}
	if (nchg && (err = fix(o, rows, nrows, chg, nchg)))
		return err;
	groups_changes_taken(g);
	o->exact = true;
	return 1;
}
