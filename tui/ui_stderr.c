// SPDX-License-Identifier: GPL-2.0
/*
 * While curses owns the terminal, anything written to stderr (libbpf,
 * libraries, a helper's warning) would print behind the UI and garble
 * it. Point fd 2 at a pipe instead, read it in the loop and put each line
 * in the app log (status line, messages page); main() prints the log to
 * the real stderr after the UI closes. A fatal signal puts fd 2 back.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "loop.h"
#include "tty.h"
#include "ui.h"

static void log_lines(struct ui *u, bool flush)
{
	char *nl;

	while ((nl = memchr(u->err_buf, '\n', u->err_len)) || (flush && u->err_len)) {
		size_t n = nl ? (size_t)(nl - u->err_buf) : u->err_len;

		if (n)
			app_log(u->app, "%.*s", (int)n, u->err_buf);
		n += nl ? 1 : 0;
		memmove(u->err_buf, u->err_buf + n, u->err_len - n);
		u->err_len -= n;
	}
}

static void drain(struct ui *u)
{
	for (;;) {
		ssize_t n;

		if (u->err_len == sizeof(u->err_buf)) /* a very long line: cut it */
			log_lines(u, true);
		n = read(u->err_pipe, u->err_buf + u->err_len, sizeof(u->err_buf) - u->err_len);
		if (n <= 0)
			break;
		u->err_len += (size_t)n;
		log_lines(u, false);
	}
}

static int on_stderr(void *ctx, uint32_t events)
{
	(void)events;
	drain(ctx);
	return 0;
}

int ui_stderr_capture(struct ui *u)
{
	int p[2];

	u->err_saved = -1;
	u->err_pipe = -1;
	if (pipe2(p, O_CLOEXEC | O_NONBLOCK))
		return -errno;
	u->err_saved = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (u->err_saved < 0 || dup2(p[1], STDERR_FILENO) < 0) {
		int err = -errno;

		close(p[0]);
		close(p[1]);
		if (u->err_saved >= 0)
			close(u->err_saved);
		u->err_saved = -1;
		return err;
	}
	close(p[1]); /* fd 2 is the write end now (non-blocking: never stalls us) */
	u->err_pipe = p[0];
	tty_fatal_stderr(u->err_saved);
	return loop_add(u->app->loop, u->err_pipe, on_stderr, u);
}

void ui_stderr_release(struct ui *u)
{
	if (u->err_saved < 0)
		return;
	dup2(u->err_saved, STDERR_FILENO);
	close(u->err_saved);
	u->err_saved = -1;
	tty_fatal_stderr(-1);
	if (u->err_pipe >= 0) {
		drain(u);
		log_lines(u, true);
		loop_del(u->app->loop, u->err_pipe);
		close(u->err_pipe);
		u->err_pipe = -1;
	}
}
