// SPDX-License-Identifier: GPL-2.0
/* Stream mode: picks the printer for opts->stream and feeds it. Its lines
 * gather in the stream's buffer, written when full and flushed by the
 * loop; a failed write stops the stream and keeps its errno (EPIPE: the
 * reader left, | head). */
#include "stream.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#include "app.h"

/* whole lines, about 500 of tcpstates' a write */
#define OUT_BYTES (64 * 1024)
_Static_assert(OUT_BYTES >= LB_MAX, "a line is built in the buffer (stream_line_start)");

struct stream {
	struct stream_out out;
	const struct stream_ops *ops;
	bool line_mode; /* a terminal: every event's lines at once */
	bool started;
	uint64_t t0_ns; /* first event of the printed kind */
	void *priv;	/* the printer's own state */
};

/* The first failure stops the stream; its errno tells a reader that
 * left (EPIPE) from a real fault (ENOSPC, EIO). */
static void note_error(struct stream_out *o, int err)
{
	if (o->broken)
		return;
	o->broken = true;
	o->err = err ? err : EIO;
}

static void sink_write(struct stream_out *o, const char *p, size_t len)
{
	if (o->broken || !len)
		return;
	if (o->fd < 0) { /* a FILE of no fd (a memory stream) */
		errno = 0;
		if (fwrite(p, 1, len, o->sink) != len || fflush(o->sink) || ferror(o->sink))
			note_error(o, errno);
		return;
	}
	while (len) {
		ssize_t w = write(o->fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			note_error(o, w < 0 ? errno : EIO);
			return;
		}
		p += w;
		len -= (size_t)w;
	}
}

void stream_out_drain(struct stream_out *o)
{
	sink_write(o, o->buf, o->n);
	o->n = 0; /* after a failure: dropped, the stream stops */
}

void stream_out_mem(struct stream_out *o, const char *s, size_t len)
{
	if (len > o->cap - o->n)
		stream_out_drain(o);
	if (len > o->cap) {
		sink_write(o, s, len);
		return;
	}
	memcpy(o->buf + o->n, s, len);
	o->n += len;
}

void stream_printf(struct stream_out *o, const char *fmt, ...)
{
	size_t room = o->cap - o->n;
	va_list ap;
	char *p;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(o->buf + o->n, room, fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	if ((size_t)len < room) {
		o->n += (size_t)len;
		return;
	}
	stream_out_drain(o); /* did not fit: print it again, after */
	va_start(ap, fmt);
	if ((size_t)len < o->cap) {
		o->n = (size_t)vsnprintf(o->buf, o->cap, fmt, ap);
	} else if (vasprintf(&p, fmt, ap) >= 0) {
		sink_write(o, p, (size_t)len);
		free(p);
	}
	va_end(ap);
}

struct stream *stream_open(struct app *a, FILE *out)
{
	struct stream *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->out.cap = OUT_BYTES;
	s->out.buf = malloc(s->out.cap);
	if (!s->out.buf) {
		free(s);
		return NULL;
	}
	s->out.sink = out;
	fflush(out); /* what stdio holds goes first */
	s->out.fd = fileno(out);
	s->line_mode = s->out.fd >= 0 && isatty(s->out.fd);
	switch (a->opts->stream) {
	case STREAM_BINDS: s->ops = &stream_binds_ops; break;
	case STREAM_CONNECTS: s->ops = &stream_connects_ops; break;
	case STREAM_LIFE: s->ops = &stream_life_ops; break;
	case STREAM_RETRANS: s->ops = &stream_retrans_ops; break;
	default: s->ops = &stream_states_ops; break;
	}
	if (s->ops->header)
		s->ops->header(&s->out, a);
	if (s->line_mode)
		stream_out_drain(&s->out);
	return s;
}

void stream_event(struct stream *s, const struct app *a, const struct event *ev, uint64_t prev_ns)
{
	if (s->out.broken)
		return;
	if (!s->started && ev->kind == s->ops->kind &&
	    (!s->ops->flags || (ev->flags & s->ops->flags))) {
		s->started = true;
		s->t0_ns = ev->ts_ns;
	}
	s->ops->event(&s->out, a, ev, prev_ns);
	if (s->line_mode && s->out.n)
		stream_out_drain(&s->out);
}

int stream_flush(struct stream *s)
{
	stream_out_drain(&s->out);
	return s->out.broken ? -s->out.err : 0;
}

int stream_close(struct stream *s, const struct app *a)
{
	int err;

	if (!s)
		return 0;
	if (!s->out.broken && s->ops->finish)
		s->ops->finish(&s->out, a);
	err = stream_flush(s);
	if (s->ops->cleanup)
		s->ops->cleanup(s->priv);
	free(s->out.buf);
	free(s);
	return err;
}

void **stream_priv(const struct app *a)
{
	return a->stream ? &a->stream->priv : NULL;
}

bool stream_broken(const struct stream *s)
{
	return s && s->out.broken;
}

uint64_t stream_rel_ns(const struct app *a, uint64_t ts_ns)
{
	uint64_t t0 = a->stream && a->stream->started ? a->stream->t0_ns : a->first_ev_ns;

	return ts_ns >= t0 ? ts_ns - t0 : 0;
}

double stream_rel_seconds(const struct app *a, uint64_t ts_ns)
{
	uint64_t t0 = a->stream && a->stream->started ? a->stream->t0_ns : a->first_ev_ns;

	return ts_ns >= t0 ? (double)(ts_ns - t0) / 1e9 : 0.0;
}

uint64_t stream_wall_ns(const struct app *a, uint64_t ts_ns)
{
	/* unsigned: wraps instead of overflowing on a recording's wild values */
	return ts_ns + (uint64_t)a->wall_off_ns;
}
