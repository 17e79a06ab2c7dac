// SPDX-License-Identifier: GPL-2.0
/* Column layouts: placing shown columns along a pane's order, finding a
 * column by id or by screen position. The tables live with each pane's
 * columns (cols_conns.c, cols_procs.c, cols_binds.c). */
#include "columns.h"

#include <string.h>

int col_place(struct col_layout *l)
{
	int pos = 0;

	for (int i = 0; i < l->n; i++) {
		int c = l->order[i];

		l->x[c] = pos;
		if (l->w[c])
			pos += l->w[c] + 1;
	}
	return pos - 1;
}

void col_default_order(struct col_layout *l, int n)
{
	l->n = n < COLS_MAX ? n : COLS_MAX;
	for (int i = 0; i < l->n; i++)
		l->order[i] = (uint8_t)i;
}

int col_find(const struct col_set *s, const char *id)
{
	for (int c = 0; c < s->n; c++)
		if (!strcmp(s->col[c].id, id))
			return c;
	return -1;
}

int col_at(const struct col_layout *l, int x)
{
	for (int i = 0; i < l->n; i++) {
		int c = l->order[i];

		if (l->w[c] && x >= l->x[c] && x <= l->x[c] + l->w[c])
			return c;
	}
	return -1;
}

bool col_sorts(const struct column *c)
{
	return c->key || c->key_names || c->cmp;
}

int col_next_shown(const struct col_layout *l, int cur, int dir)
{
	int at = -1;

	for (int i = 0; i < l->n; i++)
		if (l->order[i] == cur)
			at = i;
	for (int k = 1; k <= l->n; k++) {
		int i = ((at < 0 ? (dir > 0 ? -1 : 0) : at) + dir * k) % l->n;

		if (i < 0)
			i += l->n;
		if (l->w[l->order[i]])
			return l->order[i];
	}
	return cur;
}

/* Cells the column wants: title (and arrow), widest cell, within bounds. */
static int natural(const struct column *k, int content, int seen)
{
	int t = (int)strlen(k->title) + (col_sorts(k) ? 1 : 0);
	int v = content >= 0 ? content : k->width;

	if (seen > v)
		v = seen;
	if (k->keep_width && v < k->width)
		v = k->width; /* a pid column does not move as longer pids scroll by */
	if (v < t)
		v = t;
	return k->max && v > k->max ? k->max : v;
}

static int floor_of(const struct column *k, int nat)
{
	return k->min && k->min < nat ? k->min : nat;
}

static int total(const struct col_layout *l, const bool *on, const int *w)
{
	int sum = 0, n = 0;

	for (int i = 0; i < l->n; i++)
		if (on[l->order[i]]) {
			sum += w[l->order[i]];
			n++;
		}
	return n ? sum + n - 1 : 0;
}

/* The shown column dropped next: the highest priority at or above lo
 * (the rightmost of equals); -1 when none. */
static int drop_next(const struct col_set *s, const struct col_layout *l, const bool *on, int lo)
{
	int best = -1;

	for (int i = 0; i < l->n; i++) {
		int c = l->order[i];

		if (on[c] && s->col[c].prio >= lo &&
		    (best < 0 || s->col[c].prio >= s->col[best].prio))
			best = c;
	}
	return best;
}

int col_fit(struct col_layout *l, const struct col_set *s, const struct col_choice *ch, int width,
	    const int *content, struct col_fit *f, uint64_t now)
{
	int nat[COLS_MAX] = { 0 }, flo[COLS_MAX] = { 0 }, usual[COLS_MAX] = { 0 };
	int pad[COLS_MAX] = { 0 };
	bool on[COLS_MAX] = { false };

	if (f && (f->width != width || memcmp(&f->choice, ch, sizeof(*ch)))) {
		memset(f->seen, 0, sizeof(f->seen));
		memset(f->seen_ns, 0, sizeof(f->seen_ns));
		f->width = width;
		f->choice = *ch;
	}
	l->n = 0;
	memset(l->w, 0, sizeof(l->w));
	for (int i = 0; i < ch->n && i < COLS_MAX; i++) {
		int c = ch->order[i];
		const struct column *k;

		if (c >= s->n)
			continue;
		k = &s->col[c];
		l->order[l->n++] = (uint8_t)c;
		/* whether it shows follows the page; only widths are remembered */
		if (content[c] == COL_HIDDEN ||
		    ((k->hide_empty || k->hide_same) && content[c] <= 0))
			continue;
		/* a wider cell widens the column at once; a narrower page
		 * narrows it only after COL_FIT_HOLD_NS of the view clock */
		if (f && (content[c] >= f->seen[c] || now < f->seen_ns[c] ||
			  now - f->seen_ns[c] > COL_FIT_HOLD_NS)) {
			f->seen[c] = content[c] > 0 ? content[c] : 0;
			f->seen_ns[c] = now;
		}
		nat[c] = natural(k, content[c], f ? f->seen[c] : 0);
		flo[c] = floor_of(k, nat[c]);
		usual[c] = nat[c] < k->width ? nat[c] : k->width > flo[c] ? k->width : flo[c];
		/* what a kept width holds without its padding: the pids, the title */
		pad[c] = content[c] > flo[c] ? content[c] : flo[c];
		if (pad[c] < (int)strlen(k->title) + 1)
			pad[c] = (int)strlen(k->title) + 1;
		on[c] = true;
	}
	for (;;) {
		int c;

		/* whole, or with long names and addresses cut to their usual width */
		if (total(l, on, nat) <= width || total(l, on, usual) <= width)
			break;
		/* optional columns go before anything is cut shorter than that */
		if ((c = drop_next(s, l, on, COL_OPTIONAL)) >= 0) {
			on[c] = false;
			continue;
		}
		if (total(l, on, flo) <= width || (c = drop_next(s, l, on, 1)) < 0)
			break;
		on[c] = false;
	}
	for (int c = 0; c < s->n && c < COLS_MAX; c++) {
		l->w[c] = on[c] ? nat[c] : 0;
		if (f)
			f->on[c] = on[c];
	}
	/* shorten, a cell at a time: the widest column above its usual width
	 * (long names and addresses first), then the room a pid column keeps
	 * beyond its pids, then the widest above its min */
	for (int pass = 0, excess = total(l, on, l->w) - width; pass < 3 && excess > 0; pass++) {
		for (; excess > 0; excess--) {
			int best = -1;

			for (int c = 0; c < s->n && c < COLS_MAX; c++) {
				int lo = flo[c];

				if (pass == 0)
					lo = s->col[c].width > flo[c] ? s->col[c].width : flo[c];
				else if (pass == 1)
					lo = s->col[c].keep_width ? pad[c] : l->w[c];
				if (on[c] && l->w[c] > lo && (best < 0 || l->w[c] > l->w[best]))
					best = c;
			}
			if (best < 0)
				break; /* this pass has nothing left to give */
			l->w[best]--;
		}
	}
	return col_place(l);
}
