// SPDX-License-Identifier: GPL-2.0
/*
 * The loader: probe, then start each feature (its own skeleton), sharing
 * one ring buffer and one counter map across every object, and drain the
 * ring into a sink. A feature that fails is disabled with a reason; only
 * the state tracepoint is required (and, in a stream, the hook whose
 * events it prints).
 */
#include "loader.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "faults.h"
#include "opts.h"
#include "probe.h"

#define LOADER_MAX_OBJS 8

struct tracked {
	struct bpf_object *obj;
	void (*destroy)(void *);
	void *skel;
};

struct loader {
	const struct opts *opts;
	loader_sink sink;
	void *ctx;
	struct ring_buffer *rb;
	int events_fd;		/* shared ring: the first object's map */
	int counters_fd;	/* shared counters */
	uint32_t ring_bytes;
	uint64_t received, bad_size;
	int budget_left;
	struct tracked objs[LOADER_MAX_OBJS];
	int nobjs;
	bool on[FEAT_MAX];
	bool unused[FEAT_MAX];	/* this mode does not need it: not a fault */
	char why[FEAT_MAX][200];
	const char *tag[FEAT_MAX];	/* why in a word or two, for the header */
	struct fault fault[FEAT_MAX];	/* SOCKTOP_FAULT: injected at load */
	int cur;		/* feature being started */
	void *data[FEAT_MAX];	/* what each feature tracked (its skeleton) */
};

static const struct feature_ops *const features[FEAT_MAX] = {
	[FEAT_STATES] = &feat_states,
	[FEAT_BINDS] = &feat_binds,
	[FEAT_CONNECTS] = &feat_connects,
	[FEAT_ITERS] = &feat_iters,
	[FEAT_TRAFFIC] = &feat_traffic,
};

static const char *const feature_names[FEAT_MAX] = {
	[FEAT_STATES] = "states", [FEAT_BINDS] = "binds",
	[FEAT_CONNECTS] = "connects", [FEAT_ITERS] = "iters",
	[FEAT_TRAFFIC] = "traffic",
};

const char *loader_feature_name(enum feature f)
{
	return f < FEAT_MAX ? feature_names[f] : "?";
}

/* The lockdown mode that explains feature f's failure: the injected one
 * when a test simulates it, else the kernel's. */
static const char *lockdown_for(const struct loader *l, int f)
{
	if (l && f >= 0 && f < FEAT_MAX && l->fault[f].lockdown)
		return l->fault[f].lockdown;
	return probe_lockdown();
}

void loader_explain(const struct loader *l, int err, const char *what, char *why, size_t whysz)
{
	faults_explain(err, lockdown_for(l, l ? l->cur : -1), what, why, whysz);
}

static bool disabled(const struct opts *o, const char *name)
{
	const char *p = o->disable;
	size_t n = strlen(name);

	while (p && *p) {
		if (!strncmp(p, name, n) && (p[n] == ',' || !p[n]))
			return true;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return false;
}

static uint32_t ring_size(unsigned kb)
{
	uint64_t want = (uint64_t)kb * 1024, sz = 4096;

	while (sz < want && sz < (1u << 30))
		sz <<= 1;
	return (uint32_t)sz;
}

int loader_prepare(struct loader *l, struct bpf_object *obj)
{
	struct bpf_map *ev = bpf_object__find_map_by_name(obj, "events");
	struct bpf_map *cnt = bpf_object__find_map_by_name(obj, "counters");
	int err;

	if (l->fault[l->cur].err) /* a test's injected failure, as the load would fail */
		return l->fault[l->cur].err;
	if (!ev || !cnt)
		return -ENOENT;
	if (l->events_fd >= 0) {
		err = bpf_map__reuse_fd(ev, l->events_fd);
		if (!err)
			err = bpf_map__reuse_fd(cnt, l->counters_fd);
		return err;
	}
	return bpf_map__set_max_entries(ev, l->ring_bytes);
}

uint64_t loader_wakeup_bytes(const struct loader *l)
{
	/* wake the reader early only when a quarter of the ring is used */
	return l->ring_bytes / 4;
}

static int ring_sample(void *ctx, void *data, size_t size)
{
	struct loader *l = ctx;
	struct event ev;

	if (size != sizeof(ev)) {
		l->bad_size++;
		return 0;
	}
	memcpy(&ev, data, sizeof(ev)); /* aligned copy */
	l->received++;
	l->sink(l->ctx, &ev);
	/* libbpf already moved past this record: stopping here loses nothing */
	if (l->budget_left > 0 && --l->budget_left == 0)
		return -EAGAIN;
	return 0;
}

int loader_track(struct loader *l, struct bpf_object *obj, void (*destroy)(void *), void *skel)
{
	if (l->nobjs >= LOADER_MAX_OBJS)
		return -ENOSPC;
	if (l->events_fd < 0) {
		struct bpf_map *ev = bpf_object__find_map_by_name(obj, "events");
		struct bpf_map *cnt = bpf_object__find_map_by_name(obj, "counters");

		if (!ev || !cnt)
			return -ENOENT;
		l->events_fd = dup(bpf_map__fd(ev));
		l->counters_fd = dup(bpf_map__fd(cnt));
		if (l->events_fd < 0 || l->counters_fd < 0)
			return -errno;
		l->rb = ring_buffer__new(l->events_fd, ring_sample, l, NULL);
		if (!l->rb)
			return -errno;
	}
	l->objs[l->nobjs++] = (struct tracked){ obj, destroy, skel };
	l->data[l->cur] = skel;
	return 0;
}

/* The features a mode cannot do without: states always, and the one a
 * stream prints. A stream does not load what it never prints. */
static bool needed(const struct opts *o, int f)
{
	switch (f) {
	case FEAT_STATES:
		return true;
	case FEAT_BINDS:
		return o->stream == STREAM_BINDS;
	case FEAT_CONNECTS:
		return o->stream == STREAM_CONNECTS;
	case FEAT_TRAFFIC:
		return o->stream == STREAM_LIFE || o->stream == STREAM_RETRANS;
	default:
		return false;
	}
}

/* tcplife and tcpretrans lines name the owner: they want what finds it */
static bool used(const struct opts *o, int f)
{
	if (o->metrics) /* --metrics counts what every hook sees, whatever is printed */
		return true;
	if (o->stream == STREAM_LIFE || o->stream == STREAM_RETRANS)
		return f != FEAT_BINDS;
	return !o->stream || needed(o, f);
}

static const char *const what_needs[FEAT_MAX] = {
	[FEAT_STATES] = "TCP state changes", [FEAT_BINDS] = "bind() calls",
	[FEAT_CONNECTS] = "TCP connects",
	[FEAT_TRAFFIC] = "TCP traffic counters",
};

static void start_feature(struct loader *l, const struct opts *o, int f)
{
	int rc;

	if (!features[f]) {
		snprintf(l->why[f], sizeof(l->why[f]), "not built in");
		l->tag[f] = "not built";
		return;
	}
	if (!used(o, f)) {
		snprintf(l->why[f], sizeof(l->why[f]), "not used by this --stream");
		l->tag[f] = "not used";
		l->unused[f] = true;
		return;
	}
	if (disabled(o, feature_names[f])) {
		snprintf(l->why[f], sizeof(l->why[f]), "disabled (--disable %s)", feature_names[f]);
		l->tag[f] = "disabled";
		return;
	}
	l->cur = f;
	rc = features[f]->start(l, o, l->why[f], sizeof(l->why[f]));
	l->on[f] = rc == 0;
	if (rc && !l->why[f][0])
		loader_explain(l, rc, feature_names[f], l->why[f], sizeof(l->why[f]));
	if (rc)
		l->tag[f] = faults_tag(rc, lockdown_for(l, f));
}

struct loader *loader_open(const struct opts *o, loader_sink sink, void *ctx, char *err,
			   size_t errsz)
{
	struct loader *l;

	if (probe_basics(err, errsz))
		return NULL;
	l = calloc(1, sizeof(*l));
	if (!l) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	if (faults_parse(getenv("SOCKTOP_FAULT"), feature_names, FEAT_MAX, l->fault, err,
			 errsz)) {
		free(l);
		return NULL;
	}
	l->opts = o;
	l->sink = sink;
	l->ctx = ctx;
	l->events_fd = l->counters_fd = -1;
	l->ring_bytes = ring_size(o->ringbuf_kb);
	for (int f = 0; f < FEAT_MAX; f++) {
		start_feature(l, o, f);
		if (!needed(o, f) || (l->on[f] && l->rb))
			continue;
		/* no use loading the rest */
		snprintf(err, errsz, "cannot capture %s: %s off: %s", what_needs[f],
			 feature_names[f], l->why[f][0] ? l->why[f] : "no ring buffer");
		loader_close(l);
		return NULL;
	}
	return l;
}

void loader_close(struct loader *l)
{
	if (!l)
		return;
	ring_buffer__free(l->rb);
	for (int i = l->nobjs - 1; i >= 0; i--)
		l->objs[i].destroy(l->objs[i].skel);
	if (l->events_fd >= 0)
		close(l->events_fd);
	if (l->counters_fd >= 0)
		close(l->counters_fd);
	free(l);
}

int loader_fd(const struct loader *l)
{
	return ring_buffer__epoll_fd(l->rb);
}

int loader_drain(struct loader *l, int budget)
{
	uint64_t before = l->received;
	int rc;

	l->budget_left = budget;
	rc = ring_buffer__consume(l->rb);
	if (rc < 0 && rc != -EAGAIN)
		return rc;
	return (int)(l->received - before);
}

static uint64_t prog_recursion_misses(struct bpf_object *obj)
{
	struct bpf_program *p;
	uint64_t sum = 0;

	bpf_object__for_each_program(p, obj) {
		struct bpf_prog_info info;
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(p);

		memset(&info, 0, sizeof(info));
		if (fd >= 0 && !bpf_obj_get_info_by_fd(fd, &info, &len))
			sum += info.recursion_misses;
	}
	return sum;
}

void loader_counts(struct loader *l, struct loader_counts *c)
{
	int ncpu = libbpf_num_possible_cpus();

	memset(c, 0, sizeof(*c));
	c->received = l->received;
	c->bad_size = l->bad_size;
	if (ncpu > 0 && ncpu <= 4096) {
		uint64_t vals[ncpu];

		for (__u32 slot = 0; slot < CNT_SLOTS; slot++) {
			uint64_t sum = 0;

			if (bpf_map_lookup_elem(l->counters_fd, &slot, vals))
				continue;
			for (int i = 0; i < ncpu; i++)
				sum += vals[i];
			if (slot == CNT_EMITTED)
				c->emitted = sum;
			else if (slot == CNT_LOST)
				c->lost = sum;
			else if (slot == CNT_MAP_FULL)
				c->map_full = sum;
		}
	}
	for (int i = 0; i < l->nobjs; i++)
		c->recursion_misses += prog_recursion_misses(l->objs[i].obj);
}

bool loader_feature_built(enum feature f)
{
	return f < FEAT_MAX && features[f];
}

void *loader_feature_data(const struct loader *l, enum feature f)
{
	return f < FEAT_MAX && l->on[f] ? l->data[f] : NULL;
}

bool loader_feature_on(const struct loader *l, enum feature f)
{
	return f < FEAT_MAX && l->on[f];
}

const char *loader_feature_why(const struct loader *l, enum feature f)
{
	return f < FEAT_MAX && !l->on[f] ? l->why[f] : "";
}

const char *loader_feature_tag(const struct loader *l, enum feature f)
{
	return f < FEAT_MAX && !l->on[f] && l->tag[f] ? l->tag[f] : "";
}

bool loader_feature_used(const struct loader *l, enum feature f)
{
	return f < FEAT_MAX && !l->unused[f];
}
