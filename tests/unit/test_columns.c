// SPDX-License-Identifier: GPL-2.0
/* Column tables: every column of every pane is complete (id, title, cell,
 * a sort where the pane sorts), ids are unique, and placing and finding
 * columns in a layout follow the order. */
#include <string.h>

#include "check.h"
#include "columns.h"
#include "filter.h"

static const struct col_set *const sets[] = { &conns_cols, &procs_cols, &binds_cols };

static bool is_filter_term(const char *name)
{
	for (const struct filter_term_def *d = filter_terms; d->name; d++)
		if (!strcmp(d->name, name))
			return true;
	return false;
}

static void test_tables_complete(void)
{
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		const struct col_set *s = sets[i];

		CHECK(s->n > 0 && s->n <= COLS_MAX);
		for (int c = 0; c < s->n; c++) {
			const struct column *k = &s->col[c];

			CHECK(k->id && *k->id && k->title && *k->title && k->cell && k->help);
			CHECK(col_find(s, k->id) == c); /* unique ids */
			if (k->filter && !is_filter_term(k->filter))
				fprintf(stderr, "  %s.%s: no filter term %s\n", s->pane, k->id,
					k->filter);
			CHECK(!k->filter || is_filter_term(k->filter));
		}
	}
	/* the Connections pane sorts by key words, the Processes pane by compare */
	for (int c = 0; c < conns_cols.n; c++)
		CHECK(columns[c].key && columns[c].nwords > 0 &&
		      columns[c].nwords <= COL_KEY_WORDS);
	for (int c = 0; c < procs_cols.n; c++)
		CHECK(procs_cols.col[c].cmp != NULL);
	CHECK(col_find(&conns_cols, "nope") == -1);
}

static void test_place_in_order(void)
{
	struct col_layout l;

	memset(&l, 0, sizeof(l));
	col_default_order(&l, 4);
	CHECK(l.n == 4 && l.order[3] == 3);
	l.order[0] = 2; /* 2 0 1 3, and 1 hidden */
	l.order[1] = 0;
	l.order[2] = 1;
	l.w[0] = 5;
	l.w[1] = 0;
	l.w[2] = 3;
	l.w[3] = 4;
	CHECK(col_place(&l) == 3 + 1 + 5 + 1 + 4);
	CHECK(l.x[2] == 0 && l.x[0] == 4 && l.x[3] == 10);
	CHECK(col_at(&l, 0) == 2 && col_at(&l, 5) == 0 && col_at(&l, 12) == 3);
	CHECK(col_at(&l, 15) == -1);
}

static void test_conns_layout_fits(void)
{
	for (int w = 60; w <= 300; w++) {
		struct col_layout l;
		int used = columns_layout(w, &l);

		if (used > w)
			fprintf(stderr, "  width %d: %d used\n", w, used);
		CHECK(used <= w);
		CHECK(l.w[COL_STATE] > 0 && l.w[COL_LOCAL] > 0 && l.w[COL_REMOTE] > 0);
	}
}

int main(void)
{
	RUN(test_tables_complete);
	RUN(test_place_in_order);
	RUN(test_conns_layout_fits);
	CHECK_EXIT();
}
