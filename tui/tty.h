/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Terminal checks and emergency restore: whether stdout is a terminal
 * ncurses can drive, and a fatal-signal handler that puts the terminal
 * back (async-signal-safe calls only) and re-raises.
 */
#ifndef SOCKTOP_TTY_H
#define SOCKTOP_TTY_H

#include <stddef.h>

/* Remember the terminal modes and restore strings; install handlers for
 * SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL. Call after newterm. */
void tty_fatal_install(int fd);
/* Remove them (normal exit, after endwin). */
void tty_fatal_remove(void);
/* The real stderr while fd 2 is redirected (-1: none); a fatal signal
 * puts it back so the crash report is seen. */
void tty_fatal_stderr(int fd);
/* Save the terminal modes of fd before curses changes them. */
void tty_save_modes(int fd);

#endif
