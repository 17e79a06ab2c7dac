/* SPDX-License-Identifier: GPL-2.0 */
/* -Y: each state change to the systemd journal, with tcpstates' fields. */
#ifndef SOCKTOP_JOURNAL_H
#define SOCKTOP_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "../bpf/event.h"

struct app;
struct journal;

/* Connects to journald's native socket ($SOCKTOP_JOURNAL_SOCKET overrides
 * the path, for tests). NULL with a message in err. */
struct journal *journal_open(char *err, size_t errsz);
void journal_close(struct journal *j);
void journal_send_state(const struct app *a, const struct event *ev, uint64_t prev_ns,
			const char *laddr, const char *raddr);

#endif
