// SPDX-License-Identifier: GPL-2.0
/*
 * Rows: gather every entry of the source with its sort key and filter
 * result, then a stable LSD radix sort of the matching ones, word by word
 * from the tie-breaker up, skipping bytes that are the same in every row.
 * The set is kept: while no socket comes or goes (table_stats lifecycles
 * and retired unchanged), a rebuild only re-reads keys, and the few rows
 * that changed are taken out and merged back in. Selection is by key.
 *
 * This relies on the table's rule that an entry leaves the live set only
 * through retire (counted in table_stats()->retired), is created only
 * through entry_new (counted in ->lifecycles), and is freed only when the
 * history ring drops it, which is also a retire: with both counts
 * unchanged, every kept pointer is still a live (or finished) entry.
 */
#include "rows.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "table.h"

/* key words per candidate: the column's, then the serial (tie-breaker) */
#define KSTRIDE (COL_KEY_WORDS + 1)
/* entries read ahead while walking kept pointers (memory latency) */
#define PREFETCH 24

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
	free(r->match);
	free(r->chg);
	free(r->set_filter);
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
	void *p[9];

	if (need <= r->cand_cap)
		return 0;
	while (cap < need)
		cap *= 2;
	r->set_valid = false;
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
	p[7] = realloc(r->match, cap * sizeof(*r->match));
	if (p[7])
		r->match = p[7];
	p[8] = realloc(r->chg, cap * sizeof(*r->chg));
	if (p[8])
		r->chg = p[8];
	for (int i = 0; i < 9; i++)
		if (!p[i])
			return -ENOMEM;
	r->cand_cap = r->cap = cap;
	return 0;
}

/* Sort the matching candidates into ord[0..n). */
static void sort_rows(struct rows *r, int nwords)
{
	uint64_t flip = r->desc ? ~0ULL : 0;
	uint32_t n = 0;

	for (uint32_t i = 0; i < r->ncand; i++)
		if (r->match[i])
			r->ord[n++] = i;
	r->n = n;
	/* least significant first: the serial, then the column's words */
	for (int w = nwords; w >= 0; w--) {
		size_t kw = w == nwords ? COL_KEY_WORDS : (size_t)w;

		for (uint32_t i = 0; i < n; i++)
			r->kw[i] = r->keys[(size_t)r->ord[i] * KSTRIDE + kw] ^ flip;
		rows_radix_word(r, n);
	}
}

/* Row order of two candidates: the same order the radix sort gives. */
static int cmp_cand(const struct rows *r, uint32_t a, uint32_t b)
{
	const uint64_t *ka = &r->keys[(size_t)a * KSTRIDE], *kb = &r->keys[(size_t)b * KSTRIDE];
	int nw = columns[r->sort_col].nwords;

	for (int w = 0; w <= nw; w++) {
		size_t i = w == nw ? COL_KEY_WORDS : (size_t)w;

		if (ka[i] != kb[i])
			return (ka[i] < kb[i]) != r->desc ? -1 : 1;
	}
	return 0;
}

/* Keys and filter result of one entry; true when they differ from before. */
static bool key_entry(struct rows *r, uint32_t i, const struct filter *f, bool filt)
{
	const struct sock_entry *e = r->cand[i];
	uint64_t k[KSTRIDE] = { 0 };
	struct filter_subject s;
	uint8_t m = 1;
	bool changed;

	if (filt) {
		rows_subject(e, &s);
		m = filter_match(f, &s);
	}
	columns[r->sort_col].key(e, k);
	k[COL_KEY_WORDS] = e->serial;
	if (k[COL_KEY_WORDS] == r->sel_serial && e->skaddr == r->sel_skaddr && r->have_sel)
		r->sel_cand = i; /* found while the entry is in cache */
	changed = m != r->match[i] || memcmp(k, &r->keys[(size_t)i * KSTRIDE], sizeof(k));
	r->match[i] = m;
	memcpy(&r->keys[(size_t)i * KSTRIDE], k, sizeof(k));
	return changed;
}

/* Gather every entry of the source into cand[]; -ENOMEM. */
static int collect(struct rows *r, const struct rows_source *src)
{
	uint32_t need, hist = 0;

	if (src->frozen) {
		need = src->nfrozen;
	} else {
		hist = src->history ? table_history_count(src->table) : 0;
		need = table_count(src->table) + hist;
	}
	if (grow(r, need + 1))
		return -ENOMEM;
	r->ncand = 0;
	if (src->frozen) {
		for (uint32_t i = 0; i < src->nfrozen; i++)
			r->cand[r->ncand++] = &src->frozen[i];
	} else {
		r->ncand = rows_collect_live(src->table, r->cand, need);
		for (uint32_t i = 0; i < hist && r->ncand < need; i++)
			r->cand[r->ncand++] = table_history_get(src->table, i);
	}
	return 0;
}

/* Same set as last time: no socket created or retired, same source. */
static bool same_set(const struct rows *r, const struct rows_source *src, const struct filter *f)
{
	const struct table_stats *st;

	if (!r->set_valid || r->set_sort != r->sort_col || r->set_desc != r->desc ||
	    r->set_frozen != (const void *)src->frozen || r->set_nfrozen != src->nfrozen ||
	    r->set_history != src->history || !r->set_filter ||
	    memcmp(r->set_filter, f, sizeof(*f)))
		return false;
	if (src->frozen)
		return true;
	st = table_stats(src->table);
	return st->lifecycles == r->set_lifecycles && st->retired == r->set_retired;
}

static void remember_set(struct rows *r, const struct rows_source *src, const struct filter *f)
{
	if (!r->set_filter)
		r->set_filter = malloc(sizeof(*r->set_filter));
	if (!r->set_filter) {
		r->set_valid = false;
		return;
	}
	memcpy(r->set_filter, f, sizeof(*f));
	r->set_frozen = src->frozen;
	r->set_nfrozen = src->nfrozen;
	r->set_history = src->history;
	r->set_sort = r->sort_col;
	r->set_desc = r->desc;
	if (!src->frozen) {
		r->set_lifecycles = table_stats(src->table)->lifecycles;
		r->set_retired = table_stats(src->table)->retired;
	}
	r->set_valid = true;
}

static int by_row_order(const void *a, const void *b, void *ctx)
{
	return cmp_cand(ctx, *(const uint32_t *)a, *(const uint32_t *)b);
}

/*
 * The set is the same: re-read every key (a dense walk over kept
 * pointers, no hash chains), then take the changed rows out and merge
 * them back in order. Returns false when too much changed (full sort).
 */
static bool quick_rebuild(struct rows *r, const struct filter *f)
{
	bool filt = filter_active(f);
	uint32_t nchg = 0, k = 0, out = 0;

	for (uint32_t i = 0; i < r->ncand; i++) {
		if (i + PREFETCH < r->ncand) {
			__builtin_prefetch(r->cand[i + PREFETCH]);
			__builtin_prefetch((const char *)r->cand[i + PREFETCH] + 64);
		}
		if (key_entry(r, i, f, filt))
			r->chg[nchg++] = i;
	}
	if (!nchg)
		return true;
	if (nchg > r->ncand / 8 + 16)
		return false;
	/* ord without the changed ones (kw doubles as a changed mark) */
	for (uint32_t i = 0; i < nchg; i++)
		r->kw[r->chg[i]] = 1;
	for (uint32_t i = 0; i < r->n; i++)
		if (r->kw[r->ord[i]] != 1)
			r->ord[k++] = r->ord[i];
	for (uint32_t i = 0; i < nchg; i++)
		r->kw[r->chg[i]] = 0;
	/* the changed ones that still match, in order, merged back */
	{
		uint32_t m = 0;

		for (uint32_t i = 0; i < nchg; i++)
			if (r->match[r->chg[i]])
				r->chg[m++] = r->chg[i];
		qsort_r(r->chg, m, sizeof(*r->chg), by_row_order, r);
		for (uint32_t a = 0, b = 0; a < k || b < m;) {
			if (b == m || (a < k && cmp_cand(r, r->ord[a], r->chg[b]) <= 0))
				r->ord2[out++] = r->ord[a++];
			else
				r->ord2[out++] = r->chg[b++];
		}
	}
	{
		uint32_t *t = r->ord;

		r->ord = r->ord2;
		r->ord2 = t;
	}
	r->n = out;
	return true;
}

int rows_rebuild(struct rows *r, const struct rows_source *src, const struct filter *f)
{
	bool filt = filter_active(f), quick = false;
	uint32_t sel_at = UINT32_MAX;

	r->sel_cand = UINT32_MAX;

	if (same_set(r, src, f) && r->ncand) {
		/* kw must be clear for the changed marks */
		quick = quick_rebuild(r, f);
		if (quick)
			r->quick_builds++;
	}
	if (!quick) {
		if (!same_set(r, src, f) || !r->ncand) {
			r->set_valid = false;
			if (collect(r, src)) {
				r->n = r->ncand = 0;
				return -ENOMEM;
			}
			for (uint32_t i = 0; i < r->ncand; i++) {
				if (i + PREFETCH < r->ncand) {
					__builtin_prefetch(r->cand[i + PREFETCH]);
					__builtin_prefetch((const char *)r->cand[i + PREFETCH] + 64);
				}
				key_entry(r, i, f, filt);
			}
		}
		sort_rows(r, columns[r->sort_col].nwords);
		remember_set(r, src, f);
		memset(r->kw, 0, (size_t)r->ncand * sizeof(*r->kw));
		r->full_builds++;
	}
	r->total = r->ncand;
	for (uint32_t i = 0; i < r->n; i++) {
		r->v[i] = r->cand[r->ord[i]];
		if (r->ord[i] == r->sel_cand)
			sel_at = i;
	}
	if (sel_at != UINT32_MAX)
		r->sel = sel_at;
	else if (r->sel >= r->n)
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
