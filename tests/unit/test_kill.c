// SPDX-License-Identifier: GPL-2.0
/* The kill page's send: refused for recordings, unknown owners and reused
 * pids; a real signal otherwise; the kernel's refusal said in words. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app.h"
#include "check.h"
#include "view_kill.h"

static pid_t sleeper(void)
{
	pid_t p = fork();

	if (p == 0) {
		for (;;)
			pause();
	}
	return p;
}

/* the pid's start as event.h counts it: boot-time ms, mod 2^32 */
static uint32_t start_ms(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ticks = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	p = strrchr(buf, ')');
	for (int field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (p)
		sscanf(p, " %llu", &ticks);
	return (uint32_t)(ticks * 1000 / (unsigned long long)sysconf(_SC_CLK_TCK));
}

static void test_refused(void)
{
	struct app a = { 0 };
	struct kill_target t = { .pid = (uint32_t)getpid() };
	char msg[160];

	a.replay = (struct replay *)&a; /* only tested for NULL */
	CHECK(kill_send(&a, &t, 0, msg, sizeof(msg)) == -EINVAL);
	CHECK(strstr(msg, "recording") != NULL);
	a.replay = NULL;
	t.pid = 0;
	CHECK(kill_send(&a, &t, 0, msg, sizeof(msg)) == -ESRCH);
	CHECK(strstr(msg, "no process") != NULL);
}

static void test_sent(void)
{
	struct app a = { 0 };
	struct kill_target t = { 0 };
	char msg[160];
	pid_t c = sleeper();
	int st = 0;

	CHECK(c > 0);
	t.pid = (uint32_t)c;
	/* a start the pid does not have: another process now, not signalled */
	t.pstart = start_ms(c) + 5000;
	CHECK(kill_send(&a, &t, SIGTERM, msg, sizeof(msg)) == -ESRCH);
	CHECK(strstr(msg, "no longer") != NULL);
	CHECK(waitpid(c, &st, WNOHANG) == 0);
	t.pstart = start_ms(c);
	CHECK(kill_send(&a, &t, SIGTERM, msg, sizeof(msg)) == 0);
	CHECK(strstr(msg, "sent signal 15") != NULL);
	CHECK(waitpid(c, &st, 0) == c && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	/* gone now */
	CHECK(kill_send(&a, &t, SIGTERM, msg, sizeof(msg)) == -ESRCH);
}

static void test_not_permitted(void)
{
	struct app a = { 0 };
	struct kill_target t = { .pid = (uint32_t)getpid() };
	pid_t c;
	int st = 0;

	c = fork();
	if (c == 0) {
		char msg[160];
		int r;

		if (setgid(65534) || setuid(65534))
			_exit(3);
		r = kill_send(&a, &t, SIGTERM, msg, sizeof(msg));
		_exit(r == -EPERM && strstr(msg, "not permitted: socktop runs as uid 65534") ? 0 : 1);
	}
	CHECK(c > 0 && waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

int main(void)
{
	RUN(test_refused);
	RUN(test_sent);
	if (geteuid())
		printf("SKIP test_not_permitted: needs root to become another user\n");
	else
		RUN(test_not_permitted);
	CHECK_EXIT();
}
