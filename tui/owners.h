/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who owns each socket: applies connect, accept and snapshot events to the
 * table's owner fields, keeps the listener index so an accepted socket
 * shows its listener's owner (marked SOCK_OWNER_LISTENER) until accept()
 * names the real one, and feeds per-process counts.
 */
#ifndef SOCKTOP_OWNERS_H
#define SOCKTOP_OWNERS_H

#include "../bpf/event.h"

struct app;

/* Called by app_on_event for every event, after table_apply for EV_STATE.
 * Needs a->table; uses a->procs when set. */
void owners_apply(struct app *a, const struct event *ev);

#endif
