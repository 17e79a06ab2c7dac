// SPDX-License-Identifier: GPL-2.0
/* The columns file: its grammar and every kind of bad line (named with
 * file:line, that pane keeps its defaults, the others their lines), the
 * text it is written as, a round trip through the disk, and where it is
 * looked for (XDG_CONFIG_HOME, HOME, sudo's invoking user). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "colconf.h"
#include "procs.h"

static char warned[8][700];
static int nwarned;

static void warn(void *ctx, const char *msg)
{
	(void)ctx;
	if (nwarned < 8)
		snprintf(warned[nwarned++], sizeof(warned[0]), "%s", msg);
}

static bool is_default(const struct colconf *c, int pane)
{
	struct col_choice d;

	colconf_default(colconf_sets[pane], &d);
	return c->pane[pane].n == d.n && !memcmp(c->pane[pane].order, d.order, (size_t)d.n);
}

static void test_parse_good(void)
{
	struct colconf c;

	nwarned = 0;
	CHECK(colconf_parse(&c, "# mine\n\nconns = state remote pid\n  procs=comm,pid  # two\n",
			    "f", warn, NULL) == 0);
	CHECK(nwarned == 0);
	CHECK(c.pane[0].n == 3 && c.pane[0].order[0] == COL_STATE &&
	      c.pane[0].order[1] == COL_REMOTE && c.pane[0].order[2] == COL_PID);
	CHECK(c.pane[1].n == 2 && c.pane[1].order[0] == PS_COMM && c.pane[1].order[1] == PS_PID);
	CHECK(is_default(&c, 2)); /* binds: not in the file */
}

static void test_parse_bad(void)
{
	static const struct {
		const char *text, *says;
	} bad[] = {
		{ "conns = pid bogus\n", "f:1: unknown column 'bogus'" },
		{ "nope = pid\n", "f:1: unknown pane 'nope'" },
		{ "\nconns pid\n", "f:2: expected PANE = COLUMNS" },
		{ "conns =\n", "f:1: no columns for 'conns'" },
		{ "conns = pid pid\n", "f:1: column 'pid' given twice" },
		{ "conns = pid\nconns = comm\n", "f:2: pane 'conns' given twice" },
		{ "conns x = pid\n", "f:1: expected one pane name" },
		{ "conns = pid\x1b[31m\n", "f:1: a control character" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct colconf c;

		nwarned = 0;
		CHECK(colconf_parse(&c, bad[i].text, "f", warn, NULL) == 1);
		CHECK(nwarned == 1 && !strncmp(warned[0], bad[i].says, strlen(bad[i].says)));
		if (nwarned != 1 || strncmp(warned[0], bad[i].says, strlen(bad[i].says)))
			fprintf(stderr, "  %zu: got '%s'\n", i, nwarned ? warned[0] : "");
		/* a bad line leaves its pane at the defaults (the first conns line
		 * of the twice case stands) */
		CHECK(is_default(&c, 1) && is_default(&c, 2));
	}
	{
		struct colconf c;
		char big[2000];

		memset(big, 'a', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		nwarned = 0;
		CHECK(colconf_parse(&c, big, "f", warn, NULL) == 1 &&
		      strstr(warned[0], "too long"));
		CHECK(is_default(&c, 0));
	}
}

static void test_format_round_trip(void)
{
	struct colconf c, d;
	char text[4096];

	colconf_parse(&c, "conns = age local\nbinds = result pid\n", "f", NULL, NULL);
	colconf_format(&c, text, sizeof(text));
	CHECK(strstr(text, "conns = age local\n") && strstr(text, "binds = result pid\n"));
	CHECK(strstr(text, "procs = pid user comm"));
	nwarned = 0;
	CHECK(colconf_parse(&d, text, "f", warn, NULL) == 0 &&
	      !memcmp(&c.pane, &d.pane, sizeof(c.pane)));
}

static void test_save_load(void)
{
	char dir[] = "/tmp/socktop-colconf-XXXXXX", sub[128];
	struct colconf c, d;
	struct stat st;

	CHECK(mkdtemp(dir) != NULL);
	memset(&c, 0, sizeof(c));
	snprintf(c.path, sizeof(c.path), "%s/a/socktop/columns", dir);
	colconf_parse(&c, "procs = errors comm\n", "f", NULL, NULL);
	unsetenv("SUDO_UID");
	CHECK(colconf_save(&c) == 0);
	d = c;
	nwarned = 0;
	CHECK(colconf_load(&d, warn, NULL) == 0 && nwarned == 0);
	CHECK(d.pane[1].n == 2 && d.pane[1].order[0] == PS_ERRORS);
	snprintf(sub, sizeof(sub), "%s/a/socktop", dir);
	CHECK(stat(sub, &st) == 0 && (st.st_mode & 0777) == 0700);
	/* a missing file is no problem; a directory in its place is named */
	snprintf(d.path, sizeof(d.path), "%s/none", dir);
	CHECK(colconf_load(&d, warn, NULL) == 0 && is_default(&d, 1));
	snprintf(d.path, sizeof(d.path), "%s/a", dir);
	nwarned = 0;
	CHECK(colconf_load(&d, warn, NULL) == 1 && nwarned == 1 &&
	      strstr(warned[0], "not a regular file"));
	snprintf(sub, sizeof(sub), "rm -rf '%s'", dir);
	CHECK(system(sub) == 0);
}

static void test_path(void)
{
	char p[512];

	unsetenv("SUDO_UID");
	setenv("XDG_CONFIG_HOME", "/x/conf", 1);
	CHECK(colconf_path(p, sizeof(p)) == 0);
	CHECK_STR(p, "/x/conf/socktop/columns");
	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", "/home/someone", 1);
	CHECK(colconf_path(p, sizeof(p)) == 0);
	CHECK_STR(p, "/home/someone/.config/socktop/columns");
	/* through sudo: neither root's XDG_CONFIG_HOME nor HOME, the user's home */
	setenv("XDG_CONFIG_HOME", "/root/.config", 1);
	setenv("SUDO_UID", "0", 1);
	CHECK(colconf_path(p, sizeof(p)) == 0);
	CHECK(strcmp(p, "/root/.config/socktop/columns") == 0 ||
	      strstr(p, "/.config/socktop/columns") != NULL);
	CHECK(strncmp(p, "/home/someone", 13) != 0);
	unsetenv("SUDO_UID");
	unsetenv("XDG_CONFIG_HOME");
}

int main(void)
{
	RUN(test_parse_good);
	RUN(test_parse_bad);
	RUN(test_format_round_trip);
	RUN(test_save_load);
	RUN(test_path);
	CHECK_EXIT();
}
