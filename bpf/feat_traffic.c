// SPDX-License-Identifier: GPL-2.0
/*
 * Feature "traffic": traffic.bpf.c's close, retransmit and reset programs
 * (into the shared ring) and its iter/tcp pull, run once a refresh: the
 * pass's records go to the sink like ring records, then one EV_TRAFFIC
 * with TRAFFIC_PASS_END. An iter/tcp fd walks only the namespace it was
 * made in, so a pass makes one in every namespace (nswalk.h: a helper
 * that keeps CAP_SYS_ADMIN once socktop drops it), as the snapshot does:
 * containers' connections get their rates too.
 */
#include "traffic.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "netns.h"
#include "nswalk.h"
#include "states.skel.h"
#include "traffic.skel.h"

/* one pass a refresh: rates are over this interval; on a host whose
 * sockets make a pass costly, passes are spaced so they take at most
 * 1/TRAFFIC_BUDGET of a CPU (3%) */
#define TRAFFIC_PULL_NS (1000ULL * 1000000ULL)
#define TRAFFIC_BUDGET 33

struct traffic {
	struct traffic_bpf *skel;
	struct bpf_link *iter;
	struct nswalk *walk;			  /* NULL: only what this process may enter */
	uint32_t netns[NETNS_FILTER_MAX], nnetns; /* --netns: pull only these */
	uint64_t passes;
	uint64_t pass_ns;     /* time the last pass took */
	uint64_t last_ns;     /* when the last pass ran (loop clock) */
	uint64_t interval_ns; /* until the next one */
};

static void traffic_close(struct traffic *t)
{
	if (!t)
		return;
	nswalk_stop(t->walk);
	bpf_link__destroy(t->iter);
	traffic_bpf__destroy(t->skel);
	free(t);
}

static void traffic_destroy(void *t)
{
	traffic_close(t);
}

static void set_knobs(struct traffic_bpf *skel, const struct capture *c)
{
	skel->rodata->cgroup_filter_id = c->cgroup_id;
	skel->rodata->cgroup_filter_level = c->cgroup_level;
	NETNS_FILTER_KNOBS(skel, c);
	for (int i = 0; i < c->lports.n; i++)
		skel->rodata->lports[i] = c->lports.port[i];
	skel->rodata->nlports = (__u32)c->lports.n;
	for (int i = 0; i < c->rports.n; i++)
		skel->rodata->rports[i] = c->rports.port[i];
	skel->rodata->nrports = (__u32)c->rports.n;
	skel->rodata->only_family = c->family;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

struct ns_pull {
	const struct traffic *t;
	struct loader *ring; /* drained between reads; NULL: not */
	uint64_t ring_ns;    /* time spent draining it */
	loader_sink sink;
	void *ctx;
	int n;
};

/* Between two reads of a pass: what the ring gathered meanwhile. A record
 * already read was taken before these events, and one read later after
 * them; a pass sample that comes after its socket's close is dropped by
 * the model as stale. */
static int drain_between(struct ns_pull *p)
{
	uint64_t t0 = mono_ns();
	int err = loader_drain(p->ring, 0);

	p->ring_ns += mono_ns() - t0;
	return err < 0 ? err : 0;
}

/* Read one namespace's iterator fd to the end (and close it), handing each
 * record to the sink: the records sent, or -errno. */
static int read_pass(int fd, struct ns_pull *p)
{
	char buf[sizeof(struct event) * 128];
	size_t have = 0;
	int n = 0;
	ssize_t r;

	for (;;) {
		size_t off = 0;

		r = read(fd, buf + have, sizeof(buf) - have);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		have += (size_t)r;
		for (; have - off >= sizeof(struct event); off += sizeof(struct event)) {
			struct event ev;

			memcpy(&ev, buf + off, sizeof(ev));
			p->sink(p->ctx, &ev);
			n++;
		}
		memmove(buf, buf + off, have - off);
		have -= off;
		if (p->ring) {
			int err = drain_between(p);

			if (err < 0) {
				close(fd);
				return err;
			}
		}
	}
	if (r < 0)
		n = -errno;
	close(fd);
	return n;
}

/* one namespace of a pass; one that could not be entered is left out
 * (its sockets keep their last figures) */
static int ns_pull(void *arg, uint32_t inode, const char *name, int fd, bool partial)
{
	struct ns_pull *p = arg;
	bool wanted = !p->t->nnetns;
	int n;

	(void)name;
	(void)partial;
	for (uint32_t i = 0; i < p->t->nnetns; i++)
		wanted |= p->t->netns[i] == inode;
	if (fd < 0)
		return 0;
	if (!wanted) {
		close(fd);
		return 0;
	}
	n = read_pass(fd, p);
	if (n < 0)
		return n;
	p->n += n;
	return 0;
}

int traffic_pull(struct traffic *t, struct loader *ring, loader_sink sink, void *ctx)
{
	struct event end = { .kind = EV_TRAFFIC };
	struct ns_pull p = { .t = t, .ring = ring, .sink = sink, .ctx = ctx };
	uint64_t t0 = mono_ns();
	int err;

	err = nswalk_run(t->walk, bpf_link__fd(t->iter), NSWALK_ESTABLISHED, ns_pull, &p);
	if (err < 0)
		return err;
	end.ts_ns = mono_ns();
	end.tcpi.tr_flags = TRAFFIC_PASS_END;
	sink(ctx, &end);
	t->passes++;
	t->pass_ns = end.ts_ns - t0 - p.ring_ns;
	return p.n;
}

uint64_t traffic_pass_ns(const struct traffic *t)
{
	return t->pass_ns;
}

static void to_loader(void *l, const struct event *ev)
{
	loader_emit(l, ev);
}

/* The loop's tick: a pass once a refresh. What the ring holds goes
 * first, so a close's final counters come before a later pass's. */
static int traffic_poll(struct loader *l, void *data, uint64_t now_ns)
{
	struct traffic *t = data;
	int err;

	if (t->last_ns && now_ns - t->last_ns < t->interval_ns)
		return 0;
	t->last_ns = now_ns;
	err = loader_drain(l, 0);
	if (err < 0)
		return err;
	err = traffic_pull(t, l, to_loader, l);
	t->interval_ns = t->pass_ns * TRAFFIC_BUDGET > TRAFFIC_PULL_NS ?
				 t->pass_ns * TRAFFIC_BUDGET :
				 TRAFFIC_PULL_NS;
	return err;
}

uint64_t traffic_interval_ns(const struct traffic *t)
{
	return t->interval_ns ? t->interval_ns : TRAFFIC_PULL_NS;
}

struct traffic *loader_traffic(const struct loader *l)
{
	return l ? loader_feature_data(l, feature_index("traffic")) : NULL;
}

/* open, knobs, load; with storage false the pull keeps no socket storage */
static int traffic_load(struct loader *l, const struct capture *c, bool storage,
			struct traffic_bpf **skelp, char *why, size_t whysz)
{
	libbpf_print_fn_t print = NULL;
	struct traffic_bpf *skel;
	int err;

	traffic_bpf__destroy(*skelp);
	*skelp = skel = traffic_bpf__open();
	if (!skel) {
		err = -errno;
		loader_explain(l, err, "open traffic programs", why, whysz);
		return err;
	}
	set_knobs(skel, c);
	skel->rodata->wakeup_bytes = loader_wakeup_bytes(l);
	skel->rodata->use_storage = storage;
	/* the pull's iterator gets its link here, not from the skeleton */
	bpf_program__set_autoattach(skel->progs.traffic_pull, false);
	err = loader_prepare(l, skel->obj);
	if (err)
		return err;
	if (storage)
		print = libbpf_set_print(NULL);
	err = traffic_bpf__load(skel);
	if (storage)
		libbpf_set_print(print);
	return err;
}

/* The final counters at CLOSE come from the state program, which runs on
 * that transition anyway (a program of ours there would cost every
 * transition a call): on once the rest of this feature is in. States
 * always starts first, and a run cannot go on without it. */
static void final_counters_on(struct loader *l)
{
	struct states_bpf *states = loader_feature_data(l, feature_index("states"));

	if (states && states->bss)
		states->bss->final_counters = true;
}

static int traffic_start(struct loader *l, const struct capture *c, char *why, size_t whysz)
{
	struct traffic *t = calloc(1, sizeof(*t));
	int err;

	if (!t) {
		snprintf(why, whysz, "out of memory");
		return -ENOMEM;
	}
	/* Before Linux 5.11 an iterator may not use socket storage: there a
	 * pass sends every socket's counters, moved or not. The first try is
	 * quiet, so that such a kernel logs no verifier text for it. */
	err = traffic_load(l, c, true, &t->skel, why, whysz);
	if (err == -EINVAL)
		err = traffic_load(l, c, false, &t->skel, why, whysz);
	if (err) {
		loader_explain(l, err, "load traffic programs (iter/tcp, tp_btf)", why, whysz);
		goto fail;
	}
	err = traffic_bpf__attach(t->skel);
	if (err) {
		loader_explain(l, err,
			       "attach tcp_retransmit_skb, tcp_send_reset, tcp_receive_reset", why,
			       whysz);
		goto fail;
	}
	t->iter = bpf_program__attach_iter(t->skel->progs.traffic_pull, NULL);
	if (!t->iter) {
		err = -errno;
		loader_explain(l, err, "attach iter/tcp (traffic pull)", why, whysz);
		goto fail;
	}
	memcpy(t->netns, c->netns, sizeof(t->netns));
	t->nnetns = c->nnetns;
	/* socktop drops its privileges once it runs: a helper keeps the one
	 * that enters the other namespaces (without it, passes walk what
	 * this process may enter: its own namespace once it has dropped) */
	if (nswalk_may_enter())
		t->walk = nswalk_start(bpf_link__fd(t->iter));
	err = loader_track(l, t->skel->obj, traffic_destroy, t);
	if (err) {
		loader_explain(l, err, "ring buffer", why, whysz);
		goto fail;
	}
	final_counters_on(l);
	return 0;
fail:
	traffic_close(t);
	return err;
}

/* its own start: the pull's iterator link, and the handle is not the skeleton */
static const struct feature_ops feat_traffic = {
	.name = "traffic",
	.order = 40,
	.min_kernel = "5.10",
	.min_kernel_why = "tp_btf (5.5), iter/tcp (5.9); before 5.11 every pass sends every socket",
	.captures = "TCP traffic counters",
	.start = traffic_start,
	.poll = traffic_poll,
};
FEATURE(feat_traffic);
