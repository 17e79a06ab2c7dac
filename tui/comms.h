/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Task names kept once each, by an id with a reference count: a
 * transition names the task it ran in with 2 bytes, a socket and each of
 * its holders with 4, not 16 (a million sockets repeat a few dozen
 * names). Id 0 is the empty name. A name no reference holds is given
 * back, unless the set is pinned (a paused view's copies still name it):
 * then at the last unpin. At most the set's max names at once (the
 * transitions' COMMS_MAX, so their ids fit 16 bits; a socket's set
 * COMMS_IDS_MAX, more than memory holds); past that, or with no memory, a
 * name is not kept (id 0: the caller counts it).
 */
#ifndef SOCKTOP_COMMS_H
#define SOCKTOP_COMMS_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "../bpf/event.h"

#define COMMS_MAX UINT16_MAX
#define COMMS_IDS_MAX (UINT32_MAX - 1)

struct comm_slot {
	char name[EVENT_COMM_LEN];
	uint32_t refs; /* COMM_FREE: the id is free */
};

struct comms {
	struct comm_slot *v; /* by id - 1 */
	uint32_t nv, cap;    /* ids handed out (high mark), room in v */
	uint32_t max;	     /* ids at most */
	uint32_t *freed;     /* free ids below nv, cap of them */
	uint32_t nfreed;
	uint32_t *ix; /* open addressing: ids by name, 0: empty */
	uint32_t ixcap, n;
	uint32_t pins;
	/* the last two names found: events in a row share a task, or take
	 * turns between two (a client's connect, its server's accept) */
	uint32_t last[2];
};

void comms_init(struct comms *c, uint32_t max); /* ids 1..max (at most COMMS_IDS_MAX) */
void comms_free(struct comms *c);
/* The rest of comms_get and comms_put, out of line (comms.c) */
uint32_t comms_find(struct comms *c, const char *name);
void comms_release(struct comms *c, uint32_t id);

/* The id of name (EVENT_COMM_LEN raw bytes) with a reference taken: 0 for
 * the empty name, or when no id or memory is left. Inline: the name of
 * the event before costs a compare, not a call (every state event and
 * owner takes one). */
static inline uint32_t comms_get(struct comms *c, const char *name)
{
	uint32_t id = c->last[0];

	/* a slot never holds the empty name: comms_find answers for it */
	if (id && !memcmp(c->v[id - 1].name, name, EVENT_COMM_LEN)) {
		c->v[id - 1].refs++;
		return id;
	}
	return comms_find(c, name);
}

/* one more reference to a held id; 0: none */
static inline void comms_hold(struct comms *c, uint32_t id)
{
	if (id)
		c->v[id - 1].refs++;
}

/* a reference dropped; 0: none */
static inline void comms_put(struct comms *c, uint32_t id)
{
	if (id && !--c->v[id - 1].refs && !c->pins)
		comms_release(c, id);
}

/* EVENT_COMM_LEN bytes, NUL-padded unless full; "" for 0 */
const char *comms_name(const struct comms *c, uint32_t id);
void comms_pin(struct comms *c);
void comms_unpin(struct comms *c);
uint32_t comms_count(const struct comms *c); /* names kept */
bool comms_empty(const char *name);	     /* EVENT_COMM_LEN zero bytes */

#endif
