// SPDX-License-Identifier: GPL-2.0
/* Ring records into struct events (ring_record.h). */
#include "ring_record.h"

#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

static void remember(struct ring_task *t, const struct event *e)
{
	t->pid = e->pid;
	t->tid = e->tid;
	t->uid = e->uid;
	t->pstart = e->pstart;
	memcpy(t->comm, e->comm, sizeof(t->comm));
	t->known = true;
}

/* What a full EV_STATE of the same socket and task would hold */
static void expand(const struct ring_task *t, const struct ring_state4 *s, struct event *e)
{
	memset(e, 0, sizeof(*e));
	e->ts_ns = s->ts_ns;
	e->skaddr = s->skaddr;
	e->kind = EV_STATE;
	e->family = AF_INET;
	e->protocol = IPPROTO_TCP;
	e->lport = s->lport;
	e->rport = s->rport;
	e->oldstate = s->oldstate;
	e->newstate = s->newstate;
	memcpy(e->saddr, s->saddr, sizeof(s->saddr));
	memcpy(e->daddr, s->daddr, sizeof(s->daddr));
	e->netns = s->netns;
	/* the kernel sends a short one only after a full one in this ring:
	 * unknown here would be a fault of the ring; its task stays 0 */
	if (t->known) {
		e->pid = t->pid;
		e->tid = t->tid;
		e->uid = t->uid;
		e->pstart = t->pstart;
		memcpy(e->comm, t->comm, sizeof(e->comm));
	}
}

int ring_record_events(struct ring_task *tasks, int nrings, int ring, const void *data, size_t size,
		       struct event out[EVENT_RING_MAX])
{
	int n = (int)(size / sizeof(struct event));

	if (ring < 0 || ring >= nrings)
		return -1;
	if (size == sizeof(struct ring_state4)) {
		struct ring_state4 s;

		memcpy(&s, data, sizeof(s));
		if (s.kind != RING_STATE4)
			return -1;
		expand(&tasks[ring], &s, &out[0]);
		return 1;
	}
	if (!size || size % sizeof(struct event) || n > EVENT_RING_MAX)
		return -1;
	memcpy(out, data, size); /* aligned copies */
	if (out[0].kind == EV_STATE)
		remember(&tasks[ring], &out[0]);
	return n;
}
