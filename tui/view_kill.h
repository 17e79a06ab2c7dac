/* SPDX-License-Identifier: GPL-2.0 */
/* The kill page's target (pushed with ui_push) and the send itself. */
#ifndef SOCKTOP_VIEW_KILL_H
#define SOCKTOP_VIEW_KILL_H

#include <stddef.h>
#include <stdint.h>

#include "../bpf/event.h"

struct app;

struct kill_target {
	uint32_t pid;
	uint32_t pstart;		/* event.h: 0 = unknown, not checked */
	char comm[EVENT_COMM_LEN];	/* raw kernel bytes */
};

/* Send sig to t's process unless it is a recording's, unknown, or a pid
 * now used by another process. 0 or -errno, with a message for the user
 * in msg either way. */
int kill_send(const struct app *a, const struct kill_target *t, int sig, char *msg,
	      size_t msgsz);

#endif
