/* SPDX-License-Identifier: GPL-2.0 */
/* The run modes main() dispatches to, each implemented in its own file. */
#ifndef SOCKTOP_MODES_H
#define SOCKTOP_MODES_H

#include <stddef.h>

struct app;

/* ui.c: 0 when stdout is a terminal ncurses can drive; else -1 with one
 * line in err. Called before anything is loaded into the kernel. */
int ui_check_terminal(char *err, size_t errsz);
/* ui.c: the full-screen UI over a->loop until a->quit; exit status. */
int ui_run(struct app *a);
/* snapshot.c: print the sockets that exist now, once; exit status. */
int snapshot_run(struct app *a);

#endif
