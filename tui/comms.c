// SPDX-License-Identifier: GPL-2.0
/* Task names kept once each (comms.h). */
#include "comms.h"

#include <stdlib.h>
#include <string.h>

#define COMM_FREE UINT32_MAX

static const char empty[EVENT_COMM_LEN];

void comms_init(struct comms *c, uint32_t max)
{
	*c = (struct comms){ .max = max < COMMS_IDS_MAX ? max : COMMS_IDS_MAX };
}

void comms_free(struct comms *c)
{
	free(c->v);
	free(c->freed);
	free(c->ix);
	comms_init(c, c->max);
}

bool comms_empty(const char *name)
{
	return !memcmp(name, empty, EVENT_COMM_LEN);
}

static uint32_t name_hash(const char *name)
{
	uint64_t w[2];

	memcpy(w, name, sizeof(w));
	w[0] = (w[0] ^ (w[1] * 0x9e3779b97f4a7c15ULL)) * 0xff51afd7ed558ccdULL;
	return (uint32_t)(w[0] >> 32);
}

static struct comm_slot *slot(const struct comms *c, uint32_t id)
{
	return &c->v[id - 1];
}

/* Where name is in the index, or the empty place it would go */
static uint32_t ix_place(const struct comms *c, const char *name)
{
	uint32_t mask = c->ixcap - 1, i = name_hash(name) & mask;

	while (c->ix[i] && memcmp(slot(c, c->ix[i])->name, name, EVENT_COMM_LEN))
		i = (i + 1) & mask;
	return i;
}

/* Room for one more name at most half full: 0 or -1 */
static int ix_room(struct comms *c)
{
	uint64_t cap = c->ixcap ? c->ixcap : 64;
	uint32_t *old = c->ix, oldcap = c->ixcap;

	while (2 * ((uint64_t)c->n + 1) > cap)
		cap *= 2;
	if (cap > UINT32_MAX)
		return -1;
	if (cap == c->ixcap)
		return 0;
	c->ix = calloc(cap, sizeof(*c->ix));
	if (!c->ix) {
		c->ix = old;
		return -1;
	}
	c->ixcap = (uint32_t)cap;
	for (uint32_t i = 0; i < oldcap; i++)
		if (old[i])
			c->ix[ix_place(c, slot(c, old[i])->name)] = old[i];
	free(old);
	return 0;
}

/* A new id (its slot's name not set yet): 0 when none is left */
static uint32_t id_new(struct comms *c)
{
	if (c->nfreed)
		return c->freed[--c->nfreed];
	if (c->nv >= c->max)
		return 0;
	if (c->nv == c->cap) {
		uint64_t cap = c->cap ? 2 * (uint64_t)c->cap : 64;
		struct comm_slot *v;
		uint32_t *f;

		if (cap > c->max)
			cap = c->max;
		v = realloc(c->v, cap * sizeof(*v));
		if (!v)
			return 0;
		c->v = v;
		f = realloc(c->freed, cap * sizeof(*f));
		if (!f)
			return 0;
		c->freed = f;
		c->cap = (uint32_t)cap;
	}
	return ++c->nv;
}

/* id found (or made) for a name: the newest of the last two */
static uint32_t found(struct comms *c, uint32_t id)
{
	if (c->last[0] != id) {
		c->last[1] = c->last[0];
		c->last[0] = id;
	}
	return id;
}

uint32_t comms_find(struct comms *c, const char *name)
{
	uint32_t at, id = c->last[1];

	if (comms_empty(name))
		return 0;
	if (id && !memcmp(slot(c, id)->name, name, EVENT_COMM_LEN)) {
		slot(c, id)->refs++;
		return found(c, id);
	}
	if (c->ixcap) {
		at = ix_place(c, name);
		if (c->ix[at]) {
			id = c->ix[at];
			slot(c, id)->refs++;
			return found(c, id);
		}
	}
	if (ix_room(c) || !(id = id_new(c)))
		return 0;
	memcpy(slot(c, id)->name, name, EVENT_COMM_LEN);
	slot(c, id)->refs = 1;
	c->ix[ix_place(c, name)] = id;
	c->n++;
	return found(c, id);
}

/* Out of the index (linear probing, no tombstones: the later members of
 * its cluster that may sit in the hole move back into it) and freed */
void comms_release(struct comms *c, uint32_t id)
{
	uint32_t mask = c->ixcap - 1, i = ix_place(c, slot(c, id)->name), j = i;

	for (;;) {
		uint32_t home;

		c->ix[i] = 0;
		do {
			j = (j + 1) & mask;
			if (!c->ix[j])
				goto out;
			home = name_hash(slot(c, c->ix[j])->name) & mask;
		} while (i <= j ? (i < home && home <= j) : (i < home || home <= j));
		c->ix[i] = c->ix[j];
		i = j;
	}
out:
	slot(c, id)->refs = COMM_FREE;
	c->freed[c->nfreed++] = id;
	c->n--;
	for (int i = 0; i < 2; i++)
		if (c->last[i] == id)
			c->last[i] = 0;
}

const char *comms_name(const struct comms *c, uint32_t id)
{
	return id ? slot(c, id)->name : empty;
}

void comms_pin(struct comms *c)
{
	c->pins++;
}

void comms_unpin(struct comms *c)
{
	if (!c->pins || --c->pins)
		return;
	for (uint32_t id = 1; id <= c->nv; id++)
		if (!slot(c, id)->refs)
			comms_release(c, id);
}

uint32_t comms_count(const struct comms *c)
{
	return c->n;
}
