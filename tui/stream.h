/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Non-UI output: one line per event in the bcc tools' formats (text, CSV
 * with -s, JSON with --json). One printer per stream kind; stream.c picks
 * it from opts->stream and feeds it from app_on_event.
 */
#ifndef SOCKTOP_STREAM_H
#define SOCKTOP_STREAM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../bpf/event.h"

struct app;
struct stream;

struct stream_ops {
	int kind; /* the event kind it prints: -t counts from the first one */
	uint32_t flags; /* ... that has these flags too (0: any) */
	void (*header)(FILE *f, const struct app *a);	/* may be NULL */
	/* every event reaches it; it prints the kinds it cares about.
	 * prev_ns: time in the previous state (EV_STATE only). */
	void (*event)(FILE *f, const struct app *a, const struct event *ev, uint64_t prev_ns);
	void (*finish)(FILE *f, const struct app *a);	/* may be NULL */
	void (*cleanup)(void *priv); /* frees what the printer kept; may be NULL */
};

extern const struct stream_ops stream_states_ops;   /* stream_states.c */
extern const struct stream_ops stream_binds_ops;    /* stream_binds.c */
extern const struct stream_ops stream_connects_ops; /* stream_connects.c */
extern const struct stream_ops stream_life_ops;	    /* stream_life.c */
extern const struct stream_ops stream_retrans_ops;  /* stream_retrans.c */

struct stream *stream_open(struct app *a, FILE *out); /* NULL, errno */
void stream_event(struct stream *s, const struct app *a, const struct event *ev, uint64_t prev_ns);
/* Flush: 0, or the first write error as -errno (-EPIPE, -ENOSPC...). */
int stream_flush(struct stream *s);
int stream_close(struct stream *s, const struct app *a); /* the same, then frees */
bool stream_broken(const struct stream *s); /* output closed: stop */
/* The printer's own state (counts), freed by its cleanup at close. */
void **stream_priv(const struct app *a);

/* seconds since the first event (-t) and HH:MM:SS (-T) helpers */
double stream_rel_seconds(const struct app *a, uint64_t ts_ns);
uint64_t stream_rel_ns(const struct app *a, uint64_t ts_ns);
uint64_t stream_wall_ns(const struct app *a, uint64_t ts_ns);

#endif
