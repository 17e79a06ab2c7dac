// SPDX-License-Identifier: GPL-2.0
/*
 * The loader: probe, then start each feature (its own skeleton), sharing
 * one ring buffer and one counter map across every object, and drain the
 * ring into a sink. Which features start, and what their programs filter
 * on, comes from the capture config alone. A feature that fails is
 * disabled with a reason; one the config needs stops the start.
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
#include "probe.h"
#include "rejects.h"
#include "ring_pump.h"
#include "ring_record.h"
#include "rings.h"

#define LOADER_MAX_OBJS 8

struct tracked {
	struct bpf_object *obj;
	void (*destroy)(void *);
	void *skel;
};

struct loader {
	struct capture cap;
	loader_sink sink;
	void *ctx;
	struct rings *rb;	 /* a ring a possible CPU (rings.h) */
	struct ring_pump *pump;	 /* their reader thread, once started */
	struct ring_task *tasks; /* each ring's last task (ring_record.h) */
	int nrings;
	int counters_fd;     /* shared counters: the first object's map */
	uint32_t ring_bytes; /* each ring's */
	uint64_t received, bad_size;
	struct tracked objs[LOADER_MAX_OBJS];
	int nobjs;
	struct feature_run run[FEATURE_MAX];
	struct fault fault[FEATURE_MAX]; /* SOCKTOP_FAULT: injected at load */
	int cur;			 /* feature being started */
};

const char *loader_feature_name(int f)
{
	const struct feature_ops *ops = features_get(f);

	return ops ? ops->name : "?";
}

/* The lockdown mode that explains feature f's failure: the injected one
 * when a test simulates it, else the kernel's. */
static const char *lockdown_for(const struct loader *l, int f)
{
	if (l && f >= 0 && f < FEATURE_MAX && l->fault[f].lockdown)
		return l->fault[f].lockdown;
	return probe_lockdown();
}

void loader_explain(const struct loader *l, int err, const char *what, char *why, size_t whysz)
{
	/* a refusal the verifier explained: what it found missing */
	if (err == -EINVAL && rejects_last()[0]) {
		snprintf(why, whysz, "%s: rejected by the kernel: %s", what, rejects_last());
		return;
	}
	faults_explain(err, lockdown_for(l, l ? l->cur : -1), what, why, whysz);
}

/* Each CPU's ring: the size asked for is their total, split evenly (a
 * power of two each, a page at least) */
static uint32_t ring_bytes_each(unsigned kb)
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t want = (uint64_t)kb * 1024 / (uint64_t)(ncpu > 0 ? ncpu : 1), sz = 4096;

	while (sz < want && sz < (1u << 30))
		sz <<= 1;
	return (uint32_t)sz;
}

int loader_prepare(struct loader *l, struct bpf_object *obj)
{
	struct bpf_map *rings = bpf_object__find_map_by_name(obj, "rings");
	struct bpf_map *cnt = bpf_object__find_map_by_name(obj, "counters");
	int err;

	if (l->fault[l->cur].err) /* a test's injected failure, as the load would fail */
		return l->fault[l->cur].err;
	if (!rings || !cnt)
		return -ENOENT;
	/* made before the first object loads: no program runs without them */
	if (!l->rb) {
		l->nrings = libbpf_num_possible_cpus();
		if (l->nrings <= 0)
			return l->nrings ? l->nrings : -EINVAL;
		if (!l->tasks)
			l->tasks = calloc((size_t)l->nrings, sizeof(*l->tasks));
		if (!l->tasks)
			return -ENOMEM;
		if (!(l->rb = rings_open(l->nrings, l->ring_bytes)))
			return -errno;
	}
	err = bpf_map__reuse_fd(rings, rings_map_fd(l->rb));
	if (!err && l->counters_fd >= 0)
		err = bpf_map__reuse_fd(cnt, l->counters_fd);
	return err;
}

uint64_t loader_wakeup_bytes(const struct loader *l)
{
	/* wake the reader early only when a quarter of the ring is used */
	return l->ring_bytes / 4;
}

/* A ring record holds one event, or a few that go together (a state
 * change and its final counters): each reaches the sink on its own. */
static void queued_sample(void *ctx, int ring, const void *data, size_t size)
{
	struct loader *l = ctx;
	struct event ev[EVENT_RING_MAX];
	int n = ring_record_events(l->tasks, l->nrings, ring, data, size, ev);

	if (n < 0) {
		l->bad_size++;
		return;
	}
	for (int i = 0; i < n; i++) {
		l->received++;
		l->sink(l->ctx, &ev[i]);
	}
}

/* the same, straight from the rings (no reader thread) */
static bool ring_sample(void *ctx, int ring, const void *data, size_t size)
{
	queued_sample(ctx, ring, data, size);
	return true;
}

int loader_track(struct loader *l, struct bpf_object *obj, void (*destroy)(void *), void *skel)
{
	if (l->nobjs >= LOADER_MAX_OBJS)
		return -ENOSPC;
	if (l->counters_fd < 0) {
		struct bpf_map *cnt = bpf_object__find_map_by_name(obj, "counters");

		if (!cnt)
			return -ENOENT;
		l->counters_fd = dup(bpf_map__fd(cnt));
		if (l->counters_fd < 0)
			return -errno;
	}
	l->objs[l->nobjs++] = (struct tracked){ obj, destroy, skel };
	l->run[l->cur].data = skel;
	return 0;
}

void loader_emit(struct loader *l, const struct event *ev)
{
	l->sink(l->ctx, ev);
}

/* What bpftool's skeletons start with: the generic steps use only these. */
struct skel_head {
	struct bpf_object_skeleton *skeleton;
	struct bpf_object *obj;
};

static int explained(struct loader *l, int err, const char *verb, const struct feature_ops *f,
		     char *why, size_t whysz)
{
	char what[96];

	snprintf(what, sizeof(what), "%s %s", verb, f->programs ? f->programs : f->name);
	loader_explain(l, err, what, why, whysz);
	return err;
}

/* open, knobs, share the ring, load, attach, track: every skeleton alike */
static int start_skeleton(struct loader *l, const struct feature_ops *f, char *why, size_t whysz)
{
	struct skel_head *skel = f->open();
	int err;

	if (!skel)
		return explained(l, -errno, "open", f, why, whysz);
	if (f->set_knobs)
		f->set_knobs(skel, &l->cap, l);
	err = loader_prepare(l, skel->obj);
	if (!err && f->share)
		err = f->share(skel, l);
	if (!err)
		err = bpf_object__load_skeleton(skel->skeleton);
	if (err) {
		explained(l, err, "load", f, why, whysz);
		goto fail;
	}
	if (f->attach)
		err = f->attach(l, skel, why, whysz);
	else if ((err = bpf_object__attach_skeleton(skel->skeleton)))
		explained(l, err, "attach", f, why, whysz);
	if (err)
		goto fail;
	err = loader_track(l, skel->obj, f->destroy, skel);
	if (err) {
		loader_explain(l, err, "ring buffer", why, whysz);
		goto fail;
	}
	return 0;
fail:
	f->destroy(skel);
	return err;
}

static void start_feature(struct loader *l, int i)
{
	const struct feature_ops *f = features_get(i);
	struct feature_run *r = &l->run[i];
	int rc;

	if (!(l->cap.use & (1u << i))) {
		snprintf(r->why, sizeof(r->why), "not used by this --stream");
		r->tag = "not used";
		r->unused = true;
		return;
	}
	if (l->cap.disabled & (1u << i)) {
		snprintf(r->why, sizeof(r->why), "disabled (--disable %s)", f->name);
		r->tag = "disabled";
		return;
	}
	if (l->cap.memory_off & (1u << i)) {
		snprintf(r->why, sizeof(r->why),
			 "off to fit the memory cgroup's limit (under %u "
			 "MiB: it keeps a record of every socket on the host)",
			 MEMLIMIT_FULL_MIB);
		r->tag = "memory limit";
		return;
	}
	l->cur = i;
	rejects_reset();
	rc = f->start ? f->start(l, &l->cap, r->why, sizeof(r->why)) :
			start_skeleton(l, f, r->why, sizeof(r->why));
	r->on = rc == 0;
	if (rc && !r->why[0])
		loader_explain(l, rc, f->name, r->why, sizeof(r->why));
	if (rc)
		r->tag = faults_tag(rc, lockdown_for(l, i));
}

struct loader *loader_open(const struct capture *c, loader_sink sink, void *ctx, char *err,
			   size_t errsz)
{
	const char *names[FEATURE_MAX];
	int n = features_count();
	struct loader *l;

	if (probe_basics(err, errsz))
		return NULL;
	l = calloc(1, sizeof(*l));
	if (!l) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	for (int i = 0; i < n; i++)
		names[i] = features_get(i)->name;
	if (faults_parse(getenv("SOCKTOP_FAULT"), names, n, l->fault, err, errsz)) {
		free(l);
		return NULL;
	}
	l->cap = *c;
	l->sink = sink;
	l->ctx = ctx;
	l->counters_fd = -1;
	l->ring_bytes = ring_bytes_each(c->ring_kb);
	rejects_begin();
	for (int i = 0; i < n; i++) {
		start_feature(l, i);
		if (!(c->need & (1u << i)) || (l->run[i].on && l->rb))
			continue;
		/* no use loading the rest */
		rejects_end();
		snprintf(err, errsz, "cannot capture %s: %s off: %s", features_get(i)->captures,
			 names[i], l->run[i].why[0] ? l->run[i].why : "no ring buffer");
		loader_close(l);
		return NULL;
	}
	rejects_end();
	return l;
}

void loader_close(struct loader *l)
{
	if (!l)
		return;
	pump_free(l->pump); /* its thread reads the rings */
	for (int i = l->nobjs - 1; i >= 0; i--)
		l->objs[i].destroy(l->objs[i].skel);
	rings_close(l->rb);
	free(l->tasks);
	if (l->counters_fd >= 0)
		close(l->counters_fd);
	free(l);
}

int loader_fd(const struct loader *l)
{
	return l->pump ? pump_fd(l->pump) : rings_epoll_fd(l->rb);
}

int loader_pump_start(struct loader *l, size_t max_bytes)
{
	if (!l->rb)
		return -ENOENT;
	if (!l->pump && !(l->pump = pump_new(l->rb, max_bytes)))
		return -errno;
	return pump_run(l->pump);
}

void loader_pump_stop(struct loader *l)
{
	if (l->pump)
		pump_halt(l->pump);
}

bool loader_pumped(const struct loader *l)
{
	return l->pump && pump_running(l->pump);
}

uint64_t loader_backlog(const struct loader *l)
{
	return l->pump ? pump_backlog(l->pump) : 0;
}

void loader_pump_stats(const struct loader *l, uint64_t *peak_bytes, uint64_t *bounded)
{
	*peak_bytes = l->pump ? pump_peak_bytes(l->pump) : 0;
	*bounded = l->pump ? pump_bounded(l->pump) : 0;
}

int loader_drain(struct loader *l, int budget)
{
	uint64_t before = l->received;

	if (!l->pump) {
		rings_drain(l->rb, budget, ring_sample, l);
	} else {
		/* once a pump was started every record goes through its queue,
		 * so what it holds comes before what the rings hold */
		if (!budget || !pump_running(l->pump))
			pump_pull(l->pump);
		else /* on a loaded host the thread may wait for a CPU */
			pump_help(l->pump);
		pump_take(l->pump, budget > 0 ? (size_t)budget : 0, queued_sample, l);
	}
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

static const struct feature_run *run_of(const struct loader *l, int f)
{
	return f >= 0 && f < features_count() ? &l->run[f] : NULL;
}

void *loader_feature_data(const struct loader *l, int f)
{
	const struct feature_run *r = run_of(l, f);

	return r && r->on ? r->data : NULL;
}

bool loader_feature_on(const struct loader *l, int f)
{
	const struct feature_run *r = run_of(l, f);

	return r && r->on;
}

const char *loader_feature_why(const struct loader *l, int f)
{
	const struct feature_run *r = run_of(l, f);

	return r && !r->on ? r->why : "";
}

const char *loader_feature_tag(const struct loader *l, int f)
{
	const struct feature_run *r = run_of(l, f);

	return r && !r->on && r->tag ? r->tag : "";
}

bool loader_feature_used(const struct loader *l, int f)
{
	const struct feature_run *r = run_of(l, f);

	return r && !r->unused;
}

const struct capture *loader_capture(const struct loader *l)
{
	return &l->cap;
}

int loader_poll(struct loader *l, uint64_t now_ns)
{
	/* a poll drains the rings to their end first: not while a backlog
	 * is being applied a slice at a time (it would take it all at once) */
	if (loader_backlog(l) > LOADER_POLL_BACKLOG)
		return 0;
	return features_poll(l, l->run, now_ns);
}
