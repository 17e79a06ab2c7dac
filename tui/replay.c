// SPDX-License-Identifier: GPL-2.0
/*
 * Replay: reads a recording and feeds app_on_event from the loop. Paced
 * mode runs an event clock at real time times speed; unpaced mode delivers
 * in batches as fast as the loop allows and freezes the clock at the last
 * event, so screens are byte-stable for tests and screenshots.
 */
#include "replay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "loop.h"
#include "recording.h"
#include "stream.h"

#define REPLAY_TICK_NS (10ULL * 1000000ULL)
#define REPLAY_BATCH 20000

struct replay {
	struct app *a;
	struct rec_reader *rd;
	struct event next;
	bool have_next;
	bool done, paused, paced;
	double speed;
	int timer_fd;
	uint64_t base_real;	/* real monotonic time at base_ev */
	uint64_t base_ev;	/* event clock at base_real */
	uint64_t clock;		/* current event clock */
};

static void fault(struct replay *r, const char *msg)
{
	app_log(r->a, "replay: %s", msg);
	r->a->exit_code = 2;
	r->done = true;
	r->have_next = false;
}

/* Load the next event into r->next; false at the end or on a fault. */
static bool peek(struct replay *r)
{
	char err[512];
	int rc;

	if (r->have_next)
		return true;
	if (r->done)
		return false;
	rc = rec_read(r->rd, &r->next, err, sizeof(err));
	if (rc == 1) {
		r->have_next = true;
		return true;
	}
	if (rc < 0)
		fault(r, err);
	r->done = true;
	return false;
}

static void deliver(struct replay *r)
{
	r->have_next = false;
	if (r->next.ts_ns > r->clock || !r->paced)
		r->clock = r->next.ts_ns > r->clock ? r->next.ts_ns : r->clock;
	app_on_event(r->a, &r->next);
}

struct replay *replay_open(struct app *a, const char *path, double speed, bool paced,
			   char *err, size_t errsz)
{
	struct rec_header h;
	struct replay *r = calloc(1, sizeof(*r));

	if (!r) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	r->rd = rec_open(path, &h, err, errsz);
	if (!r->rd) {
		free(r);
		return NULL;
	}
	r->a = a;
	r->speed = speed > 0 ? speed : 1.0;
	r->paced = paced;
	r->timer_fd = -1;
	snprintf(a->host, sizeof(a->host), "%s", h.host);
	snprintf(a->kernel, sizeof(a->kernel), "%s", h.kernel);
	a->wall_off_ns = h.wall_off_ns;
	a->start_ns = h.start_mono_ns;
	if (h.version < 2)
		snprintf(a->model.traffic.why, sizeof(a->model.traffic.why),
			 "recording format %u carries no traffic counters", h.version);
	else if (!(h.features & REC_HAS_TRAFFIC))
		snprintf(a->model.traffic.why, sizeof(a->model.traffic.why),
			 "traffic counters were off when this was recorded");
	r->clock = h.start_mono_ns;
	a->now_ns = r->clock;
	return r;
}

static void rebase(struct replay *r)
{
	r->base_real = mono_now_ns();
	r->base_ev = r->clock;
}

static int on_timer(void *ctx, uint32_t events)
{
	struct replay *r = ctx;
	int n = 0;

	(void)events;
	timer_ack(r->timer_fd);
	if (r->done && !r->have_next) {
		loop_del(r->a->loop, r->timer_fd);
		return 0;
	}
	if (r->paced && !r->paused) {
		uint64_t real = mono_now_ns() - r->base_real;

		r->clock = r->base_ev + (uint64_t)((double)real * r->speed);
	}
	while (!r->paused || !r->paced) {
		if (!peek(r))
			break;
		if (r->paced && r->next.ts_ns > r->clock)
			break;
		deliver(r);
		if (++n >= REPLAY_BATCH)
			break;
	}
	r->a->now_ns = r->clock;
	if (n || (r->paced && !r->paused))
		r->a->dirty = true;
	return 0;
}

int replay_start(struct replay *r)
{
	int fd;

	/* the clock starts at the first event, not at an idle header */
	if (peek(r) && r->next.ts_ns > r->clock)
		r->clock = r->next.ts_ns;
	rebase(r);
	fd = timer_open(r->paced ? REPLAY_TICK_NS : 1000);
	if (fd < 0)
		return fd;
	r->timer_fd = fd;
	return loop_add(r->a->loop, fd, on_timer, r);
}

int replay_run_all(struct replay *r)
{
	/* a stream whose reader left (| head) needs no more */
	while (!stream_broken(r->a->stream) && peek(r))
		deliver(r);
	r->a->now_ns = r->clock;
	return r->a->exit_code == 2 ? -1 : 0;
}

bool replay_done(const struct replay *r)
{
	return r->done && !r->have_next;
}

void replay_set_paused(struct replay *r, bool paused)
{
	if (r->paused == paused)
		return;
	r->paused = paused;
	if (!paused)
		rebase(r);
}

bool replay_paused(const struct replay *r)
{
	return r->paused;
}

void replay_step(struct replay *r)
{
	if (!peek(r))
		return;
	if (r->next.ts_ns > r->clock)
		r->clock = r->next.ts_ns;
	deliver(r);
	r->a->now_ns = r->clock;
	rebase(r);
}

void replay_set_speed(struct replay *r, double speed)
{
	if (speed < 0.01 || speed > 1e6)
		return;
	rebase(r);
	r->speed = speed;
}

double replay_speed(const struct replay *r)
{
	return r->speed;
}

uint64_t replay_now(const struct replay *r)
{
	return r->clock;
}

void replay_close(struct replay *r)
{
	if (!r)
		return;
	if (r->timer_fd >= 0) {
		loop_del(r->a->loop, r->timer_fd);
		close(r->timer_fd);
	}
	rec_close_reader(r->rd);
	free(r);
}
