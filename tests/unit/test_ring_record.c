// SPDX-License-Identifier: GPL-2.0
/*
 * Ring records into struct events (ring_record.h): a full record is
 * handed on as it is and its EV_STATE's task kept for its ring; a short
 * IPv4 state record becomes the full EV_STATE the kernel would have sent,
 * with the task of its own ring's last full one; sizes no program sends
 * are refused.
 */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "check.h"
#include "ring_record.h"

static struct event full_state(uint32_t tid, const char *comm)
{
	struct event e;

	memset(&e, 0, sizeof(e));
	e.ts_ns = 100;
	e.skaddr = 0xffff888000001000ull;
	e.kind = EV_STATE;
	e.pid = 4000;
	e.tid = tid;
	e.uid = 1000;
	e.pstart = 77;
	e.family = AF_INET;
	e.protocol = IPPROTO_TCP;
	e.lport = 8080;
	e.rport = 40000;
	e.oldstate = 7; /* CLOSE */
	e.newstate = 2; /* SYN_SENT */
	memcpy(e.saddr, "\x7f\x00\x00\x01", 4);
	memcpy(e.daddr, "\x7f\x00\x00\x02", 4);
	strncpy(e.comm, comm, sizeof(e.comm) - 1);
	e.netns = 4026531840u;
	return e;
}

/* the short record of what full_state() has, a transition on */
static struct ring_state4 short_of(const struct event *e)
{
	struct ring_state4 s;

	memset(&s, 0, sizeof(s));
	s.ts_ns = e->ts_ns + 5;
	s.skaddr = e->skaddr;
	s.kind = RING_STATE4;
	s.lport = e->lport;
	s.rport = e->rport;
	s.oldstate = 2;
	s.newstate = 1; /* ESTABLISHED */
	s.netns = e->netns;
	memcpy(s.saddr, e->saddr, 4);
	memcpy(s.daddr, e->daddr, 4);
	return s;
}

static void test_short_takes_its_rings_task(void)
{
	struct ring_task tasks[2] = { 0 };
	struct event a = full_state(4001, "client"), b = full_state(4002, "server"), out[2], want;
	struct ring_state4 s = short_of(&a);

	CHECK(ring_record_events(tasks, 2, 0, &a, sizeof(a), out) == 1);
	CHECK(!memcmp(&out[0], &a, sizeof(a)));
	CHECK(ring_record_events(tasks, 2, 1, &b, sizeof(b), out) == 1);
	/* ring 0's short record: ring 0's task, not the later one of ring 1 */
	CHECK(ring_record_events(tasks, 2, 0, &s, sizeof(s), out) == 1);
	want = a;
	want.ts_ns = s.ts_ns;
	want.oldstate = 2;
	want.newstate = 1;
	CHECK(!memcmp(&out[0], &want, sizeof(want)));
	CHECK(ring_record_events(tasks, 2, 1, &s, sizeof(s), out) == 1);
	CHECK(out[0].tid == 4002 && !strcmp(out[0].comm, "server"));
}

/* a record of two events (a CLOSE and its final counters) goes as two */
static void test_record_of_two(void)
{
	struct ring_task tasks[1] = { 0 };
	struct event two[2], out[2];

	two[0] = full_state(9, "two");
	two[1] = two[0];
	two[1].kind = EV_TRAFFIC;
	two[1].pid = two[1].tid = two[1].uid = 0;
	CHECK(ring_record_events(tasks, 1, 0, two, sizeof(two), out) == 2);
	CHECK(!memcmp(out, two, sizeof(two)));
	CHECK(tasks[0].known && tasks[0].tid == 9);
}

/* only an EV_STATE names the task a short record refers to */
static void test_other_kinds_leave_the_task(void)
{
	struct ring_task tasks[1] = { 0 };
	struct event st = full_state(1, "state"), bind = full_state(2, "binder"), out[2];
	struct ring_state4 s = short_of(&st);

	bind.kind = EV_BIND;
	CHECK(ring_record_events(tasks, 1, 0, &bind, sizeof(bind), out) == 1);
	CHECK(!tasks[0].known);
	/* none known (the kernel never sends that): the task stays 0 */
	CHECK(ring_record_events(tasks, 1, 0, &s, sizeof(s), out) == 1);
	CHECK(out[0].kind == EV_STATE && out[0].pid == 0 && out[0].comm[0] == 0 &&
	      out[0].lport == 8080);
	CHECK(ring_record_events(tasks, 1, 0, &st, sizeof(st), out) == 1);
	CHECK(ring_record_events(tasks, 1, 0, &bind, sizeof(bind), out) == 1);
	CHECK(ring_record_events(tasks, 1, 0, &s, sizeof(s), out) == 1);
	CHECK(out[0].tid == 1 && !strcmp(out[0].comm, "state"));
}

static void test_refused(void)
{
	struct ring_task tasks[1] = { 0 };
	struct event three[3] = { 0 }, out[2];
	struct ring_state4 s = short_of(&three[0]);

	CHECK(ring_record_events(tasks, 1, 0, three, 0, out) == -1);
	CHECK(ring_record_events(tasks, 1, 0, three, sizeof(three), out) == -1);
	CHECK(ring_record_events(tasks, 1, 0, three, sizeof(three[0]) - 8, out) == -1);
	CHECK(ring_record_events(tasks, 1, 1, three, sizeof(three[0]), out) == -1);
	CHECK(ring_record_events(tasks, 1, -1, three, sizeof(three[0]), out) == -1);
	s.kind = EV_STATE; /* 40 bytes, but not a short state record */
	CHECK(ring_record_events(tasks, 1, 0, &s, sizeof(s), out) == -1);
}

int main(void)
{
	RUN(test_short_takes_its_rings_task);
	RUN(test_record_of_two);
	RUN(test_other_kinds_leave_the_task);
	RUN(test_refused);
	CHECK_EXIT();
}
