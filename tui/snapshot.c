// SPDX-License-Identifier: GPL-2.0
/*
 * --snapshot: the ss -tanp of socktop. Runs one snapshot pass into the
 * table (the same code path as the live UI's start-up pass), then prints
 * one line per socket: state, addresses, ports, and every holder with
 * pid, comm and fd; or one JSON object a line with --json.
 */
#include "snapshot.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "app.h"
#include "fmt.h"
#include "iters.h"
#include "loader.h"
#include "loop.h"
#include "modes.h"
#include "msg.h"
#include "replay.h"
#include "resync.h"
#include "table.h"

/* the start-up pass drains the ring this often (records of the pass) */
#define HOLD_DRAIN_EVERY 2048

static void snap_sink(void *ctx, const struct event *ev)
{
	struct app *a = ctx;

	app_on_event(a, ev);
	if (a->held && ++a->held->since_drain >= HOLD_DRAIN_EVERY) {
		a->held->since_drain = 0;
		loader_drain(a->loader, 0); /* into a->held: snapshot_hold */
	}
}

bool snapshot_hold(struct app *a, const struct event *ev)
{
	struct snap_held *h = a->held;

	if (!h || h->oom)
		return false;
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 65536;
		struct event *ev2 = realloc(h->ev, cap * sizeof(*ev2));

		if (!ev2) {
			h->oom = true;
			return false;
		}
		h->ev = ev2;
		h->cap = cap;
	}
	h->ev[h->n++] = *ev;
	return true;
}

int snapshot_collect_into(struct app *a, loader_sink sink, void *ctx, uint32_t flags, bool fallback)
{
	struct iters *it = loader_iters(a->loader);

	if (it)
		return iters_snapshot(it, sink, ctx, flags);
	if (!fallback)
		return -ENOTSUP;
	return diag_snapshot(a->cap, sink, ctx, flags);
}

int snapshot_collect(struct app *a, uint32_t flags, bool fallback)
{
	return snapshot_collect_into(a, snap_sink, a, flags, fallback);
}

static bool iters_disabled(const struct app *a)
{
	return a->cap->disabled & feature_bit("iters");
}

void snapshot_startup(struct app *a)
{
	struct snap_held held = { 0 };
	/* with the rings' reader thread the ring's events wait in its queue,
	 * to be applied a slice at a time by the loop once the pass is in */
	bool pumped = a->loader && loader_pumped(a->loader);
	uint64_t t0, kept;
	int n;

	/* what happened since the programs were attached comes first, so
	 * the snapshot (newer) has the last word on owners and states */
	while (a->loader && loader_drain(a->loader, 0) > 0)
		;
	t0 = mono_now_ns();
	a->held = a->loader && !pumped ? &held : NULL;
	/* read on a thread of its own while this one applies */
	n = snapshot_piped(a, SNAP_STARTUP, !iters_disabled(a), snap_sink);
	if (n == -EAGAIN) /* no thread, or no memory for its chunks */
		n = snapshot_collect(a, SNAP_STARTUP, !iters_disabled(a));
	if (a->held)
		loader_drain(a->loader, 0);
	a->held = NULL;
	for (size_t i = 0; i < held.n; i++)
		app_on_event(a, &held.ev[i]);
	free(held.ev);
	kept = pumped ? loader_backlog(a->loader) : held.n;
	a->startup = (struct snap_startup){ true, n, mono_now_ns() - t0, kept };

	if (held.oom)
		app_log(a, "start-up snapshot: no memory to hold the ring's events back: "
			   "some were applied before the pass's end");
	if (n == -ENOTSUP)
		app_log(a, "no start-up snapshot (--disable iters): sockets appear as they change");
	else if (n < 0)
		app_log(a, "start-up snapshot failed: %s", strerror(-n));
	else if (n >= 0 && !loader_iters(a->loader))
		app_log(a, "start-up snapshot from sock_diag and /proc (iterators off: %s)",
			loader_feature_why(a->loader, feature_index("iters")));
}

/* listeners first, then by state, local port, remote port */
static int state_rank(uint8_t s)
{
	return s == TS_LISTEN ? 0 : s;
}

static int entry_cmp(const void *x, const void *y)
{
	const struct sock_entry *a = *(const struct sock_entry *const *)x;
	const struct sock_entry *b = *(const struct sock_entry *const *)y;

	if (a->netns != b->netns) /* one namespace after another, as ss per namespace */
		return a->netns < b->netns ? -1 : 1;
	if (state_rank(a->state) != state_rank(b->state))
		return state_rank(a->state) - state_rank(b->state);
	if (a->lport != b->lport)
		return a->lport - b->lport;
	if (a->rport != b->rport)
		return a->rport - b->rport;
	return a->skaddr < b->skaddr ? -1 : a->skaddr > b->skaddr;
}

/* "127.0.0.1:80", "[::1]:80", "*" for an unset remote port */
static char *endpoint(char *out, size_t outsz, uint16_t family, const uint8_t *addr, uint16_t port)
{
	char ip[64];

	fmt_addr(ip, sizeof(ip), family, addr);
	if (!port)
		snprintf(out, outsz, family == AF_INET6 ? "[%s]:*" : "%s:*", ip);
	else
		snprintf(out, outsz, family == AF_INET6 ? "[%s]:%u" : "%s:%u", ip, port);
	return out;
}

/* A name inside ss's users:(("name",...)) field: escaped as text, then
 * each '"' as \" (its backslashes are already doubled), so a name cannot
 * close the quotes and read as another owner. */
static const char *owner_name(char *out, size_t outsz, const char *comm, size_t len)
{
	char esc[FMT_ESC_MAX(EVENT_COMM_LEN)];
	size_t o = 0;

	fmt_escape(esc, sizeof(esc), comm, len, ESC_TEXT);
	for (const char *p = esc; *p && o + 3 < outsz; p++) {
		if (*p == '"')
			out[o++] = '\\';
		out[o++] = *p;
	}
	out[o] = '\0';
	return out;
}

static void print_owners_text(FILE *f, const struct table *t, const struct sock_entry *e)
{
	char comm[2 * FMT_ESC_MAX(EVENT_COMM_LEN)];

	if (!e->nowners && !e->pid) {
		fputs("-", f);
		return;
	}
	fputs("users:(", f);
	if (!e->nowners)
		fprintf(f, "(\"%s\",pid=%u%s)",
			owner_name(comm, sizeof(comm), entry_comm(t, e), EVENT_COMM_LEN), e->pid,
			e->flags & SOCK_OWNER_LISTENER ? ",listener" : "");
	for (int i = 0; i < e->nowners && i < TABLE_MAX_OWNERS; i++)
		fprintf(f, "%s(\"%s\",pid=%u,fd=%d)", i ? "," : "",
			owner_name(comm, sizeof(comm), owner_comm(t, sock_owner(e, i)),
				   EVENT_COMM_LEN),
			sock_owner(e, i)->pid, sock_owner(e, i)->fd);
	fputs(")", f);
}

static void print_json(FILE *f, const struct app *a, const struct sock_entry *e)
{
	char comm[FMT_ESC_MAX(EVENT_COMM_LEN)], la[64], ra[64];
	char nsname[FMT_ESC_MAX(EVENT_NETNS_NAME_LEN)] = "";
	const char *raw = nsnames_get(&a->nsnames, e->netns);

	fmt_addr(la, sizeof(la), e->family, e->saddr);
	fmt_addr(ra, sizeof(ra), e->family, e->daddr);
	fmt_escape(comm, sizeof(comm), entry_comm(a->model.table, e), EVENT_COMM_LEN, ESC_JSON);
	if (raw)
		fmt_escape(nsname, sizeof(nsname), raw, strlen(raw), ESC_JSON);
	fprintf(f,
		"{\"skaddr\":\"%llx\",\"netns\":%u,\"netns_name\":\"%s\",\"state\":\"%s\",\"ip\":%d,\"laddr\":\"%s\",\"lport\":%u,"
		"\"raddr\":\"%s\",\"rport\":%u,\"uid\":%u,\"cgroup_id\":%llu,"
		"\"seen_at_start\":%s,\"pid\":%u,\"comm\":\"%s\",\"owner_from_listener\":%s,"
		"\"owners\":[",
		(unsigned long long)e->skaddr, e->netns, nsname, tcp_state_name(e->state),
		e->family == AF_INET6 ? 6 : 4, la, e->lport, ra, e->rport, e->uid,
		(unsigned long long)e->cgroup_id, e->flags & SOCK_SEEN_AT_START ? "true" : "false",
		e->pid, comm, e->flags & SOCK_OWNER_LISTENER ? "true" : "false");
	for (int i = 0; i < e->nowners && i < TABLE_MAX_OWNERS; i++) {
		fmt_escape(comm, sizeof(comm), owner_comm(a->model.table, sock_owner(e, i)),
			   EVENT_COMM_LEN, ESC_JSON);
		fprintf(f, "%s{\"pid\":%u,\"comm\":\"%s\",\"fd\":%d,\"pstart\":%u}", i ? "," : "",
			sock_owner(e, i)->pid, comm, sock_owner(e, i)->fd,
			sock_owner(e, i)->pstart);
	}
	fputs("]}\n", f);
}

/* the namespace's name (escaped) or inode */
static const char *netns_label(const struct app *a, uint32_t netns, char *out, size_t outsz,
			       char *ino, size_t inosz)
{
	const char *raw = nsnames_label(&a->nsnames, netns, ino, inosz);

	fmt_escape(out, outsz, raw, strlen(raw), ESC_TEXT);
	return out;
}

static void print_table(struct app *a, FILE *f)
{
	uint32_t n = table_count(a->model.table), i = 0;
	struct sock_entry **v = calloc(n ? n : 1, sizeof(*v));
	char l[80], r[80], ino[16], ns[FMT_ESC_MAX(EVENT_NETNS_NAME_LEN)];
	int lw = 20, rw = 20, nw = 5;

	if (!v) {
		fprintf(stderr, "socktop: out of memory\n");
		return;
	}
	for (struct sock_entry *e = table_first(a->model.table); e && i < n; e = table_next(e))
		if (!(e->flags & SOCK_CLOSED))
			v[i++] = e;
	n = i;
	qsort(v, n, sizeof(*v), entry_cmp);
	for (i = 0; i < n; i++) {
		int w = (int)strlen(endpoint(l, sizeof(l), v[i]->family, v[i]->saddr, v[i]->lport));

		lw = w > lw ? w : lw;
		w = (int)strlen(endpoint(r, sizeof(r), v[i]->family, v[i]->daddr, v[i]->rport));
		rw = w > rw ? w : rw;
		w = (int)strlen(netns_label(a, v[i]->netns, ns, sizeof(ns), ino, sizeof(ino)));
		nw = w > nw ? w : nw;
	}
	if (!a->opts->json)
		fprintf(f, "%-11s %-*s %-*s %-*s %s\n", "STATE", lw, "LOCAL", rw, "PEER", nw,
			"NETNS", "PROCESS");
	for (i = 0; i < n; i++) {
		const struct sock_entry *e = v[i];

		if (a->opts->json) {
			print_json(f, a, e);
			continue;
		}
		fprintf(f, "%-11s %-*s %-*s %-*s ", tcp_state_name(e->state), lw,
			endpoint(l, sizeof(l), e->family, e->saddr, e->lport), rw,
			endpoint(r, sizeof(r), e->family, e->daddr, e->rport), nw,
			netns_label(a, e->netns, ns, sizeof(ns), ino, sizeof(ino)));
		print_owners_text(f, a->model.table, e);
		fputc('\n', f);
	}
	free(v);
}

/* --snapshot --duration N: follow live events for N seconds (sockets
 * born meanwhile, with the owners accept() and connect() name), then
 * print. Ends early on a pending SIGINT/SIGTERM (main blocks them). */
static void watch(struct app *a, uint64_t ns)
{
	uint64_t end = mono_now_ns() + ns;
	struct timespec nap = { 0, 10 * 1000000L };
	sigset_t pend;

	while (mono_now_ns() < end) {
		if (loader_drain(a->loader, 0) < 0)
			break;
		if (!sigpending(&pend) &&
		    (sigismember(&pend, SIGINT) || sigismember(&pend, SIGTERM)))
			break;
		nanosleep(&nap, NULL);
	}
	while (loader_drain(a->loader, 0) > 0)
		;
	/* a last pass over the kernel's sockets and holders adds what no
	 * event tells: timewait sockets (TIME_WAIT, orphan FIN_WAIT2), the fd
	 * of a socket learnt from listen(), a socket whose events were lost */
	if (loader_iters(a->loader)) {
		int err = a->resync ? resync_run(a->resync, true) : -ENOTSUP;

		if (err < 0)
			msg_err("last snapshot pass failed: %s", strerror(-err));
	}
	app_tick(a, mono_now_ns());
}

/* A plain --snapshot: only the iterator programs are loaded (no
 * tracepoints), or nothing at all with the fallback. */
static int snapshot_once(struct app *a)
{
	struct iters *it = NULL;
	char why[256] = "";
	int n;

	if (!iters_disabled(a))
		it = iters_open(NULL, a->cap, why, sizeof(why));
	else
		snprintf(why, sizeof(why), "disabled (--disable iters)");
	if (it) {
		n = iters_snapshot(it, snap_sink, a, SNAP_STARTUP);
		iters_close(it);
	} else {
		msg_err("iterators off (%s): using sock_diag and /proc", why);
		n = diag_snapshot(a->cap, snap_sink, a, SNAP_STARTUP);
	}
	if (n < 0)
		fprintf(stderr, "socktop: snapshot failed: %s\n", strerror(-n));
	return n;
}

int snapshot_run(struct app *a)
{
	int n;

	if (a->replay) {
		replay_run_all(a->replay);
	} else if (!a->loader) {
		n = snapshot_once(a);
		if (n < 0)
			return 1;
	} else {
		if (!loader_iters(a->loader))
			msg_err("iterators off (%s): using sock_diag and /proc",
				loader_feature_why(a->loader, feature_index("iters")));
		n = snapshot_collect(a, SNAP_STARTUP, true);
		if (n < 0) {
			fprintf(stderr, "socktop: snapshot failed: %s\n", strerror(-n));
			return 1;
		}
		if (a->opts->duration > 0 && a->loader)
			watch(a, (uint64_t)(a->opts->duration * 1e9));
	}
	errno = 0;
	print_table(a, stdout);
	if (fflush(stdout) || ferror(stdout)) {
		if (errno == EPIPE)
			return 0; /* the reader had enough (| head) */
		fprintf(stderr, "socktop: writing the snapshot: %s\n",
			strerror(errno ? errno : EIO));
		return 1;
	}
	return 0;
}
