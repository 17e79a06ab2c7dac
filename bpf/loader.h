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

#include "event.h"

struct opts;
struct loader;
struct bpf_object;
struct bpf_map;

enum feature {
	FEAT_STATES,	/* TCP state changes: required */
	FEAT_BINDS,	/* bind events */
	FEAT_CONNECTS,	/* connect/accept attribution and outcome */
	FEAT_ITERS,	/* start-up snapshot and resync via iterators */
	FEAT_TRAFFIC,	/* per-socket counters, retransmits, resets */
	FEAT_MAX
};

typedef void (*loader_sink)(void *ctx, const struct event *ev);

struct loader_counts {
	uint64_t emitted;	/* records the programs tried to send */
	uint64_t lost;		/* reservations that failed (ring full) */
	uint64_t received;	/* records handed to the sink */
	uint64_t bad_size;	/* records of the wrong size (not trusted) */
	uint64_t recursion_misses; /* program runs the kernel skipped */
	uint64_t map_full;	/* kernel-side tables full (attribution lost) */
};

/*
 * One feature: start() opens its skeleton, calls loader_prepare() on its
 * bpf_object before loading (shares the ring and counters, sizes the
 * ring), loads and attaches, then loader_track()s the object. It returns
 * 0 or a negative errno, with a reason for the UI in why.
 */
struct feature_ops {
	const char *name;
	int (*start)(struct loader *l, const struct opts *o, char *why, size_t whysz);
};

/* NULL on failure, with a message saying what is missing and how to fix
 * it in err (not root, no BPF, no tracepoint, the states hook or the
 * one a stream prints off...). SOCKTOP_FAULT=FEATURE:KIND,... makes the
 * named features fail at load (faults.h), for tests. */
struct loader *loader_open(const struct opts *o, loader_sink sink, void *ctx, char *err,
			   size_t errsz);
void loader_close(struct loader *l);
int loader_fd(const struct loader *l);	/* epoll fd: readable when woken */
/* Consume up to budget records (0 = all available). Returns the number
 * handed to the sink or a negative errno. */
int loader_drain(struct loader *l, int budget);
void loader_counts(struct loader *l, struct loader_counts *c);
bool loader_feature_built(enum feature f);
bool loader_feature_on(const struct loader *l, enum feature f);
const char *loader_feature_why(const struct loader *l, enum feature f); /* "" when on */
/* The reason in a word or two ("disabled", "lockdown", ...), "" when on */
const char *loader_feature_tag(const struct loader *l, enum feature f);
/* false when this mode never loads it (a stream that prints no such
 * event): off, but not a fault worth a message */
bool loader_feature_used(const struct loader *l, enum feature f);
const char *loader_feature_name(enum feature f);
/* The handle a feature passed to loader_track (its skeleton), NULL when
 * the feature is off. */
void *loader_feature_data(const struct loader *l, enum feature f);

/* For feature modules */
int loader_prepare(struct loader *l, struct bpf_object *obj);
/* value for each skeleton's rodata wakeup_bytes knob */
uint64_t loader_wakeup_bytes(const struct loader *l);
int loader_track(struct loader *l, struct bpf_object *obj, void (*destroy)(void *), void *skel);
/* Turn a libbpf error into a reason a person can act on (kernel lockdown
 * named as such). l may be NULL (outside the loader). */
void loader_explain(const struct loader *l, int err, const char *what, char *why, size_t whysz);

extern const struct feature_ops feat_states;
extern const struct feature_ops feat_binds;
extern const struct feature_ops feat_connects; /* feat_conns.c */
extern const struct feature_ops feat_iters;    /* feat_iters.c */
extern const struct feature_ops feat_traffic;  /* feat_traffic.c */

#endif
