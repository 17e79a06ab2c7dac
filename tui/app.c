// SPDX-License-Identifier: GPL-2.0
/* app_on_event: the single entry for every event, live or replayed. */
#include "app.h"

#include <stdarg.h>
#include <stdio.h>

#include "binds.h"
#include "metrics.h"
#include "msg.h"
#include "owners.h"
#include "procs.h"
#include "recording.h"
#include "resync.h"
#include "stream.h"
#include "table.h"

static void apply_state(struct app *a, const struct event *ev)
{
	uint64_t prev_ns = 0;

	table_apply(a->table, ev, &prev_ns);
	a->state_changes++;
	/* connections, one per end: a connect() or a child of a listener;
	 * listeners opening and closing are not connections */
	if ((ev->oldstate == TS_CLOSE && ev->newstate == TS_SYN_SENT) ||
	    (ev->oldstate == TS_LISTEN && ev->newstate == TS_SYN_RECV))
		a->conns_opened++;
	if (ev->newstate == TS_CLOSE && ev->oldstate != TS_LISTEN && ev->oldstate != TS_CLOSE)
		a->conns_closed++;
	if (a->stream)
		stream_event(a->stream, a, ev, prev_ns);
}

void app_on_event(struct app *a, const struct event *ev)
{
	if (!a->received)
		a->first_ev_ns = ev->ts_ns;
	a->received++;
	if (ev->kind < EV_KIND_MAX)
		a->by_kind[ev->kind]++;
	if (a->rec && !a->rec_err) {
		int err = rec_write(a->rec, ev);

		if (err < 0) { /* main stops the run at once: see check_recording */
			a->rec_err = err;
			a->rec_errors++;
		}
	} else if (a->rec) {
		a->rec_errors++; /* after a failure: counted, never written */
	}
	if (a->metrics)
		metrics_on_event(a->metrics, ev);
	switch (ev->kind) {
	case EV_SNAP_NETNS:
		nsnames_learn(&a->nsnames, ev);
		break;
	case EV_STATE:
		apply_state(a, ev);
		break;
	case EV_TRAFFIC:
	case EV_RETRANS:
	case EV_RESET: {
		struct sock_entry *e = ev->skaddr ? table_find(a->table, ev->skaddr) : NULL;
		struct sock_traffic before = e ? e->traffic : (struct sock_traffic){ 0 };

		if (traffic_apply(&a->traffic, e, ev))
			table_touch_entry(a->table, e);
		if (a->metrics && e && ev->kind == EV_TRAFFIC)
			metrics_traffic_moved(a->metrics, e, &before);
		if (a->stream)
			stream_event(a->stream, a, ev, 0);
		break;
	}
	case EV_BIND:
		if (a->binds)
			binds_apply(a->binds, ev);
		if (a->stream)
			stream_event(a->stream, a, ev, 0);
		break;
	default:
		if (a->stream)
			stream_event(a->stream, a, ev, 0);
		break;
	}
	if ((ev->flags & SNAP_RESYNC &&
	     (ev->kind == EV_SNAP_SOCK || ev->kind == EV_SNAP_OWNER || ev->kind == EV_SNAP_END)) ||
	    ev->kind == EV_SNAP_NETNS)
		resync_on_event(a, ev);
	owners_apply(a, ev); /* owners, listeners, per-process counts */
	a->dirty = true;
}

void app_tick(struct app *a, uint64_t now_ns)
{
	uint64_t gen = table_generation(a->table);

	a->now_ns = now_ns;
	table_expire(a->table, now_ns);
	if (a->procs)
		procs_expire(a->procs, a->table, now_ns);
	if (table_generation(a->table) != gen)
		a->dirty = true;
}

static void log_line(struct app *a, bool routine, const char *fmt, va_list ap)
{
	uint32_t slot = a->log.head % APP_LOG_LINES;

	vsnprintf(a->log.line[slot], APP_LOG_LEN, fmt, ap);
	a->log.routine[slot] = routine;
	if (!a->ui)
		msg_err("%s", a->log.line[slot]);
	a->log.head++;
	a->dirty = true;
}

void app_log(struct app *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line(a, false, fmt, ap);
	va_end(ap);
}

void app_log_flush(const struct app *a, uint32_t mark)
{
	for (uint32_t i = mark; i < a->log.head; i++)
		if (a->log.head - i <= APP_LOG_LINES && !a->log.routine[i % APP_LOG_LINES])
			msg_err("%s", a->log.line[i % APP_LOG_LINES]);
}

void app_log_routine(struct app *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line(a, true, fmt, ap);
	va_end(ap);
}
