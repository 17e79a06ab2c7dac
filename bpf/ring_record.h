/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A ring record as the kernel sends it, made into the struct events the
 * rest of socktop sees: a record of one or a few events is handed on as
 * it is; a short state record (struct ring_state4, event.h) gets the task
 * of the last full EV_STATE that came through the same ring.
 */
#ifndef SOCKTOP_RING_RECORD_H
#define SOCKTOP_RING_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"

/* the task fields of a ring's last full EV_STATE */
struct ring_task {
	uint32_t pid, tid, uid, pstart;
	char comm[EVENT_COMM_LEN];
	bool known;
};

/* The events of one record of ring (0 <= ring < nrings) in out[] (room
 * for EVENT_RING_MAX): how many, or -1 for a record not to trust (a size
 * no program sends, a ring out of range). */
int ring_record_events(struct ring_task *tasks, int nrings, int ring, const void *data, size_t size,
		       struct event out[EVENT_RING_MAX]);

#endif
