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

#include "linebuf.h"

struct app;
struct stream;

/*
 * Where the printers write: one buffer of whole lines, handed to the
 * output in one write() when it is full and at each flush (the end of a
 * ring drain, a tick, the close), not stdio's 4 KiB at a time with a
 * call a line. A terminal gets each event's lines at once.
 */
struct stream_out {
	char *buf;
	size_t n, cap;
	FILE *sink; /* written through its fd when it has one */
	int fd;
	bool broken;
	int err; /* errno of the first failed write */
};

void stream_out_drain(struct stream_out *o); /* what is buffered, to the sink */
void stream_out_mem(struct stream_out *o, const char *s, size_t len);
void stream_printf(struct stream_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A line built in place, at the buffer's end: the room for one first
 * (what is buffered goes out when less is left), then the line's length
 * kept (the hot path: no copy, no call). */
static inline void stream_line_start(struct stream_out *o, struct linebuf *l)
{
	if (o->cap - o->n < LB_MAX)
		stream_out_drain(o);
	lb_start(l, o->buf + o->n);
}

static inline void stream_line_end(struct stream_out *o, const struct linebuf *l)
{
	o->n += l->n;
}

struct stream_ops {
	int kind;	/* the event kind it prints: -t counts from the first one */
	uint32_t flags; /* ... that has these flags too (0: any) */
	void (*header)(struct stream_out *f, const struct app *a); /* may be NULL */
	/* every event reaches it; it prints the kinds it cares about.
	 * prev_ns: time in the previous state (EV_STATE only). */
	void (*event)(struct stream_out *f, const struct app *a, const struct event *ev,
		      uint64_t prev_ns);
	void (*finish)(struct stream_out *f, const struct app *a); /* may be NULL */
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
bool stream_broken(const struct stream *s);		 /* output closed: stop */
/* The printer's own state (counts), freed by its cleanup at close. */
void **stream_priv(const struct app *a);

/* seconds since the first event (-t) and HH:MM:SS (-T) helpers */
double stream_rel_seconds(const struct app *a, uint64_t ts_ns);
uint64_t stream_rel_ns(const struct app *a, uint64_t ts_ns);
uint64_t stream_wall_ns(const struct app *a, uint64_t ts_ns);

#endif
