// SPDX-License-Identifier: GPL-2.0
/* Column tables: every column of every pane is complete (id, title, cell,
 * a sort where the pane sorts), ids are unique, and placing and finding
 * columns in a layout follow the order. */
#include <string.h>
#include <sys/socket.h>

#include "check.h"
#include "colconf.h"
#include "columns.h"
#include "filter.h"
#include "groups.h"
#include "table.h"

#define NS 1000000000ULL

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
		CHECK((columns[c].key || columns[c].key_names) && columns[c].nwords > 0 &&
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

/* A typical page's widest cells in the Connections pane. */
static void typical(int content[COLS_MAX])
{
	for (int c = 0; c < COLS_MAX; c++)
		content[c] = 0;
	content[COL_PID] = 4;
	content[COL_COMM] = 12;
	content[COL_IPV] = 1;
	content[COL_LOCAL] = 21;
	content[COL_REMOTE] = 21;
	content[COL_STATE] = 11;
	content[COL_TIME] = 6;
	content[COL_AGE] = 7; /* "≥17m56s" */
}

static void test_fit_every_width(void)
{
	struct col_choice all;
	int content[COLS_MAX];

	typical(content);
	colconf_default(&conns_cols, &all);
	for (int w = 40; w <= 300; w++) {
		struct col_layout l;
		int used = col_fit(&l, &conns_cols, &all, w, content, NULL, 0);

		if (used > w && w >= 60)
			fprintf(stderr, "  width %d: %d used\n", w, used);
		CHECK(used <= w || w < 60);
		CHECK(l.w[COL_STATE] > 0 && l.w[COL_LOCAL] > 0 && l.w[COL_REMOTE] > 0);
		CHECK(l.w[COL_CGROUP] == 0); /* no row has one */
		/* times are never cut: shown whole or not at all */
		CHECK(l.w[COL_AGE] == 0 || l.w[COL_AGE] >= 7);
		CHECK(l.w[COL_TIME] == 0 || l.w[COL_TIME] >= 6);
	}
}

static void test_fit_wide(void)
{
	struct col_choice all;
	struct col_layout l;
	int content[COLS_MAX];

	typical(content);
	colconf_default(&conns_cols, &all);
	col_fit(&l, &conns_cols, &all, 200, content, NULL, 0);
	/* as wide as the addresses, not a share of 200 cells */
	CHECK(l.w[COL_LOCAL] == 21 && l.w[COL_REMOTE] == 21);
	/* room for the sort arrow on every column that sorts */
	CHECK(l.w[COL_IPV] == 3 && l.w[COL_TIME] == 9 && l.w[COL_AGE] == 7);
	for (int i = 0; i < l.n; i++) {
		int c = l.order[i];

		CHECK(l.w[c] >= (int)strlen(columns[c].title) + 1 || !l.w[c]);
	}
	content[COL_CGROUP] = 30; /* a row with a cgroup: shown, within its bound */
	col_fit(&l, &conns_cols, &all, 200, content, NULL, 0);
	CHECK(l.w[COL_CGROUP] == 24);
}

static void test_fit_narrow(void)
{
	struct col_choice all;
	struct col_layout l;
	int content[COLS_MAX];

	typical(content);
	colconf_default(&conns_cols, &all);
	col_fit(&l, &conns_cols, &all, 80, content, NULL, 0);
	/* the IP column goes before an address is shortened, COMM shortens
	 * first (to its usual 8), then the widest */
	CHECK(l.w[COL_IPV] == 0);
	CHECK(l.w[COL_COMM] == 8);
	CHECK(l.w[COL_LOCAL] >= 16 && l.w[COL_REMOTE] >= 16);
	content[COL_LOCAL] = content[COL_REMOTE] = 15; /* short addresses: whole */
	col_fit(&l, &conns_cols, &all, 80, content, NULL, 0);
	CHECK(l.w[COL_LOCAL] == 15 && l.w[COL_REMOTE] == 15 && l.w[COL_COMM] == 10);
	typical(content);
	col_fit(&l, &conns_cols, &all, 60, content, NULL, 0);
	CHECK(l.w[COL_AGE] == 0); /* very narrow: AGE goes, addresses to their min */
	CHECK(l.w[COL_LOCAL] >= 12 && l.w[COL_REMOTE] >= 12);
}

static void test_fit_choice_order(void)
{
	struct col_choice ch = { 3, { COL_STATE, COL_REMOTE, COL_PID } };
	struct col_layout l;
	int content[COLS_MAX];

	typical(content);
	col_fit(&l, &conns_cols, &ch, 120, content, NULL, 0);
	CHECK(l.n == 3 && l.x[COL_STATE] == 0 && l.x[COL_REMOTE] == l.w[COL_STATE] + 1);
	CHECK(l.w[COL_LOCAL] == 0 && l.w[COL_COMM] == 0);
	CHECK(col_next_shown(&l, COL_STATE, 1) == COL_REMOTE);
	CHECK(col_next_shown(&l, COL_STATE, -1) == COL_PID);
	CHECK(col_next_shown(&l, COL_AGE, 1) == COL_STATE); /* not shown: the first */
}

static void test_fit_remembers(void)
{
	struct col_choice all;
	struct col_layout l;
	struct col_fit f = { .width = -1 };
	int content[COLS_MAX];

	typical(content);
	colconf_default(&conns_cols, &all);
	content[COL_REMOTE] = 40;
	col_fit(&l, &conns_cols, &all, 200, content, &f, NS);
	CHECK(l.w[COL_REMOTE] == 40);
	content[COL_REMOTE] = 12; /* scrolled: the column does not jump back */
	col_fit(&l, &conns_cols, &all, 200, content, &f, 2 * NS);
	CHECK(l.w[COL_REMOTE] == 40);
	col_fit(&l, &conns_cols, &all, 200, content, &f, NS + COL_FIT_HOLD_NS + 1); /* later: */
	CHECK(l.w[COL_REMOTE] == 12);
	content[COL_REMOTE] = 40;
	col_fit(&l, &conns_cols, &all, 200, content, &f, 10 * NS);
	content[COL_REMOTE] = 12;
	col_fit(&l, &conns_cols, &all, 199, content, &f, 10 * NS); /* resized: fitted again */
	CHECK(l.w[COL_REMOTE] == 12);
}

/* The IP column says 4 or 6 only for those families: an entry whose
 * family is not known yet is "?", not an IPv4 row that 4 cannot hide. */
static void test_ip_family(void)
{
	static struct sock_entry e;
	struct col_ctx c = { 0 };
	struct col_cell out;
	const uint16_t fam[3] = { AF_INET, AF_INET6, 0 };
	const char *want[3] = { "4", "6", "?" };

	for (int i = 0; i < 3; i++) {
		memset(&out, 0, sizeof(out));
		out.role = -1;
		e.family = fam[i];
		conns_cols.col[COL_IPV].cell(&c, &e, &out);
		CHECK_STR(out.buf, want[i]);
	}
	/* the groups' tables are complete too */
	for (int g = 0; g < GROUP_MAX; g++)
		for (int k = 0; k < groups_cols[g].n; k++)
			CHECK(groups_cols[g].col[k].id && groups_cols[g].col[k].title &&
			      groups_cols[g].col[k].cell && groups_cols[g].col[k].cmp);
}

int main(void)
{
	RUN(test_tables_complete);
	RUN(test_ip_family);
	RUN(test_place_in_order);
	RUN(test_fit_every_width);
	RUN(test_fit_wide);
	RUN(test_fit_narrow);
	RUN(test_fit_choice_order);
	RUN(test_fit_remembers);
	CHECK_EXIT();
}
