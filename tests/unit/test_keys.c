// SPDX-License-Identifier: GPL-2.0
/* Key tables: every binding has help text and a label, no key is bound
 * twice in one table, and no pane silently shadows a global key. */
#include <ncurses.h>

#include "check.h"
#include "keys.h"
#include "list.h"
#include "ui.h"
#include "ui_input.h"

#include "all_views.h"

static int keys_of(const struct key_bind *b, int out[3])
{
	int n = 0;

	out[n++] = b->key;
	if (b->alt)
		out[n++] = b->alt;
	if (b->alt2)
		out[n++] = b->alt2;
	return n;
}

static int bound_twice(const struct key_bind *t, const char *name)
{
	int bad = 0;

	for (const struct key_bind *a = t; a->fn; a++) {
		int ka[3], na = keys_of(a, ka);
		char l[48];

		if (!a->help || !*a->help || !*keys_label(a, l, sizeof(l))) {
			fprintf(stderr, "  %s: a binding without help\n", name);
			bad++;
		}
		for (const struct key_bind *b = a + 1; b->fn; b++) {
			int kb[3], nb = keys_of(b, kb);

			for (int i = 0; i < na; i++)
				for (int j = 0; j < nb; j++)
					if (ka[i] == kb[j]) {
						fprintf(stderr, "  %s: key %s bound twice\n", name,
							keys_name(ka[i], l, sizeof(l)));
						bad++;
					}
		}
	}
	return bad;
}

static bool in_table(const struct key_bind *t, int key)
{
	for (; t && t->fn; t++)
		if (t->key == key || (t->alt && t->alt == key) || (t->alt2 && t->alt2 == key))
			return true;
	return false;
}

static void test_tables(void)
{
	CHECK(bound_twice(ui_global_keys, "global") == 0);
	CHECK(bound_twice(list_keys, "list") == 0);
	for (size_t i = 0; i < NVIEWS; i++)
		CHECK(bound_twice(views[i]->keys, views[i]->name) == 0);
}

/* A view with rows takes the shared list keys: its own table may not
 * take one of them (it would be dead), and every pane with rows has them. */
static void test_list_keys(void)
{
	int lists = 0;

	for (size_t i = 0; i < NVIEWS; i++) {
		if (!views[i]->list)
			continue;
		lists++;
		CHECK(views[i]->list->get && views[i]->list->set);
		for (const struct key_bind *p = views[i]->keys; p && p->fn; p++) {
			int kp[3], np = keys_of(p, kp);

			for (int k = 0; k < np; k++) {
				char l[16];

				if (in_table(list_keys, kp[k]))
					fprintf(stderr, "  %s binds list key %s\n", views[i]->name,
						keys_name(kp[k], l, sizeof(l)));
				CHECK(!in_table(list_keys, kp[k]));
			}
		}
	}
	CHECK(view_conns.list && view_binds.list && view_procs.list && view_proc_conns.list);
	CHECK(lists >= 4);
	/* and the list keys shadow no global key */
	for (const struct key_bind *p = list_keys; p->fn; p++)
		CHECK(!in_table(ui_global_keys, p->key) && !in_table(ui_global_keys, p->alt));
}

static void test_panes_do_not_shadow(void)
{
	/* a pane may not take a global key; pushed pages may (Esc, q mean back) */
	for (size_t i = 0; i < NVIEWS; i++) {
		if (!views[i]->pane)
			continue;
		for (const struct key_bind *p = views[i]->keys; p && p->fn; p++) {
			int kp[3], np = keys_of(p, kp);

			for (int k = 0; k < np; k++) {
				char l[16];
				bool global = false;

				for (const struct key_bind *g = ui_global_keys; g->fn; g++)
					global |= g->key == kp[k] || g->alt == kp[k] || g->alt2 == kp[k];
				if (global)
					fprintf(stderr, "  pane %s shadows global key %s\n", views[i]->name,
						keys_name(kp[k], l, sizeof(l)));
				CHECK(!global);
			}
		}
	}
}

static void test_names(void)
{
	char b[16];

	CHECK_STR(keys_name(KEY_F(1), b, sizeof(b)), "F1");
	CHECK_STR(keys_name('\n', b, sizeof(b)), "Enter");
	CHECK_STR(keys_name(27, b, sizeof(b)), "Esc");
	CHECK_STR(keys_name(KEY_CTRL('l'), b, sizeof(b)), "^L");
	CHECK_STR(keys_name('x', b, sizeof(b)), "x");
	CHECK_STR(keys_name(KEY_NPAGE, b, sizeof(b)), "PgDn");
}

int main(void)
{
	RUN(test_tables);
	RUN(test_list_keys);
	RUN(test_panes_do_not_shadow);
	RUN(test_names);
	CHECK_EXIT();
}
