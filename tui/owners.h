/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who owns each socket: applies connect, accept and snapshot events to the
 * table's owner fields, keeps the listener index so an accepted socket
 * shows its listener's owner (marked SOCK_OWNER_LISTENER) until accept()
 * names the real one. Part of the model (model.h): model_apply calls it.
 */
#ifndef SOCKTOP_OWNERS_H
#define SOCKTOP_OWNERS_H

#include "../bpf/event.h"

struct model;
struct sock_entry;

/* Called by model_apply for every event, after table_apply for EV_STATE
 * (state_entry: the entry it returned, NULL when none could be made;
 * ignored for other kinds) and a resync pass's reconciliation. */
void owners_apply(struct model *m, const struct event *ev, struct sock_entry *state_entry);

#endif
