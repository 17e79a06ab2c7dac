// SPDX-License-Identifier: GPL-2.0
/*
 * Kill page (F9, k: htop's keys): send a signal to the process that owns
 * the selected socket, after a confirmation. The signal is chosen from a
 * short list (SIGTERM first). The pid is checked against the process
 * start the kernel reported, so a pid reused by another process is never
 * signalled. After the privilege drop kill() runs as the invoking user, so
 * the kernel allows only what that user could do; its refusal is shown.
 */
#include "view_kill.h"

#include <errno.h>
#include <ncurses.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "draw.h"
#include "fmt.h"
#include "procinfo.h"
#include "ui.h"

static const struct {
	int sig;
	const char *name;
} signals[] = {
	{ SIGTERM, "SIGTERM" }, { SIGINT, "SIGINT" },	{ SIGHUP, "SIGHUP" },
	{ SIGKILL, "SIGKILL" }, { SIGQUIT, "SIGQUIT" }, { SIGUSR1, "SIGUSR1" },
	{ SIGUSR2, "SIGUSR2" }, { SIGSTOP, "SIGSTOP" }, { SIGCONT, "SIGCONT" },
};
#define NSIGNALS (int)(sizeof(signals) / sizeof(signals[0]))

struct killv {
	struct kill_target t;
	int sel;
};

static int kill_init(struct ui *u, void **priv)
{
	(void)u;
	*priv = calloc(1, sizeof(struct killv));
	return *priv ? 0 : -ENOMEM;
}

static void kill_fini(void *priv)
{
	free(priv);
}

static int kill_enter(struct ui *u, void *priv, const void *arg)
{
	struct killv *k = priv;

	(void)u;
	if (arg)
		k->t = *(const struct kill_target *)arg;
	k->sel = 0;
	return R_REDRAW;
}

static void kill_draw(struct ui *u, void *priv, const struct rect *r)
{
	struct killv *k = priv;
	char comm[FMT_ESC_MAX(EVENT_COMM_LEN)];
	int y = r->y;

	fmt_escape(comm, sizeof(comm), k->t.comm, sizeof(k->t.comm), ESC_TEXT);
	draw_printf(u, y++, r->x + 1, r->w - 1, ROLE_TITLE, "Send a signal to process %u (%s)",
		    k->t.pid, comm);
	draw_printf(u, y++, r->x + 1, r->w - 1, ROLE_DIM,
		    "the owner of the selected socket; Enter sends, Esc cancels");
	y++;
	for (int i = 0; i < NSIGNALS && y < r->y + r->h; i++, y++)
		draw_printf(u, y, r->x + 3, 24, i == k->sel ? ROLE_SELECTION : ROLE_NORMAL,
			    " %2d %-9s ", signals[i].sig, signals[i].name);
}

/* What kill()'s errno means here, in the words a user needs. */
static const char *kill_why(int err, char *buf, size_t bufsz)
{
	if (err == EPERM)
		snprintf(buf, bufsz, "not permitted: socktop runs as uid %u%s", (unsigned)geteuid(),
			 geteuid() ? " (root was dropped after start-up)" : "");
	else if (err == ESRCH)
		snprintf(buf, bufsz, "no such process: it has exited");
	else
		snprintf(buf, bufsz, "%s", strerror(err));
	return buf;
}

int kill_send(const struct app *a, const struct kill_target *t, int sig, char *msg, size_t msgsz)
{
	char why[96];

	if (a->replay) {
		snprintf(msg, msgsz, "not sent: the processes of a recording are not this host's");
		return -EINVAL;
	}
	if (!t->pid) {
		snprintf(msg, msgsz, "not sent: no process is known to own this socket");
		return -ESRCH;
	}
	/* a pid reused since the kernel named it is another process */
	if (t->pstart && !procinfo_is(t->pid, t->pstart)) {
		snprintf(msg, msgsz, "not sent: pid %u is no longer the process seen", t->pid);
		return -ESRCH;
	}
	if (kill((pid_t)t->pid, sig)) {
		int err = errno;

		snprintf(msg, msgsz, "kill %u: %s", t->pid, kill_why(err, why, sizeof(why)));
		return -err;
	}
	snprintf(msg, msgsz, "sent signal %d to %u", sig, t->pid);
	return 0;
}

static int k_move(struct ui *u, void *priv, int key)
{
	struct killv *k = priv;

	(void)u;
	if (key == KEY_UP && k->sel > 0)
		k->sel--;
	else if (key == KEY_DOWN && k->sel < NSIGNALS - 1)
		k->sel++;
	return R_REDRAW;
}

static int k_send(struct ui *u, void *priv, int key)
{
	struct killv *k = priv;
	char msg[160];

	(void)key;
	kill_send(u->app, &k->t, signals[k->sel].sig, msg, sizeof(msg));
	if (!strncmp(msg, "sent", 4))
		snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg), " (%s)",
			 signals[k->sel].name);
	ui_pop_note(u, "%s", msg);
	return R_POP | R_REDRAW;
}

static int k_cancel(struct ui *u, void *priv, int key)
{
	(void)u, (void)priv, (void)key;
	return R_POP | R_REDRAW;
}

static const struct key_bind kill_keys[] = {
	{ KEY_UP, 0, 0, "Up", "the previous signal", k_move },
	{ KEY_DOWN, 0, 0, "Down", "the next signal", k_move },
	{ '\n', '\r', KEY_ENTER, "Enter", "send the signal", k_send },
	{ 27, 'q', 0, "Esc q", "cancel: send nothing", k_cancel },
	{ 0, 0, 0, NULL, NULL, NULL },
};

const struct view view_kill = {
	.name = "Kill",
	.keys = kill_keys,
	.init = kill_init,
	.fini = kill_fini,
	.enter = kill_enter,
	.draw = kill_draw,
	.hints = "Enter:Send,Esc:Cancel",
};
