/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The user-space loader: probes the kernel, opens each feature's skeleton,
 * sets its capture knobs, loads and attaches it feature by feature (a
 * failure disables that feature and records why), makes every object share
 * one ring buffer and one counter map, and hands each record to a sink as a
 * struct event. It knows nothing about the table or the screen.
 */
#ifndef SOCKTOP_LOADER_H
#define SOCKTOP_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture.h"
#include "event.h"
#include "feature.h"

struct loader;
struct bpf_object;
struct bpf_map;

typedef void (*loader_sink)(void *ctx, const struct event *ev);

struct loader_counts {
	uint64_t emitted;	   /* records the programs tried to send */
	uint64_t lost;		   /* reservations that failed (ring full) */
	uint64_t received;	   /* records handed to the sink */
	uint64_t bad_size;	   /* records of the wrong size (not trusted) */
	uint64_t recursion_misses; /* program runs the kernel skipped */
	uint64_t map_full;	   /* kernel-side tables full (attribution lost) */
};

/* NULL on failure, with a message saying what is missing and how to fix
 * it in err (not root, no BPF, no tracepoint, a feature c->need names
 * off...). c is copied. SOCKTOP_FAULT=FEATURE:KIND,... makes the named
 * features fail at load (faults.h), for tests. */
struct loader *loader_open(const struct capture *c, loader_sink sink, void *ctx, char *err,
			   size_t errsz);
void loader_close(struct loader *l);
int loader_fd(const struct loader *l); /* epoll fd: readable when woken */
/* Consume up to budget records (0 = all available). Returns the number
 * handed to the sink or a negative errno. With the reader thread, budget
 * records of what it queued; 0: the rings drained now, then all of it. */
int loader_drain(struct loader *l, int budget);
/* The rings' reader thread (ring_pump.h): the rings are drained into a
 * queue of at most max_bytes whatever the caller does, and loader_drain
 * takes from it; loader_fd is readable while records wait there. Stop it
 * (the queue stays, and is read first) before dropping privileges: they
 * are a thread's own. 0 or -errno (then the rings are read directly). */
int loader_pump_start(struct loader *l, size_t max_bytes);
void loader_pump_stop(struct loader *l);
bool loader_pumped(const struct loader *l);	 /* its thread runs */
uint64_t loader_backlog(const struct loader *l); /* records queued */
void loader_pump_stats(const struct loader *l, uint64_t *peak_bytes, uint64_t *bounded);
/* a backlog beyond this many records defers the features' polls */
#define LOADER_POLL_BACKLOG 65536
/* The loop's tick: every started feature's poll, with now. Returns the
 * number of events handed to the sink or the first negative errno. */
int loader_poll(struct loader *l, uint64_t now_ns);
void loader_counts(struct loader *l, struct loader_counts *c);
const struct capture *loader_capture(const struct loader *l);

/* Features by their index in the table (feature.h: features_count(),
 * feature_index("binds")); an index out of range is off. */
bool loader_feature_on(const struct loader *l, int f);
const char *loader_feature_why(const struct loader *l, int f); /* "" when on */
/* The reason in a word or two ("disabled", "lockdown", ...), "" when on */
const char *loader_feature_tag(const struct loader *l, int f);
/* false when this run never loads it (a stream that prints no such
 * event): off, but not a fault worth a message */
bool loader_feature_used(const struct loader *l, int f);
const char *loader_feature_name(int f);
/* The handle a feature passed to loader_track (its skeleton), NULL when
 * the feature is off. */
void *loader_feature_data(const struct loader *l, int f);

/* For feature modules */
int loader_prepare(struct loader *l, struct bpf_object *obj);
/* value for each skeleton's rodata wakeup_bytes knob */
uint64_t loader_wakeup_bytes(const struct loader *l);
int loader_track(struct loader *l, struct bpf_object *obj, void (*destroy)(void *), void *skel);
/* A feature's poll hands what it read to the sink, like a ring record. */
void loader_emit(struct loader *l, const struct event *ev);
/* Turn a libbpf error into a reason a person can act on (kernel lockdown
 * named as such). l may be NULL (outside the loader). */
void loader_explain(const struct loader *l, int err, const char *what, char *why, size_t whysz);

#endif
