// SPDX-License-Identifier: GPL-2.0
/*
 * Task names kept once: one id a name while referenced, the empty name
 * id 0, a name given back at its last reference (not while pinned), ids
 * reused, the bound of COMMS_MAX names held, and the table's transitions
 * giving their names back as entries go.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "comms.h"
#include "table.h"

static const char *name_of(char *buf, uint32_t i)
{
	memset(buf, 0, EVENT_COMM_LEN);
	snprintf(buf, EVENT_COMM_LEN, "task-%u", i);
	return buf;
}

static void test_refs(void)
{
	struct comms c;
	char full[EVENT_COMM_LEN], zero[EVENT_COMM_LEN] = { 0 }, a[EVENT_COMM_LEN] = "nginx";
	uint16_t x, y, z;

	comms_init(&c);
	memset(full, 'q', sizeof(full)); /* 16 bytes, no NUL */
	CHECK(comms_get(&c, zero) == 0 && comms_count(&c) == 0);
	CHECK(comms_name(&c, 0)[0] == '\0');
	x = comms_get(&c, a);
	y = comms_get(&c, a);
	z = comms_get(&c, full);
	CHECK(x && x == y && z && z != x && comms_count(&c) == 2);
	CHECK(!memcmp(comms_name(&c, z), full, sizeof(full)));
	CHECK(!strcmp(comms_name(&c, x), "nginx"));
	comms_put(&c, x);
	CHECK(comms_count(&c) == 2 && !strcmp(comms_name(&c, y), "nginx"));
	comms_put(&c, y);
	CHECK(comms_count(&c) == 1);
	/* pinned: a name no one holds stays until the last unpin */
	comms_pin(&c);
	comms_pin(&c);
	comms_put(&c, z);
	CHECK(comms_count(&c) == 1 && !memcmp(comms_name(&c, z), full, sizeof(full)));
	CHECK(comms_get(&c, full) == z); /* found again while kept */
	comms_put(&c, z);
	comms_unpin(&c);
	CHECK(comms_count(&c) == 1);
	comms_unpin(&c);
	CHECK(comms_count(&c) == 0);
	comms_put(&c, 0);
	comms_free(&c);
}

/* Many names in and out in a shuffled order: each id names its own
 * name while held, freed ones come back, none is lost. */
static void test_many(void)
{
	enum { N = 5000 };
	struct comms c;
	uint16_t *id = calloc(N, sizeof(*id));
	char buf[EVENT_COMM_LEN];
	uint32_t x = 7, held = 0;

	comms_init(&c);
	for (int round = 0; id && round < 20; round++) {
		for (uint32_t k = 0; k < N; k++) {
			uint32_t i;

			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			i = x % N;
			if (id[i]) {
				comms_put(&c, id[i]);
				id[i] = 0;
				held--;
			} else {
				id[i] = comms_get(&c, name_of(buf, i));
				CHECK(id[i]);
				held++;
			}
		}
		CHECK(comms_count(&c) == held);
		for (uint32_t i = 0; i < N; i++)
			if (id[i])
				CHECK(!strcmp(comms_name(&c, id[i]), name_of(buf, i)));
	}
	CHECK(c.nv <= N); /* ids reused */
	comms_free(&c);
	free(id);
}

/* Past COMMS_MAX names held a new one is not kept: id 0 */
static void test_bound(void)
{
	struct comms c;
	char buf[EVENT_COMM_LEN];
	uint32_t ok = 0;

	comms_init(&c);
	for (uint32_t i = 0; i < COMMS_MAX + 10; i++)
		ok += comms_get(&c, name_of(buf, i)) != 0;
	CHECK(ok == COMMS_MAX && comms_count(&c) == COMMS_MAX);
	comms_put(&c, 77);
	CHECK(comms_get(&c, name_of(buf, 999999)) == 77);
	comms_free(&c);
}

static void apply(struct table *t, uint64_t sk, uint64_t ts, int o, int n, const char *comm)
{
	struct event ev = { .kind = EV_STATE,
			    .ts_ns = ts,
			    .skaddr = sk,
			    .family = 2,
			    .lport = (uint16_t)(1000 + sk % 5000),
			    .rport = 80,
			    .oldstate = (uint8_t)o,
			    .newstate = (uint8_t)n,
			    .pid = 5 };
	uint64_t prev;

	memcpy(ev.comm, comm, strnlen(comm, sizeof(ev.comm)));
	table_apply(t, &ev, &prev);
}

/* Transitions hold their names; the names go with the entries. */
static void test_table_names(void)
{
	struct table_limits lim = { .max_history = 4, .linger_ns = 1 };
	struct table *t = table_new(&lim);
	char buf[EVENT_COMM_LEN];
	struct sock_entry *e;

	for (uint32_t i = 0; t && i < 100; i++) {
		apply(t, 0x1000 + i * 64, 10 + i, TS_CLOSE, TS_SYN_SENT, name_of(buf, i % 7));
		apply(t, 0x1000 + i * 64, 11 + i, TS_SYN_SENT, TS_ESTABLISHED, "");
	}
	e = t ? table_find(t, 0x1000 + 3 * 64) : NULL;
	CHECK(e && e->ntrans == 2 && !strcmp(table_comm(t, e->trans[0].comm), "task-3"));
	CHECK(e && e->trans[1].comm == 0 && table_comm(t, 0)[0] == '\0');
	CHECK(t && table_comm_count(t) == 7);
	/* every socket closes and leaves: history keeps 4, their names only */
	for (uint32_t i = 0; t && i < 100; i++)
		apply(t, 0x1000 + i * 64, 200 + i, TS_ESTABLISHED, TS_CLOSE, "closer");
	if (t)
		table_expire(t, 1000);
	CHECK(t && table_count(t) == 0 && table_history_count(t) == 4);
	/* sockets 96-99: task-5, -6, -0, -1, and "closer" */
	CHECK(t && table_comm_count(t) == 5);
	table_free(t);
}

int main(void)
{
	RUN(test_refs);
	RUN(test_many);
	RUN(test_bound);
	RUN(test_table_names);
	CHECK_EXIT();
}
