// SPDX-License-Identifier: GPL-2.0
/*
 * Terminal checks (before anything is loaded into the kernel) and the
 * fatal-signal restore. The handler may only use async-signal-safe calls
 * (write, tcsetattr, sigaction, raise), so the restore bytes are computed
 * up front from terminfo and kept where the handler can reach them: the
 * one piece of file-scope state in the UI, because a signal handler has
 * no context argument.
 */
#include "tty.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <termios.h>
#include <unistd.h>
#include <ncurses.h>
#include <term.h>

#include "modes.h"

static const int fatal_sigs[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL };
#define NFATAL (sizeof(fatal_sigs) / sizeof(fatal_sigs[0]))

static struct {
	int fd;
	bool have_tio;
	struct termios tio;	/* modes before curses took over */
	char restore[256];	/* mouse off, sgr0, rmkx, cnorm, rmcup, newline */
	size_t len;
	struct sigaction old[NFATAL];
	volatile sig_atomic_t err_fd;	/* real stderr while fd 2 is a pipe */
	volatile sig_atomic_t installed;
} fatal;

int ui_check_terminal(char *err, size_t errsz)
{
	const char *term = getenv("TERM");
	int rc = 0;

	if (!isatty(STDOUT_FILENO)) {
		snprintf(err, errsz,
			 "standard output is not a terminal: use --stream (or --snapshot) for text output");
		return -1;
	}
	if (!isatty(STDIN_FILENO)) {
		snprintf(err, errsz, "standard input is not a terminal: the UI reads its keys "
			 "there (use --stream for text output)");
		return -1;
	}
	if (!term || !*term || !strcmp(term, "dumb")) {
		snprintf(err, errsz, "TERM is %s: the full-screen UI needs a terminal type "
			 "like xterm-256color (or use --stream)", term && *term ? "dumb" : "unset");
		return -1;
	}
	if (setupterm(term, STDOUT_FILENO, &rc) != OK) {
		snprintf(err, errsz, "TERM=%.40s is not known to terminfo%s (or use --stream)", term,
			 rc == 0 ? "" : " or cannot be used");
		return -1;
	}
	if (tigetstr("cup") == NULL || tigetstr("cup") == (char *)-1) {
		snprintf(err, errsz, "TERM=%.40s cannot move the cursor: the full-screen UI needs "
			 "a capable terminal (or use --stream)", term);
		del_curterm(cur_term);
		return -1;
	}
	del_curterm(cur_term);
	return 0;
}

static void add_bytes(const char *s)
{
	size_t n = strlen(s);

	if (fatal.len + n < sizeof(fatal.restore)) {
		memcpy(fatal.restore + fatal.len, s, n);
		fatal.len += n;
	}
}

static void add_cap(const char *cap)
{
	const char *s = tigetstr(cap);

	if (s && s != (char *)-1)
		add_bytes(s);
}

/* Mouse reporting off, as ncurses switches it on (lib_mouse.c): for an
 * xterm-style kmous, the extended XM capability with 0, else 1000l. */
static void add_mouse_off(void)
{
	const char *kmous = tigetstr("kmous");
	const char *xm = tigetstr("XM");

	if (!kmous || kmous == (char *)-1 ||
	    (strncmp(kmous, "\033[M", 3) && strncmp(kmous, "\033[<", 3)))
		return;
	if (xm && xm != (char *)-1)
		xm = tiparm(xm, 0);
	else
		xm = "\033[?1000l";
	if (xm)
		add_bytes(xm);
}

static void on_fatal(int sig)
{
	ssize_t rc;

	if (fatal.len)
		rc = write(fatal.fd, fatal.restore, fatal.len);
	if (fatal.have_tio)
		tcsetattr(fatal.fd, TCSAFLUSH, &fatal.tio);
	if (fatal.err_fd > 0)
		dup2(fatal.err_fd, STDERR_FILENO);
	(void)rc;
	/* SA_RESETHAND put the default action back: die with the signal */
	raise(sig);
}

void tty_fatal_install(int fd)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	fatal.fd = fd;
	fatal.len = 0;
	add_mouse_off();
	add_cap("sgr0");
	add_cap("rmkx");
	add_cap("cnorm");
	add_cap("rmcup");
	add_bytes("\r\n");
	sa.sa_handler = on_fatal;
	sa.sa_flags = (int)SA_RESETHAND | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NFATAL; i++)
		sigaction(fatal_sigs[i], &sa, &fatal.old[i]);
	fatal.installed = 1;
}

void tty_fatal_stderr(int fd)
{
	fatal.err_fd = fd;
}

/* called before curses changes the modes */
void tty_save_modes(int fd)
{
	fatal.have_tio = tcgetattr(fd, &fatal.tio) == 0;
}

void tty_fatal_remove(void)
{
	if (!fatal.installed)
		return;
	for (size_t i = 0; i < NFATAL; i++)
		sigaction(fatal_sigs[i], &fatal.old[i], NULL);
	fatal.installed = 0;
}
