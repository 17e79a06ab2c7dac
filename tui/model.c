// SPDX-License-Identifier: GPL-2.0
/*
 * model_apply: every event's way into the model, in one order fixed here:
 * the table first (a state change, a new lifecycle), then a resync pass's
 * reconciliation (it decides what the table holds), then attribution
 * (owners, listeners), and the sockets' counters.
 */
#include "model.h"

#include <errno.h>
#include <string.h>

#include "listeners.h"
#include "owners.h"

int model_init(struct model *m, const struct table_limits *lim)
{
	memset(m, 0, sizeof(*m));
	m->table = table_new(lim);
	m->listeners = m->table ? listeners_new() : NULL;
	if (!m->listeners) {
		int err = errno ? -errno : -ENOMEM;

		model_free(m);
		return err;
	}
	return 0;
}

void model_free(struct model *m)
{
	listeners_free(m->listeners);
	table_free(m->table);
	reconcile_free(&m->rc);
	traffic_state_free(&m->traffic);
	m->listeners = NULL;
	m->table = NULL;
}

uint64_t model_listeners_dropped(const struct model *m)
{
	return listeners_dropped(m->listeners);
}

static void apply_state(struct model *m, const struct event *ev, struct model_out *out)
{
	out->entry = table_apply(m->table, ev, &out->prev_ns);
	m->state_changes++;
	/* connections, one per end: a connect() or a child of a listener;
	 * listeners opening and closing are not connections */
	if ((ev->oldstate == TS_CLOSE && ev->newstate == TS_SYN_SENT) ||
	    (ev->oldstate == TS_LISTEN && ev->newstate == TS_SYN_RECV))
		m->conns_opened++;
	if (ev->newstate == TS_CLOSE && ev->oldstate != TS_LISTEN && ev->oldstate != TS_CLOSE)
		m->conns_closed++;
}

static void apply_traffic(struct model *m, const struct event *ev, struct model_out *out)
{
	struct sock_entry *e = ev->skaddr ? table_find(m->table, ev->skaddr) : NULL;

	out->entry = e;
	if (e) {
		out->before = *entry_traffic(e);
		out->before.more = NULL; /* the entry's, changed by this event */
	} else {
		memset(&out->before, 0, sizeof(out->before));
	}
	if (traffic_apply(&m->traffic, m->table, e, ev))
		table_touch_entry(m->table, e);
	if (ev->kind == EV_TRAFFIC && (ev->tcpi.tr_flags & TRAFFIC_PASS_END))
		traffic_settle(&m->traffic, m->table);
}

/* EV_METRIC: one generic apply, whatever the metric */
static void apply_metric(struct model *m, const struct event *ev, struct model_out *out)
{
	struct sock_entry *e = ev->skaddr ? table_find(m->table, ev->skaddr) : NULL;
	int rc;

	out->entry = e;
	if (!e) {
		m->metrics_unmatched++;
		return;
	}
	rc = sock_metrics_apply(&e->metrics, ev);
	if (rc > 0)
		table_touch_entry(m->table, e);
	else if (rc < 0)
		m->metrics_oom++;
}

void model_apply(struct model *m, const struct event *ev, struct model_out *out)
{
	/* not before: 64 bytes zeroed at every event for the few it is read */
	out->prev_ns = 0;
	out->entry = NULL;
	switch (ev->kind) {
	case EV_STATE: apply_state(m, ev, out); break;
	case EV_TRAFFIC:
	case EV_RETRANS:
	case EV_RESET: apply_traffic(m, ev, out); break;
	case EV_METRIC: apply_metric(m, ev, out); break;
	case EV_SNAP_NETNS: reconcile_netns(&m->rc, ev); break;
	case EV_SNAP_SOCK:
		if (ev->flags & SNAP_RESYNC)
			reconcile_sock(m, ev);
		break;
	case EV_SNAP_END:
		if (ev->flags & SNAP_RESYNC)
			reconcile_end(m, ev);
		break;
	default: break;
	}
	owners_apply(m, ev, ev->kind == EV_STATE ? out->entry : NULL);
}
