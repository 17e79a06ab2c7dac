/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Task names kept once each, by a 16-bit id with a reference count: a
 * transition names the task it ran in with 2 bytes, not 16 (a million
 * sockets with two or three transitions each repeat a few dozen names).
 * Id 0 is the empty name. A name no reference holds is given back, unless
 * the set is pinned (a paused view's copies still name it): then at the
 * last unpin. At most COMMS_MAX names at once; past that a name is not
 * kept (id 0: the caller counts it).
 */
#ifndef SOCKTOP_COMMS_H
#define SOCKTOP_COMMS_H

#include <stdbool.h>
#include <stdint.h>

#include "../bpf/event.h"

#define COMMS_MAX UINT16_MAX

struct comm_slot {
	char name[EVENT_COMM_LEN];
	uint32_t refs; /* COMM_FREE: the id is free */
};

struct comms {
	struct comm_slot *v; /* by id - 1 */
	uint32_t nv, cap;    /* ids handed out (high mark), room in v */
	uint16_t *freed;     /* free ids below nv, cap of them */
	uint32_t nfreed;
	uint16_t *ix; /* open addressing: ids by name, 0: empty */
	uint32_t ixcap, n;
	uint32_t pins;
	uint16_t last; /* the last name found: events in a row share a task */
};

void comms_init(struct comms *c);
void comms_free(struct comms *c);
/* The id of name (EVENT_COMM_LEN raw bytes) with a reference taken: 0 for
 * the empty name, or when no id or memory is left */
uint16_t comms_get(struct comms *c, const char *name);
void comms_put(struct comms *c, uint16_t id); /* a reference dropped; 0: none */
/* EVENT_COMM_LEN bytes, NUL-padded unless full; "" for 0 */
const char *comms_name(const struct comms *c, uint16_t id);
void comms_pin(struct comms *c);
void comms_unpin(struct comms *c);
uint32_t comms_count(const struct comms *c); /* names kept */
bool comms_empty(const char *name);	     /* EVENT_COMM_LEN zero bytes */

#endif
