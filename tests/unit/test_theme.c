// SPDX-License-Identifier: GPL-2.0
/* Theme grammar, roles, fallbacks and the shipped theme files. */
#include <stdlib.h>

#include "check.h"
#include "theme.h"

static void test_style(void)
{
	struct style s;
	char err[128];

	CHECK(theme_parse_style(&s, "fg=green,bg=default,bold", err, sizeof(err)) == 0);
	CHECK(s.fg == 2 && s.bg == COLOUR_DEFAULT && s.attrs == STYLE_BOLD);
	CHECK(theme_parse_style(&s, "fg=brightred, underline reverse", err, sizeof(err)) == 0);
	CHECK(s.fg == 9 && s.bg == COLOUR_UNSET && s.attrs == (STYLE_UNDERLINE | STYLE_REVERSE));
	CHECK(theme_parse_style(&s, "fg=colour202,bg=color17", err, sizeof(err)) == 0);
	CHECK(s.fg == 202 && s.bg == 17);
	CHECK(theme_parse_style(&s, "fg=#ff0000", err, sizeof(err)) == 0);
	CHECK(s.fg == 196);
	CHECK(theme_parse_style(&s, "fg=#000000,bg=#ffffff", err, sizeof(err)) == 0);
	CHECK(s.fg == 16 && s.bg == 231);
	CHECK(theme_parse_style(&s, "default", err, sizeof(err)) == 0);
	CHECK(s.fg == COLOUR_UNSET && s.attrs == 0);
	CHECK(theme_parse_style(&s, "fg=purple", err, sizeof(err)) == -1);
	CHECK(strstr(err, "purple") != NULL);
	CHECK(theme_parse_style(&s, "fg=colour256", err, sizeof(err)) == -1);
	CHECK(theme_parse_style(&s, "fg=#12345", err, sizeof(err)) == -1);
	CHECK(theme_parse_style(&s, "sparkly", err, sizeof(err)) == -1);
}

static void test_roles(void)
{
	CHECK(role_parse("state.established") == ROLE_STATE_ESTABLISHED);
	CHECK(role_parse("STATE.LISTEN") == ROLE_STATE_LISTEN);
	CHECK(role_parse("nope") == -1);
	CHECK(role_for_state(1) == ROLE_STATE_ESTABLISHED);
	CHECK(role_for_state(10) == ROLE_STATE_LISTEN);
	CHECK(role_for_state(0) == ROLE_NORMAL && role_for_state(99) == ROLE_NORMAL);
	for (int r = 0; r < ROLE_MAX; r++)
		CHECK(role_parse(role_name(r)) == r);
}

static void test_parse(void)
{
	struct theme t;
	char err[160];

	CHECK(theme_parse(&t, "x", "# comment\n\nheader = fg=red # trailing\n"
			  "state.syn_recv = fg=yellow,bold\n", err, sizeof(err)) == 0);
	CHECK(t.style[ROLE_HEADER].fg == 1);
	/* unnamed roles: parent, else normal / reverse for the bars */
	CHECK(t.style[ROLE_HEADER_VALUE].fg == 1);
	CHECK(t.style[ROLE_STATE_NEW_SYN_RECV].fg == 3);
	CHECK(t.style[ROLE_SELECTION].attrs == STYLE_REVERSE);
	CHECK(theme_parse(&t, "bad", "header = fg=red\nbogus.role = bold\n", err, sizeof(err)) == -1);
	CHECK_STR(err, "bad:2: unknown role 'bogus.role'");
	CHECK_STR(t.name, "default"); /* fell back to the built-in */
	CHECK(theme_parse(&t, "bad", "header fg=red\n", err, sizeof(err)) == -1);
	CHECK(strstr(err, "bad:1:") != NULL);
	CHECK(theme_parse(&t, "bad", "title = fg=nocolour\n", err, sizeof(err)) == -1);
	CHECK(strstr(err, "bad:1: unknown colour") != NULL);
}

static void test_shipped(void)
{
	static const char *const names[] = { "default", "light", "mono", "high-contrast" };
	char found[32][THEME_NAME_LEN], err[256];
	int n;

	setenv("SOCKTOP_THEMES", "themes", 1);
	n = theme_list(found, 32);
	CHECK(n >= 4);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct theme t;
		bool listed = false;

		for (int k = 0; k < n; k++)
			listed |= !strcmp(found[k], names[i]);
		CHECK(listed);
		CHECK(theme_load(&t, names[i], err, sizeof(err)) == 0);
		CHECK_STR(t.name, names[i]);
		/* every role named explicitly in the shipped files */
		for (int r = 0; r < ROLE_MAX; r++)
			CHECK(t.style[r].set);
	}
	{
		struct theme t;

		CHECK(theme_load(&t, "mono", err, sizeof(err)) == 0);
		for (int r = 0; r < ROLE_MAX; r++)
			CHECK(t.style[r].fg == COLOUR_UNSET && t.style[r].bg == COLOUR_UNSET);
		CHECK(theme_load(&t, "no-such-theme", err, sizeof(err)) == -1);
		CHECK(strstr(err, "not found") != NULL);
		CHECK(theme_load(&t, "../etc/passwd", err, sizeof(err)) == -1);
	}
}

int main(void)
{
	RUN(test_style);
	RUN(test_roles);
	RUN(test_parse);
	RUN(test_shipped);
	CHECK_EXIT();
}
