/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct app: everything one run owns (options, the model, sources,
 * outputs). app_on_event() is the single entry for every event, live or
 * replayed, so tests, screenshots and benchmarks run the code users run:
 * it records the event, applies it to the model (model_apply, the one
 * door), then hands it to every output.
 */
#ifndef SOCKTOP_APP_H
#define SOCKTOP_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "../bpf/event.h"
#include "opts.h"
#include "model.h"
#include "nsnames.h"
#include "snapshot.h"

struct capture;
struct resync;
struct loop;
struct loader;
struct replay;
struct rec_writer;
struct stream;
struct binds;
struct procs;
struct ui;
struct journal;
struct sock_entry;
struct metrics;
struct metrics_http;

#define APP_LOG_LINES 64
#define APP_LOG_LEN 240

struct app_log {
	char line[APP_LOG_LINES][APP_LOG_LEN];
	bool routine[APP_LOG_LINES]; /* a report (resync), not a warning */
	uint32_t head;	/* total lines ever logged */
};

struct app {
	const struct opts *opts;
	const struct capture *cap; /* kernel-side filters, built from opts */
	struct loop *loop;
	struct model model;	/* table, owners, listeners, repairs (model.h) */
	struct binds *binds;	/* bind events log (may be NULL) */
	struct procs *procs;	/* per-process view data (may be NULL) */
	struct loader *loader;	/* live capture, NULL on replay */
	struct replay *replay;	/* replay source, NULL when live */
	struct rec_writer *rec; /* --record, NULL otherwise */
	struct stream *stream;	/* --stream printer, NULL in the UI */
	struct ui *ui;		/* NULL in stream/snapshot modes */
	struct journal *journal; /* -Y, NULL otherwise */
	struct metrics *metrics; /* --metrics: the counters, NULL otherwise */
	struct metrics_http *metrics_http; /* --metrics: the endpoint */

	/* clocks: event time is CLOCK_MONOTONIC ns of the captured host */
	uint64_t now_ns;	/* "now" on the event clock (live or replayed) */
	int64_t wall_off_ns;	/* wall = mono + wall_off (from the recording) */
	uint64_t start_ns;	/* capture start, event clock */
	uint64_t first_ev_ns;	/* first event's time (-t counts from it) */
	char host[65];
	char kernel[65];

	/* counts, never hidden */
	uint64_t received;	/* events handed to app_on_event */
	uint64_t ring_received;	/* of which read from the kernel's ring */
	uint64_t emitted;	/* records the kernel tried to send (ring + lost) */
	uint64_t by_kind[EV_KIND_MAX];
	uint64_t lost;		/* kernel-side drops (ring buffer full) */
	uint64_t recursion_misses; /* BPF program runs the kernel skipped */
	uint64_t bad_records;	/* ring records of the wrong size */
	uint64_t rec_errors;	/* recording write failures */
	int rec_err;		/* the first one, -errno: it ends the run */
	uint64_t map_full;	/* kernel-side tables full: attribution lost */
	uint64_t backlog;	/* ring records read, not applied yet */
	uint64_t queue_peak;	/* ... at most, in bytes (the reader thread's) */
	uint64_t queue_full;	/* times its bound left records in the rings */
	uint64_t queue_max;	/* that bound */

	struct resync *resync;	/* the resync driver (main), NULL without one */
	struct nsnames nsnames;	/* network namespace names (EV_SNAP_NETNS) */

	struct snap_held *held;	     /* while the start-up pass runs (snapshot.h) */
	struct snap_startup startup; /* what it cost (snapshot.h) */

	/* Called before the model changes (an event applied, sockets
	 * expired): a view whose worker thread reads the table's entries
	 * (a re-sort, rows.c) waits for it there, so no entry it reads is
	 * freed or written meanwhile. NULL: none. */
	void (*before_change)(void *ctx);
	void *before_change_ctx;

	bool dirty;		/* something changed since the last frame */
	bool resized;		/* SIGWINCH arrived: the UI must re-layout */
	bool quit;
	int exit_code;
	struct app_log log;	/* messages while curses owns the terminal */
};

/* Apply one event: record, model, then every output (metrics, binds,
 * per-process counts, stream). */
void app_on_event(struct app *a, const struct event *ev);
/* Per-tick housekeeping (expire lingering sockets, ...). */
void app_tick(struct app *a, uint64_t now_ns);
/* Add a message: to the log ring while the UI runs, else to stderr. */
void app_log(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A routine report (a resync pass's repairs): kept on the messages page,
 * not repeated on stderr when the UI ends (the exit summary counts them). */
void app_log_routine(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* After the UI: the warnings logged since line number mark, to stderr
 * (routine reports stay out: the exit summary counts them). */
void app_log_flush(const struct app *a, uint32_t mark);


#endif
