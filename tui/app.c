// SPDX-License-Identifier: GPL-2.0
/* app_on_event: the single entry for every event, live or replayed. */
#include "app.h"

#include <stdarg.h>
#include <stdio.h>

#include "binds.h"
#include "metrics.h"
#include "msg.h"
#include "procs.h"
#include "recording.h"
#include "stream.h"
#include "table.h"

/* After the model: everything that shows or keeps what happened. */
static void outputs(struct app *a, const struct event *ev, const struct model_out *out)
{
	if (a->metrics) {
		metrics_on_event(a->metrics, ev);
		if (out->entry && ev->kind == EV_TRAFFIC)
			metrics_traffic_moved(a->metrics, out->entry, &out->before);
	}
	if (ev->kind == EV_SNAP_NETNS)
		nsnames_learn(&a->nsnames, ev);
	if (ev->kind == EV_BIND && a->binds)
		binds_apply(a->binds, ev);
	if (a->procs) {
		procs_count(a->procs, ev);
		/* once: a final sample after the first is stale (not applied) */
		if (out->entry && ev->kind == EV_TRAFFIC && (ev->tcpi.tr_flags & TRAFFIC_FINAL) &&
		    !(out->before.flags & TRAFFIC_FINAL) &&
		    (entry_traffic(out->entry)->flags & TRAFFIC_FINAL))
			procs_traffic_final(a->procs, out->entry);
	}
	if (a->stream && ev->kind != EV_SNAP_NETNS)
		stream_event(a->stream, a, ev, out->prev_ns);
}

void app_on_event(struct app *a, const struct event *ev)
{
	struct model_out out;

	if (!a->received)
		a->first_ev_ns = ev->ts_ns;
	a->received++;
	if (a->ui && a->loader && ev->netns) /* a namespace newer than the last pass */
		nsnames_note_live(&a->nsnames, ev->netns);
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
	if (a->before_change)
		a->before_change(a->before_change_ctx);
	model_apply(&a->model, ev, &out);
	outputs(a, ev, &out);
	a->dirty = true;
}

void app_tick(struct app *a, uint64_t now_ns)
{
	uint64_t gen = table_generation(a->model.table);

	a->now_ns = now_ns;
	if (a->before_change)
		a->before_change(a->before_change_ctx);
	table_expire(a->model.table, now_ns);
	if (a->procs)
		procs_expire(a->procs, a->model.table, now_ns);
	if (table_generation(a->model.table) != gen)
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
