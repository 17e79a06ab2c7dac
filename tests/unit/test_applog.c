// SPDX-License-Identifier: GPL-2.0
/* The app's message log: while the UI runs lines are only kept; after it,
 * warnings go to stderr and routine reports (resync passes) do not. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "check.h"

/* what app_log_flush(a, mark) writes to stderr */
static char *flushed(const struct app *a, uint32_t mark)
{
	static char buf[4096];
	FILE *f = tmpfile();
	int saved = dup(2);
	size_t n;

	if (!f || saved < 0)
		return strcpy(buf, "(no tmpfile)");
	fflush(stderr);
	dup2(fileno(f), 2);
	app_log_flush(a, mark);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_routine_kept_not_flushed(void)
{
	static struct app a;
	const char *out;

	a.ui = (struct ui *)&a; /* the UI runs: nothing printed at once */
	app_log(&a, "feature binds off: %s", "lockdown");
	app_log_routine(&a, "resync: %d sockets in 1.0 ms, %d repaired", 40, 2);
	app_log(&a, "replay: truncated");
	CHECK(a.log.head == 3);
	CHECK(a.log.routine[1] && !a.log.routine[0] && !a.log.routine[2]);
	CHECK_STR(a.log.line[1], "resync: 40 sockets in 1.0 ms, 2 repaired");
	out = flushed(&a, 0);
	CHECK(strstr(out, "feature binds off: lockdown") && strstr(out, "replay: truncated"));
	CHECK(!strstr(out, "resync"));
	/* from a mark on */
	out = flushed(&a, 2);
	CHECK(!strstr(out, "binds") && strstr(out, "truncated"));
	/* a ring that went round keeps the flags of the lines it kept */
	for (int i = 0; i < APP_LOG_LINES; i++)
		app_log_routine(&a, "resync %d", i);
	app_log(&a, "the last warning");
	out = flushed(&a, 0);
	CHECK_STR(out, "socktop: the last warning\n");
}

int main(void)
{
	RUN(test_routine_kept_not_flushed);
	CHECK_EXIT();
}
