// SPDX-License-Identifier: GPL-2.0
/*
 * socktop: parse options, pick the mode (UI, stream, snapshot), open the
 * source (kernel or recording), wire it to the app, run the loop, print
 * the summary, and turn every failure into a message and an exit status:
 * 0 fine, 1 could not start capture, 2 usage or bad input.
 */
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "app.h"
#include "binds.h"
#include "fdlimit.h"
#include "fmt.h"
#include "iters.h"
#include "journal.h"
#include "loader.h"
#include "loop.h"
#include "memlimit.h"
#include "metrics.h"
#include "metrics_http.h"
#include "modes.h"
#include "msg.h"
#include "opts.h"
#include "privdrop.h"
#include "probe.h"
#include "procs.h"
#include "recording.h"
#include "replay.h"
#include "resync.h"
#include "snapshot.h"
#include "summary.h"
#include "stream.h"
#include "table.h"
#include "traffic.h"

#define DRAIN_NS (10ULL * 1000000ULL) /* ring drain period */
#define TICK_NS (100ULL * 1000000ULL) /* housekeeping period */
#define DRAIN_BUDGET 8192
/* with the rings' reader thread: records taken at a time, and how long a
 * turn of the loop may apply them before keys and frames get their turn */
#define TAKE_RECORDS 2048
#define APPLY_SLICE_NS (4ULL * 1000000ULL)
/* the reader thread's queue: room for this many bytes a socket kept, and
 * at least this many times the kernel's rings */
#define QUEUE_BYTES_A_SOCKET 128
#define QUEUE_RINGS 4

struct runner {
	struct app *a;
	int sig_fd, drain_fd, tick_fd, end_fd;
	uint64_t end_ns;
	struct resync resync; /* the resync driver: feeds app_on_event like the ring */
};

/* libbpf has no context pointer for its print callback */
static struct app *log_app;

static int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char buf[APP_LOG_LEN];
	size_t n;

	if (level == LIBBPF_DEBUG || !log_app)
		return 0;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	n = strlen(buf);
	while (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	/* most of libbpf's lines name it already */
	app_log(log_app, "%s%s", strncmp(buf, "libbpf: ", 8) ? "libbpf: " : "",
		buf); /* every output of the log escapes */
	return 0;
}

static void on_kernel_event(void *ctx, const struct event *ev)
{
	if (!snapshot_hold(ctx, ev)) /* held back while the start-up pass runs */
		app_on_event(ctx, ev);
}

/* the resync driver's messages: a pass's repairs are routine */
static void resync_log(void *ctx, bool routine, const char *msg)
{
	if (routine)
		app_log_routine(ctx, "%s", msg);
	else
		app_log(ctx, "%s", msg);
}

static void apply_counts(struct app *a, const struct loader_counts *c)
{
	if (c->lost != a->lost || c->recursion_misses != a->recursion_misses)
		a->dirty = true;
	a->lost = c->lost;
	a->emitted = c->emitted;
	a->ring_received = c->received;
	a->recursion_misses = c->recursion_misses;
	a->bad_records = c->bad_size;
	a->map_full = c->map_full;
	a->backlog = loader_backlog(a->loader);
	loader_pump_stats(a->loader, &a->queue_peak, &a->queue_full);
}

static void refresh_counts(struct app *a)
{
	struct loader_counts c;

	if (!a->loader)
		return;
	loader_counts(a->loader, &c);
	apply_counts(a, &c);
}

/* Without the reader thread, a budget of the ring at a time. With it, its
 * queue a slice of time at a time: a backlog (the start-up pass's) is
 * applied over many turns, each short enough for keys and frames. */
static int drain(struct app *a)
{
	uint64_t until;
	int n, all = 0;

	if (!a->loader)
		return 0;
	if (!loader_pumped(a->loader)) {
		n = loader_drain(a->loader, DRAIN_BUDGET);
		if (n < 0)
			app_log(a, "reading the ring buffer: %s", strerror(-n));
		return n;
	}
	until = mono_now_ns() + APPLY_SLICE_NS;
	do {
		n = loader_drain(a->loader, TAKE_RECORDS);
		all += n > 0 ? n : 0;
	} while (n > 0 && loader_backlog(a->loader) && mono_now_ns() < until);
	return all;
}

/* The UI's main thread is away for seconds at a time (the start-up pass,
 * the first rows of a million sockets): the rings are read by a thread
 * of their own, into a queue bounded by the sockets kept. */
static void start_pump(struct app *a, const struct opts *o, const struct table_limits *lim)
{
	size_t ring = (size_t)o->ringbuf_kb * 1024 * QUEUE_RINGS;
	size_t socks = (size_t)lim->max_socks * QUEUE_BYTES_A_SOCKET;
	int err;

	a->queue_max = ring > socks ? ring : socks;
	err = loader_pump_start(a->loader, a->queue_max);
	if (err)
		app_log(a, "the ring's reader thread: %s: the ring is read between frames",
			strerror(-err));
}

/* A recording that cannot be written ends the run that asked for it,
 * with exit 1 (never 0 over a lost recording); what was flushed before
 * stays replayable. */
static void check_recording(struct app *a)
{
	int err;

	if (a->rec && !a->rec_err && (err = rec_flush(a->rec)) < 0) {
		a->rec_err = err;
		a->rec_errors++;
	}
	if (a->rec_err && !a->exit_code) {
		a->exit_code = 1;
		a->quit = true;
	}
}

static void check_output(struct app *a)
{
	if (a->stream && stream_flush(a->stream))
		a->quit = true; /* reader went away (| head), or a full disk: stop now */
}

/* The reader of a stream's pipe or socket went away (| head exited):
 * stop now, not at the next event's write, which may never come. */
static int on_output_gone(void *ctx, uint32_t events)
{
	struct runner *r = ctx;

	(void)events;
	loop_del(r->a->loop, STDOUT_FILENO);
	r->a->quit = true;
	return 0;
}

/* A pipe's write end reports EPOLLERR once its reader closed it, a
 * socket EPOLLHUP; files and terminals are not watched (a terminal that
 * hangs up sends SIGHUP). */
static int watch_output(struct runner *r)
{
	struct stat st;

	if (fstat(STDOUT_FILENO, &st) || !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
		return 0;
	return loop_add_events(r->a->loop, STDOUT_FILENO, 0, on_output_gone, r);
}

static int on_ring(void *ctx, uint32_t events)
{
	struct runner *r = ctx;

	(void)events;
	drain(r->a);
	check_output(r->a); /* no line waits longer than its drain */
	return 0;
}

static int on_drain_timer(void *ctx, uint32_t events)
{
	struct runner *r = ctx;

	(void)events;
	timer_ack(r->drain_fd);
	drain(r->a);
	resync_step(&r->resync); /* a pass is applied a slice at a time */
	if (r->a->rec_err)
		check_recording(r->a);
	check_output(r->a);
	return 0;
}

/* Without a UI the table is kept right (start-up snapshot, resyncs) only
 * when something reads it: --metrics, or --headless --record. */
static bool keeps_table(const struct opts *o)
{
	return o->metrics || o->headless;
}

static int on_tick(void *ctx, uint32_t events)
{
	struct runner *r = ctx;
	struct app *a = r->a;

	(void)events;
	timer_ack(r->tick_fd);
	refresh_counts(a);
	if (a->loader) {
		/* features that pull what they count (maps, not the ring) hand
		 * it to app_on_event through the sink, as the ring does */
		int n = loader_poll(a->loader, mono_now_ns());

		if (n < 0)
			app_log(a, "polling a capture feature: %s", strerror(-n));
	}
	app_tick(a, a->replay ? replay_now(a->replay) : mono_now_ns());
	if ((a->ui || keeps_table(a->opts)) && a->loader)
		resync_tick(&r->resync, mono_now_ns(), a->lost);
	metrics_http_tick(a->metrics_http);
	check_recording(a);
	check_output(a);
	if (a->replay && replay_done(a->replay) && a->stream)
		a->quit = true;
	return 0;
}

static int on_end(void *ctx, uint32_t events)
{
	struct runner *r = ctx;

	(void)events;
	timer_ack(r->end_fd);
	r->a->quit = true;
	return 0;
}

static int on_signal(void *ctx, uint32_t events)
{
	struct runner *r = ctx;
	struct signalfd_siginfo si;

	(void)events;
	while (read(r->sig_fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGWINCH) {
			r->a->resized = true;
			r->a->dirty = true;
		} else {
			r->a->quit = true;
		}
	}
	return 0;
}

static int open_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGQUIT);
	sigaddset(set, SIGWINCH);
	if (sigprocmask(SIG_BLOCK, set, NULL))
		return -errno;
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, set, SFD_NONBLOCK | SFD_CLOEXEC);
}

static int add_timer(struct app *a, int *fd, uint64_t ns, loop_fn fn, void *ctx)
{
	*fd = timer_open(ns);
	if (*fd < 0)
		return *fd;
	return loop_add(a->loop, *fd, fn, ctx);
}

static int setup_loop(struct runner *r)
{
	struct app *a = r->a;
	const struct opts *o = a->opts;
	int err;

	err = loop_add(a->loop, r->sig_fd, on_signal, r);
	if (!err && a->loader)
		err = loop_add(a->loop, loader_fd(a->loader), on_ring, r);
	if (!err && a->loader)
		err = add_timer(a, &r->drain_fd, DRAIN_NS, on_drain_timer, r);
	if (!err)
		err = add_timer(a, &r->tick_fd, TICK_NS, on_tick, r);
	if (!err && o->duration > 0)
		err = add_timer(a, &r->end_fd, (uint64_t)(o->duration * 1e9), on_end, r);
	if (!err && o->stream)
		err = watch_output(r);
	if (!err && a->replay && !(o->stream && !o->duration))
		err = replay_start(a->replay);
	return err;
}

/* Stream and headless modes: loop until quit, the duration or the end of
 * a replayed stream (headless, the endpoint keeps serving after it). */
static int run_stream(struct runner *r)
{
	struct app *a = r->a;
	int err;

	if (a->replay && !a->opts->duration && a->opts->stream) {
		/* no pacing needed: print every line, then stop */
		replay_run_all(a->replay);
		return 0;
	}
	while (!a->quit) {
		err = loop_once(a->loop, -1);
		if (err < 0)
			return err;
	}
	return 0;
}

/* Drain what the kernel still holds so received + lost is complete: the
 * counts of a round nothing was emitted in (read again after it, a host
 * that churns on would have emitted more), and in which every record
 * reserved was read (one still being written is waited for a few rounds) */
static void final_drain(struct app *a)
{
	struct loader_counts c1, c2;
	int short_rounds = 0;

	if (!a->loader)
		return;
	loader_pump_stop(a->loader); /* the rest is read here */
	do {
		loader_counts(a->loader, &c1);
		while (loader_drain(a->loader, 0) > 0)
			;
		loader_counts(a->loader, &c2);
	} while (c2.emitted != c1.emitted ||
		 (c2.received + c2.lost < c2.emitted && ++short_rounds < 100));
	apply_counts(a, &c2);
}

static int open_recording(struct app *a, const struct privdrop *pd)
{
	struct rec_header h = { .version = REC_VERSION };
	int fd;

	h.start_mono_ns = a->start_ns;
	h.wall_off_ns = a->wall_off_ns;
	h.features = loader_traffic(a->loader) ? REC_HAS_TRAFFIC : 0;
	snprintf(h.host, sizeof(h.host), "%s", a->host);
	snprintf(h.kernel, sizeof(h.kernel), "%s", a->kernel);
	/* created as the invoking user, who owns it and may write there */
	fd = privdrop_open(pd, a->opts->record, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		errno = -fd;
	a->rec = fd < 0 ? NULL : rec_create_fd(fd, &h);
	if (!a->rec) {
		msg_err("cannot write recording %s: %s", a->opts->record, strerror(errno));
		return -1;
	}
	return 0;
}

static int open_metrics(struct app *a)
{
	char err[300];

	a->metrics = metrics_new();
	if (!a->metrics) {
		msg_err("--metrics: %s", strerror(errno));
		return 1;
	}
	a->metrics_http = metrics_http_open(a, a->opts->metrics, err, sizeof(err));
	if (!a->metrics_http) {
		msg_err("%s", err);
		return 1;
	}
	app_log(a, "metrics at %s", metrics_http_url(a->metrics_http));
	return 0;
}

static int drop_privileges(struct app *a, struct privdrop *pd)
{
	char err[256];

	if (!privdrop_apply(pd, err, sizeof(err))) {
		if (pd->note[0])
			app_log(a, "%s", pd->note);
		return 0;
	}
	msg_err("cannot drop privileges, stopping: %s", err);
	return -1;
}

static void host_identity(struct app *a)
{
	struct utsname u;

	if (!uname(&u)) {
		snprintf(a->host, sizeof(a->host), "%s", u.nodename);
		snprintf(a->kernel, sizeof(a->kernel), "%s", u.release);
	}
	a->start_ns = mono_now_ns();
	a->now_ns = a->start_ns;
	a->wall_off_ns = (int64_t)(wall_now_ns() - a->start_ns);
}

static int open_source(struct app *a, struct capture *cap)
{
	const struct opts *o = a->opts;
	char err[512];

	if (opts_capture(o, cap, err, sizeof(err))) {
		/* a wrong --cgroup is a usage error, told before capture starts */
		msg_err("%s", err);
		fputc('\n', stderr);
		opts_usage(stderr);
		return 2;
	}
	a->cap = cap;
	if (o->replay) {
		a->replay = replay_open(a, o->replay, o->speed, !o->no_pace && !o->stream, err,
					sizeof(err));
		if (!a->replay) {
			msg_err("%s", err);
			return 2;
		}
		return 0;
	}
	host_identity(a);
	if (o->snapshot && o->duration <= 0) {
		/* snapshot.c loads only the iterators; without the privileges
		 * to, the /proc fallback would miss other users' holders */
		if (!probe_caps(false, err, sizeof(err)))
			return 0;
		msg_err("%s", err);
		return 1;
	}
	libbpf_set_print(libbpf_log);
	a->loader = loader_open(cap, on_kernel_event, a, err, sizeof(err));
	if (!a->loader) {
		msg_err("%s", err);
		return 1;
	}
	for (int f = 0; f < features_count(); f++)
		if (!loader_feature_on(a->loader, f) && loader_feature_used(a->loader, f))
			app_log(a, "feature %s off: %s", loader_feature_name(f),
				loader_feature_why(a->loader, f));
	if (!loader_feature_on(a->loader, feature_index("traffic")))
		snprintf(a->model.traffic.why, sizeof(a->model.traffic.why),
			 "traffic hooks off: %s",
			 loader_feature_why(a->loader, feature_index("traffic")));
	return 0;
}

/* Under a memory cgroup limit the tables that grow with the host's
 * sockets, and the kernel's ring buffer (charged there too), are sized to
 * fit: the oldest sockets are evicted (and counted) instead of socktop
 * being OOM-killed. Said once, in the log (and so on stderr). */
static void fit_memory_limit(struct app *a, struct opts *o, struct table_limits *lim,
			     uint32_t *resync_max)
{
	char where[200], live[96] = "";
	struct memplan mp;

	if (memlimit_plan(&mp) || !mp.limit)
		return;
	if (lim->max_socks > mp.max_sockets)
		lim->max_socks = mp.max_sockets;
	if (!lim->max_history || lim->max_history > mp.max_history)
		lim->max_history = mp.max_history;
	*resync_max = mp.max_resync;
	if (!o->replay) { /* the kernel's share: ring buffer, the traffic hook */
		if (o->ringbuf_kb > mp.ringbuf_kb)
			o->ringbuf_kb = mp.ringbuf_kb;
		if (mp.limit < (uint64_t)MEMLIMIT_FULL_MIB << 20 && o->stream != STREAM_LIFE &&
		    o->stream != STREAM_RETRANS)
			o->memory_off |= feature_bit("traffic");
		snprintf(live, sizeof(live), ", a %u KiB ring buffer%s", o->ringbuf_kb,
			 o->memory_off ? ", traffic off" : "");
	}
	fmt_escape(where, sizeof(where), mp.where, sizeof(mp.where), ESC_TEXT);
	app_log(a, "memory limit %llu MiB, from %s", (unsigned long long)(mp.limit >> 20), where);
	app_log(a,
		"to fit the memory limit: at most %u sockets kept (the oldest are evicted "
		"beyond, counted as evicted), %u finished%s",
		lim->max_socks, lim->max_history, live);
}

int main(int argc, char **argv)
{
	struct opts o;
	struct capture cap = { 0 };
	struct app a = { .opts = &o, .cap = &cap };
	struct runner r = { .a = &a, .sig_fd = -1, .drain_fd = -1, .tick_fd = -1, .end_fd = -1 };
	struct table_limits lim = { 0 };
	uint32_t resync_max = 0; /* records in a pass, 0: the default */
	struct privdrop pd = { 0 };
	sigset_t set;
	char err[512];
	int rc, log_mark, err_out;
	bool pumped;

	rc = opts_parse(&o, argc, argv);
	if (rc)
		return rc > 0 ? 0 : 2;
	if (!o.stream && !o.snapshot && !o.headless && ui_check_terminal(err, sizeof(err))) {
		/* an exporter or recorder started from a script or a unit */
		msg_err("%s%s", err,
			o.metrics || o.record ?
				"; --headless runs --metrics or --record without one" :
				"");
		return 2;
	}
	if (!o.replay && fdlimit_ensure(err, sizeof(err))) { /* before any fd is spent */
		msg_err("%s", err);
		return 1;
	}
	if (privdrop_init(&pd, err, sizeof(err))) {
		msg_err("%s", err);
		return 1;
	}
	log_app = &a;
	r.sig_fd = open_signals(&set);
	lim.max_socks = o.max_sockets;
	if (o.stream || o.headless) {
		/* a stream shows no rows: a closed socket need not linger, nor
		 * finished ones be kept (at full churn that was 200 MB) */
		lim.linger_ns = 1;
		lim.max_history = 16;
	}
	fit_memory_limit(&a, &o, &lim, &resync_max);
	model_init(&a.model, &lim);
	a.procs = procs_new(!o.replay);
	a.binds = binds_new(0);
	a.loop = loop_new();
	if (r.sig_fd < 0 || !a.model.table || !a.binds || !a.loop || !a.procs) {
		fprintf(stderr, "socktop: start-up failed: %s\n", strerror(errno));
		privdrop_free(&pd);
		return 1;
	}
	rc = o.replay && drop_privileges(&a, &pd) ? 1 : open_source(&a, &cap);
	malloc_trim(0); /* what libbpf freed after loading (vmlinux BTF...) goes back */
	if (!rc) {
		struct resync_src src = { .loader = a.loader,
					  .loop = a.loop,
					  .model = &a.model,
					  .sink = on_kernel_event,
					  .ctx = &a,
					  .log = resync_log,
					  .start_ns = a.start_ns };

		resync_init(&r.resync, &src, (uint64_t)(o.resync * 1e9));
		r.resync.max_records = resync_max;
		a.resync = &r.resync;
	}
	if (!rc && o.metrics)
		rc = open_metrics(&a); /* bound while privileged: any port works */
	if (rc)
		goto out;
	if (o.journal && !(a.journal = journal_open(err, sizeof(err)))) {
		msg_err("%s", err);
		rc = 1;
		goto out;
	}
	if (o.record && open_recording(&a, &pd)) {
		rc = 1;
		goto out;
	}
	if (o.snapshot) {
		/* --duration: watching goes on unprivileged when the pass runs
		 * through the iterators (the /proc fallback needs privileges) */
		if (loader_iters(a.loader) && drop_privileges(&a, &pd))
			rc = 1;
		else
			rc = snapshot_run(&a);
		goto out;
	}
	if (!o.stream && !o.headless && a.loader)
		start_pump(&a, &o, &lim);
	if ((!o.stream || o.stream == STREAM_LIFE || o.stream == STREAM_RETRANS ||
	     keeps_table(&o)) &&
	    a.loader)
		snapshot_startup(&a); /* sockets that exist already, with owners */
	/* privileges are a thread's own: none may keep them */
	pumped = a.loader && loader_pumped(a.loader);
	if (pumped)
		loader_pump_stop(a.loader);
	if (!o.replay && drop_privileges(&a, &pd)) { /* the fds held are enough now */
		rc = 1;
		goto out;
	}
	if (pumped)
		start_pump(&a, &o, &lim);
	if (o.stream) {
		a.stream = stream_open(&a, stdout);
		if (!a.stream) {
			rc = 1;
			goto out;
		}
	}
	if (setup_loop(&r)) {
		fprintf(stderr, "socktop: event loop: %s\n", strerror(errno));
		rc = 1;
		goto out;
	}
	log_mark = (int)a.log.head;
	if (o.stream && a.loader)
		fprintf(stderr, "socktop: tracing %s. Hit Ctrl-C to end.\n",
			o.stream == STREAM_BINDS    ? "bind() calls" :
			o.stream == STREAM_CONNECTS ? "TCP connects" :
						      "TCP state changes");
	if (o.headless && a.loader)
		fprintf(stderr, "socktop: tracing TCP sockets. Hit Ctrl-C to end.\n");
	if (o.stream || o.headless) {
		rc = run_stream(&r);
		rc = rc < 0 ? 1 : 0;
	} else {
		rc = ui_run(&a);
		a.ui = NULL;
		app_log_flush(&a, (uint32_t)log_mark);
	}
	final_drain(&a);
	err_out = a.stream ? stream_close(a.stream, &a) : 0;
	if (err_out && err_out != -EPIPE) { /* EPIPE: the reader had enough */
		fprintf(stderr, "socktop: writing the output: %s\n", strerror(-err_out));
		rc = rc ? rc : 1;
	}
	a.stream = NULL;
	if (a.exit_code)
		rc = a.exit_code;
	if (o.stream || o.headless || a.loader)
		summary_print(&a, stderr);
out:
	if (a.rec) {
		int err = rec_close(a.rec);

		/* the last events are written at close: a failure there loses
		 * them too (told once: a failure before was already told) */
		if (err && !a.rec_err)
			msg_err("recording %s failed at close: %s (errno %d); exit 1", o.record,
				strerror(-err), -err);
		if (err || a.rec_err)
			rc = rc ? rc : 1;
	}
	journal_close(a.journal);
	metrics_http_close(a.metrics_http);
	metrics_free(a.metrics);
	replay_close(a.replay);
	resync_free(&r.resync); /* a walk in flight reads the loader's iterators */
	a.resync = NULL;
	nsnames_free(&a.nsnames);
	loader_close(a.loader);
	procs_free(a.procs);
	model_free(&a.model);
	binds_free(a.binds);
	loop_free(a.loop);
	if (r.sig_fd >= 0)
		close(r.sig_fd);
	privdrop_free(&pd);
	return rc;
}
