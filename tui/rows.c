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
	p[1] = realloc(r->keys, (size_t)cap * COL_KEY_WORDS * sizeof(*r->keys));
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
		for (uint32_t i = 0; i < n; i++) {
			uint32_t o = r->ord[i];

			r->kw[i] = (w == nwords ? r->cand[o]->serial :
						  r->keys[(size_t)o * COL_KEY_WORDS + (size_t)w]) ^
				   flip;
		}
		radix_word(r, n);
	}
}

static bool add(struct rows *r, const struct sock_entry *e, const struct filter *f, bool filt)
{
	struct filter_subject s;

	if (filt) {
		rows_subject(e, &s);
		if (!filter_match(f, &s))
			return false;
	}
	r->cand[r->n] = e;
	memset(&r->keys[(size_t)r->n * COL_KEY_WORDS], 0, COL_KEY_WORDS * sizeof(uint64_t));
	columns[r->sort_col].key(e, &r->keys[(size_t)r->n * COL_KEY_WORDS]);
	r->n++;
	return true;
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
			add(r, &src->frozen[i], f, filt);
	} else {
		for (const struct sock_entry *e = table_first(src->table); e && r->n < need;
		     e = table_next(e))
			add(r, e, f, filt);
		for (uint32_t i = 0; i < hist && r->n < need; i++)
			add(r, table_history_get(src->table, i), f, filt);
	}
	sort_rows(r, r->n, columns[r->sort_col].nwords);
	for (uint32_t i = 0; i < r->n; i++) {
		const struct sock_entry *e = r->cand[r->ord[i]];

		r->v[i] = e;
		if (r->have_sel && sel_at == UINT32_MAX && e->serial == r->sel_serial &&
		    e->skaddr == r->sel_skaddr)
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
