// SPDX-License-Identifier: GPL-2.0
/*
 * Rows: gather candidates (filter applied), compute sort keys once, then a
 * stable LSD radix sort, word by word from the tie-breaker up, skipping
 * bytes that are the same in every row. Selection is re-found by key.
 */
#include "rows.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "table.h"

/* key words per candidate: the column's, then the serial (tie-breaker) */
#define KSTRIDE (COL_KEY_WORDS + 1)

void rows_init(struct rows *r, int sort_col, bool desc)
{
	memset(r, 0, sizeof(*r));
	r->sort_col = sort_col;
	r->desc = desc;
}

void rows_free(struct rows *r)
{
	free(r->v);
	free(r->cand);
	free(r->keys);
	free(r->ord);
	free(r->ord2);
	free(r->kw);
	free(r->kw2);
	memset(r, 0, sizeof(*r));
}

void rows_subject(const struct sock_entry *e, struct filter_subject *s)
{
	*s = (struct filter_subject){
		.family = e->family, .protocol = 6, .lport = e->lport, .rport = e->rport,
		.state = e->state, .pid = e->pid, .uid = e->pid ? (int64_t)e->uid : -1,
		.comm = e->comm, .comm_len = sizeof(e->comm), .saddr = e->saddr,
		.daddr = e->daddr, .cgroup_id = e->cgroup_id, .err = e->connect_ret,
		.ext = e,
	};
}

static int grow(struct rows *r, uint32_t need)
{
	uint32_t cap = r->cand_cap ? r->cand_cap : 1024;
	void *p[7];

	if (need <= r->cand_cap)
		return 0;
	while (cap < need)
		cap *= 2;
	p[0] = realloc(r->cand, cap * sizeof(*r->cand));
	if (p[0])
		r->cand = p[0];
	p[1] = realloc(r->keys, (size_t)cap * KSTRIDE * sizeof(*r->keys));
	if (p[1])
		r->keys = p[1];
	p[2] = realloc(r->ord, cap * sizeof(*r->ord));
	if (p[2])
		r->ord = p[2];
	p[3] = realloc(r->ord2, cap * sizeof(*r->ord2));
	if (p[3])
		r->ord2 = p[3];
	p[4] = realloc(r->kw, cap * sizeof(*r->kw));
	if (p[4])
		r->kw = p[4];
	p[5] = realloc(r->kw2, cap * sizeof(*r->kw2));
	if (p[5])
		r->kw2 = p[5];
	p[6] = realloc(r->v, cap * sizeof(*r->v));
	if (p[6])
		r->v = p[6];
	for (int i = 0; i < 7; i++)
		if (!p[i])
			return -ENOMEM;
	r->cand_cap = r->cap = cap;
	return 0;
}

/* Stable sort of ord[0..n) by kw[] (parallel), byte-wise LSD. */
static void radix_word(struct rows *r, uint32_t n)
{
	uint64_t diff = 0;
	static const int nb = 256;

	for (uint32_t i = 1; i < n; i++)
		diff |= r->kw[i] ^ r->kw[0];
	for (int shift = 0; shift < 64; shift += 8) {
		uint32_t count[256] = { 0 }, sum = 0;
		uint64_t *tk;
		uint32_t *to;

		if (!((diff >> shift) & 0xff))
			continue;
		for (uint32_t i = 0; i < n; i++)
			count[(r->kw[i] >> shift) & 0xff]++;
		for (int b = 0; b < nb; b++) {
			uint32_t c = count[b];

			count[b] = sum;
			sum += c;
		}
		for (uint32_t i = 0; i < n; i++) {
			uint32_t d = count[(r->kw[i] >> shift) & 0xff]++;

			r->kw2[d] = r->kw[i];
			r->ord2[d] = r->ord[i];
		}
		tk = r->kw, r->kw = r->kw2, r->kw2 = tk;
		to = r->ord, r->ord = r->ord2, r->ord2 = to;
	}
}

static void sort_rows(struct rows *r, uint32_t n, int nwords)
{
	uint64_t flip = r->desc ? ~0ULL : 0;

	for (uint32_t i = 0; i < n; i++)
		r->ord[i] = i;
	/* least significant first: the serial, then the column's words */
	for (int w = nwords; w >= 0; w--) {
		size_t kw = w == nwords ? COL_KEY_WORDS : (size_t)w;

		for (uint32_t i = 0; i < n; i++)
			r->kw[i] = r->keys[(size_t)r->ord[i] * KSTRIDE + kw] ^ flip;
		radix_word(r, n);
	}
}

static void add(struct rows *r, const struct sock_entry *e, const struct filter *f, bool filt,
		uint32_t *sel_at)
{
	struct filter_subject s;
	uint64_t *k;

	if (filt) {
		rows_subject(e, &s);
		if (!filter_match(f, &s))
			return;
	}
	if (e->serial == r->sel_serial && e->skaddr == r->sel_skaddr && r->have_sel)
		*sel_at = r->n;
	k = &r->keys[(size_t)r->n * KSTRIDE];
	memset(k, 0, KSTRIDE * sizeof(uint64_t));
	columns[r->sort_col].key(e, k);
	k[COL_KEY_WORDS] = e->serial;
	r->cand[r->n++] = e;
}

/*
 * Live entries straight from uthash's buckets rather than its app-order
 * list: the list is one long chain of dependent loads (a cache miss after
 * a cache miss). First collect the addresses, walking CHAINS bucket chains
 * side by side in a tight loop so their misses overlap; then visit them
 * from the dense array with prefetching. Order does not matter: rows are
 * sorted after.
 */
static uint32_t collect_live(const struct table *t, const struct sock_entry **out, uint32_t max)
{
	enum { CHAINS = 32 };
	const struct sock_entry *first = table_first(t);
	const UT_hash_handle *cur[CHAINS];
	const UT_hash_table *tbl;
	uint32_t n = 0;
	unsigned b = 0;
	int active = 0;

	if (!first)
		return 0;
	tbl = first->hh.tbl;
	for (int k = 0; k < CHAINS; k++) {
		cur[k] = NULL;
		while (b < tbl->num_buckets && !(cur[k] = tbl->buckets[b++].hh_head))
			;
		active += cur[k] != NULL;
	}
	while (active && n < max) {
		for (int k = 0; k < CHAINS && n < max; k++) {
			const UT_hash_handle *hh = cur[k];

			if (!hh)
				continue;
			out[n++] = (const struct sock_entry *)((const char *)hh - tbl->hho);
			cur[k] = hh->hh_next;
			while (!cur[k] && b < tbl->num_buckets)
				cur[k] = tbl->buckets[b++].hh_head;
			active -= cur[k] == NULL;
		}
	}
	return n;
}

static void add_live(struct rows *r, const struct table *t, const struct filter *f, bool filt,
		     uint32_t need, uint32_t *sel_at)
{
	/* v is free scratch until the end of the rebuild */
	const struct sock_entry **live = r->v;
	uint32_t n = collect_live(t, live, need);

	for (uint32_t i = 0; i < n; i++) {
		if (i + 8 < n) {
			__builtin_prefetch(live[i + 8]);
			__builtin_prefetch((const char *)live[i + 8] + 64);
		}
		add(r, live[i], f, filt, sel_at);
	}
}

int rows_rebuild(struct rows *r, const struct rows_source *src, const struct filter *f)
{
	bool filt = filter_active(f);
	uint32_t need, hist = 0, sel_at = UINT32_MAX;

	if (src->frozen) {
		need = src->nfrozen;
	} else {
		hist = src->history ? table_history_count(src->table) : 0;
		need = table_count(src->table) + hist;
	}
	r->n = 0;
	r->total = need;
	if (grow(r, need + 1))
		return -ENOMEM;
	if (src->frozen) {
		for (uint32_t i = 0; i < src->nfrozen; i++)
			add(r, &src->frozen[i], f, filt, &sel_at);
	} else {
		add_live(r, src->table, f, filt, need, &sel_at);
		for (uint32_t i = 0; i < hist && r->n < need; i++)
			add(r, table_history_get(src->table, i), f, filt, &sel_at);
	}
	sort_rows(r, r->n, columns[r->sort_col].nwords);
	for (uint32_t i = 0; i < r->n; i++) {
		r->v[i] = r->cand[r->ord[i]];
		if (r->ord[i] == sel_at) {
			r->sel = i;
			sel_at = UINT32_MAX - 1; /* found */
		}
	}
	if (sel_at != UINT32_MAX - 1 && r->sel >= r->n)
		r->sel = r->n ? r->n - 1 : 0;
	/* the key follows the row now under the cursor (the old one left) */
	if (r->n) {
		r->sel_skaddr = r->v[r->sel]->skaddr;
		r->sel_serial = r->v[r->sel]->serial;
		r->have_sel = true;
	}
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
	r->sel = (uint32_t)i;
	r->sel_skaddr = r->v[i]->skaddr;
	r->sel_serial = r->v[i]->serial;
	r->have_sel = true;
}

void rows_scroll(struct rows *r, int h)
{
	if (h <= 0)
		return;
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

const struct sock_entry *rows_selected(const struct rows *r)
{
	return r->n ? r->v[r->sel] : NULL;
}
