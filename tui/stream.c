// SPDX-License-Identifier: GPL-2.0
/* Stream mode: picks the printer for opts->stream and feeds it. Output is
 * block-buffered to a pipe and flushed by the loop; a failed write stops
 * the stream and keeps its errno (EPIPE: the reader left, | head). */
#include "stream.h"

#include <errno.h>
#include <stdlib.h>

#include "app.h"

struct stream {
	FILE *out;
	const struct stream_ops *ops;
	bool broken;
	int err;	/* errno of the first failed write */
	bool started;
	uint64_t t0_ns; /* first event of the printed kind */
	void *priv;	/* the printer's own state */
};

struct stream *stream_open(struct app *a, FILE *out)
{
	struct stream *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->out = out;
	switch (a->opts->stream) {
	case STREAM_BINDS:
		s->ops = &stream_binds_ops;
		break;
	case STREAM_CONNECTS:
		s->ops = &stream_connects_ops;
		break;
	case STREAM_LIFE:
		s->ops = &stream_life_ops;
		break;
	case STREAM_RETRANS:
		s->ops = &stream_retrans_ops;
		break;
	default:
		s->ops = &stream_states_ops;
		break;
	}
	if (s->ops->header)
		s->ops->header(out, a);
	return s;
}

/* The first failure stops the stream; its errno tells a reader that
 * left (EPIPE) from a real fault (ENOSPC, EIO). */
static void note_error(struct stream *s)
{
	if (s->broken)
		return;
	s->broken = true;
	s->err = errno ? errno : EIO;
}

void stream_event(struct stream *s, const struct app *a, const struct event *ev, uint64_t prev_ns)
{
	if (s->broken)
		return;
	if (!s->started && ev->kind == s->ops->kind &&
	    (!s->ops->flags || (ev->flags & s->ops->flags))) {
		s->started = true;
		s->t0_ns = ev->ts_ns;
	}
	errno = 0;
	s->ops->event(s->out, a, ev, prev_ns);
	if (ferror(s->out))
		note_error(s);
}

int stream_flush(struct stream *s)
{
	if (!s->broken) {
		errno = 0;
		if (fflush(s->out) || ferror(s->out))
			note_error(s);
	}
	return s->broken ? -s->err : 0;
}

int stream_close(struct stream *s, const struct app *a)
{
	int err;

	if (!s)
		return 0;
	if (!s->broken && s->ops->finish) {
		errno = 0;
		s->ops->finish(s->out, a);
	}
	err = stream_flush(s);
	if (s->ops->cleanup)
		s->ops->cleanup(s->priv);
	free(s);
	return err;
}

void **stream_priv(const struct app *a)
{
	return a->stream ? &a->stream->priv : NULL;
}

bool stream_broken(const struct stream *s)
{
	return s && s->broken;
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
