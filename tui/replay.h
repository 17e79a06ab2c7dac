/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Replay source: feeds a recording into app_on_event through the loop.
 * Paced (real time times speed) or unpaced (everything at once, the clock
 * frozen at the last event). Pause and single-step for the UI.
 */
#ifndef SOCKTOP_REPLAY_H
#define SOCKTOP_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct app;
struct replay;

/* Opens the file and fills a->host, a->kernel, a->wall_off_ns,
 * a->start_ns. NULL with a message in err. */
struct replay *replay_open(struct app *a, const char *path, double speed, bool paced,
			   char *err, size_t errsz);
/* Registers its timer in a->loop; at the end (or a fault) sets
 * replay_done(); a fault also sets a->exit_code = 2 and logs the message. */
int replay_start(struct replay *r);
bool replay_done(const struct replay *r);
void replay_set_paused(struct replay *r, bool paused);
bool replay_paused(const struct replay *r);
void replay_step(struct replay *r);	/* deliver the next event (paused) */
void replay_set_speed(struct replay *r, double speed);
double replay_speed(const struct replay *r);
uint64_t replay_now(const struct replay *r); /* the replay clock, event time */
/* Deliver every remaining event now (stream mode). 0, or -1 on a fault. */
int replay_run_all(struct replay *r);
void replay_close(struct replay *r);

#endif
